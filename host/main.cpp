// The glassland program: sub-commands over the library (SPEC.md §11).
#include <Kokkos_Core.hpp>
#include <CLI/CLI.hpp>
#include <iostream>

#include "host/input_error.hpp"

int main(int argc, char** argv) {
  Kokkos::ScopeGuard kokkos(argc, argv);
  CLI::App app{"glassland: energy landscapes of metallic glasses on replica batches"};
  app.require_subcommand(1);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const glassland::InputError& e) {
    std::cerr << "glassland: error: " << e.what() << "\n";
    return 2;
  }
  return 0;
}
