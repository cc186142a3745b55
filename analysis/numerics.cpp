#include "analysis/numerics.hpp"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_integration.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_multifit.h>
#include <gsl/gsl_multifit_nlinear.h>
#include <gsl/gsl_multimin.h>
#include <gsl/gsl_vector.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <stdexcept>

namespace glassland::analysis {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// GSL reports errors through a process-wide handler that aborts by default; while a wrapper
// runs, errors come back as status codes instead, and the previous handler is restored after.
class GslErrorsAsStatus {
 public:
  GslErrorsAsStatus() : previous_(gsl_set_error_handler_off()) {}
  ~GslErrorsAsStatus() { gsl_set_error_handler(previous_); }
  GslErrorsAsStatus(const GslErrorsAsStatus&) = delete;
  GslErrorsAsStatus& operator=(const GslErrorsAsStatus&) = delete;

 private:
  gsl_error_handler_t* previous_;
};

struct GslFree {
  void operator()(gsl_matrix* m) const { gsl_matrix_free(m); }
  void operator()(gsl_vector* v) const { gsl_vector_free(v); }
  void operator()(gsl_multifit_linear_workspace* w) const { gsl_multifit_linear_free(w); }
  void operator()(gsl_multifit_nlinear_workspace* w) const { gsl_multifit_nlinear_free(w); }
  void operator()(gsl_multimin_fminimizer* s) const { gsl_multimin_fminimizer_free(s); }
  void operator()(gsl_integration_workspace* w) const { gsl_integration_workspace_free(w); }
};
using GslMatrix = std::unique_ptr<gsl_matrix, GslFree>;
using GslVector = std::unique_ptr<gsl_vector, GslFree>;

GslMatrix to_gsl(const Matrix& a, std::size_t columns) {
  GslMatrix m(gsl_matrix_alloc(a.size(), columns));
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].size() != columns)
      throw std::invalid_argument("numerics: ragged matrix");
    for (std::size_t j = 0; j < columns; ++j)
      gsl_matrix_set(m.get(), i, j, a[i][j]);
  }
  return m;
}

GslVector to_gsl(const Vector& v) {
  GslVector g(gsl_vector_alloc(v.size()));
  for (std::size_t i = 0; i < v.size(); ++i)
    gsl_vector_set(g.get(), i, v[i]);
  return g;
}

Vector from_gsl(const gsl_vector* v) {
  Vector out(v->size);
  for (std::size_t i = 0; i < v->size; ++i)
    out[i] = gsl_vector_get(v, i);
  return out;
}

Matrix from_gsl(const gsl_matrix* m) {
  Matrix out(m->size1, Vector(m->size2));
  for (std::size_t i = 0; i < m->size1; ++i)
    for (std::size_t j = 0; j < m->size2; ++j)
      out[i][j] = gsl_matrix_get(m, i, j);
  return out;
}

GslVector weights_or_ones(const Vector& w, std::size_t n) {
  if (!w.empty() && w.size() != n)
    throw std::invalid_argument("numerics: weights have a different length than the data");
  return to_gsl(w.empty() ? Vector(n, 1.0) : w);
}

}  // namespace

bool invert_positive_definite(const Matrix& a, Matrix& inverse) {
  const GslErrorsAsStatus guard;
  GslMatrix m = to_gsl(a, a.size());
  for (std::size_t i = 0; i < a.size(); ++i)
    for (std::size_t j = 0; j < a.size(); ++j)
      if (!std::isfinite(a[i][j]))
        return false;
  if (gsl_linalg_cholesky_decomp1(m.get()) != GSL_SUCCESS)
    return false;
  if (gsl_linalg_cholesky_invert(m.get()) != GSL_SUCCESS)
    return false;
  inverse = from_gsl(m.get());
  return true;
}

