// Batched Polak–Ribière CG (kernels/cg_minimizer.hpp): the line-search state machine, minima of
// analytic landscapes from several starts, per-replica masks and caps, batch invariance.
#include <gtest/gtest.h>

#include <cmath>
#include <memory>

#include "host/io/batch_io.hpp"
#include "kernels/cg_minimizer.hpp"
#include "tests/kernels/minimizer_contract.hpp"
#include "tests/kernels/minimizer_test_terms.hpp"

namespace glassland {
namespace {

using testing::Configuration;

using testing::bitwise_equal;

CgSettings tight_cg(CgLineSearch line_search = CgLineSearch::quadratic) {
  CgSettings settings;
  settings.line_search = line_search;
  settings.tolerances.ftol = 1e-8;  // eV/Å, max atomic force
  settings.tolerances.etol = 0.0;   // force criterion only: the test wants the minimum itself
  settings.tolerances.max_iterations = 5000;
  return settings;
}

Configuration particle(double x, double y) {
  return {{x, y, 0.0}};
}

// On a 1D quadratic E(α) = E₀ − s α + ½ k α² (slope s = F·h at α = 0) the trial step α_max is
// followed by the secant projection, which lands exactly on the minimum α* = s/k, and the
// search ends there.
TEST(CgLineSearchStateMachine, SecantStepHitsMinimumOfQuadratic) {
  const double e0 = -10.0, s = 2.0, k = 8.0;  // α* = 0.25, inside α_max = 1
  auto energy = [&](double a) { return e0 - s * a + 0.5 * k * a * a; };
  auto slope = [&](double a) { return s - k * a; };  // F·h = −dE/dα
  CgReplicaState state;
  state.alpha_max = state.alpha = 1.0;
  state.alpha_previous = 0.0;
  state.fh_start = state.fh_previous = s;
  state.energy_start = state.energy_previous = e0;
  state.phase = CgPhase::trial;
  CgLineAction action =
      cg_line_search_after_evaluation(state, CgLineSearch::quadratic, energy(1.0), slope(1.0));
  ASSERT_EQ(action.kind, CgLineAction::evaluate);
  EXPECT_EQ(state.phase, CgPhase::quadratic);
  EXPECT_NEAR(action.alpha, 0.25, 1e-15);
  action = cg_line_search_after_evaluation(state, CgLineSearch::quadratic, energy(action.alpha),
                                           slope(action.alpha));
  EXPECT_EQ(action.kind, CgLineAction::line_done);
}

// An energy that rises along h (a wrong slope) is backtracked: α halves until the Armijo test
// passes or the predicted decrease is below machine precision; then the search resets to x0
// and stops with a failure status.
TEST(CgLineSearchStateMachine, BacktracksThenGivesUpAtMachinePrecision) {
  CgReplicaState state;
  state.alpha_max = state.alpha = 1.0;
  state.fh_start = state.fh_previous = 1e-6;  // claims downhill
  state.energy_start = state.energy_previous = -5.0;
  state.phase = CgPhase::trial;
  int evaluations = 0;
  CgLineAction action;
  double alpha = 1.0;
  do {
    // The energy rises linearly instead (F·h measured as −1e-6: uphill).
    action =
        cg_line_search_after_evaluation(state, CgLineSearch::backtrack, -5.0 + 1e-6 * alpha, -1e-6);
    alpha = action.alpha;
    ++evaluations;
    ASSERT_LT(evaluations, 100);
  } while (action.kind == CgLineAction::evaluate && state.phase == CgPhase::trial);
  // The search gives up after evaluating at α when 0.4·α·1e-6 ≤ 1e-8, i.e. α ≤ 0.025:
  // α = 1, ½, ¼, ⅛, 1/16, 1/32, 1/64 → seven evaluations.
  EXPECT_EQ(evaluations, 7);
  ASSERT_EQ(action.kind, CgLineAction::evaluate);
  EXPECT_EQ(action.alpha, 0.0);
  EXPECT_EQ(state.phase, CgPhase::reset_to_start);
  action = cg_line_search_after_evaluation(state, CgLineSearch::backtrack, -5.0, 1e-6);
  EXPECT_EQ(action.kind, CgLineAction::stop);
  EXPECT_EQ(action.stop_status, static_cast<int>(MinimizerStatus::linesearch_alpha_zero));
}

// Several starts in the three basins of the Müller–Brown surface, with both line searches; each
// must end at the minimum of its basin found by Newton's method.
//  * quadratic search (gradient-based secant steps): within 1e-6 Å. ftol = 1e-8 eV/Å and
//    Hessian eigenvalues ≥ 221 eV/Å² at the minima (checked below) bound the position error by
//    ftol/λ_min ≈ 5e-11 Å.
//  * backtrack search (energy-based only): LAMMPS's search gives up once the predicted energy
//    decrease is below EMACH = 1e-8 eV, so it resolves E to ~1e-8 eV and positions only to
//    sqrt(2·EMACH/λ_min) ≈ 1e-5 Å (λ_min ≥ 221 eV/Å²); it stops with LAMMPS's ETOL
//    (converged_energy) or ZEROALPHA. Tolerances: 5e-5 Å and 2·EMACH.
class CgMuellerBrown : public ::testing::TestWithParam<CgLineSearch> {};

TEST_P(CgMuellerBrown, StartsReachNewtonMinima) {
  const std::array<double, 2> minima[3] = {testing::mueller_brown_newton_minimum(-0.56, 1.44),
                                           testing::mueller_brown_newton_minimum(0.62, 0.03),
                                           testing::mueller_brown_newton_minimum(-0.05, 0.47)};
  EXPECT_GT(std::fabs(minima[0][0] - minima[1][0]), 0.5);
  EXPECT_GT(std::fabs(minima[1][0] - minima[2][0]), 0.5);
  for (const auto& m : minima) {
    const auto v = testing::mueller_brown(m[0], m[1]);
    EXPECT_LT(std::fabs(v.gradient[0]) + std::fabs(v.gradient[1]), 1e-10);
    EXPECT_GT(testing::mueller_brown_smallest_curvature(m[0], m[1]), 220.0);
  }
  const std::vector<std::pair<Configuration, int>> starts = {
      {particle(-0.75, 1.30), 0}, {particle(-0.40, 1.60), 0}, {particle(0.45, 0.10), 1},
      {particle(0.85, -0.05), 1}, {particle(-0.10, 0.50), 2}, {particle(0.00, 0.42), 2}};
  std::vector<Configuration> configurations;
  for (const auto& s : starts)
    configurations.push_back(s.first);
  Batch batch = testing::make_batch(configurations, 10.0);
  ForceField force_field;
  force_field.add_term(std::make_unique<testing::MuellerBrownTerm>(batch.n_replicas));

  CgMinimizer cg(tight_cg(GetParam()));
  const auto results = cg.minimize(batch, force_field);
  ASSERT_EQ(results.size(), starts.size());
  for (size_t r = 0; r < starts.size(); ++r) {
    SCOPED_TRACE("replica " + std::to_string(r) + ", " + to_string(results[r].status));
    const bool quadratic = GetParam() == CgLineSearch::quadratic;
    if (quadratic) {
      EXPECT_EQ(results[r].status, MinimizerStatus::converged_force);
    } else {
      EXPECT_TRUE(results[r].status == MinimizerStatus::converged_force ||
                  results[r].status == MinimizerStatus::converged_energy ||
                  results[r].status == MinimizerStatus::linesearch_alpha_zero);
    }
    const double position_tolerance = quadratic ? 1e-6 : 5e-5;
    const double energy_tolerance = quadratic ? 1e-9 : 2 * cg_constants::kEnergyMachine;
    const auto x = testing::replica_positions(batch, static_cast<int>(r))[0];
    const auto& expected = minima[starts[r].second];
    EXPECT_NEAR(x[0], expected[0], position_tolerance);
    EXPECT_NEAR(x[1], expected[1], position_tolerance);
    EXPECT_NEAR(results[r].final_energy, testing::mueller_brown(expected[0], expected[1]).energy,
                energy_tolerance);
  }
}

INSTANTIATE_TEST_SUITE_P(LineSearches, CgMuellerBrown,
                         ::testing::Values(CgLineSearch::quadratic, CgLineSearch::backtrack));

// 13-atom Lennard-Jones clusters from distorted icosahedra reach the icosahedral global minimum
// (minimizer_contract.hpp).
TEST(CgMinimizer, LennardJones13ReachesIcosahedronEnergy) {
  CgSettings settings = tight_cg();
  settings.tolerances.ftol = 1e-6;
  testing::expect_lennard_jones_13_reaches_icosahedron<CgMinimizer>(settings, 1.0);
}

// Replica 0 starts 1e-10 Å from a minimum and converges after a couple of line searches,
// replica 1 starts far away and needs many more. After replica 0 stops, its positions stay
// bitwise the same and the force field no longer evaluates it, while replica 1 keeps moving.
TEST(CgMinimizer, ConvergedReplicasStopWhileOthersContinue) {
  const auto minimum = testing::mueller_brown_newton_minimum(-0.56, 1.44);
  Batch batch =
      testing::make_batch({particle(minimum[0] + 1e-10, minimum[1]), particle(0.9, -0.1)}, 10.0);
  ForceField force_field;
  auto term = std::make_unique<testing::MuellerBrownTerm>(batch.n_replicas);
  const ReplicaInts term_evaluations = term->evaluations();
  force_field.add_term(std::move(term));

  CgMinimizer cg(tight_cg());
  cg.start(batch, force_field);
  int ticks = 0;
  while (testing::to_host(cg.state().running)[0] == 1) {
    cg.advance(batch, force_field, 1);
    ++ticks;
    ASSERT_LT(ticks, 5000) << "replica 0 never converged";
  }
  const Configuration frozen = testing::replica_positions(batch, 0);
  const int frozen_evaluations = testing::to_host(term_evaluations)[0];
  ASSERT_EQ(testing::to_host(cg.state().running)[1], 1)
      << "replica 1 should still run after " << ticks << " ticks";
  const Configuration replica1_then = testing::replica_positions(batch, 1);

  int more_ticks = 0;
  while (cg.advance(batch, force_field, 1) > 0) {
    ++more_ticks;
    ASSERT_LT(more_ticks, 20000);
  }
  EXPECT_GT(more_ticks, 10) << "the test needs replica 1 to run on for a while";
  const Configuration frozen_after = testing::replica_positions(batch, 0);
  for (int k = 0; k < 3; ++k)
    EXPECT_TRUE(bitwise_equal(frozen[0][k], frozen_after[0][k]));
  EXPECT_EQ(testing::to_host(term_evaluations)[0], frozen_evaluations);
  EXPECT_FALSE(bitwise_equal(replica1_then[0][0], testing::replica_positions(batch, 1)[0][0]));

  const auto results = cg.results(batch);
  EXPECT_EQ(results[0].status, MinimizerStatus::converged_force);
  EXPECT_EQ(results[1].status, MinimizerStatus::converged_force);
  EXPECT_GT(results[1].iterations, results[0].iterations + 5);
  const auto seen = testing::to_host(term_evaluations);
  EXPECT_EQ(results[0].evaluations, seen[0]);
  EXPECT_EQ(results[1].evaluations, seen[1]);
}

// The iteration and evaluation caps stop a replica with a non-converged status, while a
// replica that starts at the minimum is converged after 0 iterations.
TEST(CgMinimizer, IterationAndEvaluationCapsAreReported) {
  const auto minimum = testing::mueller_brown_newton_minimum(0.62, 0.03);
  for (const bool cap_evaluations : {false, true}) {
    SCOPED_TRACE(cap_evaluations ? "evaluation cap" : "iteration cap");
    Batch batch =
        testing::make_batch({particle(minimum[0], minimum[1]), particle(-0.8, 1.2)}, 10.0);
    ForceField force_field;
    force_field.add_term(std::make_unique<testing::MuellerBrownTerm>(batch.n_replicas));
    CgSettings settings = tight_cg();
    if (cap_evaluations)
      settings.tolerances.max_evaluations = 4;
    else
      settings.tolerances.max_iterations = 3;
    CgMinimizer cg(settings);
    const auto results = cg.minimize(batch, force_field);
    EXPECT_EQ(results[0].status, MinimizerStatus::converged_force);
    EXPECT_EQ(results[0].iterations, 0);
    EXPECT_FALSE(is_converged(results[1].status));
    EXPECT_GT(results[1].force_norm, 1e-8);
    if (cap_evaluations) {
      EXPECT_EQ(results[1].status, MinimizerStatus::max_evaluations);
      EXPECT_GE(results[1].evaluations, 4);
    } else {
      EXPECT_EQ(results[1].status, MinimizerStatus::max_iterations);
      EXPECT_EQ(results[1].iterations, 3);
    }
  }
}

// Replica r alone gives bitwise the same result as replica r inside a batch (one-atom
// Müller–Brown replicas and 13-atom clusters, whose team reductions span many atoms).
TEST(CgMinimizer, ReplicaAloneEqualsReplicaInBatch) {
  testing::expect_mueller_brown_alone_equals_in_batch<CgMinimizer>(tight_cg());

  std::vector<Configuration> clusters;
  for (int r = 0; r < 3; ++r) {
    Configuration c;
    int n = 0;
    for (const auto& atom : testing::icosahedron13(1.1))
      c.push_back({atom[0] + 0.03 * ((n++ * 7 + r) % 5 - 2), atom[1], atom[2]});
    clusters.push_back(c);
  }
  Batch cluster_batch = testing::make_batch(clusters, 1.0);
  ForceField lj;
  lj.add_term(std::make_unique<testing::LennardJonesClusterTerm>());
  CgMinimizer cluster_cg(tight_cg());
  const auto clusters_together = cluster_cg.minimize(cluster_batch, lj);
  for (int r = 0; r < 3; ++r) {
    SCOPED_TRACE("cluster replica " + std::to_string(r));
    Batch single = testing::make_batch({clusters[r]}, 1.0);
    ForceField single_lj;
    single_lj.add_term(std::make_unique<testing::LennardJonesClusterTerm>());
    CgMinimizer single_cg(tight_cg());
    const auto alone = single_cg.minimize(single, single_lj);
    const auto a = testing::replica_positions(single, 0);
    const auto b = testing::replica_positions(cluster_batch, r);
    for (int i = 0; i < 13; ++i)
      for (int k = 0; k < 3; ++k)
        EXPECT_TRUE(bitwise_equal(a[i][k], b[i][k]));
    EXPECT_TRUE(bitwise_equal(alone[0].final_energy, clusters_together[r].final_energy));
    EXPECT_EQ(alone[0].evaluations, clusters_together[r].evaluations);
  }
}

// A replica whose numbers break down stops alone (issue 16; minimizer_contract.hpp).
TEST(CgMinimizer, NonFiniteReplicaStopsAloneOthersBitwiseUnchanged) {
  testing::expect_non_finite_replica_stops_alone<CgMinimizer>(tight_cg());
}

// A replica masked out by the caller is neither moved nor evaluated.
TEST(CgMinimizer, NonParticipatingReplicaIsUntouched) {
  testing::expect_masked_replica_untouched<CgMinimizer>(tight_cg());
}

// Periodic EAM: the neighbour list (skin 0.1 Å, so it rebuilds often) wraps atoms that cross a
// box face in the middle of line searches. The unwrapped positions must move continuously and
// two different replicas minimised together equal each minimised alone, bitwise
// (minimizer_contract.hpp); here both also converge, with many atoms wrapped on the way.
TEST(CgMinimizer, PeriodicEamKeepsImagesAndBatchInvariance) {
  CgSettings settings;
  settings.tolerances.ftol = 1e-3;  // eV/Å: enough relaxation for many crossings, and fast
  settings.tolerances.max_iterations = 400;
  const testing::PeriodicEamRun run =
      testing::expect_periodic_eam_batch_invariance<CgMinimizer>(settings);
  const BatchSnapshot& after = run.after;
  for (int r = 0; r < 2; ++r) {
    SCOPED_TRACE("replica " + std::to_string(r));
    EXPECT_EQ(run.together[r].status, MinimizerStatus::converged_force);
    int wrapped_atoms = 0;
    for (int i = 0; i < after.n_atoms; ++i) {
      const int64_t g = static_cast<int64_t>(r) * after.n_atoms + i;
      if (after.images[g * 3] != 0 || after.images[g * 3 + 1] != 0 || after.images[g * 3 + 2] != 0)
        ++wrapped_atoms;
    }
    EXPECT_GT(wrapped_atoms, 20) << "the test needs atoms that crossed box faces";
  }
}

}  // namespace
}  // namespace glassland
