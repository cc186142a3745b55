// Fits with errors (analysis/regression.hpp): exact data give exact parameters and zero errors,
// weighted errors match closed forms, Arrhenius/VFT/kink fits recover known parameters from noisy
// data within their reported errors, and the reported errors have the right coverage.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "analysis/constants.hpp"
#include "analysis/random.hpp"
#include "analysis/regression.hpp"

namespace ga = glassland::analysis;
using ga::kBoltzmann_eV_per_K;

TEST(LinearFit, ExactLinearDataHaveZeroError) {
  std::vector<double> x, y;
  for (int i = 0; i < 8; ++i) {
    x.push_back(100.0 + 50.0 * i);
    y.push_back(1.36 - 1.689e-3 * x.back());
  }
  const ga::LinearFit f = ga::linear_fit(x, y);
  EXPECT_NEAR(f.slope, -1.689e-3, 1e-15);
  EXPECT_NEAR(f.intercept, 1.36, 1e-12);
  // Residuals are rounding only (~1e-16), so the errors vanish to that level.
  EXPECT_NEAR(f.slope_error, 0.0, 1e-15);
  EXPECT_NEAR(f.intercept_error, 0.0, 1e-12);
  EXPECT_NEAR(f.r_squared, 1.0, 1e-12);
  EXPECT_EQ(f.dof, 6u);
}

TEST(LinearFit, WeightedTwoPointErrorsAreTheClosedForm) {
  // Two points with σ: slope = (y1 − y0)/(x1 − x0), var = (σ0² + σ1²)/(x1 − x0)², intercept = y0
  // at x0 = 0 with var σ0². Absolute sigma: no scatter needed.
  const ga::LinearFit f = ga::linear_fit({0.0, 2.0}, {1.0, 2.0}, {0.3, 0.4});
  EXPECT_NEAR(f.slope, 0.5, 1e-15);
  EXPECT_NEAR(f.slope_error, std::sqrt(0.09 + 0.16) / 2.0, 1e-15);
  EXPECT_NEAR(f.intercept_error, 0.3, 1e-15);
  EXPECT_TRUE(f.weighted);
  // Without σ and with n = 2 the error is undefined (no degrees of freedom).
  EXPECT_TRUE(std::isnan(ga::linear_fit({0.0, 2.0}, {1.0, 2.0}).slope_error));
}

TEST(LinearFit, UnweightedErrorMatchesTextbookFormula) {
  // s² = RSS/(n−2), σ_b² = s²/Σ(x − x̄)²: checked on hand-made data.
  const std::vector<double> x{1, 2, 3, 4, 5}, y{1.1, 1.9, 3.2, 3.8, 5.1};
  const ga::LinearFit f = ga::linear_fit(x, y);
  // Hand: x̄ = 3, Sxx = 10, Sxy = 9.9, b = 0.99, a = 3.02 − 2.97 = 0.05.
  EXPECT_NEAR(f.slope, 0.99, 1e-14);
  EXPECT_NEAR(f.intercept, 0.05, 1e-14);
  double rss = 0.0;
  for (int i = 0; i < 5; ++i)
    rss += std::pow(y[i] - 0.05 - 0.99 * x[i], 2);
  EXPECT_NEAR(f.slope_error, std::sqrt(rss / 3.0 / 10.0), 1e-14);
  EXPECT_NEAR(f.intercept_error, std::sqrt(rss / 3.0 * (0.2 + 9.0 / 10.0)), 1e-14);
}

TEST(LinearFit, RejectsTooFewOrDegeneratePoints) {
  EXPECT_THROW(ga::linear_fit({1.0}, {2.0}), std::invalid_argument);
  EXPECT_THROW(ga::linear_fit({1.0, 1.0, 1.0}, {2.0, 3.0, 4.0}), std::invalid_argument);
  EXPECT_THROW(ga::linear_fit({1.0, 2.0}, {2.0}), std::invalid_argument);
  EXPECT_THROW(ga::linear_fit({1.0, 2.0}, {2.0, 3.0}, {0.1, 0.0}), std::invalid_argument);
}

namespace {
// Liquid diffusion of SPEC.md §12: Q = 0.432 eV, D0 = 7.9e-8 m²/s, 1000–2000 K, with
// multiplicative log-normal noise of 5%.
void arrhenius_data(std::uint64_t seed, std::vector<double>& T, std::vector<double>& D) {
  ga::Rng rng(seed);
  T.clear();
  D.clear();
  for (int i = 0; i <= 10; ++i) {
    T.push_back(1000.0 + 100.0 * i);
    D.push_back(7.9e-8 * std::exp(-0.432 / (kBoltzmann_eV_per_K * T.back()) + 0.05 * rng.normal()));
  }
}
}  // namespace

TEST(ArrheniusFit, ExactDataAreRecovered) {
  std::vector<double> T, D;
  for (double t : {300.0, 400.0, 500.0, 700.0})
    T.push_back(t), D.push_back(3e12 * std::exp(-0.84 / (kBoltzmann_eV_per_K * t)));
  const ga::ArrheniusFit a = ga::arrhenius_fit(T, D);
  EXPECT_NEAR(a.Q_eV, 0.84, 1e-12);
  EXPECT_NEAR(a.prefactor / 3e12, 1.0, 1e-10);
  EXPECT_NEAR(a.Q_error_eV, 0.0, 1e-12);
}

