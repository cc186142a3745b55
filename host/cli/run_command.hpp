// `glassland run INPUT.json [--restart] [--quiet]`: runs the task an input file describes.
#pragma once

#include <CLI/CLI.hpp>

namespace glassland {
void register_run_command(CLI::App& app);
}
