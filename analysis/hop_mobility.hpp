// Atomic mobility by the hopping indicator p_hop and the disproportionate factor D.F.(X %)
// (SPEC.md §10; paper 003: Liu & Fan, PRL 127, 215502 (2021), Fig. 4 and Eq. 2).
//
//  * p_hop (Candelier, Dauchot & Biroli, PRL 102, 088001 (2009); Smessaert & Rottler, PRE 88,
//    022314 (2013); Schoenholz et al., Nat. Phys. 12, 469 (2016), the form paper 003 cites):
//      p_hop(i, t) = sqrt( ⟨(r_i − ⟨r_i⟩_B)²⟩_A · ⟨(r_i − ⟨r_i⟩_A)²⟩_B ),
//    A = [t − t_R/2, t], B = [t, t + t_R/2], averages over the frames in each window (both hold
//    the frame at t), r_i unwrapped. An atom rattling in its cage has p_hop of the order of its
//    vibration's mean square; an atom that hops by d between two frames reaches
//    d²·(h/(h+1))^{3/2} (h frames per half window) at the hop. Computed for every frame with
//    full windows on both sides; per atom the largest value over time (the atom's strongest hop,
//    what ranks atoms into "hopping windows") and the time mean.
//  * D.F.(X %) = f(i ∈ S_X | i ∈ top X % by mobility) / O(S_X): S_X is the set of atoms involved
//    in the top X % of the local structural excitations (LSEs) ranked by a score (paper 003: the
//    tortuosity C/L of their minimum-energy paths); the numerator is the fraction of the top X %
//    most mobile atoms that lie in S_X, the denominator O = |S_X|/N the fraction of all atoms
//    that do. D.F. = 1 without correlation, and at X = 100 %. Top counts are max(1, round(X·n))
//    of n atoms or LSEs; ties keep the lower index first.
#pragma once

#include <cstddef>
#include <vector>

namespace glassland::analysis {

struct HopIndicator {
  std::size_t half_window = 0;  // h: frames in each half window beyond the frame at t
  std::size_t first_frame = 0;  // frame index of the first p_hop value (= h)
  std::size_t frames = 0;       // frames with a value (F − 2h)
  std::size_t atoms = 0;
  std::vector<double> value;               // [frame − first_frame][atom], Å²
  std::vector<double> maximum, mean;       // per atom over the frames, Å²
  std::vector<std::size_t> maximum_frame;  // frame index of the maximum
};

// `positions[f]` holds the N×3 unwrapped positions of frame f (equally spaced frames); h ≥ 1.
// Throws std::invalid_argument when the frames differ in size or are fewer than 2h + 1.
HopIndicator hop_indicator(const std::vector<std::vector<double>>& positions,
                           std::size_t half_window);

struct LocalExcitation {
  double score = 0.0;              // ranks the excitations, highest first (e.g. C/L)
  std::vector<std::size_t> atoms;  // 0-based atom indices involved
};

struct DisproportionateFactor {
  double fraction = 0.0;      // X (0 < X ≤ 1)
  std::size_t top_atoms = 0;  // the X % most mobile atoms
  std::size_t top_excitations = 0;
  std::size_t involved_atoms = 0;     // |S_X|
  std::size_t overlap = 0;            // top atoms in S_X
  double conditional_fraction = 0.0;  // overlap / top_atoms
  double occupation = 0.0;            // |S_X| / N
  double value = 0.0;                 // D.F.; NaN when S_X is empty
};

// One entry per fraction. Throws std::invalid_argument for an empty mobility list, no
// excitations, a fraction outside (0, 1] or an atom index ≥ N.
std::vector<DisproportionateFactor> disproportionate_factor(
    const std::vector<double>& mobility, const std::vector<LocalExcitation>& excitations,
    const std::vector<double>& fractions);

}  // namespace glassland::analysis
