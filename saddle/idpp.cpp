// IDPP: the force term and the interpolation driver. Method and source in saddle/idpp.hpp.
#include "saddle/idpp.hpp"

#include <memory>
#include <stdexcept>

namespace glassland {

void IdppTerm::accumulate(Batch& batch, const EvalRequest& request) {
  const int n_atoms = batch.n_atoms;
  const int images_per_band = n_images_;
  if (images_per_band < 3 || batch.n_replicas % images_per_band != 0)
    throw std::invalid_argument("IdppTerm: the batch must hold whole bands of >= 3 images");
  auto positions = batch.positions;
  auto forces = batch.forces;
  auto per_atom_energy = batch.per_atom_energy;
  auto boxes = batch.boxes;
  auto active = request.active;
  const bool want_energy = request.energy;
  if (want_energy && scratch_energy_.extent(0) != static_cast<size_t>(batch.total_atoms()))
    scratch_energy_ = AtomScalars("idpp::pair_energy", batch.total_atoms());
  auto pair_energy = scratch_energy_;
  Kokkos::parallel_for(
      "idpp::pairs", all_atoms(batch.n_replicas, n_atoms), KOKKOS_LAMBDA(int64_t g) {
        const int r = static_cast<int>(g / n_atoms);
        if (!replica_is_active(active, r))
          return;
        const int image = r % images_per_band;
        const int i = static_cast<int>(g - static_cast<int64_t>(r) * n_atoms);
        const int r_first = r - image;
        const int64_t first = static_cast<int64_t>(r_first) * n_atoms;
        const int64_t last = static_cast<int64_t>(r_first + images_per_band - 1) * n_atoms;
        const int64_t own = static_cast<int64_t>(r) * n_atoms;
        const double t = static_cast<double>(image) / (images_per_band - 1);
        const Box box = boxes(r);
        double f[3] = {0.0, 0.0, 0.0};
        double energy = 0.0;
        for (int j = 0; j < n_atoms; ++j) {
          if (j == i)
            continue;
          double d0[3], d1[3], d[3];
          for (int k = 0; k < 3; ++k) {
            d0[k] = positions(first + j, k) - positions(first + i, k);
            d1[k] = positions(last + j, k) - positions(last + i, k);
            d[k] = positions(own + j, k) - positions(own + i, k);
          }
          box.minimum_image(d0);
          box.minimum_image(d1);
          box.minimum_image(d);
          const double r0 = kmath::sqrt(d0[0] * d0[0] + d0[1] * d0[1] + d0[2] * d0[2]);
          const double r1 = kmath::sqrt(d1[0] * d1[0] + d1[1] * d1[1] + d1[2] * d1[2]);
          const double distance = kmath::sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
          double slope = 0.0;
          energy += 0.5 * idpp_pair(r0 + t * (r1 - r0), distance, slope);
          // d = |x_j − x_i|: ∂d/∂x_i = −(x_j − x_i)/d, force on i = −slope ∂d/∂x_i.
          for (int k = 0; k < 3; ++k)
            f[k] += slope * d[k] / distance;
        }
        for (int k = 0; k < 3; ++k)
          forces(g, k) += f[k];
        if (want_energy) {
          per_atom_energy(g) += energy;
          pair_energy(g) = energy;
        }
      });
  if (want_energy) {
    auto energy = batch.potential_energy;
    Kokkos::parallel_for(
        "idpp::energy", Kokkos::TeamPolicy<ExecSpace>(batch.n_replicas, Kokkos::AUTO),
        KOKKOS_LAMBDA(const Kokkos::TeamPolicy<ExecSpace>::member_type& team) {
          const int r = team.league_rank();
          if (!replica_is_active(active, r))
            return;
          const int64_t first = static_cast<int64_t>(r) * n_atoms;
          double sum = 0.0;
          Kokkos::parallel_reduce(
              Kokkos::TeamThreadRange(team, n_atoms),
              [&](int i, double& partial) { partial += pair_energy(first + i); }, sum);
          Kokkos::single(Kokkos::PerTeam(team), [&]() { energy(r) += sum; });
        });
  }
}

std::vector<BandResult> interpolate_idpp(Batch& batch, int n_images, const IdppSettings& settings) {
  interpolate_linear(batch, n_images);
  ForceField idpp;
  idpp.add_term(std::make_unique<IdppTerm>(n_images));
  NebSettings neb;
  neb.climbing = false;
  neb.spring_constant = settings.spring_constant;
  neb.force_tolerance = settings.force_tolerance;
  neb.max_iterations = settings.max_iterations;
  NebRunner runner(neb);
  return runner.run(batch, idpp, n_images);
}

}  // namespace glassland
