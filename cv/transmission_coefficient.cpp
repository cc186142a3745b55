// Reactive-flux transmission coefficients; the method and its sources are in the header.
#include "cv/transmission_coefficient.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "cv/metadynamics_bias.hpp"
#include "kernels/counter_rng.hpp"
#include "kernels/replica_faults.hpp"
#include "kernels/units.hpp"

namespace glassland {

namespace {

// The restraint ½k(s − s*)² tabulated on each replica's CV grid (cubic Hermite interpolation
// with exact derivatives reproduces a quadratic exactly): a static bias, never deposited to.
MetadynamicsBias restraint_bias(const std::vector<CvDefinition>& cvs,
                                const std::vector<DividingSurface>& surfaces,
                                const ShootingDynamics& dynamics,
                                const ReactiveFluxSettings& settings) {
  MetadynamicsSettings grid;
  grid.pace = int64_t(1) << 40;  // never due: the chain does not deposit
  grid.grid_lower = settings.grid_lower;
  grid.grid_upper = settings.grid_upper;
  grid.grid_spacing = settings.grid_spacing;
  grid.centre_of_mass_frame = settings.centre_of_mass_frame;
  grid.bias_temperature =
      10.0 * *std::max_element(dynamics.temperature.begin(), dynamics.temperature.end()) + 1.0;
  MetadynamicsBias bias(CvSet(cvs), {grid}, dynamics.temperature);
  const int n = static_cast<int>(cvs.size());
  std::vector<std::vector<double>> values(n), derivatives(n);
  for (int r = 0; r < n; ++r) {
    const std::vector<double> s = bias.grid_coordinates(r);
    values[r].assign(s.size(), 0.0);
    derivatives[r].assign(s.size(), 0.0);
    if (!surfaces[r].defined)
      continue;
    for (size_t k = 0; k < s.size(); ++k) {
      const double d = s[k] - surfaces[r].position;
      values[r][k] = 0.5 * settings.restraint_stiffness * d * d;
      derivatives[r][k] = settings.restraint_stiffness * d;
    }
  }
  bias.restore_state(std::vector<std::vector<Hill>>(n), values, derivatives);
  return bias;
}

// Host view of the batch's per-atom state that a shot's start is built from.
struct HostState {
  decltype(Kokkos::create_mirror_view(AtomVectors())) positions, velocities;
  decltype(Kokkos::create_mirror_view(AtomImages())) images;
  decltype(Kokkos::create_mirror_view(AtomInts())) elements;
  decltype(Kokkos::create_mirror_view(ReplicaBoxes())) boxes;
  std::vector<double> masses;
};

HostState host_state(const Batch& batch) {
  HostState h;
  h.positions = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), batch.positions);
  h.velocities = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), batch.velocities);
  h.images = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), batch.images);
  h.elements = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), batch.elements);
  h.boxes = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), batch.boxes);
  const auto masses =
      Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), batch.element_masses);
  h.masses.assign(masses.data(), masses.data() + masses.extent(0));
  return h;
}

// s and ∂s/∂x of replica r's CV at the host state (unwrapped CV-atom positions in x).
double host_cv(const HostState& h, const Batch& batch, const CvDefinition& cv, int r,
               std::vector<double>& x, std::vector<double>& gradient) {
  const int m = static_cast<int>(cv.atoms.size());
  x.resize(3 * m);
  gradient.resize(3 * m);
  std::vector<double> reference(3 * m);
  const Box box = h.boxes(r);
  for (int a = 0; a < m; ++a) {
    const int64_t g = static_cast<int64_t>(r) * batch.n_atoms + cv.atoms[a];
    double p[3] = {h.positions(g, 0), h.positions(g, 1), h.positions(g, 2)};
    box.add_lattice_vector(h.images(g, 0), h.images(g, 1), h.images(g, 2), p);
    for (int k = 0; k < 3; ++k) {
      x[3 * a + k] = p[k];
      reference[3 * a + k] = cv.reference[a][k];
    }
  }
  return CvRegistry::evaluate(cv.kind, box, m, x.data(), reference.data(), gradient.data());
}

