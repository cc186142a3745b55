#include "analysis/random.hpp"

#include "analysis/constants.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>

namespace glassland::analysis {

std::uint64_t Rng::below(std::uint64_t n) {
  if (n == 0)
    throw std::invalid_argument("Rng::below: n must be positive");
  // Accept x only below the largest multiple of n that fits in 64 bits, so x % n is uniform.
  const std::uint64_t max = std::numeric_limits<std::uint64_t>::max();
  const std::uint64_t limit = max - (max % n + 1) % n;  // highest accepted value
  std::uint64_t x;
  do {
    x = engine_();
  } while (x > limit);
  return x % n;
}

double Rng::normal() {
  if (has_spare_) {
    has_spare_ = false;
    return spare_;
  }
  const double u1 = uniform_open_zero();
  const double u2 = uniform();
  const double r = std::sqrt(-2.0 * std::log(u1));
  const double phi = 2.0 * kPi * u2;
  spare_ = r * std::sin(phi);
  has_spare_ = true;
  return r * std::cos(phi);
}

}  // namespace glassland::analysis
