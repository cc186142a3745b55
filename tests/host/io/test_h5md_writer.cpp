// The H5MD writer: the layout read back with the HDF5 API, per-replica observables, truncation
// and reopening for a restart, and (where python3 with h5py is installed) the file as h5py sees
// it, including while the writer still has it open.
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "host/io/h5md_writer.hpp"
#include "host/io/hdf5_file.hpp"

namespace glassland {
namespace {

namespace fs = std::filesystem;
using hdf5::File;
using hdf5::Group;

class H5mdWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    directory_ = fs::temp_directory_path() /
                 ("glassland_h5md_" + std::to_string(getpid()) + "_" + info->name());
    fs::remove_all(directory_);
    fs::create_directories(directory_);
  }
  void TearDown() override { fs::remove_all(directory_); }
  std::string path(const std::string& name) const { return (directory_ / name).string(); }

  fs::path directory_;
};

constexpr std::size_t kReplicas = 2;
constexpr std::size_t kAtoms = 4;

// Frame f of the test trajectory: every value encodes (frame, replica, atom, component), so a
// value in the wrong place is noticed.
struct TestFrame {
  std::vector<double> edges, origins, positions, velocities, forces;
  std::vector<std::int32_t> images;
  TrajectoryFrame view(std::int64_t step, double time) const {
    TrajectoryFrame frame;
    frame.step = step;
    frame.time = time;
    frame.edge_vectors = &edges;
    frame.origins = &origins;
    frame.forces = &forces;
    frame.positions = &positions;
    frame.velocities = &velocities;
    frame.images = &images;
    return frame;
  }
};

double encoded(int frame, std::size_t replica, std::size_t atom, std::size_t component) {
  return 1000.0 * frame + 100.0 * replica + 10.0 * atom + component;
}

TestFrame make_frame(int f) {
  TestFrame frame;
  for (std::size_t r = 0; r < kReplicas; ++r) {
    // A triclinic cell: a = (lx, 0, 0), b = (xy, ly, 0), c = (xz, yz, lz).
    const double lx = 20.0 + f + r, xy = 0.5 * f;
    const std::vector<double> cell = {lx, 0, 0, xy, lx, 0, 0.1, 0.2, lx};
    frame.edges.insert(frame.edges.end(), cell.begin(), cell.end());
    for (std::size_t k = 0; k < 3; ++k) {
      frame.origins.push_back(-0.5 * f - static_cast<double>(r + k));
    }
    for (std::size_t i = 0; i < kAtoms; ++i) {
      for (std::size_t k = 0; k < 3; ++k) {
        frame.positions.push_back(encoded(f, r, i, k));
        frame.velocities.push_back(-encoded(f, r, i, k));
        frame.forces.push_back(0.5 * encoded(f, r, i, k));
        frame.images.push_back(static_cast<std::int32_t>(f - static_cast<int>(k)));
      }
    }
  }
  return frame;
}

std::vector<std::int32_t> test_species() {
  return {1, 2, 2, 1, 2, 1, 1, 1};
}

H5mdAtoms test_atoms() {
  H5mdAtoms atoms;
  atoms.species_names = {"Cu", "Zr"};
  atoms.species_masses = {63.546, 91.224};
  atoms.species = test_species();
  atoms.ids = {1, 2, 3, 4, 7, 5, 6, 8};
  return atoms;
}

H5mdTrajectory write_frames(const File& file, int n_frames, bool forces = false) {
  H5mdOptions options;
  options.author = "Test Author";
  options.velocities = true;
  options.forces = forces;
  options.images = true;
  H5mdTrajectory trajectory =
      H5mdTrajectory::create(file, kReplicas, kAtoms, test_atoms(), options);
  for (int f = 0; f < n_frames; ++f) {
    const TestFrame frame = make_frame(f);
    trajectory.append_frame(frame.view(100 * f, 0.1 * f));
  }
  return trajectory;
}

