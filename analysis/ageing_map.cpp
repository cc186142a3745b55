// Ageing-rate maps and the cosh activation-volume fit. References and conventions at the top of
// analysis/ageing_map.hpp (paper 003, Eq. 1).
#include "analysis/ageing_map.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "analysis/constants.hpp"
#include "analysis/numerics.hpp"
#include "analysis/sample_statistics.hpp"

namespace glassland::analysis {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

void check_series(const AgeingSeries& s, std::size_t index) {
  const std::string where = "ageing series " + std::to_string(index) + ": ";
  if (s.time_ps.size() != s.energy.size())
    throw std::invalid_argument(where + "times and energies differ in length");
  if (s.energy.size() < 2)
    throw std::invalid_argument(where + "needs at least two samples");
  if (!s.shear_stress_GPa.empty() && s.shear_stress_GPa.size() + 1 != s.energy.size())
    throw std::invalid_argument(where + "needs one stress per pair of samples");
  if (!std::isfinite(s.temperature_K))
    throw std::invalid_argument(where + "temperature is not finite");
  for (std::size_t i = 0; i < s.energy.size(); ++i) {
    if (!std::isfinite(s.energy[i]) || !std::isfinite(s.time_ps[i]))
      throw std::invalid_argument(where + "sample " + std::to_string(i) + " is not finite");
    if (i > 0 && !(s.time_ps[i] > s.time_ps[i - 1]))
      throw std::invalid_argument(where + "times do not increase at sample " + std::to_string(i));
  }
}

double pair_energy(const AgeingSeries& s, std::size_t i) {
  return 0.5 * (s.energy[i] + s.energy[i + 1]);
}

double pair_rate(const AgeingSeries& s, std::size_t i) {
  return (s.energy[i + 1] - s.energy[i]) / (s.time_ps[i + 1] - s.time_ps[i]);
}

template <class T>
PixelGrid<T> pixels(const AgeingGrid& g, T value) {
  return PixelGrid<T>(g.temperatures_K.size(), std::vector<T>(g.energy_bins, value));
}

double standard_error(const std::vector<double>& values) {
  return values.size() < 2 ? kNaN : sample_standard_deviation(values) / std::sqrt(values.size());
}

}  // namespace

std::size_t AgeingGrid::row(double temperature_K) const {
  for (std::size_t t = 0; t < temperatures_K.size(); ++t)
    if (std::fabs(temperatures_K[t] - temperature_K) <= temperature_tolerance_K)
      return t;
  throw std::invalid_argument("ageing grid: no row at " + std::to_string(temperature_K) + " K");
}

std::size_t AgeingGrid::bin(double energy) const {
  const double k = std::floor((energy - energy_origin) / energy_bin_width);
  return k < 0 || k >= static_cast<double>(energy_bins) ? energy_bins : static_cast<std::size_t>(k);
}

AgeingGrid ageing_grid(const std::vector<std::vector<AgeingSeries>>& sets, double width) {
  if (!(width > 0.0) || !std::isfinite(width))
    throw std::invalid_argument("ageing grid: the energy bin width must be positive");
  AgeingGrid g;
  g.energy_bin_width = width;
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  std::size_t index = 0;
  for (const auto& set : sets)
    for (const AgeingSeries& s : set) {
      check_series(s, index++);
      for (std::size_t i = 0; i + 1 < s.energy.size(); ++i) {
        lo = std::min(lo, pair_energy(s, i));
        hi = std::max(hi, pair_energy(s, i));
      }
      bool known = false;
      for (double t : g.temperatures_K)
        known = known || std::fabs(t - s.temperature_K) <= g.temperature_tolerance_K;
      if (!known)
        g.temperatures_K.push_back(s.temperature_K);
    }
  if (index == 0)
    throw std::invalid_argument("ageing grid: no series");
  std::sort(g.temperatures_K.begin(), g.temperatures_K.end());
  g.energy_origin = std::floor(lo / width) * width;
  g.energy_bins = static_cast<std::size_t>(std::floor((hi - g.energy_origin) / width)) + 1;
  return g;
}

