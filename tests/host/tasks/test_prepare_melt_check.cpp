// `task: prepare` catches a melt that did not melt (issue 20 item 7): a perfect (chemically
// ordered) B2 CuZr crystal held at 2000 K NPT stays solid with Mendelev's potential, a random
// packing melts. The summary says which replica melted (MSD over the melt stage against
// melt.min_msd) and stderr warns loudly about the one that did not.
#include <gtest/gtest.h>

#include <fstream>

#include "host/io/lammps_data.hpp"
#include "tests/support/lammps_oracle.hpp"
#include "tests/support/program_runner.hpp"

namespace glassland {
namespace {

// Cu on the cube corners, Zr in the centres: CsCl-ordered B2, 6×6×6 cells, a = 3.26 Å.
LammpsData ordered_b2() {
  LammpsData d;
  d.n_types = 2;
  d.masses = {63.546, 91.224};
  d.hi = {6 * 3.26, 6 * 3.26, 6 * 3.26};
  int id = 0;
  for (int i = 0; i < 6; ++i)
    for (int j = 0; j < 6; ++j)
      for (int k = 0; k < 6; ++k)
        for (int b = 0; b < 2; ++b) {
          d.ids.push_back(++id);
          d.types.push_back(1 + b);
          d.positions.push_back({(i + 0.5 * b) * 3.26, (j + 0.5 * b) * 3.26, (k + 0.5 * b) * 3.26});
          d.images.push_back({0, 0, 0});
        }
  return d;
}

TEST(PrepareMeltCheck, AnOrderedB2CrystalDoesNotMeltAndIsReported) {
  const std::string dir = testing::make_scratch_dir("prepare_melt_check");
  write_lammps_data(dir + "/b2.data", ordered_b2());
  ASSERT_EQ(
      testing::run_glassland("build --lattice random --atoms 432 --density 0.055 --seed 3 -o " +
                             dir + "/random.data")
          .status,
      0);
  std::ofstream(dir + "/input.json") << R"({"task": "prepare",
 "system": {"structures": ["b2.data", "random.data"]},
 "prepare": {"melt": {"temperature": 2000, "steps": 1500},
             "cool": {"end_temperature": 1500, "rate": 1e15}, "minimize": {"ftol": 1e-3}},
 "output": {"directory": ")" + dir + R"(/out", "thermo_stride": 500, "quiet": true}})";
  const testing::ProgramResult run = testing::run_glassland("run " + dir + "/input.json");
  ASSERT_EQ(run.status, 0) << run.output;
  EXPECT_NE(run.output.find("WARNING replica 0 did NOT melt"), std::string::npos) << run.output;
  EXPECT_EQ(run.output.find("WARNING replica 1 did NOT melt"), std::string::npos) << run.output;
  const nlohmann::json summary = testing::read_json_file(dir + "/out/summary.json");
  EXPECT_FALSE(summary["all_replicas_melted"].get<bool>());
  const nlohmann::json& crystal = summary["replicas"][0]["melt_check"];
  const nlohmann::json& liquid = summary["replicas"][1]["melt_check"];
  EXPECT_FALSE(crystal["melted"].get<bool>());
  EXPECT_LT(crystal["melt_msd_A2"].get<double>(), 1.0);  // vibrations only
  EXPECT_TRUE(liquid["melted"].get<bool>());
  EXPECT_GT(liquid["melt_msd_A2"].get<double>(), 5.0);
  // The crystal's inherent structure is bcc-like Voronoi cells, ⟨0,6,0,8⟩, almost everywhere.
  EXPECT_GT(crystal["inherent_structure_crystal_like_fraction"].get<double>(), 0.9);
  EXPECT_LT(liquid["inherent_structure_crystal_like_fraction"].get<double>(), 0.1);
}

}  // namespace
}  // namespace glassland
