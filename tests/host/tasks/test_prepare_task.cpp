// `glassland run` with task prepare (issue 3 item 4): per-replica cooling rates in one batch with
// the targets of the ramps, stops crossed at the steps computed from each ramp, inherent
// structures minimised on copies (the MD is the same with and without stops), exact restart after
// SIGKILL, and input errors naming the JSON path.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "host/io/hdf5_file.hpp"
#include "host/io/potential_files.hpp"
#include "tests/support/lammps_oracle.hpp"
#include "tests/support/program_runner.hpp"
#include "tests/support/test_requirements.hpp"

namespace glassland {
namespace {

namespace fs = std::filesystem;
using testing::read_json_file;
using testing::read_text_file;
using testing::start_glassland;
using testing::wait_for_exit;

const std::string kPotential = potential_file("CuZr_mm.eam.fs");

// Two 432-atom Cu50Zr50 replicas (different seeds): 100 steps at 2000 K, then cooling to 1000 K
// at 1e15 and 2e15 K/s with dt = 2 fs, i.e. 1000 K / (rate · dt) = 500 and 250 steps, then 50
// steps at 1000 K. Stage lengths: melt 100, cool 500 (the slower ramp), equilibrate 50.
std::string prepare_input(const std::string& directory, const std::string& stops,
                          int checkpoint_stride) {
  return R"({
  "task": "prepare",
  "system": {"build": {"lattice": "b2", "cells": [6, 6, 6], "seeds": [11, 12]}, "replicas": 2},
  "prepare": {
    "melt": {"temperature": 2000, "steps": 100},
    "cool": {"end_temperature": 1000, "rate": [1e15, 2e15], "stops": )" +
         stops + R"(},
    "equilibrate": {"steps": 50},
    "minimize": {"method": "cg", "ftol": 1e-3}
  },
  "output": {"directory": ")" +
         directory + R"(", "thermo_stride": 50, "checkpoint_stride": )" +
         std::to_string(checkpoint_stride) + R"(, "quiet": true}
})";
}

// docs/tasks.md names every key the run used, as `path`.
void expect_documented(const std::string& effective_input) {
  testing::expect_every_key_documented(effective_input, "docs/tasks.md", 10u);
}

