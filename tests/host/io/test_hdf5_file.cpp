// The HDF5 wrapper: round trips of attributes and datasets, appendable series that are readable
// on disk after every flush, that survive a SIGKILL of their writer, and that can be cut back
// to a checkpoint and continued without a gap or a duplicate row.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <limits>
#include <string>
#include <vector>

#include "host/io/hdf5_file.hpp"

namespace glassland {
namespace {

namespace fs = std::filesystem;
using hdf5::File;
using hdf5::Group;
using hdf5::Series;

// A fresh directory per test, removed at the end.
class Hdf5FileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    directory_ = fs::temp_directory_path() /
                 ("glassland_hdf5_" + std::to_string(getpid()) + "_" + info->name());
    fs::remove_all(directory_);
    fs::create_directories(directory_);
  }
  void TearDown() override { fs::remove_all(directory_); }
  std::string path(const std::string& name) const { return (directory_ / name).string(); }

  fs::path directory_;
};

// The bytes on disk right now, as a separate file: HDF5 would share its in-memory state
// between two opens of the same file in one process, so this is how we see what a reader in
// another process would see.
std::string snapshot(const std::string& file, const std::string& copy) {
  fs::copy_file(file, copy, fs::copy_options::overwrite_existing);
  return copy;
}

TEST_F(Hdf5FileTest, AttributesRoundTrip) {
  {
    File file = File::create(path("a.h5"));
    Group group = file.create_group("x/y");
    group.set_attribute("name", "glassland");
    group.set_attribute("pi", 3.141592653589793);
    group.set_attribute("count", std::int64_t{-9007199254740993});
    group.set_attribute("dimension", 3);
    group.set_attribute("edges", std::vector<double>{1.5, -2.25, 1e-300});
    group.set_attribute("version", std::vector<std::int32_t>{1, 1});
    group.set_attribute("ids", std::vector<std::int64_t>{7, 8, 9});
    group.set_attribute("boundary", std::vector<std::string>{"periodic", "none", ""});
    group.set_attribute("empty", std::vector<double>{});
    group.set_attribute("replaced", 1.0);
    group.set_attribute("replaced", "now a string");
    file.close();
  }
  File file = File::open_read_only(path("a.h5"));
  Group group = file.group("x/y");
  EXPECT_EQ(group.name(), "/x/y");
  EXPECT_EQ(group.string_attribute("name"), "glassland");
  EXPECT_EQ(group.double_attribute("pi"), 3.141592653589793);
  EXPECT_EQ(group.int64_attribute("count"), -9007199254740993);
  EXPECT_EQ(group.int64_attribute("dimension"), 3);
  EXPECT_EQ(group.doubles_attribute("edges"), (std::vector<double>{1.5, -2.25, 1e-300}));
  EXPECT_EQ(group.int64s_attribute("version"), (std::vector<std::int64_t>{1, 1}));
  EXPECT_EQ(group.int64s_attribute("ids"), (std::vector<std::int64_t>{7, 8, 9}));
  EXPECT_EQ(group.strings_attribute("boundary"),
            (std::vector<std::string>{"periodic", "none", ""}));
  EXPECT_TRUE(group.doubles_attribute("empty").empty());
  EXPECT_EQ(group.string_attribute("replaced"), "now a string");
  EXPECT_TRUE(group.has_attribute("pi"));
  EXPECT_FALSE(group.has_attribute("missing"));
  EXPECT_THROW(group.double_attribute("edges"), Hdf5Error);  // three values, not one
  EXPECT_THROW(group.double_attribute("name"), Hdf5Error);   // a string
}

