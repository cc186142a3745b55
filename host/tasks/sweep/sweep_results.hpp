// The merged results of a sweep (docs/sweep.md, "Results"), written by rank 0 once every point is
// done, both atomically:
//   <directory>/sweep_summary.json  every point (its axis values, status, results directory,
//                                   headline numbers), the counts, the analysis chain's results;
//   <directory>/sweep.h5            the same as arrays for plotting: /points, /metad/tracers,
//                                   /chain/entropy/NN and /chain/volume/NN.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "host/tasks/sweep/activation_chain.hpp"
#include "host/tasks/sweep/sweep_plan.hpp"
#include "host/tasks/sweep/sweep_point.hpp"

namespace glassland {

// A point's headline numbers from its results directory: the top-level numbers and flags of its
// summary.json (metad, prepare, minimize) or neb.json, the length of its tracers, replicas or
// events list, and for metad the number of tracers with an event and their mean barrier.
nlohmann::json point_headline(const std::string& directory);

// sweep_summary.json's document: the plan, each point's record and headline, and `chain`.
nlohmann::json sweep_summary(const SweepPlan& plan, const std::vector<PointStatus>& statuses,
                             const nlohmann::json& chain);

// Writes sweep_summary.json and sweep.h5 (`rows`: the chain's tracers, for /metad/tracers).
void write_sweep_results(const SweepPlan& plan, const nlohmann::json& summary,
                         const std::vector<TracerRow>& rows);

}  // namespace glassland
