// Numerical tools of the statistics code, each a thin wrapper of a well-kept library (GSL 2.7,
// Debian's libgsl-dev) so that the callers stay in std::vector and never see GSL's types or its
// global error handler (errors become return values here, never an abort):
//   - weighted linear least squares with covariance: gsl_multifit_wlinear_tsvd (SVD);
//   - nonlinear least squares: gsl_multifit_nlinear, trust-region Levenberg–Marquardt;
//   - covariance (JᵀWJ)⁻¹ from a Jacobian: gsl_multifit_nlinear_covar (QR, column pivoting);
//   - inverse of a symmetric positive-definite matrix: gsl_linalg_cholesky_decomp1/_invert;
//   - Nelder–Mead simplex minimisation: gsl_multimin_fminimizer_nmsimplex2;
//   - adaptive quadrature: gsl_integration_qag (21-point Gauss–Kronrod).
// Written here because no library of Debian 12 offers them:
//   - log_sum_exp: neither GSL nor Boost 1.74 has one (Boost.Math's logsumexp came with 1.79);
//     it is two lines.
//   - numerical_hessian: GSL (gsl_deriv_central) and Boost.Math (finite_difference_derivative)
//     differentiate functions of one variable only, and Boost's autodiff would need the
//     likelihoods rewritten as templates; the Hessian is the textbook central-difference stencil.
// Plain host C++ (no Kokkos); sizes are tiny (≤ 6 parameters).
#pragma once

#include <functional>
#include <vector>

namespace glassland::analysis {

using Vector = std::vector<double>;
using Matrix = std::vector<std::vector<double>>;  // row-major, square where it matters

// Inverse of a symmetric positive-definite matrix by Cholesky decomposition. Returns false
// (and leaves `inverse` unspecified) when the matrix is not positive definite.
bool invert_positive_definite(const Matrix& a, Matrix& inverse);

// General weighted linear least squares: rows of the design matrix, data, weights (empty = 1).
// Returns the parameters; `unscaled_covariance` receives (XᵀWX)⁻¹ and `chi2` Σ w r². Throws
// std::invalid_argument when the design matrix is singular (rank below its column count).
Vector weighted_least_squares(const Matrix& design, const Vector& y, const Vector& weights,
                              Matrix& unscaled_covariance, double& chi2);

// (JᵀWJ)⁻¹ of a least-squares problem from the Jacobian J_ij = ∂model_i/∂θ_j at the optimum and
// the weights (empty = 1); all NaN when J is rank deficient.
Matrix least_squares_covariance(const Matrix& jacobian, const Vector& weights);

struct NonlinearFitResult {
  Vector x;
  double chi2 = 0.0;  // Σ w r² at x
  int iterations = 0;
  bool converged = false;  // false: stopped by the iteration limit (x is still the best found)
};

// Minimises Σ w_i r_i(x)² by Levenberg–Marquardt from x0. residuals(x) returns r (one per data
// point, all finite), jacobian(x) returns J_ij = ∂r_i/∂x_j. Converged when every step
// component is below xtol·(|x_j| + xtol).
NonlinearFitResult levenberg_marquardt(const std::function<Vector(const Vector&)>& residuals,
                                       const std::function<Matrix(const Vector&)>& jacobian,
                                       const Vector& x0, const Vector& weights, double xtol = 1e-12,
                                       int max_iterations = 500);

// log(Σ exp(v_i)) without overflow: the largest term is factored out. −inf for an empty input.
double log_sum_exp(const Vector& v);

struct MinimizeResult {
  Vector x;
  double value = 0.0;
  int evaluations = 0;
  bool converged = false;
};

// Nelder–Mead downhill simplex (Nelder & Mead 1965, GSL's nmsimplex2), restarted once from the
// optimum with a tenth of the step to escape a collapsed simplex. Converges when the simplex
// size (RMS distance of the vertices from their centre) is below xtol·(1 + |x|max). Non-finite
// values of f (outside the domain) count as the largest double, so the simplex moves away.
MinimizeResult nelder_mead(const std::function<double(const Vector&)>& f, const Vector& x0,
                           const Vector& step, double xtol = 1e-7, int max_evaluations = 20000);

// Hessian of f at x by central differences with steps h_i (4 evaluations per off-diagonal term).
Matrix numerical_hessian(const std::function<double(const Vector&)>& f, const Vector& x,
                         const Vector& h);

// ∫_a^b f by adaptive Gauss–Kronrod quadrature (21 points per subinterval) on `panels` equal
// panels, each to absolute tolerance abs_tol; the panels let a caller who knows the scale of the
// integrand's features make sure none falls between the first rule's nodes. Returns the best
// estimate even where round-off keeps a panel from reaching abs_tol.
double integrate(const std::function<double(double)>& f, double a, double b, double abs_tol,
                 long panels = 1);

}  // namespace glassland::analysis