// Moves replica r's CV atoms onto s = target (move_onto_cv_surface on their unwrapped
// positions; the displacement goes into the wrapped positions, images unchanged).
void project_onto_surface(HostState& h, const Batch& batch, const CvDefinition& cv, int r,
                          double target) {
  std::vector<double> x, gradient;
  host_cv(h, batch, cv, r, x, gradient);
  std::vector<double> moved = x;
  if (!move_onto_cv_surface(cv, h.boxes(r), moved, target))
    throw std::runtime_error(
        "transmission coefficient: replica " + std::to_string(r) +
        " could not be moved onto its dividing surface s = " + std::to_string(target));
  for (size_t a = 0; a < cv.atoms.size(); ++a) {
    const int64_t g = static_cast<int64_t>(r) * batch.n_atoms + cv.atoms[a];
    for (int k = 0; k < 3; ++k)
      h.positions(g, k) += moved[3 * a + k] - x[3 * a + k];
  }
}

// Maxwell–Boltzmann velocities of replica r at T, total momentum removed (no rescaling, so the
// tracer's velocity is Gaussian). Counter-based: stream = atom, counter from `draw`.
void draw_velocities(HostState& h, const Batch& batch, int r, double temperature, uint64_t seed,
                     uint64_t draw) {
  const int64_t first = static_cast<int64_t>(r) * batch.n_atoms;
  double momentum[3] = {0, 0, 0}, total_mass = 0.0;
  for (int i = 0; i < batch.n_atoms; ++i) {
    const double m = h.masses[h.elements(first + i)];
    const double sd = std::sqrt(units::kBoltzmann * temperature / (m * units::kAmuA2Ps2ToEv));
    double z[4];
    normal_pair(seed, static_cast<uint64_t>(i), 4 * draw, z[0], z[1]);
    normal_pair(seed, static_cast<uint64_t>(i), 4 * draw + 2, z[2], z[3]);
    for (int k = 0; k < 3; ++k) {
      h.velocities(first + i, k) = sd * z[k];
      momentum[k] += m * sd * z[k];
    }
    total_mass += m;
  }
  for (int i = 0; i < batch.n_atoms; ++i)
    for (int k = 0; k < 3; ++k)
      h.velocities(first + i, k) -= momentum[k] / total_mass;
}

// ṡ = Σ ∂s/∂x · v over the CV's atoms.
double cv_velocity(const HostState& h, const Batch& batch, const CvDefinition& cv, int r) {
  std::vector<double> x, gradient;
  host_cv(h, batch, cv, r, x, gradient);
  double rate = 0.0;
  for (size_t a = 0; a < cv.atoms.size(); ++a) {
    const int64_t g = static_cast<int64_t>(r) * batch.n_atoms + cv.atoms[a];
    for (int k = 0; k < 3; ++k)
      rate += gradient[3 * a + k] * h.velocities(g, k);
  }
  return rate;
}

// Runs the unbiased dynamics of the replicas with running[r] = 1 until each is decided and
// returns per replica +1 (committed to the product side B), −1 (committed to A) or 0 (neither
// within max_steps). With stop_at_side = ±1, a replica also stops at its first sample on that
// side (returning it): the forward half, which must stay on B for the commitment time at once.
std::vector<int> run_until_committed(Batch& batch, ForceField& field, MdIntegrator& shooter,
                                     CvSet& cvs, const std::vector<DividingSurface>& surfaces,
                                     std::vector<int> running, const ReactiveFluxSettings& settings,
                                     int64_t max_steps, int stop_at_side,
                                     const ReplicaFaults& faults) {
  const int n = batch.n_replicas;
  const double dt = shooter.settings().timestep;
  const FaultLimits limits;
  std::vector<int> result(n, 0), side(n, 0);
  std::vector<double> run_start(n, 0.0);
  ReplicaInts active = make_replica_ints(running, "transmission::running");
  field.reset();
  shooter.reset_state();
  shooter.setup(batch, field, active);
  check_dynamics_faults(batch, shooter, active, true, limits, faults);
  int n_running = static_cast<int>(std::count(running.begin(), running.end(), 1));
  for (int64_t step = 1; step <= max_steps && n_running > 0; ++step) {
    shooter.step(batch, field, active);
    check_dynamics_faults(batch, shooter, active, false, limits, faults);
    if (step % settings.sample_stride != 0)
      continue;
    cvs.evaluate(batch, active);
    const std::vector<double> s = cvs.values_on_host();
    const double time = step * dt;
    bool changed = false;
    // A replica stopped on a fault is decided neither way (estimate_transmission_coefficients
    // takes it out of the shots).
    for (const FaultRecord& fault : read_faults(faults))
      if (running[fault.replica]) {
        running[fault.replica] = 0;
        --n_running;
        changed = true;
      }
    for (int r = 0; r < n; ++r) {
      if (!running[r])
        continue;
      const DividingSurface& surface = surfaces[r];
      const int here =
          (surface.direction > 0 ? s[r] > surface.position : s[r] < surface.position) ? +1 : -1;
      if (here != side[r]) {
        side[r] = here;
        run_start[r] = time;
      }
      const bool stop_side_reached = stop_at_side != 0 && here == stop_at_side;
      // Committed: every sample since run_start on this side, for commitment_time (the
      // detect_first_event rule, with the same tolerance for sample times).
      const bool committed = time - run_start[r] >= settings.commitment_time - 1e-9;
      if (stop_side_reached || committed) {
        result[r] = here;
        running[r] = 0;
        --n_running;
        changed = true;
      }
    }
    if (changed && n_running > 0)
      active = make_replica_ints(running, "transmission::running");
  }
  return result;
}

