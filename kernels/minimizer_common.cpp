#include "kernels/minimizer_common.hpp"

#include <cfloat>

namespace glassland {

std::string to_string(MinimizerStatus status) {
  switch (status) {
    case MinimizerStatus::running:
      return "running";
    case MinimizerStatus::converged_force:
      return "converged_force";
    case MinimizerStatus::converged_energy:
      return "converged_energy";
    case MinimizerStatus::max_iterations:
      return "max_iterations";
    case MinimizerStatus::max_evaluations:
      return "max_evaluations";
    case MinimizerStatus::not_participating:
      return "not_participating";
    case MinimizerStatus::search_not_downhill:
      return "search_not_downhill";
    case MinimizerStatus::linesearch_alpha_zero:
      return "linesearch_alpha_zero";
    case MinimizerStatus::zero_force:
      return "zero_force";
    case MinimizerStatus::quadratic_factors_zero:
      return "quadratic_factors_zero";
    case MinimizerStatus::max_uphill_steps:
      return "max_uphill_steps";
    case MinimizerStatus::non_finite_energy:
      return "non_finite_energy";
    case MinimizerStatus::non_finite_forces:
      return "non_finite_forces";
  }
  return "unknown";
}

namespace minimizer_detail {

void reset_state(const MinimizerReplicaState& state, const ReplicaInts& participate) {
  auto status = state.status;
  auto running = state.running;
  auto iterations = state.iterations;
  auto evaluations = state.evaluations;
  Kokkos::parallel_for(
      "minimizer::reset_state", Kokkos::RangePolicy<ExecSpace>(0, status.extent(0)),
      KOKKOS_LAMBDA(int r) {
        const bool takes_part = replica_is_active(participate, r);
        status(r) = static_cast<int>(takes_part ? MinimizerStatus::running
                                                : MinimizerStatus::not_participating);
        running(r) = takes_part ? 1 : 0;
        iterations(r) = 0;
        evaluations(r) = 0;
      });
}

void compute_force_norms(const Batch& batch, ForceNorm norm, const ReplicaInts& mask,
                         const ReplicaScalars& force_norm_squared) {
  using Team = Kokkos::TeamPolicy<ExecSpace>::member_type;
  const int n_atoms = batch.n_atoms;
  auto forces = batch.forces;
  Kokkos::parallel_for(
      "minimizer::force_norms", Kokkos::TeamPolicy<ExecSpace>(batch.n_replicas, Kokkos::AUTO),
      KOKKOS_LAMBDA(const Team& team) {
        const int r = team.league_rank();
        if (mask(r) == 0)
          return;
        const int64_t first = static_cast<int64_t>(r) * n_atoms;
        double value = 0.0;
        if (force_norm_is_sum(norm)) {
          Kokkos::parallel_reduce(
              Kokkos::TeamThreadRange(team, n_atoms),
              [&](int i, double& partial) {
                const int64_t g = first + i;
                partial += force_norm_term(norm, forces(g, 0), forces(g, 1), forces(g, 2));
              },
              value);
        } else {
          Kokkos::parallel_reduce(
              Kokkos::TeamThreadRange(team, n_atoms),
              [&](int i, double& partial) {
                const int64_t g = first + i;
                double term = force_norm_term(norm, forces(g, 0), forces(g, 1), forces(g, 2));
                if (!kmath::isfinite(term))
                  term = DBL_MAX;
                if (term > partial)
                  partial = term;
              },
              Kokkos::Max<double>(value));
        }
        Kokkos::single(Kokkos::PerTeam(team), [&]() { force_norm_squared(r) = value; });
      });
}

void count_evaluation(const ReplicaInts& mask, const ReplicaInts& evaluations) {
  Kokkos::parallel_for(
      "minimizer::count_evaluation", Kokkos::RangePolicy<ExecSpace>(0, mask.extent(0)),
      KOKKOS_LAMBDA(int r) {
        if (mask(r) != 0)
          evaluations(r) += 1;
      });
}

int count_running(const ReplicaInts& running) {
  int count = 0;
  Kokkos::parallel_reduce(
      "minimizer::count_running", Kokkos::RangePolicy<ExecSpace>(0, running.extent(0)),
      KOKKOS_LAMBDA(int r, int& partial) { partial += running(r); }, count);
  return count;
}

std::vector<ReplicaMinimization> collect_results(const MinimizerReplicaState& state,
                                                 const Batch& batch) {
  auto status = Kokkos::create_mirror_view_and_copy(HostSpace(), state.status);
  auto iterations = Kokkos::create_mirror_view_and_copy(HostSpace(), state.iterations);
  auto evaluations = Kokkos::create_mirror_view_and_copy(HostSpace(), state.evaluations);
  auto initial = Kokkos::create_mirror_view_and_copy(HostSpace(), state.initial_energy);
  auto norm2 = Kokkos::create_mirror_view_and_copy(HostSpace(), state.force_norm_squared);
  auto energy = Kokkos::create_mirror_view_and_copy(HostSpace(), batch.potential_energy);
  std::vector<ReplicaMinimization> results(status.extent(0));
  for (size_t r = 0; r < results.size(); ++r) {
    results[r].status = static_cast<MinimizerStatus>(status(r));
    results[r].iterations = iterations(r);
    results[r].evaluations = evaluations(r);
    results[r].initial_energy = initial(r);
    results[r].final_energy = energy(r);
    results[r].force_norm = std::sqrt(norm2(r));
  }
  return results;
}

}  // namespace minimizer_detail

}  // namespace glassland
