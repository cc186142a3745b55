// `glassland run` with task neb (issue 6 item 6): real Cu50Zr50 endpoint pairs made by LAMMPS as in
// tests/slow/test_neb_vs_lammps.cpp (6×6×6 B2 CuZr, one Cu vacancy and a Zr→Cu antisite next to
// it, 431 atoms; a Cu neighbour hopped into the vacancy along x or y; both endpoints minimised
// by LAMMPS cg to 1e-10 eV/Å). Three bands in one run: the x hop, the same hop backwards and the
// y hop, 5 images each (not the default 7), tolerance 1e-3 eV/Å. The whole run takes ~1 s of CPU.
//
// Why 1e-3 and not the default 0.01 eV/Å: the criterion is the largest *atomic* force, and with
// 431 atoms the climbing image's energy still lies measurably above the saddle at a loose
// tolerance. Measured on the x hop (5 images): tolerance 0.05 → barrier 0.041 eV above LAMMPS's,
// 0.02 → 0.031, 0.01 → 0.010, 1e-3 → 9e-5 eV (docs/neb.md).
//
// What is checked, each against something computed independently of the record it checks:
// neb.json's barriers against the image energies stored in results.h5; the x hop's backward
// barrier against the reverse band's forward barrier (the same saddle found from the other side);
// the x hop's barriers against LAMMPS `neb` (3.149509 / 2.826088 eV, docs/neb.md: 7 images,
// 1e-3 eV/Å; the climbing image lands on the same saddle whatever M) within 0.01 eV, the issue's
// requirement; the written saddle's largest atomic force from `glassland eval --json` (a fresh
// force evaluation of the data file) below the tolerance, and its energy equal to the band's
// highest image; every key the run used documented in docs/neb.md; input errors that name the
// JSON path.
//
// The options of issue 6 items 2, 4, 5 and restart, each against its own oracle: jump bands
// (`neb.jumps`) against a brute-force minimum-image scan of the two structures written in the
// test and against find_jump_bands called directly; bands from an ART events.json against the
// same pairs given directly (bitwise: a band does not depend on the other bands of its batch);
// the shear response against the first-order prediction dE_A/dγ = −(W_xy(saddle) − W_xy(initial))
// (envelope theorem) by central differences, and the reported stress against LAMMPS's pxy; lost
// bands on constructed profiles; a run killed by SIGKILL and restarted against the uninterrupted
// run (bitwise).
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "host/io/batch_io.hpp"
#include "host/io/hdf5_file.hpp"
#include "host/io/lammps_data.hpp"
#include "host/io/potential_files.hpp"
#include "saddle/jump_neb.hpp"
#include "saddle/neb_shear.hpp"
#include "tests/support/h5md_units.hpp"
#include "tests/support/lammps_oracle.hpp"
#include "tests/support/program_runner.hpp"
#include "tests/support/test_requirements.hpp"

namespace glassland {
namespace {

namespace fs = std::filesystem;
using testing::ProgramResult;
using testing::read_json_file;
using testing::run_glassland;
using testing::start_glassland;
using testing::wait_for_exit;

const std::string kPotential = potential_file("CuZr_mm.eam.fs");
constexpr int kImages = 5;
constexpr double kTolerance = 1e-3;            // eV/Å
constexpr double kLammpsBarrierX = 3.149509;   // eV, LAMMPS neb forward barrier of the x hop
constexpr double kLammpsBackwardX = 2.826088;  // eV, its backward barrier

// LAMMPS prepares and minimises the endpoints dir/initial.data and dir/final.data of one hop of
// the Cu atom at `from` by `displacement` into the vacancy at (9.78, 9.78, 9.78).
void prepare_endpoints(const std::string& dir, const double from[3], const double displacement[3]) {
  char hop[512];
  std::snprintf(hop, sizeof hop,
                "region hop sphere %.4f %.4f %.4f 0.3 units box\ngroup hop region hop\n"
                "variable nhop equal count(hop)\nprint \"HOP_ATOMS ${nhop}\"\n"
                "min_style cg\nminimize 0 1e-10 10000 100000\nwrite_data initial.data\n"
                "displace_atoms hop move %.4f %.4f %.4f units box\n"
                "minimize 0 1e-10 10000 100000\nwrite_data final.data\n",
                from[0], from[1], from[2], displacement[0], displacement[1], displacement[2]);
  const std::string script =
      "units metal\natom_style atomic\natom_modify map array\nboundary p p p\n"
      "lattice custom 3.26 basis 0 0 0 basis 0.5 0.5 0.5\n"
      "region box block 0 6 0 6 0 6\ncreate_box 2 box\ncreate_atoms 1 box basis 2 2\n"
      "mass 1 63.546\nmass 2 91.224\npair_style eam/fs\npair_coeff * * " +
      kPotential +
      " Cu Zr\nneighbor 1.0 bin\n"
      "region vacancy sphere 9.78 9.78 9.78 0.3 units box\ndelete_atoms region vacancy\n"
      "region antisite sphere 14.67 11.41 11.41 0.3 units box\nset region antisite type 1\n" +
      std::string(hop);
  const std::string out = testing::run_lammps(dir, script);
  ASSERT_EQ(testing::printed_value(out, "HOP_ATOMS"), 1.0) << "exactly one atom must hop";
}

class NebTask : public ::testing::Test {
 protected:
  // The whole suite starts from structures LAMMPS makes: without LAMMPS each test skips (SetUp).
  static void SetUpTestSuite() {
    if (!testing::lammps_missing_reason().empty())
      return;
    directory_ = testing::make_scratch_dir("neb_task");
    const double from_x[3] = {13.04, 9.78, 9.78}, move_x[3] = {-3.26, 0.0, 0.0};
    const double from_y[3] = {9.78, 13.04, 9.78}, move_y[3] = {0.0, -3.26, 0.0};
    fs::create_directories(directory_ + "/hop_x");
    fs::create_directories(directory_ + "/hop_y");
    prepare_endpoints(directory_ + "/hop_x", from_x, move_x);
    prepare_endpoints(directory_ + "/hop_y", from_y, move_y);
    // Relative paths: they must resolve against the input file's directory.
    std::ofstream(directory_ + "/neb.json") << R"({
  "task": "neb",
  "system": {"potential": ")" << kPotential << R"(", "elements": ["Cu", "Zr"]},
  "neb": {
    "pairs": [
      {"initial": "hop_x/initial.data", "final": "hop_x/final.data"},
      {"initial": "hop_x/final.data", "final": "hop_x/initial.data"},
      {"initial": "hop_y/initial.data", "final": "hop_y/final.data"}
    ],
    "images": 5,
    "tolerance": 0.001,
    "climb_below": 0.5,
    "max_iterations": 5000,
    "write_saddles": true
  },
  "output": {"directory": ")" << directory_ << R"(/out", "quiet": true}
})";
    run_ = run_glassland("run " + directory_ + "/neb.json");
  }
  void SetUp() override { GLASSLAND_REQUIRE_LAMMPS(); }
  static std::string directory_;
  static ProgramResult run_;
};
std::string NebTask::directory_;
ProgramResult NebTask::run_;

