// `glassland analyze ageing` and `glassland analyze mobility` end to end (issue 21 items 3–4):
//  * ageing: an md run with md.inherent_structures and loaded/unloaded replicas; the command's
//    series, pair stresses, elastic offsets and map pixels are recomputed by brute force from the
//    run's own results.h5 (the closed-form tests of the maps are tests/analysis/test_ageing_map);
//  * ageing from structures of a prepare run: their cooling rates found from any working
//    directory (the md run records the files as absolute paths with their rates);
//  * mobility: a LAMMPS dump with two planted hoppers (a step of d between two frames) among
//    atoms at rest: p_hop = d²(h/(h+1))^{3/2} at the hop, 0 elsewhere, and D.F.(X %) of planted
//    excitations in closed form.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "host/io/hdf5_file.hpp"
#include "tests/support/lammps_oracle.hpp"
#include "tests/support/program_runner.hpp"

namespace glassland {
namespace {

using nlohmann::json;
using testing::read_json_file;
using testing::run_glassland;

TEST(AnalyzeAgeing, SeriesStressesAndPixelsFollowTheMdResults) {
  const std::string dir = testing::make_scratch_dir("analyze_ageing");
  // Replicas 0, 1 at 1000 K and 2, 3 at 1300 K, the odd ones at γ_xy = 0.04; all of one build.
  std::ofstream(dir + "/md.json") << R"({"task": "md",
  "system": {"build": {"lattice": "b2", "cells": [6, 6, 6], "seeds": [4, 4, 4, 4]}, "replicas": 4},
  "md": {"steps": 80, "ensemble": "nvt", "temperature": [1000, 1000, 1300, 1300],
         "shear": {"strain_xy": [0.0, 0.04, 0.0, 0.04]},
         "inherent_structures": {"stride": 40, "ftol": 1e-2}},
  "output": {"directory": ")" + dir + R"(/md", "thermo_stride": 10, "quiet": true}})";
  ASSERT_EQ(run_glassland("run " + dir + "/md.json").status, 0);
  const std::string results = dir + "/md/results.h5";
  const auto run = run_glassland("analyze ageing " + results +
                                 " --energy-bin-width 0.01 --min-count 2 -o " + dir + "/a.json");
  ASSERT_EQ(run.status, 0) << run.output;
  const json doc = read_json_file(dir + "/a.json");

  const hdf5::File h5 = hdf5::File::open_read_only(results);
  const auto is_time = h5.dataset("observables/inherent_structure/energy/time").read<double>();
  const auto is_energy = h5.dataset("observables/inherent_structure/energy/value").read<double>();
  const auto converged =
      h5.dataset("observables/inherent_structure/converged/value").read<double>();
  const auto thermo_time = h5.dataset("observables/pxy/time").read<double>();
  const auto pxy = h5.dataset("observables/pxy/value").read<double>();
  ASSERT_EQ(is_time.size(), 3u);
  const double atoms = 432.0;
  for (double c : converged)
    ASSERT_EQ(c, 1.0);

  ASSERT_EQ(doc["replicas"].size(), 4u);
  std::vector<std::vector<double>> shifted(4);  // the energies the maps bin
  for (int r = 0; r < 4; ++r) {
    const json& p = doc["replicas"][r];
    EXPECT_EQ(p["temperature_K"].get<double>(), r < 2 ? 1000.0 : 1300.0);
    EXPECT_EQ(p["loaded"].get<bool>(), r % 2 == 1);
    EXPECT_EQ(p["atoms"].get<int>(), 432);
    const auto e = p["energy_per_atom_eV"].get<std::vector<double>>();
    ASSERT_EQ(e.size(), 3u);
    for (std::size_t k = 0; k < 3; ++k)
      EXPECT_EQ(e[k], is_energy[k * 4 + r] / atoms);
    // The elastic offset: first E_IS minus that of the unloaded replica of the same structure
    // (all four share the build, and the first unloaded one is replica 0).
    const double offset = r % 2 == 1 ? e[0] - is_energy[0] / atoms : 0.0;
    EXPECT_EQ(p["elastic_offset_eV_per_atom"].get<double>(), offset);
    for (double x : e)
      shifted[r].push_back(x - offset);
    // Pair stresses: −pxy (GPa) averaged over the thermo records in (t_i, t_{i+1}].
    const auto tau = p["pair_shear_stress_GPa"].get<std::vector<double>>();
    ASSERT_EQ(tau.size(), r % 2 == 1 ? 2u : 0u);
    for (std::size_t i = 0; i < tau.size(); ++i) {
      double sum = 0.0;
      int n = 0;
      for (std::size_t k = 0; k < thermo_time.size(); ++k)
        if (thermo_time[k] > is_time[i] + 1e-9 && thermo_time[k] <= is_time[i + 1] + 1e-9) {
          sum += -pxy[k * 4 + r] * 1e-4;
          ++n;
        }
      EXPECT_EQ(n, 4);
      EXPECT_NEAR(tau[i], sum / n, 1e-12 * std::fabs(sum / n));
    }
  }
  // The strained build resists its shear: a positive mean stress.
  EXPECT_GT(doc["replicas"][1]["pair_shear_stress_GPa"][0].get<double>(), 0.0);

