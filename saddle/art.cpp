// ART nouveau as a per-replica state machine advanced in lock step (see art.hpp for the method
// and its references). Each tick is one ForceField::compute over the running searches followed
// by one team-per-replica kernel ("art::step") that consumes the forces and decides what the
// next evaluation is for. All per-replica decisions are made on the device; the host only
// looks at finished searches every few ticks to record them and start new ones.
#include "saddle/art.hpp"

#include <algorithm>
#include <cfloat>
#include <climits>
#include <cmath>
#include <stdexcept>

#include "kernels/counter_rng.hpp"
#include "kernels/fire_minimizer.hpp"
#include "kernels/replica_reductions.hpp"
#include "kernels/replica_transfer.hpp"
#include "saddle/lanczos.hpp"

namespace glassland {

std::string to_string(ArtOutcome outcome) {
  switch (outcome) {
    case ArtOutcome::running:
      return "running";
    case ArtOutcome::success:
      return "success";
    case ArtOutcome::never_crossed:
      return "eigenvalue never crossed the threshold";
    case ArtOutcome::max_convergence_steps:
      return "max iterations in convergence";
    case ArtOutcome::lost_eigenvalue:
      return "lost: eigenvalue became positive";
    case ArtOutcome::first_eigenvalue_positive:
      return "lowest eigenvalue at the saddle not negative";
    case ArtOutcome::second_eigenvalue_negative:
      return "second eigenvalue negative";
    case ArtOutcome::minimization_failed:
      return "minimisation did not converge";
    case ArtOutcome::fell_back:
      return "fell back to the initial minimum";
    case ArtOutcome::not_connected:
      return "saddle not connected to the initial minimum";
    case ArtOutcome::non_finite:
      return "non-finite energy";
    case ArtOutcome::lanczos_only:
      return "lanczos only";
    case ArtOutcome::non_finite_forces:
      return "non-finite force";
    case ArtOutcome::non_finite_positions:
      return "non-finite position";
    case ArtOutcome::step_too_long:
      return "step too long";
  }
  return "unknown";
}

namespace art_detail {

enum Stage : int {
  kInitial = 0,      // evaluating the initial minimum
  kActivation = 1,   // pushing out of the basin
  kConvergence = 2,  // following the lowest mode to the saddle
  kSaddleCheck = 3,  // λ1, λ2 at the saddle
  kMinForward = 4,   // minimising from the saddle pushed forwards
  kMinBackward = 5,  // minimising from the saddle pushed backwards
  kLanczosOnly = 6,  // lowest_modes(): Lanczos at fixed positions
};

enum Micro : int {
  kEval = 0,      // plain evaluation after a move
  kRelax = 1,     // a perpendicular FIRE step
  kLanczos = 2,   // a finite-difference probe x_c + ε q_j
  kMinimize = 3,  // a FIRE minimisation step
};

constexpr int kRunning = static_cast<int>(ArtOutcome::running);

}  // namespace art_detail

struct ArtDeviceViews {
  Kokkos::View<ArtReplicaState*, MemSpace> state;
  Kokkos::View<double**, MemSpace> tri_alpha, tri_beta;  // (replica, iteration)
  // Lanczos vectors (iteration, g, k), LayoutRight on every backend: vector j is one contiguous
  // block of 3N values per replica, so a dot product with it or an update reads it in order. (The
  // default layout on CUDA, LayoutLeft, would interleave the 32 vectors: 8-byte pieces 256 bytes
  // apart, most of every memory transaction wasted in the reorthogonalisation.)
  Kokkos::View<double** [3], Kokkos::LayoutRight, MemSpace> basis;
  AtomVectors x_initial, push_direction, eigenvector, second_vector, x_center, f_current, work,
      fire_velocity, x_saddle, x_final;
  ReplicaInts running, start_flags, start_centers;
  Kokkos::View<int64_t*, MemSpace> start_search_ids;

  ArtDeviceViews(int n_replicas, int n_atoms)
      : state("art::state", n_replicas),
        tri_alpha("art::tri_alpha", n_replicas, kLanczosMaxIterations),
        tri_beta("art::tri_beta", n_replicas, kLanczosMaxIterations),
        basis("art::basis", kLanczosMaxIterations, static_cast<int64_t>(n_replicas) * n_atoms),
        x_initial("art::x_initial", static_cast<int64_t>(n_replicas) * n_atoms),
        push_direction("art::push_direction", static_cast<int64_t>(n_replicas) * n_atoms),
        eigenvector("art::eigenvector", static_cast<int64_t>(n_replicas) * n_atoms),
        second_vector("art::second_vector", static_cast<int64_t>(n_replicas) * n_atoms),
        x_center("art::x_center", static_cast<int64_t>(n_replicas) * n_atoms),
        f_current("art::f_current", static_cast<int64_t>(n_replicas) * n_atoms),
        work("art::work", static_cast<int64_t>(n_replicas) * n_atoms),
        fire_velocity("art::fire_velocity", static_cast<int64_t>(n_replicas) * n_atoms),
        x_saddle("art::x_saddle", static_cast<int64_t>(n_replicas) * n_atoms),
        x_final("art::x_final", static_cast<int64_t>(n_replicas) * n_atoms),
        running("art::running", n_replicas),
        start_flags("art::start_flags", n_replicas),
        start_centers("art::start_centers", n_replicas),
        start_search_ids("art::start_search_ids", n_replicas) {}
};

namespace {

using Team = Kokkos::TeamPolicy<ExecSpace>::member_type;

// Counter ranges of a search's random stream (stream = search id): the initial direction uses
// counters [0, 6N), the random Lanczos start vectors start at this offset.
constexpr uint64_t kLanczosRandomCounter = uint64_t(1) << 40;

KOKKOS_INLINE_FUNCTION double minimum_image_component(const Box& box, const AtomVectors& a,
                                                      const AtomVectors& b, int64_t g, int k) {
  double d[3] = {a(g, 0) - b(g, 0), a(g, 1) - b(g, 1), a(g, 2) - b(g, 2)};
  box.minimum_image(d);
  return d[k];
}

FireParameters art_fire_parameters(const ArtSettings& s) {
  FireParameters p;
  p.dt_max = s.fire_dt_max;
  p.dt_min = 0.02 * s.fire_dt_initial;
  p.dt_grow = 1.1;
  p.dt_shrink = 0.5;
  p.alpha_start = 0.25;
  p.alpha_shrink = 0.99;
  p.delay_steps = 20;
  p.max_uphill_steps = 0;
  p.initial_delay = true;
  return p;
}

// The per-tick step of every running search.
struct ArtStepKernel {
  ArtSettings p;
  FireParameters fire;
  int n_atoms;
  AtomVectors positions, forces;
  ReplicaScalars energy;
  ReplicaBoxes boxes;
  ArtDeviceViews v;

