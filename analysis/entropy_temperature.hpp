// Dynamic and structural Shannon entropy against the temperature of the inherent structures
// (SPEC.md §10; paper 004 §III.D–E, Figs. 5, 6 and 8): at each temperature the entropy
// S = −Σ p ln p of the barrier histogram (dynamic, on bins shared by every temperature) or of the
// Voronoi-index fractions (structural), the diversity e^S, their bootstrap errors, their
// temperature derivatives, and the correlation of the two entropies across temperatures.
//
// - Errors: percentile bootstrap over the sample of each temperature (bootstrap.hpp; barriers for
//   the dynamic entropy, atoms' Voronoi labels for the structural one). Atoms of one structure
//   are not independent, so the structural errors are lower bounds.
// - Bias: the plug-in entropy of n samples in K occupied bins is low by about (K − 1)/2n (Miller,
//   "Note on the bias of information estimates", in Information Theory in Psychology (1955));
//   the Miller–Madow value S + (K − 1)/2n is reported beside it, because the temperatures of one
//   study rarely have the same number of events.
// - Derivatives: finite differences over the temperatures in order, central inside
//   ((S_{i+1} − S_{i−1})/(T_{i+1} − T_{i−1})) and one-sided at the two ends, with the
//   temperatures' errors propagated as independent (paper 004 differentiated a smooth fit; the
//   points and their errors are what such a fit is made from).
// - Correlation: Pearson's r of (S_structural, S_dynamic) over the temperatures and the straight
//   line through them (regression.hpp), with a bootstrap of r that resamples every temperature's
//   barriers and labels together (the same resample index for both entropies at once).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "analysis/bootstrap.hpp"
#include "analysis/regression.hpp"
#include "analysis/shannon_entropy.hpp"

namespace glassland::analysis {

struct BootstrapSettings {
  std::size_t resamples = 1000;
  double confidence = 0.95;
  std::uint64_t seed = 20180101;
};

struct EntropyEstimate {
  std::size_t n = 0;          // samples (barriers or atoms)
  ShannonEntropy value;       // S, e^S, occupied bins/categories
  double miller_madow = 0.0;  // S + (K − 1)/2n
  BootstrapResult entropy, diversity;
};

// Dynamic entropy of a barrier sample on bins [origin + iΔ, origin + (i+1)Δ) (origin must not
// exceed the smallest barrier).
EntropyEstimate histogram_entropy(const std::vector<double>& sample, double bin_width,
                                  double origin, const BootstrapSettings& bootstrap);

// Structural entropy of category labels (Voronoi indices), one per atom.
EntropyEstimate label_entropy(const std::vector<std::string>& labels,
                              const BootstrapSettings& bootstrap);

struct DerivativePoint {
  double temperature = 0.0;  // where the difference is taken (T_i)
  double value = 0.0, error = 0.0;
};

// dy/dT at every T_i (T strictly increasing, ≥ 2 points, errors ≥ 0 of the same length).
std::vector<DerivativePoint> temperature_derivative(const std::vector<double>& temperature,
                                                    const std::vector<double>& y,
                                                    const std::vector<double>& y_error);

struct EntropyCorrelation {
  std::size_t points = 0;
  double pearson_r = 0.0;
  BootstrapResult r_bootstrap;  // estimate = pearson_r
  LinearFit line;               // S_dynamic = intercept + slope · S_structural
};

// One entry per temperature: its barriers and its atoms' labels. Needs ≥ 3 temperatures.
EntropyCorrelation correlate_entropies(const std::vector<std::vector<double>>& barriers,
                                       const std::vector<std::vector<std::string>>& labels,
                                       double bin_width, double origin,
                                       const BootstrapSettings& bootstrap);

// Pearson's correlation coefficient (GSL); NaN when either series is constant.
double pearson_correlation(const std::vector<double>& x, const std::vector<double>& y);

}  // namespace glassland::analysis
