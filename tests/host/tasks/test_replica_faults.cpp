// Replicas that blow up (issue 16 item 1) and writes that fail (item 5), through the program: the
// cases of the issue that printed NaN or 1e30 K, wrote -nan data files and exited 0, misread a
// blow-up as "CV beyond grid_max", or reported "box -nan Å wide"; a batch with one blowing-up
// replica whose other replica ends bitwise as in a run without it; a file-size limit that stops a
// run with one error naming the file and leaves a checkpoint from which --restart completes.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <vector>

#include "host/cli/exit_codes.hpp"
#include "host/io/hdf5_file.hpp"
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

// The program's exit code for "some replicas failed" (host/cli/exit_codes.hpp).
constexpr int kReplicasFailed = exit_status(ExitCode::replicas_failed);

int exit_code(int status) {
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// Whether `text` holds "nan" or "inf" as a number would print it.
bool has_non_finite_number(const std::string& text) {
  for (const char* word : {"nan", "NaN", "inf ", "1e+30", "1e30"})
    if (text.find(word) != std::string::npos)
      return true;
  return false;
}

// Runs `glassland run FILE` with `json` written to FILE; the output is stdout and stderr.
testing::ProgramResult run_input(const std::string& file, const std::string& json) {
  std::ofstream(file) << json;
  return run_glassland("run " + file);
}

// The LAMMPS data file `text` with line `line_start...` of section `section` replaced by
// `replacement` (the first line of that section starting with `line_start`).
std::string replace_data_line(const std::string& text, const std::string& section,
                              const std::string& line_start, const std::string& replacement) {
  std::istringstream in(text);
  std::ostringstream out;
  std::string line;
  bool in_section = false, done = false;
  while (std::getline(in, line)) {
    if (line.rfind(section, 0) == 0)
      in_section = true;
    if (in_section && !done && line.rfind(line_start, 0) == 0) {
      line = replacement;
      done = true;
    }
    out << line << "\n";
  }
  EXPECT_TRUE(done) << section << " " << line_start;
  return out.str();
}

// `text` (a LAMMPS data file) with atom 2 placed `offset` Å from atom 1 along x.
std::string atom_2_onto_atom_1(const std::string& text, double offset) {
  std::istringstream atoms(text.substr(text.find("Atoms")));
  std::string line;
  double x = 0, y = 0, z = 0;
  while (std::getline(atoms, line))
    if (line.rfind("1 ", 0) == 0) {
      int id, type;
      std::istringstream(line) >> id >> type >> x >> y >> z;
      break;
    }
  std::ostringstream moved;
  moved.precision(17);
  moved << "2 2 " << x + offset << " " << y << " " << z << " 0 0 0";
  return replace_data_line(text, "Atoms", "2 ", moved.str());
}

// A well-equilibrated-enough B2 Cu–Zr structure with velocities (20 steps of md at 1000 K).
std::string make_structure(const std::string& dir) {
  const auto made = run_input(dir + "/seed.json", R"({"task": "md",
    "system": {"build": {"lattice": "b2", "cells": [6, 6, 6], "seed": 3}},
    "md": {"steps": 20, "temperature": 1000},
    "output": {"directory": ")" + dir + R"(/seed", "quiet": true}})");
  EXPECT_EQ(made.status, 0) << made.output;
  return dir + "/seed/final_0000.data";
}

std::string md_with_structures(const std::string& directory, const std::string& structures) {
  return R"({"task": "md", "system": {"structures": )" + structures + R"(},
    "md": {"steps": 100, "temperature": 1000, "velocities": "from_structure"},
    "output": {"directory": ")" +
         directory + R"(", "thermo_stride": 10, "trajectory_stride": 50, "quiet": true}})";
}

