// Acceptance test of well-tempered metadynamics (SPEC.md §5, issue 4) on the analytic double
// well, short version: MdIntegrator's Langevin dynamics, the displacement CV, the grid bias with
// well-tempered deposition, and the FES reconstruction and barrier extraction together recover
// the exact free energy F(s) = h((s/w)² − 1)² (h = 0.2 eV = 7.7 k_B T at 300 K). The long version
// with the tolerances (0.2 k_B T pointwise, 0.1 k_B T on the barrier) is
// tests/slow/test_metadynamics_double_well.cpp.
#include <gtest/gtest.h>

#include <cmath>
#include <iostream>

#include "tests/cv/metadynamics_double_well_run.hpp"

namespace glassland {
namespace {

using namespace testing_double_well;

TEST(MetadynamicsDoubleWell, ShortRunRecoversTheExactFreeEnergy) {
  RunSettings run;
  run.n_replicas = 8;
  run.steps = 240000;  // 480 ps per replica, 4800 hills; ~5 s on one CPU core
  run.metad.pace = 50;
  // σ = 0.05 Å (5 knots per σ): with σ = 0.1 Å the reconstruction shows a 0.14 k_B T ripple at
  // the steep walls (|s| ≈ 1.3 Å, measured, independent of the time step); it scales with σ.
  run.metad.sigma = 0.05;
  run.metad.initial_height = 0.002;   // eV
  run.metad.bias_temperature = 1500;  // γ = 5: residual barrier h/γ = 1.5 k_B T, fast crossing
  run.metad.grid_lower = -3.0;
  run.metad.grid_upper = 3.0;
  const RunResult result = run_double_well(run);
  const double kt = units::kBoltzmann * run.temperature;

  // Every replica crossed the barrier many times and its hills became well-tempered.
  std::vector<double> barriers;
  for (int r = 0; r < run.n_replicas; ++r) {
    const auto& hills = result.hills[r];
    ASSERT_EQ(hills.size(), static_cast<size_t>(run.steps / run.metad.pace));
    int crossings = 0;
    for (size_t h = 1; h < hills.size(); ++h)
      crossings += (hills[h].center > 0) != (hills[h - 1].center > 0);
    EXPECT_GT(crossings, 20) << "replica " << r;
    // Well-tempering: the heights of the last 10% of hills average below w0/4.
    double late_height = 0.0;
    const size_t late = hills.size() / 10;
    for (size_t h = hills.size() - late; h < hills.size(); ++h)
      late_height += hills[h].height / late;
    EXPECT_LT(late_height, 0.25 * run.metad.initial_height) << "replica " << r;
    const Comparison c =
        compare(run, result.s,
                free_energy_from_bias(result.bias[r], run.temperature, run.metad.bias_temperature),
                run.barrier);
    barriers.push_back(c.barrier);
    std::cout << "replica " << r << ": " << crossings << " crossings (between hills), last height "
              << hills.back().height << " eV, max deviation " << c.max_deviation / kt
              << " kT, barrier error " << (c.barrier - run.barrier) / kt << " kT\n";
  }
  double mean_barrier = 0.0, spread = 0.0;
  for (double b : barriers)
    mean_barrier += b / barriers.size();
  for (double b : barriers)
    spread += (b - mean_barrier) * (b - mean_barrier) / (barriers.size() - 1);
  const double standard_error = std::sqrt(spread / barriers.size());

  // The FES of the replica-averaged bias (the replicas are independent estimates of one bias).
  const Comparison mean = compare(run, result.s, mean_free_energy(run, result), run.barrier);
  std::cout << "replica-averaged FES over F_exact <= h: max deviation " << mean.max_deviation / kt
            << " kT, barrier " << mean.barrier << " eV (exact " << run.barrier << "): error "
            << (mean.barrier - run.barrier) / kt << " kT; replica spread of the barrier: "
            << "standard error " << standard_error / kt << " kT\n";
  // Tolerances: at this length the measured replica-averaged errors are 0.19 k_B T (largest
  // pointwise) and 0.06 k_B T (barrier; 0.21 k_B T at half the length), i.e. still converging;
  // 0.4 and 0.25 k_B T leave a factor 2 for another platform's round-off changing the
  // trajectories, while a wrong sign, factor (T+ΔT)/ΔT or height rule misses by whole k_B T.
  ASSERT_TRUE(mean.barrier_found);
  EXPECT_LT(mean.max_deviation, 0.4 * kt);
  EXPECT_NEAR(mean.barrier, run.barrier, 0.25 * kt);

  // ν0 from the curvature (metad.attempt_frequency "curvature"): F'' at the minima ±w is
  // exactly 8h/w² (F = h((s/w)² − 1)²), so ν0 = (1/2π) sqrt(8h/(w² m)) for the particle's mass.
  // A quadratic fit over a window of F above the minimum is biased by the anharmonic terms of F
  // (4δ³ h/w³ + δ⁴ h/w⁴ beyond 4δ² h/w², δ = s + w): on the exact F the bias is measured here
  // and must shrink with the window, below 1.5 % at k_B T/16 (measured 3.8 %, 1.3 % and 0.04 %
  // at 1, 1/4 and 1/16 k_B T).
  const double k_exact = 8.0 * run.barrier / (run.half_width * run.half_width);
  std::vector<double> f_exact(result.s.size());
  for (size_t i = 0; i < f_exact.size(); ++i)
    f_exact[i] = exact_free_energy(run, result.s[i]);
  const auto left = [&](const std::vector<double>& f) {
    size_t best = 0;
    for (size_t i = 0; i < f.size(); ++i)
      if (result.s[i] < 0 && f[i] < f[best])
        best = i;
    return best;
  };
  double previous_error = INFINITY;
  for (double window : {1.0, 0.25, 1.0 / 16}) {
    const BasinCurvature c = basin_curvature(result.s, f_exact, left(f_exact), window * kt);
    ASSERT_TRUE(c.valid) << window;
    const double error = std::abs(c.stiffness / k_exact - 1.0);
    std::cout << "curvature fit of the exact F over " << window << " k_B T: " << c.stiffness
              << " eV/Å² (exact " << k_exact << "), relative error " << error << "\n";
    EXPECT_LT(error, previous_error) << window;
    previous_error = error;
  }
  EXPECT_LT(previous_error, 0.015);
  // The reconstructed FES against the exact one, with the task's default window k_B T: measured
  // 1.489 vs 1.540 eV/Å² (3.3 %). The allowed 15 % reflects that the pointwise FES tolerance
  // above (0.4 k_B T) is comparable to the depth of the fit window, so on another platform's
  // trajectories the curvature is the least converged quantity of this run; ν0 ∝ sqrt(k).
  const BasinCurvature exact = basin_curvature(result.s, f_exact, left(f_exact), kt);
  const std::vector<double> f_mean = mean_free_energy(run, result);
  const BasinCurvature fitted = basin_curvature(result.s, f_mean, left(f_mean), kt);
  ASSERT_TRUE(fitted.valid);
  std::cout << "curvature of the reconstructed FES over k_B T: " << fitted.stiffness
            << " eV/Å² (exact F, same window: " << exact.stiffness << "); ν0 "
            << harmonic_attempt_frequency(fitted.stiffness, run.mass) << " s⁻¹ (exact "
            << harmonic_attempt_frequency(k_exact, run.mass) << ")\n";
  EXPECT_NEAR(fitted.stiffness, exact.stiffness, 0.15 * exact.stiffness);
  EXPECT_NEAR(harmonic_attempt_frequency(fitted.stiffness, run.mass),
              harmonic_attempt_frequency(exact.stiffness, run.mass),
              0.08 * harmonic_attempt_frequency(exact.stiffness, run.mass));
}

}  // namespace
}  // namespace glassland
