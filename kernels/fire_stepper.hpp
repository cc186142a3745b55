// FIRE 2.0 on a batch: one implementation of the fast inertial relaxation engine for every
// optimiser of glassland that follows forces with damped dynamics. The FIRE minimiser
// (kernels/fire_minimizer.hpp) moves every replica as its own system; the NEB runner
// (saddle/neb_band.hpp) moves the intermediate images of each band as one system, the band's
// 3N(M−2)-dimensional vector, with the NEB forces it is given.
//
// Method: J. Guénolé, W. G. Nöhring, A. Vaid, F. Houllé, Z. Xie, A. Prakash, E. Bitzek,
// "Assessment and optimization of the fast inertial relaxation engine (FIRE) for energy
// minimization in atomistic simulations and its implementation in LAMMPS",
// Comput. Mater. Sci. 175, 109584 (2020), Algorithm 2 (FIRE 2.0), with the defaults and the
// step details of its LAMMPS implementation (min_style fire, src/min_fire.cpp): semi-implicit
// Euler integrator, half step back on P = F·v ≤ 0, no dt/α change during the first
// N_delaystep steps, per-component maximum displacement dmax per step.
//
// Quickmin (FireMethod::quickmin; LAMMPS min_style quickmin, src/min_quickmin.cpp) is the
// other damped dynamics LAMMPS's neb command accepts (with fire): every step the velocity is
// projected on the force (zeroed when it points against it), the positions move with that velocity
// (Δt shortened so no coordinate moves more than dmax), then the velocity takes an explicit Euler
// step. Δt is fixed and no inertia survives a turn of the force, which keeps a band whose force is
// not a gradient from building speed uphill.
//
// The two users differ in three details, which are explicit rules here (FireRules) so that each
// keeps its numbers bitwise:
//  * half step back on P ≤ 0 (LAMMPS halfstepback yes): the minimiser's default; the band does
//    without, as LAMMPS `neb` and eOn do, because its force changes with the tangent anyway;
//  * how dmax limits a step (FireStepLimit): LAMMPS min_fire shortens Δt before the Euler step;
//    the band updates its velocity with the full Δt and then scales its displacement;
//  * the summation order of P, v·v and F·F over an image (FireDotOrder), which only changes the
//    rounding.
#pragma once

#include "kernels/batch.hpp"

namespace glassland {

// The scalar FIRE 2.0 parameters, copied into device code.
struct FireParameters {
  double dt_max, dt_min, dt_grow, dt_shrink, alpha_start, alpha_shrink;
  int delay_steps, max_uphill_steps;  // max_uphill_steps 0: no limit
  bool initial_delay;
};

// What one system does to its velocities this step.
struct FireDecision {
  bool mix = false;             // v ← (1−α) v + α |v| F̂ after the velocity update
  double velocity_scale = 1.0;  // 1 − α
  double force_scale = 0.0;     // α |v| / |F|
  bool restart = false;         // P ≤ 0: half step back and v ← 0
  bool too_many_uphill = false;
};

// FIRE 2.0's adaptation of Δt and α (Guénolé et al. 2020, Algorithm 2, lines 5–20) for one
// system at step `step` (1-based), from P = F·v, v·v and F·F over its atoms. Updates dt, alpha,
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

// How dmax limits one step of a system.
enum class FireStepLimit : int {
  // LAMMPS min_fire: before the Euler step, Δt of this step becomes dmax / max|v_k| where Δt·|v_k|
  // would exceed dmax, with v the velocity of the previous step (after a restart, from rest: the
  // velocity Δt·F/m of one Euler step); the shortened Δt moves both velocity and positions.
  shorten_timestep = 0,
  // The NEB band: the velocity is updated with the full Δt; then the system's displacement Δt·v
  // is scaled down as a whole, direction kept, so that its largest component is dmax.
  scale_displacement = 1,
};

// Summation order of P = F·v, v·v and F·F over the atoms of one replica; both are
// deterministic (one team per replica) and differ only in rounding.
enum class FireDotOrder : int {
  per_atom = 0,       // Σ_i (a_x b_x + a_y b_y + a_z b_z): team_replica_dot, the minimiser's
  per_component = 1,  // Σ_i then Σ_k a_k b_k added one by one: the NEB band's
};

enum class FireMethod : int {
  fire2 = 0,     // FIRE 2.0 (the rules below)
  quickmin = 1,  // LAMMPS min_quickmin: fixed Δt = dt_initial, dmax as shorten_timestep
};

struct FireRules {
  FireMethod method = FireMethod::fire2;
  FireParameters adapt;           // FIRE 2.0 only
  double dt_initial = 0.001;      // ps
  double max_displacement = 0.1;  // Å per Cartesian component per step (dmax)
  bool half_step_back = true;     // x ← x − ½Δt·v when P ≤ 0 (inertia correction)
  FireStepLimit step_limit = FireStepLimit::shorten_timestep;
  FireDotOrder dot_order = FireDotOrder::per_atom;
};

// Which replicas form one FIRE system: system s holds the replicas s·size … s·size + size − 1,
// of which those with index in [first_moving, end_moving) inside the system move (the NEB band:
// size M, images 1 … M−2; the minimiser: size 1, every replica alone). The sums P, v·v, F·F and
// the step limit run over the moving replicas of a system, in replica order.
struct FireSystems {
  int n_systems = 0;
  int size = 1;
  int first_moving = 0;
  int end_moving = 1;
  int n_atoms = 0;  // per replica
};

// What the caller owns per system (views of length n_systems): the mask of running systems,
// the step counter FIRE advances, and the status a system stopped for too many uphill steps
// gets (uphill_status). fresh_start (optional, may be empty): systems flagged 1 start FIRE
// afresh this step (Δt, α and counters reset, v ← 0), e.g. when the NEB's climbing image has
// changed the band's forces; the flags are cleared.
struct FireSystemCounters {
  ReplicaInts running, steps, status;
  int uphill_status = 0;
  ReplicaInts fresh_start;
};

// FIRE 2.0 state and steps of a batch of systems. A step is adapt() (Δt/α rule, and where the
// rules say so the half step back of restarting systems: their forces are stale, moved_back()
// flags them), the caller's fresh forces where needed, then move() (velocity update, mixing,
// dmax limit, positions).
class FireStepper {
 public:
  FireStepper() = default;
  FireStepper(const FireRules& rules, const FireSystems& systems);