  // Every pixel by brute force: the pairs of the map's replicas whose mean energy falls in it.
  const auto edges = doc["grid"]["energy_edges_eV_per_atom"].get<std::vector<double>>();
  EXPECT_EQ(doc["grid"]["temperature_K"], json({1000.0, 1300.0}));
  for (const char* which : {"unloaded", "loaded"}) {
    const json& m = doc[which];
    const int parity = std::string(which) == "loaded" ? 1 : 0;
    EXPECT_EQ(m["pairs"].get<int>(), 4);
    for (int row = 0; row < 2; ++row)
      for (std::size_t b = 0; b + 1 < edges.size(); ++b) {
        std::vector<double> rates;
        const int r = 2 * row + parity;
        for (std::size_t i = 0; i + 1 < 3; ++i) {
          const double mean = 0.5 * (shifted[r][i] + shifted[r][i + 1]);
          if (mean >= edges[b] && mean < edges[b + 1])
            rates.push_back((shifted[r][i + 1] - shifted[r][i]) / (is_time[i + 1] - is_time[i]));
        }
        EXPECT_EQ(m["count"][row][b].get<std::size_t>(), rates.size());
        if (rates.empty()) {
          EXPECT_TRUE(m["rate_eV_per_atom_ps"][row][b].is_null());
          continue;
        }
        double mean = 0.0;
        for (double x : rates)
          mean += x / rates.size();
        EXPECT_NEAR(m["rate_eV_per_atom_ps"][row][b].get<double>(), mean,
                    1e-12 + 1e-9 * std::fabs(mean));
        if (rates.size() >= 2) {
          double s2 = 0.0;
          for (double x : rates)
            s2 += (x - mean) * (x - mean) / (rates.size() - 1);
          EXPECT_NEAR(m["rate_error_eV_per_atom_ps"][row][b].get<double>(),
                      std::sqrt(s2 / rates.size()), 1e-12 + 1e-9 * std::sqrt(s2));
        }
      }
  }
  EXPECT_TRUE(doc.contains("ratio"));
  EXPECT_TRUE(doc.contains("activation_volume"));

  // The same document as HDF5.
  ASSERT_EQ(
      run_glassland("analyze ageing " + results + " --energy-bin-width 0.01 -o " + dir + "/a.h5")
          .status,
      0);
  const hdf5::File maps = hdf5::File::open_read_only(dir + "/a.h5");
  EXPECT_TRUE(maps.exists("unloaded/count"));
  EXPECT_TRUE(maps.exists("loaded/rate_eV_per_atom_ps"));
}

TEST(AnalyzeAgeing, ResultsWithoutInherentStructuresAreRefusedNamingTheKey) {
  const std::string dir = testing::make_scratch_dir("analyze_ageing_errors");
  std::ofstream(dir + "/md.json") << R"({"task": "md",
  "system": {"build": {"lattice": "b2", "cells": [6, 6, 6], "seed": 4}},
  "md": {"steps": 10, "temperature": 500},
  "output": {"directory": ")" + dir + R"(/md", "quiet": true}})";
  ASSERT_EQ(run_glassland("run " + dir + "/md.json").status, 0);
  const auto r = run_glassland("analyze ageing " + dir + "/md/results.h5");
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.output.find("md.inherent_structures"), std::string::npos) << r.output;
}

