// A spatial order of the atoms of each replica, and the neighbour list rewritten in it (issue 18).
// Atoms stored in ID order sit anywhere in space, so the neighbours of consecutive atoms are
// scattered over the whole replica: GPU threads of one warp gather from unrelated cache lines, and
// a CPU core touches a new line per neighbour. At every neighbour-list rebuild of a replica its
// atoms are ordered by bins of half the list's reach (LAMMPS's default for atom_modify sort), the
// bins in Morton (Z-curve) order so that nearby bins are nearby in memory, atoms of one bin by
// index; the replica's list is then copied into that order. Between rebuilds the order is kept,
// so each evaluation only gathers positions through it. Each replica's order depends only on its
// own atoms, so a replica in a batch is ordered as it is alone (batch invariance stays bitwise).
//
// The force term reads atoms in this order and scatters its results back to the batch's order:
// nothing outside it sees the order. Only the summation order of each atom's pair sums changes.
#pragma once

#include <cstdint>

#include "kernels/neighbor_list.hpp"

namespace glassland {

class SpatialOrder {
 public:
  // enabled = false keeps the batch's order (the identity), the reference the sorted path is
  // tested against.
  explicit SpatialOrder(bool enabled) : enabled_(enabled) {}

  // Follows `list` after its update() (which returned n_rebuilt): new orders for the replicas it
  // rebuilt, and the list in the order of every replica whose order or list changed.
  void update(const Batch& batch, const NeighborList& list, int n_rebuilt);

  bool enabled() const { return enabled_; }

  // [r·N + q]: the replica-local index of the atom at place q of replica r's order.
  Kokkos::View<int*, MemSpace> atom_at;
  // [r·N + i]: the place of atom i in its replica's order.
  Kokkos::View<int*, MemSpace> place_of;
  // The neighbour list with rows and neighbour indices in places (the shift codes and the order
  // of each row, unshifted entries first, unchanged).
  Kokkos::View<uint32_t**, MemSpace> entries;
  Kokkos::View<int*, MemSpace> counts;
  Kokkos::View<int*, MemSpace> unshifted_counts;

  // The steps of update(), public only because CUDA's extended lambdas may not live in private
  // member functions.
  void order_rebuilt_replicas(const Batch& batch, const NeighborList& list);
  void copy_lists(const NeighborList& list, bool every_replica);

 private:
  bool enabled_;
  int n_atoms_ = 0;
  Kokkos::View<int64_t*, MemSpace> keys_;
};

}  // namespace glassland
