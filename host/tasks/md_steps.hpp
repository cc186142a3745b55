// The time-step loop every MD stage shares (md's run, prepare's protocol stages, metad's
// equilibration and sampling): integrate one step, let the stage record and act on it, take a
// checkpoint when one is due, report progress.
//
// Checkpoints are taken the same way everywhere: close the results part, write the stage's
// checkpoint (TaskRun::write_checkpoint), then restart the force evaluation from scratch exactly
// as a restarted run will (new neighbour lists, forces recomputed), and open the next part. So a
// run killed at any moment and restarted with --restart repeats the uninterrupted run bitwise
// (host/tasks/segmented_results.hpp explains the parts).
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
  };

  // `results`: the parts the checkpoints close and open (nullptr: the stage records none);
  // `next_segment`: the stage's count of them, which its checkpoints save (a checkpoint closes
  // part next_segment − 1 and opens part next_segment).
  MdSteps(TaskRun& run, const Stage& stage, Batch& batch, ForceField& force_field,
          MdIntegrator& integrator, SegmentedResults* results, int& next_segment);

  // Replicas integrated (empty: all). Set it again whenever the mask changes.
  ReplicaInts active;

  // Advances `step` (the stage's own counter, which its checkpoints save) to `last_step` or until
  // Hooks::finished_early, updating `progress`.
  void run(int64_t& step, int64_t last_step, Progress& progress, const Hooks& hooks);
  // Forces, energies and virial of the current configuration: the integrator's setup.
  void setup();
  // A checkpoint now (see the file comment).
  void checkpoint();

 private:
  TaskRun& run_;
  const Stage& stage_;
  Batch& batch_;
  ForceField& force_field_;
  MdIntegrator& integrator_;
  SegmentedResults* results_;
  int& next_segment_;
};

}  // namespace glassland
