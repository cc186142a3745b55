#include "host/tasks/progress.hpp"

#include <algorithm>
#include <cstdio>

namespace glassland {

Progress::Progress(std::string label, int64_t total_steps, int64_t atoms_per_step,
                   double interval_s, bool quiet, std::string unit)
    : label_(std::move(label)),
      total_steps_(total_steps),
      atoms_per_step_(atoms_per_step),
      interval_s_(interval_s),
      quiet_(quiet),
      unit_(std::move(unit)),
      start_(std::chrono::steady_clock::now()),
      last_print_(start_) {}

void Progress::update(int64_t steps_done, const std::string& note) {
  if (first_steps_ < 0)
    first_steps_ = steps_done;  // a restart starts part-way
  const auto now = std::chrono::steady_clock::now();
  if (quiet_ || std::chrono::duration<double>(now - last_print_).count() < interval_s_)
    return;
  last_print_ = now;
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  const double rate = (steps_done - first_steps_) / std::max(elapsed, 1e-9);
  const double left = rate > 0 ? (total_steps_ - steps_done) / rate : 0.0;
  std::fprintf(stderr, "%s: %5.1f%%  %s %lld/%lld  %.1f %ss/s%s  %02d:%02d:%02d left%s%s\n",
               label_.c_str(), 100.0 * steps_done / std::max<int64_t>(total_steps_, 1),
               unit_.c_str(), static_cast<long long>(steps_done),
               static_cast<long long>(total_steps_), rate, unit_.c_str(),
               atom_steps(rate, "  ").c_str(), static_cast<int>(left / 3600),
               static_cast<int>(left / 60) % 60, static_cast<int>(left) % 60,
               note.empty() ? "" : "  ", note.c_str());
}

void Progress::finish(int64_t steps_done) {
  if (quiet_)
    return;
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const double rate = (steps_done - std::max<int64_t>(first_steps_, 0)) / std::max(elapsed, 1e-9);
  std::fprintf(stderr, "%s: done, %lld %ss in %.1f s (%.1f %ss/s%s)\n", label_.c_str(),
               static_cast<long long>(steps_done), unit_.c_str(), elapsed, rate, unit_.c_str(),
               atom_steps(rate, ", ").c_str());
}

std::string Progress::atom_steps(double rate, const char* separator) const {
  if (atoms_per_step_ <= 0)
    return "";
  char text[64];
  std::snprintf(text, sizeof text, "%s%.3g atom-steps/s", separator, rate * atoms_per_step_);
  return text;
}

}  // namespace glassland
