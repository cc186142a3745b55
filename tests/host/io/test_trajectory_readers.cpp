// Trajectory readers (host/io/trajectory_reader.hpp): H5MD files laid out the other ways the
// specification allows (fixed-interval scalar step and time with offsets, fixed diagonal box
// edges, nm and fs units, permuted atom IDs, element names and masses, no image counts), frame
// slices with Python's meaning, and malformed dumps reported with the file, line and frame.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "host/io/h5md_reader.hpp"
#include "host/io/input_error.hpp"
#include "host/io/lammps_dump.hpp"
#include "tests/support/lammps_oracle.hpp"

namespace glassland {
namespace {

TEST(H5mdReader, ReadsTheOtherLayoutsTheSpecificationAllows) {
  const std::string dir = testing::make_scratch_dir("h5md_reader_layouts");
  const std::string path = dir + "/other.h5";
  // Written with h5py (an independent writer): scalar step and time with offsets (H5MD 1.1), atoms
  // stored in ID order 3, 1, 2, positions in nm, a fixed diagonal 2 nm box, times in fs, element
  // names on species, masses, no image counts. Atom 3 crosses the x boundary between the frames
  // (1.95 nm → 0.05 nm: +0.1 nm).
  const std::string script = R"(
import h5py, numpy as np
f = h5py.File(')" + path + R"(', 'w')
g = f.create_group('particles/all')
s = g.create_dataset('position/step', data=np.int64(50)); s.attrs['offset'] = np.int64(1000)
t = g.create_dataset('position/time', data=0.1); t.attrs['offset'] = 2.0; t.attrs['unit'] = 'fs'
v = g.create_dataset('position/value', data=np.array(
    [[[1.95, .5, .5], [.1, .1, .1], [1., 1., 1.]], [[.05, .5, .5], [.1, .1, .2], [1., 1.1, 1.]]]))
v.attrs['unit'] = 'nm'
e = g.create_dataset('box/edges', data=np.array([2., 2., 2.])); e.attrs['unit'] = 'nm'
g['id'] = np.array([3, 1, 2], dtype=np.int32)
sp = g.create_dataset('species', data=np.array([2, 1, 1], dtype=np.int32))
sp.attrs['names'] = ['Cu', 'Zr']
g['mass'] = np.array([91.224, 63.546, 63.546])
)";
  std::ofstream(dir + "/write.py") << script;
  ASSERT_EQ(std::system(("/usr/bin/python3 " + dir + "/write.py").c_str()), 0);
  auto readers = open_h5md_trajectory(path);
  ASSERT_EQ(readers.size(), 1u);
  TrajectoryReader& r = *readers[0];
  EXPECT_EQ(r.count_frames(), 2u);
  EXPECT_EQ(r.type_names(), (std::vector<std::string>{"Cu", "Zr"}));
  EXPECT_EQ(r.type_masses(), (std::vector<double>{63.546, 91.224}));
  EXPECT_EQ(r.unwrapping(), Unwrapping::followed_between_frames);
  AtomsFrame f0, f1;
  ASSERT_TRUE(r.next(f0));
  ASSERT_TRUE(r.next(f1));
  EXPECT_FALSE(r.next(f1));
  EXPECT_EQ(f0.step, 1000);
  EXPECT_EQ(f1.step, 1050);
  EXPECT_DOUBLE_EQ(f0.time_ps, 0.002);
  EXPECT_DOUBLE_EQ(f1.time_ps, 0.0021);
  EXPECT_EQ(f0.ids, (std::vector<int>{1, 2, 3}));
  EXPECT_EQ(f0.types, (std::vector<int>{1, 1, 2}));
  EXPECT_DOUBLE_EQ(f0.cell.lx, 20.0);
  EXPECT_DOUBLE_EQ(f0.positions[6], 19.5);    // atom 3, Å
  EXPECT_NEAR(f1.positions[6], 20.5, 1e-12);  // followed across the boundary, not 0.5
  EXPECT_NEAR(f1.positions[2], 2.0, 1e-12);   // atom 1's z: 0.2 nm
}

TEST(FrameSlice, HasPythonsMeaning) {
  EXPECT_EQ(FrameSlice::parse("::", "--frames").indices(5),
            (std::vector<std::size_t>{0, 1, 2, 3, 4}));
  EXPECT_EQ(FrameSlice::parse("1::2", "--frames").indices(6), (std::vector<std::size_t>{1, 3, 5}));
  EXPECT_EQ(FrameSlice::parse("-2:", "--frames").indices(5), (std::vector<std::size_t>{3, 4}));
  EXPECT_EQ(FrameSlice::parse(":-3", "--frames").indices(5), (std::vector<std::size_t>{0, 1}));
  EXPECT_EQ(FrameSlice::parse("2", "--frames").indices(5), (std::vector<std::size_t>{2}));
  EXPECT_EQ(FrameSlice::parse("-1", "--frames").indices(5), (std::vector<std::size_t>{4}));
  EXPECT_EQ(FrameSlice::parse("10:20", "--frames").indices(5), (std::vector<std::size_t>{}));
  EXPECT_THROW(FrameSlice::parse("1:2:0", "--frames"), InputError);
  EXPECT_THROW(FrameSlice::parse("a:", "--frames"), InputError);
}

TEST(LammpsDumpReader, MalformedFramesNameTheFileLineAndFrame) {
  const std::string dir = testing::make_scratch_dir("dump_errors");
  const std::string good =
      "ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n2\nITEM: BOX BOUNDS pp pp pp\n0 10\n0 10\n0 10\n"
      "ITEM: ATOMS id type x y z\n2 1 1 1 1\n1 2 2 2 2\n";
  auto message = [&](const std::string& text) {
    std::ofstream(dir + "/bad.dump") << text;
    LammpsDumpReader reader(dir + "/bad.dump");
    AtomsFrame f;
    try {
      while (reader.next(f)) {
      }
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  std::ofstream(dir + "/good.dump") << good;
  LammpsDumpReader reader(dir + "/good.dump");
  AtomsFrame f;
  ASSERT_TRUE(reader.next(f));
  EXPECT_EQ(f.ids, (std::vector<int>{1, 2}));  // sorted by ID
  EXPECT_EQ(f.types, (std::vector<int>{2, 1}));
  EXPECT_EQ(message(good + "ITEM: TIMESTEP\n10\nITEM: NUMBER OF ATOMS\n2\nITEM: BOX BOUNDS pp pp "
                           "pp\n0 10\n0 10\n0 10\nITEM: ATOMS id type x y z\n1 2 2 2 2\n"),
            dir + "/bad.dump:21: frame 1 (timestep 10): the file ends after 1 of 2 atoms");
  EXPECT_NE(message(good + "ITEM: TIMESTEP\n10\nITEM: NUMBER OF ATOMS\n2\nITEM: BOX BOUNDS pp pp "
                           "pp\n0 10\n0 10\n0 10\nITEM: ATOMS id type x y z\n1 2 2 2 2\n3 1 1 1 "
                           "1\n")
                .find("frame 1 (timestep 10): the atom IDs differ from those of frame 0"),
            std::string::npos);
  EXPECT_NE(
      message("ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n1\nITEM: BOX BOUNDS pp pp pp\n0 10\n0 "
              "10\n0 10\nITEM: ATOMS id type q\n1 1 0.5\n")
          .find("no complete set of positions"),
      std::string::npos);
  EXPECT_NE(
      message("ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n1\nITEM: BOX BOUNDS pp pp pp\n0 10\n0 "
              "10\n0 10\nITEM: ATOMS id type x y z\n1 1 0.5 zz 1\n")
          .find("bad.dump:10: frame 0 (timestep 0): 'zz' is not a finite number"),
      std::string::npos);
}

}  // namespace
}  // namespace glassland