Vector weighted_least_squares(const Matrix& design, const Vector& y, const Vector& weights,
                              Matrix& unscaled_covariance, double& chi2) {
  const GslErrorsAsStatus guard;
  const std::size_t n = design.size(), p = design.front().size();
  if (y.size() != n)
    throw std::invalid_argument("least squares: data and design matrix differ in length");
  const GslMatrix X = to_gsl(design, p);
  const GslVector w = weights_or_ones(weights, n), data = to_gsl(y);
  const GslVector c(gsl_vector_alloc(p));
  const GslMatrix cov(gsl_matrix_alloc(p, p));
  const std::unique_ptr<gsl_multifit_linear_workspace, GslFree> work(
      gsl_multifit_linear_alloc(n, p));
  std::size_t rank = 0;
  // Singular values below 1e-12 of the largest (after GSL balances the columns) mean a singular
  // design: a rounding-level singular value is ~1e-16, any usable design is far above 1e-12.
  const int status = gsl_multifit_wlinear_tsvd(X.get(), w.get(), data.get(), 1e-12, c.get(),
                                               cov.get(), &chi2, &rank, work.get());
  if (status != GSL_SUCCESS || rank < p)
    throw std::invalid_argument("least squares: singular design matrix");
  unscaled_covariance = from_gsl(cov.get());
  return from_gsl(c.get());
}

Matrix least_squares_covariance(const Matrix& jacobian, const Vector& weights) {
  const GslErrorsAsStatus guard;
  const std::size_t n = jacobian.size(), p = jacobian.front().size();
  const Matrix nan(p, Vector(p, kNaN));
  GslMatrix J = to_gsl(jacobian, p);
  const GslVector w = weights_or_ones(weights, n);
  for (std::size_t i = 0; i < n; ++i) {
    gsl_vector_view row = gsl_matrix_row(J.get(), i);
    gsl_vector_scale(&row.vector, std::sqrt(gsl_vector_get(w.get(), i)));
  }
  const GslMatrix cov(gsl_matrix_alloc(p, p));
  // Columns with |R_kk| ≤ 1e-13 |R_11| count as linearly dependent; GSL zeroes their rows and
  // columns, which we report as an undefined (NaN) covariance.
  if (gsl_multifit_nlinear_covar(J.get(), 1e-13, cov.get()) != GSL_SUCCESS)
    return nan;
  for (std::size_t k = 0; k < p; ++k)
    if (!(gsl_matrix_get(cov.get(), k, k) > 0.0))
      return nan;
  return from_gsl(cov.get());
}

namespace {

struct LeastSquaresFunctions {
  const std::function<Vector(const Vector&)>* residuals;
  const std::function<Matrix(const Vector&)>* jacobian;
};

int gsl_residuals(const gsl_vector* x, void* params, gsl_vector* f) {
  const auto* fn = static_cast<const LeastSquaresFunctions*>(params);
  const Vector r = (*fn->residuals)(from_gsl(x));
  if (r.size() != f->size)
    return GSL_EBADLEN;
  for (std::size_t i = 0; i < r.size(); ++i)
    gsl_vector_set(f, i, r[i]);
  return GSL_SUCCESS;
}

int gsl_jacobian(const gsl_vector* x, void* params, gsl_matrix* J) {
  const auto* fn = static_cast<const LeastSquaresFunctions*>(params);
  const Matrix jac = (*fn->jacobian)(from_gsl(x));
  if (jac.size() != J->size1)
    return GSL_EBADLEN;
  for (std::size_t i = 0; i < J->size1; ++i)
    for (std::size_t j = 0; j < J->size2; ++j)
      gsl_matrix_set(J, i, j, jac[i][j]);
  return GSL_SUCCESS;
}

}  // namespace

