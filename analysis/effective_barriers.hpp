// Effective (single-value) barriers of a barrier spectrum at temperature T (SPEC.md §6).
//
// Paper 000 (Wang et al., Acta Mater. 2018), §3.2, and paper 001 (Yang et al., PRB 102, 174103
// (2020)), Eqs. 4–6:
//   parallel    ΔG_para = −k_BT ln ∫P(ΔG) e^{−ΔG/k_BT} dΔG   (rates add: lower bound)
//   sequential  ΔG_seq  = +k_BT ln ∫P(ΔG) e^{+ΔG/k_BT} dΔG   (waiting times add: upper bound)
//   mixed       ΔG_eff  = ½ (ΔG_para + ΔG_seq)                (paper 001, Eq. 6)
// For a sample {ΔG_k} the integral is the sample mean ⟨e^{∓ΔG/k_BT}⟩. At low T the exponents are
// hundreds (5 eV at 100 K is 580), so everything is done as log-sum-exp, never as exp().
#pragma once

#include <vector>

#include "analysis/barrier_distributions.hpp"

namespace glassland::analysis {

struct EffectiveBarriers {
  double parallel_eV = 0.0;
  double sequential_eV = 0.0;  // +inf when ∫P e^{+ΔG/kT} diverges (fitted heavy upper tails)
  double mixed_eV = 0.0;       // ½(para + seq)
};

// From a sample of barriers (eV) at temperature T (K). Throws std::invalid_argument on an empty
// sample, non-finite barriers or T ≤ 0.
EffectiveBarriers effective_barriers(const std::vector<double>& barriers_eV, double temperature_K);

// From a normalised density over the physical domain ΔG ≥ 0: a density with probability below 0
// (the normal) is restricted to ΔG ≥ 0 and renormalised, P(x)/∫_0^∞P (throws
// std::invalid_argument when it has none there). By numerical integration of
// e^{ln P(x) ∓ x/kT} (adaptive
// Gauss–Kronrod, GSL's QAG, over the region where the log-integrand is within 60 of its maximum).
// The sequential barrier is +inf when the density's upper tail decays no faster than e^{−x/kT}
// (log-normal always; two-mode when W > 0 and ε ≥ k_BT): the integral diverges, which is a property
// of the fitted form, not a numerical failure.
EffectiveBarriers effective_barriers(const BarrierDistribution& density, double temperature_K);

// log ∫_0^∞ P(x) e^{s·x/kT} dx / ∫_0^∞ P(x) dx for s = ±1 (the building block of the above),
// +inf when divergent.
double log_tilted_integral(const BarrierDistribution& density, double temperature_K, int sign);

}  // namespace glassland::analysis
