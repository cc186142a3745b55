// The run of one task: the plumbing every task shares, so that a driver is its stages and
// nothing else (host/tasks/stage.hpp; docs/architecture.md).
//
//  * The output directory, created with effective_input.json (the configuration with every
//    default filled in) written into it first. A fresh run refuses a directory that holds
//    another run's results unless --overwrite clears it (host/tasks/run_directory.hpp).
//  * Stages run in order, each in a Kokkos profiling region "glassland::<task>::<stage>", so
//    Nsight Systems and Kokkos Tools timelines read like the protocol.
//  * Checkpoints: a stage that can be resumed names its checkpoint file and saves what it and the
//    later stages need; TaskRun adds the task, the stage, the input file and the batch's shape,
//    and writes the file atomically. With --restart the last stage whose checkpoint is on disk
//    resumes from it and the stages before it are passed over (their outputs are written, and
//    what the later stages need of them is in that checkpoint). A checkpoint written for another
//    task, stage set, system or input (restart_exceptions() aside) is an input error naming the
//    file and the keys.
//  * A write that fails (disk full, file-size limit, permissions: host/io/file_write_error.hpp)
//    ends the run with one error naming the file, what is intact and how to continue.
//  * Messages on stderr prefixed with the task's name, and progress lines, both silenced by
//    --quiet / output.quiet. Results and warnings are the stages' own.
//  * Replica failures (host/tasks/replica_failures.hpp): the stages record them; the log is
//    saved in every checkpoint and restored with it; after the last stage it is written to
//    faults.json, named on stderr, and ReplicasFailed is thrown (the program's exit code says
//    that some replicas failed). When every replica has failed the run ends there, with an error
//    naming each one.
//  * With RunOptions::check_only the input has been read and validated by the time the driver
//    constructs its TaskRun: nothing is created or written, and run() returns before any stage.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "host/tasks/output_settings.hpp"
#include "host/tasks/progress.hpp"
#include "host/tasks/replica_failures.hpp"
#include "host/tasks/stage.hpp"
#include "host/tasks/task_drivers.hpp"

namespace glassland {

class TaskRun {
 public:
  // The output directory is prepared when the stages run (run(); not with check_only).
  TaskRun(std::string task, OutputSettings output, RunOptions options,
          const nlohmann::json& effective_input);

  // The shape of the batch the checkpoints hold; a checkpoint of another shape is refused.
  void set_system_shape(int n_replicas, int n_atoms);

  // Runs the stages in order, or from the resumed one on (see the file comment); with check_only,
  // none.
  void run(const std::vector<Stage*>& stages);

  const std::string& task() const { return task_; }
  const OutputSettings& output() const { return output_; }
  const RunOptions& options() const { return options_; }
  bool quiet() const { return output_.quiet; }
  // The configuration with every default filled in (results files carry it too).
  const nlohmann::json& effective_input() const { return effective_input_; }
  // A file in the output directory.
  std::string path(const std::string& file) const;

  // "<task>: <text>" on stderr unless quiet.
  void say(const std::string& text) const;
  // A progress line labelled "<task>" or "<task> <what>", at the output's interval.
  Progress progress(const std::string& what, int64_t total, int64_t atoms_per_step,
                    const std::string& unit = "step") const;

  // Writes `stage`'s checkpoint now (atomically): its save() plus the run's metadata.
  void write_checkpoint(const Stage& stage) const;
  // Removes `stage`'s checkpoint file (the stage is done; its outputs replace it).
  void remove_checkpoint(const Stage& stage) const;

  // Records a failure and says so on stderr (even when quiet). When `out_of` replicas of its
  // unit have now failed, writes faults.json and throws ReplicasFailed naming them all.
  void record_failure(const ReplicaFailure& failure, int out_of);
  // Whether replica (search, band) `replica` of `unit` has failed.
  bool has_failed(int replica, const std::string& unit = "replica") const;
  const std::vector<ReplicaFailure>& failures() const { return failures_; }

 private:
  // With --restart: the index of the stage to resume and its checkpoint, or none.
  struct ResumePoint {
    size_t stage = 0;
    std::unique_ptr<Checkpoint> checkpoint;
  };
  ResumePoint find_resume_point(const std::vector<Stage*>& stages) const;
  void run_stages(const std::vector<Stage*>& stages);
  // After a FileWriteError: what is intact and how to go on.
  std::string after_write_failure(const std::vector<Stage*>& stages) const;
  void prepare_directory(bool resuming) const;
  void check_checkpoint(const Checkpoint& checkpoint) const;
  // faults.json with the log (none: a stale one is removed).
  void write_failures() const;
  // After the last stage: the closing summary of the failures and ReplicasFailed.
  void report_failures() const;

  std::string task_;
  OutputSettings output_;
  RunOptions options_;
  nlohmann::json effective_input_;
  int n_replicas_ = -1, n_atoms_ = -1;
  std::vector<ReplicaFailure> failures_;
};

}  // namespace glassland