NonlinearFitResult levenberg_marquardt(const std::function<Vector(const Vector&)>& residuals,
                                       const std::function<Matrix(const Vector&)>& jacobian,
                                       const Vector& x0, const Vector& weights, double xtol,
                                       int max_iterations) {
  const GslErrorsAsStatus guard;
  const std::size_t n = residuals(x0).size(), p = x0.size();
  if (n < p)
    throw std::invalid_argument("Levenberg-Marquardt: fewer data points than parameters");
  LeastSquaresFunctions functions{&residuals, &jacobian};
  gsl_multifit_nlinear_fdf fdf{};
  fdf.f = gsl_residuals;
  fdf.df = gsl_jacobian;
  fdf.fvv = nullptr;
  fdf.n = n;
  fdf.p = p;
  fdf.params = &functions;
  gsl_multifit_nlinear_parameters parameters = gsl_multifit_nlinear_default_parameters();
  parameters.trs = gsl_multifit_nlinear_trs_lm;
  const std::unique_ptr<gsl_multifit_nlinear_workspace, GslFree> work(
      gsl_multifit_nlinear_alloc(gsl_multifit_nlinear_trust, &parameters, n, p));
  const GslVector x = to_gsl(x0), w = weights_or_ones(weights, n);
  if (gsl_multifit_nlinear_winit(x.get(), w.get(), &fdf, work.get()) != GSL_SUCCESS)
    throw std::invalid_argument("Levenberg-Marquardt: the residuals at the start are invalid");
  int info = 0;
  // The gradient test is off (gtol 0): it is not scale-free, and data in small units (m²/s)
  // would stop the fit early. Convergence is by step size; the trust region never accepts a
  // step that raises χ², so x is the best point found even when the limit is reached.
  const int status = gsl_multifit_nlinear_driver(max_iterations, xtol, 0.0, 0.0, nullptr, nullptr,
                                                 &info, work.get());
  NonlinearFitResult result;
  result.x = from_gsl(gsl_multifit_nlinear_position(work.get()));
  const gsl_vector* f = gsl_multifit_nlinear_residual(work.get());  // √w r
  for (std::size_t i = 0; i < n; ++i)
    result.chi2 += gsl_vector_get(f, i) * gsl_vector_get(f, i);
  result.iterations = static_cast<int>(gsl_multifit_nlinear_niter(work.get()));
  result.converged = status == GSL_SUCCESS;
  return result;
}

double log_sum_exp(const Vector& v) {
  if (v.empty())
    return -std::numeric_limits<double>::infinity();
  const double m = *std::max_element(v.begin(), v.end());
  if (!std::isfinite(m))
    return m;
  double s = 0.0;
  for (double x : v)
    s += std::exp(x - m);
  return m + std::log(s);
}

namespace {

struct CountedFunction {
  const std::function<double(const Vector&)>* f;
  int evaluations = 0;
};

double gsl_objective(const gsl_vector* x, void* params) {
  auto* counted = static_cast<CountedFunction*>(params);
  ++counted->evaluations;
  const double v = (*counted->f)(from_gsl(x));
  return std::isfinite(v) ? v : std::numeric_limits<double>::max();
}

MinimizeResult nelder_mead_once(const std::function<double(const Vector&)>& f, const Vector& x0,
                                const Vector& step, double xtol, int max_evaluations) {
  const std::size_t n = x0.size();
  CountedFunction counted{&f};
  gsl_multimin_function fn{gsl_objective, n, &counted};
  const std::unique_ptr<gsl_multimin_fminimizer, GslFree> s(
      gsl_multimin_fminimizer_alloc(gsl_multimin_fminimizer_nmsimplex2, n));
  const GslVector x = to_gsl(x0), steps = to_gsl(step);
  MinimizeResult r;
  r.x = x0;
  r.value = std::numeric_limits<double>::infinity();
  if (gsl_multimin_fminimizer_set(s.get(), &fn, x.get(), steps.get()) != GSL_SUCCESS)
    return r;
  int iterations = 0;
  while (counted.evaluations < max_evaluations) {
    if (gsl_multimin_fminimizer_iterate(s.get()) != GSL_SUCCESS)
      break;
    ++iterations;
    double xmax = 0.0;
    for (std::size_t k = 0; k < n; ++k)
      xmax = std::max(xmax, std::abs(gsl_vector_get(gsl_multimin_fminimizer_x(s.get()), k)));
    if (gsl_multimin_fminimizer_size(s.get()) <= xtol * (1.0 + xmax)) {
      r.converged = true;
      break;
    }
  }
  r.evaluations = counted.evaluations;
  if (iterations == 0) {  // GSL reports the best vertex only after an iteration
    const double v = f(x0);
    r.value = std::isfinite(v) ? v : r.value;
    return r;
  }
  r.x = from_gsl(gsl_multimin_fminimizer_x(s.get()));
  const double best = gsl_multimin_fminimizer_minimum(s.get());
  if (best < std::numeric_limits<double>::max())
    r.value = best;
  return r;
}

}  // namespace

