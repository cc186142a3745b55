// libFuzzer target: every task's input reader, on the path `glassland run --check` and
// `glassland sweep --check` take (issue 16 item 8): the JSON is parsed, then run_task_input reads
// and validates the whole input of the task it names (md, prepare, minimize, metad, art, neb) —
// its keys, its values, the structure and potential files it names — and stops at the task's
// TaskRun, before anything is created or run. An input with a "base" key is a sweep file: its
// plan is read and expanded and the first points' inputs are checked the same way. Any input
// must be accepted or give InputError; any other exception (the program's "internal error", exit
// 1), a crash, a sanitizer report, a leak or a hang is a finding.
//
// Relative paths resolve against a scratch directory holding the files in fuzz/task_files/ (a
// 5-point eam/fs potential and 16-atom Cu–Zr structures, so that an input is checked in
// milliseconds). The readers are the program's own objects, compiled by the project's compiler
// without coverage instrumentation (tests/CMakeLists.txt); libFuzzer's guidance comes from this
// file, the JSON parser inlined into it, and which error an input ends with (below).
#include <unistd.h>

#include <Kokkos_Core.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "host/cli/run_command.hpp"
#include "host/io/input_error.hpp"
#include "host/io/json_input.hpp"
#include "host/tasks/sweep/sweep_plan.hpp"

// libFuzzer's extra counters: each is a coverage feature. Which error an input ends with (its
// message without digits, hashed) is the guidance the uninstrumented readers cannot give: an
// input that reaches a new check is kept in the corpus.
__attribute__((section("__libfuzzer_extra_counters"))) static uint8_t error_kinds[512];

namespace {

namespace fs = std::filesystem;

// Points of a sweep file checked per input (a grid of fuzzed axes can have millions).
constexpr size_t kSweepPointsChecked = 4;

std::string& scratch_directory() {
  static std::string directory;
  return directory;
}

void count_error_kind(const std::string& message) {
  uint64_t hash = 1469598103934665603ull;  // FNV-1a over the message without its digits
  for (char c : message) {
    if (c >= '0' && c <= '9')
      continue;
    hash = (hash ^ static_cast<unsigned char>(c)) * 1099511628211ull;
  }
  ++error_kinds[hash % sizeof error_kinds];
}

glassland::RunOptions check_options() {
  glassland::RunOptions options;
  options.check_only = true;
  options.print_checked_input = false;
  options.quiet = true;
  return options;
}

void check_sweep(const std::string& text) {
  const std::string path = scratch_directory() + "/sweep.json";
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
  const glassland::SweepPlan plan = glassland::read_sweep_plan(path);
  for (size_t k = 0; k < plan.points.size() && k < kSweepPointsChecked; ++k) {
    glassland::InputObject input = glassland::point_input(plan, plan.points[k]);
    glassland::run_task_input(input, check_options());
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
  Kokkos::initialize(*argc, *argv);
  // The scratch directory: the task files, and the sweep file of the current input.
  scratch_directory() = (access("/dev/shm", W_OK) == 0 ? std::string("/dev/shm") : "/tmp") +
                        "/glassland_fuzz_task_run_" + std::to_string(getpid());
  fs::create_directories(scratch_directory());
  for (const auto& file : fs::directory_iterator(GLASSLAND_FUZZ_TASK_FILES))
    fs::copy_file(file.path(), scratch_directory() + "/" + file.path().filename().string(),
                  fs::copy_options::overwrite_existing);
  std::atexit([] { fs::remove_all(scratch_directory()); });
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const nlohmann::json document = glassland::parse_json_text(text, "fuzz.json");
    if (document.is_object() && document.contains("base")) {
      check_sweep(text);
    } else {
      glassland::InputObject input(document, "fuzz.json", scratch_directory());
      glassland::run_task_input(input, check_options());
    }
  } catch (const glassland::InputError& e) {
    count_error_kind(e.what());
  }
  return 0;
}
