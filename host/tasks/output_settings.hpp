// The "output" section of the MD tasks (md, prepare, metad): where results go, how often thermo,
// trajectory frames, dump frames and checkpoints are written, and what is printed (docs/tasks.md).
#pragma once

#include <cstdint>
#include <string>

#include "host/io/json_input.hpp"

namespace glassland {

struct OutputSettings {
  std::string directory;
  std::string author;               // H5MD h5md/author name; empty: $USER
  int64_t thermo_stride = 100;      // steps between thermo records
  int64_t thermo_print_stride = 0;  // steps between thermo lines on stdout (md); 0: none
  int64_t trajectory_stride = 0;    // steps between H5MD trajectory frames; 0: none
  int64_t dump_stride = 0;          // steps between LAMMPS dump frames; 0: none
  int64_t checkpoint_stride = 0;    // steps between checkpoints; 0: none
  bool velocities = false;          // trajectory and dump frames carry velocities
  bool forces = false;              // trajectory and dump frames carry forces
  bool quiet = false;               // no progress lines
  double progress_interval = 5.0;   // s between progress lines
};

// Reads input["output"]; `thermo_lines`: the task prints thermo lines (md), so it reads
// thermo_print_stride (elsewhere that key is unknown, and the stride 0).
OutputSettings read_output_settings(InputObject& input, const std::string& default_directory,
                                    bool thermo_lines = false);

}  // namespace glassland
