// Ageing-rate maps and the cosh activation-volume fit (analysis/ageing_map.hpp; paper 003) on
// synthetic E_IS series whose Φ(E_IS, T) and loaded/unloaded ratio are planted in closed form.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "analysis/ageing_map.hpp"
#include "analysis/constants.hpp"

namespace glassland::analysis {
namespace {

constexpr double kDt = 50.0;  // ps between samples (paper 003)

// E(t) = E∞ + (E0 − E∞) e^{−k t}: the exact solution of dE/dt = −k (E − E∞).
AgeingSeries exponential_series(double temperature, double e0, double e_inf, double k, int n) {
  AgeingSeries s;
  s.temperature_K = temperature;
  for (int i = 0; i < n; ++i) {
    s.time_ps.push_back(i * kDt);
    s.energy.push_back(e_inf + (e0 - e_inf) * std::exp(-k * i * kDt));
  }
  return s;
}

double arrhenius_rate(double temperature) {
  return 2e-3 * std::exp(-0.1 / (kBoltzmann_eV_per_K * temperature));  // 1/ps
}

// For E(t) above, a pair's slope placed at its mean energy is exactly
// Φ = −(2/Δt) tanh(kΔt/2) (Ē − E∞): the planted Φ(E_IS, T), discretisation included.
TEST(AgeingMap, PixelRatesFollowThePlantedRateFunctionOfEnergyAndTemperature) {
  const double e_inf = -7.0;
  std::vector<AgeingSeries> series;
  for (double temperature : {300.0, 450.0, 600.0})
    for (double e0 : {-6.90, -6.93, -6.96})  // samples of different stability
      series.push_back(exponential_series(temperature, e0, e_inf, arrhenius_rate(temperature), 40));
  const AgeingGrid grid = ageing_grid({series}, 0.004);
  ASSERT_EQ(grid.temperatures_K, (std::vector<double>{300.0, 450.0, 600.0}));
  EXPECT_EQ(grid.energy_origin, std::floor(grid.energy_origin / 0.004) * 0.004);
  const AgeingMap map = ageing_map(series, grid);
  EXPECT_EQ(map.pairs, 9u * 39u);
  std::size_t counted = 0, checked = 0;
  for (std::size_t t = 0; t < 3; ++t) {
    const double k = arrhenius_rate(grid.temperatures_K[t]);
    const double k_eff = 2.0 / kDt * std::tanh(0.5 * k * kDt);
    for (std::size_t e = 0; e < grid.energy_bins; ++e) {
      counted += map.count[t][e];
      if (map.count[t][e] == 0) {
        EXPECT_TRUE(std::isnan(map.rate[t][e]));
        continue;
      }
      // Linear in Ē, so the pixel mean is the planted Φ at the pixel's mean energy.
      EXPECT_NEAR(map.rate[t][e], -k_eff * (map.energy[t][e] - e_inf),
                  1e-9 * std::fabs(map.rate[t][e]));
      EXPECT_GE(map.energy[t][e], grid.energy_origin + e * 0.004 - 1e-12);
      EXPECT_LT(map.energy[t][e], grid.energy_origin + (e + 1) * 0.004 + 1e-12);
      EXPECT_EQ(std::isnan(map.rate_error[t][e]), map.count[t][e] < 2);
      EXPECT_TRUE(std::isnan(map.shear_stress_GPa[t][e]));  // no stress given
      ++checked;
    }
  }
  EXPECT_EQ(counted, map.pairs);
  EXPECT_GT(checked, 20u);
  // Faster ageing at higher T at the same energy (paper 003 Fig. 1-b1): −6.9615 eV/atom is
  // reached by the e0 = −6.96 series at 300 K (k·t ≈ 0.08 over the run) and by the e0 = −6.93
  // series at 600 K (k·t ≈ 0.58).
  const std::size_t shared = grid.bin(-6.9615);
  ASSERT_GT(map.count[0][shared], 0u);
  ASSERT_GT(map.count[2][shared], 0u);
  EXPECT_LT(map.rate[2][shared], map.rate[0][shared]);
  // … and at higher energy at the same T (the e0 = −6.90 series passes −6.921 at 600 K).
  const std::size_t higher = grid.bin(-6.921);
  ASSERT_GT(map.count[2][higher], 0u);
  EXPECT_LT(map.rate[2][higher], map.rate[2][shared]);
}

TEST(AgeingMap, BadSeriesAreRefused) {
  AgeingSeries one = exponential_series(300, -6.9, -7.0, 1e-3, 1);
  EXPECT_THROW(ageing_grid({{one}}, 0.01), std::invalid_argument);
  AgeingSeries backwards = exponential_series(300, -6.9, -7.0, 1e-3, 3);
  backwards.time_ps[2] = backwards.time_ps[1];
  EXPECT_THROW(ageing_grid({{backwards}}, 0.01), std::invalid_argument);
  AgeingSeries ok = exponential_series(300, -6.9, -7.0, 1e-3, 3);
  EXPECT_THROW(ageing_grid({{ok}}, 0.0), std::invalid_argument);
  ok.shear_stress_GPa = {0.1};  // one per pair needed: 2
  EXPECT_THROW(ageing_grid({{ok}}, 0.01), std::invalid_argument);
}

double planted_ratio(double kappa, double volume_A3, double stress_GPa, double temperature) {
  return kappa * std::cosh(stress_GPa / kAngstrom3_per_eV_per_GPa * volume_A3 /
                           (kBoltzmann_eV_per_K * temperature));
}

TEST(CoshActivationFit, NoiselessRatiosGiveThePlantedVolumeExactly) {
  std::vector<double> stress, temperature, f, error;
  for (double T : {300.0, 400.0, 500.0, 600.0})
    for (double tau : {0.05, 0.1, 0.2, 0.3}) {
      stress.push_back(tau);
      temperature.push_back(T);
      f.push_back(planted_ratio(1.3, 60.0, tau, T));
      error.push_back(0.05 * f.back());
    }
  const CoshFit fit = cosh_activation_fit(stress, temperature, f, error);
  EXPECT_NEAR(fit.volume_A3, 60.0, 1e-7);
  EXPECT_NEAR(fit.kappa, 1.3, 1e-9);
  EXPECT_EQ(fit.dof, 14u);
  // A negative stress gives the same ratio (cosh is even): the same, positive, volume.
  for (double& s : stress)
    s = -s;
  EXPECT_NEAR(cosh_activation_fit(stress, temperature, f, error).volume_A3, 60.0, 1e-7);
}

TEST(CoshActivationFit, ReportedErrorCoversThePlantedVolumeAsOften) {
  // 400 noisy realisations of 16 ratios with 5 % Gaussian errors: the planted V lies within one
  // reported standard error in ~68 % of them. With 400 trials the binomial standard deviation of
  // that fraction is 0.023, so [0.60, 0.76] is a ±3.5σ band (and a 1.5× wrong error fails it).
  std::mt19937_64 rng(20211116);
  std::normal_distribution<double> normal;
  int covered = 0, covered_twice = 0;
  const int trials = 400;
  for (int trial = 0; trial < trials; ++trial) {
    std::vector<double> stress, temperature, f, error;
    for (double T : {300.0, 400.0, 500.0, 600.0})
      for (double tau : {0.05, 0.1, 0.15, 0.2}) {
        const double exact = planted_ratio(1.0, 60.0, tau, T);
        stress.push_back(tau);
        temperature.push_back(T);
        error.push_back(0.05 * exact);
        f.push_back(exact + error.back() * normal(rng));
      }
    const CoshFit fit = cosh_activation_fit(stress, temperature, f, error);
    ASSERT_TRUE(std::isfinite(fit.volume_error_A3));
    covered += std::fabs(fit.volume_A3 - 60.0) <= fit.volume_error_A3;
    covered_twice += std::fabs(fit.volume_A3 - 60.0) <= 2 * fit.volume_error_A3;
  }
  const double fraction = static_cast<double>(covered) / trials;
  std::printf("V_act within 1σ in %.3f, within 2σ in %.3f of %d trials\n", fraction,
              static_cast<double>(covered_twice) / trials, trials);
  EXPECT_GT(fraction, 0.60);
  EXPECT_LT(fraction, 0.76);
}

TEST(CoshActivationFit, StressFreeDataLeaveTheVolumeUndetermined) {
  EXPECT_THROW(cosh_activation_fit({0, 0, 0}, {300, 400, 500}, {1, 1, 1}, {0.1, 0.1, 0.1}),
               std::invalid_argument);
  EXPECT_THROW(cosh_activation_fit({0.1, 0.2}, {300, 400}, {1, 1}, {0.1, 0.1}),
               std::invalid_argument);
  // Ratios that do not grow with stress: V = 0 with an undefined (NaN) error.
  const CoshFit flat = cosh_activation_fit({0.1, 0.2, 0.3, 0.4}, {300, 300, 300, 300}, {1, 1, 1, 1},
                                           {0.1, 0.1, 0.1, 0.1});
  EXPECT_EQ(flat.volume_A3, 0.0);
  EXPECT_TRUE(std::isnan(flat.volume_error_A3));
  EXPECT_NEAR(flat.kappa, 1.0, 1e-12);
}

// End to end: E_IS series that age at a constant planted rate c(T) unloaded and at
// c(T)·κ cosh(τV/k_BT) under a constant stress τ, with Gaussian noise on every E_IS, go through
// the maps and the ratio into the fit, which recovers V_act (60 Å³) within its reported error.
TEST(AgeingRatio, NoisySeriesWithAPlantedCoshRatioRecoverTheActivationVolume) {
  std::mt19937_64 rng(215502);
  const double noise = 2e-5;  // eV/atom on each E_IS
  std::normal_distribution<double> normal(0.0, noise);
  const double kappa = 1.1, volume = 60.0;
  auto series = [&](double T, double e0, double rate, double stress, bool loaded) {
    AgeingSeries s;
    s.temperature_K = T;
    for (int i = 0; i < 60; ++i) {
      s.time_ps.push_back(i * kDt);
      s.energy.push_back(e0 + rate * i * kDt + normal(rng));
      if (loaded && i > 0)
        s.shear_stress_GPa.push_back(stress);
    }
    return s;
  };
  std::vector<AgeingSeries> loaded, unloaded;
  const std::vector<double> stresses{0.06, 0.12, 0.18};
  for (double T : {300.0, 400.0, 500.0, 600.0}) {
    const double c = -2e-6 * T / 300.0;  // eV/(atom·ps)
    for (std::size_t k = 0; k < stresses.size(); ++k) {
      // Each stress ages through an energy range of its own, so no pixel mixes two stresses;
      // the unloaded series cover the same ranges.
      const double e0 = -6.90 - 0.1 * k;
      for (int sample = 0; sample < 4; ++sample) {
        const double rate = c * planted_ratio(kappa, volume, stresses[k], T);
        loaded.push_back(series(T, e0 - 1e-4 * sample, rate, stresses[k], true));
        unloaded.push_back(series(T, e0 - 1e-4 * sample, c, 0.0, false));
      }
    }
  }
  const AgeingGrid grid = ageing_grid({loaded, unloaded}, 0.002);
  const AgeingMap map_l = ageing_map(loaded, grid), map_0 = ageing_map(unloaded, grid);
  const AgeingRatio ratio = ageing_ratio(map_l, map_0, 3);
  ASSERT_GE(ratio.f.size(), 12u);
  for (std::size_t i = 0; i < ratio.f.size(); ++i)
    EXPECT_GE(ratio.f[i], 1.0 - 5 * ratio.f_error[i]);  // the loaded glass ages faster
  const CoshFit fit =
      cosh_activation_fit(ratio.stress_GPa, ratio.temperature_K, ratio.f, ratio.f_error);
  std::printf("V_act = %.2f ± %.2f Å³ (planted %.0f), κ = %.3f ± %.3f from %zu pixels\n",
              fit.volume_A3, fit.volume_error_A3, volume, fit.kappa, fit.kappa_error, fit.n);
  EXPECT_LE(std::fabs(fit.volume_A3 - volume), fit.volume_error_A3);
  EXPECT_LT(fit.volume_error_A3, 0.2 * volume);  // the data pin V down
  EXPECT_LE(std::fabs(fit.kappa - kappa), 2 * fit.kappa_error);
}

}  // namespace
}  // namespace glassland::analysis
