// Batched velocity Verlet with Nosé–Hoover chains, MTK barostat and BAOAB Langevin dynamics.
// Sources and conventions: the top of kernels/md_integrator.hpp (LAMMPS src/fix_nh.cpp,
// Shinoda et al. PRB 69, 134103 (2004), MTK Mol. Phys. 87, 1117 (1996); Leimkuhler & Matthews
// 2013 for BAOAB). Per-replica physics is in the small inline functions at the top; the
// launches below only loop over replicas or atoms.
#include "kernels/md_integrator.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

#include "kernels/counter_rng.hpp"

namespace glassland {

namespace {

using TeamPolicy = Kokkos::TeamPolicy<ExecSpace>;
using TeamMember = TeamPolicy::member_type;
using ReplicaRange = Kokkos::RangePolicy<ExecSpace>;

// ---- per-replica physics -------------------------------------------------------------------

// A Nosé–Hoover chain coupled to a "twice kinetic energy" K2 (Σ m v² of the atoms, or Σ W ω̇² of
// the barostat) with target `target2`. Masses: Q_0 = first_mass, Q_k = mass (k ≥ 1); each
// higher element is driven towards k_B T = kt.
struct ChainParameters {
  int length = 3;
  int loops = 1;
  double first_mass = 0.0;
  double mass = 0.0;
  double kt = 0.0;
  double target2 = 0.0;
};

// One half step (dt/2) of the chain, LAMMPS fix_nh nhc_temp_integrate / nhc_press_integrate:
// updates the chain and returns the factor by which the coupled velocities are scaled (the
// caller scales them; K2 is tracked here as K2·factor², as LAMMPS does). With
// `refresh_upper_forces` the forces on elements k ≥ 1 are first recomputed from the current
// chain velocities (LAMMPS does this for the barostat chain, not for the thermostat chain).
KOKKOS_INLINE_FUNCTION double chain_half_step(const ChainParameters& p, double kinetic2,
                                              double* position, double* velocity,
                                              double* acceleration, double dt,
                                              bool refresh_upper_forces) {
  // velocity[p.length] is the dummy element above the chain, always 0.
  auto mass_of = [&](int k) { return k == 0 ? p.first_mass : p.mass; };
  if (refresh_upper_forces)
    for (int k = 1; k < p.length; ++k)
      acceleration[k] =
          p.mass > 0.0 ? (mass_of(k - 1) * velocity[k - 1] * velocity[k - 1] - p.kt) / p.mass : 0.0;
  acceleration[0] = p.first_mass > 0.0 ? (kinetic2 - p.target2) / p.first_mass : 0.0;
  const double sub = 1.0 / p.loops;
  const double dt2 = 0.5 * dt * sub, dt4 = 0.25 * dt * sub, dt8 = 0.125 * dt * sub;
  double total_factor = 1.0;
  for (int loop = 0; loop < p.loops; ++loop) {
    for (int k = p.length - 1; k > 0; --k) {
      const double decay = kmath::exp(-dt8 * velocity[k + 1]);
      velocity[k] = (velocity[k] * decay + acceleration[k] * dt4) * decay;
    }
    double decay = kmath::exp(-dt8 * velocity[1]);
    velocity[0] = (velocity[0] * decay + acceleration[0] * dt4) * decay;
    const double factor = kmath::exp(-dt2 * velocity[0]);
    total_factor *= factor;
    kinetic2 *= factor * factor;
    acceleration[0] = p.first_mass > 0.0 ? (kinetic2 - p.target2) / p.first_mass : 0.0;
    for (int k = 0; k < p.length; ++k)
      position[k] += dt2 * velocity[k];
    velocity[0] = (velocity[0] * decay + acceleration[0] * dt4) * decay;
    for (int k = 1; k < p.length; ++k) {
      decay = kmath::exp(-dt8 * velocity[k + 1]);
      acceleration[k] =
          p.mass > 0.0 ? (mass_of(k - 1) * velocity[k - 1] * velocity[k - 1] - p.kt) / p.mass : 0.0;
      velocity[k] = (velocity[k] * decay + acceleration[k] * dt4) * decay;
    }
  }
  return total_factor;
}

// Loads row r of the three chain views into local arrays (velocity gets the zero dummy on top).
struct LocalChain {
  double position[kMaxChainLength];
  double velocity[kMaxChainLength + 1];
  double acceleration[kMaxChainLength];
};

KOKKOS_INLINE_FUNCTION void load_chain(const ReplicaChains& pos, const ReplicaChains& vel,
                                       const ReplicaChains& acc, int r, LocalChain& c) {
  for (int k = 0; k < kMaxChainLength; ++k) {
    c.position[k] = pos(r, k);
    c.velocity[k] = vel(r, k);
    c.acceleration[k] = acc(r, k);
  }
  c.velocity[kMaxChainLength] = 0.0;
}

KOKKOS_INLINE_FUNCTION void store_chain(const ReplicaChains& pos, const ReplicaChains& vel,
                                        const ReplicaChains& acc, int r, const LocalChain& c,
                                        int length) {
  for (int k = 0; k < length; ++k) {
    pos(r, k) = c.position[k];
    vel(r, k) = c.velocity[k];
    acc(r, k) = c.acceleration[k];
  }
}

// Thermostat chain parameters for N_f degrees of freedom at kt = k_B T with damping τ_T.
KOKKOS_INLINE_FUNCTION ChainParameters thermostat_chain(int length, int loops, double dof,
                                                        double kt, double tau) {
  ChainParameters p;
  p.length = length;
  p.loops = loops;
  const double inverse_frequency2 = tau * tau;  // 1/ω_T²
  p.first_mass = dof * kt * inverse_frequency2;
  p.mass = kt * inverse_frequency2;
  p.kt = kt;
  p.target2 = dof * kt;
  return p;
}

// Barostat chain parameters; `barostat_dof` as LAMMPS's lkt_press: 1 for isotropic coupling,
// the number of controlled components otherwise.
KOKKOS_INLINE_FUNCTION ChainParameters barostat_chain(int length, int loops, int barostat_dof,
                                                      double kt, double tau) {
  ChainParameters p;
  p.length = length;
  p.loops = loops;
  p.first_mass = kt * tau * tau;
  p.mass = kt * tau * tau;
  p.kt = kt;
  p.target2 = barostat_dof * kt;
  return p;
}

// Barostat mass W = (N + 1) k_B T τ_P² (LAMMPS omega_mass), eV·ps².
KOKKOS_INLINE_FUNCTION double barostat_mass(int n_atoms, double kt, double tau) {
  return (n_atoms + 1) * kt * tau * tau;
}

// Number of barostat components a coupling controls: x y z, plus the tilts when triclinic.
KOKKOS_INLINE_FUNCTION int controlled_components(int coupling) {
  return coupling == static_cast<int>(BarostatCoupling::triclinic) ? 6 : 3;
}

// Σ W ω̇² over the controlled components: twice the barostat kinetic energy (eV).
KOKKOS_INLINE_FUNCTION double barostat_twice_kinetic(const double omega_dot[6], double w,
                                                     int coupling) {
  double sum = 0.0;
  for (int c = 0; c < controlled_components(coupling); ++c)
    sum += w * omega_dot[c] * omega_dot[c];
  return sum;
}

// LAMMPS fix_nh nh_omega_dot: half-step update of the barostat velocities from the pressure
// tensor p (bar) and target (bar); returns mtk_term2. For isotropic coupling the diagonal
// pressure is the scalar pressure and the target its mean (LAMMPS couple()/p_hydro).
KOKKOS_INLINE_FUNCTION double barostat_velocity_half_step(double omega_dot[6], const double p[6],
                                                          const double target[6],
                                                          double twice_kinetic_trace, double volume,
                                                          double w, int n_atoms, int coupling,
                                                          double dt) {
  const bool iso = coupling == static_cast<int>(BarostatCoupling::isotropic);
  const double p_scalar = (p[0] + p[1] + p[2]) / 3.0;
  const double target_scalar = (target[0] + target[1] + target[2]) / 3.0;
  // MTK term 1: (1/N_atoms) tr K / dim.
  const double mtk1 = twice_kinetic_trace / (3.0 * n_atoms);
  for (int c = 0; c < 3; ++c) {
    const double excess = iso ? p_scalar - target_scalar : p[c] - target[c];
    const double force = excess * volume / (w * units::kEvPerA3ToBar) + mtk1 / w;
    omega_dot[c] += force * 0.5 * dt;
  }
  const double mtk2 = (omega_dot[0] + omega_dot[1] + omega_dot[2]) / (3.0 * n_atoms);
  if (coupling == static_cast<int>(BarostatCoupling::triclinic))
    for (int c = 3; c < 6; ++c)
      omega_dot[c] += (p[c] - target[c]) * volume / (w * units::kEvPerA3ToBar) * 0.5 * dt;
  return mtk2;
}

// LAMMPS fix_nh remap(): advances the cell by dto (= dt/2) under ḣ = ω̇ h. Tilts outside
// barostat control scale with their lengths; lengths scale about the box centre.
KOKKOS_INLINE_FUNCTION Box remap_box(const Box& box, const double omega_dot[6], int coupling,
                                     double dto) {
  Box out = box;
  const bool tri = coupling == static_cast<int>(BarostatCoupling::triclinic);
  // Voigt: 0 xx, 1 yy, 2 zz, 3 xy, 4 xz, 5 yz.
  auto tilt_half = [&]() {
    double e = kmath::exp(0.125 * dto * omega_dot[0]);
    out.xz = (out.xz * e + 0.25 * dto * (omega_dot[3] * out.yz + omega_dot[4] * out.lz)) * e;
    e = kmath::exp(0.25 * dto * omega_dot[1]);
    out.yz = (out.yz * e + 0.5 * dto * omega_dot[5] * out.lz) * e;
    e = kmath::exp(0.25 * dto * omega_dot[0]);
    out.xy = (out.xy * e + 0.5 * dto * omega_dot[3] * out.ly) * e;
    e = kmath::exp(0.125 * dto * omega_dot[0]);
    out.xz = (out.xz * e + 0.25 * dto * (omega_dot[3] * out.yz + omega_dot[4] * out.lz)) * e;
  };
  if (tri)
    tilt_half();
  double* length[3] = {&out.lx, &out.ly, &out.lz};
  for (int k = 0; k < 3; ++k) {
    const double e = kmath::exp(dto * omega_dot[k]);
    const double center = out.lo[k] + 0.5 * *length[k];
    *length[k] *= e;
    out.lo[k] = center - 0.5 * *length[k];
    if (!tri) {
      if (k == 1)
        out.xy *= e;
      if (k == 2) {
        out.xz *= e;
        out.yz *= e;
      }
    }
  }
  if (tri)
    tilt_half();
  return out;
}

// x' = lo' + H' H⁻¹ (x − lo): the affine map that carries a position from one cell to another.
KOKKOS_INLINE_FUNCTION void affine_remap(const Box& from, const Box& to, double x[3]) {
  const double d[3] = {x[0] - from.lo[0], x[1] - from.lo[1], x[2] - from.lo[2]};
  double s[3], e[3];
  from.to_fractional(d, s);
  to.to_cartesian(s, e);
  for (int k = 0; k < 3; ++k)
    x[k] = to.lo[k] + e[k];
}

// LAMMPS fix_nh nh_v_press: velocity scaling by the barostat (a half step of dt/2), with the
// tilt coupling for triclinic cells.
KOKKOS_INLINE_FUNCTION void barostat_scale_velocity(double v[3], const double scale[3],
                                                    const double omega_dot[6], bool tri,
                                                    double dt) {
  for (int k = 0; k < 3; ++k)
    v[k] *= scale[k];
  if (tri) {
    v[0] += -0.5 * dt * (v[1] * omega_dot[3] + v[2] * omega_dot[4]);
    v[1] += -0.5 * dt * v[2] * omega_dot[5];
  }
  for (int k = 0; k < 3; ++k)
    v[k] *= scale[k];
}

// The O step's random velocity of atom `atom` (replica-local) at step `step`: c₂ σ ξ with
// σ = sqrt(k_B T / m) and ξ standard normal from the counter RNG.
KOKKOS_INLINE_FUNCTION void langevin_noise(uint64_t seed, int atom, int64_t step, double c2,
                                           double temperature, double mass, double out[3]) {
  double z[4];
  const uint64_t stream = atom_stream(rng_purpose::langevin, atom);
  const uint64_t counter = 4 * static_cast<uint64_t>(step);
  normal_pair(seed, stream, counter, z[0], z[1]);
  normal_pair(seed, stream, counter + 2, z[2], z[3]);
  const double sigma = temperature > 0.0 ? c2 * thermal_velocity(temperature, mass) : 0.0;
  for (int k = 0; k < 3; ++k)
    out[k] = sigma * z[k];
}

// Gamma(shape, 1) deviate by Marsaglia & Tsang (2000) for shape ≥ 1, from the counter RNG
// (draws counter, counter + 1, ... of `stream`). The rejection loop is capped at 32 tries so the
// number of draws per step is bounded (acceptance > 95 % per try for shape ≥ 1: the cap is never
// reached in practice); on exhaustion the mean is returned.
KOKKOS_INLINE_FUNCTION double gamma_deviate(double shape, uint64_t seed, uint64_t stream,
                                            uint64_t counter) {
  const double d = shape - 1.0 / 3.0;
  const double c = 1.0 / kmath::sqrt(9.0 * d);
  for (int attempt = 0; attempt < 32; ++attempt) {
    const uint64_t base = counter + 4 * static_cast<uint64_t>(attempt);
    double x = 0.0, unused = 0.0;
    normal_pair(seed, stream, base, x, unused);
    double v = 1.0 + c * x;
    if (v <= 0.0)
      continue;
    v = v * v * v;
    const double u = uniform_open01(random_bits(seed, stream, base + 2));
    if (kmath::log(u) < 0.5 * x * x + d - d * v + d * kmath::log(v))
      return d * v;
  }
  return shape;
}

// χ² deviate with k degrees of freedom (sum of k squared standard normals): 2·Gamma(k/2).
// For k < 2 (tiny systems) the squares are summed directly.
KOKKOS_INLINE_FUNCTION double chi_square_deviate(int k, uint64_t seed, uint64_t stream,
                                                 uint64_t counter) {
  if (k <= 0)
    return 0.0;
  if (k == 1) {
    double z0 = 0.0, z1 = 0.0;
    normal_pair(seed, stream, counter, z0, z1);
    return z0 * z0;
  }
  return 2.0 * gamma_deviate(0.5 * k, seed, stream, counter);
}

// Bussi–Donadio–Parrinello: velocity scale factor that takes the kinetic energy K (eV) to the
// new value drawn for a step dt with relaxation time tau at target kinetic energy k_target
// (Bussi et al. 2007, appendix; the sign rule keeps α continuous, as their reference code).
KOKKOS_INLINE_FUNCTION double bussi_scale_factor(double kinetic, double k_target, int dof,
                                                 double dt, double tau, uint64_t seed,
                                                 uint64_t step) {
  if (!(kinetic > 0.0) || !(k_target > 0.0))
    return 1.0;
  const uint64_t stream = static_cast<uint64_t>(rng_purpose::langevin + 1) << 40;
  const uint64_t counter = 256 * step;
  const double c = tau > 0.0 ? kmath::exp(-dt / tau) : 0.0;
  double r1 = 0.0, unused = 0.0;
  normal_pair(seed, stream, counter, r1, unused);
  const double s = chi_square_deviate(dof - 1, seed, stream, counter + 2);
  const double ratio = k_target / (dof * kinetic);
  const double alpha2 =
      c + (1.0 - c) * (s + r1 * r1) * ratio + 2.0 * r1 * kmath::sqrt(c * (1.0 - c) * ratio);
  const double alpha = kmath::sqrt(kmath::max(alpha2, 0.0));
  return (r1 + kmath::sqrt(c / ((1.0 - c) * ratio)) < 0.0) ? -alpha : alpha;
}

KOKKOS_INLINE_FUNCTION bool is_npt(int ensemble) {
  return ensemble == static_cast<int>(Ensemble::npt);
}

}  // namespace

// ---- schedules -----------------------------------------------------------------------------

TemperatureScheduleSpec TemperatureScheduleSpec::constant(double temperature) {
  TemperatureScheduleSpec s;
  s.start_temperature = s.end_temperature = temperature;
  return s;
}

TemperatureScheduleSpec TemperatureScheduleSpec::ramp_in_steps(double start, double end,
                                                               int64_t steps, int64_t start_step) {
  if (steps < 0)
    throw std::invalid_argument("temperature ramp: negative number of steps");
  TemperatureScheduleSpec s;
  s.kind = ScheduleKind::linear_ramp;
  s.start_temperature = start;
  s.end_temperature = end;
  s.duration_steps = steps;
  s.start_step = start_step;
  return s;
}

TemperatureScheduleSpec TemperatureScheduleSpec::ramp_at_rate(double start, double end,
                                                              double rate_k_per_s,
                                                              double timestep_ps,
                                                              int64_t start_step) {
  if (!(rate_k_per_s > 0.0) || !(timestep_ps > 0.0))
    throw std::invalid_argument("temperature ramp: rate (K/s) and time step must be positive");
  const double kelvin_per_step = rate_k_per_s * timestep_ps * 1e-12;
  const double steps = std::fabs(end - start) / kelvin_per_step;
  if (steps > 9.0e18)
    throw std::invalid_argument("temperature ramp: too many steps");
  return ramp_in_steps(start, end, static_cast<int64_t>(std::llround(steps)), start_step);
}

TemperatureScheduleSpec TemperatureScheduleSpec::staircase(double start, double end, double stair,
                                                           int64_t steps_per_stair,
                                                           int64_t start_step) {
  if (!(std::fabs(stair) > 0.0) || steps_per_stair <= 0)
    throw std::invalid_argument("temperature staircase: stair size and length must be positive");
  TemperatureScheduleSpec s;
  s.kind = ScheduleKind::staircase;
  s.start_temperature = start;
  s.end_temperature = end;
  s.stair_size = std::fabs(stair);
  s.duration_steps = steps_per_stair;
  s.start_step = start_step;
  return s;
}

// ---- state ---------------------------------------------------------------------------------

void deep_copy_state(const IntegratorState& to, const IntegratorState& from) {
  Kokkos::deep_copy(to.step, from.step);
  Kokkos::deep_copy(to.thermostat_position, from.thermostat_position);
  Kokkos::deep_copy(to.thermostat_velocity, from.thermostat_velocity);
  Kokkos::deep_copy(to.thermostat_acceleration, from.thermostat_acceleration);
  Kokkos::deep_copy(to.barostat_chain_position, from.barostat_chain_position);
  Kokkos::deep_copy(to.barostat_chain_velocity, from.barostat_chain_velocity);
  Kokkos::deep_copy(to.barostat_chain_acceleration, from.barostat_chain_acceleration);
  Kokkos::deep_copy(to.barostat_velocity, from.barostat_velocity);
  Kokkos::deep_copy(to.barostat_strain, from.barostat_strain);
}

Thermo::Thermo(int n)
    : kinetic_tensor("thermo::kinetic_tensor", n),
      kinetic_energy("thermo::kinetic_energy", n),
      temperature("thermo::temperature", n),
      pressure_tensor("thermo::pressure_tensor", n),
      pressure("thermo::pressure", n),
      volume("thermo::volume", n),
      target_temperature("thermo::target_temperature", n),
      reservoir_energy("thermo::reservoir_energy", n) {}

MdIntegrator::MdIntegrator(int n_replicas, int n_atoms, const IntegratorSettings& settings)
    : n_replicas_(n_replicas), n_atoms_(n_atoms), settings_(settings) {
  if (n_replicas <= 0 || n_atoms <= 0)
    throw std::invalid_argument("MdIntegrator: need at least one replica and one atom");
  if (!(settings.timestep > 0.0))
    throw std::invalid_argument("MdIntegrator: time step must be positive");
  auto check_chain = [](int length, int loops, const char* what) {
    if (length < 1 || length > kMaxChainLength || loops < 1)
      throw std::invalid_argument(std::string("MdIntegrator: ") + what +
                                  " chain length must be 1.." + std::to_string(kMaxChainLength) +
                                  " and loops ≥ 1");
  };
  check_chain(settings.thermostat_chain_length, settings.thermostat_loops, "thermostat");
  check_chain(settings.barostat_chain_length, settings.barostat_loops, "barostat");
  const int n = n_replicas;
  auto& t = targets_.temperature;
  t.kind = ReplicaInts("md::schedule_kind", n);
  t.start_temperature = ReplicaScalars("md::schedule_start_temperature", n);
  t.end_temperature = ReplicaScalars("md::schedule_end_temperature", n);
  t.stair_size = ReplicaScalars("md::schedule_stair_size", n);
  t.start_step = ReplicaSteps("md::schedule_start_step", n);
  t.duration_steps = ReplicaSteps("md::schedule_duration_steps", n);
  targets_.thermostat_damping = ReplicaScalars("md::thermostat_damping", n);
  targets_.barostat_damping = ReplicaScalars("md::barostat_damping", n);
  targets_.target_pressure = ReplicaTensors("md::target_pressure", n);
  targets_.langevin_seed = ReplicaSeeds("md::langevin_seed", n);
  // Defaults as LAMMPS's usual advice: τ_T = 100 dt, τ_P = 1000 dt; seeds = replica index + 1.
  Kokkos::deep_copy(targets_.thermostat_damping, 100.0 * settings.timestep);
  Kokkos::deep_copy(targets_.barostat_damping, 1000.0 * settings.timestep);
  // Filled on the host: nvcc does not allow device lambdas inside constructors.
  auto default_seeds = Kokkos::create_mirror_view(targets_.langevin_seed);
  for (int r = 0; r < n; ++r)
    default_seeds(r) = static_cast<uint64_t>(r) + 1;
  Kokkos::deep_copy(targets_.langevin_seed, default_seeds);

  state_.step = ReplicaSteps("md::step", n);
  state_.thermostat_position = ReplicaChains("md::thermostat_position", n);
  state_.thermostat_velocity = ReplicaChains("md::thermostat_velocity", n);
  state_.thermostat_acceleration = ReplicaChains("md::thermostat_acceleration", n);
  state_.barostat_chain_position = ReplicaChains("md::barostat_chain_position", n);
  state_.barostat_chain_velocity = ReplicaChains("md::barostat_chain_velocity", n);
  state_.barostat_chain_acceleration = ReplicaChains("md::barostat_chain_acceleration", n);
  state_.barostat_velocity = ReplicaTensors("md::barostat_velocity", n);
  state_.barostat_strain = ReplicaTensors("md::barostat_strain", n);

  kinetic_tensor_ = ReplicaTensors("md::kinetic_tensor", n);
  velocity_scale_ = ReplicaScalars("md::velocity_scale", n);
  pressure_scale_ = ReplicaVectors("md::pressure_scale", n);
  mtk_term2_ = ReplicaScalars("md::mtk_term2", n);
  box_start_ = ReplicaBoxes("md::box_start", n);
  box_half_ = ReplicaBoxes("md::box_half", n);
  box_end_ = ReplicaBoxes("md::box_end", n);
  noise_drift_ = ReplicaVectors("md::noise_drift", n);
  reset_state();
}

namespace {

// Host vector of length 1 (broadcast) or n_replicas into a device view.
template <class View, class T>
void copy_per_replica(const View& view, const std::vector<T>& values, int n, const char* what) {
  if (values.size() != 1 && values.size() != static_cast<size_t>(n))
    throw std::invalid_argument(std::string("MdIntegrator: ") + what + " needs 1 or " +
                                std::to_string(n) + " values, got " +
                                std::to_string(values.size()));
  auto host = Kokkos::create_mirror_view(view);
  for (int r = 0; r < n; ++r)
    host(r) = values[values.size() == 1 ? 0 : r];
  Kokkos::deep_copy(view, host);
}

}  // namespace

void MdIntegrator::set_temperature_schedules(const std::vector<TemperatureScheduleSpec>& specs) {
  const int n = n_replicas_;
  std::vector<int> kind;
  std::vector<double> t0, t1, stair;
  std::vector<int64_t> start, duration;
  for (const auto& s : specs) {
    if (!(s.start_temperature >= 0.0) || !(s.end_temperature >= 0.0))
      throw std::invalid_argument("MdIntegrator: temperatures must be ≥ 0 K");
    kind.push_back(static_cast<int>(s.kind));
    t0.push_back(s.start_temperature);
    t1.push_back(s.kind == ScheduleKind::constant ? s.start_temperature : s.end_temperature);
    stair.push_back(s.stair_size);
    start.push_back(s.start_step);
    duration.push_back(s.duration_steps);
  }
  auto& t = targets_.temperature;
  copy_per_replica(t.kind, kind, n, "temperature schedules");
  copy_per_replica(t.start_temperature, t0, n, "temperature schedules");
  copy_per_replica(t.end_temperature, t1, n, "temperature schedules");
  copy_per_replica(t.stair_size, stair, n, "temperature schedules");
  copy_per_replica(t.start_step, start, n, "temperature schedules");
  copy_per_replica(t.duration_steps, duration, n, "temperature schedules");
}

void MdIntegrator::set_constant_temperatures(const std::vector<double>& temperatures) {
  std::vector<TemperatureScheduleSpec> specs;
  for (double t : temperatures)
    specs.push_back(TemperatureScheduleSpec::constant(t));
  set_temperature_schedules(specs);
}

void MdIntegrator::set_thermostat_damping(const std::vector<double>& tau_ps) {
  for (double tau : tau_ps)
    if (!(tau > 0.0))
      throw std::invalid_argument("MdIntegrator: τ_T must be positive");
  copy_per_replica(targets_.thermostat_damping, tau_ps, n_replicas_, "thermostat damping");
}

void MdIntegrator::set_barostat(const std::vector<double>& tau_ps,
                                const std::vector<std::array<double, 6>>& target_pressure_bar) {
  for (double tau : tau_ps)
    if (!(tau > 0.0))
      throw std::invalid_argument("MdIntegrator: τ_P must be positive");
  copy_per_replica(targets_.barostat_damping, tau_ps, n_replicas_, "barostat damping");
  const int n = n_replicas_;
  if (target_pressure_bar.size() != 1 && target_pressure_bar.size() != static_cast<size_t>(n))
    throw std::invalid_argument("MdIntegrator: target pressure needs 1 or n_replicas tensors");
  auto host = Kokkos::create_mirror_view(targets_.target_pressure);
  for (int r = 0; r < n; ++r)
    for (int c = 0; c < 6; ++c)
      host(r, c) = target_pressure_bar[target_pressure_bar.size() == 1 ? 0 : r][c];
  Kokkos::deep_copy(targets_.target_pressure, host);
}

void MdIntegrator::set_langevin_seeds(const std::vector<uint64_t>& seeds) {
  copy_per_replica(targets_.langevin_seed, seeds, n_replicas_, "Langevin seeds");
}

void MdIntegrator::reset_state() {
  Kokkos::deep_copy(state_.step, 0);
  Kokkos::deep_copy(state_.thermostat_position, 0.0);
  Kokkos::deep_copy(state_.thermostat_velocity, 0.0);
  Kokkos::deep_copy(state_.barostat_chain_position, 0.0);
  Kokkos::deep_copy(state_.barostat_chain_velocity, 0.0);
  Kokkos::deep_copy(state_.barostat_chain_acceleration, 0.0);
  Kokkos::deep_copy(state_.barostat_velocity, 0.0);
  Kokkos::deep_copy(state_.barostat_strain, 0.0);
  // LAMMPS fix_nh::setup: η̈_k = (Q_{k−1} η̇_{k−1}² − k_B T)/Q_k = −ω_T² at rest (k ≥ 1).
  auto acceleration = state_.thermostat_acceleration;
  auto damping = targets_.thermostat_damping;
  Kokkos::parallel_for(
      "md::reset_chain_forces", ReplicaRange(0, n_replicas_), KOKKOS_LAMBDA(int r) {
        const double tau = damping(r);
        acceleration(r, 0) = 0.0;
        for (int k = 1; k < kMaxChainLength; ++k)
          acceleration(r, k) = tau > 0.0 ? -1.0 / (tau * tau) : 0.0;
      });
}

// ---- the step ------------------------------------------------------------------------------

void MdIntegrator::setup(Batch& batch, ForceField& force_field, const ReplicaInts& active) {
  if (batch.n_replicas != n_replicas_ || batch.n_atoms != n_atoms_)
    throw std::invalid_argument("MdIntegrator::setup: batch shape differs from the integrator's");
  EvalRequest request;
  request.energy = true;
  request.virial = true;
  request.active = active;
  force_field.compute(batch, request);
}

void MdIntegrator::step(Batch& batch, ForceField& force_field, const ReplicaInts& active,
                        bool energy) {
  EvalRequest request;
  request.energy = energy;
  request.virial = energy || settings_.ensemble == Ensemble::npt;
  request.active = active;
  switch (settings_.ensemble) {
    case Ensemble::nve:
      nve_first_half(batch, active);
      force_field.compute(batch, request);
      half_kick(batch, active);
      advance_step_counter(active);
      break;
    case Ensemble::nvt_nose_hoover:
    case Ensemble::npt:
      first_half_nose_hoover(batch, active);
      force_field.compute(batch, request);
      second_half_nose_hoover(batch, active);
      break;
    case Ensemble::nvt_langevin:
      langevin_step(batch, force_field, active, request);
      break;
    case Ensemble::nvt_bussi:
      nve_first_half(batch, active);
      force_field.compute(batch, request);
      half_kick(batch, active);
      bussi_rescale(batch, active);
      advance_step_counter(active);
      break;
  }
}

void MdIntegrator::run(Batch& batch, ForceField& force_field, int64_t n_steps,
                       const ReplicaInts& active) {
  for (int64_t s = 0; s < n_steps; ++s)
    step(batch, force_field, active, s + 1 == n_steps);
}

void MdIntegrator::nve_first_half(Batch& batch, const ReplicaInts& active) {
  const int n_atoms = n_atoms_;
  const double dt = settings_.timestep;
  auto x = batch.positions;
  auto v = batch.velocities;
  auto f = batch.forces;
  auto elements = batch.elements;
  auto masses = batch.element_masses;
  Kokkos::parallel_for(
      "md::nve_kick_drift", all_atoms(n_replicas_, n_atoms), KOKKOS_LAMBDA(int64_t g) {
        if (!replica_is_active(active, static_cast<int>(g / n_atoms)))
          return;
        const double half_dt_over_m = 0.5 * dt * units::kForceOverMassToAccel / masses(elements(g));
        for (int k = 0; k < 3; ++k) {
          v(g, k) += half_dt_over_m * f(g, k);
          x(g, k) += dt * v(g, k);
        }
      });
}

void MdIntegrator::half_kick(Batch& batch, const ReplicaInts& active) {
  const int n_atoms = n_atoms_;
  const double dt = settings_.timestep;
  auto v = batch.velocities;
  auto f = batch.forces;
  auto elements = batch.elements;
  auto masses = batch.element_masses;
  Kokkos::parallel_for(
      "md::half_kick", all_atoms(n_replicas_, n_atoms), KOKKOS_LAMBDA(int64_t g) {
        if (!replica_is_active(active, static_cast<int>(g / n_atoms)))
          return;
        const double half_dt_over_m = 0.5 * dt * units::kForceOverMassToAccel / masses(elements(g));
        for (int k = 0; k < 3; ++k)
          v(g, k) += half_dt_over_m * f(g, k);
      });
}

void MdIntegrator::advance_step_counter(const ReplicaInts& active) {
  auto step = state_.step;
  Kokkos::parallel_for(
      "md::advance_step_counter", ReplicaRange(0, n_replicas_), KOKKOS_LAMBDA(int r) {
        if (replica_is_active(active, r))
          step(r) += 1;
      });
}

// LAMMPS fix_nh::initial_integrate: barostat chain, thermostat chain, barostat velocity, then
// the particles (velocity scaling, half kick) and the cell/positions over a full dt.
void MdIntegrator::first_half_nose_hoover(Batch& batch, const ReplicaInts& active) {
  compute_kinetic_tensor(batch, kinetic_tensor_, active);
  nose_hoover_chains_first_half(batch, active);
  nose_hoover_kick_drift(batch, active);
}

// Thermostat (and, for NPT, barostat) chains over dt/2, the barostat velocity half step and the
// box remaps of this step: per replica, before the atoms move.
void MdIntegrator::nose_hoover_chains_first_half(const Batch& batch, const ReplicaInts& active) {
  const int n_atoms = n_atoms_;
  const double dt = settings_.timestep;
  const int ensemble = static_cast<int>(settings_.ensemble);
  const int coupling = static_cast<int>(settings_.coupling);
  const int t_length = settings_.thermostat_chain_length, t_loops = settings_.thermostat_loops;
  const int p_length = settings_.barostat_chain_length, p_loops = settings_.barostat_loops;
  const double dof = kinetic_degrees_of_freedom(n_atoms);
  const int barostat_dof = coupling == static_cast<int>(BarostatCoupling::isotropic)
                               ? 1
                               : controlled_components(coupling);
  auto schedule = targets_.temperature;
  auto tau_t = targets_.thermostat_damping;
  auto tau_p = targets_.barostat_damping;
  auto p_target = targets_.target_pressure;
  auto st = state_;
  auto kinetic = kinetic_tensor_;
  auto velocity_scale = velocity_scale_;
  auto pressure_scale = pressure_scale_;
  auto mtk_term2 = mtk_term2_;
  auto boxes = batch.boxes;
  auto virial = batch.virial;
  auto box_start = box_start_, box_half = box_half_, box_end = box_end_;
  Kokkos::parallel_for(
      "md::nose_hoover_first_half", ReplicaRange(0, n_replicas_), KOKKOS_LAMBDA(int r) {
        if (!replica_is_active(active, r))
          return;
        const double kt = units::kBoltzmann * schedule.at(r, st.step(r) + 1);
        double omega_dot[6];
        for (int c = 0; c < 6; ++c)
          omega_dot[c] = st.barostat_velocity(r, c);
        const double w = barostat_mass(n_atoms, kt, tau_p(r));
        if (is_npt(ensemble)) {
          LocalChain chain;
          load_chain(st.barostat_chain_position, st.barostat_chain_velocity,
                     st.barostat_chain_acceleration, r, chain);
          const double factor =
              chain_half_step(barostat_chain(p_length, p_loops, barostat_dof, kt, tau_p(r)),
                              barostat_twice_kinetic(omega_dot, w, coupling), chain.position,
                              chain.velocity, chain.acceleration, dt, true);
          store_chain(st.barostat_chain_position, st.barostat_chain_velocity,
                      st.barostat_chain_acceleration, r, chain, p_length);
          for (int c = 0; c < controlled_components(coupling); ++c)
            omega_dot[c] *= factor;
        }
        LocalChain chain;
        load_chain(st.thermostat_position, st.thermostat_velocity, st.thermostat_acceleration, r,
                   chain);
        const double k2 = kinetic(r, 0) + kinetic(r, 1) + kinetic(r, 2);
        const double factor =
            chain_half_step(thermostat_chain(t_length, t_loops, dof, kt, tau_t(r)), k2,
                            chain.position, chain.velocity, chain.acceleration, dt, false);
        store_chain(st.thermostat_position, st.thermostat_velocity, st.thermostat_acceleration, r,
                    chain, t_length);
        velocity_scale(r) = factor;
        const Box box = boxes(r);
        box_start(r) = box;
        if (!is_npt(ensemble))
          return;
        // Pressure with the thermostatted kinetic tensor (LAMMPS recomputes it here).
        const double volume = box.volume();
        double p[6], target[6];
        for (int c = 0; c < 6; ++c) {
          p[c] = pressure_component_bar(kinetic(r, c) * factor * factor, virial(r, c), volume);
          target[c] = p_target(r, c);
        }
        const double mtk2 = barostat_velocity_half_step(omega_dot, p, target, k2 * factor * factor,
                                                        volume, w, n_atoms, coupling, dt);
        mtk_term2(r) = mtk2;
        for (int k = 0; k < 3; ++k)
          pressure_scale(r, k) = kmath::exp(-0.25 * dt * (omega_dot[k] + mtk2));
        for (int c = 0; c < 6; ++c) {
          st.barostat_velocity(r, c) = omega_dot[c];
          st.barostat_strain(r, c) += dt * omega_dot[c];  // two remaps of dt/2 each
        }
        const Box half = remap_box(box, omega_dot, coupling, 0.5 * dt);
        box_half(r) = half;
        box_end(r) = remap_box(half, omega_dot, coupling, 0.5 * dt);
      });
}

// Thermostat scaling, barostat velocity scaling, half kick and drift (with the affine remaps
// of NPT) of every atom, then the new boxes.
void MdIntegrator::nose_hoover_kick_drift(Batch& batch, const ReplicaInts& active) {
  const int n_atoms = n_atoms_;
  const double dt = settings_.timestep;
  const int ensemble = static_cast<int>(settings_.ensemble);
  const int coupling = static_cast<int>(settings_.coupling);
  auto st = state_;
  auto velocity_scale = velocity_scale_;
  auto pressure_scale = pressure_scale_;
  auto boxes = batch.boxes;
  auto box_start = box_start_, box_half = box_half_, box_end = box_end_;
  auto x = batch.positions;
  auto v = batch.velocities;
  auto f = batch.forces;
  auto elements = batch.elements;
  auto masses = batch.element_masses;
  const bool tri = coupling == static_cast<int>(BarostatCoupling::triclinic);
  Kokkos::parallel_for(
      "md::nose_hoover_kick_drift", all_atoms(n_replicas_, n_atoms), KOKKOS_LAMBDA(int64_t g) {
        const int r = static_cast<int>(g / n_atoms);
        if (!replica_is_active(active, r))
          return;
        const double scale = velocity_scale(r);
        double vel[3] = {v(g, 0) * scale, v(g, 1) * scale, v(g, 2) * scale};
        double omega_dot[6];
        double press[3];
        const bool npt = is_npt(ensemble);
        if (npt) {
          for (int c = 0; c < 6; ++c)
            omega_dot[c] = st.barostat_velocity(r, c);
          for (int k = 0; k < 3; ++k)
            press[k] = pressure_scale(r, k);
          barostat_scale_velocity(vel, press, omega_dot, tri, dt);
        }
        const double half_dt_over_m = 0.5 * dt * units::kForceOverMassToAccel / masses(elements(g));
        for (int k = 0; k < 3; ++k)
          vel[k] += half_dt_over_m * f(g, k);
        double pos[3] = {x(g, 0), x(g, 1), x(g, 2)};
        if (npt)
          affine_remap(box_start(r), box_half(r), pos);
        for (int k = 0; k < 3; ++k)
          pos[k] += dt * vel[k];
        if (npt)
          affine_remap(box_half(r), box_end(r), pos);
        for (int k = 0; k < 3; ++k) {
          v(g, k) = vel[k];
          x(g, k) = pos[k];
        }
      });
  if (is_npt(ensemble)) {
    Kokkos::parallel_for(
        "md::update_boxes", ReplicaRange(0, n_replicas_), KOKKOS_LAMBDA(int r) {
          if (replica_is_active(active, r))
            boxes(r) = box_end(r);
        });
  }
}

// LAMMPS fix_nh::final_integrate: half kick, barostat velocity scaling, new pressure, barostat
// velocity, thermostat chain, barostat chain.
void MdIntegrator::second_half_nose_hoover(Batch& batch, const ReplicaInts& active) {
  nose_hoover_half_kick(batch, active);
  compute_kinetic_tensor(batch, kinetic_tensor_, active);
  nose_hoover_chains_second_half(batch, active);
  apply_thermostat_scale(batch, active);
}

// Half kick and barostat velocity scaling of every atom.
void MdIntegrator::nose_hoover_half_kick(Batch& batch, const ReplicaInts& active) {
  const int n_atoms = n_atoms_;
  const double dt = settings_.timestep;
  const int ensemble = static_cast<int>(settings_.ensemble);
  const int coupling = static_cast<int>(settings_.coupling);
  const bool tri = coupling == static_cast<int>(BarostatCoupling::triclinic);
  auto v = batch.velocities;
  auto f = batch.forces;
  auto elements = batch.elements;
  auto masses = batch.element_masses;
  auto st = state_;
  auto pressure_scale = pressure_scale_;
  Kokkos::parallel_for(
      "md::nose_hoover_half_kick", all_atoms(n_replicas_, n_atoms), KOKKOS_LAMBDA(int64_t g) {
        const int r = static_cast<int>(g / n_atoms);
        if (!replica_is_active(active, r))
          return;
        const double half_dt_over_m = 0.5 * dt * units::kForceOverMassToAccel / masses(elements(g));
        double vel[3];
        for (int k = 0; k < 3; ++k)
          vel[k] = v(g, k) + half_dt_over_m * f(g, k);
        if (is_npt(ensemble)) {
          double omega_dot[6], press[3];
          for (int c = 0; c < 6; ++c)
            omega_dot[c] = st.barostat_velocity(r, c);
          for (int k = 0; k < 3; ++k)
            press[k] = pressure_scale(r, k);
          barostat_scale_velocity(vel, press, omega_dot, tri, dt);
        }
        for (int k = 0; k < 3; ++k)
          v(g, k) = vel[k];
      });
}

// Barostat velocity half step and thermostat (and barostat) chains over dt/2: per replica, after
// the atoms moved; advances the step counter.
void MdIntegrator::nose_hoover_chains_second_half(const Batch& batch, const ReplicaInts& active) {
  const int n_atoms = n_atoms_;
  const double dt = settings_.timestep;
  const int ensemble = static_cast<int>(settings_.ensemble);
  const int coupling = static_cast<int>(settings_.coupling);
  auto st = state_;
  const int t_length = settings_.thermostat_chain_length, t_loops = settings_.thermostat_loops;
  const int p_length = settings_.barostat_chain_length, p_loops = settings_.barostat_loops;
  const double dof = kinetic_degrees_of_freedom(n_atoms);
  const int barostat_dof = coupling == static_cast<int>(BarostatCoupling::isotropic)
                               ? 1
                               : controlled_components(coupling);
  auto schedule = targets_.temperature;
  auto tau_t = targets_.thermostat_damping;
  auto tau_p = targets_.barostat_damping;
  auto p_target = targets_.target_pressure;
  auto kinetic = kinetic_tensor_;
  auto velocity_scale = velocity_scale_;
  auto boxes = batch.boxes;
  auto virial = batch.virial;
  Kokkos::parallel_for(
      "md::nose_hoover_second_half", ReplicaRange(0, n_replicas_), KOKKOS_LAMBDA(int r) {
        if (!replica_is_active(active, r))
          return;
        const double kt = units::kBoltzmann * schedule.at(r, st.step(r) + 1);
        const double k2 = kinetic(r, 0) + kinetic(r, 1) + kinetic(r, 2);
        double omega_dot[6];
        for (int c = 0; c < 6; ++c)
          omega_dot[c] = st.barostat_velocity(r, c);
        const double w = barostat_mass(n_atoms, kt, tau_p(r));
        if (is_npt(ensemble)) {
          const double volume = boxes(r).volume();
          double p[6], target[6];
          for (int c = 0; c < 6; ++c) {
            p[c] = pressure_component_bar(kinetic(r, c), virial(r, c), volume);
            target[c] = p_target(r, c);
          }
          barostat_velocity_half_step(omega_dot, p, target, k2, volume, w, n_atoms, coupling, dt);
        }
        LocalChain chain;
        load_chain(st.thermostat_position, st.thermostat_velocity, st.thermostat_acceleration, r,
                   chain);
        velocity_scale(r) =
            chain_half_step(thermostat_chain(t_length, t_loops, dof, kt, tau_t(r)), k2,
                            chain.position, chain.velocity, chain.acceleration, dt, false);
        store_chain(st.thermostat_position, st.thermostat_velocity, st.thermostat_acceleration, r,
                    chain, t_length);
        if (is_npt(ensemble)) {
          LocalChain pchain;
          load_chain(st.barostat_chain_position, st.barostat_chain_velocity,
                     st.barostat_chain_acceleration, r, pchain);
          const double factor =
              chain_half_step(barostat_chain(p_length, p_loops, barostat_dof, kt, tau_p(r)),
                              barostat_twice_kinetic(omega_dot, w, coupling), pchain.position,
                              pchain.velocity, pchain.acceleration, dt, true);
          store_chain(st.barostat_chain_position, st.barostat_chain_velocity,
                      st.barostat_chain_acceleration, r, pchain, p_length);
          for (int c = 0; c < controlled_components(coupling); ++c)
            omega_dot[c] *= factor;
          for (int c = 0; c < 6; ++c)
            st.barostat_velocity(r, c) = omega_dot[c];
        }
        st.step(r) += 1;
      });
}

// v ← v · s with the thermostat's scale factor s of each replica.
void MdIntegrator::apply_thermostat_scale(Batch& batch, const ReplicaInts& active) {
  const int n_atoms = n_atoms_;
  auto v = batch.velocities;
  auto velocity_scale = velocity_scale_;
  Kokkos::parallel_for(
      "md::thermostat_scale", all_atoms(n_replicas_, n_atoms), KOKKOS_LAMBDA(int64_t g) {
        const int r = static_cast<int>(g / n_atoms);
        if (!replica_is_active(active, r))
          return;
        const double scale = velocity_scale(r);
        for (int k = 0; k < 3; ++k)
          v(g, k) *= scale;
      });
}

// BAOAB: B A O A [forces] B. The O step draws ξ from the counter RNG (replica seed, atom,
// step) once per atom into a per-atom buffer, removes the noise's centre-of-mass velocity per
// replica (team reductions over the buffer) and applies it. Drawing the noise costs four
// counter hashes, two logarithms and two sines per atom, several times a memory pass: the
// buffer (24 bytes per atom, rewritten every step, not state) is cheaper than drawing it again
// in each of the reductions and in the update, and the sums are the same as drawing it again.
void MdIntegrator::langevin_step(Batch& batch, ForceField& force_field, const ReplicaInts& active,
                                 const EvalRequest& request) {
  const int n_atoms = n_atoms_;
  const double dt = settings_.timestep;
  auto x = batch.positions;
  auto v = batch.velocities;
  auto f = batch.forces;
  auto elements = batch.elements;
  auto masses = batch.element_masses;
  auto schedule = targets_.temperature;
  auto tau_t = targets_.thermostat_damping;
  auto seeds = targets_.langevin_seed;
  auto step = state_.step;
  auto drift = noise_drift_;
  if (langevin_noise_.extent(0) != v.extent(0))
    langevin_noise_ = AtomVectors("md::langevin_noise", v.extent(0));
  auto noise = langevin_noise_;
  Kokkos::parallel_for(
      "md::langevin_kick_half_drift", all_atoms(n_replicas_, n_atoms), KOKKOS_LAMBDA(int64_t g) {
        if (!replica_is_active(active, static_cast<int>(g / n_atoms)))
          return;
        const double half_dt_over_m = 0.5 * dt * units::kForceOverMassToAccel / masses(elements(g));
        for (int k = 0; k < 3; ++k) {
          v(g, k) += half_dt_over_m * f(g, k);
          x(g, k) += 0.5 * dt * v(g, k);
        }
      });
  Kokkos::parallel_for(
      "md::langevin_noise_drift", TeamPolicy(n_replicas_, Kokkos::AUTO),
      KOKKOS_LAMBDA(const TeamMember& team) {
        const int r = team.league_rank();
        if (!replica_is_active(active, r))
          return;
        const int64_t first = static_cast<int64_t>(r) * n_atoms;
        const double temperature = schedule.at(r, step(r) + 1);
        const double c1 = kmath::exp(-dt / tau_t(r));
        const double c2 = kmath::sqrt(1.0 - c1 * c1);
        double total_mass = 0.0;
        // Each atom's noise is drawn here, once, while the replica's mass is summed.
        Kokkos::parallel_reduce(
            Kokkos::TeamThreadRange(team, n_atoms),
            [&](int i, double& sum) {
              const int64_t g = first + i;
              const double m = masses(elements(g));
              double xi[3];
              langevin_noise(seeds(r), i, step(r), c2, temperature, m, xi);
              for (int k = 0; k < 3; ++k)
                noise(g, k) = xi[k];
              sum += m;
            },
            total_mass);
        team.team_barrier();  // the buffer is read below by other threads of the team
        for (int k = 0; k < 3; ++k) {
          double momentum = 0.0;
          Kokkos::parallel_reduce(
              Kokkos::TeamThreadRange(team, n_atoms),
              [&](int i, double& sum) {
                const int64_t g = first + i;
                sum += masses(elements(g)) * noise(g, k);
              },
              momentum);
          // One atom in an external field keeps its noise (its 3 degrees of freedom, as
          // kinetic_degrees_of_freedom counts them): removing it would leave only friction.
          Kokkos::single(Kokkos::PerTeam(team),
                         [&]() { drift(r, k) = n_atoms > 1 ? momentum / total_mass : 0.0; });
        }
      });
  Kokkos::parallel_for(
      "md::langevin_thermostat_half_drift", all_atoms(n_replicas_, n_atoms),
      KOKKOS_LAMBDA(int64_t g) {
        const int r = static_cast<int>(g / n_atoms);
        if (!replica_is_active(active, r))
          return;
        const double c1 = kmath::exp(-dt / tau_t(r));
        for (int k = 0; k < 3; ++k) {
          v(g, k) = c1 * v(g, k) + noise(g, k) - drift(r, k);
          x(g, k) += 0.5 * dt * v(g, k);
        }
      });
  force_field.compute(batch, request);
  half_kick(batch, active);
  advance_step_counter(active);
}

// LAMMPS fix temp/csvr applies the rescaling at the end of the step (full dt).
void MdIntegrator::bussi_rescale(Batch& batch, const ReplicaInts& active) {
  compute_kinetic_tensor(batch, kinetic_tensor_, active);
  const int n_atoms = n_atoms_;
  const double dt = settings_.timestep;
  const int dof = kinetic_degrees_of_freedom(n_atoms);
  auto schedule = targets_.temperature;
  auto tau_t = targets_.thermostat_damping;
  auto seeds = targets_.langevin_seed;
  auto step = state_.step;
  auto kinetic = kinetic_tensor_;
  auto velocity_scale = velocity_scale_;
  Kokkos::parallel_for(
      "md::bussi_factor", ReplicaRange(0, n_replicas_), KOKKOS_LAMBDA(int r) {
        if (!replica_is_active(active, r))
          return;
        const double k = 0.5 * (kinetic(r, 0) + kinetic(r, 1) + kinetic(r, 2));
        const double k_target = 0.5 * dof * units::kBoltzmann * schedule.at(r, step(r) + 1);
        velocity_scale(r) = bussi_scale_factor(k, k_target, dof, dt, tau_t(r), seeds(r),
                                               static_cast<uint64_t>(step(r)));
      });
  auto v = batch.velocities;
  Kokkos::parallel_for(
      "md::bussi_scale", all_atoms(n_replicas_, n_atoms), KOKKOS_LAMBDA(int64_t g) {
        const int r = static_cast<int>(g / n_atoms);
        if (!replica_is_active(active, r))
          return;
        const double scale = velocity_scale(r);
        for (int k = 0; k < 3; ++k)
          v(g, k) *= scale;
      });
}

// ---- thermo --------------------------------------------------------------------------------

void MdIntegrator::compute_thermo(const Batch& batch, Thermo& thermo) const {
  compute_kinetic_tensor(batch, thermo.kinetic_tensor);
  kinetic_energy_and_temperature(batch, thermo.kinetic_tensor, thermo.kinetic_energy,
                                 thermo.temperature);
  compute_pressure_tensor(batch, thermo.kinetic_tensor, thermo.pressure_tensor, thermo.pressure);
  const int n_atoms = n_atoms_;
  const int ensemble = static_cast<int>(settings_.ensemble);
  const int coupling = static_cast<int>(settings_.coupling);
  const int t_length = settings_.thermostat_chain_length;
  const int p_length = settings_.barostat_chain_length;
  const double dof = kinetic_degrees_of_freedom(n_atoms);
  const int barostat_dof = coupling == static_cast<int>(BarostatCoupling::isotropic)
                               ? 1
                               : controlled_components(coupling);
  auto schedule = targets_.temperature;
  auto tau_t = targets_.thermostat_damping;
  auto tau_p = targets_.barostat_damping;
  auto p_target = targets_.target_pressure;
  auto st = state_;
  auto boxes = batch.boxes;
  auto volume = thermo.volume;
  auto target_temperature = thermo.target_temperature;
  auto reservoir = thermo.reservoir_energy;
  Kokkos::parallel_for(
      "md::thermo", ReplicaRange(0, n_replicas_), KOKKOS_LAMBDA(int r) {
        const double t = schedule.at(r, st.step(r));
        const double kt = units::kBoltzmann * t;
        volume(r) = boxes(r).volume();
        target_temperature(r) = t;
        double energy = 0.0;
        // LAMMPS fix_nh::compute_scalar.
        if (ensemble == static_cast<int>(Ensemble::nvt_nose_hoover) || is_npt(ensemble)) {
          const ChainParameters p = thermostat_chain(t_length, 1, dof, kt, tau_t(r));
          energy += p.target2 * st.thermostat_position(r, 0) + 0.5 * p.first_mass *
                                                                   st.thermostat_velocity(r, 0) *
                                                                   st.thermostat_velocity(r, 0);
          for (int k = 1; k < t_length; ++k)
            energy += kt * st.thermostat_position(r, k) +
                      0.5 * p.mass * st.thermostat_velocity(r, k) * st.thermostat_velocity(r, k);
        }
        if (is_npt(ensemble)) {
          const double w = barostat_mass(n_atoms, kt, tau_p(r));
          double omega_dot[6];
          for (int c = 0; c < 6; ++c)
            omega_dot[c] = st.barostat_velocity(r, c);
          energy += 0.5 * barostat_twice_kinetic(omega_dot, w, coupling);
          const double p_hydro = (p_target(r, 0) + p_target(r, 1) + p_target(r, 2)) / 3.0;
          energy += p_hydro * volume(r) / units::kEvPerA3ToBar;
          const ChainParameters p = barostat_chain(p_length, 1, barostat_dof, kt, tau_p(r));
          energy += p.target2 * st.barostat_chain_position(r, 0) +
                    0.5 * p.first_mass * st.barostat_chain_velocity(r, 0) *
                        st.barostat_chain_velocity(r, 0);
          for (int k = 1; k < p_length; ++k)
            energy += kt * st.barostat_chain_position(r, k) + 0.5 * p.mass *
                                                                  st.barostat_chain_velocity(r, k) *
                                                                  st.barostat_chain_velocity(r, k);
        }
        reservoir(r) = energy;
      });
}

}  // namespace glassland
