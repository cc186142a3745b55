// RMSD of an atom cluster after optimal superposition onto a reference (SPEC.md §5; Yang et al.,
// PRB 102, 174103 (2020), paper 001, Eq. 1):
//   s = sqrt((1/n) Σ_i |U (x_i − x̄) − (y_i − ȳ)|²),
// x̄, ȳ the centres of geometry, U the rotation that minimises the sum.
//
// Optimal rotation by the quaternion method: U is the rotation of the unit quaternion q that
// maximises qᵀ N q, N the symmetric 4×4 "key" matrix built from the correlation matrix
// S_ab = Σ_i (x_i − x̄)_a (y_i − ȳ)_b (B. K. P. Horn, J. Opt. Soc. Am. A 4, 629 (1987), Eq. of
// Sec. 4.A; S. K. Kearsley, Acta Cryst. A 45, 208 (1989); E. A. Coutsias, C. Seok & K. A. Dill,
// J. Comput. Chem. 25, 1849 (2004)). q is the eigenvector of N's largest eigenvalue, found by
// cyclic Jacobi rotations on the 4×4 matrix: a fixed, branch-light sequence that converges
// quadratically and is robust for (near-)degenerate eigenvalues, where the characteristic-
// polynomial route of QCP needs special cases.
//
// Gradient (Coutsias et al. 2004, Sec. "Derivatives"): at the optimum the derivative through U
// vanishes, and so does the derivative through the centring (Σ_i of the residuals is zero), so
//   ∂s²/∂x_i = (2/n) (x_i − x̄ − Uᵀ (y_i − ȳ)),   ∂s/∂x_i = (x_i − x̄ − Uᵀ (y_i − ȳ)) / (n s).
// s² is computed as the direct sum of squared residuals with U, not as (G_x + G_y − 2λ)/n, which
// loses all digits when s is small.
//
// Periodic boundaries: the cluster is made contiguous on every evaluation: atom 0 (the centre)
// is taken as is and every other atom i at x_0 + minimum_image(x_i − x_0); valid while the
// cluster is smaller than half the box's narrowest width (a 4 Å cluster in any glass model).
// The reference is stored contiguous already (cv/cv_set.hpp does this on the host).
#pragma once

#include "kernels/box.hpp"

namespace glassland {

// Eigen-decomposition of a symmetric 4×4 matrix by cyclic Jacobi rotations. On return the
// diagonal of `a` holds the eigenvalues and the columns of `v` the eigenvectors.
KOKKOS_INLINE_FUNCTION void jacobi_eigen_symmetric4(double a[4][4], double v[4][4]) {
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 4; ++j)
      v[i][j] = i == j ? 1.0 : 0.0;
  double scale = 0.0;
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 4; ++j)
      scale += a[i][j] * a[i][j];
  // 50 sweeps is far beyond the ~6 that quadratic convergence needs for a 4×4 matrix.
  for (int sweep = 0; sweep < 50; ++sweep) {
    double off = 0.0;
    for (int p = 0; p < 3; ++p)
      for (int q = p + 1; q < 4; ++q)
        off += a[p][q] * a[p][q];
    if (off <= 1e-32 * scale || off == 0.0)
      break;
    for (int p = 0; p < 3; ++p) {
      for (int q = p + 1; q < 4; ++q) {
        if (a[p][q] == 0.0)
          continue;
        // Rotation that zeroes a[p][q] (Numerical Recipes §11.1, stable form of tan θ).
        const double theta = (a[q][q] - a[p][p]) / (2.0 * a[p][q]);
        const double t =
            (theta >= 0.0 ? 1.0 : -1.0) / (kmath::fabs(theta) + kmath::sqrt(theta * theta + 1.0));
        const double c = 1.0 / kmath::sqrt(t * t + 1.0);
        const double s = t * c;
        for (int k = 0; k < 4; ++k) {  // A ← A P
          const double akp = a[k][p], akq = a[k][q];
          a[k][p] = c * akp - s * akq;
          a[k][q] = s * akp + c * akq;
        }
        for (int k = 0; k < 4; ++k) {  // A ← Pᵀ A
          const double apk = a[p][k], aqk = a[q][k];
          a[p][k] = c * apk - s * aqk;
          a[q][k] = s * apk + c * aqk;
        }
        a[p][q] = a[q][p] = 0.0;
        for (int k = 0; k < 4; ++k) {  // V ← V P
          const double vkp = v[k][p], vkq = v[k][q];
          v[k][p] = c * vkp - s * vkq;
          v[k][q] = s * vkp + c * vkq;
        }
      }
    }
  }
}

