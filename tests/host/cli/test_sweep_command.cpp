// `glassland sweep` and `glassland run --check` as a user runs them (docs/sweep.md): inputs
// checked without running or writing anything, an invalid point stopping the sweep before any
// runs, a point that blows up recorded while the others complete, and — with MPI — per-point
// results of `mpirun -np 2` bitwise equal to one process's, and a sweep whose mpirun was killed
// (SIGKILL) and rerun with --restart ending where the uninterrupted one ends.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "analysis/regression.hpp"
#include "host/io/hdf5_file.hpp"
#include "tests/support/lammps_oracle.hpp"
#include "tests/support/program_runner.hpp"

namespace glassland {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using testing::read_json_file;
using testing::read_text_file;

std::string source(const std::string& path) {
  return std::string(GLASSLAND_SOURCE_DIR) + "/" + path;
}

// `command` through the shell in `directory`; stdout and stderr together.
testing::ProgramResult run_in(const std::string& directory, const std::string& command) {
  FILE* pipe = popen(("cd " + directory + " && " + command + " 2>&1").c_str(), "r");
  testing::ProgramResult result;
  char buffer[4096];
  while (size_t n = fread(buffer, 1, sizeof buffer, pipe))
    result.output.append(buffer, n);
  result.status = pclose(pipe);
  return result;
}

std::string glassland(const std::string& arguments) {
  return std::string(GLASSLAND_PROGRAM) + " " + arguments;
}

TEST(RunCheck, ChecksTheExampleInputsWithoutRunningOrWritingAnything) {
  const std::string dir = testing::make_scratch_dir("run_check");
  for (const char* input : {"inputs/md/liquid_nvt.json", "inputs/prepare/quickstart_glass.json",
                            "inputs/metad/quick_liquid.json"}) {
    const auto r = run_in(dir, glassland("run --check " + source(input)));
    EXPECT_EQ(r.status, 0) << input << ": " << r.output;
    EXPECT_NE(r.output.find(" is valid; nothing was run (--check)"), std::string::npos) << r.output;
  }
  EXPECT_TRUE(fs::is_empty(dir)) << "--check wrote into the working directory";
  // A mistake is the same error a run gives (exit status 2).
  std::ofstream(dir + "/bad.json")
      << R"({"task": "md", "system": {"build": {"cells": [6, 6, 6]}}, "md": {"steps": 10,
            "temperature": 300, "thermostat": {"tau": -1}}, "output": {"directory": "x"}})";
  const auto bad = run_in(dir, glassland("run --check bad.json"));
  EXPECT_EQ(WEXITSTATUS(bad.status), 2);
  EXPECT_NE(bad.output.find("bad.json: md.thermostat.tau: expected a positive number, got -1"),
            std::string::npos)
      << bad.output;
  EXPECT_FALSE(fs::exists(dir + "/x"));
}

std::string md_base(int steps, const std::string& output_extra = "") {
  return R"({"task": "md",
     "system": {"build": {"lattice": "b2", "cells": [6, 6, 6], "seed": 3}},
     "md": {"steps": )" +
         std::to_string(steps) + R"(, "ensemble": "nvt", "temperature": 1500,
            "thermostat": {"tau": 0.05}},
     "output": {"thermo_stride": 10, "trajectory_stride": 50)" +
         output_extra + "}}";
}

TEST(SweepCommand, AnInvalidPointIsAnInputErrorNamingTheAxisAndValueBeforeAnythingRuns) {
  const std::string dir = testing::make_scratch_dir("sweep_command_invalid");
  std::ofstream(dir + "/s.json") << R"({"base": )" << md_base(10) << R"(,
    "axes": {"system.build.seed": [1, 2], "md.thermostat.tau": [0.05, -1]},
    "output": {"directory": "out"}})";
  const auto r = run_in(dir, glassland("sweep s.json"));
  EXPECT_EQ(WEXITSTATUS(r.status), 2) << r.output;
  EXPECT_NE(r.output.find("glassland: error: s.json: point 0001 (axis md.thermostat.tau = -1) is "
                          "not a valid input: s.json (base) [point 0001: system.build.seed=1, "
                          "md.thermostat.tau=-1]: md.thermostat.tau: expected a positive number, "
                          "got -1"),
            std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("  0003   2                  -1                 run"), std::string::npos)
      << "the points are listed first:\n"
      << r.output;
  EXPECT_FALSE(fs::exists(dir + "/out/points"));
}

