// Batched molecular dynamics: velocity Verlet for all replicas in lock step, with per-replica
// targets, state and an active mask (SPEC.md §2–3).
//
// Sources:
//  * Velocity Verlet, one force evaluation per step (half kick, drift, forces, half kick), as in
//    LAMMPS `fix nve`.
//  * Nosé–Hoover chains and the MTK barostat follow LAMMPS `fix nvt`/`fix npt` (src/fix_nh.cpp;
//    Shinoda, Shiga & Mikami, PRB 69, 134103 (2004); Martyna, Tuckerman, Tobias & Klein, Mol.
//    Phys. 87, 1117 (1996); Tuckerman et al., J. Phys. A 39, 5629 (2006)): chain masses
//    Q_0 = N_f k_B T / ω_T², Q_k = k_B T / ω_T² (ω_T = 1/τ_T), barostat mass W = (N+1) k_B T τ_P²,
//    barostat chain masses k_B T / ω_P², and the same Trotter splitting: chains, then barostat
//    velocity, then particle velocities, then the box/position update; the chains use plain
//    Trotter factorisation with `loops` (LAMMPS tloop/ploop, default 1) substeps, no
//    Yoshida–Suzuki weights (LAMMPS's choice; the chain variables are slow compared with dt).
//    The MTK correction terms (mtk_term1/2) are on, as in LAMMPS (`mtk yes`).
//  * Non-hydrostatic targets (different diagonal targets, or shear-stress targets with
//    triclinic coupling) drive each barostat component by (P_ab − P_target,ab)·V/W. For a
//    hydrostatic target this is exactly LAMMPS's equation; for non-hydrostatic targets LAMMPS
//    adds a reference-cell "deviatoric" term (its compute_deviatoric/compute_sigma) which
//    glassland does not implement: the two agree to first order in the strain from the
//    reference cell. Tilt factors not under barostat control scale with their box lengths
//    (LAMMPS `scalexy/scalexz/scaleyz yes`), so a held shear strain stays constant under
//    isotropic/anisotropic coupling. Boxes are scaled about their centre (LAMMPS's default
//    fixed point) and positions follow affinely: x' = lo' + H' H⁻¹ (x − lo). No box flips.
//  * Langevin thermostat: BAOAB splitting (Leimkuhler & Matthews, Appl. Math. Res. Express
//    2013, 34; J. Chem. Phys. 138, 174102 (2013)): B half kick, A half drift, O exact
//    Ornstein–Uhlenbeck step v ← c₁ v + c₂ σ ξ with c₁ = exp(−dt/τ_T), c₂ = √(1 − c₁²),
//    A half drift, forces, B half kick. τ_T = 1/γ as LAMMPS `fix langevin` damp. The noise has
//    its total momentum removed per replica (the mass-weighted projection onto zero momentum,
//    which keeps the distribution exactly canonical on the 3N − 3 momentum-free degrees of
//    freedom; compare LAMMPS `fix langevin ... zero yes`), so temperatures use N_f = 3N − 3
//    (kernels/kinetic.hpp). Random numbers: counter RNG keyed on (replica seed, replica-local
//    atom, step), so runs are reproducible and restartable from the step counter alone.
//  * Bussi–Donadio–Parrinello stochastic velocity rescaling (J. Chem. Phys. 126, 014101
//    (2007), Eq. (A7); LAMMPS `fix temp/csvr`): after each velocity Verlet step the kinetic
//    energy K is replaced by K' drawn from the exact solution of its stochastic equation over dt
//    with relaxation time τ_T, K' = K c + K̄/N_f (1 − c)(R₁² + S) + 2 R₁ √(c (1 − c) K K̄/N_f),
//    c = exp(−dt/τ_T), K̄ = N_f k_B T/2, R₁ standard normal and S a χ² deviate with N_f − 1
//    degrees of freedom (2 × a Marsaglia–Tsang Gamma deviate, ACM TOMS 26, 363 (2000)), all
//    from the counter RNG keyed on (replica seed, step). Velocities scale by √(K'/K), which
//    keeps the zero total momentum.
//  * Temperature schedules (constant, linear ramp, staircase) are evaluated on the device from
//    the replica's step counter, so restarts are exact. The target during the step from s to
//    s + 1 is T(s + 1), as LAMMPS evaluates its ramp at the new time step.
//
// Usage (drivers):
//   MdIntegrator md(batch.n_replicas, batch.n_atoms, settings);
//   md.set_temperature_schedules(...); md.set_thermostat_damping(...); md.set_barostat(...);
//   md.set_langevin_seeds(...);         // host setters, or fill md.targets() views directly
//   md.reset_state();                   // fresh start (after the targets are set)
//   md.setup(batch, force_field);       // forces, energies, virial of the start configuration
//   for (...) md.step(batch, force_field, active, need_energy);
//   md.compute_thermo(batch, thermo);   // at a thermo stride
// Checkpoint: every view of md.state() (bitwise) plus the batch's positions, images,
// velocities and boxes; restore them, then call setup() (it recomputes forces, which are a
// function of the positions), and continue.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "kernels/batch.hpp"
#include "kernels/force_field.hpp"
#include "kernels/kinetic.hpp"

