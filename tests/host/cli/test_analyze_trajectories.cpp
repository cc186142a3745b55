// `glassland analyze dynamics|structure` against LAMMPS on a trajectory and a frame that LAMMPS
// itself wrote (issue 20, acceptance): compute msd (one time origin, with and without the centre
// of mass removed), compute rdf (1e-6 relative where g > 0.1), compute voronoi/atom (volumes to
// 1e-6 Å³, face counts equal, and the edge histogram against our Voronoi indices); and the dump
// reader on a triclinic box: x + image, xs + image, xu, xsu and a gzip copy give the same
// unwrapped positions.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

#include "host/io/lammps_dump.hpp"
#include "host/io/potential_files.hpp"
#include "tests/support/lammps_oracle.hpp"
#include "tests/support/program_runner.hpp"
#include "tests/support/test_requirements.hpp"

namespace glassland {
namespace {

const char* kLiquidScript = R"(
units metal
atom_style atomic
boundary p p p
lattice bcc 3.26
region box block 0 6 0 6 0 6
create_box 2 box
create_atoms 1 box
set type 1 type/fraction 2 0.5 12345
mass 1 63.546
mass 2 91.224
group cu type 1
pair_style eam/fs
pair_coeff * * @POTENTIAL@ Cu Zr
velocity all create 3000 4928459 mom yes dist gaussian
fix 1 all nvt temp 2500 2500 0.1
timestep 0.002
thermo 100
run 300
change_box all triclinic
change_box all xy final 2.0 xz final 1.0 yz final 0.5 remap units box
reset_timestep 0
compute m all msd
compute mc all msd com yes
compute mcu cu msd
fix msd all ave/time 10 1 10 c_m[4] c_mc[4] c_mcu[4] file msd.txt format " %.17g"
dump d1 all custom 10 wrapped.dump id type x y z ix iy iz
dump_modify d1 format float %.17g
dump d2 all custom 10 unwrapped.dump id type xu yu zu
dump_modify d2 format float %.17g sort id
dump d3 all custom 10 scaled.dump id type xs ys zs ix iy iz
dump_modify d3 format float %.17g
dump d4 all custom 10 scaled_unwrapped.dump id type xsu ysu zsu
dump_modify d4 format float %.17g
run 200
)";

const char* kFrameScript = R"(
units metal
atom_style atomic
boundary p p p
lattice bcc 3.26
region box block 0 6 0 6 0 6
create_box 2 box
create_atoms 1 box
set type 1 type/fraction 2 0.5 777
mass 1 63.546
mass 2 91.224
pair_style eam/fs
pair_coeff * * @POTENTIAL@ Cu Zr
velocity all create 3000 1234 mom yes dist gaussian
fix 1 all nvt temp 2200 2200 0.1
timestep 0.002
run 300
compute r all rdf 100 1 1 2 2 1 2 cutoff 7.0
compute v all voronoi/atom edge_histo 6
fix g all ave/time 1 1 1 c_r[*] file rdf.txt mode vector format " %.15g"
fix h all ave/time 1 1 1 c_v file histo.txt mode vector format " %.15g"
dump f all custom 1 frame.dump id type x y z ix iy iz c_v[1] c_v[2]
dump_modify f format float %.17g
run 0
)";

// `script` with @POTENTIAL@ replaced by the Cu–Zr potential of the potential directory.
std::string with_potential(std::string script) {
  const std::string placeholder = "@POTENTIAL@";
  script.replace(script.find(placeholder), placeholder.size(), potential_file("CuZr_mm.eam.fs"));
  return script;
}

// Data rows of a fix ave/time file (lines not starting with '#'), split into numbers.
std::vector<std::vector<double>> table(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::vector<double>> rows;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#')
      continue;
    std::istringstream s(line);
    std::vector<double> row;
    double v;
    while (s >> v)
      row.push_back(v);
    rows.push_back(row);
  }
  return rows;
}

nlohmann::json analyze(const std::string& arguments, const std::string& output) {
  const testing::ProgramResult r = testing::run_glassland("analyze " + arguments + " -o " + output);
  EXPECT_EQ(r.status, 0) << r.output;
  return testing::read_json_file(output);
}

TEST(AnalyzeTrajectories, MsdOfOneOriginEqualsLammpsComputeMsd) {
  GLASSLAND_REQUIRE_LAMMPS();
  const std::string dir = testing::make_scratch_dir("analyze_msd_vs_lammps");
  testing::run_lammps(dir, with_potential(kLiquidScript));
  const auto msd = table(dir + "/msd.txt");
  ASSERT_GE(msd.size(), 19u);
  const nlohmann::json keep = analyze("dynamics " + dir +
                                          "/wrapped.dump --single-origin --keep-drift "
                                          "--elements Cu Zr --timestep-ps 0.002 --q 2.7",
                                      dir + "/keep.json");
  const nlohmann::json com = analyze("dynamics " + dir +
                                         "/wrapped.dump --single-origin "
                                         "--elements Cu Zr --timestep-ps 0.002 --q 2.7",
                                     dir + "/com.json");
  ASSERT_EQ(keep["lag_ps"].size(), 21u);
  EXPECT_EQ(keep["unwrapping"], "image flags");
  int compared = 0;
  for (const auto& row : msd) {
    const std::size_t lag = static_cast<std::size_t>(std::llround(row[0] / 10));
    if (lag == 0 || lag >= keep["lag_ps"].size())
      continue;
    EXPECT_NEAR(keep["msd_A2"]["all"][lag].get<double>(), row[1], 1e-9 * row[1]) << row[0];
    EXPECT_NEAR(com["msd_A2"]["all"][lag].get<double>(), row[2], 1e-9 * row[2]) << row[0];
    EXPECT_NEAR(keep["msd_A2"]["Cu"][lag].get<double>(), row[3], 1e-9 * row[3]) << row[0];
    ++compared;
  }
  EXPECT_GE(compared, 19);
}

