#include "analysis/bootstrap.hpp"

#include <gsl/gsl_statistics_double.h>

#include <algorithm>
#include <stdexcept>

#include "analysis/random.hpp"

namespace glassland::analysis {

double quantile(std::vector<double> v, double q) {
  if (v.empty())
    throw std::invalid_argument("quantile of an empty sample");
  std::sort(v.begin(), v.end());
  return gsl_stats_quantile_from_sorted_data(v.data(), 1, v.size(), q);
}

BootstrapResult bootstrap(const std::vector<double>& sample, const Statistic& statistic,
                          std::size_t resamples, double confidence, std::uint64_t seed) {
  if (sample.empty())
    throw std::invalid_argument("bootstrap of an empty sample");
  if (resamples < 2)
    throw std::invalid_argument("bootstrap needs at least 2 resamples");
  if (!(confidence > 0.0 && confidence < 1.0))
    throw std::invalid_argument("bootstrap confidence must be in (0, 1)");
  BootstrapResult r;
  r.estimate = statistic(sample);
  r.confidence = confidence;
  r.resamples = resamples;
  r.seed = seed;
  Rng rng(seed);
  std::vector<double> replicate(sample.size()), values(resamples);
  for (std::size_t b = 0; b < resamples; ++b) {
    for (auto& v : replicate)
      v = sample[rng.below(sample.size())];
    values[b] = statistic(replicate);
  }
  r.standard_error = gsl_stats_sd(values.data(), 1, resamples);  // denominator B − 1
  const double alpha = 1.0 - confidence;
  r.lower = quantile(values, 0.5 * alpha);
  r.upper = quantile(values, 1.0 - 0.5 * alpha);
  return r;
}

}  // namespace glassland::analysis
