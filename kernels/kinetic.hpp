// Kinetic energy, temperature, kinetic stress and Maxwell–Boltzmann velocities of every replica
// of a batch (SPEC.md §3). Conventions follow LAMMPS (docs: compute temp, compute pressure,
// velocity; src/compute_temp.cpp, src/velocity.cpp):
//  * Kinetic tensor K_ab = Σ_i m_i v_ia v_ib in eV (LAMMPS's `compute temp` vector, mvv2e applied);
//    kinetic energy = ½ tr K.
//  * Temperature T = tr K / (N_f k_B) with N_f = 3N − 3: three degrees of freedom per atom, less
//    the three of the centre-of-mass motion, which is zero in everything glassland integrates
//    (momentum-free initial velocities, momentum-conserving forces, momentum-free Langevin noise).
//    This is also the default of LAMMPS's `compute temp` (extra/dof = dimension), so glassland's
//    temperatures are directly comparable with LAMMPS thermo output.
//  * Pressure tensor P_ab = (K_ab + W_ab) / V, W = Σ r⊗f the batch's virial, converted to bar
//    (LAMMPS `compute pressure`, nktv2p).
//  * Maxwell–Boltzmann velocities as `velocity all create T seed dist gaussian mom yes rot no`:
//    Gaussian components with variance k_B T / m, total momentum removed, then every velocity
//    scaled so that the temperature (with N_f = 3N − 3) is exactly the target. The random numbers
//    come from the counter RNG (kernels/counter_rng.hpp) keyed on the replica's own seed and the
//    replica-local atom index, so a replica's velocities do not depend on the batch around it
//    (they do not reproduce LAMMPS's own random stream, which is tied to its generator).
#pragma once

#include <cstdint>

#include "kernels/batch.hpp"
#include "kernels/units.hpp"

namespace glassland {

// One 64-bit seed per replica, indexed [r].
using ReplicaSeeds = Kokkos::View<uint64_t*, MemSpace>;

// Counter-RNG stream tags: each random purpose gets its own streams even under equal seeds.
namespace rng_purpose {
inline constexpr uint64_t maxwell_boltzmann = 1;
inline constexpr uint64_t langevin = 2;
}  // namespace rng_purpose

// The stream of atom `atom_in_replica` for a purpose: replica-local, hence batch invariant.
KOKKOS_INLINE_FUNCTION uint64_t atom_stream(uint64_t purpose, int atom_in_replica) {
  return (purpose << 40) | static_cast<uint64_t>(atom_in_replica);
}

// Degrees of freedom of one replica: 3N − 3 (see the top of this file). A single atom keeps 3.
inline int kinetic_degrees_of_freedom(int n_atoms) {
  return n_atoms > 1 ? 3 * n_atoms - 3 : 3 * n_atoms;
}

// Temperature (K) from the trace of the kinetic tensor (eV, = 2 KE) and the degrees of freedom.
KOKKOS_INLINE_FUNCTION double temperature_from_twice_kinetic(double twice_kinetic, int dof) {
  return dof > 0 ? twice_kinetic / (dof * units::kBoltzmann) : 0.0;
}

// P_ab in bar from K_ab and W_ab (both eV) and the volume (Å³).
KOKKOS_INLINE_FUNCTION double pressure_component_bar(double kinetic, double virial, double volume) {
  return (kinetic + virial) / volume * units::kEvPerA3ToBar;
}

// Standard deviation (Å/ps) of one Cartesian velocity component at temperature T (K) for mass
// m (amu): sqrt(k_B T / m) with the amu·Å²/ps² → eV conversion.
KOKKOS_INLINE_FUNCTION double thermal_velocity(double temperature, double mass) {
  return kmath::sqrt(units::kBoltzmann * temperature * units::kForceOverMassToAccel / mass);
}

// K_ab = Σ m v_a v_b (eV, Voigt xx yy zz xy xz yz) per replica, one team per replica
// (deterministic order, independent of the batch size). Inactive replicas (active(r) == 0, an
// empty mask means all active) keep their previous values in `kinetic_tensor`.
void compute_kinetic_tensor(const Batch& batch, const ReplicaTensors& kinetic_tensor,
                            const ReplicaInts& active = {});

// Kinetic energy (eV) and temperature (K) per replica from a kinetic tensor.
void kinetic_energy_and_temperature(const Batch& batch, const ReplicaTensors& kinetic_tensor,
                                    const ReplicaScalars& kinetic_energy,
                                    const ReplicaScalars& temperature);

// Pressure tensor (bar, Voigt) per replica: (K + W) / V with W = batch.virial and the replica's
// current box volume; also the scalar pressure tr P / 3 when `pressure` is not empty.
void compute_pressure_tensor(const Batch& batch, const ReplicaTensors& kinetic_tensor,
                             const ReplicaTensors& pressure_tensor,
                             const ReplicaScalars& pressure = {});

// Maxwell–Boltzmann velocities for every active replica at its own target temperature
// (K; T ≤ 0 gives zero velocities), with zero total momentum and the temperature exactly on
// target (LAMMPS `velocity create ... dist gaussian mom yes`). Inactive replicas are untouched.
void create_maxwell_boltzmann_velocities(Batch& batch, const ReplicaScalars& temperature,
                                         const ReplicaSeeds& seeds, const ReplicaInts& active = {});

// Removes each active replica's centre-of-mass velocity (LAMMPS `velocity all zero linear`).
void remove_center_of_mass_velocity(Batch& batch, const ReplicaInts& active = {});

}  // namespace glassland