TEST(SweepCommand, APointThatBlowsUpIsReportedAndTheOthersComplete) {
  const std::string dir = testing::make_scratch_dir("sweep_command_failure");
  // A 0.05 ps time step at 1500 K moves an atom more than 1 Å in the first step: the replica
  // fault check stops the point (a 3e6 bar point, used before, is now refused as an input).
  std::ofstream(dir + "/s.json") << R"({"base": {"task": "md",
      "system": {"build": {"lattice": "b2", "cells": [6, 6, 6], "seed": 3}},
      "md": {"steps": 300, "ensemble": "nvt", "temperature": 1500, "thermostat": {"tau": 0.05}},
      "output": {"thermo_stride": 10}},
    "axes": {"md.timestep": [0.05, 0.002]},
    "output": {"directory": "out"}})";
  const auto r = run_in(dir, glassland("sweep s.json"));
  EXPECT_EQ(WEXITSTATUS(r.status), 1) << r.output;
  EXPECT_NE(r.output.find("sweep: point 0000 (md.timestep=0.05) FAILED"), std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("sweep: 1 finished, 1 failed, 0 not run"), std::string::npos);
  const json summary = read_json_file(dir + "/out/sweep_summary.json");
  EXPECT_EQ(summary["points"][0]["status"], "failed");
  EXPECT_NE(summary["points"][0]["error"].get<std::string>().find(
                "time step 0.05 ps too large at 1500 K"),
            std::string::npos);
  EXPECT_EQ(summary["points"][1]["status"], "finished");
  EXPECT_TRUE(fs::exists(dir + "/out/points/0001/final_0000.data"));
  const json status = read_json_file(dir + "/out/points/0000/status.json");
  EXPECT_EQ(status["status"], "failed");
  EXPECT_EQ(status["error"], summary["points"][0]["error"]);
}

// A fresh sweep over the directory of a sweep with another base: each point's task refuses to mix
// its results with the other input's (naming the changed key); --overwrite clears the point
// directories first, keeping the sweep's own record of each point (status.json, run.log).
TEST(SweepCommand, AFreshSweepOverAnotherInputsResultsNeedsOverwrite) {
  const std::string dir = testing::make_scratch_dir("sweep_command_overwrite");
  const auto write = [&](int seed) {
    std::string base = md_base(20);
    base.replace(base.find(R"("seed": 3)"), 9, R"("seed": )" + std::to_string(seed));
    std::ofstream(dir + "/s.json") << R"({"base": )" << base << R"(,
      "axes": {"md.temperature": [1200, 1500]}, "output": {"directory": "out"}})";
  };
  write(3);
  ASSERT_EQ(run_in(dir, glassland("sweep -q s.json")).status, 0);
  write(4);
  const auto refused = run_in(dir, glassland("sweep -q s.json"));
  EXPECT_EQ(WEXITSTATUS(refused.status), 1) << refused.output;
  const json summary = read_json_file(dir + "/out/sweep_summary.json");
  for (const json& p : summary["points"]) {
    EXPECT_EQ(p["status"], "failed");
    EXPECT_NE(p["error"].get<std::string>().find("differs in system.build.seed"), std::string::npos)
        << p["error"];
  }
  const auto r = run_in(dir, glassland("sweep -q --overwrite s.json"));
  ASSERT_EQ(r.status, 0) << r.output;
  for (const char* point : {"0000", "0001"}) {
    const std::string d = dir + "/out/points/" + point;
    EXPECT_EQ(read_json_file(d + "/effective_input.json")["system"]["build"]["seed"], 4);
    EXPECT_EQ(read_json_file(d + "/status.json")["status"], "finished");
    EXPECT_NE(read_text_file(d + "/run.log").find("md"), std::string::npos);  // the task's log
  }
}

