// What every batched minimiser (CgMinimizer, FireMinimizer) promises, checked by one copy of
// each check for both: distorted 13-atom Lennard-Jones clusters reach the icosahedron, a
// Müller–Brown replica alone ends bitwise where it ends in a batch, a replica the caller masks
// out is neither moved nor evaluated, and on periodic EAM two replicas
// minimised together equal each minimised alone, bitwise, with unwrapped positions that move
// continuously through box-face crossings.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "host/io/batch_io.hpp"
#include "host/io/potential_files.hpp"
#include "host/io/setfl_potential.hpp"
#include "tests/kernels/minimizer_test_terms.hpp"

namespace glassland::testing {

inline bool bitwise_equal(double a, double b) {
  return std::memcmp(&a, &b, sizeof(double)) == 0;
}

// Three 13-atom Lennard-Jones clusters from distorted icosahedra (bond 1.05, 1.10, 1.15 Å, each
// atom moved by up to ±0.05 Å) of atoms of `mass` amu relax to the icosahedral global minimum,
// E = −44.326801 ε (Cambridge Cluster Database, 6 decimals: tolerance 2e-6). Exercises the
// per-replica team reductions over many atoms.
template <class Minimizer, class Settings>
void expect_lennard_jones_13_reaches_icosahedron(const Settings& settings, double mass) {
  std::vector<Configuration> configurations;
  uint64_t state = 12345;
  auto uniform = [&state]() {  // small deterministic LCG: the test needs no quality
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<double>(state >> 11) / 9007199254740992.0 - 0.5;
  };
  for (int r = 0; r < 3; ++r) {
    Configuration c;
    for (const auto& atom : icosahedron13(1.05 + 0.05 * r))
      c.push_back(
          {atom[0] + 0.1 * uniform(), atom[1] + 0.1 * uniform(), atom[2] + 0.1 * uniform()});
    configurations.push_back(c);
  }
  Batch batch = testing::make_batch(configurations, mass);
  ForceField force_field;
  force_field.add_term(std::make_unique<LennardJonesClusterTerm>());
  const auto results = Minimizer(settings).minimize(batch, force_field);
  for (int r = 0; r < 3; ++r) {
    SCOPED_TRACE("replica " + std::to_string(r) + ", " + to_string(results[r].status));
    EXPECT_EQ(results[r].status, MinimizerStatus::converged_force);
    EXPECT_NEAR(results[r].final_energy, -44.326801, 2e-6);
  }
}

// Müller–Brown replica r of `batch` (minimised from starts[r] into `together`) ends bitwise where
// the same start minimised alone ends: position, energy, iterations, evaluations.
template <class Minimizer, class Settings>
void expect_mueller_brown_replica_as_alone(const Settings& settings,
                                           const std::vector<Configuration>& starts,
                                           const Batch& batch,
                                           const std::vector<ReplicaMinimization>& together,
                                           int r) {
  Batch single = testing::make_batch({starts[r]}, 10.0);
  ForceField single_field;
  single_field.add_term(std::make_unique<MuellerBrownTerm>(1));
  const auto alone = Minimizer(settings).minimize(single, single_field);
  const auto a = replica_positions(single, 0)[0];
  const auto b = replica_positions(batch, r)[0];
  for (int k = 0; k < 3; ++k)
    EXPECT_TRUE(bitwise_equal(a[k], b[k]));
  EXPECT_TRUE(bitwise_equal(alone[0].final_energy, together[r].final_energy));
  EXPECT_EQ(alone[0].iterations, together[r].iterations);
  EXPECT_EQ(alone[0].evaluations, together[r].evaluations);
}

// Four Müller–Brown particles minimised in one batch and each alone end bitwise at the same
// place, energy, iteration and evaluation count.
template <class Minimizer, class Settings>
void expect_mueller_brown_alone_equals_in_batch(const Settings& settings) {
  const std::vector<Configuration> starts = {
      {{-0.75, 1.30, 0.0}}, {{0.45, 0.10, 0.0}}, {{-0.10, 0.50, 0.0}}, {{0.85, -0.05, 0.0}}};
  Batch batch = testing::make_batch(starts, 10.0);
  ForceField force_field;
  force_field.add_term(std::make_unique<MuellerBrownTerm>(batch.n_replicas));
  const auto together = Minimizer(settings).minimize(batch, force_field);
  for (int r = 0; r < static_cast<int>(starts.size()); ++r) {
    SCOPED_TRACE("Müller–Brown replica " + std::to_string(r));
    expect_mueller_brown_replica_as_alone<Minimizer>(settings, starts, batch, together, r);
  }
}

// Two Müller–Brown particles, the second masked out: the first converges, the second keeps its
// position and is never evaluated.
template <class Minimizer, class Settings>
void expect_masked_replica_untouched(const Settings& settings) {
  Batch batch = testing::make_batch({{{-0.75, 1.30, 0.0}}, {{0.45, 0.10, 0.0}}}, 10.0);
  ForceField force_field;
  auto term = std::make_unique<MuellerBrownTerm>(batch.n_replicas);
  const ReplicaInts term_evaluations = term->evaluations();
  force_field.add_term(std::move(term));
  ReplicaInts participate("participate", 2);
  Kokkos::deep_copy(Kokkos::subview(participate, 0), 1);
  Minimizer minimizer(settings);
  const auto results = minimizer.minimize(batch, force_field, participate);
  EXPECT_EQ(results[0].status, MinimizerStatus::converged_force);
  EXPECT_EQ(results[1].status, MinimizerStatus::not_participating);
  EXPECT_EQ(results[1].evaluations, 0);
  EXPECT_EQ(to_host(term_evaluations)[1], 0);
  const auto x = replica_positions(batch, 1)[0];
  EXPECT_EQ(x[0], 0.45);
  EXPECT_EQ(x[1], 0.10);
}

// Issue 16: a replica whose forces turn NaN in mid-run (after 3 evaluations) or whose start is
// not finite stops there with a non-finite status, keeps finite positions where the forces
// broke, and the other replicas end bitwise as when minimised without it.
template <class Minimizer, class Settings>
void expect_non_finite_replica_stops_alone(const Settings& settings) {
  const std::vector<Configuration> starts = {
      {{-0.75, 1.30, 0.0}}, {{0.45, 0.10, 0.0}}, {{std::nan(""), 0.5, 0.0}}, {{0.85, -0.05, 0.0}}};
  Batch batch = testing::make_batch(starts, 10.0);
  ForceField force_field;
  force_field.add_term(std::make_unique<BreakingMuellerBrownTerm>(batch.n_replicas, 1, 3));
  const auto together = Minimizer(settings).minimize(batch, force_field);
  EXPECT_EQ(together[1].status, MinimizerStatus::non_finite_forces)
      << to_string(together[1].status);
  EXPECT_LE(together[1].evaluations, 4);
  for (int k = 0; k < 3; ++k)
    EXPECT_TRUE(std::isfinite(replica_positions(batch, 1)[0][k]));
  EXPECT_EQ(together[2].status, MinimizerStatus::non_finite_energy)
      << to_string(together[2].status);
  for (int r : {0, 3}) {
    SCOPED_TRACE("healthy replica " + std::to_string(r));
    EXPECT_TRUE(is_converged(together[r].status)) << to_string(together[r].status);
    expect_mueller_brown_replica_as_alone<Minimizer>(settings, starts, batch, together, r);
  }
}

struct PeriodicEamRun {
  std::vector<ReplicaMinimization> together;  // both replicas in one batch
  BatchSnapshot before, after;                // of that batch
};

// Two 432-atom disordered Cu50Zr50 replicas (seeds 11 and 23) with a neighbour skin of 0.1 Å, so
// that the list rebuilds and wraps atoms often: minimised together, then each alone. Checks
// that alone equals together bitwise (status, energy, iterations, evaluations, positions,
// images) and that no unwrapped position jumps (a miscounted image would be a box length,
// 19.56 Å; relaxation moves atoms by up to ~2.3 Å). Returns the batch run for the caller's own
// checks.
template <class Minimizer, class Settings>
PeriodicEamRun expect_periodic_eam_batch_invariance(const Settings& settings) {
  const SetflPotential potential =
      read_setfl(potential_file("CuZr_mm.eam.fs"), SetflFormat::FinnisSinclair);
  const std::vector<NamedStructure> structures = {{"a", disordered_cuzr(11)},
                                                  {"b", disordered_cuzr(23)}};
  Batch batch =
      glassland::make_batch(structures, {"Cu", "Zr"}, potential.elements, potential.masses);
  ForceField force_field;
  force_field.add_term(make_eam_term(potential, 0.1));
  PeriodicEamRun run;
  run.before = snapshot(batch);
  run.together = Minimizer(settings).minimize(batch, force_field);
  run.after = snapshot(batch);
  const BatchSnapshot& after = run.after;
  for (int r = 0; r < 2; ++r) {
    SCOPED_TRACE("replica " + std::to_string(r) + ", " + to_string(run.together[r].status));
    EXPECT_LT(largest_unwrapped_displacement(run.before, after, r), 5.0);
    Batch alone =
        glassland::make_batch({structures[r]}, {"Cu", "Zr"}, potential.elements, potential.masses);
    ForceField alone_field;
    alone_field.add_term(make_eam_term(potential, 0.1));
    const auto single = Minimizer(settings).minimize(alone, alone_field);
    const BatchSnapshot alone_after = snapshot(alone);
    EXPECT_EQ(single[0].status, run.together[r].status);
    EXPECT_TRUE(bitwise_equal(single[0].final_energy, run.together[r].final_energy));
    EXPECT_EQ(single[0].iterations, run.together[r].iterations);
    EXPECT_EQ(single[0].evaluations, run.together[r].evaluations);
    bool identical = true;
    for (int i = 0; i < after.n_atoms * 3; ++i) {
      identical =
          identical &&
          bitwise_equal(alone_after.positions[i], after.positions[r * after.n_atoms * 3 + i]) &&
          alone_after.images[i] == after.images[r * after.n_atoms * 3 + i];
    }
    EXPECT_TRUE(identical) << "positions or images differ between alone and in batch";
  }
  return run;
}

}  // namespace glassland::testing
