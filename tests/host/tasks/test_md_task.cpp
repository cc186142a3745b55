// `glassland run` with task md: exact restart after SIGKILL (issue 3 item 6; with a strain rate
// and inherent structures on the fly, issue 21), errors naming the JSON path, and the results
// layout.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "host/io/hdf5_file.hpp"
#include "tests/support/lammps_oracle.hpp"
#include "tests/support/program_runner.hpp"

namespace glassland {
namespace {

namespace fs = std::filesystem;
using testing::read_text_file;
using testing::start_glassland;
using testing::wait_for_exit;

std::string md_input(const std::string& directory) {
  return R"({
  "task": "md",
  "system": {"build": {"lattice": "b2", "cells": [6, 6, 6], "seed": 3}, "replicas": 2},
  "md": {"steps": 300, "ensemble": "nvt", "temperature": [1500, 1200], "thermostat": {"tau": 0.05},
         "analysis": {"stride": 10, "max_lag": 8, "origin_stride": 2},
         "shear": {"strain_xy": [0.02, 0.0], "rate_yz": [0.0, 0.002]},
         "inherent_structures": {"stride": 100, "ftol": 1e-2}},
  "output": {"directory": ")" +
         directory + R"(", "thermo_stride": 10, "trajectory_stride": 50,
             "dump_stride": 30, "velocities": true, "checkpoint_stride": 40, "quiet": true,
             "thermo_print_stride": 0}
})";
}

TEST(MdTask, KilledAndRestartedRunEndsBitwiseWhereTheUninterruptedRunEnds) {
  const std::string dir = testing::make_scratch_dir("md_task_restart");
  std::ofstream(dir + "/straight.json") << md_input(dir + "/straight");
  std::ofstream(dir + "/killed.json") << md_input(dir + "/killed");

  const auto start = std::chrono::steady_clock::now();
  ASSERT_EQ(wait_for_exit(start_glassland({"run", dir + "/straight.json"})), 0);
  const double duration =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  // Kill the second run at several moments spread over its expected duration, restarting each
  // time, until a restart runs to completion.
  int kills = 0;
  std::vector<std::string> arguments{"run", dir + "/killed.json"};
  for (double fraction : {0.35, 0.5, 0.3}) {
    const pid_t pid = start_glassland(arguments);
    std::this_thread::sleep_for(std::chrono::duration<double>(fraction * duration));
    if (kill(pid, SIGKILL) == 0)
      ++kills;
    wait_for_exit(pid);
    arguments = {"run", dir + "/killed.json", "--restart"};
  }
  ASSERT_EQ(wait_for_exit(start_glassland(arguments)), 0);
  EXPECT_GE(kills, 1);

  for (const char* name : {"final_0000.data", "final_0001.data", "dynamics.json"})
    EXPECT_EQ(read_text_file(dir + "/straight/" + name), read_text_file(dir + "/killed/" + name))
        << name;

  // Thermo series: the same steps, no gap, no duplicate, bitwise the same values.
  const hdf5::File straight = hdf5::File::open_read_only(dir + "/straight/results.h5");
  const hdf5::File killed = hdf5::File::open_read_only(dir + "/killed/results.h5");
  const auto steps = killed.dataset("observables/temperature/step").read<int64_t>();
  ASSERT_EQ(steps.size(), 31u);
  for (size_t k = 0; k < steps.size(); ++k)
    EXPECT_EQ(steps[k], static_cast<int64_t>(10 * k));
  for (const char* observable :
       {"temperature", "potential_energy", "pressure", "conserved_energy", "pxy", "pyz",
        "inherent_structure/energy", "inherent_structure/pxy", "inherent_structure/iterations"}) {
    const std::string path = std::string("observables/") + observable + "/value";
    EXPECT_EQ(straight.dataset(path).read<double>(), killed.dataset(path).read<double>())
        << observable;
  }
  EXPECT_EQ(killed.dataset("observables/inherent_structure/energy/step").read<int64_t>(),
            (std::vector<int64_t>{0, 100, 200, 300}));
  // Frames: trajectory.h5md, a file of its own (results.h5 holds no particle group).
  EXPECT_FALSE(straight.exists("particles"));
  EXPECT_EQ(hdf5::File::open_read_only(dir + "/straight/trajectory.h5md")
                .dataset("particles/replica_0001/position/value")
                .read<double>(),
            hdf5::File::open_read_only(dir + "/killed/trajectory.h5md")
                .dataset("particles/replica_0001/position/value")
                .read<double>());
  EXPECT_FALSE(fs::exists(dir + "/killed/results.parts"));

  // LAMMPS dumps: cut back to the checkpoint's frames at each restart, so no frame is lost or
  // repeated: 11 frames (steps 0, 30, …, 300), bitwise those of the uninterrupted run.
  for (const char* dump : {"/dump/replica_0000.lammpstrj", "/dump/replica_0001.lammpstrj"}) {
    const std::string text = read_text_file(dir + "/killed" + dump);
    EXPECT_EQ(text, read_text_file(dir + "/straight" + dump)) << dump;
    size_t frames = 0;
    for (size_t at = text.find("ITEM: TIMESTEP"); at != std::string::npos;
         at = text.find("ITEM: TIMESTEP", at + 1))
      ++frames;
    EXPECT_EQ(frames, 11u) << dump;
  }

  // --restart with no checkpoint (a run killed before its first one, or a finished run) starts
  // from the beginning and writes the complete series, step 0 included.
  std::ofstream(dir + "/fresh.json") << md_input(dir + "/fresh");
  ASSERT_EQ(wait_for_exit(start_glassland({"run", dir + "/fresh.json", "--restart"})), 0);
  EXPECT_EQ(read_text_file(dir + "/straight/final_0001.data"),
            read_text_file(dir + "/fresh/final_0001.data"));
  EXPECT_EQ(hdf5::File::open_read_only(dir + "/fresh/results.h5")
                .dataset("observables/temperature/step")
                .read<int64_t>(),
            steps);
}

