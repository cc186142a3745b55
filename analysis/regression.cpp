#include "analysis/regression.hpp"

#include <algorithm>
#include <cmath>
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
  // Centred sums: numerically safe for x far from 0 (1/T ≈ 1e-3, T ≈ 1e3).
  double S = 0.0, Sx = 0.0, Sy = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    S += w[i];
    Sx += w[i] * x[i];
    Sy += w[i] * y[i];
  }
  const double xm = Sx / S, ym = Sy / S;
  double Sxx = 0.0, Sxy = 0.0, Syy = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    Sxx += w[i] * (x[i] - xm) * (x[i] - xm);
    Sxy += w[i] * (x[i] - xm) * (y[i] - ym);
    Syy += w[i] * (y[i] - ym) * (y[i] - ym);
  }
  if (!(Sxx > 0.0))
    throw std::invalid_argument("linear fit needs at least two distinct x values");
  LinearFit f;
  f.n = n;
  f.dof = n - 2;
  f.weighted = !sigma.empty();
  f.slope = Sxy / Sxx;
  f.intercept = ym - f.slope * xm;
  for (std::size_t i = 0; i < n; ++i) {
    const double r = y[i] - f.intercept - f.slope * x[i];
    f.chi2 += w[i] * r * r;
  }
  f.r_squared = Syy > 0.0 ? 1.0 - f.chi2 / Syy : 1.0;
  const double s2 = error_scale(scaling, f.weighted, f.chi2, f.dof);
  f.slope_error = std::sqrt(s2 / Sxx);
  f.intercept_error = std::sqrt(s2 * (1.0 / S + xm * xm / Sxx));
  f.covariance = -s2 * xm / Sxx;
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

Vector weighted_least_squares(const Matrix& X, const Vector& y, const Vector& w, Matrix& cov,
                              double& chi2) {
  const std::size_t n = X.size(), p = X.front().size();
  Matrix A(p, Vector(p, 0.0));
  Vector b(p, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    const double wi = w.empty() ? 1.0 : w[i];
    for (std::size_t j = 0; j < p; ++j) {
      b[j] += wi * X[i][j] * y[i];
      for (std::size_t k = 0; k < p; ++k)
        A[j][k] += wi * X[i][j] * X[i][k];
    }
  }
  if (!invert_matrix(A, cov))
    throw std::invalid_argument("least squares: singular design matrix");
  Vector beta(p, 0.0);
  for (std::size_t j = 0; j < p; ++j)
    for (std::size_t k = 0; k < p; ++k)
      beta[j] += cov[j][k] * b[k];
  chi2 = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    double r = y[i];
    for (std::size_t j = 0; j < p; ++j)
      r -= X[i][j] * beta[j];
    chi2 += (w.empty() ? 1.0 : w[i]) * r * r;
  }
  return beta;
}

