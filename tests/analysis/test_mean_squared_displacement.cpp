// Displacement statistics (analysis/mean_squared_displacement.hpp, dynamics_observables.hpp)
// against an independent brute-force loop over every (origin, lag, atom) and against the closed
// forms of Brownian motion: MSD = 2dDt, α2 = 0, F_s = exp(−q²Dt).
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "analysis/dynamics_observables.hpp"
#include "analysis/mean_squared_displacement.hpp"

namespace glassland::analysis {
namespace {

// Random walks with a common drift, two species of different masses.
struct Walks {
  std::vector<std::vector<double>> frames;  // [frame][3N]
  std::vector<int> species;
  std::vector<double> masses;
};
Walks make_walks(std::size_t n, std::size_t frames, double step, unsigned seed) {
  std::mt19937_64 engine(seed);
  std::normal_distribution<double> normal(0.0, step);
  Walks w;
  for (std::size_t i = 0; i < n; ++i) {
    w.species.push_back(i % 3 == 0 ? 1 : 0);
    w.masses.push_back(w.species.back() ? 91.224 : 63.546);
  }
  std::vector<double> x(3 * n);
  for (double& v : x)
    v = 20.0 * normal(engine);
  for (std::size_t f = 0; f < frames; ++f) {
    for (std::size_t k = 0; k < x.size(); ++k)
      x[k] += normal(engine) + (k % 3 == 0 ? 0.3 : 0.0);  // drift along x
    w.frames.push_back(x);
  }
  return w;
}

TEST(DisplacementCorrelator, EqualsBruteForceOverEveryOriginWithDriftRemoved) {
  const std::size_t n = 37, frames = 23, stride = 3, max_lag = 15;
  const Walks w = make_walks(n, frames, 0.4, 7);
  DisplacementSettings s;
  s.origin_stride = stride;
  s.max_lag = max_lag;
  s.q = {2.7, 1.1};
  DisplacementCorrelator c(s, w.species, 2, w.masses);
  for (const auto& f : w.frames)
    c.add_frame(f);
  const DisplacementSums& sums = c.sums();
  ASSERT_EQ(sums.lags(), max_lag + 1);
  // Brute force: centre of mass per frame, then every origin t0 = 0, 3, 6, … and lag ≤ 15.
  std::vector<std::array<double, 3>> com(frames);
  double total_mass = 0;
  for (double m : w.masses)
    total_mass += m;
  for (std::size_t f = 0; f < frames; ++f)
    for (std::size_t i = 0; i < n; ++i)
      for (int k = 0; k < 3; ++k)
        com[f][k] += w.masses[i] * w.frames[f][3 * i + k] / total_mass;
  for (int species = 0; species < 2; ++species)
    for (std::size_t lag = 0; lag <= max_lag; ++lag) {
      double count = 0, r2 = 0, r4 = 0, fs0 = 0, fs1 = 0;
      for (std::size_t t0 = 0; t0 + lag < frames; t0 += stride)
        for (std::size_t i = 0; i < n; ++i) {
          if (w.species[i] != species)
            continue;
          double d2 = 0;
          for (int k = 0; k < 3; ++k) {
            const double d = (w.frames[t0 + lag][3 * i + k] - com[t0 + lag][k]) -
                             (w.frames[t0][3 * i + k] - com[t0][k]);
            d2 += d * d;
          }
          const double r = std::sqrt(d2);
          count += 1;
          r2 += d2;
          r4 += d2 * d2;
          fs0 += r > 0 ? std::sin(2.7 * r) / (2.7 * r) : 1.0;
          fs1 += r > 0 ? std::sin(1.1 * r) / (1.1 * r) : 1.0;
        }
      const std::size_t at = lag * 2 + species;
      EXPECT_EQ(sums.count[at], count) << lag;
      EXPECT_NEAR(sums.r2[at], r2, 1e-10 * (1 + r2)) << lag;
      EXPECT_NEAR(sums.r4[at], r4, 1e-10 * (1 + r4)) << lag;
      EXPECT_NEAR(sums.fs[(lag * 2 + 0) * 2 + species], fs0, 1e-10 * count) << lag;
      EXPECT_NEAR(sums.fs[(lag * 2 + 1) * 2 + species], fs1, 1e-10 * count) << lag;
    }
}

TEST(DisplacementCorrelator, SelectionCountsAtomsSelectedAtBothEnds) {
  const Walks w = make_walks(10, 6, 0.5, 3);
  DisplacementSettings s;
  s.remove_drift = false;
  s.dimensions = 2;
  DisplacementCorrelator c(s, std::vector<int>(10, 0), 1, std::vector<double>(10, 1.0));
  std::vector<std::vector<unsigned char>> selected;
  for (std::size_t f = 0; f < 6; ++f) {
    std::vector<unsigned char> flags(10);
    for (std::size_t i = 0; i < 10; ++i)
      flags[i] = (i + f) % 3 != 0;
    selected.push_back(flags);
    c.add_frame(w.frames[f], &flags);
  }
  for (std::size_t lag = 0; lag < 6; ++lag) {
    double count = 0, r2 = 0;
    for (std::size_t t0 = 0; t0 + lag < 6; ++t0)
      for (std::size_t i = 0; i < 10; ++i)
        if (selected[t0][i] && selected[t0 + lag][i]) {
          const double dx = w.frames[t0 + lag][3 * i] - w.frames[t0][3 * i];
          const double dy = w.frames[t0 + lag][3 * i + 1] - w.frames[t0][3 * i + 1];
          count += 1;
          r2 += dx * dx + dy * dy;  // lateral: no z
        }
    EXPECT_EQ(c.sums().count[lag], count);
    EXPECT_NEAR(c.sums().r2[lag], r2, 1e-10 * (1 + r2));
  }
}

// Brownian particles: Δr over t is Gaussian with variance 2Dt per axis, so MSD = 6Dt, α2 = 0 and
// F_s(q,t) = exp(−q²Dt). 4000 particles × 200 origins: the relative spread of the MSD at lag t is
// about sqrt(2/3 / (N·origins/ (lag-correlation))) < 1 %; tolerances below are ≥ 5 standard errors.
TEST(DynamicsObservables, BrownianParticlesFollowTheClosedForms) {
  const std::size_t n = 4000, frames = 400;
  const double D = 0.05, dt = 0.1;  // Å²/ps, ps
  std::mt19937_64 engine(11);
  std::normal_distribution<double> normal(0.0, std::sqrt(2.0 * D * dt));
  std::vector<double> x(3 * n, 0.0);
  std::vector<int> species(n);
  for (std::size_t i = 0; i < n; ++i)
    species[i] = i % 2;
  DisplacementSettings s;
  s.q = {2.7};
  s.max_lag = 100;
  s.remove_drift = false;
  const std::size_t subsets = 8;
  DisplacementCorrelator c(s, species_subset_groups(species, subsets), 2 * subsets,
                           std::vector<double>(n, 1.0));
  for (std::size_t f = 0; f < frames; ++f) {
    if (f > 0)
      for (double& v : x)
        v += normal(engine);
    c.add_frame(x);
  }
  const DisplacementCurves curves =
      displacement_curves(c.sums(), groups_of(2, subsets, -1, -1), 3, s.van_hove_bin);
  std::vector<double> lag_ps;
  for (std::size_t k = 0; k <= 100; ++k)
    lag_ps.push_back(k * dt);
  for (std::size_t lag : {10, 50, 100}) {
    const double t = lag * dt;
    EXPECT_NEAR(curves.msd[lag] / (6 * D * t), 1.0, 0.03) << lag;
    EXPECT_NEAR(curves.alpha2[lag], 0.0, 0.03) << lag;
    EXPECT_NEAR(curves.fs[0][lag], std::exp(-2.7 * 2.7 * D * t), 0.01) << lag;
  }
  std::vector<std::vector<double>> subset_msd;
  for (std::size_t k = 0; k < subsets; ++k)
    subset_msd.push_back(
        displacement_curves(c.sums(), groups_of(2, subsets, -1, static_cast<int>(k)), 3, 0.05).msd);
  const DiffusionFit fit = fit_diffusion(lag_ps, curves.msd, subset_msd, 3, 2.0, 10.0);
  const double d_si = D * kSquareMetrePerSecond_per_SquareAngstromPerPs;
  EXPECT_GT(fit.stderr_m2_per_s, 0.0);
  EXPECT_LT(fit.stderr_m2_per_s, 0.05 * d_si);
  EXPECT_NEAR(fit.value_m2_per_s, d_si, 5 * fit.stderr_m2_per_s);
  EXPECT_TRUE(fit.note.empty()) << fit.note;
  // τ_α where exp(−q²Dt) = 1/e: t = 1/(q²D) = 2.74 ps.
  EXPECT_NEAR(first_crossing_time(lag_ps, curves.fs[0], std::exp(-1.0)), 1.0 / (2.7 * 2.7 * D),
              0.05);
  // A Brownian MSD is a straight line: no plateau, no inflection.
  EXPECT_FALSE(debye_waller_factor(lag_ps, curves.msd).found);
}

TEST(DynamicsObservables, DebyeWallerFactorIsThePlateauOfACagedMotion) {
  // MSD(t) = u²(1 − e^{−t/τ}) + 6Dt with a long plateau at u² = 0.2 Å² before diffusion.
  std::vector<double> t, msd;
  for (std::size_t k = 0; k < 4000; ++k) {
    t.push_back(0.01 * k);
    msd.push_back(0.2 * (1 - std::exp(-t.back() / 0.05)) + 6 * 1e-3 * t.back());
  }
  const DebyeWaller dw = debye_waller_factor(t, msd);
  ASSERT_TRUE(dw.found) << dw.note;
  EXPECT_NEAR(dw.u2_A2, 0.2, 0.05);
}

}  // namespace
}  // namespace glassland::analysis
