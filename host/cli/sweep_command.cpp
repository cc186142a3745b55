#include "host/cli/sweep_command.hpp"

#include <memory>
#include <stdexcept>

#include "host/cli/analyze/entropy_temperature.hpp"
#include "host/cli/run_command.hpp"
#include "host/io/input_error.hpp"
#include "host/tasks/replica_failures.hpp"
#include "host/tasks/sweep/sweep_run.hpp"

namespace glassland {

namespace {

void run_sweep_command(const SweepOptions& options, const SweepRanks& ranks) {
  if (!ranks.startup_error().empty())
    throw InputError("sweep: " + ranks.startup_error());
  SweepOutcome outcome;
  try {
    outcome = run_sweep(options, run_task_input, ranks);
  } catch (const SweepStoppedOnRoot&) {
    throw CLI::RuntimeError(2);  // rank 0 reports why; the others leave quietly
  }
  if (outcome.failed > 0)
    throw std::runtime_error("sweep: " + std::to_string(outcome.failed) +
                             " point(s) failed; each one's error is in its status.json and "
                             "sweep_summary.json, its messages in its run.log");
  // Every point has results, some without their failed replicas: the exit status of a run whose
  // replicas failed (3), as `glassland run` of such a point gives.
  if (outcome.finished_with_failures > 0)
    throw ReplicasFailed("sweep: " + std::to_string(outcome.finished_with_failures) +
                             " point(s) finished with failed replicas (named in "
                             "sweep_summary.json, each point's faults.json); the chain used the "
                             "others' results",
                         false);
}

}  // namespace

EntropyTemperatureAnalysis analyze_entropy_temperature() {
  return [](const EntropyTemperatureRequest& request) {
    analyze_cli::EntropyTemperatureOptions o;
    o.files = request.sources;
    o.bin_width = request.bin_width_eV;
    o.bin_origin = request.bin_origin_eV;
    o.bootstrap = request.bootstrap;
    o.seed = request.seed;
    return analyze_cli::entropy_temperature_document(o);
  };
}

void register_sweep_command(CLI::App& app, const SweepRanks& ranks) {
  auto options = std::make_shared<SweepOptions>();
  CLI::App* sweep = app.add_subcommand(
      "sweep",
      "Run a task at every point of a grid of values of its input's keys (temperature, pressure, "
      "strain, cooling rate, seed, ...), on one process or many MPI ranks (docs/sweep.md)");
  sweep->add_option("sweep_file", options->sweep_file, "JSON sweep file")
      ->required()
      ->check(CLI::ExistingFile);
  sweep->add_flag("--restart", options->restart,
                  "pass over finished points and resume the others from their checkpoints");
  sweep->add_flag("--quiet,-q", options->quiet, "no progress lines");
  sweep->add_flag("--overwrite", options->overwrite,
                  "clear a point directory that holds another input's results before running it "
                  "(as run --overwrite)");
  sweep->add_flag("--check", options->check_only,
                  "list the points and check every one's input, then stop: nothing runs or is "
                  "written");
  options->entropy_temperature = analyze_entropy_temperature();
  sweep->callback([options, &ranks]() { run_sweep_command(*options, ranks); });
}

}  // namespace glassland
