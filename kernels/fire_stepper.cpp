// FIRE 2.0 on a batch of systems: the launches of one step. The method, its sources and the
// rules that tell the minimiser's and the NEB band's variants apart are in fire_stepper.hpp.
#include "kernels/fire_stepper.hpp"

#include "kernels/replica_reductions.hpp"
#include "kernels/units.hpp"

namespace glassland {

namespace {

using TeamPolicy = Kokkos::TeamPolicy<ExecSpace>;
using Team = TeamPolicy::member_type;

// Where replica r sits: its system, and whether it is a moving replica of a running system.
struct SystemOfReplica {
  int size, first_moving, end_moving;
  KOKKOS_INLINE_FUNCTION int system(int r) const { return r / size; }
  KOKKOS_INLINE_FUNCTION bool moves(const ReplicaInts& running, int r) const {
    const int member = r % size;
    return member >= first_moving && member < end_moving && running(r / size) != 0;
  }
};

SystemOfReplica system_of_replica(const FireSystems& s) {
  return SystemOfReplica{s.size, s.first_moving, s.end_moving};
}

}  // namespace

FireStepper::FireStepper(const FireRules& rules, const FireSystems& systems)
    : rules_(rules), systems_(systems) {
  const int n_systems = systems.n_systems;
  const int n_replicas = systems.n_systems * systems.size;
  velocities_ = AtomVectors("fire::velocities", static_cast<int64_t>(n_replicas) * systems.n_atoms);
  image_power_ = ReplicaScalars("fire::image_power", n_replicas);
  image_v_dot_v_ = ReplicaScalars("fire::image_v_dot_v", n_replicas);
  image_f_dot_f_ = ReplicaScalars("fire::image_f_dot_f", n_replicas);
  image_speed_ = ReplicaScalars("fire::image_speed", n_replicas);
  dt_ = ReplicaScalars("fire::dt", n_systems);
  alpha_ = ReplicaScalars("fire::alpha", n_systems);
  velocity_scale_ = ReplicaScalars("fire::velocity_scale", n_systems);
  force_scale_ = ReplicaScalars("fire::force_scale", n_systems);
  step_dt_ = ReplicaScalars("fire::step_dt", n_systems);
  last_negative_ = ReplicaInts("fire::last_negative", n_systems);
  uphill_steps_ = ReplicaInts("fire::uphill_steps", n_systems);
  mix_ = ReplicaInts("fire::mix", n_systems);
  restart_ = ReplicaInts("fire::restart", n_systems);
  moved_back_ = ReplicaInts("fire::moved_back", n_systems);
  moved_back_count_ = Kokkos::View<int, MemSpace>("fire::moved_back_count");
}

void FireStepper::reset() {
  Kokkos::deep_copy(velocities_, 0.0);
  Kokkos::deep_copy(dt_, rules_.dt_initial);
  Kokkos::deep_copy(alpha_, rules_.adapt.alpha_start);
  Kokkos::deep_copy(last_negative_, 0);
  Kokkos::deep_copy(uphill_steps_, 0);
}

int FireStepper::adapt(const AtomVectors& positions, const AtomVectors& forces,
                       const FireSystemCounters& counters) {
  measure_power(forces, counters.running);
  const int n_moved_back = adapt_systems(counters);
  // Only systems flagged moved_back have a velocity to step back along; a restarting system at
  // rest keeps its positions and v = 0 without the launch.
  if (n_moved_back > 0)
    step_back(positions, counters.running);
  return n_moved_back;
}

void FireStepper::move(Batch& batch, const AtomVectors& forces, const ReplicaInts& running) {
  if (rules_.method == FireMethod::quickmin) {
    project_velocity(forces, running);
    measure_speed(batch, forces, running);
    limit_step(running);
    quickmin_step(batch, forces, running);
  } else if (rules_.step_limit == FireStepLimit::shorten_timestep) {
    measure_speed(batch, forces, running);
    limit_step(running);
    update_velocity(batch, forces, running, true);
  } else {
    update_velocity(batch, forces, running, false);
    measure_speed(batch, forces, running);
    limit_step(running);
    displace(batch, running);
  }
}

void FireStepper::measure_power(const AtomVectors& forces, const ReplicaInts& running) {
  const int n_replicas = systems_.n_systems * systems_.size;
  const int n_atoms = systems_.n_atoms;
  const SystemOfReplica where = system_of_replica(systems_);
  const bool per_component = rules_.dot_order == FireDotOrder::per_component;
  auto velocities = velocities_;
  auto power = image_power_;
  auto v_dot_v = image_v_dot_v_;
  auto f_dot_f = image_f_dot_f_;
  // P = F·v, v·v, F·F of every moving replica (one team per replica: a fixed summation order).
  Kokkos::parallel_for(
      "fire::image_power", TeamPolicy(n_replicas, Kokkos::AUTO), KOKKOS_LAMBDA(const Team& team) {
        const int r = team.league_rank();
        if (!where.moves(running, r))
          return;
        const int64_t first = static_cast<int64_t>(r) * n_atoms;
        const double p =
            per_component ? team_replica_dot_per_component(team, velocities, forces, first, n_atoms)
                          : team_replica_dot(team, velocities, forces, first, n_atoms);
        const double vv =
            per_component
                ? team_replica_dot_per_component(team, velocities, velocities, first, n_atoms)
                : team_replica_dot(team, velocities, velocities, first, n_atoms);
        const double ff = per_component
                              ? team_replica_dot_per_component(team, forces, forces, first, n_atoms)
                              : team_replica_dot(team, forces, forces, first, n_atoms);
        Kokkos::single(Kokkos::PerTeam(team), [&]() {
          power(r) = p;
          v_dot_v(r) = vv;
          f_dot_f(r) = ff;
        });
      });
}

int FireStepper::adapt_systems(const FireSystemCounters& counters) {
  const int size = systems_.size;
  const int first_moving = systems_.first_moving;
  const int end_moving = systems_.end_moving;
  const FireParameters params = rules_.adapt;
  const double dt_initial = rules_.dt_initial;
  const bool half_step_back = rules_.half_step_back && rules_.method == FireMethod::fire2;
  const bool quickmin = rules_.method == FireMethod::quickmin;
  const int uphill_status = counters.uphill_status;
  const bool has_fresh_start = counters.fresh_start.extent(0) > 0;
  auto running = counters.running;
  auto steps = counters.steps;
  auto status = counters.status;
  auto fresh_start = counters.fresh_start;
  auto image_power = image_power_;
  auto image_v_dot_v = image_v_dot_v_;
  auto image_f_dot_f = image_f_dot_f_;
  auto dt = dt_;
  auto alpha = alpha_;
  auto last_negative = last_negative_;
  auto uphill_steps = uphill_steps_;
  auto mix = mix_;
  auto velocity_scale = velocity_scale_;
  auto force_scale = force_scale_;
  auto restart = restart_;
  auto moved_back = moved_back_;
  // FIRE 2.0's Δt/α rule on each system's whole vector (sums over its replicas in order),
  // counting on the device the systems it moves half a step back.
  Kokkos::parallel_reduce(
      "fire::adapt", Kokkos::RangePolicy<ExecSpace>(0, systems_.n_systems),
      KOKKOS_LAMBDA(int s, int& n_moved_back) {
        moved_back(s) = 0;
        if (running(s) == 0)
          return;
        const int step = steps(s) + 1;
        steps(s) = step;
        double power = 0.0, v_dot_v = 0.0, f_dot_f = 0.0;
        for (int member = first_moving; member < end_moving; ++member) {
          const int r = s * size + member;
          power += image_power(r);
          v_dot_v += image_v_dot_v(r);
          f_dot_f += image_f_dot_f(r);
        }
        if (has_fresh_start && fresh_start(s) != 0) {
          // The system's forces have changed (e.g. a climbing image switched on): start afresh.
          fresh_start(s) = 0;
          dt(s) = dt_initial;
          alpha(s) = params.alpha_start;
          last_negative(s) = step;
          uphill_steps(s) = 0;
          mix(s) = 0;
          restart(s) = 1;
          moved_back(s) = half_step_back && v_dot_v > 0.0 ? 1 : 0;
          n_moved_back += moved_back(s);
          return;
        }
        if (quickmin) {
          // v ← 0 against the force, else v ← (v·F / F·F) F (min_quickmin.cpp); Δt stays.
          restart(s) = power < 0.0 ? 1 : 0;
          mix(s) = power < 0.0 ? 0 : 1;
          if (power < 0.0)
            last_negative(s) = step;
          velocity_scale(s) = 0.0;
          force_scale(s) = f_dot_f > 0.0 ? power / f_dot_f : 0.0;
          return;
        }
        double system_dt = dt(s), system_alpha = alpha(s);
        int system_last_negative = last_negative(s), system_uphill = uphill_steps(s);
        const FireDecision decision = fire_adapt(params, step, power, v_dot_v, f_dot_f, system_dt,
                                                 system_alpha, system_last_negative, system_uphill);
        dt(s) = system_dt;
        alpha(s) = system_alpha;
        last_negative(s) = system_last_negative;
        uphill_steps(s) = system_uphill;
        mix(s) = decision.mix ? 1 : 0;
        velocity_scale(s) = decision.velocity_scale;
        force_scale(s) = decision.force_scale;
        restart(s) = decision.restart ? 1 : 0;
        // Moving back half a step makes the forces stale; with v = 0 nothing moves.
        moved_back(s) = decision.restart && half_step_back && v_dot_v > 0.0 ? 1 : 0;
        if (decision.too_many_uphill) {
          status(s) = uphill_status;
          running(s) = 0;
          moved_back(s) = 0;
        }
        n_moved_back += moved_back(s);
      },
      moved_back_count_);
  // Without the half step back no system is moved back: nothing to read from the device.
  if (!half_step_back)
    return 0;
  int n_moved_back = 0;
  Kokkos::deep_copy(n_moved_back, moved_back_count_);
  return n_moved_back;
}

void FireStepper::step_back(const AtomVectors& positions, const ReplicaInts& running) {
  const int n_replicas = systems_.n_systems * systems_.size;
  const int n_atoms = systems_.n_atoms;
  const SystemOfReplica where = system_of_replica(systems_);
  auto velocities = velocities_;
  auto dt = dt_;
  auto restart = restart_;
  // Restart: inertia correction x ← x − ½Δt·v with the new Δt, then v ← 0.
  Kokkos::parallel_for(
      "fire::step_back", all_atoms(n_replicas, n_atoms), KOKKOS_LAMBDA(int64_t g) {
        const int r = static_cast<int>(g / n_atoms);
        const int s = where.system(r);
        if (!where.moves(running, r) || restart(s) == 0)
          return;
        for (int k = 0; k < 3; ++k) {
          positions(g, k) -= 0.5 * dt(s) * velocities(g, k);
          velocities(g, k) = 0.0;
        }
      });
}

void FireStepper::measure_speed(const Batch& batch, const AtomVectors& forces,
                                const ReplicaInts& running) {
  const int n_replicas = systems_.n_systems * systems_.size;
  const int n_atoms = systems_.n_atoms;
  const SystemOfReplica where = system_of_replica(systems_);
  // Before FIRE's velocity update a restarting system starts from rest: its speed is Δt·F/m.
  // Quickmin moves with the velocity project_velocity left, zero on a restart.
  const bool before_update =
      rules_.step_limit == FireStepLimit::shorten_timestep && rules_.method == FireMethod::fire2;
  const double accel_per_force = units::kForceOverMassToAccel;
  auto elements = batch.elements;
  auto element_masses = batch.element_masses;
  auto velocities = velocities_;
  auto dt = dt_;
  auto restart = restart_;
  auto image_speed = image_speed_;
  // Largest Cartesian speed component of every moving replica.
  Kokkos::parallel_for(
      "fire::image_speed", TeamPolicy(n_replicas, Kokkos::AUTO), KOKKOS_LAMBDA(const Team& team) {
        const int r = team.league_rank();
        if (!where.moves(running, r))
          return;
        const int s = where.system(r);
        const int64_t first = static_cast<int64_t>(r) * n_atoms;
        const double system_dt = dt(s);
        const bool from_rest = before_update && restart(s) != 0;
        double largest = 0.0;
        Kokkos::parallel_reduce(
            Kokkos::TeamThreadRange(team, n_atoms),
            [&](int i, double& partial) {
              const int64_t g = first + i;
              const double dt_over_mass = system_dt * accel_per_force / element_masses(elements(g));
              for (int k = 0; k < 3; ++k) {
                const double speed =
                    kmath::fabs(from_rest ? dt_over_mass * forces(g, k) : velocities(g, k));
                if (speed > partial)
                  partial = speed;
              }
            },
            Kokkos::Max<double>(largest));
        Kokkos::single(Kokkos::PerTeam(team), [&]() { image_speed(r) = largest; });
      });
}

void FireStepper::project_velocity(const AtomVectors& forces, const ReplicaInts& running) {
  const int n_replicas = systems_.n_systems * systems_.size;
  const int n_atoms = systems_.n_atoms;
  const SystemOfReplica where = system_of_replica(systems_);
  auto velocities = velocities_;
  auto restart = restart_;
  auto force_scale = force_scale_;
  // Quickmin: v ← 0 where the system's velocity points against its force, else its projection
  // (v·F / F·F) F on the force.
  Kokkos::parallel_for(
      "fire::project_velocity", all_atoms(n_replicas, n_atoms), KOKKOS_LAMBDA(int64_t g) {
        const int r = static_cast<int>(g / n_atoms);
        if (!where.moves(running, r))
          return;
        const int s = where.system(r);
        for (int k = 0; k < 3; ++k)
          velocities(g, k) = restart(s) != 0 ? 0.0 : force_scale(s) * forces(g, k);
      });
}

void FireStepper::quickmin_step(Batch& batch, const AtomVectors& forces,
                                const ReplicaInts& running) {
  const int n_replicas = systems_.n_systems * systems_.size;
  const int n_atoms = systems_.n_atoms;
  const SystemOfReplica where = system_of_replica(systems_);
  const double accel_per_force = units::kForceOverMassToAccel;
  auto positions = batch.positions;
  auto elements = batch.elements;
  auto element_masses = batch.element_masses;
  auto velocities = velocities_;
  auto step_dt = step_dt_;
  // Explicit Euler as min_quickmin: x ← x + Δt·v with the projected velocity, then v ← v + Δt·F/m.
  Kokkos::parallel_for(
      "fire::quickmin_step", all_atoms(n_replicas, n_atoms), KOKKOS_LAMBDA(int64_t g) {
        const int r = static_cast<int>(g / n_atoms);
        if (!where.moves(running, r))
          return;
        const double h = step_dt(where.system(r));
        const double dt_over_mass = h * accel_per_force / element_masses(elements(g));
        for (int k = 0; k < 3; ++k) {
          positions(g, k) += h * velocities(g, k);
          velocities(g, k) += dt_over_mass * forces(g, k);
        }
      });
}

void FireStepper::limit_step(const ReplicaInts& running) {
  const int size = systems_.size;
  const int first_moving = systems_.first_moving;
  const int end_moving = systems_.end_moving;
  const bool shorten =
      rules_.step_limit == FireStepLimit::shorten_timestep || rules_.method == FireMethod::quickmin;
  const double max_displacement = rules_.max_displacement;
  auto image_speed = image_speed_;
  auto dt = dt_;
  auto step_dt = step_dt_;
  // The Δt the positions move with this step, so that no coordinate moves more than dmax.
  Kokkos::parallel_for(
      "fire::limit_step", Kokkos::RangePolicy<ExecSpace>(0, systems_.n_systems),
      KOKKOS_LAMBDA(int s) {
        if (running(s) == 0)
          return;
        double largest = 0.0;
        for (int member = first_moving; member < end_moving; ++member)
          largest = kmath::max(largest, image_speed(s * size + member));
        const double system_dt = dt(s);
        if (shorten) {
          step_dt(s) =
              system_dt * largest > max_displacement ? max_displacement / largest : system_dt;
        } else {
          const double step = system_dt * largest;
          // The whole system's step is shortened together, so its direction is kept.
          const double scale = step > max_displacement ? max_displacement / step : 1.0;
          step_dt(s) = scale * system_dt;
        }
      });
}

void FireStepper::update_velocity(Batch& batch, const AtomVectors& forces,
                                  const ReplicaInts& running, bool move_positions) {
  const int n_replicas = systems_.n_systems * systems_.size;
  const int n_atoms = systems_.n_atoms;
  const SystemOfReplica where = system_of_replica(systems_);
  const double accel_per_force = units::kForceOverMassToAccel;
  auto positions = batch.positions;
  auto elements = batch.elements;
  auto element_masses = batch.element_masses;
  auto velocities = velocities_;
  // Shortened Δt: the limited step moves velocities and positions; otherwise the full Δt
  // updates the velocities and displace() moves the positions.
  auto velocity_dt = move_positions ? step_dt_ : dt_;
  auto restart = restart_;
  auto mix = mix_;
  auto velocity_scale = velocity_scale_;
  auto force_scale = force_scale_;
  // Semi-implicit Euler with FIRE mixing (LAMMPS integrator eulerimplicit); v ← 0 first on a
  // restart.
  Kokkos::parallel_for(
      "fire::update_velocity", all_atoms(n_replicas, n_atoms), KOKKOS_LAMBDA(int64_t g) {
        const int r = static_cast<int>(g / n_atoms);
        if (!where.moves(running, r))
          return;
        const int s = where.system(r);
        const double h = velocity_dt(s);
        const double dt_over_mass = h * accel_per_force / element_masses(elements(g));
        for (int k = 0; k < 3; ++k) {
          double v = restart(s) != 0 ? 0.0 : velocities(g, k);
          v += dt_over_mass * forces(g, k);
          if (mix(s) != 0)
            v = velocity_scale(s) * v + force_scale(s) * forces(g, k);
          velocities(g, k) = v;
          if (move_positions)
            positions(g, k) += h * v;
        }
      });
}

void FireStepper::displace(Batch& batch, const ReplicaInts& running) {
  const int n_replicas = systems_.n_systems * systems_.size;
  const int n_atoms = systems_.n_atoms;
  const SystemOfReplica where = system_of_replica(systems_);
  auto positions = batch.positions;
  auto velocities = velocities_;
  auto step_dt = step_dt_;
  Kokkos::parallel_for(
      "fire::displace", all_atoms(n_replicas, n_atoms), KOKKOS_LAMBDA(int64_t g) {
        const int r = static_cast<int>(g / n_atoms);
        if (!where.moves(running, r))
          return;
        const double h = step_dt(where.system(r));
        for (int k = 0; k < 3; ++k)
          positions(g, k) += h * velocities(g, k);
      });
}

}  // namespace glassland
