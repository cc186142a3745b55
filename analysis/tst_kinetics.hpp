// Transition-state-theory kinetics of activated hops (SPEC.md §5, §6).
//
// Paper 000 (Wang et al., Acta Mater. 2018), Eq. 3 and Table 1:
//   rate ν = ν0 e^{−ΔG/k_BT}, hop (incubation) time τ = 1/ν,
//   D(T, P) = g f a_eff² ν0 e^{−ΔG/k_BT}           (g = 1/6 in 3D, f ≈ 1, a_eff = |Δr|),
//   D0      = g f a_eff² ν0 e^{ΔS/k_B}              (the prefactor of D = D0 e^{−ΔH/k_BT}).
// Paper 004 (Han et al., PRB 101, 064205 (2020)), §III.C: the critical barrier crossable within an
// observation time τ, ΔQ_c = k_BT ln(τ/τ0), τ0 = 1e-14 s (≈ 0.95 eV at 300 K for τ = 100 s).
// Units: ΔG in eV, T in K, ν0 in s⁻¹, a_eff in Å, D and D0 in m²/s, ΔS in k_B.
#pragma once

namespace glassland::analysis {

struct DiffusionGeometry {
  double g = 1.0 / 6.0;       // geometric factor (3D)
  double f = 1.0;             // correlation factor
  double a_eff_A = 0.0;       // effective hop length in Å
  double nu0_per_s = 3.0e12;  // attempt frequency
};

double hop_rate(double nu0_per_s, double barrier_eV, double temperature_K);  // s⁻¹
double hop_time(double nu0_per_s, double barrier_eV, double temperature_K);  // s
double tst_diffusivity(const DiffusionGeometry& geometry, double barrier_eV,
                       double temperature_K);                                // m²/s
double tst_prefactor(const DiffusionGeometry& geometry, double entropy_kB);  // D0, m²/s
double critical_barrier(double observation_time_s, double temperature_K,
                        double tau0_s = 1e-14);  // eV

}  // namespace glassland::analysis
