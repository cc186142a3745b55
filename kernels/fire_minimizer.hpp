// Batched FIRE 2.0 minimiser: every replica has its own time step, mixing parameter and
// counters, and stops on its own criterion while the others continue (SPEC.md §4).
//
// Method: J. Guénolé, W. G. Nöhring, A. Vaid, F. Houllé, Z. Xie, A. Prakash, E. Bitzek,
// "Assessment and optimization of the fast inertial relaxation engine (FIRE) for energy
// minimization in atomistic simulations and its implementation in LAMMPS",
// Comput. Mater. Sci. 175, 109584 (2020), Algorithm 2 (FIRE 2.0), with the defaults and the
// step details of its LAMMPS implementation (min_style fire, src/min_fire.cpp): semi-implicit
// Euler integrator, half step back on P = F·v ≤ 0, no dt/α change during the first
// N_delaystep steps, per-component maximum displacement dmax per step.
#pragma once

#include <vector>

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

// The scalar FIRE 2.0 parameters, copied into device code.
struct FireParameters {
  double dt_max, dt_min, dt_grow, dt_shrink, alpha_start, alpha_shrink;
  int delay_steps, max_uphill_steps;
  bool initial_delay;
};

// What one replica does to its velocities this step.
struct FireDecision {
  bool mix = false;             // v ← (1−α) v + α |v| F̂ after the velocity update
  double velocity_scale = 1.0;  // 1 − α
  double force_scale = 0.0;     // α |v| / |F|
  bool restart = false;         // P ≤ 0: half step back and v ← 0
  bool too_many_uphill = false;
};

// FIRE 2.0's adaptation of Δt and α (Guénolé et al. 2020, Algorithm 2, lines 5–20) for one
// replica at step `step` (1-based), from P = F·v, v·v and F·F over its atoms. Updates dt, alpha,
// last_negative (the last step with P ≤ 0) and uphill_steps in place.
KOKKOS_INLINE_FUNCTION FireDecision fire_adapt(const FireParameters& p, int step, double power,
                                               double v_dot_v, double f_dot_f, double& dt,
                                               double& alpha, int& last_negative,
                                               int& uphill_steps) {
  FireDecision decision;
  if (power > 0.0) {
    uphill_steps = 0;
    decision.mix = true;
    decision.velocity_scale = 1.0 - alpha;
    // The mixing uses α of this step, before it shrinks (as LAMMPS does).
    decision.force_scale = f_dot_f <= 1e-20 ? 0.0 : alpha * kmath::sqrt(v_dot_v / f_dot_f);
    if (step - last_negative > p.delay_steps) {
      dt = kmath::min(dt * p.dt_grow, p.dt_max);
      alpha *= p.alpha_shrink;
    }
  } else {
    last_negative = step;
    // Early in the run the system has not yet built up speed: keep dt and α (initialdelay).
    const bool in_initial_delay = p.initial_delay && step < p.delay_steps;
    if (!in_initial_delay) {
      alpha = p.alpha_start;
      if (dt * p.dt_shrink >= p.dt_min)
        dt *= p.dt_shrink;
    }
    ++uphill_steps;
    decision.too_many_uphill = p.max_uphill_steps > 0 && uphill_steps > p.max_uphill_steps;
    decision.restart = true;
  }
  return decision;
}

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

  // One lock-step iteration of every running replica (what advance() repeats). Public because
  // CUDA extended lambdas may not be defined inside private member functions.
  void iterate(Batch& batch, ForceField& force_field);

 private:
  FireSettings settings_;
  MinimizerReplicaState state_;
  AtomVectors velocities_;  // FIRE's own velocities, Å/ps
  ReplicaScalars dt_;       // ps
  ReplicaScalars alpha_;
  ReplicaInts last_negative_;  // last step with P ≤ 0
  ReplicaInts uphill_steps_;   // consecutive steps with P ≤ 0
  ReplicaScalars power_, v_dot_v_, f_dot_f_;
  ReplicaInts mix_;
  ReplicaScalars velocity_scale_, force_scale_;
  ReplicaInts restart_;
  ReplicaInts needs_fresh_forces_;  // restarted and moved back: forces are stale
  ReplicaScalars step_dt_;          // this step's Δt after the displacement limit
  ReplicaScalars previous_energy_;  // eV
};

}  // namespace glassland