TEST_F(Hdf5FileTest, DatasetsRoundTripWithTheirShapes) {
  const std::vector<double> positions = {0.1,
                                         0.2,
                                         0.3,
                                         1.1,
                                         1.2,
                                         1.3,
                                         std::numeric_limits<double>::denorm_min(),
                                         -0.0,
                                         std::numeric_limits<double>::max(),
                                         9,
                                         10,
                                         11};
  const std::vector<std::int32_t> types = {1, 2, 2, 1};
  const std::vector<std::int64_t> ids = {INT64_MIN, 0, INT64_MAX};
  const std::vector<std::uint64_t> counters = {UINT64_MAX, 1};
  const std::vector<std::string> names = {"Cu", "Zr", "ünïcode"};
  {
    File file = File::create(path("d.h5"));
    file.write("frames/positions", positions, {2, 2, 3});
    file.write("types", types);
    file.write("ids", ids);
    file.write("counters", counters);
    file.write("names", names);
    file.write("matrix", std::vector<double>{1, 2, 3, 4, 5, 6}, {2, 3});
    file.write("nothing", std::vector<double>{});
    EXPECT_THROW(file.write("bad", std::vector<double>{1, 2, 3}, {2, 2}), std::invalid_argument);
    EXPECT_THROW(file.write("types", types), Hdf5Error);  // already exists
    file.close();
  }
  File file = File::open_read_only(path("d.h5"));
  hdf5::Dataset dataset = file.dataset("frames/positions");
  EXPECT_EQ(dataset.shape(), (std::vector<hsize_t>{2, 2, 3}));
  EXPECT_EQ(dataset.element_type(), hdf5::ElementType::float64);
  const std::vector<double> read = dataset.read<double>();
  ASSERT_EQ(read.size(), positions.size());
  for (std::size_t i = 0; i < read.size(); ++i) {  // bitwise, -0.0 and denormals included
    EXPECT_EQ(std::memcmp(&read[i], &positions[i], sizeof(double)), 0) << i;
  }
  EXPECT_EQ(dataset.read_rows<double>(1, 1),
            std::vector<double>(positions.begin() + 6, positions.end()));
  EXPECT_EQ(file.dataset("types").read<std::int32_t>(), types);
  EXPECT_EQ(file.dataset("ids").read<std::int64_t>(), ids);
  EXPECT_EQ(file.dataset("counters").read<std::uint64_t>(), counters);
  EXPECT_EQ(file.dataset("names").read_strings(), names);
  EXPECT_EQ(file.dataset("matrix").shape(), (std::vector<hsize_t>{2, 3}));
  EXPECT_EQ(file.dataset("nothing").shape(), (std::vector<hsize_t>{0}));
  EXPECT_TRUE(file.dataset("nothing").read<double>().empty());
  EXPECT_THROW(file.dataset("types").read<double>(), Hdf5Error);  // int32 is not read as double
  EXPECT_THROW(dataset.read_rows<double>(1, 2), Hdf5Error);       // beyond the last row
}

TEST_F(Hdf5FileTest, GroupsAreCreatedWithTheirParentsAndListed) {
  File file = File::create(path("g.h5"));
  file.create_group("particles/replica_0000/position");
  EXPECT_TRUE(file.exists("particles"));
  EXPECT_TRUE(file.exists("particles/replica_0000/position"));
  EXPECT_TRUE(file.exists("/particles/replica_0000"));
  EXPECT_FALSE(file.exists("particles/replica_0001/position"));
  EXPECT_FALSE(file.exists("nothing/at/all"));
  EXPECT_TRUE(file.is_group("particles/replica_0000"));
  file.group("particles").create_group("replica_0001");
  file.write("particles/data", std::vector<double>{1.0});
  EXPECT_FALSE(file.is_group("particles/data"));
  EXPECT_EQ(file.group("particles").member_names(),
            (std::vector<std::string>{"data", "replica_0000", "replica_0001"}));
  EXPECT_EQ(file.require_group("particles/replica_0001").name(), "/particles/replica_0001");
  EXPECT_EQ(file.require_group("observables").name(), "/observables");
  EXPECT_THROW(file.create_group("particles"), Hdf5Error);
}