bool counts_as_reactive(int outcome) {
  return outcome == static_cast<int>(ShotOutcome::reactive) ||
         outcome == static_cast<int>(ShotOutcome::reactive_backward_undecided);
}

void check_inputs(int n, const std::vector<CvDefinition>& cvs,
                  const std::vector<DividingSurface>& surfaces, const ShootingDynamics& dynamics,
                  const ReactiveFluxSettings& settings) {
  const auto sized = [n](size_t size) { return size == static_cast<size_t>(n); };
  if (!sized(cvs.size()) || !sized(surfaces.size()) || !sized(dynamics.temperature.size()) ||
      !sized(dynamics.thermostat_tau.size()) || !sized(dynamics.seeds.size()))
    throw std::invalid_argument(
        "transmission coefficient: one CV, surface, temperature, thermostat τ and seed per "
        "replica");
  if (settings.shots <= 0 || !(settings.restraint_stiffness > 0.0) ||
      settings.equilibration_steps < 0 || settings.decorrelation_steps <= 0 ||
      settings.sample_stride <= 0 || !(settings.commitment_time > 0.0) ||
      !(settings.max_shot_time > settings.commitment_time))
    throw std::invalid_argument(
        "transmission coefficient: shots, restraint stiffness, decorrelation steps, sample "
        "stride and commitment time must be positive, and max_shot_time > commitment_time");
}

// How long the two halves of a shot may run, in MD steps.
struct ShotLengths {
  int64_t commit_steps = 0;  // forward half: until it commits to B
  int64_t max_steps = 0;     // backward half: until it commits, at most max_shot_time
};

ShotLengths shot_lengths(double dt, const ReactiveFluxSettings& settings) {
  ShotLengths lengths;
  // A forward half commits at the sample (1 + ceil(commitment / sample interval)) after its
  // start: the first sample, then a commitment time's worth of samples on the same side.
  lengths.commit_steps =
      (1 + static_cast<int64_t>(
               std::ceil(settings.commitment_time / (dt * settings.sample_stride) - 1e-9))) *
      settings.sample_stride;
  lengths.max_steps = static_cast<int64_t>(std::ceil(settings.max_shot_time / dt - 1e-9));
  return lengths;
}

// Seeds: one stream family per replica, salted per use (chain noise, shot velocities, shot
// noise) so that no two uses share random numbers.
struct ShotSeeds {
  const ShootingDynamics& dynamics;
  uint64_t salted(int r, uint64_t salt, uint64_t index) const {
    return splitmix64(dynamics.seeds[r] ^ splitmix64(salt * 0x9E3779B97F4A7C15ULL + index));
  }
  // Temperatures, damping and the salted Langevin seeds of an integrator.
  void configure(MdIntegrator& md, uint64_t salt, uint64_t index) const {
    md.set_constant_temperatures(dynamics.temperature);
    md.set_thermostat_damping(dynamics.thermostat_tau);
    std::vector<uint64_t> seeds(dynamics.seeds.size());
    for (size_t r = 0; r < seeds.size(); ++r)
      seeds[r] = salted(static_cast<int>(r), salt, index);
    md.set_langevin_seeds(seeds);
  }
};

