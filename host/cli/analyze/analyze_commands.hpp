// The sub-commands of `glassland analyze` (docs/analyze.md), one file each in host/cli/analyze/.
//
// How to add `glassland analyze NAME` (the whole contract):
//   1. Write host/cli/analyze/NAME_command.cpp with, in namespace glassland::analyze_cli,
//        void register_analyze_NAME(CLI::App& analyze);
//      which calls analyze.add_subcommand("NAME", "one-line description"), adds the options
//      (add_output_option for --output) and sets a callback that runs the command inside
//      guarded("NAME", ...). Keep its options and its run function in an anonymous namespace in
//      that file. analyze_io.hpp has what the commands share: load_table (CSV, JSON tables,
//      metadynamics summary.json, ART events.json), read_json_file, value_error, emit.
//   2. Declare register_analyze_NAME below.
//   3. Call it from register_analyze_command (host/cli/analyze_command.cpp): one line, in the
//      order `glassland analyze --help` lists the sub-commands.
// CMake globs host/cli/ recursively, so the new file needs no CMake edit. Document the command
// in docs/analyze.md and test it end to end in tests/host/cli/.
#pragma once

#include <CLI/CLI.hpp>

namespace glassland::analyze_cli {

void register_analyze_barriers(CLI::App& analyze);
void register_analyze_activation(CLI::App& analyze);
void register_analyze_tst(CLI::App& analyze);
void register_analyze_fit(CLI::App& analyze);
void register_analyze_entropy(CLI::App& analyze);
void register_analyze_ageing(CLI::App& analyze);  // ageing and mobility (paper 003)
void register_analyze_glass_transition(CLI::App& analyze);
void register_analyze_entropy_temperature(CLI::App& analyze);
void register_analyze_disconnectivity(CLI::App& analyze);

}  // namespace glassland::analyze_cli
