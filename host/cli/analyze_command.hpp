// `glassland analyze`: barrier statistics, activation thermodynamics and TST kinetics from CSV
// and JSON tables and from the JSON results of the metadynamics and ART tasks (issue 7, item 7;
// SPEC.md §6). Sub-commands: barriers, activation, tst, fit, entropy, one file each in
// host/cli/analyze/ (analyze_commands.hpp: how to add one). docs/analyze.md documents every option
// and output key.
#pragma once

#include <CLI/CLI.hpp>

namespace glassland {
void register_analyze_command(CLI::App& app);
}
