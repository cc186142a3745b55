// A force evaluation is a sum of terms behind one interface (ARCHITECTURE.md, "A force
// evaluation, as data"): EAM, the analytic test landscapes, and later metadynamics biases and
// NEB springs each add their forces, per-atom energies, per-replica energies and virials into
// the batch's accumulators. Every term launches over all replicas at once.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "kernels/batch.hpp"

namespace glassland {

struct EvalRequest {
  bool energy = true;  // per-atom and per-replica energies
  bool virial = true;  // per-replica virial
  // Optional mask of length n_replicas: replicas with active(r) == 0 are skipped (their
  // accumulators are left as zeroed by ForceField::compute). Empty view = all replicas.
  ReplicaInts active;
};

KOKKOS_INLINE_FUNCTION bool replica_is_active(const ReplicaInts& active, int replica) {
  return active.extent(0) == 0 || active(replica) != 0;
}

class ForceTerm {
 public:
  virtual ~ForceTerm() = default;
  virtual std::string name() const = 0;
  // Adds this term's contributions to batch.forces, batch.per_atom_energy,
  // batch.potential_energy and batch.virial. May wrap positions into the box (updating
  // batch.images) when it rebuilds a neighbour list.
  virtual void accumulate(Batch& batch, const EvalRequest& request) = 0;
  // Drops cached state (neighbour lists) so that the next evaluation starts afresh, exactly as
  // it does after a restart from a checkpoint: drivers call it at every checkpoint so that an
  // interrupted-and-restarted run repeats the uninterrupted one bitwise.
  virtual void reset() {}
};

class ForceField {
 public:
  void add_term(std::unique_ptr<ForceTerm> term) { terms_.push_back(std::move(term)); }
  const std::vector<std::unique_ptr<ForceTerm>>& terms() const { return terms_; }

  // Zeroes the accumulators of the active replicas, then lets every term add its part.
  void compute(Batch& batch, const EvalRequest& request = {});

  // ForceTerm::reset() of every term.
  void reset() {
    for (auto& term : terms_) term->reset();
  }

  // Number of compute() calls so far: one force evaluation of the whole batch each.
  int64_t evaluations() const { return evaluations_; }

 private:
  std::vector<std::unique_ptr<ForceTerm>> terms_;
  int64_t evaluations_ = 0;
};

}  // namespace glassland
