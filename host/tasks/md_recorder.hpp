// What an MD stage records each step: thermo every thermo_stride, H5MD and dump frames at their
// strides, into the task's segmented results; and, where the task asks, thermo lines on stdout.
#pragma once

#include <cstdint>
#include <cstdio>
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
  std::vector<double> edges, origins, positions, velocities, forces;
  std::vector<int32_t> images;
};
TrajectoryFrame make_frame(const Batch& batch, int64_t step, double time, FrameStorage& storage);

// Thermo lines on stdout, like LAMMPS's `thermo N`: a header once, then at every printed record
// one line per replica: step, time (ps), replica, T (K), P (bar), V (Å³), PE, KE, E_conserved (eV).
// A failed replica's line says FAILED instead of its numbers (host/tasks/replica_failures.hpp).
class ThermoPrinter {
 public:
  explicit ThermoPrinter(std::FILE* out = stdout) : out_(out) {}
  void print(int64_t step, double time, const std::vector<std::vector<double>>& values,
             const std::vector<bool>& failed = {});

 private:
  std::FILE* out_;
  bool header_printed_ = false;
};

// Records a step of an MD run: thermo every thermo_stride, frames where due (SegmentedResults),
// and thermo lines every thermo_print_stride when print_thermo is set (task md).
class MdRecorder {
 public:
  MdRecorder(const OutputSettings& out, double timestep, int n_replicas, bool print_thermo = false)
      : out_(out), timestep_(timestep), thermo_(n_replicas), print_thermo_(print_thermo) {}
  void record(int64_t step, const Batch& batch, const MdIntegrator& integrator,
              SegmentedResults& results);

 private:
  OutputSettings out_;
  double timestep_;
  Thermo thermo_;
  FrameStorage frame_storage_;
  bool print_thermo_;
  ThermoPrinter printer_;
};

}  // namespace glassland
