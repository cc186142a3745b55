// `glassland run` with task art (issue 5 items 3–5) on small Cu50Zr50 random packings (300
// atoms at the glass's number density, minimised by the task first):
//  * two minima in one batch; events.json's shape and its values against results.h5's columns;
//  * every written saddle, re-evaluated from its data file by `glassland eval` (a fresh force
//    evaluation) and by LAMMPS (independent oracle), has the reported energy to 1e-6 eV and its
//    largest atomic force below the saddle tolerance; initial and final files have e_initial and
//    e_final; participating atoms (atom IDs) and results.h5's displacement fields agree with the
//    displacements between the files;
//  * `task: neb` runs on the structures/ directory the task wrote, its band endpoints at the
//    event's e_initial and e_final;
//  * a run killed (SIGKILL) after a checkpoint and restarted writes the same events.json and
//    event table as the uninterrupted run;
//  * a walk records its connections; listed centre atom IDs are searched in turn within their
//    caps; bad input names the key; every key of the effective input is in docs/tasks.md.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "host/io/atomic_file.hpp"
#include "host/io/checkpoint.hpp"
#include "host/io/hdf5_file.hpp"
#include "host/io/lammps_data.hpp"
#include "host/io/potential_files.hpp"
#include "tests/support/h5md_units.hpp"
#include "tests/support/lammps_oracle.hpp"
#include "tests/support/program_runner.hpp"
#include "tests/support/test_requirements.hpp"

namespace glassland {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::ProgramResult;
using testing::read_json_file;
using testing::read_text_file;
using testing::run_glassland;
using testing::start_glassland;
using testing::wait_for_exit;

const std::string kPotential = potential_file("CuZr_mm.eam.fs");

// The system section: a 300-atom Cu50Zr50 random packing (17.3 Å box; with a 0.5 Å skin the
// neighbour list needs > 2·(cutoff + skin) ≈ 16.2 Å).
std::string system_section(int seed) {
  return R"("system": {"build": {"lattice": "random", "atoms": 300, "number_density": 0.0576,
                              "min_separation": 2.1, "seed": )" +
         std::to_string(seed) + R"(},
             "potential": ")" +
         kPotential + R"(", "elements": ["Cu", "Zr"], "neighbor_skin": 0.5})";
}

struct Evaluation {
  double energy = 0.0, max_force = 0.0;
};

// `glassland eval --json` of one data file.
Evaluation glassland_eval(const std::string& file) {
  const ProgramResult r =
      run_glassland("eval -e Cu Zr -p " + kPotential + " --skin 0.5 --json -s " + file);
  EXPECT_EQ(r.status, 0) << r.output;
  const json doc = json::parse(r.output.substr(r.output.find('{')));
  Evaluation e;
  e.energy = doc["structures"][0]["energy"].get<double>();
  for (const auto& f : doc["structures"][0]["forces"]) {
    const double x = f[0], y = f[1], z = f[2];
    e.max_force = std::max(e.max_force, std::sqrt(x * x + y * y + z * z));
  }
  return e;
}

// Unwrapped positions (x + image · box lengths; the packings are orthogonal) by atom index.
std::vector<double> unwrapped(const LammpsData& data) {
  std::vector<double> x;
  for (int i = 0; i < data.n_atoms(); ++i)
    for (int k = 0; k < 3; ++k)
      x.push_back(data.positions[i][k] + data.images[i][k] * (data.hi[k] - data.lo[k]));
  return x;
}

// ---- two minima, structures, displacements ----

