// `glassland sweep SWEEP.json [--restart] [--quiet]`: a task run at every point of a grid of
// values of its input's keys, on one process or many MPI ranks (docs/sweep.md;
// host/tasks/sweep/sweep_run.hpp).
#pragma once

#include <CLI/CLI.hpp>

#include "host/tasks/sweep/entropy_chain.hpp"
#include "host/tasks/sweep/sweep_ranks.hpp"

namespace glassland {

// `ranks` is main's SweepRanks, made before Kokkos started (it chose this rank's device).
void register_sweep_command(CLI::App& app, const SweepRanks& ranks);

// The chain of an art sweep: `glassland analyze entropy-temperature` on the request's sources.
EntropyTemperatureAnalysis analyze_entropy_temperature();

}  // namespace glassland
