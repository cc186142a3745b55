// What the batched minimisers (FIRE 2.0, conjugate gradient) share: stopping rules, the
// per-replica status codes and the per-replica result copied to the host at the end.
// SPEC.md §4. The stopping rules follow LAMMPS `minimize` (src/min.cpp, min_cg.cpp,
// min_fire.cpp, 29 Sep 2021): the energy criterion is LAMMPS's relative test
//   |E − E_prev| < etol · ½ (|E| + |E_prev| + ε),  ε = 1e-8 eV,
// and the force criterion compares a force norm with ftol (eV/Å), as `min_modify norm`.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "kernels/batch.hpp"
#include "kernels/force_field.hpp"

namespace glassland {

// Per-replica state of a minimisation. `running` is the only state in which a replica moves.
enum class MinimizerStatus : int {
  running = 0,
  converged_force = 1,    // force norm below ftol
  converged_energy = 2,   // relative energy change below etol
  max_iterations = 3,     // iteration cap reached: NOT converged
  max_evaluations = 4,    // force-evaluation cap reached: NOT converged
  not_participating = 5,  // replica was masked out of this minimisation by the caller
  // Line-search failures of CG (LAMMPS's DOWNHILL, ZEROALPHA, ZEROFORCE, ZEROQUAD). Near a
  // minimum they usually mean the energy can no longer be lowered at machine precision.
  search_not_downhill = 6,
  linesearch_alpha_zero = 7,
  zero_force = 8,
  quadratic_factors_zero = 9,
  // FIRE: more than max_uphill_steps steps with P = F·v ≤ 0 (LAMMPS's MAXVDOTF, vdfmax).
  max_uphill_steps = 10,
  non_finite_energy = 11,  // NaN/Inf energy: the replica stopped where it was
  non_finite_forces = 12,  // NaN/Inf force on an atom (energy finite): stopped where it was
};

// True for the outcomes that mean the replica's numbers broke down (a fault, issue 16), not a
// minimisation that merely stopped early.
inline bool is_non_finite(MinimizerStatus status) {
  return status == MinimizerStatus::non_finite_energy ||
         status == MinimizerStatus::non_finite_forces;
}

// True for the outcomes in which the replica sits at a minimum within the tolerances.
inline bool is_converged(MinimizerStatus status) {
  return status == MinimizerStatus::converged_force || status == MinimizerStatus::converged_energy;
}

std::string to_string(MinimizerStatus status);

// Which force norm the force criterion compares with ftol (LAMMPS `min_modify norm`).
enum class ForceNorm : int {
  max_atom = 0,  // max_i |f_i| over atoms (LAMMPS `norm max`); the glassland default
  two = 1,       // |F| of the whole 3N vector (LAMMPS's default `norm two`)
  inf = 2,       // max over all 3N components |f_ik| (LAMMPS `norm inf`)
};

struct MinimizerTolerances {
  double etol = 0.0;   // relative energy change; 0 disables the energy criterion
  double ftol = 1e-6;  // eV/Å; 0 disables the force criterion
  ForceNorm force_norm = ForceNorm::max_atom;
  int max_iterations = 10000;    // per replica; reaching it is reported, not silent
  int max_evaluations = 100000;  // force evaluations per replica
  // The host checks whether any replica is still running every this many iterations (one
  // small device-to-host copy); finished replicas are masked in between and cost nothing.
  int host_check_interval = 10;
};

// One replica's outcome, on the host.
struct ReplicaMinimization {
  MinimizerStatus status = MinimizerStatus::running;
  int iterations = 0;           // minimiser iterations (FIRE steps, CG line searches)
  int evaluations = 0;          // force evaluations spent on this replica (initial one included)
  double initial_energy = 0.0;  // eV
  double final_energy = 0.0;    // eV, at the final positions
  double force_norm = 0.0;      // eV/Å, the tolerance's norm at the final positions
};

// LAMMPS's energy criterion (EPS_ENERGY = 1e-8 in min.cpp / min_cg.cpp / min_fire.cpp).
KOKKOS_INLINE_FUNCTION bool energy_change_converged(double energy, double previous_energy,
                                                    double etol) {
  constexpr double kEpsEnergy = 1.0e-8;
  return kmath::fabs(energy - previous_energy) <
         etol * 0.5 * (kmath::fabs(energy) + kmath::fabs(previous_energy) + kEpsEnergy);
}

// Per-atom contribution to the squared force norm: the per-replica value is the sum over atoms
// for ForceNorm::two and the maximum over atoms otherwise (see force_norm_is_sum()).
KOKKOS_INLINE_FUNCTION double force_norm_term(ForceNorm norm, double fx, double fy, double fz) {
  if (norm == ForceNorm::inf) {
    const double ax = kmath::fabs(fx), ay = kmath::fabs(fy), az = kmath::fabs(fz);
    const double largest = kmath::max(ax, kmath::max(ay, az));
    return largest * largest;
  }
  return fx * fx + fy * fy + fz * fz;
}
KOKKOS_INLINE_FUNCTION bool force_norm_is_sum(ForceNorm norm) {
  return norm == ForceNorm::two;
}
// False when compute_force_norms met a non-finite force.
KOKKOS_INLINE_FUNCTION bool force_norm_is_usable(double force_norm_squared) {
  return force_norm_squared < 1.7976931348623157e308;  // DBL_MAX; NaN fails too
}

// Per-replica device state common to both minimisers.
struct MinimizerReplicaState {
  ReplicaInts status;   // MinimizerStatus as int
  ReplicaInts running;  // 1 while status == running: the mask given to ForceField
  ReplicaInts iterations;
  ReplicaInts evaluations;
  ReplicaScalars initial_energy;
  ReplicaScalars force_norm_squared;  // the criterion's norm², at the current positions

  MinimizerReplicaState() = default;
  explicit MinimizerReplicaState(int n_replicas)
      : status("minimizer::status", n_replicas),
        running("minimizer::running", n_replicas),
        iterations("minimizer::iterations", n_replicas),
        evaluations("minimizer::evaluations", n_replicas),
        initial_energy("minimizer::initial_energy", n_replicas),
        force_norm_squared("minimizer::force_norm_squared", n_replicas) {}
};

// Host helpers shared by the minimisers (minimizer_common.cpp).
namespace minimizer_detail {

// Sets status = running (or not_participating where `participate` is given and 0), running
// mask, zero counters.
void reset_state(const MinimizerReplicaState& state, const ReplicaInts& participate);

// force_norm_squared(r) for replicas with mask(r) != 0 from batch.forces (one team per replica).
// A non-finite force makes it non-finite or DBL_MAX (a maximum cannot carry NaN through a
// reduction): force_norm_is_usable() tells.
void compute_force_norms(const Batch& batch, ForceNorm norm, const ReplicaInts& mask,
                         const ReplicaScalars& force_norm_squared);

// Adds 1 to evaluations(r) where mask(r) != 0.
void count_evaluation(const ReplicaInts& mask, const ReplicaInts& evaluations);

// Number of replicas still running (one device-to-host copy).
int count_running(const ReplicaInts& running);

// Copies the per-replica outcome to the host.
std::vector<ReplicaMinimization> collect_results(const MinimizerReplicaState& state,
                                                 const Batch& batch);

}  // namespace minimizer_detail

}  // namespace glassland
