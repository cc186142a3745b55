#include "analysis/tst_kinetics.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

#include "analysis/constants.hpp"

namespace glassland::analysis {

namespace {
void positive(double v, const char* what) {
  if (!(v > 0.0) || !std::isfinite(v))
    throw std::invalid_argument(std::string(what) + " must be positive and finite, got " +
                                std::to_string(v));
}
}  // namespace

double hop_rate(double nu0, double barrier, double T) {
  positive(nu0, "attempt frequency nu0");
  positive(T, "temperature");
  return nu0 * std::exp(-barrier / (kBoltzmann_eV_per_K * T));
}

double hop_time(double nu0, double barrier, double T) {
  positive(nu0, "attempt frequency nu0");
  positive(T, "temperature");
  // 1/ν computed as e^{+ΔG/kT}/ν0 so large barriers overflow to +inf rather than divide by 0.
  return std::exp(barrier / (kBoltzmann_eV_per_K * T)) / nu0;
}

double tst_diffusivity(const DiffusionGeometry& geo, double barrier, double T) {
  positive(geo.g, "geometric factor g");
  positive(geo.f, "correlation factor f");
  positive(geo.a_eff_A, "a_eff");
  const double a = geo.a_eff_A * kMetre_per_Angstrom;
  return geo.g * geo.f * a * a * hop_rate(geo.nu0_per_s, barrier, T);
}

double tst_prefactor(const DiffusionGeometry& geo, double entropy_kB) {
  positive(geo.g, "geometric factor g");
  positive(geo.f, "correlation factor f");
  positive(geo.a_eff_A, "a_eff");
  positive(geo.nu0_per_s, "attempt frequency nu0");
  const double a = geo.a_eff_A * kMetre_per_Angstrom;
  return geo.g * geo.f * a * a * geo.nu0_per_s * std::exp(entropy_kB);
}

double critical_barrier(double tau, double T, double tau0) {
  positive(tau, "observation time");
  positive(tau0, "tau0");
  positive(T, "temperature");
  return kBoltzmann_eV_per_K * T * std::log(tau / tau0);
}

}  // namespace glassland::analysis
