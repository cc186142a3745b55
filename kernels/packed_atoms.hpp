// Atoms as the EAM passes read them (issue 18): one 32-byte record {x, y, z, element} per atom,
// so that each neighbour costs one gather (one cache line on a CPU, two 16-byte loads on a GPU)
// instead of three coordinate loads from separate arrays (the batch's LayoutLeft positions on a
// GPU) plus a fourth for the element. The element index is stored as a double (exact for any
// element count). The records are refreshed from the batch at every evaluation, in the order the
// force term chooses, so nothing outside the term sees them. NeighborImages reads x, y, z from
// them as it does from the batch's positions.
#pragma once

#include <cstdint>

#include "kernels/types.hpp"

namespace glassland {

using PackedAtoms = Kokkos::View<double* [4], Kokkos::LayoutRight, MemSpace>;

KOKKOS_INLINE_FUNCTION int packed_element(const PackedAtoms& atoms, int64_t g) {
  return static_cast<int>(atoms(g, 3));
}

}  // namespace glassland
