// Batched nonlinear conjugate-gradient minimiser (Polak–Ribière with restarts), following
// LAMMPS `min_style cg` with `min_modify line quadratic` (its default) or `line backtrack`
// closely enough that inherent-structure energies agree with LAMMPS `minimize` (SPEC.md §4).
//
// Sources: LAMMPS src/min_cg.cpp (MinCG::iterate: PR β = max(0, (F·F − F·G)/G·G), restart
// every 3N iterations and whenever the new direction is not downhill) and
// src/min_linesearch.cpp (linemin_quadratic, linemin_backtrack; Aidan Thompson, after
// Dennis & Schnabel and Nocedal & Wright, Proc. 3.1), version 29 Sep 2021; J. R. Shewchuk,
// "An Introduction to the Conjugate Gradient Method Without the Agonizing Pain" (1994).
//
// Batching: every replica has its own direction h, line-search phase and step length. One
// lock-step "tick" is one ForceField::compute over the replicas that need an evaluation;
// each replica's line search is a small state machine (cg_line_search_after_evaluation)
// advanced once per tick, so replicas in different phases share every force evaluation.
#pragma once

#include <vector>

#include "kernels/minimizer_common.hpp"

namespace glassland {

enum class CgLineSearch : int {
  quadratic = 0,  // LAMMPS default: backtracking plus a secant (quadratic) projection
  backtrack = 1,  // LAMMPS `min_modify line backtrack`: Armijo backtracking only
};

struct CgSettings {
  MinimizerTolerances tolerances;
  CgLineSearch line_search = CgLineSearch::quadratic;
  double max_displacement = 0.1;  // Å: largest coordinate change of a line search (dmax)
};

// Constants of LAMMPS's min_linesearch.cpp.
namespace cg_constants {
inline constexpr double kAlphaMax = 1.0;          // cap on the step along h (Å per eV/Å)
inline constexpr double kAlphaReduce = 0.5;       // backtracking factor
inline constexpr double kBacktrackSlope = 0.4;    // Armijo sufficient-decrease slope
inline constexpr double kQuadraticTol = 0.1;      // relative error allowed before projecting
inline constexpr double kEnergyMachine = 1.0e-8;  // eV: smallest meaningful energy change
inline constexpr double kEpsQuadratic = 1.0e-28;  // "zero" for the secant denominators
}  // namespace cg_constants

// Line-search phase of one replica: what the evaluation that just finished was for.
enum class CgPhase : int {
  trial = 0,           // x = x0 + α h, α the current backtracking step
  quadratic = 1,       // x = x0 + α₀ h, α₀ the secant projection
  reset_to_start = 2,  // x = x0 after a failed search; then stop with failure_status
};

// Everything one replica's CG carries between ticks (one element per replica on the device).
struct CgReplicaState {
  CgPhase phase = CgPhase::trial;
  int failure_status = 0;  // MinimizerStatus to report after reset_to_start
  double alpha = 0.0;      // current backtracking step
  double alpha_max = 0.0;  // min(kAlphaMax, dmax / max|h|)
  double alpha_previous = 0.0;
  double alpha_evaluated = 0.0;  // step of the positions being evaluated
  double fh_start = 0.0;         // F·h at x0 (downhill slope)
  double fh_previous = 0.0;
  double fh_at_alpha = 0.0;   // F·h at x0 + α h, kept across the quadratic trial
  double energy_start = 0.0;  // E at x0
  double energy_previous = 0.0;
  double gg = 0.0;    // G·G of the previous gradient
  double beta = 0.0;  // Polak–Ribière β of the pending direction update
  // Reductions over the replica's atoms, refreshed each tick.
  double ff = 0.0, fh = 0.0, fg = 0.0;
  double gh = 0.0, h_max = 0.0, g_max = 0.0;
  // Flags for the per-atom kernels of the current tick.
  int update_direction = 0;  // line search done: g ← F, h ← g + βh
  int reset_direction = 0;   // new h not downhill: h ← g
  int begin_line = 0;        // x0 ← x
};

// What a replica does after an evaluation.
struct CgLineAction {
  enum Kind : int { evaluate = 0, line_done = 1, stop = 2 } kind = evaluate;
  double alpha = 0.0;   // evaluate at x0 + alpha·h
  int stop_status = 0;  // MinimizerStatus when kind == stop
};

// LAMMPS's backtracking test after an evaluation at α with energy E (used by both searches).
KOKKOS_INLINE_FUNCTION CgLineAction cg_backtrack(CgReplicaState& s, CgLineSearch method,
                                                 double energy, double fh_at_alpha) {
  using namespace cg_constants;
  const double de_ideal = -kBacktrackSlope * s.alpha * s.fh_start;
  const double de = energy - s.energy_start;
  CgLineAction action;
  if (de <= de_ideal) {
    action.kind = CgLineAction::line_done;
    return action;
  }
  if (method == CgLineSearch::quadratic) {
    s.fh_previous = fh_at_alpha;
    s.energy_previous = energy;
    s.alpha_previous = s.alpha;
  }
  s.alpha *= kAlphaReduce;
  if (s.alpha <= 0.0 || de_ideal >= -kEnergyMachine) {
    // Backtracked to machine precision: go back to x0. An energy that still went down counts
    // as energy convergence in LAMMPS's backtrack search (ETOL), a failure otherwise.
    s.phase = CgPhase::reset_to_start;
    s.failure_status = static_cast<int>(method == CgLineSearch::backtrack && de < 0.0
                                            ? MinimizerStatus::converged_energy
                                            : MinimizerStatus::linesearch_alpha_zero);
    action.alpha = 0.0;
    return action;
  }
  s.phase = CgPhase::trial;
  action.alpha = s.alpha;
  return action;
}

// One step of the line search (LAMMPS linemin_quadratic / linemin_backtrack, one loop pass
// split at each energy_force call), given E and F·h at the positions just evaluated.
KOKKOS_INLINE_FUNCTION CgLineAction cg_line_search_after_evaluation(CgReplicaState& s,
                                                                    CgLineSearch method,
                                                                    double energy, double fh) {
  using namespace cg_constants;
  CgLineAction action;
  if (s.phase == CgPhase::reset_to_start) {
    action.kind = CgLineAction::stop;
    action.stop_status = s.failure_status;
    return action;
  }
  if (method == CgLineSearch::backtrack)
    return cg_backtrack(s, method, energy, fh);

  if (s.phase == CgPhase::quadratic) {
    // The secant step is accepted when it does not raise the energy above E(x0).
    if (energy - s.energy_start < kEnergyMachine) {
      action.kind = CgLineAction::line_done;
      return action;
    }
    // As LAMMPS: fall back to the backtracking test with this energy and the F·h at α.
    return cg_backtrack(s, method, energy, s.fh_at_alpha);
  }

  const double delta_fh = fh - s.fh_previous;
  if (kmath::fabs(fh) < kEpsQuadratic || kmath::fabs(delta_fh) < kEpsQuadratic) {
    s.phase = CgPhase::reset_to_start;
    s.failure_status = static_cast<int>(MinimizerStatus::quadratic_factors_zero);
    action.alpha = 0.0;
    return action;
  }
  // Quadratic model from the two slopes (exact for a quadratic energy): predicted
  // E = E_prev − Δα (fh + fh_prev)/2; trust it when it matches the measured E to 10%.
  const double relative_error =
      kmath::fabs(1.0 - (0.5 * (s.alpha - s.alpha_previous) * (fh + s.fh_previous) + energy) /
                            s.energy_previous);
  const double alpha_secant = s.alpha - (s.alpha - s.alpha_previous) * fh / delta_fh;
  if (relative_error <= kQuadraticTol && alpha_secant > 0.0 && alpha_secant < s.alpha_max) {
    s.phase = CgPhase::quadratic;
    s.fh_at_alpha = fh;
    action.alpha = alpha_secant;
    return action;
  }
  return cg_backtrack(s, method, energy, fh);
}

class CgMinimizer {
 public:
  explicit CgMinimizer(const CgSettings& settings = {});

