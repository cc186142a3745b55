// The dynamics of `task: metad` (SPEC.md §5; papers 000 and 001), as three stages:
//   velocities     Maxwell–Boltzmann velocities, seed + the tracer's atom id, so a tracer's run
//                  does not depend on its batch slot;
//   equilibration  optional unbiased NPT (SPEC.md §5: sampling in NVT after NPT equilibration),
//                  recorded to equilibration.h5; not checkpointed (a run killed here repeats it);
//   sampling       biased NVT (Nosé–Hoover), one hop-distance or cluster-RMSD CV per replica,
//                  hills every pace steps, each tracer's configuration kept every snapshot_stride
//                  steps until its first event is confirmed at a deposition meeting point;
//                  checkpointed (checkpoint.h5) with everything the later stages depend on.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "host/tasks/md_recorder.hpp"
#include "host/tasks/md_steps.hpp"
#include "host/tasks/metad/metad_state.hpp"
#include "host/tasks/stage.hpp"

namespace glassland {

class VelocitiesStage : public Stage {
 public:
  explicit VelocitiesStage(MetadState& state) : s_(state) {}
  std::string name() const override { return "velocities"; }
  void run(TaskRun& run) override;

 private:
  MetadState& s_;
};

class EquilibrationStage : public Stage {
 public:
  explicit EquilibrationStage(MetadState& state) : s_(state) {}
  std::string name() const override { return "equilibration"; }
  void run(TaskRun& run) override;

 private:
  MetadState& s_;
};

class SamplingStage : public Stage {
 public:
  explicit SamplingStage(MetadState& state) : s_(state), active_(state.n, 1) {}
  std::string name() const override { return "sampling"; }
  std::string checkpoint_file() const override { return "checkpoint.h5"; }
  void save(Checkpoint& c) const override;
  void resume(const Checkpoint& c) override;
  void run(TaskRun& run) override;

 private:
  // CVs anchored at the configuration sampling starts from.
  std::vector<CvDefinition> define_cvs() const;
  // The bias on `definitions` (anchored now unless restored) and the NVT integrator.
  void build_sampler(const std::vector<CvDefinition>& definitions, bool anchor);
  void restore_energies(const Checkpoint& c);
  void restore_bias_and_tracers(const Checkpoint& c);
  // Per-step work of the sampling loop.
  void record_sample(int64_t step);
  void keep_configurations(int64_t step);
  void deposit_and_check_events(int64_t step, MdSteps& steps);
  void stop_tracer(int r);
  void fail_tracer(int r);

  MetadState& s_;
  std::unique_ptr<MdIntegrator> integrator_;
  std::vector<int> active_;  // 1: tracer still sampling
  int n_stopped_ = 0;
  int64_t step_ = 0;
  int next_segment_ = 0;
  bool resumed_ = false;
  // Valid during run().
  SegmentedResults* results_ = nullptr;
  std::unique_ptr<Thermo> thermo_;
  FrameStorage frame_storage_;
};

}  // namespace glassland
