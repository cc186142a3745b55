// The analytic landscapes: forces are minus the gradient (central differences), the double
// well's stationary points and barrier are where the formula puts them, and Müller–Brown's
// published minimum energies (Müller & Brown 1979: −146.70, −108.17, −80.77) are reproduced.
#include <gtest/gtest.h>

#include <cmath>

#include "kernels/analytic_landscape.hpp"

namespace glassland {
namespace {

double energy_at(const LandscapeParameters& p, double x, double y, double z, double f[3]) {
  return landscape_energy_force(p, x, y, z, f);
}

TEST(AnalyticLandscape, ForcesAreMinusTheGradient) {
  for (LandscapeKind kind : {LandscapeKind::MullerBrown, LandscapeKind::DoubleWell}) {
    LandscapeParameters p;
    p.kind = kind;
    p.energy_scale = 0.05;
    p.barrier = 0.7;
    p.half_width = 1.3;
    p.stiffness_y = 2.0;
    p.stiffness_z = 0.5;
    const double h = 1e-6;
    for (double x : {-1.2, -0.3, 0.4, 0.9})
      for (double y : {-0.2, 0.5, 1.4}) {
        const double z = 0.3;
        double f[3], scratch[3];
        energy_at(p, x, y, z, f);
        const double fx =
            -(energy_at(p, x + h, y, z, scratch) - energy_at(p, x - h, y, z, scratch)) / (2 * h);
        const double fy =
            -(energy_at(p, x, y + h, z, scratch) - energy_at(p, x, y - h, z, scratch)) / (2 * h);
        const double fz =
            -(energy_at(p, x, y, z + h, scratch) - energy_at(p, x, y, z - h, scratch)) / (2 * h);
        // Truncation h²·V''' ~ 1e-12·1e4 (Müller–Brown's exponents) plus round-off ~1e-16·V/h.
        EXPECT_NEAR(f[0], fx, 1e-6 * (1 + std::fabs(fx)));
        EXPECT_NEAR(f[1], fy, 1e-6 * (1 + std::fabs(fy)));
        EXPECT_NEAR(f[2], fz, 1e-6 * (1 + std::fabs(fz)));
      }
  }
}

TEST(AnalyticLandscape, DoubleWellHasItsBarrierAtTheOrigin) {
  LandscapeParameters p;
  p.kind = LandscapeKind::DoubleWell;
  p.barrier = 0.8;
  p.half_width = 1.5;
  double f[3];
  EXPECT_DOUBLE_EQ(energy_at(p, 0, 0, 0, f), 0.8);
  EXPECT_DOUBLE_EQ(energy_at(p, 1.5, 0, 0, f), 0.0);
  EXPECT_EQ(f[0], 0.0);
  EXPECT_DOUBLE_EQ(energy_at(p, -1.5, 0, 0, f), 0.0);
}

TEST(AnalyticLandscape, MullerBrownMinimaMatchThePublishedEnergies) {
  LandscapeParameters p;  // unscaled
  // Minimise from near each published minimum by steepest descent with a small step.
  const double starts[3][2] = {{-0.55, 1.44}, {0.62, 0.03}, {-0.05, 0.47}};
  const double published[3] = {-146.70, -108.17, -80.77};
  for (int m = 0; m < 3; ++m) {
    double x = starts[m][0], y = starts[m][1], f[3];
    for (int step = 0; step < 200000; ++step) {
      landscape_energy_force(p, x, y, 0, f);
      x += 1e-4 * f[0];
      y += 1e-4 * f[1];
    }
    const double e = landscape_energy_force(p, x, y, 0, f);
    EXPECT_LT(std::hypot(f[0], f[1]), 1e-6);
    EXPECT_NEAR(e, published[m], 0.01) << "minimum " << m;  // published to two decimals
  }
}

}  // namespace
}  // namespace glassland
