// The "output" section every task reads: where results go and how often thermo, trajectory frames
// and checkpoints are written (docs/inputs.md).
#pragma once

#include <cstdint>
#include <string>

#include "host/io/json_input.hpp"

namespace glassland {

struct OutputSettings {
  std::string directory;
  int64_t thermo_stride = 100;     // steps between thermo records
  int64_t trajectory_stride = 0;   // steps between trajectory frames; 0: none
  int64_t checkpoint_stride = 0;   // steps between checkpoints; 0: none
  bool velocities = false;         // trajectory frames carry velocities
  bool forces = false;             // trajectory frames carry forces
  bool quiet = false;              // no progress lines
  double progress_interval = 5.0;  // s between progress lines
};

// Reads input["output"].
OutputSettings read_output_settings(InputObject& input, const std::string& default_directory);

}  // namespace glassland
