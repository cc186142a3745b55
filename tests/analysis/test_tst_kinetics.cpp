// TST kinetics (analysis/tst_kinetics.hpp) against paper 000 Table 1 and paper 004's critical
// barrier.
//
// Paper 000 Table 1 (300 K): g = 1/6, f = 1, a_eff = 8.7 Å, ν0 = 3.0e12 s⁻¹, ΔG = 0.53–1.33 eV,
// ΔS = 19.6 k_B, D0 = 1.2e2 m²/s, D = 2.5e-29 – 4.8e-16 m²/s. Eq. 3 with these inputs gives
// D(0.53) = 4.73e-16 (paper 4.8e-16: inside the rounding of ΔG to 0.01 eV, which moves D by
// e^{±0.005/kT} = ±21%) and D(1.33) = 1.72e-29; the paper's 2.5e-29 is what ΔG = 1.32 eV gives
// (2.53e-29), a difference of 0.0097 eV, outside the rounding of "1.33". The tests below pin our
// numbers to Eq. 3 and record that discrepancy instead of hiding it.
#include <gtest/gtest.h>

#include <cmath>

#include "analysis/constants.hpp"
#include "analysis/tst_kinetics.hpp"

namespace ga = glassland::analysis;
using ga::kBoltzmann_eV_per_K;

namespace {
ga::DiffusionGeometry table1() {
  ga::DiffusionGeometry g;
  g.g = 1.0 / 6.0;
  g.f = 1.0;
  g.a_eff_A = 8.7;
  g.nu0_per_s = 3.0e12;
  return g;
}
}  // namespace

TEST(TstKinetics, Paper000Table1Diffusivities) {
  const double T = 300.0, kT = kBoltzmann_eV_per_K * T;
  // The brief's check: D = (1/6)(8.7e-10)²·3e12·exp(−0.53/(k_B·300)).
  const double by_hand = (1.0 / 6.0) * 8.7e-10 * 8.7e-10 * 3e12 * std::exp(-0.53 / kT);
  const double d_low = ga::tst_diffusivity(table1(), 0.53, T);
  const double d_high = ga::tst_diffusivity(table1(), 1.33, T);
  EXPECT_NEAR(d_low / by_hand, 1.0, 1e-14);
  EXPECT_NEAR(d_low, 4.725e-16, 0.001e-16);
  EXPECT_NEAR(d_high, 1.718e-29, 0.001e-29);
  // Paper's 4.8e-16 lies between D(0.535) and D(0.525): within the rounding of ΔG.
  EXPECT_LT(ga::tst_diffusivity(table1(), 0.535, T), 4.8e-16);
  EXPECT_GT(ga::tst_diffusivity(table1(), 0.525, T), 4.8e-16);
  // Paper's 2.5e-29 is D(1.32 eV) rounded to two digits.
  EXPECT_NEAR(ga::tst_diffusivity(table1(), 1.32, T), 2.5e-29, 0.05e-29);
}

TEST(TstKinetics, Paper000Table1Prefactor) {
  // D0 = g f a² ν0 e^{ΔS/k_B} = 3.7845e-7 · e^{19.6} = 122.9 m²/s, "1.2e2" in the paper.
  const double d0 = ga::tst_prefactor(table1(), 19.6);
  EXPECT_NEAR(d0, 1.2e2, 0.05e2);
  EXPECT_NEAR(d0 / (3.7845e-7 * std::exp(19.6)), 1.0, 1e-12);
}

TEST(TstKinetics, RatesAndHopTimes) {
  const double T = 300.0, kT = kBoltzmann_eV_per_K * T;
  EXPECT_NEAR(ga::hop_rate(3e12, 0.84, T), 3e12 * std::exp(-0.84 / kT), 1e-15 * 3e12);
  EXPECT_NEAR(ga::hop_time(3e12, 0.84, T) * ga::hop_rate(3e12, 0.84, T), 1.0, 1e-14);
  EXPECT_EQ(ga::hop_rate(2e12, 0.0, T), 2e12);
  // 10 eV at 100 K: ν underflows to 0 but τ overflows to +inf cleanly rather than dividing by 0.
  EXPECT_TRUE(std::isinf(ga::hop_time(3e12, 10.0, 100.0)));
  EXPECT_THROW(ga::hop_rate(0.0, 0.5, 300.0), std::invalid_argument);
  EXPECT_THROW(ga::hop_rate(3e12, 0.5, -1.0), std::invalid_argument);
}

TEST(TstKinetics, CriticalBarrierOfPaper004) {
  // τ = 100 s, τ0 = 1e-14 s at 300 K: ΔQ_c = k_BT ln(1e16) = 36.84 k_BT ≈ 0.95 eV.
  const double q = ga::critical_barrier(100.0, 300.0);
  EXPECT_NEAR(q, kBoltzmann_eV_per_K * 300.0 * std::log(1e16), 1e-14);
  EXPECT_NEAR(q, 0.95, 0.005);
  EXPECT_NEAR(q / (kBoltzmann_eV_per_K * 300.0), 37.0, 0.5);
  // Inverse relation: a barrier of ΔQ_c has hop time τ when ν0 = 1/τ0.
  EXPECT_NEAR(ga::hop_time(1e14, q, 300.0), 100.0, 1e-10);
}