  // --- team helpers over the atoms of one replica -------------------------------------------
  template <class F>
  KOKKOS_INLINE_FUNCTION double sum_atoms(const Team& team, const F& f) const {
    double sum = 0.0;
    Kokkos::parallel_reduce(
        Kokkos::TeamThreadRange(team, n_atoms), [&](const int i, double& acc) { acc += f(i); },
        sum);
    return sum;
  }
  template <class F>
  KOKKOS_INLINE_FUNCTION double max_atoms(const Team& team, const F& f) const {
    double largest = Kokkos::reduction_identity<double>::max();
    Kokkos::parallel_reduce(
        Kokkos::TeamThreadRange(team, n_atoms),
        [&](const int i, double& acc) {
          const double value = f(i);
          if (value > acc)
            acc = value;
        },
        Kokkos::Max<double>(largest));
    return largest;
  }
  template <class F>
  KOKKOS_INLINE_FUNCTION void for_atoms(const Team& team, const F& f) const {
    Kokkos::parallel_for(Kokkos::TeamThreadRange(team, n_atoms), f);
    team.team_barrier();
  }
  KOKKOS_INLINE_FUNCTION double dot(const Team& team, int64_t first, const AtomVectors& a,
                                    const AtomVectors& b) const {
    return sum_atoms(team, [&](int i) {
      const int64_t g = first + i;
      return a(g, 0) * b(g, 0) + a(g, 1) * b(g, 1) + a(g, 2) * b(g, 2);
    });
  }
  // a ← a − (a·b) b for a unit vector b.
  KOKKOS_INLINE_FUNCTION void project_out(const Team& team, int64_t first, const AtomVectors& a,
                                          const AtomVectors& b) const {
    const double c = dot(team, first, a, b);
    for_atoms(team, [&](int i) {
      for (int k = 0; k < 3; ++k)
        a(first + i, k) -= c * b(first + i, k);
    });
  }
  // Removes the uniform translation (the mean over atoms of each component).
  KOKKOS_INLINE_FUNCTION void remove_translation(const Team& team, int64_t first,
                                                 const AtomVectors& a) const {
    double mean[3];
    for (int k = 0; k < 3; ++k)
      mean[k] = sum_atoms(team, [&](int i) { return a(first + i, k); }) / n_atoms;
    for_atoms(team, [&](int i) {
      for (int k = 0; k < 3; ++k)
        a(first + i, k) -= mean[k];
    });
  }
  KOKKOS_INLINE_FUNCTION void normalise(const Team& team, int64_t first,
                                        const AtomVectors& a) const {
    const double norm = kmath::sqrt(dot(team, first, a, a));
    const double inverse = norm > 0.0 ? 1.0 / norm : 0.0;
    for_atoms(team, [&](int i) {
      for (int k = 0; k < 3; ++k)
        a(first + i, k) *= inverse;
    });
  }
  // positions ← positions + c·a, the move of a push, a step along the eigenvector or a FIRE
  // step, after the fault check (art.hpp, ArtSettings::max_step_displacement): when an atom
  // would move farther than the bound, or to a non-finite position, the search stops with
  // step_too_long or non_finite_positions naming the atom, and nothing moves.
  KOKKOS_INLINE_FUNCTION void move_along(const Team& team, int64_t first, ArtReplicaState& st,
                                         const AtomVectors& a, double c) const {
    // An atom's badness: the square of its move, DBL_MAX when the move is not finite (a finite
    // move that overflows is capped below it).
    auto score = [&](int i) {
      const int64_t g = first + i;
      double d2 = 0.0;
      bool finite = true;
      for (int k = 0; k < 3; ++k) {
        const double d = c * a(g, k);
        finite = finite && kmath::isfinite(d);
        d2 += d * d;
      }
      if (!finite)
        return DBL_MAX;
      return d2 < 0.5 * DBL_MAX ? d2 : 0.5 * DBL_MAX;
    };
    const double worst = max_atoms(team, score);
    if (worst > p.max_step_displacement * p.max_step_displacement) {
      st.fault_atom = team_lowest_atom_scoring(team, n_atoms, score, worst);
      st.fault_value = worst == DBL_MAX ? 0.0 : kmath::sqrt(worst);
      fail(st, worst == DBL_MAX ? ArtOutcome::non_finite_positions : ArtOutcome::step_too_long);
      return;
    }
    for_atoms(team, [&](int i) {
      for (int k = 0; k < 3; ++k)
        positions(first + i, k) += c * a(first + i, k);
    });
  }
  // positions ← base + c·a
  KOKKOS_INLINE_FUNCTION void place(const Team& team, int64_t first, const AtomVectors& base,
                                    const AtomVectors& a, double c) const {
    for_atoms(team, [&](int i) {
      for (int k = 0; k < 3; ++k)
        positions(first + i, k) = base(first + i, k) + c * a(first + i, k);
    });
  }
  // Largest atomic minimum-image displacement between positions and x_initial.
  KOKKOS_INLINE_FUNCTION double max_displacement_from_initial(const Team& team, int64_t first,
                                                              const Box& box) const {
    const double largest_sq = max_atoms(team, [&](int i) {
      double d[3];
      for (int k = 0; k < 3; ++k)
        d[k] = positions(first + i, k) - v.x_initial(first + i, k);
      box.minimum_image(d);
      return d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
    });
    return kmath::sqrt(largest_sq);
  }
  // Flips the eigenvector so that it points away from the initial minimum.
  KOKKOS_INLINE_FUNCTION void orient_away(const Team& team, int64_t first, const Box& box) const {
    const double projection = sum_atoms(team, [&](int i) {
      double s = 0.0;
      for (int k = 0; k < 3; ++k)
        s += v.eigenvector(first + i, k) *
             minimum_image_component(box, positions, v.x_initial, first + i, k);
      return s;
    });
    if (projection < 0.0)
      for_atoms(team, [&](int i) {
        for (int k = 0; k < 3; ++k)
          v.eigenvector(first + i, k) = -v.eigenvector(first + i, k);
      });
  }

  KOKKOS_INLINE_FUNCTION void reset_fire(ArtReplicaState& st) const {
    st.fire_dt = p.fire_dt_initial;
    st.fire_alpha = fire.alpha_start;
    st.fire_step = 0;
    st.fire_last_negative = 0;
    st.fire_uphill = 0;
  }
  KOKKOS_INLINE_FUNCTION void zero_velocity(const Team& team, int64_t first) const {
    for_atoms(team, [&](int i) {
      for (int k = 0; k < 3; ++k)
        v.fire_velocity(first + i, k) = 0.0;
    });
  }

  // One FIRE 2.0 step (Guénolé et al. 2020, as kernels/fire_minimizer) from the forces at the
  // current positions, in the hyperplane ⊥ `direction` when `projected`: the force and the
  // velocity lose their components along it, so the positions never move along it.
  KOKKOS_INLINE_FUNCTION void fire_move(const Team& team, int64_t first, ArtReplicaState& st,
                                        bool projected, const AtomVectors& direction) const {
    const AtomVectors f = v.f_current, vel = v.fire_velocity;
    double f_parallel = 0.0;
    if (projected) {
      f_parallel = dot(team, first, f, direction);
      project_out(team, first, vel, direction);
    }
    auto force = [&](int64_t g, int k) {
      return projected ? f(g, k) - f_parallel * direction(g, k) : f(g, k);
    };
    const double power = sum_atoms(team, [&](int i) {
      const int64_t g = first + i;
      return force(g, 0) * vel(g, 0) + force(g, 1) * vel(g, 1) + force(g, 2) * vel(g, 2);
    });
    const double v_dot_v = dot(team, first, vel, vel);
    const double f_dot_f = sum_atoms(team, [&](int i) {
      const int64_t g = first + i;
      return force(g, 0) * force(g, 0) + force(g, 1) * force(g, 1) + force(g, 2) * force(g, 2);
    });
    FireDecision decision;
    if (v_dot_v > 0.0) {
      ++st.fire_step;
      decision = fire_adapt(fire, st.fire_step, power, v_dot_v, f_dot_f, st.fire_dt, st.fire_alpha,
                            st.fire_last_negative, st.fire_uphill);
    }
    // From rest (the start of a relaxation segment) FIRE's power is zero: a plain Euler step,
    // without the restart that would otherwise shrink Δt at every segment.
    const double dt = st.fire_dt;
    for_atoms(team, [&](int i) {
      const int64_t g = first + i;
      for (int k = 0; k < 3; ++k) {
        if (decision.restart) {
          positions(g, k) -= 0.5 * dt * vel(g, k);
          vel(g, k) = 0.0;
        }
        vel(g, k) += dt * force(g, k);
        if (decision.mix)
          vel(g, k) = decision.velocity_scale * vel(g, k) + decision.force_scale * force(g, k);
      }
    });
    const double v_max = max_atoms(team, [&](int i) {
      const int64_t g = first + i;
      return kmath::max(kmath::fabs(vel(g, 0)),
                        kmath::max(kmath::fabs(vel(g, 1)), kmath::fabs(vel(g, 2))));
    });
    const double step = dt * v_max > p.fire_max_displacement ? p.fire_max_displacement / v_max : dt;
    move_along(team, first, st, vel, step);
  }