// `glassland analyze fit --model arrhenius` on a table of (T, D) written here, by hand, from the
// points' dynamics.json: the chain's Q, D0 and ln D0 with their errors are its numbers to the
// last bit, and so are those of the command the chain names (on the chain's own table); sweep.h5
// holds the same D(T) and fit.
void expect_arrhenius_as_analyze_fit(const std::string& dir, const json& diffusion,
                                     const std::vector<double>& T, const std::vector<double>& D) {
  std::string csv = "temperature_K,D_m2_per_s\n";
  for (size_t k = 0; k < T.size(); ++k) {
    char row[96];
    std::snprintf(row, sizeof row, "%.17g,%.17g\n", T[k], D[k]);
    csv += row;
  }
  std::ofstream(dir + "/by_hand.csv") << csv;
  const auto by_hand = run_in(
      dir, glassland("analyze fit --model arrhenius --x temperature_K --y D_m2_per_s by_hand.csv"));
  ASSERT_EQ(by_hand.status, 0) << by_hand.output;
  const json fit = json::parse(by_hand.output)["parameters"];
  ASSERT_TRUE(diffusion["command"].is_string()) << diffusion.dump(1);
  const auto named = run_in(
      dir, std::string(GLASSLAND_PROGRAM) + diffusion["command"].get<std::string>().substr(9));
  ASSERT_EQ(named.status, 0) << named.output;
  EXPECT_EQ(json::parse(named.output)["parameters"], fit);
  const json& a = diffusion["arrhenius"];
  for (const auto& [ours, theirs] : {std::pair<const char*, const char*>{"Q_eV", "Q_eV"},
                                     {"D0_m2_per_s", "prefactor"},
                                     {"ln_D0", "ln_prefactor"}}) {
    EXPECT_EQ(a[ours]["value"], fit[theirs]["value"]) << ours;
    EXPECT_EQ(a[ours]["error"], fit[theirs]["error"]) << ours;
  }
  const hdf5::File h5 = hdf5::File::open_read_only(dir + "/out/sweep.h5");
  const hdf5::Group g = h5.group("chain/diffusion");
  std::vector<double> d_h5 = g.dataset("D_m2_per_s").read<double>();
  EXPECT_EQ(d_h5.size(), diffusion["series"].size());
  for (size_t k = 0; k < d_h5.size(); ++k)
    EXPECT_EQ(d_h5[k], diffusion["series"][k]["D_m2_per_s"]["value"].get<double>());
  const hdf5::Group h5_fit = g.group("arrhenius");
  EXPECT_EQ(h5_fit.dataset("temperature_K").read<double>(), T);
  EXPECT_EQ(h5_fit.double_attribute("Q_eV"), fit["Q_eV"]["value"].get<double>());
  EXPECT_EQ(h5_fit.double_attribute("Q_eV_error"), fit["Q_eV"]["error"].get<double>());
  EXPECT_EQ(h5_fit.double_attribute("D0_m2_per_s"), fit["prefactor"]["value"].get<double>());
  EXPECT_EQ(h5_fit.double_attribute("D0_m2_per_s_error"), fit["prefactor"]["error"].get<double>());
}

// An md sweep over temperature with md.analysis: the chain collects each point's D (its
// dynamics.json) and fits D(T) = D0 exp(−Q/k_BT) — the same Q and D0 as the Arrhenius fit made
// here by hand from the points' own dynamics.json files.
TEST(SweepCommand, AnMdSweepFitsDiffusionOverTemperatureAsByHandFromThePoints) {
  const std::string dir = testing::make_scratch_dir("sweep_command_diffusion");
  std::string base = md_base(300);
  const std::string thermostat = R"("thermostat": {"tau": 0.05})";
  base.replace(base.find(thermostat), thermostat.size(),
               thermostat + R"(, "analysis": {"stride": 5, "max_lag": 30, "origin_stride": 2})");
  std::ofstream(dir + "/s.json") << R"({"base": )" << base << R"(,
    "axes": {"md.temperature": [2200, 2600, 3000]}, "output": {"directory": "out"}})";
  const auto r = run_in(dir, glassland("sweep -q s.json"));
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("diffusion D(T) over 3 series: Q = "), std::string::npos) << r.output;
  const json chain = read_json_file(dir + "/out/sweep_summary.json")["chain"];
  const json& series = chain["diffusion"]["series"];
  ASSERT_EQ(series.size(), 3u) << chain.dump(1);
  std::vector<double> T, D;
  for (int k = 0; k < 3; ++k) {
    const json point =
        read_json_file(dir + "/out/points/000" + std::to_string(k) + "/dynamics.json");
    const json& d = point["series"][0]["diffusion_m2_per_s"]["all"];
    T.push_back(point["series"][0]["temperature_K"].get<double>());
    D.push_back(d["value"].get<double>());
    EXPECT_EQ(series[k]["point"], k);
    EXPECT_EQ(series[k]["D_m2_per_s"]["value"], d["value"]);
    EXPECT_EQ(series[k]["D_m2_per_s"]["stderr"], d["stderr"]);
  }
  EXPECT_EQ(T, (std::vector<double>{2200, 2600, 3000}));
  const analysis::ArrheniusFit fit = analysis::arrhenius_fit(T, D);
  const json& a = chain["diffusion"]["arrhenius"];
  EXPECT_EQ(a["Q_eV"]["value"].get<double>(), fit.Q_eV);
  EXPECT_EQ(a["Q_eV"]["error"].get<double>(), fit.Q_error_eV);
  EXPECT_EQ(a["D0_m2_per_s"]["value"].get<double>(), fit.prefactor);
  EXPECT_GT(fit.Q_eV, 0.0);  // D rises with T
  expect_arrhenius_as_analyze_fit(dir, chain["diffusion"], T, D);
}

