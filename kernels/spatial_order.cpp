#include "kernels/spatial_order.hpp"

#include <Kokkos_Sort.hpp>
#include <limits>
#include <stdexcept>

namespace glassland {

namespace {

// Bins per direction are capped at 2^10 so that a bin's Morton code fits 30 bits.
constexpr int kMortonBits = 10;

// The low 10 bits of v spread to every third bit (bit b goes to bit 3b).
KOKKOS_INLINE_FUNCTION int64_t spread_bits(int v) {
  int64_t x = v & ((1 << kMortonBits) - 1);
  x = (x | (x << 16)) & 0x030000FF;
  x = (x | (x << 8)) & 0x0300F00F;
  x = (x | (x << 4)) & 0x030C30C3;
  x = (x | (x << 2)) & 0x09249249;
  return x;
}

// Morton code of the bin holding position x in `box`, with bins about `bin_width` wide.
KOKKOS_INLINE_FUNCTION int64_t morton_bin(const Box& box, const double x[3], double bin_width) {
  const double d[3] = {x[0] - box.lo[0], x[1] - box.lo[1], x[2] - box.lo[2]};
  double s[3], widths[3];
  box.to_fractional(d, s);
  box.perpendicular_widths(widths);
  int64_t code = 0;
  for (int k = 0; k < 3; ++k) {
    const int bins =
        kmath::max(1, kmath::min(static_cast<int>(widths[k] / bin_width), 1 << kMortonBits));
    // Positions were wrapped at the rebuild; the clamp only guards rounding at the faces.
    const int c = kmath::max(0, kmath::min(static_cast<int>(kmath::floor(s[k] * bins)), bins - 1));
    code |= spread_bits(c) << k;
  }
  return code;
}

}  // namespace

void SpatialOrder::update(const Batch& batch, const NeighborList& list, int n_rebuilt) {
  const int64_t total = batch.total_atoms();
  bool every_replica = false;
  if (static_cast<int64_t>(atom_at.extent(0)) != total || n_atoms_ != batch.n_atoms) {
    n_atoms_ = batch.n_atoms;
    // Keys are r·span + bin·N + i, span = 2^30·N: they must fit an int64.
    const double largest_key = static_cast<double>(batch.n_replicas) * n_atoms_ *
                               static_cast<double>(int64_t(1) << (3 * kMortonBits));
    if (largest_key >= 0.5 * static_cast<double>(std::numeric_limits<int64_t>::max()))
      throw std::invalid_argument(
          "spatial order: too many atoms in the batch for 64-bit sort keys; split the batch");
    atom_at = Kokkos::View<int*, MemSpace>("spatial_order::atom_at", total);
    place_of = Kokkos::View<int*, MemSpace>("spatial_order::place_of", total);
    keys_ = Kokkos::View<int64_t*, MemSpace>("spatial_order::keys", total);
    const int n_atoms = n_atoms_;
    auto at = atom_at;
    auto place = place_of;
    Kokkos::parallel_for(
        "spatial_order::identity", all_atoms(batch.n_replicas, n_atoms), KOKKOS_LAMBDA(int64_t g) {
          at(g) = static_cast<int>(g % n_atoms);
          place(g) = static_cast<int>(g % n_atoms);
        });
    every_replica = true;
  }
  if (!enabled_) {  // the identity order: the list as it is
    entries = list.entries;
    counts = list.counts;
    unshifted_counts = list.unshifted_counts;
    return;
  }
  if (n_rebuilt > 0)
    order_rebuilt_replicas(batch, list);
  if (entries.extent(0) != list.entries.extent(0) || entries.extent(1) != list.entries.extent(1)) {
    entries = Kokkos::View<uint32_t**, MemSpace>(
        Kokkos::view_alloc(Kokkos::WithoutInitializing, "spatial_order::entries"),
        list.entries.extent(0), list.entries.extent(1));
    counts = Kokkos::View<int*, MemSpace>("spatial_order::counts", list.entries.extent(0));
    unshifted_counts =
        Kokkos::View<int*, MemSpace>("spatial_order::unshifted_counts", list.entries.extent(0));
    every_replica = true;
  }
  if (n_rebuilt > 0 || every_replica)
    copy_lists(list, every_replica);
}

void SpatialOrder::order_rebuilt_replicas(const Batch& batch, const NeighborList& list) {
  const int n_atoms = n_atoms_;
  const double bin_width = 0.5 * (list.cutoff() + list.skin());
  const int64_t span = (int64_t(1) << (3 * kMortonBits)) * n_atoms;
  const auto rebuilt = list.rebuilt();
  const auto positions = batch.positions;
  const auto boxes = batch.boxes;
  auto keys = keys_;
  auto at = atom_at;
  auto place = place_of;
  const auto policy = all_atoms(batch.n_replicas, n_atoms);
  // Keys are unique and each replica's lie in their own range, so the sorted keys are the same on
  // every backend and each replica's N keys land on its own N places. A replica not rebuilt keys
  // its atoms by their current places and keeps its order.
  Kokkos::parallel_for(
      "spatial_order::keys", policy, KOKKOS_LAMBDA(int64_t g) {
        const int r = static_cast<int>(g / n_atoms);
        int64_t local = place(g);
        if (rebuilt(r)) {
          const double x[3] = {positions(g, 0), positions(g, 1), positions(g, 2)};
          local = morton_bin(boxes(r), x, bin_width) * n_atoms + g % n_atoms;
        }
        keys(g) = r * span + local;
      });
  Kokkos::sort(keys);
  Kokkos::parallel_for(
      "spatial_order::places", policy, KOKKOS_LAMBDA(int64_t s) {
        const int r = static_cast<int>(s / n_atoms);
        if (!rebuilt(r))
          return;
        const int q = static_cast<int>(s % n_atoms);
        const int i = static_cast<int>((keys(s) % span) % n_atoms);
        at(s) = i;
        place(s - q + i) = q;
      });
}

void SpatialOrder::copy_lists(const NeighborList& list, bool every_replica) {
  const int n_atoms = n_atoms_;
  const auto rebuilt = list.rebuilt();
  const auto list_entries = list.entries;
  const auto list_counts = list.counts;
  const auto list_unshifted = list.unshifted_counts;
  const auto at = atom_at;
  const auto place = place_of;
  auto out_entries = entries;
  auto out_counts = counts;
  auto out_unshifted = unshifted_counts;
  Kokkos::parallel_for(
      "spatial_order::copy_lists",
      Kokkos::RangePolicy<ExecSpace>(0, static_cast<int64_t>(list_counts.extent(0))),
      KOKKOS_LAMBDA(int64_t s) {
        if (!every_replica && !rebuilt(static_cast<int>(s / n_atoms)))
          return;
        const int64_t first = s - s % n_atoms;
        const int64_t gi = first + at(s);
        const int count = list_counts(gi);
        out_counts(s) = count;
        out_unshifted(s) = list_unshifted(gi);
        for (int k = 0; k < count; ++k) {
          const uint32_t entry = list_entries(gi, k);
          out_entries(s, k) = (entry & ~kNeighborIndexMask) |
                              static_cast<uint32_t>(place(first + neighbor_index(entry)));
        }
      });
}

}  // namespace glassland
