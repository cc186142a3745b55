// Activation entropy and activation volume from effective barriers at several temperatures or
// pressures (SPEC.md §6; issue 7 item 5).
//
// Paper 000 (Wang et al., Acta Mater. 2018), Eq. 2: ΔG(T, P) = ΔQ + PV − TΔS. Hence
//   ΔS = −∂ΔG/∂T (Eq. 4; 19.6 ± 2.5 k_B from the sequential barrier over T) with the 0 K intercept
//       ΔQ (ΔH at the pressure of the runs), and
//   V  = ∂ΔG/∂P (Eq. 5; 7.9 ± 3.4 Å³ over −2…2 GPa), reported in Å³ (1 eV/GPa = 160.2177 Å³) and
//       in units of a given mean atomic volume Ω (paper 000: Ω = 17.3 Å³).
// Both by weighted linear regression with standard errors (regression.hpp), for each kind of
// effective barrier: parallel, sequential, mixed (paper 001, Eq. 6; ΔS = 5.8, 23.9, 14.8 k_B
// there) and the arithmetic mean.
// Weighting: "none" is ordinary least squares with errors from the scatter about the line (what
// the papers' error bars are); "bootstrap" weights each condition by 1/SE² of its effective
// barrier, the SE from a seeded bootstrap over its barrier sample, with absolute errors.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "analysis/effective_barriers.hpp"
#include "analysis/regression.hpp"

namespace glassland::analysis {

enum class BarrierKind { parallel, sequential, mixed, mean };
inline constexpr BarrierKind kAllBarrierKinds[] = {BarrierKind::parallel, BarrierKind::sequential,
                                                   BarrierKind::mixed, BarrierKind::mean};
std::string to_string(BarrierKind kind);  // "parallel", "sequential", "mixed", "mean"

// One run or table group: a barrier sample at a condition (T in K, or P in GPa) and temperature.
struct ConditionBarriers {
  double condition = 0.0;
  double temperature_K = 0.0;
  std::vector<double> barriers_eV;
};

// Effective barriers of one condition with bootstrap standard errors.
struct ConditionSummary {
  double condition = 0.0;
  double temperature_K = 0.0;
  std::size_t n = 0;
  double value[4] = {0, 0, 0, 0};           // indexed by BarrierKind
  double standard_error[4] = {0, 0, 0, 0};  // bootstrap SE (0 for a single barrier)
  double get(BarrierKind k) const { return value[static_cast<int>(k)]; }
  double se(BarrierKind k) const { return standard_error[static_cast<int>(k)]; }
};

// Resamples for the SE; condition i uses seed + i, so results do not depend on the order of runs
// only through their index in the input.
std::vector<ConditionSummary> summarize_conditions(const std::vector<ConditionBarriers>& runs,
                                                   std::size_t resamples = 1000,
                                                   std::uint64_t seed = 20180101);

enum class Weighting { none, bootstrap };

struct ActivationEntropy {
  BarrierKind kind = BarrierKind::sequential;
  LinearFit fit;  // ΔG (eV) against T (K)
  double entropy_eV_per_K = 0.0, entropy_error_eV_per_K = 0.0;
  double entropy_kB = 0.0, entropy_error_kB = 0.0;
  double intercept_eV = 0.0, intercept_error_eV = 0.0;  // ΔQ, the 0 K barrier
};

struct ActivationVolume {
  BarrierKind kind = BarrierKind::sequential;
  LinearFit fit;  // ΔG (eV) against P (GPa)
  double volume_eV_per_GPa = 0.0, volume_error_eV_per_GPa = 0.0;
  double volume_A3 = 0.0, volume_error_A3 = 0.0;
  double volume_atomic = 0.0, volume_error_atomic = 0.0;  // V/Ω; NaN without Ω
  double intercept_eV = 0.0, intercept_error_eV = 0.0;    // ΔG at P = 0
};

// From points directly (σ empty = unweighted). Need ≥ 2 distinct conditions (≥ 3 for an error
// without σ).
ActivationEntropy activation_entropy(const std::vector<double>& temperature_K,
                                     const std::vector<double>& barrier_eV,
                                     const std::vector<double>& sigma_eV = {},
                                     BarrierKind kind = BarrierKind::sequential);
ActivationVolume activation_volume(const std::vector<double>& pressure_GPa,
                                   const std::vector<double>& barrier_eV,
                                   const std::vector<double>& sigma_eV = {},
                                   double atomic_volume_A3 = 0.0,
                                   BarrierKind kind = BarrierKind::sequential);

// From per-condition summaries, one fit per kind of barrier.
ActivationEntropy activation_entropy(const std::vector<ConditionSummary>& conditions,
                                     BarrierKind kind, Weighting weighting);
ActivationVolume activation_volume(const std::vector<ConditionSummary>& conditions,
                                   BarrierKind kind, Weighting weighting,
                                   double atomic_volume_A3 = 0.0);

}  // namespace glassland::analysis