// A point whose md run ends with one of its two replicas failed (exit status 3 of `glassland run`,
// faults.json) is finished_with_failures, not failed: the failed replica is named, the other
// replica's D enters D(T) (as analyze fit gives on it by hand), the sweep exits with 3, and
// --restart passes over the point.
TEST(SweepCommand, AnMdPointWithAFailedReplicaKeepsTheOtherForTheChainAndIsNotRerun) {
  const std::string dir = testing::make_scratch_dir("sweep_command_replica_failure");
  std::ofstream(dir + "/seed.json") << R"({"task": "md",
    "system": {"build": {"lattice": "b2", "cells": [6, 6, 6], "seed": 3}},
    "md": {"steps": 20, "temperature": 1000}, "output": {"directory": "seed", "quiet": true}})";
  ASSERT_EQ(run_in(dir, glassland("run seed.json")).status, 0);
  // Replica 1: atom 1 at 3000 Å/ps moves 6 Å in the first 2 fs step; the fault check stops it.
  std::string fast;
  bool in_velocities = false, replaced = false;
  std::istringstream seed(read_text_file(dir + "/seed/final_0000.data"));
  for (std::string line; std::getline(seed, line);) {
    in_velocities = in_velocities || line.rfind("Velocities", 0) == 0;
    if (in_velocities && !replaced && line.rfind("1 ", 0) == 0) {
      line = "1 3000 0 0";
      replaced = true;
    }
    fast += line + "\n";
  }
  ASSERT_TRUE(replaced);
  std::ofstream(dir + "/fast.data") << fast;
  std::ofstream(dir + "/s.json") << R"({"base": {"task": "md",
      "system": {"structures": ["seed/final_0000.data", "fast.data"]},
      "md": {"steps": 300, "ensemble": "nvt", "temperature": 1500, "velocities": "from_structure",
             "thermostat": {"tau": 0.05},
             "analysis": {"stride": 5, "max_lag": 30, "origin_stride": 2}},
      "output": {"thermo_stride": 10}},
    "axes": {"md.temperature": [2200, 2600, 3000]}, "output": {"directory": "out"}})";
  const auto r = run_in(dir, glassland("sweep -q s.json"));
  EXPECT_EQ(WEXITSTATUS(r.status), 3) << r.output;
  EXPECT_NE(r.output.find("sweep: 0 finished, 3 finished with failed replicas, 0 failed"),
            std::string::npos)
      << r.output;
  const json summary = read_json_file(dir + "/out/sweep_summary.json");
  EXPECT_EQ(summary["counts"]["finished_with_failures"], 3);
  std::vector<double> T, D;
  for (const json& p : summary["points"]) {
    EXPECT_EQ(p["status"], "finished_with_failures");
    ASSERT_EQ(p["failed_replicas"].size(), 1u) << p.dump(1);
    EXPECT_EQ(p["failed_replicas"][0]["replica"], 1);
    EXPECT_EQ(p["failed_replicas"][0]["cause"], "step_too_long");
    const std::string point = dir + "/" + p["directory"].get<std::string>();  // relative to dir
    EXPECT_EQ(p["failed_replicas"], read_json_file(point + "/faults.json")["failures"]);
    const json dynamics = read_json_file(point + "/dynamics.json");
    EXPECT_EQ(dynamics["series"][0]["source"], "replica 0");
    T.push_back(dynamics["series"][0]["temperature_K"].get<double>());
    D.push_back(dynamics["series"][0]["diffusion_m2_per_s"]["all"]["value"].get<double>());
  }
  const json& diffusion = summary["chain"]["diffusion"];
  ASSERT_EQ(diffusion["series"].size(), 3u) << diffusion.dump(1);  // replica 0 of each point
  for (const json& row : diffusion["series"])
    EXPECT_EQ(row["source"], "replica 0");
  expect_arrhenius_as_analyze_fit(dir, diffusion, T, D);

  const auto again = run_in(dir, glassland("sweep -q --restart s.json"));
  EXPECT_EQ(WEXITSTATUS(again.status), 3) << again.output;
  size_t passed_over = 0;
  for (size_t at = again.output.find("done, replicas failed (passed over)");
       at != std::string::npos;
       at = again.output.find("done, replicas failed (passed over)", at + 1))
    ++passed_over;
  EXPECT_EQ(passed_over, 3u) << again.output;
  // Bound first: a range-for over a member of a temporary would iterate a destroyed object.
  const json sweep_summary = read_json_file(dir + "/out/sweep_summary.json");
  for (const json& p : sweep_summary["points"])
    EXPECT_EQ(p["attempt"], 1) << p.dump();
}

