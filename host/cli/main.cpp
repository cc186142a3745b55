// The glassland program: sub-commands over the library (SPEC.md §11).
#include <CLI/CLI.hpp>
#include <Kokkos_Core.hpp>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "host/cli/analyze_command.hpp"
#include "host/cli/build_command.hpp"
#include "host/cli/eval_command.hpp"
#include "host/cli/plot_command.hpp"
#include "host/cli/run_command.hpp"
#include "host/io/input_error.hpp"

int main(int argc, char** argv) {
  // Kokkos would act on unprefixed arguments such as --help; give it only --kokkos-* ones.
  std::vector<char*> kokkos_args{argv[0]};
  std::vector<char*> program_args{argv[0]};
  for (int k = 1; k < argc; ++k)
    (std::strncmp(argv[k], "--kokkos-", 9) == 0 ? kokkos_args : program_args).push_back(argv[k]);
  int kokkos_argc = static_cast<int>(kokkos_args.size());
  Kokkos::ScopeGuard kokkos(kokkos_argc, kokkos_args.data());

  CLI::App app{"glassland: energy landscapes of metallic glasses on replica batches"};
  app.set_version_flag("--version", std::string("glassland ") + GLASSLAND_VERSION);
  app.require_subcommand(1);
  glassland::register_analyze_command(app);
  glassland::register_build_command(app);
  glassland::register_eval_command(app);
  glassland::register_plot_command(app);
  glassland::register_run_command(app);
  try {
    app.parse(static_cast<int>(program_args.size()), program_args.data());
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const glassland::InputError& e) {
    std::cerr << "glassland: error: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "glassland: error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
