// md.inherent_structures (issue 21 item 2): the inherent structures quenched on the fly during an
// md run equal `task: minimize` of the same frames bitwise, the MD is not disturbed by them, and
// bad settings are refused naming the key.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "host/io/hdf5_file.hpp"
#include "tests/support/lammps_oracle.hpp"
#include "tests/support/program_runner.hpp"

namespace glassland {
namespace {

using testing::read_json_file;
using testing::read_text_file;
using testing::run_glassland;

const char* const kSystem =
    R"("system": {"build": {"lattice": "b2", "cells": [6, 6, 6], "seeds": [5, 6]}, "replicas": 2})";

std::string md_input(const std::string& out, bool with_inherent_structures) {
  const std::string is =
      with_inherent_structures
          ? R"(, "inherent_structures": {"stride": 30, "method": "cg", "ftol": 1e-3,
                                       "write_structures": true})"
          : "";
  return std::string("{\"task\": \"md\", ") + kSystem + R"(,
  "md": {"steps": 60, "ensemble": "nvt", "temperature": [1400, 900],
         "shear": {"strain_xy": [0.0, 0.03]})" +
         is + R"(},
  "output": {"directory": ")" +
         out + R"(", "thermo_stride": 30, "quiet": true}})";
}

std::string minimize_input(const std::string& out, const std::string& structures) {
  return R"({"task": "minimize", "system": {)" + structures +
         R"(}, "minimize": {"method": "cg", "ftol": 1e-3},
  "output": {"directory": ")" +
         out + R"(", "quiet": true}})";
}

std::string is_name(int replica, long long step) {
  char name[64];
  std::snprintf(name, sizeof name, "is_%04d_%010lld.data", replica, step);
  return name;
}

TEST(MdInherentStructures, EqualTaskMinimizeOfTheSameFramesBitwise) {
  const std::string dir = testing::make_scratch_dir("md_inherent_structures");
  std::ofstream(dir + "/md.json") << md_input(dir + "/md", true);
  std::ofstream(dir + "/plain.json") << md_input(dir + "/plain", false);
  ASSERT_EQ(run_glassland("run " + dir + "/md.json").status, 0);
  ASSERT_EQ(run_glassland("run " + dir + "/plain.json").status, 0);
  // Every key of the run (md.shear.*, md.inherent_structures.* included) is in docs/tasks.md.
  testing::expect_every_key_documented(dir + "/md/effective_input.json", "docs/tasks.md", 20u);

  // The quenches work on copies: the MD ends bitwise where the run without them ends.
  for (const char* name : {"final_0000.data", "final_0001.data"})
    EXPECT_EQ(read_text_file(dir + "/md/" + name), read_text_file(dir + "/plain/" + name)) << name;

  // The frame of step 60 is the final structure: `task: minimize` of final_NNNN.data must give
  // the step-60 quenches.
  std::ofstream(dir + "/min_final.json") << minimize_input(
      dir + "/min_final", R"("structures": [")" + dir + R"(/md/final_0000.data", ")" + dir +
                              R"(/md/final_0001.data"])");
  ASSERT_EQ(run_glassland("run " + dir + "/min_final.json").status, 0);
  const hdf5::File results = hdf5::File::open_read_only(dir + "/md/results.h5");
  const auto steps = results.dataset("observables/inherent_structure/energy/step").read<int64_t>();
  ASSERT_EQ(steps, (std::vector<int64_t>{0, 30, 60}));
  const auto energies =
      results.dataset("observables/inherent_structure/energy/value").read<double>();
  const auto converged =
      results.dataset("observables/inherent_structure/converged/value").read<double>();
  const nlohmann::json summary = read_json_file(dir + "/min_final/summary.json");
  for (int r = 0; r < 2; ++r) {
    char minimized[32];
    std::snprintf(minimized, sizeof minimized, "is_%04d.data", r);
    EXPECT_EQ(read_text_file(dir + "/md/inherent_structures/" + is_name(r, 60)),
              read_text_file(dir + "/min_final/" + minimized))
        << "replica " << r;
    EXPECT_EQ(energies[2 * 2 + r], summary["replicas"][r]["final_energy_eV"].get<double>());
    EXPECT_EQ(converged[2 * 2 + r], 1.0);
  }
  // The quenched energies lie below the MD's potential energy at the same step.
  const auto pe = results.dataset("observables/potential_energy/value").read<double>();
  for (std::size_t k = 0; k < 6; ++k)
    EXPECT_LT(energies[k], pe[k]) << k;

  // Step 0 of replica 0 (unstrained) is the built structure: `task: minimize` of the same build
  // gives its quench.
  std::ofstream(dir + "/min_start.json") << minimize_input(
      dir + "/min_start", R"("build": {"lattice": "b2", "cells": [6, 6, 6], "seeds": [5]})");
  ASSERT_EQ(run_glassland("run " + dir + "/min_start.json").status, 0);
  EXPECT_EQ(read_text_file(dir + "/md/inherent_structures/" + is_name(0, 0)),
            read_text_file(dir + "/min_start/is_0000.data"));
}

TEST(MdInherentStructures, BadSettingsNameTheKey) {
  const std::string dir = testing::make_scratch_dir("md_inherent_structures_errors");
  auto output_of = [&](const std::string& md) {
    std::ofstream(dir + "/input.json") << std::string("{\"task\": \"md\", ") + kSystem +
                                              ", \"md\": " + md + R"(, "output": {"directory": ")" +
                                              dir + R"(/out", "quiet": true}})";
    const auto r = run_glassland("run " + dir + "/input.json");
    EXPECT_NE(r.status, 0) << md;
    return r.output;
  };
  EXPECT_NE(output_of(R"({"steps": 10, "inherent_structures": {}})")
                .find("md.inherent_structures.stride: give exactly one of stride"),
            std::string::npos);
  EXPECT_NE(output_of(R"({"steps": 10, "inherent_structures": {"stride": 5, "interval_ps": 1}})")
                .find("give exactly one of stride"),
            std::string::npos);
  EXPECT_NE(output_of(R"({"steps": 10, "inherent_structures": {"interval_ps": 0.003}})")
                .find("md.inherent_structures.interval_ps: must be a whole number of time steps"),
            std::string::npos);
  EXPECT_NE(output_of(R"({"steps": 10, "inherent_structures": {"stride": 5, "ftol": 0}})")
                .find("md.inherent_structures.ftol"),
            std::string::npos);
  EXPECT_NE(output_of(R"({"steps": 10, "shear_strain": [0.01, 0, 0]})")
                .find("md.shear_strain: replaced by the per-replica md.shear.strain_xy"),
            std::string::npos);
  EXPECT_NE(output_of(R"({"steps": 10, "shear": {"strain_xy": [0.01, 0.02, 0.03]}})")
                .find("md.shear.strain_xy"),
            std::string::npos);
  EXPECT_NE(output_of(R"({"steps": 10, "ensemble": "npt", "shear": {"rate_yz": 1e-4}})")
                .find("md.shear.rate_yz: a strain rate needs a box the barostat leaves alone"),
            std::string::npos);
}

}  // namespace
}  // namespace glassland