  // --- Lanczos -------------------------------------------------------------------------------
  // source: 0 eigenvector, 1 push direction, 2 random.
  KOKKOS_INLINE_FUNCTION void start_lanczos(const Team& team, int64_t first, ArtReplicaState& st,
                                            int source, bool deflate) const {
    const auto basis = v.basis;
    const uint64_t seed = p.seed;
    const uint64_t stream = static_cast<uint64_t>(st.search_id);
    const uint64_t counter0 = kLanczosRandomCounter +
                              static_cast<uint64_t>(st.lanczos_pass) * (uint64_t(6) * n_atoms + 2);
    for_atoms(team, [&](int i) {
      const int64_t g = first + i;
      for (int k = 0; k < 3; ++k) {
        v.x_center(g, k) = positions(g, k);
        double value;
        if (source == 0) {
          value = v.eigenvector(g, k);
        } else if (source == 1) {
          value = v.push_direction(g, k);
        } else if (source == 3) {
          value = v.second_vector(g, k);
        } else {
          double z0, z1;
          normal_pair(seed, stream, counter0 + 2 * (3 * static_cast<uint64_t>(i) + k), z0, z1);
          value = z0;
        }
        v.work(g, k) = value;
      }
    });
    if (deflate)
      project_out(team, first, v.work, v.eigenvector);
    if (p.remove_translations)
      remove_translation(team, first, v.work);
    normalise(team, first, v.work);
    const double eps = p.lanczos_epsilon;
    for_atoms(team, [&](int i) {
      const int64_t g = first + i;
      for (int k = 0; k < 3; ++k) {
        basis(0, g, k) = v.work(g, k);
        positions(g, k) = v.x_center(g, k) + eps * v.work(g, k);
      }
    });
    st.micro = art_detail::kLanczos;
    st.lanczos_iteration = 0;
    st.deflate = deflate ? 1 : 0;
  }

  // Consumes the forces at x_c + ε q_j. Returns true when converged (λ in `lambda`, the Ritz
  // vector in eigenvector unless deflated, positions back at x_c); otherwise places the next
  // probe.
  KOKKOS_INLINE_FUNCTION bool lanczos_consume(const Team& team, int r, int64_t first,
                                              ArtReplicaState& st, double& lambda) const {
    const auto basis = v.basis;
    const AtomVectors w = v.work;
    const int j = st.lanczos_iteration;
    const double eps = p.lanczos_epsilon;
    for_atoms(team, [&](int i) {
      const int64_t g = first + i;
      for (int k = 0; k < 3; ++k)
        w(g, k) = -(forces(g, k) - v.f_current(g, k)) / eps;
    });
    if (st.deflate)
      project_out(team, first, w, v.eigenvector);
    if (p.remove_translations)
      remove_translation(team, first, w);
    auto dot_basis = [&](int index) {
      return sum_atoms(team, [&](int i) {
        const int64_t g = first + i;
        return w(g, 0) * basis(index, g, 0) + w(g, 1) * basis(index, g, 1) +
               w(g, 2) * basis(index, g, 2);
      });
    };
    double a[kLanczosMaxIterations], b[kLanczosMaxIterations];
    for (int i = 0; i < j; ++i) {
      a[i] = v.tri_alpha(r, i);
      b[i] = v.tri_beta(r, i);
    }
    a[j] = dot_basis(j);
    const double alpha_j = a[j];
    const double beta_previous = j > 0 ? b[j - 1] : 0.0;
    for_atoms(team, [&](int i) {
      const int64_t g = first + i;
      for (int k = 0; k < 3; ++k)
        w(g, k) -= alpha_j * basis(j, g, k) + (j > 0 ? beta_previous * basis(j - 1, g, k) : 0.0);
    });
    // Full reorthogonalisation: with finite-difference products the three-term recurrence
    // loses orthogonality quickly, and j ≤ 32 makes this cheap.
    for (int index = 0; index <= j; ++index) {
      const double c = dot_basis(index);
      for_atoms(team, [&](int i) {
        const int64_t g = first + i;
        for (int k = 0; k < 3; ++k)
          w(g, k) -= c * basis(index, g, k);
      });
    }
    const double beta_j = kmath::sqrt(dot(team, first, w, w));
    b[j] = beta_j;
    lambda = tridiagonal_lowest_eigenvalue(a, b, j + 1);
    Kokkos::single(Kokkos::PerTeam(team), [&]() {
      v.tri_alpha(r, j) = alpha_j;
      v.tri_beta(r, j) = beta_j;
    });
    const bool careful =
        st.deflate || st.stage == art_detail::kSaddleCheck || st.stage == art_detail::kLanczosOnly;
    const int max_iterations =
        kmath::min(careful ? p.second_lanczos_max_iterations : p.lanczos_max_iterations,
                   kLanczosMaxIterations);
    const double tolerance = careful ? p.second_lanczos_tolerance : p.lanczos_tolerance;
    const bool converged =
        (j > 0 && kmath::fabs(lambda - st.lambda_previous) <= tolerance * kmath::fabs(lambda)) ||
        j + 1 >= max_iterations || beta_j <= 1e-10 * (kmath::fabs(alpha_j) + 1e-10);
    st.lambda_previous = lambda;
    if (!converged) {
      const double inverse = 1.0 / beta_j;
      for_atoms(team, [&](int i) {
        const int64_t g = first + i;
        for (int k = 0; k < 3; ++k) {
          basis(j + 1, g, k) = w(g, k) * inverse;
          positions(g, k) = v.x_center(g, k) + eps * basis(j + 1, g, k);
        }
      });
      st.lanczos_iteration = j + 1;
      return false;
    }
    {
      // Ritz vector: the lowest eigenvector, or for the deflated pass the second one (kept
      // apart, as the restart vector of the next deflated pass).
      const AtomVectors ritz = st.deflate ? v.second_vector : v.eigenvector;
      double y[kLanczosMaxIterations];
      tridiagonal_eigenvector(a, b, j + 1, lambda, y);
      for_atoms(team, [&](int i) {
        const int64_t g = first + i;
        for (int k = 0; k < 3; ++k) {
          double s = 0.0;
          for (int index = 0; index <= j; ++index)
            s += y[index] * basis(index, g, k);
          ritz(g, k) = s;
        }
      });
      normalise(team, first, ritz);
      if (!st.deflate)
        st.have_eigenvector = 1;
    }
    for_atoms(team, [&](int i) {
      for (int k = 0; k < 3; ++k)
        positions(first + i, k) = v.x_center(first + i, k);
    });
    return true;
  }

