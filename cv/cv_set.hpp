// One collective variable per replica, all evaluated in one launch (SPEC.md §2, §5). Each
// replica has its own definition (kind, atoms, reference coordinates) held in per-replica device
// views padded to the largest atom count; the kind dispatch is cv/cv_registry.hpp.
//
// Usage:
//   std::vector<CvDefinition> defs;                       // one per replica
//   defs.push_back(hop_distance_definition(atom, reference_xyz));
//   defs.push_back(cluster_rmsd_definition(select_cluster(pos, box, centre, 4.0), pos, box));
//   CvSet cvs(defs);
//   cvs.anchor_references(batch);   // hop distance: nearest image of the reference (once)
//   cvs.evaluate(batch);            // cvs.data().value(r), cvs.data().gradient(r, m, k)
#pragma once

#include <array>
#include <string>
#include <vector>

#include "cv/cv_registry.hpp"
#include "kernels/batch.hpp"
#include "kernels/force_field.hpp"

namespace glassland {

// Per-replica CV atoms [r][m] (replica-local atom indices) and [r][m][k] vectors. LayoutRight
// on every backend, so that row r is one contiguous [n][3] block that the CV functions read
// through plain pointers.
using CvAtomIndices = Kokkos::View<int**, Kokkos::LayoutRight, MemSpace>;
using CvVectors = Kokkos::View<double** [3], Kokkos::LayoutRight, MemSpace>;

// A CV definition on the host: kind, the replica-local atom indices (0-based, atom-ID order),
// and one reference position per atom (Å).
struct CvDefinition {
  int kind = 0;
  std::vector<int> atoms;
  std::vector<std::array<double, 3>> reference;
};

// Hop distance of `atom` from `reference` (e.g. its own position at the start of sampling).
CvDefinition hop_distance_definition(int atom, const std::array<double, 3>& reference);

// Indices of the cluster around `centre` in one replica's positions: the centre first, then
// every atom within `cutoff` (minimum image, strict <) in increasing index order. Brute force
// over the N atoms (done once per tracer on the host).
std::vector<int> select_cluster(const std::vector<std::array<double, 3>>& positions, const Box& box,
                                int centre, double cutoff = 4.0);

// Cluster RMSD over `cluster` (centre first, from select_cluster) with the reference taken from
// `reference_positions` (all atoms of the replica, any periodic images): the reference is stored
// contiguous (atom m at x_centre + minimum_image(x_m − x_centre)).
CvDefinition cluster_rmsd_definition(const std::vector<int>& cluster,
                                     const std::vector<std::array<double, 3>>& reference_positions,
                                     const Box& box);

// Device views of a CvSet; copy into a kernel by value.
struct CvData {
  ReplicaInts kind;        // [r] index in RegisteredCvs
  ReplicaInts atom_count;  // [r] atoms used by replica r's CV
  CvAtomIndices atoms;     // [r][m]
  CvVectors reference;     // [r][m][k]
  CvVectors positions;     // [r][m][k] scratch: gathered unwrapped positions
  ReplicaScalars value;    // [r] s of the last evaluation
  CvVectors gradient;      // [r][m][k] ∂s/∂x of the last evaluation
};

// The batch's views a CV evaluation reads; copy into a kernel by value.
struct CvInputs {
  int n_atoms = 0;
  AtomVectors positions;
  AtomImages images;
  ReplicaBoxes boxes;
  explicit CvInputs(const Batch& batch)
      : n_atoms(batch.n_atoms),
        positions(batch.positions),
        images(batch.images),
        boxes(batch.boxes) {}
};

// Gathers replica r's CV atoms (unwrapped: x + H·image) into data.positions(r, ·, ·).
KOKKOS_INLINE_FUNCTION void gather_cv_positions(const CvData& data, const CvInputs& in, int r) {
  const Box box = in.boxes(r);
  const int64_t first = static_cast<int64_t>(r) * in.n_atoms;
  const int count = data.atom_count(r);
  for (int m = 0; m < count; ++m) {
    const int64_t g = first + data.atoms(r, m);
    double x[3] = {in.positions(g, 0), in.positions(g, 1), in.positions(g, 2)};
    box.add_lattice_vector(in.images(g, 0), in.images(g, 1), in.images(g, 2), x);
    for (int k = 0; k < 3; ++k)
      data.positions(r, m, k) = x[k];
  }
}

// Evaluates replica r's CV: value(r) and gradient(r, ·, ·); returns s.
KOKKOS_INLINE_FUNCTION double evaluate_replica_cv(const CvData& data, const CvInputs& in, int r) {
  gather_cv_positions(data, in, r);
  const double s =
      CvRegistry::evaluate(data.kind(r), in.boxes(r), data.atom_count(r), &data.positions(r, 0, 0),
                           &data.reference(r, 0, 0), &data.gradient(r, 0, 0));
  data.value(r) = s;
  return s;
}

class CvSet {
 public:
  CvSet() = default;
  // One definition per replica; throws std::invalid_argument on an unknown kind, an empty or
  // ill-sized atom list, or a reference count that differs from the atom count.
  explicit CvSet(const std::vector<CvDefinition>& per_replica);

  int n_replicas() const { return n_replicas_; }
  int max_atoms() const { return max_atoms_; }
  const CvData& data() const { return data_; }
  const std::vector<CvDefinition>& definitions() const { return definitions_; }

  // Checks the atom indices against the batch (size and range); throws std::invalid_argument.
  void check_against(const Batch& batch) const;

  // Moves references that are absolute positions (hop distance) onto the periodic image nearest
  // to the atoms' current unwrapped positions. Call once, before sampling.
  void anchor_references(const Batch& batch);

  // s and ∂s/∂x of every (active) replica in one launch, into data().value / data().gradient.
  void evaluate(const Batch& batch, const ReplicaInts& active = {});

  // Host copy of the values of the last evaluation.
  std::vector<double> values_on_host() const;

 private:
  int n_replicas_ = 0;
  int max_atoms_ = 0;
  std::vector<CvDefinition> definitions_;
  CvData data_;
};

}  // namespace glassland
