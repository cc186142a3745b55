// Kinetic quantities per replica. References at the top of kernels/kinetic.hpp (LAMMPS compute
// temp, compute pressure, velocity create).
#include "kernels/kinetic.hpp"

#include "kernels/counter_rng.hpp"
#include "kernels/force_field.hpp"

namespace glassland {

namespace {

using TeamPolicy = Kokkos::TeamPolicy<ExecSpace>;
using TeamMember = TeamPolicy::member_type;

// Voigt component c (xx yy zz xy xz yz) as the Cartesian pair (a, b).
KOKKOS_INLINE_FUNCTION void voigt_pair(int c, int& a, int& b) {
  a = c < 3 ? c : (c == 5 ? 1 : 0);
  b = c < 3 ? c : (c == 3 ? 1 : 2);
}

// One team per replica: removes the centre-of-mass velocity of the replica's atoms and, when
// `target_temperature` is not empty, scales the velocities so that the temperature (3N − 3
// degrees of freedom) equals the replica's target exactly, as LAMMPS `velocity create` does with
// `mom yes`. Both steps in one launch, in a fixed order per replica (batch invariant).
void zero_momentum_and_rescale(Batch& batch, const ReplicaScalars& target_temperature,
                               const ReplicaInts& active) {
  const int n_atoms = batch.n_atoms;
  const int dof = kinetic_degrees_of_freedom(n_atoms);
  const bool rescale = target_temperature.extent(0) > 0;
  auto velocities = batch.velocities;
  auto elements = batch.elements;
  auto masses = batch.element_masses;
  Kokkos::parallel_for(
      "kinetic::zero_momentum_and_rescale", TeamPolicy(batch.n_replicas, Kokkos::AUTO),
      KOKKOS_LAMBDA(const TeamMember& team) {
        const int r = team.league_rank();
        if (!replica_is_active(active, r))
          return;
        const int64_t first = static_cast<int64_t>(r) * n_atoms;
        double total_mass = 0.0;
        Kokkos::parallel_reduce(
            Kokkos::TeamThreadRange(team, n_atoms),
            [&](int i, double& sum) { sum += masses(elements(first + i)); }, total_mass);
        double center_velocity[3];
        for (int k = 0; k < 3; ++k) {
          double momentum = 0.0;
          Kokkos::parallel_reduce(
              Kokkos::TeamThreadRange(team, n_atoms),
              [&](int i, double& sum) {
                sum += masses(elements(first + i)) * velocities(first + i, k);
              },
              momentum);
          // A replica of one atom moves in an external field (the analytic landscapes): its
          // momentum is its only motion and is not removed (it keeps 3 degrees of freedom).
          center_velocity[k] = n_atoms > 1 ? momentum / total_mass : 0.0;
        }
        team.team_barrier();
        Kokkos::parallel_for(Kokkos::TeamThreadRange(team, n_atoms), [&](int i) {
          for (int k = 0; k < 3; ++k)
            velocities(first + i, k) -= center_velocity[k];
        });
        if (!rescale)
          return;
        team.team_barrier();
        double twice_kinetic = 0.0;
        Kokkos::parallel_reduce(
            Kokkos::TeamThreadRange(team, n_atoms),
            [&](int i, double& sum) {
              const int64_t g = first + i;
              sum += masses(elements(g)) *
                     (velocities(g, 0) * velocities(g, 0) + velocities(g, 1) * velocities(g, 1) +
                      velocities(g, 2) * velocities(g, 2));
            },
            twice_kinetic);
        const double current =
            temperature_from_twice_kinetic(twice_kinetic * units::kAmuA2Ps2ToEv, dof);
        const double target = target_temperature(r);
        const double factor = (current > 0.0 && target > 0.0) ? kmath::sqrt(target / current) : 0.0;
        team.team_barrier();
        Kokkos::parallel_for(Kokkos::TeamThreadRange(team, n_atoms), [&](int i) {
          for (int k = 0; k < 3; ++k)
            velocities(first + i, k) *= factor;
        });
      });
}

}  // namespace

void compute_kinetic_tensor(const Batch& batch, const ReplicaTensors& kinetic_tensor,
                            const ReplicaInts& active) {
  const int n_atoms = batch.n_atoms;
  auto velocities = batch.velocities;
  auto elements = batch.elements;
  auto masses = batch.element_masses;
  Kokkos::parallel_for(
      "kinetic::kinetic_tensor", TeamPolicy(batch.n_replicas, Kokkos::AUTO),
      KOKKOS_LAMBDA(const TeamMember& team) {
        const int r = team.league_rank();
        if (!replica_is_active(active, r))
          return;
        const int64_t first = static_cast<int64_t>(r) * n_atoms;
        for (int c = 0; c < 6; ++c) {
          int a = 0, b = 0;
          voigt_pair(c, a, b);
          double sum = 0.0;
          Kokkos::parallel_reduce(
              Kokkos::TeamThreadRange(team, n_atoms),
              [&](int i, double& partial) {
                const int64_t g = first + i;
                partial += masses(elements(g)) * velocities(g, a) * velocities(g, b);
              },
              sum);
          Kokkos::single(Kokkos::PerTeam(team),
                         [&]() { kinetic_tensor(r, c) = sum * units::kAmuA2Ps2ToEv; });
        }
      });
}

void kinetic_energy_and_temperature(const Batch& batch, const ReplicaTensors& kinetic_tensor,
                                    const ReplicaScalars& kinetic_energy,
                                    const ReplicaScalars& temperature) {
  const int dof = kinetic_degrees_of_freedom(batch.n_atoms);
  Kokkos::parallel_for(
      "kinetic::energy_and_temperature", Kokkos::RangePolicy<ExecSpace>(0, batch.n_replicas),
      KOKKOS_LAMBDA(int r) {
        const double twice = kinetic_tensor(r, 0) + kinetic_tensor(r, 1) + kinetic_tensor(r, 2);
        kinetic_energy(r) = 0.5 * twice;
        temperature(r) = temperature_from_twice_kinetic(twice, dof);
      });
}

void compute_pressure_tensor(const Batch& batch, const ReplicaTensors& kinetic_tensor,
                             const ReplicaTensors& pressure_tensor,
                             const ReplicaScalars& pressure) {
  auto boxes = batch.boxes;
  auto virial = batch.virial;
  const bool scalar = pressure.extent(0) > 0;
  Kokkos::parallel_for(
      "kinetic::pressure_tensor", Kokkos::RangePolicy<ExecSpace>(0, batch.n_replicas),
      KOKKOS_LAMBDA(int r) {
        const double volume = boxes(r).volume();
        for (int c = 0; c < 6; ++c)
          pressure_tensor(r, c) =
              pressure_component_bar(kinetic_tensor(r, c), virial(r, c), volume);
        if (scalar)
          pressure(r) =
              (pressure_tensor(r, 0) + pressure_tensor(r, 1) + pressure_tensor(r, 2)) / 3.0;
      });
}

void create_maxwell_boltzmann_velocities(Batch& batch, const ReplicaScalars& temperature,
                                         const ReplicaSeeds& seeds, const ReplicaInts& active) {
  const int n_atoms = batch.n_atoms;
  auto velocities = batch.velocities;
  auto elements = batch.elements;
  auto masses = batch.element_masses;
  Kokkos::parallel_for(
      "kinetic::maxwell_boltzmann_draw", all_atoms(batch.n_replicas, n_atoms),
      KOKKOS_LAMBDA(int64_t g) {
        const int r = static_cast<int>(g / n_atoms);
        if (!replica_is_active(active, r))
          return;
        const int i = static_cast<int>(g - static_cast<int64_t>(r) * n_atoms);
        const uint64_t stream = atom_stream(rng_purpose::maxwell_boltzmann, i);
        double z[4];
        normal_pair(seeds(r), stream, 0, z[0], z[1]);
        normal_pair(seeds(r), stream, 2, z[2], z[3]);
        const double t = temperature(r);
        const double sigma = t > 0.0 ? thermal_velocity(t, masses(elements(g))) : 0.0;
        for (int k = 0; k < 3; ++k)
          velocities(g, k) = sigma * z[k];
      });
  zero_momentum_and_rescale(batch, temperature, active);
}

void remove_center_of_mass_velocity(Batch& batch, const ReplicaInts& active) {
  zero_momentum_and_rescale(batch, ReplicaScalars(), active);
}

}  // namespace glassland
