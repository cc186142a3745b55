// `glassland run INPUT.json [--restart] [--quiet] [--profile]`: runs the task an input file
// describes; with --profile, prints the time per Kokkos kernel and region at the end
// (host/cli/kernel_profile.hpp, docs/profiling.md).
#pragma once

#include <CLI/CLI.hpp>

namespace glassland {
void register_run_command(CLI::App& app);
}
