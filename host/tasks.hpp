// Task drivers run by `glassland run INPUT.json` (SPEC.md §11). Each reads its keys through
// InputObject (so unknown keys, wrong types and out-of-range values are errors naming the JSON
// path), writes its effective configuration with its results, and checkpoints if asked.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "host/batch_io.hpp"
#include "host/json_input.hpp"
#include "kernels/minimizer_common.hpp"

namespace glassland {

struct RunOptions {
  std::string input_path;
  bool restart = false;  // continue from the last checkpoint in the output directory
  bool quiet = false;    // overrides output.quiet
};

void run_md_task(InputObject& input, const RunOptions& options);
void run_minimize_task(InputObject& input, const RunOptions& options);  // host/minimize_task.cpp
void run_prepare_task(InputObject& input, const RunOptions& options);   // host/prepare_task.cpp
void run_metad_task(InputObject& input, const RunOptions& options);     // host/metad_task.cpp
void run_neb_task(InputObject& input, const RunOptions& options);       // host/neb_task.cpp
void run_art_task(InputObject& input, const RunOptions& options);       // host/art_task.cpp

// Inherent-structure minimisation shared by `minimize` and `prepare` (host/minimize_task.cpp).
// Tolerances are per replica: replicas with the same tolerances are minimised together, groups
// one after the other, the others masked out (kernels/minimizer_common.hpp).
struct MinimizeSettings {
  std::string method = "cg";  // "cg" or "fire"
  ForceNorm force_norm = ForceNorm::max_atom;
  std::string line_search = "quadratic";                 // CG only
  double max_displacement = 0.1;                         // Å (CG line search; FIRE per step)
  std::vector<double> etol, ftol;                        // per replica
  std::vector<int64_t> max_iterations, max_evaluations;  // per replica
};
MinimizeSettings read_minimize_settings(InputObject& section, int n_replicas);

struct TaskSystem;
// Minimises copies of the replicas `replicas` of `snapshot` (tolerances of those replicas) in a
// batch of their own with a force field of their own, so the MD batch is not disturbed. Returns
// the minimised copies and one summary record per copy (status, iterations, evaluations,
// energies, max force).
struct MinimizedCopies {
  BatchSnapshot minimized;
  std::vector<ReplicaMinimization> results;
  std::vector<nlohmann::json> records;
};
MinimizedCopies minimize_copies(const TaskSystem& system, const BatchSnapshot& snapshot,
                                const std::vector<int>& replicas, const MinimizeSettings& settings);

}  // namespace glassland