TEST(AnalyzeTrajectories, TriclinicDumpsOfEveryPositionKindReadTheSame) {
  GLASSLAND_REQUIRE_LAMMPS();
  const std::string dir = testing::make_scratch_dir("analyze_dump_kinds");
  testing::run_lammps(dir, with_potential(kLiquidScript));
  ASSERT_EQ(std::system(("gzip -kf " + dir + "/wrapped.dump").c_str()), 0);
  std::vector<std::unique_ptr<LammpsDumpReader>> readers;
  for (const char* name : {"unwrapped.dump", "wrapped.dump", "scaled.dump", "scaled_unwrapped.dump",
                           "wrapped.dump.gz"})
    readers.push_back(std::make_unique<LammpsDumpReader>(dir + "/" + name));
  EXPECT_EQ(readers[0]->count_frames(), 21u);
  EXPECT_EQ(readers[4]->count_frames(), 21u);
  AtomsFrame reference, other;
  std::size_t frames = 0;
  while (readers[0]->next(reference)) {
    ++frames;
    EXPECT_NEAR(reference.cell.xy, 2.0, 1e-12);
    EXPECT_NEAR(reference.cell.yz, 0.5, 1e-12);
    for (std::size_t k = 1; k < readers.size(); ++k) {
      ASSERT_TRUE(readers[k]->next(other));
      ASSERT_EQ(other.ids, reference.ids);
      EXPECT_EQ(other.types, reference.types);
      EXPECT_NEAR(other.cell.lo[0], reference.cell.lo[0], 1e-9);
      EXPECT_NEAR(other.cell.lx, reference.cell.lx, 1e-9);
      for (std::size_t i = 0; i < other.positions.size(); ++i)
        ASSERT_NEAR(other.positions[i], reference.positions[i], 1e-9) << k << " " << i;
    }
  }
  EXPECT_EQ(frames, 21u);
}

TEST(AnalyzeTrajectories, RdfAndVoronoiEqualLammpsOnAFrameLammpsWrote) {
  GLASSLAND_REQUIRE_LAMMPS();
  const std::string dir = testing::make_scratch_dir("analyze_structure_vs_lammps");
  testing::run_lammps(dir, with_potential(kFrameScript));
  const nlohmann::json s = analyze("structure " + dir +
                                       "/frame.dump --elements Cu Zr --rdf-bins "
                                       "100 --rdf-cutoff 7.0",
                                   dir + "/structure.json");
  const auto rdf = table(dir + "/rdf.txt");
  ASSERT_EQ(rdf.size(), 101u);  // the step line, then 100 rows
  int compared = 0;
  for (std::size_t b = 0; b < 100; ++b) {
    const auto& row = rdf[b + 1];  // row index, r, g11, n11, g22, n22, g12, n12
    EXPECT_NEAR(s["rdf"]["r_A"][b].get<double>(), row[1], 1e-9);
    const std::pair<const char*, int> pairs[3] = {{"Cu-Cu", 2}, {"Zr-Zr", 4}, {"Cu-Zr", 6}};
    for (const auto& [name, column] : pairs) {
      const double g = s["rdf"][name][b].get<double>();
      if (row[column] > 0.1) {
        EXPECT_NEAR(g, row[column], 1e-6 * row[column]) << name << " bin " << b;
        ++compared;
      } else {
        EXPECT_NEAR(g, row[column], 1e-6) << name << " bin " << b;
      }
    }
    EXPECT_NEAR(s["coordination"]["cumulative"]["Cu-Cu"][b].get<double>(), row[3],
                1e-6 * (1 + row[3]));
  }
  EXPECT_GT(compared, 150);
  // Voronoi: LAMMPS's per-atom volume and face count from the same dump.
  std::ifstream dump(dir + "/frame.dump");
  std::string line;
  while (std::getline(dump, line) && line.rfind("ITEM: ATOMS", 0) != 0) {
  }
  std::map<int, std::pair<double, int>> lammps;
  while (std::getline(dump, line)) {
    std::istringstream in(line);
    int id, type, ix, iy, iz;
    double x, y, z, volume, faces;
    in >> id >> type >> x >> y >> z >> ix >> iy >> iz >> volume >> faces;
    lammps[id] = {volume, static_cast<int>(faces)};
  }
  const nlohmann::json& atoms = s["voronoi"]["atoms"];
  ASSERT_EQ(atoms.size(), lammps.size());
  std::array<double, 4> faces_by_order{0, 0, 0, 0};
  for (const auto& a : atoms) {
    const auto& [volume, faces] = lammps.at(a["id"].get<int>());
    EXPECT_NEAR(a["volume_A3"].get<double>(), volume, 1e-6) << a["id"];
    EXPECT_EQ(a["faces"].get<int>(), faces) << a["id"];
    for (int k = 0; k < 4; ++k)
      faces_by_order[k] += a["index"][k].get<double>();
  }
  // LAMMPS's edge histogram: faces with 1 … 6 edges and more; ours counts 3 … 6.
  const auto histo = table(dir + "/histo.txt");
  ASSERT_GE(histo.size(), 8u);
  for (int k = 0; k < 4; ++k)
    EXPECT_EQ(faces_by_order[k], histo[1 + 2 + k][1]) << "faces with " << k + 3 << " edges";
}

}  // namespace
}  // namespace glassland