TEST(ReplicaFaults, OneBlowingUpReplicaLeavesTheOtherBitwiseAsWithoutIt) {
  const std::string dir = testing::make_scratch_dir("replica_faults_batch");
  const std::string good = make_structure(dir);
  // Replica 1: atom 1 at 3000 Å/ps, 6 Å in one 2 fs step.
  std::ofstream(dir + "/fast.data")
      << replace_data_line(read_text_file(good), "Velocities", "1 ", "1 3000 0 0");
  std::ofstream(dir + "/pair.json")
      << md_with_structures(dir + "/pair", "[\"" + good + "\", \"" + dir + "/fast.data\"]");
  std::ofstream(dir + "/alone.json") << md_with_structures(dir + "/alone", "[\"" + good + "\"]");

  const auto pair = run_glassland("run " + dir + "/pair.json");
  EXPECT_EQ(exit_code(pair.status), kReplicasFailed) << pair.output;
  EXPECT_NE(pair.output.find("replica 1"), std::string::npos) << pair.output;
  ASSERT_EQ(wait_for_exit(start_glassland({"run", dir + "/alone.json"})), 0);

  const nlohmann::json faults = read_json_file(dir + "/pair/faults.json");
  ASSERT_EQ(faults.at("failures").size(), 1u) << faults.dump(2);
  const nlohmann::json& failure = faults.at("failures")[0];
  EXPECT_EQ(failure.at("replica"), 1);
  EXPECT_EQ(failure.at("step"), 0);  // caught before the atom flies
  EXPECT_EQ(failure.at("cause"), "step_too_long");
  EXPECT_NE(failure.at("detail").get<std::string>().find("atom 1 "), std::string::npos);

  // The healthy replica: bitwise the same final structure, thermo and frames.
  EXPECT_EQ(read_text_file(dir + "/pair/final_0000.data"),
            read_text_file(dir + "/alone/final_0000.data"));
  EXPECT_FALSE(fs::exists(dir + "/pair/final_0001.data"));  // no structure of a blown-up replica
  const hdf5::File pair_h5 = hdf5::File::open_read_only(dir + "/pair/results.h5");
  const hdf5::File alone_h5 = hdf5::File::open_read_only(dir + "/alone/results.h5");
  for (const char* observable : {"temperature", "potential_energy", "pressure"}) {
    const std::string path = std::string("observables/") + observable + "/value";
    const auto both = pair_h5.dataset(path).read<double>();
    const auto one = alone_h5.dataset(path).read<double>();
    ASSERT_EQ(both.size(), 2 * one.size()) << observable;
    ASSERT_EQ(one.size(), 11u);
    for (size_t k = 0; k < one.size(); ++k) {
      EXPECT_EQ(both[2 * k], one[k]) << observable << " record " << k;
      EXPECT_TRUE(std::isnan(both[2 * k + 1])) << observable << " record " << k;
    }
  }
  const hdf5::File pair_frames = hdf5::File::open_read_only(dir + "/pair/trajectory.h5md");
  const hdf5::File alone_frames = hdf5::File::open_read_only(dir + "/alone/trajectory.h5md");
  EXPECT_EQ(pair_frames.dataset("particles/replica_0000/position/value").read<double>(),
            alone_frames.dataset("particles/replica_0000/position/value").read<double>());
  for (const double x : pair_frames.dataset("particles/replica_0001/position/value").read<double>())
    EXPECT_TRUE(std::isnan(x));  // stopped at step 0, before the first frame was written
  // The thermo lines on stdout: the failed replica's say FAILED, never a NaN.
  EXPECT_NE(pair.output.find("1  FAILED (see faults.json)"), std::string::npos) << pair.output;
  EXPECT_FALSE(has_non_finite_number(pair.output)) << pair.output;
}

TEST(ReplicaFaults, HugeTimeStepStopsEveryReplicaWithTheRemedyAndNoNan) {
  const std::string dir = testing::make_scratch_dir("replica_faults_timestep");
  for (const char* timestep : {"1e6", "0.05"}) {
    const std::string out = dir + "/dt_" + timestep;
    const auto result = run_input(out + ".json", R"({"task": "md",
      "system": {"build": {"lattice": "b2", "cells": [6, 6, 6], "seed": 3}, "replicas": 2},
      "md": {"steps": 200, "timestep": )" + std::string(timestep) +
                                                     R"(, "temperature": 2000},
      "output": {"directory": ")" + out + R"(", "thermo_stride": 10, "quiet": true}})");
    EXPECT_EQ(exit_code(result.status), kReplicasFailed) << result.output;
    EXPECT_FALSE(has_non_finite_number(result.output)) << result.output;
    EXPECT_NE(result.output.find("every replica failed"), std::string::npos) << result.output;
    // Cu at 2000 K: √(3k_BT/m)·dt ≤ 0.02 Å gives 0.00225 ps, rounded down to 0.002.
    EXPECT_NE(result.output.find("time step " +
                                 std::string(timestep == std::string("1e6") ? "1e+06" : "0.05") +
                                 " ps too large at 2000 K; try ≤ 0.002 ps"),
              std::string::npos)
        << result.output;
    EXPECT_FALSE(fs::exists(out + "/final_0000.data"));
    const nlohmann::json faults = read_json_file(out + "/faults.json");
    ASSERT_EQ(faults.at("failures").size(), 2u);
    for (const auto& failure : faults.at("failures"))
      EXPECT_EQ(failure.at("cause"), "step_too_long");
  }
}