TEST_F(NebTask, RecordsMatchTheStoredProfilesAndLammps) {
  ASSERT_EQ(run_.status, 0) << run_.output;
  const std::string out = directory_ + "/out";
  ASSERT_TRUE(fs::exists(out + "/effective_input.json"));
  // docs/neb.md names every key the run used, as `path` (defaults included).
  testing::expect_every_key_documented(out + "/effective_input.json", "docs/neb.md", 20u);
  const nlohmann::json summary = read_json_file(out + "/neb.json");
  std::printf("neb.json:\n%s\n", summary.dump(2).c_str());
  ASSERT_EQ(summary.at("bands").size(), 3u);
  EXPECT_TRUE(summary.at("all_converged").get<bool>());

  hdf5::File results = hdf5::File::open_read_only(out + "/results.h5");
  // Units in H5MD's grammar, ASCII (they were "Å" and "eV/Å (F·τ̂ = −dE/ds)").
  // 6 per band: the profile's 4 and the force history's 2.
  EXPECT_EQ(testing::expect_units_follow_h5md(results), 18);
  for (int b = 0; b < 3; ++b) {
    SCOPED_TRACE("band " + std::to_string(b));
    const nlohmann::json& band = summary["bands"][b];
    EXPECT_TRUE(band.at("converged").get<bool>()) << band.dump();
    EXPECT_EQ(band.at("status"), "converged");
    EXPECT_EQ(band.at("images").get<int>(), kImages);
    EXPECT_GT(band.at("iterations").get<int>(), 0);
    EXPECT_LT(band.at("max_force_eV_per_A").get<double>(), kTolerance);
    const int climbing = band.at("climbing_image").get<int>();
    EXPECT_GE(climbing, 1);
    EXPECT_LE(climbing, kImages - 2);
    const double contour = band.at("contour_length_A").get<double>();
    const double end_to_end = band.at("end_to_end_A").get<double>();
    EXPECT_GT(end_to_end, 1.0);  // one atom moved ~3 Å
    EXPECT_GE(contour, end_to_end * (1.0 - 1e-12));
    EXPECT_NEAR(band.at("tortuosity").get<double>(), contour / end_to_end, 1e-12);

    char group[32];
    std::snprintf(group, sizeof group, "bands/%04d/", b);
    const std::vector<double> energies =
        results.dataset(std::string(group) + "energies_eV").read<double>();
    ASSERT_EQ(energies.size(), static_cast<size_t>(kImages));
    const double highest = *std::max_element(energies.begin(), energies.end());
    EXPECT_NEAR(band.at("barrier_forward_eV").get<double>(), highest - energies.front(), 1e-9);
    EXPECT_NEAR(band.at("barrier_backward_eV").get<double>(), highest - energies.back(), 1e-9);
    // The climbing image is the highest image once converged.
    EXPECT_EQ(energies[climbing], highest);
    const std::vector<double> s =
        results.dataset(std::string(group) + "reaction_coordinate_A").read<double>();
    ASSERT_EQ(s.size(), static_cast<size_t>(kImages));
    EXPECT_NEAR(s.back(), contour, 1e-9);
    // The cubic fit passes through the images, so its maximum is at least the highest image.
    EXPECT_GE(band.at("fitted_barrier_forward_eV").get<double>(),
              band.at("barrier_forward_eV").get<double>() - 1e-12);
    EXPECT_EQ(results.dataset(std::string(group) + "tangential_force_eV_per_A").size(),
              static_cast<size_t>(kImages));
    EXPECT_GT(results.dataset(std::string(group) + "profile_fit/energy_eV").size(),
              static_cast<size_t>(kImages));
  }
  const nlohmann::json& x = summary["bands"][0];
  const nlohmann::json& x_reversed = summary["bands"][1];
  EXPECT_NEAR(x.at("barrier_forward_eV").get<double>(), kLammpsBarrierX, 0.01);
  EXPECT_NEAR(x.at("barrier_backward_eV").get<double>(), kLammpsBackwardX, 0.01);
  // The same saddle from the other side.
  EXPECT_NEAR(x_reversed.at("barrier_forward_eV").get<double>(),
              x.at("barrier_backward_eV").get<double>(), 0.01);
  EXPECT_NEAR(x_reversed.at("barrier_backward_eV").get<double>(),
              x.at("barrier_forward_eV").get<double>(), 0.01);
  // Same endpoints: the same L in 3N space.
  EXPECT_NEAR(x_reversed.at("end_to_end_A").get<double>(), x.at("end_to_end_A").get<double>(),
              1e-9);

  const nlohmann::json& delta = summary.at("fractal_dimension");
  ASSERT_TRUE(delta.is_object()) << delta.dump();
  EXPECT_EQ(delta.at("bands").get<int>(), 3);
  EXPECT_TRUE(std::isfinite(delta.at("delta").get<double>()));
  EXPECT_TRUE(std::isfinite(delta.at("error").get<double>()));
}

// The written saddle is a stationary point: `glassland eval` (a fresh EAM evaluation of the
// data file, no NEB projection) finds every atomic force below the band tolerance.
TEST_F(NebTask, SaddleDataFilesHaveForcesBelowTheTolerance) {
  ASSERT_EQ(run_.status, 0) << run_.output;
  const nlohmann::json summary = read_json_file(directory_ + "/out/neb.json");
  for (int b = 0; b < 3; ++b) {
    const std::string saddle =
        directory_ + "/out/" + summary["bands"][b].at("saddle").get<std::string>();
    ASSERT_TRUE(fs::exists(saddle)) << saddle;
    const ProgramResult eval =
        run_glassland("eval --json -p " + kPotential + " -e Cu Zr -s " + saddle, false);
    ASSERT_EQ(eval.status, 0) << eval.output;
    const nlohmann::json document = nlohmann::json::parse(eval.output);
    const nlohmann::json& structure = document.at("structures").at(0);
    EXPECT_EQ(structure.at("atoms").get<int>(), 431);
    double largest = 0.0;
    for (const auto& f : structure.at("forces"))
      largest = std::max(largest, std::sqrt(f[0].get<double>() * f[0].get<double>() +
                                            f[1].get<double>() * f[1].get<double>() +
                                            f[2].get<double>() * f[2].get<double>()));
    std::printf("band %d: saddle %s, largest atomic force %.3g eV/Å\n", b, saddle.c_str(), largest);
    EXPECT_LT(largest, kTolerance);
    // And it is the band's highest image: the eval energy is the initial energy plus the
    // forward barrier (both codes evaluate the same EAM; 1e-6 eV covers the data file's
    // 17-digit round trip and the neighbour-list order).
    const std::vector<double> energies =
        hdf5::File::open_read_only(directory_ + "/out/results.h5")
            .dataset("bands/000" + std::to_string(b) + "/energies_eV")
            .read<double>();
    EXPECT_NEAR(structure.at("energy").get<double>(),
                energies.front() + summary["bands"][b].at("barrier_forward_eV").get<double>(),
                1e-6);
  }
}

