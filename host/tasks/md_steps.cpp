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
      next_segment_(next_segment),
      faults_(batch.n_replicas),
      active_("md_steps::active", batch.n_replicas),
      reported_(batch.n_replicas, 0) {
  for (int r = 0; r < batch.n_replicas; ++r)
    if (run.has_failed(r)) {
      reported_[r] = 1;
      if (results_ != nullptr)
        results_->stop_replica(r);
    }
  set_active(std::vector<int>(batch.n_replicas, 1));
}

void MdSteps::set_active(const std::vector<int>& mask) {
  std::vector<int> allowed = mask;
  for (int r = 0; r < batch_.n_replicas; ++r)
    if (reported_[r])
      allowed[r] = 0;
  const ReplicaInts stage_mask = make_replica_ints(allowed, "md_steps::stage_mask");
  // Replicas flagged since the last reading stay stopped too: the flags are on the device.
  auto active = active_;
  auto cause = faults_.cause;
  Kokkos::parallel_for(
      "md_steps::combine_masks", Kokkos::RangePolicy<ExecSpace>(0, batch_.n_replicas),
      KOKKOS_LAMBDA(int r) { active(r) = stage_mask(r) != 0 && cause(r) == 0 ? 1 : 0; });
}

void MdSteps::setup() {
  integrator_.setup(batch_, force_field_, active_);
  check_dynamics_faults(batch_, integrator_, active_, true, limits_, faults_);
  read_faults();
}

void MdSteps::check() {
  check_dynamics_faults(batch_, integrator_, active_, false, limits_, faults_);
  read_faults();
}

void MdSteps::run(int64_t& step, int64_t last_step, Progress& progress, const Hooks& hooks) {
  const OutputSettings& out = run_.output();
  while (step < last_step && !(hooks.finished_early && hooks.finished_early())) {
    const int64_t next = step + 1;
    const bool energies =
        hooks.energies_needed ? hooks.energies_needed(next) : next % out.thermo_stride == 0;
    integrator_.step(batch_, force_field_, active_, energies);
    check_dynamics_faults(batch_, integrator_, active_, energies, limits_, faults_);
    step = next;
    const bool meeting =
        hooks.meeting_point
            ? hooks.meeting_point(step)
            : energies || (results_ != nullptr
                               ? results_->frame_due(step)
                               : out.trajectory_stride > 0 && step % out.trajectory_stride == 0);
    if (meeting)
      read_faults();
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
  read_faults();
}

void MdSteps::checkpoint() {
  read_faults();
  if (results_ != nullptr)
    results_->close_segment();
  ++next_segment_;
  run_.write_checkpoint(stage_);
  force_field_.reset();
  setup();
  if (results_ != nullptr)
    results_->start_segment(next_segment_);
}

void MdSteps::read_faults() {
  const FaultContext context{stage_.name(), integrator_.settings().timestep, limits_};
  for (const FaultRecord& fault : glassland::read_faults(faults_)) {
    if (reported_[fault.replica])
      continue;
    reported_[fault.replica] = 1;
    if (results_ != nullptr)
      results_->stop_replica(fault.replica);
    if (replica_failed)
      replica_failed(fault.replica);
    run_.record_failure(diagnose_fault(fault, batch_, context), batch_.n_replicas);
  }
}

}  // namespace glassland
