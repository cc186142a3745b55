// Small numerical tools for the statistics code: dense inversion of the few-by-few matrices of
// fits, a Nelder–Mead minimiser, a numerical Hessian (parameter errors of maximum-likelihood
// fits are the inverse Hessian of the negative log-likelihood), golden-section search,
// adaptive Simpson quadrature and log-sum-exp. Plain host C++; sizes are tiny (≤ 6 parameters).
#pragma once

#include <functional>
#include <vector>

namespace glassland::analysis {

using Vector = std::vector<double>;
using Matrix = std::vector<std::vector<double>>;  // row-major, square where it matters

// Inverse of a square matrix by Gauss–Jordan elimination with partial pivoting.
// Returns false (and leaves `inverse` unspecified) when the matrix is singular to working
// precision.
bool invert_matrix(const Matrix& a, Matrix& inverse);

// True when the symmetric matrix is positive definite (Cholesky succeeds).
bool is_positive_definite(const Matrix& a);

// log(Σ exp(v_i)) without overflow: the largest term is factored out. −inf for an empty input.
double log_sum_exp(const Vector& v);

struct MinimizeResult {
  Vector x;
  double value = 0.0;
  int evaluations = 0;
  bool converged = false;
};

// Nelder–Mead downhill simplex (Nelder & Mead 1965, standard coefficients 1, 2, ½, ½), restarted
// once from the optimum to escape a collapsed simplex. Converges when the spread of the simplex
// values is below ftol·(|f| + ftol) and the largest vertex distance from the best vertex (per
// coordinate) is below xtol·(1 + |x|max).
MinimizeResult nelder_mead(const std::function<double(const Vector&)>& f, const Vector& x0,
                           const Vector& step, double ftol = 1e-11, double xtol = 1e-7,
                           int max_evaluations = 20000);

// Hessian of f at x by central differences with steps h_i (4 evaluations per off-diagonal term).
Matrix numerical_hessian(const std::function<double(const Vector&)>& f, const Vector& x,
                         const Vector& h);

// Jacobian J_ij = ∂r_i/∂x_j of a vector function by central differences.
Matrix numerical_jacobian(const std::function<Vector(const Vector&)>& r, const Vector& x,
                          const Vector& h);

// Minimum of a unimodal function on [a, b] by golden-section search to absolute tolerance tol.
double golden_section_minimize(const std::function<double(double)>& f, double a, double b,
                               double tol);

// ∫_a^b f by adaptive Simpson quadrature to relative/absolute tolerance, recursion depth ≤ 50.
double adaptive_simpson(const std::function<double(double)>& f, double a, double b, double tol);

}  // namespace glassland::analysis