// events.json's shape, and its values against results.h5's columns.
void check_events_and_results(const ProgramResult& run_, const std::string& out_) {
  EXPECT_NE(run_.output.find("barrier mean"), std::string::npos) << run_.output;
  EXPECT_NE(run_.output.find("saddles per hour"), std::string::npos) << run_.output;
  const json doc = read_json_file(out_ + "/events.json");
  const json& events = doc["events"];
  ASSERT_TRUE(events.is_array());
  ASSERT_EQ(doc["attempts"].get<size_t>(), events.size());
  int successes = 0;
  std::set<int> minima_seen;
  int64_t previous_id = -1;
  for (const json& e : events) {
    for (const char* key : {"search_id", "minimum", "center_atom", "success", "e_initial_eV",
                            "force_evaluations", "outcome"})
      EXPECT_TRUE(e.contains(key)) << key << " missing in " << e.dump();
    EXPECT_GT(e["search_id"].get<int64_t>(), previous_id);  // ordered by search id
    previous_id = e["search_id"].get<int64_t>();
    const int center = e["center_atom"];
    EXPECT_TRUE(center >= 1 && center <= 300) << "not an atom ID: " << center;
    minima_seen.insert(e["minimum"].get<int>());
    // Random centres alternate over the minima by search id.
    EXPECT_EQ(e["minimum"].get<int64_t>(), e["search_id"].get<int64_t>() % 2);
    if (e["success"].get<bool>()) {
      ++successes;
      for (const char* key : {"e_saddle_eV", "e_final_eV", "barrier_eV", "eigenvalue",
                              "asymmetry_eV", "participating_atoms", "count", "files",
                              "saddle_displacement_norm_A", "final_displacement_norm_A"})
        EXPECT_TRUE(e.contains(key)) << key << " missing in " << e.dump();
      EXPECT_NEAR(e["barrier_eV"].get<double>(),
                  e["e_saddle_eV"].get<double>() - e["e_initial_eV"].get<double>(), 1e-8);
      EXPECT_LT(e["eigenvalue"].get<double>(), 0.0);
      EXPECT_FALSE(e.contains("reason"));
    } else {
      ASSERT_TRUE(e.contains("reason")) << e.dump();
      EXPECT_EQ(e["reason"], e["outcome"]);
      EXPECT_FALSE(e.contains("e_saddle_eV"));
    }
  }
  EXPECT_EQ(doc["successes"].get<int>(), successes);
  EXPECT_EQ(successes, 2);  // random centres stop at the target
  EXPECT_EQ(minima_seen, (std::set<int>{0, 1}));

  const hdf5::File h5 = hdf5::File::open_read_only(out_ + "/results.h5");
  EXPECT_GE(testing::expect_units_follow_h5md(h5), 15);  // "eV Angstrom-2", not "eV/Å²"
  const auto ids = h5.dataset("events/search_id").read<int64_t>();
  const auto outcome = h5.dataset("events/outcome").read<int64_t>();
  const auto success = h5.dataset("events/success").read<int64_t>();
  const auto center = h5.dataset("events/center_atom_id").read<int64_t>();
  const auto barrier = h5.dataset("events/barrier_eV").read<double>();
  const auto e_initial = h5.dataset("events/e_initial_eV").read<double>();
  const auto e_saddle = h5.dataset("events/e_saddle_eV").read<double>();
  const auto evaluations = h5.dataset("events/force_evaluations").read<int64_t>();
  const auto reasons = h5.dataset("outcomes/reason").read_strings();
  const auto codes = h5.dataset("outcomes/code").read<int64_t>();
  ASSERT_EQ(ids.size(), events.size());
  for (size_t k = 0; k < events.size(); ++k) {
    const json& e = events[k];
    EXPECT_EQ(ids[k], e["search_id"].get<int64_t>());
    EXPECT_EQ(center[k], e["center_atom"].get<int64_t>());
    EXPECT_EQ(success[k] != 0, e["success"].get<bool>());
    EXPECT_EQ(evaluations[k], e["force_evaluations"].get<int64_t>());
    ASSERT_LT(static_cast<size_t>(outcome[k]), reasons.size());
    EXPECT_EQ(codes[outcome[k]], outcome[k]);
    EXPECT_EQ(reasons[outcome[k]], e["outcome"].get<std::string>());
    EXPECT_NEAR(e_initial[k], e["e_initial_eV"].get<double>(), 1e-8);
    if (success[k]) {
      EXPECT_NEAR(barrier[k], e["barrier_eV"].get<double>(), 1e-8);
      EXPECT_DOUBLE_EQ(barrier[k], e_saddle[k] - e_initial[k]);
    } else {
      EXPECT_TRUE(std::isnan(barrier[k]));
    }
  }
  // Unique saddles: their counts add up to the successes.
  const auto counts = h5.dataset("unique_saddles/count").read<int64_t>();
  int64_t total = 0;
  for (int64_t c : counts)
    total += c;
  EXPECT_EQ(total, successes);
  EXPECT_EQ(h5.dataset("minima/energy_eV").read<double>().size(), 2u);
}

