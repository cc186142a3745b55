#include "analysis/regression.hpp"

#include <gsl/gsl_fit.h>
#include <gsl/gsl_statistics_double.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <stdexcept>

#include "analysis/constants.hpp"

namespace glassland::analysis {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

void check_inputs(const std::vector<double>& x, const std::vector<double>& y,
                  const std::vector<double>& sigma, std::size_t min_points, const char* what) {
  if (x.size() != y.size())
    throw std::invalid_argument(std::string(what) + ": x and y have different lengths");
  if (!sigma.empty() && sigma.size() != x.size())
    throw std::invalid_argument(std::string(what) + ": sigma has a different length");
  if (x.size() < min_points)
    throw std::invalid_argument(std::string(what) + " needs at least " +
                                std::to_string(min_points) + " points, got " +
                                std::to_string(x.size()));
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (!std::isfinite(x[i]) || !std::isfinite(y[i]))
      throw std::invalid_argument(std::string(what) + ": point " + std::to_string(i) +
                                  " is not finite");
    if (!sigma.empty() && !(sigma[i] > 0.0 && std::isfinite(sigma[i])))
      throw std::invalid_argument(std::string(what) + ": sigma of point " + std::to_string(i) +
                                  " must be positive");
  }
}

Vector weights_of(const std::vector<double>& sigma, std::size_t n) {
  Vector w(n, 1.0);
  for (std::size_t i = 0; i < sigma.size(); ++i)
    w[i] = 1.0 / (sigma[i] * sigma[i]);
  return w;
}

double error_scale(ErrorScaling scaling, bool weighted, double chi2, std::size_t dof) {
  const bool scale =
      scaling == ErrorScaling::reduced_chi2 || (scaling == ErrorScaling::automatic && !weighted);
  if (!scale)
    return 1.0;
  return dof > 0 ? chi2 / dof : kNaN;
}

}  // namespace

LinearFit linear_fit(const std::vector<double>& x, const std::vector<double>& y,
                     const std::vector<double>& sigma, ErrorScaling scaling) {
  check_inputs(x, y, sigma, 2, "linear fit");
  const std::size_t n = x.size();
  const Vector w = weights_of(sigma, n);
  LinearFit f;
  f.n = n;
  f.dof = n - 2;
  f.weighted = !sigma.empty();
  // GSL's weighted straight-line fit works with centred sums (safe for x far from 0, e.g.
  // 1/T ≈ 1e-3) and returns the unscaled covariance (XᵀWX)⁻¹.
  double cov00 = 0.0, cov01 = 0.0, cov11 = 0.0;
  gsl_fit_wlinear(x.data(), 1, w.data(), 1, y.data(), 1, n, &f.intercept, &f.slope, &cov00, &cov01,
                  &cov11, &f.chi2);
  if (!std::isfinite(cov11))
    throw std::invalid_argument("linear fit needs at least two distinct x values");
  const double total = gsl_stats_wtss(w.data(), 1, y.data(), 1, n);  // Σ w (y − ȳ_w)²
  f.r_squared = total > 0.0 ? 1.0 - f.chi2 / total : 1.0;
  const double s2 = error_scale(scaling, f.weighted, f.chi2, f.dof);
  f.slope_error = std::sqrt(s2 * cov11);
  f.intercept_error = std::sqrt(s2 * cov00);
  f.covariance = s2 * cov01;
  return f;
}

ArrheniusFit arrhenius_fit(const std::vector<double>& T, const std::vector<double>& y,
                           const std::vector<double>& sigma_y, ErrorScaling scaling) {
  check_inputs(T, y, sigma_y, 2, "Arrhenius fit");
  std::vector<double> beta(T.size()), lny(T.size()), sl;
  for (std::size_t i = 0; i < T.size(); ++i) {
    if (!(T[i] > 0.0))
      throw std::invalid_argument("Arrhenius fit: temperature must be positive");
    if (!(y[i] > 0.0))
      throw std::invalid_argument("Arrhenius fit: values must be positive");
    beta[i] = 1.0 / (kBoltzmann_eV_per_K * T[i]);
    lny[i] = std::log(y[i]);
    if (!sigma_y.empty())
      sl.push_back(sigma_y[i] / y[i]);  // σ(ln y) = σ_y / y
  }
  ArrheniusFit a;
  a.line = linear_fit(beta, lny, sl, scaling);
  a.Q_eV = -a.line.slope;
  a.Q_error_eV = a.line.slope_error;
  a.ln_prefactor = a.line.intercept;
  a.ln_prefactor_error = a.line.intercept_error;
  a.prefactor = std::exp(a.ln_prefactor);
  a.prefactor_error = a.prefactor * a.ln_prefactor_error;
  a.covariance_Q_ln_prefactor = -a.line.covariance;
  return a;
}