// The other way in and the other options: a directory of NAME_initial.data / NAME_final.data,
// endpoints re-minimised by FIRE, IDPP initial path (a tight tolerance, capped at 3 iterations:
// the cap is recorded, the band still relaxes), energy-weighted springs. One band: the same
// x-hop saddle (LAMMPS within 0.01 eV), and no fractal dimension (fewer than 3 bands).
TEST_F(NebTask, DirectoryOfPairsWithIdppAndEnergyWeightedSprings) {
  const std::string pairs = directory_ + "/pairs";
  fs::create_directories(pairs);
  fs::copy_file(directory_ + "/hop_x/initial.data", pairs + "/hop_x_initial.data",
                fs::copy_options::overwrite_existing);
  fs::copy_file(directory_ + "/hop_x/final.data", pairs + "/hop_x_final.data",
                fs::copy_options::overwrite_existing);
  std::ofstream(directory_ + "/directory.json") << R"({
  "task": "neb",
  "system": {"potential": ")" << kPotential << R"(", "elements": ["Cu", "Zr"]},
  "neb": {"directory": "pairs", "images": 5, "tolerance": 0.001, "interpolation": "idpp",
          "idpp_tolerance": 1e-4, "idpp_max_iterations": 3,
          "energy_weighted": true, "minimize_endpoints": true},
  "output": {"directory": ")" << directory_ << R"(/directory_out", "quiet": true}
})";
  const ProgramResult run = run_glassland("run " + directory_ + "/directory.json");
  ASSERT_EQ(run.status, 0) << run.output;
  const nlohmann::json summary = read_json_file(directory_ + "/directory_out/neb.json");
  ASSERT_EQ(summary.at("bands").size(), 1u);
  const nlohmann::json& band = summary["bands"][0];
  EXPECT_TRUE(band.at("converged").get<bool>()) << band.dump();
  EXPECT_EQ(band.at("initial").get<std::string>(), pairs + "/hop_x_initial.data");
  EXPECT_EQ(band.at("final").get<std::string>(), pairs + "/hop_x_final.data");
  EXPECT_EQ(band.at("endpoint_minimization").at("initial"), "converged_force");
  EXPECT_EQ(band.at("endpoint_minimization").at("final"), "converged_force");
  EXPECT_EQ(band.at("idpp").at("status"), "max_iterations") << band.dump();
  EXPECT_EQ(band.at("idpp").at("iterations"), 3) << band.dump();
  EXPECT_NEAR(band.at("barrier_forward_eV").get<double>(), kLammpsBarrierX, 0.01);
  EXPECT_NEAR(band.at("barrier_backward_eV").get<double>(), kLammpsBackwardX, 0.01);
  EXPECT_TRUE(summary.at("fractal_dimension").is_null());
  EXPECT_FALSE(fs::exists(directory_ + "/directory_out/saddle_0000.data"));  // not asked for
}

// A band stopped by its iteration cap is reported (record, summary, stderr), not silent; the run
// still succeeds and writes the record.
// DIR/NAME.json: one band of the x hop, 5 images, capped at 5 iterations, results in
// DIR/NAME_out; `output` holds the output section's other keys.
void write_capped_hop_input(const std::string& dir, const std::string& name,
                            const std::string& output) {
  std::ofstream(dir + "/" + name + ".json") << R"({
  "task": "neb",
  "system": {"potential": ")" << kPotential << R"(", "elements": ["Cu", "Zr"]},
  "neb": {"pairs": [{"initial": "hop_x/initial.data", "final": "hop_x/final.data"}],
          "images": 5, "max_iterations": 5},
  "output": {"directory": ")" << dir << "/" << name
                                            << R"(_out", )" << output << R"(}
})";
}

TEST_F(NebTask, IterationCapIsReported) {
  write_capped_hop_input(directory_, "capped", R"("quiet": true)");
  const ProgramResult run = run_glassland("run " + directory_ + "/capped.json");
  ASSERT_EQ(run.status, 0) << run.output;
  EXPECT_NE(run.output.find("NOT converged"), std::string::npos) << run.output;
  const nlohmann::json summary = read_json_file(directory_ + "/capped_out/neb.json");
  EXPECT_FALSE(summary.at("all_converged").get<bool>());
  EXPECT_EQ(summary.at("not_converged"), nlohmann::json::array({0}));
  const nlohmann::json& band = summary["bands"][0];
  EXPECT_FALSE(band.at("converged").get<bool>());
  EXPECT_EQ(band.at("status"), "max_iterations");
  EXPECT_EQ(band.at("iterations").get<int>(), 5);
  EXPECT_GT(band.at("max_force_eV_per_A").get<double>(), 0.01);
}

// Console conventions (docs/exit-codes.md): the per-band results are printed on stdout with
// --quiet too (they went to stderr and vanished with --quiet), progress lines with percent and
// time left on stderr only without --quiet, the iteration-cap warning on stderr always.
TEST_F(NebTask, BandsOnStdoutProgressWithPercentAndTimeLeftOnStderr) {
  write_capped_hop_input(directory_, "console", R"("progress_interval": 1e-9)");
  const testing::ConsoleResult quiet =
      testing::run_glassland_console("run " + directory_ + "/console.json --quiet");
  ASSERT_EQ(quiet.status, 0) << quiet.err;
  EXPECT_NE(quiet.out.find("neb: band 0: max_iterations, 5 iterations, barrier forward "),
            std::string::npos)
      << quiet.out;
  EXPECT_NE(quiet.err.find("NOT converged"), std::string::npos) << quiet.err;
  const std::regex progress_line(R"(neb: +\d+\.\d% +iteration \d+/5 .* \d\d:\d\d:\d\d left)");
  EXPECT_FALSE(std::regex_search(quiet.err, progress_line)) << quiet.err;
  EXPECT_EQ(quiet.err.find("neb: wrote"), std::string::npos) << quiet.err;

  const testing::ConsoleResult loud =
      testing::run_glassland_console("run " + directory_ + "/console.json");
  ASSERT_EQ(loud.status, 0) << loud.err;
  EXPECT_EQ(loud.out, quiet.out);
  EXPECT_TRUE(std::regex_search(loud.err, progress_line)) << loud.err;
  EXPECT_NE(loud.err.find("neb: wrote neb.json and results.h5"), std::string::npos) << loud.err;
  EXPECT_EQ(loud.out.find("%"), std::string::npos) << loud.out;  // no progress on stdout
}

