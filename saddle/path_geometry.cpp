// Minimum-energy-path analysis (sources in saddle/path_geometry.hpp).
#include "saddle/path_geometry.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace glassland {

namespace {

// E(u) = e0 + d0 u + c2 u² + c3 u³ on [0, h] with E(h) = e1, E'(0) = d0, E'(h) = d1.
struct Cubic {
  double e0, d0, c2, c3;
  double operator()(double u) const { return e0 + u * (d0 + u * (c2 + u * c3)); }
};

Cubic hermite(double e0, double e1, double d0, double d1, double h) {
  const double de = e1 - e0;
  return {e0, d0, (3.0 * de - (2.0 * d0 + d1) * h) / (h * h),
          ((d0 + d1) * h - 2.0 * de) / (h * h * h)};
}

}  // namespace

EnergyProfileFit fit_energy_profile(const std::vector<double>& s, const std::vector<double>& e,
                                    const std::vector<double>& f, int points_per_segment) {
  const size_t m = e.size();
  if (m < 2 || s.size() != m || f.size() != m)
    throw std::invalid_argument("fit_energy_profile: need >= 2 images with s, E and F each");
  if (points_per_segment < 1)
    points_per_segment = 1;
  EnergyProfileFit fit;
  fit.max_energy = e[0];
  fit.max_coordinate = s[0];
  auto consider = [&](double coordinate, double energy) {
    if (energy > fit.max_energy) {
      fit.max_energy = energy;
      fit.max_coordinate = coordinate;
    }
  };
  for (size_t k = 0; k + 1 < m; ++k) {
    const double h = s[k + 1] - s[k];
    consider(s[k + 1], e[k + 1]);
    if (!(h > 0.0)) {
      fit.coordinate.push_back(s[k]);
      fit.energy.push_back(e[k]);
      continue;
    }
    // dE/ds = −F∥.
    const Cubic cubic = hermite(e[k], e[k + 1], -f[k], -f[k + 1], h);
    for (int p = 0; p < points_per_segment; ++p) {
      const double u = h * p / points_per_segment;
      fit.coordinate.push_back(s[k] + u);
      fit.energy.push_back(cubic(u));
    }
    // Stationary points inside the segment: d0 + 2 c2 u + 3 c3 u² = 0.
    const double a = 3.0 * cubic.c3, b = 2.0 * cubic.c2, c = cubic.d0;
    std::vector<double> roots;
    if (std::fabs(a) < 1e-14 * (std::fabs(b) + std::fabs(c) + 1e-300)) {
      if (b != 0.0)
        roots.push_back(-c / b);
    } else {
      const double disc = b * b - 4.0 * a * c;
      if (disc >= 0.0) {
        const double q = -0.5 * (b + std::copysign(std::sqrt(disc), b));
        if (q != 0.0) {
          roots.push_back(q / a);
          roots.push_back(c / q);
        } else {
          roots.push_back(0.0);
        }
      }
    }
    for (double u : roots)
      if (u > 0.0 && u < h)
        consider(s[k] + u, cubic(u));
  }
  fit.coordinate.push_back(s[m - 1]);
  fit.energy.push_back(e[m - 1]);
  fit.barrier_forward = fit.max_energy - e.front();
  fit.barrier_backward = fit.max_energy - e.back();
  return fit;
}

int count_energy_humps(const std::vector<double>& e, double prominence) {
  // Walk the profile and count rises of more than `prominence` followed by falls of more than
  // `prominence`: each such up-down pair is one hump; small wiggles do not count.
  int humps = 0;
  if (e.size() < 3)
    return 0;
  double low = e[0], high = e[0];
  bool climbing = false;
  for (size_t k = 1; k < e.size(); ++k) {
    if (!climbing) {
      low = std::min(low, e[k]);
      if (e[k] - low > prominence) {
        climbing = true;
        high = e[k];
      }
    } else {
      high = std::max(high, e[k]);
      if (high - e[k] > prominence) {
        ++humps;
        climbing = false;
        low = e[k];
      }
    }
  }
  return humps;
}

bool is_single_hump(const std::vector<double>& e, double prominence) {
  if (e.size() < 3)
    return false;
  const size_t top = static_cast<size_t>(std::max_element(e.begin(), e.end()) - e.begin());
  if (top == 0 || top == e.size() - 1)
    return false;  // the highest point is an endpoint: no barrier between the two states
  // Uphill from the initial state: no image falls below the highest one before it by more than
  // `prominence`; the same downhill to the final state, read from the other end.
  double highest = e.front();
  for (size_t k = 1; k <= top; ++k) {
    if (e[k] < highest - prominence)
      return false;
    highest = std::max(highest, e[k]);
  }
  highest = e.back();
  for (size_t k = e.size() - 1; k-- > top;) {
    if (e[k] < highest - prominence)
      return false;
    highest = std::max(highest, e[k]);
  }
  return true;
}

double tortuosity(double contour_length, double end_to_end) {
  return end_to_end > 0.0 ? contour_length / end_to_end : 0.0;
}

PowerLawFit fit_fractal_dimension(const std::vector<double>& end_to_end,
                                  const std::vector<double>& contour_length) {
  if (end_to_end.size() != contour_length.size())
    throw std::invalid_argument("fit_fractal_dimension: L and C differ in length");
  std::vector<double> x, y;
  for (size_t k = 0; k < end_to_end.size(); ++k) {
    if (end_to_end[k] > 0.0 && contour_length[k] > 0.0) {
      x.push_back(std::log(end_to_end[k]));
      y.push_back(std::log(contour_length[k]));
    }
  }
  const size_t n = x.size();
  if (n < 2)
    throw std::invalid_argument("fit_fractal_dimension: need at least 2 paths with L, C > 0");
  double mx = 0.0, my = 0.0;
  for (size_t k = 0; k < n; ++k) {
    mx += x[k];
    my += y[k];
  }
  mx /= n;
  my /= n;
  double sxx = 0.0, sxy = 0.0;
  for (size_t k = 0; k < n; ++k) {
    sxx += (x[k] - mx) * (x[k] - mx);
    sxy += (x[k] - mx) * (y[k] - my);
  }
  if (!(sxx > 0.0))
    throw std::invalid_argument("fit_fractal_dimension: all end-to-end lengths are equal");
  PowerLawFit fit;
  fit.n_points = static_cast<int>(n);
  fit.exponent = sxy / sxx;
  const double intercept = my - fit.exponent * mx;
  fit.prefactor = std::exp(intercept);
  if (n > 2) {
    double ssr = 0.0;
    for (size_t k = 0; k < n; ++k) {
      const double residual = y[k] - intercept - fit.exponent * x[k];
      ssr += residual * residual;
    }
    fit.exponent_error = std::sqrt(ssr / (n - 2) / sxx);
  } else {
    fit.exponent_error = std::numeric_limits<double>::quiet_NaN();
  }
  return fit;
}

double parallel_average_barrier(const std::vector<double>& barriers, double kT) {
  if (barriers.empty() || !(kT > 0.0))
    throw std::invalid_argument("parallel_average_barrier: need barriers and kT > 0");
  // Shift by the smallest barrier so the exponentials cannot underflow.
  const double lowest = *std::min_element(barriers.begin(), barriers.end());
  double sum = 0.0;
  for (double e : barriers)
    sum += std::exp(-(e - lowest) / kT);
  return lowest - kT * std::log(sum / barriers.size());
}

}  // namespace glassland
