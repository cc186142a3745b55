// Batched FIRE 2.0: the launches of one lock-step iteration. The method and its sources are
// described in fire_minimizer.hpp; the per-replica rule is fire_adapt().
#include "kernels/fire_minimizer.hpp"

#include "kernels/replica_reductions.hpp"
#include "kernels/units.hpp"

namespace glassland {

namespace {

using TeamPolicy = Kokkos::TeamPolicy<ExecSpace>;
using Team = TeamPolicy::member_type;

KOKKOS_INLINE_FUNCTION double atom_mass(const Kokkos::View<double*, MemSpace>& element_masses,
                                        const AtomInts& elements, int64_t g) {
  return element_masses(elements(g));
}

}  // namespace

FireMinimizer::FireMinimizer(const FireSettings& settings) : settings_(settings) {}

std::vector<ReplicaMinimization> FireMinimizer::minimize(Batch& batch, ForceField& force_field,
                                                         const ReplicaInts& participate) {
  start(batch, force_field, participate);
  const int interval =
      settings_.tolerances.host_check_interval > 0 ? settings_.tolerances.host_check_interval : 1;
  // Every replica stops at its own iteration cap, so this loop ends.
  while (advance(batch, force_field, interval) > 0) {
  }
  return results(batch);
}

void FireMinimizer::start(Batch& batch, ForceField& force_field, const ReplicaInts& participate) {
  const int n_replicas = batch.n_replicas;
  state_ = MinimizerReplicaState(n_replicas);
  velocities_ = AtomVectors("fire::velocities", batch.total_atoms());
  dt_ = ReplicaScalars("fire::dt", n_replicas);
  alpha_ = ReplicaScalars("fire::alpha", n_replicas);
  last_negative_ = ReplicaInts("fire::last_negative", n_replicas);
  uphill_steps_ = ReplicaInts("fire::uphill_steps", n_replicas);
  power_ = ReplicaScalars("fire::power", n_replicas);
  v_dot_v_ = ReplicaScalars("fire::v_dot_v", n_replicas);
  f_dot_f_ = ReplicaScalars("fire::f_dot_f", n_replicas);
  mix_ = ReplicaInts("fire::mix", n_replicas);
  velocity_scale_ = ReplicaScalars("fire::velocity_scale", n_replicas);
  force_scale_ = ReplicaScalars("fire::force_scale", n_replicas);
  restart_ = ReplicaInts("fire::restart", n_replicas);
  needs_fresh_forces_ = ReplicaInts("fire::needs_fresh_forces", n_replicas);
  step_dt_ = ReplicaScalars("fire::step_dt", n_replicas);
  previous_energy_ = ReplicaScalars("fire::previous_energy", n_replicas);

  minimizer_detail::reset_state(state_, participate);
  auto running = state_.running;
  force_field.compute(batch, EvalRequest{true, false, running});
  minimizer_detail::count_evaluation(running, state_.evaluations);
  const MinimizerTolerances tol = settings_.tolerances;
  minimizer_detail::compute_force_norms(batch, tol.force_norm, running, state_.force_norm_squared);

  auto status = state_.status;
  auto initial_energy = state_.initial_energy;
  auto energy = batch.potential_energy;
  auto force_norm_squared = state_.force_norm_squared;
  auto dt = dt_;
  auto alpha = alpha_;
  auto last_negative = last_negative_;
  auto uphill_steps = uphill_steps_;
  auto previous_energy = previous_energy_;
  const double dt_initial = settings_.dt_initial;
  const double alpha_start = settings_.alpha_start;
  Kokkos::parallel_for(
      "fire::start", Kokkos::RangePolicy<ExecSpace>(0, n_replicas), KOKKOS_LAMBDA(int r) {
        if (running(r) == 0)
          return;
        initial_energy(r) = energy(r);
        previous_energy(r) = energy(r);
        dt(r) = dt_initial;
        alpha(r) = alpha_start;
        last_negative(r) = 0;
        uphill_steps(r) = 0;
        // A replica that starts at a minimum is done before it moves.
        if (!kmath::isfinite(energy(r))) {
          status(r) = static_cast<int>(MinimizerStatus::non_finite_energy);
          running(r) = 0;
        } else if (tol.ftol > 0.0 && force_norm_squared(r) < tol.ftol * tol.ftol) {
          status(r) = static_cast<int>(MinimizerStatus::converged_force);
          running(r) = 0;
        }
      });
}

int FireMinimizer::advance(Batch& batch, ForceField& force_field, int n_iterations) {
  for (int k = 0; k < n_iterations; ++k)
    iterate(batch, force_field);
  return minimizer_detail::count_running(state_.running);
}

std::vector<ReplicaMinimization> FireMinimizer::results(const Batch& batch) const {
  return minimizer_detail::collect_results(state_, batch);
}

void FireMinimizer::iterate(Batch& batch, ForceField& force_field) {
  const int n_replicas = batch.n_replicas;
  const int n_atoms = batch.n_atoms;
  auto running = state_.running;
  auto status = state_.status;
  auto iterations = state_.iterations;
  auto evaluations = state_.evaluations;
  auto positions = batch.positions;
  auto forces = batch.forces;
  auto energy = batch.potential_energy;
  auto elements = batch.elements;
  auto element_masses = batch.element_masses;
  auto velocities = velocities_;
  auto dt = dt_;
  auto alpha = alpha_;
  auto last_negative = last_negative_;
  auto uphill_steps = uphill_steps_;
  auto power = power_;
  auto v_dot_v = v_dot_v_;
  auto f_dot_f = f_dot_f_;
  auto mix = mix_;
  auto velocity_scale = velocity_scale_;
  auto force_scale = force_scale_;
  auto restart = restart_;
  auto needs_fresh_forces = needs_fresh_forces_;
  auto step_dt = step_dt_;
  auto previous_energy = previous_energy_;
  const FireParameters params{
      settings_.dt_max,      settings_.dt_min,           settings_.dt_grow,
      settings_.dt_shrink,   settings_.alpha_start,      settings_.alpha_shrink,
      settings_.delay_steps, settings_.max_uphill_steps, settings_.initial_delay};
  const bool half_step_back = settings_.half_step_back;
  const double max_displacement = settings_.max_displacement;
  const double accel_per_force = units::kForceOverMassToAccel;
  const MinimizerTolerances tol = settings_.tolerances;

  // P = F·v, v·v, F·F of every running replica (one team per replica: deterministic order).
  Kokkos::parallel_for(
      "fire::power", TeamPolicy(n_replicas, Kokkos::AUTO), KOKKOS_LAMBDA(const Team& team) {
        const int r = team.league_rank();
        if (running(r) == 0)
          return;
        const int64_t first = static_cast<int64_t>(r) * n_atoms;
        const double p = team_replica_dot(team, velocities, forces, first, n_atoms);
        const double vv = team_replica_dot(team, velocities, velocities, first, n_atoms);
        const double ff = team_replica_dot(team, forces, forces, first, n_atoms);
        Kokkos::single(Kokkos::PerTeam(team), [&]() {
          power(r) = p;
          v_dot_v(r) = vv;
          f_dot_f(r) = ff;
        });
      });

  // Adapt Δt and α per replica; decide mixing or restart.
  Kokkos::parallel_for(
      "fire::adapt", Kokkos::RangePolicy<ExecSpace>(0, n_replicas), KOKKOS_LAMBDA(int r) {
        needs_fresh_forces(r) = 0;
        if (running(r) == 0)
          return;
        const int step = iterations(r) + 1;
        iterations(r) = step;
        double replica_dt = dt(r);
        double replica_alpha = alpha(r);
        int replica_last_negative = last_negative(r);
        int replica_uphill = uphill_steps(r);
        const FireDecision decision =
            fire_adapt(params, step, power(r), v_dot_v(r), f_dot_f(r), replica_dt, replica_alpha,
                       replica_last_negative, replica_uphill);
        dt(r) = replica_dt;
        alpha(r) = replica_alpha;
        last_negative(r) = replica_last_negative;
        uphill_steps(r) = replica_uphill;
        mix(r) = decision.mix ? 1 : 0;
        velocity_scale(r) = decision.velocity_scale;
        force_scale(r) = decision.force_scale;
        restart(r) = decision.restart ? 1 : 0;
        // Moving back half a step makes the forces stale; with v = 0 nothing moves.
        needs_fresh_forces(r) = decision.restart && half_step_back && v_dot_v(r) > 0.0 ? 1 : 0;
        previous_energy(r) = energy(r);
        if (decision.too_many_uphill) {
          status(r) = static_cast<int>(MinimizerStatus::max_uphill_steps);
          running(r) = 0;
          needs_fresh_forces(r) = 0;
        }
      });

  // Restart: inertia correction x ← x − ½Δt·v with the new Δt, then v ← 0.
  Kokkos::parallel_for(
      "fire::restart", all_atoms(n_replicas, n_atoms), KOKKOS_LAMBDA(int64_t g) {
        const int r = static_cast<int>(g / n_atoms);
        if (running(r) == 0 || restart(r) == 0)
          return;
        for (int k = 0; k < 3; ++k) {
          if (half_step_back)
            positions(g, k) -= 0.5 * dt(r) * velocities(g, k);
          velocities(g, k) = 0.0;
        }
      });
  force_field.compute(batch, EvalRequest{true, false, needs_fresh_forces});
  minimizer_detail::count_evaluation(needs_fresh_forces, evaluations);

  // Δt limited so that no coordinate moves more than dmax. After a restart LAMMPS limits with
  // the velocity one Euler step from rest would have, Δt·F/m.
  Kokkos::parallel_for(
      "fire::limit_step", TeamPolicy(n_replicas, Kokkos::AUTO), KOKKOS_LAMBDA(const Team& team) {
        const int r = team.league_rank();
        if (running(r) == 0)
          return;
        const int64_t first = static_cast<int64_t>(r) * n_atoms;
        const double replica_dt = dt(r);
        const bool from_rest = restart(r) != 0;
        double largest_speed = 0.0;
        Kokkos::parallel_reduce(
            Kokkos::TeamThreadRange(team, n_atoms),
            [&](int i, double& partial) {
              const int64_t g = first + i;
              const double dt_over_mass =
                  replica_dt * accel_per_force / atom_mass(element_masses, elements, g);
              for (int k = 0; k < 3; ++k) {
                const double speed =
                    kmath::fabs(from_rest ? dt_over_mass * forces(g, k) : velocities(g, k));
                if (speed > partial)
                  partial = speed;
              }
            },
            Kokkos::Max<double>(largest_speed));
        Kokkos::single(Kokkos::PerTeam(team), [&]() {
          step_dt(r) = replica_dt * largest_speed > max_displacement
                           ? max_displacement / largest_speed
                           : replica_dt;
        });
      });

  // Semi-implicit Euler with FIRE mixing (LAMMPS integrator eulerimplicit).
  Kokkos::parallel_for(
      "fire::integrate", all_atoms(n_replicas, n_atoms), KOKKOS_LAMBDA(int64_t g) {
        const int r = static_cast<int>(g / n_atoms);
        if (running(r) == 0)
          return;
        const double h = step_dt(r);
        const double dt_over_mass = h * accel_per_force / atom_mass(element_masses, elements, g);
        for (int k = 0; k < 3; ++k) {
          double v = velocities(g, k) + dt_over_mass * forces(g, k);
          if (mix(r) != 0)
            v = velocity_scale(r) * v + force_scale(r) * forces(g, k);
          velocities(g, k) = v;
          positions(g, k) += h * v;
        }
      });

  force_field.compute(batch, EvalRequest{true, false, running});
  minimizer_detail::count_evaluation(running, evaluations);
  minimizer_detail::compute_force_norms(batch, tol.force_norm, running, state_.force_norm_squared);

  // Per-replica stopping rules, in LAMMPS's order: energy, force, then the caps.
  auto force_norm_squared = state_.force_norm_squared;
  const int delay_steps = settings_.delay_steps;
  Kokkos::parallel_for(
      "fire::check_convergence", Kokkos::RangePolicy<ExecSpace>(0, n_replicas),
      KOKKOS_LAMBDA(int r) {
        if (running(r) == 0)
          return;
        const int step = iterations(r);
        MinimizerStatus outcome = MinimizerStatus::running;
        if (!kmath::isfinite(energy(r))) {
          outcome = MinimizerStatus::non_finite_energy;
        } else if (tol.etol > 0.0 && step - last_negative(r) > delay_steps &&
                   energy_change_converged(energy(r), previous_energy(r), tol.etol)) {
          // LAMMPS checks energy only once the dynamics has run delay steps since a restart.
          outcome = MinimizerStatus::converged_energy;
        } else if (tol.ftol > 0.0 && force_norm_squared(r) < tol.ftol * tol.ftol) {
          outcome = MinimizerStatus::converged_force;
        } else if (evaluations(r) >= tol.max_evaluations) {
          outcome = MinimizerStatus::max_evaluations;
        } else if (step >= tol.max_iterations) {
          outcome = MinimizerStatus::max_iterations;
        }
        if (outcome != MinimizerStatus::running) {
          status(r) = static_cast<int>(outcome);
          running(r) = 0;
        }
      });
}

}  // namespace glassland