namespace glassland {

// Longest Nosé–Hoover chain supported (state arrays have this many columns).
inline constexpr int kMaxChainLength = 8;

using ReplicaSteps = Kokkos::View<int64_t*, MemSpace>;                    // [r]
using ReplicaChains = Kokkos::View<double* [kMaxChainLength], MemSpace>;  // [r][chain element]
using ReplicaVectors = Kokkos::View<double* [3], MemSpace>;               // [r][x, y, z]

enum class Ensemble : int {
  nve = 0,
  nvt_nose_hoover = 1,  // also "NVT at fixed shear strain": the box, tilt included, is held
  nvt_langevin = 2,
  npt = 3,        // Nosé–Hoover chain thermostat + MTK barostat with its own chain
  nvt_bussi = 4,  // Bussi–Donadio–Parrinello stochastic velocity rescaling
};

enum class BarostatCoupling : int {
  isotropic = 0,    // one strain rate for x, y, z driven by the scalar pressure
  anisotropic = 1,  // x, y, z independent; tilts held (scaled with the lengths)
  triclinic = 2,    // x, y, z and the tilts xy, xz, yz: full stress control
};

// Batch-wide settings (the same for every replica).
struct IntegratorSettings {
  double timestep = 0.002;  // ps
  Ensemble ensemble = Ensemble::nve;
  BarostatCoupling coupling = BarostatCoupling::isotropic;
  int thermostat_chain_length = 3;  // LAMMPS tchain
  int thermostat_loops = 1;         // Trotter substeps of the thermostat chain (LAMMPS tloop)
  int barostat_chain_length = 3;    // LAMMPS pchain
  int barostat_loops = 1;           // LAMMPS ploop
};

enum class ScheduleKind : int { constant = 0, linear_ramp = 1, staircase = 2 };

// One replica's temperature schedule, on the host.
struct TemperatureScheduleSpec {
  ScheduleKind kind = ScheduleKind::constant;
  double start_temperature = 0.0;  // K
  double end_temperature = 0.0;    // K (ramps and staircases)
  int64_t start_step = 0;          // step counter value at which the schedule starts
  int64_t duration_steps = 0;      // ramp: steps from start to end; staircase: steps per stair
  double stair_size = 0.0;         // staircase: K per stair (magnitude; sign follows end − start)

  static TemperatureScheduleSpec constant(double temperature);
  // Linear ramp at `rate` K/s (magnitude) with time step `timestep` ps. The ramp takes
  // round(|ΔT| / (rate·dt)) steps, so it starts and ends exactly on T_start and T_end and its
  // effective rate differs from `rate` by at most half a step over the ramp.
  static TemperatureScheduleSpec ramp_at_rate(double start, double end, double rate_k_per_s,
                                              double timestep_ps, int64_t start_step = 0);
  static TemperatureScheduleSpec ramp_in_steps(double start, double end, int64_t steps,
                                               int64_t start_step = 0);
  // Stairs of `stair` K every `steps_per_stair` steps from start towards end (clamped at end).
  static TemperatureScheduleSpec staircase(double start, double end, double stair,
                                           int64_t steps_per_stair, int64_t start_step = 0);
};

// Per-replica schedules on the device.
struct TemperatureSchedules {
  ReplicaInts kind;
  ReplicaScalars start_temperature, end_temperature, stair_size;
  ReplicaSteps start_step, duration_steps;