TEST_F(H5mdWriterTest, LayoutFollowsH5md) {
  {
    File file = File::create(path("traj.h5"));
    H5mdTrajectory trajectory = write_frames(file, 3);
    EXPECT_EQ(trajectory.frames(), 3u);
    file.close();
  }
  File file = File::open_read_only(path("traj.h5"));
  Group h5md = file.group("h5md");
  EXPECT_EQ(h5md.int64s_attribute("version"), (std::vector<std::int64_t>{1, 1}));
  EXPECT_EQ(file.group("h5md/author").string_attribute("name"), "Test Author");
  EXPECT_EQ(file.group("h5md/creator").string_attribute("name"), "glassland");
  EXPECT_FALSE(file.group("h5md/creator").string_attribute("version").empty());

  EXPECT_EQ(file.group("particles").member_names(),
            (std::vector<std::string>{"replica_0000", "replica_0001"}));
  for (std::size_t r = 0; r < kReplicas; ++r) {
    Group particles = file.group("particles/" + replica_group_name(r));
    Group box = particles.group("box");
    EXPECT_EQ(box.int64_attribute("dimension"), 3);
    EXPECT_EQ(box.strings_attribute("boundary"), std::vector<std::string>(3, "periodic"));
    EXPECT_EQ(box.dataset("edges/value").shape(), (std::vector<hsize_t>{3, 3, 3}));
    EXPECT_EQ(particles.dataset("position/value").shape(), (std::vector<hsize_t>{3, kAtoms, 3}));
    EXPECT_EQ(particles.dataset("position/value").string_attribute("unit"), "Angstrom");
    EXPECT_EQ(particles.dataset("position/time").string_attribute("unit"), "ps");
    EXPECT_EQ(particles.dataset("position/step").read<std::int64_t>(),
              (std::vector<std::int64_t>{0, 100, 200}));
    EXPECT_EQ(particles.dataset("position/time").read<double>(),
              (std::vector<double>{0.0, 0.1, 0.2}));
    EXPECT_EQ(particles.dataset("velocity/value").shape(), (std::vector<hsize_t>{3, kAtoms, 3}));
    EXPECT_EQ(particles.dataset("image/value").element_type(), hdf5::ElementType::int32);
    EXPECT_FALSE(particles.exists("force"));

    // Frame 2 of this replica, value by value.
    const std::vector<double> positions =
        particles.dataset("position/value").read_rows<double>(2, 1);
    const std::vector<double> velocities =
        particles.dataset("velocity/value").read_rows<double>(2, 1);
    const std::vector<std::int32_t> images =
        particles.dataset("image/value").read_rows<std::int32_t>(2, 1);
    for (std::size_t i = 0; i < kAtoms; ++i) {
      for (std::size_t k = 0; k < 3; ++k) {
        EXPECT_EQ(positions[3 * i + k], encoded(2, r, i, k));
        EXPECT_EQ(velocities[3 * i + k], -encoded(2, r, i, k));
        EXPECT_EQ(images[3 * i + k], 2 - static_cast<int>(k));
      }
    }
    const std::vector<double> edges = box.dataset("edges/value").read_rows<double>(1, 1);
    EXPECT_EQ(edges, (std::vector<double>{21.0 + r, 0, 0, 0.5, 21.0 + r, 0, 0.1, 0.2, 21.0 + r}));
    const std::vector<std::int32_t> species = particles.dataset("species").read<std::int32_t>();
    const std::vector<std::int32_t> all_species = test_species();
    EXPECT_EQ(species, std::vector<std::int32_t>(all_species.begin() + r * kAtoms,
                                                 all_species.begin() + (r + 1) * kAtoms));
  }
}