// The written structures against fresh evaluations (glassland eval, LAMMPS) and each other.
void check_structures(const std::string& directory_, const std::string& out_) {
  const json doc = read_json_file(out_ + "/events.json");
  const json effective = read_json_file(out_ + "/effective_input.json");
  const double tolerance = effective["art"]["search"]["saddle_force_tolerance"];
  const double threshold = effective["art"]["search"]["participation_threshold"];
  const hdf5::File h5 = hdf5::File::open_read_only(out_ + "/results.h5");
  const auto displaced_ids = h5.dataset("displacements/search_id").read<int64_t>();
  const auto saddle_field = h5.dataset("displacements/saddle_A").read<double>();
  const auto final_field = h5.dataset("displacements/final_A").read<double>();
  int checked = 0, lammps_checked = 0;
  for (const json& e : doc["events"]) {
    if (!e["success"].get<bool>())
      continue;
    const std::string initial = out_ + "/" + e["files"]["initial"].get<std::string>();
    const std::string saddle = out_ + "/" + e["files"]["saddle"].get<std::string>();
    const std::string final_state = out_ + "/" + e["files"]["final"].get<std::string>();
    char stem[40];
    std::snprintf(stem, sizeof stem, "structures/event_%06lld",
                  static_cast<long long>(e["search_id"].get<int64_t>()));
    EXPECT_EQ(e["files"]["saddle"].get<std::string>(), std::string(stem) + "_saddle.data");

    const Evaluation at_saddle = glassland_eval(saddle);
    EXPECT_NEAR(at_saddle.energy, e["e_saddle_eV"].get<double>(), 1e-6);
    EXPECT_LT(at_saddle.max_force, tolerance);
    EXPECT_NEAR(glassland_eval(initial).energy, e["e_initial_eV"].get<double>(), 1e-6);
    EXPECT_NEAR(glassland_eval(final_state).energy, e["e_final_eV"].get<double>(), 1e-6);
    // LAMMPS reads the same configuration from the file (image flags included).
    if (lammps_checked < 2) {
      const auto lammps =
          testing::lammps_evaluate(directory_, saddle, "eam/fs", kPotential, {"Cu", "Zr"});
      EXPECT_NEAR(lammps.energy, e["e_saddle_eV"].get<double>(), 1e-6);
      double largest = 0.0;
      for (const auto& [id, f] : lammps.forces)
        largest = std::max(largest, std::sqrt(f[0] * f[0] + f[1] * f[1] + f[2] * f[2]));
      EXPECT_LT(largest, tolerance);
      ++lammps_checked;
    }

    // Displacements between the files: participating atom IDs, the norms, results.h5's fields.
    const LammpsData d0 = read_lammps_data(initial), d1 = read_lammps_data(saddle),
                     d2 = read_lammps_data(final_state);
    const std::vector<double> x0 = unwrapped(d0), x1 = unwrapped(d1), x2 = unwrapped(d2);
    std::set<int> moved;
    double norm1 = 0.0, norm2 = 0.0;
    for (int i = 0; i < d0.n_atoms(); ++i) {
      double s1 = 0.0;
      for (int k = 0; k < 3; ++k) {
        s1 += (x1[3 * i + k] - x0[3 * i + k]) * (x1[3 * i + k] - x0[3 * i + k]);
        norm2 += (x2[3 * i + k] - x0[3 * i + k]) * (x2[3 * i + k] - x0[3 * i + k]);
      }
      norm1 += s1;
      if (std::sqrt(s1) > threshold)
        moved.insert(d0.ids[i]);
    }
    const std::vector<int> listed = e["participating_atoms"].get<std::vector<int>>();
    EXPECT_EQ(moved, std::set<int>(listed.begin(), listed.end()));
    EXPECT_NEAR(std::sqrt(norm1), e["saddle_displacement_norm_A"].get<double>(), 1e-8);
    EXPECT_NEAR(std::sqrt(norm2), e["final_displacement_norm_A"].get<double>(), 1e-8);
    const auto row =
        std::find(displaced_ids.begin(), displaced_ids.end(), e["search_id"].get<int64_t>()) -
        displaced_ids.begin();
    ASSERT_LT(static_cast<size_t>(row), displaced_ids.size());
    const size_t n3 = x0.size();
    for (size_t j = 0; j < n3; ++j) {
      EXPECT_NEAR(saddle_field[row * n3 + j], x1[j] - x0[j], 1e-9);
      EXPECT_NEAR(final_field[row * n3 + j], x2[j] - x0[j], 1e-9);
    }
    ++checked;
  }
  EXPECT_EQ(checked, 2);
  EXPECT_EQ(displaced_ids.size(), 2u);
}