// Positions, velocities and image flags of a whole batch, kept on the device: where the
// restrained chains stand between rounds, and where the shots start.
struct BatchConfiguration {
  AtomVectors positions, velocities;
  AtomImages images;
  BatchConfiguration(const Batch& batch, const std::string& label)
      : positions(label + "_positions", batch.positions.extent(0)),
        velocities(label + "_velocities", batch.velocities.extent(0)),
        images(label + "_images", batch.images.extent(0)) {}
  void save(const Batch& batch) const {
    Kokkos::deep_copy(positions, batch.positions);
    Kokkos::deep_copy(velocities, batch.velocities);
    Kokkos::deep_copy(images, batch.images);
  }
  void load(const Batch& batch) const {
    Kokkos::deep_copy(batch.positions, positions);
    Kokkos::deep_copy(batch.velocities, velocities);
    Kokkos::deep_copy(batch.images, images);
  }
};

// The shots' starts from the chains' configurations in the batch: each shooting replica on its
// surface with fresh velocities pointing to B, kept in `start`. Returns the flux weights |ṡ|.
std::vector<double> place_shots(const Batch& batch, const std::vector<CvDefinition>& cvs,
                                const std::vector<DividingSurface>& surfaces,
                                const ShootingDynamics& dynamics, const ShotSeeds& seeds,
                                const std::vector<int>& shooting, int shot,
                                const BatchConfiguration& start) {
  const int n = batch.n_replicas;
  HostState h = host_state(batch);
  std::vector<double> weight(n, 0.0);
  for (int r = 0; r < n; ++r) {
    if (!shooting[r])
      continue;
    project_onto_surface(h, batch, cvs[r], r, surfaces[r].position);
    draw_velocities(h, batch, r, dynamics.temperature[r], seeds.salted(r, 3, shot), 0);
    const double rate = surfaces[r].direction * cv_velocity(h, batch, cvs[r], r);
    if (rate < 0.0) {
      const int64_t first = static_cast<int64_t>(r) * batch.n_atoms;
      for (int i = 0; i < batch.n_atoms; ++i)
        for (int k = 0; k < 3; ++k)
          h.velocities(first + i, k) = -h.velocities(first + i, k);
    }
    weight[r] = std::abs(rate);
  }
  Kokkos::deep_copy(start.positions, h.positions);
  Kokkos::deep_copy(start.images, h.images);
  Kokkos::deep_copy(start.velocities, h.velocities);
  return weight;
}

// One round of shots from `start`, unbiased: the forward half (does the crossing commit to B
// at once?), then, where it did, the backward half with reversed velocities (did the path come
// from A?). Returns each shooting replica's ShotOutcome.
std::vector<int> shoot(Batch& batch, ForceField& unbiased, MdIntegrator& shooter, CvSet& cvs,
                       const std::vector<DividingSurface>& surfaces,
                       const std::vector<int>& shooting, const ReactiveFluxSettings& settings,
                       const ShotLengths& lengths, const ShotSeeds& seeds, int shot,
                       const BatchConfiguration& start, const ReplicaFaults& faults) {
  const int n = batch.n_replicas;
  start.load(batch);
  seeds.configure(shooter, 4, 2 * static_cast<uint64_t>(shot));
  const std::vector<int> forward =
      run_until_committed(batch, unbiased, shooter, cvs, surfaces, shooting, settings,
                          lengths.commit_steps, -1, faults);

  std::vector<int> backward_running(n, 0);
  for (int r = 0; r < n; ++r)
    backward_running[r] = shooting[r] && forward[r] > 0 ? 1 : 0;
  std::vector<int> backward(n, 0);
  if (std::count(backward_running.begin(), backward_running.end(), 1) > 0) {
    Kokkos::deep_copy(batch.positions, start.positions);
    Kokkos::deep_copy(batch.images, start.images);
    // From the kept start (the forward half has moved the batch on).
    const AtomVectors velocities = batch.velocities, start_velocities = start.velocities;
    Kokkos::parallel_for(
        "transmission::reverse_velocities",
        Kokkos::RangePolicy<ExecSpace>(0, static_cast<int64_t>(velocities.extent(0))),
        KOKKOS_LAMBDA(int64_t i) {
          for (int k = 0; k < 3; ++k)
            velocities(i, k) = -start_velocities(i, k);
        });
    seeds.configure(shooter, 4, 2 * static_cast<uint64_t>(shot) + 1);
    backward = run_until_committed(batch, unbiased, shooter, cvs, surfaces, backward_running,
                                   settings, lengths.max_steps, 0, faults);
  }
  std::vector<int> outcomes(n, static_cast<int>(ShotOutcome::forward_recrossed));
  for (int r = 0; r < n; ++r)
    if (forward[r] > 0)
      outcomes[r] = static_cast<int>(backward[r] < 0   ? ShotOutcome::reactive
                                     : backward[r] > 0 ? ShotOutcome::backward_from_product
                                                       : ShotOutcome::reactive_backward_undecided);
  return outcomes;
}

