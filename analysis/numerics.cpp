#include "analysis/numerics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

namespace glassland::analysis {

bool invert_matrix(const Matrix& a, Matrix& inverse) {
  const std::size_t n = a.size();
  Matrix m = a;
  inverse.assign(n, Vector(n, 0.0));
  for (std::size_t i = 0; i < n; ++i)
    inverse[i][i] = 1.0;
  double scale = 0.0;
  for (const auto& row : a)
    for (double v : row)
      scale = std::max(scale, std::abs(v));
  if (scale == 0.0 || !std::isfinite(scale))
    return false;
  for (std::size_t col = 0; col < n; ++col) {
    std::size_t pivot = col;
    for (std::size_t r = col + 1; r < n; ++r)
      if (std::abs(m[r][col]) > std::abs(m[pivot][col]))
        pivot = r;
    if (std::abs(m[pivot][col]) <= 1e-14 * scale)
      return false;
    std::swap(m[pivot], m[col]);
    std::swap(inverse[pivot], inverse[col]);
    const double d = m[col][col];
    for (std::size_t c = 0; c < n; ++c) {
      m[col][c] /= d;
      inverse[col][c] /= d;
    }
    for (std::size_t r = 0; r < n; ++r) {
      if (r == col)
        continue;
      const double factor = m[r][col];
      if (factor == 0.0)
        continue;
      for (std::size_t c = 0; c < n; ++c) {
        m[r][c] -= factor * m[col][c];
        inverse[r][c] -= factor * inverse[col][c];
      }
    }
  }
  return true;
}

bool is_positive_definite(const Matrix& a) {
  const std::size_t n = a.size();
  Matrix l(n, Vector(n, 0.0));
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j <= i; ++j) {
      double s = a[i][j];
      for (std::size_t k = 0; k < j; ++k)
        s -= l[i][k] * l[j][k];
      if (i == j) {
        if (!(s > 0.0))
          return false;
        l[i][i] = std::sqrt(s);
      } else {
        l[i][j] = s / l[j][j];
      }
    }
  }
  return true;
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

MinimizeResult nelder_mead_once(const std::function<double(const Vector&)>& f, const Vector& x0,
                                const Vector& step, double ftol, double xtol, int max_eval) {
  const std::size_t n = x0.size();
  std::vector<Vector> simplex(n + 1, x0);
  Vector values(n + 1);
  for (std::size_t i = 0; i < n; ++i)
    simplex[i + 1][i] += step[i];
  int evals = 0;
  auto eval = [&](const Vector& x) {
    ++evals;
    const double v = f(x);
    return std::isnan(v) ? std::numeric_limits<double>::infinity() : v;
  };
  for (std::size_t i = 0; i <= n; ++i)
    values[i] = eval(simplex[i]);
  std::vector<std::size_t> order(n + 1);
  bool converged = false;
  while (evals < max_eval) {
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return values[a] < values[b]; });
    const std::size_t best = order.front(), worst = order.back(), second = order[n - 1];
    double size = 0.0;
    for (std::size_t i = 0; i <= n; ++i)
      for (std::size_t k = 0; k < n; ++k)
        size = std::max(size, std::abs(simplex[i][k] - simplex[best][k]));
    const double spread = values[worst] - values[best];
    double xmax = 0.0;
    for (double v : simplex[best])
      xmax = std::max(xmax, std::abs(v));
    if (std::isfinite(values[best]) && spread <= ftol * (std::abs(values[best]) + ftol) &&
        size <= xtol * (1.0 + xmax)) {
      converged = true;
      break;
    }
    Vector centroid(n, 0.0);
    for (std::size_t i = 0; i <= n; ++i)
      if (i != worst)
        for (std::size_t k = 0; k < n; ++k)
          centroid[k] += simplex[i][k] / n;
    auto along = [&](double t) {
      Vector x(n);
      for (std::size_t k = 0; k < n; ++k)
        x[k] = centroid[k] + t * (simplex[worst][k] - centroid[k]);
      return x;
    };
    const Vector xr = along(-1.0);
    const double fr = eval(xr);
    if (fr < values[best]) {
      const Vector xe = along(-2.0);
      const double fe = eval(xe);
      if (fe < fr) {
        simplex[worst] = xe;
        values[worst] = fe;
      } else {
        simplex[worst] = xr;
        values[worst] = fr;
      }
    } else if (fr < values[second]) {
      simplex[worst] = xr;
      values[worst] = fr;
    } else {
      const bool outside = fr < values[worst];
      const Vector xc = along(outside ? -0.5 : 0.5);
      const double fc = eval(xc);
      if (fc < (outside ? fr : values[worst])) {
        simplex[worst] = xc;
        values[worst] = fc;
      } else {  // shrink towards the best vertex
        for (std::size_t i = 0; i <= n; ++i) {
          if (i == best)
            continue;
          for (std::size_t k = 0; k < n; ++k)
            simplex[i][k] = simplex[best][k] + 0.5 * (simplex[i][k] - simplex[best][k]);
          values[i] = eval(simplex[i]);
        }
      }
    }
  }
  const std::size_t best = std::min_element(values.begin(), values.end()) - values.begin();
  return {simplex[best], values[best], evals, converged};
}

}  // namespace