// task neb on structures/: one band per event, endpoints at the event's energies.
void check_neb(const std::string& directory_, const std::string& out_) {
  const std::string neb_out = directory_ + "/neb";
  std::ofstream(directory_ + "/neb.json") << R"({"task": "neb",
  "system": {"potential": ")" << kPotential
                                          << R"(", "elements": ["Cu", "Zr"], "neighbor_skin": 0.5},
  "neb": {"directory": ")" << out_ << R"(/structures", "images": 5, "max_iterations": 20,
          "climbing": false},
  "output": {"directory": ")" << neb_out << R"(", "quiet": true}})";
  const ProgramResult neb = run_glassland("run " + directory_ + "/neb.json");
  ASSERT_EQ(neb.status, 0) << neb.output;
  const json summary = read_json_file(neb_out + "/neb.json");
  std::vector<json> successes;
  const json events = read_json_file(out_ + "/events.json");
  for (const json& e : events["events"])
    if (e["success"].get<bool>())
      successes.push_back(e);
  ASSERT_EQ(summary["bands"].size(), successes.size());
  const hdf5::File h5 = hdf5::File::open_read_only(neb_out + "/results.h5");
  for (size_t b = 0; b < successes.size(); ++b) {
    EXPECT_EQ(summary["bands"][b]["initial"].get<std::string>(),
              out_ + "/" + successes[b]["files"]["initial"].get<std::string>());
    char name[32];
    std::snprintf(name, sizeof name, "bands/%04zu/energies_eV", b);
    const auto energies = h5.dataset(name).read<double>();
    ASSERT_EQ(energies.size(), 5u);
    EXPECT_NEAR(energies.front(), successes[b]["e_initial_eV"].get<double>(), 1e-6);
    EXPECT_NEAR(energies.back(), successes[b]["e_final_eV"].get<double>(), 1e-6);
  }
}

// docs/tasks.md names every key of the effective input. An empty object adds no key here (as
// this test has always counted them), unlike the other task tests.
void check_documented(const std::string& out_) {
  testing::expect_every_key_documented(out_ + "/effective_input.json", "docs/tasks.md", 40u,
                                       testing::EmptyObjects::kAreSkipped);
}

// One run (the checks share it: each run costs ~10 s of CPU): two minima in one batch.
TEST(ArtTask, TwoMinimaEventsResultsStructuresAndNeb) {
  GLASSLAND_REQUIRE_LAMMPS();
  const std::string directory = testing::make_scratch_dir("art_task");
  // The second minimum: another packing, as a data file (art.minima).
  const ProgramResult built = run_glassland(
      "build --lattice random --atoms 300 --density 0.0576 --min-separation 2.1 "
      "--seed 6 -p " +
      kPotential + " -o " + directory + "/second.data");
  ASSERT_EQ(built.status, 0) << built.output;
  const std::string out = directory + "/out";
  std::ofstream(directory + "/in.json") << R"({"task": "art", )" << system_section(5) << R"(,
  "art": {"minima": ["second.data"], "concurrent_searches": 2, "target_successes": 2,
          "max_attempts": 60, "seed": 4, "write_structures": true, "write_displacements": true},
  "output": {"directory": ")" << out << R"(", "quiet": true}})";
  const ProgramResult run = run_glassland("run " + directory + "/in.json");
  ASSERT_EQ(run.status, 0) << run.output;
  std::cout << run.output;
  check_events_and_results(run, out);
  check_structures(directory, out);
  check_neb(directory, out);
  check_documented(out);
}

// ---- restart ----

std::string restart_input(const std::string& directory) {
  return R"({"task": "art", )" + system_section(5) + R"(,
  "art": {"concurrent_searches": 2, "target_successes": 2, "max_attempts": 60, "seed": 4,
          "checkpoint_searches": 2},
  "output": {"directory": ")" +
         directory + R"("}})";
}

// ---- console ----

