#include "host/cli/run_command.hpp"

#include <Kokkos_Core.hpp>
#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <optional>

#include "host/cli/kernel_profile.hpp"

namespace glassland {

namespace {

// RunOptions::check_only stops every driver at its TaskRun, before any stage (each reads and
// validates its whole input before it builds its TaskRun).
struct TaskEntry {
  std::function<void(InputObject&, const RunOptions&)> driver;
};

// The tasks `run` knows, by the value of the input's "task" key: one line per task.
const std::map<std::string, TaskEntry>& task_table() {
  static const std::map<std::string, TaskEntry> tasks = {
      {"art", {run_art_task}},           {"md", {run_md_task}},   {"metad", {run_metad_task}},
      {"minimize", {run_minimize_task}}, {"neb", {run_neb_task}}, {"prepare", {run_prepare_task}},
  };
  return tasks;
}

// The task's drivers push a region per stage ("glassland::<task>::<stage>", TaskRun); the whole
// task is the region "glassland::<task>" around them.
void run_task(const RunOptions& options, bool profile) {
  std::optional<KernelProfile> kernel_profile;
  if (profile)
    kernel_profile.emplace();
  InputObject input = InputObject::from_file(options.input_path);
  run_task_input(input, options);
  if (kernel_profile) {
    Kokkos::fence();
    kernel_profile->print(stdout);
  }
}

}  // namespace

void run_task_input(InputObject& input, const RunOptions& options) {
  std::vector<std::string> names;
  for (const auto& [name, entry] : task_table())
    names.push_back(name);
  const std::string task = input.choice("task", required, names, "what to run");
  const TaskEntry& entry = task_table().at(task);
  Kokkos::Profiling::pushRegion("glassland::" + task);
  try {
    entry.driver(input, options);
  } catch (...) {
    Kokkos::Profiling::popRegion();
    throw;
  }
  Kokkos::Profiling::popRegion();
}

void register_run_command(CLI::App& app) {
  auto options = std::make_shared<RunOptions>();
  CLI::App* run =
      app.add_subcommand("run", "Run the task described by a JSON input file (docs/inputs.md)");
  run->add_option("input", options->input_path, "JSON input file")
      ->required()
      ->check(CLI::ExistingFile);
  run->add_flag("--restart", options->restart,
                "continue from the last checkpoint in the output directory (fresh start if none)");
  run->add_flag("--quiet,-q", options->quiet, "no progress lines");
  run->add_flag("--overwrite", options->overwrite,
                "clear an output directory that holds another run's results before starting");
  run->add_flag("--check", options->check_only,
                "read and validate the input (keys, values, structure and potential files), print "
                "its effective configuration on stdout, write and run nothing");
  auto profile = std::make_shared<bool>(false);
  run->add_flag("--profile", *profile,
                "time every Kokkos kernel (fenced) and region; print a table at the end "
                "(docs/profiling.md)");
  run->callback([options, profile]() { run_task(*options, *profile); });
}

}  // namespace glassland
