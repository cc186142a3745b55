// Descriptive statistics of a sample, shared by the tasks' summaries (ART barrier spectra, NEB
// barrier sets, `glassland analyze`), from GSL (gsl_stats_mean, gsl_stats_sd). The standard
// deviation is the sample one (denominator n − 1); the median is the type-7 quantile at 0.5
// (analysis/bootstrap.hpp), i.e. the middle value, or the mean of the two middle values of an
// even-sized sample.
#pragma once

#include <vector>

namespace glassland::analysis {

// NaN for an empty sample.
double sample_mean(const std::vector<double>& values);
// NaN for fewer than two values.
double sample_standard_deviation(const std::vector<double>& values);
// NaN for an empty sample.
double sample_median(const std::vector<double>& values);

}  // namespace glassland::analysis