  // --- transitions ---------------------------------------------------------------------------
  KOKKOS_INLINE_FUNCTION void fail(ArtReplicaState& st, ArtOutcome outcome) const {
    st.status = static_cast<int>(outcome);
  }

  KOKKOS_INLINE_FUNCTION void push(const Team& team, int64_t first, ArtReplicaState& st) const {
    if (st.pushes >= p.max_pushes) {
      fail(st, ArtOutcome::never_crossed);
      return;
    }
    move_along(team, first, st, v.push_direction, p.push_step);
    ++st.pushes;
    st.micro = art_detail::kEval;
  }

  // Newton step along the unit eigenvector: near the saddle E ≈ E_s + ½ λ s², F∥ = −λ s, so
  // Δs = F∥/λ goes to s = 0; with λ < 0 it moves against F∥, i.e. uphill. Capped.
  KOKKOS_INLINE_FUNCTION void eigen_step(const Team& team, int64_t first,
                                         ArtReplicaState& st) const {
    const double f_parallel = dot(team, first, v.f_current, v.eigenvector);
    double step = f_parallel / st.lambda;
    if (step > p.eigen_step_max)
      step = p.eigen_step_max;
    if (step < -p.eigen_step_max)
      step = -p.eigen_step_max;
    move_along(team, first, st, v.eigenvector, step);
    ++st.convergence_steps;
    st.micro = art_detail::kEval;
  }

  // Restarted deflated Lanczos: each pass is an upper bound of λ2 that can only go down; run
  // again from the last Ritz vector until it changes by less than the tolerance (or the
  // restarts run out). Returns true when a new pass was started.
  KOKKOS_INLINE_FUNCTION bool restart_second(const Team& team, int64_t first, ArtReplicaState& st,
                                             double lambda) const {
    const bool changed =
        st.lanczos_pass == 1 ||
        kmath::fabs(lambda - st.lambda2) > p.second_lanczos_tolerance * kmath::fabs(lambda);
    if (!changed || st.lanczos_pass > p.second_lanczos_restarts)
      return false;
    st.lambda2 = lambda;
    ++st.lanczos_pass;
    start_lanczos(team, first, st, 3, true);
    return true;
  }

  KOKKOS_INLINE_FUNCTION void after_lanczos(const Team& team, int64_t first, const Box& box,
                                            ArtReplicaState& st, double lambda) const {
    using namespace art_detail;
    st.lambda = lambda;
    switch (st.stage) {
      case kActivation:
        if (lambda < p.eigenvalue_threshold) {
          orient_away(team, first, box);
          st.stage = kConvergence;
          st.convergence_steps = 0;
          reset_fire(st);
          eigen_step(team, first, st);
        } else {
          push(team, first, st);
        }
        break;
      case kConvergence:
        if (lambda >= 0.0) {
          if (st.returns_to_activation < p.max_returns_to_activation) {
            ++st.returns_to_activation;
            st.stage = kActivation;
            reset_fire(st);
            push(team, first, st);
          } else {
            fail(st, ArtOutcome::lost_eigenvalue);
          }
        } else if (st.convergence_steps >= p.max_convergence_steps)
          fail(st, ArtOutcome::max_convergence_steps);
        else
          eigen_step(team, first, st);
        break;
      case kSaddleCheck:
        if (st.lanczos_pass == 0) {
          st.lambda1 = lambda;
          if (lambda >= 0.0) {
            fail(st, ArtOutcome::first_eigenvalue_positive);
          } else {
            st.lanczos_pass = 1;
            start_lanczos(team, first, st, 2, true);
          }
        } else if (restart_second(team, first, st, lambda)) {
          // restarted from the last Ritz vector
        } else {
          st.lambda2 = lambda;
          if (lambda < -p.second_eigenvalue_tolerance) {
            fail(st, ArtOutcome::second_eigenvalue_negative);
          } else {
            orient_away(team, first, box);
            place(team, first, v.x_saddle, v.eigenvector, p.push_over_distance);
            st.stage = kMinForward;
            st.micro = kEval;
          }
        }
        break;
      case kLanczosOnly:
        if (st.lanczos_pass == 0) {
          st.lambda1 = lambda;
          if (st.want_second) {
            st.lanczos_pass = 1;
            start_lanczos(team, first, st, 2, true);
          } else {
            fail(st, ArtOutcome::lanczos_only);
          }
        } else if (!restart_second(team, first, st, lambda)) {
          st.lambda2 = lambda;
          fail(st, ArtOutcome::lanczos_only);
        }
        break;
      default:
        break;
    }
  }

  // A relaxation segment ends after n FIRE steps; then Lanczos (or a push, early on).
  KOKKOS_INLINE_FUNCTION void relax_or_finish(const Team& team, int64_t first, ArtReplicaState& st,
                                              const AtomVectors& direction, int n_steps) const {
    using namespace art_detail;
    if (st.relax_count < n_steps) {
      fire_move(team, first, st, true, direction);
      ++st.relax_count;
      st.micro = kRelax;
      return;
    }
    if (st.stage == kActivation) {
      if (st.pushes >= p.lanczos_after_pushes)
        start_lanczos(team, first, st, st.have_eigenvector ? 0 : 1, false);
      else
        push(team, first, st);
    } else {
      start_lanczos(team, first, st, 0, false);
    }
  }

  KOKKOS_INLINE_FUNCTION void after_evaluation(const Team& team, int64_t first, const Box& box,
                                               ArtReplicaState& st, double max_force) const {
    using namespace art_detail;
    const bool segment_start = st.micro == kEval;
    switch (st.stage) {
      case kInitial:
        st.e_initial = st.e_current;
        place(team, first, v.x_initial, v.push_direction, p.initial_displacement);
        st.stage = kActivation;
        st.micro = kEval;
        reset_fire(st);
        break;
      case kActivation:
        if (segment_start) {
          st.relax_count = 0;
          zero_velocity(team, first);
        }
        relax_or_finish(team, first, st, v.push_direction, p.relax_steps_activation);
        break;
      case kConvergence:
        if (max_force < p.saddle_force_tolerance) {
          for_atoms(team, [&](int i) {
            for (int k = 0; k < 3; ++k)
              v.x_saddle(first + i, k) = positions(first + i, k);
          });
          st.e_saddle = st.e_current;
          st.saddle_max_force = max_force;
          st.stage = kSaddleCheck;
          st.lanczos_pass = 0;
          start_lanczos(team, first, st, 0, false);
          break;
        }
        if (segment_start) {
          st.relax_count = 0;
          zero_velocity(team, first);
        }
        relax_or_finish(team, first, st, v.eigenvector, p.relax_steps_convergence);
        break;
      case kMinForward:
      case kMinBackward: {
        if (segment_start) {
          st.minimize_steps = 0;
          reset_fire(st);
          zero_velocity(team, first);
        }
        const double tolerance =
            st.stage == kMinForward ? p.final_force_tolerance : p.minimize_force_tolerance;
        if (max_force < tolerance) {
          const double moved = max_displacement_from_initial(team, first, box);
          if (st.stage == kMinForward) {
            for_atoms(team, [&](int i) {
              for (int k = 0; k < 3; ++k)
                v.x_final(first + i, k) = positions(first + i, k);
            });
            st.e_final = st.e_current;
            st.final_max_force = max_force;
            if (moved < p.connect_tolerance) {
              fail(st, ArtOutcome::fell_back);
            } else {
              place(team, first, v.x_saddle, v.eigenvector, -p.push_over_distance);
              st.stage = kMinBackward;
              st.micro = kEval;
            }
          } else {
            st.backward_displacement = moved;
            fail(st, moved < p.connect_tolerance ? ArtOutcome::success : ArtOutcome::not_connected);
          }
          break;
        }
        if (st.minimize_steps >= p.minimize_max_steps) {
          fail(st, ArtOutcome::minimization_failed);
          break;
        }
        fire_move(team, first, st, false, v.eigenvector);
        ++st.minimize_steps;
        st.micro = kMinimize;
        break;
      }
      case kLanczosOnly:
        start_lanczos(team, first, st, 1, false);
        break;
      default:
        break;
    }
  }

