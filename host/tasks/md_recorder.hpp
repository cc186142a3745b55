// What an MD stage records each step: thermo every thermo_stride and a trajectory frame every
// trajectory_stride, into the task's segmented results.
#pragma once

#include <cstdint>
#include <vector>

#include "host/tasks/output_settings.hpp"
#include "host/tasks/segmented_results.hpp"
#include "kernels/batch.hpp"
#include "kernels/md_integrator.hpp"

namespace glassland {

// Thermo values per column (thermo_columns() order) from an MdIntegrator's Thermo and the batch.
std::vector<std::vector<double>> thermo_values(const Batch& batch, const Thermo& thermo);

// One trajectory frame of the whole batch (host copies kept alive in `storage`).
struct FrameStorage {
  std::vector<double> edges, positions, velocities, forces;
  std::vector<int32_t> images;
};
TrajectoryFrame make_frame(const Batch& batch, int64_t step, double time, FrameStorage& storage);

// Records a step of an MD run: thermo every thermo_stride, a trajectory frame every
// trajectory_stride.
class MdRecorder {
 public:
  MdRecorder(const OutputSettings& out, double timestep, int n_replicas)
      : out_(out), timestep_(timestep), thermo_(n_replicas) {}
  void record(int64_t step, const Batch& batch, const MdIntegrator& integrator,
              SegmentedResults& results);

 private:
  OutputSettings out_;
  double timestep_;
  Thermo thermo_;
  FrameStorage frame_storage_;
};

}  // namespace glassland
