#include "host/tasks/inherent_structures.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>

#include "host/tasks/task_system.hpp"
#include "kernels/cg_minimizer.hpp"
#include "kernels/fire_minimizer.hpp"

namespace glassland {

MinimizeSettings read_minimize_settings(InputObject& o, int n_replicas) {
  MinimizeSettings s;
  s.method = o.choice("method", "cg", {"cg", "fire"},
                      "cg: Polak–Ribière conjugate gradient as LAMMPS min_style cg; fire: FIRE 2.0 "
                      "as LAMMPS min_style fire");
  const std::string norm =
      o.choice("force_norm", "max", {"max", "two", "inf"},
               "force norm compared with ftol (LAMMPS min_modify norm): max |f_i| over atoms, "
               "|F| of the 3N vector, or max |f_ik| over components");
  s.force_norm = norm == "max"   ? ForceNorm::max_atom
                 : norm == "two" ? ForceNorm::two
                                 : ForceNorm::inf;
  s.line_search = o.choice("line_search", "quadratic", {"quadratic", "backtrack"},
                           "cg line search (LAMMPS min_modify line)");
  s.max_displacement =
      o.number("max_displacement", 0.1, "Å",
               "largest coordinate change of a line search (cg) or of one step (fire); LAMMPS "
               "min_modify dmax",
               NumberRange::positive());
  s.etol = o.per_replica_numbers("etol", 0.0, n_replicas, "",
                                 "relative energy-change tolerance (LAMMPS etol); 0 disables it",
                                 NumberRange::non_negative());
  s.ftol = o.per_replica_numbers("ftol", 1e-6, n_replicas, "eV/Å",
                                 "force tolerance in the chosen norm (LAMMPS ftol); 0 disables it",
                                 NumberRange::non_negative());
  s.max_iterations = o.per_replica_integers(
      "max_iterations", 10000, n_replicas, "",
      "iteration cap (cg line searches, fire steps); reaching it is reported",
      IntegerRange::closed(1, INT32_MAX));
  s.max_evaluations = o.per_replica_integers("max_evaluations", 100000, n_replicas, "",
                                             "force-evaluation cap; reaching it is reported",
                                             IntegerRange::closed(1, INT32_MAX));
  for (int r = 0; r < n_replicas; ++r)
    if (s.etol[r] == 0.0 && s.ftol[r] == 0.0)
      throw o.error("ftol", "etol and ftol are both 0 for replica " + std::to_string(r) +
                                ": the minimisation could only stop at its caps");
  return s;
}

namespace {

// Minimises the replicas of `batch` whose tolerances are `tolerance_of[k]` (one entry per replica
// of the batch). Replicas sharing tolerances run together; each group is one minimiser call with
// the other replicas masked out, so a replica's result does not depend on the groups.
std::vector<ReplicaMinimization> minimize_grouped(Batch& batch, ForceField& force_field,
                                                  const MinimizeSettings& settings,
                                                  const std::vector<int>& settings_index) {
  using Key = std::tuple<double, double, int64_t, int64_t>;
  std::map<Key, std::vector<int>> groups;
  for (int k = 0; k < batch.n_replicas; ++k) {
    const int r = settings_index[k];
    groups[{settings.etol[r], settings.ftol[r], settings.max_iterations[r],
            settings.max_evaluations[r]}]
        .push_back(k);
  }
  std::vector<ReplicaMinimization> results(batch.n_replicas);
  for (const auto& [key, members] : groups) {
    MinimizerTolerances tolerances;
    tolerances.etol = std::get<0>(key);
    tolerances.ftol = std::get<1>(key);
    tolerances.force_norm = settings.force_norm;
    tolerances.max_iterations = static_cast<int>(std::get<2>(key));
    tolerances.max_evaluations = static_cast<int>(std::get<3>(key));
    ReplicaInts participate;
    if (groups.size() > 1) {
      participate = ReplicaInts("minimize_task::participate", batch.n_replicas);
      auto host = Kokkos::create_mirror_view(participate);
      for (int k = 0; k < batch.n_replicas; ++k)
        host(k) = 0;
      for (int k : members)
        host(k) = 1;
      Kokkos::deep_copy(participate, host);
    }
    std::vector<ReplicaMinimization> group;
    if (settings.method == "cg") {
      CgSettings cg;
      cg.tolerances = tolerances;
      cg.line_search =
          settings.line_search == "backtrack" ? CgLineSearch::backtrack : CgLineSearch::quadratic;
      cg.max_displacement = settings.max_displacement;
      group = CgMinimizer(cg).minimize(batch, force_field, participate);
    } else {
      FireSettings fire;
      fire.tolerances = tolerances;
      fire.max_displacement = settings.max_displacement;
      group = FireMinimizer(fire).minimize(batch, force_field, participate);
    }
    for (int k : members)
      results[k] = group[k];
  }
  return results;
}

// Largest atomic force |f_i| of each replica of a snapshot, eV/Å.
std::vector<double> max_atomic_forces(const BatchSnapshot& s) {
  std::vector<double> largest(s.n_replicas, 0.0);
  for (int r = 0; r < s.n_replicas; ++r)
    for (int i = 0; i < s.n_atoms; ++i) {
      const size_t g = (static_cast<size_t>(r) * s.n_atoms + i) * 3;
      const double f2 = s.forces[g] * s.forces[g] + s.forces[g + 1] * s.forces[g + 1] +
                        s.forces[g + 2] * s.forces[g + 2];
      largest[r] = std::max(largest[r], std::sqrt(f2));
    }
  return largest;
}

}  // namespace

// Minimises `batch` in place and returns the per-replica results and summary records.
MinimizedCopies minimize_in_place(Batch& batch, ForceField& force_field,
                                  const MinimizeSettings& settings,
                                  const std::vector<int>& settings_index) {
  MinimizedCopies out;
  out.results = minimize_grouped(batch, force_field, settings, settings_index);
  // One fresh evaluation at the final positions: the reported max force and energy belong to
  // the structure that is written, whatever state each minimiser left its accumulators in.
  force_field.compute(batch);
  out.minimized = snapshot(batch);
  const std::vector<double> max_force = max_atomic_forces(out.minimized);
  for (int k = 0; k < batch.n_replicas; ++k) {
    const ReplicaMinimization& m = out.results[k];
    out.records.push_back({
        {"status", to_string(m.status)},
        {"converged", is_converged(m.status)},
        {"iterations", m.iterations},
        {"evaluations", m.evaluations},
        {"initial_energy_eV", m.initial_energy},
        {"final_energy_eV", out.minimized.potential_energy[k]},
        {"energy_per_atom_eV", out.minimized.potential_energy[k] / batch.n_atoms},
        {"max_force_eV_per_A", max_force[k]},
        {"criterion_force_norm_eV_per_A", m.force_norm},
    });
  }
  return out;
}

MinimizedCopies minimize_copies(const TaskSystem& system, const BatchSnapshot& snapshot,
                                const std::vector<int>& replicas,
                                const MinimizeSettings& settings) {
  std::vector<NamedStructure> structures;
  for (int r : replicas)
    structures.push_back(
        {"replica " + std::to_string(r),
         replica_to_data(snapshot, r, system.type_elements, system.potential.elements,
                         system.potential.masses, false)});
  Batch copy = make_batch(structures, system.type_elements, system.potential.elements,
                          system.potential.masses);
  ForceField force_field;
  force_field.add_term(make_eam_term(system.potential, system.neighbor_skin,
                                     default_neighbor_list_kind(), system.precision));
  return minimize_in_place(copy, force_field, settings, replicas);
}

}  // namespace glassland
