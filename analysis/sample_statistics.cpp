#include "analysis/sample_statistics.hpp"

#include <cmath>
#include <numeric>

#include "analysis/bootstrap.hpp"

namespace glassland::analysis {

double sample_mean(const std::vector<double>& values) {
  if (values.empty())
    return std::nan("");
  return std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
}

double sample_standard_deviation(const std::vector<double>& values) {
  if (values.size() < 2)
    return std::nan("");
  const double mean = sample_mean(values);
  double sum = 0.0;
  for (double v : values)
    sum += (v - mean) * (v - mean);
  return std::sqrt(sum / static_cast<double>(values.size() - 1));
}

double sample_median(const std::vector<double>& values) {
  return values.empty() ? std::nan("") : quantile(values, 0.5);
}

}  // namespace glassland::analysis