AgeingMap ageing_map(const std::vector<AgeingSeries>& series, const AgeingGrid& grid) {
  AgeingMap m;
  m.grid = grid;
  PixelGrid<std::vector<double>> rates = pixels(grid, std::vector<double>{});
  PixelGrid<std::vector<double>> energies = rates, stresses = rates;
  for (std::size_t k = 0; k < series.size(); ++k) {
    const AgeingSeries& s = series[k];
    check_series(s, k);
    const std::size_t row = grid.row(s.temperature_K);
    for (std::size_t i = 0; i + 1 < s.energy.size(); ++i) {
      const std::size_t bin = grid.bin(pair_energy(s, i));
      if (bin == grid.energy_bins)
        throw std::invalid_argument("ageing map: series " + std::to_string(k) +
                                    " has a pair outside the grid's energies");
      rates[row][bin].push_back(pair_rate(s, i));
      energies[row][bin].push_back(pair_energy(s, i));
      if (!s.shear_stress_GPa.empty())
        stresses[row][bin].push_back(s.shear_stress_GPa[i]);
      ++m.pairs;
    }
  }
  m.count = pixels<std::size_t>(grid, 0);
  m.rate = m.rate_error = m.energy = m.shear_stress_GPa = m.shear_stress_error_GPa =
      pixels(grid, kNaN);
  for (std::size_t t = 0; t < grid.temperatures_K.size(); ++t)
    for (std::size_t e = 0; e < grid.energy_bins; ++e) {
      m.count[t][e] = rates[t][e].size();
      if (rates[t][e].empty())
        continue;
      m.rate[t][e] = sample_mean(rates[t][e]);
      m.rate_error[t][e] = standard_error(rates[t][e]);
      m.energy[t][e] = sample_mean(energies[t][e]);
      if (stresses[t][e].empty())
        continue;
      m.shear_stress_GPa[t][e] = sample_mean(stresses[t][e]);
      m.shear_stress_error_GPa[t][e] = standard_error(stresses[t][e]);
    }
  return m;
}

AgeingRatio ageing_ratio(const AgeingMap& loaded, const AgeingMap& unloaded,
                         std::size_t min_count) {
  const AgeingGrid& g = loaded.grid;
  if (g.energy_bins != unloaded.grid.energy_bins ||
      g.temperatures_K.size() != unloaded.grid.temperatures_K.size() ||
      g.energy_origin != unloaded.grid.energy_origin ||
      g.energy_bin_width != unloaded.grid.energy_bin_width)
    throw std::invalid_argument("ageing ratio: the two maps are on different grids");
  AgeingRatio out;
  out.ratio = out.ratio_error = pixels(g, kNaN);
  out.usable = pixels(g, 0);
  for (std::size_t t = 0; t < g.temperatures_K.size(); ++t)
    for (std::size_t e = 0; e < g.energy_bins; ++e) {
      const double phi_l = loaded.rate[t][e], phi_0 = unloaded.rate[t][e];
      const double err_l = loaded.rate_error[t][e], err_0 = unloaded.rate_error[t][e];
      if (!std::isfinite(phi_l) || !std::isfinite(phi_0) || phi_0 == 0.0)
        continue;
      const double f = phi_l / phi_0;
      const double error = std::fabs(f) * std::hypot(err_l / phi_l, err_0 / phi_0);
      out.ratio[t][e] = f;
      out.ratio_error[t][e] = error;
      const bool usable = loaded.count[t][e] >= min_count && unloaded.count[t][e] >= min_count &&
                          phi_l < 0.0 && phi_0 < 0.0 && std::isfinite(error) && error > 0.0 &&
                          std::isfinite(loaded.shear_stress_GPa[t][e]);
      if (!usable)
        continue;
      out.usable[t][e] = 1;
      out.stress_GPa.push_back(loaded.shear_stress_GPa[t][e]);
      out.temperature_K.push_back(g.temperatures_K[t]);
      out.f.push_back(f);
      out.f_error.push_back(error);
    }
  return out;
}

