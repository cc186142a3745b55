// Tests of the LAMMPS data reader/writer (host/io/lammps_data.cpp): hand-written files, exact
// round trips, malformed files, and LAMMPS itself (`lmp`) as the oracle: it reads what we write
// and writes it back, and we read what it writes. Reference: LAMMPS read_data/write_data docs.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "host/io/atomic_file.hpp"
#include "host/io/input_error.hpp"
#include "host/io/lammps_data.hpp"
#include "tests/support/program_runner.hpp"
#include "tests/support/test_requirements.hpp"

namespace glassland {
namespace {

using testing::read_text_file;

std::string output_dir(const std::string& name) {
  const std::string dir = std::string(GLASSLAND_BINARY_DIR) + "/test_output/lammps_data/" + name;
  std::filesystem::create_directories(dir);
  return dir;
}

std::string test_dir() {
  return output_dir(::testing::UnitTest::GetInstance()->current_test_info()->name());
}

std::string join(const std::vector<std::string>& lines) {
  std::string text;
  for (const auto& line : lines)
    text += line + "\n";
  return text;
}

std::string write_text(const std::string& name, const std::string& text) {
  const std::string path = test_dir() + "/" + name;
  std::ofstream(path) << text;
  return path;
}

// The message of the InputError that reading `path` throws; fails the test when none is thrown.
std::string read_error(const std::string& path) {
  try {
    read_lammps_data(path);
  } catch (const InputError& error) {
    return error.what();
  }
  ADD_FAILURE() << "no InputError for " << path;
  return "";
}

// A small, valid file; the malformed-file tests change one line of it. Line k is index k-1.
std::vector<std::string> base_lines() {
  return {
      "glassland test data",  // 1
      "",                     // 2
      "4 atoms",              // 3
      "2 atom types",         // 4
      "",                     // 5
      "0 10 xlo xhi",         // 6
      "0 11 ylo yhi",         // 7
      "0 12 zlo zhi",         // 8
      "",                     // 9
      "Masses",               // 10
      "",                     // 11
      "1 63.546",             // 12
      "2 91.224",             // 13
      "",                     // 14
      "Atoms # atomic",       // 15
      "",                     // 16
      "1 1 0.5 0.5 0.5",      // 17
      "2 2 1.5 0.5 0.5",      // 18
      "3 1 0.5 1.5 0.5",      // 19
      "4 2 0.5 0.5 1.5",      // 20
      "",                     // 21
      "Velocities",           // 22
      "",                     // 23
      "1 0.1 0 0",            // 24
      "2 0 0.2 0",            // 25
      "3 0 0 0.3",            // 26
      "4 0.4 0.4 0.4",        // 27
  };
}

// Expects reading the base file with line `line` replaced by `replacement` (or removed when
// `replacement` is "<remove>") to fail with a message that starts "PATH:LINE:" and contains
// `fragment`. error_line 0 means the message names no line.
void expect_error(int line, const std::string& replacement, int error_line,
                  const std::string& fragment) {
  std::vector<std::string> lines = base_lines();
  if (replacement == "<remove>") {
    lines.erase(lines.begin() + (line - 1));
  } else {
    lines[line - 1] = replacement;
  }
  const std::string path = write_text("malformed.data", join(lines));
  const std::string message = read_error(path);
  const std::string prefix =
      error_line > 0 ? path + ":" + std::to_string(error_line) + ": " : path + ": ";
  EXPECT_EQ(message.rfind(prefix, 0), 0u)
      << "line " << line << " -> '" << replacement << "': " << message;
  EXPECT_NE(message.find(fragment), std::string::npos)
      << "line " << line << " -> '" << replacement << "': " << message;
}

TEST(LammpsData, ReadsBaseFile) {
  const LammpsData data = read_lammps_data(write_text("base.data", join(base_lines())));
  EXPECT_EQ(data.title, "glassland test data");
  EXPECT_EQ(data.n_atoms(), 4);
  EXPECT_EQ(data.n_types, 2);
  EXPECT_EQ(data.lo, (std::array<double, 3>{0.0, 0.0, 0.0}));
  EXPECT_EQ(data.hi, (std::array<double, 3>{10.0, 11.0, 12.0}));
  EXPECT_FALSE(data.triclinic);
  EXPECT_EQ(data.masses, (std::vector<double>{63.546, 91.224}));
  EXPECT_EQ(data.ids, (std::vector<int>{1, 2, 3, 4}));
  EXPECT_EQ(data.types, (std::vector<int>{1, 2, 1, 2}));
  EXPECT_EQ(data.positions[3], (std::array<double, 3>{0.5, 0.5, 1.5}));
  ASSERT_EQ(data.images.size(), 4u);
  EXPECT_EQ(data.images[2], (std::array<int, 3>{0, 0, 0}));
  ASSERT_EQ(data.velocities.size(), 4u);
  EXPECT_EQ(data.velocities[2], (std::array<double, 3>{0.0, 0.0, 0.3}));
}

TEST(LammpsData, ReadsCommentsUnsortedIdsAndZeroCountsOfOtherKinds) {
  const std::string text = join({
      "# a title that looks like a comment",
      "",
      "# comment line in the header",
      "2 atom types   # trailing comment",
      "3 atoms",
      "0 bonds",
      "0 bond types",
      "0 extra bond per atom",
      "-1.5 2.5e1 xlo xhi",
      "",
      "   ",
      "-2 2 ylo yhi",
      "-3 3 zlo zhi",
      "Masses  # per type",
      "",
      "2 91.224  # Zr",
      "# a comment between entries",
      "1 63.546  # Cu",
      "",
      "Pair Coeffs # eam/fs",
      "",
      "1 ignored words",
      "2 ignored words",
      "",
      "Velocities",
      "",
      "30 3 3 3",
      "7 0.7 0.7 0.7",
      "12 1.25 -1.5 1e-3",
      "",
      "Atoms",
      "",
      "30 2 3.0 0.0 0.0",
      "",
      "7 1 1.0 -0.5 0.25 # a comment after an atom",
      "12 2 2.0 1.5 -2.75",
  });
  const LammpsData data = read_lammps_data(write_text("comments.data", text));
  EXPECT_EQ(data.title, "# a title that looks like a comment");
  EXPECT_EQ(data.n_types, 2);
  EXPECT_EQ(data.lo, (std::array<double, 3>{-1.5, -2.0, -3.0}));
  EXPECT_EQ(data.hi, (std::array<double, 3>{25.0, 2.0, 3.0}));
  EXPECT_EQ(data.masses, (std::vector<double>{63.546, 91.224}));
  EXPECT_EQ(data.ids, (std::vector<int>{7, 12, 30}));
  EXPECT_EQ(data.types, (std::vector<int>{1, 2, 2}));
  EXPECT_EQ(data.positions[0], (std::array<double, 3>{1.0, -0.5, 0.25}));
  EXPECT_EQ(data.positions[1], (std::array<double, 3>{2.0, 1.5, -2.75}));
  EXPECT_EQ(data.velocities[0], (std::array<double, 3>{0.7, 0.7, 0.7}));
  EXPECT_EQ(data.velocities[1], (std::array<double, 3>{1.25, -1.5, 1e-3}));
  EXPECT_EQ(data.velocities[2], (std::array<double, 3>{3.0, 3.0, 3.0}));
}

TEST(LammpsData, ReadsTriclinicBoxWithImageFlags) {
  const std::string text = join({
      "triclinic",
      "2 atoms",
      "1 atom types",
      "0.5 10.5 xlo xhi",
      "0 11 ylo yhi",
      "-1 12 zlo zhi",
      "1.5 -0.5 2.25 xy xz yz",
      "Atoms # atomic",
      "",
      "2 1 1 2 3 -1 0 2",
      "1 1 4 5 6 0 1 0",
  });
  const LammpsData data = read_lammps_data(write_text("triclinic.data", text));
  EXPECT_TRUE(data.triclinic);
  EXPECT_EQ(data.xy, 1.5);
  EXPECT_EQ(data.xz, -0.5);
  EXPECT_EQ(data.yz, 2.25);
  EXPECT_EQ(data.lo[0], 0.5);
  EXPECT_EQ(data.hi[2], 12.0);
  EXPECT_TRUE(data.masses.empty());
  EXPECT_TRUE(data.velocities.empty());
  EXPECT_EQ(data.ids, (std::vector<int>{1, 2}));
  EXPECT_EQ(data.images[0], (std::array<int, 3>{0, 1, 0}));
  EXPECT_EQ(data.images[1], (std::array<int, 3>{-1, 0, 2}));
  EXPECT_EQ(data.positions[1], (std::array<double, 3>{1.0, 2.0, 3.0}));
}

// Random data with values that need all 17 digits.
LammpsData random_data(int n_atoms, bool triclinic, bool images, bool velocities, bool masses,
                       uint64_t seed) {
  std::mt19937_64 engine(seed);
  auto uniform = [&](double lo, double hi) {
    return lo + (hi - lo) * static_cast<double>(engine() >> 11) / 9007199254740992.0;
  };
  LammpsData data;
  data.title = "random data " + std::to_string(seed);
  data.n_types = 3;
  data.lo = {uniform(-1, 0), uniform(-1, 0), uniform(-1, 0)};
  data.hi = {uniform(10, 11), uniform(10, 11), uniform(10, 11)};
  if (triclinic) {
    data.triclinic = true;
    data.xy = uniform(-2, 2);
    data.xz = uniform(-2, 2);
    data.yz = uniform(-2, 2);
  }
  if (masses)
    data.masses = {uniform(1, 100), uniform(1, 100), uniform(1, 100)};
  for (int k = 0; k < n_atoms; ++k) {
    data.ids.push_back(3 * k + 2);  // sorted, not contiguous
    data.types.push_back(1 + static_cast<int>(engine() % 3));
    // Some atoms outside the box, as unwrapped coordinates are.
    data.positions.push_back({uniform(-3, 14), uniform(-3, 14), uniform(-3, 14)});
    data.images.push_back(images ? std::array<int, 3>{static_cast<int>(engine() % 5) - 2,
                                                      static_cast<int>(engine() % 5) - 2,
                                                      static_cast<int>(engine() % 5) - 2}
                                 : std::array<int, 3>{0, 0, 0});
    if (velocities) {
      data.velocities.push_back({uniform(-5, 5), uniform(-5, 5), uniform(-5, 5) * 1e-7});
    }
  }
  return data;
}

void expect_same(const LammpsData& a, const LammpsData& b) {
  EXPECT_EQ(a.title, b.title);
  EXPECT_EQ(a.n_types, b.n_types);
  EXPECT_EQ(a.lo, b.lo);
  EXPECT_EQ(a.hi, b.hi);
  EXPECT_EQ(a.xy, b.xy);
  EXPECT_EQ(a.xz, b.xz);
  EXPECT_EQ(a.yz, b.yz);
  EXPECT_EQ(a.triclinic, b.triclinic);
  EXPECT_EQ(a.masses, b.masses);
  EXPECT_EQ(a.ids, b.ids);
  EXPECT_EQ(a.types, b.types);
  EXPECT_EQ(a.positions, b.positions);
  EXPECT_EQ(a.images, b.images);
  EXPECT_EQ(a.velocities, b.velocities);
}

TEST(LammpsData, WriteThenReadIsExact) {
  int variant = 0;
  for (bool triclinic : {false, true}) {
    for (bool images : {false, true}) {
      for (bool velocities : {false, true}) {
        const bool masses = (variant % 3) != 1;
        SCOPED_TRACE("variant " + std::to_string(variant));
        const LammpsData data = random_data(50, triclinic, images, velocities, masses, variant);
        const std::string path = test_dir() + "/variant" + std::to_string(variant) + ".data";
        write_lammps_data(path, data);
        EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
        const LammpsData read = read_lammps_data(path);
        expect_same(read, data);
        // And once more: write(read(write(x))) is the same text.
        write_lammps_data(path + "2", read);
        EXPECT_EQ(read_text_file(path + "2"), read_text_file(path));
        ++variant;
      }
    }
  }
}

TEST(LammpsData, WriterOptionsAndTiltLine) {
  LammpsData data = random_data(5, false, true, true, true, 42);
  const std::string path = test_dir() + "/options.data";
  write_lammps_data(path, data, LammpsDataWriteOptions{false, false});
  const std::string text = read_text_file(path);
  EXPECT_NE(text.find("\nAtoms # atomic\n"), std::string::npos);
  EXPECT_EQ(text.find("Velocities"), std::string::npos);
  EXPECT_EQ(text.find("xy xz yz"), std::string::npos);
  const LammpsData read = read_lammps_data(path);
  EXPECT_TRUE(read.velocities.empty());
  for (const auto& image : read.images)
    EXPECT_EQ(image, (std::array<int, 3>{0, 0, 0}));
  EXPECT_EQ(read.positions, data.positions);

  // A nonzero tilt is written even when the flag is not set; the file then reads as triclinic.
  data.xz = 0.25;
  write_lammps_data(path, data);
  EXPECT_NE(read_text_file(path).find("0 0.25 0 xy xz yz"), std::string::npos);
  EXPECT_TRUE(read_lammps_data(path).triclinic);
  // triclinic with zero tilts keeps its tilt line.
  data.xz = 0.0;
  data.triclinic = true;
  write_lammps_data(path, data);
  EXPECT_NE(read_text_file(path).find("0 0 0 xy xz yz"), std::string::npos);
}

TEST(LammpsData, WritingIntoAMissingDirectoryIsAnInputError) {
  const LammpsData data = random_data(2, false, false, false, true, 1);
  const std::string path = test_dir() + "/no/such/dir/x.data";
  try {
    write_lammps_data(path, data);
    ADD_FAILURE() << "no InputError";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find(path + ": cannot write the data file"),
              std::string::npos)
        << error.what();
  }
}

// The writer goes through host/io/atomic_file.hpp (a temporary of its own process, fsync,
// rename): a "<path>.tmp" left by another writer, even one that cannot be opened as a file,
// neither blocks the write nor is taken for it (the writer used that fixed name, unsynced).
TEST(LammpsData, WriterUsesItsOwnTemporaryAndLeavesNoneBehind) {
  const LammpsData data = random_data(4, true, true, true, true, 7);
  const std::string path = test_dir() + "/atomic.data";
  std::filesystem::create_directories(path + ".tmp");
  write_lammps_data(path, data);
  expect_same(read_lammps_data(path), data);
  EXPECT_TRUE(std::filesystem::is_directory(path + ".tmp"));  // the other writer's is left alone
  EXPECT_FALSE(std::filesystem::exists(temporary_path_for(path)));
}

// --- LAMMPS as the oracle ---------------------------------------------------------------------

// Runs `lmp` on `script` in `dir`; returns its exit status and leaves its output in lmp.out.
int run_lammps(const std::string& dir, const std::string& script) {
  const std::string missing = testing::lammps_missing_reason();
  if (!missing.empty()) {
    ADD_FAILURE() << "LAMMPS cannot run: " << missing;
    return -1;
  }
  const std::string lmp = testing::lammps_executable();
  std::ofstream(dir + "/in.lmp") << script;
  const std::string command =
      "cd '" + dir + "' && '" + lmp + "' -in in.lmp -log none -screen none > lmp.out 2>&1";
  const int status = std::system(command.c_str());
  EXPECT_EQ(status, 0) << read_text_file(dir + "/lmp.out");
  return status;
}

// Cartesian position plus image shifts along the box vectors a = (lx,0,0), b = (xy,ly,0),
// c = (xz,yz,lz): what LAMMPS's remapping into the box leaves unchanged.
std::array<double, 3> unwrapped(const LammpsData& data, int k) {
  const auto& x = data.positions[k];
  const auto& n = data.images[k];
  const double lx = data.hi[0] - data.lo[0];
  const double ly = data.hi[1] - data.lo[1];
  const double lz = data.hi[2] - data.lo[2];
  return {x[0] + n[0] * lx + n[1] * data.xy + n[2] * data.xz, x[1] + n[1] * ly + n[2] * data.yz,
          x[2] + n[2] * lz};
}

void expect_lammps_round_trip(const LammpsData& ours, bool image_flags) {
  const std::string dir = test_dir();
  write_lammps_data(dir + "/ours.data", ours, LammpsDataWriteOptions{image_flags, true});
  ASSERT_EQ(run_lammps(dir,
                       "units metal\n"
                       "atom_style atomic\n"
                       "boundary p p p\n"
                       "read_data ours.data\n"
                       "write_data lammps.data\n"),
            0);
  const std::string lammps_text = read_text_file(dir + "/lammps.data");
  EXPECT_NE(lammps_text.find("Atoms # atomic"), std::string::npos);
  const LammpsData theirs = read_lammps_data(dir + "/lammps.data");
  EXPECT_EQ(theirs.n_types, ours.n_types);
  EXPECT_EQ(theirs.triclinic, ours.triclinic);
  for (int d = 0; d < 3; ++d) {
    EXPECT_NEAR(theirs.lo[d], ours.lo[d], 1e-12);
    EXPECT_NEAR(theirs.hi[d], ours.hi[d], 1e-12);
  }
  EXPECT_NEAR(theirs.xy, ours.xy, 1e-12);
  EXPECT_NEAR(theirs.xz, ours.xz, 1e-12);
  EXPECT_NEAR(theirs.yz, ours.yz, 1e-12);
  ASSERT_EQ(theirs.masses.size(), ours.masses.size());
  for (size_t t = 0; t < ours.masses.size(); ++t) {
    EXPECT_NEAR(theirs.masses[t], ours.masses[t], 1e-13 * ours.masses[t]);
  }
  ASSERT_EQ(theirs.ids, ours.ids);
  EXPECT_EQ(theirs.types, ours.types);
  bool lammps_remapped_some = false;
  for (int k = 0; k < ours.n_atoms(); ++k) {
    const auto a = unwrapped(ours, k);
    const auto b = unwrapped(theirs, k);
    for (int d = 0; d < 3; ++d)
      EXPECT_NEAR(b[d], a[d], 1e-11) << "atom " << ours.ids[k];
    if (theirs.images[k] != ours.images[k])
      lammps_remapped_some = true;
  }
  // Our data has atoms outside the box, so LAMMPS must have moved some: the comparison of
  // unwrapped positions is exercised, not trivially true.
  EXPECT_TRUE(lammps_remapped_some);
  // LAMMPS always writes a Velocities section: zeros for atoms that were given none.
  ASSERT_EQ(theirs.velocities.size(), ours.ids.size());
  if (ours.velocities.empty()) {
    for (const auto& v : theirs.velocities)
      EXPECT_EQ(v, (std::array<double, 3>{0.0, 0.0, 0.0}));
  }
  for (size_t k = 0; k < ours.velocities.size(); ++k) {
    for (int d = 0; d < 3; ++d) {
      EXPECT_NEAR(theirs.velocities[k][d], ours.velocities[k][d],
                  1e-15 * (1.0 + std::fabs(ours.velocities[k][d])));
    }
  }
}

TEST(LammpsData, LammpsReadsOurTriclinicFileAndWritesTheSameSystem) {
  GLASSLAND_REQUIRE_LAMMPS();
  LammpsData data = random_data(40, true, true, true, true, 7);
  expect_lammps_round_trip(data, true);
}

TEST(LammpsData, LammpsReadsOurOrthogonalFileWithoutImageFlags) {
  GLASSLAND_REQUIRE_LAMMPS();
  LammpsData data = random_data(40, false, false, false, true, 8);
  expect_lammps_round_trip(data, false);
}

TEST(LammpsData, ParsesLammpsOwnWriteData) {
  GLASSLAND_REQUIRE_LAMMPS();
  const std::string dir = test_dir();
  ASSERT_EQ(run_lammps(dir,
                       "units metal\n"
                       "atom_style atomic\n"
                       "region box prism 0 10 -1 11 0 12 1.0 0.5 -0.7\n"
                       "create_box 2 box\n"
                       "create_atoms 1 random 30 123 box\n"
                       "create_atoms 2 random 20 321 box\n"
                       "mass 1 63.546\n"
                       "mass 2 91.224\n"
                       "velocity all create 300 1\n"
                       "write_data created.data\n"),
            0);
  const std::string text = read_text_file(dir + "/created.data");
  ASSERT_NE(text.find("Atoms # atomic"), std::string::npos);
  ASSERT_NE(text.find("xy xz yz"), std::string::npos);
  const LammpsData data = read_lammps_data(dir + "/created.data");
  EXPECT_EQ(data.n_atoms(), 50);
  EXPECT_EQ(data.n_types, 2);
  EXPECT_TRUE(data.triclinic);
  EXPECT_EQ(data.lo, (std::array<double, 3>{0.0, -1.0, 0.0}));
  EXPECT_EQ(data.hi, (std::array<double, 3>{10.0, 11.0, 12.0}));
  EXPECT_EQ(data.xy, 1.0);
  EXPECT_EQ(data.xz, 0.5);
  EXPECT_EQ(data.yz, -0.7);
  EXPECT_EQ(data.masses, (std::vector<double>{63.546, 91.224}));
  ASSERT_EQ(data.velocities.size(), 50u);
  int type2 = 0;
  for (int k = 0; k < 50; ++k) {
    EXPECT_EQ(data.ids[k], k + 1);
    type2 += data.types[k] == 2;
    EXPECT_GE(data.positions[k][2], 0.0);
    EXPECT_LT(data.positions[k][2], 12.0);
  }
  EXPECT_EQ(type2, 20);
}

// --- malformed files --------------------------------------------------------------------------

TEST(LammpsData, WrongAtomCountIsReportedWhereTheSectionEnds) {
  // Header says 5, four rows: the Atoms section meets "Velocities" (line 22) too early.
  expect_error(3, "5 atoms", 22, "needs 5 atom lines, found 4 before 'Velocities'");
  // Header says 3, four rows: the fourth row (line 20) is one too many.
  expect_error(3, "3 atoms", 20, "more than the 3 atom lines");
  // Header says 4, a row removed and nothing follows the section: counted from "Atoms".
  std::vector<std::string> lines = base_lines();
  lines.resize(19);
  const std::string path = write_text("short.data", join(lines));
  const std::string message = read_error(path);
  EXPECT_NE(message.find(path + ":15: the Atoms section needs 4 atom lines, the file ended"),
            std::string::npos)
      << message;
}

TEST(LammpsData, DuplicateIdIsReportedAtItsSecondLine) {
  expect_error(19, "2 1 0.5 1.5 0.5", 19, "atom ID 2 appears twice (also at line 18)");
}

TEST(LammpsData, TypeOutOfRangeIsReported) {
  expect_error(18, "2 3 1.5 0.5 0.5", 18, "atom type 3 is outside 1..2");
  expect_error(18, "2 0 1.5 0.5 0.5", 18, "atom type 0 is outside 1..2");
  expect_error(13, "3 91.224", 13, "atom type 3 is outside 1..2");
}

TEST(LammpsData, NonNumericValuesAreReported) {
  expect_error(19, "3 1 x1 1.5 0.5", 19, "not a number: 'x1'");
  expect_error(19, "3 1 0.5 1.5 0.5e", 19, "not a number: '0.5e'");
  expect_error(19, "3.5 1 0.5 1.5 0.5", 19, "not an integer: '3.5'");
  expect_error(26, "3 0 zero 0.3", 26, "not a number: 'zero'");
  expect_error(7, "0 eleven ylo yhi", 7, "not a number: 'eleven'");
  expect_error(3, "four atoms", 3, "not an integer: 'four'");
}

TEST(LammpsData, MissingOrUnknownSectionsAreReported) {
  // Without the Atoms keyword its rows read as more rows of the section before.
  expect_error(15, "<remove>", 16, "the Masses section (line 10) has more than the 2 type mass");
  expect_error(22, "Velocitys", 22, "unknown section 'Velocitys'");
  expect_error(22, "Bonds", 22, "section 'Bonds' has no place in an atom_style atomic file");
  expect_error(15, "Atoms # full", 15, "atom_style full");
  expect_error(4, "2 atom typos", 4, "unknown header line '2 atom typos'");

  std::vector<std::string> lines = base_lines();
  lines.resize(13);  // header and Masses only
  const std::string path = write_text("no_atoms.data", join(lines));
  const std::string message = read_error(path);
  EXPECT_NE(message.find(path + ": missing Atoms section (the header declares 4 atoms)"),
            std::string::npos)
      << message;
}

TEST(LammpsData, OtherStylesAndBadRowsAreReported) {
  expect_error(5, "2 bonds", 5, "atom_style atomic files have no bonds");
  expect_error(5, "1 angle types", 5, "atom_style atomic files have no angle types");
  expect_error(19, "3 1 0.5 1.5", 19, "expected 'id type x y z'");
  expect_error(19, "3 1 0.5 1.5 0.5 0 0 0", 19, "the first Atoms row (line 17) has 5");
  expect_error(19, "-3 1 0.5 1.5 0.5", 19, "atom IDs must be positive");
  expect_error(26, "9 0 0 0.3", 26, "velocity for atom ID 9, which is not in the Atoms section");
  expect_error(26, "2 0 0 0.3", 26, "second velocity for atom ID 2 (the first is at line 25)");
  expect_error(26, "3 0 0", 26, "expected 'id vx vy vz'");
  expect_error(6, "10 0 xlo xhi", 6, "need lo < hi");
  expect_error(6, "<remove>", 9, "no 'xlo xhi' line");
  expect_error(12, "1 0", 12, "a mass must be positive");
  expect_error(13, "1 91.224", 13, "type 1 has a mass already (line 12)");
}

TEST(LammpsData, MissingFileIsReported) {
  const std::string path = test_dir() + "/absent.data";
  const std::string message = read_error(path);
  EXPECT_NE(message.find(path + ": cannot open"), std::string::npos) << message;
  EXPECT_NE(message.find("No such file"), std::string::npos) << message;
}

}  // namespace
}  // namespace glassland
