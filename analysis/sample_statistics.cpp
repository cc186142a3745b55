#include "analysis/sample_statistics.hpp"

#include <gsl/gsl_statistics_double.h>

#include <cmath>

#include "analysis/bootstrap.hpp"

namespace glassland::analysis {

double sample_mean(const std::vector<double>& values) {
  if (values.empty())
    return std::nan("");
  return gsl_stats_mean(values.data(), 1, values.size());
}

double sample_standard_deviation(const std::vector<double>& values) {
  if (values.size() < 2)
    return std::nan("");
  return gsl_stats_sd(values.data(), 1, values.size());  // denominator n − 1
}

double sample_median(const std::vector<double>& values) {
  return values.empty() ? std::nan("") : quantile(values, 0.5);
}

}  // namespace glassland::analysis