  // Target temperature (K) of replica r at step counter value `step`.
  KOKKOS_INLINE_FUNCTION double at(int r, int64_t step) const {
    const double t0 = start_temperature(r);
    const double t1 = end_temperature(r);
    const int64_t elapsed = step - start_step(r);
    const int k = kind(r);
    if (k == static_cast<int>(ScheduleKind::constant) || elapsed <= 0)
      return t0;
    const int64_t duration = duration_steps(r);
    if (k == static_cast<int>(ScheduleKind::linear_ramp)) {
      if (elapsed >= duration)
        return t1;  // also a zero-length ramp: a jump to T_end
      return t0 + (t1 - t0) * (static_cast<double>(elapsed) / static_cast<double>(duration));
    }
    // Staircase: whole stairs taken so far, never past the end temperature.
    if (duration <= 0)
      return t1;
    const double stairs = static_cast<double>(elapsed / duration);
    const double size = kmath::fabs(stair_size(r));
    if (t1 >= t0)
      return kmath::min(t0 + stairs * size, t1);
    return kmath::max(t0 - stairs * size, t1);
  }
};

// Per-replica targets and coupling constants, set by the driver.
struct IntegratorTargets {
  TemperatureSchedules temperature;
  ReplicaScalars thermostat_damping;  // τ_T, ps (NH: LAMMPS Tdamp; Langevin: 1/γ; Bussi: τ)
  ReplicaScalars barostat_damping;    // τ_P, ps (LAMMPS Pdamp)
  ReplicaTensors target_pressure;     // bar, Voigt xx yy zz xy xz yz (pressure = −stress)
  ReplicaSeeds langevin_seed;         // random stream of the Langevin and Bussi thermostats
};

// Everything the dynamics carries from one step to the next besides the batch's positions,
// images, velocities and boxes. Checkpoint and restore these views bitwise.
struct IntegratorState {
  ReplicaSteps step;                      // steps taken by each replica
  ReplicaChains thermostat_position;      // η_k (only in the conserved energy)
  ReplicaChains thermostat_velocity;      // η̇_k, 1/ps
  ReplicaChains thermostat_acceleration;  // η̈_k, 1/ps² (k ≥ 1 carried between steps, as LAMMPS)
  ReplicaChains barostat_chain_position;
  ReplicaChains barostat_chain_velocity;
  ReplicaChains barostat_chain_acceleration;
  ReplicaTensors barostat_velocity;  // ω̇, 1/ps, Voigt xx yy zz xy xz yz (LAMMPS omega_dot)
  ReplicaTensors barostat_strain;    // ω = ∫ω̇ dt, bookkeeping only (LAMMPS omega)
};

// Copies every view of `from` into `to` (same sizes): checkpoint/restore inside one process.
void deep_copy_state(const IntegratorState& to, const IntegratorState& from);

// Per-replica thermodynamic record, filled by MdIntegrator::compute_thermo.
struct Thermo {
  ReplicaTensors kinetic_tensor;      // Σ m v⊗v, eV
  ReplicaScalars kinetic_energy;      // eV
  ReplicaScalars temperature;         // K (N_f = 3N − 3)
  ReplicaTensors pressure_tensor;     // bar, (K + W)/V with the batch's last virial
  ReplicaScalars pressure;            // bar
  ReplicaScalars volume;              // Å³
  ReplicaScalars target_temperature;  // K at the current step
  // Energy of the thermostat and barostat variables plus P_target·V (eV): PE + KE + this is
  // the conserved quantity of NVT/NPT (LAMMPS fix nh compute_scalar); 0 for NVE, and for
  // Langevin the heat exchanged with the bath is not tracked (0).
  ReplicaScalars reservoir_energy;
  explicit Thermo(int n_replicas = 0);
};

class MdIntegrator {
 public:
  MdIntegrator(int n_replicas, int n_atoms, const IntegratorSettings& settings);

