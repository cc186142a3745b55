// `glassland plot`: figures (PNG and PDF) of the results glassland writes (issue 19, SPEC.md §11).
// The figures are drawn by the Python package python/glassland_plot with Debian's interpreter
// (/usr/bin/python3 with python3-matplotlib, python3-h5py, python3-numpy; GLASSLAND_PYTHON
// overrides it); this command finds the package and replaces itself with that interpreter, so
// the package's messages and exit code are the command's. docs/plotting.md.
#pragma once

#include <CLI/CLI.hpp>

namespace glassland {
void register_plot_command(CLI::App& app);
}
