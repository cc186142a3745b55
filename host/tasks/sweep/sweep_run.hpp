// `glassland sweep SWEEP.json [--restart] [--quiet]` (docs/sweep.md): a task run at every point of
// a grid (or zip) of values of its input's keys, on one process or many MPI ranks, resumable.
//
// The run, as its steps:
//   plan      rank 0 reads the sweep file, lists the points (stdout) and checks every point's
//             input with the task's own reader (RunOptions::check_only) before anything runs: an
//             invalid point is an input error naming the axis and its value. It records the plan
//             in <directory>/sweep_plan.json (atomically); with --restart, a plan that differs
//             from the recorded one is an error, and the points already finished are passed over.
//   points    every rank takes the next point from a shared counter (SweepRanks::WorkCounter)
//             until none is left, and runs it in <directory>/points/NNNN (sweep_point.hpp): a
//             failure is recorded against the point and the rank goes on; a task that finished
//             with some replicas failed leaves a finished_with_failures point, whose results
//             count and which --restart passes over like a finished one.
//   results   rank 0 reads every point's record and results, runs the analysis chain
//             (activation_chain.hpp for metad, diffusion_chain.hpp for md, entropy_chain.hpp
//             for art) and writes sweep_summary.json and sweep.h5 (sweep_results.hpp); it
//             prints the chain's results (ΔS and V, Q and D0, entropy against temperature).
//
// Points whose task could hold them as per-replica values of one batch (metad tracers at several
// temperatures) still run one task each: see docs/sweep.md, "Why every point is its own run".
#pragma once

#include <stdexcept>
#include <string>

#include "host/tasks/sweep/entropy_chain.hpp"
#include "host/tasks/sweep/sweep_point.hpp"
#include "host/tasks/sweep/sweep_ranks.hpp"

namespace glassland {

struct SweepOptions {
  std::string sweep_file;
  bool restart = false;     // pass over finished points, resume the others from their checkpoints
  bool quiet = false;       // no progress lines (the list of points and the results still print)
  bool check_only = false;  // list and check the points, then stop: nothing runs or is written
  bool overwrite = false;   // a point directory holding another input's results is cleared first
  // `analyze entropy-temperature`, for the chain of an art sweep (host/cli/sweep_command.cpp
  // passes it; without it the chain notes that there is none).
  EntropyTemperatureAnalysis entropy_temperature;
};

// Thrown on ranks other than 0 when rank 0 found the sweep invalid (rank 0 throws the InputError
// and reports it; the others leave quietly with the same outcome).
class SweepStoppedOnRoot : public std::runtime_error {
 public:
  SweepStoppedOnRoot() : std::runtime_error("the sweep was stopped by rank 0") {}
};

// What became of the points (on rank 0; zeros on the others).
struct SweepOutcome {
  int failed = 0;                  // points that failed or did not run
  int finished_with_failures = 0;  // points whose task finished with some replicas failed
};

// Runs the sweep on `ranks` (every rank calls it). `run_task` runs or checks one task input
// (run_task_input).
SweepOutcome run_sweep(const SweepOptions& options, const TaskRunner& run_task,
                       const SweepRanks& ranks);

}  // namespace glassland
