// `glassland eval` end to end: the program's JSON against LAMMPS for the same files, several
// structures per call, and one clear line with a non-zero exit code for bad input.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>

#include "host/io/potential_files.hpp"
#include "tests/support/lammps_oracle.hpp"
#include "tests/support/test_requirements.hpp"

namespace glassland {
namespace {

struct ProgramResult {
  int exit_code;
  std::string output;  // stdout and stderr together
};

ProgramResult run_program(const std::string& arguments) {
  const std::string command = std::string(GLASSLAND_PROGRAM) + " " + arguments + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  std::string output;
  char buffer[4096];
  while (size_t n = fread(buffer, 1, sizeof buffer, pipe))
    output.append(buffer, n);
  const int status = pclose(pipe);
  return {WEXITSTATUS(status), output};
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

}  // namespace
}  // namespace glassland