// Minimum-image displacement b − a in the fixture's cubic box (written out here, independent of
// kernels/box.hpp).
std::array<double, 3> cubic_displacement(const std::array<double, 3>& a,
                                         const std::array<double, 3>& b, double length) {
  std::array<double, 3> d;
  for (int k = 0; k < 3; ++k) {
    d[k] = b[k] - a[k];
    d[k] -= length * std::round(d[k] / length);
  }
  return d;
}

double norm(const std::array<double, 3>& d) {
  return std::sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
}

// Jump NEB (paper 002): the x hop's final state with two more changes written by the test: an
// atom far from the hop moved by 1.0 Å (below 1.8 Å: not a jump) and another far atom moved by
// 2.2 Å (a second jump). Exactly two bands (the hopping atom and the second jumper), each with a
// final state where exactly the atoms within 5 Å of the jumper's final position have moved.
TEST_F(NebTask, JumpsMakeOneBandPerJumpWithOnlyItsNeighbourhoodMoved) {
  const std::string dir = directory_ + "/jumps";
  fs::create_directories(dir);
  const LammpsData initial = read_lammps_data(directory_ + "/hop_x/initial.data");
  LammpsData final_is = read_lammps_data(directory_ + "/hop_x/final.data");
  const double length = initial.hi[0] - initial.lo[0];
  ASSERT_NEAR(initial.hi[1] - initial.lo[1], length, 1e-9);  // cubic, for cubic_displacement
  auto nearest = [&](const LammpsData& data, const std::array<double, 3>& point) {
    int best = 0;
    for (int i = 1; i < data.n_atoms(); ++i)
      if (norm(cubic_displacement(point, data.positions[i], length)) <
          norm(cubic_displacement(point, data.positions[best], length)))
        best = i;
    return best;
  };
  const int hopper = nearest(initial, {13.04, 9.78, 9.78});
  const int small_move = nearest(final_is, {0.0, 0.0, 0.0});
  const int second_jump = nearest(final_is, {0.0, 9.78, 0.0});
  final_is.positions[small_move][1] += 1.0;
  final_is.positions[second_jump][2] += 2.2;
  write_lammps_data(dir + "/is_b.data", final_is);
  fs::copy_file(directory_ + "/hop_x/initial.data", dir + "/is_a.data",
                fs::copy_options::overwrite_existing);
  std::ofstream(dir + "/jumps.json") << R"({
  "task": "neb",
  "system": {"potential": ")" << kPotential
                                     << R"(", "elements": ["Cu", "Zr"]},
  "neb": {"jumps": {"initial": "is_a.data", "final": "is_b.data", "jump_distance": 1.8,
                    "neighbourhood_radius": 5.0},
          "images": 5, "tolerance": 0.001, "max_iterations": 300},
  "output": {"directory": ")" << dir << R"(/out", "quiet": true}
})";
  const ProgramResult run = run_glassland("run " + dir + "/jumps.json");
  ASSERT_EQ(run.status, 0) << run.output;
  const nlohmann::json summary = read_json_file(dir + "/out/neb.json");

  // Brute force: the atoms displaced by more than 1.8 Å, in atom order.
  std::vector<int> jumpers;
  for (int i = 0; i < initial.n_atoms(); ++i)
    if (norm(cubic_displacement(initial.positions[i], final_is.positions[i], length)) > 1.8)
      jumpers.push_back(i);
  ASSERT_EQ(jumpers,
            (std::vector<int>{std::min(hopper, second_jump), std::max(hopper, second_jump)}));
  // find_jump_bands on the same files.
  std::vector<double> a, b;
  for (int i = 0; i < initial.n_atoms(); ++i)
    for (int k = 0; k < 3; ++k) {
      a.push_back(initial.positions[i][k]);
      b.push_back(final_is.positions[i][k]);
    }
  const std::vector<JumpBand> direct = find_jump_bands(a, b, box_from_data(initial));
  ASSERT_EQ(direct.size(), 2u);
  ASSERT_EQ(summary.at("bands").size(), 2u);
  for (int band = 0; band < 2; ++band) {
    SCOPED_TRACE("band " + std::to_string(band));
    const nlohmann::json& record = summary["bands"][band];
    const int j = jumpers[band];
    EXPECT_EQ(record.at("jump").at("atom_index").get<int>(), j);
    EXPECT_EQ(record.at("jump").at("atom_id").get<int>(), initial.ids[j]);
    EXPECT_EQ(direct[band].jumping_atom, j);
    EXPECT_DOUBLE_EQ(record.at("jump").at("displacement_A").get<double>(),
                     norm(cubic_displacement(initial.positions[j], final_is.positions[j], length)));
    EXPECT_EQ(record.at("jump").at("moved_atoms").get<int>(), direct[band].moved_atoms);
    EXPECT_EQ(record.at("initial").get<std::string>(), dir + "/is_a.data");
    EXPECT_EQ(record.at("final").get<std::string>(), dir + "/is_b.data");
    // The band's final state: the atoms within 5 Å of the jumper's final position at their final
    // positions (minimum image from the initial ones), every other atom exactly where it was.
    const LammpsData state =
        read_lammps_data(dir + "/out/" + record.at("final_state").get<std::string>());
    ASSERT_EQ(state.n_atoms(), initial.n_atoms());
    int moved = 0;
    for (int i = 0; i < initial.n_atoms(); ++i) {
      const bool inside =
          norm(cubic_displacement(final_is.positions[j], final_is.positions[i], length)) <= 5.0;
      const std::array<double, 3> step =
          cubic_displacement(initial.positions[i], final_is.positions[i], length);
      for (int k = 0; k < 3; ++k) {
        const double expected = initial.positions[i][k] + (inside ? step[k] : 0.0);
        EXPECT_NEAR(state.positions[i][k], expected, 1e-12) << "atom " << i;
        EXPECT_EQ(state.positions[i][k], direct[band].final_positions[3 * i + k]) << "atom " << i;
      }
      moved += inside ? 1 : 0;
    }
    EXPECT_EQ(moved, direct[band].moved_atoms);
    EXPECT_GT(moved, 1);  // the jumper and its neighbours
    // The 1.0 Å move is far from both jumpers: never part of a band.
    EXPECT_EQ(state.positions[small_move], initial.positions[small_move]);
  }
  // The vacancy hop's band: the same initial state and nearly the same final state as the
  // plain x hop (only relaxations beyond 5 Å are left out), hence nearly the same saddle.
  const nlohmann::json& hop = summary["bands"][hopper < second_jump ? 0 : 1];
  EXPECT_TRUE(hop.at("converged").get<bool>()) << hop.dump();
  std::printf("jump band of the hop: barrier %.6f eV (plain x hop %.6f eV)\n",
              hop.at("barrier_forward_eV").get<double>(), kLammpsBarrierX);
  EXPECT_NEAR(hop.at("barrier_forward_eV").get<double>(), kLammpsBarrierX, 0.01);
}

