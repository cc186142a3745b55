// `glassland run` with task metad (issue 4 item 5): summary.json in the issue's shape with
// numbers consistent with each other, results.h5 per-tracer groups, HILLS files, batch
// invariance of a tracer's CV series, and input errors naming the JSON path.
//
// The run is a 432-atom B2-built Cu50Zr50 at 2000 K (it melts within the first picoseconds, so
// hops come within a few hundred steps) with fast deposition (every 10 steps, w0 0.05 eV) and a
// short dwell (0.2 ps) and prominence (0.1 eV), so events are found in 800 steps (all three
// tracers, measured); three tracers on copies of one structure (build seeds [3, 3, 3]), stopped
// after their first event.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "host/hdf5_file.hpp"
#include "tests/support/lammps_oracle.hpp"

namespace glassland {
namespace {

namespace fs = std::filesystem;

constexpr double kBoltzmann = 8.617333262e-5;  // eV/K, CODATA 2018 (kernels/units.hpp)

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string metad_input(const std::string& directory, const std::string& seeds,
                        const std::string& atom_ids, int steps) {
  return R"({
  "task": "metad",
  "system": {"build": {"lattice": "b2", "cells": [6, 6, 6], "seeds": )" +
         seeds + R"(}},
  "metad": {
    "temperature": 2000, "steps": )" +
         std::to_string(steps) + R"(, "thermostat": {"tau": 0.05},
    "tracers": {"atom_ids": )" +
         atom_ids + R"(},
    "pace": 10, "sigma": 0.3, "height": 0.05, "bias_temperature": 6000,
    "event_dwell": 0.2, "event_prominence": 0.1, "stop_after_first_event": true, "nu0": 2e12
  },
  "output": {"directory": ")" +
         directory + R"(", "thermo_stride": 10, "quiet": true}
})";
}

int run_program(const std::string& input_path, const std::string& extra = "") {
  const std::string command =
      std::string(GLASSLAND_PROGRAM) + " run " + input_path + " " + extra + " 2>&1";
  return std::system(command.c_str());
}

// The three-tracer run, done once for the tests that read it.
const std::string& batch_run_directory() {
  static const std::string directory = [] {
    const std::string dir = testing::make_scratch_dir("metad_task_batch");
    std::ofstream(dir + "/input.json")
        << metad_input(dir + "/out", "[3, 3, 3]", "[20, 96, 200]", 800);
    EXPECT_EQ(run_program(dir + "/input.json"), 0);
    return dir + "/out";
  }();
  return directory;
}

void check_summary_has_the_issue_shape_and_consistent_numbers(const std::string& out) {
  ASSERT_TRUE(fs::exists(out + "/summary.json"));
  const auto summary = nlohmann::json::parse(read_text(out + "/summary.json"));
  EXPECT_EQ(summary.size(), 4u);
  EXPECT_DOUBLE_EQ(summary.at("temperature_K").get<double>(), 2000.0);
  const auto& tracers = summary.at("tracers");
  ASSERT_EQ(tracers.size(), 3u);
  const std::vector<int> ids{20, 96, 200};
  std::vector<double> barriers;
  for (size_t k = 0; k < tracers.size(); ++k) {
    const auto& t = tracers[k];
    EXPECT_EQ(t.size(), 8u) << t.dump();
    EXPECT_EQ(t.at("atom_id").get<int>(), ids[k]);
    const std::string species = t.at("species").get<std::string>();
    EXPECT_TRUE(species == "Cu" || species == "Zr") << species;
    if (!t.at("event_found").get<bool>()) {
      for (const char* key :
           {"barrier_eV", "hop_distance_A", "collective_displacement_A", "n_moved", "rate_per_s"})
        EXPECT_TRUE(t.at(key).is_null()) << key;
      continue;
    }
    const double barrier = t.at("barrier_eV").get<double>();
    const double a = t.at("hop_distance_A").get<double>();
    const double dr = t.at("collective_displacement_A").get<double>();
    barriers.push_back(barrier);
    EXPECT_GT(barrier, 0.0);
    EXPECT_LT(barrier, 5.0);
    // TST rate recomputed here: ν = ν0 exp(−ΔG/k_B T) with the input's ν0 = 2e12 s⁻¹.
    EXPECT_NEAR(
        t.at("rate_per_s").get<double>() / (2e12 * std::exp(-barrier / (kBoltzmann * 2000))), 1.0,
        1e-12);
    EXPECT_GT(a, 0.3);  // the next basin lies beyond the initial one (CV ≥ 0, starts at 0)
    // The tracer itself moved by about a between the inherent structures, so |Δr| (which
    // includes it) is not much smaller; half of a leaves room for the minimisation's relaxation.
    EXPECT_GE(dr, 0.5 * a);
    EXPECT_GE(t.at("n_moved").get<int>(), 1);
  }
  ASSERT_FALSE(barriers.empty()) << "no tracer found an event in 800 steps at 2000 K";
  const double lowest = *std::min_element(barriers.begin(), barriers.end());
  const double highest = *std::max_element(barriers.begin(), barriers.end());
  const double para = summary.at("barrier_parallel_eV").get<double>();
  const double seq = summary.at("barrier_sequential_eV").get<double>();
  // Jensen: min ≤ ΔG_para ≤ ΔG_seq ≤ max (SPEC.md §6).
  EXPECT_GE(para, lowest - 1e-12);
  EXPECT_LE(para, seq + 1e-12);
  EXPECT_LE(seq, highest + 1e-12);
  EXPECT_TRUE(fs::exists(out + "/effective_input.json"));
  const auto effective = nlohmann::json::parse(read_text(out + "/effective_input.json"));
  EXPECT_EQ(effective.at("metad").at("pace").get<int>(), 10);
  EXPECT_DOUBLE_EQ(effective.at("metad").at("grid_spacing").get<double>(), 0.01);
}

