// The analysis chain of a metad sweep (docs/sweep.md, "The analysis chain"; SPEC.md §6; paper 000,
// Eq. 2: ΔG(T, P) = ΔQ + PV − TΔS): every tracer of every finished point, with the temperature
// and pressure its summary.json records, then
//   * at each pressure with several temperatures: ΔG(T) per tracer, and the activation entropy
//     ΔS = −∂ΔG/∂T with its 0 K intercept ΔQ for the parallel, sequential, mixed and mean
//     effective barriers, with errors;
//   * at each temperature with several pressures: the activation volume V = ∂ΔG/∂P in Å³ and in
//     units of the mean atomic volume Ω of those runs.
// Each fit is `glassland analyze activation`'s (host/tasks/activation_report.hpp) on a table the
// chain writes under <directory>/chain/, so running that command on the table gives the same
// numbers; each entry names the command.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "host/tasks/sweep/sweep_plan.hpp"
#include "host/tasks/sweep/sweep_point.hpp"

namespace glassland {

// One tracer of one point, as its summary.json gives it.
struct TracerRow {
  int point = 0;
  int64_t atom_id = 0;
  std::string species;
  double temperature_K = 0.0;
  double pressure_bar = 0.0;  // NaN: no NPT equilibration, no pressure imposed
  bool event_found = false;
  double barrier_eV = 0.0;        // NaN without an event
  double atomic_volume_A3 = 0.0;  // NaN when the summary predates the key
};

// The tracers of the points with results (finished, or finished_with_failures less the tracers
// whose replica failed), in point order and each point's tracer order. Points whose
// summary lacks the per-tracer conditions (written before they were recorded) are named in
// `notes`.
std::vector<TracerRow> metad_tracer_rows(const SweepPlan& plan,
                                         const std::vector<PointStatus>& statuses,
                                         std::vector<std::string>& notes);

// {"entropy": [...], "volume": [...], "barriers_by_tracer": [...], "notes": [...]}; writes the
// tables under <directory>/chain/. A series with too few conditions or events gets a note.
nlohmann::json run_activation_chain(const SweepPlan& plan, const std::vector<TracerRow>& rows);

// The chain's results as lines for a person (ΔS and V with errors).
std::string describe_activation_chain(const nlohmann::json& chain);

}  // namespace glassland