TEST(ReplicaFaults, AtomsOnTopOfEachOtherAreNamedNotIntegrated) {
  const std::string dir = testing::make_scratch_dir("replica_faults_overlap");
  const std::string good = make_structure(dir);
  // Atom 2 moved onto atom 1 (0.01 Å away).
  std::ofstream(dir + "/overlap.data") << atom_2_onto_atom_1(read_text_file(good), 0.01);
  // Refused at load (issue 16 item 4): an input error naming both atoms and the key.
  const std::string out = dir + "/overlap";
  const auto refused =
      run_input(out + ".json", md_with_structures(out, "[\"" + dir + "/overlap.data\"]"));
  EXPECT_EQ(exit_code(refused.status), 2) << refused.output;
  EXPECT_NE(refused.output.find("atoms 1 and 2 are 0.01 Å apart"), std::string::npos)
      << refused.output;
  EXPECT_NE(refused.output.find("system.min_atom_distance"), std::string::npos) << refused.output;
  EXPECT_FALSE(fs::exists(out + "/final_0000.data"));
  // Let through (system.min_atom_distance 0): stopped at step 0 as a fault naming both atoms.
  nlohmann::json input =
      nlohmann::json::parse(md_with_structures(out, "[\"" + dir + "/overlap.data\"]"));
  input["system"]["min_atom_distance"] = 0;
  const auto result = run_input(out + "_let_through.json", input.dump());
  EXPECT_EQ(exit_code(result.status), kReplicasFailed) << result.output;
  EXPECT_FALSE(has_non_finite_number(result.output)) << result.output;
  EXPECT_FALSE(fs::exists(out + "/final_0000.data"));
  EXPECT_NE(result.output.find("atoms 1 and 2 are 0.01 Å apart in the starting structure"),
            std::string::npos)
      << result.output;
}

TEST(ReplicaFaults, MinimizeStopsAReplicaWithNonFiniteForcesAndKeepsTheOther) {
  const std::string dir = testing::make_scratch_dir("replica_faults_minimize");
  const std::string good = make_structure(dir);
  // Atom 2 exactly on atom 1: the pair terms divide by a zero distance.
  std::ofstream(dir + "/on_top.data") << atom_2_onto_atom_1(read_text_file(good), 0.0);
  auto input = [&](const std::string& name, const std::string& structures) {
    std::ofstream(dir + "/" + name + ".json")
        << R"({"task": "minimize", "system": {"structures": )" + structures +
               R"(, "min_atom_distance": 0}, "minimize": {"ftol": 1e-2}, "output": {"directory": ")" +
               dir + "/" + name + R"(", "quiet": true}})";
    return "run " + dir + "/" + name + ".json";
  };
  const auto pair = run_glassland(input("pair", "[\"" + good + "\", \"" + dir + "/on_top.data\"]"));
  const auto alone = run_glassland(input("alone", "[\"" + good + "\"]"));
  ASSERT_EQ(alone.status, 0) << alone.output;
  EXPECT_FALSE(has_non_finite_number(pair.output)) << pair.output;
  // Let through the load check (system.min_atom_distance 0): a fault of replica 1 (exit 3).
  ASSERT_EQ(exit_code(pair.status), kReplicasFailed) << pair.output;
  EXPECT_NE(pair.output.find("atoms 1 and 2 are 0 Å apart"), std::string::npos) << pair.output;
  const nlohmann::json faults = read_json_file(dir + "/pair/faults.json");
  ASSERT_EQ(faults.at("failures").size(), 1u);
  EXPECT_EQ(faults.at("failures")[0].at("replica"), 1);
  EXPECT_EQ(faults.at("failures")[0].at("stage"), "minimize");
  EXPECT_FALSE(fs::exists(dir + "/pair/is_0001.data"));
  EXPECT_TRUE(read_json_file(dir + "/pair/summary.json")["replicas"][1]["structure"].is_null());
  EXPECT_EQ(read_text_file(dir + "/pair/is_0000.data"),
            read_text_file(dir + "/alone/is_0000.data"));
}

