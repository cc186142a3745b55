// `glassland analyze glass-transition`, `entropy-temperature` and `disconnectivity` end to end
// (issue 21 items 5-7), against closed forms and brute force computed here:
//  * glass-transition on a prepare-shaped results.h5 + summary.json written here, with V, PE and
//    H planted as continuous two-branch lines with known T_g and slopes for two replicas of
//    different ramps (records outside each replica's ramp hold values far off the lines, so a
//    wrong window shows), and on the record of a real `task: prepare` run (layout, cooling rates,
//    the ramp's points);
//  * entropy-temperature on an events.json with planted barrier counts per source temperature
//    (Shannon entropy −Σ p ln p by hand) and B2 source structures (every atom <0,6,0,8>: zero
//    structural entropy);
//  * disconnectivity on an events.json of a planted walk: the energy at which two minima join in
//    the tree equals the minimax saddle over all paths between them (brute force).
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "host/io/hdf5_file.hpp"
#include "tests/support/lammps_oracle.hpp"
#include "tests/support/program_runner.hpp"

namespace glassland {
namespace {

using nlohmann::json;
constexpr double kB = 8.617333262e-5;

json run_json(const std::string& arguments) {
  const testing::ProgramResult r = testing::run_glassland(arguments, false);
  EXPECT_EQ(r.status, 0) << arguments << "\n" << r.output;
  try {
    return json::parse(r.output);
  } catch (const std::exception&) {
    ADD_FAILURE() << "not JSON: " << r.output;
    return {};
  }
}

// ---- glass transition ----

struct Branches {
  double tg, at_tg, glass, liquid;  // value at T_g and slopes per K
  double at(double t) const { return at_tg + (t < tg ? glass : liquid) * (t - tg); }
};

TEST(AnalyzeGlassTransition, RecoversPlantedKinksAndHeatCapacitiesPerReplica) {
  const std::string dir = testing::make_scratch_dir("analyze_glass_transition");
  // Two replicas: melt records (steps < 1000), then ramps 1200 → 300 K of 9000 and 4500 steps.
  const int first_step = 1000, stride = 100, atoms = 500;
  const std::vector<int> ramp = {9000, 4500};
  const std::vector<double> rate = {1e12, 2e12};
  const std::vector<Branches> volume = {{700, 8000, 0.2, 0.6}, {650, 8050, 0.25, 0.55}};
  const std::vector<Branches> pe = {{700, -2900, 0.08, 0.15}, {650, -2890, 0.09, 0.16}};
  const std::vector<Branches> enthalpy = {{700, -2850, 0.1, 0.18}, {650, -2840, 0.11, 0.2}};
  std::vector<std::int64_t> steps;
  std::vector<double> time, target, v, p, h;
  for (int step = 0; step <= first_step + ramp[0] + 500; step += stride) {
    steps.push_back(step);
    time.push_back(0.002 * step);
    for (int r = 0; r < 2; ++r) {
      const bool in_ramp = step >= first_step && step <= first_step + ramp[r];
      const double t = step < first_step ? 1200.0
                       : in_ramp         ? 1200.0 - 900.0 * (step - first_step) / ramp[r]
                                         : 300.0;
      target.push_back(t);
      const double off = in_ramp ? 0.0 : 1e4;  // outside the ramp: far from the lines
      v.push_back(volume[r].at(t) + off);
      p.push_back(pe[r].at(t) + off);
      h.push_back(enthalpy[r].at(t) + off);
    }
  }
  {
    hdf5::File file = hdf5::File::create(dir + "/results.h5");
    const hsize_t records = steps.size();
    for (const auto& [name, values] :
         std::vector<std::pair<std::string, std::vector<double>*>>{{"target_temperature", &target},
                                                                   {"volume", &v},
                                                                   {"potential_energy", &p},
                                                                   {"enthalpy", &h}}) {
      file.write("observables/" + name + "/step", steps);
      file.write("observables/" + name + "/time", time);
      file.write("observables/" + name + "/value", *values, {records, 2});
    }
  }
  json summary = {
      {"task", "prepare"},
      {"atoms_per_replica", atoms},
      {"stages",
       {{{"name", "melt"}, {"first_step", 0}}, {{"name", "cool"}, {"first_step", first_step}}}},
      {"replicas", json::array()}};
  for (int r = 0; r < 2; ++r)
    summary["replicas"].push_back({{"replica", r},
                                   {"cooling_steps", ramp[r]},
                                   {"cooling_rate_K_per_s", rate[r]},
                                   {"effective_cooling_rate_K_per_s", rate[r]}});
  std::ofstream(dir + "/summary.json") << summary.dump(1);

  const json doc = run_json("analyze glass-transition " + dir + "/results.h5");
  ASSERT_EQ(doc["results"].size(), 2u);
  for (int r = 0; r < 2; ++r) {
    const json& e = doc["results"][r];
    EXPECT_EQ(e["replica"].get<int>(), r);
    EXPECT_EQ(e["cooling_rate_K_per_s"].get<double>(), rate[r]);
    EXPECT_EQ(e["points"].get<int>(), ramp[r] / stride + 1);  // the ramp's records only
    EXPECT_NEAR(e["tg_K"].get<double>(), volume[r].tg, 1e-6);
    EXPECT_LT(e["tg_stderr_K"].get<double>(), 1e-6);  // exact lines: no scatter
    const json& fits = e["observables"];
    const std::map<std::string, Branches> planted = {
        {"volume", volume[r]}, {"potential_energy", pe[r]}, {"enthalpy", enthalpy[r]}};
    for (const auto& [name, b] : planted) {
      EXPECT_NEAR(fits[name]["tg_K"].get<double>(), b.tg, 1e-6) << name;
      EXPECT_NEAR(fits[name]["slope_glass_per_K"]["value"].get<double>(), b.glass, 1e-9) << name;
      EXPECT_NEAR(fits[name]["slope_liquid_per_K"]["value"].get<double>(), b.liquid, 1e-9) << name;
    }
    const json& cp = fits["enthalpy"]["heat_capacity"];
    EXPECT_NEAR(cp["glass_eV_per_K"]["value"].get<double>(), enthalpy[r].glass, 1e-9);
    EXPECT_NEAR(cp["liquid_kB_per_atom"]["value"].get<double>(), enthalpy[r].liquid / (atoms * kB),
                1e-6);
  }
}

TEST(AnalyzeGlassTransition, ReadsTheRecordOfAPrepareRunDirectly) {
  const std::string dir = testing::make_scratch_dir("analyze_glass_transition_prepare");
  // Two 432-atom replicas: melt 100 steps, ramps 2000 → 1000 K at 1e15 and 2e15 K/s (dt 2 fs:
  // 500 and 250 steps), thermo every 25 steps.
  std::ofstream(dir + "/prepare.json") << R"({
  "task": "prepare",
  "system": {"build": {"lattice": "b2", "cells": [6, 6, 6], "seeds": [11, 12]}, "replicas": 2},
  "prepare": {
    "melt": {"temperature": 2000, "steps": 100},
    "cool": {"end_temperature": 1000, "rate": [1e15, 2e15]},
    "equilibrate": {"steps": 50},
    "minimize": {"method": "cg", "ftol": 1e-2}
  },
  "output": {"directory": ")" + dir + R"(/out", "thermo_stride": 25, "quiet": true}
})";
  const testing::ProgramResult run = testing::run_glassland("run " + dir + "/prepare.json");
  ASSERT_EQ(run.status, 0) << run.output;
  const json summary = testing::read_json_file(dir + "/out/summary.json");
  const testing::ProgramResult analysed = testing::run_glassland(
      "analyze glass-transition " + dir + "/out/results.h5 -o " + dir + "/tg.json");
  ASSERT_EQ(analysed.status, 0) << analysed.output;
  const json out = testing::read_json_file(dir + "/tg.json");
  // The record as prepare wrote it, read here: [record][replica].
  const hdf5::File results = hdf5::File::open_read_only(dir + "/out/results.h5");
  const auto steps = results.dataset("observables/volume/step").read<std::int64_t>();
  const auto target = results.dataset("observables/target_temperature/value").read<double>();
  const auto volume = results.dataset("observables/volume/value").read<double>();
  ASSERT_EQ(out["results"].size(), 2u);
  for (int r = 0; r < 2; ++r) {
    const json& e = out["results"][r];
    EXPECT_EQ(e["replica"].get<int>(), r);
    EXPECT_EQ(e["cooling_rate_K_per_s"], summary["replicas"][r]["cooling_rate_K_per_s"]);
    EXPECT_EQ(e["atoms"].get<int>(), 432);
    EXPECT_EQ(e["temperature_observable"], "target_temperature");
    // The fitted points are the ramp's records: steps 100 … 100 + cooling_steps.
    const int ramp = summary["replicas"][r]["cooling_steps"].get<int>();
    std::vector<double> ramp_t, ramp_v;
    for (size_t k = 0; k < steps.size(); ++k)
      if (steps[k] >= 100 && steps[k] <= 100 + ramp) {
        ramp_t.push_back(target[2 * k + r]);
        ramp_v.push_back(volume[2 * k + r]);
      }
    EXPECT_EQ(ramp_t.size(), static_cast<size_t>(ramp / 25 + 1));
    const json& data = e["observables"]["volume"]["data"];
    EXPECT_EQ(data["temperature_K"].get<std::vector<double>>(), ramp_t);
    EXPECT_EQ(data["value"].get<std::vector<double>>(), ramp_v);
    EXPECT_EQ(e["points"].get<size_t>(), ramp_t.size());
    EXPECT_GE(e["tg_K"].get<double>(), 1000.0);
    EXPECT_LE(e["tg_K"].get<double>(), 2000.0);
    // A number, or null where too few effective points leave the error undefined.
    EXPECT_TRUE(e["tg_stderr_K"].is_number() || e["tg_stderr_K"].is_null());
  }
}

