// Inherent structures of Cu50Zr50 MD snapshots: glassland's batched CG and FIRE 2.0 against
// LAMMPS `minimize` (issue 3 acceptance: ≤ 1e-6 eV/atom). LAMMPS makes the snapshots (melt at
// 2000 K, fast quench, three snapshots 0.5 ps apart at 300 K and three at 20 K) and minimises
// each one alone; glassland minimises each set of three in one batch.
//
// Tolerances: both codes stop at max atomic force < 1e-6 eV/Å (`min_modify norm max`), so each
// energy is within ~|f|²/λ ≪ 1e-9 eV of its minimum; the 1e-6 eV/atom bound is then a test that
// both reach the same inherent structure.
//  * CG follows LAMMPS's CG step by step, so it must match LAMMPS cg on every snapshot.
//  * FIRE follows a different path. From a 300 K snapshot of a fast-quenched glass the two
//    paths can end in different, nearby minima (measured: LAMMPS's own min_style fire lands
//    ~0.004 eV/atom above LAMMPS cg on two of three such snapshots), so there FIRE is compared
//    with LAMMPS min_style fire (same algorithm), and with LAMMPS cg only on the 20 K
//    snapshots, which sit deep inside one basin.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <iostream>
#include <memory>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "host/io/batch_io.hpp"
#include "host/io/potential_files.hpp"
#include "kernels/cg_minimizer.hpp"
#include "kernels/fire_minimizer.hpp"
#include "tests/support/lammps_oracle.hpp"
#include "tests/support/test_requirements.hpp"

namespace glassland {
namespace {

const std::string kPotential = potential_file("CuZr_mm.eam.fs");
constexpr int kSnapshots = 3;
constexpr double kForceTolerance = 1e-6;  // eV/Å, max atomic force, both codes

struct LammpsMinimum {
  double energy = std::nan("");
  std::string stats;  // LAMMPS's stopping criterion and iteration counts, for the log
};

// B2 lattice (6³ cells, 432 atoms), random Cu/Zr, melt 2 ps at 2000 K, quench to 300 K in
// 5 ps (3.4e14 K/s), three snapshots 0.5 ps apart at 300 K ("hot"), then cool to 20 K in 2 ps
// and take three more 0.5 ps apart ("cold").
struct Snapshots {
  std::vector<std::string> hot, cold;
};

Snapshots make_snapshots(const std::string& dir) {
  std::ostringstream script;
  script << "units metal\natom_style atomic\n"
         << "lattice custom 3.26 basis 0 0 0 basis 0.5 0.5 0.5\n"
         << "region box block 0 6 0 6 0 6\ncreate_box 2 box\ncreate_atoms 1 box\n"
         << "set type 1 type/fraction 2 0.5 4242\n"
         << "pair_style eam/fs\npair_coeff * * " << kPotential << " Cu Zr\n"
         << "velocity all create 2000 12345 mom yes rot yes dist gaussian\n"
         << "timestep 0.002\nthermo 500\n"
         << "fix md all nvt temp 2000 2000 0.1\nrun 1000\nunfix md\n"
         << "fix md all nvt temp 2000 300 0.1\nrun 2500\nunfix md\n"
         << "fix md all nvt temp 300 300 0.1\n";
  Snapshots snapshots;
  for (int s = 0; s < kSnapshots; ++s) {
    script << "run 250\nwrite_data hot" << s << ".data\n";
    snapshots.hot.push_back(dir + "/hot" + std::to_string(s) + ".data");
  }
  script << "unfix md\nfix md all nvt temp 300 20 0.1\nrun 1000\nunfix md\n"
         << "fix md all nvt temp 20 20 0.1\n";
  for (int s = 0; s < kSnapshots; ++s) {
    script << "run 250\nwrite_data cold" << s << ".data\n";
    snapshots.cold.push_back(dir + "/cold" + std::to_string(s) + ".data");
  }
  testing::run_lammps(dir, script.str());
  return snapshots;
}

// LAMMPS `minimize` of one data file with min_style `style` (cg or fire) and defaults otherwise
// (cg: line quadratic, dmax 0.1; fire: timestep 0.001 ps and FIRE 2.0 defaults).
LammpsMinimum lammps_minimize(const std::string& dir, const std::string& data_file,
                              const std::string& style) {
  std::ostringstream script;
  script << "units metal\natom_style atomic\nread_data " << data_file << "\n"
         << "pair_style eam/fs\npair_coeff * * " << kPotential << " Cu Zr\n"
         << "min_style " << style << "\nmin_modify norm max dmax 0.1\n"
         << "minimize 0.0 " << kForceTolerance << " 100000 1000000\n"
         << "variable e equal pe\nprint \"ENERGY $(v_e:%.17g)\"\n";
  const std::string output = testing::run_lammps(dir, script.str());
  LammpsMinimum result;
  result.energy = testing::printed_value(output, "ENERGY");
  std::istringstream lines(output);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.find("Stopping criterion") != std::string::npos ||
        line.find("Iterations, force evaluations") != std::string::npos)
      result.stats += line + "\n";
  }
  return result;
}

