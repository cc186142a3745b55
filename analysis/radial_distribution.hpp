// Partial radial distribution functions normalised as LAMMPS `compute rdf` normalises them
// (LAMMPS src/compute_rdf.cpp; https://docs.lammps.org/compute_rdf.html), coordination numbers to
// the first minimum, and their average over frames (SPEC.md §9, issue 20 item 6).
//
// For types I and J, bins of width δr = cutoff/bins: with H_IJ(b) the number of ordered pairs
// (i of type I, j of type J, every periodic image, j ≠ i) with b ≤ r/δr < b + 1,
//   g_IJ(b) = H_IJ(b) / (N_I (N_J − δ_IJ) · (4π/3)(r_{b+1}³ − r_b³) / V),
// the ideal-gas shell count with N_J − δ_IJ partners (an atom is not its own partner). Bin centres
// are (b + ½)δr. The cumulative coordination n_IJ(r) = Σ_{b' ≤ b} g_IJ(b')·shell(b')·(N_J − δ_IJ)/V
// is LAMMPS's second column. Frames are averaged as `fix ave/time` averages the compute: the mean
// of g over frames.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "analysis/periodic_cell.hpp"

namespace glassland::analysis {

class RadialDistribution {
 public:
  // n_types ≥ 1 (types are 1 … n_types); bins ≥ 1; cutoff > 0 (Å).
  RadialDistribution(int n_types, std::size_t bins, double cutoff);

  // Adds one frame: positions N×3, types 1-based.
  void add_frame(const PeriodicCell& cell, const std::vector<double>& positions,
                 const std::vector<int>& types);

  std::size_t frames() const { return frames_; }
  std::size_t bins() const { return bins_; }
  double cutoff() const { return cutoff_; }
  std::vector<double> bin_centres() const;
  // Frame-averaged g_IJ and cumulative coordination n_IJ (types 1-based).
  std::vector<double> g(int type_i, int type_j) const;
  std::vector<double> coordination(int type_i, int type_j) const;
  // Σ_IJ c_I c_J g_IJ: the number-weighted total g(r) (concentrations of the frames' mean).
  std::vector<double> total_g() const;
  // Mean number density N/V over the frames, Å⁻³, and the concentration of each type.
  double number_density() const;
  std::vector<double> concentrations() const;

 private:
  int n_types_;
  std::size_t bins_;
  double cutoff_;
  std::size_t frames_ = 0;
  std::vector<double> g_sum_,
      coordination_sum_;  // [(I−1)·n_types + (J−1)][bin], summed over frames
  double density_sum_ = 0.0;
  std::vector<double> concentration_sum_;
};

// The first minimum of g after its first peak: the lowest g between the highest peak r_p and
// 1.6 r_p (before the second shell of a metallic liquid, glass, fcc or bcc crystal), its first bin
// when g is flat there. Returns the bin index, or bins when g is zero everywhere.
std::size_t first_minimum_bin(const std::vector<double>& g);

}  // namespace glassland::analysis

namespace glassland::analysis {

// Neighbours of each atom closer than cutoffs[(I−1)·n_types + (J−1)] (Å) for an atom of type I
// and a neighbour of type J (every periodic image counts).
std::vector<int> coordination_numbers(const PeriodicCell& cell,
                                      const std::vector<double>& positions,
                                      const std::vector<int>& types, int n_types,
                                      const std::vector<double>& cutoffs);

}  // namespace glassland::analysis
