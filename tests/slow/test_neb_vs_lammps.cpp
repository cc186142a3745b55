// Climbing-image NEB barriers against LAMMPS `neb` (issue 6 acceptance): the same endpoints,
// the same number of images, the same spring (fix neb 1.0 eV/Å², parallel neigh: Henkelman &
// Jónsson's improved-tangent spring), linear initial path by minimum image in both codes,
// climbing image after the plain band has converged. LAMMPS runs with one partition per image
// (mpirun -np M lmp -partition Mx1), min_style fire.
//
// Endpoints: a 6×6×6 B2 CuZr cell (a = 3.26 Å, box 19.56 Å ≥ 2·(7.6 + 1) Å) with one Cu vacancy
// and one Zr→Cu antisite next to it (431 atoms), minimised by LAMMPS (cg, ftol 1e-10 eV/Å);
// the final state has a Cu neighbour of the vacancy hopped into it (along x or along y; the
// antisite makes the two hops, and forward and backward, different), minimised the same way.
//
// Tolerance: barriers within 0.01 eV (the requirement). Both codes converge their
// climbing image to ≤ 1e-3 eV/Å (LAMMPS: per-replica force norm; glassland: largest atomic
// force), so the saddle energies agree far better than that, to ~F²/k ≈ 1e-6 eV; the numbers are
// printed and recorded in docs/neb.md. The climbing image's forces are then recomputed from
// scratch with a fresh EAM term and must be below the tolerance.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

#include "host/io/batch_io.hpp"
#include "host/io/potential_files.hpp"
#include "saddle/jump_neb.hpp"
#include "saddle/neb_band.hpp"
#include "saddle/neb_shear.hpp"
#include "saddle/path_geometry.hpp"
#include "tests/support/lammps_oracle.hpp"
#include "tests/support/program_runner.hpp"
#include "tests/support/test_requirements.hpp"