// Bands from the events.json of `task: art`: successful events with files make bands (paths
// relative to events.json), others (unsuccessful, no files, a repeated saddle) are skipped and
// counted. The same pairs as the fixture's
// bands 0 and 2 with the same settings give bitwise the same barriers.
TEST_F(NebTask, BandsFromArtEventsEqualTheSamePairsGivenDirectly) {
  ASSERT_EQ(run_.status, 0) << run_.output;
  const std::string dir = directory_ + "/art";
  fs::create_directories(dir + "/structures");
  for (const auto& [hop, event] : {std::pair<std::string, std::string>{"hop_x", "000003"},
                                   std::pair<std::string, std::string>{"hop_y", "000007"}}) {
    fs::copy_file(directory_ + "/" + hop + "/initial.data",
                  dir + "/structures/event_" + event + "_initial.data",
                  fs::copy_options::overwrite_existing);
    fs::copy_file(directory_ + "/" + hop + "/final.data",
                  dir + "/structures/event_" + event + "_final.data",
                  fs::copy_options::overwrite_existing);
  }
  std::ofstream(dir + "/events.json") << R"({"events": [
  {"search_id": 3, "success": true, "barrier_eV": 3.15,
   "files": {"initial": "structures/event_000003_initial.data",
             "saddle": "structures/event_000003_saddle.data",
             "final": "structures/event_000003_final.data"}},
  {"search_id": 4, "success": false},
  {"search_id": 6, "success": true, "barrier_eV": 3.15, "count": 2, "duplicate_of": 3,
   "files": {"initial": "structures/event_000003_initial.data",
             "saddle": "structures/event_000003_saddle.data",
             "final": "structures/event_000003_final.data"}},
  {"search_id": 5, "success": true, "barrier_eV": 0.8},
  {"search_id": 7, "success": true, "barrier_eV": 1.51,
   "files": {"initial": "structures/event_000007_initial.data",
             "saddle": "structures/event_000007_saddle.data",
             "final": "structures/event_000007_final.data"}}]})";
  std::ofstream(directory_ + "/art.json") << R"({
  "task": "neb",
  "system": {"potential": ")" << kPotential
                                          << R"(", "elements": ["Cu", "Zr"]},
  "neb": {"art_events": "art/events.json", "images": 5, "tolerance": 0.001, "climb_below": 0.5,
          "max_iterations": 5000},
  "output": {"directory": ")" << dir << R"(/out", "quiet": true}
})";
  const ProgramResult run = run_glassland("run " + directory_ + "/art.json");
  ASSERT_EQ(run.status, 0) << run.output;
  EXPECT_NE(run.output.find("1 successful event(s)"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("1 event(s)"), std::string::npos) << run.output;  // the duplicate
  const nlohmann::json summary = read_json_file(dir + "/out/neb.json");
  const nlohmann::json reference = read_json_file(directory_ + "/out/neb.json");
  ASSERT_EQ(summary.at("bands").size(), 2u);
  const int same[2] = {0, 2};  // fixture bands: x hop, y hop
  const int ids[2] = {3, 7};
  for (int band = 0; band < 2; ++band) {
    const nlohmann::json& record = summary["bands"][band];
    const std::string event = band == 0 ? "000003" : "000007";
    EXPECT_EQ(record.at("art_event").at("search_id").get<int>(), ids[band]);
    EXPECT_EQ(record.at("art_event").at("index").get<int>(), band == 0 ? 0 : 4);
    EXPECT_EQ(record.at("initial").get<std::string>(),
              dir + "/structures/event_" + event + "_initial.data");
    EXPECT_EQ(record.at("art_event").at("saddle").get<std::string>(),
              dir + "/structures/event_" + event + "_saddle.data");
    const nlohmann::json& direct = reference["bands"][same[band]];
    EXPECT_EQ(record.at("barrier_forward_eV").get<double>(),
              direct.at("barrier_forward_eV").get<double>());
    EXPECT_EQ(record.at("barrier_backward_eV").get<double>(),
              direct.at("barrier_backward_eV").get<double>());
    EXPECT_EQ(record.at("iterations").get<int>(), direct.at("iterations").get<int>());
  }
}

