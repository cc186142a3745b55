// The sweep (host/tasks/sweep/): its file read into points (grid order, zip, JSON paths, errors
// naming the key), every point checked before any runs, failures recorded against their point,
// --restart passing over finished points, and the analysis chain — whose ΔS, ΔQ and V must equal
// `glassland analyze activation` run on tables built here by hand from the points' summaries.
// The task is a stand-in that writes a metad-shaped summary.json with barriers from a known
// ΔG(T, P) = ΔQ + PV − TΔS plus a per-tracer offset, so no dynamics runs and the test is fast.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>

#include "host/cli/sweep_command.hpp"
#include "host/io/hdf5_file.hpp"
#include "host/io/input_error.hpp"
#include "host/tasks/replica_failures.hpp"
#include "host/tasks/sweep/sweep_plan.hpp"
#include "host/tasks/sweep/sweep_run.hpp"
#include "tests/support/lammps_oracle.hpp"
#include "tests/support/program_runner.hpp"

namespace glassland {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using testing::read_json_file;
using testing::read_text_file;
using testing::run_glassland;

std::string write_file(const std::string& path, const std::string& text) {
  std::ofstream(path) << text;
  return path;
}

// A single-process SweepRanks (not started as `sweep` under a launcher).
const SweepRanks& one_process() {
  static std::vector<char*> kokkos_args;
  static char program[] = "glassland", command[] = "test";
  static const SweepRanks ranks({program, command}, kokkos_args);
  return ranks;
}

// Stand-in for metad: reads temperature and pressure like the task, checks them, and writes a
// summary.json whose tracers carry what the real one does. Barrier of tracer k (atom id 10 + k):
// ΔQ + P·V − T·ΔS + 0.05·k + 0.002·sin(T + P + k), eV, with P in GPa.
struct FakeMetad {
  std::set<double> failing_temperatures;  // runs at these temperatures throw
  // Runs at these temperatures lose tracer 1 (its replica fails: "failed" in the summary,
  // faults.json) and end as a task with failed replicas does (ReplicasFailed, not every one).
  std::set<double> tracer_failing_temperatures;
  std::set<double> all_failing_temperatures;  // every replica fails: ReplicasFailed(every one)
  int runs = 0;                               // runs (not checks) so far
  static constexpr double kDeltaQ = 1.3, kVolume_eV_per_GPa = 0.05, kEntropy_eV_per_K = 1.5e-3;

  void operator()(InputObject& input, const RunOptions& options) {
    input.string("task", required, "task");
    InputObject metad = input.object("metad", required, "settings");
    const double T = metad.number("temperature", required, "K", "T", NumberRange::positive());
    const double P = metad.number("pressure", 0.0, "bar", "P");
    const int tracers = static_cast<int>(metad.integer("tracers", 4, "", "tracers"));
    const std::string dir =
        input.object("output", "out").string("directory", "unused", "where results go");
    input.finish();
    if (options.check_only)
      return;
    ++runs;
    std::printf("fake metad at %g K, %g bar\n", T, P);  // to the point's run.log
    if (failing_temperatures.count(T))
      throw std::runtime_error("replica 0 lost an atom at step 12 (stand-in blow-up)");
    if (all_failing_temperatures.count(T))
      throw ReplicasFailed("every replica failed, so the run stops: (stand-in)", true);
    const bool lose_tracer_1 = tracer_failing_temperatures.count(T) > 0;
    json list = json::array();
    for (int k = 0; k < tracers; ++k) {
      if (lose_tracer_1 && k == 1) {
        list.push_back({{"atom_id", 10 + k},
                        {"species", "Zr"},
                        {"failed", true},
                        {"event_found", false},
                        {"barrier_eV", nullptr},
                        {"temperature_K", T},
                        {"pressure_bar", P},
                        {"atomic_volume_A3", nullptr}});
        continue;
      }
      const double g = kDeltaQ + kVolume_eV_per_GPa * P / 1e4 - kEntropy_eV_per_K * T + 0.05 * k +
                       0.002 * std::sin(T + P + k);
      list.push_back({{"atom_id", 10 + k},
                      {"species", k % 2 ? "Zr" : "Cu"},
                      {"event_found", k != 3},  // tracer 3 never has an event
                      {"barrier_eV", k != 3 ? json(g) : json()},
                      {"temperature_K", T},
                      {"pressure_bar", P},
                      {"atomic_volume_A3", 17.0 + 1e-6 * P + 0.01 * k}});
    }
    fs::create_directories(dir);
    std::ofstream(dir + "/summary.json") << json({{"temperature_K", T}, {"tracers", list}}).dump(2);
    if (lose_tracer_1) {
      std::ofstream(dir + "/faults.json") << json({{"task", "metad"},
                                                   {"failures",
                                                    {{{"unit", "replica"},
                                                      {"replica", 1},
                                                      {"stage", "sampling"},
                                                      {"step", 40},
                                                      {"cause", "step_too_long"},
                                                      {"detail", "stand-in"},
                                                      {"remedy", "none"}}}}})
                                                 .dump(2);
      throw ReplicasFailed("1 failed (replica 1); the others' results are complete", false);
    }
  }
};

std::string metad_sweep(const std::string& dir, const std::string& extra = "") {
  return write_file(dir + "/sweep.json", R"({
  "base": {"task": "metad", "metad": {"temperature": 700, "pressure": 0}, "output": {}},
  "axes": {"metad.temperature": [500, 600, 700], "metad.pressure": [-10000, 0, 20000]},
  "output": {"directory": ")" + dir + R"(/out"})" +
                                             extra + R"(
})");
}