void check_results_hold_one_group_per_tracer_consistent_with_the_summary(const std::string& out) {
  const auto summary = nlohmann::json::parse(read_text(out + "/summary.json"));
  hdf5::File file = hdf5::File::open_read_only(out + "/results.h5");
  EXPECT_TRUE(file.exists("observables"));  // thermo of the biased run (SegmentedResults)
  const auto grid = file.dataset("tracers/grid_s").read<double>();
  ASSERT_EQ(grid.size(), 1001u);  // 0..10 Å at 0.01 Å
  for (int r = 0; r < 3; ++r) {
    char name[64];
    std::snprintf(name, sizeof name, "tracers/tracer_%04d/", r);
    const std::string g = name;
    const auto& t = summary["tracers"][r];
    EXPECT_EQ(file.dataset(g + "atom_id").read<int64_t>()[0], t["atom_id"].get<int64_t>());
    EXPECT_EQ(file.dataset(g + "species").read_strings()[0], t["species"].get<std::string>());
    const auto steps = file.dataset(g + "cv/step").read<int64_t>();
    const auto values = file.dataset(g + "cv/value").read<double>();
    ASSERT_EQ(steps.size(), values.size());
    ASSERT_GE(steps.size(), 2u);
    EXPECT_EQ(values[0], 0.0);  // hop distance from the start of sampling
    for (size_t k = 0; k < steps.size(); ++k)
      EXPECT_EQ(steps[k], static_cast<int64_t>(10 * k));
    EXPECT_EQ(file.dataset(g + "bias/value").read<double>().size(), steps.size());
    const auto centers = file.dataset(g + "hills/center").read<double>();
    const auto heights = file.dataset(g + "hills/height").read<double>();
    ASSERT_FALSE(centers.empty());
    EXPECT_EQ(centers.size(), heights.size());
    for (double h : heights)
      EXPECT_LE(h, 0.05 + 1e-15);  // well-tempered heights never exceed w0
    const auto f = file.dataset(g + "fes/F").read<double>();
    ASSERT_EQ(f.size(), grid.size());
    EXPECT_EQ(*std::min_element(f.begin(), f.end()), 0.0);
    const auto moved = file.dataset(g + "moved_atoms").read<int64_t>();
    const int64_t event_step = file.dataset(g + "event_step").read<int64_t>()[0];
    if (t["event_found"].get<bool>()) {
      EXPECT_EQ(static_cast<int>(moved.size()), t["n_moved"].get<int>());
      EXPECT_NEAR(file.dataset(g + "barrier_eV").read<double>()[0], t["barrier_eV"].get<double>(),
                  1e-15);
      EXPECT_GT(event_step, 0);
      // Stopped after the event: no sample after the step at which it was confirmed.
      const int64_t confirmed = file.dataset(g + "event_confirmed_step").read<int64_t>()[0];
      EXPECT_GE(confirmed, event_step);
      EXPECT_LE(steps.back(), confirmed);
    } else {
      EXPECT_EQ(event_step, -1);
      EXPECT_TRUE(moved.empty());
      EXPECT_EQ(steps.back(), 800);
    }
    std::snprintf(name, sizeof name, "/HILLS_%04d", r);
    const std::string hills = read_text(out + name);
    EXPECT_EQ(hills.rfind("#! FIELDS time hop sigma_hop height biasf", 0), 0u)
        << hills.substr(0, 80);
  }
}

