// One point of a sweep, run as its task in its own results directory <directory>/points/NNNN
// (docs/sweep.md): the task writes its results, checkpoints and effective_input.json there; the
// point adds status.json (its record: running, finished or failed, with the error, the rank, host
// and device, the wall time), written atomically, and run.log (the task's messages, appended).
// A failure of the point — any exception of its task — is recorded against it, not thrown. A task
// that ends with some of its replicas failed (ReplicasFailed, not every one: exit status 3 of
// `glassland run`, faults.json) has written the others' results: the point is then
// "finished_with_failures", its failed replicas named from faults.json, and its results count.
#pragma once

#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "host/io/json_input.hpp"
#include "host/tasks/sweep/sweep_plan.hpp"
#include "host/tasks/sweep/sweep_ranks.hpp"
#include "host/tasks/task_drivers.hpp"

namespace glassland {

// Runs (or with RunOptions::check_only, checks) the task an input names: `run_task_input` of
// host/cli/run_command.hpp, passed in so that the sweep depends on no particular task table.
using TaskRunner = std::function<void(InputObject&, const RunOptions&)>;

struct PointStatus {
  // "running", "finished", "finished_with_failures", "failed", or "" when there is no record
  std::string status;
  std::string error;  // what the failure said
  // The records of the point's faults.json (unit, replica, stage, step, cause, detail, remedy):
  // the replicas that failed, in a finished_with_failures (or failed) point; empty otherwise.
  nlohmann::json failed_replicas = nlohmann::json::array();
  int rank = -1;
  std::string host, device;
  int attempt = 0;            // 1 for the first run, +1 for each --restart that ran it again
  double wall_seconds = 0.0;  // of the last attempt
};

// Whether the point's task ran to its end and wrote results: finished, or finished_with_failures
// (the replicas that did not fail). Such a point is passed over by --restart and used by the chain.
bool has_results(const PointStatus& status);

// The failed replicas of a point as a person reads them: "replica 1, replica 3" ("search 4" for
// art, "band 0" for neb).
std::string describe_failed_replicas(const PointStatus& status);

// The record in `directory`/status.json ("" status when there is none or it cannot be read).
PointStatus read_point_status(const std::string& directory);

// Runs the point (resuming from its checkpoints with `restart`; with `overwrite`, clearing a
// point directory that holds another input's results, as `glassland run --overwrite`) and returns
// its final record. The task's stdout and stderr go to the point's run.log while it runs.
PointStatus run_point(const SweepPlan& plan, const SweepPoint& point, const TaskRunner& run_task,
                      const SweepRanks& ranks, bool restart, bool overwrite);

}  // namespace glassland