  KOKKOS_INLINE_FUNCTION void operator()(const Team& team) const {
    const int r = team.league_rank();
    ArtReplicaState st = v.state(r);
    if (st.status != art_detail::kRunning)
      return;
    const int64_t first = static_cast<int64_t>(r) * n_atoms;
    const Box box = boxes(r);
    ++st.evaluations;
    const double e = energy(r);
    // The fault check of the evaluation (issue 16): the lowest atom with a non-finite position,
    // else the lowest with a non-finite force, else a non-finite energy stops the search here.
    int bad_atom = INT_MAX;  // i: position of atom i; n_atoms + i: force of atom i
    Kokkos::parallel_reduce(
        Kokkos::TeamThreadRange(team, n_atoms),
        [&](int i, int& lowest) {
          const int64_t g = first + i;
          bool position = true, force = true;
          for (int k = 0; k < 3; ++k) {
            position = position && kmath::isfinite(positions(g, k));
            force = force && kmath::isfinite(forces(g, k));
          }
          const int code = !position ? i : (!force ? n_atoms + i : INT_MAX);
          if (code < lowest)
            lowest = code;
        },
        Kokkos::Min<int>(bad_atom));
    if (bad_atom < n_atoms) {
      st.fault_atom = bad_atom;
      fail(st, ArtOutcome::non_finite_positions);
    } else if (bad_atom < 2 * n_atoms) {
      st.fault_atom = bad_atom - n_atoms;
      fail(st, ArtOutcome::non_finite_forces);
    } else if (!kmath::isfinite(e)) {
      fail(st, ArtOutcome::non_finite);
    } else if (st.micro == art_detail::kLanczos) {
      ++st.lanczos_evaluations;
      double lambda = 0.0;
      if (lanczos_consume(team, r, first, st, lambda))
        after_lanczos(team, first, box, st, lambda);
    } else {
      for_atoms(team, [&](int i) {
        for (int k = 0; k < 3; ++k)
          v.f_current(first + i, k) = forces(first + i, k);
      });
      st.e_current = e;
      const double max_force_sq = max_atoms(team, [&](int i) {
        const int64_t g = first + i;
        return forces(g, 0) * forces(g, 0) + forces(g, 1) * forces(g, 1) +
               forces(g, 2) * forces(g, 2);
      });
      after_evaluation(team, first, box, st, kmath::sqrt(max_force_sq));
    }
    team.team_barrier();
    Kokkos::single(Kokkos::PerTeam(team), [&]() { v.state(r) = st; });
  }
};

// Starts new searches in the flagged slots: initial direction, fresh state.
struct ArtStartKernel {
  ArtSettings p;
  int n_atoms;
  bool lanczos_only, have_start_vectors, want_second;
  AtomVectors positions;
  ReplicaBoxes boxes;
  ArtDeviceViews v;

