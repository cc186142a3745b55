// The optional recrossing stage of `task: metad` (metad.transmission): reactive-flux shots from
// every event's saddle (cv/transmission_coefficient.hpp), all tracers in one batch, starting
// from each event's configuration before the event; κ and κ·rate into results.h5 and
// summary.json. Checkpointed (transmission_checkpoint.h5) at its start and after every round of
// shots when checkpoints are on; a run killed here resumes without sampling again.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "cv/transmission_coefficient.hpp"
#include "host/tasks/metad/metad_state.hpp"
#include "host/tasks/output_settings.hpp"
#include "host/tasks/stage.hpp"

namespace glassland {

// All a restart of the stage needs besides the batch: per tracer its CV, the dividing surface
// of its event (undefined without one), its TST rate and its seed.
struct TransmissionJob {
  int64_t biased_steps = 0;  // of the sampling, for the final printout
  std::vector<CvDefinition> cvs;
  std::vector<DividingSurface> surfaces;
  std::vector<double> rates;  // s⁻¹, NaN without an event
  std::vector<uint64_t> seeds;
};

class TransmissionStage : public Stage {
 public:
  explicit TransmissionStage(MetadState& state) : s_(state) {}
  std::string name() const override { return "transmission"; }
  std::string checkpoint_file() const override { return "transmission_checkpoint.h5"; }
  void save(Checkpoint& c) const override;
  void resume(const Checkpoint& c) override;
  void run(TaskRun& run) override;

 private:
  // The job from the analysed events; the batch is set to each event's configuration before it.
  void prepare_job();
  ShootingDynamics shooting_dynamics() const;
  ReactiveFluxSettings flux_settings(const OutputSettings& out) const;
  std::vector<TransmissionEstimate> shoot(TaskRun& run);
  void write_results(TaskRun& run, const std::vector<TransmissionEstimate>& estimates);

  MetadState& s_;
  TransmissionJob job_;
  bool resumed_ = false;
  std::unique_ptr<ReactiveFluxProgress> saved_;     // the shots of the resumed run so far
  const ReactiveFluxProgress* progress_ = nullptr;  // the round a checkpoint now records
};

}  // namespace glassland