// The H5MD 1.1 details MDAnalysis, VMD's plugin and strict readers rely on, each of which the
// writer of glassland 0.x got wrong: the units module's system, fixed-length metadata strings,
// ASCII unit strings, species with element names, atom IDs, masses, the box origin, and step /
// time shared through hard links by the elements sampled together.
TEST_F(H5mdWriterTest, MetadataUnitsSpeciesIdsMassesAndOriginFollowH5md11) {
  {
    File file = File::create(path("traj.h5"));
    write_frames(file, 2, /*forces=*/true);
    file.close();
  }
  File file = File::open_read_only(path("traj.h5"));
  Group units = file.group("h5md/modules/units");
  EXPECT_EQ(units.int64s_attribute("version"), (std::vector<std::int64_t>{1, 0}));
  EXPECT_EQ(units.string_attribute("system"), "SI");
  EXPECT_EQ(units.string_kind("system"), hdf5::StringKind::variable_ascii);
  EXPECT_EQ(file.group("h5md/author").string_kind("name"), hdf5::StringKind::fixed_ascii);
  EXPECT_TRUE(file.group("h5md/author").attribute_is_scalar("name"));
  EXPECT_EQ(file.group("h5md/creator").string_kind("name"), hdf5::StringKind::fixed_ascii);
  EXPECT_EQ(file.group("h5md/creator").string_kind("version"), hdf5::StringKind::fixed_ascii);
  for (std::size_t r = 0; r < kReplicas; ++r) {
    Group particles = file.group("particles/" + replica_group_name(r));
    EXPECT_EQ(particles.group("box").string_kind("boundary"), hdf5::StringKind::fixed_ascii);
    for (const char* element : {"position", "velocity", "force", "box/edges", "box/offset"}) {
      const hdf5::Dataset value = particles.dataset(std::string(element) + "/value");
      EXPECT_EQ(value.string_kind("unit"), hdf5::StringKind::variable_ascii) << element;
      EXPECT_TRUE(is_h5md_unit(value.string_attribute("unit"))) << element;
      EXPECT_EQ(particles.dataset(std::string(element) + "/time").string_kind("unit"),
                hdf5::StringKind::variable_ascii);
    }
    EXPECT_EQ(particles.dataset("force/value").string_attribute("unit"), "kJ mol-1 Angstrom-1");
    EXPECT_EQ(particles.dataset("velocity/value").string_attribute("unit"), "Angstrom ps-1");
    // Forces given in eV/Å are stored in kJ mol⁻¹ Å⁻¹ (1 eV = 96.485332123… kJ/mol).
    const std::vector<double> force = particles.dataset("force/value").read_rows<double>(1, 1);
    EXPECT_NEAR(force[4] / (0.5 * encoded(1, r, 1, 1)), 96.48533212331, 1e-10);

    EXPECT_EQ(particles.dataset("species").enum_members(),
              (std::vector<hdf5::EnumMember>{{"Cu", 1}, {"Zr", 2}}));
    const std::vector<std::int32_t> ids = test_atoms().ids;
    EXPECT_EQ(particles.dataset("id").read<std::int32_t>(),
              std::vector<std::int32_t>(ids.begin() + r * kAtoms, ids.begin() + (r + 1) * kAtoms));
    const std::vector<double> masses = particles.dataset("mass").read<double>();
    const std::vector<std::int32_t> species = particles.dataset("species").read<std::int32_t>();
    ASSERT_EQ(masses.size(), kAtoms);
    for (std::size_t i = 0; i < kAtoms; ++i) {
      EXPECT_EQ(masses[i], species[i] == 1 ? 63.546 : 91.224);
    }
    EXPECT_EQ(particles.dataset("mass").string_attribute("unit"), "u");
    EXPECT_EQ(particles.dataset("box/offset/value").read_rows<double>(1, 1),
              (std::vector<double>{-0.5 - r, -1.5 - r, -2.5 - r}));

    // One step and one time dataset per particle group: every element links position's.
    H5O_info_t info;
    ASSERT_GE(H5Oget_info_by_name(particles.id(), "position/step", &info, H5P_DEFAULT), 0);
    EXPECT_EQ(info.rc, 6u);  // position, box/edges, box/offset, image, velocity, force
    ASSERT_GE(H5Oget_info_by_name(particles.id(), "box/edges/time", &info, H5P_DEFAULT), 0);
    EXPECT_EQ(info.rc, 6u);
  }
}

