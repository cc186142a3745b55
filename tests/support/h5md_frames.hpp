// Trajectory frames of one replica as glassland writes them (H5MD, `particles/replica_NNNN`:
// position, image and box edges per frame), read back with every atom unwrapped, x + H·image:
// for the task tests that follow atoms through boundary crossings.
#pragma once

#include <vector>

#include "host/io/hdf5_file.hpp"

namespace glassland::testing {

struct UnwrappedFrames {
  std::vector<double> times;                   // ps, as written
  std::vector<std::vector<double>> positions;  // per frame: N×3 unwrapped positions, Å
  std::vector<int> species;                    // per atom: the LAMMPS type
};

UnwrappedFrames read_unwrapped_frames(const hdf5::File& file, int replica);

}  // namespace glassland::testing