SweepOutcome run_outcome(const std::string& file, FakeMetad& task, bool restart = false) {
  SweepOptions options;
  options.sweep_file = file;
  options.restart = restart;
  options.quiet = true;
  return run_sweep(
      options, [&](InputObject& in, const RunOptions& o) { task(in, o); }, one_process());
}

int run(const std::string& file, FakeMetad& task, bool restart = false) {
  return run_outcome(file, task, restart).failed;
}

TEST(SweepPlan, GridRunsTheAxesAsNestedLoopsInTheOrderWrittenAndSetsEachPointsDirectory) {
  const std::string dir = testing::make_scratch_dir("sweep_plan_grid");
  write_file(dir + "/base.json", R"({"task": "md", "md": {"shear_strain": [0, 0, 0]}})");
  const SweepPlan plan = read_sweep_plan(write_file(dir + "/s.json", R"({
    "base": "base.json",
    "axes": {"system.build.seed": [1, 2], "md.shear_strain[0]": [0.0, 0.01, 0.02]},
    "output": {"directory": "out/s"}})"));
  ASSERT_EQ(plan.points.size(), 6u);
  EXPECT_EQ(plan.task, "md");
  EXPECT_EQ(plan.base_directory, fs::absolute(dir).lexically_normal().string());
  // The first axis written is the slowest (nlohmann::json would have sorted "md" before "system").
  const int seeds[] = {1, 1, 1, 2, 2, 2};
  const double strains[] = {0.0, 0.01, 0.02, 0.0, 0.01, 0.02};
  for (int k = 0; k < 6; ++k) {
    const json& in = plan.points[k].input;
    EXPECT_EQ(in["system"]["build"]["seed"], seeds[k]);  // missing objects are created
    EXPECT_EQ(in["md"]["shear_strain"], json({strains[k], 0, 0}));
    EXPECT_EQ(in["output"]["directory"], "out/s/points/000" + std::to_string(k));
  }
  EXPECT_EQ(point_label(plan, plan.points[4]), "system.build.seed=2, md.shear_strain[0]=0.01");
}

TEST(SweepPlan, ZipTakesTheKthValueOfEveryAxisAndNeedsEqualLengths) {
  const std::string dir = testing::make_scratch_dir("sweep_plan_zip");
  const SweepPlan plan = read_sweep_plan(write_file(dir + "/z.json", R"({
    "base": {"task": "prepare"}, "combine": "zip",
    "axes": {"prepare.cool.rate": [1e12, 1e13], "system.build.seed": [7, 8]}})"));
  ASSERT_EQ(plan.points.size(), 2u);
  EXPECT_EQ(plan.points[1].input["prepare"]["cool"]["rate"], 1e13);
  EXPECT_EQ(plan.points[1].input["system"]["build"]["seed"], 8);
  EXPECT_EQ(plan.directory, "sweep_output");
  EXPECT_EQ(plan.base_source, dir + "/z.json (base)");
}