TEST_F(H5mdWriterTest, UnitStringsFollowTheUnitsModuleGrammar) {
  for (const char* unit : {"Angstrom", "Angstrom+3", "Angstrom ps-1", "kJ mol-1 Angstrom-1", "K",
                           "bar", "eV", "u", "nm+3", "um+2 s-1", "60 s", "10+3 m"}) {
    EXPECT_TRUE(is_h5md_unit(unit)) << unit;
  }
  for (const char* unit : {"Angstrom^3", "eV/Å", "Å", "", " eV", "eV  ps", "eV eV", "eV Angstrom-0",
                           "s 60", "eV (E_A(γ) − E_A(0))", "Angstrom3.5"}) {
    EXPECT_FALSE(is_h5md_unit(unit)) << unit;
  }
  File file = File::create(path("units.h5"));
  const hdf5::Dataset dataset = file.write("x", std::vector<double>{1.0});
  EXPECT_THROW(set_unit(dataset, "Angstrom^3"), std::logic_error);
  EXPECT_THROW(dataset.set_attribute("unit", std::string("Å"), hdf5::StringKind::variable_ascii),
               std::invalid_argument);
  set_unit(dataset, "Angstrom+3");
  EXPECT_EQ(dataset.string_attribute("unit"), "Angstrom+3");
}

TEST_F(H5mdWriterTest, FramesWithMissingOrMisSizedArraysAreRefused) {
  File file = File::create(path("bad.h5"));
  H5mdTrajectory trajectory = write_frames(file, 1);
  TestFrame frame = make_frame(1);
  TrajectoryFrame view = frame.view(1, 0.1);
  view.velocities = nullptr;  // enabled, so required
  EXPECT_THROW(trajectory.append_frame(view), std::invalid_argument);
  frame.positions.pop_back();
  EXPECT_THROW(trajectory.append_frame(frame.view(1, 0.1)), std::invalid_argument);
  EXPECT_EQ(trajectory.frames(), 1u);
  H5mdAtoms short_species = test_atoms();
  short_species.species = {1, 2, 3};
  EXPECT_THROW(H5mdTrajectory::create(file, 1, 4, short_species, {}), std::invalid_argument);
}

TEST_F(H5mdWriterTest, TruncateAndReopenContinueWithoutGapOrDuplicate) {
  {
    File file = File::create(path("restart.h5"));
    write_frames(file, 5);
    file.close();
  }
  {
    // Restart from a checkpoint taken after frame 3.
    File file = File::open_read_write(path("restart.h5"));
    H5mdTrajectory trajectory = H5mdTrajectory::open(file);
    EXPECT_EQ(trajectory.n_replicas(), kReplicas);
    EXPECT_EQ(trajectory.n_atoms(), kAtoms);
    EXPECT_TRUE(trajectory.options().velocities);
    EXPECT_FALSE(trajectory.options().forces);
    EXPECT_TRUE(trajectory.options().images);
    EXPECT_EQ(trajectory.frames(), 5u);
    trajectory.truncate_frames(3);
    EXPECT_EQ(trajectory.frames(), 3u);
    for (int f = 3; f < 6; ++f) {
      const TestFrame frame = make_frame(f);
      trajectory.append_frame(frame.view(100 * f, 0.1 * f));
    }
    file.close();
  }
  File file = File::open_read_only(path("restart.h5"));
  for (std::size_t r = 0; r < kReplicas; ++r) {
    Group particles = file.group("particles/" + replica_group_name(r));
    EXPECT_EQ(particles.dataset("position/step").read<std::int64_t>(),
              (std::vector<std::int64_t>{0, 100, 200, 300, 400, 500}));
    EXPECT_EQ(particles.dataset("box/edges/step").read<std::int64_t>(),
              (std::vector<std::int64_t>{0, 100, 200, 300, 400, 500}));
    const std::vector<double> positions = particles.dataset("position/value").read<double>();
    ASSERT_EQ(positions.size(), 6 * kAtoms * 3);
    for (int f = 0; f < 6; ++f) {
      EXPECT_EQ(positions[f * kAtoms * 3 + 4], encoded(f, r, 1, 1)) << "frame " << f;
    }
  }
}

