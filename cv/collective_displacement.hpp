// Collective displacement of an event between two inherent structures (SPEC.md §5; paper 000,
// Wang et al., Acta Mater. 2018, Eq. 1): |Δr| = sqrt(Σ_i |Δr_i|²) over all atoms, Δr_i the
// minimum-image displacement of atom i from the inherent structure before the event to the one
// after, and the set of atoms that moved more than a threshold (0.5 Å in paper 000).
// Host function on plain arrays (one replica's positions, atom-ID order).
//
// Minimum image: valid while every atom moved less than half the narrowest box width between the
// two structures, which holds for the local rearrangements of a single event (a few Å). Rigid
// drift of the whole replica is not removed: both structures come from the same trajectory, whose
// total momentum is zero, and minimisation does not move the centre of mass.
#pragma once

#include <array>
#include <vector>

#include "kernels/box.hpp"

namespace glassland {

struct CollectiveDisplacement {
  double total = 0.0;            // |Δr| = sqrt(Σ_i |Δr_i|²), Å
  std::vector<double> per_atom;  // |Δr_i|, Å
  std::vector<int> moved;        // atoms with |Δr_i| > threshold, increasing index
  double largest = 0.0;          // max_i |Δr_i|, Å
};

// `before` and `after`: positions of the same N atoms (any periodic images) in `box`.
CollectiveDisplacement collective_displacement(const std::vector<std::array<double, 3>>& before,
                                               const std::vector<std::array<double, 3>>& after,
                                               const Box& box, double threshold = 0.5);

}  // namespace glassland