// Largest |Δ(x + H·image)| of replica r's atoms between two snapshots, Å.
double largest_unwrapped_displacement(const BatchSnapshot& before, const BatchSnapshot& after,
                                      int r) {
  double largest = 0.0;
  for (int i = 0; i < before.n_atoms; ++i) {
    const int64_t g = static_cast<int64_t>(r) * before.n_atoms + i;
    double x0[3], x1[3];
    for (int k = 0; k < 3; ++k) {
      x0[k] = before.positions[g * 3 + k];
      x1[k] = after.positions[g * 3 + k];
    }
    before.boxes[r].add_lattice_vector(before.images[g * 3], before.images[g * 3 + 1],
                                       before.images[g * 3 + 2], x0);
    after.boxes[r].add_lattice_vector(after.images[g * 3], after.images[g * 3 + 1],
                                      after.images[g * 3 + 2], x1);
    const double d2 = (x1[0] - x0[0]) * (x1[0] - x0[0]) + (x1[1] - x0[1]) * (x1[1] - x0[1]) +
                      (x1[2] - x0[2]) * (x1[2] - x0[2]);
    largest = std::max(largest, std::sqrt(d2));
  }
  return largest;
}

class MinimizerVersusLammps : public ::testing::Test {
 protected:
  // The whole suite starts from structures LAMMPS makes: without LAMMPS each test skips (SetUp).
  static void SetUpTestSuite() {
    if (!testing::lammps_missing_reason().empty())
      return;
    directory_ = testing::make_scratch_dir("minimizer_vs_lammps");
    snapshots_ = make_snapshots(directory_);
  }

  // Minimises `files` as one batch with glassland's `method` and each file alone with LAMMPS's
  // `lammps_style`; expects the same energies within 1e-6 eV/atom.
  static void compare(const std::string& label, const std::vector<std::string>& files,
                      const std::string& method, const std::string& lammps_style) {
    std::vector<LammpsMinimum> reference;
    for (size_t s = 0; s < files.size(); ++s) {
      const std::string run_dir = testing::make_scratch_dir("minimizer_vs_lammps_" + label + "_" +
                                                            lammps_style + std::to_string(s));
      reference.push_back(lammps_minimize(run_dir, files[s], lammps_style));
      ASSERT_TRUE(std::isfinite(reference.back().energy)) << "LAMMPS minimisation failed";
    }

    const SetflPotential potential = read_setfl(kPotential, SetflFormat::FinnisSinclair);
    std::vector<NamedStructure> structures;
    for (const auto& f : files)
      structures.push_back({f, read_lammps_data(f)});
    const int n_atoms = structures.front().data.n_atoms();
    Batch batch = make_batch(structures, {"Cu", "Zr"}, potential.elements, potential.masses);
    ForceField force_field;
    force_field.add_term(make_eam_term(potential, 1.0));
    MinimizerTolerances tolerances;
    tolerances.etol = 0.0;
    tolerances.ftol = kForceTolerance;
    tolerances.force_norm = ForceNorm::max_atom;
    tolerances.max_iterations = 100000;
    tolerances.max_evaluations = 1000000;
    const BatchSnapshot before = snapshot(batch);
    std::vector<ReplicaMinimization> results;
    if (method == "cg") {
      CgSettings settings;
      settings.tolerances = tolerances;
      results = CgMinimizer(settings).minimize(batch, force_field);
    } else {
      FireSettings settings;
      settings.tolerances = tolerances;
      results = FireMinimizer(settings).minimize(batch, force_field);
    }
    const BatchSnapshot after = snapshot(batch);
    for (size_t s = 0; s < files.size(); ++s) {
      // Atoms that cross the boundary are wrapped by the neighbour list; the unwrapped
      // positions x + H·image must still move continuously: an inherent structure is well
      // under 3 Å from a 300 K snapshot, a miscounted image would be a box length (19.6 Å).
      EXPECT_LT(largest_unwrapped_displacement(before, after, static_cast<int>(s)), 3.0)
          << "snapshot " << s;
      const double difference_per_atom = (results[s].final_energy - reference[s].energy) / n_atoms;
      std::cout << std::setprecision(12) << label << " snapshot " << s << ", glassland " << method
                << ": " << results[s].final_energy << " eV (" << to_string(results[s].status)
                << ", " << results[s].iterations << " iterations, " << results[s].evaluations
                << " evaluations); LAMMPS " << lammps_style << ": " << reference[s].energy
                << " eV; difference " << std::setprecision(3) << difference_per_atom << " eV/atom\n"
                << reference[s].stats;
      // A line search that can no longer lower the energy at machine precision also ends CG
      // at the minimum; the energy comparison decides.
      EXPECT_TRUE(is_converged(results[s].status) ||
                  results[s].status == MinimizerStatus::linesearch_alpha_zero)
          << "snapshot " << s << ": " << to_string(results[s].status);
      EXPECT_NEAR(results[s].final_energy / n_atoms, reference[s].energy / n_atoms, 1e-6)
          << "snapshot " << s;
      EXPECT_LT(results[s].final_energy, results[s].initial_energy);
    }
  }

  void SetUp() override { GLASSLAND_REQUIRE_LAMMPS(); }
  static std::string directory_;
  static Snapshots snapshots_;
};

std::string MinimizerVersusLammps::directory_;
Snapshots MinimizerVersusLammps::snapshots_;

TEST_F(MinimizerVersusLammps, CgMatchesLammpsCgAt300K) {
  compare("hot", snapshots_.hot, "cg", "cg");
}

TEST_F(MinimizerVersusLammps, CgMatchesLammpsCgAt20K) {
  compare("cold", snapshots_.cold, "cg", "cg");
}

TEST_F(MinimizerVersusLammps, FireMatchesLammpsFireAt300K) {
  compare("hot", snapshots_.hot, "fire", "fire");
}

TEST_F(MinimizerVersusLammps, FireMatchesLammpsCgAt20K) {
  compare("cold", snapshots_.cold, "fire", "cg");
}

}  // namespace
}  // namespace glassland
