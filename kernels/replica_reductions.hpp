// Per-replica reductions over the atoms of every replica in one launch: one team per replica,
// the team's threads share the replica's atoms. The reduction order depends only on N and the
// team size, never on R, so a replica's sum is the same alone and inside a batch (SPEC.md §2).
#pragma once

#include <climits>

#include "kernels/types.hpp"

namespace glassland {

// Σ_i a_i·b_i over the atoms g = first + i of one replica, reduced by the calling team (one team
// per replica): the dot products the minimisers need (F·v, v·v, F·F, F·h, ...).
template <class Team, class VectorsA, class VectorsB>
KOKKOS_INLINE_FUNCTION double team_replica_dot(const Team& team, const VectorsA& a,
                                               const VectorsB& b, int64_t first, int n_atoms) {
  double sum = 0.0;
  Kokkos::parallel_reduce(
      Kokkos::TeamThreadRange(team, n_atoms),
      [&](int i, double& partial) {
        const int64_t g = first + i;
        partial += a(g, 0) * b(g, 0) + a(g, 1) * b(g, 1) + a(g, 2) * b(g, 2);
      },
      sum);
  return sum;
}

// The same sum with the components added one by one, Σ_i Σ_k a_ik·b_ik: another rounding, kept
// where a caller's numbers were established with it (the NEB band's FIRE, fire_stepper.hpp).
template <class Team, class VectorsA, class VectorsB>
KOKKOS_INLINE_FUNCTION double team_replica_dot_per_component(const Team& team, const VectorsA& a,
                                                             const VectorsB& b, int64_t first,
                                                             int n_atoms) {
  double sum = 0.0;
  Kokkos::parallel_reduce(
      Kokkos::TeamThreadRange(team, n_atoms),
      [&](int i, double& partial) {
        const int64_t g = first + i;
        for (int k = 0; k < 3; ++k)
          partial += a(g, k) * b(g, k);
      },
      sum);
  return sum;
}

// The lowest atom i < n_atoms with score(i) == value (INT_MAX when there is none): names the atom
// behind a team's maximum the same way on every backend, whatever order the team visits atoms in.
template <class Team, class Score>
KOKKOS_INLINE_FUNCTION int team_lowest_atom_scoring(const Team& team, int n_atoms,
                                                    const Score& score, double value) {
  int atom = INT_MAX;
  Kokkos::parallel_reduce(
      Kokkos::TeamThreadRange(team, n_atoms),
      [&](int i, int& lowest) {
        if (score(i) == value && i < lowest)
          lowest = i;
      },
      Kokkos::Min<int>(atom));
  return atom;
}

// out(r) = Σ_i value(g) over the atoms g = r·N + i of replica r.
template <class AtomValue>
void sum_per_replica(const char* label, int n_replicas, int n_atoms, const AtomValue& value,
                     const ReplicaScalars& out) {
  using Team = Kokkos::TeamPolicy<ExecSpace>::member_type;
  Kokkos::parallel_for(
      label, Kokkos::TeamPolicy<ExecSpace>(n_replicas, Kokkos::AUTO),
      KOKKOS_LAMBDA(const Team& team) {
        const int r = team.league_rank();
        const int64_t first = static_cast<int64_t>(r) * n_atoms;
        double sum = 0.0;
        Kokkos::parallel_reduce(
            Kokkos::TeamThreadRange(team, n_atoms),
            [&](int i, double& partial) { partial += value(first + i); }, sum);
        Kokkos::single(Kokkos::PerTeam(team), [&]() { out(r) = sum; });
      });
}

// out(r) = max_i value(g) over the atoms of replica r.
template <class AtomValue>
void max_per_replica(const char* label, int n_replicas, int n_atoms, const AtomValue& value,
                     const ReplicaScalars& out) {
  using Team = Kokkos::TeamPolicy<ExecSpace>::member_type;
  Kokkos::parallel_for(
      label, Kokkos::TeamPolicy<ExecSpace>(n_replicas, Kokkos::AUTO),
      KOKKOS_LAMBDA(const Team& team) {
        const int r = team.league_rank();
        const int64_t first = static_cast<int64_t>(r) * n_atoms;
        double largest = Kokkos::reduction_identity<double>::max();
        Kokkos::parallel_reduce(
            Kokkos::TeamThreadRange(team, n_atoms),
            [&](int i, double& partial) {
              const double v = value(first + i);
              if (v > partial)
                partial = v;
            },
            Kokkos::Max<double>(largest));
        Kokkos::single(Kokkos::PerTeam(team), [&]() { out(r) = largest; });
      });
}

}  // namespace glassland
