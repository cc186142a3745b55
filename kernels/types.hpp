// Named view aliases for the replica batch. Per-atom data is flattened over replicas:
// global index g = r·N + i for atom i (0-based, in atom-ID order) of replica r.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "kernels/box.hpp"
#include "kernels/kokkos_compat.hpp"

namespace glassland {

using ExecSpace = Kokkos::DefaultExecutionSpace;
using MemSpace = ExecSpace::memory_space;
using HostSpace = Kokkos::HostSpace;

// Three components per atom (positions, velocities, forces), indexed [g][k].
using AtomVectors = Kokkos::View<double* [3], MemSpace>;
// One scalar per atom (per-atom energy, density, embedding derivative), indexed [g].
using AtomScalars = Kokkos::View<double*, MemSpace>;
// One integer per atom (element index, atom ID), indexed [g].
using AtomInts = Kokkos::View<int*, MemSpace>;
// Periodic image counts per atom, indexed [g][k]; unwrapped x = x + H·image.
using AtomImages = Kokkos::View<int* [3], MemSpace>;
// One scalar per replica (energy, target temperature, ...), indexed [r].
using ReplicaScalars = Kokkos::View<double*, MemSpace>;
// One integer per replica (masks, flags, counters), indexed [r].
using ReplicaInts = Kokkos::View<int*, MemSpace>;
// Symmetric tensor per replica in Voigt order xx, yy, zz, xy, xz, yz, indexed [r][k].
using ReplicaTensors = Kokkos::View<double* [6], MemSpace>;
// One periodic box per replica, indexed [r].
using ReplicaBoxes = Kokkos::View<Box*, MemSpace>;

// Range over every atom of every replica: the standard launch shape.
inline Kokkos::RangePolicy<ExecSpace> all_atoms(int n_replicas, int n_atoms) {
  return Kokkos::RangePolicy<ExecSpace>(0, static_cast<int64_t>(n_replicas) * n_atoms);
}

// A device copy of per-replica host values (masks, flags, temperatures, seeds): one transfer.
template <class View, class Value>
View make_replica_view(const std::vector<Value>& values, const std::string& label) {
  View view(label, values.size());
  auto host = Kokkos::create_mirror_view(view);
  for (size_t r = 0; r < values.size(); ++r)
    host(r) = values[r];
  Kokkos::deep_copy(view, host);
  return view;
}
inline ReplicaInts make_replica_ints(const std::vector<int>& values, const std::string& label) {
  return make_replica_view<ReplicaInts>(values, label);
}

}  // namespace glassland