// Console conventions (docs/exit-codes.md): search progress with percent and time left on stderr
// (it had counts only, and only at checkpoints), gone with --quiet; the barrier statistics on
// stdout either way.
TEST(ArtTaskConsole, ProgressHasPercentAndTimeLeftAndQuietRemovesOnlyIt) {
  const std::string directory = testing::make_scratch_dir("art_console");
  for (const std::string name : {"loud", "quiet"}) {
    json input = json::parse(restart_input(directory + "/" + name));
    input["output"]["progress_interval"] = 1e-9;  // a line whenever searches end
    if (name == "loud")
      input["art"]["checkpoint_searches"] = 0;  // one engine call: lines as searches end
    std::ofstream(directory + "/" + name + ".json") << input.dump();
  }
  const testing::ConsoleResult loud =
      testing::run_glassland_console("run " + directory + "/loud.json");
  ASSERT_EQ(loud.status, 0) << loud.err;
  const std::regex progress_line(
      R"(art searches: +\d+\.\d% +success \d+/2 .* \d\d:\d\d:\d\d left)");
  EXPECT_TRUE(std::regex_search(loud.err, progress_line)) << loud.err;
  // a line after searches ended, not only at the start (0/2) and in the closing "done" line
  EXPECT_TRUE(std::regex_search(loud.err, std::regex(R"(art searches: +[0-9.]+% +success [12]/2)")))
      << loud.err;
  EXPECT_NE(loud.out.find("art: barrier mean "), std::string::npos) << loud.out;
  EXPECT_FALSE(std::regex_search(loud.out, progress_line)) << loud.out;

  const testing::ConsoleResult quiet =
      testing::run_glassland_console("run " + directory + "/quiet.json --quiet");
  ASSERT_EQ(quiet.status, 0) << quiet.err;
  EXPECT_FALSE(std::regex_search(quiet.err, progress_line)) << quiet.err;
  EXPECT_NE(quiet.out.find("art: barrier mean "), std::string::npos) << quiet.out;
}

// Polls `checkpoint` (renamed into place whole, so every read sees a complete file) until
// `ready` holds for it, at most 300 s, then SIGKILLs the run; its wait status.
int kill_when_checkpoint(pid_t pid, const std::string& checkpoint,
                         const std::function<bool(const Checkpoint&)>& ready) {
  auto holds = [&] {
    if (!fs::exists(checkpoint))
      return false;
    try {
      return ready(Checkpoint::read(checkpoint));
    } catch (const std::exception&) {  // the finished run removed it meanwhile
      return false;
    }
  };
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(300);
  while (!holds() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  kill(pid, SIGKILL);
  return wait_for_exit(pid);
}

TEST(ArtTaskRestart, KilledAfterACheckpointAndRestartedEndsWithTheSameEvents) {
  const std::string dir = testing::make_scratch_dir("art_task_restart");
  std::ofstream(dir + "/straight.json") << restart_input(dir + "/straight");
  std::ofstream(dir + "/killed.json") << restart_input(dir + "/killed");
  ASSERT_EQ(wait_for_exit(start_glassland({"run", dir + "/straight.json"})), 0);

  // Kill as soon as the first checkpoint exists (the run needs more than one chunk).
  const std::string checkpoint = dir + "/killed/checkpoint.h5";
  const int status = kill_when_checkpoint(start_glassland({"run", dir + "/killed.json"}),
                                          checkpoint, [](const Checkpoint&) { return true; });
  ASSERT_TRUE(WIFSIGNALED(status)) << "the run ended before it could be killed";
  EXPECT_FALSE(fs::exists(dir + "/killed/events.json"));

  const ProgramResult restarted = run_glassland("run " + dir + "/killed.json --restart");
  ASSERT_EQ(restarted.status, 0) << restarted.output;
  EXPECT_NE(restarted.output.find("restarting from"), std::string::npos) << restarted.output;
  EXPECT_EQ(read_text_file(dir + "/straight/events.json"),
            read_text_file(dir + "/killed/events.json"));
  EXPECT_FALSE(fs::exists(checkpoint));  // a finished run removes its checkpoint
  const hdf5::File a = hdf5::File::open_read_only(dir + "/straight/results.h5");
  const hdf5::File b = hdf5::File::open_read_only(dir + "/killed/results.h5");
  for (const char* column : {"events/e_initial_eV", "events/e_saddle_eV", "events/eigenvalue",
                             "events/saddle_displacement_norm_A"}) {
    const auto x = a.dataset(column).read<double>(), y = b.dataset(column).read<double>();
    ASSERT_EQ(x.size(), y.size()) << column;
    for (size_t k = 0; k < x.size(); ++k)
      EXPECT_TRUE(x[k] == y[k] || (std::isnan(x[k]) && std::isnan(y[k]))) << column << " " << k;
  }
  EXPECT_EQ(a.dataset("events/search_id").read<int64_t>(),
            b.dataset("events/search_id").read<int64_t>());
  EXPECT_GE(read_json_file(dir + "/killed/events.json")["successes"].get<int>(), 2);
}

// ---- walk ----

// A checkpointed walk (chunks of 2 search ids, so the walkers and the minima they found must
// cross chunk boundaries), killed after its first checkpoint and restarted, against the same
// walk uninterrupted.
std::string walk_input(const std::string& directory) {
  return R"({"task": "art", )" + system_section(5) + R"(,
  "art": {"concurrent_searches": 2, "target_successes": 3, "max_attempts": 60, "seed": 4,
          "walk": true, "checkpoint_searches": 2},
  "output": {"directory": ")" +
         directory + R"(", "quiet": true}})";
}

