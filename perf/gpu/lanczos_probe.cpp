// The lowest two Hessian eigenvalues of each structure by ART's Lanczos (saddle/art.hpp,
// ArtEngine::lowest_modes) from a fixed start vector and a fixed number of iterations, for the
// GPU check kit (perf/gpu/): the CPU build writes the reference, the CUDA build must agree to
// 1e-4 eV/Å² (issue 18). The Hessian–vector products are finite differences of forces, so the
// eigenvalues carry only the round-off of the force sums; a tolerance of 0 makes both builds run
// exactly `--iterations` Lanczos iterations (and one restart of the deflated pass).
//
// Usage: lanczos_probe [--potential FILE] [--elements Cu Zr] [--iterations 24] A.data [B.data ...]
// All structures must have the same atom count (one batch). Prints JSON on stdout:
// {"structures": [{"file", "lambda1", "lambda2", "evaluations"}]} (eV/Å²).
#include <Kokkos_Core.hpp>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "host/io/batch_io.hpp"
#include "host/io/potential_files.hpp"
#include "saddle/art.hpp"

namespace {

struct ProbeOptions {
  std::string potential = glassland::default_potential_path();
  std::vector<std::string> elements = {"Cu", "Zr"};
  int iterations = 24;
  std::vector<std::string> structures;
};

ProbeOptions parse(int argc, char** argv) {
  ProbeOptions options;
  for (int k = 1; k < argc; ++k) {
    if (std::strcmp(argv[k], "--potential") == 0 && k + 1 < argc) {
      options.potential = argv[++k];
    } else if (std::strcmp(argv[k], "--iterations") == 0 && k + 1 < argc) {
      options.iterations = std::atoi(argv[++k]);
    } else if (std::strcmp(argv[k], "--elements") == 0) {
      options.elements.clear();
      while (k + 1 < argc && argv[k + 1][0] != '-')
        options.elements.push_back(argv[++k]);
    } else if (argv[k][0] == '-') {
      throw std::runtime_error(std::string("unknown option ") + argv[k]);
    } else {
      options.structures.push_back(argv[k]);
    }
  }
  if (options.structures.empty() || options.iterations < 2 || options.iterations > 32)
    throw std::runtime_error(
        "usage: lanczos_probe [--potential FILE] [--elements Cu Zr] [--iterations 2..32] "
        "A.data [B.data ...]");
  return options;
}

nlohmann::json probe(const ProbeOptions& options) {
  using namespace glassland;
  const SetflPotential potential =
      read_setfl(options.potential, setfl_format_from_filename(options.potential));
  std::vector<NamedStructure> structures;
  for (const std::string& file : options.structures)
    structures.push_back({file, read_lammps_data(file)});
  Batch batch = make_batch(structures, options.elements, potential.elements, potential.masses);
  ForceField field;
  field.add_term(make_eam_term(potential, 1.0));
  ArtSettings settings;
  settings.lanczos_max_iterations = settings.second_lanczos_max_iterations = options.iterations;
  settings.lanczos_tolerance = settings.second_lanczos_tolerance = 0.0;
  settings.second_lanczos_restarts = 1;  // lowest_modes ticks at most 4 × 32 + 4 times
  ArtEngine engine(batch, field, settings);
  // A smooth, fixed, non-symmetric start: the same for every replica, not a special direction.
  std::vector<double> start(static_cast<size_t>(batch.total_atoms()) * 3);
  for (int r = 0; r < batch.n_replicas; ++r)
    for (int q = 0; q < 3 * batch.n_atoms; ++q)
      start[static_cast<size_t>(r) * 3 * batch.n_atoms + q] = std::sin(1.7 * q + 0.3);
  const LanczosModes modes = engine.lowest_modes(true, start);
  nlohmann::json document;
  document["iterations"] = options.iterations;
  for (int r = 0; r < batch.n_replicas; ++r)
    document["structures"].push_back({{"file", options.structures[r]},
                                      {"lambda1", modes.lambda1[r]},
                                      {"lambda2", modes.lambda2[r]},
                                      {"evaluations", modes.evaluations[r]}});
  return document;
}

}  // namespace

int main(int argc, char** argv) {
  Kokkos::ScopeGuard kokkos(argc, argv);
  try {
    std::printf("%s\n", probe(parse(argc, argv)).dump(1).c_str());
  } catch (const std::exception& error) {
    std::fprintf(stderr, "lanczos_probe: error: %s\n", error.what());
    return 1;
  }
  return 0;
}
