// Batched FIRE 2.0 minimiser: LAMMPS min_style fire's iteration on kernels/fire_stepper.hpp's
// steps, every replica its own system. The method and its sources are in fire_minimizer.hpp.
#include "kernels/fire_minimizer.hpp"

namespace glassland {

namespace {

// LAMMPS min_fire's rules: half step back as set, Δt shortened before the Euler step, P, v·v
// and F·F summed atom by atom (team_replica_dot).
FireRules minimizer_rules(const FireSettings& s) {
  FireRules rules;
  rules.adapt = FireParameters{s.dt_max,      s.dt_min,           s.dt_grow,
                               s.dt_shrink,   s.alpha_start,      s.alpha_shrink,
                               s.delay_steps, s.max_uphill_steps, s.initial_delay};
  rules.dt_initial = s.dt_initial;
  rules.max_displacement = s.max_displacement;
  rules.half_step_back = s.half_step_back;
  rules.step_limit = FireStepLimit::shorten_timestep;
  rules.dot_order = FireDotOrder::per_atom;
  return rules;
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
  stepper_ =
      FireStepper(minimizer_rules(settings_), FireSystems{n_replicas, 1, 0, 1, batch.n_atoms});
  stepper_.reset();
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
  auto previous_energy = previous_energy_;
  Kokkos::parallel_for(
      "fire::start", Kokkos::RangePolicy<ExecSpace>(0, n_replicas), KOKKOS_LAMBDA(int r) {
        if (running(r) == 0)
          return;
        initial_energy(r) = energy(r);
        previous_energy(r) = energy(r);
        // A replica that starts at a minimum is done before it moves.
        if (!kmath::isfinite(energy(r))) {
          status(r) = static_cast<int>(MinimizerStatus::non_finite_energy);
          running(r) = 0;
        } else if (!force_norm_is_usable(force_norm_squared(r))) {
          status(r) = static_cast<int>(MinimizerStatus::non_finite_forces);
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
  const MinimizerReplicaState& s = state_;
  remember_energies(batch);
  const int n_moved_back =
      stepper_.adapt(batch.positions, batch.forces,
                     FireSystemCounters{s.running,
                                        s.iterations,
                                        s.status,
                                        static_cast<int>(MinimizerStatus::max_uphill_steps),
                                        {}});
  // Replicas moved half a step back need their forces there before they move on. Most
  // iterations move none back: then nothing is launched for the empty mask.
  if (n_moved_back > 0) {
    force_field.compute(batch, EvalRequest{true, false, stepper_.moved_back()});
    minimizer_detail::count_evaluation(stepper_.moved_back(), s.evaluations);
  }
  stepper_.move(batch, batch.forces, s.running);
  force_field.compute(batch, EvalRequest{true, false, s.running});
  minimizer_detail::count_evaluation(s.running, s.evaluations);
  minimizer_detail::compute_force_norms(batch, settings_.tolerances.force_norm, s.running,
                                        s.force_norm_squared);
  check_convergence(batch);
}

void FireMinimizer::remember_energies(const Batch& batch) {
  auto running = state_.running;
  auto energy = batch.potential_energy;
  auto previous_energy = previous_energy_;
  Kokkos::parallel_for(
      "fire::remember_energy", Kokkos::RangePolicy<ExecSpace>(0, batch.n_replicas),
      KOKKOS_LAMBDA(int r) {
        if (running(r) != 0)
          previous_energy(r) = energy(r);
      });
}

// Per-replica stopping rules, in LAMMPS's order: energy, force, then the caps.
void FireMinimizer::check_convergence(const Batch& batch) {
  auto running = state_.running;
  auto status = state_.status;
  auto iterations = state_.iterations;
  auto evaluations = state_.evaluations;
  auto force_norm_squared = state_.force_norm_squared;
  auto energy = batch.potential_energy;
  auto previous_energy = previous_energy_;
  auto last_negative = stepper_.last_negative();
  const int delay_steps = settings_.delay_steps;
  const MinimizerTolerances tol = settings_.tolerances;
  Kokkos::parallel_for(
      "fire::check_convergence", Kokkos::RangePolicy<ExecSpace>(0, batch.n_replicas),
      KOKKOS_LAMBDA(int r) {
        if (running(r) == 0)
          return;
        const int step = iterations(r);
        MinimizerStatus outcome = MinimizerStatus::running;
        if (!kmath::isfinite(energy(r))) {
          outcome = MinimizerStatus::non_finite_energy;
        } else if (!force_norm_is_usable(force_norm_squared(r))) {
          outcome = MinimizerStatus::non_finite_forces;
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
