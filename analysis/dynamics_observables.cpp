#include "analysis/dynamics_observables.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "analysis/constants.hpp"
#include "analysis/regression.hpp"
#include "analysis/sample_statistics.hpp"

namespace glassland::analysis {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}

std::vector<std::size_t> groups_of(std::size_t n_species, std::size_t subsets, int species,
                                   int subset) {
  std::vector<std::size_t> groups;
  for (std::size_t s = 0; s < n_species; ++s) {
    if (species >= 0 && static_cast<std::size_t>(species) != s)
      continue;
    for (std::size_t k = 0; k < subsets; ++k)
      if (subset < 0 || static_cast<std::size_t>(subset) == k)
        groups.push_back(s * subsets + k);
  }
  return groups;
}

DisplacementCurves displacement_curves(const DisplacementSums& sums,
                                       const std::vector<std::size_t>& groups, int dimensions,
                                       double van_hove_bin) {
  const std::size_t lags = sums.lags();
  const std::size_t G = sums.n_groups;
  DisplacementCurves c;
  c.pairs.assign(lags, 0.0);
  c.msd.assign(lags, kNaN);
  c.alpha2.assign(lags, kNaN);
  c.fs.assign(sums.n_q, std::vector<double>(lags, kNaN));
  const double d = dimensions;
  for (std::size_t lag = 0; lag < lags; ++lag) {
    double n = 0.0, r2 = 0.0, r4 = 0.0;
    std::vector<double> fs(sums.n_q, 0.0);
    for (std::size_t g : groups) {
      n += sums.count[lag * G + g];
      r2 += sums.r2[lag * G + g];
      r4 += sums.r4[lag * G + g];
      for (std::size_t q = 0; q < sums.n_q; ++q)
        fs[q] += sums.fs[(lag * sums.n_q + q) * G + g];
    }
    c.pairs[lag] = n;
    if (n == 0.0)
      continue;
    c.msd[lag] = r2 / n;
    if (r2 > 0.0)
      c.alpha2[lag] = d * (r4 / n) / ((d + 2.0) * (r2 / n) * (r2 / n)) - 1.0;
    for (std::size_t q = 0; q < sums.n_q; ++q)
      c.fs[q][lag] = fs[q] / n;
  }
  for (std::size_t v = 0; v < sums.van_hove.size(); ++v) {
    const std::size_t bins = sums.van_hove[v].size() / G;
    std::vector<double> histogram(bins, 0.0);
    double total = 0.0, beyond = 0.0;
    for (std::size_t g : groups) {
      for (std::size_t b = 0; b < bins; ++b)
        histogram[b] += sums.van_hove[v][g * bins + b];
      beyond += sums.van_hove_beyond[v][g];
    }
    for (double h : histogram)
      total += h;
    total += beyond;
    // G_s = P(bin) / shell measure: 4π/3 (r₂³ − r₁³) in 3D, π (r₂² − r₁²) in 2D.
    for (std::size_t b = 0; b < bins; ++b) {
      const double r1 = b * van_hove_bin, r2 = (b + 1) * van_hove_bin;
      const double shell = dimensions == 3 ? 4.0 * kPi / 3.0 * (r2 * r2 * r2 - r1 * r1 * r1)
                                           : kPi * (r2 * r2 - r1 * r1);
      histogram[b] = total > 0.0 ? histogram[b] / total / shell : kNaN;
    }
    c.van_hove.push_back(std::move(histogram));
    c.van_hove_beyond.push_back(total > 0.0 ? beyond / total : kNaN);
  }
  return c;
}

namespace {

// Slope of MSD against t over the lags in [t1, t2] that have a value.
struct WindowFit {
  LinearFit line;
  std::size_t first = 0, last = 0;  // lag indices of the window's ends
};
WindowFit fit_window(const std::vector<double>& lag_ps, const std::vector<double>& msd, double t1,
                     double t2) {
  std::vector<double> x, y;
  WindowFit w;
  for (std::size_t k = 0; k < lag_ps.size() && k < msd.size(); ++k)
    if (lag_ps[k] >= t1 && lag_ps[k] <= t2 && std::isfinite(msd[k])) {
      if (x.empty())
        w.first = k;
      w.last = k;
      x.push_back(lag_ps[k]);
      y.push_back(msd[k]);
    }
  if (x.size() < 3)
    throw std::invalid_argument("the MSD fit window [" + std::to_string(t1) + ", " +
                                std::to_string(t2) + "] ps holds " + std::to_string(x.size()) +
                                " lag(s) with data; at least 3 are needed (widen the window or "
                                "give more frames)");
  w.line = linear_fit(x, y);
  return w;
}

}  // namespace

