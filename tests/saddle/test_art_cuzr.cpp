// ART nouveau on a small Cu50Zr50 inherent structure with Mendelev's EAM (paper 004 defaults):
// every successful event's saddle, recomputed from scratch with a fresh EAM term, has its
// largest atomic force below the threshold and the energy the search reported; the Hessian
// there has exactly one negative eigenvalue (full finite-difference Hessian, Householder and
// Sturm counts), close to the Lanczos λ1 the search reported; and a search's result
// is bitwise the same alone and inside a batch.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <iostream>
#include <map>

#include "kernels/cg_minimizer.hpp"
#include "saddle/lanczos.hpp"
#include "saddle/saddle_events.hpp"
#include "tests/saddle/art_cuzr_structure.hpp"
#include "tests/saddle/full_hessian.hpp"

namespace glassland {
namespace {

using art_testing::CuZrStructure;
using art_testing::full_hessian_spectrum;
using art_testing::HessianSpectrum;

const CuZrStructure& structure() {
  static const CuZrStructure s = art_testing::make_cuzr_inherent_structure(7);
  return s;
}

TEST(ArtCuZr, InherentStructureIsAMinimum) {
  EXPECT_LT(structure().max_force, 1e-5);
  // Cu50Zr50 with this potential: about −5.2 eV/atom in a quenched glass; the inherent
  // structure of a random packing sits a few tenths of an eV per atom higher (measured
  // −4.81 eV/atom for seed 7). The window rejects an unminimised or exploded structure.
  EXPECT_LT(structure().energy / 432.0, -4.6);
  EXPECT_GT(structure().energy / 432.0, -5.4);
}

TEST(ArtCuZr, SuccessfulSaddlesAreFirstOrderAndConverged) {
  const CuZrStructure& s = structure();
  Batch batch = art_testing::cuzr_batch(s, 8);
  ForceField field;
  field.add_term(make_eam_term(s.potential, 1.0));
  ArtSettings settings;  // paper 004 defaults
  settings.seed = 11;
  ArtEngine engine(batch, field, settings);
  engine.add_minimum(s.minimum);
  ArtRunRequest request;
  // About one search in eleven succeeds on this unrelaxed random-packing minimum (most end at a
  // saddle with a second negative eigenvalue): 4 of 37 and 3 of 40 searches in two builds whose
  // force sums round differently. The run stops at the fourth success; 150 attempts make running
  // out before it unlikely (binomial: 5e-4 at a success rate of 0.09, 3e-3 at 0.075), where 40
  // left it at 0.4, so the assertions below do not hang on the rounding of one build.
  request.target_successes = 4;
  request.max_attempts = 150;
  const ArtRunResult result = engine.run(request);
  std::map<std::string, int> outcomes;
  for (const ArtEvent& e : result.events)
    ++outcomes[to_string(e.outcome)];
  for (const auto& [outcome, count] : outcomes)
    std::cout << "  " << outcome << ": " << count << "\n";
  for (const ArtEvent& e : result.events)
    if (e.outcome == ArtOutcome::not_connected)
      std::cout << "  not connected: backward minimum " << e.backward_max_displacement
                << " Å from the initial one\n";
  ASSERT_GE(result.successes, 4);

  std::vector<double> evaluations;
  for (const ArtEvent& e : result.events) {
    if (!e.success)
      continue;
    evaluations.push_back(e.force_evaluations);
    std::cout << "  search " << e.search_id << " centre " << e.center_atom << ": barrier "
              << e.barrier << " eV, asymmetry " << e.asymmetry << " eV, λ1 " << e.lambda1 << ", λ2 "
              << e.lambda2 << " eV/Å², |Δr| saddle " << e.saddle_displacement_norm << " Å, atoms "
              << e.participating_atoms.size() << ", evaluations " << e.force_evaluations << "\n";
    EXPECT_GT(e.barrier, 0.0);
    EXPECT_LT(e.lambda1, 0.0);
    EXPECT_GE(e.lambda2, -settings.second_eigenvalue_tolerance);
    EXPECT_GT(e.saddle_max_displacement, 0.0);
    EXPECT_GE(e.final_max_displacement, settings.connect_tolerance);

    // From scratch: a new batch at the saddle, a new EAM term (fresh neighbour list).
    Batch at_saddle = art_testing::batch_at(s, e.saddle_positions);
    ForceField fresh;
    fresh.add_term(make_eam_term(s.potential, 1.0));
    fresh.compute(at_saddle);
    const BatchSnapshot snap = snapshot(at_saddle);
    double largest = 0.0;
    for (int i = 0; i < snap.n_atoms; ++i)
      largest = std::max(largest, std::sqrt(snap.forces[3 * i] * snap.forces[3 * i] +
                                            snap.forces[3 * i + 1] * snap.forces[3 * i + 1] +
                                            snap.forces[3 * i + 2] * snap.forces[3 * i + 2]));
    EXPECT_LT(largest, settings.saddle_force_tolerance) << "search " << e.search_id;
    // Same energy up to summation-order round-off of ~400 atomic energies of ~5 eV.
    EXPECT_NEAR(snap.potential_energy[0], e.e_saddle, 1e-9) << "search " << e.search_id;

    // Exactly one negative Hessian eigenvalue, from the full Hessian: central finite
    // differences of forces (h = 1e-3 Å, truncation ~h²·|∇⁴E| ≈ 1e-5 eV/Å²), reduced to
    // tridiagonal form by Householder and counted by Sturm sequences. The three uniform
    // translations are zero modes (|λ| ~ 1e-5 from the differences), hence the tolerance.
    const HessianSpectrum spectrum = full_hessian_spectrum(s, e.saddle_positions);
    std::cout << "    full Hessian: λ1 " << spectrum.lowest << ", λ2 " << spectrum.second
              << ", negative below −1e-3: " << spectrum.negative_count << "\n";
    EXPECT_EQ(spectrum.negative_count, 1) << "search " << e.search_id;
    EXPECT_LT(spectrum.lowest, 0.0);
    // Lanczos against the full Hessian's lowest eigenvalue. Not an upper-bound test: both are
    // finite-difference approximations (forward, ε = 1e-4 Å, error ~ε|∇³E| ≈ 1e-3 eV/Å², vs
    // central, h = 1e-3 Å); measured differences 1e-3–3e-3 eV/Å², i.e. below 1 %.
    EXPECT_NEAR(e.lambda1, spectrum.lowest, 0.1 * std::fabs(spectrum.lowest) + 1e-3);

    // The final minimum's energy is what e_final and the asymmetry report (issue 16: with the
    // forward minimisation stopped at 1e-3 eV/Å it was off by up to 3e-4 eV). Oracle: the same
    // structure minimised much further by CG (a different optimiser) to 1e-8 eV/Å.
    EXPECT_LT(e.final_max_force, settings.final_force_tolerance) << "search " << e.search_id;
    Batch at_final = art_testing::batch_at(s, e.final_positions);
    ForceField final_field;
    final_field.add_term(make_eam_term(s.potential, 1.0));
    CgSettings tight;
    tight.tolerances.ftol = 1e-8;
    tight.tolerances.max_iterations = 100000;
    const ReplicaMinimization relaxed = CgMinimizer(tight).minimize(at_final, final_field)[0];
    std::cout << "    final minimum: reported " << e.e_final << " eV at " << e.final_max_force
              << " eV/Å, CG to 1e-8 eV/Å: " << relaxed.final_energy << " eV\n";
    EXPECT_NEAR(e.e_final, relaxed.final_energy, 1e-6) << "search " << e.search_id;
  }
  std::sort(evaluations.begin(), evaluations.end());
  double mean = 0.0;
  for (double n : evaluations)
    mean += n / evaluations.size();
  std::cout << "  force evaluations per successful search: mean " << mean << ", median "
            << evaluations[evaluations.size() / 2] << "\n";
}

TEST(ArtCuZr, SearchResultDoesNotDependOnTheBatch) {
  const CuZrStructure& s = structure();
  auto run_with = [&](int n_replicas) {
    Batch batch = art_testing::cuzr_batch(s, n_replicas);
    ForceField field;
    field.add_term(make_eam_term(s.potential, 1.0));
    ArtSettings settings;
    settings.seed = 5;
    ArtEngine engine(batch, field, settings);
    engine.add_minimum(s.minimum);
    ArtRunRequest request;
    request.selection = CenterSelection::listed;
    request.centers = {3, 101};
    request.successes_per_center = 2;  // two searches per centre, whatever their outcome
    request.max_attempts_per_center = 2;
    request.max_attempts = 4;
    return engine.run(request);
  };
  const ArtRunResult alone = run_with(1);
  const ArtRunResult together = run_with(4);
  ASSERT_EQ(alone.events.size(), 4u);
  ASSERT_EQ(together.events.size(), 4u);
  for (size_t i = 0; i < 4; ++i) {
    const ArtEvent& a = alone.events[i];
    const ArtEvent& b = together.events[i];
    ASSERT_EQ(a.search_id, b.search_id);
    EXPECT_EQ(a.center_atom, b.center_atom);
    EXPECT_EQ(a.outcome, b.outcome) << to_string(a.outcome) << " vs " << to_string(b.outcome);
    EXPECT_EQ(a.force_evaluations, b.force_evaluations);
    EXPECT_EQ(std::memcmp(&a.e_saddle, &b.e_saddle, sizeof(double)), 0);
    EXPECT_EQ(std::memcmp(&a.e_final, &b.e_final, sizeof(double)), 0);
    EXPECT_EQ(std::memcmp(&a.lambda1, &b.lambda1, sizeof(double)), 0);
  }
}

}  // namespace
}  // namespace glassland