namespace {

struct ProfiledFit {
  Vector theta;  // (linear parameters…, u)
  double chi2 = 0.0;
  Matrix covariance;  // s²(JᵀWJ)⁻¹: s² = 1 with σ_i (weights), χ²/dof without
};

// Least squares for a model that is linear in all parameters but one, u (T0, x_k): model_i =
// Σ_j X_ij(u) β_j. χ²(u) is profiled on the grid (a linear fit at each u), which finds the global
// minimum's basin; from the best grid point Levenberg–Marquardt refines β and u together. The
// refinement is kept when it lowers χ² and leaves u inside the grid's range, else the best grid
// point stands. dX(u) is ∂X/∂u, which gives the Jacobian's u column Σ_j ∂X_ij/∂u β_j. The
// covariance is the linearised one, s²(JᵀWJ)⁻¹ at the optimum.
ProfiledFit fit_profiled(const std::function<Matrix(double)>& X,
                         const std::function<Matrix(double)>& dX, const Vector& y, const Vector& w,
                         const Vector& grid) {
  ProfiledFit start;
  start.chi2 = std::numeric_limits<double>::infinity();
  for (double u : grid) {
    try {
      Matrix cov;
      double chi2 = 0.0;
      Vector beta = weighted_least_squares(X(u), y, w, cov, chi2);
      if (chi2 < start.chi2) {
        beta.push_back(u);
        start = {beta, chi2, {}};
      }
    } catch (const std::invalid_argument&) {
      // a singular design at this u: not a candidate
    }
  }
  if (!std::isfinite(start.chi2))
    throw std::invalid_argument("fit: the design matrix is singular everywhere on the search grid");
  const std::size_t p = start.theta.size();
  auto residuals = [&](const Vector& theta) {
    const Matrix rows = X(theta.back());
    Vector r(y.size());
    for (std::size_t i = 0; i < y.size(); ++i) {
      r[i] = -y[i];
      for (std::size_t j = 0; j + 1 < p; ++j)
        r[i] += rows[i][j] * theta[j];
      if (!std::isfinite(r[i]))
        r[i] = 1e100;  // beyond a pole of the model (T = T0): a step the trust region rejects
    }
    return r;
  };
  auto jacobian = [&](const Vector& theta) {
    const Matrix rows = X(theta.back()), slopes = dX(theta.back());
    Matrix J(y.size(), Vector(p, 0.0));
    for (std::size_t i = 0; i < y.size(); ++i)
      for (std::size_t j = 0; j + 1 < p; ++j) {
        J[i][j] = rows[i][j];
        J[i][p - 1] += slopes[i][j] * theta[j];
      }
    return J;
  };
  const NonlinearFitResult lm = levenberg_marquardt(residuals, jacobian, start.theta, w);
  const auto [lo, hi] = std::minmax_element(grid.begin(), grid.end());
  ProfiledFit f = start;
  if (lm.chi2 <= start.chi2 && lm.x.back() >= *lo && lm.x.back() <= *hi)
    f = {lm.x, lm.chi2, {}};
  const std::size_t dof = y.size() - p;
  const double s2 = w.empty() ? f.chi2 / dof : 1.0;
  f.covariance = least_squares_covariance(jacobian(f.theta), w);
  for (auto& row : f.covariance)
    for (double& v : row)
      v *= s2;
  return f;
}

}  // namespace

