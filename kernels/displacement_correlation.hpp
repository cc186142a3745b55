// Displacement statistics accumulated on the device while MD runs (issue 20 item 3; SPEC.md §9):
// the same sums over (time origin, atom) pairs as analysis/mean_squared_displacement.hpp — count,
// Σ|Δr|², Σ|Δr|⁴ and Σ sin(q|Δr|)/(q|Δr|) per lag and per group of atoms — for every replica of
// the batch, so that a 100-replica run need not write 100 trajectories. The host turns them into
// MSD, α2, F_s, D and τ_α with the post-hoc analysis's own functions.
//
// Each sample: unwrapped positions x + H·image, minus the replica's mass-weighted centre of mass
// (drift removal), are kept as a time origin every `origin_stride` samples in a ring of
// max_lag/origin_stride + 1 slots; every origin within max_lag samples of the new sample adds the
// new displacement. One launch per step of that work covers all replicas. Groups are
// element·subsets + (atom index mod subsets), as species_subset_groups() makes them.
//
// The sums are added per block of atoms into a scratch array and the blocks are then added in a
// fixed order, so the result does not depend on threads or on which replicas share the batch, and
// a checkpointed run resumed from its state continues bitwise.
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
    std::vector<double> origins;       // [slot][R·N][3]
    std::vector<double> sums;          // [R][lag][group][quantity]
  };
  State state() const;
  void restore(const State& state);

 private:
  DisplacementCorrelationSettings settings_;
  int n_replicas_, n_atoms_, groups_, quantities_, slots_, blocks_;
  int64_t samples_ = 0;
  std::vector<int64_t> slot_origin_;
  AtomInts group_;                              // per atom
  Kokkos::View<double*, MemSpace> q_;           // wave numbers
  Kokkos::View<double***, MemSpace> origins_;   // [slot][g][3]
  AtomVectors current_;                         // drift-removed unwrapped positions
  Kokkos::View<double* [3], MemSpace> centre_;  // [r][3]
  Kokkos::View<int*, MemSpace> slot_lag_;       // lag of each slot at this sample, −1 inactive
  Kokkos::View<double*, MemSpace> partial_;     // [r][slot][block][group][quantity]
  Kokkos::View<double*, MemSpace> sums_;        // [r][lag][group][quantity]
};

}  // namespace glassland
