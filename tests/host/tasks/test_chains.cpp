// Tasks chained without export (issue 21 item 8), run from the documented inputs of
// inputs/chains/ exactly as docs/metadynamics.md ("Chaining") says, from a scratch copy of the
// repository layout (inputs/chains/ copied, the program run from the scratch root):
//  * prepare → metad → NEB: a glass quenched well below T_g is the metad source; metad writes
//    each event's inherent structures as data files; their positions are those results.h5
//    records, LAMMPS finds them minimised (max force ≤ metad's ftol), and `task: neb` with
//    neb.metad makes one band per event whose fixed endpoint energies are LAMMPS's energies of
//    those files, whose records carry the tracer from summary.json, and which converges (max
//    force ≤ the input's tolerance within its max_iterations). The inputs are run unchanged.
//    `glassland analyze barriers` on metad's and neb's results.h5 gives the samples of the runs'
//    own summary.json and neb.json (and, in the prepare → art test below, on art's results.h5
//    those of events.json; `analyze entropy-temperature` the same entropies from either).
//  * mixed-temperature metad → analyze: summary.json gives every tracer its temperature and
//    pressure, and `glassland analyze barriers DIR` returns one result per temperature whose
//    sample is exactly that temperature's tracer barriers.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "host/io/hdf5_file.hpp"
#include "host/io/lammps_data.hpp"
#include "tests/support/lammps_oracle.hpp"
#include "tests/support/program_runner.hpp"