TEST(SweepPlan, MistakesAreInputErrorsNamingTheFileAndKey) {
  const std::string dir = testing::make_scratch_dir("sweep_plan_errors");
  const auto error_of = [&](const std::string& text) -> std::string {
    try {
      read_sweep_plan(write_file(dir + "/e.json", text));
    } catch (const InputError& e) {
      return e.what();
    }
    return "no error";
  };
  const std::string f = dir + "/e.json: ";
  EXPECT_EQ(error_of(R"({"axes": {"md.temperature": [1]}})"),
            f + "base: missing required key (the task input to vary: an object, or the path of "
                "an input file)");
  EXPECT_EQ(error_of(R"({"base": {"task": "md"}, "axes": {"md.temperature": 700}})"),
            f + "axes.md.temperature: expected a non-empty array of values, got 700");
  EXPECT_EQ(error_of(R"({"base": {"task": "md"}, "axes": {}})").substr(0, f.size() + 5),
            f + "axes:");
  EXPECT_NE(error_of(R"({"base": {"task": "md"}, "axes": {"md..t": [1]}})")
                .find("axes.md..t: not a JSON path into the base input"),
            std::string::npos);
  EXPECT_EQ(error_of(R"({"base": {"task": "md", "md": {"s": [0]}}, "axes": {"md.s[3]": [1]}})"),
            f + "axes.md.s[3]: the base's md.s has no element [3] (it is an array of 1)");
  EXPECT_EQ(error_of(R"({"base": {"task": "md", "md": 5}, "axes": {"md.t": [1]}})"),
            f + "axes.md.t: the base's md is number, not an object with key \"t\"");
  EXPECT_EQ(error_of(R"({"base": {"task": "md"}, "combine": "zip",
                         "axes": {"a.b": [1, 2], "c.d": [1]}})"),
            f + "axes.c.d: 1 values, but axes.a.b has 2; \"combine\": \"zip\" needs equal lengths");
  EXPECT_NE(error_of(R"({"base": {"task": "md"}, "axes": {"output.directory": ["a"]}})")
                .find("the sweep sets each point's output.directory"),
            std::string::npos);
  EXPECT_EQ(error_of(R"({"base": {"task": "md"}, "axes": {"a.b": [1]}, "combin": "zip"})"),
            f + "combin: unknown key (did you mean \"combine\"?)");
  EXPECT_EQ(error_of(R"({"base": "missing.json", "axes": {"a.b": [1]}})").substr(0, dir.size()),
            dir);
}

TEST(Sweep, AnInvalidPointStopsTheSweepBeforeAnythingRunsNamingTheAxisAndItsValue) {
  const std::string dir = testing::make_scratch_dir("sweep_invalid_point");
  const std::string file = write_file(dir + "/bad.json", R"({
    "base": {"task": "metad", "metad": {"temperature": 700}, "output": {}},
    "axes": {"metad.pressure": [0, 1], "metad.temperature": [600, -5]},
    "output": {"directory": ")" + dir + R"(/out"}})");
  FakeMetad task;
  try {
    run(file, task);
    ADD_FAILURE() << "no error";
  } catch (const InputError& e) {
    const std::string message = e.what();
    EXPECT_EQ(message.substr(0, message.find(" is not a valid input")),
              file + ": point 0001 (axis metad.temperature = -5)");
    EXPECT_NE(message.find("metad.temperature: expected a positive number, got -5"),
              std::string::npos)
        << message;
  }
  EXPECT_EQ(task.runs, 0);
  EXPECT_FALSE(fs::exists(dir + "/out/points"));
}

