// Shannon entropy and diversity (analysis/shannon_entropy.hpp; paper 004 Eqs. 2–3) on cases with
// closed forms: one bin (S = 0, D = 1), n equally filled bins (S = ln n), given fractions, and
// categorical labels (Voronoi indices).
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "analysis/shannon_entropy.hpp"

namespace ga = glassland::analysis;

TEST(ShannonEntropy, SingleBarrierHasZeroEntropyAndDiversityOne) {
  const ga::Histogram h = ga::make_histogram({0.84}, 0.05, NAN);
  const ga::ShannonEntropy s = ga::shannon_entropy(h);
  EXPECT_EQ(s.entropy, 0.0);
  EXPECT_EQ(s.diversity, 1.0);
  EXPECT_EQ(s.categories, 1u);
  // Many copies of one barrier: still one bin.
  EXPECT_EQ(
      ga::shannon_entropy(ga::make_histogram(std::vector<double>(100, 1.3), 0.1, NAN)).entropy,
      0.0);
}

TEST(ShannonEntropy, UniformHistogramsGiveLogN) {
  for (int n : {2, 5, 37, 100}) {
    for (int per_bin : {1, 3}) {
      std::vector<double> x;
      // Values at bin centres of width 0.05 starting at 0.
      for (int i = 0; i < n; ++i)
        for (int k = 0; k < per_bin; ++k)
          x.push_back(0.05 * i + 0.025);
      const ga::Histogram h = ga::make_histogram(x, 0.05, 0.0);
      ASSERT_EQ(h.counts.size(), static_cast<std::size_t>(n));
      const ga::ShannonEntropy s = ga::shannon_entropy(h);
      EXPECT_NEAR(s.entropy, std::log(n), 1e-12) << n;
      EXPECT_NEAR(s.diversity, n, 1e-9) << n;
      EXPECT_EQ(s.categories, static_cast<std::size_t>(n));
    }
  }
}

TEST(ShannonEntropy, BinWidthMattersAndIsKept) {
  // Two values 0.1 apart: one bin of width 0.5, two bins of width 0.05.
  const std::vector<double> x{1.0, 1.1};
  const ga::Histogram wide = ga::make_histogram(x, 0.5, NAN);
  const ga::Histogram narrow = ga::make_histogram(x, 0.05, NAN);
  EXPECT_EQ(wide.bin_width, 0.5);
  EXPECT_EQ(ga::shannon_entropy(wide).entropy, 0.0);
  EXPECT_NEAR(ga::shannon_entropy(narrow).entropy, std::log(2.0), 1e-15);
  // Default origin: a multiple of the bin width below the minimum.
  EXPECT_NEAR(narrow.origin, 1.0, 1e-12);
  EXPECT_EQ(wide.origin, 1.0);
}

TEST(ShannonEntropy, FractionsAndCounts) {
  // p = {1/2, 1/4, 1/4}: S = ½ ln 2 + ½ ln 4 = 1.5 ln 2.
  EXPECT_NEAR(ga::shannon_entropy(std::vector<double>{0.5, 0.25, 0.25}).entropy,
              1.5 * std::log(2.0), 1e-15);
  // The same as counts, with an empty category that must not count.
  const ga::ShannonEntropy s = ga::shannon_entropy(std::vector<double>{2, 1, 0, 1});
  EXPECT_NEAR(s.entropy, 1.5 * std::log(2.0), 1e-15);
  EXPECT_EQ(s.categories, 3u);
  EXPECT_EQ(s.total, 4.0);
  EXPECT_THROW(ga::shannon_entropy(std::vector<double>{0, 0}), std::invalid_argument);
  EXPECT_THROW(ga::shannon_entropy(std::vector<double>{1, -1}), std::invalid_argument);
}

TEST(ShannonEntropy, VoronoiIndexLabels) {
  // 4 icosahedra, 2 <0,2,8,2>, 2 <0,3,6,3>: p = {1/2, 1/4, 1/4}.
  const std::vector<std::string> labels{"<0,0,12,0>", "<0,2,8,2>", "<0,0,12,0>", "<0,3,6,3>",
                                        "<0,0,12,0>", "<0,2,8,2>", "<0,0,12,0>", "<0,3,6,3>"};
  const ga::ShannonEntropy s = ga::shannon_entropy_of_labels(labels);
  EXPECT_NEAR(s.entropy, 1.5 * std::log(2.0), 1e-15);
  EXPECT_NEAR(s.diversity, std::pow(2.0, 1.5), 1e-12);
  EXPECT_EQ(s.categories, 3u);
}

TEST(ShannonEntropy, HistogramEdgesAndErrors) {
  // A value exactly on an inner edge goes to the upper bin: [0, 0.1), [0.1, 0.2).
  const ga::Histogram h = ga::make_histogram({0.0, 0.1, 0.15}, 0.1, 0.0);
  ASSERT_EQ(h.counts.size(), 2u);
  EXPECT_EQ(h.counts[0], 1u);
  EXPECT_EQ(h.counts[1], 2u);
  EXPECT_THROW(ga::make_histogram({1.0}, 0.0, NAN), std::invalid_argument);
  EXPECT_THROW(ga::make_histogram({}, 0.1, NAN), std::invalid_argument);
  EXPECT_THROW(ga::make_histogram({1.0}, 0.1, 2.0), std::invalid_argument);  // origin above data
}
