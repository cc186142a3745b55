#include "analysis/bootstrap.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "analysis/random.hpp"

namespace glassland::analysis {

double quantile(std::vector<double> v, double q) {
  if (v.empty())
    throw std::invalid_argument("quantile of an empty sample");
  std::sort(v.begin(), v.end());
  const double h = q * (v.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (h - lo) * (v[hi] - v[lo]);
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
  double mean = 0.0;
  for (double v : values)
    mean += v / resamples;
  double ss = 0.0;
  for (double v : values)
    ss += (v - mean) * (v - mean);
  r.standard_error = std::sqrt(ss / (resamples - 1));
  const double alpha = 1.0 - confidence;
  r.lower = quantile(values, 0.5 * alpha);
  r.upper = quantile(values, 1.0 - 0.5 * alpha);
  return r;
}

}  // namespace glassland::analysis
