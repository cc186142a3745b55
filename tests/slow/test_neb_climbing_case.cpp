// The climbing-image band of issue 16 that diverged (shared/cases/neb_climbing_divergence, copied
// to tests/slow/data/neb_climbing_divergence): the end states of one ART event on a 2000-atom
// defective B2 Cu50Zr50 crystal. Oracle: LAMMPS `fix neb` (7 replicas, spring 5 eV/Å²,
// quickmin, dt 0.002 ps, `neb 0.0 0.001 …`) converges it in 906 steps to a forward barrier of
// 3.549805 eV (the case's README). glassland with the case's own input (default spring 1 eV/Å²,
// climbing on, tolerance 1e-3 eV/Å, at most 3000 iterations) diverged to 359.7 eV before the
// band's FIRE took LAMMPS min_fire's step rule (a Δt shortened to dmax, half step back). It must
// now converge to LAMMPS's barrier within 1e-3 eV, and the progress lines must show the largest
// force and the highest image as the band relaxes.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

#include "tests/support/lammps_oracle.hpp"
#include "tests/support/program_runner.hpp"

namespace glassland {
namespace {

constexpr double kLammpsBarrier = 3.549805;  // eV, fix neb, the case's README

// One run of the case's band with extra neb keys (JSON members, each with a trailing comma).
struct CaseRun {
  testing::ProgramResult run;
  nlohmann::json band;  // neb.json's first band, when the run wrote one
};

CaseRun run_case(const std::string& name, const std::string& neb_keys) {
  const std::string dir = testing::make_scratch_dir(name);
  const std::string data = std::string(GLASSLAND_SOURCE_DIR) + "/tests/slow/data/";
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/neb.json") << R"({
    "task": "neb",
    "system": {"potential": "/usr/share/lammps/potentials/CuZr_mm.eam.fs",
               "elements": ["Cu", "Zr"]},
    "neb": {"pairs": [{"initial": ")"
                                   << data << R"(neb_climbing_divergence/initial.data", "final": ")"
                                   << data << R"(neb_climbing_divergence/final.data"}],
            )" << neb_keys << R"(
            "images": 7, "spring": 1.0, "climbing": true, "max_iterations": 3000,
            "write_saddles": true},
    "output": {"directory": ")" << dir
                                   << R"(/out", "progress_interval": 20}
  })";
  CaseRun result{testing::run_glassland("run " + dir + "/neb.json"), {}};
  if (std::filesystem::exists(dir + "/out/neb.json"))
    result.band = testing::read_json_file(dir + "/out/neb.json").at("bands").at(0);
  return result;
}

// Quickmin (neb.optimizer) where the band's FIRE ran away (2026-12-06, docs/neb.md): tolerance
// and climb_below 0.01 eV/Å, climbing from iteration 111, 4.7e12 eV/Å by iteration 3000.
TEST(NebClimbingCase, QuickminConvergesWhereFireRanAway) {
  const CaseRun quickmin =
      run_case("neb_climbing_quickmin",
               R"("optimizer": "quickmin", "tolerance": 0.01, "climb_below": 0.01,)");
  ASSERT_EQ(quickmin.run.status, 0) << quickmin.run.output;
  const nlohmann::json& band = quickmin.band;
  ASSERT_TRUE(band.at("converged").get<bool>()) << band.dump(2);
  EXPECT_NEAR(band.at("barrier_forward_eV").get<double>(), kLammpsBarrier, 1e-3);
  std::cout << "glassland quickmin: barrier " << band.at("barrier_forward_eV").get<double>()
            << " eV in " << band.at("iterations").get<int>() << " iterations\n";
}

TEST(NebClimbingCase, ConvergesToTheLammpsBarrierWithDefaultSettings) {
  const CaseRun fire = run_case("neb_climbing_case", R"("tolerance": 0.001,)");
  const testing::ProgramResult& run = fire.run;
  std::cout << run.output;
  ASSERT_EQ(run.status, 0) << run.output;
  const nlohmann::json& band = fire.band;
  ASSERT_TRUE(band.at("converged").get<bool>()) << band.dump(2);
  EXPECT_LE(band.at("max_force_eV_per_A").get<double>(), 1e-3);
  EXPECT_NEAR(band.at("barrier_forward_eV").get<double>(), kLammpsBarrier, 1e-3);
  EXPECT_GT(band.at("climbing_image").get<int>(), 0);
  std::cout << "glassland: barrier " << band.at("barrier_forward_eV").get<double>() << " eV in "
            << band.at("iterations").get<int>() << " iterations (LAMMPS " << kLammpsBarrier
            << " eV in 906 steps)\n";
  // Progress shows the band as it goes (when a progress line was due at all).
  if (run.output.find("% ") != std::string::npos) {
    EXPECT_NE(run.output.find("max force"), std::string::npos) << run.output;
    EXPECT_NE(run.output.find("above its initial state"), std::string::npos) << run.output;
  }
}

}  // namespace
}  // namespace glassland