TEST(Sweep, AFailedPointIsRecordedAndTheOthersCompleteThenRestartRunsOnlyWhatIsNotFinished) {
  const std::string dir = testing::make_scratch_dir("sweep_failure");
  const std::string file = metad_sweep(dir);
  FakeMetad task;
  task.failing_temperatures = {600};
  EXPECT_EQ(run(file, task), 3);  // 600 K at three pressures
  EXPECT_EQ(task.runs, 9);
  const json summary = read_json_file(dir + "/out/sweep_summary.json");
  EXPECT_EQ(summary["counts"],
            json({{"failed", 3}, {"finished", 6}, {"finished_with_failures", 0}, {"not_run", 0}}));
  for (const json& p : summary["points"]) {
    const bool fails = p["axes"]["metad.temperature"] == 600;
    EXPECT_EQ(p["status"], fails ? "failed" : "finished");
    if (fails)
      EXPECT_EQ(p["error"], "replica 0 lost an atom at step 12 (stand-in blow-up)");
    else
      EXPECT_EQ(p["headline"]["events_found"], 3);
    const std::string log = read_text_file(p["directory"].get<std::string>() + "/run.log");
    EXPECT_NE(log.find("fake metad at"), std::string::npos) << "task output not in its run.log";
  }
  // --restart runs the three failed points again and nothing else.
  task.failing_temperatures.clear();
  task.runs = 0;
  EXPECT_EQ(run(file, task, true), 0);
  EXPECT_EQ(task.runs, 3);
  const json again = read_json_file(dir + "/out/sweep_summary.json");
  EXPECT_EQ(again["counts"]["finished"], 9);
  EXPECT_EQ(again["points"][3]["attempt"], 2);  // point 3 is 600 K, -1 GPa
  EXPECT_EQ(again["points"][0]["attempt"], 1);
  // A changed sweep file does not restart over the old results.
  metad_sweep(dir, R"(, "combine": "zip")");
  try {
    run(file, task, true);
    ADD_FAILURE() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("sweep_plan.json: recorded 9 points; the sweep file now "
                                         "has 3; run without --restart"),
              std::string::npos)
        << e.what();
  }
}

json analyze_activation(const std::string& arguments);
std::string table_by_hand(const json& summary, const std::string& fixed_key, double fixed,
                          bool pressure_table);

