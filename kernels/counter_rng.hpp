// Counter-based random numbers: each draw is a pure function of (seed, stream, counter), so
// every replica and atom has its own reproducible stream, the same on every backend, and a
// checkpoint needs only the counters (no generator state). The mixing function is SplitMix64
// (Steele, Lea & Flood, OOPSLA 2014), applied to a key built from the three inputs.
#pragma once

#include <cstdint>

#include "kernels/kokkos_compat.hpp"

namespace glassland {

KOKKOS_INLINE_FUNCTION uint64_t splitmix64(uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

// 64 random bits for draw `counter` of stream `stream` under `seed`. Chained mixing keeps
// nearby (stream, counter) pairs uncorrelated.
KOKKOS_INLINE_FUNCTION uint64_t random_bits(uint64_t seed, uint64_t stream, uint64_t counter) {
  return splitmix64(splitmix64(splitmix64(seed) ^ stream) ^ counter);
}

// Uniform in (0, 1): 53 random bits, offset by half a step so 0 never occurs (safe for log).
KOKKOS_INLINE_FUNCTION double uniform_open01(uint64_t bits) {
  return (static_cast<double>(bits >> 11) + 0.5) * (1.0 / 9007199254740992.0);
}

// Two independent standard normal deviates from draws (counter, counter+1) by Box–Muller.
KOKKOS_INLINE_FUNCTION void normal_pair(uint64_t seed, uint64_t stream, uint64_t counter,
                                        double& z0, double& z1) {
  const double u1 = uniform_open01(random_bits(seed, stream, counter));
  const double u2 = uniform_open01(random_bits(seed, stream, counter + 1));
  const double radius = kmath::sqrt(-2.0 * kmath::log(u1));
  const double angle = 6.283185307179586 * u2;
  z0 = radius * kmath::cos(angle);
  z1 = radius * kmath::sin(angle);
}

}  // namespace glassland