// Shear response (paper 003) of the x hop at γ_xy = −0.001, 0, 0.001. Oracles: the barrier
// change to first order is ΔE_A = −γ (W_xy(saddle) − W_xy(initial)) at γ = 0, because dE/dγ =
// −W_xy for the affine shear x += γ y and both states are stationary (their relaxation adds
// nothing to first order); the central difference (E_A(γ) − E_A(−γ)) / 2γ must agree within 2 %
// (measured: 10.226 vs 10.251 eV, 0.24 %; its γ² error, from γ = ±0.002 and ±0.01, is 0.3 % at
// γ = 0.001). The initial state's σ_xy = −pxy from LAMMPS on the same data file. At γ = 0 the
// re-converged barrier is the plain one and ΔE_A is zero. Tolerance 1e-4 eV/Å: at 1e-3 the
// saddle's virial is 3.5 % off (10.61 eV).
TEST_F(NebTask, ShearResponseFollowsTheVirialPrediction) {
  const std::string dir = directory_ + "/shear";
  fs::create_directories(dir);
  std::ofstream(dir + "/shear.json") << R"({
  "task": "neb",
  "system": {"potential": ")" << kPotential
                                     << R"(", "elements": ["Cu", "Zr"]},
  "neb": {"pairs": [{"initial": "../hop_x/initial.data", "final": "../hop_x/final.data"}],
          "images": 5, "tolerance": 0.0001, "max_iterations": 5000,
          "shear": {"gamma_xy": [-0.001, 0.0, 0.001]}},
  "output": {"directory": ")" << dir << R"(/out", "quiet": true}
})";
  const ProgramResult run = run_glassland("run " + dir + "/shear.json");
  ASSERT_EQ(run.status, 0) << run.output;
  const nlohmann::json summary = read_json_file(dir + "/out/neb.json");
  const nlohmann::json& band = summary.at("bands").at(0);
  const nlohmann::json& shear = band.at("shear");
  std::printf("shear record:\n%s\n", shear.dump(1).c_str());
  ASSERT_EQ(shear.at("gamma_xy").size(), 3u);
  const auto barrier = shear.at("barrier_forward_eV").get<std::vector<double>>();
  const auto change = shear.at("barrier_change_eV").get<std::vector<double>>();
  const double reference = shear.at("reference_barrier_eV").get<double>();
  for (int k = 0; k < 3; ++k) {
    EXPECT_TRUE(shear.at("converged")[k].get<bool>());
    EXPECT_FALSE(shear.at("lost")[k].get<bool>());
    EXPECT_NEAR(change[k], barrier[k] - reference, 1e-12);
  }
  EXPECT_NEAR(reference, band.at("barrier_forward_eV").get<double>(), 1e-6);
  EXPECT_NEAR(change[1], 0.0, 1e-9);
  const double slope = shear.at("barrier_slope_from_virial_eV").get<double>();
  const double central = (barrier[2] - barrier[0]) / 0.002;
  std::printf("dE_A/dγ: central difference %.4f eV, virial %.4f eV\n", central, slope);
  EXPECT_NEAR(central, slope, 0.02 * std::abs(slope));
  EXPECT_GT(std::abs(slope), 1.0);  // a real effect, not two zeros agreeing
  // The strained initial state's stress rises with γ (positive shear modulus).
  const auto stress = shear.at("shear_stress_initial_GPa").get<std::vector<double>>();
  EXPECT_LT(stress[0], stress[1]);
  EXPECT_LT(stress[1], stress[2]);
  EXPECT_EQ(stress[1], shear.at("reference_shear_stress_initial_GPa").get<double>());
  // LAMMPS's pxy (bar) of the initial state: σ_xy = −pxy.
  const std::string lammps = testing::run_lammps(
      dir,
      "units metal\natom_style atomic\nboundary p p p\nread_data ../hop_x/initial.data\n"
      "pair_style eam/fs\npair_coeff * * " +
          kPotential +
          " Cu Zr\nthermo_style custom step pe pxy\nrun 0\nprint \"PXY $(pxy:%.10f)\"\n");
  const double sigma_lammps = -testing::printed_value(lammps, "PXY") * 1e-4;
  std::printf("σ_xy of the initial state: %.6f GPa (LAMMPS %.6f GPa)\n", stress[1], sigma_lammps);
  EXPECT_NEAR(stress[1], sigma_lammps, 1e-4);
  // One band: the spectrum's peak is its barrier, the peak shift its ΔE_A.
  const nlohmann::json& strains = summary.at("shear").at("strains");
  ASSERT_EQ(strains.size(), 3u);
  for (int k = 0; k < 3; ++k) {
    EXPECT_EQ(strains[k].at("lost_bands").get<int>(), 0);
    EXPECT_EQ(strains[k].at("spectrum").at("bands").get<int>(), 1);
    EXPECT_NEAR(strains[k].at("spectrum").at("peak_eV").get<double>(), barrier[k], 1e-12);
    EXPECT_NEAR(strains[k].at("peak_shift_eV").get<double>(), change[k], 1e-12);
  }
  // results.h5 holds the same numbers.
  const hdf5::File results = hdf5::File::open_read_only(dir + "/out/results.h5");
  EXPECT_EQ(results.dataset("bands/0000/shear/barrier_change_eV").read<double>(), change);
  EXPECT_GE(testing::expect_units_follow_h5md(results), 12);
  EXPECT_EQ(results.dataset("shear/lost_bands").read<int>(), (std::vector<int>{0, 0, 0}));
}

// Checkpoint and restart: a run of two bands with a checkpoint every 10 iterations, killed
// (SIGKILL) twice right after a checkpoint was written and restarted with --restart, ends with
// the same neb.json (apart from the wall time) and results.h5 energies as the uninterrupted run,
// bitwise.
TEST_F(NebTask, KilledAndRestartedRunEqualsTheUninterruptedRun) {
  const std::string dir = directory_ + "/restart";
  fs::create_directories(dir);
  auto input = [&](const std::string& name) {
    std::ofstream(dir + "/" + name + ".json") << R"({
  "task": "neb",
  "system": {"potential": ")" << kPotential << R"(", "elements": ["Cu", "Zr"]},
  "neb": {"pairs": [{"initial": "../hop_x/initial.data", "final": "../hop_x/final.data"},
                    {"initial": "../hop_y/initial.data", "final": "../hop_y/final.data"}],
          "images": 5, "tolerance": 0.001, "max_iterations": 5000, "interpolation": "idpp"},
  "output": {"directory": ")" << dir << "/" << name
                                              << R"(", "quiet": true, "checkpoint_stride": 10}
})";
    return dir + "/" + name + ".json";
  };
  ASSERT_EQ(wait_for_exit(start_glassland({"run", input("straight")})), 0);
  const std::string killed_input = input("killed");
  const std::string checkpoint = dir + "/killed/checkpoint.h5";
  int kills = 0;
  std::vector<std::string> arguments{"run", killed_input};
  fs::file_time_type last_seen{};
  for (int attempt = 0; attempt < 2; ++attempt) {
    const pid_t pid = start_glassland(arguments);
    // Wait for a new checkpoint, then kill at once.
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    while (std::chrono::steady_clock::now() < give_up) {
      std::error_code error;
      const auto written = fs::last_write_time(checkpoint, error);
      if (!error && written != last_seen) {
        last_seen = written;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    if (kill(pid, SIGKILL) == 0)
      ++kills;
    wait_for_exit(pid);
    EXPECT_TRUE(fs::exists(checkpoint));
    arguments = {"run", killed_input, "--restart"};
  }
  ASSERT_EQ(wait_for_exit(start_glassland(arguments)), 0);
  EXPECT_EQ(kills, 2);
  EXPECT_FALSE(fs::exists(checkpoint));  // removed when the run completed

  nlohmann::json straight = read_json_file(dir + "/straight/neb.json");
  nlohmann::json killed = read_json_file(dir + "/killed/neb.json");
  straight.erase("wall_time_s");
  killed.erase("wall_time_s");
  EXPECT_TRUE(straight.at("all_converged").get<bool>());
  EXPECT_EQ(straight, killed) << straight.dump(1) << "\n" << killed.dump(1);
  const hdf5::File a = hdf5::File::open_read_only(dir + "/straight/results.h5");
  const hdf5::File b = hdf5::File::open_read_only(dir + "/killed/results.h5");
  for (const char* name : {"bands/0000/energies_eV", "bands/0001/energies_eV",
                           "bands/0001/segment_lengths_A", "bands/0001/tangential_force_eV_per_A"})
    EXPECT_EQ(a.dataset(name).read<double>(), b.dataset(name).read<double>()) << name;
  // Checkpoints change nothing but the neighbour-list rebuilds: the barriers of a run without
  // them agree to far below the tolerance's effect.
  const nlohmann::json reference = read_json_file(directory_ + "/out/neb.json");
  EXPECT_NEAR(killed["bands"][0].at("barrier_forward_eV").get<double>(),
              reference["bands"][0].at("barrier_forward_eV").get<double>(), 1e-3);
}

// Input errors name the JSON path (and the program exits non-zero before any NEB work).
ProgramResult run_input(const std::string& name, const std::string& neb_section,
                        const std::string& extra_arguments = "") {
  const std::string dir = testing::make_scratch_dir("neb_task_errors");
  const std::string path = dir + "/" + name + ".json";
  std::ofstream(path) << R"({"task": "neb", "system": {"potential": ")" << kPotential
                      << R"(", "elements": ["Cu", "Zr"]}, "neb": )" << neb_section
                      << R"(, "output": {"directory": ")" << dir << "/" << name << R"("}})";
  return run_glassland("run " + path + extra_arguments);
}

