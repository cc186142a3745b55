// Batched FIRE 2.0 (kernels/fire_minimizer.hpp): minima of analytic landscapes reached from
// several starts, per-replica masks and caps, batch invariance.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <memory>

#include "host/io/batch_io.hpp"
#include "kernels/fire_minimizer.hpp"
#include "kernels/fire_stepper.hpp"
#include "kernels/units.hpp"
#include "tests/kernels/minimizer_contract.hpp"
#include "tests/kernels/minimizer_test_terms.hpp"

namespace glassland {
namespace {

using testing::Configuration;

using testing::bitwise_equal;

FireSettings tight_fire() {
  FireSettings settings;
  settings.tolerances.ftol = 1e-8;  // eV/Å, max atomic force
  settings.tolerances.etol = 0.0;   // force criterion only: the test wants the minimum itself
  settings.tolerances.max_iterations = 20000;
  return settings;
}

Configuration particle(double x, double y) {
  return {{x, y, 0.0}};
}

TEST(FireAdapt, GrowsAfterDelayAndResetsOnUphillStep) {
  const FireSettings s;
  const FireParameters p{s.dt_max,      s.dt_min,           s.dt_grow,
                         s.dt_shrink,   s.alpha_start,      s.alpha_shrink,
                         s.delay_steps, s.max_uphill_steps, s.initial_delay};
  double dt = 0.001, alpha = 0.25;
  int last_negative = 0, uphill = 0;
  // Downhill within the first N_delay steps: mix, but keep dt and α.
  FireDecision d = fire_adapt(p, 5, 1.0, 4.0, 1.0, dt, alpha, last_negative, uphill);
  EXPECT_TRUE(d.mix);
  EXPECT_FALSE(d.restart);
  EXPECT_DOUBLE_EQ(d.velocity_scale, 0.75);
  EXPECT_DOUBLE_EQ(d.force_scale, 0.25 * 2.0);  // α |v|/|F|
  EXPECT_EQ(dt, 0.001);
  EXPECT_EQ(alpha, 0.25);
  // Downhill after the delay: dt × 1.1, α × 0.99.
  d = fire_adapt(p, 21, 1.0, 1.0, 1.0, dt, alpha, last_negative, uphill);
  EXPECT_DOUBLE_EQ(dt, 0.0011);
  EXPECT_DOUBLE_EQ(alpha, 0.2475);
  // Uphill during the initial delay of a run: restart, but dt and α are kept.
  double dt_early = 0.001, alpha_early = 0.1;
  int last_negative_early = 0, uphill_early = 0;
  d = fire_adapt(p, 3, -1.0, 1.0, 1.0, dt_early, alpha_early, last_negative_early, uphill_early);
  EXPECT_TRUE(d.restart);
  EXPECT_EQ(dt_early, 0.001);
  EXPECT_EQ(alpha_early, 0.1);
  EXPECT_EQ(last_negative_early, 3);
  // Uphill later: dt × 0.5, α back to α₀, restart.
  d = fire_adapt(p, 30, -1.0, 1.0, 1.0, dt, alpha, last_negative, uphill);
  EXPECT_TRUE(d.restart);
  EXPECT_FALSE(d.mix);
  EXPECT_DOUBLE_EQ(dt, 0.00055);
  EXPECT_EQ(alpha, 0.25);
  EXPECT_EQ(last_negative, 30);
  EXPECT_EQ(uphill, 1);
  // dt never shrinks below dt_min.
  double small_dt = 1.5 * s.dt_min;
  d = fire_adapt(p, 40, -1.0, 1.0, 1.0, small_dt, alpha, last_negative, uphill);
  EXPECT_EQ(small_dt, 1.5 * s.dt_min);
  // dt never grows beyond dt_max.
  double large_dt = s.dt_max;
  last_negative = 0;
  d = fire_adapt(p, 100, 1.0, 1.0, 1.0, large_dt, alpha, last_negative, uphill);
  EXPECT_EQ(large_dt, s.dt_max);
}

// Several starts in the three basins of the Müller–Brown surface; each must end within 1e-6 Å
// of the minimum of its basin found by Newton's method. ftol = 1e-8 eV/Å and the smallest
// Hessian eigenvalue at the minima (≥ 221 eV/Å², checked below) bound the position error by
// ftol/λ_min ≈ 5e-11 Å.
// Quickmin (LAMMPS min_quickmin.cpp) step by step on one atom of mass m under forces the test
// sets: the velocity is projected on the force (zeroed when v·F < 0), the position moves with the
// projected velocity, then v ← v + Δt·F/m; Δt shortened so no coordinate moves more than dmax.
TEST(FireStepper, QuickminStepsAsLammpsMinQuickmin) {
  FireRules rules;
  rules.method = FireMethod::quickmin;
  rules.dt_initial = 0.002;      // ps
  rules.max_displacement = 0.1;  // Å
  FireStepper stepper(rules, FireSystems{1, 1, 0, 1, 1});
  stepper.reset();
  Batch batch(1, 1, 1);
  const double mass = 50.0;  // amu
  Kokkos::deep_copy(batch.elements, 0);
  Kokkos::deep_copy(batch.element_masses, mass);
  Kokkos::deep_copy(batch.positions, 0.0);
  FireSystemCounters counters{ReplicaInts("running", 1), ReplicaInts("steps", 1),
                              ReplicaInts("status", 1), 0, ReplicaInts()};
  Kokkos::deep_copy(counters.running, 1);
  AtomVectors forces("forces", 1);
  const double c = units::kForceOverMassToAccel / mass, dt = rules.dt_initial;
  double x[3] = {0, 0, 0}, v[3] = {0, 0, 0};
  const auto step = [&](const std::array<double, 3>& f) {
    auto host = Kokkos::create_mirror_view(forces);
    for (int k = 0; k < 3; ++k)
      host(0, k) = f[k];
    Kokkos::deep_copy(forces, host);
    stepper.adapt(batch.positions, forces, counters);
    stepper.move(batch, forces, counters.running);
    // The reference: min_quickmin.cpp's iterate(), one atom.
    const double vf = v[0] * f[0] + v[1] * f[1] + v[2] * f[2];
    const double ff = f[0] * f[0] + f[1] * f[1] + f[2] * f[2];
    for (int k = 0; k < 3; ++k)
      v[k] = vf < 0.0 ? 0.0 : vf / ff * f[k];
    double vmax = 0.0;
    for (int k = 0; k < 3; ++k)
      vmax = std::max(vmax, std::fabs(v[k]));
    const double h = dt * vmax > rules.max_displacement ? rules.max_displacement / vmax : dt;
    for (int k = 0; k < 3; ++k) {
      x[k] += h * v[k];
      v[k] += h * c * f[k];
    }
    auto xs = Kokkos::create_mirror_view_and_copy(HostSpace(), batch.positions);
    auto vs = Kokkos::create_mirror_view_and_copy(HostSpace(), stepper.velocities());
    for (int k = 0; k < 3; ++k) {
      EXPECT_DOUBLE_EQ(xs(0, k), x[k]) << "x component " << k;
      EXPECT_DOUBLE_EQ(vs(0, k), v[k]) << "v component " << k;
    }
  };
  step({1.0, 0.0, 0.0});   // from rest: no move, v = Δt·F/m
  step({1.0, 0.5, 0.0});   // v projected on the turned force, then the Euler step
  step({-2.0, 0.0, 1.0});  // v·F < 0: v ← 0, no move
  for (int k = 0; k < 60; ++k)
    step({3.0, 2.0, 1.0});  // speed builds until dmax shortens the step
  EXPECT_GT(v[0] * 0.002, 0.1) << "the last steps did not reach the dmax limit";
}

TEST(FireMinimizer, MuellerBrownStartsReachNewtonMinima) {
  const std::array<double, 2> minima[3] = {testing::mueller_brown_newton_minimum(-0.56, 1.44),
                                           testing::mueller_brown_newton_minimum(0.62, 0.03),
                                           testing::mueller_brown_newton_minimum(-0.05, 0.47)};
  // The three are distinct minima (positive-definite Hessian), not one point thrice.
  for (const auto& m : minima) {
    const auto v = testing::mueller_brown(m[0], m[1]);
    EXPECT_LT(std::fabs(v.gradient[0]) + std::fabs(v.gradient[1]), 1e-10);
    EXPECT_GT(testing::mueller_brown_smallest_curvature(m[0], m[1]), 220.0);
  }
  EXPECT_GT(std::fabs(minima[0][0] - minima[1][0]), 0.5);
  // Start → index of the minimum of its basin.
  const std::vector<std::pair<Configuration, int>> starts = {
      {particle(-0.75, 1.30), 0}, {particle(-0.40, 1.60), 0}, {particle(0.45, 0.10), 1},
      {particle(0.85, -0.05), 1}, {particle(-0.10, 0.50), 2}, {particle(0.00, 0.42), 2}};
  std::vector<Configuration> configurations;
  for (const auto& s : starts)
    configurations.push_back(s.first);
  Batch batch = testing::make_batch(configurations, 10.0);
  ForceField force_field;
  force_field.add_term(std::make_unique<testing::MuellerBrownTerm>(batch.n_replicas));

  FireMinimizer fire(tight_fire());
  const auto results = fire.minimize(batch, force_field);
  ASSERT_EQ(results.size(), starts.size());
  for (size_t r = 0; r < starts.size(); ++r) {
    SCOPED_TRACE("replica " + std::to_string(r));
    EXPECT_EQ(results[r].status, MinimizerStatus::converged_force);
    EXPECT_LT(results[r].force_norm, 1e-8);
    const auto x = testing::replica_positions(batch, static_cast<int>(r))[0];
    const auto& expected = minima[starts[r].second];
    EXPECT_NEAR(x[0], expected[0], 1e-6);
    EXPECT_NEAR(x[1], expected[1], 1e-6);
    EXPECT_NEAR(results[r].final_energy, testing::mueller_brown(expected[0], expected[1]).energy,
                1e-9);
    EXPECT_LT(results[r].final_energy, results[r].initial_energy);
  }
}

// 13-atom Lennard-Jones clusters from distorted icosahedra reach the icosahedral global minimum
// (minimizer_contract.hpp). With ε = 1 eV and σ = 1 Å the mass is 1000 amu, so that the bond
// vibration period (~0.08 ps) is long against FIRE's time steps (≤ 0.01 ps), as it is for real
// metals with LAMMPS's defaults; with 1 amu the explicit dynamics of the first steps is
// unstable and the cluster explodes (as it would in LAMMPS).
TEST(FireMinimizer, LennardJones13ReachesIcosahedronEnergy) {
  FireSettings settings = tight_fire();
  settings.tolerances.ftol = 1e-6;
  testing::expect_lennard_jones_13_reaches_icosahedron<FireMinimizer>(settings, 1000.0);
}

// Replica 0 starts 1e-10 Å from a minimum and converges after ~20 iterations, replica 1 starts
// 0.1 Å away and needs ~170. After replica 0 stops, its positions stay bitwise the same and
// the force field no longer evaluates it, while replica 1 keeps moving.
TEST(FireMinimizer, ConvergedReplicasStopWhileOthersContinue) {
  const auto minimum = testing::mueller_brown_newton_minimum(-0.56, 1.44);
  Batch batch = testing::make_batch(
      {particle(minimum[0] + 1e-10, minimum[1]), particle(minimum[0] + 0.1, minimum[1])}, 10.0);
  ForceField force_field;
  auto term = std::make_unique<testing::MuellerBrownTerm>(batch.n_replicas);
  const ReplicaInts term_evaluations = term->evaluations();
  force_field.add_term(std::move(term));

  FireMinimizer fire(tight_fire());
  fire.start(batch, force_field);
  int iteration = 0;
  while (testing::to_host(fire.state().running)[0] == 1) {
    fire.advance(batch, force_field, 1);
    ++iteration;
    ASSERT_LT(iteration, 5000) << "replica 0 never converged";
  }
  const Configuration frozen = testing::replica_positions(batch, 0);
  const int frozen_evaluations = testing::to_host(term_evaluations)[0];
  ASSERT_EQ(testing::to_host(fire.state().running)[1], 1)
      << "replica 1 should still run after " << iteration << " iterations, status "
      << testing::to_host(fire.state().status)[1];
  const Configuration replica1_then = testing::replica_positions(batch, 1);

  int more_iterations = 0;
  while (fire.advance(batch, force_field, 1) > 0) {
    ++more_iterations;
    ASSERT_LT(more_iterations, 20000);
  }
  EXPECT_GT(more_iterations, 50) << "the test needs replica 1 to run on for a while";
  const Configuration frozen_after = testing::replica_positions(batch, 0);
  for (int k = 0; k < 3; ++k)
    EXPECT_TRUE(bitwise_equal(frozen[0][k], frozen_after[0][k]));
  EXPECT_EQ(testing::to_host(term_evaluations)[0], frozen_evaluations);
  EXPECT_FALSE(bitwise_equal(replica1_then[0][0], testing::replica_positions(batch, 1)[0][0]));

  const auto results = fire.results(batch);
  EXPECT_EQ(results[0].status, MinimizerStatus::converged_force);
  EXPECT_EQ(results[1].status, MinimizerStatus::converged_force);
  EXPECT_EQ(results[0].iterations, iteration);
  EXPECT_GT(results[1].iterations, results[0].iterations + 50);
  // The minimiser's evaluation counts are what the force term saw.
  const auto seen = testing::to_host(term_evaluations);
  EXPECT_EQ(results[0].evaluations, seen[0]);
  EXPECT_EQ(results[1].evaluations, seen[1]);
}

// An iteration evaluates the force field a second time only when FIRE moved some replica half
// a step back (an uphill step with v ≠ 0): for the empty mask nothing is launched. Each
// iteration's batch evaluations (ForceField::evaluations) are 1 + [some replica moved back],
// and a replica's own count rises by 2 exactly when it was moved back. The starts climb
// uphill now and then (restarts happen, the test checks that both kinds of iteration occur).
TEST(FireMinimizer, SecondEvaluationOnlyWhenSomeReplicaMovedBack) {
  Batch batch = testing::make_batch({particle(-0.75, 1.30), particle(0.85, -0.05)}, 10.0);
  ForceField force_field;
  auto term = std::make_unique<testing::MuellerBrownTerm>(batch.n_replicas);
  const ReplicaInts term_evaluations = term->evaluations();
  force_field.add_term(std::move(term));
  FireMinimizer fire(tight_fire());
  fire.start(batch, force_field);
  int single = 0, double_evaluation = 0;
  for (int iteration = 0; iteration < 20000; ++iteration) {
    const int64_t batch_before = force_field.evaluations();
    const auto replica_before = testing::to_host(term_evaluations);
    const auto running_before = testing::to_host(fire.state().running);
    const int still_running = fire.advance(batch, force_field, 1);
    const int64_t batch_calls = force_field.evaluations() - batch_before;
    const auto replica_after = testing::to_host(term_evaluations);
    bool some_moved_back = false;
    for (int r = 0; r < batch.n_replicas; ++r) {
      const int calls = replica_after[r] - replica_before[r];
      if (running_before[r] == 0)
        EXPECT_EQ(calls, 0);
      if (calls == 2)
        some_moved_back = true;
      EXPECT_LE(calls, 2);
    }
    EXPECT_EQ(batch_calls, some_moved_back ? 2 : 1) << "iteration " << iteration;
    (some_moved_back ? double_evaluation : single) += 1;
    if (still_running == 0)
      break;
  }
  EXPECT_EQ(testing::to_host(fire.state().running)[0], 0) << "the run did not finish";
  EXPECT_GT(single, 10);
  EXPECT_GT(double_evaluation, 0) << "no replica was moved back: pick starts that climb";
  const auto results = fire.results(batch);
  const auto seen = testing::to_host(term_evaluations);
  for (int r = 0; r < batch.n_replicas; ++r) {
    EXPECT_EQ(results[r].status, MinimizerStatus::converged_force);
    EXPECT_EQ(results[r].evaluations, seen[r]);
  }
}

// The iteration cap stops a replica with status max_iterations (not converged), while a
// replica that starts at the minimum is converged after 0 iterations.
TEST(FireMinimizer, IterationCapIsReported) {
  const auto minimum = testing::mueller_brown_newton_minimum(0.62, 0.03);
  Batch batch = testing::make_batch({particle(minimum[0], minimum[1]), particle(-0.8, 1.2)}, 10.0);
  ForceField force_field;
  force_field.add_term(std::make_unique<testing::MuellerBrownTerm>(batch.n_replicas));
  FireSettings settings = tight_fire();
  settings.tolerances.max_iterations = 7;
  FireMinimizer fire(settings);
  const auto results = fire.minimize(batch, force_field);
  EXPECT_EQ(results[0].status, MinimizerStatus::converged_force);
  EXPECT_EQ(results[0].iterations, 0);
  EXPECT_EQ(results[1].status, MinimizerStatus::max_iterations);
  EXPECT_FALSE(is_converged(results[1].status));
  EXPECT_EQ(results[1].iterations, 7);
  EXPECT_GT(results[1].force_norm, 1e-8);
}

// Replica r alone gives bitwise the same trajectory end as replica r inside a batch.
TEST(FireMinimizer, ReplicaAloneEqualsReplicaInBatch) {
  testing::expect_mueller_brown_alone_equals_in_batch<FireMinimizer>(tight_fire());
}

// A replica masked out by the caller is neither moved nor evaluated.
TEST(FireMinimizer, NonParticipatingReplicaIsUntouched) {
  testing::expect_masked_replica_untouched<FireMinimizer>(tight_fire());
}

// A replica whose numbers break down stops alone (issue 16; minimizer_contract.hpp).
TEST(FireMinimizer, NonFiniteReplicaStopsAloneOthersBitwiseUnchanged) {
  testing::expect_non_finite_replica_stops_alone<FireMinimizer>(tight_fire());
}

// Periodic EAM (432-atom disordered Cu50Zr50, neighbour skin 0.1 Å so that the list rebuilds
// and wraps atoms often): two different replicas run together equal each run alone, bitwise,
// and unwrapped positions move continuously (minimizer_contract.hpp). 150 iterations keep it
// fast; the outcome (converged or capped) must match too, and the energy must have gone down.
TEST(FireMinimizer, PeriodicEamBatchInvarianceAndImages) {
  FireSettings settings;
  settings.tolerances.ftol = 1e-3;
  settings.tolerances.max_iterations = 150;
  const testing::PeriodicEamRun run =
      testing::expect_periodic_eam_batch_invariance<FireMinimizer>(settings);
  for (int r = 0; r < 2; ++r)
    EXPECT_LT(run.together[r].final_energy, run.together[r].initial_energy) << "replica " << r;
}

}  // namespace
}  // namespace glassland