void check_a_tracers_cv_series_does_not_depend_on_the_other_tracers(const std::string& batch) {
  const std::string dir = testing::make_scratch_dir("metad_task_alone");
  // Atom 96 alone (replica 0) for the first 400 steps; in the batch it is replica 1.
  std::ofstream(dir + "/input.json") << metad_input(dir + "/out", "[3]", "[96]", 400);
  ASSERT_EQ(run_program(dir + "/input.json"), 0);
  hdf5::File alone = hdf5::File::open_read_only(dir + "/out/results.h5");
  hdf5::File together = hdf5::File::open_read_only(batch + "/results.h5");
  const auto a = alone.dataset("tracers/tracer_0000/cv/value").read<double>();
  const auto b = together.dataset("tracers/tracer_0001/cv/value").read<double>();
  ASSERT_GE(a.size(), 10u);
  ASSERT_GE(b.size(), a.size());
  for (size_t k = 0; k < a.size(); ++k)
    ASSERT_EQ(a[k], b[k]) << "sample " << k;  // bitwise
  const auto ha = alone.dataset("tracers/tracer_0000/hills/height").read<double>();
  const auto hb = together.dataset("tracers/tracer_0001/hills/height").read<double>();
  ASSERT_LE(ha.size(), hb.size());
  for (size_t k = 0; k < ha.size(); ++k)
    ASSERT_EQ(ha[k], hb[k]) << "hill " << k;
}

TEST(MetadTask, TracerRunWritesTheIssueSummaryResultsAndIsBatchInvariant) {
  const std::string out = batch_run_directory();
  {
    SCOPED_TRACE("summary.json");
    check_summary_has_the_issue_shape_and_consistent_numbers(out);
  }
  {
    SCOPED_TRACE("results.h5 and HILLS");
    check_results_hold_one_group_per_tracer_consistent_with_the_summary(out);
  }
  {
    SCOPED_TRACE("batch invariance");
    check_a_tracers_cv_series_does_not_depend_on_the_other_tracers(out);
  }
}

TEST(MetadTask, InputErrorsNameTheJsonPath) {
  const std::string dir = testing::make_scratch_dir("metad_task_errors");
  auto run_with = [&](const std::string& metad, const std::string& extra = "") {
    std::ofstream(dir + "/input.json")
        << R"({"task": "metad", "system": {"build": {"cells": [6, 6, 6]}}, "output": {"directory": ")" +
               dir + R"(/out", "quiet": true}, "metad": )" + metad + "}";
    const std::string command =
        std::string(GLASSLAND_PROGRAM) + " run " + dir + "/input.json " + extra + " 2>&1";
    FILE* pipe = popen(command.c_str(), "r");
    std::string output;
    char buffer[4096];
    while (size_t n = fread(buffer, 1, sizeof buffer, pipe))
      output.append(buffer, n);
    EXPECT_NE(pclose(pipe), 0) << output;
    return output;
  };
  const std::string ok = R"("temperature": 1500, "steps": 10)";
  EXPECT_NE(
      run_with("{" + ok + R"(, "sigma": -0.1})").find("metad.sigma: expected a positive number"),
      std::string::npos);
  EXPECT_NE(run_with("{" + ok + R"(, "cv": "rmsd"})").find("metad.cv: expected one of"),
            std::string::npos);
  EXPECT_NE(run_with("{" + ok + R"(, "tracer": {}})").find("metad.tracer: unknown key"),
            std::string::npos);
  EXPECT_NE(run_with("{" + ok + R"(, "tracers": {"atom_ids": [100000]}})")
                .find("metad.tracers.atom_ids: atom id 100000 is not in replica 0"),
            std::string::npos);
  EXPECT_NE(run_with("{" + ok + R"(, "bias_temperature": 1000})").find("metad.bias_temperature"),
            std::string::npos);
  EXPECT_NE(run_with("{" + ok + "}", "--restart").find("metad does not support --restart yet"),
            std::string::npos);
}

}  // namespace
}  // namespace glassland
