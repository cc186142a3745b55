// The device kernels of F_s (kernels/isotropic_scattering.hpp), evaluated in a Kokkos kernel:
// sinc against sin x / x in long double (x87, 64-bit significand) over 0 … 1000 and at the
// points where its reduction changes (multiples of π/2, the series threshold, the fallback
// beyond 1e6); J0 against Bessel's integral J0(x) = (1/π)∫₀^π cos(x sin θ) dθ by the trapezoid
// rule (exponentially convergent for this periodic integrand). (The post-hoc analysis's
// std::cyl_bessel_j is the less accurate one: 1.1e-15 off at x = 14.76, 2.1e-15 at 30.59.)
#include <gtest/gtest.h>

#include <cmath>
#include <sstream>
#include <vector>

#include "kernels/isotropic_scattering.hpp"
#include "kernels/types.hpp"

namespace glassland {
namespace {

std::vector<double> on_device(const std::vector<double>& x, bool lateral) {
  const auto in = make_replica_view<Kokkos::View<double*, MemSpace>>(x, "test::x");
  Kokkos::View<double*, MemSpace> out("test::kernel", x.size());
  Kokkos::parallel_for(
      "test::scattering_average", Kokkos::RangePolicy<ExecSpace>(0, x.size()),
      KOKKOS_LAMBDA(int k) {
        out(k) = lateral ? scattering_average<true>(in(k)) : scattering_average<false>(in(k));
      });
  const auto host = Kokkos::create_mirror_view_and_copy(HostSpace(), out);
  return std::vector<double>(host.data(), host.data() + host.size());
}

std::vector<double> test_points() {
  std::vector<double> x = {0.0, 1e-12, 1e-5, 0.99999e-4, 1e-4, 1.00001e-4, 0.5, 2e6, 1e9};
  for (int k = 1; k < 2000; ++k) {  // both sides of every multiple of π/2 up to 1000π
    const double m = k * M_PI / 2;
    x.insert(x.end(), {std::nextafter(m, 0.0), m, std::nextafter(m, 1e300)});
  }
  for (int k = 0; k <= 100000; ++k)  // a dense grid over 0 … 1000
    x.push_back(k * 0.01 + 1e-3 * std::sin(k));
  return x;
}

TEST(IsotropicScattering, SincWithinAFewUlpOfSinXOverX) {
  const std::vector<double> x = test_points();
  const std::vector<double> device = on_device(x, false);
  double worst = 0.0;
  for (std::size_t k = 0; k < x.size(); ++k) {
    const long double exact = x[k] == 0.0 ? 1.0L : std::sin(static_cast<long double>(x[k])) / x[k];
    const double error = std::fabs(static_cast<double>(device[k] - exact));
    worst = std::max(worst, error);
    // ≤ 2 ulp of 1 (the largest value), whatever x: the error F_s can inherit per pair.
    ASSERT_LE(error, 2 * 2.220446049250313e-16) << "x = " << x[k];
  }
  std::ostringstream text;
  text << worst;
  RecordProperty("worst_absolute_error", text.str());
  EXPECT_EQ(on_device({0.0}, false)[0], 1.0);
}

// Bessel's integral, trapezoid rule with 512 points in long double: the rule's error is 2|J_2M(x)|
// for M points, far below 1e-16 for x ≤ 200.
long double bessel_integral(double x) {
  constexpr int kPoints = 512;
  long double sum = 0.0L;
  for (int j = 0; j < kPoints; ++j)
    sum += std::cos(x * std::sin(static_cast<long double>(M_PI) * j / kPoints));
  return sum / kPoints;
}

TEST(IsotropicScattering, LateralKernelIsBesselJ0) {
  std::vector<double> x;
  for (int k = 0; k <= 20000; k += 13)
    x.push_back(k * 0.01);
  const std::vector<double> device = on_device(x, true);
  for (std::size_t k = 0; k < x.size(); ++k) {
    ASSERT_NEAR(device[k], static_cast<double>(bessel_integral(x[k])), 3e-16) << "x = " << x[k];
  }
  EXPECT_NEAR(on_device({2.404825557695773}, true)[0], 0.0, 1e-15);  // the first zero of J0
}

}  // namespace
}  // namespace glassland