// ---- entropy against temperature ----

TEST(AnalyzeEntropyTemperature, PlantedSpectraPerSourceTemperature) {
  const std::string dir = testing::make_scratch_dir("analyze_entropy_temperature");
  // A B2 structure (every Voronoi cell <0,6,0,8>) as the source of the 500 K minima.
  const testing::ProgramResult built =
      testing::run_glassland("build --lattice b2 --cells 3 3 3 -o " + dir + "/b2.data");
  ASSERT_EQ(built.status, 0) << built.output;
  // Barriers per temperature, bins of 0.1 eV from 0: planted counts per bin.
  const std::map<double, std::vector<int>> counts = {
      {500, {0, 4, 4}}, {600, {0, 2, 3, 5}}, {700, {1, 1, 1, 1, 1, 1}}};
  json events = json::array();
  int minimum = 0;
  std::map<double, int> minimum_of;
  for (const auto& [t, c] : counts) {
    minimum_of[t] = minimum++;
    for (size_t bin = 0; bin < c.size(); ++bin)
      for (int k = 0; k < c[bin]; ++k)
        events.push_back({{"success", true},
                          {"minimum", minimum_of[t]},
                          {"barrier_eV", 0.1 * bin + 0.05},
                          {"source_temperature_K", t}});
  }
  events.push_back({{"success", false}, {"minimum", 0}, {"source_temperature_K", 500}});
  json minima = json::array();
  for (const auto& [t, m] : minimum_of) {
    json entry = {{"minimum", m}, {"source_temperature_K", t}};
    if (t == 500)
      entry["path"] = dir + "/b2.data";
    minima.push_back(entry);
  }
  std::ofstream(dir + "/events.json") << json{{"events", events}, {"minima", minima}}.dump();

  const json doc = run_json("analyze entropy-temperature " + dir +
                            "/events.json --bin-width 0.1 --bootstrap 50");
  ASSERT_EQ(doc["temperatures"].size(), counts.size());
  size_t i = 0;
  std::vector<double> entropy;
  for (const auto& [t, c] : counts) {
    const json& e = doc["temperatures"][i++];
    EXPECT_EQ(e["temperature_K"].get<double>(), t);
    double n = 0, s = 0;
    for (int k : c)
      n += k;
    for (int k : c)
      if (k > 0)
        s -= k / n * std::log(k / n);
    entropy.push_back(s);
    EXPECT_EQ(e["events"].get<double>(), n);
    EXPECT_NEAR(e["dynamic"]["entropy"]["value"].get<double>(), s, 1e-12) << t;
    EXPECT_NEAR(e["dynamic"]["diversity"]["value"].get<double>(), std::exp(s), 1e-10) << t;
    if (t == 500) {
      ASSERT_TRUE(e["structural"].is_object()) << e.dump();
      EXPECT_EQ(e["structural"]["atoms"].get<int>(), 54);
      EXPECT_NEAR(e["structural"]["entropy"]["value"].get<double>(), 0.0, 1e-12);
    } else {
      EXPECT_TRUE(e["structural"].is_null());
    }
  }
  // Derivative of the dynamic entropy at the middle temperature: central difference.
  const json& d = doc["derivatives"]["dynamic_entropy_per_K"];
  ASSERT_EQ(d.size(), 3u);
  EXPECT_NEAR(d[1]["value"].get<double>(), (entropy[2] - entropy[0]) / 200.0, 1e-12);
}

