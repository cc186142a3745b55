// The exit status of the glassland program, one table for every sub-command (docs/exit-codes.md
// lists the same rows; tests/host/cli/test_exit_codes.cpp checks both against the program).
//
// Why our own codes: CLI11 returns its internal error numbers (105 ValidationError, 106
// RequiredError, 109 ExtrasError, …) for command-line mistakes; a script or a sweep driver
// wants one code for "you asked for something wrong", whatever the parser's reason, and the
// conventional 2 of Unix tools for it.
#pragma once

#include <array>

namespace glassland {

enum class ExitCode : int {
  success = 0,          // the command did what was asked
  internal_error = 1,   // an unexpected failure: a bug, or the system (memory, disk) failing
  input_error = 2,      // a bad command line, input file, JSON key or value: nothing was run
  replicas_failed = 3,  // some replicas failed (faults.json), the others' results are written
};

struct ExitCodeRow {
  ExitCode code;
  const char* name;
  const char* meaning;
};

// The rows of the table, in code order (docs/exit-codes.md and `glassland --help`).
inline constexpr std::array<ExitCodeRow, 4> kExitCodes = {{
    {ExitCode::success, "success", "the command completed"},
    {ExitCode::internal_error, "internal error",
     "an unexpected failure (a bug, or the system: memory, disk); the message says what failed"},
    {ExitCode::input_error, "input error",
     "a bad command line, input file, JSON key or value; the message names it and the remedy"},
    {ExitCode::replicas_failed, "replicas failed",
     "some replicas failed (faults.json; the others' results are written), or all of them did "
     "and the run stopped early"},
}};

constexpr int exit_status(ExitCode code) {
  return static_cast<int>(code);
}

}  // namespace glassland
