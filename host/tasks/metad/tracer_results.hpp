// What `task: metad` makes of its sampling (SPEC.md §5–6), as three stages' work:
//   analyse_events        per tracer the FES, first event, ΔG, hop distance and TST rate, and the
//                         configurations before and after its event (the confirmed ones, or,
//                         where only the final FES shows the event, the end of sampling);
//   minimize_event_structures  their inherent structures, all in one batch of copies (FIRE);
//   write_tracer_results  results.h5 per-tracer groups, HILLS_NNNN (PLUMED format), summary.json
//                         with the parallel and sequential effective barriers, and each event's
//                         inherent structures as structures/tracer_NNNN_{initial,final}.data.
#pragma once

#include "host/tasks/metad/metad_state.hpp"
#include "host/tasks/task_run.hpp"

namespace glassland {

void analyse_events(MetadState& state);
void minimize_event_structures(MetadState& state);
void write_tracer_results(TaskRun& run, MetadState& state);

// The per-tracer table of summary.json, on stdout (the run's result: printed with --quiet too).
void print_metad_summary(const MetadState& state, const std::string& directory);

}  // namespace glassland
