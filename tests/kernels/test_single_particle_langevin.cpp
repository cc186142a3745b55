// One particle per replica in an external field (the analytic landscapes used by the
// metadynamics, ART and NEB tests) must be thermostatted to the canonical distribution: its
// momentum is not conserved and must not be removed from the Langevin noise or the initial
// velocities. Oracle: equipartition, ⟨k_y y²⟩ = ⟨k_z z²⟩ = k_B T in the double well's harmonic
// directions, and ⟨T_kinetic⟩ = T.
#include <gtest/gtest.h>

#include <cmath>

#include "kernels/analytic_landscape.hpp"
#include "kernels/kinetic.hpp"
#include "kernels/md_integrator.hpp"
#include "kernels/units.hpp"

namespace glassland {
namespace {

TEST(SingleParticleLangevin, SamplesTheCanonicalDistributionInAnExternalField) {
  const int n_replicas = 8;
  const double temperature = 600.0;
  Batch batch(n_replicas, 1, 1);
  Kokkos::deep_copy(batch.element_masses, 20.0);
  auto boxes = Kokkos::create_mirror_view(batch.boxes);
  for (int r = 0; r < n_replicas; ++r)
    boxes(r).lx = boxes(r).ly = boxes(r).lz = 100.0;
  Kokkos::deep_copy(batch.boxes, boxes);
  auto positions = Kokkos::create_mirror_view(batch.positions);
  for (int r = 0; r < n_replicas; ++r)
    positions(r, 0) = 1.0;  // in the right-hand well
  Kokkos::deep_copy(batch.positions, positions);

  LandscapeParameters well;
  well.kind = LandscapeKind::DoubleWell;
  well.barrier = 2.0;  // ≈ 39 k_B T: the particle stays in its well
  well.half_width = 1.0;
  well.stiffness_y = 3.0;
  well.stiffness_z = 1.5;
  ForceField field;
  field.add_term(std::make_unique<AnalyticLandscapeTerm>(well));

  IntegratorSettings settings;
  settings.timestep = 0.002;
  settings.ensemble = Ensemble::nvt_langevin;
  MdIntegrator md(n_replicas, 1, settings);
  md.set_constant_temperatures({temperature});
  md.set_thermostat_damping({0.1});
  std::vector<uint64_t> seeds;
  for (int r = 0; r < n_replicas; ++r)
    seeds.push_back(100 + r);
  md.set_langevin_seeds(seeds);
  md.reset_state();
  ReplicaScalars start_temperature("t", n_replicas);
  Kokkos::deep_copy(start_temperature, temperature);
  ReplicaSeeds velocity_seeds("s", n_replicas);
  Kokkos::deep_copy(velocity_seeds, 7);
  create_maxwell_boltzmann_velocities(batch, start_temperature, velocity_seeds);
  auto velocities = Kokkos::create_mirror_view_and_copy(HostSpace(), batch.velocities);
  EXPECT_GT(std::fabs(velocities(0, 0)) + std::fabs(velocities(0, 1)), 0.0)
      << "a lone particle's created velocity must not be removed as centre-of-mass motion";

  md.setup(batch, field);
  const double kt = units::kBoltzmann * temperature;
  double sum_y = 0, sum_z = 0, sum_t = 0;
  long samples = 0;
  Thermo thermo(n_replicas);
  for (int step = 1; step <= 40000; ++step) {
    md.step(batch, field);
    if (step < 2000 || step % 10 != 0)
      continue;  // 4 ps equilibration, then every 20 fs
    Kokkos::deep_copy(positions, batch.positions);
    md.compute_thermo(batch, thermo);
    auto t = Kokkos::create_mirror_view_and_copy(HostSpace(), thermo.temperature);
    for (int r = 0; r < n_replicas; ++r) {
      sum_y += well.stiffness_y * positions(r, 1) * positions(r, 1);
      sum_z += well.stiffness_z * positions(r, 2) * positions(r, 2);
      sum_t += t(r);
      ++samples;
    }
  }
  // 8 replicas × 76 ps with correlation times ≲ 0.2 ps: ≳ 3000 independent samples, relative
  // standard error of a mean of k y² (variance 2 (k_B T)²) ≲ 2.6 %; 10 % is ~4 standard errors.
  // Without the fix the noise vanishes and these means decay to 0.
  EXPECT_NEAR(sum_y / samples / kt, 1.0, 0.10);
  EXPECT_NEAR(sum_z / samples / kt, 1.0, 0.10);
  EXPECT_NEAR(sum_t / samples / temperature, 1.0, 0.06);
}

}  // namespace
}  // namespace glassland