namespace glassland {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const std::string kPotential = "/usr/share/lammps/potentials/CuZr_mm.eam.fs";

// A scratch root holding a copy of inputs/chains/ (so that the inputs' relative paths hold).
std::string chains_root(const std::string& name) {
  const std::string root = testing::make_scratch_dir(name);
  fs::create_directories(root + "/inputs");
  fs::copy(std::string(GLASSLAND_SOURCE_DIR) + "/inputs/chains", root + "/inputs/chains",
           fs::copy_options::recursive | fs::copy_options::overwrite_existing);
  return root;
}

// Runs the program with `arguments` from `root` (the inputs name their outputs relative to it);
// returns the wait status and puts stdout and stderr into *output.
int run_from(const std::string& root, const std::string& arguments, std::string* output) {
  const std::string command =
      "cd " + root + " && " + std::string(GLASSLAND_PROGRAM) + " " + arguments + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  std::string text;
  char buffer[4096];
  while (size_t n = fread(buffer, 1, sizeof buffer, pipe))
    text.append(buffer, n);
  const int status = pclose(pipe);
  if (output)
    *output = text;
  return status;
}

double max_abs_minimum_image(const std::vector<double>& a, const std::vector<double>& b,
                             const std::array<double, 3>& lengths) {
  double worst = 0.0;
  for (size_t k = 0; k < a.size(); ++k) {
    const double l = lengths[k % 3];
    double d = a[k] - b[k];
    d -= l * std::round(d / l);
    worst = std::max(worst, std::fabs(d));
  }
  return worst;
}

double max_force(const testing::LammpsEvaluation& e) {
  double worst = 0.0;
  for (const auto& [id, f] : e.forces)
    worst = std::max(worst, std::sqrt(f[0] * f[0] + f[1] * f[1] + f[2] * f[2]));
  return worst;
}

// `glassland analyze barriers FILE` run from `root` with one sample (no bootstrap, no fit): its
// results, each with the sample's n and mean (issue 21 item 8: analyze reads the results.h5 of
// metad, art and neb directly).
json analyze_barriers(const std::string& root, const std::string& arguments) {
  std::string log;
  EXPECT_EQ(
      run_from(root, "analyze barriers " + arguments + " --bootstrap 0 --fit none -o barriers.json",
               &log),
      0)
      << log;
  return testing::read_json_file(root + "/barriers.json")["results"];
}

double mean_of(const std::vector<double>& values) {
  double sum = 0.0;
  for (double v : values)
    sum += v;
  return sum / values.size();
}

TEST(Chains, MetadEventsOnAGlassBecomeConvergedNebBandsFromTheDocumentedInputs) {
  const std::string root = chains_root("chains_metad_neb");
  const json neb = testing::read_json_file(root + "/inputs/chains/neb_from_metad.json");
  std::string log;
  ASSERT_EQ(run_from(root, "run inputs/chains/glass.json", &log), 0) << log;
  ASSERT_EQ(run_from(root, "run inputs/chains/metad_events.json", &log), 0) << log;
  const std::string metad = root + "/out/chains/metad_events";
  const json summary = testing::read_json_file(metad + "/summary.json");
  const json metad_input = testing::read_json_file(root + "/inputs/chains/metad_events.json");
  const double ftol = 1e-3;  // metad.minimize.ftol's default (the input leaves it)
  ASSERT_FALSE(metad_input["metad"].contains("minimize"));

  std::vector<size_t> events;
  const hdf5::File results = hdf5::File::open_read_only(metad + "/results.h5");
  for (size_t i = 0; i < summary["tracers"].size(); ++i) {
    const json& t = summary["tracers"][i];
    EXPECT_EQ(t["temperature_K"].get<double>(), metad_input["metad"]["temperature"].get<double>());
    EXPECT_TRUE(t["pressure_bar"].is_null());  // no NPT equilibration in this input
    char stem[64];
    std::snprintf(stem, sizeof stem, "/structures/tracer_%04zu", i);
    if (!t["event_found"].get<bool>()) {
      EXPECT_FALSE(fs::exists(metad + stem + "_initial.data"));
      continue;
    }
    events.push_back(i);
    char group[64];
    std::snprintf(group, sizeof group, "tracers/tracer_%04zu/", i);
    for (const char* side : {"initial", "final"}) {
      const std::string file = metad + stem + "_" + side + ".data";
      const LammpsData data = read_lammps_data(file);
      const std::array<double, 3> lengths = {data.hi[0] - data.lo[0], data.hi[1] - data.lo[1],
                                             data.hi[2] - data.lo[2]};
      std::vector<double> written;
      for (const auto& x : data.positions)
        written.insert(written.end(), x.begin(), x.end());
      const std::vector<double> recorded =
          results
              .dataset(std::string(group) +
                       (side == std::string("initial") ? "before_structure" : "after_structure") +
                       "/minimized_positions")
              .read<double>();
      ASSERT_EQ(written.size(), recorded.size()) << file;
      EXPECT_LT(max_abs_minimum_image(written, recorded, lengths), 1e-9) << file;
      // LAMMPS finds an inherent structure: every force within metad's ftol.
      const testing::LammpsEvaluation e = testing::lammps_evaluate(
          testing::make_scratch_dir("chains_lmp"), file, "eam/fs", kPotential, {"Cu", "Zr"});
      EXPECT_LE(max_force(e), ftol * (1 + 1e-6)) << file;
    }
  }
  ASSERT_FALSE(events.empty()) << "no tracer event in the documented metad input: " << log;

  ASSERT_EQ(run_from(root, "run inputs/chains/neb_from_metad.json", &log), 0) << log;
  const std::string neb_dir = root + "/out/chains/neb_from_metad";
  const json bands = testing::read_json_file(neb_dir + "/neb.json")["bands"];
  ASSERT_EQ(bands.size(), events.size());
  const hdf5::File neb_results = hdf5::File::open_read_only(neb_dir + "/results.h5");
  for (size_t b = 0; b < bands.size(); ++b) {
    const size_t i = events[b];
    const json& tracer = summary["tracers"][i];
    // The band converged: the glass's events are local hops (a liquid's are not; see the input).
    EXPECT_TRUE(bands[b]["converged"].get<bool>()) << bands[b].dump();
    EXPECT_LE(bands[b]["max_force_eV_per_A"].get<double>(), neb["neb"]["tolerance"].get<double>())
        << b;
    EXPECT_LE(bands[b]["iterations"].get<int>(), neb["neb"]["max_iterations"].get<int>()) << b;
    const json& origin = bands[b]["metad_tracer"];
    EXPECT_EQ(origin["tracer"].get<size_t>(), i);
    for (const char* key : {"atom_id", "species", "barrier_eV", "temperature_K"})
      EXPECT_EQ(origin[key], tracer[key]) << key;
    char stem[64];
    std::snprintf(stem, sizeof stem, "structures/tracer_%04zu", i);
    EXPECT_EQ(fs::path(bands[b]["initial"].get<std::string>()).filename(),
              fs::path(std::string(stem) + "_initial.data").filename());
    EXPECT_EQ(fs::path(bands[b]["final"].get<std::string>()).filename(),
              fs::path(std::string(stem) + "_final.data").filename());
    // The band's fixed endpoints are the metad inherent structures: LAMMPS's energies of them.
    char band[32];
    std::snprintf(band, sizeof band, "bands/%04zu/energies_eV", b);
    const std::vector<double> energies = neb_results.dataset(band).read<double>();
    const std::string dir = testing::make_scratch_dir("chains_lmp");
    const double e0 = testing::lammps_evaluate(dir, metad + "/" + stem + "_initial.data", "eam/fs",
                                               kPotential, {"Cu", "Zr"})
                          .energy;
    const double e1 = testing::lammps_evaluate(dir, metad + "/" + stem + "_final.data", "eam/fs",
                                               kPotential, {"Cu", "Zr"})
                          .energy;
    EXPECT_NEAR(energies.front(), e0, 1e-8 * std::fabs(e0));
    EXPECT_NEAR(energies.back(), e1, 1e-8 * std::fabs(e1));
  }

  // analyze reads both results.h5 files directly: the metad tracers with an event (grouped by
  // their recorded temperature) and the converged bands give the samples of the runs' own
  // summary.json and neb.json.
  std::vector<double> metad_barriers;
  for (size_t i : events)
    metad_barriers.push_back(summary["tracers"][i]["barrier_eV"].get<double>());
  const json from_metad = analyze_barriers(root, "out/chains/metad_events/results.h5");
  ASSERT_EQ(from_metad.size(), 1u) << from_metad.dump();
  EXPECT_EQ(from_metad[0]["temperature_K"].get<double>(),
            metad_input["metad"]["temperature"].get<double>());
  EXPECT_EQ(from_metad[0]["sample"]["n"].get<size_t>(), metad_barriers.size());
  EXPECT_NEAR(from_metad[0]["sample"]["mean_eV"].get<double>(), mean_of(metad_barriers), 1e-12);
  std::vector<double> forward;
  for (const json& band : bands)
    forward.push_back(band["barrier_forward_eV"].get<double>());  // all converged (above)
  const json from_neb = analyze_barriers(
      root, "out/chains/neb_from_metad/results.h5 --column barrier_forward_eV -T 500");
  ASSERT_EQ(from_neb.size(), 1u) << from_neb.dump();
  EXPECT_EQ(from_neb[0]["sample"]["n"].get<size_t>(), forward.size());
  EXPECT_NEAR(from_neb[0]["sample"]["mean_eV"].get<double>(), mean_of(forward), 1e-12);
}

TEST(Chains, MixedTemperatureMetadIsAnalysedPerTemperatureFromItsDirectory) {
  const std::string root = chains_root("chains_metad_analyze");
  std::string log;
  ASSERT_EQ(run_from(root, "run inputs/chains/metad_mixed_temperatures.json", &log), 0) << log;
  const json input = testing::read_json_file(root + "/inputs/chains/metad_mixed_temperatures.json");
  const json summary = testing::read_json_file(root + "/out/chains/metad_mixed/summary.json");
  const json& set_temperatures = input["metad"]["temperature"];
  ASSERT_EQ(summary["tracers"].size(), set_temperatures.size());
  EXPECT_EQ(summary["temperature_K"], set_temperatures);  // per tracer, as the input set them
  std::map<double, std::vector<double>> barriers;
  for (size_t i = 0; i < summary["tracers"].size(); ++i) {
    const json& t = summary["tracers"][i];
    EXPECT_EQ(t["temperature_K"].get<double>(), set_temperatures[i].get<double>());
    EXPECT_TRUE(t.contains("pressure_bar"));
    if (t["event_found"].get<bool>())
      barriers[t["temperature_K"].get<double>()].push_back(t["barrier_eV"].get<double>());
  }
  ASSERT_GE(barriers.size(), 2u) << "events at fewer than two temperatures: " << log;

  ASSERT_EQ(run_from(root,
                     "analyze barriers out/chains/metad_mixed --bootstrap 0 --fit none -o "
                     "barriers.json",
                     &log),
            0)
      << log;
  const json results = testing::read_json_file(root + "/barriers.json")["results"];
  ASSERT_EQ(results.size(), barriers.size());
  for (const json& r : results) {
    const double temperature = r["temperature_K"].get<double>();
    ASSERT_TRUE(barriers.count(temperature)) << temperature;
    const std::vector<double>& b = barriers[temperature];
    double mean = 0.0;
    for (double x : b)
      mean += x / b.size();
    EXPECT_EQ(r["sample"]["n"].get<size_t>(), b.size());
    EXPECT_NEAR(r["sample"]["mean_eV"].get<double>(), mean, 1e-14);
    // Parallel effective barrier, closed form: −kT ln(⟨exp(−E/kT)⟩).
    const double kt = 8.617333262e-5 * temperature;
    double average = 0.0;
    for (double x : b)
      average += std::exp(-x / kt) / b.size();
    EXPECT_NEAR(r["effective_barriers"]["parallel_eV"].get<double>(), -kt * std::log(average),
                1e-12);
  }
}

// prepare → art → analyze entropy-temperature: ART searches from prepare's stop and final
// inherent structures know each structure's temperature from prepare's summary.json (no
// art.minimum_temperatures), and analyze groups the events by it, from events.json and from
// results.h5 alike; analyze barriers on results.h5 gives the sample of events.json.
TEST(Chains, PrepareStopsGiveArtEventsTheirSourceTemperature) {
  const std::string dir = testing::make_scratch_dir("chains_prepare_art");
  std::ofstream(dir + "/prepare.json") << R"({
  "task": "prepare",
  "system": {"build": {"lattice": "b2", "cells": [6, 6, 6], "seeds": [11]}},
  "prepare": {
    "melt": {"temperature": 2000, "steps": 100},
    "cool": {"end_temperature": 1000, "rate": 1e15, "stops": [1500, 1200]},
    "equilibrate": {"steps": 20},
    "minimize": {"method": "cg", "ftol": 1e-3}
  },
  "output": {"directory": "prepare", "quiet": true}
})";
  std::string log;
  ASSERT_EQ(run_from(dir, "run prepare.json", &log), 0) << log;
  const json prepared = testing::read_json_file(dir + "/prepare/summary.json");
  std::map<std::string, double> expected;  // file → temperature, from the summary
  for (const json& stop : prepared["replicas"][0]["stops"])
    expected[stop["inherent_structure"].get<std::string>()] =
        stop["stop_temperature_K"].get<double>();
  ASSERT_EQ(expected.size(), 2u);
  expected[prepared["replicas"][0]["inherent_structure"].get<std::string>()] = 1000.0;

  json art = {{"task", "art"},
              {"system", {{"structures", json::array()}}},
              {"art",
               {{"concurrent_searches", 3},
                {"target_successes", 3},
                {"max_attempts", 30},
                {"seed", 5},
                {"centers", {{"select", "random"}, {"species", "any"}}}}},
              {"output", {{"directory", "art"}, {"quiet", true}}}};
  for (const auto& [file, t] : expected)
    art["system"]["structures"].push_back("prepare/" + file);
  std::ofstream(dir + "/art.json") << art.dump(2);
  ASSERT_EQ(run_from(dir, "run art.json", &log), 0) << log;
  const json events = testing::read_json_file(dir + "/art/events.json");
  ASSERT_EQ(events["minima"].size(), expected.size());
  std::map<int, double> temperature_of_minimum;
  for (const json& m : events["minima"]) {
    const std::string file = fs::path(m["source"].get<std::string>()).filename().string();
    ASSERT_TRUE(expected.count(file)) << file;
    EXPECT_EQ(m["source_temperature_K"].get<double>(), expected[file]) << file;
    temperature_of_minimum[m["minimum"].get<int>()] = expected[file];
  }
  std::map<double, int> successes;
  for (const json& e : events["events"]) {
    EXPECT_EQ(e["source_temperature_K"].get<double>(),
              temperature_of_minimum.at(e["minimum"].get<int>()));
    if (e["success"].get<bool>())
      ++successes[e["source_temperature_K"].get<double>()];
  }
  ASSERT_FALSE(successes.empty()) << log;

  ASSERT_EQ(run_from(dir, "analyze entropy-temperature art --bootstrap 20 -o entropy.json", &log),
            0)
      << log;
  const json entropy = testing::read_json_file(dir + "/entropy.json");
  ASSERT_EQ(entropy["temperatures"].size(), successes.size());
  for (const json& t : entropy["temperatures"]) {
    const double kelvin = t["temperature_K"].get<double>();
    EXPECT_EQ(t["events"].get<int>(), successes.at(kelvin));
    // The Voronoi cells of that temperature's source structure: one per atom.
    ASSERT_TRUE(t["structural"].is_object()) << t.dump();
    EXPECT_EQ(t["structural"]["atoms"].get<int>(), 432);
  }

  // The same from the run's results.h5 (issue 21 item 8): its event table carries the source
  // temperatures, so the dynamic entropies equal those from events.json (no structures: HDF5
  // holds no list of the minima's files).
  ASSERT_EQ(
      run_from(dir, "analyze entropy-temperature art/results.h5 --bootstrap 20 -o h5.json", &log),
      0)
      << log;
  const json from_h5 = testing::read_json_file(dir + "/h5.json")["temperatures"];
  ASSERT_EQ(from_h5.size(), entropy["temperatures"].size());
  for (size_t k = 0; k < from_h5.size(); ++k) {
    const json& a = from_h5[k];
    const json& b = entropy["temperatures"][k];
    EXPECT_EQ(a["temperature_K"], b["temperature_K"]);
    EXPECT_EQ(a["events"], b["events"]);
    EXPECT_EQ(a["dynamic"]["counts"], b["dynamic"]["counts"]);
    EXPECT_EQ(a["dynamic"]["entropy"]["value"], b["dynamic"]["entropy"]["value"]);
  }
  // Barriers from results.h5: the successful events of events.json, all temperatures pooled.
  std::vector<double> barriers;
  for (const json& e : events["events"])
    if (e["success"].get<bool>())
      barriers.push_back(e["barrier_eV"].get<double>());
  const json from_art = analyze_barriers(dir, "art/results.h5 -T 1000");
  ASSERT_EQ(from_art.size(), 1u) << from_art.dump();
  EXPECT_EQ(from_art[0]["sample"]["n"].get<size_t>(), barriers.size());
  EXPECT_NEAR(from_art[0]["sample"]["mean_eV"].get<double>(), mean_of(barriers), 1e-12);
}

}  // namespace
}  // namespace glassland
