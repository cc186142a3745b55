// Entropy against temperature (analysis/entropy_temperature.hpp): closed forms of the histogram
// and label entropies and their Miller–Madow values, finite-difference derivatives of known
// functions with their propagated errors, a planted exact anticorrelation of dynamic and
// structural entropy (r = −1, slope −1), and bootstrap errors that match the spread of the
// entropy over independent samples.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "analysis/entropy_temperature.hpp"
#include "analysis/random.hpp"
#include "analysis/sample_statistics.hpp"

namespace ga = glassland::analysis;

namespace {

// `per_bin` barriers at the centre of each of `bins` bins of width 0.1 eV from 0.
std::vector<double> uniform_barriers(int bins, int per_bin) {
  std::vector<double> v;
  for (int b = 0; b < bins; ++b)
    for (int k = 0; k < per_bin; ++k)
      v.push_back(0.1 * b + 0.05);
  return v;
}

std::vector<std::string> uniform_labels(int categories, int per_category) {
  std::vector<std::string> v;
  for (int c = 0; c < categories; ++c)
    for (int k = 0; k < per_category; ++k)
      v.push_back("<0," + std::to_string(c) + ",8,2>");
  return v;
}

ga::BootstrapSettings settings(std::size_t resamples) {
  ga::BootstrapSettings b;
  b.resamples = resamples;
  return b;
}

}  // namespace

TEST(EntropyTemperature, HistogramEntropyClosedForm) {
  const ga::EntropyEstimate e =
      ga::histogram_entropy(uniform_barriers(12, 10), 0.1, 0.0, settings(200));
  EXPECT_NEAR(e.value.entropy, std::log(12.0), 1e-12);
  EXPECT_NEAR(e.value.diversity, 12.0, 1e-10);
  EXPECT_EQ(e.value.categories, 12u);
  EXPECT_EQ(e.n, 120u);
  EXPECT_NEAR(e.miller_madow, std::log(12.0) + 11.0 / 240.0, 1e-12);
  EXPECT_DOUBLE_EQ(e.entropy.estimate, e.value.entropy);
  EXPECT_GT(e.entropy.standard_error, 0.0);
  // The bootstrap percentile interval of a plug-in entropy lies below the maximum ln 12.
  EXPECT_LE(e.entropy.upper, std::log(12.0) + 1e-12);
  EXPECT_THROW(ga::histogram_entropy({0.1}, 0.1, NAN, settings(10)), std::invalid_argument);
}

TEST(EntropyTemperature, LabelEntropyClosedForm) {
  // Fractions 1/2, 1/4, 1/4: S = (3/2) ln 2.
  const std::vector<std::string> labels = {"<0,0,12,0>", "<0,0,12,0>", "<0,2,8,2>", "<0,3,6,3>"};
  const ga::EntropyEstimate e = ga::label_entropy(labels, settings(50));
  EXPECT_NEAR(e.value.entropy, 1.5 * std::log(2.0), 1e-12);
  EXPECT_EQ(e.value.categories, 3u);
  EXPECT_NEAR(e.miller_madow, 1.5 * std::log(2.0) + 2.0 / 8.0, 1e-12);
  EXPECT_NEAR(e.diversity.estimate, std::exp(1.5 * std::log(2.0)), 1e-12);
}

TEST(EntropyTemperature, DerivativesOfKnownFunctions) {
  // y = T²: central differences on an even grid are exact (2T); the ends are one-sided,
  // (T1² − T0²)/(T1 − T0) = T0 + T1.
  const std::vector<double> t = {100, 200, 300, 400};
  const std::vector<double> y = {1e4, 4e4, 9e4, 16e4};
  const auto d = ga::temperature_derivative(t, y, {1, 1, 1, 1});
  ASSERT_EQ(d.size(), 4u);
  EXPECT_DOUBLE_EQ(d[0].value, 300.0);
  EXPECT_DOUBLE_EQ(d[1].value, 400.0);
  EXPECT_DOUBLE_EQ(d[2].value, 600.0);
  EXPECT_DOUBLE_EQ(d[3].value, 700.0);
  EXPECT_DOUBLE_EQ(d[1].temperature, 200.0);
  EXPECT_NEAR(d[0].error, std::sqrt(2.0) / 100.0, 1e-15);
  EXPECT_NEAR(d[1].error, std::sqrt(2.0) / 200.0, 1e-15);
  EXPECT_THROW(ga::temperature_derivative({1, 1}, {1, 2}, {0, 0}), std::invalid_argument);
  EXPECT_THROW(ga::temperature_derivative({1}, {1}, {0}), std::invalid_argument);
}

TEST(EntropyTemperature, PlantedAnticorrelationIsRecovered) {
  // Temperatures with M = 1, 2, 3, 4 Voronoi categories and K = 24/M barrier bins, all equally
  // filled: S_dyn = ln 24 − S_struct exactly.
  std::vector<std::vector<double>> barriers;
  std::vector<std::vector<std::string>> labels;
  for (int m : {1, 2, 3, 4}) {
    barriers.push_back(uniform_barriers(24 / m, 60));
    labels.push_back(uniform_labels(m, 300));
  }
  const ga::EntropyCorrelation c =
      ga::correlate_entropies(barriers, labels, 0.1, 0.0, settings(300));
  EXPECT_EQ(c.points, 4u);
  EXPECT_NEAR(c.pearson_r, -1.0, 1e-12);
  EXPECT_NEAR(c.line.slope, -1.0, 1e-12);
  EXPECT_NEAR(c.line.intercept, std::log(24.0), 1e-12);
  // Resampling moves each entropy by a few 1e-2 against a range of ln 4 = 1.4, so r stays
  // within a few 1e-3 of −1.
  EXPECT_LT(c.r_bootstrap.upper, -0.99);
  EXPECT_GT(c.r_bootstrap.standard_error, 0.0);
  EXPECT_EQ(c.r_bootstrap.resamples, 300u);
  EXPECT_THROW(ga::correlate_entropies({barriers[0], barriers[1]}, {labels[0], labels[1]}, 0.1, 0.0,
                                       settings(10)),
               std::invalid_argument);
}

TEST(EntropyTemperature, BootstrapErrorMatchesTheSpreadOverSamples) {
  // 200 independent samples of 300 exponential barriers (mean 0.5 eV), 0.1 eV bins: the standard
  // deviation of S over the samples against the mean bootstrap error (200 resamples each). The
  // sample SD of 200 values has a relative standard error of 1/sqrt(2·199) = 5%, the mean of the
  // bootstrap errors less; [0.8, 1.25] is about ±4σ of the first.
  ga::Rng rng(20240601);
  std::vector<double> entropies, errors;
  for (int s = 0; s < 200; ++s) {
    std::vector<double> sample;
    for (int i = 0; i < 300; ++i)
      sample.push_back(-0.5 * std::log(rng.uniform_open_zero()));
    ga::BootstrapSettings b = settings(200);
    b.seed = 1000 + s;
    const ga::EntropyEstimate e = ga::histogram_entropy(sample, 0.1, 0.0, b);
    entropies.push_back(e.value.entropy);
    errors.push_back(e.entropy.standard_error);
  }
  const double ratio = ga::sample_standard_deviation(entropies) / ga::sample_mean(errors);
  EXPECT_GT(ratio, 0.8);
  EXPECT_LT(ratio, 1.25);
}