MinimizeResult nelder_mead(const std::function<double(const Vector&)>& f, const Vector& x0,
                           const Vector& step, double xtol, int max_evaluations) {
  if (x0.size() != step.size() || x0.empty())
    throw std::invalid_argument("nelder_mead: step size mismatch");
  const GslErrorsAsStatus guard;
  MinimizeResult r = nelder_mead_once(f, x0, step, xtol, max_evaluations);
  // Restart from the optimum with a fresh simplex: Nelder–Mead can stall on a collapsed simplex.
  Vector step2(step.size());
  for (std::size_t i = 0; i < step.size(); ++i)
    step2[i] = 0.1 * step[i];
  MinimizeResult r2 = nelder_mead_once(f, r.x, step2, xtol, max_evaluations);
  r2.evaluations += r.evaluations;
  if (r2.value > r.value) {
    r.evaluations = r2.evaluations;
    return r;
  }
  return r2;
}

Matrix numerical_hessian(const std::function<double(const Vector&)>& f, const Vector& x,
                         const Vector& h) {
  const std::size_t n = x.size();
  Matrix hess(n, Vector(n, 0.0));
  const double f0 = f(x);
  for (std::size_t i = 0; i < n; ++i) {
    Vector xp = x, xm = x;
    xp[i] += h[i];
    xm[i] -= h[i];
    hess[i][i] = (f(xp) - 2.0 * f0 + f(xm)) / (h[i] * h[i]);
    for (std::size_t j = 0; j < i; ++j) {
      Vector a = x, b = x, c = x, d = x;
      a[i] += h[i];
      a[j] += h[j];
      b[i] += h[i];
      b[j] -= h[j];
      c[i] -= h[i];
      c[j] += h[j];
      d[i] -= h[i];
      d[j] -= h[j];
      hess[i][j] = hess[j][i] = (f(a) - f(b) - f(c) + f(d)) / (4.0 * h[i] * h[j]);
    }
  }
  return hess;
}

namespace {
double gsl_integrand(double x, void* params) {
  return (*static_cast<const std::function<double(double)>*>(params))(x);
}
}  // namespace

double integrate(const std::function<double(double)>& f, double a, double b, double abs_tol,
                 long panels) {
  const GslErrorsAsStatus guard;
  constexpr std::size_t kSubintervals = 200;
  const std::unique_ptr<gsl_integration_workspace, GslFree> work(
      gsl_integration_workspace_alloc(kSubintervals));
  gsl_function fn{gsl_integrand, const_cast<std::function<double(double)>*>(&f)};
  panels = std::max(panels, 1L);
  const double width = (b - a) / panels;
  double sum = 0.0;
  for (long i = 0; i < panels; ++i) {
    const double lo = a + i * width, hi = i + 1 == panels ? b : a + (i + 1) * width;
    double result = 0.0, error = 0.0;
    // A status other than success (round-off, subinterval limit) still leaves the best estimate.
    gsl_integration_qag(&fn, lo, hi, abs_tol, 0.0, kSubintervals, GSL_INTEG_GAUSS21, work.get(),
                        &result, &error);
    sum += result;
  }
  return sum;
}

}  // namespace glassland::analysis
