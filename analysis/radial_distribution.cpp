#include "analysis/radial_distribution.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "analysis/constants.hpp"
#include "analysis/neighbor_pairs.hpp"

namespace glassland::analysis {

RadialDistribution::RadialDistribution(int n_types, std::size_t bins, double cutoff)
    : n_types_(n_types), bins_(bins), cutoff_(cutoff) {
  if (n_types < 1 || bins < 1 || !(cutoff > 0.0))
    throw std::invalid_argument("radial distribution: needs types ≥ 1, bins ≥ 1, cutoff > 0");
  g_sum_.assign(static_cast<std::size_t>(n_types * n_types) * bins, 0.0);
  coordination_sum_ = g_sum_;
  concentration_sum_.assign(n_types, 0.0);
}

void RadialDistribution::add_frame(const PeriodicCell& cell, const std::vector<double>& positions,
                                   const std::vector<int>& types) {
  const std::size_t n = types.size();
  if (positions.size() != 3 * n)
    throw std::invalid_argument("radial distribution: one type per atom expected");
  std::vector<double> counts(n_types_, 0.0);
  for (int t : types) {
    if (t < 1 || t > n_types_)
      throw std::invalid_argument("radial distribution: type " + std::to_string(t) +
                                  " outside 1 … " + std::to_string(n_types_));
    counts[t - 1] += 1.0;
  }
  const std::size_t T = n_types_;
  std::vector<double> histogram(T * T * bins_, 0.0);
  const double inverse_width = bins_ / cutoff_;
  CellList(cell, positions, cutoff_)
      .for_each_pair([&](std::size_t i, std::size_t j, double, double, double, double r2) {
        const std::size_t bin = static_cast<std::size_t>(std::sqrt(r2) * inverse_width);
        if (bin < bins_)
          histogram[((types[i] - 1) * T + (types[j] - 1)) * bins_ + bin] += 1.0;
      });
  const double volume = cell.volume();
  const double width = cutoff_ / bins_;
  const double constant = 4.0 * kPi / (3.0 * volume);
  for (std::size_t I = 0; I < T; ++I)
    for (std::size_t J = 0; J < T; ++J) {
      const double partners = counts[J] - (I == J ? 1.0 : 0.0);
      double cumulative = 0.0;
      for (std::size_t b = 0; b < bins_; ++b) {
        const double lower = b * width, upper = (b + 1) * width;
        const double shell = constant * (upper * upper * upper - lower * lower * lower);
        const std::size_t at = (I * T + J) * bins_ + b;
        const double g = shell * partners * counts[I] != 0.0
                             ? histogram[at] / (shell * partners * counts[I])
                             : 0.0;
        cumulative += g * shell * partners;
        g_sum_[at] += g;
        coordination_sum_[at] += cumulative;
      }
    }
  density_sum_ += n / volume;
  for (std::size_t t = 0; t < T; ++t)
    concentration_sum_[t] += counts[t] / n;
  ++frames_;
}

std::vector<double> RadialDistribution::bin_centres() const {
  std::vector<double> r(bins_);
  for (std::size_t b = 0; b < bins_; ++b)
    r[b] = (b + 0.5) * cutoff_ / bins_;
  return r;
}

std::vector<double> RadialDistribution::g(int type_i, int type_j) const {
  const std::size_t at = static_cast<std::size_t>((type_i - 1) * n_types_ + (type_j - 1)) * bins_;
  std::vector<double> out(g_sum_.begin() + at, g_sum_.begin() + at + bins_);
  for (double& v : out)
    v /= frames_;
  return out;
}

std::vector<double> RadialDistribution::coordination(int type_i, int type_j) const {
  const std::size_t at = static_cast<std::size_t>((type_i - 1) * n_types_ + (type_j - 1)) * bins_;
  std::vector<double> out(coordination_sum_.begin() + at, coordination_sum_.begin() + at + bins_);
  for (double& v : out)
    v /= frames_;
  return out;
}

double RadialDistribution::number_density() const {
  return density_sum_ / frames_;
}

std::vector<double> RadialDistribution::concentrations() const {
  std::vector<double> c = concentration_sum_;
  for (double& v : c)
    v /= frames_;
  return c;
}

std::vector<double> RadialDistribution::total_g() const {
  const std::vector<double> c = concentrations();
  std::vector<double> total(bins_, 0.0);
  for (int I = 1; I <= n_types_; ++I)
    for (int J = 1; J <= n_types_; ++J) {
      const std::vector<double> gij = g(I, J);
      for (std::size_t b = 0; b < bins_; ++b)
        total[b] += c[I - 1] * c[J - 1] * gij[b];
    }
  return total;
}

std::size_t first_minimum_bin(const std::vector<double>& g) {
  if (g.empty())
    return 0;
  const std::size_t peak = std::max_element(g.begin(), g.end()) - g.begin();
  if (g[peak] <= 0.0)
    return g.size();
  const std::size_t end =
      std::min(g.size(), static_cast<std::size_t>(std::ceil(1.6 * (peak + 0.5))));
  std::size_t best = peak;
  for (std::size_t b = peak + 1; b < end; ++b)
    if (g[b] < g[best])
      best = b;
  return best;
}

}  // namespace glassland::analysis

namespace glassland::analysis {

std::vector<int> coordination_numbers(const PeriodicCell& cell,
                                      const std::vector<double>& positions,
                                      const std::vector<int>& types, int n_types,
                                      const std::vector<double>& cutoffs) {
  if (cutoffs.size() != static_cast<std::size_t>(n_types * n_types))
    throw std::invalid_argument("coordination: one cutoff per pair of types expected");
  const double longest = *std::max_element(cutoffs.begin(), cutoffs.end());
  std::vector<double> cutoff2(cutoffs.size());
  for (std::size_t k = 0; k < cutoffs.size(); ++k)
    cutoff2[k] = cutoffs[k] * cutoffs[k];
  std::vector<int> cn(types.size(), 0);
  if (!(longest > 0.0))
    return cn;
  CellList(cell, positions, longest)
      .for_each_pair([&](std::size_t i, std::size_t j, double, double, double, double r2) {
        if (r2 < cutoff2[(types[i] - 1) * n_types + (types[j] - 1)])
          ++cn[i];
      });
  return cn;
}

}  // namespace glassland::analysis
