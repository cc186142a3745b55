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
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "host/hdf5_file.hpp"
#include "tests/support/lammps_oracle.hpp"

namespace glassland {
namespace {

namespace fs = std::filesystem;

const std::string kPotential = "/usr/share/lammps/potentials/CuZr_mm.eam.fs";
constexpr int kImages = 5;
constexpr double kTolerance = 1e-3;            // eV/Å
constexpr double kLammpsBarrierX = 3.149509;   // eV, LAMMPS neb forward barrier of the x hop
constexpr double kLammpsBackwardX = 2.826088;  // eV, its backward barrier

struct CommandResult {
  int status = -1;
  std::string output;  // stdout and stderr
};

CommandResult run_program(const std::string& arguments, bool with_stderr = true) {
  const std::string command =
      std::string(GLASSLAND_PROGRAM) + " " + arguments + (with_stderr ? " 2>&1" : " 2>/dev/null");
  FILE* pipe = popen(command.c_str(), "r");
  CommandResult result;
  char buffer[4096];
  while (size_t n = fread(buffer, 1, sizeof buffer, pipe))
    result.output.append(buffer, n);
  result.status = pclose(pipe);
  return result;
}

nlohmann::json read_json(const std::string& path) {
  std::ifstream in(path);
  return nlohmann::json::parse(in);
}

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

// Every key path of an effective configuration ("neb.tolerance"), objects flattened.
void collect_paths(const nlohmann::json& tree, const std::string& prefix,
                   std::vector<std::string>& paths) {
  for (auto it = tree.begin(); it != tree.end(); ++it) {
    const std::string path = prefix.empty() ? it.key() : prefix + "." + it.key();
    if (it->is_object() && !it->empty())
      collect_paths(*it, path, paths);
    else
      paths.push_back(path);
  }
}

class NebTask : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
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
    run_ = run_program("run " + directory_ + "/neb.json");
  }
  static std::string directory_;
  static CommandResult run_;
};
std::string NebTask::directory_;
CommandResult NebTask::run_;

TEST_F(NebTask, RecordsMatchTheStoredProfilesAndLammps) {
  ASSERT_EQ(run_.status, 0) << run_.output;
  const std::string out = directory_ + "/out";
  ASSERT_TRUE(fs::exists(out + "/effective_input.json"));
  {
    // docs/neb.md names every key the run used, as `path` (defaults included).
    std::ifstream in(std::string(GLASSLAND_SOURCE_DIR) + "/docs/neb.md");
    std::stringstream document;
    document << in.rdbuf();
    std::vector<std::string> paths;
    collect_paths(read_json(out + "/effective_input.json"), "", paths);
    EXPECT_GT(paths.size(), 20u);
    for (const auto& path : paths)
      EXPECT_NE(document.str().find("`" + path + "`"), std::string::npos)
          << path << " is not documented in docs/neb.md";
  }
  const nlohmann::json summary = read_json(out + "/neb.json");
  std::printf("neb.json:\n%s\n", summary.dump(2).c_str());
  ASSERT_EQ(summary.at("bands").size(), 3u);
  EXPECT_TRUE(summary.at("all_converged").get<bool>());

  hdf5::File results = hdf5::File::open_read_only(out + "/results.h5");
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
  const nlohmann::json summary = read_json(directory_ + "/out/neb.json");
  for (int b = 0; b < 3; ++b) {
    const std::string saddle =
        directory_ + "/out/" + summary["bands"][b].at("saddle").get<std::string>();
    ASSERT_TRUE(fs::exists(saddle)) << saddle;
    const CommandResult eval =
        run_program("eval --json -p " + kPotential + " -e Cu Zr -s " + saddle, false);
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
// endpoints re-minimised by FIRE, IDPP initial path, energy-weighted springs. One band: the same
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
          "energy_weighted": true, "minimize_endpoints": true},
  "output": {"directory": ")" << directory_ << R"(/directory_out", "quiet": true}
})";
  const CommandResult run = run_program("run " + directory_ + "/directory.json");
  ASSERT_EQ(run.status, 0) << run.output;
  const nlohmann::json summary = read_json(directory_ + "/directory_out/neb.json");
  ASSERT_EQ(summary.at("bands").size(), 1u);
  const nlohmann::json& band = summary["bands"][0];
  EXPECT_TRUE(band.at("converged").get<bool>()) << band.dump();
  EXPECT_EQ(band.at("initial").get<std::string>(), pairs + "/hop_x_initial.data");
  EXPECT_EQ(band.at("final").get<std::string>(), pairs + "/hop_x_final.data");
  EXPECT_EQ(band.at("endpoint_minimization").at("initial"), "converged_force");
  EXPECT_EQ(band.at("endpoint_minimization").at("final"), "converged_force");
  EXPECT_NEAR(band.at("barrier_forward_eV").get<double>(), kLammpsBarrierX, 0.01);
  EXPECT_NEAR(band.at("barrier_backward_eV").get<double>(), kLammpsBackwardX, 0.01);
  EXPECT_TRUE(summary.at("fractal_dimension").is_null());
  EXPECT_FALSE(fs::exists(directory_ + "/directory_out/saddle_0000.data"));  // not asked for
}