namespace glassland {
namespace {

using testing::read_text_file;

const std::string kPotential = potential_file("CuZr_mm.eam.fs");
constexpr int kImages = 7;
constexpr double kSpring = 1.0;      // eV/Å², LAMMPS fix neb Kspring
constexpr double kTolerance = 1e-3;  // eV/Å

struct Hop {
  std::string name;
  double displacement[3];  // Å, moves the hopping Cu atom into the vacancy
  double from[3];          // Å, the hopping atom's lattice site
};

// Readable parameter names in test output and CTest (instead of the struct's bytes).
void PrintTo(const Hop& hop, std::ostream* os) {
  *os << hop.name;
}

// LAMMPS prepares and minimises the endpoints (initial.data, final.data).
void prepare_endpoints(const std::string& dir, const Hop& hop) {
  char hop_line[256];
  std::snprintf(hop_line, sizeof(hop_line),
                "region hop sphere %.4f %.4f %.4f 0.3 units box\ngroup hop region hop\n",
                hop.from[0], hop.from[1], hop.from[2]);
  char move_line[128];
  std::snprintf(move_line, sizeof(move_line), "displace_atoms hop move %.4f %.4f %.4f units box\n",
                hop.displacement[0], hop.displacement[1], hop.displacement[2]);
  const std::string script =
      "units metal\natom_style atomic\natom_modify map array\nboundary p p p\n"
      "lattice custom 3.26 basis 0 0 0 basis 0.5 0.5 0.5\n"
      "region box block 0 6 0 6 0 6\ncreate_box 2 box\ncreate_atoms 1 box basis 2 2\n"
      "mass 1 63.546\nmass 2 91.224\npair_style eam/fs\n"
      "pair_coeff * * " +
      kPotential +
      " Cu Zr\nneighbor 1.0 bin\n"
      "region vacancy sphere 9.78 9.78 9.78 0.3 units box\ndelete_atoms region vacancy\n"
      "region antisite sphere 14.67 11.41 11.41 0.3 units box\nset region antisite type 1\n" +
      std::string(hop_line) +
      "variable nhop equal count(hop)\nprint \"HOP_ATOMS ${nhop}\"\n"
      "min_style cg\nminimize 0 1e-10 10000 100000\nwrite_data initial.data\n" +
      std::string(move_line) + "minimize 0 1e-10 10000 100000\nwrite_data final.data\n";
  const std::string out = testing::run_lammps(dir, script);
  ASSERT_EQ(testing::printed_value(out, "HOP_ATOMS"), 1.0) << "exactly one atom must hop";
}

struct LammpsNeb {
  double barrier_forward = NAN, barrier_backward = NAN;
  std::vector<double> energies;
  int climbing_replica = -1;
};

// Runs LAMMPS neb with M partitions and reads the last line of the climbing stage.
LammpsNeb run_lammps_neb(const std::string& dir, const LammpsData& final_state,
                         const std::string& initial_file = "initial.data") {
  {
    std::ofstream coords(dir + "/final.coords");
    coords << final_state.n_atoms() << "\n";
    coords.precision(17);
    for (int i = 0; i < final_state.n_atoms(); ++i)
      coords << final_state.ids[i] << " " << final_state.positions[i][0] << " "
             << final_state.positions[i][1] << " " << final_state.positions[i][2] << "\n";
  }
  std::ofstream(dir + "/in.neb")
      << "units metal\natom_style atomic\natom_modify map array\nboundary p p p\n"
         "atom_modify sort 0 0.0\nread_data "
      << initial_file << "\npair_style eam/fs\npair_coeff * * " << kPotential
      << " Cu Zr\nneighbor 1.0 bin\ntimestep 0.001\n"
         "min_style fire\nfix 1 all neb "
      << kSpring
      << "\nthermo 100\n"
         "neb 0.0 "
      << kTolerance << " 20000 20000 100 final final.coords\n";
  const std::string command = "cd '" + dir +
                              "' && mpirun --allow-run-as-root --oversubscribe -np " +
                              std::to_string(kImages) + " lmp -partition " +
                              std::to_string(kImages) + "x1 -in in.neb > neb.out 2>&1";
  LammpsNeb result;
  if (std::system(command.c_str()) != 0) {
    ADD_FAILURE() << "LAMMPS neb failed; see " << dir << "/neb.out";
    return result;
  }
  const testing::LammpsNebLine neb =
      testing::last_climbing_neb_line(read_text_file(dir + "/neb.out"), kImages);
  result.climbing_replica = neb.climbing_replica;
  if (!neb.valid) {
    ADD_FAILURE() << "unexpected LAMMPS neb output line: '" << neb.line << "'";
    return result;
  }
  result.barrier_forward = neb.barrier_forward;
  result.barrier_backward = neb.barrier_backward;
  result.energies = neb.energies;
  return result;
}

class NebVersusLammps : public ::testing::TestWithParam<Hop> {};

TEST_P(NebVersusLammps, BarriersMatch) {
  GLASSLAND_REQUIRE_LAMMPS();
  const Hop& hop = GetParam();
  const std::string dir = testing::make_scratch_dir("neb_vs_lammps_" + hop.name);
  prepare_endpoints(dir, hop);
  const LammpsData initial = read_lammps_data(dir + "/initial.data");
  const LammpsData final_state = read_lammps_data(dir + "/final.data");
  const LammpsNeb reference = run_lammps_neb(dir, final_state);
  ASSERT_TRUE(std::isfinite(reference.barrier_forward));

  const SetflPotential potential = read_setfl(kPotential, SetflFormat::FinnisSinclair);
  std::vector<NamedStructure> structures;
  for (int image = 0; image < kImages; ++image)
    structures.push_back(image == kImages - 1 ? NamedStructure{"final.data", final_state}
                                              : NamedStructure{"initial.data", initial});
  Batch batch = make_batch(structures, {"Cu", "Zr"}, potential.elements, potential.masses);
  interpolate_linear(batch, kImages);
  ForceField force_field;
  force_field.add_term(make_eam_term(potential, 1.0));
  NebSettings settings;
  settings.spring_constant = kSpring;
  settings.force_tolerance = kTolerance;
  settings.climb_after_iterations = 20000;
  settings.climb_force_threshold = 0.01;  // climb once the plain band is nearly converged
  settings.max_iterations = 40000;
  NebRunner runner(settings);
  const BandResult band = runner.run(batch, force_field, kImages)[0];
  ASSERT_TRUE(band.converged()) << to_string(band.status) << " after " << band.iterations
                                << " iterations, max force " << band.max_force;

  std::printf(
      "[neb vs lammps %s] glassland: forward %.6f backward %.6f eV (%d iterations, "
      "climbing image %d); LAMMPS: forward %.6f backward %.6f eV (climbing replica %d)\n",
      hop.name.c_str(), band.barrier_forward, band.barrier_backward, band.iterations,
      band.climbing_image, reference.barrier_forward, reference.barrier_backward,
      reference.climbing_replica);
  for (int image = 0; image < kImages; ++image)
    std::printf("  image %d: glassland %.6f  LAMMPS %.6f eV\n", image, band.energies[image],
                reference.energies[image]);
  EXPECT_NEAR(band.barrier_forward, reference.barrier_forward, 0.01);
  EXPECT_NEAR(band.barrier_backward, reference.barrier_backward, 0.01);
  // Endpoint energies are the same structures evaluated by both codes (EAM agrees to 1e-9
  // relative); LAMMPS prints them with 8 significant digits (1e-4 eV at −2169 eV), hence 1e-4.
  EXPECT_NEAR(band.energies.front(), reference.energies.front(), 1e-4);
  EXPECT_NEAR(band.energies.back(), reference.energies.back(), 1e-4);
  // LAMMPS numbers its replicas from 1.
  EXPECT_EQ(band.climbing_image + 1, reference.climbing_replica);

  // The climbing image, alone in a fresh batch with a fresh EAM term: its true forces. At the
  // converged climbing image |F_ci,i| < tol for every atom, and F_i = F_ci,i + 2(F·τ̂)τ̂_i, so
  // |F_i| ≤ tol + 2|F·τ̂| with F·τ̂ the reported tangential force (|τ̂_i| ≤ 1).
  const BatchSnapshot s = snapshot(batch);
  const LammpsData saddle = replica_to_data(s, band.climbing_image, {"Cu", "Zr"},
                                            potential.elements, potential.masses, false);
  Batch alone =
      make_batch({{"saddle", saddle}}, {"Cu", "Zr"}, potential.elements, potential.masses);
  ForceField fresh;
  fresh.add_term(make_eam_term(potential, 1.0));
  fresh.compute(alone);
  const BatchSnapshot check = snapshot(alone);
  double largest = 0.0;
  for (int i = 0; i < check.n_atoms; ++i)
    largest = std::max(largest, std::sqrt(check.forces[3 * i] * check.forces[3 * i] +
                                          check.forces[3 * i + 1] * check.forces[3 * i + 1] +
                                          check.forces[3 * i + 2] * check.forces[3 * i + 2]));
  const double along = std::fabs(band.tangential_force[band.climbing_image]);
  std::printf("  climbing image recomputed: max atomic force %.3e eV/Å, F·τ̂ %.3e eV/Å\n", largest,
              along);
  EXPECT_LT(largest, kTolerance + 2.0 * along);
  // Same positions, different neighbour-list order: round-off of a 2000 eV sum only.
  EXPECT_NEAR(check.potential_energy[0], band.energies[band.climbing_image], 1e-6);
}

// Shear response against LAMMPS: the x-hop band is sheared affinely by γ_xy = 0.03 and its
// endpoints re-minimised (neb_shear_response). LAMMPS tilts the same endpoints with
// `change_box all xy final γ·l_y remap` (the same affine map), minimises them (cg) and runs
// `neb` from the linear path between them; glassland does the same with `reinterpolate`, so the
// two compute the same band. Barriers at γ within 0.01 eV as at γ = 0, and the barrier change
// ΔE_A(γ) within 1e-3 eV: at γ = 0 the two codes agree to ~1e-5 eV (BarriersMatch/hop_x), so
// their changes must agree far better than 1e-3 eV, and the change itself (~0.014 eV) is larger
// than that, so the comparison really tests the strained landscape.
// Paper 003's protocol (re-converging the strained MEP itself, the default) runs first and its
// outcome is printed; whatever path it finds, a band that is not single-hump must be counted as
// lost.
TEST(NebShearVersusLammps, ShearedBarrierMatches) {
  GLASSLAND_REQUIRE_LAMMPS();
  const Hop hop{"shear_hop_x", {-3.26, 0.0, 0.0}, {13.04, 9.78, 9.78}};
  const double gamma = 0.03;
  const std::string dir = testing::make_scratch_dir("neb_shear_vs_lammps");
  prepare_endpoints(dir, hop);
  const LammpsData initial = read_lammps_data(dir + "/initial.data");
  const LammpsData final_state = read_lammps_data(dir + "/final.data");
  const double ly = initial.hi[1] - initial.lo[1];
  char tilt[128];
  std::snprintf(tilt, sizeof(tilt), "%.17g", gamma * ly);
  auto shear_script = [&](const std::string& in, const std::string& out) {
    return "units metal\natom_style atomic\natom_modify map array\nboundary p p p\nread_data " +
           in + "\npair_style eam/fs\npair_coeff * * " + kPotential +
           " Cu Zr\nneighbor 1.0 bin\nchange_box all triclinic\nchange_box all xy final " +
           std::string(tilt) +
           " remap units box\nmin_style cg\nminimize 0 1e-10 10000 100000\nwrite_data " + out +
           "\n";
  };
  testing::run_lammps(dir, shear_script("initial.data", "initial_sheared.data"));
  testing::run_lammps(dir, shear_script("final.data", "final_sheared.data"));
  const LammpsData final_sheared = read_lammps_data(dir + "/final_sheared.data");
  const LammpsNeb reference = run_lammps_neb(dir, final_sheared, "initial_sheared.data");
  ASSERT_TRUE(std::isfinite(reference.barrier_forward));

  const SetflPotential potential = read_setfl(kPotential, SetflFormat::FinnisSinclair);
  std::vector<NamedStructure> structures;
  for (int image = 0; image < kImages; ++image)
    structures.push_back(image == kImages - 1 ? NamedStructure{"final.data", final_state}
                                              : NamedStructure{"initial.data", initial});
  Batch batch = make_batch(structures, {"Cu", "Zr"}, potential.elements, potential.masses);
  interpolate_linear(batch, kImages);
  ForceField force_field;
  force_field.add_term(make_eam_term(potential, 1.0));
  ShearSettings settings;
  settings.neb.spring_constant = kSpring;
  settings.neb.force_tolerance = kTolerance;
  settings.neb.climb_after_iterations = 20000;
  settings.neb.climb_force_threshold = 0.01;
  settings.neb.max_iterations = 40000;
  settings.endpoint_fire.tolerances.ftol = 1e-6;
  settings.endpoint_fire.tolerances.max_iterations = 100000;
  const BandResult unstrained = NebRunner(settings.neb).run(batch, force_field, kImages)[0];
  ASSERT_TRUE(unstrained.converged());
  const ShearResponse strained_mep =
      neb_shear_response(batch, force_field, kImages, {gamma}, settings);
  ASSERT_EQ(strained_mep.barrier_forward.size(), 1u);
  std::printf(
      "[neb shear, strained MEP re-converged] γ_xy = %.3f: E_A %.6f eV, ΔE_A %+.6f eV, "
      "single hump %d, converged %d, lost bands %d\n",
      gamma, strained_mep.barrier_forward[0][0], strained_mep.barrier_change[0][0],
      static_cast<int>(strained_mep.single_hump[0][0]),
      static_cast<int>(strained_mep.converged[0][0]), strained_mep.lost_bands[0]);
  // A band that converged to anything but a single-hump path must be counted as lost.
  if (!strained_mep.single_hump[0][0] || !strained_mep.converged[0][0])
    EXPECT_EQ(strained_mep.lost_bands[0], 1);

  settings.reinterpolate = true;
  const ShearResponse response = neb_shear_response(batch, force_field, kImages, {gamma}, settings);
  ASSERT_EQ(response.barrier_forward.size(), 1u);
  const double lammps_change = reference.barrier_forward - unstrained.barrier_forward;
  std::printf(
      "[neb shear vs lammps, re-interpolated] γ_xy = %.3f: glassland E_A %.6f eV (ΔE_A "
      "%+.6f eV, single hump %d, converged %d); LAMMPS E_A %.6f eV (%+.6f eV from "
      "glassland's γ = 0 barrier)\n",
      gamma, response.barrier_forward[0][0], response.barrier_change[0][0],
      static_cast<int>(response.single_hump[0][0]), static_cast<int>(response.converged[0][0]),
      reference.barrier_forward, lammps_change);
  EXPECT_TRUE(response.converged[0][0]);
  EXPECT_TRUE(response.single_hump[0][0]);
  EXPECT_EQ(response.lost_bands[0], 0);
  EXPECT_NEAR(response.barrier_forward[0][0], reference.barrier_forward, 0.01);
  EXPECT_NEAR(response.barrier_change[0][0], lammps_change, 1e-3);
  EXPECT_GT(std::fabs(lammps_change), 5e-3);
}

// Jump NEB (paper 002) on the x hop: the two minimised structures play the inherent structures.
// Exactly one atom (the hopping Cu) moves more than 1.8 Å; its band ends in a final state where
// only the atoms within 5 Å of its final position take their final positions. The other atoms
// relaxed by ≪ 1 Å around the vacancy, so after minimising, the partial final state must fall
// into the same minimum as the full final state (energy within 1e-4 eV) and the band's barrier
// must equal the full band's (within 0.01 eV, the tolerance for barriers).
TEST(JumpNebOnEam, PartialFinalStateReproducesTheHop) {
  GLASSLAND_REQUIRE_LAMMPS();
  const Hop hop{"jump_hop_x", {-3.26, 0.0, 0.0}, {13.04, 9.78, 9.78}};
  const std::string dir = testing::make_scratch_dir("jump_neb_hop_x");
  prepare_endpoints(dir, hop);
  const LammpsData initial = read_lammps_data(dir + "/initial.data");
  const LammpsData final_state = read_lammps_data(dir + "/final.data");
  const SetflPotential potential = read_setfl(kPotential, SetflFormat::FinnisSinclair);
  const std::vector<std::string> types{"Cu", "Zr"};
  // Both structures in atom-ID order (the batch's order).
  const BatchSnapshot pair = snapshot(make_batch({{"initial", initial}, {"final", final_state}},
                                                 types, potential.elements, potential.masses));
  const int n = pair.n_atoms;
  const std::vector<double> x0(pair.positions.begin(), pair.positions.begin() + 3 * n);
  const std::vector<double> x1(pair.positions.begin() + 3 * n, pair.positions.end());
  const std::vector<JumpBand> jumps = find_jump_bands(x0, x1, pair.boxes[0]);
  ASSERT_EQ(jumps.size(), 1u);
  const JumpBand& jump = jumps[0];
  std::printf("[jump neb] atom %d jumped %.3f Å; %d atoms inside 5 Å take final positions\n",
              jump.jumping_atom, jump.displacement, jump.moved_atoms);
  EXPECT_GT(jump.displacement, 2.5);
  EXPECT_LT(jump.displacement, 4.0);
  EXPECT_GT(jump.moved_atoms, 10);
  EXPECT_LT(jump.moved_atoms, n / 2);

  LammpsData partial = replica_to_data(pair, 1, types, potential.elements, potential.masses, false);
  for (int i = 0; i < n; ++i) {
    for (int k = 0; k < 3; ++k) {
      partial.positions[i][k] = jump.final_positions[3 * i + k];
      partial.images[i][k] = 0;
    }
  }
  ForceField force_field;
  force_field.add_term(make_eam_term(potential, 1.0));
  NebSettings settings;
  settings.spring_constant = kSpring;
  settings.force_tolerance = kTolerance;
  settings.climb_after_iterations = 20000;
  settings.climb_force_threshold = 0.01;
  settings.max_iterations = 40000;
  auto run_band = [&](const LammpsData& last, bool minimize, double& final_energy) {
    std::vector<NamedStructure> structures;
    for (int image = 0; image < kImages; ++image)
      structures.push_back(image == kImages - 1 ? NamedStructure{"final", last}
                                                : NamedStructure{"initial", initial});
    Batch batch = make_batch(structures, types, potential.elements, potential.masses);
    if (minimize) {
      FireSettings fire;
      fire.tolerances.ftol = 1e-6;
      fire.tolerances.max_iterations = 100000;
      const auto outcome = minimize_band_endpoints(batch, force_field, kImages, fire);
      EXPECT_TRUE(is_converged(outcome[kImages - 1].status));
    }
    interpolate_linear(batch, kImages);
    const BandResult band = NebRunner(settings).run(batch, force_field, kImages)[0];
    final_energy = band.energies.back();
    return band;
  };
  double full_final = 0.0, partial_final = 0.0;
  const BandResult full = run_band(final_state, false, full_final);
  const BandResult jump_band = run_band(partial, true, partial_final);
  std::printf(
      "[jump neb] full band E_A %.6f eV; jump band E_A %.6f eV; final energies %.6f / "
      "%.6f eV\n",
      full.barrier_forward, jump_band.barrier_forward, full_final, partial_final);
  ASSERT_TRUE(full.converged());
  ASSERT_TRUE(jump_band.converged());
  EXPECT_NEAR(partial_final, full_final, 1e-4);
  EXPECT_NEAR(jump_band.barrier_forward, full.barrier_forward, 0.01);
}

INSTANTIATE_TEST_SUITE_P(VacancyHops, NebVersusLammps,
                         ::testing::Values(Hop{"hop_x", {-3.26, 0.0, 0.0}, {13.04, 9.78, 9.78}},
                                           Hop{"hop_y", {0.0, -3.26, 0.0}, {9.78, 13.04, 9.78}}),
                         [](const ::testing::TestParamInfo<Hop>& info) { return info.param.name; });

}  // namespace
}  // namespace glassland