CoshFit cosh_activation_fit(const std::vector<double>& stress_GPa,
                            const std::vector<double>& temperature_K, const std::vector<double>& f,
                            const std::vector<double>& f_error) {
  const std::size_t n = f.size();
  if (stress_GPa.size() != n || temperature_K.size() != n || f_error.size() != n)
    throw std::invalid_argument("cosh fit: stress, temperature, f and error differ in length");
  if (n < 3)
    throw std::invalid_argument("cosh fit: needs at least 3 points (2 parameters and 1 dof)");
  // u_i = τ_i/(k_B T_i) in 1/Å³ (τ in eV/Å³), so that the argument of cosh is u_i·V.
  Vector u(n), w(n);
  double u_max = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    if (!(temperature_K[i] > 0.0) || !(f_error[i] > 0.0) || !std::isfinite(f[i]) ||
        !std::isfinite(stress_GPa[i]))
      throw std::invalid_argument("cosh fit: point " + std::to_string(i) +
                                  " needs T > 0, an error > 0 and finite f and stress");
    u[i] = stress_GPa[i] / kAngstrom3_per_eV_per_GPa / (kBoltzmann_eV_per_K * temperature_K[i]);
    w[i] = 1.0 / (f_error[i] * f_error[i]);
    u_max = std::max(u_max, std::fabs(u[i]));
  }
  if (!(u_max > 0.0))
    throw std::invalid_argument("cosh fit: every stress is zero; V_act is undetermined");
  // κ(V) = Σ w f c / Σ w c² for c = cosh(u V); χ²(V) profiled over u_max·V ∈ [0, 30].
  auto kappa_at = [&](double v, double& chi2) {
    double fc = 0.0, cc = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
      const double c = std::cosh(u[i] * v);
      fc += w[i] * f[i] * c;
      cc += w[i] * c * c;
    }
    const double kappa = fc / cc;
    chi2 = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
      const double r = f[i] - kappa * std::cosh(u[i] * v);
      chi2 += w[i] * r * r;
    }
    return kappa;
  };
  const int points = 3000;
  double best_v = 0.0, best_chi2 = std::numeric_limits<double>::infinity();
  for (int k = 0; k <= points; ++k) {
    const double v = 30.0 / u_max * k / points;
    double chi2 = 0.0;
    kappa_at(v, chi2);
    if (chi2 < best_chi2) {
      best_chi2 = chi2;
      best_v = v;
    }
  }
  double chi2_start = 0.0;
  const Vector start{kappa_at(best_v, chi2_start), best_v};
  auto residuals = [&](const Vector& x) {
    Vector r(n);
    for (std::size_t i = 0; i < n; ++i)
      r[i] = x[0] * std::cosh(u[i] * x[1]) - f[i];
    return r;
  };
  auto jacobian = [&](const Vector& x) {
    Matrix J(n, Vector(2));
    for (std::size_t i = 0; i < n; ++i) {
      J[i][0] = std::cosh(u[i] * x[1]);
      J[i][1] = x[0] * std::sinh(u[i] * x[1]) * u[i];
    }
    return J;
  };
  Vector x = start;
  double chi2 = chi2_start;
  if (best_v > 0.0) {
    const NonlinearFitResult lm = levenberg_marquardt(residuals, jacobian, start, w);
    if (lm.chi2 <= chi2_start && std::isfinite(lm.chi2)) {
      x = lm.x;
      chi2 = lm.chi2;
    }
  }
  x[1] = std::fabs(x[1]);  // cosh is even
  CoshFit fit;
  fit.n = n;
  fit.dof = n - 2;
  fit.chi2 = chi2;
  fit.kappa = x[0];
  fit.volume_A3 = x[1];
  const double s2 = chi2 / fit.dof;
  if (x[1] > 0.0) {
    const Matrix covariance = least_squares_covariance(jacobian(x), w);
    fit.kappa_error = std::sqrt(s2 * covariance[0][0]);
    fit.volume_error_A3 = std::sqrt(s2 * covariance[1][1]);
    fit.correlation = covariance[0][1] / std::sqrt(covariance[0][0] * covariance[1][1]);
  } else {
    double cc = 0.0;
    for (std::size_t i = 0; i < n; ++i)
      cc += w[i];
    fit.kappa_error = std::sqrt(s2 / cc);
    fit.volume_error_A3 = kNaN;
    fit.correlation = kNaN;
  }
  return fit;
}

}  // namespace glassland::analysis
