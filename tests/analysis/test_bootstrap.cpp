// Portable random draws and bootstrap intervals (analysis/random.hpp, analysis/bootstrap.hpp):
// the engine is the standard's mt19937_64 (its 10000th output is fixed by the standard), bounded
// integers are uniform, and the bootstrap is reproducible and of the right width.
#include <gtest/gtest.h>

#include <cmath>
#include <numeric>
#include <vector>

#include "analysis/bootstrap.hpp"
#include "analysis/random.hpp"

namespace ga = glassland::analysis;

TEST(Rng, EngineIsTheStandardMersenneTwister) {
  // [rand.predef]: the 10000th consecutive invocation of a default-constructed mt19937_64
  // (seed 5489) produces 9981545732273789042 on every conforming library.
  ga::Rng rng(5489);
  std::uint64_t x = 0;
  for (int i = 0; i < 10000; ++i)
    x = rng.bits();
  EXPECT_EQ(x, 9981545732273789042ULL);
}

TEST(Rng, BoundedIntegersAreUniform) {
  // 100000 draws in 10 cells: χ² with 9 dof, P(χ² > 27.9) = 0.001.
  ga::Rng rng(1);
  std::vector<int> cells(10, 0);
  for (int i = 0; i < 100000; ++i)
    ++cells[rng.below(10)];
  double chi2 = 0.0;
  for (int c : cells)
    chi2 += (c - 10000.0) * (c - 10000.0) / 10000.0;
  EXPECT_LT(chi2, 27.9);
  // Bound 1 always gives 0; a bound not dividing 2^64 stays in range.
  EXPECT_EQ(rng.below(1), 0u);
  for (int i = 0; i < 1000; ++i)
    EXPECT_LT(rng.below(3), 3u);
  EXPECT_THROW(rng.below(0), std::invalid_argument);
}

TEST(Rng, NormalDeviatesHaveUnitVariance) {
  // Mean within 4/√n and variance within 4·√(2/n) of their true values, n = 200000.
  ga::Rng rng(3);
  const int n = 200000;
  double s = 0.0, s2 = 0.0;
  for (int i = 0; i < n; ++i) {
    const double z = rng.normal();
    s += z;
    s2 += z * z;
  }
  EXPECT_NEAR(s / n, 0.0, 4.0 / std::sqrt(n));
  EXPECT_NEAR(s2 / n, 1.0, 4.0 * std::sqrt(2.0 / n));
}

TEST(Bootstrap, ReproducibleWithSeedAndDifferentOtherwise) {
  std::vector<double> x;
  ga::Rng rng(10);
  for (int i = 0; i < 50; ++i)
    x.push_back(0.84 + 0.25 * rng.normal());
  auto mean = [](const std::vector<double>& v) {
    return std::accumulate(v.begin(), v.end(), 0.0) / v.size();
  };
  const ga::BootstrapResult a = ga::bootstrap(x, mean, 500, 0.95, 99);
  const ga::BootstrapResult b = ga::bootstrap(x, mean, 500, 0.95, 99);
  const ga::BootstrapResult c = ga::bootstrap(x, mean, 500, 0.95, 100);
  EXPECT_EQ(a.standard_error, b.standard_error);
  EXPECT_EQ(a.lower, b.lower);
  EXPECT_EQ(a.upper, b.upper);
  EXPECT_NE(a.standard_error, c.standard_error);
  EXPECT_EQ(a.estimate, mean(x));
  EXPECT_LT(a.lower, a.estimate);
  EXPECT_GT(a.upper, a.estimate);
}

TEST(Bootstrap, StandardErrorOfTheMeanIsSOverRootN) {
  // For the mean, the bootstrap SE estimates s·sqrt((n−1)/n)/√n. With B = 4000 resamples its
  // own relative error is ≈ 1/√(2B) ≈ 1.1%; 5% tolerance is > 4 of those.
  std::vector<double> x;
  ga::Rng rng(12);
  for (int i = 0; i < 200; ++i)
    x.push_back(1.35 + 0.3 * rng.normal());
  const double n = x.size();
  const double m = std::accumulate(x.begin(), x.end(), 0.0) / n;
  double ss = 0.0;
  for (double v : x)
    ss += (v - m) * (v - m);
  const double expected = std::sqrt(ss / n) / std::sqrt(n);
  auto mean = [](const std::vector<double>& v) {
    return std::accumulate(v.begin(), v.end(), 0.0) / v.size();
  };
  const ga::BootstrapResult r = ga::bootstrap(x, mean, 4000, 0.95, 7);
  EXPECT_NEAR(r.standard_error, expected, 0.05 * expected);
  // Percentile 95% interval ≈ mean ± 1.96 SE for a near-normal statistic (10% of the half-width).
  EXPECT_NEAR(r.upper - r.lower, 2.0 * 1.96 * expected, 0.1 * 2.0 * 1.96 * expected);
}

TEST(Bootstrap, QuantileInterpolatesOrderStatistics) {
  EXPECT_EQ(ga::quantile({3, 1, 2, 4}, 0.0), 1.0);
  EXPECT_EQ(ga::quantile({3, 1, 2, 4}, 1.0), 4.0);
  EXPECT_NEAR(ga::quantile({3, 1, 2, 4}, 0.5), 2.5, 1e-15);
  EXPECT_THROW(ga::bootstrap({}, [](const std::vector<double>&) { return 0.0; }),
               std::invalid_argument);
}
