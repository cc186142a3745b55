// Kernel profiling for `glassland run --profile` (docs/profiling.md): time per Kokkos kernel label
// and per Kokkos region, gathered through Kokkos's profiling callbacks (Kokkos::Tools, the same
// interface Kokkos Tools and Nsight Systems' NVTX connector use), so it works on every backend.
//
// While a KernelProfile lives, every kernel is fenced before it starts and after it ends, so that
// its time is its own on asynchronous backends (CUDA); without --profile nothing is fenced or
// timed. Time is attributed exclusively: a kernel launched inside a deep copy (a fill) counts for
// the kernel, not the copy, so kernels + copies + host time add up to the run's time. Callbacks a
// tool installed before (KOKKOS_TOOLS_LIBS / --kokkos-tools-libs) are called as before: the
// profile is chained in front of them, not in place of them.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

namespace glassland {

class KernelProfile {
 public:
  // Starts the run's clock and installs the callbacks; one KernelProfile at a time.
  KernelProfile();
  // Restores the callbacks that were installed before.
  ~KernelProfile();
  KernelProfile(const KernelProfile&) = delete;
  KernelProfile& operator=(const KernelProfile&) = delete;

  // Prints the tables (kernels by time, then regions) for the run so far.
  void print(std::FILE* out) const;

  // Time attributed to one kernel label (or to the deep copies, or to host code).
  struct Entry {
    int64_t calls = 0;
    double seconds = 0.0;     // exclusive
    double atom_steps = 0.0;  // Σ over calls of the atoms of the batch last built
  };
  struct RegionEntry {
    int64_t calls = 0;
    double seconds = 0.0;  // inclusive
    int depth = 0;         // nesting depth at first entry
    int order = 0;         // order of first entry
  };

  // What was gathered so far: per kernel label (the deep copies under "Kokkos::deep_copy"),
  // outside every kernel and copy, per region; and the seconds since the profile started.
  const std::map<std::string, Entry>& kernels() const { return kernels_; }
  const Entry& host() const { return host_; }
  const std::map<std::string, RegionEntry>& regions() const { return regions_; }
  double run_seconds() const;

  // Callback bodies (public for the C callbacks in kernel_profile.cpp).
  void begin(const std::string& label);
  void end();
  void push_region(const std::string& name);
  void pop_region();
  void allocated(const std::string& label, uint64_t bytes);

 private:
  using Clock = std::chrono::steady_clock;
  // Adds the time since the last event to the innermost open event (or to host code).
  void charge_until(Clock::time_point now);

  Clock::time_point start_;
  Clock::time_point last_mark_;
  std::map<std::string, Entry> kernels_;  // by label; "Kokkos::deep_copy" holds the copies
  Entry host_;                            // outside every kernel and copy
  std::vector<Entry*> open_;              // kernels and copies in progress, innermost last
  std::map<std::string, RegionEntry> regions_;
  std::vector<std::pair<std::string, Clock::time_point>> open_regions_;
  double batch_atoms_ = 0.0;  // atoms (all replicas) of the batch allocated last
};

}  // namespace glassland
