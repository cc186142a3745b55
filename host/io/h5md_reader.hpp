// Reading H5MD trajectories (de Buyl, Colberg, Höfling, CPC 185 (2014); H5MD 1.1,
// https://www.nongnu.org/h5md/h5md.html) by the specification's layout rather than by what
// glassland's writer happens to produce, so files of H5MD 1.0/1.1 writers read the same way:
//
//   particles/<group>/position/{step, time, value[frames][N][3]}   required
//   particles/<group>/box/edges        time-dependent group (value [frames][3][3] or [frames][3])
//                                      or a fixed dataset ([3][3] or [3]); rows are a, b, c
//   particles/<group>/box/{origin,offset}  optional, fixed [3] or time-dependent: the box origin
//   particles/<group>/image/{..., value[frames][N][3]}  optional periodic image counts
//   particles/<group>/species          [N] integers (fixed or time-dependent, first frame used)
//   particles/<group>/id               optional [N] IDs (fixed or time-dependent); else 1…N
//   particles/<group>/mass             optional [N] or scalar masses
// step and time may be arrays or scalars with an "offset" attribute (H5MD 1.1 fixed intervals);
// time may be absent. Units are read from the "unit" attributes: lengths in Angstrom (Å, A) or
// nm, times in ps or fs; others are errors.
//
// Element names: a string attribute "names" (or "elements") on species, or a string dataset
// particles/<group>/species_names; glassland files without them name their species through the
// run's effective configuration (its potential's elements, in the order the species number
// them), which the caller reads from effective_configuration().
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "host/io/trajectory_reader.hpp"

namespace glassland {

// One reader per particle group of the file, or only the `replica`-th group (in name order) when
// replica ≥ 0. Throws InputError naming the file and the object for anything missing or
// inconsistent.
std::vector<std::unique_ptr<TrajectoryReader>> open_h5md_trajectory(const std::string& path,
                                                                    int replica = -1);

}  // namespace glassland
