// `glassland run INPUT.json [--restart] [--quiet] [--check] [--profile]`: runs the task an input
// file describes; with --profile, prints the time per Kokkos kernel and region at the end
// (host/cli/kernel_profile.hpp, docs/profiling.md).
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "host/io/json_input.hpp"
#include "host/tasks/task_drivers.hpp"

namespace glassland {

void register_run_command(CLI::App& app);

// Runs (or with options.check_only, reads and validates) the task named by the input's "task"
// key. Also what `glassland sweep` runs for each point (every driver stops at its TaskRun under
// check_only).
void run_task_input(InputObject& input, const RunOptions& options);

}  // namespace glassland
