// The glassland program: sub-commands over the library (SPEC.md §11). Exit codes follow
// host/cli/exit_codes.hpp; results go to stdout, progress and warnings to stderr
// (docs/exit-codes.md).
#include <CLI/CLI.hpp>
#include <Kokkos_Core.hpp>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "host/cli/analyze_command.hpp"
#include "host/cli/build_command.hpp"
#include "host/cli/eval_command.hpp"
#include "host/cli/exit_codes.hpp"
#include "host/cli/plot_command.hpp"
#include "host/cli/run_command.hpp"
#include "host/cli/sweep_command.hpp"
#include "host/io/input_error.hpp"
#include "host/tasks/replica_failures.hpp"

namespace {

// The exit codes, for the end of `glassland --help`.
std::string exit_code_footer() {
  std::string text = "Exit codes (docs/exit-codes.md):";
  for (const auto& row : glassland::kExitCodes)
    text += "\n  " + std::to_string(glassland::exit_status(row.code)) + "  " + row.name + ": " +
            row.meaning;
  return text;
}

}  // namespace

int main(int argc, char** argv) {
  using glassland::exit_status;
  using glassland::ExitCode;
  // Kokkos would act on unprefixed arguments such as --help; give it only --kokkos-* ones.
  std::vector<char*> kokkos_args{argv[0]};
  std::vector<char*> program_args{argv[0]};
  for (int k = 1; k < argc; ++k)
    (std::strncmp(argv[k], "--kokkos-", 9) == 0 ? kokkos_args : program_args).push_back(argv[k]);
  // `sweep` under mpirun starts MPI here, before Kokkos, which is given this rank's device.
  const glassland::SweepRanks sweep_ranks(program_args, kokkos_args);
  int kokkos_argc = static_cast<int>(kokkos_args.size());
  Kokkos::ScopeGuard kokkos(kokkos_argc, kokkos_args.data());

  CLI::App app{"glassland: energy landscapes of metallic glasses on replica batches"};
  app.set_version_flag("--version", std::string("glassland ") + GLASSLAND_VERSION);
  app.footer(exit_code_footer());
  app.require_subcommand(1);
  glassland::register_analyze_command(app);
  glassland::register_build_command(app);
  glassland::register_eval_command(app);
  glassland::register_plot_command(app);
  glassland::register_run_command(app);
  glassland::register_sweep_command(app, sweep_ranks);
  try {
    app.parse(static_cast<int>(program_args.size()), program_args.data());
  } catch (const CLI::ParseError& e) {
    // --help and --version are "errors" of status 0 to CLI11; every other parse error is a
    // command-line mistake, whatever CLI11's own number for it (105–114).
    const int cli_status = app.exit(e);
    return cli_status == 0 ? exit_status(ExitCode::success) : exit_status(ExitCode::input_error);
  } catch (const glassland::ReplicasFailed& e) {
    // Some replicas failed (faults.json; the others' results are written), or all of them did and
    // the run stopped early: an error then (host/tasks/replica_failures.hpp).
    std::cerr << "glassland: " << (e.every_one() ? "error: " : "") << e.what() << "\n";
    return exit_status(ExitCode::replicas_failed);
  } catch (const glassland::InputError& e) {
    std::cerr << "glassland: error: " << e.what() << "\n";
    return exit_status(ExitCode::input_error);
  } catch (const std::exception& e) {
    std::cerr << "glassland: error: " << e.what() << "\n";
    return exit_status(ExitCode::internal_error);
  }
  return exit_status(ExitCode::success);
}
