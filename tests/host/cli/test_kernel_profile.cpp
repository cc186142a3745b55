// KernelProfile (`glassland run --profile`): per-label calls and times from Kokkos's profiling
// callbacks, rows that add up to the run, regions with their nesting, atom-steps from the batch
// allocated last, and a tool installed before it still sees every event (chaining).
#include "host/cli/kernel_profile.hpp"

#include <gtest/gtest.h>

#include <Kokkos_Core.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "kernels/batch.hpp"

namespace glassland {
namespace {

// Runs the profile's print into a string.
std::string printed(const KernelProfile& profile) {
  char* buffer = nullptr;
  size_t size = 0;
  std::FILE* stream = open_memstream(&buffer, &size);
  profile.print(stream);
  std::fclose(stream);
  std::string text(buffer, size);
  std::free(buffer);
  return text;
}

// The table row of `label`: its cells between '|', trimmed.
std::vector<std::string> row(const std::string& table, const std::string& label) {
  std::istringstream lines(table);
  std::string line;
  while (std::getline(lines, line)) {
    std::vector<std::string> cells;
    std::stringstream cells_stream(line);
    std::string cell;
    while (std::getline(cells_stream, cell, '|')) {
      const auto first = cell.find_first_not_of(' ');
      const auto last = cell.find_last_not_of(' ');
      cells.push_back(first == std::string::npos ? "" : cell.substr(first, last - first + 1));
    }
    if (cells.size() > 1 && cells[1] == label)
      return {cells.begin() + 1, cells.end()};
  }
  return {};
}

void busy_kernel(const std::string& label, int n) {
  Kokkos::View<double*> values("test::values", n);
  Kokkos::parallel_for(
      label, n, KOKKOS_LAMBDA(int i) { values(i) = 0.5 * i + 1.0; });
  double sum = 0.0;
  Kokkos::parallel_reduce(
      label + "_sum", n, KOKKOS_LAMBDA(int i, double& s) { s += values(i); }, sum);
  EXPECT_GT(sum, 0.0);
}

// (Kernels live in free functions: nvcc refuses device lambdas in a TEST body, a private member.)
void empty_kernel(const std::string& label) {
  Kokkos::parallel_for(label, 10, KOKKOS_LAMBDA(int){});
}

TEST(KernelProfile, CountsCallsPerLabelAndTimesPartitionTheRun) {
  KernelProfile profile;
  for (int k = 0; k < 3; ++k)
    busy_kernel("test::work", 100000);
  busy_kernel("test::other", 1000);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));  // host time, in no kernel
  busy_kernel("test::other", 1000);
  EXPECT_EQ(profile.kernels().at("test::work").calls, 3);
  EXPECT_EQ(profile.kernels().at("test::work_sum").calls, 3);
  EXPECT_EQ(profile.kernels().at("test::other").calls, 2);
  EXPECT_GE(profile.host().seconds, 0.05);  // the sleep
  EXPECT_LT(profile.kernels().at("test::other").seconds, 0.05);
  // Exclusive times partition the run up to the last event: their sum is the run's time then.
  const double run = profile.run_seconds();
  double sum = profile.host().seconds;
  for (const auto& [label, entry] : profile.kernels())
    sum += entry.seconds;
  EXPECT_LE(sum, run);
  EXPECT_GT(sum, 0.99 * run - 1e-3);

  // The printed table: a row per label, the host row, and the sum line at 100 % of the run.
  const std::string table = printed(profile);
  const auto work = row(table, "test::work");
  ASSERT_EQ(work.size(), 6u) << table;
  EXPECT_EQ(work[1], "3");
  EXPECT_EQ(row(table, "(host: outside kernels and copies)").size(), 6u) << table;
  const auto total = row(table, "sum of the rows");
  ASSERT_EQ(total.size(), 6u) << table;
  EXPECT_NEAR(std::stod(total[4]), 100.0, 1.0) << table;
}

TEST(KernelProfile, AtomStepsCountTheAtomsOfTheBatchAllocatedLast) {
  KernelProfile profile;
  busy_kernel("test::before_any_batch", 1000);
  {
    const Batch small(1, 10, 2);
    const Batch batch(2, 500, 2);  // 1000 atoms in all: the one allocated last
    busy_kernel("test::per_atom", 1000);
    busy_kernel("test::per_atom", 1000);
  }
  EXPECT_EQ(profile.kernels().at("test::before_any_batch").atom_steps, 0.0);
  EXPECT_EQ(profile.kernels().at("test::per_atom").atom_steps, 2000.0);
}

TEST(KernelProfile, RegionsAreTimedInclusivelyWithTheirNesting) {
  KernelProfile profile;
  Kokkos::Profiling::pushRegion("test::outer");
  Kokkos::Profiling::pushRegion("test::inner");
  busy_kernel("test::in_region", 1000);
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  Kokkos::Profiling::popRegion();
  Kokkos::Profiling::popRegion();
  const auto& outer = profile.regions().at("test::outer");
  const auto& inner = profile.regions().at("test::inner");
  EXPECT_EQ(outer.calls, 1);
  EXPECT_EQ(outer.depth, 0);
  EXPECT_EQ(inner.depth, 1);
  EXPECT_GE(inner.seconds, 0.02);
  EXPECT_GE(outer.seconds, inner.seconds);
  const std::string table = printed(profile);
  EXPECT_NE(table.find("|   test::inner "), std::string::npos) << table;  // indented
}

// A stand-in for a Kokkos Tools library: counts the events it is given.
std::map<std::string, int> g_tool_events;
void tool_begin(const char* name, const uint32_t, uint64_t* id) {
  ++g_tool_events["begin " + std::string(name)];
  *id = 42;
}
void tool_end(const uint64_t id) {
  ++g_tool_events["end " + std::to_string(id)];
}
void tool_push(const char* name) {
  ++g_tool_events["push " + std::string(name)];
}
void tool_pop() {
  ++g_tool_events["pop"];
}

TEST(KernelProfile, AToolInstalledBeforeStillSeesEveryEvent) {
  const auto before = Kokkos::Tools::Experimental::get_callbacks();
  auto tool = before;
  tool.begin_parallel_for = tool_begin;
  tool.end_parallel_for = tool_end;
  tool.push_region = tool_push;
  tool.pop_region = tool_pop;
  Kokkos::Tools::Experimental::set_callbacks(tool);
  g_tool_events.clear();
  std::string table;
  {
    KernelProfile profile;
    Kokkos::Profiling::pushRegion("test::tool_region");
    empty_kernel("test::seen_by_both");
    Kokkos::Profiling::popRegion();
    table = printed(profile);
  }
  EXPECT_EQ(g_tool_events["begin test::seen_by_both"], 1);
  EXPECT_EQ(g_tool_events["end 42"], 1);  // the tool's own kernel id came back to it
  EXPECT_EQ(g_tool_events["push test::tool_region"], 1);
  EXPECT_EQ(g_tool_events["pop"], 1);
  EXPECT_EQ(row(table, "test::seen_by_both").at(1), "1") << table;
  // After the profile the tool's callbacks are the ones installed again.
  empty_kernel("test::after");
  EXPECT_EQ(g_tool_events["begin test::after"], 1);
  Kokkos::Tools::Experimental::set_callbacks(before);
}

}  // namespace
}  // namespace glassland
