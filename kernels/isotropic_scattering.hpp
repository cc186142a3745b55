// The direction averages of cos(q·Δr) for |Δr| = r that F_s(q, t) sums (SPEC.md §9; the same
// kernels as analysis::isotropic_scattering, written for device code): sin(x)/x with x = q·r in
// 3D, J0(x) for lateral (x–y) displacements.
//
// sinc: x = nπ + y with |y| ≤ π/2 (Cody & Waite's reduction, W. J. Cody and W. Waite, Software
// Manual for the Elementary Functions, Prentice-Hall 1980, ch. 8: π split into a part of 30
// significant bits, whose product with n < 2²³ is exact, and the rest), then
// sin x = (−1)ⁿ y·f(y²) with f(u) = sin(√u)/√u approximated on [0, (π/2)²] by its Chebyshev
// interpolant of degree 8 (coefficients from mpmath.chebyfit at 40 digits; the fit is within
// 2.1e−19 of f, the double evaluation within 1.5e−16), divided by x; for n = 0 (x < π/2, where
// y = x) sin x / x = f(x²) without a division, which also covers x = 0 (f(0) = 1 exactly). About
// 30 instructions against ~60 for the C library's sine and a division (perf/README.md,
// "md.analysis"); within 1.6e−16 of sin x / x (tests/kernels/test_isotropic_scattering.cpp
// checks 0 … 1000 against long double).
//
// J0: the C library's j0 (POSIX; CUDA and HIP provide it on the device), within 3e−16 of
// Bessel's integral over 0 … 200 (the same test).
#pragma once

#include <Kokkos_Core.hpp>
#include <cmath>
#include <cstdint>

namespace glassland {

KOKKOS_INLINE_FUNCTION double sinc(double x) {
  if (!(x < 1e6))  // beyond the exact reduction (n ≥ 2²³ is reached at 2.6e7), and NaN
    return ::sin(x) / x;
  constexpr double kInversePi = 0.3183098861837907;
  constexpr double kPiA = 3.141592651605606;      // 30 significant bits of π
  constexpr double kPiB = 1.984187159361081e-09;  // π − kPiA (3.3e−26 off)
  const int n = static_cast<int>(x * kInversePi + 0.5);
  const double nd = static_cast<double>(n);
  const double y = (x - nd * kPiA) - nd * kPiB;
  const double u = y * y;
  double f = 2.7215749422983443e-15;
  f = f * u - 7.643026557971632e-13;
  f = f * u + 1.605894087848656e-10;
  f = f * u - 2.505210689056952e-08;
  f = f * u + 2.7557319211229606e-06;
  f = f * u - 0.00019841269841208676;
  f = f * u + 0.008333333333333186;
  f = f * u - 0.16666666666666666;
  f = f * u + 1.0;
  if (n == 0)
    return f;
  const double sine = y * f;
  return ((n & 1) ? -sine : sine) / x;
}

KOKKOS_INLINE_FUNCTION double bessel_j0(double x) {
  return ::j0(x);
}

// The kernel of F_s for displacements of length r, at x = q r: sinc(x) (3D) or J0(x) (lateral).
template <bool Lateral>
KOKKOS_INLINE_FUNCTION double scattering_average(double x) {
  return Lateral ? bessel_j0(x) : sinc(x);
}

}  // namespace glassland