// The restrained chains' steps, each followed by the fault check (MdIntegrator::run's steps:
// energies in the last one).
void run_chains(Batch& batch, ForceField& restrained, MdIntegrator& chain, int64_t n_steps,
                const ReplicaInts& active, const ReplicaFaults& faults) {
  const FaultLimits limits;
  for (int64_t s = 0; s < n_steps; ++s) {
    chain.step(batch, restrained, active, s + 1 == n_steps);
    check_dynamics_faults(batch, chain, active, s + 1 == n_steps, limits, faults);
  }
}

// Replicas stopped on a fault since the last call shoot no more; their estimates keep the fault.
void take_out_failed(const ReplicaFaults& faults, std::vector<int>& shooting,
                     std::vector<TransmissionEstimate>& estimates) {
  for (const FaultRecord& fault : read_faults(faults)) {
    if (!shooting[fault.replica])
      continue;
    shooting[fault.replica] = 0;
    estimates[fault.replica].fault = fault;
  }
}

}  // namespace

bool move_onto_cv_surface(const CvDefinition& cv, const Box& box, std::vector<double>& x,
                          double target) {
  const int m = static_cast<int>(cv.atoms.size());
  if (x.size() != 3 * cv.atoms.size() || cv.reference.size() != cv.atoms.size())
    throw std::invalid_argument("move_onto_cv_surface: one position and reference per CV atom");
  std::vector<double> reference(3 * m), gradient(3 * m);
  for (int a = 0; a < m; ++a)
    for (int k = 0; k < 3; ++k)
      reference[3 * a + k] = cv.reference[a][k];
  for (int iteration = 0; iteration < 50; ++iteration) {
    const double s =
        CvRegistry::evaluate(cv.kind, box, m, x.data(), reference.data(), gradient.data());
    if (std::abs(s - target) < 1e-10)
      return true;
    double norm2 = 0.0;
    for (double g : gradient)
      norm2 += g * g;
    if (!(norm2 > 0.0))
      return false;
    // The smallest displacement that reaches the target to first order.
    const double step = (target - s) / norm2;
    for (int i = 0; i < 3 * m; ++i)
      x[i] += step * gradient[i];
  }
  return false;
}

void summarize_shots(TransmissionEstimate& e) {
  e.shots = static_cast<int>(e.outcomes.size());
  e.reactive = 0;
  e.undecided = 0;
  double flux = 0.0, reactive_flux = 0.0;
  for (int k = 0; k < e.shots; ++k) {
    flux += e.flux_weights[k];
    if (counts_as_reactive(e.outcomes[k])) {
      reactive_flux += e.flux_weights[k];
      ++e.reactive;
    }
    if (e.outcomes[k] == static_cast<int>(ShotOutcome::reactive_backward_undecided))
      ++e.undecided;
  }
  e.kappa = flux > 0.0 ? reactive_flux / flux : 0.0;
  // Ratio estimator: Var(κ) ≈ Σ (w_k (h_k − κ))² / (Σ w)².
  double spread = 0.0;
  for (int k = 0; k < e.shots; ++k) {
    const double h = counts_as_reactive(e.outcomes[k]) ? 1.0 : 0.0;
    spread += std::pow(e.flux_weights[k] * (h - e.kappa), 2);
  }
  e.standard_error = flux > 0.0 ? std::sqrt(spread) / flux : 0.0;
}

