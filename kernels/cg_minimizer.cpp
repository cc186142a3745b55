// Batched Polak–Ribière CG: the launches of one lock-step tick. Method and sources are in
// cg_minimizer.hpp; the per-replica line-search rule is cg_line_search_after_evaluation().
#include "kernels/cg_minimizer.hpp"

#include "kernels/replica_reductions.hpp"

namespace glassland {

namespace {

using TeamPolicy = Kokkos::TeamPolicy<ExecSpace>;
using Team = TeamPolicy::member_type;

}  // namespace

CgMinimizer::CgMinimizer(const CgSettings& settings) : settings_(settings) {}

std::vector<ReplicaMinimization> CgMinimizer::minimize(Batch& batch, ForceField& force_field,
                                                       const ReplicaInts& participate) {
  start(batch, force_field, participate);
  const int interval =
      settings_.tolerances.host_check_interval > 0 ? settings_.tolerances.host_check_interval : 1;
  // Every line search ends (α halves down to machine precision) and every replica stops at its
  // own iteration cap, so this loop ends.
  while (advance(batch, force_field, interval) > 0) {
  }
  return results(batch);
}

void CgMinimizer::start(Batch& batch, ForceField& force_field, const ReplicaInts& participate) {
  const int n_replicas = batch.n_replicas;
  state_ = MinimizerReplicaState(n_replicas);
  line_ = Kokkos::View<CgReplicaState*, MemSpace>("cg::line", n_replicas);
  needs_evaluation_ = ReplicaInts("cg::needs_evaluation", n_replicas);
  start_positions_ = AtomVectors("cg::start_positions", batch.total_atoms());
  start_images_ = AtomImages("cg::start_images", batch.total_atoms());
  gradient_ = AtomVectors("cg::gradient", batch.total_atoms());
  direction_ = AtomVectors("cg::direction", batch.total_atoms());

  minimizer_detail::reset_state(state_, participate);
  auto running = state_.running;
  auto needs_evaluation = needs_evaluation_;
  Kokkos::deep_copy(needs_evaluation, running);
  force_field.compute(batch, EvalRequest{true, false, needs_evaluation});
  minimizer_detail::count_evaluation(needs_evaluation, state_.evaluations);
  reduce_after_evaluation(batch);

  auto status = state_.status;
  auto initial_energy = state_.initial_energy;
  auto force_norm_squared = state_.force_norm_squared;
  auto energy = batch.potential_energy;
  auto line = line_;
  const MinimizerTolerances tol = settings_.tolerances;
  Kokkos::parallel_for(
      "cg::start", Kokkos::RangePolicy<ExecSpace>(0, n_replicas), KOKKOS_LAMBDA(int r) {
        needs_evaluation(r) = 0;
        if (running(r) == 0)
          return;
        initial_energy(r) = energy(r);
        CgReplicaState s;
        s.ff = line(r).ff;
        // The first direction is the force itself: h = g + 0·h with h = 0.
        s.beta = 0.0;
        s.gg = s.ff;
        s.update_direction = 1;
        line(r) = s;
        if (!kmath::isfinite(energy(r))) {
          status(r) = static_cast<int>(MinimizerStatus::non_finite_energy);
          running(r) = 0;
        } else if (!force_norm_is_usable(force_norm_squared(r))) {
          status(r) = static_cast<int>(MinimizerStatus::non_finite_forces);
          running(r) = 0;
        } else if (tol.ftol > 0.0 && force_norm_squared(r) < tol.ftol * tol.ftol) {
          // A replica that starts at a minimum is done before it moves.
          status(r) = static_cast<int>(MinimizerStatus::converged_force);
          running(r) = 0;
        }
      });
  update_directions_and_begin_lines(batch);
}

int CgMinimizer::advance(Batch& batch, ForceField& force_field, int n_ticks) {
  for (int k = 0; k < n_ticks; ++k)
    tick(batch, force_field);
  return minimizer_detail::count_running(state_.running);
}

std::vector<ReplicaMinimization> CgMinimizer::results(const Batch& batch) const {
  return minimizer_detail::collect_results(state_, batch);
}

// The neighbour list wraps atoms that left the box into it (positions −= H·Δn, images += Δn).
// x0 must follow, or the next x0 + αh would put the atom back in its old image and the next
// wrap would count the crossing twice (LAMMPS: FixMinimize::reset_coords).
void CgMinimizer::follow_wrapped_atoms(const Batch& batch) {
  const int n_atoms = batch.n_atoms;
  auto images = batch.images;
  auto boxes = batch.boxes;
  auto start_positions = start_positions_;
  auto start_images = start_images_;
  auto needs_evaluation = needs_evaluation_;
  Kokkos::parallel_for(
      "cg::follow_wrapped_atoms", all_atoms(batch.n_replicas, n_atoms), KOKKOS_LAMBDA(int64_t g) {
        const int r = static_cast<int>(g / n_atoms);
        if (needs_evaluation(r) == 0)
          return;
        int shift[3];
        for (int k = 0; k < 3; ++k)
          shift[k] = images(g, k) - start_images(g, k);
        if (shift[0] == 0 && shift[1] == 0 && shift[2] == 0)
          return;
        double x0[3] = {start_positions(g, 0), start_positions(g, 1), start_positions(g, 2)};
        boxes(r).add_lattice_vector(-shift[0], -shift[1], -shift[2], x0);
        for (int k = 0; k < 3; ++k) {
          start_positions(g, k) = x0[k];
          start_images(g, k) = images(g, k);
        }
      });
}

// F·F, F·h, F·g and the force criterion's norm for every replica just evaluated.
void CgMinimizer::reduce_after_evaluation(const Batch& batch) {
  const int n_atoms = batch.n_atoms;
  auto forces = batch.forces;
  auto gradient = gradient_;
  auto direction = direction_;
  auto needs_evaluation = needs_evaluation_;
  auto line = line_;
  Kokkos::parallel_for(
      "cg::reduce_after_evaluation", TeamPolicy(batch.n_replicas, Kokkos::AUTO),
      KOKKOS_LAMBDA(const Team& team) {
        const int r = team.league_rank();
        if (needs_evaluation(r) == 0)
          return;
        const int64_t first = static_cast<int64_t>(r) * n_atoms;
        const double ff = team_replica_dot(team, forces, forces, first, n_atoms);
        const double fh = team_replica_dot(team, forces, direction, first, n_atoms);
        const double fg = team_replica_dot(team, forces, gradient, first, n_atoms);
        Kokkos::single(Kokkos::PerTeam(team), [&]() {
          line(r).ff = ff;
          line(r).fh = fh;
          line(r).fg = fg;
        });
      });
  minimizer_detail::compute_force_norms(batch, settings_.tolerances.force_norm, needs_evaluation,
                                        state_.force_norm_squared);
}

void CgMinimizer::tick(Batch& batch, ForceField& force_field) {
  const int n_replicas = batch.n_replicas;
  auto needs_evaluation = needs_evaluation_;
  force_field.compute(batch, EvalRequest{true, false, needs_evaluation});
  minimizer_detail::count_evaluation(needs_evaluation, state_.evaluations);
  follow_wrapped_atoms(batch);
  reduce_after_evaluation(batch);

  // Advance every evaluated replica's line search; at the end of a line search apply
  // LAMMPS's stopping rules and prepare the Polak–Ribière update.
  auto running = state_.running;
  auto status = state_.status;
  auto iterations = state_.iterations;
  auto evaluations = state_.evaluations;
  auto force_norm_squared = state_.force_norm_squared;
  auto energy = batch.potential_energy;
  auto line = line_;
  const MinimizerTolerances tol = settings_.tolerances;
  const CgLineSearch method = settings_.line_search;
  // LAMMPS restarts CG (β = 0) every ndof = 3N iterations.
  const int restart_every = 3 * batch.n_atoms;
  Kokkos::parallel_for(
      "cg::line_search_step", Kokkos::RangePolicy<ExecSpace>(0, n_replicas), KOKKOS_LAMBDA(int r) {
        if (needs_evaluation(r) == 0)
          return;
        needs_evaluation(r) = 0;
        CgReplicaState s = line(r);
        s.update_direction = 0;
        const double e = energy(r);
        const CgLineAction action = cg_line_search_after_evaluation(s, method, e, s.fh);
        MinimizerStatus outcome = MinimizerStatus::running;
        if (action.kind == CgLineAction::evaluate) {
          s.alpha_evaluated = action.alpha;
          needs_evaluation(r) = 1;
        } else if (action.kind == CgLineAction::stop) {
          outcome = static_cast<MinimizerStatus>(action.stop_status);
        } else if (evaluations(r) >= tol.max_evaluations) {
          outcome = MinimizerStatus::max_evaluations;
        } else if (energy_change_converged(e, s.energy_start, tol.etol)) {
          outcome = MinimizerStatus::converged_energy;
        } else if (tol.ftol > 0.0 && force_norm_squared(r) < tol.ftol * tol.ftol) {
          outcome = MinimizerStatus::converged_force;
        } else {
          // Polak–Ribière with the PR+ clip (β ≥ 0) and LAMMPS's periodic restart.
          double beta = kmath::max(0.0, (s.ff - s.fg) / s.gg);
          if ((iterations(r) + 1) % restart_every == 0)
            beta = 0.0;
          s.beta = beta;
          s.gg = s.ff;
          s.update_direction = 1;
        }
        if (outcome != MinimizerStatus::running) {
          status(r) = static_cast<int>(outcome);
          running(r) = 0;
        }
        line(r) = s;
      });

  update_directions_and_begin_lines(batch);
}

// For replicas whose line search ended: g ← F, h ← g + βh (h ← g when that is not downhill),
// x0 ← x and the first trial step; then every replica that needs an evaluation is moved to its
// trial positions x0 + α h.
void CgMinimizer::update_directions_and_begin_lines(Batch& batch) {
  update_directions(batch);
  begin_line_searches(batch);
}

// h ← g + β h where a line search ended (Polak–Ribière β from reduce_after_evaluation), and
// F·h, max|h|, max|g| of the new direction.
void CgMinimizer::update_directions(const Batch& batch) {
  const int n_replicas = batch.n_replicas;
  const int n_atoms = batch.n_atoms;
  auto forces = batch.forces;
  auto gradient = gradient_;
  auto direction = direction_;
  auto line = line_;
  auto running = state_.running;

  Kokkos::parallel_for(
      "cg::update_direction", all_atoms(n_replicas, n_atoms), KOKKOS_LAMBDA(int64_t g) {
        const int r = static_cast<int>(g / n_atoms);
        if (running(r) == 0 || line(r).update_direction == 0)
          return;
        const double beta = line(r).beta;
        for (int k = 0; k < 3; ++k) {
          gradient(g, k) = forces(g, k);
          direction(g, k) = gradient(g, k) + beta * direction(g, k);
        }
      });

  Kokkos::parallel_for(
      "cg::reduce_direction", TeamPolicy(n_replicas, Kokkos::AUTO),
      KOKKOS_LAMBDA(const Team& team) {
        const int r = team.league_rank();
        if (running(r) == 0 || line(r).update_direction == 0)
          return;
        const int64_t first = static_cast<int64_t>(r) * n_atoms;
        const double gh = team_replica_dot(team, gradient, direction, first, n_atoms);
        double h_max = 0.0, g_max = 0.0;
        Kokkos::parallel_reduce(
            Kokkos::TeamThreadRange(team, n_atoms),
            [&](int i, double& partial) {
              const int64_t g = first + i;
              for (int k = 0; k < 3; ++k) {
                const double a = kmath::fabs(direction(g, k));
                if (a > partial)
                  partial = a;
              }
            },
            Kokkos::Max<double>(h_max));
        Kokkos::parallel_reduce(
            Kokkos::TeamThreadRange(team, n_atoms),
            [&](int i, double& partial) {
              const int64_t g = first + i;
              for (int k = 0; k < 3; ++k) {
                const double a = kmath::fabs(gradient(g, k));
                if (a > partial)
                  partial = a;
              }
            },
            Kokkos::Max<double>(g_max));
        Kokkos::single(Kokkos::PerTeam(team), [&]() {
          line(r).gh = gh;
          line(r).h_max = h_max;
          line(r).g_max = g_max;
        });
      });
}

// Starts a line search along each new direction (or along the force where it is not downhill),
// or stops the replica; places the trial positions of the replicas that search.
void CgMinimizer::begin_line_searches(Batch& batch) {
  const int n_replicas = batch.n_replicas;
  const int n_atoms = batch.n_atoms;
  auto positions = batch.positions;
  auto energy = batch.potential_energy;
  auto images = batch.images;
  auto start_positions = start_positions_;
  auto start_images = start_images_;
  auto gradient = gradient_;
  auto direction = direction_;
  auto line = line_;
  auto needs_evaluation = needs_evaluation_;
  auto running = state_.running;
  auto status = state_.status;
  auto iterations = state_.iterations;
  const MinimizerTolerances tol = settings_.tolerances;
  const double max_displacement = settings_.max_displacement;
  Kokkos::parallel_for(
      "cg::begin_line_search", Kokkos::RangePolicy<ExecSpace>(0, n_replicas), KOKKOS_LAMBDA(int r) {
        if (running(r) == 0 || line(r).update_direction == 0)
          return;
        CgReplicaState s = line(r);
        s.update_direction = 0;
        s.reset_direction = 0;
        s.begin_line = 0;
        // A direction that is not downhill restarts CG along the force (h = g, so F·h = F·F).
        double fh = s.gh;
        double h_max = s.h_max;
        if (fh <= 0.0) {
          s.reset_direction = 1;
          fh = s.ff;
          h_max = s.g_max;
        }
        MinimizerStatus outcome = MinimizerStatus::running;
        if (!kmath::isfinite(energy(r))) {
          // NaN would pass every comparison below and spread into the positions.
          outcome = MinimizerStatus::non_finite_energy;
        } else if (!kmath::isfinite(fh)) {
          outcome = MinimizerStatus::non_finite_forces;
        } else if (iterations(r) >= tol.max_iterations) {
          outcome = MinimizerStatus::max_iterations;
        } else if (fh <= 0.0) {
          outcome = MinimizerStatus::search_not_downhill;
        } else if (h_max == 0.0) {
          outcome = MinimizerStatus::zero_force;
        }
        if (outcome != MinimizerStatus::running) {
          status(r) = static_cast<int>(outcome);
          running(r) = 0;
          line(r) = s;
          return;
        }
        iterations(r) += 1;
        s.alpha_max = kmath::min(cg_constants::kAlphaMax, max_displacement / h_max);
        s.alpha = s.alpha_max;
        s.alpha_previous = 0.0;
        s.fh_start = fh;
        s.fh_previous = fh;
        s.energy_start = energy(r);
        s.energy_previous = energy(r);
        s.phase = CgPhase::trial;
        s.alpha_evaluated = s.alpha;
        s.begin_line = 1;
        needs_evaluation(r) = 1;
        line(r) = s;
      });

  Kokkos::parallel_for(
      "cg::place_trial_positions", all_atoms(n_replicas, n_atoms), KOKKOS_LAMBDA(int64_t g) {
        const int r = static_cast<int>(g / n_atoms);
        if (needs_evaluation(r) == 0)
          return;
        const CgReplicaState& s = line(r);
        for (int k = 0; k < 3; ++k) {
          if (s.reset_direction != 0)
            direction(g, k) = gradient(g, k);
          if (s.begin_line != 0) {
            start_positions(g, k) = positions(g, k);
            start_images(g, k) = images(g, k);
          }
          // As LAMMPS's alpha_step: back to x0, then forward along h only for α > 0.
          double x = start_positions(g, k);
          if (s.alpha_evaluated > 0.0)
            x += s.alpha_evaluated * direction(g, k);
          positions(g, k) = x;
        }
      });

  // The flags above belong to this tick only.
  Kokkos::parallel_for(
      "cg::clear_line_flags", Kokkos::RangePolicy<ExecSpace>(0, n_replicas), KOKKOS_LAMBDA(int r) {
        line(r).reset_direction = 0;
        line(r).begin_line = 0;
      });
}

}  // namespace glassland