TEST(ArtTaskWalk, RecordsTheMinimaItReachesAndTheirConnectionsAcrossARestart) {
  const std::string dir = testing::make_scratch_dir("art_task_walk");
  std::ofstream(dir + "/walk.json") << walk_input(dir + "/out");
  std::ofstream(dir + "/killed.json") << walk_input(dir + "/killed");
  ASSERT_EQ(wait_for_exit(start_glassland({"run", dir + "/walk.json"})), 0);

  // Kill at the first checkpoint whose walkers are not where a fresh engine would put them
  // (slot r on minimum r mod the number of minima), so that the restart depends on restoring
  // the walkers and the minima they found.
  const std::string checkpoint = dir + "/killed/checkpoint.h5";
  auto walker_moved = [](const Checkpoint& c) {
    const std::vector<int64_t> walkers = c.int64s("walk/walkers");
    const int64_t n_minima = 1 + static_cast<int64_t>(c.doubles("walk/minima_energy").size());
    for (size_t r = 0; r < walkers.size(); ++r)
      if (walkers[r] != static_cast<int64_t>(r) % n_minima)
        return true;
    return false;
  };
  ASSERT_TRUE(WIFSIGNALED(kill_when_checkpoint(start_glassland({"run", dir + "/killed.json"}),
                                               checkpoint, walker_moved)))
      << "the walk ended before a checkpoint had a walker on a found minimum";
  // The walk's checkpoint is not continued as a plain search (its minima ids would dangle).
  {
    const std::string walk_key = "\"walk\": true";
    std::string plain = walk_input(dir + "/killed");
    plain.replace(plain.find(walk_key), walk_key.size(), "\"walk\": false");
    std::ofstream(dir + "/plain.json") << plain;
    const ProgramResult refused = run_glassland("run " + dir + "/plain.json --restart");
    EXPECT_NE(refused.status, 0);
    EXPECT_NE(refused.output.find("art.walk"), std::string::npos) << refused.output;
    EXPECT_TRUE(fs::exists(checkpoint));
  }
  const ProgramResult restarted = run_glassland("run " + dir + "/killed.json --restart");
  ASSERT_EQ(restarted.status, 0) << restarted.output;
  EXPECT_EQ(read_text_file(dir + "/out/events.json"), read_text_file(dir + "/killed/events.json"));
  {
    const hdf5::File a = hdf5::File::open_read_only(dir + "/out/results.h5");
    const hdf5::File b = hdf5::File::open_read_only(dir + "/killed/results.h5");
    for (const char* name : {"connectivity/edge_minimum_a", "connectivity/edge_minimum_b",
                             "connectivity/edge_count", "connectivity/event_row"})
      EXPECT_EQ(a.dataset(name).read<int64_t>(), b.dataset(name).read<int64_t>()) << name;
    EXPECT_EQ(a.dataset("connectivity/minima_energy_eV").read<double>(),
              b.dataset("connectivity/minima_energy_eV").read<double>());
  }

  const json doc = read_json_file(dir + "/out/events.json");
  const hdf5::File h5 = hdf5::File::open_read_only(dir + "/out/results.h5");
  const auto energies = h5.dataset("connectivity/minima_energy_eV").read<double>();
  const auto a = h5.dataset("connectivity/edge_minimum_a").read<int64_t>();
  const auto b = h5.dataset("connectivity/edge_minimum_b").read<int64_t>();
  const auto counts = h5.dataset("connectivity/edge_count").read<int64_t>();
  const auto e_saddle = h5.dataset("connectivity/edge_e_saddle_eV").read<double>();
  int successes = 0, from_found_minimum = 0;
  int64_t crossings = 0;
  for (int64_t c : counts)
    crossings += c;
  for (const json& e : doc["events"]) {
    if (!e["success"].get<bool>())
      continue;
    ++successes;
    ASSERT_TRUE(e.contains("final_minimum")) << e.dump();
    const int from = e["minimum"], to = e["final_minimum"];
    from_found_minimum += from > 0 ? 1 : 0;
    EXPECT_NE(from, to);
    ASSERT_LT(static_cast<size_t>(to), energies.size());
    // The minimum reached is registered with its energy (matched within 1e-3 eV).
    EXPECT_NEAR(energies[to], e["e_final_eV"].get<double>(), 1e-3);
    EXPECT_NEAR(energies[from], e["e_initial_eV"].get<double>(), 1e-3);
    bool found = false;
    for (size_t k = 0; k < a.size(); ++k)
      if (a[k] == std::min(from, to) && b[k] == std::max(from, to)) {
        found = true;
        EXPECT_LE(e_saddle[k], e["e_saddle_eV"].get<double>() + 1e-9);
      }
    EXPECT_TRUE(found) << "no edge " << from << " – " << to;
  }
  EXPECT_GE(successes, 3);
  EXPECT_EQ(crossings, successes);
  // With this seed a walker moves on (in a later chunk than the one that found its minimum,
  // so the walkers crossed a checkpoint): a search starts from a minimum the walk found.
  EXPECT_GT(from_found_minimum, 0);
}

