// ART nouveau throughput (perf/art.md): successful saddles per hour and force evaluations per
// successful saddle (mean, median; compare eOn's ≈ 240 per saddle with Lanczos on LJ38) for R
// concurrent searches on a Cu50Zr50 inherent structure with Mendelev's EAM and paper 004's
// ART parameters. The structure: N atoms placed at random at 0.0576 Å⁻³ (min. separation 2.1 Å)
// and minimised with FIRE to 1e-5 eV/Å (tests/saddle/art_cuzr_structure.hpp).
//
// Usage: bench_art [Google Benchmark flags]; GLASSLAND_BENCH_ART="R:successes,..." (default
// "8:16"), GLASSLAND_BENCH_ART_ATOMS (default 432). One iteration per configuration: the
// numbers are counters of that run.
//   GLASSLAND_BENCH_ART_STRUCTURE=FILE searches a LAMMPS data file's structure instead (e.g. the
//     inherent structure of a melt-quenched glass from `task: prepare`), re-minimised first;
//   GLASSLAND_BENCH_ART_CHUNK=K runs the searches in chunks of K successes, each with its own
//     seed (99 + chunk), and with GLASSLAND_BENCH_ART_EVENTS=FILE appends every finished search
//     of a chunk to FILE (tab-separated, one line per search) as soon as the chunk ends — long
//     spectrum runs lose at most one chunk when stopped.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "tests/saddle/art_cuzr_structure.hpp"

namespace {

const glassland::art_testing::CuZrStructure& bench_structure() {
  using namespace glassland;
  static const art_testing::CuZrStructure structure = [] {
    if (const char* path = std::getenv("GLASSLAND_BENCH_ART_STRUCTURE"))
      return art_testing::cuzr_structure_from_file(path);
    const char* atoms_env = std::getenv("GLASSLAND_BENCH_ART_ATOMS");
    return art_testing::make_cuzr_inherent_structure(7, atoms_env ? std::atoi(atoms_env) : 432);
  }();
  return structure;
}

void append_events(const char* path, int chunk, const glassland::ArtRunResult& result) {
  if (!path)
    return;
  std::ofstream out(path, std::ios::app);
  out.precision(10);
  for (const glassland::ArtEvent& e : result.events)
    out << chunk << "\t" << e.search_id << "\t" << e.center_atom << "\t" << e.success << "\t"
        << glassland::to_string(e.outcome) << "\t" << e.e_initial << "\t" << e.barrier << "\t"
        << e.asymmetry << "\t" << e.lambda1 << "\t" << e.lambda2 << "\t"
        << e.saddle_displacement_norm << "\t" << e.force_evaluations << "\n";
}

void art_searches(benchmark::State& state) {
  using namespace glassland;
  const int n_replicas = static_cast<int>(state.range(0));
  const int target = static_cast<int>(state.range(1));
  const art_testing::CuZrStructure& structure = bench_structure();
  const int n_atoms = structure.data.n_atoms();
  const char* chunk_env = std::getenv("GLASSLAND_BENCH_ART_CHUNK");
  const int chunk_successes = chunk_env ? std::max(1, std::atoi(chunk_env)) : target;
  const char* events_path = std::getenv("GLASSLAND_BENCH_ART_EVENTS");
  for (auto _ : state) {
    ArtRunResult result;
    double seconds = 0.0;
    for (int chunk = 0; result.successes < target; ++chunk) {
      Batch batch = art_testing::cuzr_batch(structure, n_replicas);
      ForceField field;
      field.add_term(make_eam_term(structure.potential, 1.0));
      ArtSettings settings;
      settings.seed = 99 + static_cast<uint64_t>(chunk);
      ArtEngine engine(batch, field, settings);
      engine.add_minimum(structure.minimum);
      ArtRunRequest request;
      request.target_successes = std::min(chunk_successes, target - result.successes);
      request.max_attempts = 50 * request.target_successes;
      request.keep_configurations = false;
      const auto start = std::chrono::steady_clock::now();
      const ArtRunResult part = engine.run(request);
      Kokkos::fence();
      seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      append_events(events_path, chunk, part);
      result.events.insert(result.events.end(), part.events.begin(), part.events.end());
      result.attempts += part.attempts;
      result.successes += part.successes;
      result.batch_evaluations += part.batch_evaluations;
      std::fprintf(stderr, "[bench_art] chunk %d: %d successes in total, %d attempts, %.0f s\n",
                   chunk, result.successes, result.attempts, seconds);
      if (part.successes == 0)
        break;  // this structure yields nothing with these settings: do not loop forever
    }
    std::vector<double> per_success, per_attempt_all;
    double barrier_sum = 0.0;
    for (const ArtEvent& e : result.events) {
      per_attempt_all.push_back(e.force_evaluations);
      if (e.success) {
        per_success.push_back(e.force_evaluations);
        barrier_sum += e.barrier;
      }
    }
    std::sort(per_success.begin(), per_success.end());
    double total_evaluations = 0.0;  // every finished search's evaluations, failures included
    for (double n : per_attempt_all)
      total_evaluations += n;
    double mean = 0.0;
    for (double n : per_success)
      mean += n / std::max<size_t>(1, per_success.size());
    state.counters["replicas"] = n_replicas;
    state.counters["atoms"] = n_atoms;
    state.counters["attempts"] = result.attempts;
    state.counters["successes"] = result.successes;
    state.counters["seconds"] = seconds;
    state.counters["saddles_per_hour"] = 3600.0 * result.successes / seconds;
    state.counters["evals_per_success_mean"] = mean;
    state.counters["evals_per_success_median"] =
        per_success.empty() ? 0.0 : per_success[per_success.size() / 2];
    state.counters["evals_all_searches_per_success"] =
        total_evaluations / std::max(1, result.successes);
    state.counters["batch_ticks"] = static_cast<double>(result.batch_evaluations);
    state.counters["mean_barrier_eV"] = barrier_sum / std::max(1, result.successes);
  }
}

}  // namespace

int main(int argc, char** argv) {
  Kokkos::ScopeGuard kokkos(argc, argv);
  std::vector<std::pair<int, int>> configurations = {{8, 16}};
  if (const char* env = std::getenv("GLASSLAND_BENCH_ART")) {
    configurations.clear();
    std::stringstream list(env);
    std::string item;
    while (std::getline(list, item, ',')) {
      const size_t colon = item.find(':');
      configurations.emplace_back(std::stoi(item.substr(0, colon)),
                                  std::stoi(item.substr(colon + 1)));
    }
  }
  for (const auto& [replicas, successes] : configurations)
    benchmark::RegisterBenchmark("art_searches", art_searches)
        ->Args({replicas, successes})
        ->Iterations(1)
        ->Unit(benchmark::kSecond);
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  return 0;
}