TEST(ReplicaFaults, NebStopsABandWithNonFiniteForcesAndKeepsTheOther) {
  const std::string dir = testing::make_scratch_dir("replica_faults_neb");
  const std::string good = make_structure(dir);
  // Each band's final state: atom 3 moved by 0.3 Å along x.
  auto moved = [](const std::string& text) {
    std::istringstream atoms(text.substr(text.find("Atoms")));
    std::string line;
    int id = 0, type = 0;
    double x = 0, y = 0, z = 0;
    while (std::getline(atoms, line))
      if (line.rfind("3 ", 0) == 0) {
        std::istringstream(line) >> id >> type >> x >> y >> z;
        break;
      }
    std::ostringstream shifted;
    shifted.precision(17);
    shifted << "3 " << type << " " << x + 0.3 << " " << y << " " << z << " 0 0 0";
    return replace_data_line(text, "Atoms", "3 ", shifted.str());
  };
  const std::string on_top = atom_2_onto_atom_1(read_text_file(good), 0.0);
  std::ofstream(dir + "/good_final.data") << moved(read_text_file(good));
  std::ofstream(dir + "/on_top.data") << on_top;
  std::ofstream(dir + "/on_top_final.data") << moved(on_top);
  const std::string good_pair =
      R"({"initial": ")" + good + R"(", "final": ")" + dir + R"(/good_final.data"})";
  const std::string broken_pair =
      R"({"initial": ")" + dir + R"(/on_top.data", "final": ")" + dir + R"(/on_top_final.data"})";
  auto input = [&](const std::string& name, const std::string& pairs) {
    std::ofstream(dir + "/" + name + ".json")
        << R"({"task": "neb", "system": {"min_atom_distance": 0}, "neb": {"pairs": )" + pairs +
               R"(, "images": 5, "minimize_endpoints": false, "max_iterations": 60},
               "output": {"directory": ")" +
               dir + "/" + name + R"(", "quiet": true}})";
    return "run " + dir + "/" + name + ".json";
  };
  const auto both = run_glassland(input("both", "[" + good_pair + ", " + broken_pair + "]"));
  const auto alone = run_glassland(input("alone", "[" + good_pair + "]"));
  ASSERT_EQ(alone.status, 0) << alone.output;
  EXPECT_FALSE(has_non_finite_number(both.output)) << both.output;
  // Let through the load check (system.min_atom_distance 0): a fault of band 1 (exit 3).
  ASSERT_EQ(exit_code(both.status), kReplicasFailed) << both.output;
  const nlohmann::json faults = read_json_file(dir + "/both/faults.json");
  ASSERT_EQ(faults.at("failures").size(), 1u);
  EXPECT_EQ(faults.at("failures")[0].at("unit"), "band");
  EXPECT_EQ(faults.at("failures")[0].at("band"), 1);
  EXPECT_NE(faults.at("failures")[0].at("remedy").get<std::string>().find("atoms 1 and 2"),
            std::string::npos);
  EXPECT_NE(both.output.find("FAILED (band 1)"), std::string::npos) << both.output;
  // The healthy band: its record (energies, forces, geometry, iterations) as when run alone.
  EXPECT_EQ(read_json_file(dir + "/both/neb.json")["bands"][0],
            read_json_file(dir + "/alone/neb.json")["bands"][0]);
}

