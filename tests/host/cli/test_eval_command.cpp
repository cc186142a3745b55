// `glassland eval` end to end: the program's JSON against LAMMPS for the same files, several
// structures per call, and one clear line with a non-zero exit code for bad input.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>

#include "host/io/potential_files.hpp"
#include "tests/support/lammps_oracle.hpp"
#include "tests/support/program_runner.hpp"
#include "tests/support/test_requirements.hpp"

namespace glassland {
namespace {

struct ProgramResult {
  int exit_code;
  std::string output;  // stdout and stderr together
};

ProgramResult run_program(const std::string& arguments) {
  const testing::ProgramResult r = testing::run_glassland(arguments);
  return {WEXITSTATUS(r.status), r.output};
}

std::string make_cuzr(const std::string& dir, const std::string& name, int cells, double tilt) {
  std::string script =
      "units metal\natom_style atomic\nlattice custom 3.25 basis 0 0 0 basis 0.5 0.5 0.5\n"
      "region box block 0 " +
      std::to_string(cells) + " 0 " + std::to_string(cells) + " 0 " + std::to_string(cells) +
      "\ncreate_box 2 box\ncreate_atoms 1 box\n"
      "set type 1 type/fraction 2 0.5 99\nmass * 50\n"
      "displace_atoms all random 0.3 0.3 0.3 5 units box\n";
  if (tilt != 0)
    script +=
        "change_box all triclinic\nchange_box all xy final " + std::to_string(tilt) + " remap\n";
  script += "write_data " + name + "\n";
  testing::run_lammps(dir, script);
  return dir + "/" + name;
}

TEST(EvalCommand, JsonMatchesLammpsForEveryStructureOfTheCall) {
  GLASSLAND_REQUIRE_LAMMPS();
  const std::string dir = testing::make_scratch_dir("eval_command_json");
  const std::string a = make_cuzr(dir, "a.data", 6, 0.0);
  const std::string b = make_cuzr(dir, "b.data", 6, 1.5);   // same atom count: same batch as a
  const std::string c = make_cuzr(dir, "c.data", 7, -0.8);  // another atom count: its own batch
  const ProgramResult run = run_program("eval --json -e Cu Zr -s " + a + " " + b + " " + c);
  ASSERT_EQ(run.exit_code, 0) << run.output;
  const auto document = nlohmann::json::parse(run.output);
  ASSERT_EQ(document["structures"].size(), 3u);
  const std::string potential = potential_file("CuZr_mm.eam.fs");
  int index = 0;
  for (const std::string& file : {a, b, c}) {
    const auto& mine = document["structures"][index++];
    EXPECT_EQ(mine["file"], file);
    const auto reference = testing::lammps_evaluate(
        testing::make_scratch_dir("eval_command_lmp_" + std::to_string(index)), file, "eam/fs",
        potential, {"Cu", "Zr"});
    EXPECT_NEAR(mine["energy"].get<double>(), reference.energy, 1e-9 * std::fabs(reference.energy));
    const double pressure = (reference.virial[0] + reference.virial[1] + reference.virial[2]) /
                            (3 * reference.volume) * 1.6021765e6;
    EXPECT_NEAR(mine["pressure"].get<double>(), pressure, 1e-9 * std::fabs(pressure) + 1e-6);
    ASSERT_EQ(mine["forces"].size(), reference.forces.size());
    size_t atom = 0;
    double largest_error = 0;
    for (const auto& [id, f] : reference.forces) {  // std::map: increasing atom ID
      for (int k = 0; k < 3; ++k)
        largest_error =
            std::max(largest_error, std::fabs(mine["forces"][atom][k].get<double>() - f[k]));
      ++atom;
    }
    EXPECT_LE(largest_error, 1e-8);
  }
}

TEST(EvalCommand, BadInputGivesOneClearLineAndAFailingExitCode) {
  const std::string dir = testing::make_scratch_dir("eval_command_errors");
  const std::string good = make_cuzr(dir, "good.data", 6, 0.0);

  const ProgramResult missing = run_program("eval -e Cu Zr -s " + dir + "/none.data");
  EXPECT_NE(missing.exit_code, 0);
  EXPECT_NE(missing.output.find("none.data"), std::string::npos) << missing.output;

  const ProgramResult unknown = run_program("eval -e Cu Xx -s " + good);
  EXPECT_NE(unknown.exit_code, 0);
  EXPECT_NE(unknown.output.find("\"Xx\" is not in the potential"), std::string::npos)
      << unknown.output;

  // A data file whose 5th atom line has a non-numeric coordinate.
  std::ifstream in(good);
  std::ofstream out(dir + "/broken.data");
  std::string line;
  int line_number = 0, broken_line = 0, atom_lines = 0;
  bool in_atoms = false;
  while (std::getline(in, line)) {
    ++line_number;
    if (line.rfind("Atoms", 0) == 0)
      in_atoms = true;
    if (in_atoms && !line.empty() && std::isdigit(static_cast<unsigned char>(line[0])) &&
        ++atom_lines == 5) {
      line = line.substr(0, line.find(' ', line.find(' ') + 1)) + " 1.0x 2.0 3.0 0 0 0";
      broken_line = line_number;
    }
    out << line << "\n";
  }
  out.close();
  const ProgramResult broken = run_program("eval -e Cu Zr -s " + dir + "/broken.data");
  EXPECT_NE(broken.exit_code, 0);
  EXPECT_NE(broken.output.find("broken.data:" + std::to_string(broken_line)), std::string::npos)
      << broken.output;
  // One line, no stack trace or Kokkos noise.
  EXPECT_EQ(std::count(broken.output.begin(), broken.output.end(), '\n'), 1) << broken.output;
}

TEST(EvalCommand, KineticPressureUsesLammpsUnitConstant) {
  // A file with velocities: the pressure includes Σ m v²/(3V), which LAMMPS converts with its
  // own mvv2e = 1.0364269e-4 (metal units), 6.3e-8 relative below the CODATA value the dynamics
  // use. At 3000 K the kinetic part is ~2e4 bar, so the CODATA factor is off by ~1e-3 bar.
  const std::string dir = testing::make_scratch_dir("eval_command_kinetic");
  testing::run_lammps(dir,
                      "units metal\natom_style atomic\nlattice custom 3.25 basis 0 0 0 basis "
                      "0.5 0.5 0.5\nregion box block 0 6 0 6 0 6\ncreate_box 2 box\n"
                      "create_atoms 1 box\nset type 1 type/fraction 2 0.5 99\n"
                      "pair_style eam/fs\npair_coeff * * "
                      "/usr/share/lammps/potentials/CuZr_mm.eam.fs Cu Zr\n"
                      "displace_atoms all random 0.2 0.2 0.2 5 units box\n"
                      "velocity all create 3000 4928459 dist gaussian\n"
                      "write_data hot.data\n");
  const std::string lammps =
      testing::run_lammps(dir,
                          "units metal\natom_style atomic\nread_data hot.data\n"
                          "pair_style eam/fs\npair_coeff * * "
                          "/usr/share/lammps/potentials/CuZr_mm.eam.fs Cu Zr\n"
                          "compute virial_only all pressure NULL virial\n"
                          "variable p equal press\nvariable pv equal c_virial_only\n"
                          "thermo_style custom step press c_virial_only\nrun 0\n"
                          "print \"PRESS ${p}\"\nprint \"VIRIAL_PRESS ${pv}\"\n");
  const double pressure = testing::printed_value(lammps, "PRESS");
  const double virial_pressure = testing::printed_value(lammps, "VIRIAL_PRESS");
  ASSERT_TRUE(std::isfinite(pressure)) << lammps;
  ASSERT_GT(pressure - virial_pressure, 1e4);  // the kinetic part is large enough to matter
  const ProgramResult run = run_program("eval --json -e Cu Zr -s " + dir + "/hot.data");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  const auto document = nlohmann::json::parse(run.output);
  // LAMMPS prints 15 significant digits: 1e-10 relative is its round-off, far below 1e-3 bar.
  EXPECT_NEAR(document["structures"][0]["pressure"].get<double>(), pressure,
              1e-10 * std::fabs(pressure) + 1e-8);
}

TEST(EvalCommand, ImplausibleStructuresAndElementListsAreInputErrors) {
  const std::string dir = testing::make_scratch_dir("eval_command_sanity");
  const std::string good = make_cuzr(dir, "good.data", 6, 0.0);
  // More element names than the file has atom types (issue 16: accepted and ignored).
  const ProgramResult extra = run_program("eval -e Cu Zr Zr -s " + good);
  EXPECT_NE(extra.exit_code, 0);
  EXPECT_NE(extra.output.find("has 2 atom type(s) but 3 elements were given"), std::string::npos)
      << extra.output;
  EXPECT_NE(extra.output.find("good.data"), std::string::npos) << extra.output;
  // Two atoms 0.3 Å apart: an error naming both IDs, overridable.
  std::ofstream(dir + "/overlap.data")
      << "overlap\n\n3 atoms\n2 atom types\n\n0 20 xlo xhi\n0 20 ylo yhi\n0 20 zlo zhi\n\n"
         "Atoms # atomic\n\n1 1 1 1 1\n7 2 6 6 6\n9 1 6.3 6 6\n";
  const ProgramResult overlap = run_program("eval -e Cu Zr -s " + dir + "/overlap.data");
  EXPECT_NE(overlap.exit_code, 0);
  EXPECT_NE(overlap.output.find("atoms 7 and 9 are 0.3 Å apart"), std::string::npos)
      << overlap.output;
  EXPECT_NE(overlap.output.find("--min-atom-distance"), std::string::npos) << overlap.output;
  // Across the periodic boundary, by minimum image: 19.9 and 0.1 are 0.2 Å apart.
  std::ofstream(dir + "/wrapped.data")
      << "wrapped\n\n2 atoms\n2 atom types\n\n0 20 xlo xhi\n0 20 ylo yhi\n0 20 zlo zhi\n\n"
         "Atoms # atomic\n\n4 1 19.9 5 5\n2 2 0.1 5 5\n";
  const ProgramResult wrapped = run_program("eval -e Cu Zr -s " + dir + "/wrapped.data");
  EXPECT_NE(wrapped.exit_code, 0);
  EXPECT_NE(wrapped.output.find("atoms 2 and 4 are 0.2 Å apart"), std::string::npos)
      << wrapped.output;
  const ProgramResult allowed =
      run_program("eval --min-atom-distance 0 -e Cu Zr -s " + dir + "/overlap.data");
  EXPECT_EQ(allowed.exit_code, 0) << allowed.output;
}

}  // namespace
}  // namespace glassland