// The md run records the structure files it read as absolute paths with their prepare run's
// cooling rate (effective_input.json, system.structures and system._sources), so analyze ageing
// attaches the rate wherever it runs from: the input names the structures relative to itself,
// md runs from the tests' directory and analyze from the filesystem root. The oracle is the
// prepare run's own summary.json.
TEST(AnalyzeAgeing, CoolingRatesOfTheSourceGlassesAreFoundFromAnyWorkingDirectory) {
  const std::string dir = testing::make_scratch_dir("analyze_ageing_sources");
  std::filesystem::create_directories(dir + "/inputs");
  std::ofstream(dir + "/inputs/glasses.json") << R"({"task": "prepare",
  "system": {"build": {"lattice": "b2", "cells": [6, 6, 6], "seeds": [5, 6]}, "replicas": 2},
  "prepare": {"melt": {"temperature": 2000, "steps": 50},
              "cool": {"end_temperature": 1500, "rate": [1e15, 5e14]},
              "equilibrate": {"steps": 10}, "minimize": {"method": "cg", "ftol": 1e-2}},
  "output": {"directory": ")" + dir + R"(/out/glasses", "quiet": true}})";
  ASSERT_EQ(run_glassland("run " + dir + "/inputs/glasses.json").status, 0);
  std::ofstream(dir + "/inputs/anneal.json") << R"({"task": "md",
  "system": {"structures": ["../out/glasses/final_0000.data", "../out/glasses/final_0000.data",
                            "../out/glasses/final_0001.data"]},
  "md": {"steps": 20, "temperature": 1000, "shear": {"strain_xy": [0.0, 0.04, 0.0]},
         "inherent_structures": {"stride": 10, "ftol": 1e-2}},
  "output": {"directory": ")" + dir + R"(/out/anneal", "thermo_stride": 5, "quiet": true}})";
  ASSERT_EQ(run_glassland("run " + dir + "/inputs/anneal.json").status, 0);

  const json prepared = read_json_file(dir + "/out/glasses/summary.json");
  const double rates[3] = {prepared["replicas"][0]["cooling_rate_K_per_s"].get<double>(),
                           prepared["replicas"][0]["cooling_rate_K_per_s"].get<double>(),
                           prepared["replicas"][1]["cooling_rate_K_per_s"].get<double>()};
  ASSERT_EQ(rates[0], 1e15);
  ASSERT_EQ(rates[2], 5e14);
  const json system = read_json_file(dir + "/out/anneal/effective_input.json")["system"];
  for (int r = 0; r < 3; ++r) {
    const std::string expected =
        std::filesystem::canonical(dir + "/out/glasses/final_000" + std::to_string(r / 2) + ".data")
            .string();
    EXPECT_EQ(system["structures"][r].get<std::string>(), expected);
    EXPECT_EQ(system["_sources"][r]["file"].get<std::string>(), expected);
    EXPECT_EQ(system["_sources"][r]["cooling_rate_K_per_s"].get<double>(), rates[r]);
  }

  const std::string command = "cd / && " + std::string(GLASSLAND_PROGRAM) + " analyze ageing " +
                              dir + "/out/anneal/results.h5 -o " + dir + "/a.json 2>&1";
  ASSERT_EQ(std::system(command.c_str()), 0) << command;
  const json doc = read_json_file(dir + "/a.json");
  ASSERT_EQ(doc["replicas"].size(), 3u);
  for (int r = 0; r < 3; ++r)
    EXPECT_EQ(doc["replicas"][r]["cooling_rate_K_per_s"].get<double>(), rates[r]) << r;
  // The loaded replica's elastic offset pairs it with the unloaded replica of the same file.
  EXPECT_EQ(doc["replicas"][1]["source"], doc["replicas"][0]["source"]);
  EXPECT_NE(doc["replicas"][1]["elastic_offset_eV_per_atom"].get<double>(), 0.0);

  // The "_" record is a note that inputs ignore: the input with it added is still valid.
  json with_note = read_json_file(dir + "/inputs/anneal.json");
  with_note["system"]["_sources"] = system["_sources"];
  std::ofstream(dir + "/inputs/anneal_with_note.json") << with_note.dump(2);
  EXPECT_EQ(run_glassland("run --check " + dir + "/inputs/anneal_with_note.json").status, 0);
}