  KOKKOS_INLINE_FUNCTION void operator()(const Team& team) const {
    const int r = team.league_rank();
    if (!v.start_flags(r))
      return;
    const int64_t first = static_cast<int64_t>(r) * n_atoms;
    const Box box = boxes(r);
    const int center = v.start_centers(r);
    const int64_t search_id = v.start_search_ids(r);
    const uint64_t seed = p.seed;
    const double radius_sq = p.cluster_radius * p.cluster_radius;
    const AtomVectors x0 = v.x_initial, dir = v.push_direction;
    const AtomVectors pos = positions;
    const bool only = lanczos_only, given = have_start_vectors;
    Kokkos::parallel_for(Kokkos::TeamThreadRange(team, n_atoms), [&](const int i) {
      const int64_t g = first + i;
      if (only)
        for (int k = 0; k < 3; ++k)
          x0(g, k) = pos(g, k);
      else
        for (int k = 0; k < 3; ++k)
          pos(g, k) = x0(g, k);
      // The cluster: the centre atom and its neighbours within the radius (minimum image),
      // each with a Gaussian random vector from (seed, search id, atom): a uniformly random
      // direction of the cluster's 3n space once normalised.
      bool in_cluster = only;
      if (!only) {
        double d[3];
        for (int k = 0; k < 3; ++k)
          d[k] = x0(g, k) - x0(first + center, k);
        box.minimum_image(d);
        in_cluster = d[0] * d[0] + d[1] * d[1] + d[2] * d[2] <= radius_sq;
      }
      for (int k = 0; k < 3; ++k) {
        if (only && given)
          continue;
        double z0 = 0.0, z1 = 0.0;
        if (in_cluster)
          normal_pair(seed, static_cast<uint64_t>(search_id),
                      2 * (3 * static_cast<uint64_t>(i) + k), z0, z1);
        dir(g, k) = z0;
      }
      for (int k = 0; k < 3; ++k) {
        v.eigenvector(g, k) = 0.0;
        v.fire_velocity(g, k) = 0.0;
      }
    });
    team.team_barrier();
    double norm_sq = 0.0;
    Kokkos::parallel_reduce(
        Kokkos::TeamThreadRange(team, n_atoms),
        [&](const int i, double& acc) {
          const int64_t g = first + i;
          acc += dir(g, 0) * dir(g, 0) + dir(g, 1) * dir(g, 1) + dir(g, 2) * dir(g, 2);
        },
        norm_sq);
    const double inverse = norm_sq > 0.0 ? 1.0 / kmath::sqrt(norm_sq) : 0.0;
    Kokkos::parallel_for(Kokkos::TeamThreadRange(team, n_atoms), [&](const int i) {
      for (int k = 0; k < 3; ++k)
        dir(first + i, k) *= inverse;
    });
    team.team_barrier();
    Kokkos::single(Kokkos::PerTeam(team), [&]() {
      ArtReplicaState st;
      st.status = art_detail::kRunning;
      st.stage = only ? art_detail::kLanczosOnly : art_detail::kInitial;
      st.micro = art_detail::kEval;
      st.center_atom = center;
      st.search_id = search_id;
      st.want_second = want_second ? 1 : 0;
      st.fire_dt = p.fire_dt_initial;
      st.fire_alpha = 0.25;
      v.state(r) = st;
    });
  }
};

}  // namespace

ArtEngine::ArtEngine(Batch& batch, ForceField& force_field, const ArtSettings& settings)
    : batch_(batch),
      field_(force_field),
      settings_(settings),
      views_(new ArtDeviceViews(batch.n_replicas, batch.n_atoms)) {
  if (settings.lanczos_max_iterations > kLanczosMaxIterations ||
      settings.second_lanczos_max_iterations > kLanczosMaxIterations)
    throw std::invalid_argument("ART: Lanczos iterations are limited to " +
                                std::to_string(kLanczosMaxIterations));
  if (settings.remove_translations && batch.n_atoms < 2)
    throw std::invalid_argument(
        "ART: remove_translations needs more than one atom per replica (set it false for "
        "one-particle landscapes)");
}

ArtEngine::~ArtEngine() {
  delete views_;
}

int ArtEngine::add_minimum(const ArtMinimum& minimum) {
  if (static_cast<int>(minimum.positions.size()) != 3 * batch_.n_atoms ||
      static_cast<int>(minimum.elements.size()) != batch_.n_atoms)
    throw std::invalid_argument("ART: a minimum must have the batch's atom count");
  minima_.push_back(minimum);
  return static_cast<int>(minima_.size()) - 1;
}

void ArtEngine::tick() {
  ArtDeviceViews& v = *views_;
  auto state = v.state;
  auto running = v.running;
  Kokkos::parallel_for(
      "art::running_mask", Kokkos::RangePolicy<ExecSpace>(0, batch_.n_replicas),
      KOKKOS_LAMBDA(int r) { running(r) = state(r).status == art_detail::kRunning ? 1 : 0; });
  EvalRequest request;
  request.energy = true;
  request.virial = false;
  request.active = running;
  field_.compute(batch_, request);
  ArtStepKernel kernel{
      settings_,     art_fire_parameters(settings_), batch_.n_atoms, batch_.positions,
      batch_.forces, batch_.potential_energy,        batch_.boxes,   v};
  Kokkos::parallel_for("art::step", Kokkos::TeamPolicy<ExecSpace>(batch_.n_replicas, Kokkos::AUTO),
                       kernel);
}

void ArtEngine::start_slots(const std::vector<int>& slot_minimum,
                            const std::vector<int64_t>& slot_search,
                            const std::vector<int>& slot_center, bool lanczos_only) {
  ArtDeviceViews& v = *views_;
  const int n_replicas = batch_.n_replicas, n_atoms = batch_.n_atoms;
  auto flags = Kokkos::create_mirror_view(v.start_flags);
  auto centers = Kokkos::create_mirror_view(v.start_centers);
  auto ids = Kokkos::create_mirror_view(v.start_search_ids);
  bool any = false;
  if (!lanczos_only) {
    // The refilled slots' initial minima, boxes and species: only those replicas cross the
    // bus (packed, one transfer per array); the running searches' data stay on the device.
    std::vector<int> refilled;
    for (int r = 0; r < n_replicas; ++r)
      if (slot_minimum[r] >= 0)
        refilled.push_back(r);
    ReplicaUpload upload(refilled, n_atoms);
    for (size_t p = 0; p < refilled.size(); ++p) {
      const ArtMinimum& m = minima_.at(slot_minimum[refilled[p]]);
      upload.boxes(p) = m.box;
      for (int i = 0; i < n_atoms; ++i) {
        const int64_t row = static_cast<int64_t>(p) * n_atoms + i;
        upload.elements(row) = m.elements[i];
        for (int k = 0; k < 3; ++k)
          upload.positions(row, k) = m.positions[3 * i + k];
      }
    }
    copy_replicas_to_device(upload, v.x_initial, batch_.elements, batch_.boxes);
  }
  for (int r = 0; r < n_replicas; ++r) {
    flags(r) = slot_minimum[r] >= 0 ? 1 : 0;
    centers(r) = slot_minimum[r] >= 0 ? slot_center[r] : 0;
    ids(r) = slot_minimum[r] >= 0 ? slot_search[r] : -1;
    any = any || flags(r);
  }
  if (!any)
    return;
  Kokkos::deep_copy(v.start_flags, flags);
  Kokkos::deep_copy(v.start_centers, centers);
  Kokkos::deep_copy(v.start_search_ids, ids);
  ArtStartKernel kernel{settings_, n_atoms,          lanczos_only, false,
                        false,     batch_.positions, batch_.boxes, v};
  Kokkos::parallel_for("art::start", Kokkos::TeamPolicy<ExecSpace>(n_replicas, Kokkos::AUTO),
                       kernel);
  // No ForceField::reset() here: the neighbour list's own displacement check rebuilds exactly
  // the slots whose positions were replaced, and leaves the running searches untouched (a
  // global rebuild would re-wrap their positions and break bitwise batch invariance).
}

LanczosModes ArtEngine::lowest_modes(bool second, const std::vector<double>& start) {
  ArtDeviceViews& v = *views_;
  const int n_replicas = batch_.n_replicas, n_atoms = batch_.n_atoms;
  const bool given = !start.empty();
  if (given) {
    if (static_cast<int64_t>(start.size()) != 3 * batch_.total_atoms())
      throw std::invalid_argument("lowest_modes: start vector of the wrong size");
    auto dir = Kokkos::create_mirror_view(v.push_direction);
    for (int64_t g = 0; g < batch_.total_atoms(); ++g)
      for (int k = 0; k < 3; ++k)
        dir(g, k) = start[3 * g + k];
    Kokkos::deep_copy(v.push_direction, dir);
  }
  Kokkos::deep_copy(v.start_flags, 1);
  Kokkos::deep_copy(v.start_centers, 0);
  auto ids = Kokkos::create_mirror_view(v.start_search_ids);
  for (int r = 0; r < n_replicas; ++r)
    ids(r) = r;
  Kokkos::deep_copy(v.start_search_ids, ids);
  ArtStartKernel kernel{settings_, n_atoms, true, given, second, batch_.positions, batch_.boxes, v};
  Kokkos::parallel_for("art::start_lanczos_only",
                       Kokkos::TeamPolicy<ExecSpace>(n_replicas, Kokkos::AUTO), kernel);
  for (int guard = 0; guard < 4 * kLanczosMaxIterations + 4; ++guard)
    tick();
  auto state = Kokkos::create_mirror_view_and_copy(HostSpace(), v.state);
  auto eig = Kokkos::create_mirror_view_and_copy(HostSpace(), v.eigenvector);
  LanczosModes modes;
  for (int r = 0; r < n_replicas; ++r) {
    if (state(r).status != static_cast<int>(ArtOutcome::lanczos_only))
      throw std::runtime_error("lowest_modes: Lanczos did not finish");
    modes.lambda1.push_back(state(r).lambda1);
    modes.lambda2.push_back(state(r).lambda2);
    modes.evaluations.push_back(state(r).evaluations);
  }
  for (int64_t g = 0; g < batch_.total_atoms(); ++g)
    for (int k = 0; k < 3; ++k)
      modes.eigenvector.push_back(eig(g, k));
  return modes;
}

namespace {

// Atom indices of `species` (all atoms when species < 0).
std::vector<int> atoms_of_species(const ArtMinimum& minimum, int species) {
  std::vector<int> atoms;
  for (int i = 0; i < static_cast<int>(minimum.elements.size()); ++i)
    if (species < 0 || minimum.elements[i] == species)
      atoms.push_back(i);
  return atoms;
}

// Unwrapped copy of the replica in row block `packed` of `x` (copy_replicas_to_host) relative
// to the minimum: x0 + minimum_image(x − x0).
std::vector<double> relative_positions(const ArtMinimum& minimum, const PackedHostVectors& x,
                                       int packed, int n_atoms) {
  std::vector<double> out(3 * n_atoms);
  for (int i = 0; i < n_atoms; ++i) {
    const int64_t g = static_cast<int64_t>(packed) * n_atoms + i;
    double d[3];
    for (int k = 0; k < 3; ++k)
      d[k] = x(g, k) - minimum.positions[3 * i + k];
    minimum.box.minimum_image(d);
    for (int k = 0; k < 3; ++k)
      out[3 * i + k] = minimum.positions[3 * i + k] + d[k];
  }
  return out;
}

void displacement_norms(const ArtMinimum& minimum, const std::vector<double>& positions,
                        double& norm, double& largest) {
  double sum = 0.0;
  largest = 0.0;
  for (size_t i = 0; i < positions.size() / 3; ++i) {
    double d2 = 0.0;
    for (int k = 0; k < 3; ++k) {
      const double d = positions[3 * i + k] - minimum.positions[3 * i + k];
      d2 += d * d;
    }
    sum += d2;
    largest = std::max(largest, std::sqrt(d2));
  }
  norm = std::sqrt(sum);
}

// One ArtEngine::run on the host: which search runs in which slot, which (minimum, centre) the
// next search takes, and the events of the searches that ended. Centres are random (a function
// of the seed and the search id) for random_of_species and walks; otherwise the listed or
// every-atom (minimum, centre) pairs take turns, each with its own success target and attempt
// cap.
class ArtRunBookkeeping {
 public:
  ArtRunBookkeeping(ArtEngine& engine, std::vector<ArtMinimum>& minima, const ArtDeviceViews& views,
                    const ArtRunRequest& request, int n_slots, int n_atoms)
      : engine_(engine),
        minima_(minima),
        views_(views),
        request_(request),
        n_slots_(n_slots),
        n_atoms_(n_atoms),
        random_centers_(request.walk || request.selection == CenterSelection::random_of_species),
        slot_minimum_(n_slots, -1),
        slot_center_(n_slots, -1),
        slot_pair_(n_slots, -1),
        walker_(n_slots),
        slot_search_(n_slots, -1),
        next_search_(request.first_search_id) {
    minima_list_ = request.minima;
    if (minima_list_.empty())
      for (int m = 0; m < static_cast<int>(minima.size()); ++m)
        minima_list_.push_back(m);
    if (!random_centers_) {
      for (int m : minima_list_) {
        if (request.selection == CenterSelection::listed) {
          for (int c : request.centers)
            pairs_.emplace_back(m, c);
        } else {
          for (int c = 0; c < n_atoms; ++c)
            pairs_.emplace_back(m, c);
        }
      }
    }
    pair_started_.assign(pairs_.size(), 0);
    pair_succeeded_.assign(pairs_.size(), 0);
    pair_in_flight_.assign(pairs_.size(), 0);
    for (int r = 0; r < n_slots; ++r)
      walker_[r] = minima_list_[r % minima_list_.size()];
    if (request.walk && !request.walkers.empty()) {
      if (static_cast<int>(request.walkers.size()) != n_slots)
        throw std::invalid_argument("ART: " + std::to_string(request.walkers.size()) +
                                    " walkers for " + std::to_string(n_slots) + " search slots");
      for (int m : request.walkers)
        if (m < 0 || m >= static_cast<int>(minima.size()))
          throw std::invalid_argument("ART: walker at unknown minimum " + std::to_string(m));
      walker_ = request.walkers;
    }
  }

