// T_g from a cooling record (analysis/glass_transition.hpp): a piecewise-linear V(T) gives T_g
// and both branch slopes exactly; with white noise the reported error matches the spread over
// seeds; with time-correlated (AR(1)) noise the plain least-squares error is far too small and
// the Santer et al. correction restores it; block means and the lag-1 autocorrelation have their
// closed forms.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <vector>

#include "analysis/glass_transition.hpp"
#include "analysis/random.hpp"

namespace ga = glassland::analysis;

namespace {

// A cooling record from 1400 K to 300 K in `n` equal steps (record order = time order) of the
// two-branch line through (T_g, v_g) with the given slopes, plus noise.
struct Record {
  std::vector<double> t, y;
};

Record cooling_record(int n, double tg, double vg, double glass, double liquid) {
  Record r;
  for (int i = 0; i < n; ++i) {
    const double t = 1400.0 - 1100.0 * i / (n - 1.0);
    r.t.push_back(t);
    r.y.push_back(vg + (t < tg ? glass : liquid) * (t - tg));
  }
  return r;
}

// RMS of (estimate − truth)/error over seeds with white (rho = 0) or AR(1) noise of stationary
// standard deviation sigma; `corrected` picks the autocorrelation-corrected error.
double rms_pull(double rho, double sigma, int seeds, bool corrected, double* mean_inflation) {
  double sum = 0.0, inflation = 0.0;
  for (int s = 0; s < seeds; ++s) {
    Record r = cooling_record(200, 700.0, 16.8, 6.0e-4, 1.4e-3);
    ga::Rng rng(1000 + s);
    double e = sigma * rng.normal();
    for (double& y : r.y) {
      y += e;
      e = rho * e + sigma * std::sqrt(1.0 - rho * rho) * rng.normal();
    }
    const ga::GlassTransitionFit f = ga::fit_glass_transition(r.t, r.y);
    const double error = corrected ? f.tg_error : f.tg_error_uncorrected;
    sum += std::pow((f.tg - 700.0) / error, 2);
    inflation += f.error_inflation / seeds;
  }
  if (mean_inflation)
    *mean_inflation = inflation;
  return std::sqrt(sum / seeds);
}

}  // namespace

TEST(GlassTransition, PiecewiseLinearVolumeGivesTgExactly) {
  // V per atom (Å³) of a glass former: expansion 6e-4 Å³/K in the glass, 1.4e-3 in the liquid.
  const Record r = cooling_record(111, 712.5, 16.8, 6.0e-4, 1.4e-3);
  const ga::GlassTransitionFit f = ga::fit_glass_transition(r.t, r.y);
  EXPECT_NEAR(f.tg, 712.5, 1e-6);
  EXPECT_NEAR(f.slope_glass, 6.0e-4, 1e-12);
  EXPECT_NEAR(f.slope_liquid, 1.4e-3, 1e-12);
  EXPECT_NEAR(f.value_at_tg, 16.8, 1e-10);
  EXPECT_NEAR(f.tg_error_uncorrected, 0.0, 1e-6);
  EXPECT_EQ(f.n, 111u);
  EXPECT_EQ(f.n_glass + f.n_liquid, 111u);
  // 1400 − 10 i < 712.5 for i ≥ 69: points 69 … 110 are glass.
  EXPECT_EQ(f.n_glass, 42u);
}

TEST(GlassTransition, EnthalpySlopesAreTheHeatCapacities) {
  // H(T) with C_p = 3 k_B per atom in the glass and 4.5 k_B in the liquid, 1000 atoms (eV/K).
  const double kB = 8.617333262e-5, atoms = 1000.0;
  const Record r = cooling_record(60, 750.0, -4300.0, 3.0 * kB * atoms, 4.5 * kB * atoms);
  const ga::GlassTransitionFit f = ga::fit_glass_transition(r.t, r.y);
  EXPECT_NEAR(f.tg, 750.0, 1e-6);
  EXPECT_NEAR(f.slope_glass / (kB * atoms), 3.0, 1e-9);
  EXPECT_NEAR(f.slope_liquid / (kB * atoms), 4.5, 1e-9);
}

TEST(GlassTransition, WhiteNoiseErrorsMatchTheSpreadOverSeeds) {
  // 40 seeds: the RMS of 40 standard-normal pulls has a standard deviation of about
  // 1/sqrt(2·40) = 0.11, so [0.7, 1.35] is a ±3σ band around 1.
  double inflation = 0.0;
  const double pull = rms_pull(0.0, 0.02, 40, true, &inflation);
  std::printf("white noise: RMS pull %.3f, mean inflation %.3f\n", pull, inflation);
  EXPECT_GT(pull, 0.7);
  EXPECT_LT(pull, 1.35);
  // Independent noise: ρ ≈ 0 ± 1/sqrt(200), so the correction is close to 1.
  EXPECT_LT(inflation, 1.2);
}

TEST(GlassTransition, CorrelatedNoiseNeedsTheAutocorrelationCorrection) {
  // AR(1) noise with ρ = 0.9: n_eff ≈ n/19, so the plain errors are about sqrt(19) ≈ 4 times too
  // small; the corrected ones restore a pull near 1 (same ±3σ band as for white noise, a bit
  // wider above for the approximate correction: [0.7, 1.5]).
  double inflation = 0.0;
  const double plain = rms_pull(0.9, 0.02, 40, false, &inflation);
  const double corrected = rms_pull(0.9, 0.02, 40, true, nullptr);
  std::printf("AR(1) 0.9: RMS pull plain %.3f, corrected %.3f, mean inflation %.3f\n", plain,
              corrected, inflation);
  EXPECT_GT(plain, 2.0);
  EXPECT_GT(inflation, 2.5);
  EXPECT_GT(corrected, 0.7);
  EXPECT_LT(corrected, 1.5);
}

TEST(GlassTransition, BlockMeansAndAutocorrelationClosedForms) {
  EXPECT_EQ(ga::block_means({1, 2, 3, 4, 5, 6, 7}, 3), (std::vector<double>{2, 5}));
  EXPECT_EQ(ga::block_means({1, 2}, 1), (std::vector<double>{1, 2}));
  EXPECT_THROW(ga::block_means({1, 2}, 0), std::invalid_argument);
  // Alternating ±1: Σ r_i r_{i+1} = −(n−1), Σ r² = n.
  EXPECT_NEAR(ga::lag1_autocorrelation({1, -1, 1, -1, 1, -1}), -5.0 / 6.0, 1e-15);
  EXPECT_EQ(ga::lag1_autocorrelation({2, 2, 2, 2}), 0.0);
  // A long AR(1) series with ρ = 0.6 has lag-1 autocorrelation 0.6 ± 1/sqrt(n) = ±0.01.
  ga::Rng rng(7);
  std::vector<double> series{0.0};
  for (int i = 0; i < 10000; ++i)
    series.push_back(0.6 * series.back() + rng.normal());
  EXPECT_NEAR(ga::lag1_autocorrelation(series), 0.6, 0.03);
}

TEST(GlassTransition, TooFewPointsIsAnError) {
  EXPECT_THROW(ga::fit_glass_transition({1000, 900, 800, 700}, {1, 2, 3, 4}),
               std::invalid_argument);
}
