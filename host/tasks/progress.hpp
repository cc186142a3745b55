// Progress lines of long runs on stderr (SPEC.md §11): percent, rate, atom-steps/s, time left.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace glassland {

// Progress lines on stderr: percent, steps/s, atom-steps/s (all replicas), time left.
class Progress {
 public:
  // `unit`: what is counted ("step" by default; e.g. "shot round"); with atoms_per_step = 0 no
  // atom-steps rate is printed.
  Progress(std::string label, int64_t total_steps, int64_t atoms_per_step, double interval_s,
           bool quiet, std::string unit = "step");
  // `note`: what else the line says, after the time left ("2 of 3 band(s) running").
  void update(int64_t steps_done, const std::string& note = "");
  void finish(int64_t steps_done);

 private:
  // separator + "N atom-steps/s", or "" without atoms
  std::string atom_steps(double rate, const char* separator) const;
  std::string label_;
  int64_t total_steps_;
  int64_t atoms_per_step_;
  double interval_s_;
  bool quiet_;
  std::string unit_;
  int64_t first_steps_ = -1;
  std::chrono::steady_clock::time_point start_, last_print_;
};

}  // namespace glassland
