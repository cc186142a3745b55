// sin(x)/x over arrays, the inner loop of F_s (mean_squared_displacement.cpp): two values at a time
// through SLEEF's vectorised sine (Shibata & Petrogalli, IEEE TPDS 31, 1316 (2020); Debian
// libsleef-dev, 1-ulp accuracy, the best SIMD width chosen at run time) where the build found it,
// std::sin otherwise. Below x = 1e-4 both use the series 1 − x²/6 + x⁴/120, exact in double.
#pragma once

#include <cstddef>

namespace glassland::analysis {

// out[k] = sin(x[k])/x[k] for x[k] ≥ 0.
void sinc_values(const double* x, double* out, std::size_t n);

}  // namespace glassland::analysis
