// Inherent structures (SPEC.md §4): batched CG or FIRE minimisation with per-replica tolerances,
// of a batch in place (`task: minimize`) or of copies of some replicas of a snapshot, so that an
// MD batch is never disturbed (`prepare`'s stops, `metad`'s structures around each event).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "host/io/batch_io.hpp"
#include "host/io/json_input.hpp"
#include "kernels/force_field.hpp"
#include "kernels/minimizer_common.hpp"

namespace glassland {

// Inherent-structure minimisation shared by `minimize`, `prepare` and `metad`.
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

// Minimises `batch` in place; `settings_index[k]` is the replica of `settings` whose tolerances
// replica k of the batch uses.
MinimizedCopies minimize_in_place(Batch& batch, ForceField& force_field,
                                  const MinimizeSettings& settings,
                                  const std::vector<int>& settings_index);

}  // namespace glassland
