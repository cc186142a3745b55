// The console conventions every task follows (docs/exit-codes.md, "Console output"): results on
// stdout, progress and warnings on stderr, --quiet removes progress only. Each case was broken
// before issue 17: md printed no thermo at all, minimize's per-replica results and metad's tracer
// table went to stderr and vanished with --quiet. (neb's bands and art's progress are checked in
// their task tests.)
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "host/io/hdf5_file.hpp"
#include "tests/support/lammps_oracle.hpp"
#include "tests/support/program_runner.hpp"

namespace glassland {
namespace {

using testing::ConsoleResult;
using testing::run_glassland_console;

std::string md_input(const std::string& directory, const std::string& output_extra) {
  return R"({
  "task": "md",
  "system": {"build": {"lattice": "b2", "cells": [6, 6, 6], "seed": 4}, "replicas": 2},
  "md": {"steps": 10, "ensemble": "nvt", "temperature": [1000, 700]},
  "output": {"directory": ")" +
         directory + R"(", "thermo_stride": 5)" + output_extra + R"(}
})";
}

struct ThermoLine {
  long long step;
  double time;
  int replica;
  double temperature, pressure, volume, potential_energy;
};

// The thermo lines of md's stdout (after its header).
std::vector<ThermoLine> thermo_lines(const std::string& out) {
  std::istringstream lines(out);
  std::string line;
  std::vector<ThermoLine> parsed;
  bool header = false;
  while (std::getline(lines, line)) {
    if (line.find("step") != std::string::npos && line.find("T_K") != std::string::npos) {
      EXPECT_FALSE(header) << "the header is printed once";
      header = true;
      continue;
    }
    ThermoLine t;
    std::istringstream fields(line);
    if (header && fields >> t.step >> t.time >> t.replica >> t.temperature >> t.pressure >>
                      t.volume >> t.potential_energy)
      parsed.push_back(t);
  }
  EXPECT_TRUE(header) << out;
  return parsed;
}

TEST(ConsoleConventions, MdPrintsThermoLinesOnStdoutAlsoWhenQuiet) {
  const std::string dir = testing::make_scratch_dir("console_md");
  std::ofstream(dir + "/input.json") << md_input(dir + "/out", "");
  const ConsoleResult quiet = run_glassland_console("run " + dir + "/input.json --quiet");
  ASSERT_EQ(quiet.status, 0) << quiet.err;
  EXPECT_EQ(quiet.err, "");  // no progress, no messages, no warning in this run
  const std::vector<ThermoLine> lines = thermo_lines(quiet.out);
  ASSERT_EQ(lines.size(), 6u) << quiet.out;  // steps 0, 5, 10 × 2 replicas

  // The printed values are results.h5's, to the printed precision.
  const hdf5::File results = hdf5::File::open_read_only(dir + "/out/results.h5");
  const auto steps = results.dataset("observables/temperature/step").read<int64_t>();
  const auto temperature = results.dataset("observables/temperature/value").read<double>();
  const auto energy = results.dataset("observables/potential_energy/value").read<double>();
  ASSERT_EQ(steps, (std::vector<int64_t>{0, 5, 10}));
  for (size_t k = 0; k < lines.size(); ++k) {
    EXPECT_EQ(lines[k].step, steps[k / 2]);
    EXPECT_EQ(lines[k].replica, static_cast<int>(k % 2));
    EXPECT_NEAR(lines[k].time, 0.002 * steps[k / 2], 1e-9);
    EXPECT_NEAR(lines[k].temperature, temperature[k], 0.0051);
    EXPECT_NEAR(lines[k].potential_energy, energy[k], 0.51e-6);
  }

  // Without --quiet: the same stdout, progress and messages on stderr.
  const ConsoleResult loud = run_glassland_console("run " + dir + "/input.json");
  ASSERT_EQ(loud.status, 0) << loud.err;
  EXPECT_EQ(loud.out, quiet.out);
  EXPECT_NE(loud.err.find("md: done, 10 steps"), std::string::npos) << loud.err;
  EXPECT_NE(loud.err.find("md: wrote"), std::string::npos) << loud.err;

  // output.thermo_print_stride: every other record; 0: none.
  std::ofstream(dir + "/sparse.json")
      << md_input(dir + "/sparse", R"(, "thermo_print_stride": 10)");
  const ConsoleResult sparse = run_glassland_console("run " + dir + "/sparse.json --quiet");
  ASSERT_EQ(sparse.status, 0) << sparse.err;
  const std::vector<ThermoLine> every_other = thermo_lines(sparse.out);
  ASSERT_EQ(every_other.size(), 4u) << sparse.out;
  EXPECT_EQ(every_other[2].step, 10);
  std::ofstream(dir + "/none.json") << md_input(dir + "/none", R"(, "thermo_print_stride": 0)");
  const ConsoleResult none = run_glassland_console("run " + dir + "/none.json --quiet");
  ASSERT_EQ(none.status, 0) << none.err;
  EXPECT_EQ(none.out, "");

  // A stride that is not a multiple of thermo_stride is an input error naming the key.
  std::ofstream(dir + "/odd.json") << md_input(dir + "/odd", R"(, "thermo_print_stride": 7)");
  const ConsoleResult odd = run_glassland_console("run " + dir + "/odd.json");
  EXPECT_EQ(WEXITSTATUS(odd.status), 2);
  EXPECT_NE(odd.err.find("output.thermo_print_stride: must be 0 or a multiple of thermo_stride"),
            std::string::npos)
      << odd.err;

  // Only md prints thermo lines: in prepare the key is unknown, not silently ignored.
  nlohmann::json prepare_input = testing::read_json_file(std::string(GLASSLAND_SOURCE_DIR) +
                                                         "/inputs/prepare/quickstart_glass.json");
  prepare_input["output"]["thermo_print_stride"] = 100;
  std::ofstream(dir + "/prepare.json") << prepare_input.dump();
  const ConsoleResult prepare = run_glassland_console("run " + dir + "/prepare.json --check");
  EXPECT_EQ(WEXITSTATUS(prepare.status), 2);
  EXPECT_NE(prepare.err.find("thermo_print_stride"), std::string::npos) << prepare.err;
}

