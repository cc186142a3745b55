// Lanczos pieces for the lowest Hessian modes of ART nouveau, callable inside device code.
//
// Lanczos: C. Lanczos, J. Res. Natl. Bur. Stand. 45, 255 (1950). Its use for the lowest
// curvature mode in ART nouveau: R. Malek & N. Mousseau, Phys. Rev. E 62, 7723 (2000), and
// E. Machado-Charry et al., J. Chem. Phys. 135, 034102 (2011). The Hessian never exists: each
// Lanczos iteration needs H·q, taken as the forward finite difference of forces,
//   H·q ≈ −(F(x + ε q) − F(x)) / ε   (|q| = 1, as in eOn and ARTn),
// so one iteration is one force evaluation of the whole batch.
//
// After k iterations the projected matrix is the k×k symmetric tridiagonal T with diagonal
// α_0..α_{k-1} and off-diagonal β_0..β_{k-2}. Its lowest eigenvalue is found by bisection on
// the Sturm sequence (robust, no iteration limits to tune; W. Barth, R. S. Martin &
// J. H. Wilkinson, Numer. Math. 9, 386 (1967)) and its eigenvector by inverse iteration with
// a partially pivoted tridiagonal solve (LAPACK dgtsv's elimination).
#pragma once

#include "kernels/kokkos_compat.hpp"

namespace glassland {

// Largest number of Lanczos iterations a search may request (fixed-size stack arrays on the
// device; 32 is well above the 15–20 that ART uses).
constexpr int kLanczosMaxIterations = 32;

// Number of eigenvalues of T (n×n, diagonal a, off-diagonal b) below x.
KOKKOS_INLINE_FUNCTION int tridiagonal_sturm_count(const double* a, const double* b, int n,
                                                   double x) {
  int count = 0;
  double q = a[0] - x;
  if (q < 0.0)
    ++count;
  for (int i = 1; i < n; ++i) {
    // A zero pivot is moved off zero by an amount far below any resolution we need.
    const double previous = q != 0.0 ? q : 1e-300;
    q = a[i] - x - b[i - 1] * b[i - 1] / previous;
    if (q < 0.0)
      ++count;
  }
  return count;
}

// Lowest eigenvalue of T by bisection between Gershgorin bounds, to round-off.
KOKKOS_INLINE_FUNCTION double tridiagonal_lowest_eigenvalue(const double* a, const double* b,
                                                            int n) {
  double lo = a[0], hi = a[0];
  for (int i = 0; i < n; ++i) {
    const double radius =
        (i > 0 ? kmath::fabs(b[i - 1]) : 0.0) + (i < n - 1 ? kmath::fabs(b[i]) : 0.0);
    lo = kmath::min(lo, a[i] - radius);
    hi = kmath::max(hi, a[i] + radius);
  }
  for (int iteration = 0; iteration < 200; ++iteration) {
    const double mid = 0.5 * (lo + hi);
    if (mid <= lo || mid >= hi)
      break;  // interval at round-off
    if (tridiagonal_sturm_count(a, b, n, mid) >= 1)
      hi = mid;
    else
      lo = mid;
  }
  return 0.5 * (lo + hi);
}

// Unit eigenvector y of T for the eigenvalue `lambda` (from tridiagonal_lowest_eigenvalue) by
// three steps of inverse iteration: solving (T − λI) y' = y amplifies the wanted component by
// 1/(round-off) relative to all others, so one step nearly suffices.
KOKKOS_INLINE_FUNCTION void tridiagonal_eigenvector(const double* a, const double* b, int n,
                                                    double lambda, double* y) {
  double scale = 0.0;
  for (int i = 0; i < n; ++i)
    scale = kmath::max(scale, kmath::fabs(a[i]) + (i < n - 1 ? kmath::fabs(b[i]) : 0.0));
  const double tiny = 1e-14 * (scale > 0.0 ? scale : 1.0);
  for (int i = 0; i < n; ++i)
    y[i] = 1.0 / kmath::sqrt(static_cast<double>(n)) * (i % 2 == 0 ? 1.0 : 0.9);
  if (n == 1) {
    y[0] = 1.0;
    return;
  }
  double d[kLanczosMaxIterations], du[kLanczosMaxIterations], dl[kLanczosMaxIterations],
      du2[kLanczosMaxIterations];
  for (int sweep = 0; sweep < 3; ++sweep) {
    for (int i = 0; i < n; ++i) {
      d[i] = a[i] - lambda;
      du[i] = i < n - 1 ? b[i] : 0.0;
      dl[i] = i < n - 1 ? b[i] : 0.0;
      du2[i] = 0.0;
    }
    // Gaussian elimination with partial pivoting (dgtsv): row i+1 is swapped up when its
    // sub-diagonal entry is larger than the pivot, which creates one fill-in du2[i].
    for (int i = 0; i < n - 1; ++i) {
      if (kmath::fabs(d[i]) >= kmath::fabs(dl[i])) {
        if (d[i] == 0.0)
          d[i] = tiny;
        const double factor = dl[i] / d[i];
        d[i + 1] -= factor * du[i];
        y[i + 1] -= factor * y[i];
      } else {
        const double factor = d[i] / dl[i];
        d[i] = dl[i];
        const double old_diagonal = d[i + 1];
        d[i + 1] = du[i] - factor * old_diagonal;
        if (i < n - 2) {
          du2[i] = du[i + 1];
          du[i + 1] = -factor * du2[i];
        }
        du[i] = old_diagonal;
        const double old_rhs = y[i];
        y[i] = y[i + 1];
        y[i + 1] = old_rhs - factor * y[i + 1];
      }
    }
    if (d[n - 1] == 0.0)
      d[n - 1] = tiny;
    y[n - 1] /= d[n - 1];
    y[n - 2] = (y[n - 2] - du[n - 2] * y[n - 1]) / d[n - 2];
    for (int i = n - 3; i >= 0; --i)
      y[i] = (y[i] - du[i] * y[i + 1] - du2[i] * y[i + 2]) / d[i];
    double norm = 0.0;
    for (int i = 0; i < n; ++i)
      norm += y[i] * y[i];
    norm = kmath::sqrt(norm);
    for (int i = 0; i < n; ++i)
      y[i] /= norm;
  }
}

}  // namespace glassland
