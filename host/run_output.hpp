// What every long-running task shares: the "output" section, progress reports, the results
// file written as one segment per checkpoint interval, and checkpoint helpers for the batch and
// the integrator (SPEC.md §11; issue 3 items 5–7).
//
// Why segments: HDF5 can leave a file unreadable when a process is killed inside a flush
// (host/hdf5_file.hpp measures about 1 in 100 such kills). Each checkpoint interval therefore
// writes its own file, results.parts/part_NNNN.h5, closed when the checkpoint is taken; a restart
// deletes the part that was open when the run died and rewrites it from the checkpoint, so no
// record is lost, duplicated or left half-written. At the end the parts are merged into
// results.h5 (written atomically) and removed.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "host/atomic_file.hpp"
#include "host/h5md_writer.hpp"
#include "host/json_input.hpp"
#include "kernels/batch.hpp"
#include "kernels/md_integrator.hpp"

namespace glassland {

struct OutputSettings {
  std::string directory;
  int64_t thermo_stride = 100;     // steps between thermo records
  int64_t trajectory_stride = 0;   // steps between trajectory frames; 0: none
  int64_t checkpoint_stride = 0;   // steps between checkpoints; 0: none
  bool velocities = false;         // trajectory frames carry velocities
  bool forces = false;             // trajectory frames carry forces
  bool quiet = false;              // no progress lines
  double progress_interval = 5.0;  // s between progress lines
};

// Reads input["output"].
OutputSettings read_output_settings(InputObject& input, const std::string& default_directory);

// Progress lines on stderr: percent, steps/s, atom-steps/s (all replicas), time left.
class Progress {
 public:
  // `unit`: what is counted ("step" by default; e.g. "shot round"); with atoms_per_step = 0 no
  // atom-steps rate is printed.
  Progress(std::string label, int64_t total_steps, int64_t atoms_per_step, double interval_s,
           bool quiet, std::string unit = "step");
  void update(int64_t steps_done);
  void finish(int64_t steps_done);

 private:
  // separator + "N atom-steps/s", or "" without atoms
  std::string atom_steps(double rate, const char* separator) const;
  std::string label_;
  int64_t total_steps_;
  int64_t atoms_per_step_;
  double interval_s_;
  bool quiet_;
  std::string unit_;
  int64_t first_steps_ = -1;
  std::chrono::steady_clock::time_point start_, last_print_;
};

// Names of the per-replica thermo observables recorded by record_thermo, with units.
const std::vector<H5mdObservableSet::Column>& thermo_columns();

class SegmentedResults {
 public:
  // Parts go to DIRECTORY/STEM.parts/, merged into DIRECTORY/STEM.h5.
  SegmentedResults(std::string directory, int n_replicas, int n_atoms, std::vector<int32_t> species,
                   H5mdOptions options, nlohmann::json effective_configuration,
                   std::string stem = "results");
  // The results of a task's batch: species from the batch's elements (1-based, the potential's
  // order), trajectory contents from the output settings, atom images always.
  static SegmentedResults for_batch(const OutputSettings& out, const Batch& batch,
                                    nlohmann::json effective_configuration,
                                    std::string stem = "results");
  // Opens part `index` (deleting that part and any later ones left by an interrupted run).
  void start_segment(int index);
  int segment_index() const { return segment_; }
  // Closes the open part: everything recorded so far is on disk for good.
  void close_segment();
  void record_thermo(int64_t step, double time, const std::vector<std::vector<double>>& values);
  void record_frame(const TrajectoryFrame& frame);
  // Merges every part into DIRECTORY/STEM.h5 (atomically) and removes the parts.
  std::string merge();

 private:
  std::string part_path(int index) const;
  std::string directory_;
  std::string stem_;
  int n_replicas_, n_atoms_;
  std::vector<int32_t> species_;
  H5mdOptions options_;
  nlohmann::json configuration_;
  int segment_ = -1;
  std::unique_ptr<hdf5::File> file_;
  std::unique_ptr<H5mdTrajectory> trajectory_;
  std::unique_ptr<H5mdObservableSet> thermo_;
};

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

// Checkpoint entries of the batch (positions, images, velocities, boxes) and of an integrator's
// state, restored bitwise.
// A box as the nine numbers checkpoints store (lo x/y/z, lx, ly, lz, xy, xz, yz), and back.
std::vector<double> box_values(const Box& box);
Box box_from_values(const double* values);

void save_batch(Checkpoint& checkpoint, const Batch& batch);
void load_batch(const Checkpoint& checkpoint, Batch& batch);
void save_integrator_state(Checkpoint& checkpoint, const IntegratorState& state);
void load_integrator_state(const Checkpoint& checkpoint, const IntegratorState& state);

}  // namespace glassland