// ---- disconnectivity ----

TEST(AnalyzeDisconnectivity, MinimaJoinAtTheirMinimaxSaddle) {
  const std::string dir = testing::make_scratch_dir("analyze_disconnectivity");
  // Six minima; connections (a, b, saddle energy), some pairs joined twice (the lower counts).
  const std::vector<double> energy = {-10.0, -9.5, -9.8, -9.0, -9.7, -9.2};
  const std::vector<std::array<double, 3>> edges = {{0, 1, -8.0}, {1, 2, -8.5}, {0, 2, -7.0},
                                                    {2, 3, -8.2}, {3, 4, -7.5}, {4, 5, -8.9},
                                                    {1, 5, -6.0}, {0, 1, -8.6}};
  json events = json::array();
  for (const auto& [a, b, saddle] : edges)
    events.push_back({{"success", true},
                      {"minimum", static_cast<int>(a)},
                      {"final_minimum", static_cast<int>(b)},
                      {"e_initial_eV", energy[static_cast<int>(a)]},
                      {"e_final_eV", energy[static_cast<int>(b)]},
                      {"e_saddle_eV", saddle}});
  std::ofstream(dir + "/events.json") << json{{"events", events}}.dump();

  // Brute force: minimax path energy between every pair (Floyd–Warshall on max/min).
  const int n = static_cast<int>(energy.size());
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<std::vector<double>> join(n, std::vector<double>(n, inf));
  for (const auto& [a, b, saddle] : edges) {
    const int i = static_cast<int>(a), j = static_cast<int>(b);
    join[i][j] = join[j][i] = std::min(join[i][j], saddle);
  }
  for (int k = 0; k < n; ++k)
    for (int i = 0; i < n; ++i)
      for (int j = 0; j < n; ++j)
        join[i][j] = std::min(join[i][j], std::max(join[i][k], join[k][j]));

  const json doc = run_json("analyze disconnectivity " + dir + "/events.json --levels 10");
  EXPECT_EQ(doc["minima"].get<int>(), n);
  EXPECT_EQ(doc["components"].get<int>(), 1);
  EXPECT_EQ(doc["global_minimum"].get<int>(), 0);
  const json& tree = doc["tree"];
  const std::vector<int> parent = tree["parent"].get<std::vector<int>>();
  const std::vector<double> node_energy = tree["energy_eV"].get<std::vector<double>>();
  ASSERT_EQ(parent.size(), static_cast<size_t>(2 * n - 1));  // n leaves, n − 1 merges
  auto ancestors = [&](int m) {
    std::vector<int> a;
    for (int x = m; x >= 0; x = parent[x])
      a.push_back(x);
    return a;
  };
  for (int i = 0; i < n; ++i) {
    EXPECT_NEAR(node_energy[i], energy[i], 1e-12);
    for (int j = i + 1; j < n; ++j) {
      const std::vector<int> ai = ancestors(i), aj = ancestors(j);
      int common = -1;
      for (int x : ai)
        if (std::find(aj.begin(), aj.end(), x) != aj.end()) {
          common = x;
          break;
        }
      ASSERT_GE(common, 0) << i << " " << j;
      EXPECT_NEAR(node_energy[common], join[i][j], 1e-12) << i << " " << j;
    }
  }
  // Every minimum ends exactly one line of the graph, at its x and energy.
  const json& segments = doc["segments"];
  for (int m = 0; m < n; ++m) {
    int ends = 0;
    for (size_t k = 0; k < segments["x1"].size(); ++k)
      if (segments["x1"][k] == doc["minima_x"][m] && segments["energy1_eV"][k] == energy[m])
        ++ends;
    EXPECT_EQ(ends, 1) << "minimum " << m;
  }
  // The same tree as HDF5 (-o tree.h5): objects as groups, arrays of numbers as datasets.
  const testing::ProgramResult h5 = testing::run_glassland(
      "analyze disconnectivity " + dir + "/events.json --levels 10 -o " + dir + "/tree.h5");
  ASSERT_EQ(h5.status, 0) << h5.output;
  const hdf5::File file = hdf5::File::open_read_only(dir + "/tree.h5");
  EXPECT_EQ(file.dataset("tree/energy_eV").read<double>(), node_energy);
  EXPECT_EQ(file.dataset("segments/x0").read<double>(),
            doc["segments"]["x0"].get<std::vector<double>>());
  // Superbasins at a level: minima whose minimax join is below it, and only those.
  for (const json& level : doc["levels"]) {
    const double e = level["energy_eV"].get<double>();
    const std::vector<int> members = level["members"].get<std::vector<int>>();
    const std::vector<int> offsets = level["member_offsets"].get<std::vector<int>>();
    for (size_t b = 0; b + 1 < offsets.size(); ++b)
      for (int p = offsets[b]; p < offsets[b + 1]; ++p)
        for (int q = offsets[b]; q < offsets[b + 1]; ++q)
          if (p != q)
            EXPECT_LE(join[members[p]][members[q]], e) << "level " << e;
    // ... and every two minima below it that join below it share a superbasin.
    std::vector<int> basin_of(n, -1);
    for (size_t b = 0; b + 1 < offsets.size(); ++b)
      for (int p = offsets[b]; p < offsets[b + 1]; ++p)
        basin_of[members[p]] = static_cast<int>(b);
    for (int i = 0; i < n; ++i)
      for (int j = 0; j < n; ++j)
        if (i != j && energy[i] < e && energy[j] < e && join[i][j] < e)
          EXPECT_EQ(basin_of[i], basin_of[j]) << "level " << e << ": " << i << ", " << j;
  }
}

}  // namespace
}  // namespace glassland