TEST_F(Hdf5FileTest, ErrorsNameTheFileAndTheObjectAndPrintNothing) {
  ::testing::internal::CaptureStderr();
  try {
    File::open_read_only(path("missing.h5"));
    ADD_FAILURE() << "opened a missing file";
  } catch (const Hdf5Error& error) {
    const std::string message = error.what();
    EXPECT_EQ(message.rfind(path("missing.h5") + ": /: cannot open the file for reading", 0), 0u)
        << message;
    EXPECT_NE(message.find("(HDF5: "), std::string::npos) << message;
  }
  File file = File::create(path("e.h5"));
  try {
    file.group("a").dataset("b");
    ADD_FAILURE() << "opened a missing group";
  } catch (const Hdf5Error& error) {
    EXPECT_EQ(std::string(error.what()).rfind(path("e.h5") + ": /a: cannot open group", 0), 0u)
        << error.what();
  }
  file.create_group("a");
  try {
    file.group("a").dataset("b");
    ADD_FAILURE() << "opened a missing dataset";
  } catch (const Hdf5Error& error) {
    EXPECT_EQ(std::string(error.what()).rfind(path("e.h5") + ": /a/b: cannot open dataset", 0), 0u)
        << error.what();
  }
  EXPECT_EQ(::testing::internal::GetCapturedStderr(), "");  // HDF5's own stack is silenced
}

TEST_F(Hdf5FileTest, SeriesAppendsRowsOfAFixedShape) {
  File file = File::create(path("s.h5"));
  Series frames = file.create_series<double>("frames", {2, 3});
  Series steps = file.create_series<std::int64_t>("step", {});
  EXPECT_EQ(frames.rows(), 0u);
  EXPECT_EQ(frames.row_shape(), (std::vector<hsize_t>{2, 3}));
  for (int row = 0; row < 5; ++row) {
    frames.append(std::vector<double>(6, row + 0.5));
    steps.append(std::vector<std::int64_t>{row * 100});
  }
  EXPECT_EQ(frames.rows(), 5u);
  EXPECT_EQ(frames.shape(), (std::vector<hsize_t>{5, 2, 3}));
  EXPECT_EQ(frames.read_rows<double>(3, 1), std::vector<double>(6, 3.5));
  EXPECT_EQ(steps.read<std::int64_t>(), (std::vector<std::int64_t>{0, 100, 200, 300, 400}));
  EXPECT_THROW(frames.append(std::vector<double>(5, 0.0)), std::invalid_argument);
  EXPECT_THROW(frames.append(std::vector<std::int64_t>(6, 0)), Hdf5Error);  // wrong type
  EXPECT_THROW(file.series("missing"), Hdf5Error);
  file.write("fixed", std::vector<double>{1.0});
  EXPECT_THROW(file.series("fixed"), Hdf5Error);  // not appendable
}

TEST_F(Hdf5FileTest, EveryFlushedRowIsOnDiskWhileTheWriterIsOpen) {
  File writer = File::create(path("live.h5"));
  Series series = writer.create_series<double>("thermo/temperature", {4});
  for (int row = 0; row < 6; ++row) {
    series.append(std::vector<double>{row + 0.0, row + 0.25, row + 0.5, row + 0.75});

    // The bytes on disk, opened as a separate file.
    File on_disk = File::open_read_only(snapshot(path("live.h5"), path("copy.h5")));
    Series seen = on_disk.series("thermo/temperature");
    ASSERT_EQ(seen.rows(), static_cast<hsize_t>(row + 1));
    EXPECT_EQ(seen.read_rows<double>(row, 1),
              (std::vector<double>{row + 0.0, row + 0.25, row + 0.5, row + 0.75}));
    on_disk.close();

    // A second, read-only open of the same file while the writer holds it.
    File reader = File::open_read_only(path("live.h5"));
    EXPECT_EQ(reader.series("thermo/temperature").rows(), static_cast<hsize_t>(row + 1));
  }
}

