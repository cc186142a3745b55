#include "host/tasks/md_steps.hpp"

namespace glassland {

MdSteps::MdSteps(TaskRun& run, const Stage& stage, Batch& batch, ForceField& force_field,
                 MdIntegrator& integrator, SegmentedResults* results, int& next_segment)
    : run_(run),
      stage_(stage),
      batch_(batch),
      force_field_(force_field),
      integrator_(integrator),
      results_(results),
      next_segment_(next_segment) {}

void MdSteps::setup() {
  integrator_.setup(batch_, force_field_, active);
}

void MdSteps::run(int64_t& step, int64_t last_step, Progress& progress, const Hooks& hooks) {
  const OutputSettings& out = run_.output();
  while (step < last_step && !(hooks.finished_early && hooks.finished_early())) {
    const int64_t next = step + 1;
    const bool energies =
        hooks.energies_needed ? hooks.energies_needed(next) : next % out.thermo_stride == 0;
    integrator_.step(batch_, force_field_, active, energies);
    step = next;
    if (hooks.after_step)
      hooks.after_step(step);
    const bool due =
        hooks.checkpoint_due
            ? hooks.checkpoint_due(step)
            : out.checkpoint_stride > 0 && step % out.checkpoint_stride == 0 && step < last_step;
    if (due)
      checkpoint();
    progress.update(step);
  }
}

void MdSteps::checkpoint() {
  if (results_ != nullptr)
    results_->close_segment();
  ++next_segment_;
  run_.write_checkpoint(stage_);
  force_field_.reset();
  setup();
  if (results_ != nullptr)
    results_->start_segment(next_segment_);
}

}  // namespace glassland