#ifdef GLASSLAND_HAVE_MPI

// mpiexec with Open MPI's flags for this machine (root, more ranks than cores).
std::string mpiexec(int ranks) {
  std::string command = std::string(GLASSLAND_MPIEXEC) + " -np " + std::to_string(ranks);
  const auto version = run_in(".", std::string(GLASSLAND_MPIEXEC) + " --version");
  if (version.output.find("OpenRTE") != std::string::npos ||
      version.output.find("open-mpi.org") != std::string::npos) {
    command += " --oversubscribe";
    if (geteuid() == 0)
      command += " --allow-run-as-root";
  }
  return command + " ";
}

// Every dataset of two HDF5 files: the same names, shapes and bytes.
void expect_same_datasets(const hdf5::Group& a, const hdf5::Group& b, const std::string& where) {
  ASSERT_EQ(a.member_names(), b.member_names()) << where;
  for (const std::string& name : a.member_names()) {
    if (a.is_group(name)) {
      expect_same_datasets(a.group(name), b.group(name), where + "/" + name);
      continue;
    }
    const hdf5::Dataset da = a.dataset(name), db = b.dataset(name);
    ASSERT_EQ(da.shape(), db.shape()) << where << "/" << name;
    if (da.element_type() == hdf5::ElementType::string) {
      EXPECT_EQ(da.read_strings(), db.read_strings()) << where << "/" << name;
    } else if (da.element_type() == hdf5::ElementType::float64) {
      const std::vector<double> x = da.read<double>(), y = db.read<double>();
      EXPECT_EQ(std::memcmp(x.data(), y.data(), x.size() * sizeof(double)), 0)
          << where << "/" << name;
    } else if (da.element_type() == hdf5::ElementType::int32) {
      EXPECT_EQ(da.read<int32_t>(), db.read<int32_t>()) << where << "/" << name;
    } else {
      EXPECT_EQ(da.read<int64_t>(), db.read<int64_t>()) << where << "/" << name;
    }
  }
}

// Each point's results: the task's own files (data, JSON) byte for byte, results.h5 and
// trajectory.h5md dataset by dataset (HDF5 stamps object times, so their bytes differ run to run).
void expect_same_point_results(const std::string& a, const std::string& b, int points) {
  for (int k = 0; k < points; ++k) {
    char name[32];
    std::snprintf(name, sizeof name, "/points/%04d", k);
    int compared = 0;
    for (const auto& entry : fs::directory_iterator(a + name)) {
      const std::string file = entry.path().filename().string();
      if (file == "status.json" || file == "run.log")
        continue;  // the point's record: rank, host, times
      ++compared;
      if (file == "results.h5" || file == "trajectory.h5md")
        expect_same_datasets(hdf5::File::open_read_only(a + name + "/" + file),
                             hdf5::File::open_read_only(b + name + "/" + file), name);
      else
        EXPECT_EQ(read_text_file(a + name + "/" + file), read_text_file(b + name + "/" + file))
            << name << "/" << file;
    }
    EXPECT_GE(compared, 3) << name;  // effective_input.json, results.h5, final_0000.data
    EXPECT_EQ(read_json_file(b + name + "/status.json")["status"], "finished");
  }
}

