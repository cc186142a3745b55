#include "kernels/force_field.hpp"

namespace glassland {

void ForceField::compute(Batch& batch, const EvalRequest& request) {
  const int n_atoms = batch.n_atoms;
  auto forces = batch.forces;
  auto per_atom_energy = batch.per_atom_energy;
  auto energy = batch.potential_energy;
  auto virial = batch.virial;
  auto active = request.active;
  Kokkos::parallel_for(
      "force_field::zero_atoms", all_atoms(batch.n_replicas, n_atoms), KOKKOS_LAMBDA(int64_t g) {
        if (!replica_is_active(active, static_cast<int>(g / n_atoms)))
          return;
        for (int k = 0; k < 3; ++k)
          forces(g, k) = 0.0;
        per_atom_energy(g) = 0.0;
      });
  Kokkos::parallel_for(
      "force_field::zero_replicas", Kokkos::RangePolicy<ExecSpace>(0, batch.n_replicas),
      KOKKOS_LAMBDA(int r) {
        if (!replica_is_active(active, r))
          return;
        energy(r) = 0.0;
        for (int k = 0; k < 6; ++k)
          virial(r, k) = 0.0;
      });
  for (auto& term : terms_)
    term->accumulate(batch, request);
  ++evaluations_;
}

}  // namespace glassland
