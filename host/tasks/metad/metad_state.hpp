// What the stages of `task: metad` hand on to each other (host/tasks/metad/metad_task.cpp lists
// the stages): the tracers and their records, the bias of the sampling, and the per-tracer
// analysis the outputs and the recrossing stage use. Each stage fills its part; a stage that
// resumes from a checkpoint restores the parts the later stages need.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cv/metadynamics_bias.hpp"
#include "cv/tracers.hpp"
#include "host/io/batch_io.hpp"
#include "host/tasks/inherent_structures.hpp"
#include "host/tasks/metad/metad_settings.hpp"
#include "host/tasks/metad/tracer_record.hpp"
#include "host/tasks/task_system.hpp"
#include "kernels/md_integrator.hpp"

namespace glassland {

struct MetadState {
  MetadState(TaskSystem& system, const MetadInput& m)
      : system(system), m(m), n(system.batch.n_replicas), n_atoms(system.batch.n_atoms) {}

  TaskSystem& system;
  const MetadInput& m;
  const int n;  // replicas = tracers
  const int n_atoms;
  // The batch before any dynamics: atom ids and elements of every replica.
  BatchSnapshot initial;
  std::vector<TracerRecord> tracers;
  // Constant sampling temperature of each replica.
  std::vector<TemperatureScheduleSpec> schedules;

  // Sampling (SamplingStage).
  std::unique_ptr<MetadynamicsBias> bias;
  int64_t biased_steps = 0;
  std::string results_path;
  BatchSnapshot end;  // the batch when sampling ended

  // Analysis (tracer_results.hpp).
  std::vector<double> grid_s;
  std::vector<TracerAnalysis> analyses;
  std::vector<std::string> after_sources;
  // Inherent structures before and after each event: slots before_slot[r] and before_slot[r] + 1
  // of `structures` (−1: none for tracer r).
  MinimizedCopies structures;
  std::vector<int> before_slot;
  std::vector<double> rates;  // s⁻¹ per tracer, NaN without an event

  nlohmann::ordered_json summary;  // summary.json as written

  // The event rule and rate settings of tracer r's analysis.
  TracerAnalysisSettings analysis_settings(int r) const {
    TracerAnalysisSettings a;
    a.temperature = m.temperature[r];
    a.bias_temperature = m.bias.bias_temperature;
    a.attempt_frequency = m.attempt_frequency;
    a.criteria.prominence = m.event_prominence;
    a.criteria.temperature = m.temperature[r];
    a.criteria.dwell_time = m.event_dwell;
    return a;
  }
};

}  // namespace glassland