// N atoms on a grid at rest; atoms 3 and 7 (IDs 4 and 8) step by d along x between frames 5 and 6.
void write_hopper_dump(const std::string& path, int n_atoms, int n_frames, double d) {
  std::ofstream out(path);
  for (int f = 0; f < n_frames; ++f) {
    out << "ITEM: TIMESTEP\n"
        << f * 500 << "\nITEM: NUMBER OF ATOMS\n"
        << n_atoms
        << "\nITEM: BOX BOUNDS pp pp pp\n0 20\n0 20\n0 20\nITEM: ATOMS id type xu yu zu\n";
    for (int i = 0; i < n_atoms; ++i) {
      const bool hopper = i == 3 || i == 7;
      const double x = 1.0 + (i % 5) * 4.0 + (hopper && f >= 6 ? d : 0.0);
      out << i + 1 << " " << 1 + i % 2 << " " << x << " " << 1.0 + (i / 5) * 4.0 << " 5\n";
    }
  }
}

TEST(AnalyzeMobility, PlantedHoppersAndExcitationsGiveTheClosedForms) {
  const std::string dir = testing::make_scratch_dir("analyze_mobility");
  const double d = 2.0;
  write_hopper_dump(dir + "/hops.dump", 20, 11, d);
  // Excitations by tortuosity: the most tortuous holds the hoppers (IDs 4 and 8).
  std::ofstream(dir + "/lse.json") << R"([
    {"participating_atoms": [4, 8], "tortuosity": 2.0},
    {"participating_atoms": [1, 2], "tortuosity": 1.5},
    {"participating_atoms": [11, 12, 13], "tortuosity": 1.2},
    {"participating_atoms": [16], "tortuosity": 1.1},
    {"participating_atoms": [17], "converged": false, "tortuosity": 9.0}])";
  // Frames every 1 ps (500 steps of 2 fs); T_R = 4 ps: h = 2 frames per half window.
  const auto run = run_glassland("analyze mobility " + dir +
                                 "/hops.dump --timestep-ps 0.002 --window-ps 4 --excitations " +
                                 dir + "/lse.json --percents 10 50 100 -o " + dir + "/m.json");
  ASSERT_EQ(run.status, 0) << run.output;
  const json doc = read_json_file(dir + "/m.json");
  EXPECT_EQ(doc["half_window_frames"].get<int>(), 2);
  EXPECT_EQ(doc["frames"].get<int>(), 11);
  const auto p_max = doc["atoms"]["p_hop_max_A2"].get<std::vector<double>>();
  const auto t_max = doc["atoms"]["time_of_max_ps"].get<std::vector<double>>();
  ASSERT_EQ(p_max.size(), 20u);
  const double hop = d * d * std::pow(2.0 / 3.0, 1.5);
  for (int i = 0; i < 20; ++i) {
    if (i == 3 || i == 7) {
      EXPECT_NEAR(p_max[i], hop, 1e-12) << i;
      EXPECT_TRUE(t_max[i] == 5.0 || t_max[i] == 6.0) << t_max[i];  // the frames either side
    } else {
      EXPECT_EQ(p_max[i], 0.0) << i;
    }
  }
  EXPECT_EQ(doc["excitations"]["used"].get<int>(), 4);
  EXPECT_EQ(doc["excitations"]["skipped_failed"].get<int>(), 1);
  // X = 10 %: the 2 hoppers; the top excitation (1 of 4) holds both: D.F. = 1 / (2/20) = 10.
  // X = 50 %: 10 atoms (hoppers, then indices 0, 1, 2, 4, 5, 6, 8, 9 by the tie rule); the top
  // 2 excitations hold indices 3, 7, 0, 1, all among them: D.F. = (4/10) / (4/20) = 2.
  const json& df = doc["disproportionate_factor"];
  ASSERT_EQ(df.size(), 3u);
  EXPECT_EQ(df[0]["top_atoms"].get<int>(), 2);
  EXPECT_EQ(df[0]["top_excitations"].get<int>(), 1);
  EXPECT_NEAR(df[0]["value"].get<double>(), 10.0, 1e-12);
  EXPECT_EQ(df[1]["overlap"].get<int>(), 4);
  EXPECT_NEAR(df[1]["value"].get<double>(), 2.0, 1e-12);
  EXPECT_NEAR(df[2]["value"].get<double>(), 1.0, 1e-12);

  // A window that is not a whole number of frames is refused naming the option.
  const auto bad =
      run_glassland("analyze mobility " + dir + "/hops.dump --timestep-ps 0.002 --window-ps 3");
  EXPECT_NE(bad.status, 0);
  EXPECT_NE(bad.output.find("--window-ps"), std::string::npos) << bad.output;
}

}  // namespace
}  // namespace glassland