TEST(NebTaskOutputs, BandThatDidNotConvergeHasNoBarrierButItsForceHistory) {
  // A 3-atom Cu–Zr–Cu chain whose middle atom moves 1 Å, stopped after 20 iterations: the band
  // cannot have converged to 1e-6 eV/Å. Issue 16: such a band's highest image was reported as
  // its barrier (360 eV for a band that ran away). Now: null barriers, the status, where the
  // band stopped under not_converged, and the largest force at every host check.
  const std::string dir = testing::make_scratch_dir("neb_task_unconverged");
  auto write_data = [&](const std::string& name, double middle_x) {
    std::ofstream(dir + "/" + name)
        << "chain\n\n3 atoms\n2 atom types\n\n0 20 xlo xhi\n0 20 ylo yhi\n0 20 zlo zhi\n\n"
           "Atoms # atomic\n\n1 1 5 10 10\n2 2 "
        << middle_x << " 10.5 10\n3 1 12 10 10\n";
  };
  write_data("a.data", 8.0);
  write_data("b.data", 9.0);
  std::ofstream(dir + "/neb.json") << R"({"task": "neb", "system": {"potential": ")" << kPotential
                                   << R"(", "elements": ["Cu", "Zr"]}, "neb": {"pairs": [
      {"initial": "a.data", "final": "b.data"}], "images": 5, "tolerance": 1e-6,
      "max_iterations": 20}, "output": {"directory": ")"
                                   << dir << R"(/out"}})";
  const ProgramResult r = run_glassland("run " + dir + "/neb.json");
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("NOT converged"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("is not a barrier"), std::string::npos) << r.output;
  const nlohmann::json summary = read_json_file(dir + "/out/neb.json");
  const nlohmann::json& band = summary.at("bands").at(0);
  EXPECT_FALSE(band.at("converged").get<bool>());
  EXPECT_EQ(band.at("status"), "max_iterations");
  EXPECT_TRUE(band.at("barrier_forward_eV").is_null());
  EXPECT_TRUE(band.at("fitted_barrier_forward_eV").is_null());
  const nlohmann::json& stopped = band.at("not_converged");
  EXPECT_EQ(stopped.at("reason"), "max_iterations");
  const auto iterations = stopped.at("max_force_history").at("iteration").get<std::vector<int>>();
  const auto forces =
      stopped.at("max_force_history").at("max_force_eV_per_A").get<std::vector<double>>();
  EXPECT_EQ(iterations, (std::vector<int>{10, 20}));  // every host check (10 iterations)
  ASSERT_EQ(forces.size(), 2u);
  EXPECT_DOUBLE_EQ(forces.back(), band.at("max_force_eV_per_A").get<double>());
  EXPECT_DOUBLE_EQ(
      stopped.at("max_force_history").at("highest_image_above_initial_eV").back().get<double>(),
      stopped.at("highest_image_above_initial_eV").get<double>());
}

