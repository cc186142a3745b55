// Copies of chosen replicas between host and device, packed (replica_transfer.hpp).
#include "kernels/replica_transfer.hpp"

namespace glassland {

namespace {

using PackedVectors = Kokkos::View<double* [3], Kokkos::LayoutRight, MemSpace>;

ReplicaInts replica_list(const std::vector<int>& replicas) {
  ReplicaInts list("replica_transfer::replicas", replicas.size());
  auto host = Kokkos::create_mirror_view(list);
  for (size_t p = 0; p < replicas.size(); ++p)
    host(p) = replicas[p];
  Kokkos::deep_copy(list, host);
  return list;
}

}  // namespace

PackedHostVectors copy_replicas_to_host(const AtomVectors& source, const std::vector<int>& replicas,
                                        int n_atoms) {
  const int n_chosen = static_cast<int>(replicas.size());
  PackedHostVectors host("replica_transfer::host_rows", static_cast<int64_t>(n_chosen) * n_atoms);
  if (n_chosen == 0)
    return host;
  const ReplicaInts chosen = replica_list(replicas);
  PackedVectors packed(Kokkos::view_alloc(Kokkos::WithoutInitializing, "replica_transfer::rows"),
                       static_cast<int64_t>(n_chosen) * n_atoms);
  Kokkos::parallel_for(
      "replica_transfer::gather", all_atoms(n_chosen, n_atoms), KOKKOS_LAMBDA(int64_t row) {
        const int64_t p = row / n_atoms;
        const int64_t g = static_cast<int64_t>(chosen(p)) * n_atoms + (row - p * n_atoms);
        for (int k = 0; k < 3; ++k)
          packed(row, k) = source(g, k);
      });
  Kokkos::deep_copy(host, packed);
  return host;
}

ReplicaUpload::ReplicaUpload(const std::vector<int>& chosen, int atoms)
    : replicas(chosen),
      n_atoms(atoms),
      positions("replica_transfer::upload_positions", static_cast<int64_t>(chosen.size()) * atoms),
      elements("replica_transfer::upload_elements", static_cast<int64_t>(chosen.size()) * atoms),
      boxes("replica_transfer::upload_boxes", chosen.size()) {}

void copy_replicas_to_device(const ReplicaUpload& upload, const AtomVectors& positions,
                             const AtomInts& elements, const ReplicaBoxes& boxes) {
  const int n_chosen = static_cast<int>(upload.replicas.size());
  const int n_atoms = upload.n_atoms;
  if (n_chosen == 0)
    return;
  const ReplicaInts chosen = replica_list(upload.replicas);
  auto packed_positions = Kokkos::create_mirror_view_and_copy(MemSpace(), upload.positions);
  auto packed_elements = Kokkos::create_mirror_view_and_copy(MemSpace(), upload.elements);
  auto packed_boxes = Kokkos::create_mirror_view_and_copy(MemSpace(), upload.boxes);
  Kokkos::parallel_for(
      "replica_transfer::scatter", all_atoms(n_chosen, n_atoms), KOKKOS_LAMBDA(int64_t row) {
        const int64_t p = row / n_atoms;
        const int64_t i = row - p * n_atoms;
        const int r = chosen(p);
        const int64_t g = static_cast<int64_t>(r) * n_atoms + i;
        for (int k = 0; k < 3; ++k)
          positions(g, k) = packed_positions(row, k);
        elements(g) = packed_elements(row);
        if (i == 0)
          boxes(r) = packed_boxes(p);
      });
}

}  // namespace glassland