TEST(ReplicaFaults, PrepareGoesOnWithTheReplicasThatDidNotFail) {
  const std::string dir = testing::make_scratch_dir("replica_faults_prepare");
  const std::string good = make_structure(dir);
  std::ofstream(dir + "/overlap.data") << atom_2_onto_atom_1(read_text_file(good), 0.01);
  auto input = [&](const std::string& name, const std::string& structures) {
    std::ofstream(dir + "/" + name + ".json")
        << R"({"task": "prepare", "system": {"structures": )" + structures +
               R"(, "min_atom_distance": 0},
          "prepare": {"melt": {"temperature": 2000, "steps": 60},
                      "cool": {"end_temperature": 1800, "rate": 1e15, "stops": [1900]},
                      "minimize": {"ftol": 1e-2}},
          "output": {"directory": ")" +
               dir + "/" + name + R"(", "thermo_stride": 20, "quiet": true}})";
    return "run " + dir + "/" + name + ".json";
  };
  const auto pair =
      run_glassland(input("pair", "[\"" + good + "\", \"" + dir + "/overlap.data\"]"));
  const auto alone = run_glassland(input("alone", "[\"" + good + "\"]"));
  ASSERT_EQ(alone.status, 0) << alone.output;
  EXPECT_FALSE(has_non_finite_number(pair.output)) << pair.output;
  // Let through the load check (system.min_atom_distance 0): a fault of replica 1 (exit 3).
  ASSERT_EQ(exit_code(pair.status), kReplicasFailed) << pair.output;
  EXPECT_NE(pair.output.find("1e+15  FAILED (see faults.json)"), std::string::npos) << pair.output;
  const nlohmann::json summary = read_json_file(dir + "/pair/summary.json");
  EXPECT_FALSE(summary["replicas"][0]["failed"].get<bool>());
  EXPECT_TRUE(summary["replicas"][1]["failed"].get<bool>());
  EXPECT_TRUE(summary["replicas"][1]["final_structure"].is_null());
  for (const char* name : {"final_0001.data", "is_0001.data", "snapshot_T1900K_0001.data"})
    EXPECT_FALSE(fs::exists(dir + "/pair/" + name)) << name;
  for (const char* name : {"final_0000.data", "is_0000.data", "snapshot_T1900K_0000.data"})
    EXPECT_EQ(read_text_file(dir + "/pair/" + name), read_text_file(dir + "/alone/" + name))
        << name;
}

TEST(ReplicaFaults, PrepareAndMetadWithATooLargeStepSayWhy) {
  const std::string dir = testing::make_scratch_dir("replica_faults_tasks");
  const auto prepare = run_input(dir + "/prepare.json", R"({"task": "prepare",
    "system": {"build": {"lattice": "b2", "cells": [6, 6, 6], "seeds": [11, 12]}, "replicas": 2},
    "prepare": {"timestep": 0.05, "melt": {"temperature": 2000, "steps": 100},
                "cool": {"end_temperature": 1000, "rate": 1e15}},
    "output": {"directory": ")" + dir + R"(/prepare", "thermo_stride": 50, "quiet": true}})");
  EXPECT_EQ(exit_code(prepare.status), kReplicasFailed) << prepare.output;
  EXPECT_FALSE(has_non_finite_number(prepare.output)) << prepare.output;
  EXPECT_EQ(prepare.output.find("box"), std::string::npos) << prepare.output;
  EXPECT_NE(prepare.output.find("replica 0 (melt, step 0)"), std::string::npos) << prepare.output;
  EXPECT_NE(prepare.output.find("try ≤ 0.002 ps"), std::string::npos) << prepare.output;

  const auto metad = run_input(dir + "/metad.json", R"({"task": "metad",
    "system": {"build": {"lattice": "b2", "cells": [6, 6, 6], "seeds": [1, 2]}},
    "metad": {"temperature": 2000, "timestep": 0.05, "steps": 200, "thermostat": {"tau": 0.05},
      "tracers": {"atom_ids": [1, 2]}, "pace": 10, "sigma": 0.3, "height": 0.05,
      "bias_temperature": 6000, "event_dwell": 0.2, "event_prominence": 0.1},
    "output": {"directory": ")" + dir + R"(/metad", "thermo_stride": 10, "quiet": true}})");
  EXPECT_EQ(exit_code(metad.status), kReplicasFailed) << metad.output;
  EXPECT_EQ(metad.output.find("grid_max"), std::string::npos) << metad.output;
  EXPECT_FALSE(has_non_finite_number(metad.output)) << metad.output;
  const nlohmann::json faults = read_json_file(dir + "/metad/faults.json");
  ASSERT_EQ(faults.at("failures").size(), 2u);
  EXPECT_EQ(faults.at("failures")[0].at("stage"), "sampling");
  EXPECT_EQ(faults.at("failures")[0].at("cause"), "step_too_long");
}

