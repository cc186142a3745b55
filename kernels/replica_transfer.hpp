// Copies of chosen replicas between host and device, packed: only the replicas a host step
// needs cross the bus, in one transfer per array, instead of whole-batch arrays both ways (ART's
// refills and recorded events touch a few replicas of a batch of hundreds; a whole-batch round
// trip of positions, species and boxes per refill was the cost, issue 18).
//
// A packed array holds the chosen replicas one after the other: row p·n_atoms + i is atom i of
// replicas[p]. A device kernel gathers (or scatters) the rows, so the strided rows of a device
// view never need a strided host copy.
#pragma once

#include <vector>

#include "kernels/types.hpp"

namespace glassland {

using PackedHostVectors = Kokkos::View<double* [3], Kokkos::LayoutRight, HostSpace>;
using PackedHostInts = Kokkos::View<int*, HostSpace>;
using PackedHostBoxes = Kokkos::View<Box*, HostSpace>;

// The host copy of replicas[p]'s rows of `source`, packed.
PackedHostVectors copy_replicas_to_host(const AtomVectors& source, const std::vector<int>& replicas,
                                        int n_atoms);

// New contents for some replicas of a batch's positions, species and boxes, filled on the host
// (positions and elements packed as above, boxes(p) the box of replicas[p]).
struct ReplicaUpload {
  ReplicaUpload(const std::vector<int>& replicas, int n_atoms);
  std::vector<int> replicas;
  int n_atoms;
  PackedHostVectors positions;
  PackedHostInts elements;
  PackedHostBoxes boxes;
};

// Writes the upload into the chosen replicas of the device views; the others are not touched.
void copy_replicas_to_device(const ReplicaUpload& upload, const AtomVectors& positions,
                             const AtomInts& elements, const ReplicaBoxes& boxes);

}  // namespace glassland