std::string write_sweep(const std::string& dir, int steps) {
  fs::create_directories(dir);
  std::ofstream(dir + "/s.json") << R"({"base": )"
                                 << md_base(steps, R"(, "checkpoint_stride": 100)") << R"(,
    "axes": {"md.temperature": [1200, 1500], "system.build.seed": [1, 2]},
    "output": {"directory": "out"}})";
  return dir;
}

TEST(SweepCommandMpi, TwoRanksGiveBitwiseThePerPointResultsOfOneProcess) {
  const std::string dir = testing::make_scratch_dir("sweep_command_mpi");
  const std::string one = write_sweep(dir + "/one", 300), two = write_sweep(dir + "/two", 300);
  const auto r1 = run_in(one, glassland("sweep -q s.json"));
  ASSERT_EQ(r1.status, 0) << r1.output;
  const auto r2 = run_in(two, mpiexec(2) + glassland("sweep -q s.json"));
  ASSERT_EQ(r2.status, 0) << r2.output;
  expect_same_point_results(one + "/out", two + "/out", 4);
  // Both ranks took points (dynamic distribution: the first two points start together).
  const json summary = read_json_file(two + "/out/sweep_summary.json");
  std::set<int> ranks;
  for (const json& p : summary["points"])
    ranks.insert(p["rank"].get<int>());
  EXPECT_EQ(ranks, (std::set<int>{0, 1})) << summary.dump(1);
}

