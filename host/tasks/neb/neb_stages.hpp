// The stages of `task: neb` (docs/neb.md "task: neb"): minimise endpoints → interpolate → relax
// bands → shear response → outputs → report, and the bands they work on.
// host/tasks/neb/neb_task.cpp reads the input and runs them; TaskRun (host/tasks/task_run.hpp)
// gives them their checkpoint, resume, progress line and messages.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "host/io/batch_io.hpp"
#include "host/tasks/neb/neb_settings.hpp"
#include "host/tasks/stage.hpp"
#include "host/tasks/task_system.hpp"
#include "kernels/batch.hpp"
#include "kernels/force_field.hpp"
#include "saddle/neb_band.hpp"
#include "saddle/neb_shear.hpp"

namespace glassland {

// Every endpoint pair as one band of n_images images in one batch (replicas b·M … b·M + M − 1
// are band b), and what the stages find about them.
struct NebBands {
  NebBands(const SystemPotential& system, const NebTaskSettings& settings);
  Batch batch;
  ForceField force_field;
  int n_bands = 0, n_images = 0;
  nlohmann::json endpoint_records = nlohmann::json::array();  // neb.minimize_endpoints
  nlohmann::json idpp_records = nlohmann::json::array();      // interpolation "idpp"
  int64_t sweeps = 0;               // lock-step iterations of the whole batch
  std::vector<BandResult> results;  // relax bands
  // Per band, at every host check while it ran: (iteration, largest force eV/Å, highest image
  // above the initial state eV). How a band got where it is, above all one that did not converge.
  std::vector<std::vector<std::array<double, 3>>> force_history;
  BatchSnapshot final_bands;           // the relaxed bands (neb.write_saddles)
  std::optional<ShearResponse> shear;  // shear response
  nlohmann::json shear_summary;
  std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
  double seconds = 0.0;  // wall time from the start (or the restart) to the outputs
};

// Stage "minimise endpoints": both endpoints of every band (FIRE); an endpoint that did not
// converge is a warning on stderr (a band between unminimised endpoints is no barrier).
void minimize_endpoints(const NebTaskSettings& settings, NebBands& bands);

// Stage "interpolate": the initial path, linear or IDPP.
void interpolate_bands(const NebTaskSettings& settings, NebBands& bands);

// Stage "relax bands": the climbing-image NEB of every band (NebRunner). With
// output.checkpoint_stride the run advances in chunks that end on every checkpoint, so that a
// restarted run advances in the same chunks as the uninterrupted one, and the force field is
// reset after each checkpoint in both runs (new neighbour lists). When the shear response
// follows, a checkpoint of the relaxed bands is also written at the end: an interrupted shear
// response restarts from its beginning.
class NebRelaxStage : public Stage {
 public:
  NebRelaxStage(const NebTaskSettings& settings, NebBands& bands)
      : settings_(settings), bands_(bands), runner_(settings.neb) {}
  std::string name() const override { return "relax bands"; }
  std::string checkpoint_file() const override { return "checkpoint.h5"; }
  void save(Checkpoint& checkpoint) const override;
  void resume(const Checkpoint& checkpoint) override;
  void run(TaskRun& run) override;

 private:
  void record_failed_bands(TaskRun& run) const;

  const NebTaskSettings& settings_;
  NebBands& bands_;
  NebRunner runner_;
  bool resumed_ = false;
};

// Stage "shear response" (neb.shear): every band sheared from the relaxed bands (paper 003).
void shear_bands(TaskRun& run, const NebTaskSettings& settings, NebBands& bands);

// Stage "outputs": neb.json, results.h5, saddle_NNNN.data (neb.write_saddles) and
// jump_NNNN_final.data (jump bands); sets bands.seconds.
void write_neb_outputs(TaskRun& run, const SystemPotential& system, const NebTaskSettings& settings,
                       NebBands& bands);

// Stage "report": bands that did not converge (loud even when quiet: their barrier is not a
// saddle energy), then every band's barriers and the shear summary.
void report_bands(const TaskRun& run, const NebTaskSettings& settings, const NebBands& bands);

}  // namespace glassland