TEST(PrepareTask, PerReplicaRampsStopsAndInherentStructures) {
  GLASSLAND_REQUIRE_LAMMPS();
  const std::string dir = testing::make_scratch_dir("prepare_task_ramps");
  std::ofstream(dir + "/stops.json") << prepare_input(dir + "/stops", "[1500]", 0);
  std::ofstream(dir + "/plain.json") << prepare_input(dir + "/plain", "[]", 0);
  ASSERT_EQ(wait_for_exit(start_glassland({"run", dir + "/stops.json"})), 0);
  ASSERT_EQ(wait_for_exit(start_glassland({"run", dir + "/plain.json"})), 0);

  const nlohmann::json summary = read_json_file(dir + "/stops/summary.json");
  EXPECT_EQ(summary["total_steps"].get<int64_t>(), 650);
  ASSERT_EQ(summary["stages"].size(), 3u);
  EXPECT_EQ(summary["stages"][1]["name"], "cool");
  EXPECT_EQ(summary["stages"][1]["first_step"].get<int64_t>(), 100);
  EXPECT_EQ(summary["stages"][1]["steps"].get<int64_t>(), 500);
  const auto& replicas = summary["replicas"];
  ASSERT_EQ(replicas.size(), 2u);
  EXPECT_EQ(replicas[0]["cooling_steps"].get<int64_t>(), 500);
  EXPECT_EQ(replicas[1]["cooling_steps"].get<int64_t>(), 250);

  // 1500 K is half-way down each ramp: step 100 + 250 for replica 0, 100 + 125 for replica 1.
  const int64_t expected_stop_step[2] = {350, 225};
  for (int r = 0; r < 2; ++r) {
    const auto& stops = replicas[r]["stops"];
    ASSERT_EQ(stops.size(), 1u) << "replica " << r;
    const auto& stop = stops[0];
    EXPECT_EQ(stop["step"].get<int64_t>(), expected_stop_step[r]) << "replica " << r;
    EXPECT_NEAR(stop["target_temperature_K"].get<double>(), 1500.0, 1e-9);
    const double is_energy = stop["minimization"]["final_energy_eV"].get<double>();
    EXPECT_LT(is_energy, stop["snapshot_potential_energy_eV"].get<double>());
    EXPECT_TRUE(stop["minimization"]["converged"].get<bool>());
    EXPECT_LT(stop["minimization"]["max_force_eV_per_A"].get<double>(), 1e-3);
    const std::string suffix = std::string("T1500K_000") + std::to_string(r) + ".data";
    EXPECT_TRUE(fs::exists(dir + "/stops/snapshot_" + suffix));
    // The inherent structure written is the minimised one: LAMMPS gives it the summary's energy.
    const auto evaluation = testing::lammps_evaluate(
        testing::make_scratch_dir("prepare_task_lammps_" + std::to_string(r)),
        dir + "/stops/is_" + suffix, "eam/fs", kPotential, {"Cu", "Zr"});
    EXPECT_NEAR(evaluation.energy, is_energy, 1e-6 * std::fabs(is_energy));

    const auto& final_is = replicas[r]["inherent_structure_minimization"];
    EXPECT_TRUE(final_is["converged"].get<bool>());
    EXPECT_LT(final_is["energy_per_atom_eV"].get<double>(),
              replicas[r]["final_potential_energy_per_atom_eV"].get<double>());
    EXPECT_NEAR(replicas[r]["final_temperature_K"].get<double>(), 1000.0, 150.0);
  }

  // Targets along the ramps, from the thermo record: at step 300 replica 0 is 200/500 of the way
  // (1600 K), replica 1 200/250 (1200 K); at step 400 replica 1 holds 1000 K.
  const hdf5::File results = hdf5::File::open_read_only(dir + "/stops/results.h5");
  const auto steps = results.dataset("observables/target_temperature/step").read<int64_t>();
  const auto targets = results.dataset("observables/target_temperature/value").read<double>();
  ASSERT_EQ(steps.size(), 14u);  // steps 0, 50, ..., 650
  auto target_at = [&](int64_t step, int r) { return targets[step / 50 * 2 + r]; };
  EXPECT_EQ(steps[6], 300);
  EXPECT_NEAR(target_at(100, 0), 2000.0, 1e-9);
  EXPECT_NEAR(target_at(300, 0), 1600.0, 1e-9);
  EXPECT_NEAR(target_at(300, 1), 1200.0, 1e-9);
  EXPECT_NEAR(target_at(400, 0), 1400.0, 1e-9);
  EXPECT_NEAR(target_at(400, 1), 1000.0, 1e-9);
  EXPECT_NEAR(target_at(650, 0), 1000.0, 1e-9);
  for (const char* observable : {"pressure", "volume", "enthalpy", "kinetic_energy"})
    EXPECT_EQ(
        results.dataset(std::string("observables/") + observable + "/value").read<double>().size(),
        28u)
        << observable;

  // Minimising the stops on copies leaves the dynamics untouched: the run without stops ends in
  // bitwise the same structures.
  for (const char* name : {"final_0000.data", "final_0001.data", "is_0000.data", "is_0001.data"})
    EXPECT_EQ(read_text_file(dir + "/stops/" + name), read_text_file(dir + "/plain/" + name))
        << name;
  EXPECT_FALSE(read_text_file(dir + "/plain/final_0000.data").empty());
  expect_documented(dir + "/stops/effective_input.json");
}

