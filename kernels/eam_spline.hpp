// Cubic-spline tables exactly as LAMMPS builds and evaluates them for pair_style eam,
// eam/alloy and eam/fs (LAMMPS src/MANYBODY/pair_eam.cpp: interpolate(), compute()).
// SPEC.md §1 requires energies and forces equal to LAMMPS's to 1e-9 relative, which is only
// possible with the same interpolant, so this file reproduces LAMMPS's arithmetic term by term.
//
// A table of n values f_1..f_n on a grid of spacing δ becomes 7 coefficients per knot m:
//   c6 = f_m, c5 = finite-difference slope (per grid step), c4, c3 = cubic terms,
//   c2, c1, c0 = derivative coefficients (per unit of the argument, i.e. divided by δ).
// Value at fractional position p ∈ [0,1] within knot m:  ((c3 p + c4) p + c5) p + c6,
// derivative:                                             (c0 p + c1) p + c2.
#pragma once

#include <vector>

#include "kernels/kokkos_compat.hpp"

namespace glassland {

inline constexpr int kSplineCoefficients = 7;

// Coefficients for knots 1..n in LAMMPS's 1-based layout, flattened as out[(m-1)*7 + c].
// Requires n >= 5 (LAMMPS's stencil uses f_{m±2}).
inline std::vector<double> lammps_spline_coefficients(const std::vector<double>& values,
                                                      double delta) {
  const int n = static_cast<int>(values.size());
  // s[m][c] for m = 1..n, stored with a dummy row 0 to keep LAMMPS's indexing readable.
  std::vector<double> s(static_cast<size_t>(n + 1) * kSplineCoefficients, 0.0);
  auto at = [&](int m, int c) -> double& { return s[static_cast<size_t>(m) * 7 + c]; };
  for (int m = 1; m <= n; ++m)
    at(m, 6) = values[m - 1];
  at(1, 5) = at(2, 6) - at(1, 6);
  at(2, 5) = 0.5 * (at(3, 6) - at(1, 6));
  at(n - 1, 5) = 0.5 * (at(n, 6) - at(n - 2, 6));
  at(n, 5) = at(n, 6) - at(n - 1, 6);
  for (int m = 3; m <= n - 2; ++m)
    at(m, 5) = ((at(m - 2, 6) - at(m + 2, 6)) + 8.0 * (at(m + 1, 6) - at(m - 1, 6))) / 12.0;
  for (int m = 1; m <= n - 1; ++m) {
    at(m, 4) = 3.0 * (at(m + 1, 6) - at(m, 6)) - 2.0 * at(m, 5) - at(m + 1, 5);
    at(m, 3) = at(m, 5) + at(m + 1, 5) - 2.0 * (at(m + 1, 6) - at(m, 6));
  }
  at(n, 4) = 0.0;
  at(n, 3) = 0.0;
  for (int m = 1; m <= n; ++m) {
    at(m, 2) = at(m, 5) / delta;
    at(m, 1) = 2.0 * at(m, 4) / delta;
    at(m, 0) = 3.0 * at(m, 3) / delta;
  }
  return std::vector<double>(s.begin() + kSplineCoefficients, s.end());
}

// Where an argument x falls on a grid with inverse spacing `inverse_delta` and n knots:
// LAMMPS's p = x/δ + 1, m = clamp((int) p, 1, n-1), p = min(p - m, 1).
// `knot` is returned 0-based (m - 1) for indexing the flattened coefficient tables.
struct SplinePosition {
  int knot;
  double fraction;
};

KOKKOS_INLINE_FUNCTION SplinePosition spline_position(double x, double inverse_delta, int n) {
  double p = x * inverse_delta + 1.0;
  int m = static_cast<int>(p);
  m = kmath::max(1, kmath::min(m, n - 1));
  p -= m;
  p = kmath::min(p, 1.0);
  return SplinePosition{m - 1, p};
}

// The kernels keep only the value coefficients, one 4-double block per knot {c3, c4, c5, c6}:
// LAMMPS's derivative coefficients are redundant (c0 = 3·c3/δ, c1 = 2·c4/δ, c2 = c5/δ), so the
// derivative is formed from the same block, ((3·c3·p + 2·c4)·p + c5)/δ. That halves the tables'
// footprint and lets one lookup give both a value and its derivative. The two forms differ only in
// rounding (a few units in the last place), far below SPEC.md §1's 1e-9 agreement with LAMMPS.
inline constexpr int kSplineBlock = 4;

// Appends the value blocks of LAMMPS-layout coefficients (7 per knot) to `blocks`, as `Real`.
template <class Real>
inline void append_value_blocks(const std::vector<double>& lammps_layout,
                                std::vector<Real>& blocks) {
  const size_t knots = lammps_layout.size() / kSplineCoefficients;
  for (size_t m = 0; m < knots; ++m) {
    const double* c = &lammps_layout[m * kSplineCoefficients];
    blocks.insert(blocks.end(), {static_cast<Real>(c[3]), static_cast<Real>(c[4]),
                                 static_cast<Real>(c[5]), static_cast<Real>(c[6])});
  }
}

template <class Real>
KOKKOS_INLINE_FUNCTION Real spline_value(const Real* v, Real p) {
  return ((v[0] * p + v[1]) * p + v[2]) * p + v[3];
}

// The powers of p that a slope needs, 3p² and 2p: computed once for the three slopes of a pair.
template <class Real>
struct SlopeWeights {
  Real three_p_squared;
  Real two_p;
};

template <class Real>
KOKKOS_INLINE_FUNCTION SlopeWeights<Real> slope_weights(Real p) {
  return SlopeWeights<Real>{Real(3) * p * p, p + p};
}

// The spline's slope per grid step at p from its value block, 3·c3·p² + 2·c4·p + c5: the
// derivative per unit of the argument is this times 1/δ, which a caller combining several slopes
// applies once.
template <class Real>
KOKKOS_INLINE_FUNCTION Real spline_slope(const Real* v, const SlopeWeights<Real>& w) {
  return v[0] * w.three_p_squared + v[1] * w.two_p + v[2];
}

// d/dx of the spline at p from its value block; inverse_delta = 1/δ.
template <class Real>
KOKKOS_INLINE_FUNCTION Real spline_derivative(const Real* v, Real p, Real inverse_delta) {
  return ((Real(3) * v[0] * p + Real(2) * v[1]) * p + v[2]) * inverse_delta;
}

}  // namespace glassland
