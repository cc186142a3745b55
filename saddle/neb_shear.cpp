// Shear response of NEB bands (source and definitions in saddle/neb_shear.hpp).
#include "saddle/neb_shear.hpp"

#include "saddle/path_geometry.hpp"

namespace glassland {

bool band_lost(const BandResult& band, double prominence) {
  return !band.converged() || !is_single_hump(band.energies, prominence);
}

int band_saddle_image(const BandResult& band, int n_images) {
  if (band.climbing_image >= 1)
    return band.climbing_image;
  int highest = 1;
  for (int image = 2; image < n_images - 1; ++image)
    if (band.energies[image] > band.energies[highest])
      highest = image;
  return highest;
}

void apply_affine_shear_xy(Batch& batch, double gamma) {
  const int n_atoms = batch.n_atoms;
  auto positions = batch.positions;
  auto boxes = batch.boxes;
  // Positions first, with the unstrained box's y_lo and l_y.
  Kokkos::parallel_for(
      "neb::shear_positions", all_atoms(batch.n_replicas, n_atoms), KOKKOS_LAMBDA(int64_t g) {
        const int r = static_cast<int>(g / n_atoms);
        positions(g, 0) += gamma * (positions(g, 1) - boxes(r).lo[1]);
      });
  Kokkos::parallel_for(
      "neb::shear_boxes", Kokkos::RangePolicy<ExecSpace>(0, batch.n_replicas),
      KOKKOS_LAMBDA(int r) {
        boxes(r).xy += gamma * boxes(r).ly;
        boxes(r).xz += gamma * boxes(r).yz;
      });
}

ShearResponse neb_shear_response(Batch& batch, ForceField& force_field, int n_images,
                                 const std::vector<double>& strains,
                                 const ShearSettings& settings) {
  // The unstrained bands, kept on the device and restored before each strain.
  AtomVectors reference_positions("neb::shear_reference_positions", batch.total_atoms());
  AtomImages reference_images("neb::shear_reference_images", batch.total_atoms());
  ReplicaBoxes reference_boxes("neb::shear_reference_boxes", batch.n_replicas);
  Kokkos::deep_copy(reference_positions, batch.positions);
  Kokkos::deep_copy(reference_images, batch.images);
  Kokkos::deep_copy(reference_boxes, batch.boxes);
  const int n_bands = batch.n_replicas / n_images;

  ShearResponse response;
  response.strains = strains;
  response.barrier_forward.assign(n_bands, {});
  response.barrier_change.assign(n_bands, {});
  response.humps.assign(n_bands, {});
  response.single_hump.assign(n_bands, {});
  response.converged.assign(n_bands, {});
  response.lost.assign(n_bands, {});
  response.virial_xy_initial.assign(n_bands, {});
  response.virial_xy_saddle.assign(n_bands, {});
  {
    auto boxes = Kokkos::create_mirror_view_and_copy(HostSpace(), batch.boxes);
    for (int b = 0; b < n_bands; ++b)
      response.volume.push_back(boxes(b * n_images).volume());
  }

  // Strain 0 first (the reference), then the requested strains.
  std::vector<double> all_strains{0.0};
  all_strains.insert(all_strains.end(), strains.begin(), strains.end());
  for (size_t s = 0; s < all_strains.size(); ++s) {
    Kokkos::deep_copy(batch.positions, reference_positions);
    Kokkos::deep_copy(batch.images, reference_images);
    Kokkos::deep_copy(batch.boxes, reference_boxes);
    if (all_strains[s] != 0.0)
      apply_affine_shear_xy(batch, all_strains[s]);
    if (settings.minimize_endpoints)
      minimize_band_endpoints(batch, force_field, n_images, settings.endpoint_fire);
    if (settings.reinterpolate)
      interpolate_linear(batch, n_images);
    NebRunner runner(settings.neb);
    const std::vector<BandResult> bands = runner.run(batch, force_field, n_images);
    // The virial of every image at the re-converged positions (one evaluation of the batch).
    force_field.compute(batch, EvalRequest{true, true, {}});
    auto virial = Kokkos::create_mirror_view_and_copy(HostSpace(), batch.virial);
    int lost = 0;
    for (int b = 0; b < n_bands; ++b) {
      const int humps = count_energy_humps(bands[b].energies, settings.hump_prominence);
      const bool single = is_single_hump(bands[b].energies, settings.hump_prominence);
      const bool band_is_lost = band_lost(bands[b], settings.hump_prominence);
      const double w_initial = virial(b * n_images, 3);
      const double w_saddle = virial(b * n_images + band_saddle_image(bands[b], n_images), 3);
      if (s == 0) {
        response.reference_barrier.push_back(bands[b].barrier_forward);
        response.reference_lost.push_back(band_is_lost);
        response.reference_virial_xy_initial.push_back(w_initial);
        response.reference_virial_xy_saddle.push_back(w_saddle);
        continue;
      }
      lost += band_is_lost ? 1 : 0;
      response.barrier_forward[b].push_back(bands[b].barrier_forward);
      response.barrier_change[b].push_back(bands[b].barrier_forward -
                                           response.reference_barrier[b]);
      response.humps[b].push_back(humps);
      response.single_hump[b].push_back(single);
      response.converged[b].push_back(bands[b].converged());
      response.lost[b].push_back(band_is_lost);
      response.virial_xy_initial[b].push_back(w_initial);
      response.virial_xy_saddle[b].push_back(w_saddle);
    }
    if (s > 0)
      response.lost_bands.push_back(lost);
  }
  Kokkos::deep_copy(batch.positions, reference_positions);
  Kokkos::deep_copy(batch.images, reference_images);
  Kokkos::deep_copy(batch.boxes, reference_boxes);
  return response;
}

}  // namespace glassland
