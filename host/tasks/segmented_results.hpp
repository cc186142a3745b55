// The results of an MD task written as one segment per checkpoint interval (SPEC.md §11).
//
// Why segments: HDF5 can leave a file unreadable when a process is killed inside a flush
// (host/io/hdf5_file.hpp measures about 1 in 100 such kills). Each checkpoint interval therefore
// writes its own file, STEM.parts/part_NNNN.h5, closed when the checkpoint is taken; a restart
// deletes the part that was open when the run died and rewrites it from the checkpoint, so no
// record is lost, duplicated or left half-written. At the end the parts are merged (each file
// written atomically) into
//
//   STEM.h5                the thermo observables (observables/<name>), H5MD header, parameters
//   TRAJECTORY.h5md        the H5MD trajectory frames (particles/replica_NNNN), when any were
//                          written: trajectory.h5md for STEM "results", else STEM_trajectory.h5md
//
// and the parts are removed. The trajectory has a file of its own so that readers which take
// observables to be sampled with the frames (MDAnalysis's H5MDReader indexes observables by frame)
// never pair a frame with a record of another step. No group is written without a record in it.
//
// LAMMPS dump frames (output.dump_stride) go straight to DIRECTORY/dump/PREFIXNNNN.lammpstrj
// (PREFIX "replica_", or "STEM_replica_"), readable while the run goes on. Each part remembers
// the size the dump files had when it started (STEM.parts/dump_sizes_NNNN.json); a restart cuts
// the files back to the sizes of the part it rewrites, so a dump too has no lost or repeated
// frame, and closing a part (at a checkpoint) syncs the dumps to disk.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "host/io/h5md_writer.hpp"
#include "host/io/lammps_dump_writer.hpp"
#include "host/tasks/output_settings.hpp"
#include "host/tasks/task_system.hpp"

namespace glassland {

// Names of the per-replica thermo observables recorded by record_thermo, with units.
const std::vector<H5mdObservableSet::Column>& thermo_columns();

class SegmentedResults {
 public:
  // What a task's results hold besides the thermo records.
  struct Layout {
    int n_replicas = 0, n_atoms = 0;
    H5mdAtoms atoms;                // species, IDs, masses for the H5MD trajectory
    H5mdOptions h5md;               // author and trajectory contents
    LammpsDumpAtoms dump_atoms;     // IDs and data-file types for the dump
    int64_t trajectory_stride = 0;  // 0: no H5MD frames
    int64_t dump_stride = 0;        // 0: no dump
  };
  // Parts go to DIRECTORY/STEM.parts/, merged into DIRECTORY/STEM.h5 and the trajectory file.
  SegmentedResults(std::string directory, Layout layout, nlohmann::json effective_configuration,
                   std::string stem = "results");
  // The results of a task's batch: species named after the potential's elements (1-based, its
  // order), data-file types for the dump, strides and contents from the output settings, atom
  // images always.
  static SegmentedResults for_batch(const OutputSettings& out, const TaskSystem& system,
                                    nlohmann::json effective_configuration,
                                    std::string stem = "results");
  // Opens part `index` (deleting that part and any later ones left by an interrupted run) and
  // cuts the dump back to where it was when part `index` began.
  void start_segment(int index);
  int segment_index() const { return segment_; }
  // Closes the open part and syncs the dump: everything recorded so far is on disk for good.
  void close_segment();
  void record_thermo(int64_t step, double time, const std::vector<std::vector<double>>& values);
  // Whether a frame is due at `step`: an H5MD frame (trajectory_stride) or a dump frame
  // (dump_stride).
  bool frame_due(int64_t step) const;
  // Writes `frame` to the H5MD trajectory and to the dump, each where due at frame.step.
  void record_frame(const TrajectoryFrame& frame);
  // Replica r failed (host/tasks/replica_failures.hpp): its thermo values, further observables
  // and trajectory frames are NaN from now on (its numbers stopped meaning anything; faults.json
  // says why).
  void stop_replica(int r);
  // Per replica, whether it was stopped.
  std::vector<bool> stopped_replicas() const;
  // Further per-replica observables with times of their own (md's inherent-structure series):
  // declared before the first part is opened; returns the set's index for record_observables.
  // Names may contain '/' (observables/<group>/<name>).
  int add_observable_set(std::vector<H5mdObservableSet::Column> columns);
  void record_observables(int set, int64_t step, double time,
                          const std::vector<std::vector<double>>& values);
  // Merges every part into DIRECTORY/STEM.h5 and the trajectory file (atomically), removes the
  // parts; returns the path of STEM.h5.
  std::string merge();
  // The merged trajectory file, or "" when no H5MD frame was written.
  const std::string& trajectory_path() const { return trajectory_path_; }

 private:
  std::string part_path(int index) const;
  std::string dump_sizes_path(int index) const;
  std::string parts_directory() const;
  void restore_dump(int index);
  void merge_observables(const std::string& target) const;
  void merge_trajectory(const std::string& target) const;
  // `values` (column × replica) with the stopped replicas' entries NaN.
  std::vector<std::vector<double>> without_stopped(
      const std::vector<std::vector<double>>& values) const;
  // Writes `frame` to the H5MD trajectory and the dump, each where due.
  void append_frame(const TrajectoryFrame& frame);

  std::string directory_;
  std::string stem_;
  Layout layout_;
  nlohmann::json configuration_;
  int segment_ = -1;
  std::vector<int> stopped_;  // replicas whose records are NaN
  std::unique_ptr<hdf5::File> file_;
  std::unique_ptr<H5mdTrajectory> trajectory_;
  std::unique_ptr<H5mdObservableSet> thermo_;
  std::unique_ptr<LammpsDumpWriter> dump_;
  std::string trajectory_path_;
  std::vector<std::vector<H5mdObservableSet::Column>> extra_columns_;
  std::vector<std::unique_ptr<H5mdObservableSet>> extra_;  // created with their first record
};

}  // namespace glassland
