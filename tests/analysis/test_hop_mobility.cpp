// p_hop and D.F.(X %) (analysis/hop_mobility.hpp; paper 003 Eq. 2) on synthetic trajectories with
// planted mobile atoms: closed forms for step hops, brute force for random motion.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "analysis/hop_mobility.hpp"

namespace glassland::analysis {
namespace {

// p_hop at frame f straight from the definition (window means recomputed for every frame).
double brute_force_p_hop(const std::vector<std::vector<double>>& x, std::size_t atom, std::size_t f,
                         std::size_t h) {
  auto mean = [&](std::size_t a, std::size_t b, double m[3]) {
    for (int k = 0; k < 3; ++k) {
      m[k] = 0.0;
      for (std::size_t g = a; g <= b; ++g)
        m[k] += x[g][3 * atom + k] / static_cast<double>(b - a + 1);
    }
  };
  auto spread = [&](std::size_t a, std::size_t b, const double c[3]) {
    double s = 0.0;
    for (std::size_t g = a; g <= b; ++g)
      for (int k = 0; k < 3; ++k)
        s += std::pow(x[g][3 * atom + k] - c[k], 2) / static_cast<double>(b - a + 1);
    return s;
  };
  double ma[3], mb[3];
  mean(f - h, f, ma);
  mean(f, f + h, mb);
  return std::sqrt(spread(f - h, f, mb) * spread(f, f + h, ma));
}

TEST(HopIndicator, AStepHopOfLengthDGivesDSquaredTimesTheWindowFactor) {
  const std::size_t n_atoms = 6, n_frames = 41, h = 5;
  const double d = 2.7;  // Å, a hop of the size of a nearest-neighbour distance
  std::vector<std::vector<double>> x(n_frames, std::vector<double>(3 * n_atoms));
  for (std::size_t f = 0; f < n_frames; ++f)
    for (std::size_t i = 0; i < n_atoms; ++i) {
      x[f][3 * i + 0] = 10.0 * i + 0.3;  // resting atoms, away from the origin
      x[f][3 * i + 1] = -4.0;
      x[f][3 * i + 2] = 25.0;
    }
  // Atom 2 hops along x between frames 20 and 21; atom 4 along (1, 1, 1)/√3 between 9 and 10.
  for (std::size_t f = 21; f < n_frames; ++f)
    x[f][3 * 2] += d;
  for (std::size_t f = 10; f < n_frames; ++f)
    for (int k = 0; k < 3; ++k)
      x[f][3 * 4 + k] += d / std::sqrt(3.0);
  const HopIndicator p = hop_indicator(x, h);
  EXPECT_EQ(p.first_frame, h);
  EXPECT_EQ(p.frames, n_frames - 2 * h);
  const double peak = d * d * std::pow(h / (h + 1.0), 1.5);
  EXPECT_NEAR(p.maximum[2], peak, 1e-10);
  EXPECT_NEAR(p.maximum[4], peak, 1e-10);
  EXPECT_TRUE(p.maximum_frame[2] == 20 || p.maximum_frame[2] == 21);
  EXPECT_TRUE(p.maximum_frame[4] == 9 || p.maximum_frame[4] == 10);
  for (std::size_t i : {0, 1, 3, 5})
    EXPECT_NEAR(p.maximum[i], 0.0, 1e-12) << i;
  // Away from the hop (no window spans it) p_hop of the hopper is zero.
  EXPECT_NEAR(p.value[(30 - h) * n_atoms + 2], 0.0, 1e-12);
}

TEST(HopIndicator, EqualsTheDefinitionOnRandomWalks) {
  std::mt19937_64 rng(3);
  std::normal_distribution<double> step(0.0, 0.2);
  const std::size_t n_atoms = 4, n_frames = 30, h = 4;
  std::vector<std::vector<double>> x(n_frames, std::vector<double>(3 * n_atoms, 50.0));
  for (std::size_t f = 1; f < n_frames; ++f)
    for (std::size_t c = 0; c < 3 * n_atoms; ++c)
      x[f][c] = x[f - 1][c] + step(rng);
  const HopIndicator p = hop_indicator(x, h);
  for (std::size_t i = 0; i < n_atoms; ++i) {
    double mean = 0.0;
    for (std::size_t t = 0; t < p.frames; ++t) {
      const double expected = brute_force_p_hop(x, i, t + h, h);
      EXPECT_NEAR(p.value[t * n_atoms + i], expected, 1e-10 * (1.0 + expected));
      mean += expected / p.frames;
    }
    EXPECT_NEAR(p.mean[i], mean, 1e-10 * (1.0 + mean));
  }
  EXPECT_THROW(hop_indicator(std::vector<std::vector<double>>(8, x[0]), h), std::invalid_argument);
}

TEST(DisproportionateFactor, PlantedMobileAtomsInTheMostTortuousExcitations) {
  // 100 atoms; atoms 0–4 are the planted hoppers (the top 5 %). 20 excitations: the most
  // tortuous one (score 5) involves hoppers 0, 1, 2 and two quiet atoms 60, 61; the next (score 4)
  // hopper 3 and quiet 70–73; the others involve quiet atoms only.
  std::vector<double> mobility(100, 0.01);
  for (int i = 0; i < 5; ++i)
    mobility[i] = 7.0 - i;
  std::vector<LocalExcitation> lse;
  lse.push_back({5.0, {0, 1, 2, 60, 61}});
  lse.push_back({4.0, {3, 70, 71, 72, 73}});
  for (int e = 0; e < 18; ++e)
    lse.push_back({1.0 + 0.01 * e, {static_cast<std::size_t>(20 + e), 90}});
  const auto df = disproportionate_factor(mobility, lse, {0.05, 0.1, 1.0});
  // X = 5 %: top 5 atoms {0..4}; top 1 excitation → S = {0, 1, 2, 60, 61}; overlap 3.
  EXPECT_EQ(df[0].top_atoms, 5u);
  EXPECT_EQ(df[0].top_excitations, 1u);
  EXPECT_EQ(df[0].involved_atoms, 5u);
  EXPECT_EQ(df[0].overlap, 3u);
  EXPECT_DOUBLE_EQ(df[0].value, (3.0 / 5.0) / (5.0 / 100.0));  // 12
  // X = 10 %: top 10 atoms {0..4} + five quiet atoms of equal mobility, the lowest indices
  // {5..9}; top 2 excitations → S = {0, 1, 2, 3, 60, 61, 70..73}; overlap 4.
  EXPECT_EQ(df[1].involved_atoms, 10u);
  EXPECT_EQ(df[1].overlap, 4u);
  EXPECT_DOUBLE_EQ(df[1].value, (4.0 / 10.0) / (10.0 / 100.0));  // 4
  // X = 100 %: every atom and every excitation: D.F. = 1 by construction.
  EXPECT_DOUBLE_EQ(df[2].value, 1.0);
  EXPECT_THROW(disproportionate_factor(mobility, lse, {0.0}), std::invalid_argument);
  EXPECT_THROW(disproportionate_factor(mobility, {{1.0, {100}}}, {0.5}), std::invalid_argument);
}

TEST(DisproportionateFactor, UncorrelatedMobilityGivesOneOnAverage) {
  // Mobility and excitations drawn independently: D.F.(10 %) averages to 1 (paper 003: "D.F.
  // would be 1 when there is no correlation"). Each draw: 100 top atoms, |S| ≈ 40 of 1000, so
  // the overlap is ≈ 4 ± 2 and D.F. ≈ 1 ± 0.5; the mean of 300 draws is 1 ± 0.03, and ±0.12 is a
  // 4σ band.
  std::mt19937_64 rng(42);
  std::uniform_real_distribution<double> uniform;
  std::uniform_int_distribution<std::size_t> atom(0, 999);
  double sum = 0.0;
  const int draws = 300;
  for (int k = 0; k < draws; ++k) {
    std::vector<double> mobility(1000);
    for (double& m : mobility)
      m = uniform(rng);
    std::vector<LocalExcitation> lse(50);
    for (auto& e : lse) {
      e.score = uniform(rng);
      for (int a = 0; a < 8; ++a)
        e.atoms.push_back(atom(rng));
    }
    sum += disproportionate_factor(mobility, lse, {0.1})[0].value;
  }
  EXPECT_NEAR(sum / draws, 1.0, 0.12);
}

}  // namespace
}  // namespace glassland::analysis