// metad (issue 16 item 1): a batch of two tracers whose replica 1 starts with two atoms 0.01 Å
// apart (let through the load check by system.min_atom_distance 0) is stopped at step 0 of its
// sampling; tracer 0 ends bitwise as in a run of it alone: its hills, its bias and thermo records
// in results.h5, its summary entry.
TEST(ReplicaFaults, MetadTracerThatBlowsUpLeavesTheOtherBitwiseAsWithoutIt) {
  const std::string dir = testing::make_scratch_dir("replica_faults_metad");
  const std::string good = make_structure(dir);
  std::ofstream(dir + "/overlap.data") << atom_2_onto_atom_1(read_text_file(good), 0.01);
  auto input = [&](const std::string& name, const std::string& structures,
                   const std::string& atom_ids) {
    std::ofstream(dir + "/" + name + ".json")
        << R"({"task": "metad", "system": {"structures": )" + structures +
               R"(, "min_atom_distance": 0},
      "metad": {"temperature": 1000, "steps": 300, "tracers": {"atom_ids": )" +
               atom_ids + R"(}, "pace": 10, "sigma": 0.3, "height": 0.05,
        "bias_temperature": 6000, "event_dwell": 0.2, "event_prominence": 0.1},
      "output": {"directory": ")" +
               dir + "/" + name + R"(", "thermo_stride": 10, "quiet": true}})";
    return "run " + dir + "/" + name + ".json";
  };
  const auto pair =
      run_glassland(input("pair", "[\"" + good + "\", \"" + dir + "/overlap.data\"]", "[10, 10]"));
  const auto alone = run_glassland(input("alone", "[\"" + good + "\"]", "[10]"));
  ASSERT_EQ(alone.status, 0) << alone.output;
  EXPECT_EQ(exit_code(pair.status), kReplicasFailed) << pair.output;
  EXPECT_FALSE(has_non_finite_number(pair.output)) << pair.output;
  EXPECT_EQ(pair.output.find("grid_max"), std::string::npos) << pair.output;
  const nlohmann::json faults = read_json_file(dir + "/pair/faults.json");
  ASSERT_EQ(faults.at("failures").size(), 1u) << faults.dump(2);
  EXPECT_EQ(faults.at("failures")[0].at("replica"), 1);
  EXPECT_EQ(faults.at("failures")[0].at("stage"), "sampling");
  EXPECT_EQ(faults.at("failures")[0].at("step"), 0);
  EXPECT_NE(faults.at("failures")[0].at("remedy").get<std::string>().find("atoms 1 and 2"),
            std::string::npos)
      << faults.dump(2);

  EXPECT_EQ(read_text_file(dir + "/pair/HILLS_0000"), read_text_file(dir + "/alone/HILLS_0000"));
  const nlohmann::json pair_summary = read_json_file(dir + "/pair/summary.json");
  const nlohmann::json alone_summary = read_json_file(dir + "/alone/summary.json");
  EXPECT_EQ(pair_summary["tracers"][0], alone_summary["tracers"][0]);
  EXPECT_TRUE(pair_summary["tracers"][1]["failed"].get<bool>()) << pair_summary.dump(2);
  EXPECT_FALSE(pair_summary["tracers"][1]["event_found"].get<bool>());
  const hdf5::File pair_h5 = hdf5::File::open_read_only(dir + "/pair/results.h5");
  const hdf5::File alone_h5 = hdf5::File::open_read_only(dir + "/alone/results.h5");
  // Every float64 dataset of tracer 0's group and its subgroups (bias history, structures).
  int compared = 0;
  std::function<void(const std::string&)> compare = [&](const std::string& group) {
    for (const std::string& name : alone_h5.group(group).member_names()) {
      const std::string path = group + "/" + name;
      try {
        (void)alone_h5.group(path);
        compare(path);
        continue;
      } catch (const std::exception&) {  // not a group: a dataset
      }
      if (alone_h5.dataset(path).element_type() != hdf5::ElementType::float64)
        continue;
      const auto one = alone_h5.dataset(path).read<double>();
      const auto both = pair_h5.dataset(path).read<double>();
      ASSERT_EQ(one.size(), both.size()) << path;
      EXPECT_EQ(std::memcmp(one.data(), both.data(), one.size() * sizeof(double)), 0) << path;
      ++compared;
    }
  };
  compare("tracers/tracer_0000");
  EXPECT_GT(compared, 5);
}

