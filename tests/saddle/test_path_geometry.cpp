// Minimum-energy-path analysis (saddle/path_geometry.hpp) and jump-NEB endpoints
// (saddle/jump_neb.hpp) on hand-made numbers with known answers.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <set>
#include <vector>

#include "saddle/jump_neb.hpp"
#include "saddle/path_geometry.hpp"

namespace glassland {
namespace {

// A Hermite cubic reproduces any polynomial of degree ≤ 3 exactly. E(s) = 2 − (s − 1.3)² sampled
// with its exact slopes: the fit's maximum is at s = 1.3, E = 2 (round-off only), between images.
TEST(EnergyProfileFit, ReproducesAQuadraticAndItsMaximumBetweenImages) {
  std::vector<double> s, e, f;
  for (int k = 0; k <= 5; ++k) {
    const double x = 0.5 * k;
    s.push_back(x);
    e.push_back(2.0 - (x - 1.3) * (x - 1.3));
    f.push_back(2.0 * (x - 1.3));  // F∥ = −dE/ds
  }
  const EnergyProfileFit fit = fit_energy_profile(s, e, f, 10);
  EXPECT_NEAR(fit.max_coordinate, 1.3, 1e-12);
  EXPECT_NEAR(fit.max_energy, 2.0, 1e-12);
  EXPECT_NEAR(fit.barrier_forward, 2.0 - e.front(), 1e-12);
  EXPECT_NEAR(fit.barrier_backward, 2.0 - e.back(), 1e-12);
  ASSERT_EQ(fit.coordinate.size(), 5u * 10u + 1u);
  for (size_t p = 0; p < fit.coordinate.size(); ++p) {
    const double x = fit.coordinate[p];
    EXPECT_NEAR(fit.energy[p], 2.0 - (x - 1.3) * (x - 1.3), 1e-12) << "s = " << x;
  }
}

// A cubic E = s³ − 3 s on [−2, 2]: local maximum at s = −1 (E = 2), which the images at
// s = −2, −0.5, 1, 2 miss; the fit finds it exactly.
TEST(EnergyProfileFit, FindsTheMaximumOfACubic) {
  std::vector<double> s{-2.0, -0.5, 1.0, 2.0}, e, f;
  for (double x : s) {
    e.push_back(x * x * x - 3.0 * x);
    f.push_back(-(3.0 * x * x - 3.0));
  }
  const EnergyProfileFit fit = fit_energy_profile(s, e, f);
  // The largest value is at the end (E(2) = 2) or the interior maximum E(−1) = 2: both 2.
  EXPECT_NEAR(fit.max_energy, 2.0, 1e-12);
  EXPECT_THROW(fit_energy_profile({0.0}, {1.0}, {0.0}), std::invalid_argument);
}

TEST(PathGeometry, CountsHumps) {
  EXPECT_EQ(count_energy_humps({0.0, 0.5, 1.0, 0.4, 0.1}), 1);
  EXPECT_EQ(count_energy_humps({0.0, 1.0, 0.2, 0.9, 0.0}), 2);
  EXPECT_EQ(count_energy_humps({0.0, 0.1, 0.2, 0.3}), 0);                // monotonic: no hump
  EXPECT_EQ(count_energy_humps({0.0, 1.0, 0.9995, 1.0, 0.0}, 1e-3), 1);  // wiggle < prominence
  EXPECT_EQ(count_energy_humps({1.0, 1.0, 1.0}), 0);
}

TEST(PathGeometry, SingleHump) {
  EXPECT_TRUE(is_single_hump({0.0, 0.5, 1.0, 0.4, 0.1}));
  EXPECT_FALSE(is_single_hump({0.0, 1.0, 0.2, 0.9, 0.0}));  // two humps
  EXPECT_FALSE(is_single_hump({0.0, -0.3, 1.0, 0.0}));      // dips below the initial state
  EXPECT_FALSE(is_single_hump({0.0, 1.0, 0.5, 0.8}));       // final state not a path minimum
  EXPECT_FALSE(is_single_hump({0.0, 0.1, 0.2}));            // highest point is an endpoint
  EXPECT_TRUE(is_single_hump({0.0, 1.0, 0.9995, 1.0, 0.0}, 1e-3));  // wiggle < prominence
  EXPECT_FALSE(is_single_hump({0.0, 1.0, 0.99, 1.0, 0.0}, 1e-3));
  EXPECT_FALSE(is_single_hump({0.0, 1.0}));
}

TEST(PathGeometry, Tortuosity) {
  EXPECT_DOUBLE_EQ(tortuosity(3.0, 2.0), 1.5);
  EXPECT_DOUBLE_EQ(tortuosity(3.0, 0.0), 0.0);
}

// Exact power law: δ and A exactly, error zero.
TEST(FractalDimension, ExactPowerLaw) {
  std::vector<double> l{1.0, 2.0, 3.5, 5.0, 8.0}, c;
  for (double x : l)
    c.push_back(2.0 * std::pow(x, 1.42));
  const PowerLawFit fit = fit_fractal_dimension(l, c);
  EXPECT_NEAR(fit.exponent, 1.42, 1e-12);
  EXPECT_NEAR(fit.prefactor, 2.0, 1e-11);
  EXPECT_NEAR(fit.exponent_error, 0.0, 1e-6);
  EXPECT_EQ(fit.n_points, 5);
}

// With scatter: slope and its standard error against the textbook covariance of the normal
// equations, σ² (XᵀX)⁻¹, computed here by Cramer's rule on the raw sums (an independent route).
TEST(FractalDimension, SlopeAndStandardErrorWithScatter) {
  const std::vector<double> l{1.5, 2.0, 2.7, 3.1, 4.4, 5.0, 6.3, 8.1};
  const std::vector<double> noise{0.03, -0.05, 0.02, 0.04, -0.03, 0.01, -0.02, 0.05};
  std::vector<double> c;
  for (size_t k = 0; k < l.size(); ++k)
    c.push_back(2.0 * std::pow(l[k], 1.4) * std::exp(noise[k]));
  const PowerLawFit fit = fit_fractal_dimension(l, c);
  double n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (size_t k = 0; k < l.size(); ++k) {
    const double x = std::log(l[k]), y = std::log(c[k]);
    n += 1;
    sx += x;
    sy += y;
    sxx += x * x;
    sxy += x * y;
  }
  const double det = n * sxx - sx * sx;
  const double slope = (n * sxy - sx * sy) / det;
  const double intercept = (sxx * sy - sx * sxy) / det;
  double ssr = 0.0;
  for (size_t k = 0; k < l.size(); ++k) {
    const double r = std::log(c[k]) - intercept - slope * std::log(l[k]);
    ssr += r * r;
  }
  const double sigma2 = ssr / (n - 2);
  EXPECT_NEAR(fit.exponent, slope, 1e-12);
  EXPECT_NEAR(fit.exponent_error, std::sqrt(sigma2 * n / det), 1e-12);
  EXPECT_NEAR(fit.exponent, 1.4, 3.0 * fit.exponent_error);  // the law it was drawn from
  EXPECT_THROW(fit_fractal_dimension({1.0, 1.0}, {2.0, 3.0}), std::invalid_argument);
  EXPECT_THROW(fit_fractal_dimension({1.0}, {2.0}), std::invalid_argument);
}

TEST(ParallelAverage, EqualsTheBoltzmannMean) {
  EXPECT_NEAR(parallel_average_barrier({0.7, 0.7, 0.7}, 0.05), 0.7, 1e-14);
  const double kT = 0.05;
  const double expected = -kT * std::log(0.5 * (std::exp(-0.5 / kT) + std::exp(-1.0 / kT)));
  EXPECT_NEAR(parallel_average_barrier({0.5, 1.0}, kT), expected, 1e-12);
  EXPECT_LT(parallel_average_barrier({0.5, 1.0}, kT), 0.75);  // the low channel dominates
}

// 5×5×5 simple cubic lattice, spacing 3 Å, box 15 Å. Between the two "inherent structures":
// atom 62 (the centre) jumps 2.0 Å along x, atom 0 moves 1.0 Å (no jump), atom 124 sits at the
// same place but wrapped by a box length (no displacement by minimum image).
TEST(JumpNeb, FindsJumpsAndMovesOnlyTheSphere) {
  const int per_side = 5;
  const double a = 3.0, length = per_side * a;
  Box box;
  box.lx = box.ly = box.lz = length;
  std::vector<double> initial;
  for (int ix = 0; ix < per_side; ++ix)
    for (int iy = 0; iy < per_side; ++iy)
      for (int iz = 0; iz < per_side; ++iz) {
        initial.push_back(a * ix + 0.1);
        initial.push_back(a * iy + 0.1);
        initial.push_back(a * iz + 0.1);
      }
  const int n = per_side * per_side * per_side;
  std::vector<double> final = initial;
  // Every atom relaxes a little (0.05 Å along y) so that moved and unmoved atoms differ.
  for (int i = 0; i < n; ++i)
    final[3 * i + 1] += 0.05;
  const int jumper = 62;
  final[3 * jumper] += 2.0;
  final[0] += 1.0;
  final[3 * 124 + 2] -= length;

  const std::vector<JumpBand> bands = find_jump_bands(initial, final, box);
  ASSERT_EQ(bands.size(), 1u);
  const JumpBand& band = bands[0];
  EXPECT_EQ(band.jumping_atom, jumper);
  EXPECT_NEAR(band.displacement, std::hypot(2.0, 0.05), 1e-12);
  // Atoms within 5 Å of the jumper's final position, by brute force over periodic images.
  int expected_moved = 0;
  for (int i = 0; i < n; ++i) {
    double best = 1e300;
    for (int sx = -1; sx <= 1; ++sx)
      for (int sy = -1; sy <= 1; ++sy)
        for (int sz = -1; sz <= 1; ++sz) {
          const double dx = final[3 * i] + sx * length - final[3 * jumper];
          const double dy = final[3 * i + 1] + sy * length - final[3 * jumper + 1];
          const double dz = final[3 * i + 2] + sz * length - final[3 * jumper + 2];
          best = std::min(best, dx * dx + dy * dy + dz * dz);
        }
    const bool inside = best <= 25.0;
    expected_moved += inside ? 1 : 0;
    for (int k = 0; k < 3; ++k) {
      // Moved atoms take their final positions (unwrapped next to the initial ones), the
      // others keep their initial positions exactly.
      double target = initial[3 * i + k];
      if (inside) {
        target = final[3 * i + k];
        if (i == 124 && k == 2)
          target += length;
      }
      EXPECT_NEAR(band.final_positions[3 * i + k], target, 1e-12) << "atom " << i;
    }
  }
  EXPECT_EQ(band.moved_atoms, expected_moved);
  // Jumper, its 6 neighbours at 3 Å and 12 at 4.24 Å (shifted by 2 Å: the count differs from
  // 19, which is why it is counted above rather than assumed).
  EXPECT_GT(expected_moved, 1);
  EXPECT_LT(expected_moved, n);
}

}  // namespace
}  // namespace glassland