TEST(NebTaskInput, ErrorsNameTheJsonPath) {
  {
    const ProgramResult r =
        run_input("negative_spring",
                  R"({"pairs": [{"initial": "a.data", "final": "b.data"}], "spring": -1})");
    EXPECT_NE(r.status, 0);
    EXPECT_NE(r.output.find("neb.spring"), std::string::npos) << r.output;
  }
  {
    const ProgramResult r = run_input("missing_pairs", R"({"images": 5})");
    EXPECT_NE(r.status, 0);
    EXPECT_NE(r.output.find("neb.pairs"), std::string::npos) << r.output;
  }
  {
    const ProgramResult r = run_input("missing_final", R"({"pairs": [{"initial": "a.data"}]})");
    EXPECT_NE(r.status, 0);
    EXPECT_NE(r.output.find("neb.pairs[0].final"), std::string::npos) << r.output;
  }
  {
    const ProgramResult r = run_input(
        "two_images", R"({"pairs": [{"initial": "a.data", "final": "b.data"}], "images": 2})");
    EXPECT_NE(r.status, 0);
    EXPECT_NE(r.output.find("neb.images"), std::string::npos) << r.output;
  }
  {
    const ProgramResult r = run_input(
        "typo", R"({"pairs": [{"initial": "a.data", "final": "b.data"}], "tolerence": 0.1})");
    EXPECT_NE(r.status, 0);
    EXPECT_NE(r.output.find("neb.tolerence"), std::string::npos) << r.output;
  }
  {
    // A directory whose initial state has no final state: an error, not a silently dropped band.
    // (Its own scratch directory: run_input makes "neb_task_errors" afresh.)
    const std::string dir = testing::make_scratch_dir("neb_task_unpaired");
    fs::create_directories(dir);
    std::ofstream(dir + "/hop_initial.data") << "not read\n";
    const ProgramResult r = run_input("unpaired", R"({"directory": ")" + dir + R"("})");
    EXPECT_NE(r.status, 0);
    EXPECT_NE(r.output.find("neb.directory"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("hop_final.data"), std::string::npos) << r.output;
  }
  {
    // Endpoints that are not the same atoms in the same box cannot make a band.
    const std::string dir = testing::make_scratch_dir("neb_task_mismatch");
    auto write_data = [&](const std::string& name, double box, int second_id) {
      std::ofstream(dir + "/" + name)
          << "tiny\n\n2 atoms\n2 atom types\n\n0 " << box << " xlo xhi\n0 " << box << " ylo yhi\n0 "
          << box << " zlo zhi\n\nAtoms # atomic\n\n1 1 0 0 0\n"
          << second_id << " 2 2.5 0 0\n";
    };
    write_data("a.data", 10.0, 2);
    write_data("bigger_box.data", 11.0, 2);
    write_data("other_ids.data", 10.0, 3);
    const ProgramResult box =
        run_input("different_box", R"({"pairs": [{"initial": ")" + dir + R"(/a.data", "final": ")" +
                                       dir + R"(/bigger_box.data"}]})");
    EXPECT_NE(box.status, 0);
    EXPECT_NE(box.output.find("different boxes"), std::string::npos) << box.output;
    EXPECT_NE(box.output.find("bigger_box.data"), std::string::npos) << box.output;
    const ProgramResult ids =
        run_input("different_ids", R"({"pairs": [{"initial": ")" + dir + R"(/a.data", "final": ")" +
                                       dir + R"(/other_ids.data"}]})");
    EXPECT_NE(ids.status, 0);
    EXPECT_NE(ids.output.find("same atom IDs"), std::string::npos) << ids.output;
    // Identical endpoints (issue 16: "converged" with barrier 0) are one state, not a pair; a
    // copy moved by a whole box vector is the same state too (minimum image).
    write_data("copy.data", 10.0, 2);
    std::ofstream(dir + "/shifted.data")
        << "tiny\n\n2 atoms\n2 atom types\n\n0 10 xlo xhi\n0 10 ylo yhi\n0 10 zlo zhi\n\n"
           "Atoms # atomic\n\n1 1 10 0 0\n2 2 2.5 0 10\n";
    for (const std::string other : {"copy.data", "shifted.data"}) {
      const ProgramResult same =
          run_input("same_state", R"({"pairs": [{"initial": ")" + dir + R"(/a.data", "final": ")" +
                                      dir + "/" + other + R"("}]})");
      EXPECT_NE(same.status, 0) << other;
      EXPECT_NE(same.output.find("are the same state"), std::string::npos) << same.output;
      EXPECT_NE(same.output.find(other), std::string::npos) << same.output;
    }
  }
  {
    // Two sources of bands at once.
    const ProgramResult r =
        run_input("two_sources", R"({"pairs": [{"initial": "a.data", "final": "b.data"}],
                                     "jumps": {"initial": "a.data", "final": "b.data"}})");
    EXPECT_NE(r.status, 0);
    EXPECT_NE(r.output.find("neb.pairs"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("\"jumps\""), std::string::npos) << r.output;
  }
  {
    const ProgramResult r = run_input("no_events", R"({"art_events": "missing/events.json"})");
    EXPECT_NE(r.status, 0);
    EXPECT_NE(r.output.find("neb.art_events"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("cannot read"), std::string::npos) << r.output;
  }
  {
    const std::string dir = testing::make_scratch_dir("neb_task_events");
    std::ofstream(dir + "/events.json")
        << R"({"events": [{"search_id": 0, "success": false}, {"search_id": 1, "success": true}]})";
    const ProgramResult r =
        run_input("useless_events", R"({"art_events": ")" + dir + R"(/events.json"})");
    EXPECT_NE(r.status, 0);
    EXPECT_NE(r.output.find("neb.art_events"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("write_structures"), std::string::npos) << r.output;
  }
  {
    // The same structure twice: nothing jumped.
    const std::string dir = testing::make_scratch_dir("neb_task_nojump");
    std::ofstream(dir + "/a.data")
        << "tiny\n\n2 atoms\n2 atom types\n\n0 10 xlo xhi\n0 10 ylo "
           "yhi\n0 10 zlo zhi\n\nAtoms # atomic\n\n1 1 0 0 0\n2 2 2.5 0 0\n";
    const ProgramResult r =
        run_input("no_jump", R"({"jumps": {"initial": ")" + dir + R"(/a.data", "final": ")" + dir +
                                 R"(/a.data"}})");
    EXPECT_NE(r.status, 0);
    EXPECT_NE(r.output.find("neb.jumps.jump_distance"), std::string::npos) << r.output;
  }
  {
    const ProgramResult r = run_input(
        "no_strains", R"({"pairs": [{"initial": "a.data", "final": "b.data"}], "shear": {}})");
    EXPECT_NE(r.status, 0);
    EXPECT_NE(r.output.find("neb.shear.gamma_xy"), std::string::npos) << r.output;
  }
  {
    const ProgramResult r =
        run_input("huge_strain", R"({"pairs": [{"initial": "a.data", "final": "b.data"}],
                                     "shear": {"gamma_xy": [0.01, 2.0]}})");
    EXPECT_NE(r.status, 0);
    EXPECT_NE(r.output.find("neb.shear.gamma_xy"), std::string::npos) << r.output;
  }
  {
    const std::string dir = testing::make_scratch_dir("neb_task_stride");
    std::ofstream(dir + "/stride.json")
        << R"({"task": "neb", "neb": {"pairs": [{"initial": "a.data", "final": "b.data"}]},
               "output": {"directory": ")"
        << dir << R"(/out", "checkpoint_stride": -5}})";
    const ProgramResult r = run_glassland("run " + dir + "/stride.json");
    EXPECT_NE(r.status, 0);
    EXPECT_NE(r.output.find("output.checkpoint_stride"), std::string::npos) << r.output;
  }
}

// Lost bands (paper 003: MEPs without a correspondence after shear) on constructed profiles.
TEST(NebShearLostBands, ConstructedProfiles) {
  BandResult band;
  band.status = NebStatus::converged;
  band.energies = {0.0, 0.4, 1.0, 0.5, 0.2};
  EXPECT_FALSE(band_lost(band, 1e-3));  // one hump
  band.energies = {0.0, 0.8, 0.3, 0.9, 0.2};
  EXPECT_TRUE(band_lost(band, 1e-3));  // two humps with a minimum between them
  EXPECT_FALSE(band_lost(band, 0.6));  // ... unless the dip is below the prominence
  band.energies = {0.0, 0.2, 0.4, 0.6, 0.8};
  EXPECT_TRUE(band_lost(band, 1e-3));  // highest image at an endpoint: no barrier
  band.energies = {0.0, 0.4, 1.0, 0.5, 0.2};
  band.status = NebStatus::max_iterations;
  EXPECT_TRUE(band_lost(band, 1e-3));  // not converged
}

}  // namespace
}  // namespace glassland
