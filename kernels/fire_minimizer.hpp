// Batched FIRE 2.0 minimiser: every replica has its own time step, mixing parameter and
// counters, and stops on its own criterion while the others continue (SPEC.md §4).
//
// Method: FIRE 2.0, J. Guénolé et al., Comput. Mater. Sci. 175, 109584 (2020), Algorithm 2, as
// LAMMPS min_style fire does it (src/min_fire.cpp); the steps are kernels/fire_stepper.hpp's,
// with every replica its own system, Δt shortened before the Euler step, and LAMMPS's stopping
// rules (energy, force, caps) here.
#pragma once

#include <vector>

#include "kernels/fire_stepper.hpp"
#include "kernels/minimizer_common.hpp"

namespace glassland {

struct FireSettings {
  MinimizerTolerances tolerances;
  double dt_initial = 0.001;      // ps: LAMMPS metal `timestep` default
  double dt_max = 0.01;           // ps: LAMMPS tmax 10 × timestep
  double dt_min = 0.00002;        // ps: LAMMPS tmin 0.02 × timestep
  int delay_steps = 20;           // N_delaystep
  double dt_grow = 1.1;           // f_inc
  double dt_shrink = 0.5;         // f_dec
  double alpha_start = 0.25;      // α₀
  double alpha_shrink = 0.99;     // f_α
  double max_displacement = 0.1;  // Å per Cartesian component per step (LAMMPS dmax)
  bool half_step_back = true;     // x ← x − ½Δt·v when P ≤ 0 (inertia correction)
  bool initial_delay = true;      // no dt shrink / α reset during the first N_delaystep steps
  int max_uphill_steps = 2000;    // LAMMPS vdfmax: stop after this many steps with P ≤ 0
};

class FireMinimizer {
 public:
  explicit FireMinimizer(const FireSettings& settings = {});

  // Minimises every replica (or those with participate(r) != 0; the others are left untouched)
  // until each has converged or hit a cap. Positions and batch.forces/potential_energy hold
  // the final state; batch.velocities are not touched (FIRE keeps its own).
  std::vector<ReplicaMinimization> minimize(Batch& batch, ForceField& force_field,
                                            const ReplicaInts& participate = {});

  // Step-wise use (what minimize() does): start() evaluates forces and resets the state;
  // advance() runs up to n_iterations lock-step iterations and returns how many replicas are
  // still running; results() copies the per-replica outcome to the host.
  void start(Batch& batch, ForceField& force_field, const ReplicaInts& participate = {});
  int advance(Batch& batch, ForceField& force_field, int n_iterations);
  std::vector<ReplicaMinimization> results(const Batch& batch) const;

  const FireSettings& settings() const { return settings_; }
  // Per-replica status, counters and the running mask (device views).
  const MinimizerReplicaState& state() const { return state_; }

  // One lock-step iteration of every running replica (what advance() repeats), and its first
  // and last launches. Public because CUDA extended lambdas may not be defined inside private
  // member functions.
  void iterate(Batch& batch, ForceField& force_field);
  void remember_energies(const Batch& batch);
  void check_convergence(const Batch& batch);

 private:
  FireSettings settings_;
  MinimizerReplicaState state_;
  FireStepper stepper_;             // velocities, Δt, α and counters of every replica
  ReplicaScalars previous_energy_;  // eV, before this iteration's step
};

}  // namespace glassland
