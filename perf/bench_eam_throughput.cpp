// EAM force-evaluation throughput of a replica batch (PERFORMANCE.md, "What we measure"):
// R copies of one structure evaluated together, atom-steps per second = R·N·evaluations / time.
// The neighbour list is built once before timing (atoms do not move), so this times the two
// EAM passes and the per-replica reductions, the same work LAMMPS does in `run N` without a
// fix (perf/eam_throughput.sh runs both on the same file).
//
// Usage: bench_eam_throughput --structure FILE.data [--elements Cu Zr] [--potential FILE]
//        [Google Benchmark flags]. Replica counts: GLASSLAND_BENCH_REPLICAS="1,8,64".
//        GLASSLAND_BENCH_ITERATIONS=N fixes the number of timed evaluations
//        (perf/eam_instructions.sh counts instructions as the difference of two such runs).
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <cstring>
#include <sstream>
#include <string>
#include <vector>

#include "host/io/batch_io.hpp"
#include "host/io/potential_files.hpp"

namespace {

std::string g_structure;
std::string g_potential = glassland::default_potential_path();
std::vector<std::string> g_elements = {"Cu", "Zr"};

// state.range(1): 0 = forces only (what LAMMPS computes on steps without thermo output),
// 1 = forces, energies and virials.
void eam_force_evaluation(benchmark::State& state) {
  using namespace glassland;
  const int n_replicas = static_cast<int>(state.range(0));
  EvalRequest request;
  request.energy = request.virial = state.range(1) != 0;
  static const SetflPotential potential =
      read_setfl(g_potential, setfl_format_from_filename(g_potential));
  const LammpsData data = read_lammps_data(g_structure);
  std::vector<NamedStructure> structures(n_replicas, NamedStructure{g_structure, data});
  Batch batch = make_batch(structures, g_elements, potential.elements, potential.masses);
  ForceField field;
  field.add_term(make_eam_term(potential, 1.0));
  field.compute(batch);  // builds the neighbour list
  Kokkos::fence();
  for (auto _ : state) {
    field.compute(batch, request);
    Kokkos::fence();
  }
  const double atom_steps = static_cast<double>(state.iterations()) * n_replicas * data.n_atoms();
  state.counters["atom_steps_per_s"] = benchmark::Counter(atom_steps, benchmark::Counter::kIsRate);
  state.counters["replicas"] = n_replicas;
  state.counters["atoms"] = data.n_atoms();
  state.counters["energy_virial"] = static_cast<double>(state.range(1));
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<char*> remaining{argv[0]};
  for (int k = 1; k < argc; ++k) {
    if (std::strcmp(argv[k], "--structure") == 0 && k + 1 < argc) {
      g_structure = argv[++k];
    } else if (std::strcmp(argv[k], "--potential") == 0 && k + 1 < argc) {
      g_potential = argv[++k];
    } else if (std::strcmp(argv[k], "--elements") == 0) {
      g_elements.clear();
      while (k + 1 < argc && argv[k + 1][0] != '-')
        g_elements.push_back(argv[++k]);
    } else {
      remaining.push_back(argv[k]);
    }
  }
  if (g_structure.empty()) {
    std::fprintf(stderr, "bench_eam_throughput: --structure FILE.data is required\n");
    return 2;
  }
  Kokkos::ScopeGuard kokkos;
  std::vector<int64_t> replica_counts = {1, 8, 64};
  if (const char* list = std::getenv("GLASSLAND_BENCH_REPLICAS")) {
    replica_counts.clear();
    std::stringstream stream(list);
    std::string item;
    while (std::getline(stream, item, ','))
      replica_counts.push_back(std::stoll(item));
  }
  auto* bench = benchmark::RegisterBenchmark("eam_force_evaluation", eam_force_evaluation);
  for (int64_t energy : {0, 1})
    for (int64_t r : replica_counts)
      bench->Args({r, energy});
  bench->Unit(benchmark::kMillisecond)->UseRealTime();
  if (const char* iterations = std::getenv("GLASSLAND_BENCH_ITERATIONS"))
    bench->Iterations(std::stoll(iterations));
  int remaining_argc = static_cast<int>(remaining.size());
  benchmark::Initialize(&remaining_argc, remaining.data());
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
