// Bootstrap confidence intervals for any statistic of a sample (Efron & Tibshirani, An
// Introduction to the Bootstrap (1993), ch. 6 and 13; SPEC.md §6 "bootstrap confidence intervals
// wherever a statistic is reported from a sample").
//
// Resamples of the same size are drawn with replacement using Rng (random.hpp), so a seed gives
// the same resamples on every platform. Reported: the statistic of the original sample, the
// bootstrap standard error (standard deviation of the replicates, denominator B − 1) and the
// percentile interval [q_{α/2}, q_{1−α/2}] of the replicates (linear interpolation between order
// statistics, Hyndman–Fan type 7: GSL's gsl_stats_quantile_from_sorted_data).
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

namespace glassland::analysis {

struct BootstrapResult {
  double estimate = 0.0;            // statistic of the original sample
  double standard_error = 0.0;      // std of the replicates
  double lower = 0.0, upper = 0.0;  // percentile interval
  double confidence = 0.95;
  std::size_t resamples = 0;
  std::uint64_t seed = 0;
};

using Statistic = std::function<double(const std::vector<double>&)>;

// Needs a non-empty sample, resamples ≥ 2, 0 < confidence < 1.
BootstrapResult bootstrap(const std::vector<double>& sample, const Statistic& statistic,
                          std::size_t resamples = 1000, double confidence = 0.95,
                          std::uint64_t seed = 20180101);

// Quantile of a sample by linear interpolation between order statistics (type 7).
double quantile(std::vector<double> values, double q);

}  // namespace glassland::analysis