TEST(PrepareTask, KilledAndRestartedRunEndsBitwiseWhereTheUninterruptedRunEnds) {
  const std::string dir = testing::make_scratch_dir("prepare_task_restart");
  std::ofstream(dir + "/straight.json") << prepare_input(dir + "/straight", "[1500, 1200]", 120);
  std::ofstream(dir + "/killed.json") << prepare_input(dir + "/killed", "[1500, 1200]", 120);

  const auto start = std::chrono::steady_clock::now();
  ASSERT_EQ(wait_for_exit(start_glassland({"run", dir + "/straight.json"})), 0);
  const double duration =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  int kills = 0, resumes = 0;
  std::vector<std::string> arguments{"run", dir + "/killed.json"};
  // A kill counts only when the process died of it (under load a run may finish first).
  for (double fraction : {0.35, 0.3, 0.3}) {
    const pid_t pid = start_glassland(arguments);
    std::this_thread::sleep_for(std::chrono::duration<double>(fraction * duration));
    kill(pid, SIGKILL);
    const int status = wait_for_exit(pid);
    if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) {
      ++kills;
      // The next --restart resumes from a checkpoint (not from the beginning) when one exists.
      if (fs::exists(dir + "/killed/checkpoint.h5"))
        ++resumes;
    }
    arguments = {"run", dir + "/killed.json", "--restart"};
  }
  ASSERT_EQ(wait_for_exit(start_glassland(arguments)), 0);
  EXPECT_GE(kills, 1);
  EXPECT_GE(resumes, 1);

  for (const char* name : {"final_0000.data", "final_0001.data", "is_0000.data", "is_0001.data",
                           "snapshot_T1500K_0000.data", "is_T1200K_0001.data"})
    EXPECT_EQ(read_text_file(dir + "/straight/" + name), read_text_file(dir + "/killed/" + name))
        << name;
  EXPECT_FALSE(read_text_file(dir + "/killed/is_T1200K_0001.data").empty());

  const hdf5::File straight = hdf5::File::open_read_only(dir + "/straight/results.h5");
  const hdf5::File killed = hdf5::File::open_read_only(dir + "/killed/results.h5");
  const auto steps = killed.dataset("observables/temperature/step").read<int64_t>();
  ASSERT_EQ(steps.size(), 14u);
  for (size_t k = 0; k < steps.size(); ++k)
    EXPECT_EQ(steps[k], static_cast<int64_t>(50 * k));
  for (const char* observable : {"temperature", "potential_energy", "pressure", "volume"}) {
    const std::string path = std::string("observables/") + observable + "/value";
    EXPECT_EQ(straight.dataset(path).read<double>(), killed.dataset(path).read<double>())
        << observable;
  }
  // Every stop record survives the restarts exactly once.
  const nlohmann::json summary = read_json_file(dir + "/killed/summary.json");
  for (int r = 0; r < 2; ++r)
    EXPECT_EQ(summary["replicas"][r]["stops"].size(), 2u) << "replica " << r;
  EXPECT_EQ(summary["replicas"], read_json_file(dir + "/straight/summary.json")["replicas"]);
  EXPECT_FALSE(fs::exists(dir + "/killed/results.parts"));
  EXPECT_FALSE(fs::exists(dir + "/killed/checkpoint.h5"));  // spent once the results are merged
}

TEST(PrepareTask, InputErrorsNameTheJsonPath) {
  const std::string dir = testing::make_scratch_dir("prepare_task_errors");
  auto run_with = [&](const std::string& prepare) {
    std::ofstream(dir + "/input.json")
        << R"({"task": "prepare", "system": {"build": {"cells": [6, 6, 6]}}, "output": {"directory": ")" +
               dir + R"(/out", "quiet": true}, "prepare": )" + prepare + "}";
    const std::string command = std::string(GLASSLAND_PROGRAM) + " run " + dir + "/input.json 2>&1";
    FILE* pipe = popen(command.c_str(), "r");
    std::string output;
    char buffer[4096];
    while (size_t n = fread(buffer, 1, sizeof buffer, pipe))
      output.append(buffer, n);
    EXPECT_NE(pclose(pipe), 0) << prepare;
    return output;
  };
  EXPECT_NE(run_with(R"({"cool": {"end_temperature": 300}})").find("prepare.cool.rate"),
            std::string::npos);
  EXPECT_NE(run_with(R"({"cool": {"rate": 1e13, "stops": [2500]}})").find("prepare.cool.stops"),
            std::string::npos);
  EXPECT_NE(run_with(R"({"cool": {"rate": -1e13}})")
                .find("prepare.cool.rate: expected a positive number"),
            std::string::npos);
  EXPECT_NE(run_with(R"({"cool": {"rate": 1e13}, "melt": {"temprature": 1800}})")
                .find("prepare.melt.temprature: unknown key"),
            std::string::npos);
  EXPECT_NE(run_with(R"({"cool": {"rate": 1e13, "end_temperature": 2500}})")
                .find("prepare.cool.end_temperature"),
            std::string::npos);
}

}  // namespace
}  // namespace glassland
