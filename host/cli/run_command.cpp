#include "host/cli/run_command.hpp"

#include <functional>
#include <map>
#include <memory>

#include "host/tasks/task_drivers.hpp"

namespace glassland {

namespace {

// The tasks `run` knows, by the value of the input's "task" key: one line per task.
const std::map<std::string, std::function<void(InputObject&, const RunOptions&)>>& task_table() {
  static const std::map<std::string, std::function<void(InputObject&, const RunOptions&)>> tasks = {
      {"art", run_art_task},           {"md", run_md_task},   {"metad", run_metad_task},
      {"minimize", run_minimize_task}, {"neb", run_neb_task}, {"prepare", run_prepare_task},
  };
  return tasks;
}

void run_task(const RunOptions& options) {
  InputObject input = InputObject::from_file(options.input_path);
  std::vector<std::string> names;
  for (const auto& [name, driver] : task_table())
    names.push_back(name);
  const std::string task = input.choice("task", required, names, "what to run");
  task_table().at(task)(input, options);
}

}  // namespace

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
  run->callback([options]() { run_task(*options); });
}

}  // namespace glassland
