// Single-particle displacement statistics over many time origins (SPEC.md §9; paper 002 Eqs. 1–2
// and the F_s definition of §II): mean-squared displacement, the non-Gaussian parameter α2, the
// self-intermediate scattering function F_s(q, t) and the self part of the van Hove function
// G_s(r, t), all from the same sums over (time origin, atom) pairs.
//
//   MSD(t)   = ⟨|Δr|²⟩,           Δr = r_i(t0 + t) − r_i(t0) − (R(t0 + t) − R(t0))
//   α2(t)    = d⟨|Δr|⁴⟩ / ((d + 2)⟨|Δr|²⟩²) − 1   (3/5 for d = 3 as in paper 002 Eq. 2; 1/2 for
//              the lateral d = 2 case, so that a Gaussian gives 0 in both)
//   F_s(q,t) = ⟨sin(q|Δr|)/(q|Δr|)⟩ (the exact isotropic average of e^{iq·Δr} over directions of
//              q in 3D), ⟨J0(q|Δr|)⟩ for lateral displacements (q in the x–y plane)
//   G_s(r,t) = ⟨δ(r − |Δr|)⟩ / (4πr²) (2πr in 2D), per unit volume (area)
// where R is the mass-weighted centre of mass of the whole system (its drift is removed: a
// thermostat may let it wander) and ⟨⟩ averages over atoms and over every time origin t0 that is
// a multiple of the origin stride ("buffer averaging", Allen & Tildesley, Computer Simulation of
// Liquids, 2nd ed., §8.4). A selection (surface atoms) counts a pair only when the atom is
// selected at both t0 and t0 + t (paper 002, method (c)).
//
// The sums are kept per group of atoms. Callers make a group of each (species, subset) pair,
// with atoms split into `subsets` interleaved subsets (atom index mod subsets) so that the
// spread of D over the subsets gives its standard error (dynamics_results.hpp).
#pragma once

#include <cstddef>
#include <deque>
#include <vector>

namespace glassland::analysis {

// sin(q r)/(q r) for d = 3, J0(q r) for d = 2: the direction average of cos(q·Δr) for |Δr| = r.
// The 3D form is written out so that device code can repeat it operation for operation
// (kernels/displacement_correlation.hpp).
double isotropic_scattering(double q, double r, int dimensions);

struct DisplacementSettings {
  std::size_t max_lag = 0;                 // longest lag in frames; 0: every lag the frames allow
  std::size_t origin_stride = 1;           // frames between time origins
  int dimensions = 3;                      // 3, or 2 for lateral (x–y) displacements
  bool remove_drift = true;                // subtract the centre of mass's displacement
  std::vector<double> q;                   // wave numbers of F_s, Å⁻¹
  std::vector<std::size_t> van_hove_lags;  // lags (frames) at which G_s(r, t) is histogrammed
  double van_hove_bin = 0.05;              // Å
  double van_hove_max = 10.0;              // Å (larger displacements are counted as beyond)
};

// Sums over (origin, atom) pairs, per lag (0 … lags−1) and per group.
struct DisplacementSums {
  std::size_t n_groups = 0;
  std::size_t n_q = 0;
  std::vector<double> count;  // [lag·n_groups + group]
  std::vector<double> r2;     // Σ|Δr|², same layout
  std::vector<double> r4;     // Σ|Δr|⁴
  std::vector<double> fs;     // Σ kernel(q_k, |Δr|): [(lag·n_q + k)·n_groups + group]
  // van_hove[v][group·bins + bin]: counts of |Δr| in [bin·width, (bin+1)·width) at the v-th lag
  // of DisplacementSettings::van_hove_lags; van_hove_beyond[v][group] those ≥ van_hove_max.
  std::vector<std::vector<double>> van_hove;
  std::vector<std::vector<double>> van_hove_beyond;

  std::size_t lags() const { return n_groups == 0 ? 0 : count.size() / n_groups; }
  void resize_lags(std::size_t lags);  // grows (zeros) or shrinks every per-lag array
};

// Streams frames of unwrapped positions and accumulates DisplacementSums. Memory: the origin
// frames within max_lag of the newest frame (all of them when max_lag is 0).
class DisplacementCorrelator {
 public:
  // group_of_atom[i] in [0, n_groups); masses[i] > 0 weight the centre of mass.
  DisplacementCorrelator(const DisplacementSettings& settings, std::vector<int> group_of_atom,
                         std::size_t n_groups, std::vector<double> masses);

  // positions: N×3 unwrapped, Å. selected: one flag per atom (nullptr: every atom).
  void add_frame(const std::vector<double>& positions,
                 const std::vector<unsigned char>* selected = nullptr);

  std::size_t frames() const { return frames_; }
  const DisplacementSums& sums() const { return sums_; }
  const DisplacementSettings& settings() const { return settings_; }

 private:
  struct Origin {
    std::size_t frame = 0;
    std::vector<double> positions;  // drift-removed, in group order
    std::vector<unsigned char> selected;
  };
  void accumulate(const Origin& origin, const Origin& now, std::size_t lag);

  DisplacementSettings settings_;
  std::size_t n_atoms_ = 0;
  std::vector<std::size_t> order_;        // atoms in group order: order_[k] = atom index
  std::vector<std::size_t> group_begin_;  // group g holds order_[group_begin_[g] … [g+1])
  std::vector<double> masses_;
  std::deque<Origin> origins_;
  std::size_t frames_ = 0;
  DisplacementSums sums_;
};

// Group of each atom: species[i]·subsets + (i mod subsets), species 0-based.
std::vector<int> species_subset_groups(const std::vector<int>& species, std::size_t subsets);

}  // namespace glassland::analysis