// Runs glassland with `arguments` in a child whose files may not grow beyond `limit` bytes
// (RLIMIT_FSIZE; SIGXFSZ ignored, so a write past it fails with EFBIG as on a full disk).
testing::ProgramResult run_with_file_size_limit(const std::string& arguments, rlim_t limit) {
  const std::string log = testing::make_scratch_dir("replica_faults_fsize_log") + "/stderr";
  const pid_t pid = fork();
  if (pid == 0) {
    signal(SIGXFSZ, SIG_IGN);
    const int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(fd, 2);
    rlimit r{limit, limit};
    setrlimit(RLIMIT_FSIZE, &r);
    std::vector<std::string> words{GLASSLAND_PROGRAM};
    std::istringstream split(arguments);
    for (std::string word; split >> word;)
      words.push_back(word);
    std::vector<char*> argv;
    for (std::string& word : words)
      argv.push_back(word.data());
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  testing::ProgramResult result;
  result.status = wait_for_exit(pid);
  result.output = read_text_file(log);
  return result;
}

TEST(WriteFailures, AFileSizeLimitGivesOneErrorNamingTheFileAndRestartCompletes) {
  const std::string dir = testing::make_scratch_dir("write_failures_fsize");
  auto input = [&](const std::string& name) {
    std::ofstream(dir + "/" + name + ".json") << R"({"task": "md",
      "system": {"build": {"lattice": "b2", "cells": [6, 6, 6], "seed": 3}, "replicas": 2},
      "md": {"steps": 1000, "temperature": 1000},
      "output": {"directory": ")" + dir + "/" + name +
                                                     R"(", "thermo_stride": 10,
                 "trajectory_stride": 10, "checkpoint_stride": 100, "quiet": true}})";
    return dir + "/" + name + ".json";
  };
  ASSERT_EQ(wait_for_exit(start_glassland({"run", input("straight")})), 0);
  const auto merged = fs::file_size(dir + "/straight/trajectory.h5md");
  // Each part (100 steps, 10 frames; 1.6 MB, its chunks allocated whole) fits under the limit,
  // and so do the merged observables (results.h5, written first); the merged trajectory (101
  // frames, 4.6 MB) does not: the run fails at its very end, after its last checkpoint (step 900).
  const auto part_bound = merged * 85 / 100;
  const std::string limited = input("limited");
  const auto failed = run_with_file_size_limit("run " + limited, part_bound);
  EXPECT_TRUE(WIFEXITED(failed.status)) << "killed by signal " << WTERMSIG(failed.status);
  EXPECT_EQ(exit_code(failed.status), 1) << failed.output;
  // One error, naming the file and the reason, and saying the checkpoint is intact.
  EXPECT_EQ(std::count(failed.output.begin(), failed.output.end(), '\n'), 1) << failed.output;
  EXPECT_NE(failed.output.find(dir + "/limited/trajectory.h5md"), std::string::npos)
      << failed.output;
  EXPECT_NE(failed.output.find("File too large"), std::string::npos) << failed.output;
  EXPECT_NE(failed.output.find("checkpoint.h5, is intact"), std::string::npos) << failed.output;
  ASSERT_TRUE(fs::exists(dir + "/limited/checkpoint.h5"));

  // Space again: --restart completes, bitwise as the run that never failed.
  ASSERT_EQ(wait_for_exit(start_glassland({"run", limited, "--restart"})), 0);
  for (const char* name : {"final_0000.data", "final_0001.data"})
    EXPECT_EQ(read_text_file(dir + "/straight/" + name), read_text_file(dir + "/limited/" + name))
        << name;
  const hdf5::File straight = hdf5::File::open_read_only(dir + "/straight/results.h5");
  const hdf5::File restarted = hdf5::File::open_read_only(dir + "/limited/results.h5");
  for (const char* path : {"observables/temperature/value", "observables/potential_energy/value"})
    EXPECT_EQ(straight.dataset(path).read<double>(), restarted.dataset(path).read<double>())
        << path;
  const std::string frames = "particles/replica_0001/position/value";
  EXPECT_EQ(
      hdf5::File::open_read_only(dir + "/straight/trajectory.h5md").dataset(frames).read<double>(),
      hdf5::File::open_read_only(dir + "/limited/trajectory.h5md").dataset(frames).read<double>());
}

}  // namespace
}  // namespace glassland
