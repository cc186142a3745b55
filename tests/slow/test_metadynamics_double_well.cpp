// Acceptance test of well-tempered metadynamics (issue 4, SPEC.md §5), long version: on the
// analytic double well (h = 0.2 eV = 7.7 k_B T at 300 K, minima at ±1 Å) driven by MdIntegrator's
// Langevin thermostat, the reconstructed FES along the CV matches the exact free energy within
// 0.2 k_B T over the sampled region (F_exact ≤ h, |s| ≤ √2 Å) and the barrier within 0.1 k_B T.
// The short version is tests/cv/test_metadynamics_double_well_short.cpp; the model and the
// estimator are in tests/cv/metadynamics_double_well_run.hpp.
#include <gtest/gtest.h>

#include <cmath>
#include <iostream>

#include "tests/cv/metadynamics_double_well_run.hpp"

namespace glassland {
namespace {

using namespace testing_double_well;

TEST(MetadynamicsDoubleWellSlow, FreeEnergyWithinTheAcceptanceTolerances) {
  RunSettings run;
  run.n_replicas = 16;
  run.steps = 1920000;  // 3.84 ns per replica, 38400 hills each
  run.metad.pace = 50;
  run.metad.sigma = 0.05;
  run.metad.initial_height = 0.002;
  run.metad.bias_temperature = 1500;  // γ = 5
  run.metad.grid_lower = -3.0;
  run.metad.grid_upper = 3.0;
  const RunResult result = run_double_well(run);
  const double kt = units::kBoltzmann * run.temperature;
  std::vector<double> barriers;
  for (int r = 0; r < run.n_replicas; ++r) {
    const Comparison c =
        compare(run, result.s,
                free_energy_from_bias(result.bias[r], run.temperature, run.metad.bias_temperature),
                run.barrier);
    barriers.push_back(c.barrier);
    std::cout << "replica " << r << ": max deviation " << c.max_deviation / kt
              << " kT, barrier error " << (c.barrier - run.barrier) / kt << " kT\n";
  }
  double mean_barrier = 0.0, spread = 0.0;
  for (double b : barriers)
    mean_barrier += b / barriers.size();
  for (double b : barriers)
    spread += (b - mean_barrier) * (b - mean_barrier) / (barriers.size() - 1);
  const double standard_error = std::sqrt(spread / barriers.size());
  const Comparison mean = compare(run, result.s, mean_free_energy(run, result), run.barrier);
  std::cout << "replica-averaged FES: max deviation " << mean.max_deviation / kt
            << " kT, barrier error " << (mean.barrier - run.barrier) / kt
            << " kT; standard error of the barrier over replicas " << standard_error / kt
            << " kT\n";
  // Tolerances are the acceptance numbers (0.2 and 0.1 k_B T). They are meaningful here
  // because the estimator's own uncertainty is well below them: the measured standard error of
  // the barrier over the 16 independent replicas (printed above) is checked to be under a third
  // of the barrier tolerance, so a pass is not luck. Earlier measurements on this model: σ =
  // 0.1 Å leaves a 0.14 k_B T ripple at the walls (hence σ = 0.05 Å); 8 replicas × 0.96 M steps
  // gave 0.07 k_B T and 0.01 k_B T.
  ASSERT_TRUE(mean.barrier_found);
  EXPECT_LT(standard_error, 0.1 * kt / 3.0);
  EXPECT_LT(mean.max_deviation, 0.2 * kt);
  EXPECT_NEAR(mean.barrier, run.barrier, 0.1 * kt);
}

}  // namespace
}  // namespace glassland
