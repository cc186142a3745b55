// LAMMPS dump trajectories of task md (output.dump_stride; host/io/lammps_dump_writer.hpp).
// Oracle: LAMMPS itself. `read_dump` of each dumped frame into the run's data file (its types,
// masses and triclinic flag) and `run 0` give the potential energy glassland recorded for that
// step in results.h5, to 1e-9 relative, in a sheared (triclinic) box. And: the dump's element
// column names each type as the data files do; without trajectory_stride no trajectory file and
// no particle group is written (H5MD without empty groups).
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "host/io/hdf5_file.hpp"
#include "tests/support/lammps_oracle.hpp"
#include "tests/support/program_runner.hpp"

namespace glassland {
namespace {

namespace fs = std::filesystem;

constexpr const char* kPotential = "/usr/share/lammps/potentials/CuZr_mm.eam.fs";

// The frames of a dump: per frame its step and the (type, element) of each atom line.
struct DumpFrames {
  std::vector<long long> steps;
  std::vector<std::vector<std::pair<int, std::string>>> atoms;
  std::vector<std::string> box_headers;
};

DumpFrames read_dump_frames(const std::string& path) {
  std::ifstream in(path);
  DumpFrames frames;
  std::string line;
  int n_atoms = 0;
  while (std::getline(in, line)) {
    if (line == "ITEM: TIMESTEP") {
      std::getline(in, line);
      frames.steps.push_back(std::stoll(line));
      frames.atoms.emplace_back();
    } else if (line == "ITEM: NUMBER OF ATOMS") {
      std::getline(in, line);
      n_atoms = std::stoi(line);
    } else if (line.rfind("ITEM: BOX BOUNDS", 0) == 0) {
      frames.box_headers.push_back(line);
    } else if (line.rfind("ITEM: ATOMS", 0) == 0) {
      EXPECT_EQ(line, "ITEM: ATOMS id type element x y z ix iy iz") << path;
      for (int i = 0; i < n_atoms && std::getline(in, line); ++i) {
        std::istringstream fields(line);
        int id = 0, type = 0;
        std::string element;
        fields >> id >> type >> element;
        frames.atoms.back().push_back({type, element});
      }
    }
  }
  return frames;
}

TEST(MdDump, LammpsReadDumpReevaluatesEveryFrameToTheRecordedEnergy) {
  const std::string dir = testing::make_scratch_dir("md_dump");
  std::ofstream(dir + "/input.json") << R"({
  "task": "md",
  "system": {"build": {"lattice": "b2", "cells": [6, 6, 6], "seed": 5}, "replicas": 2},
  "md": {"steps": 20, "ensemble": "nvt", "temperature": [1500, 900],
         "shear": {"strain_xy": 0.12, "strain_xz": -0.07, "strain_yz": 0.05}},
  "output": {"directory": ")" + dir + R"(/out", "thermo_stride": 10, "dump_stride": 10,
             "quiet": true}
})";
  const auto run = testing::run_glassland("run " + dir + "/input.json");
  ASSERT_EQ(run.status, 0) << run.output;

  // No trajectory_stride: no trajectory file, and results.h5 has no (empty) particle group.
  EXPECT_FALSE(fs::exists(dir + "/out/trajectory.h5md"));
  const hdf5::File results = hdf5::File::open_read_only(dir + "/out/results.h5");
  EXPECT_FALSE(results.exists("particles"));
  const auto steps = results.dataset("observables/potential_energy/step").read<int64_t>();
  const auto energies = results.dataset("observables/potential_energy/value").read<double>();
  ASSERT_EQ(steps, (std::vector<int64_t>{0, 10, 20}));

  for (int r = 0; r < 2; ++r) {
    char name[64];
    std::snprintf(name, sizeof name, "/out/dump/replica_%04d.lammpstrj", r);
    const std::string dump = dir + name;
    const DumpFrames frames = read_dump_frames(dump);
    ASSERT_EQ(frames.steps, (std::vector<long long>{0, 10, 20})) << dump;
    for (const std::string& header : frames.box_headers)
      EXPECT_EQ(header, "ITEM: BOX BOUNDS xy xz yz pp pp pp");  // the shear tilts the box
    for (const auto& atoms : frames.atoms) {
      ASSERT_EQ(atoms.size(), 432u);
      for (const auto& [type, element] : atoms)
        EXPECT_EQ(element, type == 1 ? "Cu" : "Zr");  // system.elements: ["Cu", "Zr"]
    }
    for (size_t k = 0; k < steps.size(); ++k) {
      std::snprintf(name, sizeof name, "/out/final_%04d.data", r);
      std::ostringstream script;
      script << "units metal\natom_style atomic\natom_modify map array\n"
             << "read_data " << dir << name << "\n"
             << "pair_style eam/fs\npair_coeff * * " << kPotential << " Cu Zr\n"
             << "read_dump " << dump << " " << steps[k] << " x y z ix iy iz box yes replace yes\n"
             << "run 0\nvariable e equal pe\nprint \"ENERGY $(v_e:%.17g)\"\n";
      const std::string lammps_dir = testing::make_scratch_dir(
          "md_dump_lammps_" + std::to_string(r) + "_" + std::to_string(k));
      const double lammps =
          testing::printed_value(testing::run_lammps(lammps_dir, script.str()), "ENERGY");
      const double glassland = energies[2 * k + r];
      EXPECT_NEAR(lammps, glassland, 1e-9 * std::abs(glassland))
          << "replica " << r << ", step " << steps[k];
    }
  }
}

}  // namespace
}  // namespace glassland