DiffusionFit fit_diffusion(const std::vector<double>& lag_ps, const std::vector<double>& msd,
                           const std::vector<std::vector<double>>& subset_msd, int dimensions,
                           double window_start_ps, double window_end_ps) {
  double t_max = 0.0;
  for (std::size_t k = 0; k < lag_ps.size() && k < msd.size(); ++k)
    if (std::isfinite(msd[k]))
      t_max = lag_ps[k];
  DiffusionFit fit;
  fit.window_start_ps = std::isnan(window_start_ps) ? t_max / 10.0 : window_start_ps;
  fit.window_end_ps = std::isnan(window_end_ps) ? t_max / 2.0 : window_end_ps;
  if (!(fit.window_end_ps > fit.window_start_ps))
    throw std::invalid_argument("the MSD fit window must end after it starts (got " +
                                std::to_string(fit.window_start_ps) + " to " +
                                std::to_string(fit.window_end_ps) + " ps)");
  const WindowFit all = fit_window(lag_ps, msd, fit.window_start_ps, fit.window_end_ps);
  const double per_ps = 1.0 / (2.0 * dimensions);
  fit.value_m2_per_s = all.line.slope * per_ps * kSquareMetrePerSecond_per_SquareAngstromPerPs;
  fit.points = all.line.n;
  fit.intercept_A2 = all.line.intercept;
  const double ta = lag_ps[all.first], tb = lag_ps[all.last];
  fit.loglog_slope = (ta > 0.0 && msd[all.first] > 0.0 && msd[all.last] > 0.0)
                         ? std::log(msd[all.last] / msd[all.first]) / std::log(tb / ta)
                         : kNaN;
  std::vector<double> subset_d;
  for (const auto& curve : subset_msd)
    subset_d.push_back(
        fit_window(lag_ps, curve, fit.window_start_ps, fit.window_end_ps).line.slope * per_ps *
        kSquareMetrePerSecond_per_SquareAngstromPerPs);
  fit.stderr_m2_per_s = subset_d.size() >= 2 ? sample_standard_deviation(subset_d) /
                                                   std::sqrt(static_cast<double>(subset_d.size()))
                                             : kNaN;
  if (!(std::fabs(fit.loglog_slope - 1.0) <= 0.1))
    fit.note = "the MSD is not linear in t over the fit window (log-log slope " +
               std::to_string(fit.loglog_slope) +
               "): D measures diffusion only in the linear regime; choose a later or longer "
               "window, or run longer";
  return fit;
}

double first_crossing_time(const std::vector<double>& lag_ps, const std::vector<double>& curve,
                           double level) {
  for (std::size_t k = 1; k < lag_ps.size() && k < curve.size(); ++k) {
    if (!std::isfinite(curve[k]) || !(curve[k] <= level))
      continue;
    // The previous lag with a value is above the level (otherwise we would have stopped there).
    std::size_t j = k;
    while (j > 0 && !std::isfinite(curve[j - 1]))
      --j;
    if (j == 0)
      return lag_ps[k];
    const double a = curve[j - 1], b = curve[k];
    return lag_ps[j - 1] + (a - level) / (a - b) * (lag_ps[k] - lag_ps[j - 1]);
  }
  return kNaN;
}

DebyeWaller debye_waller_factor(const std::vector<double>& lag_ps, const std::vector<double>& msd) {
  // Log-spaced points (a factor ≥ 1.25 apart) with a value.
  std::vector<std::size_t> picked;
  for (std::size_t k = 1; k < lag_ps.size() && k < msd.size(); ++k) {
    if (!(lag_ps[k] > 0.0) || !(msd[k] > 0.0))
      continue;
    if (picked.empty() || lag_ps[k] >= 1.25 * lag_ps[picked.back()])
      picked.push_back(k);
  }
  DebyeWaller dw;
  if (picked.size() < 4) {
    dw.note = "too few lags to locate an inflection of log MSD against log t";
    return dw;
  }
  // Slopes between neighbours, placed at the geometric mean of their times.
  std::vector<double> slope, time, value;
  for (std::size_t p = 1; p < picked.size(); ++p) {
    const std::size_t a = picked[p - 1], b = picked[p];
    slope.push_back(std::log(msd[b] / msd[a]) / std::log(lag_ps[b] / lag_ps[a]));
    time.push_back(std::sqrt(lag_ps[a] * lag_ps[b]));
    value.push_back(std::sqrt(msd[a] * msd[b]));
  }
  const std::size_t m = std::min_element(slope.begin(), slope.end()) - slope.begin();
  dw.slope = slope[m];
  dw.time_ps = time[m];
  dw.u2_A2 = value[m];
  if (m == 0 || m + 1 == slope.size()) {
    dw.note = "the log-log slope of the MSD is smallest at the " +
              std::string(m == 0 ? "first" : "last") +
              " lag: no inflection (no cage plateau) within the lags";
    return dw;
  }
  const double later = *std::max_element(slope.begin() + m, slope.end());
  if (!(later > slope[m] + 0.15)) {
    dw.note = "the log-log slope of the MSD does not rise again after its minimum " +
              std::to_string(slope[m]) + ": no inflection (no cage plateau) within the lags";
    return dw;
  }
  if (!(slope[m] < 0.8)) {
    dw.note = "the log-log slope of the MSD never falls below 0.8 (its minimum is " +
              std::to_string(slope[m]) + "): no cage plateau";
    return dw;
  }
  dw.found = true;
  return dw;
}

}  // namespace glassland::analysis
