// What `task: metad` collects per tracer while it samples (its CV and bias series, whether and
// when its first event was confirmed, the configurations kept for the inherent structures around
// that event), and how these are written to and read from a checkpoint.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "cv/cv_set.hpp"
#include "host/io/batch_io.hpp"
#include "host/io/checkpoint.hpp"

namespace glassland {

// One replica's configuration at a step (for inherent structures).
struct ReplicaConfiguration {
  int64_t step = -1;  // −1: none
  Box box;
  std::vector<double> positions;  // [i*3 + k]
  std::vector<int> images;        // [i*3 + k]
};

// Per tracer, what the run collects.
struct TracerRecord {
  int atom = 0;  // replica-local index
  int64_t atom_id = 0;
  std::string species;
  double mass = 0.0;  // amu
  std::vector<int64_t> cv_steps;
  std::vector<double> cv_times, cv_values, bias_values;
  bool stopped = false;
  bool left_grid = false;  // stopped because its CV left the bias grid
  bool failed = false;     // stopped because its replica failed (TaskRun's failure log)
  bool confirmed_online = false;
  int64_t confirmed_step = -1;
  // Configurations kept every snapshot_stride steps until the event is confirmed (then cleared).
  std::deque<ReplicaConfiguration> history;
  ReplicaConfiguration before, after;  // chosen for the inherent structures
  std::string before_source = "none";
};

// Replica r's positions (replica-local atom order) of a snapshot.
std::vector<std::array<double, 3>> replica_positions(const BatchSnapshot& s, int r);
ReplicaConfiguration replica_configuration(const BatchSnapshot& s, int r, int64_t step);

// The step at which the event of `sample` started: the last CV sample before it (the last one
// on the initial side of the saddle; detect_first_event's sample is the first one beyond it that
// stays there), or the first sample.
int64_t event_start_step(const TracerRecord& t, size_t sample);

// The kept configuration for the inherent structure before an event that started at `start`:
// the last one taken at or before it; if the history no longer reaches back that far (more than
// snapshot_history were taken since), the oldest one kept.
void choose_before(TracerRecord& t, int64_t start);

// Configurations as a snapshot of their own (one replica each), with replica `replica[c]`'s
// elements and ids from `like`, for minimize_copies.
BatchSnapshot configurations_snapshot(const std::vector<const ReplicaConfiguration*>& configs,
                                      const std::vector<int>& replica, const BatchSnapshot& like);

// A tracer's series, flags and kept configurations under `prefix` (e.g. "tracer_0003"), and back.
// `stop_after_first_event` tells a frozen tracer's cause (its event, or its CV leaving the grid).
void save_tracer(Checkpoint& c, const std::string& prefix, const TracerRecord& t);
void load_tracer(const Checkpoint& c, const std::string& prefix, int n_atoms,
                 bool stop_after_first_event, TracerRecord& t);

// CV definitions (as anchored) in a checkpoint: cv/replica_NNNN/{kind, atoms, reference}.
void save_cv_definitions(Checkpoint& c, const std::vector<CvDefinition>& definitions);
std::vector<CvDefinition> load_cv_definitions(const Checkpoint& c, int n);

}  // namespace glassland