  // Minimises every replica (or those with participate(r) != 0; the others are left untouched)
  // until each has converged, failed its line search or hit a cap. Positions and
  // batch.forces/potential_energy hold the final state.
  std::vector<ReplicaMinimization> minimize(Batch& batch, ForceField& force_field,
                                            const ReplicaInts& participate = {});

  // Step-wise use (what minimize() does): start() evaluates forces and sets up the first line
  // search; advance() runs up to n_ticks lock-step force evaluations and returns how many
  // replicas are still running; results() copies the per-replica outcome to the host.
  // iterations in the results count line searches (LAMMPS's CG iterations).
  void start(Batch& batch, ForceField& force_field, const ReplicaInts& participate = {});
  int advance(Batch& batch, ForceField& force_field, int n_ticks);
  std::vector<ReplicaMinimization> results(const Batch& batch) const;

  const CgSettings& settings() const { return settings_; }
  const MinimizerReplicaState& state() const { return state_; }

  // The parts of one tick (what advance() repeats). Public because CUDA extended lambdas may
  // not be defined inside private member functions.
  void tick(Batch& batch, ForceField& force_field);
  void follow_wrapped_atoms(const Batch& batch);
  void reduce_after_evaluation(const Batch& batch);
  void update_directions_and_begin_lines(Batch& batch);
  void update_directions(const Batch& batch);
  void begin_line_searches(Batch& batch);

 private:
  CgSettings settings_;
  MinimizerReplicaState state_;
  Kokkos::View<CgReplicaState*, MemSpace> line_;
  ReplicaInts needs_evaluation_;  // the mask given to ForceField::compute each tick
  AtomVectors start_positions_;   // x0 of the current line search
  AtomImages start_images_;       // images when x0 was last made consistent with positions
  AtomVectors gradient_;          // g: the force at the start of the line search (−∇E)
  AtomVectors direction_;         // h
};

}  // namespace glassland
