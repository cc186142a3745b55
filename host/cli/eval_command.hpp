// `glassland eval`: energies, pressures, virials and forces of structures (issue 2, item 6).
#pragma once

#include <CLI/CLI.hpp>

namespace glassland {
void register_eval_command(CLI::App& app);
}
