// Wall time and force evaluations per converged climbing-image NEB band, for 1 and many bands
// of the same endpoints in one batch (issue 6, perf/). Each benchmark iteration builds the
// bands from the endpoint files, interpolates linearly and runs the band FIRE to convergence;
// the counters report per-band numbers, so B bands in one batch can be compared with one.
// LAMMPS `neb` on the same endpoints (docs/neb.md records both, measured on the same machine).
//
// Usage: bench_neb --initial A.data --final B.data [--images 7] [--spring 1.0] [--ftol 0.001]
//        [--potential FILE] [--elements Cu Zr] [Google Benchmark flags].
//        Band counts: GLASSLAND_BENCH_BANDS="1,64".
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <cstring>
#include <sstream>
#include <string>
#include <vector>

#include "host/io/batch_io.hpp"
#include "host/io/potential_files.hpp"
#include "saddle/neb_band.hpp"

namespace {

std::string g_initial, g_final;
std::string g_potential = glassland::default_potential_path();
std::vector<std::string> g_elements = {"Cu", "Zr"};
int g_images = 7;
double g_spring = 1.0;
double g_ftol = 1e-3;

void neb_bands_to_convergence(benchmark::State& state) {
  using namespace glassland;
  const int n_bands = static_cast<int>(state.range(0));
  const SetflPotential potential = read_setfl(g_potential, setfl_format_from_filename(g_potential));
  const LammpsData initial = read_lammps_data(g_initial);
  const LammpsData final_state = read_lammps_data(g_final);
  std::vector<NamedStructure> pairs;
  for (int b = 0; b < n_bands; ++b) {
    pairs.push_back({g_initial, initial});
    pairs.push_back({g_final, final_state});
  }
  NebSettings settings;
  settings.spring_constant = g_spring;
  settings.force_tolerance = g_ftol;
  settings.climb_after_iterations = 20000;
  settings.climb_force_threshold = 10.0 * g_ftol;
  settings.max_iterations = 40000;
  double evaluations = 0.0, iterations = 0.0, converged = 0.0, barrier = 0.0;
  for (auto _ : state) {
    Batch endpoints = make_batch(pairs, g_elements, potential.elements, potential.masses);
    Batch bands = make_bands_from_endpoints(endpoints, g_images);
    interpolate_linear(bands, g_images);
    ForceField field;
    field.add_term(make_eam_term(potential, 1.0));
    NebRunner runner(settings);
    const std::vector<BandResult> results = runner.run(bands, field, g_images);
    Kokkos::fence();
    for (const BandResult& r : results) {
      evaluations += r.evaluations;
      iterations += r.iterations;
      converged += r.converged() ? 1.0 : 0.0;
      barrier += r.barrier_forward;
    }
  }
  const double runs = static_cast<double>(state.iterations()) * n_bands;
  state.counters["bands"] = n_bands;
  state.counters["image_evaluations_per_band"] = evaluations / runs;
  state.counters["iterations_per_band"] = iterations / runs;
  state.counters["converged_fraction"] = converged / runs;
  state.counters["barrier_forward_eV"] = barrier / runs;
  // Wall time per converged band: the benchmark's real time divided by the bands in the batch.
  state.counters["bands_per_s"] = benchmark::Counter(runs, benchmark::Counter::kIsRate);
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<char*> remaining{argv[0]};
  for (int k = 1; k < argc; ++k) {
    const bool has_value = k + 1 < argc;
    if (std::strcmp(argv[k], "--initial") == 0 && has_value) {
      g_initial = argv[++k];
    } else if (std::strcmp(argv[k], "--final") == 0 && has_value) {
      g_final = argv[++k];
    } else if (std::strcmp(argv[k], "--potential") == 0 && has_value) {
      g_potential = argv[++k];
    } else if (std::strcmp(argv[k], "--images") == 0 && has_value) {
      g_images = std::atoi(argv[++k]);
    } else if (std::strcmp(argv[k], "--spring") == 0 && has_value) {
      g_spring = std::atof(argv[++k]);
    } else if (std::strcmp(argv[k], "--ftol") == 0 && has_value) {
      g_ftol = std::atof(argv[++k]);
    } else if (std::strcmp(argv[k], "--elements") == 0) {
      g_elements.clear();
      while (k + 1 < argc && argv[k + 1][0] != '-')
        g_elements.push_back(argv[++k]);
    } else {
      remaining.push_back(argv[k]);
    }
  }
  if (g_initial.empty() || g_final.empty()) {
    std::fprintf(stderr, "bench_neb: --initial FILE.data and --final FILE.data are required\n");
    return 2;
  }
  Kokkos::ScopeGuard kokkos;
  std::vector<int64_t> band_counts = {1, 64};
  if (const char* list = std::getenv("GLASSLAND_BENCH_BANDS")) {
    band_counts.clear();
    std::stringstream stream(list);
    std::string item;
    while (std::getline(stream, item, ','))
      band_counts.push_back(std::stoll(item));
  }
  auto* bench = benchmark::RegisterBenchmark("neb_bands_to_convergence", neb_bands_to_convergence);
  for (int64_t b : band_counts)
    bench->Arg(b);
  bench->Unit(benchmark::kSecond)->UseRealTime()->Iterations(1);
  int remaining_argc = static_cast<int>(remaining.size());
  benchmark::Initialize(&remaining_argc, remaining.data());
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
