// `glassland build`: writes a starting structure (lattice or random packing) as a LAMMPS data file.
#pragma once

#include <CLI/CLI.hpp>

namespace glassland {
void register_build_command(CLI::App& app);
}