TEST(ConsoleConventions, MinimizePrintsItsReplicasOnStdoutAlsoWhenQuiet) {
  const std::string dir = testing::make_scratch_dir("console_minimize");
  std::ofstream(dir + "/input.json") << R"({
  "task": "minimize",
  "system": {"build": {"lattice": "b2", "cells": [6, 6, 6], "seeds": [1, 2]}, "replicas": 2},
  "minimize": {"method": "cg", "ftol": 1e-4},
  "output": {"directory": ")" + dir + R"(/out"}
})";
  const ConsoleResult quiet = run_glassland_console("run " + dir + "/input.json --quiet");
  ASSERT_EQ(quiet.status, 0) << quiet.err;
  EXPECT_EQ(quiet.err, "");
  for (const char* replica : {"minimize: replica 0: ", "minimize: replica 1: "})
    EXPECT_NE(quiet.out.find(replica), std::string::npos) << quiet.out;
  const ConsoleResult loud = run_glassland_console("run " + dir + "/input.json");
  ASSERT_EQ(loud.status, 0) << loud.err;
  EXPECT_EQ(loud.out, quiet.out);
  EXPECT_NE(loud.err.find("minimize: wrote 2 inherent structures"), std::string::npos) << loud.err;
}

TEST(ConsoleConventions, MetadPrintsItsTracerTableOnStdoutAlsoWhenQuiet) {
  const std::string dir = testing::make_scratch_dir("console_metad");
  std::ofstream(dir + "/input.json") << R"({
  "task": "metad",
  "system": {"build": {"lattice": "b2", "cells": [6, 6, 6], "seeds": [3]}},
  "metad": {"temperature": 2000, "steps": 20, "thermostat": {"tau": 0.05},
            "tracers": {"atom_ids": [20]}, "pace": 10, "sigma": 0.3, "height": 0.05,
            "bias_temperature": 6000, "event_dwell": 0.2, "event_prominence": 0.1},
  "output": {"directory": ")" + dir + R"(/out", "thermo_stride": 10}
})";
  const ConsoleResult quiet = run_glassland_console("run " + dir + "/input.json --quiet");
  ASSERT_EQ(quiet.status, 0) << quiet.err;
  EXPECT_EQ(quiet.err, "");
  EXPECT_NE(quiet.out.find("metad: 1 tracers at 2000.0 K, 20 biased steps"), std::string::npos)
      << quiet.out;
  EXPECT_NE(quiet.out.find("effective barriers"), std::string::npos) << quiet.out;
  EXPECT_NE(quiet.out.find("        20 "), std::string::npos) << quiet.out;  // the tracer's row
}

}  // namespace
}  // namespace glassland
