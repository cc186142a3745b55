// Atomic file replacement and checkpoints: a writer killed mid-write leaves the old file intact;
// a checkpoint reads back bitwise.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "host/io/atomic_file.hpp"
#include "host/io/checkpoint.hpp"
#include "host/io/input_error.hpp"

namespace glassland {
namespace {

namespace fs = std::filesystem;

class AtomicFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    directory_ = fs::temp_directory_path() /
                 ("glassland_atomic_" + std::to_string(getpid()) + "_" + info->name());
    fs::remove_all(directory_);
    fs::create_directories(directory_);
  }
  void TearDown() override { fs::remove_all(directory_); }
  std::string path(const std::string& name) const { return (directory_ / name).string(); }

  fs::path directory_;
};

std::string contents(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> directory_listing(const fs::path& directory) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(directory)) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

bool bitwise_equal(const std::vector<double>& a, const std::vector<double>& b) {
  // memcmp must not see the null data() of an empty vector (UBSan: null argument).
  return a.size() == b.size() &&
         (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0);
}

TEST_F(AtomicFileTest, ReplacesTheFileAndLeavesNoTemporary) {
  write_file_atomically(path("state.txt"), std::string("first"));
  EXPECT_EQ(contents(path("state.txt")), "first");
  write_file_atomically(path("state.txt"), std::string("second, longer"));
  EXPECT_EQ(contents(path("state.txt")), "second, longer");
  EXPECT_EQ(directory_listing(directory_), std::vector<std::string>{"state.txt"});
}

TEST_F(AtomicFileTest, AFailingWriterLeavesTheTargetUntouched) {
  write_file_atomically(path("state.txt"), std::string("old"));
  EXPECT_THROW(write_file_atomically(path("state.txt"),
                                     [](const std::string& temporary) {
                                       std::ofstream(temporary) << "half";
                                       throw std::runtime_error("disk on fire");
                                     }),
               std::runtime_error);
  EXPECT_EQ(contents(path("state.txt")), "old");
  EXPECT_EQ(directory_listing(directory_), std::vector<std::string>{"state.txt"});
  EXPECT_THROW(write_file_atomically(path("no/such/dir/state.txt"), std::string("x")),
               std::runtime_error);
}

// The child writes half of the new file, reports through a pipe and waits to be killed, so the
// kill certainly lands in the middle of the write.
TEST_F(AtomicFileTest, KillMidWriteKeepsTheOldFile) {
  const std::string target = path("state.bin");
  write_file_atomically(target, std::string("old contents"));
  int pipe_ends[2];
  ASSERT_EQ(pipe(pipe_ends), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    close(pipe_ends[0]);
    write_file_atomically(target, [&](const std::string& temporary) {
      std::ofstream out(temporary, std::ios::binary);
      out << std::string(1 << 20, 'x') << std::flush;
      const char tick = 1;
      if (write(pipe_ends[1], &tick, 1) != 1) {
        _exit(3);
      }
      pause();  // killed here
      out << std::string(1 << 20, 'y');
    });
    _exit(0);
  }
  close(pipe_ends[1]);
  char tick = 0;
  ASSERT_EQ(read(pipe_ends[0], &tick, 1), 1);
  close(pipe_ends[0]);
  kill(child, SIGKILL);
  int status = 0;
  waitpid(child, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status));

  EXPECT_EQ(contents(target), "old contents");
  const std::string leftover = target + ".tmp." + std::to_string(child);
  EXPECT_EQ(fs::file_size(leftover), 1u << 20);  // the killed writer's half file
  // The next write cleans up after the dead writer.
  write_file_atomically(target, std::string("new contents"));
  EXPECT_EQ(contents(target), "new contents");
  EXPECT_FALSE(fs::exists(leftover));
}

Checkpoint example_checkpoint() {
  Checkpoint checkpoint;
  std::vector<double> special = {0.0,
                                 -0.0,
                                 std::numeric_limits<double>::denorm_min(),
                                 -std::numeric_limits<double>::max(),
                                 std::numeric_limits<double>::infinity(),
                                 -std::numeric_limits<double>::infinity(),
                                 std::numeric_limits<double>::quiet_NaN(),
                                 0.1 + 0.2};
  // A NaN with a payload: "exact" means these bits too.
  const std::uint64_t payload_nan_bits = 0x7ff8dead0000beefULL;
  double payload_nan;
  std::memcpy(&payload_nan, &payload_nan_bits, sizeof payload_nan);
  special.push_back(payload_nan);
  checkpoint.set("special", special);

  std::mt19937_64 random(12345);
  std::vector<double> positions(3 * 500);
  for (double& x : positions) {
    x = std::uniform_real_distribution<double>(-40.0, 40.0)(random);
  }
  checkpoint.set("positions", positions, {500, 3});
  checkpoint.set("thermostat/xi", std::vector<double>{0.125, -3.5e-7, 1e300});
  checkpoint.set("thermostat/chain/v_xi", std::vector<double>{1, 2, 3, 4}, {2, 2});
  checkpoint.set("rng/counters",
                 std::vector<std::uint64_t>{0, 1, std::numeric_limits<std::uint64_t>::max()});
  checkpoint.set("types", std::vector<std::int64_t>{1, 2, INT64_MIN, INT64_MAX});
  checkpoint.set("species", std::vector<std::string>{"Cu", "Zr", "", "ünïcode"});
  checkpoint.set("empty", std::vector<double>{});
  checkpoint.set_int64("step", 123456789012);
  checkpoint.set_double("time", 12.345);
  checkpoint.set_uint64("seed", 18446744073709551557ULL);
  checkpoint.set_metadata({{"task", "md"},
                           {"schedule", {{"stage", 2}, {"stops", {900, 700.5}}}},
                           {"input", "input.json"}});
  return checkpoint;
}

