// The trajectory and structure analyses of `glassland analyze` (issue 20; SPEC.md §9;
// docs/analysis.md): one file per sub-command, each registered with one line in
// host/cli/analyze_command.cpp.
//   dynamics     MSD, α2, F_s, τ_α, G_s, ⟨u²⟩, D with its standard error (paper 002)
//   structure    partial RDFs, S(q), coordination, Voronoi indices, layer profiles of slabs
//   cage-jumps   cage-jump detection, Γ, ⟨l²⟩, D, and Arrhenius fits across temperatures
//   mobility     the hopping indicator p_hop per atom and D.F.(X %) against local excitations
//                (paper 003)
#pragma once

#include <CLI/CLI.hpp>

namespace glassland {

void register_analyze_dynamics(CLI::App& analyze);
void register_analyze_structure(CLI::App& analyze);
void register_analyze_cage_jumps(CLI::App& analyze);
void register_analyze_mobility(CLI::App& analyze);

}  // namespace glassland
