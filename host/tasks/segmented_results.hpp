// The results file of a task written as one segment per checkpoint interval (SPEC.md §11).
//
// Why segments: HDF5 can leave a file unreadable when a process is killed inside a flush
// (host/io/hdf5_file.hpp measures about 1 in 100 such kills). Each checkpoint interval therefore
// writes its own file, results.parts/part_NNNN.h5, closed when the checkpoint is taken; a restart
// deletes the part that was open when the run died and rewrites it from the checkpoint, so no
// record is lost, duplicated or left half-written. At the end the parts are merged into
// results.h5 (written atomically) and removed.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "host/io/h5md_writer.hpp"
#include "host/tasks/output_settings.hpp"
#include "kernels/batch.hpp"

namespace glassland {

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
  // Further per-replica observables with times of their own (md's inherent-structure series):
  // declared before the first part is opened; returns the set's index for record_observables.
  // Names may contain '/' (observables/<group>/<name>).
  int add_observable_set(std::vector<H5mdObservableSet::Column> columns);
  void record_observables(int set, int64_t step, double time,
                          const std::vector<std::vector<double>>& values);
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
  std::vector<std::vector<H5mdObservableSet::Column>> extra_columns_;
  std::vector<H5mdObservableSet> extra_;
};

}  // namespace glassland