// ---- listed centres ----

TEST(ArtTaskCenters, ListedAtomIdsAreSearchedInTurnWithinTheirCaps) {
  const std::string dir = testing::make_scratch_dir("art_task_centers");
  std::ofstream(dir + "/atoms.json") << R"({"task": "art", )" << system_section(5) << R"(,
  "art": {"concurrent_searches": 2, "seed": 4,
          "centers": {"select": "atoms", "atoms": [7, 3], "successes_per_center": 1,
                      "max_attempts_per_center": 1}},
  "output": {"directory": ")" << dir << R"(/out", "quiet": true}})";
  const ProgramResult run = run_glassland("run " + dir + "/atoms.json");
  ASSERT_EQ(run.status, 0) << run.output;
  const json doc = read_json_file(dir + "/out/events.json");
  // One search per centre (max_attempts_per_center 1), in the listed order, none abandoned.
  ASSERT_EQ(doc["events"].size(), 2u);
  EXPECT_EQ(doc["events"][0]["search_id"].get<int>(), 0);
  EXPECT_EQ(doc["events"][0]["center_atom"].get<int>(), 7);
  EXPECT_EQ(doc["events"][1]["search_id"].get<int>(), 1);
  EXPECT_EQ(doc["events"][1]["center_atom"].get<int>(), 3);
  EXPECT_EQ(doc["abandoned"].get<int>(), 0);
}

// ---- summaries and faults (issue 16 items 1 and 3) ----

// Whether `text` holds a non-finite number as printf writes one.
bool prints_non_finite(const std::string& text) {
  return std::regex_search(text, std::regex(R"((^|[^a-z])(-?nan|-?inf)([^a-z]|$))",
                                            std::regex::icase | std::regex::multiline));
}

// One successful search: its barrier, "no spread", never "std nan eV" (the spread of one value).
TEST(ArtTaskSummary, OneSuccessfulSearchPrintsItsBarrierWithoutASpread) {
  const std::string directory = testing::make_scratch_dir("art_one_event");
  json input = json::parse(restart_input(directory + "/out"));
  input["art"]["target_successes"] = 1;
  input["art"]["concurrent_searches"] = 1;
  input["art"]["checkpoint_searches"] = 0;
  input["output"]["quiet"] = true;
  std::ofstream(directory + "/in.json") << input.dump();
  const testing::ConsoleResult run =
      testing::run_glassland_console("run " + directory + "/in.json");
  ASSERT_EQ(run.status, 0) << run.err;
  const json events = read_json_file(directory + "/out/events.json");
  int successes = 0;
  double barrier = 0.0;
  for (const json& e : events["events"])
    if (e["success"].get<bool>()) {
      ++successes;
      barrier = e["barrier_eV"].get<double>();
    }
  ASSERT_EQ(successes, 1) << events.dump(1);
  char expected[96];
  std::snprintf(expected, sizeof expected,
                "art: barrier %.6f eV (one successful search: no spread)", barrier);
  EXPECT_NE(run.out.find(expected), std::string::npos) << run.out;
  EXPECT_EQ(run.out.find("std"), std::string::npos) << run.out;
  EXPECT_FALSE(prints_non_finite(run.out + run.err)) << run.out << run.err;
}