// Whether a process whose command line contains `text` is still running (ranks outlive a killed
// mpirun for a moment).
bool process_running(const std::string& text) {
  for (const auto& entry : fs::directory_iterator("/proc")) {
    std::ifstream in(entry.path() / "cmdline");
    std::string cmdline((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::replace(cmdline.begin(), cmdline.end(), '\0', ' ');
    if (cmdline.find(text) != std::string::npos && cmdline.find("sweep") != std::string::npos)
      return true;
  }
  return false;
}

TEST(SweepCommandMpi, KilledMpirunAndRestartEndsWhereTheUninterruptedSweepEnds) {
  const std::string dir = testing::make_scratch_dir("sweep_command_kill");
  const std::string straight = write_sweep(dir + "/straight", 1500);
  const std::string killed = write_sweep(dir + "/killed", 1500);
  const auto start = std::chrono::steady_clock::now();
  ASSERT_EQ(run_in(straight, mpiexec(2) + glassland("sweep -q s.json")).status, 0);
  const double duration =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  // mpirun as the process group leader of a shell of its own, so that the kill reaches it alone.
  int kills = 0;
  bool resumed = false;  // a kill interrupted a running point (checked after each kill)
  std::string arguments = "sweep -q " + killed + "/s.json";
  for (double fraction : {0.4, 0.3}) {
    const pid_t pid = fork();
    if (pid == 0) {
      chdir(killed.c_str());
      execl("/bin/sh", "sh", "-c", ("exec " + mpiexec(2) + glassland(arguments)).c_str(), nullptr);
      _exit(127);
    }
    std::this_thread::sleep_for(std::chrono::duration<double>(fraction * duration));
    if (kill(pid, SIGKILL) == 0)
      ++kills;
    testing::wait_for_exit(pid);
    for (int wait = 0; wait < 300 && process_running(killed + "/s.json"); ++wait)
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    ASSERT_FALSE(process_running(killed + "/s.json")) << "ranks outlived the killed mpirun";
    for (int k = 0; k < 4; ++k) {
      const std::string status = killed + "/out/points/000" + std::to_string(k) + "/status.json";
      resumed = resumed || (fs::exists(status) && read_json_file(status)["status"] == "running");
    }
    arguments = "sweep -q --restart " + killed + "/s.json";
  }
  EXPECT_GE(kills, 1);
  const auto r = run_in(killed, mpiexec(2) + glassland(arguments));
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_TRUE(resumed) << "the kills came when no point was running";
  expect_same_point_results(straight + "/out", killed + "/out", 4);
  std::string log;
  for (int k = 0; k < 4; ++k)
    log += read_text_file(killed + "/out/points/000" + std::to_string(k) + "/run.log");
  EXPECT_NE(log.find("restarting from"), std::string::npos) << "no point resumed a checkpoint";
}

// scripts/slurm_sweep.sh, submitted through stand-ins for sbatch and srun
// (tests/host/cli/slurm_shims: sbatch sets the job's SLURM_* variables from the #SBATCH lines and
// its own options, srun runs `mpirun -n N` and gives each task one GPU, as Slurm's binding does):
// the script's srun line asks for the job's tasks with one GPU each, both ranks run points, the
// sweep runs in the submit directory, and a second job (the restart line) passes over what the
// first finished.
TEST(SweepCommandMpi, TheSlurmScriptRunsOneRankPerGpuAndASecondJobContinues) {
  const std::string dir = testing::make_scratch_dir("sweep_command_slurm");
  std::ofstream(dir + "/s.json") << R"({"base": )" << md_base(20) << R"(,
    "axes": {"md.temperature": [1200, 1500, 1800]}, "output": {"directory": "out"}})";
  const std::string environment = "PATH=" + source("tests/host/cli/slurm_shims") +
                                  ":$PATH MPIEXEC=" + GLASSLAND_MPIEXEC + " SRUN_SHIM_LOG=" + dir +
                                  "/srun.log GLASSLAND=" + GLASSLAND_PROGRAM + " ";
  const std::string submit =
      environment + "sbatch --nodes=1 --ntasks-per-node=2 --cpus-per-task=1 --output=";
  const std::string script = " " + source("scripts/slurm_sweep.sh") + " s.json";
  const auto first = run_in(dir, submit + "job1.log" + script);
  ASSERT_EQ(first.status, 0) << first.output << read_text_file(dir + "/job1.log");
  const std::string log = read_text_file(dir + "/srun.log");
  EXPECT_EQ(log.substr(0, log.find('\n')),
            "srun --mpi=pmix --cpu-bind=cores --ntasks=2 --cpus-per-task=1 --gpus-per-task=1 " +
                std::string(GLASSLAND_PROGRAM) + " sweep s.json --restart");
  // One GPU per task: each of the two ranks saw a different one.
  EXPECT_NE(log.find("task 0 CUDA_VISIBLE_DEVICES=0\n"), std::string::npos) << log;
  EXPECT_NE(log.find("task 1 CUDA_VISIBLE_DEVICES=1\n"), std::string::npos) << log;
  const json summary = read_json_file(dir + "/out/sweep_summary.json");
  EXPECT_EQ(summary["counts"]["finished"], 3);
  std::set<int> ranks;
  for (const json& p : summary["points"])
    ranks.insert(p["rank"].get<int>());
  EXPECT_EQ(ranks, (std::set<int>{0, 1})) << summary.dump(1);

  const auto second = run_in(dir, submit + "job2.log" + script);
  ASSERT_EQ(second.status, 0) << second.output;
  const std::string job2 = read_text_file(dir + "/job2.log");
  size_t passed_over = 0;
  for (size_t at = job2.find("done (passed over)"); at != std::string::npos;
       at = job2.find("done (passed over)", at + 1))
    ++passed_over;
  EXPECT_EQ(passed_over, 3u) << job2;
  // Bound first: a range-for over a member of a temporary would iterate a destroyed object.
  const json sweep_summary = read_json_file(dir + "/out/sweep_summary.json");
  for (const json& p : sweep_summary["points"])
    EXPECT_EQ(p["attempt"], 1);
  // A program that is not there is named.
  const auto missing = run_in(dir, environment +
                                       "GLASSLAND=/nonexistent/glassland sbatch "
                                       "--nodes=1 --output=job3.log" +
                                       script);
  EXPECT_NE(missing.status, 0);
  EXPECT_NE(read_text_file(dir + "/job3.log")
                .find("slurm_sweep: /nonexistent/glassland is not an executable program"),
            std::string::npos);
}

#endif  // GLASSLAND_HAVE_MPI

TEST(SweepDocs, EveryKeyOfTheSweepFileIsDocumented) {
  const std::string dir = testing::make_scratch_dir("sweep_docs");
  std::ofstream(dir + "/s.json") << R"({"base": )" << md_base(10) << R"(,
    "axes": {"system.build.seed": [1]}, "output": {"directory": ")"
                                 << dir << R"(/out"}})";
  ASSERT_EQ(run_in(dir, glassland("sweep -q s.json")).status, 0);
  std::ofstream(dir + "/settings.json")
      << read_json_file(dir + "/out/sweep_plan.json")["settings"].dump();
  testing::expect_every_key_documented(dir + "/settings.json", "docs/sweep.md", 6);
}

}  // namespace
}  // namespace glassland
