#include "kernels/analytic_landscape.hpp"

#include "kernels/replica_reductions.hpp"

namespace glassland {

void AnalyticLandscapeTerm::accumulate(Batch& batch, const EvalRequest& request) {
  const LandscapeParameters p = parameters_;
  const int n_atoms = batch.n_atoms;
  auto positions = batch.positions;
  auto forces = batch.forces;
  auto per_atom_energy = batch.per_atom_energy;
  auto active = request.active;
  Kokkos::parallel_for(
      "analytic_landscape::forces", all_atoms(batch.n_replicas, n_atoms), KOKKOS_LAMBDA(int64_t g) {
        if (!replica_is_active(active, static_cast<int>(g / n_atoms)))
          return;
        double f[3];
        const double e =
            landscape_energy_force(p, positions(g, 0), positions(g, 1), positions(g, 2), f);
        for (int k = 0; k < 3; ++k)
          forces(g, k) += f[k];
        per_atom_energy(g) += e;
      });
  if (!request.energy)
    return;
  // The landscape is an external field: it adds energy but no virial (it has no box).
  ReplicaScalars landscape_energy("analytic_landscape::energy", batch.n_replicas);
  sum_per_replica(
      "analytic_landscape::energy", batch.n_replicas, n_atoms,
      KOKKOS_LAMBDA(int64_t g) {
        double f[3];
        return landscape_energy_force(p, positions(g, 0), positions(g, 1), positions(g, 2), f);
      },
      landscape_energy);
  auto energy = batch.potential_energy;
  Kokkos::parallel_for(
      "analytic_landscape::add_energy", Kokkos::RangePolicy<ExecSpace>(0, batch.n_replicas),
      KOKKOS_LAMBDA(int r) {
        if (replica_is_active(active, r))
          energy(r) += landscape_energy(r);
      });
}

}  // namespace glassland
