// Portable, seeded random draws for the statistics code (bootstrap, test samples).
//
// Why our own: the C++ standard fixes the output of std::mt19937_64 bit for bit, but not the
// algorithms of std::uniform_int_distribution or std::normal_distribution, so libstdc++ and
// libc++ give different numbers for the same seed. Everything here is built only on the raw
// engine output, so a seed reproduces the same resamples on every platform.
#pragma once

#include <cstdint>
#include <random>

namespace glassland::analysis {

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : engine_(seed) {}

  // Raw 64 random bits.
  std::uint64_t bits() { return engine_(); }

  // Uniform integer in [0, n) without modulo bias: rejection of the top partial range.
  std::uint64_t below(std::uint64_t n);

  // Uniform double in [0, 1) with 53 random bits.
  double uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }

  // Uniform double in (0, 1]: safe argument for log().
  double uniform_open_zero() { return 1.0 - uniform(); }

  // Standard normal deviate by the Box–Muller transform (both values of a pair are used).
  double normal();

 private:
  std::mt19937_64 engine_;
  bool has_spare_ = false;
  double spare_ = 0.0;
};

}  // namespace glassland::analysis
