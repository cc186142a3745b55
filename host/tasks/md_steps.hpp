// The time-step loop every MD stage shares (md's run, prepare's protocol stages, metad's
// equilibration and sampling): integrate one step, let the stage record and act on it, take a
// checkpoint when one is due, report progress.
//
// Checkpoints are taken the same way everywhere: close the results part, write the stage's
// checkpoint (TaskRun::write_checkpoint), then restart the force evaluation from scratch exactly
// as a restarted run will (new neighbour lists, forces recomputed), and open the next part. So a
// run killed at any moment and restarted with --restart repeats the uninterrupted run bitwise
// (host/tasks/segmented_results.hpp explains the parts).
//
// Faults (issue 16; kernels/replica_faults.hpp): every step is followed by the device's fault
// check, which stops a replica that blew up in that very step; the flags are read where the host
// meets the device anyway (thermo records, frames, the stage's own meeting points, checkpoints,
// setup and the end of the loop). A failed replica is recorded with TaskRun::record_failure, its
// records from then on are NaN (SegmentedResults::stop_replica), and it stays stopped in every
// later stage of the run, a restarted one included; the others go on bitwise as without it.
#pragma once

#include <cstdint>
#include <functional>

#include "host/tasks/progress.hpp"
#include "host/tasks/segmented_results.hpp"
#include "host/tasks/stage.hpp"
#include "host/tasks/task_run.hpp"
#include "kernels/batch.hpp"
#include "kernels/force_field.hpp"
#include "kernels/md_integrator.hpp"
#include "kernels/replica_faults.hpp"

namespace glassland {

class MdSteps {
 public:
  // What a stage does around each step; every member is optional.
  struct Hooks {
    // Whether the step must compute energies and the virial (default: a thermo record is due).
    std::function<bool(int64_t step)> energies_needed;
    // The stage's records and work at the new step (thermo, frames, deposition, stops, ...).
    std::function<void(int64_t step)> after_step;
    // Whether a checkpoint is due after the step (default: at the output's checkpoint_stride,
    // never at the last step).
    std::function<bool(int64_t step)> checkpoint_due;
    // Whether the loop ends before its last step (e.g. every tracer stopped).
    std::function<bool()> finished_early;
    // Whether the host meets the device after the step, so that the fault flags are read there
    // (default: energies were computed or a frame, H5MD or dump, is due).
    std::function<bool(int64_t step)> meeting_point;
  };

  // `results`: the parts the checkpoints close and open (nullptr: the stage records none);
  // `next_segment`: the stage's count of them, which its checkpoints save (a checkpoint closes
  // part next_segment − 1 and opens part next_segment).
  MdSteps(TaskRun& run, const Stage& stage, Batch& batch, ForceField& force_field,
          MdIntegrator& integrator, SegmentedResults* results, int& next_segment);

  // The stage's mask (1: integrate this replica), set again whenever it changes. Replicas that
  // failed stay stopped whatever it says.
  void set_active(const std::vector<int>& mask);
  // The mask the integrator is given: the stage's, less the failed replicas.
  const ReplicaInts& active() const { return active_; }
  // Called with a replica's index when it has failed (before TaskRun records it).
  std::function<void(int replica)> replica_failed;

  // Advances `step` (the stage's own counter, which its checkpoints save) to `last_step` or until
  // Hooks::finished_early, updating `progress`.
  void run(int64_t& step, int64_t last_step, Progress& progress, const Hooks& hooks);
  // Forces, energies and virial of the current configuration: the integrator's setup.
  void setup();
  // The fault check of the replicas as they stand, for a loop that starts without setup() (its
  // forces already computed): non-finite numbers and the next step's length, not the energies.
  void check();
  // A checkpoint now (see the file comment).
  void checkpoint();
  // Reads the fault flags and records the replicas that failed since the last reading.
  void read_faults();

 private:
  TaskRun& run_;
  const Stage& stage_;
  Batch& batch_;
  ForceField& force_field_;
  MdIntegrator& integrator_;
  SegmentedResults* results_;
  int& next_segment_;
  FaultLimits limits_;
  ReplicaFaults faults_;
  ReplicaInts active_;
  std::vector<int> reported_;  // 1: failed replicas already recorded
};

}  // namespace glassland
