// The full 3N×3N Hessian's lowest eigenvalues at a configuration of the ART test structure, by
// central finite differences of forces (h = 1e-3 Å, 48 columns per batch), Householder
// tridiagonalisation and Sturm bisection: the brute-force oracle against which ART's Lanczos
// eigenvalues and its first-order-saddle check are tested (tests/saddle/test_art_cuzr.cpp,
// tests/slow/test_art_vs_lammps_neb.cpp). O((3N)³): fine for a few hundred atoms.
#pragma once

#include <algorithm>
#include <cmath>
#include <vector>

#include "saddle/lanczos.hpp"
#include "tests/saddle/art_cuzr_structure.hpp"

namespace glassland {
namespace art_testing {

// Eigenvalue information of the full 3N×3N Hessian at a configuration.
struct HessianSpectrum {
  double lowest = 0.0, second = 0.0;
  int negative_count = 0;  // eigenvalues below −1e-3 eV/Å²
};

// k-th smallest eigenvalue (0-based) of a symmetric tridiagonal matrix by Sturm bisection.
inline double tridiagonal_eigenvalue(const std::vector<double>& d, const std::vector<double>& e,
                                     int k) {
  const int n = static_cast<int>(d.size());
  double lo = 1e300, hi = -1e300;
  for (int i = 0; i < n; ++i) {
    const double radius = (i > 0 ? std::fabs(e[i - 1]) : 0.0) + (i < n - 1 ? std::fabs(e[i]) : 0.0);
    lo = std::min(lo, d[i] - radius);
    hi = std::max(hi, d[i] + radius);
  }
  for (int iteration = 0; iteration < 200; ++iteration) {
    const double mid = 0.5 * (lo + hi);
    if (tridiagonal_sturm_count(d.data(), e.data(), n, mid) >= k + 1)
      hi = mid;
    else
      lo = mid;
  }
  return 0.5 * (lo + hi);
}

inline HessianSpectrum full_hessian_spectrum(const CuZrStructure& s, const std::vector<double>& x) {
  const int n = static_cast<int>(x.size());  // 3N
  const int per_round = 48;
  const double h = 1e-3;
  std::vector<NamedStructure> copies;
  {
    LammpsData data = s.data;
    for (int i = 0; i < data.n_atoms(); ++i)
      for (int k = 0; k < 3; ++k)
        data.positions[i][k] = x[3 * i + k];
    for (auto& image : data.images)
      image = {0, 0, 0};
    copies.assign(2 * per_round, NamedStructure{"config", data});
  }
  Batch batch = make_batch(copies, {"Cu", "Zr"}, s.potential.elements, s.potential.masses);
  ForceField field;
  field.add_term(make_eam_term(s.potential, 1.0));
  std::vector<double> hessian(static_cast<size_t>(n) * n);
  const int n_atoms = n / 3;
  auto positions = Kokkos::create_mirror_view(batch.positions);
  for (int first = 0; first < n; first += per_round) {
    for (int b = 0; b < 2 * per_round; ++b) {
      const int column = first + b / 2;
      for (int i = 0; i < n_atoms; ++i)
        for (int k = 0; k < 3; ++k) {
          double value = x[3 * i + k];
          if (3 * i + k == column)
            value += b % 2 == 0 ? h : -h;
          positions(static_cast<int64_t>(b) * n_atoms + i, k) = value;
        }
    }
    Kokkos::deep_copy(batch.positions, positions);
    field.compute(batch);
    const BatchSnapshot snap = snapshot(batch);
    for (int b = 0; b + 1 < 2 * per_round; b += 2) {
      const int column = first + b / 2;
      if (column >= n)
        break;
      for (int row = 0; row < n; ++row)
        hessian[static_cast<size_t>(row) * n + column] =
            -(snap.forces[static_cast<size_t>(b) * n + row] -
              snap.forces[static_cast<size_t>(b + 1) * n + row]) /
            (2.0 * h);
    }
  }
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < i; ++j) {
      const double mean =
          0.5 * (hessian[static_cast<size_t>(i) * n + j] + hessian[static_cast<size_t>(j) * n + i]);
      hessian[static_cast<size_t>(i) * n + j] = hessian[static_cast<size_t>(j) * n + i] = mean;
    }
  // Householder reduction to tridiagonal form (Golub & Van Loan, Algorithm 8.3.1):
  // A ← P A P with P = I − 2 v vᵀ, as A ← A − 2 v qᵀ − 2 q vᵀ, p = A v, q = p − (vᵀp) v.
  auto A = [&](int i, int j) -> double& { return hessian[static_cast<size_t>(i) * n + j]; };
  std::vector<double> v(n), p(n);
  for (int k = 0; k < n - 2; ++k) {
    double norm = 0.0;
    for (int i = k + 1; i < n; ++i)
      norm += A(i, k) * A(i, k);
    norm = std::sqrt(norm);
    if (norm == 0.0)
      continue;
    const double alpha = A(k + 1, k) > 0 ? -norm : norm;
    double v_norm = 0.0;
    for (int i = k + 1; i < n; ++i) {
      v[i] = A(i, k) - (i == k + 1 ? alpha : 0.0);
      v_norm += v[i] * v[i];
    }
    v_norm = std::sqrt(v_norm);
    if (v_norm == 0.0)
      continue;
    for (int i = k + 1; i < n; ++i)
      v[i] /= v_norm;
    double vp = 0.0;
    for (int i = k + 1; i < n; ++i) {
      double sum = 0.0;
      for (int j = k + 1; j < n; ++j)
        sum += A(i, j) * v[j];
      p[i] = sum;
      vp += v[i] * sum;
    }
    for (int i = k + 1; i < n; ++i)
      p[i] -= vp * v[i];
    for (int i = k + 1; i < n; ++i)
      for (int j = k + 1; j < n; ++j)
        A(i, j) -= 2.0 * (v[i] * p[j] + p[i] * v[j]);
    A(k + 1, k) = A(k, k + 1) = alpha;
    for (int i = k + 2; i < n; ++i)
      A(i, k) = A(k, i) = 0.0;
  }
  std::vector<double> d(n), e(n, 0.0);
  for (int i = 0; i < n; ++i) {
    d[i] = A(i, i);
    if (i < n - 1)
      e[i] = A(i + 1, i);
  }
  HessianSpectrum spectrum;
  spectrum.lowest = tridiagonal_eigenvalue(d, e, 0);
  spectrum.second = tridiagonal_eigenvalue(d, e, 1);
  spectrum.negative_count = tridiagonal_sturm_count(d.data(), e.data(), n, -1e-3);
  return spectrum;
}

}  // namespace art_testing
}  // namespace glassland