TEST_F(H5mdWriterTest, ObservablesHoldOneColumnPerReplica) {
  const std::vector<H5mdObservableSet::Column> thermo = {
      {"temperature", "K"},       {"pressure", "bar"},      {"volume", "Angstrom+3"},
      {"potential_energy", "eV"}, {"kinetic_energy", "eV"}, {"enthalpy", "eV"}};
  {
    File file = File::create(path("thermo.h5"));
    H5mdObservableSet set = H5mdObservableSet::create(file, 3, thermo);
    for (int record = 0; record < 4; ++record) {
      std::vector<std::vector<double>> values;
      for (std::size_t c = 0; c < thermo.size(); ++c) {
        values.push_back({10.0 * c + record, 10.0 * c + record + 0.25, 10.0 * c + record + 0.5});
      }
      set.append(10 * record, 0.01 * record, values);
    }
    EXPECT_EQ(set.records(), 4u);
    EXPECT_THROW(set.append(50, 0.5, {{1, 2, 3}}), std::invalid_argument);  // one column only
    EXPECT_THROW(set.observables()[0].append(50, 0.5, {1, 2}), std::invalid_argument);
    set.truncate(3);
    file.close();
  }
  File file = File::open_read_only(path("thermo.h5"));
  EXPECT_TRUE(file.exists("h5md"));
  H5mdObservableSet set = H5mdObservableSet::open(
      file,
      {"temperature", "pressure", "volume", "potential_energy", "kinetic_energy", "enthalpy"});
  EXPECT_EQ(set.records(), 3u);
  Group pressure = file.group("observables/pressure");
  EXPECT_EQ(pressure.dataset("value").shape(), (std::vector<hsize_t>{3, 3}));
  EXPECT_EQ(pressure.dataset("value").string_attribute("unit"), "bar");
  EXPECT_EQ(pressure.dataset("value").read_rows<double>(2, 1),
            (std::vector<double>{12.0, 12.25, 12.5}));
  EXPECT_EQ(pressure.dataset("step").read<std::int64_t>(), (std::vector<std::int64_t>{0, 10, 20}));
  // The set shares the first observable's step and time.
  H5O_info_t info;
  ASSERT_GE(H5Oget_info_by_name(file.id(), "observables/volume/step", &info, H5P_DEFAULT), 0);
  EXPECT_EQ(info.rc, thermo.size());
}

// Parts of a segmented run appended to one merged trajectory and observable set: every row in
// order, step and time once per record.
TEST_F(H5mdWriterTest, FramesAndRecordsOfPartsAppendToAMergedFile) {
  const std::vector<H5mdObservableSet::Column> columns = {{"temperature", "K"},
                                                          {"volume", "Angstrom+3"}};
  for (int part = 0; part < 2; ++part) {
    File file = File::create(path("part" + std::to_string(part) + ".h5"));
    H5mdOptions options;
    options.images = true;
    H5mdTrajectory trajectory =
        H5mdTrajectory::create(file, kReplicas, kAtoms, test_atoms(), options);
    H5mdObservableSet thermo = H5mdObservableSet::create(file, kReplicas, columns);
    for (int f = 2 * part; f < 2 * part + 2; ++f) {
      trajectory.append_frame(make_frame(f).view(10 * f, 0.01 * f));
      thermo.append(10 * f, 0.01 * f, {{1.0 * f, 2.0 * f}, {-1.0 * f, -2.0 * f}});
    }
    file.close();
  }
  File merged = File::create(path("merged.h5"));
  H5mdOptions options;
  options.images = true;
  H5mdTrajectory trajectory =
      H5mdTrajectory::create(merged, kReplicas, kAtoms, test_atoms(), options);
  H5mdObservableSet thermo = H5mdObservableSet::create(merged, kReplicas, columns);
  for (int part = 0; part < 2; ++part) {
    File file = File::open_read_only(path("part" + std::to_string(part) + ".h5"));
    trajectory.append_frames_of(H5mdTrajectory::open(file));
    thermo.append_records_of(H5mdObservableSet::open(file, {"temperature", "volume"}));
  }
  EXPECT_EQ(trajectory.frames(), 4u);
  EXPECT_EQ(thermo.records(), 4u);
  Group particles = merged.group("particles/replica_0001");
  EXPECT_EQ(particles.dataset("image/step").read<std::int64_t>(),
            (std::vector<std::int64_t>{0, 10, 20, 30}));
  EXPECT_EQ(particles.dataset("position/value").read_rows<double>(3, 1)[5], encoded(3, 1, 1, 2));
  EXPECT_EQ(merged.dataset("observables/volume/value").read<double>(),
            (std::vector<double>{0, 0, -1, -2, -2, -4, -3, -6}));
  EXPECT_EQ(merged.dataset("observables/volume/time").read<double>(),
            (std::vector<double>{0.0, 0.01, 0.02, 0.03}));
}