// A point whose task finished with some replicas failed (exit status 3, faults.json) has results:
// finished_with_failures, its failed replicas named, its other tracers in the chain, and --restart
// passes over it. A point where every replica failed (the run stopped) is failed, and reruns.
TEST(Sweep, APointWithFailedReplicasKeepsTheOthersResultsAndIsNotRerun) {
  const std::string dir = testing::make_scratch_dir("sweep_replica_failures");
  // Bootstrap weighting: two temperatures (500, 600 K) are left at each pressure.
  const std::string file =
      metad_sweep(dir, R"(, "chain": {"weighting": "bootstrap", "bootstrap": 50})");
  FakeMetad task;
  task.tracer_failing_temperatures = {600};
  task.all_failing_temperatures = {700};
  const SweepOutcome outcome = run_outcome(file, task);
  EXPECT_EQ(outcome.failed, 3);                  // 700 K at three pressures
  EXPECT_EQ(outcome.finished_with_failures, 3);  // 600 K
  const json summary = read_json_file(dir + "/out/sweep_summary.json");
  EXPECT_EQ(summary["counts"],
            json({{"failed", 3}, {"finished", 3}, {"finished_with_failures", 3}, {"not_run", 0}}));
  for (const json& p : summary["points"]) {
    const double T = p["axes"]["metad.temperature"].get<double>();
    if (T == 600) {
      EXPECT_EQ(p["status"], "finished_with_failures");
      ASSERT_EQ(p["failed_replicas"].size(), 1u) << p.dump();
      EXPECT_EQ(p["failed_replicas"][0]["replica"], 1);
      EXPECT_EQ(p["failed_replicas"][0]["cause"], "step_too_long");
      EXPECT_FALSE(p.contains("error"));
      EXPECT_EQ(p["headline"]["events_found"], 2);  // tracers 0 and 2 (3 never has an event)
      EXPECT_EQ(read_json_file(p["directory"].get<std::string>() + "/status.json")["status"],
                "finished_with_failures");
    } else if (T == 700) {
      EXPECT_EQ(p["status"], "failed");
      EXPECT_EQ(p["error"], "every replica failed, so the run stops: (stand-in)");
    } else {
      EXPECT_EQ(p["status"], "finished");
      EXPECT_FALSE(p.contains("failed_replicas"));
    }
  }
  // The chain uses the 600 K points' finished tracers: ΔS at each pressure from 500 and 600 K,
  // as analyze activation gives on the table built by hand (events only, so no failed tracer).
  for (const json& e : summary["chain"]["entropy"]) {
    ASSERT_EQ(e["conditions"].size(), 2u) << e.dump();
    EXPECT_EQ(e["conditions"][1]["temperature_K"], 600);
    EXPECT_EQ(e["conditions"][1]["n"], 2);
    EXPECT_EQ(e["tracers"], 7);  // 4 at 500 K, 3 at 600 K (tracer 1 failed)
    const std::string table =
        dir + "/hand_" + std::to_string(e["pressure_bar"].get<int>()) + ".csv";
    std::ofstream(table) << table_by_hand(summary, "pressure_bar", e["pressure_bar"].get<double>(),
                                          false);
    const json by_hand = analyze_activation("--weighting bootstrap --bootstrap 50 " + table);
    for (const char* kind : {"parallel", "sequential", "mixed", "mean"})
      EXPECT_EQ(e["fits"][kind]["entropy_kB"], by_hand["fits"][kind]["entropy_kB"]) << kind;
  }
  // sweep.h5 says the same per point.
  const hdf5::File h5 = hdf5::File::open_read_only(dir + "/out/sweep.h5");
  const std::vector<std::string> statuses = h5.dataset("points/status").read_strings();
  const std::vector<std::string> failed = h5.dataset("points/failed_replicas").read_strings();
  for (const json& p : summary["points"]) {
    const int k = p["point"].get<int>();
    EXPECT_EQ(statuses[k], p["status"].get<std::string>());
    EXPECT_EQ(json::parse(failed[k]), p.value("failed_replicas", json::array()));
  }
  // --restart reruns the failed points only, not those with results.
  task = FakeMetad();
  EXPECT_EQ(run(file, task, true), 0);
  EXPECT_EQ(task.runs, 3);
  const json again = read_json_file(dir + "/out/sweep_summary.json");
  EXPECT_EQ(again["counts"]["finished_with_failures"], 3);
  EXPECT_EQ(again["counts"]["finished"], 6);
  for (const json& p : again["points"])
    EXPECT_EQ(p["attempt"], p["axes"]["metad.temperature"] == 700 ? 2 : 1) << p.dump();
}

// Stand-in for art: the temperature of its one source structure (art.minimum_temperatures, as the
// task reads it) plants a barrier spectrum of known Shannon entropy in events.json — at 500 K four
// barriers in one 0.1 eV bin (S = 0), at 700 K two bins of two (ln 2), at 900 K four bins of one
// (ln 4) — plus a failed search, which analyze leaves out.
struct FakeArt {
  void operator()(InputObject& input, const RunOptions& options) {
    input.string("task", required, "task");
    const std::vector<double> temperatures =
        input.object("art", required, "settings")
            .numbers("minimum_temperatures", {}, "K", "source structure temperatures");
    const std::string dir =
        input.object("output", "out").string("directory", "unused", "where results go");
    input.finish();
    if (options.check_only)
      return;
    const double T = temperatures.at(0);
    const int bins = T == 500 ? 1 : T == 700 ? 2 : 4;
    json events = json::array();
    for (int k = 0; k < 4; ++k)
      events.push_back({{"success", true},
                        {"barrier_eV", 0.35 + 0.1 * (k % bins)},
                        {"source_temperature_K", T}});
    events.push_back({{"success", false}, {"barrier_eV", nullptr}, {"source_temperature_K", T}});
    fs::create_directories(dir);
    std::ofstream(dir + "/events.json") << json({{"events", events}}).dump(2);
  }
};