VftFit vft_fit(const std::vector<double>& T, const std::vector<double>& y,
               const std::vector<double>& sigma_y) {
  check_inputs(T, y, sigma_y, 4, "VFT fit");
  const std::size_t n = T.size();
  Vector lny(n), w;
  for (std::size_t i = 0; i < n; ++i) {
    if (!(y[i] > 0.0))
      throw std::invalid_argument("VFT fit: values must be positive");
    lny[i] = std::log(y[i]);
    if (!sigma_y.empty())
      w.push_back(y[i] * y[i] / (sigma_y[i] * sigma_y[i]));
  }
  const double tmin = *std::min_element(T.begin(), T.end());
  const double tmax = *std::max_element(T.begin(), T.end());
  const double span = tmax - tmin;
  if (!(span > 0.0))
    throw std::invalid_argument("VFT fit needs distinct temperatures");
  // For fixed T0: ln y = ln y0 + B·1/(T − T0), linear. T0 is searched on a log grid of the gap
  // T_min − T0 from 1e-4 of the span to 100 T_max (the Arrhenius limit).
  const int points = 600;
  Vector grid(points);
  for (int k = 0; k < points; ++k)
    grid[k] = tmin - 1e-4 * span * std::pow(100.0 * tmax / (1e-4 * span), k / (points - 1.0));
  auto X = [&](double T0) {
    Matrix rows(n);
    for (std::size_t i = 0; i < n; ++i)
      rows[i] = {1.0, 1.0 / (T[i] - T0)};
    return rows;
  };
  auto dX = [&](double T0) {
    Matrix rows(n);
    for (std::size_t i = 0; i < n; ++i)
      rows[i] = {0.0, 1.0 / ((T[i] - T0) * (T[i] - T0))};
    return rows;
  };
  const ProfiledFit p = fit_profiled(X, dX, lny, w, grid);
  VftFit f;
  f.n = n;
  f.dof = n - 3;
  f.ln_y0 = p.theta[0];
  f.B_K = p.theta[1];
  f.T0_K = p.theta[2];
  f.chi2 = p.chi2;
  f.covariance = p.covariance;
  f.ln_y0_error = std::sqrt(f.covariance[0][0]);
  f.B_error_K = std::sqrt(f.covariance[1][1]);
  f.T0_error_K = std::sqrt(f.covariance[2][2]);
  f.y0 = std::exp(f.ln_y0);
  f.y0_error = f.y0 * f.ln_y0_error;
  return f;
}

KinkFit kink_fit(const std::vector<double>& x, const std::vector<double>& y,
                 const std::vector<double>& sigma) {
  check_inputs(x, y, sigma, 5, "kink fit");
  const std::size_t n = x.size();
  const Vector w = sigma.empty() ? Vector{} : weights_of(sigma, n);
  std::vector<double> xs = x;
  std::sort(xs.begin(), xs.end());
  // The kink lies between the 2nd and the (n−1)th smallest x, so each branch has ≥ 2 points.
  const double lo = xs[1], hi = xs[n - 2];
  if (!(hi > lo))
    throw std::invalid_argument("kink fit needs distinct x values");
  const int points = 2001;
  Vector grid(points);
  for (int k = 0; k < points; ++k)
    grid[k] = lo + (hi - lo) * k / (points - 1.0);
  auto X = [&](double xk) {
    Matrix rows(n);
    for (std::size_t i = 0; i < n; ++i)
      rows[i] = {1.0, std::min(x[i] - xk, 0.0), std::max(x[i] - xk, 0.0)};
    return rows;
  };
  auto dX = [&](double xk) {
    Matrix rows(n);
    for (std::size_t i = 0; i < n; ++i)
      rows[i] = {0.0, x[i] < xk ? -1.0 : 0.0, x[i] < xk ? 0.0 : -1.0};
    return rows;
  };
  const ProfiledFit p = fit_profiled(X, dX, y, w, grid);
  KinkFit f;
  f.n = n;
  f.dof = n - 4;
  f.kink_y = p.theta[0];
  f.slope_below = p.theta[1];
  f.slope_above = p.theta[2];
  f.kink_x = p.theta[3];
  f.chi2 = p.chi2;
  f.covariance = p.covariance;
  f.kink_y_error = std::sqrt(f.covariance[0][0]);
  f.slope_below_error = std::sqrt(f.covariance[1][1]);
  f.slope_above_error = std::sqrt(f.covariance[2][2]);
  f.kink_x_error = std::sqrt(f.covariance[3][3]);
  return f;
}

}  // namespace glassland::analysis
