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

#include "host/batch_io.hpp"
#include "saddle/neb_band.hpp"
#include "saddle/path_geometry.hpp"
#include "tests/support/lammps_oracle.hpp"

namespace glassland {
namespace {

const std::string kPotential = "/usr/share/lammps/potentials/CuZr_mm.eam.fs";
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

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
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
LammpsNeb run_lammps_neb(const std::string& dir, const LammpsData& final_state) {
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
         "atom_modify sort 0 0.0\nread_data initial.data\npair_style eam/fs\n"
         "pair_coeff * * "
      << kPotential
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
  std::istringstream out(read_file(dir + "/neb.out"));
  std::string line, last;
  bool climbing = false;
  while (std::getline(out, line)) {
    if (line.rfind("Climbing replica = ", 0) == 0) {
      climbing = true;
      result.climbing_replica = std::stoi(line.substr(19));
    } else if (climbing && !line.empty() && std::isdigit(static_cast<unsigned char>(line[0]))) {
      last = line;
    }
  }
  // Step MaxReplicaForce MaxAtomForce GradV0 GradV1 GradVc EBF EBR RDT RD1 PE1 ... RDN PEN
  std::istringstream fields(last);
  std::vector<double> v;
  double x;
  while (fields >> x)
    v.push_back(x);
  if (v.size() != 9 + 2 * kImages) {
    ADD_FAILURE() << "unexpected LAMMPS neb output line: '" << last << "'";
    return result;
  }
  result.barrier_forward = v[6];
  result.barrier_backward = v[7];
  for (int image = 0; image < kImages; ++image)
    result.energies.push_back(v[9 + 2 * image + 1]);
  return result;
}

class NebVersusLammps : public ::testing::TestWithParam<Hop> {};

TEST_P(NebVersusLammps, BarriersMatch) {
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

INSTANTIATE_TEST_SUITE_P(VacancyHops, NebVersusLammps,
                         ::testing::Values(Hop{"hop_x", {-3.26, 0.0, 0.0}, {13.04, 9.78, 9.78}},
                                           Hop{"hop_y", {0.0, -3.26, 0.0}, {9.78, 13.04, 9.78}}),
                         [](const ::testing::TestParamInfo<Hop>& info) { return info.param.name; });

}  // namespace
}  // namespace glassland
