// Displacement statistics accumulated on the device while MD runs (issue 20 item 3; SPEC.md §9):
// the same sums over (time origin, atom) pairs as analysis/mean_squared_displacement.hpp — count,
// Σ|Δr|², Σ|Δr|⁴ and Σ sin(q|Δr|)/(q|Δr|) (Σ J0(q|Δr|) for lateral displacements) per lag and per
// group of atoms — for every replica of the batch, so that a 100-replica run need not write 100
// trajectories. The host turns them into MSD, α2, F_s, D and τ_α with the post-hoc analysis's own
// functions.
//
// Each sample: unwrapped positions x + H·image, minus the replica's mass-weighted centre of mass
// (drift removal), are kept as a time origin every `origin_stride` samples in a ring of
// max_lag/origin_stride + 1 slots; every origin within max_lag samples of the new sample adds the
// new displacement. One launch per step of that work covers all replicas. Groups are
// element·subsets + (atom index mod subsets), as species_subset_groups() makes them.
//
// The positions are kept in group order (each replica's atoms sorted by group, then index, as
// the post-hoc correlator sorts them), cut into blocks of at most 64 atoms of one group: a block
// is one thread, which sums its atoms in registers and writes one value per quantity; the blocks
// of a group are then added in a fixed order. So the result does not depend on threads or on
// which replicas share the batch, and a checkpointed run resumed from its state continues
// bitwise. (Cost: perf/README.md, "md.analysis".)
#pragma once

#include <cstdint>
#include <vector>

#include "kernels/batch.hpp"

namespace glassland {

struct DisplacementCorrelationSettings {
  int max_lag = 100;       // samples
  int origin_stride = 10;  // samples between time origins
  int dimensions = 3;      // 2: x–y only
  bool remove_drift = true;
  std::vector<double> q;  // Å⁻¹
  int subsets = 8;
};

// Each replica's atoms in group order, cut into blocks of one group each (see above).
struct DisplacementGroupOrder {
  int blocks = 0;                             // per replica (unused blocks pad the shorter)
  AtomInts order;                             // [r·N + k]: atom index of the k-th in group order
  ReplicaScalars mass;                        // per replica
  Kokkos::View<double*, MemSpace> atom_mass;  // per atom, group order
  Kokkos::View<int*, MemSpace> block_begin;   // [r·blocks + b], group-order index in a replica
  Kokkos::View<int*, MemSpace> block_end;     //   (begin = end: an unused block)
  Kokkos::View<int*, MemSpace> group_blocks;  // [r·(groups+1) + g]: first block of group g
  std::vector<int> host_order;                // order on the host
};

// Host copy of one replica's sums, in the layout of analysis::DisplacementSums.
struct ReplicaDisplacementSums {
  std::vector<double> count, r2, r4;  // [lag·groups + group]
  std::vector<double> fs;             // [(lag·n_q + k)·groups + group]
};

class DisplacementCorrelation {
 public:
  DisplacementCorrelation(const Batch& batch, const DisplacementCorrelationSettings& settings);

  // Takes a sample of the batch's current configuration.
  void sample(const Batch& batch);

  int groups() const { return groups_; }
  int64_t samples() const { return samples_; }
  const DisplacementCorrelationSettings& settings() const { return settings_; }
  ReplicaDisplacementSums replica_sums(int replica) const;

  // The whole state as flat host arrays (checkpoints) and back.
  struct State {
    int64_t samples = 0;
    std::vector<int64_t> slot_origin;  // sample index held by each slot, −1 when empty
    std::vector<double> origins;       // [slot][R·N][3], atoms in index order
    std::vector<double> sums;          // [R][lag][group][quantity]
  };
  State state() const;
  void restore(const State& state);

 private:
  size_t atom_index(size_t g) const;  // global atom index of the g-th in group order

  DisplacementCorrelationSettings settings_;
  int n_replicas_, n_atoms_, groups_, quantities_, slots_;
  int64_t samples_ = 0;
  std::vector<int64_t> slot_origin_;
  DisplacementGroupOrder group_order_;
  Kokkos::View<double*, MemSpace> q_;           // wave numbers
  Kokkos::View<double***, MemSpace> origins_;   // [slot][r·N + k][3], group order
  AtomVectors current_;                         // drift-removed unwrapped positions, group order
  Kokkos::View<double* [3], MemSpace> centre_;  // [r][3]
  Kokkos::View<int*, MemSpace> slot_lag_;       // lag of each slot at this sample, −1 inactive
  Kokkos::View<double*, MemSpace> partial_;     // [r][slot][block][quantity]
  Kokkos::View<double*, MemSpace> sums_;        // [r][lag][group][quantity]
};

}  // namespace glassland
