// `task: minimize` — quench every replica of a batch to its inherent structure (SPEC.md §4) with
// the batched conjugate-gradient (LAMMPS `min_style cg`) or FIRE 2.0 minimiser, each replica with
// its own tolerances and caps. Writes is_NNNN.data per replica and summary.json; replicas that
// stop without meeting their tolerance are reported in the summary and on stderr, never silently
// (the exit code stays 0: the structures are still written and may be useful).
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "host/io/atomic_file.hpp"
#include "host/io/lammps_data.hpp"
#include "host/tasks/inherent_structures.hpp"
#include "host/tasks/task_drivers.hpp"
#include "host/tasks/task_system.hpp"

namespace glassland {

namespace fs = std::filesystem;

namespace {

void write_json_atomically(const std::string& path, const nlohmann::json& value) {
  write_file_atomically(path, value.dump(2) + "\n");
}

}  // namespace

void run_minimize_task(InputObject& input, const RunOptions& options) {
  auto system = read_task_system(input);
  Batch& batch = system->batch;
  const int n_replicas = batch.n_replicas;
  InputObject section = input.object("minimize", "inherent-structure minimisation settings");
  const MinimizeSettings settings = read_minimize_settings(section, n_replicas);
  InputObject output = input.object("output", "where results are written");
  const std::string directory = output.string(
      "directory", "minimize_output", "directory for results (relative to the working directory)");
  const bool quiet = output.boolean("quiet", false, "no progress lines") || options.quiet;
  input.finish();

  fs::create_directories(directory);
  std::ofstream(fs::path(directory) / "effective_input.json")
      << input.effective_configuration().dump(2) << "\n";
  if (!quiet)
    std::fprintf(stderr, "minimize: %d replicas of %d atoms, %s\n", n_replicas, batch.n_atoms,
                 settings.method.c_str());

  std::vector<int> identity(n_replicas);
  for (int r = 0; r < n_replicas; ++r)
    identity[r] = r;
  const auto start = std::chrono::steady_clock::now();
  MinimizedCopies minimized = minimize_in_place(batch, system->force_field, settings, identity);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  nlohmann::json replicas = nlohmann::json::array();
  std::vector<int> not_converged;
  for (int r = 0; r < n_replicas; ++r) {
    char name[32];
    std::snprintf(name, sizeof name, "is_%04d.data", r);
    write_lammps_data((fs::path(directory) / name).string(),
                      replica_to_data(minimized.minimized, r, system->type_elements,
                                      system->potential.elements, system->potential.masses, false));
    nlohmann::json record = minimized.records[r];
    record["replica"] = r;
    record["source"] = system->replica_sources[r];
    record["structure"] = name;
    replicas.push_back(record);
    if (!record["converged"].get<bool>())
      not_converged.push_back(r);
  }
  nlohmann::json summary = {{"task", "minimize"},
                            {"method", settings.method},
                            {"atoms_per_replica", batch.n_atoms},
                            {"all_converged", not_converged.empty()},
                            {"not_converged", not_converged},
                            {"wall_time_s", seconds},
                            {"replicas", replicas}};
  write_json_atomically((fs::path(directory) / "summary.json").string(), summary);

  // Non-convergence is loud even in quiet mode: a silent cap would corrupt every E_IS after it.
  for (int r : not_converged) {
    const auto& rec = replicas[r];
    std::fprintf(stderr,
                 "minimize: WARNING replica %d (%s) NOT converged: %s after %d iterations, %d "
                 "evaluations, max force %.3g eV/Å\n",
                 r, system->replica_sources[r].c_str(), rec["status"].get<std::string>().c_str(),
                 rec["iterations"].get<int>(), rec["evaluations"].get<int>(),
                 rec["max_force_eV_per_A"].get<double>());
  }
  if (!quiet) {
    for (int r = 0; r < n_replicas; ++r) {
      const auto& rec = replicas[r];
      std::fprintf(stderr,
                   "minimize: replica %d: %s, %d iterations, E_IS = %.10g eV (%.8f eV/atom), max "
                   "force %.3g eV/Å\n",
                   r, rec["status"].get<std::string>().c_str(), rec["iterations"].get<int>(),
                   rec["final_energy_eV"].get<double>(), rec["energy_per_atom_eV"].get<double>(),
                   rec["max_force_eV_per_A"].get<double>());
    }
    std::fprintf(stderr, "minimize: wrote %d inherent structures and summary.json in %s (%.1f s)\n",
                 n_replicas, directory.c_str(), seconds);
  }
  if (!not_converged.empty())
    std::fprintf(stderr, "minimize: %zu of %d replicas did NOT converge (see summary.json)\n",
                 not_converged.size(), n_replicas);
}

}  // namespace glassland