namespace {

// Covariance s²(JᵀWJ)⁻¹ of a nonlinear least-squares fit from its Jacobian.
Matrix jacobian_covariance(const Matrix& J, const Vector& w, double s2) {
  const std::size_t p = J.front().size();
  Matrix A(p, Vector(p, 0.0));
  for (std::size_t i = 0; i < J.size(); ++i)
    for (std::size_t j = 0; j < p; ++j)
      for (std::size_t k = 0; k < p; ++k)
        A[j][k] += (w.empty() ? 1.0 : w[i]) * J[i][j] * J[i][k];
  Matrix cov;
  if (!invert_matrix(A, cov))
    return Matrix(p, Vector(p, kNaN));
  for (auto& row : cov)
    for (double& v : row)
      v *= s2;
  return cov;
}

// Minimise a profile function over a bracket: grid, then golden section between the neighbours
// of the best grid point.
double profile_minimize(const std::function<double(double)>& f, double lo, double hi, int grid,
                        bool log_spaced) {
  std::vector<double> u(grid);
  for (int i = 0; i < grid; ++i) {
    const double t = static_cast<double>(i) / (grid - 1);
    u[i] = log_spaced ? lo * std::pow(hi / lo, t) : lo + t * (hi - lo);
  }
  int best = 0;
  double fbest = std::numeric_limits<double>::infinity();
  for (int i = 0; i < grid; ++i) {
    const double v = f(u[i]);
    if (v < fbest) {
      fbest = v;
      best = i;
    }
  }
  const double a = u[std::max(best - 1, 0)], b = u[std::min(best + 1, grid - 1)];
  if (log_spaced) {
    const double t = golden_section_minimize([&](double lu) { return f(std::exp(lu)); },
                                             std::log(a), std::log(b), 1e-12);
    return std::exp(t);
  }
  return golden_section_minimize(f, a, b, 1e-12 * std::max(1.0, std::abs(hi - lo)));
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
  // For fixed T0: ln y = ln y0 + B·1/(T − T0), linear.
  auto solve = [&](double T0, Vector& beta, Matrix& cov) {
    Matrix X(n, Vector(2));
    for (std::size_t i = 0; i < n; ++i)
      X[i] = {1.0, 1.0 / (T[i] - T0)};
    double chi2;
    beta = weighted_least_squares(X, lny, w, cov, chi2);
    return chi2;
  };
  auto rss_of_gap = [&](double gap) {
    Vector beta;
    Matrix cov;
    try {
      return solve(tmin - gap, beta, cov);
    } catch (const std::invalid_argument&) {
      return std::numeric_limits<double>::infinity();
    }
  };
  // The gap T_min − T0 from 1e-4 of the span to 100 T_max (the Arrhenius limit).
  const double gap = profile_minimize(rss_of_gap, 1e-4 * span, 100.0 * tmax, 600, true);
  VftFit f;
  f.n = n;
  f.dof = n - 3;
  f.T0_K = tmin - gap;
  Vector beta;
  Matrix cov2;
  f.chi2 = solve(f.T0_K, beta, cov2);
  f.ln_y0 = beta[0];
  f.B_K = beta[1];
  Matrix J(n, Vector(3));
  for (std::size_t i = 0; i < n; ++i) {
    const double d = T[i] - f.T0_K;
    J[i] = {1.0, 1.0 / d, f.B_K / (d * d)};
  }
  const double s2 = sigma_y.empty() ? f.chi2 / f.dof : 1.0;
  f.covariance = jacobian_covariance(J, w, s2);
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
  auto design = [&](double xk) {
    Matrix X(n, Vector(3));
    for (std::size_t i = 0; i < n; ++i)
      X[i] = {1.0, std::min(x[i] - xk, 0.0), std::max(x[i] - xk, 0.0)};
    return X;
  };
  auto rss = [&](double xk) {
    Matrix cov;
    double chi2;
    try {
      weighted_least_squares(design(xk), y, w, cov, chi2);
    } catch (const std::invalid_argument&) {
      return std::numeric_limits<double>::infinity();
    }
    return chi2;
  };
  KinkFit f;
  f.n = n;
  f.dof = n - 4;
  f.kink_x = profile_minimize(rss, lo, hi, 2001, false);
  Matrix cov3;
  const Vector beta = weighted_least_squares(design(f.kink_x), y, w, cov3, f.chi2);
  f.kink_y = beta[0];
  f.slope_below = beta[1];
  f.slope_above = beta[2];
  Matrix J(n, Vector(4));
  for (std::size_t i = 0; i < n; ++i) {
    const bool below = x[i] < f.kink_x;
    J[i] = {1.0, below ? x[i] - f.kink_x : 0.0, below ? 0.0 : x[i] - f.kink_x,
            below ? -f.slope_below : -f.slope_above};
  }
  const double s2 = sigma.empty() ? f.chi2 / f.dof : 1.0;
  f.covariance = jacobian_covariance(J, w, s2);
  f.kink_y_error = std::sqrt(f.covariance[0][0]);
  f.slope_below_error = std::sqrt(f.covariance[1][1]);
  f.slope_above_error = std::sqrt(f.covariance[2][2]);
  f.kink_x_error = std::sqrt(f.covariance[3][3]);
  return f;
}

}  // namespace glassland::analysis
