// Endpoints of NEB bands for atomic jumps seen in MD (paper 002: Annamareddy, Voyles,
// Perepezko & Morgan, bulk vs surface diffusion; SPEC.md §8).
//
// Two inherent structures (IS) taken 5 ps apart are compared atom by atom (minimum image).
// Atoms displaced by more than 1.8 Å (the first minimum of the van Hove self-correlation of
// Cu50Zr50) are jumps. For each jump the band runs from the initial IS to a final state in which
// only the atoms inside a 5 Å sphere centred on the jumping atom *after* the jump take their
// final-IS positions; all other atoms keep their initial positions, so the band isolates the
// one jump from everything else that happened between the two snapshots.
#pragma once

#include <vector>

#include "kernels/box.hpp"

namespace glassland {

struct JumpSettings {
  double jump_threshold = 1.8;  // Å
  double sphere_radius = 5.0;   // Å
};

struct JumpBand {
  int jumping_atom = -1;                // 0-based atom index (atom-ID order)
  double displacement = 0.0;            // Å, |Δr| of the jumping atom between the IS
  int moved_atoms = 0;                  // atoms that take their final positions
  std::vector<double> final_positions;  // [i*3 + k], Å; unwrapped from the initial positions
};

// Positions [i*3 + k] of the same N atoms in the initial and final IS, same box.
std::vector<JumpBand> find_jump_bands(const std::vector<double>& initial_positions,
                                      const std::vector<double>& final_positions, const Box& box,
                                      const JumpSettings& settings = {});

}  // namespace glassland
