// `task: minimize` — quench every replica of a batch to its inherent structure (SPEC.md §4) with
// the batched conjugate-gradient (LAMMPS `min_style cg`) or FIRE 2.0 minimiser, each replica with
// its own tolerances and caps. Writes is_NNNN.data per replica and summary.json; replicas that
// stop without meeting their tolerance are reported in the summary and on stderr, never silently
// (the exit code stays 0: the structures are still written and may be useful).
#include <chrono>
#include <cstdio>

#include "host/io/atomic_file.hpp"
#include "host/io/lammps_data.hpp"
#include "host/tasks/inherent_structures.hpp"
#include "host/tasks/task_drivers.hpp"
#include "host/tasks/task_run.hpp"
#include "host/tasks/task_system.hpp"

namespace glassland {

namespace {

struct Minimized {
  MinimizedCopies copies;
  double seconds = 0.0;
};

Minimized minimize_all(TaskRun& run, TaskSystem& system, const MinimizeSettings& settings) {
  Batch& batch = system.batch;
  run.say(std::to_string(batch.n_replicas) + " replicas of " + std::to_string(batch.n_atoms) +
          " atoms, " + settings.method);
  std::vector<int> identity(batch.n_replicas);
  for (int r = 0; r < batch.n_replicas; ++r)
    identity[r] = r;
  const auto start = std::chrono::steady_clock::now();
  Minimized out;
  out.copies = minimize_in_place(batch, system.force_field, settings, identity);
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  // A replica whose energy or forces broke down (issue 16) failed: recorded with its diagnosis
  // (the batch holds it where it stopped), no inherent structure written for it.
  for (int r = 0; r < batch.n_replicas; ++r) {
    const ReplicaMinimization& result = out.copies.results[r];
    if (!is_non_finite(result.status))
      continue;
    ReplicaFailure failure;
    failure.replica = r;
    failure.stage = "minimize";
    failure.step = result.iterations;
    failure.cause = to_string(result.status);
    diagnose_non_finite(failure, r, batch);
    run.record_failure(failure, batch.n_replicas);
  }
  return out;
}

// is_NNNN.data per replica and summary.json; returns the summary.
nlohmann::json write_inherent_structures(TaskRun& run, const TaskSystem& system,
                                         const MinimizeSettings& settings, const Minimized& m) {
  const int n_replicas = system.batch.n_replicas;
  nlohmann::json replicas = nlohmann::json::array();
  std::vector<int> not_converged;
  for (int r = 0; r < n_replicas; ++r) {
    char name[32];
    std::snprintf(name, sizeof name, "is_%04d.data", r);
    nlohmann::json record = m.copies.records[r];
    record["replica"] = r;
    record["source"] = system.replica_sources[r];
    record["structure"] = run.has_failed(r) ? nlohmann::json(nullptr) : nlohmann::json(name);
    if (!run.has_failed(r))
      write_lammps_data(run.path(name),
                        replica_to_data(m.copies.minimized, r, system.type_elements,
                                        system.potential.elements, system.potential.masses, false));
    replicas.push_back(record);
    if (!record["converged"].get<bool>())
      not_converged.push_back(r);
  }
  nlohmann::json summary = {{"task", "minimize"},
                            {"method", settings.method},
                            {"atoms_per_replica", system.batch.n_atoms},
                            {"all_converged", not_converged.empty()},
                            {"not_converged", not_converged},
                            {"wall_time_s", m.seconds},
                            {"replicas", replicas}};
  write_file_atomically(run.path("summary.json"), summary.dump(2) + "\n");
  return summary;
}

void report(const TaskRun& run, const TaskSystem& system, const nlohmann::json& summary,
            double seconds) {
  const auto& replicas = summary["replicas"];
  const int n_replicas = static_cast<int>(replicas.size());
  // Non-convergence is loud even in quiet mode: a silent cap would corrupt every E_IS after it.
  for (int r : summary["not_converged"]) {
    if (run.has_failed(r))
      continue;  // named with its cause by TaskRun's closing summary
    const auto& rec = replicas[r];
    std::fprintf(stderr,
                 "minimize: WARNING replica %d (%s) NOT converged: %s after %d iterations, %d "
                 "evaluations, max force %.3g eV/Å\n",
                 r, system.replica_sources[r].c_str(), rec["status"].get<std::string>().c_str(),
                 rec["iterations"].get<int>(), rec["evaluations"].get<int>(),
                 rec["max_force_eV_per_A"].get<double>());
  }
  // The per-replica results on stdout, --quiet or not (docs/exit-codes.md, "Console output"); a
  // failed replica's row says so instead of its non-finite numbers.
  for (int r = 0; r < n_replicas; ++r) {
    const auto& rec = replicas[r];
    if (run.has_failed(r)) {
      std::printf("minimize: replica %d: FAILED (%s, see faults.json)\n", r,
                  rec["status"].get<std::string>().c_str());
      continue;
    }
    std::printf(
        "minimize: replica %d: %s, %d iterations, E_IS = %.10g eV (%.8f eV/atom), max force "
        "%.3g eV/Å\n",
        r, rec["status"].get<std::string>().c_str(), rec["iterations"].get<int>(),
        rec["final_energy_eV"].get<double>(), rec["energy_per_atom_eV"].get<double>(),
        rec["max_force_eV_per_A"].get<double>());
  }
  std::fflush(stdout);
  char wrote[256];
  std::snprintf(wrote, sizeof wrote, "wrote %d inherent structures and summary.json in %s (%.1f s)",
                n_replicas - static_cast<int>(run.failures().size()),
                run.output().directory.c_str(), seconds);
  run.say(wrote);
  const size_t failed = summary["not_converged"].size();
  if (failed > 0)
    std::fprintf(stderr, "minimize: %zu of %d replicas did NOT converge (see summary.json)\n",
                 failed, n_replicas);
}

}  // namespace

void run_minimize_task(InputObject& input, const RunOptions& options) {
  auto system = read_task_system(input);
  InputObject section = input.object("minimize", "inherent-structure minimisation settings");
  const MinimizeSettings settings = read_minimize_settings(section, system->batch.n_replicas);
  InputObject output = input.object("output", "where results are written");
  OutputSettings out;
  out.directory = output.string("directory", "minimize_output",
                                "directory for results (relative to the working directory)");
  out.quiet = output.boolean("quiet", false, "no progress lines");
  input.finish();
  TaskRun run("minimize", out, options, input.effective_configuration());

  Minimized minimized;
  nlohmann::json summary;
  FunctionStage minimize("minimize",
                         [&](TaskRun& r) { minimized = minimize_all(r, *system, settings); });
  FunctionStage structures("inherent structures", [&](TaskRun& r) {
    summary = write_inherent_structures(r, *system, settings, minimized);
  });
  FunctionStage summary_report("report",
                               [&](TaskRun& r) { report(r, *system, summary, minimized.seconds); });
  run.run({&minimize, &structures, &summary_report});
}

}  // namespace glassland
