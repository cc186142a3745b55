// analysis/sample_statistics against numbers worked by hand.
#include "analysis/sample_statistics.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace ga = glassland::analysis;

TEST(SampleStatistics, MeanStandardDeviationAndMedianOfSmallSamples) {
  // {2, 4, 4, 4, 5, 5, 7, 9}: mean 5, Σ(x − 5)² = 32, sample variance 32/7.
  const std::vector<double> x = {9, 4, 2, 5, 4, 7, 4, 5};
  EXPECT_DOUBLE_EQ(ga::sample_mean(x), 5.0);
  EXPECT_DOUBLE_EQ(ga::sample_standard_deviation(x), std::sqrt(32.0 / 7.0));
  EXPECT_DOUBLE_EQ(ga::sample_median(x), 4.5);  // even size: mean of the middle two
  EXPECT_DOUBLE_EQ(ga::sample_median({3.0, -1.0, 2.0}), 2.0);
}

TEST(SampleStatistics, TooSmallSamplesGiveNaN) {
  EXPECT_TRUE(std::isnan(ga::sample_mean({})));
  EXPECT_TRUE(std::isnan(ga::sample_median({})));
  EXPECT_TRUE(std::isnan(ga::sample_standard_deviation({1.5})));
  EXPECT_DOUBLE_EQ(ga::sample_mean({1.5}), 1.5);
}