  bool any_running() const {
    for (int r = 0; r < n_slots_; ++r)
      if (slot_search_[r] >= 0)
        return true;
    return false;
  }

  // Random centres: once the target is reached, searches still running are abandoned.
  int successes() const { return result_.successes; }
  int64_t ended() const { return static_cast<int64_t>(result_.events.size()); }
  bool target_reached() const {
    return random_centers_ && result_.successes >= request_.target_successes;
  }

  // Starts the next wanted searches in the free slots (all of them on the device at once).
  void start_searches(const std::vector<int>& free_slots) {
    std::vector<int> start_minimum(n_slots_, -1);
    bool any = false;
    for (int r : free_slots) {
      int minimum = -1, center = -1, pair = -1;
      if (!choose(r, minimum, center, pair))
        break;
      start_minimum[r] = minimum;
      slot_minimum_[r] = minimum;
      slot_center_[r] = center;
      slot_pair_[r] = pair;
      slot_search_[r] = next_search_++;
      ++result_.attempts;
      if (pair >= 0) {
        ++pair_started_[pair];
        ++pair_in_flight_[pair];
      }
      any = true;
    }
    if (any)
      engine_.start_slots(start_minimum, slot_search_, slot_center_, false);
  }

  // Records the searches that have ended (one copy of the device state) and returns their
  // slots, now free.
  std::vector<int> record_finished_searches() {
    auto state = Kokkos::create_mirror_view_and_copy(HostSpace(), views_.state);
    std::vector<int> finished;
    bool any_success = false;
    for (int r = 0; r < n_slots_; ++r) {
      if (slot_search_[r] >= 0 && state(r).status != art_detail::kRunning) {
        finished.push_back(r);
        any_success = any_success || state(r).status == static_cast<int>(ArtOutcome::success);
      }
    }
    if (finished.empty())
      return finished;
    // Only the successful searches' saddles and final minima are copied (packed, in order).
    std::vector<int> successful;
    for (int r : finished)
      if (state(r).status == static_cast<int>(ArtOutcome::success))
        successful.push_back(r);
    PackedHostVectors x_saddle, x_final;
    if (any_success) {
      x_saddle = copy_replicas_to_host(views_.x_saddle, successful, n_atoms_);
      x_final = copy_replicas_to_host(views_.x_final, successful, n_atoms_);
    }
    int packed = 0;
    for (int r : finished) {
      const ArtReplicaState& st = state(r);
      ArtEvent event = event_of_search(r, st);
      if (event.success)
        record_success(event, r, st, x_saddle, x_final, packed++);
      if (slot_pair_[r] >= 0)
        --pair_in_flight_[slot_pair_[r]];
      result_.events.push_back(std::move(event));
      slot_search_[r] = -1;
      slot_minimum_[r] = -1;
      slot_pair_[r] = -1;
    }
    return finished;
  }

  ArtRunResult finish(int64_t batch_evaluations) {
    result_.batch_evaluations = batch_evaluations;
    result_.next_search_id = next_search_;
    if (request_.walk)
      result_.walkers = walker_;
    // Walk connections refer to event positions; keep the order of completion for them.
    if (!request_.walk)
      std::sort(result_.events.begin(), result_.events.end(),
                [](const ArtEvent& a, const ArtEvent& b) { return a.search_id < b.search_id; });
    return std::move(result_);
  }