std::vector<TransmissionEstimate> estimate_transmission_coefficients(
    Batch& batch, const std::function<std::unique_ptr<ForceTerm>()>& make_physical_term,
    const std::vector<CvDefinition>& cvs, const std::vector<DividingSurface>& surfaces,
    const ShootingDynamics& dynamics, const ReactiveFluxSettings& settings,
    const std::function<void(const ReactiveFluxProgress&)>& after_round,
    const ReactiveFluxProgress* resume) {
  const int n = batch.n_replicas;
  check_inputs(n, cvs, surfaces, dynamics, settings);
  const ShotLengths lengths = shot_lengths(dynamics.integrator.timestep, settings);
  std::vector<int> shooting(n, 0);
  for (int r = 0; r < n; ++r)
    shooting[r] = surfaces[r].defined ? 1 : 0;
  std::vector<TransmissionEstimate> estimates(n);
  if (std::count(shooting.begin(), shooting.end(), 1) == 0)
    return estimates;
  const ReplicaInts chain_active = make_replica_ints(shooting, "transmission::chains");

  MetadynamicsBias restraint = restraint_bias(cvs, surfaces, dynamics, settings);
  ForceField restrained, unbiased;
  restrained.add_term(make_physical_term());
  restrained.add_term(restraint.make_force_term());
  unbiased.add_term(make_physical_term());

  const ShotSeeds seeds{dynamics};
  const ReplicaFaults faults(n);
  MdIntegrator chain(n, batch.n_atoms, dynamics.integrator);
  MdIntegrator shooter(n, batch.n_atoms, dynamics.integrator);
  seeds.configure(chain, 1, 0);
  chain.reset_state();
  int first_shot = 0;
  if (resume != nullptr) {
    if (!(resume->estimates.size() == static_cast<size_t>(n)) ||
        resume->shots_done > settings.shots)
      throw std::invalid_argument(
          "transmission coefficient: the state to resume from does not match these replicas or "
          "shots");
    first_shot = resume->shots_done;
    estimates = resume->estimates;
    deep_copy_state(chain.state(), resume->chain_state);
  } else {
    // Chain start: fresh velocities at T.
    HostState h = host_state(batch);
    for (int r = 0; r < n; ++r)
      if (shooting[r])
        draw_velocities(h, batch, r, dynamics.temperature[r], seeds.salted(r, 2, 0), 0);
    Kokkos::deep_copy(batch.velocities, h.velocities);
  }
  chain.setup(batch, restrained, chain_active);
  check_dynamics_faults(batch, chain, chain_active, true, FaultLimits{}, faults);

  const BatchConfiguration chain_now(batch, "transmission::chain");
  const BatchConfiguration shot_start(batch, "transmission::shot");
  for (int shot = first_shot; shot < settings.shots; ++shot) {
    const int64_t chain_steps = shot == 0
                                    ? settings.equilibration_steps + settings.decorrelation_steps
                                    : settings.decorrelation_steps;
    run_chains(batch, restrained, chain, chain_steps, chain_active, faults);
    take_out_failed(faults, shooting, estimates);
    restraint.check_grid(chain_active);
    chain_now.save(batch);

    const std::vector<double> weight =
        place_shots(batch, cvs, surfaces, dynamics, seeds, shooting, shot, shot_start);
    const std::vector<int> outcomes =
        shoot(batch, unbiased, shooter, restraint.cvs(), surfaces, shooting, settings, lengths,
              seeds, shot, shot_start, faults);
    take_out_failed(faults, shooting, estimates);
    for (int r = 0; r < n; ++r) {
      if (!shooting[r])
        continue;
      estimates[r].flux_weights.push_back(weight[r]);
      estimates[r].outcomes.push_back(outcomes[r]);
    }

    // Back to the chain where it was.
    chain_now.load(batch);
    restrained.reset();
    chain.setup(batch, restrained, chain_active);
    if (after_round) {
      ReactiveFluxProgress now;
      now.shots_done = shot + 1;
      now.estimates = estimates;
      now.chain_state = chain.state();
      after_round(now);
    }
  }
  for (int r = 0; r < n; ++r)
    if (shooting[r]) {
      estimates[r].computed = true;
      summarize_shots(estimates[r]);
    }
  return estimates;
}

}  // namespace glassland