  const IntegratorSettings& settings() const { return settings_; }
  IntegratorTargets& targets() { return targets_; }
  const IntegratorTargets& targets() const { return targets_; }
  IntegratorState& state() { return state_; }
  const IntegratorState& state() const { return state_; }
  int n_replicas() const { return n_replicas_; }
  int n_atoms() const { return n_atoms_; }

  // Host setters: one entry per replica (or a single entry for all).
  void set_temperature_schedules(const std::vector<TemperatureScheduleSpec>& schedules);
  void set_constant_temperatures(const std::vector<double>& temperatures);
  void set_thermostat_damping(const std::vector<double>& tau_ps);
  // Target pressure tensor in bar (Voigt xx yy zz xy xz yz) and τ_P in ps per replica.
  void set_barostat(const std::vector<double>& tau_ps,
                    const std::vector<std::array<double, 6>>& target_pressure_bar);
  void set_langevin_seeds(const std::vector<uint64_t>& seeds);

  // Fresh dynamics: step counters, chains and barostat at rest (chain accelerations k ≥ 1 as
  // LAMMPS's setup with η̇ = 0: −1/τ²). Targets must be set first.
  void reset_state();

  // Computes forces, energies and the virial of the current configuration (the "previous
  // step" forces the first half kick uses). Call before the first step and after a restore.
  void setup(Batch& batch, ForceField& force_field, const ReplicaInts& active = {});

  // One step of every active replica (inactive ones do not move, their state and step counter
  // stay). `energy`: ask the force field for energies in this step's evaluation.
  void step(Batch& batch, ForceField& force_field, const ReplicaInts& active = {},
            bool energy = false);

  // `n_steps` steps; energies evaluated in the last one.
  void run(Batch& batch, ForceField& force_field, int64_t n_steps, const ReplicaInts& active = {});

  // Kinetic and pressure quantities from the current velocities and the batch's last virial,
  // and the reservoir energy at the current step. The pressure (and the potential energy in
  // the batch) are those of the last force evaluation: valid after setup(), after a step with
  // energy = true (which also requests the virial), and after every NPT step (virial only).
  void compute_thermo(const Batch& batch, Thermo& thermo) const;

 public:
  // Parts of step(). Public only because CUDA's extended lambdas may not live in private
  // member functions; drivers call step().
  void first_half_nose_hoover(Batch& batch, const ReplicaInts& active);
  void nose_hoover_chains_first_half(const Batch& batch, const ReplicaInts& active);
  void nose_hoover_kick_drift(Batch& batch, const ReplicaInts& active);
  void second_half_nose_hoover(Batch& batch, const ReplicaInts& active);
  void nose_hoover_half_kick(Batch& batch, const ReplicaInts& active);
  void nose_hoover_chains_second_half(const Batch& batch, const ReplicaInts& active);
  void apply_thermostat_scale(Batch& batch, const ReplicaInts& active);
  void langevin_step(Batch& batch, ForceField& force_field, const ReplicaInts& active,
                     const EvalRequest& request);
  void bussi_rescale(Batch& batch, const ReplicaInts& active);
  void nve_first_half(Batch& batch, const ReplicaInts& active);
  void half_kick(Batch& batch, const ReplicaInts& active);
  void advance_step_counter(const ReplicaInts& active);

 private:
  int n_replicas_ = 0;
  int n_atoms_ = 0;
  IntegratorSettings settings_;
  IntegratorTargets targets_;
  IntegratorState state_;

  // Scratch, recomputed within each step (not state).
  ReplicaTensors kinetic_tensor_;
  ReplicaScalars velocity_scale_;  // thermostat chain factor for the velocities
  ReplicaVectors pressure_scale_;  // exp(−dt/4 (ω̇_i + mtk_term2)) per axis
  ReplicaScalars mtk_term2_;
  ReplicaBoxes box_start_, box_half_, box_end_;
  ReplicaVectors noise_drift_;  // Langevin: centre-of-mass velocity of the noise
  AtomVectors langevin_noise_;  // Langevin: this step's c₂σξ per atom (allocated on first use)
};

}  // namespace glassland
