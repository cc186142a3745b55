// Task drivers run by `glassland run INPUT.json` (SPEC.md §11). Each reads its keys through
// InputObject (so unknown keys, wrong types and out-of-range values are errors naming the JSON
// path), writes its effective configuration with its results, and checkpoints if asked.
#pragma once

#include <string>

#include "host/io/json_input.hpp"

namespace glassland {

struct RunOptions {
  std::string input_path;
  bool restart = false;    // continue from the last checkpoint in the output directory
  bool quiet = false;      // overrides output.quiet
  bool overwrite = false;  // a fresh run may clear an output directory holding another run
  // Read and validate the input (the system included), then stop before the first stage: TaskRun
  // creates no directory, writes nothing and runs no stage (`glassland run --check`, and the
  // sweep's check of every point before any runs).
  bool check_only = false;
  // With check_only: print the effective configuration on stdout (`run --check`); the sweep,
  // which checks every point, does not.
  bool print_checked_input = true;
};

// One driver per task, in host/tasks/<task>_task.cpp or host/tasks/<task>/<task>_task.cpp.
void run_md_task(InputObject& input, const RunOptions& options);
void run_minimize_task(InputObject& input, const RunOptions& options);
void run_prepare_task(InputObject& input, const RunOptions& options);
void run_metad_task(InputObject& input, const RunOptions& options);
void run_neb_task(InputObject& input, const RunOptions& options);
void run_art_task(InputObject& input, const RunOptions& options);

}  // namespace glassland
