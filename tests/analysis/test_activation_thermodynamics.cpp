// Activation entropy and volume (analysis/activation_thermodynamics.hpp): exact ΔG(T) and ΔG(P)
// lines give the paper's ΔS and V with zero error; noisy barrier samples per temperature give ΔS
// within its standard error; unit conversions (k_B, Å³, Ω) are right.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "analysis/activation_thermodynamics.hpp"
#include "analysis/constants.hpp"
#include "analysis/random.hpp"

namespace ga = glassland::analysis;
using ga::kBoltzmann_eV_per_K;

TEST(ActivationEntropy, ExactLineGivesPaperValueWithZeroError) {
  // ΔG = ΔQ − TΔS with ΔQ = 1.36 eV, ΔS = 19.6 k_B (paper 000 Eq. 4).
  const double dS = 19.6 * kBoltzmann_eV_per_K;
  std::vector<double> T, G;
  for (double t : {100.0, 200.0, 300.0, 400.0, 500.0})
    T.push_back(t), G.push_back(1.36 - t * dS);
  const ga::ActivationEntropy a = ga::activation_entropy(T, G);
  EXPECT_NEAR(a.entropy_kB, 19.6, 1e-10);
  EXPECT_NEAR(a.entropy_eV_per_K, dS, 1e-15);
  EXPECT_NEAR(a.entropy_error_kB, 0.0, 1e-9);
  EXPECT_NEAR(a.intercept_eV, 1.36, 1e-12);
  EXPECT_NEAR(a.intercept_error_eV, 0.0, 1e-12);
}

TEST(ActivationVolume, ExactLineGivesPaperValueInA3AndAtomicVolumes) {
  // V = 7.9 Å³ = 7.9/160.2177 eV/GPa over −2…2 GPa; Ω = 17.3 Å³ gives 0.457 Ω (paper: 0.46).
  const double slope = 7.9 / ga::kAngstrom3_per_eV_per_GPa;
  std::vector<double> P, G;
  for (double p : {-2.0, -1.0, 0.0, 1.0, 2.0})
    P.push_back(p), G.push_back(0.9 + slope * p);
  const ga::ActivationVolume v = ga::activation_volume(P, G, {}, 17.3);
  EXPECT_NEAR(v.volume_A3, 7.9, 1e-12);
  EXPECT_NEAR(v.volume_eV_per_GPa, 0.049308, 1e-6);
  EXPECT_NEAR(v.volume_atomic, 7.9 / 17.3, 1e-12);
  EXPECT_NEAR(v.volume_error_A3, 0.0, 1e-12);
  EXPECT_NEAR(v.intercept_eV, 0.9, 1e-14);
  // Without Ω the atomic-volume figure is undefined, not 0.
  EXPECT_TRUE(std::isnan(ga::activation_volume(P, G).volume_atomic));
  // 1 eV/GPa = 160.2177 Å³ (1.602176634e-19 J / 1e9 Pa = 1.602e-28 m³).
  EXPECT_NEAR(ga::kAngstrom3_per_eV_per_GPa, 1.602176634e-19 / 1e9 / 1e-30, 1e-9);
}

TEST(ActivationEntropy, BarrierSamplesPerTemperatureGiveDeltaSWithinItsError) {
  // 8 temperatures, 20 tracers each (paper 000), barriers N(ΔQ − TΔS, 0.05²). The mean barrier
  // is then exactly linear in T up to noise, so its fitted ΔS must fall within 4 standard errors
  // of 19.6 k_B. All four kinds are fitted; para < mean < seq at every temperature.
  const double dS = 19.6 * kBoltzmann_eV_per_K;
  ga::Rng rng(2018);
  std::vector<ga::ConditionBarriers> runs;
  for (int i = 0; i < 8; ++i) {
    ga::ConditionBarriers c;
    c.temperature_K = c.condition = 100.0 + 75.0 * i;
    for (int k = 0; k < 20; ++k)
      c.barriers_eV.push_back(1.36 - c.temperature_K * dS + 0.05 * rng.normal());
    runs.push_back(c);
  }
  const auto summary = ga::summarize_conditions(runs, 400, 5);
  ASSERT_EQ(summary.size(), 8u);
  for (const auto& s : summary) {
    EXPECT_LT(s.get(ga::BarrierKind::parallel), s.get(ga::BarrierKind::mean));
    EXPECT_LT(s.get(ga::BarrierKind::mean), s.get(ga::BarrierKind::sequential));
    // Bootstrap SE of the mean ≈ 0.05/√20 = 0.011 (±40% for B = 400 and n = 20 sample spread).
    EXPECT_NEAR(s.se(ga::BarrierKind::mean), 0.05 / std::sqrt(20.0), 0.4 * 0.05 / std::sqrt(20.0));
  }
  for (ga::Weighting w : {ga::Weighting::none, ga::Weighting::bootstrap}) {
    const ga::ActivationEntropy a = ga::activation_entropy(summary, ga::BarrierKind::mean, w);
    EXPECT_NEAR(a.entropy_kB, 19.6, 4.0 * a.entropy_error_kB);
    EXPECT_NEAR(a.intercept_eV, 1.36, 4.0 * a.intercept_error_eV);
    // Expected error: 0.011 eV noise over T spread → σ_ΔS ≈ 0.011/sqrt(Σ(T−T̄)²) ≈ 0.3 k_B.
    EXPECT_GT(a.entropy_error_kB, 0.05);
    EXPECT_LT(a.entropy_error_kB, 1.5);
  }
  // Sequential/parallel carry the spread term ±σ²/2kT (0.145 eV at 100 K for σ = 0.05), which is
  // not linear in T; their fits must still be finite, and the sequential barrier falls faster
  // with T than the parallel one rises towards the mean, so ΔS_seq > ΔS_para here.
  const auto para = ga::activation_entropy(summary, ga::BarrierKind::parallel, ga::Weighting::none);
  const auto seq =
      ga::activation_entropy(summary, ga::BarrierKind::sequential, ga::Weighting::none);
  EXPECT_TRUE(std::isfinite(para.entropy_kB));
  EXPECT_TRUE(std::isfinite(seq.entropy_kB));
  EXPECT_GT(seq.entropy_kB, para.entropy_kB);
  EXPECT_EQ(ga::to_string(seq.kind), "sequential");
}

TEST(ActivationEntropy, BootstrapWeightingNeedsASpreadAtEveryCondition) {
  std::vector<ga::ConditionBarriers> runs{
      {300.0, 300.0, {0.8}}, {400.0, 400.0, {0.7}}, {500.0, 500.0, {0.6}}};
  const auto s = ga::summarize_conditions(runs, 100, 1);
  EXPECT_EQ(s[0].se(ga::BarrierKind::sequential), 0.0);
  EXPECT_THROW(ga::activation_entropy(s, ga::BarrierKind::sequential, ga::Weighting::bootstrap),
               std::invalid_argument);
  const auto a = ga::activation_entropy(s, ga::BarrierKind::sequential, ga::Weighting::none);
  EXPECT_NEAR(a.entropy_eV_per_K, 1e-3, 1e-15);
  EXPECT_THROW(ga::activation_entropy({300.0}, {0.8}), std::invalid_argument);
}