namespace glassland {
namespace {

// A dump of `atoms` atoms sampled every 5 ps (steps of 5000 at 1 fs) for 1000 ps, vibrating by a
// fixed pattern, with atom k (k < jumps) jumping 2.5 Å along x at sample 60 + 30k.
std::string cage_dump(const std::string& path, int atoms, int jumps) {
  std::ofstream out(path);
  for (int s = 0; s < 200; ++s) {
    out << "ITEM: TIMESTEP\n"
        << 5000 * s << "\nITEM: NUMBER OF ATOMS\n"
        << atoms << "\nITEM: BOX BOUNDS pp pp pp\n0 50\n0 50\n0 50\nITEM: ATOMS id type x y z\n";
    for (int i = 0; i < atoms; ++i) {
      const double wobble = 0.2 * std::sin(1.7 * s + i);
      const double x = 5.0 * i + 1.0 + wobble + (i < jumps && s >= 60 + 30 * i ? 2.5 : 0.0);
      out << i + 1 << " " << 1 + i % 2 << " " << x << " " << 10 + wobble << " " << 10 - wobble
          << "\n";
    }
  }
  return path;
}

TEST(AnalyzeTrajectories, CageJumpsCountsPlantedJumpsAndFitsArrhenius) {
  const std::string dir = testing::make_scratch_dir("analyze_cage_jumps");
  const std::string files = cage_dump(dir + "/a.dump", 8, 1) + " " +
                            cage_dump(dir + "/b.dump", 8, 2) + " " +
                            cage_dump(dir + "/c.dump", 8, 4);
  const nlohmann::json r = analyze(
      "cage-jumps " + files + " --u2 0.1 --timestep-ps 0.001 --elements Cu Zr -T 600 650 700",
      dir + "/jumps.json");
  ASSERT_EQ(r["series"].size(), 3u);
  const int expected[3] = {1, 2, 4};
  for (int k = 0; k < 3; ++k) {
    const nlohmann::json& s = r["series"][k];
    EXPECT_EQ(s["windows"], 9);
    EXPECT_EQ(s["species"]["all"]["jumps"], expected[k]);
    EXPECT_NEAR(s["species"]["all"]["rate_per_ps"].get<double>(), expected[k] / (8 * 995.0), 1e-12);
    EXPECT_NEAR(s["species"]["all"]["mean_squared_length_A2"].get<double>(), 6.25, 0.3);
  }
  // Γ grows with T: a positive cage-breaking barrier from the rates.
  EXPECT_GT(r["arrhenius"]["cage_breaking_Q1_from_rate"]["Q_eV"]["value"].get<double>(), 0.0);
}

// Each listed jump and each atom carries its element (issue 19: per-species jump histograms):
// the planted jumps of atoms 1 … 4, whose types alternate Cu, Zr.
TEST(AnalyzeTrajectories, ListedCageJumpsNameTheirElement) {
  const std::string dir = testing::make_scratch_dir("analyze_cage_jump_list");
  const nlohmann::json r =
      analyze("cage-jumps " + cage_dump(dir + "/c.dump", 8, 4) +
                  " --u2 0.1 --timestep-ps 0.001 --elements Cu Zr --list-jumps",
              dir + "/jumps.json");
  const nlohmann::json& s = r["series"][0];
  ASSERT_EQ(s["jumps"].size(), 4u);
  for (int k = 0; k < 4; ++k) {
    EXPECT_EQ(s["jumps"][k]["id"], k + 1);
    EXPECT_EQ(s["jumps"][k]["element"], k % 2 == 0 ? "Cu" : "Zr");
    EXPECT_NEAR(s["jumps"][k]["length_A"].get<double>(), 2.5, 0.3);
  }
  ASSERT_EQ(s["atoms"]["element"].size(), 8u);
  for (int i = 0; i < 8; ++i)
    EXPECT_EQ(s["atoms"]["element"][i], i % 2 == 0 ? "Cu" : "Zr");
  EXPECT_EQ(s["species"]["Cu"]["jumps"], 2);
  EXPECT_EQ(s["species"]["Zr"]["jumps"], 2);
}

}  // namespace
}  // namespace glassland