TEST(ArrheniusFit, NoisyDataRecoveredWithinReportedError) {
  std::vector<double> T, D;
  arrhenius_data(2024, T, D);
  const ga::ArrheniusFit a = ga::arrhenius_fit(T, D);
  // 3.5 standard errors (t with 9 dof: two-sided tail ≈ 0.7%).
  EXPECT_NEAR(a.Q_eV, 0.432, 3.5 * a.Q_error_eV);
  EXPECT_NEAR(a.ln_prefactor, std::log(7.9e-8), 3.5 * a.ln_prefactor_error);
  // The error is what the noise implies: σ_Q ≈ 0.05/sqrt(Σ(β − β̄)²) within the chi-square
  // scatter of s (±50% is ~3σ for 9 dof).
  double bm = 0.0, sbb = 0.0;
  for (double t : T)
    bm += 1.0 / (kBoltzmann_eV_per_K * t) / T.size();
  for (double t : T)
    sbb += std::pow(1.0 / (kBoltzmann_eV_per_K * t) - bm, 2);
  EXPECT_NEAR(a.Q_error_eV, 0.05 / std::sqrt(sbb), 0.5 * 0.05 / std::sqrt(sbb));
}

TEST(ArrheniusFit, ReportedErrorHasNominalCoverage) {
  // Over 300 seeded data sets, |Q̂ − Q| < σ_Q in P(|t_9| < 1) = 65.7% of them. The binomial
  // standard error is 2.7%, so [0.57, 0.74] is a ±3σ band.
  int inside = 0;
  const int reps = 300;
  for (int r = 0; r < reps; ++r) {
    std::vector<double> T, D;
    arrhenius_data(100 + r, T, D);
    const ga::ArrheniusFit a = ga::arrhenius_fit(T, D);
    inside += std::abs(a.Q_eV - 0.432) < a.Q_error_eV;
  }
  EXPECT_GT(inside / double(reps), 0.57);
  EXPECT_LT(inside / double(reps), 0.74);
}

TEST(VftFit, ExactAndNoisyData) {
  // y = y0 exp(B/(T − T0)), y0 = 1e-3, B = 2000 K, T0 = 400 K (a viscosity-like curve).
  std::vector<double> T, y, yn;
  ga::Rng rng(5);
  for (int i = 0; i <= 12; ++i) {
    T.push_back(500.0 + 50.0 * i);
    y.push_back(1e-3 * std::exp(2000.0 / (T.back() - 400.0)));
    yn.push_back(y.back() * std::exp(0.02 * rng.normal()));
  }
  const ga::VftFit e = ga::vft_fit(T, y);
  EXPECT_NEAR(e.T0_K, 400.0, 1e-4);
  EXPECT_NEAR(e.B_K, 2000.0, 1e-3);
  EXPECT_NEAR(e.y0 / 1e-3, 1.0, 1e-6);
  const ga::VftFit n = ga::vft_fit(T, yn);
  // 4 standard errors each (errors from the Jacobian; strongly correlated parameters).
  EXPECT_NEAR(n.T0_K, 400.0, 4.0 * n.T0_error_K);
  EXPECT_NEAR(n.B_K, 2000.0, 4.0 * n.B_error_K);
  EXPECT_NEAR(n.ln_y0, std::log(1e-3), 4.0 * n.ln_y0_error);
  EXPECT_GT(n.T0_error_K, 0.0);
  EXPECT_THROW(ga::vft_fit({500, 600, 700}, {1, 2, 3}), std::invalid_argument);
}

TEST(KinkFit, RecoversTheGlassTransitionKink) {
  // Volume per atom against T: glass slope 2e-4, liquid 6e-4 Å³/K, kink at T_g = 687.3 K.
  auto volume = [](double T) {
    return 17.3 + (T < 687.3 ? 2e-4 * (T - 687.3) : 6e-4 * (T - 687.3));
  };
  std::vector<double> T, V, Vn;
  ga::Rng rng(77);
  for (double t = 300.0; t <= 1200.0; t += 25.0) {
    T.push_back(t);
    V.push_back(volume(t));
    Vn.push_back(volume(t) + 0.004 * rng.normal());
  }
  const ga::KinkFit e = ga::kink_fit(T, V);
  EXPECT_NEAR(e.kink_x, 687.3, 1e-6);
  EXPECT_NEAR(e.slope_below, 2e-4, 1e-12);
  EXPECT_NEAR(e.slope_above, 6e-4, 1e-12);
  EXPECT_NEAR(e.kink_x_error, 0.0, 1e-6);
  const ga::KinkFit n = ga::kink_fit(T, Vn);
  EXPECT_NEAR(n.kink_x, 687.3, 4.0 * n.kink_x_error);
  EXPECT_NEAR(n.slope_below, 2e-4, 4.0 * n.slope_below_error);
  EXPECT_NEAR(n.slope_above, 6e-4, 4.0 * n.slope_above_error);
  // The error is informative: tens of K, not hundreds.
  EXPECT_LT(n.kink_x_error, 60.0);
  EXPECT_GT(n.kink_x_error, 1.0);
  EXPECT_THROW(ga::kink_fit({1, 2, 3, 4}, {1, 2, 3, 4}), std::invalid_argument);
}
