#include "host/tasks/task_run.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>

#include <Kokkos_Core.hpp>

#include "host/io/atomic_file.hpp"
#include "host/io/checkpoint.hpp"
#include "host/io/file_write_error.hpp"
#include "host/io/input_error.hpp"
#include "host/tasks/run_directory.hpp"

namespace glassland {

namespace fs = std::filesystem;

namespace {

nlohmann::json read_json_file(const std::string& path) {
  std::ifstream in(path);
  return nlohmann::json::parse(in);
}

// A Kokkos profiling region for the lifetime of the object (popped on exceptions too).
class ProfilingRegion {
 public:
  explicit ProfilingRegion(const std::string& name) { Kokkos::Profiling::pushRegion(name); }
  ~ProfilingRegion() { Kokkos::Profiling::popRegion(); }
  ProfilingRegion(const ProfilingRegion&) = delete;
  ProfilingRegion& operator=(const ProfilingRegion&) = delete;
};

}  // namespace

TaskRun::TaskRun(std::string task, OutputSettings output, RunOptions options,
                 const nlohmann::json& effective_input)
    : task_(std::move(task)),
      output_(std::move(output)),
      options_(std::move(options)),
      effective_input_(effective_input) {
  if (options_.quiet || options_.check_only)
    output_.quiet = true;
}

void TaskRun::set_system_shape(int n_replicas, int n_atoms) {
  n_replicas_ = n_replicas;
  n_atoms_ = n_atoms;
}

std::string TaskRun::path(const std::string& file) const {
  return (fs::path(output_.directory) / file).string();
}

void TaskRun::say(const std::string& text) const {
  if (!output_.quiet)
    std::fprintf(stderr, "%s: %s\n", task_.c_str(), text.c_str());
}

Progress TaskRun::progress(const std::string& what, int64_t total, int64_t atoms_per_step,
                           const std::string& unit) const {
  return Progress(what.empty() ? task_ : task_ + " " + what, total, atoms_per_step,
                  output_.progress_interval, output_.quiet, unit);
}

void TaskRun::run(const std::vector<Stage*>& stages) {
  if (options_.check_only) {  // the driver has read and validated the whole input
    if (!options_.print_checked_input)
      return;
    std::printf("%s\n", effective_input_.dump(2).c_str());
    std::fprintf(stderr, "%s: %s is valid; nothing was run (--check)\n", task_.c_str(),
                 options_.input_path.c_str());
    return;
  }
  try {
    run_stages(stages);
  } catch (const FileWriteError& e) {
    throw FileWriteError(e.file(), e.reason(), after_write_failure(stages));
  }
  write_failures();
  report_failures();
}

// What a failed write left (issue 16 item 5): checkpoints are replaced atomically and results
// parts are cut back on restart, so the last checkpoint on disk is whole and --restart goes on
// from it.
std::string TaskRun::after_write_failure(const std::vector<Stage*>& stages) const {
  for (size_t k = stages.size(); k-- > 0;) {
    const std::string file = stages[k]->checkpoint_file();
    if (!file.empty() && fs::exists(path(file)))
      return "nothing is lost: the last checkpoint, " + path(file) +
             ", is intact; once the file can be written (free space, raise the file-size "
             "limit, fix the permissions), `glassland run " +
             options_.input_path + " --restart` continues from it";
  }
  return "no checkpoint was written yet; once the file can be written (free space, raise the "
         "file-size limit, fix the permissions), run again";
}

void TaskRun::run_stages(const std::vector<Stage*>& stages) {
  ResumePoint resume = find_resume_point(stages);
  prepare_directory(resume.checkpoint != nullptr);
  for (size_t k = resume.stage; k < stages.size(); ++k) {
    Stage& stage = *stages[k];
    const ProfilingRegion region("glassland::" + task_ + "::" + stage.name());
    if (resume.checkpoint && k == resume.stage) {
      say("restarting from " + resume.checkpoint->source() + " in stage " + stage.name());
      failures_.clear();
      for (const auto& record :
           resume.checkpoint->metadata().value("replica_failures", nlohmann::json::array()))
        failures_.push_back(ReplicaFailure::from_json(record));
      stage.resume(*resume.checkpoint);
      resume.checkpoint.reset();
    }
    stage.run(*this);
  }
}

TaskRun::ResumePoint TaskRun::find_resume_point(const std::vector<Stage*>& stages) const {
  ResumePoint point;
  if (!options_.restart)
    return point;
  // Files are read once each; stages sharing a file are told apart by the stage the file names.
  std::map<std::string, std::unique_ptr<Checkpoint>> read;
  for (size_t k = stages.size(); k-- > 0;) {
    const std::string file = stages[k]->checkpoint_file();
    if (file.empty() || !fs::exists(path(file)))
      continue;
    auto& checkpoint = read[file];
    if (!checkpoint) {
      checkpoint = std::make_unique<Checkpoint>(Checkpoint::read(path(file)));
      check_checkpoint(*checkpoint);
    }
    if (checkpoint->metadata().value("stage", "") != stages[k]->name())
      continue;
    point.stage = k;
    point.checkpoint = std::move(checkpoint);
    return point;
  }
  if (!read.empty()) {
    const std::string source = read.begin()->second->source();
    throw InputError(
        source + ": written in stage \"" + read.begin()->second->metadata().value("stage", "") +
        "\", which this input's " + task_ + " task does not have; remove it to start afresh");
  }
  say("no checkpoint in " + output_.directory + " yet; starting from the beginning");
  return point;
}

// A fresh run into a directory holding another run's results refuses it, unless --overwrite
// clears it first; a rerun of the same input (a finished run's --restart) overwrites its own
// results with the same ones.
void TaskRun::prepare_directory(bool resuming) const {
  const std::string previous = path("effective_input.json");
  if (!resuming && fs::exists(previous)) {
    std::vector<std::string> changes{"(unreadable effective_input.json)"};
    try {
      changes = changed_keys(read_json_file(previous), effective_input_, restart_exceptions());
    } catch (const std::exception&) {
    }
    if (options_.overwrite) {
      clear_output_directory(output_.directory, options_.input_path);
      say("--overwrite: removed the results of the previous run in " + output_.directory);
    } else if (!changes.empty()) {
      throw InputError(output_.directory + ": holds the results of another run (its " +
                       "effective_input.json differs in " + join_keys(changes) +
                       "); give --overwrite to replace them, or another output.directory");
    }
  }
  fs::create_directories(output_.directory);
  write_file_atomically(previous, effective_input_.dump(2) + "\n");
}

void TaskRun::check_checkpoint(const Checkpoint& checkpoint) const {
  if (checkpoint.metadata().value("task", "") != task_)
    throw InputError(checkpoint.source() + ": not a checkpoint of a " + task_ + " task");
  if (n_replicas_ >= 0 && (checkpoint.get_int64("run/n_replicas") != n_replicas_ ||
                           checkpoint.get_int64("run/n_atoms") != n_atoms_))
    throw InputError(checkpoint.source() +
                     ": written for another system (replicas or atoms differ from this input); "
                     "remove it to start afresh");
  if (!checkpoint.metadata().contains("effective_input"))
    throw InputError(checkpoint.source() +
                     ": written by an older glassland (it records no input); remove it, or run "
                     "without --restart and with --overwrite, to start afresh");
  const std::vector<std::string> changes = changed_keys(checkpoint.metadata().at("effective_input"),
                                                        effective_input_, restart_exceptions());
  if (!changes.empty())
    throw InputError(checkpoint.source() +
                     ": --restart with an input that differs from the "
                     "checkpointed run's in " +
                     join_keys(changes) +
                     "; restore those keys to continue it, or run without --restart (and with "
                     "--overwrite) to start afresh");
}

void TaskRun::write_checkpoint(const Stage& stage) const {
  Checkpoint checkpoint;
  stage.save(checkpoint);
  nlohmann::json metadata = checkpoint.metadata();
  metadata["task"] = task_;
  metadata["stage"] = stage.name();
  metadata["input"] = options_.input_path;
  metadata["effective_input"] = effective_input_;
  nlohmann::json failures = nlohmann::json::array();
  for (const ReplicaFailure& f : failures_)
    failures.push_back(f.to_json());
  metadata["replica_failures"] = failures;
  checkpoint.set_metadata(metadata);
  if (n_replicas_ >= 0) {
    checkpoint.set_int64("run/n_replicas", n_replicas_);
    checkpoint.set_int64("run/n_atoms", n_atoms_);
  }
  checkpoint.write(path(stage.checkpoint_file()));
}

void TaskRun::remove_checkpoint(const Stage& stage) const {
  if (!stage.checkpoint_file().empty())
    fs::remove(path(stage.checkpoint_file()));
}

void TaskRun::record_failure(const ReplicaFailure& failure, int out_of) {
  failures_.push_back(failure);
  std::fprintf(stderr, "%s: FAILED %s\n", task_.c_str(), failure.describe().c_str());
  int failed = 0;
  for (const ReplicaFailure& f : failures_)
    failed += f.unit == failure.unit ? 1 : 0;
  if (failed < out_of)
    return;
  write_failures();
  std::string message = "every " + failure.unit + " failed, so the run stops:";
  for (const ReplicaFailure& f : failures_)
    message += "\n  " + f.describe();
  throw ReplicasFailed(message, true);
}

bool TaskRun::has_failed(int replica, const std::string& unit) const {
  for (const ReplicaFailure& f : failures_)
    if (f.unit == unit && f.replica == replica)
      return true;
  return false;
}

void TaskRun::write_failures() const {
  const std::string file = path("faults.json");
  if (failures_.empty()) {
    fs::remove(file);
    return;
  }
  nlohmann::json records = nlohmann::json::array();
  for (const ReplicaFailure& f : failures_)
    records.push_back(f.to_json());
  write_file_atomically(file,
                        nlohmann::json{{"task", task_}, {"failures", records}}.dump(2) + "\n");
}

void TaskRun::report_failures() const {
  if (failures_.empty())
    return;
  std::string list;
  for (const ReplicaFailure& f : failures_)
    list += (list.empty() ? "" : ", ") + f.unit + " " + std::to_string(f.replica);
  std::fprintf(stderr, "%s: %zu FAILED (%s), recorded in %s:\n", task_.c_str(), failures_.size(),
               list.c_str(), path("faults.json").c_str());
  for (const ReplicaFailure& f : failures_)
    std::fprintf(stderr, "  %s\n", f.describe().c_str());
  throw ReplicasFailed(std::to_string(failures_.size()) + " failed (" + list +
                           "); the others' results are complete. See " + path("faults.json"),
                       false);
}

}  // namespace glassland