TEST_F(AtomicFileTest, CheckpointRoundTripIsExact) {
  const Checkpoint written = example_checkpoint();
  written.write(path("checkpoint.h5"));
  const Checkpoint read = Checkpoint::read(path("checkpoint.h5"));
  EXPECT_EQ(read.source(), path("checkpoint.h5"));
  EXPECT_EQ(read.names(), written.names());
  for (const char* name :
       {"special", "positions", "thermostat/xi", "thermostat/chain/v_xi", "empty", "time"}) {
    EXPECT_TRUE(bitwise_equal(read.doubles(name), written.doubles(name))) << name;
  }
  EXPECT_EQ(read.shape("positions"), (std::vector<std::size_t>{500, 3}));
  EXPECT_EQ(read.shape("thermostat/chain/v_xi"), (std::vector<std::size_t>{2, 2}));
  EXPECT_EQ(read.shape("empty"), (std::vector<std::size_t>{0}));
  EXPECT_EQ(read.uint64s("rng/counters"), written.uint64s("rng/counters"));
  EXPECT_EQ(read.int64s("types"), written.int64s("types"));
  EXPECT_EQ(read.strings("species"), written.strings("species"));
  EXPECT_EQ(read.get_int64("step"), 123456789012);
  EXPECT_EQ(read.get_uint64("seed"), 18446744073709551557ULL);
  EXPECT_EQ(read.metadata(), written.metadata());
}

TEST_F(AtomicFileTest, CheckpointErrorsNameTheFile) {
  Checkpoint written = example_checkpoint();
  written.write(path("checkpoint.h5"));
  const Checkpoint read = Checkpoint::read(path("checkpoint.h5"));
  try {
    read.doubles("velocities");
    ADD_FAILURE() << "read a missing entry";
  } catch (const InputError& error) {
    EXPECT_EQ(std::string(error.what()),
              path("checkpoint.h5") +
                  ": velocities: not in the checkpoint (was it written by another task?)");
  }
  EXPECT_THROW(read.int64s("positions"), InputError);
  EXPECT_THROW(read.get_double("positions"), InputError);  // not a single value
  EXPECT_THROW(Checkpoint::read(path("missing.h5")), InputError);
  std::ofstream(path("text.h5")) << "not hdf5";
  EXPECT_THROW(Checkpoint::read(path("text.h5")), InputError);
  EXPECT_THROW(written.set("a//b", std::vector<double>{1.0}), std::invalid_argument);
  EXPECT_THROW(written.set("m", std::vector<double>{1.0, 2.0}, {3}), std::invalid_argument);
}

// A child rewrites a large checkpoint again and again; it is killed at some moment while a
// temporary exists. Whenever the kill lands, the target must read back complete: the old
// checkpoint, or a whole new one, never a mixture or a broken file.
TEST_F(AtomicFileTest, KillDuringCheckpointWriteLeavesAValidCheckpoint) {
  const std::string target = path("checkpoint.h5");
  Checkpoint old_checkpoint;
  old_checkpoint.set_int64("generation", 0);
  old_checkpoint.set("positions", std::vector<double>(1000, 1.5));
  old_checkpoint.write(target);

  constexpr std::size_t kLargeSize = 4 * 1024 * 1024;  // 32 MiB of doubles
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    Checkpoint large;
    large.set("positions", std::vector<double>(kLargeSize, 2.5));
    for (std::int64_t generation = 1;; ++generation) {
      large.set_int64("generation", generation);
      large.write(target);
    }
    _exit(0);
  }
  // Wait until the child's temporary has grown, then kill it mid-write.
  const std::string temporary = target + ".tmp." + std::to_string(child);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  bool seen = false;
  while (!seen && std::chrono::steady_clock::now() < deadline) {
    std::error_code error;
    seen = fs::file_size(temporary, error) > (1u << 20) && !error;
    if (!seen) {
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
  }
  kill(child, SIGKILL);
  int status = 0;
  waitpid(child, &status, 0);
  ASSERT_TRUE(seen) << "the child never started writing";

  const Checkpoint read = Checkpoint::read(target);
  const std::int64_t generation = read.get_int64("generation");
  // How the kill landed, for the record: generation 0 with a leftover temporary means the
  // child died in the middle of its first write.
  RecordProperty("generation_after_kill", std::to_string(generation));
  RecordProperty("temporary_left", fs::exists(temporary) ? "yes" : "no");
  std::cout << "killed writer: target holds generation " << generation << ", temporary "
            << (fs::exists(temporary) ? "left behind" : "absent") << "\n";
  if (generation == 0) {
    EXPECT_EQ(read.doubles("positions"), std::vector<double>(1000, 1.5));
  } else {
    EXPECT_EQ(read.doubles("positions"), std::vector<double>(kLargeSize, 2.5));
  }
}

}  // namespace
}  // namespace glassland