 private:
  // Picks the next search for a free slot; false when none is wanted.
  bool choose(int slot, int& minimum, int& center, int& pair) {
    if (result_.attempts >= request_.max_attempts)
      return false;
    pair = -1;
    if (random_centers_) {
      if (result_.successes >= request_.target_successes)
        return false;
      minimum = request_.walk
                    ? walker_[slot]
                    : minima_list_[static_cast<size_t>(next_search_) % minima_list_.size()];
      const std::vector<int> candidates = atoms_of_species(minima_[minimum], request_.species);
      if (candidates.empty())
        throw std::invalid_argument("ART: no atom of species " + std::to_string(request_.species));
      // The centre is a function of (seed, search id) only.
      const uint64_t bits = random_bits(engine_.settings().seed ^ kCenterStreamSalt,
                                        static_cast<uint64_t>(next_search_), 0);
      center = candidates[bits % candidates.size()];
      return true;
    }
    for (size_t tried = 0; tried < pairs_.size(); ++tried) {
      const size_t p = (pair_cursor_ + tried) % pairs_.size();
      if (pair_succeeded_[p] + pair_in_flight_[p] < request_.successes_per_center &&
          pair_started_[p] < request_.max_attempts_per_center) {
        pair = static_cast<int>(p);
        pair_cursor_ = (p + 1) % pairs_.size();
        minimum = pairs_[p].first;
        center = pairs_[p].second;
        return true;
      }
    }
    return false;
  }

  // The event of the search that ended in slot r, from its device state.
  ArtEvent event_of_search(int r, const ArtReplicaState& st) {
    ArtMinimum& minimum = minima_[slot_minimum_[r]];
    ArtEvent event;
    event.search_id = slot_search_[r];
    event.minimum_id = slot_minimum_[r];
    event.center_atom = slot_center_[r];
    event.outcome = static_cast<ArtOutcome>(st.status);
    event.success = event.outcome == ArtOutcome::success;
    event.e_initial = st.e_initial;
    event.e_saddle = st.e_saddle;
    event.e_final = st.e_final;
    event.barrier = st.e_saddle - st.e_initial;
    event.asymmetry = st.e_final - st.e_initial;
    event.lambda1 = st.lambda1;
    event.lambda2 = st.lambda2;
    event.saddle_max_force = st.saddle_max_force;
    event.final_max_force = st.final_max_force;
    event.backward_max_displacement = st.backward_displacement;
    event.pushes = st.pushes;
    event.convergence_steps = st.convergence_steps;
    event.force_evaluations = st.evaluations;
    event.lanczos_evaluations = st.lanczos_evaluations;
    event.fault_atom = st.fault_atom;
    event.fault_value = st.fault_value;
    // A search stopped at its first evaluation (a fault) never measured the minimum's energy.
    if (!minimum.energy_known && st.stage != art_detail::kInitial) {
      minimum.energy = st.e_initial;
      minimum.energy_known = true;
    }
    return event;
  }

  // A successful event's displacements, participating atoms and configurations; on a walk, the
  // minimum it leads to (a new one unless it matches a known minimum), where the walker goes on.
  // x_saddle and x_final hold the successful searches packed; this one is row block `packed`.
  void record_success(ArtEvent& event, int r, const ArtReplicaState& st,
                      const PackedHostVectors& x_saddle, const PackedHostVectors& x_final,
                      int packed) {
    const ArtMinimum& minimum = minima_[slot_minimum_[r]];
    std::vector<double> saddle = relative_positions(minimum, x_saddle, packed, n_atoms_);
    std::vector<double> final_state = relative_positions(minimum, x_final, packed, n_atoms_);
    displacement_norms(minimum, saddle, event.saddle_displacement_norm,
                       event.saddle_max_displacement);
    displacement_norms(minimum, final_state, event.final_displacement_norm,
                       event.final_max_displacement);
    for (int i = 0; i < n_atoms_; ++i) {
      double d2 = 0.0;
      for (int k = 0; k < 3; ++k) {
        const double d = saddle[3 * i + k] - minimum.positions[3 * i + k];
        d2 += d * d;
      }
      if (std::sqrt(d2) > engine_.settings().participation_threshold)
        event.participating_atoms.push_back(i);
    }
    if (request_.walk) {
      int id = find_matching_minimum(minima_, final_state, st.e_final,
                                     engine_.settings().connect_tolerance, 1e-3);
      if (id < 0) {
        ArtMinimum next;
        next.positions = final_state;
        next.elements = minimum.elements;
        next.box = minimum.box;
        next.energy = st.e_final;
        next.energy_known = true;
        minima_.push_back(next);  // `minimum` is not used after this: the vector may move
        id = static_cast<int>(minima_.size()) - 1;
      }
      event.final_minimum_id = id;
      result_.connections.push_back({slot_minimum_[r], id, result_.events.size()});
      walker_[r] = id;
    }
    if (request_.keep_configurations) {
      event.saddle_positions = std::move(saddle);
      event.final_positions = std::move(final_state);
    }
    ++result_.successes;
    if (slot_pair_[r] >= 0)
      ++pair_succeeded_[slot_pair_[r]];
  }

  static constexpr uint64_t kCenterStreamSalt = 0xA27C3E7ull;

  ArtEngine& engine_;
  std::vector<ArtMinimum>& minima_;
  const ArtDeviceViews& views_;
  const ArtRunRequest& request_;
  const int n_slots_, n_atoms_;
  const bool random_centers_;
  std::vector<int> minima_list_;            // the minima searched from, in turn
  std::vector<std::pair<int, int>> pairs_;  // (minimum, centre), listed / every atom
  std::vector<int> pair_started_, pair_succeeded_, pair_in_flight_;
  size_t pair_cursor_ = 0;
  // Per slot: the running search (id −1: free), its minimum, centre and pair; walks: the
  // minimum the slot searches from next.
  std::vector<int> slot_minimum_, slot_center_, slot_pair_, walker_;
  std::vector<int64_t> slot_search_;
  int64_t next_search_;
  ArtRunResult result_;
};

}  // namespace

ArtRunResult ArtEngine::run(const ArtRunRequest& request) {
  if (minima_.empty())
    throw std::invalid_argument("ART: no minimum to search from");
  const int n_replicas = batch_.n_replicas;
  ArtRunBookkeeping bookkeeping(*this, minima_, *views_, request, n_replicas, batch_.n_atoms);
  std::vector<int> all_slots(n_replicas);
  for (int r = 0; r < n_replicas; ++r)
    all_slots[r] = r;
  bookkeeping.start_searches(all_slots);

  const int64_t evaluations_before = field_.evaluations();
  const int check_interval = std::max(1, request.host_check_interval);
  while (bookkeeping.any_running()) {
    for (int t = 0; t < check_interval; ++t)
      tick();
    const std::vector<int> free_slots = bookkeeping.record_finished_searches();
    if (free_slots.empty())
      continue;
    if (request.on_searches_ended)
      request.on_searches_ended(bookkeeping.successes(), bookkeeping.ended());
    if (bookkeeping.target_reached())
      break;
    bookkeeping.start_searches(free_slots);
  }
  return bookkeeping.finish(field_.evaluations() - evaluations_before);
}

int find_matching_minimum(const std::vector<ArtMinimum>& minima,
                          const std::vector<double>& positions, double energy, double tolerance,
                          double energy_tolerance) {
  for (size_t m = 0; m < minima.size(); ++m) {
    const ArtMinimum& candidate = minima[m];
    if (candidate.positions.size() != positions.size())
      continue;
    if (candidate.energy_known && std::fabs(candidate.energy - energy) > energy_tolerance)
      continue;
    double largest = 0.0;
    for (size_t i = 0; i < positions.size() / 3; ++i) {
      double d[3];
      for (int k = 0; k < 3; ++k)
        d[k] = positions[3 * i + k] - candidate.positions[3 * i + k];
      candidate.box.minimum_image(d);
      largest = std::max(largest, std::sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]));
    }
    if (largest < tolerance)
      return static_cast<int>(m);
  }
  return -1;
}

}  // namespace glassland
