// `glassland build` end to end: the cell counts, composition and seed given on the command line
// reach the data file it writes (read back with the reader the rest of the code uses).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>

#include "host/io/lammps_data.hpp"
#include "tests/support/lammps_oracle.hpp"
#include "tests/support/program_runner.hpp"

namespace glassland {
namespace {

TEST(BuildCommand, WritesTheRequestedLatticeAndComposition) {
  const std::string dir = testing::make_scratch_dir("build_command");
  const std::string file = dir + "/cu64zr36.data";
  const std::string command = std::string(GLASSLAND_PROGRAM) +
                              " build --lattice b2 --lattice-constant 3.3 --cells 5 4 3"
                              " --composition Cu:0.64,Zr:0.36 --seed 9 -o " +
                              file + " > /dev/null";
  ASSERT_EQ(std::system(command.c_str()), 0);
  const LammpsData data = read_lammps_data(file);
  EXPECT_EQ(data.n_atoms(), 2 * 5 * 4 * 3);
  EXPECT_DOUBLE_EQ(data.hi[0] - data.lo[0], 5 * 3.3);
  EXPECT_DOUBLE_EQ(data.hi[1] - data.lo[1], 4 * 3.3);
  EXPECT_DOUBLE_EQ(data.hi[2] - data.lo[2], 3 * 3.3);
  // Type 1 is the potential's first element (Cu in CuZr_mm.eam.fs): 64 % of 120 is 76.8 → 77.
  EXPECT_EQ(std::count(data.types.begin(), data.types.end(), 1), 77);
  EXPECT_EQ(std::count(data.types.begin(), data.types.end(), 2), 43);
  const std::string bad = std::string(GLASSLAND_PROGRAM) + " build --composition Cu=0.5 -o " + dir +
                          "/bad.data > /dev/null 2>&1";
  EXPECT_NE(std::system(bad.c_str()), 0);
  // Fractions that do not add up to 1 are a typo, not something to normalise silently
  // (issue 16): an error that names the option and the sum, and no file.
  const testing::ProgramResult sum =
      testing::run_glassland("build --composition Cu:0.5,Zr:0.6 -o " + dir + "/sum.data");
  const std::string& output = sum.output;
  EXPECT_NE(sum.status, 0);
  EXPECT_NE(output.find("--composition"), std::string::npos) << output;
  EXPECT_NE(output.find("add up to 1.1, not 1"), std::string::npos) << output;
  EXPECT_FALSE(std::ifstream(dir + "/sum.data").good());
}

TEST(BuildCommand, SlabAddsVacuumAlongZAndKeepsTheAtoms) {
  const std::string dir = testing::make_scratch_dir("build_command_slab");
  auto build = [&](const std::string& options, const std::string& name) {
    const std::string command = std::string(GLASSLAND_PROGRAM) + " build --cells 6 6 6 " + options +
                                " -o " + dir + "/" + name + " > /dev/null";
    EXPECT_EQ(std::system(command.c_str()), 0);
    return read_lammps_data(dir + "/" + name);
  };
  const LammpsData bulk = build("", "bulk.data");
  const LammpsData slab = build("--slab", "slab.data");
  const LammpsData thin = build("--slab --vacuum 4", "thin.data");
  EXPECT_DOUBLE_EQ(slab.lo[2], bulk.lo[2] - 10.0);  // paper 002: 10 Å on each side
  EXPECT_DOUBLE_EQ(slab.hi[2], bulk.hi[2] + 10.0);
  EXPECT_DOUBLE_EQ(thin.hi[2] - thin.lo[2], bulk.hi[2] - bulk.lo[2] + 8.0);
  EXPECT_EQ(slab.positions, bulk.positions);
  EXPECT_EQ(slab.types, bulk.types);
  EXPECT_DOUBLE_EQ(slab.hi[0] - slab.lo[0], bulk.hi[0] - bulk.lo[0]);
}

}  // namespace
}  // namespace glassland