TEST(MdTask, InputErrorsNameTheJsonPath) {
  const std::string dir = testing::make_scratch_dir("md_task_errors");
  auto run_with = [&](const std::string& json) {
    std::ofstream(dir + "/input.json") << json;
    const std::string command = std::string(GLASSLAND_PROGRAM) + " run " + dir + "/input.json 2>&1";
    FILE* pipe = popen(command.c_str(), "r");
    std::string output;
    char buffer[4096];
    while (size_t n = fread(buffer, 1, sizeof buffer, pipe))
      output.append(buffer, n);
    EXPECT_NE(pclose(pipe), 0);
    return output;
  };
  const std::string base =
      R"("task": "md", "system": {"build": {"cells": [6, 6, 6]}}, "output": {"directory": ")" +
      dir + R"(/out", "quiet": true})";
  EXPECT_NE(run_with("{" + base + R"(, "md": {"steps": 10, "thermostat": {"tau": -1}}})")
                .find("md.thermostat.tau: expected a positive number, got -1"),
            std::string::npos);
  EXPECT_NE(run_with("{" + base + R"(, "md": {"steps": 10, "ensemble": "nvp"}})")
                .find("md.ensemble: expected one of"),
            std::string::npos);
  EXPECT_NE(run_with("{" + base + R"(, "md": {"steps": 10, "temprature": 300}})")
                .find("md.temprature: unknown key"),
            std::string::npos);
  EXPECT_NE(run_with("{" + base + R"(, "md": {"steps": 10.5}})").find("md.steps"),
            std::string::npos);
  // Physically absurd targets (issue 16): errors naming the key and the range, not a run.
  const std::string too_hot =
      run_with("{" + base + R"(, "md": {"steps": 10, "temperature": 1e9}})");
  EXPECT_NE(too_hot.find("md.temperature: expected a temperature in [0, 100000] K"),
            std::string::npos)
      << too_hot;
  const std::string crushed = run_with(
      "{" + base + R"(, "md": {"steps": 10, "ensemble": "npt", "barostat": {"pressure": 1e10}}})");
  EXPECT_NE(crushed.find("md.barostat.pressure: expected a pressure in [-1e6, 1e6] bar"),
            std::string::npos)
      << crushed;
  const std::string torn =
      run_with("{" + base + R"(, "md": {"steps": 10, "shear": {"strain_xy": 5}}})");
  EXPECT_NE(torn.find("md.shear.strain_xy"), std::string::npos) << torn;
  EXPECT_NE(torn.find("a strain in [-0.5, 0.5]"), std::string::npos) << torn;
  const std::string ramp =
      run_with("{" + base + R"(, "md": {"steps": 10, "ramp": {"end_temperature": 2e5}}})");
  EXPECT_NE(ramp.find("md.ramp.end_temperature: expected a temperature"), std::string::npos)
      << ramp;
}

// A run's effective_input.json is an input: run again, it gives the same run (docs/sweep.md says a
// point's effective input can be re-run). The defaults that stand for another key's value (the
// created velocities' temperature is the target temperature) are recorded as the values used.
TEST(MdTask, EffectiveInputRunsAgainAsTheSameRun) {
  const std::string dir = testing::make_scratch_dir("md_task_effective_input");
  std::ofstream(dir + "/input.json") << R"({"task": "md",
  "system": {"build": {"lattice": "b2", "cells": [6, 6, 6], "seed": 3}, "replicas": 2},
  "md": {"steps": 30, "ensemble": "nvt", "temperature": [900, 1100], "thermostat": {"tau": 0.05}},
  "output": {"directory": ")" + dir + R"(/first", "quiet": true}})";
  ASSERT_EQ(wait_for_exit(start_glassland({"run", dir + "/input.json"})), 0);

  nlohmann::json effective =
      nlohmann::json::parse(read_text_file(dir + "/first/effective_input.json"));
  EXPECT_EQ(effective["md"]["initial_temperature"], nlohmann::json({900.0, 1100.0}));
  effective["output"]["directory"] = dir + "/second";
  std::ofstream(dir + "/effective.json") << effective.dump(2);
  ASSERT_EQ(wait_for_exit(start_glassland({"run", dir + "/effective.json"})), 0);
  for (const char* name : {"final_0000.data", "final_0001.data"})
    EXPECT_EQ(read_text_file(dir + "/first/" + name), read_text_file(dir + "/second/" + name))
        << name;
}

}  // namespace
}  // namespace glassland
