// `task: md` with md.analysis (issue 20 item 3): the MSD, α2 and F_s that the device accumulates
// for every replica equal `glassland analyze dynamics` of the trajectory the same run wrote, with
// the same origins and lags, to 1e-10; bad settings are errors naming the key.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>

#include "tests/support/lammps_oracle.hpp"
#include "tests/support/program_runner.hpp"

namespace glassland {
namespace {

std::string input(const std::string& directory, const std::string& analysis) {
  return R"({
  "task": "md",
  "system": {"build": {"lattice": "b2", "cells": [6, 6, 6], "seed": 5}, "replicas": 2},
  "md": {"steps": 300, "ensemble": "nvt", "temperature": [2500, 2000], "thermostat": {"tau": 0.05},
         "analysis": )" +
         analysis + R"(},
  "output": {"directory": ")" +
         directory + R"(", "thermo_stride": 100, "trajectory_stride": 10, "quiet": true}
})";
}

void expect_curves_equal(const nlohmann::json& device, const nlohmann::json& posthoc,
                         const std::string& what) {
  ASSERT_EQ(device.size(), posthoc.size()) << what;
  for (std::size_t k = 0; k < device.size(); ++k) {
    if (device[k].is_null() || posthoc[k].is_null()) {
      EXPECT_EQ(device[k].is_null(), posthoc[k].is_null()) << what << " lag " << k;
      continue;
    }
    const double a = device[k].get<double>(), b = posthoc[k].get<double>();
    EXPECT_NEAR(a, b, 1e-10 * std::max(1.0, std::fabs(b))) << what << " lag " << k;
  }
}

// Runs md with md.analysis and `analyze dynamics` on its trajectory (extra: its options beyond
// the origins, lags and q), checks every curve of both replicas equal to 1e-10, and returns the
// settings of both documents.
std::pair<nlohmann::json, nlohmann::json> expect_device_equals_posthoc(const std::string& name,
                                                                       const std::string& analysis,
                                                                       const std::string& extra) {
  const std::string dir = testing::make_scratch_dir(name);
  std::ofstream(dir + "/input.json") << input(dir + "/run", analysis);
  const testing::ProgramResult run = testing::run_glassland("run " + dir + "/input.json");
  EXPECT_EQ(run.status, 0) << run.output;
  const testing::ProgramResult post = testing::run_glassland(
      "analyze dynamics " + dir +
      "/run/trajectory.h5md --origin-stride 3 --max-lag-ps 0.24 --q 2.7 1.5 " + extra + " -o " +
      dir + "/posthoc.json");
  EXPECT_EQ(post.status, 0) << post.output;
  const nlohmann::json device = testing::read_json_file(dir + "/run/dynamics.json");
  const nlohmann::json posthoc = testing::read_json_file(dir + "/posthoc.json");
  EXPECT_EQ(device["series"].size(), 2u);
  EXPECT_EQ(posthoc["series"].size(), 2u);
  for (int r = 0; r < 2 && r < static_cast<int>(posthoc["series"].size()); ++r) {
    const nlohmann::json& d = device["series"][r];
    const nlohmann::json& p = posthoc["series"][r];
    EXPECT_EQ(d["temperature_K"], p["temperature_K"]);
    EXPECT_EQ(d["lag_ps"].size(), 13u);
    for (const char* who : {"all", "Cu", "Zr"}) {
      expect_curves_equal(d["origin_atom_pairs"][who], p["origin_atom_pairs"][who], "pairs");
      expect_curves_equal(d["msd_A2"][who], p["msd_A2"][who], std::string("msd ") + who);
      expect_curves_equal(d["alpha2"][who], p["alpha2"][who], std::string("alpha2 ") + who);
      for (int q = 0; q < 2; ++q)
        expect_curves_equal(d["fs_by_q"][q][who], p["fs_by_q"][q][who], std::string("fs ") + who);
      EXPECT_NEAR(d["diffusion_m2_per_s"][who]["value"].get<double>(),
                  p["diffusion_m2_per_s"][who]["value"].get<double>(),
                  1e-10 * p["diffusion_m2_per_s"][who]["value"].get<double>());
    }
    // The liquid moves: the MSD grows with the lag, and F_s decays from 1 within the lags.
    EXPECT_GT(d["msd_A2"]["all"][12].get<double>(), d["msd_A2"]["all"][1].get<double>());
    EXPECT_EQ(d["fs_by_q"][0]["all"][0].get<double>(), 1.0);
    EXPECT_LT(d["fs_by_q"][0]["all"][12].get<double>(), 0.9);
  }
  return {device["settings"], posthoc["settings"]};
}

TEST(MdAnalysis, DeviceSumsEqualThePostHocAnalysisOfTheWrittenTrajectory) {
  const auto settings = expect_device_equals_posthoc(
      "md_analysis", R"({"stride": 10, "max_lag": 12, "origin_stride": 3, "q": [2.7, 1.5]})", "");
  EXPECT_EQ(settings.first["lateral"], false);
}

// Lateral (x–y) displacements: F_s is the J0 average on the device (the C library's j0) and in
// the post-hoc analysis (std::cyl_bessel_j), and α2 takes d = 2.
TEST(MdAnalysis, LateralSumsWithBesselScatteringEqualThePostHocAnalysis) {
  const auto settings = expect_device_equals_posthoc(
      "md_analysis_lateral",
      R"({"stride": 10, "max_lag": 12, "origin_stride": 3, "q": [2.7, 1.5], "lateral": true})",
      "--lateral");
  EXPECT_EQ(settings.first["lateral"], true);
  EXPECT_EQ(settings.second["lateral"], true);
}