// A band stopped by its iteration cap is reported (record, summary, stderr), not silent; the run
// still succeeds and writes the record.
TEST_F(NebTask, IterationCapIsReported) {
  std::ofstream(directory_ + "/capped.json") << R"({
  "task": "neb",
  "system": {"potential": ")" << kPotential << R"(", "elements": ["Cu", "Zr"]},
  "neb": {"pairs": [{"initial": "hop_x/initial.data", "final": "hop_x/final.data"}],
          "images": 5, "max_iterations": 5},
  "output": {"directory": ")" << directory_ << R"(/capped_out", "quiet": true}
})";
  const CommandResult run = run_program("run " + directory_ + "/capped.json");
  ASSERT_EQ(run.status, 0) << run.output;
  EXPECT_NE(run.output.find("NOT converged"), std::string::npos) << run.output;
  const nlohmann::json summary = read_json(directory_ + "/capped_out/neb.json");
  EXPECT_FALSE(summary.at("all_converged").get<bool>());
  EXPECT_EQ(summary.at("not_converged"), nlohmann::json::array({0}));
  const nlohmann::json& band = summary["bands"][0];
  EXPECT_FALSE(band.at("converged").get<bool>());
  EXPECT_EQ(band.at("status"), "max_iterations");
  EXPECT_EQ(band.at("iterations").get<int>(), 5);
  EXPECT_GT(band.at("max_force_eV_per_A").get<double>(), 0.01);
}

// Input errors name the JSON path (and the program exits non-zero before any NEB work).
CommandResult run_input(const std::string& name, const std::string& neb_section,
                        const std::string& extra_arguments = "") {
  const std::string dir = testing::make_scratch_dir("neb_task_errors");
  const std::string path = dir + "/" + name + ".json";
  std::ofstream(path) << R"({"task": "neb", "system": {"potential": ")" << kPotential
                      << R"(", "elements": ["Cu", "Zr"]}, "neb": )" << neb_section
                      << R"(, "output": {"directory": ")" << dir << "/" << name << R"("}})";
  return run_program("run " + path + extra_arguments);
}

TEST(NebTaskInput, ErrorsNameTheJsonPath) {
  {
    const CommandResult r =
        run_input("negative_spring",
                  R"({"pairs": [{"initial": "a.data", "final": "b.data"}], "spring": -1})");
    EXPECT_NE(r.status, 0);
    EXPECT_NE(r.output.find("neb.spring"), std::string::npos) << r.output;
  }
  {
    const CommandResult r = run_input("missing_pairs", R"({"images": 5})");
    EXPECT_NE(r.status, 0);
    EXPECT_NE(r.output.find("neb.pairs"), std::string::npos) << r.output;
  }
  {
    const CommandResult r = run_input("missing_final", R"({"pairs": [{"initial": "a.data"}]})");
    EXPECT_NE(r.status, 0);
    EXPECT_NE(r.output.find("neb.pairs[0].final"), std::string::npos) << r.output;
  }
  {
    const CommandResult r = run_input(
        "two_images", R"({"pairs": [{"initial": "a.data", "final": "b.data"}], "images": 2})");
    EXPECT_NE(r.status, 0);
    EXPECT_NE(r.output.find("neb.images"), std::string::npos) << r.output;
  }
  {
    const CommandResult r = run_input(
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
    const CommandResult r = run_input("unpaired", R"({"directory": ")" + dir + R"("})");
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
    const CommandResult box =
        run_input("different_box", R"({"pairs": [{"initial": ")" + dir + R"(/a.data", "final": ")" +
                                       dir + R"(/bigger_box.data"}]})");
    EXPECT_NE(box.status, 0);
    EXPECT_NE(box.output.find("different boxes"), std::string::npos) << box.output;
    EXPECT_NE(box.output.find("bigger_box.data"), std::string::npos) << box.output;
    const CommandResult ids =
        run_input("different_ids", R"({"pairs": [{"initial": ")" + dir + R"(/a.data", "final": ")" +
                                       dir + R"(/other_ids.data"}]})");
    EXPECT_NE(ids.status, 0);
    EXPECT_NE(ids.output.find("same atom IDs"), std::string::npos) << ids.output;
  }
  {
    const CommandResult r = run_input(
        "restart", R"({"pairs": [{"initial": "a.data", "final": "b.data"}]})", " --restart");
    EXPECT_NE(r.status, 0);
    EXPECT_NE(r.output.find("neb does not support --restart yet"), std::string::npos) << r.output;
  }
}

}  // namespace
}  // namespace glassland
