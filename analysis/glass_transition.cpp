#include "analysis/glass_transition.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace glassland::analysis {

std::vector<double> block_means(const std::vector<double>& values, std::size_t block) {
  if (block == 0)
    throw std::invalid_argument("block averaging needs a block of at least 1 point");
  if (block == 1)
    return values;
  std::vector<double> means;
  for (std::size_t first = 0; first + block <= values.size(); first += block) {
    double sum = 0.0;
    for (std::size_t i = first; i < first + block; ++i)
      sum += values[i];
    means.push_back(sum / static_cast<double>(block));
  }
  return means;
}

double lag1_autocorrelation(const std::vector<double>& values) {
  const std::size_t n = values.size();
  if (n < 3)
    return 0.0;
  double mean = 0.0;
  for (double v : values)
    mean += v / static_cast<double>(n);
  double c0 = 0.0, c1 = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    c0 += (values[i] - mean) * (values[i] - mean);
    if (i + 1 < n)
      c1 += (values[i] - mean) * (values[i + 1] - mean);
  }
  return c0 > 0.0 ? c1 / c0 : 0.0;
}

GlassTransitionFit fit_glass_transition(const std::vector<double>& temperature,
                                        const std::vector<double>& y) {
  GlassTransitionFit g;
  g.kink = kink_fit(temperature, y);
  const KinkFit& k = g.kink;
  g.n = temperature.size();
  g.tg = k.kink_x;
  g.value_at_tg = k.kink_y;
  g.slope_glass = k.slope_below;
  g.slope_liquid = k.slope_above;
  std::vector<double> residuals(g.n);
  for (std::size_t i = 0; i < g.n; ++i) {
    const double dt = temperature[i] - k.kink_x;
    residuals[i] =
        y[i] - (k.kink_y + k.slope_below * std::min(dt, 0.0) + k.slope_above * std::max(dt, 0.0));
    (temperature[i] < k.kink_x ? g.n_glass : g.n_liquid) += 1;
  }
  // Santer et al. (2000): only positive autocorrelation reduces the information in the record.
  g.residual_autocorrelation = lag1_autocorrelation(residuals);
  const double rho = std::max(g.residual_autocorrelation, 0.0);
  const double n = static_cast<double>(g.n);
  g.effective_points = n * (1.0 - rho) / (1.0 + rho);
  constexpr double parameters = 4.0;
  g.error_inflation = g.effective_points > parameters + 1.0
                          ? std::sqrt((n - parameters) / (g.effective_points - parameters))
                          : std::numeric_limits<double>::quiet_NaN();
  g.tg_error_uncorrected = k.kink_x_error;
  g.tg_error = k.kink_x_error * g.error_inflation;
  g.slope_glass_error = k.slope_below_error * g.error_inflation;
  g.slope_liquid_error = k.slope_above_error * g.error_inflation;
  g.value_at_tg_error = k.kink_y_error * g.error_inflation;
  return g;
}

}  // namespace glassland::analysis
