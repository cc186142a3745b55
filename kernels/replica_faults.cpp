// Per-replica fault flags: the check of a dynamics step, and the host's reading of the flags.
// Why and what is checked: kernels/replica_faults.hpp.
#include "kernels/replica_faults.hpp"

#include <cfloat>
#include <stdexcept>

#include "kernels/kinetic.hpp"
#include "kernels/replica_reductions.hpp"

namespace glassland {

namespace {

// An atom's badness for the step check: the square of its next drift, dt·(v + dt/(2m)·f), or
// DBL_MAX when its position, velocity or force is not finite (which a drift cannot exceed: a
// drift that overflows is capped below it).
KOKKOS_INLINE_FUNCTION double next_step_score(const AtomVectors& x, const AtomVectors& v,
                                              const AtomVectors& f, int64_t g, double dt,
                                              double half_dt_over_m) {
  bool finite = true;
  double d2 = 0.0;
  for (int k = 0; k < 3; ++k) {
    finite =
        finite && kmath::isfinite(x(g, k)) && kmath::isfinite(v(g, k)) && kmath::isfinite(f(g, k));
    const double d = dt * (v(g, k) + half_dt_over_m * f(g, k));
    d2 += d * d;
  }
  if (!finite)
    return DBL_MAX;
  return d2 < 0.5 * DBL_MAX ? d2 : 0.5 * DBL_MAX;  // also catches an overflow to NaN
}

// What made atom g's score DBL_MAX, in the order of cause and effect: a non-finite force makes
// the velocity non-finite in the same step's kick.
KOKKOS_INLINE_FUNCTION FaultCause non_finite_atom_cause(const AtomVectors& x, const AtomVectors& v,
                                                        const AtomVectors& f, int64_t g) {
  bool position = true, velocity = true, force = true;
  for (int k = 0; k < 3; ++k) {
    position = position && kmath::isfinite(x(g, k));
    velocity = velocity && kmath::isfinite(v(g, k));
    force = force && kmath::isfinite(f(g, k));
  }
  if (!position)
    return FaultCause::non_finite_positions;
  if (!force)
    return FaultCause::non_finite_forces;
  return velocity ? FaultCause::none : FaultCause::non_finite_velocities;
}

KOKKOS_INLINE_FUNCTION bool usable_box(const Box& b) {
  const double values[9] = {b.lx, b.ly, b.lz, b.xy, b.xz, b.yz, b.lo[0], b.lo[1], b.lo[2]};
  bool finite = true;
  for (double value : values)
    finite = finite && kmath::isfinite(value);
  return finite && b.lx > 0.0 && b.ly > 0.0 && b.lz > 0.0;
}

}  // namespace

std::string to_string(FaultCause cause) {
  switch (cause) {
    case FaultCause::none:
      return "none";
    case FaultCause::non_finite_energy:
      return "non_finite_energy";
    case FaultCause::non_finite_forces:
      return "non_finite_forces";
    case FaultCause::non_finite_positions:
      return "non_finite_positions";
    case FaultCause::non_finite_velocities:
      return "non_finite_velocities";
    case FaultCause::step_too_long:
      return "step_too_long";
    case FaultCause::temperature_runaway:
      return "temperature_runaway";
  }
  return "unknown";
}

ReplicaFaults::ReplicaFaults(int n)
    : cause("faults::cause", n),
      step("faults::step", n),
      atom("faults::atom", n),
      value("faults::value", n),
      target("faults::target", n),
      force("faults::force", n),
      temperature("faults::temperature", n) {}

void ReplicaFaults::clear() const {
  Kokkos::deep_copy(cause, 0);
}

void check_dynamics_faults(const Batch& batch, const MdIntegrator& integrator,
                           const ReplicaInts& active, bool energies, const FaultLimits& limits,
                           const ReplicaFaults& faults) {
  using Team = Kokkos::TeamPolicy<ExecSpace>::member_type;
  if (static_cast<int>(active.extent(0)) != batch.n_replicas || faults.size() != batch.n_replicas)
    throw std::invalid_argument("check_dynamics_faults: needs a mask and flags for every replica");
  const int n_atoms = batch.n_atoms;
  const int dof = kinetic_degrees_of_freedom(n_atoms);
  const double dt = integrator.settings().timestep;
  const double limit2 = limits.max_step_displacement * limits.max_step_displacement;
  const double runaway_factor = limits.runaway_factor, runaway_floor = limits.runaway_floor;
  auto x = batch.positions;
  auto v = batch.velocities;
  auto f = batch.forces;
  auto elements = batch.elements;
  auto masses = batch.element_masses;
  auto boxes = batch.boxes;
  auto energy = batch.potential_energy;
  auto schedule = integrator.targets().temperature;
  auto steps = integrator.state().step;
  const ReplicaFaults out = faults;
  Kokkos::parallel_for(
      "faults::check_dynamics", Kokkos::TeamPolicy<ExecSpace>(batch.n_replicas, Kokkos::AUTO),
      KOKKOS_LAMBDA(const Team& team) {
        const int r = team.league_rank();
        if (active(r) == 0 || out.cause(r) != 0)
          return;
        const int64_t first = static_cast<int64_t>(r) * n_atoms;
        auto score = [&](int i) {
          const int64_t g = first + i;
          const double half_dt_over_m =
              0.5 * dt * units::kForceOverMassToAccel / masses(elements(g));
          return next_step_score(x, v, f, g, dt, half_dt_over_m);
        };
        double worst = 0.0;
        Kokkos::parallel_reduce(
            Kokkos::TeamThreadRange(team, n_atoms),
            [&](int i, double& partial) {
              const double s = score(i);
              if (s > partial)
                partial = s;
            },
            Kokkos::Max<double>(worst));
        double twice_kinetic = 0.0;
        if (energies)
          Kokkos::parallel_reduce(
              Kokkos::TeamThreadRange(team, n_atoms),
              [&](int i, double& sum) {
                const int64_t g = first + i;
                const double m = masses(elements(g)) * units::kAmuA2Ps2ToEv;
                sum += m * (v(g, 0) * v(g, 0) + v(g, 1) * v(g, 1) + v(g, 2) * v(g, 2));
              },
              twice_kinetic);
        const double temperature = temperature_from_twice_kinetic(twice_kinetic, dof);
        const double target = schedule.at(r, steps(r));
        FaultCause cause = FaultCause::none;
        double value = 0.0;
        const bool atom_fault = worst > limit2;  // also every non-finite atom (DBL_MAX)
        if (!usable_box(boxes(r))) {
          cause = FaultCause::non_finite_positions;
        } else if (atom_fault) {
          cause = FaultCause::step_too_long;  // refined below from the atom
        } else if (energies && !kmath::isfinite(energy(r))) {
          cause = FaultCause::non_finite_energy;
        } else if (energies &&
                   !(temperature <= kmath::max(runaway_factor * target, runaway_floor))) {
          cause = FaultCause::temperature_runaway;
          value = temperature;
        }
        if (cause == FaultCause::none)
          return;  // the usual case: the replica is healthy
        const int atom = atom_fault ? team_lowest_atom_scoring(team, n_atoms, score, worst) : -1;
        double largest_force2 = 0.0;
        Kokkos::parallel_reduce(
            Kokkos::TeamThreadRange(team, n_atoms),
            [&](int i, double& partial) {
              const int64_t g = first + i;
              const double f2 = f(g, 0) * f(g, 0) + f(g, 1) * f(g, 1) + f(g, 2) * f(g, 2);
              const double s = kmath::isfinite(f2) ? f2 : DBL_MAX;
              if (s > partial)
                partial = s;
            },
            Kokkos::Max<double>(largest_force2));
        Kokkos::single(Kokkos::PerTeam(team), [&]() {
          FaultCause final_cause = cause;
          double final_value = value;
          if (cause == FaultCause::step_too_long) {
            const FaultCause non_finite = non_finite_atom_cause(x, v, f, first + atom);
            final_cause = worst == DBL_MAX && non_finite != FaultCause::none
                              ? non_finite
                              : FaultCause::step_too_long;
            final_value = final_cause == FaultCause::step_too_long ? kmath::sqrt(worst) : 0.0;
          }
          out.cause(r) = static_cast<int>(final_cause);
          out.step(r) = steps(r);
          out.atom(r) = atom;
          out.value(r) = final_value;
          out.target(r) = target;
          out.force(r) = largest_force2 == DBL_MAX ? -1.0 : kmath::sqrt(largest_force2);
          out.temperature(r) = energies ? temperature : -1.0;
          active(r) = 0;
        });
      });
}

std::vector<FaultRecord> read_faults(const ReplicaFaults& faults) {
  std::vector<FaultRecord> records;
  const auto cause = Kokkos::create_mirror_view_and_copy(HostSpace(), faults.cause);
  bool any = false;
  for (size_t r = 0; r < cause.extent(0); ++r)
    any = any || cause(r) != 0;
  if (!any)
    return records;
  const auto step = Kokkos::create_mirror_view_and_copy(HostSpace(), faults.step);
  const auto atom = Kokkos::create_mirror_view_and_copy(HostSpace(), faults.atom);
  const auto value = Kokkos::create_mirror_view_and_copy(HostSpace(), faults.value);
  const auto target = Kokkos::create_mirror_view_and_copy(HostSpace(), faults.target);
  const auto force = Kokkos::create_mirror_view_and_copy(HostSpace(), faults.force);
  const auto temperature = Kokkos::create_mirror_view_and_copy(HostSpace(), faults.temperature);
  for (size_t r = 0; r < cause.extent(0); ++r) {
    if (cause(r) == 0)
      continue;
    FaultRecord f;
    f.replica = static_cast<int>(r);
    f.cause = static_cast<FaultCause>(cause(r));
    f.step = step(r);
    f.atom = atom(r);
    f.value = value(r);
    f.target_temperature = target(r);
    f.max_force = force(r);
    f.temperature = temperature(r);
    records.push_back(f);
  }
  return records;
}

}  // namespace glassland
