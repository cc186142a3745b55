// What a run does with the output directory it finds (issue 16 items 6 and 7): a fresh run
// refuses a directory holding another run's results unless --overwrite clears it first; a
// --restart refuses an input whose physics differs from the checkpointed run's, naming the keys,
// and allows the documented exceptions (more steps).
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "tests/support/lammps_oracle.hpp"
#include "tests/support/program_runner.hpp"

namespace glassland {
namespace {

namespace fs = std::filesystem;
using testing::read_json_file;
using testing::read_text_file;
using testing::run_glassland;
using testing::start_glassland;
using testing::wait_for_exit;

std::string md_input(const std::string& directory, int replicas, double temperature, int steps,
                     int checkpoint_stride = 0) {
  return R"({"task": "md",
  "system": {"build": {"lattice": "b2", "cells": [6, 6, 6], "seed": 3}, "replicas": )" +
         std::to_string(replicas) + R"(},
  "md": {"steps": )" +
         std::to_string(steps) + R"(, "temperature": )" + std::to_string(temperature) + R"(},
  "output": {"directory": ")" +
         directory + R"(", "thermo_stride": 10, "checkpoint_stride": )" +
         std::to_string(checkpoint_stride) + R"(, "quiet": true}})";
}

TEST(RunDirectory, AFreshRunRefusesAnotherRunsResultsAndOverwriteClearsThemFirst) {
  const std::string dir = testing::make_scratch_dir("run_directory_overwrite");
  const std::string out = dir + "/out";
  std::ofstream(dir + "/a.json") << md_input(out, 2, 900, 20);
  std::ofstream(dir + "/b.json") << md_input(out, 1, 1200, 20);
  ASSERT_EQ(run_glassland("run " + dir + "/a.json").status, 0);
  ASSERT_TRUE(fs::exists(out + "/final_0001.data"));
  const std::string first = read_text_file(out + "/final_0000.data");

  // Another input into the same directory: refused, nothing of the first run touched.
  const auto refused = run_glassland("run " + dir + "/b.json");
  EXPECT_NE(refused.status, 0);
  EXPECT_NE(refused.output.find(out + ": holds the results of another run"), std::string::npos)
      << refused.output;
  EXPECT_NE(refused.output.find("md.temperature"), std::string::npos) << refused.output;
  EXPECT_NE(refused.output.find("system.replicas"), std::string::npos) << refused.output;
  EXPECT_NE(refused.output.find("--overwrite"), std::string::npos) << refused.output;
  EXPECT_EQ(read_text_file(out + "/final_0000.data"), first);
  EXPECT_EQ(read_json_file(out + "/effective_input.json")["md"]["temperature"], 900.0);

  // With --overwrite the first run's files are gone, not mixed with the second's.
  const auto overwritten = run_glassland("run " + dir + "/b.json --overwrite");
  ASSERT_EQ(overwritten.status, 0) << overwritten.output;
  EXPECT_FALSE(fs::exists(out + "/final_0001.data"));
  EXPECT_TRUE(fs::exists(out + "/final_0000.data"));
  EXPECT_EQ(read_json_file(out + "/effective_input.json")["md"]["temperature"], 1200.0);

  // The same input again repeats that run: allowed.
  EXPECT_EQ(run_glassland("run " + dir + "/b.json").status, 0);

  // --overwrite never removes the working directory or the input file.
  std::ofstream(out + "/inside.json") << md_input(out, 1, 1500, 20);
  const auto inside = run_glassland("run " + out + "/inside.json --overwrite");
  EXPECT_NE(inside.status, 0);
  EXPECT_NE(inside.output.find("would remove the input file"), std::string::npos) << inside.output;
  EXPECT_TRUE(fs::exists(out + "/inside.json"));
}

TEST(RunDirectory, RestartRefusesChangedPhysicsAndAllowsMoreSteps) {
  const std::string dir = testing::make_scratch_dir("run_directory_restart");
  std::ofstream(dir + "/straight.json") << md_input(dir + "/straight", 1, 1500, 400, 40);
  std::ofstream(dir + "/killed.json") << md_input(dir + "/killed", 1, 1500, 300, 40);
  std::ofstream(dir + "/hotter.json") << md_input(dir + "/killed", 1, 1600, 300, 40);
  std::ofstream(dir + "/shorter.json") << md_input(dir + "/killed", 1, 1500, 20, 40);
  std::ofstream(dir + "/longer.json") << md_input(dir + "/killed", 1, 1500, 400, 40);
  ASSERT_EQ(run_glassland("run " + dir + "/straight.json").status, 0);

  // Kill the 300-step run once it has written a checkpoint (at step 40 or later).
  const std::string checkpoint = dir + "/killed/checkpoint.h5";
  const pid_t pid = start_glassland({"run", dir + "/killed.json"});
  bool exited = false;
  while (!fs::exists(checkpoint)) {
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) {
      exited = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  ASSERT_FALSE(exited) << "the run ended before its first checkpoint";
  ASSERT_EQ(kill(pid, SIGKILL), 0);
  wait_for_exit(pid);
  ASSERT_TRUE(fs::exists(checkpoint));

  const auto hotter = run_glassland("run " + dir + "/hotter.json --restart");
  EXPECT_NE(hotter.status, 0);
  EXPECT_NE(hotter.output.find(checkpoint + ": --restart with an input that differs"),
            std::string::npos)
      << hotter.output;
  EXPECT_NE(hotter.output.find("md.temperature"), std::string::npos) << hotter.output;

  const auto shorter = run_glassland("run " + dir + "/shorter.json --restart");
  EXPECT_NE(shorter.status, 0);
  EXPECT_NE(shorter.output.find("beyond md.steps = 20"), std::string::npos) << shorter.output;

  // More steps: the killed run continues to 400 and ends where a 400-step run ends.
  const auto longer = run_glassland("run " + dir + "/longer.json --restart");
  ASSERT_EQ(longer.status, 0) << longer.output;
  EXPECT_EQ(read_text_file(dir + "/killed/final_0000.data"),
            read_text_file(dir + "/straight/final_0000.data"));
  EXPECT_EQ(read_json_file(dir + "/killed/effective_input.json")["md"]["steps"], 400);
}

}  // namespace
}  // namespace glassland