// The chain of an art sweep over the source structures' temperature is `analyze
// entropy-temperature` on the points' directories: the same document as the command run by hand
// (through the program) with the options it names, the planted entropies, and sweep.h5's columns.
TEST(SweepChain, AnArtSweepsChainIsAnalyzeEntropyTemperatureOnItsPoints) {
  const std::string dir = testing::make_scratch_dir("sweep_art_entropy");
  const std::string file = write_file(dir + "/art.json", R"({
  "base": {"task": "art", "art": {"minimum_temperatures": [500]}, "output": {}},
  "axes": {"art.minimum_temperatures": [[500], [700], [900]]},
  "output": {"directory": ")" + dir + R"(/out"},
  "chain": {"bootstrap": 50, "seed": 3, "bin_width_eV": 0.1, "bin_origin_eV": 0.3}})");
  FakeArt task;
  SweepOptions options;
  options.sweep_file = file;
  options.quiet = true;
  options.entropy_temperature = analyze_entropy_temperature();  // as the program passes it
  ASSERT_EQ(run_sweep(
                options, [&](InputObject& in, const RunOptions& o) { task(in, o); }, one_process())
                .failed,
            0);
  json chain = read_json_file(dir + "/out/sweep_summary.json")["chain"]["entropy_temperature"];
  ASSERT_TRUE(chain.is_object());
  const std::string points =
      dir + "/out/points/0000 " + dir + "/out/points/0001 " + dir + "/out/points/0002";
  EXPECT_EQ(chain["command_line"],
            "glassland analyze entropy-temperature --bootstrap 50 --seed 3 --bin-width 0.1 "
            "--bin-origin 0.3 " +
                points);
  const auto by_hand = run_glassland(chain["command_line"].get<std::string>().substr(10) + " -o " +
                                     dir + "/hand.json");
  ASSERT_EQ(by_hand.status, 0) << by_hand.output;
  chain.erase("command_line");
  const json hand = read_json_file(dir + "/hand.json");
  EXPECT_EQ(chain, hand);
  EXPECT_EQ(hand["skipped_records"], 3);  // the failed searches
  const double planted[] = {0.0, std::log(2.0), std::log(4.0)};
  const hdf5::File h5 = hdf5::File::open_read_only(dir + "/out/sweep.h5");
  const hdf5::Group g = h5.group("chain/entropy_temperature");
  EXPECT_EQ(g.dataset("temperature_K").read<double>(), (std::vector<double>{500, 700, 900}));
  const std::vector<double> entropy = g.dataset("dynamic_entropy").read<double>();
  const std::vector<double> error = g.dataset("dynamic_entropy_standard_error").read<double>();
  ASSERT_EQ(hand["temperatures"].size(), 3u);
  for (int k = 0; k < 3; ++k) {
    const json& t = hand["temperatures"][k];
    EXPECT_NEAR(t["dynamic"]["entropy"]["value"].get<double>(), planted[k], 1e-12);
    EXPECT_EQ(entropy[k], t["dynamic"]["entropy"]["value"].get<double>());
    EXPECT_EQ(error[k], t["dynamic"]["entropy"]["standard_error"].get<double>());
    EXPECT_TRUE(t["structural"].is_null());  // the stand-in lists no source structures
  }
  EXPECT_EQ(g.group("derivatives/dynamic_entropy_per_K").dataset("value").read<double>().size(),
            3u);
}

// The rows of the points' summaries at one condition, as a person would collect them: point by
// point, tracer by tracer, events only.
std::string table_by_hand(const json& summary, const std::string& fixed_key, double fixed,
                          bool pressure_table) {
  std::string csv =
      pressure_table ? "pressure_GPa,temperature_K,barrier_eV\n" : "temperature_K,barrier_eV\n";
  for (const json& p : summary["points"]) {
    if (p["status"] != "finished" && p["status"] != "finished_with_failures")
      continue;  // no results
    const json points_summary = read_json_file(p["directory"].get<std::string>() + "/summary.json");
    for (const json& t : points_summary["tracers"]) {
      if (!t["event_found"].get<bool>() || t[fixed_key].get<double>() != fixed)
        continue;
      char row[128];
      if (pressure_table)
        std::snprintf(row, sizeof row, "%.17g,%.17g,%.17g\n", t["pressure_bar"].get<double>() / 1e4,
                      t["temperature_K"].get<double>(), t["barrier_eV"].get<double>());
      else
        std::snprintf(row, sizeof row, "%.17g,%.17g\n", t["temperature_K"].get<double>(),
                      t["barrier_eV"].get<double>());
      csv += row;
    }
  }
  return csv;
}