TEST_F(Hdf5FileTest, TruncateThenAppendLeavesNoGapOrDuplicate) {
  {
    File file = File::create(path("t.h5"));
    Series series = file.create_series<std::int64_t>("step", {}, 4);  // rows span chunks
    for (std::int64_t step = 0; step < 10; ++step) {
      series.append(std::vector<std::int64_t>{step});
    }
    file.close();
  }
  // A restart from a checkpoint taken after row 6: reopen, cut back, continue.
  {
    File file = File::open_read_write(path("t.h5"));
    Series series = file.series("step");
    EXPECT_THROW(series.truncate(11), Hdf5Error);
    series.truncate(6);
    EXPECT_EQ(series.rows(), 6u);
    for (std::int64_t step = 6; step < 12; ++step) {
      series.append(std::vector<std::int64_t>{step});
    }
    file.close();
  }
  File file = File::open_read_only(path("t.h5"));
  std::vector<std::int64_t> expected(12);
  for (std::int64_t step = 0; step < 12; ++step) {
    expected[step] = step;
  }
  EXPECT_EQ(file.series("step").read<std::int64_t>(), expected);
}

TEST_F(Hdf5FileTest, TruncateInsideAChunkThenGrowShowsOnlyNewRows) {
  File file = File::create(path("c.h5"));
  Series series = file.create_series<double>("x", {2}, 8);
  for (int row = 0; row < 8; ++row) {
    series.append(std::vector<double>{1.0 * row, -1.0 * row});
  }
  series.truncate(3);
  series.append(std::vector<double>{100.0, 101.0});
  EXPECT_EQ(series.read<double>(), (std::vector<double>{0, 0, 1, -1, 2, -2, 100, 101}));
}

// A writer killed with SIGKILL between appends leaves a file that opens, with every visible row
// complete. The child reports each flushed row through a pipe and sleeps after it, so the kill
// lands between writes and the test is deterministic.
TEST_F(Hdf5FileTest, FileSurvivesSigkillOfItsWriter) {
  constexpr int kRowsBeforeKill = 25;
  constexpr int kRowLength = 3000;  // rows span several chunks
  const std::string file_path = path("killed.h5");
  int pipe_ends[2];
  ASSERT_EQ(pipe(pipe_ends), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    close(pipe_ends[0]);
    try {
      File file = File::create(file_path);
      Series series = file.create_series<double>("frames", {kRowLength / 3, 3});
      Series steps = file.create_series<std::int64_t>("step", {});
      for (int row = 0; row < 100000; ++row) {
        std::vector<double> values(kRowLength);
        for (int i = 0; i < kRowLength; ++i) {
          values[i] = row + i * 1e-6;
        }
        series.append_without_flush(values);
        steps.append(std::vector<std::int64_t>{row});  // flushes both
        const char tick = 1;
        if (write(pipe_ends[1], &tick, 1) != 1) {
          _exit(3);
        }
        usleep(20000);
      }
    } catch (...) {
      _exit(2);
    }
    _exit(0);
  }
  close(pipe_ends[1]);
  int ticks = 0;
  char tick;
  while (ticks < kRowsBeforeKill && read(pipe_ends[0], &tick, 1) == 1) {
    ++ticks;
  }
  kill(child, SIGKILL);
  int status = 0;
  waitpid(child, &status, 0);
  close(pipe_ends[0]);
  ASSERT_EQ(ticks, kRowsBeforeKill) << "the writer stopped early";
  ASSERT_TRUE(WIFSIGNALED(status));

  File file = File::open_read_only(file_path);
  Series series = file.series("frames");
  Series steps = file.series("step");
  ASSERT_GE(series.rows(), static_cast<hsize_t>(kRowsBeforeKill));
  ASSERT_EQ(steps.rows(), series.rows());
  const std::vector<double> values = series.read<double>();
  const std::vector<std::int64_t> step_values = steps.read<std::int64_t>();
  for (hsize_t row = 0; row < series.rows(); ++row) {
    EXPECT_EQ(step_values[row], static_cast<std::int64_t>(row));
    for (int i = 0; i < kRowLength; ++i) {
      ASSERT_EQ(values[row * kRowLength + i], row + i * 1e-6) << "row " << row << " index " << i;
    }
  }
}

}  // namespace
}  // namespace glassland
