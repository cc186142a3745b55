// The chain of an ART sweep end to end, with the real task (docs/sweep.md, "The analysis chain";
// label slow: a prepare run and three ART runs on a 432-atom glass cost ~2 CPU-minutes). The
// default suite's SweepChain.AnArtSweepsChainIsAnalyzeEntropyTemperatureOnItsPoints tests the same
// with a stand-in task in seconds.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "host/io/hdf5_file.hpp"
#include "tests/support/lammps_oracle.hpp"
#include "tests/support/program_runner.hpp"

namespace glassland {
namespace {

using json = nlohmann::json;
using testing::read_json_file;

// An art sweep over the inherent structures of one glass at three temperatures (prepare's stops at
// 1500 and 1200 K and its final 1000 K structure; each point searches from one): the chain is
// `analyze entropy-temperature` on the points' directories — its document equals the command's
// run here by hand with the same options, and sweep.h5 holds its per-temperature entropies.
TEST(SweepArtEntropy, AnArtSweepOverSourceTemperatureGivesAnalyzesEntropyVersusTemperature) {
  const std::string dir = testing::make_scratch_dir("sweep_command_art_entropy");
  std::ofstream(dir + "/prepare.json") << R"({"task": "prepare",
    "system": {"build": {"lattice": "b2", "cells": [6, 6, 6], "seeds": [11]}},
    "prepare": {"melt": {"temperature": 2000, "steps": 100},
                "cool": {"end_temperature": 1000, "rate": 1e15, "stops": [1500, 1200]},
                "equilibrate": {"steps": 20}, "minimize": {"method": "cg", "ftol": 1e-3}},
    "output": {"directory": ")" + dir + R"(/prepare", "quiet": true}})";
  const auto prepared = testing::run_glassland("run " + dir + "/prepare.json");
  ASSERT_EQ(prepared.status, 0) << prepared.output;
  const json replica = read_json_file(dir + "/prepare/summary.json")["replicas"][0];
  json structures = json::array();
  for (const json& stop : replica["stops"])
    structures.push_back({"prepare/" + stop["inherent_structure"].get<std::string>()});
  structures.push_back({"prepare/" + replica["inherent_structure"].get<std::string>()});
  ASSERT_EQ(structures.size(), 3u);
  const json sweep = {{"base",
                       {{"task", "art"},
                        {"system", {{"structures", structures[0]}}},
                        {"art",
                         {{"concurrent_searches", 3},
                          {"target_successes", 4},
                          {"max_attempts", 30},
                          {"seed", 5},
                          {"centers", {{"select", "random"}, {"species", "any"}}}}},
                        {"output", {{"quiet", true}}}}},
                      {"axes", {{"system.structures", structures}}},
                      {"output", {{"directory", dir + "/out"}}},
                      {"chain", {{"bootstrap", 40}, {"seed", 7}, {"bin_width_eV", 0.2}}}};
  std::ofstream(dir + "/s.json") << sweep.dump(2);
  const auto r = testing::run_glassland("sweep -q " + dir + "/s.json");
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("entropy versus IS temperature (dynamic: barrier spectrum"),
            std::string::npos)
      << r.output;
  json chain = read_json_file(dir + "/out/sweep_summary.json")["chain"]["entropy_temperature"];
  ASSERT_TRUE(chain.is_object()) << r.output;
  const std::string points =
      dir + "/out/points/0000 " + dir + "/out/points/0001 " + dir + "/out/points/0002";
  EXPECT_EQ(chain["command_line"],
            "glassland analyze entropy-temperature --bootstrap 40 --seed 7 --bin-width 0.2 "
            "--bin-origin 0.0 " +
                points);
  const auto by_hand = testing::run_glassland(chain["command_line"].get<std::string>().substr(10) +
                                              " -o " + dir + "/hand.json");
  ASSERT_EQ(by_hand.status, 0) << by_hand.output;
  const json hand = read_json_file(dir + "/hand.json");
  chain.erase("command_line");
  EXPECT_EQ(chain, hand);
  // Each point's structures are one temperature's: the three temperatures of prepare's summary,
  // each with its source structure's 432 Voronoi cells.
  ASSERT_EQ(hand["temperatures"].size(), 3u) << hand.dump(1);
  std::vector<double> temperatures;
  for (const json& t : hand["temperatures"]) {
    temperatures.push_back(t["temperature_K"].get<double>());
    EXPECT_EQ(t["structural"]["atoms"], 432);
  }
  EXPECT_EQ(temperatures, (std::vector<double>{1000, 1200, 1500}));
  ASSERT_TRUE(hand["derivatives"]["dynamic_entropy_per_K"].is_array());
  const hdf5::File h5 = hdf5::File::open_read_only(dir + "/out/sweep.h5");
  const hdf5::Group g = h5.group("chain/entropy_temperature");
  EXPECT_EQ(g.dataset("temperature_K").read<double>(), temperatures);
  const std::vector<double> s = g.dataset("dynamic_entropy").read<double>();
  const std::vector<double> se = g.dataset("dynamic_entropy_standard_error").read<double>();
  const std::vector<double> str = g.dataset("structural_entropy").read<double>();
  for (size_t k = 0; k < 3; ++k) {
    const json& t = hand["temperatures"][k];
    EXPECT_EQ(s[k], t["dynamic"]["entropy"]["value"].get<double>());
    EXPECT_EQ(se[k], t["dynamic"]["entropy"]["standard_error"].get<double>());
    EXPECT_EQ(str[k], t["structural"]["entropy"]["value"].get<double>());
  }
  EXPECT_EQ(g.group("derivatives/dynamic_entropy_per_K").dataset("value").read<double>().size(),
            hand["derivatives"]["dynamic_entropy_per_K"].size());
}

}  // namespace
}  // namespace glassland