  // Every system: Δt ← dt_initial, α ← α_start, counters 0, velocities 0.
  void reset();
  // Returns how many systems it moved half a step back (moved_back()): 0 means no system needs
  // fresh forces, and the caller launches nothing for them. The count is reduced on the device; it
  // is read back (one int) only where the rules step back, since otherwise it is always 0.
  int adapt(const AtomVectors& positions, const AtomVectors& forces,
            const FireSystemCounters& counters);
  void move(Batch& batch, const AtomVectors& forces, const ReplicaInts& running);

  const FireRules& rules() const { return rules_; }
  // 1 for systems moved half a step back by the last adapt(): their forces are stale.
  const ReplicaInts& moved_back() const { return moved_back_; }
  const ReplicaInts& last_negative() const { return last_negative_; }  // last step with P ≤ 0
  const AtomVectors& velocities() const { return velocities_; }

  // Calls visit(name, view) for the state that carries from one step to the next (velocities,
  // Δt, α, counters): what a checkpoint must hold to continue bitwise. The rest is rewritten
  // every step before it is read.
  template <class Visitor>
  void visit_state(Visitor&& visit) {
    visit("velocities", velocities_);
    visit("dt", dt_);
    visit("alpha", alpha_);
    visit("last_negative", last_negative_);
    visit("uphill_steps", uphill_steps_);
  }

  // The launches of adapt() and move(). Public only because nvcc does not allow extended device
  // lambdas in private member functions.
  void measure_power(const AtomVectors& forces, const ReplicaInts& running);
  int adapt_systems(const FireSystemCounters& counters);
  void step_back(const AtomVectors& positions, const ReplicaInts& running);
  void measure_speed(const Batch& batch, const AtomVectors& forces, const ReplicaInts& running);
  void project_velocity(const AtomVectors& forces, const ReplicaInts& running);
  void quickmin_step(Batch& batch, const AtomVectors& forces, const ReplicaInts& running);
  void limit_step(const ReplicaInts& running);
  void update_velocity(Batch& batch, const AtomVectors& forces, const ReplicaInts& running,
                       bool move_positions);
  void displace(Batch& batch, const ReplicaInts& running);

 private:
  FireRules rules_;
  FireSystems systems_;
  AtomVectors velocities_;  // Å/ps
  // Per replica.
  ReplicaScalars image_power_, image_v_dot_v_, image_f_dot_f_, image_speed_;
  // Per system.
  ReplicaScalars dt_, alpha_, velocity_scale_, force_scale_, step_dt_;
  ReplicaInts last_negative_, uphill_steps_, mix_, restart_, moved_back_;
  Kokkos::View<int, MemSpace> moved_back_count_;  // written by adapt_systems, on the device
};

}  // namespace glassland