// Pushes of 5 Å (shared by the cluster's atoms along a unit 3n-vector: its largest atom moves
// more than the 1 Å an atom may move in one step): every search is stopped by the fault check at
// its first push, recorded in faults.json naming the atom and the move, the exit code
// says that searches failed, and the summary has no statistics of an empty sample (no nan).
TEST(ArtTaskFaults, APushBeyondTheStepBoundFailsEachSearchNamingTheAtom) {
  const std::string dir = testing::make_scratch_dir("art_task_faults");
  std::ofstream(dir + "/in.json") << R"({"task": "art",
  "system": {"build": {"lattice": "b2", "cells": [6, 6, 6]}, "potential": ")"
                                  << kPotential << R"("},
  "art": {"concurrent_searches": 2, "target_successes": 1, "max_attempts": 3, "seed": 4,
          "search": {"push_step": 5}},
  "output": {"directory": ")" << dir
                                  << R"(/out", "quiet": true}})";
  const testing::ConsoleResult run = testing::run_glassland_console("run " + dir + "/in.json");
  EXPECT_EQ(WEXITSTATUS(run.status), 3) << run.err;
  EXPECT_NE(run.out.find("no successful search: no barrier statistics"), std::string::npos)
      << run.out;
  EXPECT_FALSE(prints_non_finite(run.out + run.err)) << run.out << run.err;
  const json faults = read_json_file(dir + "/out/faults.json");
  ASSERT_EQ(faults["failures"].size(), 3u) << faults.dump(1);
  for (const json& f : faults["failures"]) {
    EXPECT_EQ(f["unit"], "search");
    EXPECT_EQ(f["cause"], "step_too_long");
    std::smatch move;
    const std::string detail = f["detail"].get<std::string>();
    ASSERT_TRUE(std::regex_search(
        detail, move,
        std::regex(R"(^atom (\d+) would move ([0-9.]+) Å in one step \(more than 1 Å\))")))
        << f.dump();
    EXPECT_GE(std::stoi(move[1].str()), 1);  // an atom ID of the structure (b2 6³: 1–432)
    EXPECT_LE(std::stoi(move[1].str()), 432);
    EXPECT_GT(std::stod(move[2].str()), 1.0);
    EXPECT_LE(std::stod(move[2].str()), 5.0);
    EXPECT_EQ(f["step"], 1) << f.dump();  // the first push
    EXPECT_NE(f["remedy"].get<std::string>().find("push_step"), std::string::npos) << f.dump();
  }
  // Bound first: a range-for over a member of a temporary would iterate a destroyed object.
  const json events_file = read_json_file(dir + "/out/events.json");
  for (const json& e : events_file["events"])
    EXPECT_EQ(e["reason"], "step too long") << e.dump();
  EXPECT_NE(run.err.find("search 0"), std::string::npos) << run.err;  // the closing summary
}

// ---- bad input ----

TEST(ArtTaskInput, ErrorsNameTheKey) {
  const std::string dir = testing::make_scratch_dir("art_task_input");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"("search": {"push_step": -1})", "art.search.push_step"},
      {R"("search": {"eigenvalue_threshold": 0.3})", "art.search.eigenvalue_threshold"},
      {R"("concurrent_searches": 0)", "art.concurrent_searches"},
      {R"("centers": {"select": "atoms"})", "art.centers.atoms"},
      {R"("centers": {"select": "atoms", "atoms": [100000]})", "art.centers.atoms"},
      {R"("centers": {"species": "Xx"})", "art.centers.species"},
      {R"("centers": {"select": "every_atom"}, "walk": true)", "art.walk"},
      {R"("serach": {})", "art.serach"},
      {R"("minima": ["missing.data"])", "missing.data"},
  };
  int k = 0;
  for (const auto& [art, key] : cases) {
    const std::string file = dir + "/bad" + std::to_string(k++) + ".json";
    std::ofstream(file) << R"({"task": "art",
  "system": {"build": {"lattice": "b2", "cells": [6, 6, 6]}, "potential": ")"
                        << kPotential << R"("},
  "art": {)" << art << R"(}, "output": {"directory": ")"
                        << dir << R"(/out", "quiet": true}})";
    const ProgramResult r = run_glassland("run " + file);
    EXPECT_NE(r.status, 0) << art;
    EXPECT_NE(r.output.find(key), std::string::npos) << art << " → " << r.output;
  }
  // No art section at all.
  std::ofstream(dir + "/none.json") << R"({"task": "art",
  "system": {"build": {"lattice": "b2", "cells": [6, 6, 6]}}})";
  const ProgramResult r = run_glassland("run " + dir + "/none.json");
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.output.find("art"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace glassland