MinimizeResult nelder_mead(const std::function<double(const Vector&)>& f, const Vector& x0,
                           const Vector& step, double ftol, double xtol, int max_evaluations) {
  if (x0.size() != step.size())
    throw std::invalid_argument("nelder_mead: step size mismatch");
  MinimizeResult r = nelder_mead_once(f, x0, step, ftol, xtol, max_evaluations);
  // Restart from the optimum with a fresh simplex: Nelder–Mead can stall on a collapsed simplex.
  Vector step2(step.size());
  for (std::size_t i = 0; i < step.size(); ++i)
    step2[i] = 0.1 * step[i];
  MinimizeResult r2 = nelder_mead_once(f, r.x, step2, ftol, xtol, max_evaluations);
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

Matrix numerical_jacobian(const std::function<Vector(const Vector&)>& r, const Vector& x,
                          const Vector& h) {
  const std::size_t n = x.size();
  Matrix jac;
  for (std::size_t j = 0; j < n; ++j) {
    Vector xp = x, xm = x;
    xp[j] += h[j];
    xm[j] -= h[j];
    const Vector rp = r(xp), rm = r(xm);
    if (jac.empty())
      jac.assign(rp.size(), Vector(n, 0.0));
    for (std::size_t i = 0; i < rp.size(); ++i)
      jac[i][j] = (rp[i] - rm[i]) / (2.0 * h[j]);
  }
  return jac;
}

double golden_section_minimize(const std::function<double(double)>& f, double a, double b,
                               double tol) {
  const double g = 0.5 * (std::sqrt(5.0) - 1.0);
  double c = b - g * (b - a), d = a + g * (b - a);
  double fc = f(c), fd = f(d);
  while (std::abs(b - a) > tol) {
    if (fc < fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - g * (b - a);
      fc = f(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + g * (b - a);
      fd = f(d);
    }
  }
  return 0.5 * (a + b);
}

namespace {
double simpson_recurse(const std::function<double(double)>& f, double a, double b, double fa,
                       double fm, double fb, double whole, double tol, int depth) {
  const double m = 0.5 * (a + b);
  const double lm = 0.5 * (a + m), rm = 0.5 * (m + b);
  const double flm = f(lm), frm = f(rm);
  const double left = (m - a) / 6.0 * (fa + 4.0 * flm + fm);
  const double right = (b - m) / 6.0 * (fm + 4.0 * frm + fb);
  const double delta = left + right - whole;
  if (depth <= 0 || std::abs(delta) <= 15.0 * tol)
    return left + right + delta / 15.0;
  return simpson_recurse(f, a, m, fa, flm, fm, left, 0.5 * tol, depth - 1) +
         simpson_recurse(f, m, b, fm, frm, fb, right, 0.5 * tol, depth - 1);
}
}  // namespace

double adaptive_simpson(const std::function<double(double)>& f, double a, double b, double tol) {
  const double fa = f(a), fb = f(b), fm = f(0.5 * (a + b));
  const double whole = (b - a) / 6.0 * (fa + 4.0 * fm + fb);
  return simpson_recurse(f, a, b, fa, fm, fb, whole, tol, 50);
}

}  // namespace glassland::analysis