json analyze_activation(const std::string& arguments) {
  const auto r = run_glassland("analyze activation " + arguments, false);
  EXPECT_EQ(r.status, 0) << arguments;
  return json::parse(r.output);
}

void expect_same_fits(const json& chain_entry, const json& by_hand, const char* const keys[],
                      int n_keys) {
  for (const char* kind : {"parallel", "sequential", "mixed", "mean"})
    for (int k = 0; k < n_keys; ++k)
      EXPECT_EQ(chain_entry["fits"][kind][keys[k]], by_hand["fits"][kind][keys[k]])
          << kind << " " << keys[k];
  EXPECT_EQ(chain_entry["conditions"].size(), by_hand["conditions"].size());
}

TEST(SweepChain, ActivationEntropyAndVolumeEqualAnalyzeActivationOnTheSameNumbersByHand) {
  const std::string dir = testing::make_scratch_dir("sweep_chain");
  for (const std::string weighting : {"none", "bootstrap"}) {
    const std::string file =
        metad_sweep(dir, R"(, "chain": {"weighting": ")" + weighting + R"("})");
    FakeMetad task;
    ASSERT_EQ(run(file, task), 0);
    const json summary = read_json_file(dir + "/out/sweep_summary.json");
    const json& chain = summary["chain"];
    ASSERT_EQ(chain["entropy"].size(), 3u);  // one per pressure
    ASSERT_EQ(chain["volume"].size(), 3u);   // one per temperature
    const std::string option = " --weighting " + weighting + " ";

    const char* const entropy_keys[] = {
        "entropy_kB", "entropy_eV_per_K", "intercept_0K_eV", "slope", "chi2", "r_squared"};
    for (const json& e : chain["entropy"]) {
      const double p = e["pressure_bar"].get<double>();
      const std::string table = write_file(dir + "/hand_T_" + weighting + ".csv",
                                           table_by_hand(summary, "pressure_bar", p, false));
      const json by_hand = analyze_activation(option + table);
      expect_same_fits(e, by_hand, entropy_keys, 6);
      // And the stand-in's ΔS, within the scatter of its offsets: a check that the fit is of ΔG(T).
      EXPECT_NEAR(e["fits"]["mean"]["entropy_eV_per_K"]["value"].get<double>(),
                  FakeMetad::kEntropy_eV_per_K, 1e-4);
    }
    const char* const volume_keys[] = {
        "volume_A3", "volume_eV_per_GPa", "volume_atomic", "intercept_0GPa_eV", "slope", "chi2"};
    for (const json& v : chain["volume"]) {
      const double T = v["temperature_K"].get<double>();
      // Ω: the mean atomic volume of that temperature's tracers, summed in the same order.
      double sum = 0.0;
      int n = 0;
      for (const json& p : summary["points"]) {
        const json points_summary =
            read_json_file(p["directory"].get<std::string>() + "/summary.json");
        for (const json& t : points_summary["tracers"])
          if (t["temperature_K"] == T) {
            sum += t["atomic_volume_A3"].get<double>();
            ++n;
          }
      }
      char omega[64];
      std::snprintf(omega, sizeof omega, "%.17g", sum / n);
      EXPECT_EQ(v["atomic_volume_A3"].get<double>(), sum / n);
      const std::string table = write_file(dir + "/hand_P_" + weighting + ".csv",
                                           table_by_hand(summary, "temperature_K", T, true));
      const json by_hand = analyze_activation("--variable pressure --atomic-volume " +
                                              std::string(omega) + option + table);
      expect_same_fits(v, by_hand, volume_keys, 6);
      EXPECT_NEAR(v["fits"]["mean"]["volume_eV_per_GPa"]["value"].get<double>(),
                  FakeMetad::kVolume_eV_per_GPa, 5e-3);
    }
    // The same in sweep.h5, for the figures.
    EXPECT_TRUE(fs::exists(dir + "/out/sweep.h5"));
  }
}

}  // namespace
}  // namespace glassland
