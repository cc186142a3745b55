// Running the glassland program (GLASSLAND_PROGRAM, the built executable) from the task tests,
// and reading back what it wrote: one shared copy of the helpers that the tests/host task tests
// each used to define for themselves.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace glassland::testing {

struct ProgramResult {
  int status = -1;     // wait status, as pclose returns it (0: exited with 0)
  std::string output;  // stdout, and stderr unless it was discarded
};

// Runs `GLASSLAND_PROGRAM arguments` through the shell (arguments are split by it) and waits for
// it. With capture_stderr, stderr is captured together with stdout; without, it is discarded
// (for output that is parsed, such as `eval --json`).
ProgramResult run_glassland(const std::string& arguments, bool capture_stderr = true);

// Runs `GLASSLAND_PROGRAM arguments` with stdout and stderr kept apart (the console conventions:
// results on stdout, progress and warnings on stderr; docs/exit-codes.md).
struct ConsoleResult {
  int status = -1;  // wait status, as pclose returns it
  std::string out;  // stdout
  std::string err;  // stderr
};
ConsoleResult run_glassland_console(const std::string& arguments);

// Starts GLASSLAND_PROGRAM with `arguments` (fork + execv, no shell) and returns its pid without
// waiting, so that a test can kill it; its output goes to the test's own stdout and stderr.
pid_t start_glassland(const std::vector<std::string>& arguments);

// Waits for the process `pid` to end; returns its wait status (0: exited with 0).
int wait_for_exit(pid_t pid);

// The whole content of a file ("" when it cannot be read).
std::string read_text_file(const std::string& path);

// A file parsed as JSON (throws when it is missing or not JSON).
nlohmann::json read_json_file(const std::string& path);

// Whether an empty object in the configuration counts as a key path of its own.
enum class EmptyObjects { kAreKeys, kAreSkipped };

// Every key path of a configuration ("art.search.push_step"), objects flattened.
std::vector<std::string> key_paths(const nlohmann::json& tree,
                                   EmptyObjects empty_objects = EmptyObjects::kAreKeys);

// Checks that `document` (a path under the source tree, e.g. "docs/tasks.md") is not empty and
// names every key path of the JSON file `effective_input` as `path`, and that there are more than
// `more_than` key paths.
void expect_every_key_documented(const std::string& effective_input, const std::string& document,
                                 std::size_t more_than,
                                 EmptyObjects empty_objects = EmptyObjects::kAreKeys);

}  // namespace glassland::testing