// Optimal rotation u (row-major 3×3) taking the centred points x_c onto y_c, from their
// correlation matrix s[a][b] = Σ_i x_c,ia y_c,ib (Horn 1987).
KOKKOS_INLINE_FUNCTION void optimal_rotation(const double s[3][3], double u[3][3]) {
  const double sxx = s[0][0], sxy = s[0][1], sxz = s[0][2];
  const double syx = s[1][0], syy = s[1][1], syz = s[1][2];
  const double szx = s[2][0], szy = s[2][1], szz = s[2][2];
  double n[4][4] = {{sxx + syy + szz, syz - szy, szx - sxz, sxy - syx},
                    {syz - szy, sxx - syy - szz, sxy + syx, szx + sxz},
                    {szx - sxz, sxy + syx, -sxx + syy - szz, syz + szy},
                    {sxy - syx, szx + sxz, syz + szy, -sxx - syy + szz}};
  double v[4][4];
  jacobi_eigen_symmetric4(n, v);
  int best = 0;
  for (int i = 1; i < 4; ++i)
    if (n[i][i] > n[best][best])
      best = i;
  double q[4] = {v[0][best], v[1][best], v[2][best], v[3][best]};
  const double norm = kmath::sqrt(q[0] * q[0] + q[1] * q[1] + q[2] * q[2] + q[3] * q[3]);
  for (int k = 0; k < 4; ++k)
    q[k] /= norm;
  const double q0 = q[0], q1 = q[1], q2 = q[2], q3 = q[3];
  u[0][0] = q0 * q0 + q1 * q1 - q2 * q2 - q3 * q3;
  u[0][1] = 2.0 * (q1 * q2 - q0 * q3);
  u[0][2] = 2.0 * (q1 * q3 + q0 * q2);
  u[1][0] = 2.0 * (q1 * q2 + q0 * q3);
  u[1][1] = q0 * q0 - q1 * q1 + q2 * q2 - q3 * q3;
  u[1][2] = 2.0 * (q2 * q3 - q0 * q1);
  u[2][0] = 2.0 * (q1 * q3 - q0 * q2);
  u[2][1] = 2.0 * (q2 * q3 + q0 * q1);
  u[2][2] = q0 * q0 - q1 * q1 - q2 * q2 + q3 * q3;
}

struct ClusterRmsd {
  static const char* name() { return "cluster_rmsd"; }

  // Position of cluster atom m made contiguous with the centre atom 0, relative to atom 0.
  KOKKOS_INLINE_FUNCTION static void relative_position(const Box& box, const double* x, int m,
                                                       double out[3]) {
    for (int k = 0; k < 3; ++k)
      out[k] = x[3 * m + k] - x[k];
    box.minimum_image(out);
  }

  // x: unwrapped positions of the n cluster atoms (centre first), [n][3] flattened; reference:
  // contiguous reference positions in the same order. Writes ∂s/∂x_i into gradient and returns
  // s (Å).
  KOKKOS_INLINE_FUNCTION static double evaluate(const Box& box, int n, const double* x,
                                                const double* reference, double* gradient) {
    double x_mean[3] = {0.0, 0.0, 0.0}, y_mean[3] = {0.0, 0.0, 0.0};
    for (int m = 0; m < n; ++m) {
      double d[3];
      relative_position(box, x, m, d);
      for (int k = 0; k < 3; ++k) {
        x_mean[k] += d[k];
        y_mean[k] += reference[3 * m + k];
      }
    }
    for (int k = 0; k < 3; ++k) {
      x_mean[k] /= n;
      y_mean[k] /= n;
    }
    double s[3][3] = {{0.0, 0.0, 0.0}, {0.0, 0.0, 0.0}, {0.0, 0.0, 0.0}};
    for (int m = 0; m < n; ++m) {
      double d[3], yc[3];
      relative_position(box, x, m, d);
      for (int k = 0; k < 3; ++k) {
        d[k] -= x_mean[k];
        yc[k] = reference[3 * m + k] - y_mean[k];
      }
      for (int a = 0; a < 3; ++a)
        for (int b = 0; b < 3; ++b)
          s[a][b] += d[a] * yc[b];
    }
    double u[3][3];
    optimal_rotation(s, u);
    // Residuals in the frame of x: r_i = x_c,i − Uᵀ y_c,i (|U x_c − y_c| = |x_c − Uᵀ y_c|).
    double sum2 = 0.0;
    for (int m = 0; m < n; ++m) {
      double d[3], yc[3];
      relative_position(box, x, m, d);
      for (int k = 0; k < 3; ++k) {
        d[k] -= x_mean[k];
        yc[k] = reference[3 * m + k] - y_mean[k];
      }
      for (int k = 0; k < 3; ++k) {
        const double residual = d[k] - (u[0][k] * yc[0] + u[1][k] * yc[1] + u[2][k] * yc[2]);
        gradient[3 * m + k] = residual;
        sum2 += residual * residual;
      }
    }
    const double rmsd = kmath::sqrt(sum2 / n);
    // s = 0 is a cusp (|·| of a vector): no gradient exists there; zero is the symmetric choice.
    const double factor = rmsd > 0.0 ? 1.0 / (n * rmsd) : 0.0;
    for (int m = 0; m < 3 * n; ++m)
      gradient[m] *= factor;
    return rmsd;
  }

  // The reference holds internal coordinates only (it is centred and rotated away): no anchor.
  KOKKOS_INLINE_FUNCTION static void anchor_reference(const Box& box, int n, const double* x,
                                                      double* reference) {}
};

}  // namespace glassland