TEST(MdAnalysis, MisspelledKeyIsAnInputErrorNamingIt) {
  const std::string dir = testing::make_scratch_dir("md_analysis_errors");
  std::ofstream(dir + "/input.json") << input(dir + "/run", R"({"strid": 10})");
  const testing::ProgramResult typo = testing::run_glassland("run " + dir + "/input.json");
  EXPECT_NE(typo.status, 0);
  EXPECT_NE(typo.output.find("md.analysis.stride"), std::string::npos) << typo.output;
}

}  // namespace
}  // namespace glassland

namespace glassland {
namespace {

// system.slab adds 10 Å of vacuum on each side along z (paper 002): the layer profile of the run's
// trajectory is empty in the vacuum, and the equimolar surfaces of the B2 film (12 atomic planes
// 1.63 Å apart, z = 0 … 17.93 Å) lie within one plane spacing outside its outermost planes, so
// that the 2.5 Å surface layers hold two planes each: 4 of 12.
TEST(MdAnalysis, SlabHasTwoFreeSurfacesThatTheAnalysesFind) {
  const std::string dir = testing::make_scratch_dir("md_slab");
  std::ofstream(dir + "/input.json")
      << R"({
  "task": "md",
  "system": {"build": {"lattice": "b2", "cells": [6, 6, 6], "seed": 5}, "slab": {}},
  "md": {"steps": 100, "ensemble": "nvt", "temperature": 300,
         "analysis": {"stride": 10, "lateral": true, "max_lag": 10, "origin_stride": 1}},
  "output": {"directory": ")" +
             dir + R"(/run", "thermo_stride": 50, "trajectory_stride": 10, "quiet": true}
})";
  const testing::ProgramResult run = testing::run_glassland("run " + dir + "/input.json");
  ASSERT_EQ(run.status, 0) << run.output;
  const nlohmann::json config = testing::read_json_file(dir + "/run/effective_input.json");
  EXPECT_EQ(config["system"]["slab"]["vacuum"], 10.0);
  const testing::ProgramResult structure = testing::run_glassland(
      "analyze structure " + dir + "/run/trajectory.h5md --layers 2.5 --voronoi none -o " + dir +
      "/layers.json");
  ASSERT_EQ(structure.status, 0) << structure.output;
  const nlohmann::json layers = testing::read_json_file(dir + "/layers.json")["layers"];
  const auto z = layers["z_A"].get<std::vector<double>>();
  const auto density = layers["density_inv_A3"].get<std::vector<double>>();
  ASSERT_EQ(z.size(), 16u);  // 39.56 Å in layers of 2.5 Å
  double atoms = 0;
  for (std::size_t k = 0; k < z.size(); ++k) {
    if (z[k] < -2.0 || z[k] > 20.0)
      EXPECT_EQ(density[k], 0.0) << z[k];
    if (z[k] > 1.0 && z[k] < 17.0)
      EXPECT_GT(density[k], 0.03) << z[k];
    atoms += layers["atoms_per_frame"][k].get<double>();
  }
  EXPECT_DOUBLE_EQ(atoms, 432.0);
  const testing::ProgramResult dynamics = testing::run_glassland(
      "analyze dynamics " + dir +
      "/run/trajectory.h5md --replica 0 --lateral --surface-depth 2.5 -o " + dir + "/surface.json");
  ASSERT_EQ(dynamics.status, 0) << dynamics.output;
  const nlohmann::json surface = testing::read_json_file(dir + "/surface.json")["surface"];
  EXPECT_GT(surface["mean_top_A"].get<double>(), 17.93);
  EXPECT_LT(surface["mean_top_A"].get<double>(), 17.93 + 1.63);
  EXPECT_LT(surface["mean_bottom_A"].get<double>(), 0.0);
  EXPECT_GT(surface["mean_bottom_A"].get<double>(), -1.63);
  EXPECT_NEAR(surface["mean_surface_atom_fraction"].get<double>(), 4.0 / 12.0, 0.02);
  // Lateral MSD and D of the surface atoms (docs/analysis.md, "Free surfaces"): every lag has
  // pairs of surface atoms only, about a third of the device's all-atom pairs (md.analysis with
  // lateral, the same origins), and a finite, growing MSD.
  const nlohmann::json surface_series = testing::read_json_file(dir + "/surface.json");
  const nlohmann::json device = testing::read_json_file(dir + "/run/dynamics.json")["series"][0];
  EXPECT_EQ(device["msd_A2"]["all"].size(), 11u);
  ASSERT_EQ(surface_series["msd_A2"]["all"].size(), 11u);
  for (int lag = 1; lag <= 10; ++lag) {
    const double surface_pairs = surface_series["origin_atom_pairs"]["all"][lag].get<double>();
    const double all_pairs = device["origin_atom_pairs"]["all"][lag].get<double>();
    EXPECT_NEAR(surface_pairs / all_pairs, 4.0 / 12.0, 0.03) << "lag " << lag;
    EXPECT_GT(surface_series["msd_A2"]["all"][lag].get<double>(), 0.0) << "lag " << lag;
  }
  EXPECT_GT(surface_series["msd_A2"]["all"][10].get<double>(),
            surface_series["msd_A2"]["all"][1].get<double>());
  EXPECT_TRUE(std::isfinite(surface_series["diffusion_m2_per_s"]["all"]["value"].get<double>()));
  EXPECT_EQ(device["fs_by_q"][0]["all"][0].get<double>(), 1.0);  // lateral F_s on the slab
}

}  // namespace
}  // namespace glassland