TEST_F(H5mdWriterTest, EffectiveConfigurationIsStoredAndReplaced) {
  File file = File::create(path("results.h5"));
  write_effective_configuration(file, {{"task", "md"}, {"md", {{"steps", 100}}}});
  write_effective_configuration(file, {{"task", "md"}, {"md", {{"steps", 200}}}});
  EXPECT_EQ(read_effective_configuration(file),
            nlohmann::json({{"task", "md"}, {"md", {{"steps", 200}}}}));
  EXPECT_EQ(file.group("parameters").member_names(),
            std::vector<std::string>{"effective_configuration"});
}

// python3 with h5py, if installed: pyenv shims may hide the system's h5py, so try both.
std::string python_with_h5py() {
  for (const char* candidate : {"python3", "/usr/bin/python3"}) {
    const std::string command = std::string(candidate) + " -c 'import h5py' > /dev/null 2>&1";
    if (std::system(command.c_str()) == 0) {
      return candidate;
    }
  }
  return "";
}

TEST_F(H5mdWriterTest, H5pyReadsTheFileWhileTheWriterHasItOpen) {
  const std::string python = python_with_h5py();
  if (python.empty()) {
    GTEST_SKIP() << "python3 with h5py is not installed";
  }
  File file = File::create(path("live.h5"));
  H5mdTrajectory trajectory = write_frames(file, 2);
  H5mdObservable temperature = H5mdObservable::create(file, "temperature", kReplicas, "K");
  temperature.append(0, 0.0, {300.0, 310.0});
  temperature.append(100, 0.1, {301.0, 311.0});

  const std::string script = R"(
import sys, h5py
f = h5py.File(sys.argv[1], "r")
assert list(f["h5md"].attrs["version"]) == [1, 1], f["h5md"].attrs["version"]
# H5MD 1.1's fixed-length strings, which h5py returns as bytes.
assert f["h5md/creator"].attrs["name"] == b"glassland", f["h5md/creator"].attrs["name"]
p = f["particles/replica_0001"]
assert list(p["box"].attrs["boundary"]) == [b"periodic"] * 3, p["box"].attrs["boundary"]
assert f["h5md/modules/units"].attrs["system"] == "SI"
assert h5py.check_enum_dtype(p["species"].dtype) == {"Cu": 1, "Zr": 2}
assert list(p["id"][:]) == [7, 5, 6, 8], p["id"][:]
assert p["box"].attrs["dimension"] == 3
assert p["box/edges/value"].shape == (2, 3, 3), p["box/edges/value"].shape
assert p["position/value"].shape == (2, 4, 3), p["position/value"].shape
assert p["position/value"][1, 2, 0] == 1000 + 100 + 20
assert list(p["position/step"][:]) == [0, 100]
assert p["species"].shape == (4,)
assert p["image/value"].dtype.kind == "i"
t = f["observables/temperature/value"]
assert t.shape == (2, 2) and t[1, 1] == 311.0, t[:]
print("h5py ok")
)";
  const std::string script_path = path("check.py");
  std::ofstream(script_path) << script;
  // HDF5 1.10 locks files it writes; readers in other processes opt out of locking.
  const std::string command = "HDF5_USE_FILE_LOCKING=FALSE " + python + " " + script_path + " " +
                              path("live.h5") + " > " + path("python.log") + " 2>&1";
  const int status = std::system(command.c_str());
  std::ifstream log(path("python.log"));
  std::stringstream output;
  output << log.rdbuf();
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << output.str();
  EXPECT_NE(output.str().find("h5py ok"), std::string::npos) << output.str();
}

}  // namespace
}  // namespace glassland
