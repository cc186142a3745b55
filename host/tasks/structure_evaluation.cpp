#include "host/tasks/structure_evaluation.hpp"

#include <chrono>
#include <map>

#include "host/io/batch_io.hpp"
#include "host/io/structure_checks.hpp"
#include "kernels/units.hpp"

namespace glassland {

namespace {
double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}
}  // namespace

std::vector<StructureEvaluation> evaluate_structures(const std::vector<std::string>& files,
                                                     const SetflPotential& potential,
                                                     const std::vector<std::string>& type_elements,
                                                     double skin, double min_atom_distance,
                                                     EvaluationTiming* timing) {
  const auto start_reading = std::chrono::steady_clock::now();
  // Group the files by atom count, keeping the order of first appearance for the output.
  std::vector<NamedStructure> structures;
  for (const auto& file : files) {
    structures.push_back({file, read_lammps_data(file)});
    check_atom_overlaps(structures.back().data, file, min_atom_distance, "--min-atom-distance");
    check_one_element_per_type(structures.back().data, file, type_elements, "--elements");
  }
  std::map<int, std::vector<size_t>> groups;
  for (size_t k = 0; k < structures.size(); ++k)
    groups[structures[k].data.n_atoms()].push_back(k);
  if (timing)
    timing->seconds_reading = seconds_since(start_reading);

  std::vector<StructureEvaluation> results(files.size());
  for (const auto& [n_atoms, members] : groups) {
    std::vector<NamedStructure> group;
    for (size_t k : members)
      group.push_back(structures[k]);
    Batch batch = make_batch(group, type_elements, potential.elements, potential.masses);
    ForceField force_field;
    force_field.add_term(make_eam_term(potential, skin));
    const auto start = std::chrono::steady_clock::now();
    force_field.compute(batch);
    Kokkos::fence();
    if (timing) {
      timing->seconds_first_evaluation += seconds_since(start);
      ++timing->n_batches;
    }
    const BatchSnapshot s = snapshot(batch);
    auto masses_host = Kokkos::create_mirror_view_and_copy(HostSpace(), batch.element_masses);
    for (size_t m = 0; m < members.size(); ++m) {
      StructureEvaluation& out = results[members[m]];
      const int r = static_cast<int>(m);
      out.file = group[m].name;
      out.n_atoms = n_atoms;
      out.energy = s.potential_energy[r];
      out.volume = s.boxes[r].volume();
      double kinetic_twice = 0.0;  // Σ m v², eV
      for (int i = 0; i < n_atoms; ++i) {
        const size_t g = static_cast<size_t>(r) * n_atoms + i;
        out.ids.push_back(s.ids[g]);
        out.forces.push_back({s.forces[g * 3], s.forces[g * 3 + 1], s.forces[g * 3 + 2]});
        double v2 = 0.0;
        for (int k = 0; k < 3; ++k)
          v2 += s.velocities[g * 3 + k] * s.velocities[g * 3 + k];
        // LAMMPS's mvv2e, so that the pressure agrees with LAMMPS's `press` to round-off.
        kinetic_twice += masses_host(s.elements[g]) * v2 * units::kLammpsMvv2e;
      }
      for (int k = 0; k < 6; ++k)
        out.virial[k] = s.virial[r * 6 + k];
      // P = (2 KE + tr W) / 3V, as LAMMPS's compute pressure with its default temperature.
      out.pressure = (kinetic_twice + out.virial[0] + out.virial[1] + out.virial[2]) /
                     (3.0 * out.volume) * units::kEvPerA3ToBar;
    }
  }
  return results;
}

}  // namespace glassland
