// A task is a list of stages (docs/architecture.md, "A task is a list of stages"): each stage is
// one step of the protocol a scientist would write down — equilibrate, sample, analyse, shoot,
// report — and owns its state. TaskRun (host/tasks/task_run.hpp) runs the stages in order and
// gives each the same plumbing: checkpoint file, resume point, progress line, messages and a
// profiling region. A stage therefore holds physics, not plumbing.
#pragma once

#include <functional>
#include <string>
#include <utility>

namespace glassland {

class Checkpoint;
class TaskRun;

class Stage {
 public:
  virtual ~Stage() = default;
  // Its name in messages, checkpoint metadata and profiling regions ("sample").
  virtual std::string name() const = 0;
  // The file (in the output directory) its checkpoints go to; "" for a stage that is never
  // checkpointed (a run killed in it repeats it). Stages may share a file: the checkpoint's
  // metadata names the stage that wrote it.
  virtual std::string checkpoint_file() const { return ""; }
  // Everything a checkpoint taken during this stage must hold for resume() to continue it
  // bitwise, including what the later stages need from the earlier ones (those are passed over
  // when a run resumes here).
  virtual void save(Checkpoint&) const {}
  // Restores the state save() wrote. Called instead of running the earlier stages.
  virtual void resume(const Checkpoint&) {}
  // Runs the stage to its end, from the start or from the state resume() restored.
  virtual void run(TaskRun& run) = 0;
};

// A stage that is one function and keeps no state of its own (analyses, reports).
class FunctionStage : public Stage {
 public:
  FunctionStage(std::string name, std::function<void(TaskRun&)> body)
      : name_(std::move(name)), body_(std::move(body)) {}
  std::string name() const override { return name_; }
  void run(TaskRun& run) override { body_(run); }

 private:
  std::string name_;
  std::function<void(TaskRun&)> body_;
};

}  // namespace glassland
