// The small part of Kokkos whose spelling differs between Kokkos 3.4 (Debian's Trilinos build)
// and Kokkos 4.x/5.x. Everything else in glassland uses the API common to both.
#pragma once

#include <Kokkos_Core.hpp>
#include <cmath>

namespace glassland::kmath {

// Kokkos 3.4 keeps its math functions in Kokkos::Experimental, Kokkos 4 moved them to Kokkos::.
// The C library functions are device-callable on every backend we target, so we use those.
KOKKOS_INLINE_FUNCTION double sqrt(double x) {
  return ::sqrt(x);
}
KOKKOS_INLINE_FUNCTION double exp(double x) {
  return ::exp(x);
}
KOKKOS_INLINE_FUNCTION double log(double x) {
  return ::log(x);
}
KOKKOS_INLINE_FUNCTION double fabs(double x) {
  return ::fabs(x);
}
KOKKOS_INLINE_FUNCTION double floor(double x) {
  return ::floor(x);
}
KOKKOS_INLINE_FUNCTION double nearbyint(double x) {
  return ::nearbyint(x);
}
KOKKOS_INLINE_FUNCTION double cos(double x) {
  return ::cos(x);
}
KOKKOS_INLINE_FUNCTION double sin(double x) {
  return ::sin(x);
}
// isfinite is a macro-like overload set in C and a template in C++; x - x is 0 only when finite.
KOKKOS_INLINE_FUNCTION bool isfinite(double x) {
  return x - x == 0.0;
}
KOKKOS_INLINE_FUNCTION double min(double a, double b) {
  return a < b ? a : b;
}
KOKKOS_INLINE_FUNCTION double max(double a, double b) {
  return a > b ? a : b;
}
KOKKOS_INLINE_FUNCTION int min(int a, int b) {
  return a < b ? a : b;
}
KOKKOS_INLINE_FUNCTION int max(int a, int b) {
  return a > b ? a : b;
}

}  // namespace glassland::kmath
