#include "host/cli/kernel_profile.hpp"

#include <Kokkos_Core.hpp>
#include <algorithm>
#include <stdexcept>

namespace glassland {

namespace {

using Kokkos::Tools::Experimental::EventSet;

KernelProfile* g_profile = nullptr;  // the one active profile (Kokkos callbacks are plain C)
EventSet g_previous;                 // the callbacks installed before it (a tool's, or none)

// Labels of Kokkos's own per-view kernels are grouped: one row each, not one per view.
std::string table_label(const char* name) {
  std::string label = name ? name : "(unnamed)";
  for (const char* group : {"Kokkos::View::initialization", "Kokkos::View::destruction"})
    if (label.rfind(group, 0) == 0)
      return std::string(group) + " (all views)";
  return label;
}

// Each callback calls the tool's callback (if any) outside our timing, so that a tool's overhead
// counts as host time, not as the kernel's.
void begin_kernel(const char* name, const uint32_t device, uint64_t* id,
                  Kokkos_Profiling_beginFunction previous) {
  if (previous)
    previous(name, device, id);
  g_profile->begin(table_label(name));
}

void on_begin_for(const char* name, const uint32_t device, uint64_t* id) {
  begin_kernel(name, device, id, g_previous.begin_parallel_for);
}
void on_begin_reduce(const char* name, const uint32_t device, uint64_t* id) {
  begin_kernel(name, device, id, g_previous.begin_parallel_reduce);
}
void on_begin_scan(const char* name, const uint32_t device, uint64_t* id) {
  begin_kernel(name, device, id, g_previous.begin_parallel_scan);
}
void on_end_for(const uint64_t id) {
  g_profile->end();
  if (g_previous.end_parallel_for)
    g_previous.end_parallel_for(id);
}
void on_end_reduce(const uint64_t id) {
  g_profile->end();
  if (g_previous.end_parallel_reduce)
    g_previous.end_parallel_reduce(id);
}
void on_end_scan(const uint64_t id) {
  g_profile->end();
  if (g_previous.end_parallel_scan)
    g_previous.end_parallel_scan(id);
}
void on_begin_copy(Kokkos::Tools::SpaceHandle dst_space, const char* dst_label, const void* dst,
                   Kokkos::Tools::SpaceHandle src_space, const char* src_label, const void* src,
                   uint64_t bytes) {
  if (g_previous.begin_deep_copy)
    g_previous.begin_deep_copy(dst_space, dst_label, dst, src_space, src_label, src, bytes);
  g_profile->begin("Kokkos::deep_copy");
}
void on_end_copy() {
  g_profile->end();
  if (g_previous.end_deep_copy)
    g_previous.end_deep_copy();
}
void on_push_region(const char* name) {
  if (g_previous.push_region)
    g_previous.push_region(name);
  g_profile->push_region(name ? name : "(unnamed)");
}
void on_pop_region() {
  g_profile->pop_region();
  if (g_previous.pop_region)
    g_previous.pop_region();
}
void on_allocate(Kokkos::Tools::SpaceHandle space, const char* label, const void* pointer,
                 const uint64_t bytes) {
  if (g_previous.allocate_data)
    g_previous.allocate_data(space, label, pointer, bytes);
  g_profile->allocated(label ? label : "", bytes);
}

double seconds_between(std::chrono::steady_clock::time_point a,
                       std::chrono::steady_clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

}  // namespace

KernelProfile::KernelProfile() {
  if (g_profile)
    throw std::logic_error("KernelProfile: only one profile can be active at a time");
  g_profile = this;
  g_previous = Kokkos::Tools::Experimental::get_callbacks();
  EventSet ours = g_previous;
  ours.begin_parallel_for = on_begin_for;
  ours.end_parallel_for = on_end_for;
  ours.begin_parallel_reduce = on_begin_reduce;
  ours.end_parallel_reduce = on_end_reduce;
  ours.begin_parallel_scan = on_begin_scan;
  ours.end_parallel_scan = on_end_scan;
  ours.begin_deep_copy = on_begin_copy;
  ours.end_deep_copy = on_end_copy;
  ours.push_region = on_push_region;
  ours.pop_region = on_pop_region;
  ours.allocate_data = on_allocate;
  Kokkos::fence();  // work queued before the profile is not the profile's
  start_ = last_mark_ = Clock::now();
  Kokkos::Tools::Experimental::set_callbacks(ours);
}

KernelProfile::~KernelProfile() {
  Kokkos::Tools::Experimental::set_callbacks(g_previous);
  g_profile = nullptr;
}

double KernelProfile::run_seconds() const {
  return seconds_between(start_, Clock::now());
}

void KernelProfile::charge_until(Clock::time_point now) {
  Entry& entry = open_.empty() ? host_ : *open_.back();
  entry.seconds += seconds_between(last_mark_, now);
  last_mark_ = now;
}

void KernelProfile::begin(const std::string& label) {
  Kokkos::fence();  // what ran before (asynchronously) is charged before this kernel starts
  charge_until(Clock::now());
  Entry& entry = kernels_[label];
  entry.calls += 1;
  entry.atom_steps += batch_atoms_;
  open_.push_back(&entry);
}

void KernelProfile::end() {
  Kokkos::fence();  // the kernel's own time, also where launches are asynchronous
  charge_until(Clock::now());
  if (!open_.empty())
    open_.pop_back();
}

void KernelProfile::push_region(const std::string& name) {
  RegionEntry& entry = regions_[name];
  if (entry.calls == 0) {
    entry.depth = static_cast<int>(open_regions_.size());
    entry.order = static_cast<int>(regions_.size());
  }
  open_regions_.emplace_back(name, Clock::now());
}

void KernelProfile::pop_region() {
  if (open_regions_.empty())
    return;
  RegionEntry& entry = regions_[open_regions_.back().first];
  entry.calls += 1;
  entry.seconds += seconds_between(open_regions_.back().second, Clock::now());
  open_regions_.pop_back();
}

void KernelProfile::allocated(const std::string& label, uint64_t bytes) {
  // Every Batch allocates its positions under this label (kernels/batch.hpp): N·R atoms × 3
  // doubles. The batch built last is the one the following kernels work on.
  if (label == "batch::positions")
    batch_atoms_ = static_cast<double>(bytes) / (3.0 * sizeof(double));
}

namespace {

std::string formatted(const char* format, double value) {
  char text[48];
  std::snprintf(text, sizeof text, format, value);
  return text;
}

std::string dashes(int n) {
  return std::string(n, '-');
}

}  // namespace

void KernelProfile::print(std::FILE* out) const {
  const Clock::time_point now = Clock::now();
  const double run_seconds = seconds_between(start_, now);
  const auto share = [&](double seconds) {
    return formatted("%6.2f%%", run_seconds > 0 ? 100.0 * seconds / run_seconds : 0.0);
  };
  Entry host = host_;
  if (open_.empty())
    host.seconds += seconds_between(last_mark_, now);

  std::vector<std::pair<std::string, Entry>> rows(kernels_.begin(), kernels_.end());
  std::sort(rows.begin(), rows.end(),
            [](const auto& a, const auto& b) { return a.second.seconds > b.second.seconds; });
  // At most 30 labels, each at least 0.1 % of the run; the others share one row.
  constexpr size_t kMaxRows = 30;
  Entry rest;
  int rest_labels = 0;
  while (!rows.empty() &&
         (rows.size() > kMaxRows || rows.back().second.seconds < 1e-3 * run_seconds)) {
    rest.calls += rows.back().second.calls;
    rest.seconds += rows.back().second.seconds;
    ++rest_labels;
    rows.pop_back();
  }
  if (rest_labels > 0)
    rows.emplace_back("(" + std::to_string(rest_labels) + " other labels, each < 0.1 %)", rest);
  rows.emplace_back("(host: outside kernels and copies)", host);

  std::fprintf(out, "\nglassland profile: %.3f s run, Kokkos %s, every kernel fenced\n\n",
               run_seconds, Kokkos::DefaultExecutionSpace::name());
  std::fprintf(out, "| %-56s | %9s | %10s | %11s | %7s | %12s |\n", "kernel label", "calls",
               "total s", "mean us", "share", "atom-steps/s");
  std::fprintf(out, "|%s|%s|%s|%s|%s|%s|\n", dashes(58).c_str(), dashes(11).c_str(),
               dashes(12).c_str(), dashes(13).c_str(), dashes(9).c_str(), dashes(14).c_str());
  double sum = 0.0;
  for (const auto& [label, entry] : rows) {
    sum += entry.seconds;
    const std::string mean =
        entry.calls > 0 ? formatted("%.1f", entry.seconds / entry.calls * 1e6) : "-";
    const std::string rate = entry.atom_steps > 0 && entry.seconds > 0
                                 ? formatted("%.3e", entry.atom_steps / entry.seconds)
                                 : "-";
    std::fprintf(out, "| %-56.56s | %9lld | %10.4f | %11s | %7s | %12s |\n", label.c_str(),
                 static_cast<long long>(entry.calls), entry.seconds, mean.c_str(),
                 share(entry.seconds).c_str(), rate.c_str());
  }
  std::fprintf(out, "| %-56s | %9s | %10.4f | %11s | %7s | %12s |\n", "sum of the rows", "", sum,
               "", share(sum).c_str(), "");

  if (regions_.empty())
    return;
  std::vector<std::pair<std::string, RegionEntry>> regions(regions_.begin(), regions_.end());
  std::sort(regions.begin(), regions.end(),
            [](const auto& a, const auto& b) { return a.second.order < b.second.order; });
  std::fprintf(out, "\n| %-56s | %9s | %10s | %7s |\n", "region (inclusive time)", "calls",
               "total s", "share");
  std::fprintf(out, "|%s|%s|%s|%s|\n", dashes(58).c_str(), dashes(11).c_str(), dashes(12).c_str(),
               dashes(9).c_str());
  for (const auto& [name, entry] : regions) {
    const std::string indented = std::string(2 * entry.depth, ' ') + name;
    std::fprintf(out, "| %-56.56s | %9lld | %10.4f | %7s |\n", indented.c_str(),
                 static_cast<long long>(entry.calls), entry.seconds, share(entry.seconds).c_str());
  }
}

}  // namespace glassland
