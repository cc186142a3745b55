// `task: metad` — well-tempered metadynamics of tracer atoms, one replica per tracer, all tracers
// of a glass in one batch (SPEC.md §5–6; issue 4 item 5; papers 000 and 001).
//
// Flow: read the system (a single structure is copied into one replica per tracer) → optional
// NPT equilibration without bias → pick tracers → biased NVT (Nosé–Hoover) with one hop-distance
// or cluster-RMSD CV per replica, each tracer's configuration kept every snapshot_stride steps
// until its first event → per tracer: FES, first event, ΔG, hop distance, rate (ν0 given or from
// the FES curvature); inherent structures of the last kept configuration before the event and of
// the configuration at which the event was confirmed, collective displacement |Δr| and moved
// atoms → results.h5 (thermo + per-tracer groups), HILLS_NNNN (PLUMED format), summary.json.
//
// Replica r biases tracer r only: its CV, bias grid, velocities (seed + the tracer's atom id) and
// thermostat are its own, so its trajectory does not depend on the other tracers of the batch.
//
// Checkpoints (output.checkpoint_stride) hold everything the rest of the run depends on: batch,
// integrator, CV definitions (anchored references), hills and bias grids, CV/bias series, event
// state, the kept configurations; results.h5 is written in parts as for md
// (host/tasks/segmented_results.hpp), so a run killed at any moment and restarted with --restart
// ends bitwise where the uninterrupted run ends.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

#include "analysis/effective_barriers.hpp"
#include "cv/collective_displacement.hpp"
#include "cv/cv_set.hpp"
#include "cv/free_energy.hpp"
#include "cv/metadynamics_bias.hpp"
#include "cv/tracers.hpp"
#include "cv/transmission_coefficient.hpp"
#include "host/io/atomic_file.hpp"
#include "host/io/batch_checkpoint.hpp"
#include "host/io/batch_io.hpp"
#include "host/io/checkpoint.hpp"
#include "host/io/hdf5_file.hpp"
#include "host/tasks/inherent_structures.hpp"
#include "host/tasks/md_recorder.hpp"
#include "host/tasks/progress.hpp"
#include "host/tasks/task_drivers.hpp"
#include "host/tasks/task_system.hpp"
#include "kernels/kinetic.hpp"
#include "kernels/md_integrator.hpp"
#include "kernels/units.hpp"

namespace glassland {

namespace fs = std::filesystem;

namespace {

struct TracerChoice {
  int64_t count = 0;                 // 0: one per replica
  std::vector<std::string> species;  // ["any"] or element names
  std::vector<int64_t> atom_ids;     // explicit LAMMPS ids (replica r gets atom_ids[r])
  int64_t seed = 1;
};

struct MetadInput {
  double timestep = 0.002;  // ps
  std::vector<double> temperature, pressure, thermostat_tau, barostat_tau;
  int64_t equilibration_steps = 0;
  int64_t steps = 0;
  std::string cv = "hop_distance";
  double cluster_cutoff = 4.0;
  TracerChoice tracers;
  MetadynamicsSettings bias;
  double attempt_frequency = 3e12;
  std::string attempt_frequency_from = "nu0";  // or "curvature"
  double curvature_window = 0.0;               // eV; 0: k_B T
  int64_t snapshot_stride = 0;                 // 0: pace
  int64_t snapshot_history = 50;
  bool stop_after_first_event = false;
  double event_dwell = 1.0;       // ps
  double event_prominence = 0.0;  // eV; 0: 2 k_B T
  int64_t velocity_seed = 1;
  double minimize_ftol = 1e-3;  // eV/Å, inherent structures
  int64_t minimize_max_iterations = 5000;
  ReactiveFluxSettings transmission;  // shots = 0: no recrossing correction
};

// The tracer section is read before the system: its length sets the default replica count.
TracerChoice read_tracer_choice(InputObject& tracers) {
  TracerChoice t;
  t.atom_ids = tracers.integers("atom_ids", {}, "",
                                "explicit tracer LAMMPS atom ids, one per replica (overrides "
                                "count/species/seed)");
  t.count = tracers.integer("count", 0, "",
                            "number of tracers = replicas (0: one per replica of the system)",
                            IntegerRange::non_negative());
  t.species = tracers.strings("species", {"any"},
                              "elements tracers are drawn from, e.g. [\"Cu\"], or [\"any\"]");
  t.seed = tracers.integer("seed", 1, "", "seed of the random tracer draw",
                           IntegerRange::non_negative());
  return t;
}

void read_metad_settings(InputObject& o, int n, MetadInput& m) {
  m.timestep = o.number("timestep", 0.002, "ps", "time step", NumberRange::positive());
  m.temperature =
      o.per_replica_numbers("temperature", required, n, "K",
                            "sampling temperature T per replica (tracer)", NumberRange::positive());
  m.equilibration_steps = o.integer("equilibration_steps", 0, "steps",
                                    "unbiased NPT equilibration before sampling (0: none)",
                                    IntegerRange::non_negative());
  m.pressure = o.per_replica_numbers("pressure", 0.0, n, "bar", "NPT equilibration pressure");
  m.steps = o.integer("steps", required, "steps", "biased NVT steps", IntegerRange::positive());
  InputObject thermostat = o.object("thermostat", "Nosé–Hoover thermostat");
  m.thermostat_tau = thermostat.per_replica_numbers("tau", 0.1, n, "ps", "thermostat damping time",
                                                    NumberRange::positive());
  InputObject barostat = o.object("barostat", "barostat of the NPT equilibration");
  m.barostat_tau = barostat.per_replica_numbers("tau", 1.0, n, "ps", "barostat damping time",
                                                NumberRange::positive());
  m.cv = o.choice("cv", "hop_distance", {"hop_distance", "cluster_rmsd"},
                  "collective variable of each tracer (paper 000: hop_distance; paper 001: "
                  "cluster_rmsd)");
  m.cluster_cutoff = o.number("cluster_cutoff", 4.0, "Å",
                              "cluster = tracer + neighbours within this cutoff (cluster_rmsd)",
                              NumberRange::positive());
  const MetadynamicsSettings d;
  m.bias.pace = o.integer("pace", d.pace, "steps", "steps between hill depositions",
                          IntegerRange::positive());
  m.bias.sigma = o.number("sigma", d.sigma, "Å", "Gaussian width", NumberRange::positive());
  m.bias.initial_height =
      o.number("height", d.initial_height, "eV", "initial hill height w0", NumberRange::positive());
  m.bias.bias_temperature =
      o.number("bias_temperature", d.bias_temperature, "K",
               "T + ΔT (must exceed every temperature)", NumberRange::positive());
  m.bias.grid_lower = 0.0;
  m.bias.centre_of_mass_frame = true;  // the replicas' dynamics conserve momentum
  m.bias.grid_upper = o.number("grid_max", d.grid_upper, "Å", "upper end of the bias grid",
                               NumberRange::positive());
  m.bias.grid_spacing =
      o.number("grid_spacing", d.grid_spacing, "Å", "bias grid spacing", NumberRange::positive());
  m.attempt_frequency =
      o.number("nu0", 3e12, "1/s", "attempt frequency ν0 of the TST rate", NumberRange::positive());
  m.attempt_frequency_from = o.choice(
      "attempt_frequency", "nu0", {"nu0", "curvature"},
      "ν0 of the rate: the number nu0, or (1/2π)·sqrt(k/m) from the FES curvature k at the initial "
      "minimum and the tracer's mass m (hop_distance only)");
  m.curvature_window =
      o.number("curvature_window", 0.0, "eV",
               "F range above the initial minimum fitted for the curvature (0: k_B T)",
               NumberRange::non_negative());
  m.snapshot_stride = o.integer("snapshot_stride", 0, "steps",
                                "steps between kept configurations of each tracer, for the "
                                "inherent structure before its event (0: pace)",
                                IntegerRange::non_negative());
  m.snapshot_history = o.integer("snapshot_history", 50, "",
                                 "configurations kept per tracer until its event (oldest dropped)",
                                 IntegerRange::positive());
  m.stop_after_first_event = o.boolean(
      "stop_after_first_event", false,
      "freeze a tracer's replica (no motion, no hills) once its first event is confirmed");
  m.event_dwell =
      o.number("event_dwell", 1.0, "ps", "time the CV must stay beyond the saddle for an event",
               NumberRange::non_negative());
  m.event_prominence =
      o.number("event_prominence", 0.0, "eV",
               "barrier detection hysteresis on the FES (0: 2 k_B T)", NumberRange::non_negative());
  m.velocity_seed = o.integer("velocity_seed", 1, "",
                              "Maxwell–Boltzmann seed; replica r uses seed + its tracer's atom id",
                              IntegerRange::non_negative());
  InputObject minimize = o.object("minimize", "FIRE inherent structures (copies of the replicas)");
  m.minimize_ftol =
      minimize.number("ftol", 1e-3, "eV/Å", "max atomic force tolerance", NumberRange::positive());
  m.minimize_max_iterations =
      minimize.integer("max_iterations", 5000, "", "FIRE step cap", IntegerRange::positive());
  InputObject transmission =
      o.object("transmission",
               "recrossing correction of each event's rate: reactive-flux shots from the saddle of "
               "its FES (cv/transmission_coefficient.hpp)");
  const ReactiveFluxSettings f;
  m.transmission.shots = static_cast<int>(
      transmission.integer("shots", 0, "", "shots per tracer with an event (0: no correction)",
                           IntegerRange::non_negative()));
  m.transmission.restraint_stiffness =
      transmission.number("restraint", f.restraint_stiffness, "eV/Å²",
                          "harmonic restraint holding the sampling chain on the saddle surface",
                          NumberRange::positive());
  m.transmission.equilibration_steps =
      transmission.integer("equilibration_steps", f.equilibration_steps, "steps",
                           "restrained steps before the first shot", IntegerRange::non_negative());
  m.transmission.decorrelation_steps =
      transmission.integer("decorrelation_steps", f.decorrelation_steps, "steps",
                           "restrained steps between shots", IntegerRange::positive());
  m.transmission.max_shot_time = transmission.number(
      "max_shot_time", f.max_shot_time, "ps",
      "a forward shot not committed to either side by then is undecided", NumberRange::positive());
  if (m.transmission.shots > 0 && !(m.event_dwell > 0.0))
    throw o.error("event_dwell",
                  "must be positive with transmission.shots > 0: a shot commits to a side by "
                  "staying there for event_dwell");
  if (m.transmission.shots > 0 && !(m.transmission.max_shot_time > m.event_dwell))
    throw transmission.error("max_shot_time",
                             "must exceed metad.event_dwell, the time a shot needs to commit");
  for (int r = 0; r < n; ++r)
    if (m.bias.bias_temperature <= m.temperature[r])
      throw o.error("bias_temperature",
                    "must exceed the temperature of every replica (T + ΔT > T)");
  if (m.bias.grid_spacing >= m.bias.grid_upper)
    throw o.error("grid_spacing", "must be smaller than grid_max");
  if (m.attempt_frequency_from == "curvature" && m.cv != "hop_distance")
    throw o.error("attempt_frequency",
                  "\"curvature\" needs cv \"hop_distance\" (the effective mass of a cluster RMSD "
                  "is not defined); use \"nu0\"");
  if (m.snapshot_stride == 0)
    m.snapshot_stride = m.bias.pace;
}

std::vector<std::array<double, 3>> replica_positions(const BatchSnapshot& s, int r) {
  std::vector<std::array<double, 3>> x(s.n_atoms);
  for (int i = 0; i < s.n_atoms; ++i) {
    const size_t g = static_cast<size_t>(r) * s.n_atoms + i;
    x[i] = {s.positions[3 * g], s.positions[3 * g + 1], s.positions[3 * g + 2]};
  }
  return x;
}

// One replica's configuration at a step (for inherent structures).
struct ReplicaConfiguration {
  int64_t step = -1;  // −1: none
  Box box;
  std::vector<double> positions;  // [i*3 + k]
  std::vector<int> images;        // [i*3 + k]
};

ReplicaConfiguration replica_configuration(const BatchSnapshot& s, int r, int64_t step) {
  ReplicaConfiguration c;
  c.step = step;
  c.box = s.boxes[r];
  const size_t first = static_cast<size_t>(r) * s.n_atoms * 3;
  c.positions.assign(s.positions.begin() + first, s.positions.begin() + first + 3 * s.n_atoms);
  c.images.assign(s.images.begin() + first, s.images.begin() + first + 3 * s.n_atoms);
  return c;
}

// Per tracer, what the run collects.
struct TracerRecord {
  int atom = 0;  // replica-local index
  int64_t atom_id = 0;
  std::string species;
  double mass = 0.0;  // amu
  std::vector<int64_t> cv_steps;
  std::vector<double> cv_times, cv_values, bias_values;
  bool stopped = false;
  bool left_grid = false;  // stopped because its CV left the bias grid
  bool confirmed_online = false;
  int64_t confirmed_step = -1;
  // Configurations kept every snapshot_stride steps until the event is confirmed (then cleared).
  std::deque<ReplicaConfiguration> history;
  ReplicaConfiguration before, after;  // chosen for the inherent structures
  std::string before_source = "none";
};

// The step at which the event of `sample` started: the last CV sample before it (the last one
// on the initial side of the saddle; detect_first_event's sample is the first one beyond it that
// stays there), or the first sample.
int64_t event_start_step(const TracerRecord& t, size_t sample) {
  return t.cv_steps[sample > 0 ? sample - 1 : 0];
}

// The kept configuration for the inherent structure before an event that started at `start`:
// the last one taken at or before it; if the history no longer reaches back that far (more than
// snapshot_history were taken since), the oldest one kept.
void choose_before(TracerRecord& t, int64_t start) {
  for (auto it = t.history.rbegin(); it != t.history.rend(); ++it)
    if (it->step <= start) {
      t.before = *it;
      t.before_source = "snapshot";
      return;
    }
  if (!t.history.empty()) {
    t.before = t.history.front();
    t.before_source = "oldest_kept_snapshot";
  }
}

// Configurations as a snapshot of their own (one replica each), with replica `replica[c]`'s
// elements and ids from `like`, for minimize_copies.
BatchSnapshot configurations_snapshot(const std::vector<const ReplicaConfiguration*>& configs,
                                      const std::vector<int>& replica, const BatchSnapshot& like) {
  BatchSnapshot s;
  s.n_replicas = static_cast<int>(configs.size());
  s.n_atoms = like.n_atoms;
  const size_t n = static_cast<size_t>(like.n_atoms);
  for (size_t c = 0; c < configs.size(); ++c) {
    s.boxes.push_back(configs[c]->box);
    s.positions.insert(s.positions.end(), configs[c]->positions.begin(),
                       configs[c]->positions.end());
    s.images.insert(s.images.end(), configs[c]->images.begin(), configs[c]->images.end());
    const size_t first = static_cast<size_t>(replica[c]) * n;
    s.elements.insert(s.elements.end(), like.elements.begin() + first,
                      like.elements.begin() + first + n);
    s.ids.insert(s.ids.end(), like.ids.begin() + first, like.ids.begin() + first + n);
  }
  s.velocities.assign(s.positions.size(), 0.0);
  s.forces.assign(s.positions.size(), 0.0);
  s.potential_energy.assign(configs.size(), 0.0);
  s.virial.assign(6 * configs.size(), 0.0);
  return s;
}

// Checkpoint entries of a list of configurations under `prefix`.
void save_configurations(Checkpoint& c, const std::string& prefix,
                         const std::vector<const ReplicaConfiguration*>& configs) {
  std::vector<int64_t> steps, images;
  std::vector<double> positions, boxes;
  for (const ReplicaConfiguration* config : configs) {
    steps.push_back(config->step);
    positions.insert(positions.end(), config->positions.begin(), config->positions.end());
    images.insert(images.end(), config->images.begin(), config->images.end());
    const auto b = box_values(config->box);
    boxes.insert(boxes.end(), b.begin(), b.end());
  }
  c.set(prefix + "/steps", steps);
  c.set(prefix + "/positions", positions);
  c.set(prefix + "/images", images);
  c.set(prefix + "/boxes", boxes);
}

std::vector<ReplicaConfiguration> load_configurations(const Checkpoint& c,
                                                      const std::string& prefix, int n_atoms) {
  const auto& steps = c.int64s(prefix + "/steps");
  const auto& positions = c.doubles(prefix + "/positions");
  const auto& images = c.int64s(prefix + "/images");
  const auto& boxes = c.doubles(prefix + "/boxes");
  const size_t per = 3 * static_cast<size_t>(n_atoms);
  if (positions.size() != steps.size() * per || images.size() != steps.size() * per ||
      boxes.size() != steps.size() * 9)
    throw InputError(c.source() + ": " + prefix + " does not match this run's atoms");
  std::vector<ReplicaConfiguration> configs(steps.size());
  for (size_t k = 0; k < steps.size(); ++k) {
    configs[k].step = steps[k];
    configs[k].box = box_from_values(&boxes[9 * k]);
    configs[k].positions.assign(positions.begin() + k * per, positions.begin() + (k + 1) * per);
    configs[k].images.assign(images.begin() + k * per, images.begin() + (k + 1) * per);
  }
  return configs;
}

MinimizeSettings fire_settings(int n_replicas, const MetadInput& m) {
  MinimizeSettings s;
  s.method = "fire";
  s.force_norm = ForceNorm::max_atom;
  s.etol.assign(n_replicas, 0.0);
  s.ftol.assign(n_replicas, m.minimize_ftol);
  s.max_iterations.assign(n_replicas, m.minimize_max_iterations);
  s.max_evaluations.assign(n_replicas, 10 * m.minimize_max_iterations);
  return s;
}

nlohmann::ordered_json null_or(bool valid, double value) {
  return valid && std::isfinite(value) ? nlohmann::ordered_json(value)
                                       : nlohmann::ordered_json(nullptr);
}

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  if (!in)
    throw std::runtime_error("cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// CV definitions (as anchored) in a checkpoint: cv/replica_NNNN/{kind, atoms, reference}.
void save_cv_definitions(Checkpoint& c, const std::vector<CvDefinition>& definitions) {
  for (size_t r = 0; r < definitions.size(); ++r) {
    char name[64];
    std::snprintf(name, sizeof name, "cv/replica_%04zu", r);
    const CvDefinition& d = definitions[r];
    c.set_int64(std::string(name) + "/kind", d.kind);
    c.set(std::string(name) + "/atoms", std::vector<int64_t>(d.atoms.begin(), d.atoms.end()));
    std::vector<double> reference;
    for (const auto& x : d.reference)
      reference.insert(reference.end(), x.begin(), x.end());
    c.set(std::string(name) + "/reference", reference);
  }
}

std::vector<CvDefinition> load_cv_definitions(const Checkpoint& c, const std::string& path, int n) {
  std::vector<CvDefinition> definitions;
  for (int r = 0; r < n; ++r) {
    char name[64];
    std::snprintf(name, sizeof name, "cv/replica_%04d", r);
    const std::string prefix = name;
    CvDefinition d;
    d.kind = static_cast<int>(c.get_int64(prefix + "/kind"));
    for (int64_t a : c.int64s(prefix + "/atoms"))
      d.atoms.push_back(static_cast<int>(a));
    const auto& ref = c.doubles(prefix + "/reference");
    if (ref.size() != 3 * d.atoms.size())
      throw InputError(path + ": " + prefix + "/reference does not match its atoms");
    for (size_t a = 0; a < d.atoms.size(); ++a)
      d.reference.push_back({ref[3 * a], ref[3 * a + 1], ref[3 * a + 2]});
    definitions.push_back(d);
  }
  return definitions;
}

// The recrossing stage's job, all a restart needs besides the batch: per tracer its CV, the
// dividing surface of its event (undefined without one), its TST rate and its seed.
struct TransmissionJob {
  int64_t biased_steps = 0;  // of the sampling, for the final printout
  std::vector<CvDefinition> cvs;
  std::vector<DividingSurface> surfaces;
  std::vector<double> rates;  // s⁻¹, NaN without an event
  std::vector<uint64_t> seeds;
};

void save_transmission_job(Checkpoint& c, const TransmissionJob& job) {
  c.set_int64("job/biased_steps", job.biased_steps);
  save_cv_definitions(c, job.cvs);
  std::vector<int64_t> defined, direction;
  std::vector<double> position;
  for (const DividingSurface& d : job.surfaces) {
    defined.push_back(d.defined ? 1 : 0);
    direction.push_back(d.direction);
    position.push_back(d.position);
  }
  c.set("job/surface_defined", defined);
  c.set("job/surface_direction", direction);
  c.set("job/surface_position", position);
  c.set("job/rates", job.rates);
  c.set("job/seeds", job.seeds);
}

TransmissionJob load_transmission_job(const Checkpoint& c, const std::string& path, int n) {
  TransmissionJob job;
  job.biased_steps = c.get_int64("job/biased_steps");
  job.cvs = load_cv_definitions(c, path, n);
  const auto& defined = c.int64s("job/surface_defined");
  const auto& direction = c.int64s("job/surface_direction");
  const auto& position = c.doubles("job/surface_position");
  job.rates = c.doubles("job/rates");
  job.seeds = c.uint64s("job/seeds");
  const size_t size = static_cast<size_t>(n);
  if (defined.size() != size || direction.size() != size || position.size() != size ||
      job.rates.size() != size || job.seeds.size() != size)
    throw InputError(path + ": job/ does not hold one entry per tracer of this input");
  for (int r = 0; r < n; ++r)
    job.surfaces.push_back({defined[r] != 0, position[r], static_cast<int>(direction[r])});
  return job;
}

// Reactive-flux shots from every event's saddle (cv/transmission_coefficient.hpp), all tracers
// in one batch; the batch holds each tracer's starting configuration, or, with `resume`, the
// chains' state saved in that checkpoint. With checkpoints on (output.checkpoint_stride > 0)
// transmission_checkpoint.h5 is written at the start and after every round; --restart resumes
// from it bitwise. At the end κ and κ·rate go into results.h5 and summary.json; returns the
// summary as written.
nlohmann::ordered_json run_transmission_stage(TaskSystem& system, const MetadInput& m,
                                              const OutputSettings& out, const TransmissionJob& job,
                                              const Checkpoint* resume) {
  Batch& batch = system.batch;
  const int n = batch.n_replicas;
  const std::string path = (fs::path(out.directory) / "transmission_checkpoint.h5").string();
  ShootingDynamics dynamics;
  dynamics.integrator.timestep = m.timestep;
  dynamics.integrator.ensemble = Ensemble::nvt_nose_hoover;  // the sampling's, without the bias
  dynamics.temperature = m.temperature;
  dynamics.thermostat_tau = m.thermostat_tau;
  dynamics.seeds = job.seeds;
  ReactiveFluxSettings flux = m.transmission;
  flux.commitment_time = m.event_dwell;    // the event rule of the tracers and of MD counts
  flux.sample_stride = out.thermo_stride;  // the stride of the CV series events are found on
  flux.grid_lower = m.bias.grid_lower;
  flux.grid_upper = m.bias.grid_upper;
  flux.grid_spacing = m.bias.grid_spacing;
  flux.centre_of_mass_frame = m.bias.centre_of_mass_frame;

  auto write_checkpoint = [&](const ReactiveFluxProgress* progress) {
    Checkpoint c;
    c.set_metadata({{"task", "metad_transmission"}});
    c.set_int64("run/n_replicas", n);
    c.set_int64("run/n_atoms", batch.n_atoms);
    save_batch(c, batch);
    save_transmission_job(c, job);
    c.set_int64("shots/done", progress != nullptr ? progress->shots_done : 0);
    if (progress != nullptr) {
      save_integrator_state(c, progress->chain_state);
      for (int r = 0; r < n; ++r) {
        char name[64];
        std::snprintf(name, sizeof name, "shots/replica_%04d", r);
        c.set(std::string(name) + "/flux_weights", progress->estimates[r].flux_weights);
        const auto& o = progress->estimates[r].outcomes;
        c.set(std::string(name) + "/outcomes", std::vector<int64_t>(o.begin(), o.end()));
      }
    }
    c.write(path);
  };

  // Resuming: the chains' integrator state and the shots so far (a checkpoint written before the
  // first round holds only the starting configurations: the stage starts afresh from them).
  ReactiveFluxProgress saved;
  MdIntegrator saved_chain(n, batch.n_atoms, dynamics.integrator);
  const bool resuming = resume != nullptr && resume->get_int64("shots/done") > 0;
  if (resuming) {
    saved.shots_done = static_cast<int>(resume->get_int64("shots/done"));
    load_integrator_state(*resume, saved_chain.state());
    saved.chain_state = saved_chain.state();
    saved.estimates.resize(n);
    for (int r = 0; r < n; ++r) {
      char name[64];
      std::snprintf(name, sizeof name, "shots/replica_%04d", r);
      saved.estimates[r].flux_weights = resume->doubles(std::string(name) + "/flux_weights");
      for (int64_t o : resume->int64s(std::string(name) + "/outcomes"))
        saved.estimates[r].outcomes.push_back(static_cast<int>(o));
    }
  } else if (out.checkpoint_stride > 0) {
    write_checkpoint(nullptr);
  }

  Progress progress("metad transmission", flux.shots, 0, out.progress_interval, out.quiet,
                    "shot round");
  const std::vector<TransmissionEstimate> estimates = estimate_transmission_coefficients(
      batch, [&] { return make_eam_term(system.potential, system.neighbor_skin); }, job.cvs,
      job.surfaces, dynamics, flux,
      [&](const ReactiveFluxProgress& now) {
        progress.update(now.shots_done);
        if (out.checkpoint_stride > 0 && now.shots_done < flux.shots)
          write_checkpoint(&now);
      },
      resuming ? &saved : nullptr);
  progress.finish(flux.shots);

  // Results: results.h5 per tracer, and summary.json's tracers.
  const std::string summary_path = (fs::path(out.directory) / "summary.json").string();
  nlohmann::ordered_json summary = nlohmann::ordered_json::parse(read_text(summary_path));
  hdf5::File file = hdf5::File::open_read_write((fs::path(out.directory) / "results.h5").string());
  for (int r = 0; r < n; ++r) {
    const TransmissionEstimate& e = estimates[r];
    const double corrected = e.computed ? e.kappa * job.rates[r] : NAN;
    char name[64];
    std::snprintf(name, sizeof name, "tracers/tracer_%04d", r);
    const hdf5::Group g = file.group(name);
    g.write("transmission/computed", std::vector<int>{e.computed ? 1 : 0});
    g.write("transmission/surface_s",
            std::vector<double>{job.surfaces[r].defined ? job.surfaces[r].position : NAN});
    g.write("transmission/direction", std::vector<int>{job.surfaces[r].direction});
    g.write("transmission/kappa", std::vector<double>{e.computed ? e.kappa : NAN});
    g.write("transmission/standard_error",
            std::vector<double>{e.computed ? e.standard_error : NAN});
    g.write("transmission/flux_weights", e.flux_weights);
    g.write("transmission/outcomes", e.outcomes);
    g.write("rate_recrossing_corrected_per_s", std::vector<double>{corrected});
    auto& entry = summary["tracers"][r];
    entry["transmission_coefficient"] = null_or(e.computed, e.kappa);
    entry["transmission_standard_error"] = null_or(e.computed, e.standard_error);
    entry["transmission_shots"] = e.shots;
    entry["rate_recrossing_corrected_per_s"] = null_or(e.computed, corrected);
  }
  file.close();
  write_file_atomically(summary_path, summary.dump(2) + "\n");
  fs::remove(path);
  return summary;
}

// The per-tracer table of summary.json on stderr.
void print_summary(const nlohmann::ordered_json& summary, int64_t biased_steps,
                   const std::string& directory) {
  // A number with `decimals` decimals, or "-" where the summary has null (no event).
  const auto shown = [](const nlohmann::ordered_json& value, int decimals) {
    if (!value.is_number())
      return std::string("-");
    char text[32];
    std::snprintf(text, sizeof text, "%.*f", decimals, value.get<double>());
    return std::string(text);
  };
  const auto& tracers = summary["tracers"];
  std::fprintf(stderr, "metad: %zu tracers at %s K, %lld biased steps\n", tracers.size(),
               summary["temperature_K"].dump().c_str(), static_cast<long long>(biased_steps));
  const bool with_kappa = !tracers.empty() && tracers[0].contains("transmission_coefficient");
  std::fprintf(stderr, "      atom el  event    ΔG (eV)    a (Å)  |Δr| (Å)%s\n",
               with_kappa ? "  κ (transmission)" : "");
  for (const auto& t : tracers) {
    std::string kappa;
    if (with_kappa && t["transmission_coefficient"].is_number())
      // No reactive shot: the delta-method error is 0, the count says more.
      kappa = t["transmission_coefficient"].get<double>() > 0.0
                  ? "  " + shown(t["transmission_coefficient"], 4) + " ± " +
                        shown(t["transmission_standard_error"], 4)
                  : "  0 (no reactive shot of " + t["transmission_shots"].dump() + ")";
    std::fprintf(stderr, "  %8lld %-3s %-5s %10s %8s %9s%s\n",
                 static_cast<long long>(t["atom_id"].get<int64_t>()),
                 t["species"].get<std::string>().c_str(), t["event_found"] ? "yes" : "no",
                 shown(t["barrier_eV"], 4).c_str(), shown(t["hop_distance_A"], 2).c_str(),
                 shown(t["collective_displacement_A"], 2).c_str(), kappa.c_str());
  }
  if (summary["barrier_parallel_eV"].is_number())
    std::fprintf(stderr, "  effective barriers: parallel %s eV, sequential %s eV\n",
                 shown(summary["barrier_parallel_eV"], 4).c_str(),
                 shown(summary["barrier_sequential_eV"], 4).c_str());
  else
    std::fprintf(stderr, "  effective barriers: none (no tracer had an event)\n");
  std::fprintf(stderr, "  results in %s\n", directory.c_str());
}

}  // namespace

void run_metad_task(InputObject& input, const RunOptions& options) {
  InputObject metad = input.object("metad", required, "well-tempered metadynamics settings");
  InputObject tracer_section = metad.object("tracers", "which atoms are tracers");
  MetadInput m;
  m.tracers = read_tracer_choice(tracer_section);
  const int64_t requested = !m.tracers.atom_ids.empty()
                                ? static_cast<int64_t>(m.tracers.atom_ids.size())
                                : m.tracers.count;
  auto system = read_task_system(input, requested > 0 ? static_cast<int>(requested) : 1);
  Batch& batch = system->batch;
  const int n = batch.n_replicas;
  if (m.tracers.count > 0 && m.tracers.count != n)
    throw tracer_section.error("count", "must equal the number of replicas (" + std::to_string(n) +
                                            "): one replica per tracer");
  if (!m.tracers.atom_ids.empty() && static_cast<int>(m.tracers.atom_ids.size()) != n)
    throw tracer_section.error("atom_ids", "needs one id per replica (" + std::to_string(n) + ")");
  read_metad_settings(metad, n, m);
  OutputSettings out = read_output_settings(input, "metad_output");
  if (options.quiet)
    out.quiet = true;
  input.finish();

  fs::create_directories(out.directory);
  std::ofstream(fs::path(out.directory) / "effective_input.json")
      << input.effective_configuration().dump(2) << "\n";
  const std::string checkpoint_path = (fs::path(out.directory) / "checkpoint.h5").string();
  // A run killed in its recrossing stage: sampling and its outputs are complete; the stage
  // resumes from its own checkpoint.
  const std::string stage_path = (fs::path(out.directory) / "transmission_checkpoint.h5").string();
  if (options.restart && fs::exists(stage_path)) {
    const Checkpoint c = Checkpoint::read(stage_path);
    if (c.metadata().value("task", "") != "metad_transmission")
      throw InputError(stage_path + ": not a checkpoint of a metad transmission stage");
    if (c.get_int64("run/n_replicas") != n || c.get_int64("run/n_atoms") != batch.n_atoms)
      throw InputError(stage_path +
                       ": written for another system (replicas or atoms differ from this input); "
                       "remove it to start afresh");
    load_batch(c, batch);
    const TransmissionJob job = load_transmission_job(c, stage_path, n);
    if (!out.quiet)
      std::fprintf(stderr, "metad: resuming the transmission stage from %s (%lld shots done)\n",
                   stage_path.c_str(), static_cast<long long>(c.get_int64("shots/done")));
    nlohmann::ordered_json summary;
    try {
      summary = run_transmission_stage(*system, m, out, job, &c);
    } catch (const std::invalid_argument& e) {
      throw InputError(stage_path + ": " + e.what() +
                       " (was the input changed?); remove it and run without --restart");
    }
    if (!out.quiet)
      print_summary(summary, job.biased_steps, out.directory);
    return;
  }
  const bool resume = options.restart && fs::exists(checkpoint_path);
  if (options.restart && !resume && !out.quiet)
    std::fprintf(stderr, "metad: no checkpoint in %s yet; starting from the beginning\n",
                 out.directory.c_str());

  // --- tracers (from replica 0's atom list; every replica has the same atoms in the same order)
  BatchSnapshot initial = snapshot(batch);
  const int n_atoms = batch.n_atoms;
  std::vector<TracerRecord> tracers(n);
  if (!m.tracers.atom_ids.empty()) {
    for (int r = 0; r < n; ++r) {
      const auto begin = initial.ids.begin() + static_cast<ptrdiff_t>(r) * n_atoms;
      const auto it = std::find(begin, begin + n_atoms, m.tracers.atom_ids[r]);
      if (it == begin + n_atoms)
        throw tracer_section.error("atom_ids", "atom id " + std::to_string(m.tracers.atom_ids[r]) +
                                                   " is not in replica " + std::to_string(r));
      tracers[r].atom = static_cast<int>(it - begin);
    }
  } else {
    std::vector<int> allowed;
    const bool any = m.tracers.species.size() == 1 && m.tracers.species[0] == "any";
    if (!any)
      for (const auto& name : m.tracers.species) {
        const auto& el = system->potential.elements;
        const auto it = std::find(el.begin(), el.end(), name);
        if (it == el.end())
          throw tracer_section.error("species", "unknown element \"" + name + "\"");
        allowed.push_back(static_cast<int>(it - el.begin()));
      }
    const std::vector<int> elements(initial.elements.begin(), initial.elements.begin() + n_atoms);
    std::vector<int> chosen;
    try {
      chosen = select_tracer_atoms(elements, allowed, n, static_cast<uint64_t>(m.tracers.seed));
    } catch (const std::invalid_argument& e) {
      throw tracer_section.error("species", e.what());
    }
    for (int r = 0; r < n; ++r)
      tracers[r].atom = chosen[r];
  }
  for (int r = 0; r < n; ++r) {
    const size_t g = static_cast<size_t>(r) * n_atoms + tracers[r].atom;
    tracers[r].atom_id = initial.ids[g];
    tracers[r].species = system->potential.elements[initial.elements[g]];
    tracers[r].mass = system->potential.masses[initial.elements[g]];
  }

  std::vector<TemperatureScheduleSpec> schedules;
  for (int r = 0; r < n; ++r)
    schedules.push_back(TemperatureScheduleSpec::constant(m.temperature[r]));

  int64_t step = 0;
  int segment = 0;
  std::vector<CvDefinition> definitions;
  std::unique_ptr<Checkpoint> checkpoint;
  if (resume) {
    checkpoint = std::make_unique<Checkpoint>(Checkpoint::read(checkpoint_path));
    if (checkpoint->metadata().value("task", "") != "metad")
      throw InputError(checkpoint_path + ": not a checkpoint of a metad task");
    if (checkpoint->get_int64("run/n_replicas") != n ||
        checkpoint->get_int64("run/n_atoms") != n_atoms)
      throw InputError(checkpoint_path +
                       ": written for another system (replicas or atoms differ "
                       "from this input); remove it to start afresh");
    load_batch(*checkpoint, batch);
    step = checkpoint->get_int64("run/step");
    segment = static_cast<int>(checkpoint->get_int64("run/next_segment"));
    // CV definitions as anchored at the start of sampling (not re-anchored: the references of
    // the uninterrupted run).
    definitions = load_cv_definitions(*checkpoint, checkpoint_path, n);
    if (!out.quiet)
      std::fprintf(stderr, "metad: restarting from %s at step %lld\n", checkpoint_path.c_str(),
                   static_cast<long long>(step));
  } else {
    // --- velocities: seed + tracer atom id, so a tracer's run does not depend on its batch slot.
    {
      ReplicaScalars temperature("metad::temperature", n);
      ReplicaSeeds seeds("metad::seeds", n);
      auto th = Kokkos::create_mirror_view(temperature);
      auto sh = Kokkos::create_mirror_view(seeds);
      for (int r = 0; r < n; ++r) {
        th(r) = m.temperature[r];
        sh(r) = static_cast<uint64_t>(m.velocity_seed) + static_cast<uint64_t>(tracers[r].atom_id);
      }
      Kokkos::deep_copy(temperature, th);
      Kokkos::deep_copy(seeds, sh);
      create_maxwell_boltzmann_velocities(batch, temperature, seeds);
    }

    // --- NPT equilibration without bias (SPEC.md §5: sampling in NVT after NPT equilibration).
    if (m.equilibration_steps > 0) {
      IntegratorSettings npt;
      npt.timestep = m.timestep;
      npt.ensemble = Ensemble::npt;
      MdIntegrator equilibrate(n, n_atoms, npt);
      equilibrate.set_temperature_schedules(schedules);
      equilibrate.set_thermostat_damping(m.thermostat_tau);
      std::vector<std::array<double, 6>> target(n);
      for (int r = 0; r < n; ++r)
        target[r] = {m.pressure[r], m.pressure[r], m.pressure[r], 0, 0, 0};
      equilibrate.set_barostat(m.barostat_tau, target);
      equilibrate.reset_state();
      equilibrate.setup(batch, system->force_field);
      // Its thermo (volume, pressure: has it converged?) and frames, with the output's strides,
      // to equilibration.h5 (steps counted from its start). Not checkpointed: a run killed
      // here repeats the equilibration, and start_segment(0) drops the parts it left.
      SegmentedResults record_equilibration =
          SegmentedResults::for_batch(out, batch, input.effective_configuration(), "equilibration");
      record_equilibration.start_segment(0);
      MdRecorder recorder(out, m.timestep, n);
      recorder.record(0, batch, equilibrate, record_equilibration);
      Progress progress("metad equilibration", m.equilibration_steps,
                        static_cast<int64_t>(n) * n_atoms, out.progress_interval, out.quiet);
      for (int64_t s = 1; s <= m.equilibration_steps; ++s) {
        equilibrate.step(batch, system->force_field, {}, s % out.thermo_stride == 0);
        recorder.record(s, batch, equilibrate, record_equilibration);
        progress.update(s);
      }
      progress.finish(m.equilibration_steps);
      record_equilibration.merge();
    }

    // --- CVs defined at the start of sampling.
    const BatchSnapshot start = snapshot(batch);
    for (int r = 0; r < n; ++r) {
      const auto x = replica_positions(start, r);
      if (m.cv == "hop_distance")
        definitions.push_back(hop_distance_definition(tracers[r].atom, x[tracers[r].atom]));
      else
        definitions.push_back(cluster_rmsd_definition(
            select_cluster(x, start.boxes[r], tracers[r].atom, m.cluster_cutoff), x,
            start.boxes[r]));
    }
  }
  MetadynamicsBias bias(CvSet(definitions), {m.bias}, m.temperature);
  bias.cvs().check_against(batch);
  if (!resume)
    bias.cvs().anchor_references(batch);

  system->force_field.reset();
  system->force_field.add_term(bias.make_force_term());

  IntegratorSettings nvt;
  nvt.timestep = m.timestep;
  nvt.ensemble = Ensemble::nvt_nose_hoover;
  MdIntegrator integrator(n, n_atoms, nvt);
  integrator.set_temperature_schedules(schedules);
  integrator.set_thermostat_damping(m.thermostat_tau);
  integrator.reset_state();

  std::vector<int> active_host(n, 1);
  int n_stopped = 0;
  if (resume) {
    const Checkpoint& c = *checkpoint;
    load_integrator_state(c, integrator.state());
    {
      const auto& e = c.doubles("metad/potential_energy");
      const auto& w = c.doubles("metad/virial");
      if (e.size() != static_cast<size_t>(n) || w.size() != 6 * static_cast<size_t>(n))
        throw InputError(checkpoint_path + ": metad/potential_energy does not match this run");
      auto energy = Kokkos::create_mirror_view(batch.potential_energy);
      auto virial = Kokkos::create_mirror_view(batch.virial);
      for (int r = 0; r < n; ++r) {
        energy(r) = e[r];
        for (int k = 0; k < 6; ++k)
          virial(r, k) = w[6 * r + k];
      }
      Kokkos::deep_copy(batch.potential_energy, energy);
      Kokkos::deep_copy(batch.virial, virial);
    }
    std::vector<std::vector<Hill>> hills(n);
    std::vector<std::vector<double>> values(n), derivatives(n);
    const auto& flags = c.int64s("tracers/flags");
    if (flags.size() != 3 * static_cast<size_t>(n))
      throw InputError(checkpoint_path + ": tracers/flags does not match this run's tracers");
    for (int r = 0; r < n; ++r) {
      char name[64];
      std::snprintf(name, sizeof name, "tracer_%04d", r);
      const std::string prefix = name;
      const auto& hill_steps = c.int64s(prefix + "/hills/step");
      const auto& hill_values = c.doubles(prefix + "/hills/values");
      if (hill_values.size() != 5 * hill_steps.size())
        throw InputError(checkpoint_path + ": " + prefix + "/hills is inconsistent");
      for (size_t h = 0; h < hill_steps.size(); ++h) {
        Hill hill;
        hill.step = hill_steps[h];
        hill.time = hill_values[5 * h];
        hill.center = hill_values[5 * h + 1];
        hill.sigma = hill_values[5 * h + 2];
        hill.height = hill_values[5 * h + 3];
        hill.bias_factor = hill_values[5 * h + 4];
        hills[r].push_back(hill);
      }
      values[r] = c.doubles(prefix + "/grid/value");
      derivatives[r] = c.doubles(prefix + "/grid/derivative");
      TracerRecord& t = tracers[r];
      t.cv_steps = c.int64s(prefix + "/cv/step");
      t.cv_times = c.doubles(prefix + "/cv/time");
      t.cv_values = c.doubles(prefix + "/cv/value");
      t.bias_values = c.doubles(prefix + "/bias/value");
      t.stopped = flags[3 * r] != 0;
      t.confirmed_online = flags[3 * r + 1] != 0;
      t.confirmed_step = flags[3 * r + 2];
      // Only two things stop a tracer: its confirmed event (stop_after_first_event) or its CV
      // leaving the grid.
      t.left_grid = t.stopped && !(t.confirmed_online && m.stop_after_first_event);
      for (auto& config : load_configurations(c, prefix + "/history", n_atoms))
        t.history.push_back(std::move(config));
      auto before = load_configurations(c, prefix + "/before", n_atoms);
      if (!before.empty())
        t.before = before[0];
      auto after = load_configurations(c, prefix + "/after", n_atoms);
      if (!after.empty())
        t.after = after[0];
      t.before_source = c.strings(prefix + "/before_source").at(0);
      if (t.stopped) {
        active_host[r] = 0;
        ++n_stopped;
      }
    }
    try {
      bias.restore_state(hills, values, derivatives);
    } catch (const std::invalid_argument& e) {
      throw InputError(checkpoint_path + ": " + e.what());
    }
  }

  SegmentedResults results =
      SegmentedResults::for_batch(out, batch, input.effective_configuration());
  results.start_segment(segment);
  Thermo thermo(n);
  FrameStorage frame_storage;
  const double dt = m.timestep;

  ReplicaInts active = make_replica_ints(active_host, "metad::active");
  integrator.setup(batch, system->force_field, active);

  std::vector<double> grid_s = bias.grid_coordinates(0);
  auto analysis_settings = [&](int r) {
    TracerAnalysisSettings a;
    a.temperature = m.temperature[r];
    a.bias_temperature = m.bias.bias_temperature;
    a.attempt_frequency = m.attempt_frequency;
    a.criteria.prominence = m.event_prominence;
    a.criteria.temperature = m.temperature[r];
    a.criteria.dwell_time = m.event_dwell;
    return a;
  };

  auto sample = [&](int64_t s) {
    // CV and bias of every tracer still sampling (thermo_stride), from the force evaluation at
    // this step's positions (energies were requested for it).
    bias.cvs().evaluate(batch);
    const std::vector<double> cv = bias.cvs().values_on_host();
    const std::vector<double> v = bias.bias_energies();
    for (int r = 0; r < n; ++r) {
      if (tracers[r].stopped)
        continue;
      tracers[r].cv_steps.push_back(s);
      tracers[r].cv_times.push_back(s * dt);
      tracers[r].cv_values.push_back(cv[r]);
      tracers[r].bias_values.push_back(v[r]);
    }
    integrator.compute_thermo(batch, thermo);
    results.record_thermo(s, s * dt, thermo_values(batch, thermo));
  };
  // Kept configurations of the tracers still sampling whose event is not yet confirmed (a
  // frozen tracer's copies would only push its earlier ones out of the history).
  auto keeps_configurations = [](const TracerRecord& t) {
    return !t.confirmed_online && !t.stopped;
  };
  auto keep_configurations = [&](int64_t s) {
    if (std::none_of(tracers.begin(), tracers.end(), keeps_configurations))
      return;
    const BatchSnapshot now = snapshot(batch);
    for (int r = 0; r < n; ++r) {
      TracerRecord& t = tracers[r];
      if (!keeps_configurations(t))
        continue;
      t.history.push_back(replica_configuration(now, r, s));
      while (static_cast<int64_t>(t.history.size()) > m.snapshot_history)
        t.history.pop_front();
    }
  };
  if (!resume) {
    sample(0);
    keep_configurations(0);
  }

  auto write_checkpoint = [&]() {
    Checkpoint c;
    c.set_metadata({{"task", "metad"}, {"input", options.input_path}});
    c.set_int64("run/n_replicas", n);
    c.set_int64("run/n_atoms", n_atoms);
    save_batch(c, batch);
    save_integrator_state(c, integrator.state());
    {
      // Energies and virials of the batch: a frozen (stopped) replica is not evaluated again, so
      // its thermo keeps the values of its last evaluation; a restart must start from them too.
      const auto energy =
          Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), batch.potential_energy);
      const auto virial = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), batch.virial);
      std::vector<double> e(n), w(6 * static_cast<size_t>(n));
      for (int r = 0; r < n; ++r) {
        e[r] = energy(r);
        for (int k = 0; k < 6; ++k)
          w[6 * r + k] = virial(r, k);
      }
      c.set("metad/potential_energy", e);
      c.set("metad/virial", w);
    }
    c.set_int64("run/step", step);
    c.set_int64("run/next_segment", segment);
    save_cv_definitions(c, bias.cvs().definitions());
    const auto grid_values = bias.bias_on_grid();
    const auto grid_derivatives = bias.bias_derivative_on_grid();
    std::vector<int64_t> flags;
    for (int r = 0; r < n; ++r) {
      char name[64];
      std::snprintf(name, sizeof name, "tracer_%04d", r);
      const std::string prefix = name;
      std::vector<int64_t> hill_steps;
      std::vector<double> hill_values;
      for (const Hill& h : bias.hills()[r]) {
        hill_steps.push_back(h.step);
        for (double v : {h.time, h.center, h.sigma, h.height, h.bias_factor})
          hill_values.push_back(v);
      }
      c.set(prefix + "/hills/step", hill_steps);
      c.set(prefix + "/hills/values", hill_values);
      c.set(prefix + "/grid/value", grid_values[r]);
      c.set(prefix + "/grid/derivative", grid_derivatives[r]);
      const TracerRecord& t = tracers[r];
      c.set(prefix + "/cv/step", t.cv_steps);
      c.set(prefix + "/cv/time", t.cv_times);
      c.set(prefix + "/cv/value", t.cv_values);
      c.set(prefix + "/bias/value", t.bias_values);
      flags.insert(flags.end(), {t.stopped ? 1 : 0, t.confirmed_online ? 1 : 0, t.confirmed_step});
      std::vector<const ReplicaConfiguration*> history;
      for (const auto& config : t.history)
        history.push_back(&config);
      save_configurations(c, prefix + "/history", history);
      save_configurations(c, prefix + "/before",
                          t.before.step >= 0 ? std::vector<const ReplicaConfiguration*>{&t.before}
                                             : std::vector<const ReplicaConfiguration*>{});
      save_configurations(c, prefix + "/after",
                          t.after.step >= 0 ? std::vector<const ReplicaConfiguration*>{&t.after}
                                            : std::vector<const ReplicaConfiguration*>{});
      c.set(prefix + "/before_source", std::vector<std::string>{t.before_source});
    }
    c.set("tracers/flags", flags);
    c.write(checkpoint_path);
  };

  Progress progress("metad", m.steps, static_cast<int64_t>(n) * n_atoms, out.progress_interval,
                    out.quiet);
  // Freezes tracer r: its replica is no longer integrated, sampled or biased.
  auto stop_tracer = [&](int r) {
    tracers[r].stopped = true;
    active_host[r] = 0;
    ++n_stopped;
  };
  while (step < m.steps && n_stopped < n) {
    ++step;
    const bool thermo_step = step % out.thermo_stride == 0;
    integrator.step(batch, system->force_field, active, thermo_step);
    if (thermo_step)
      sample(step);
    if (out.trajectory_stride > 0 && step % out.trajectory_stride == 0)
      results.record_frame(make_frame(batch, step, step * dt, frame_storage));
    if (step % m.snapshot_stride == 0)
      keep_configurations(step);
    if (bias.deposition_due(step)) {
      // A tracer whose CV has left its bias grid stops here (its bias has been zero since it
      // left): it would otherwise stop the whole batch. The others go on unchanged.
      bool left = false;
      for (const auto& [r, value] : bias.replicas_outside_grid()) {
        TracerRecord& t = tracers[r];
        if (t.stopped)
          continue;
        stop_tracer(r);
        t.left_grid = true;
        left = true;
        std::fprintf(stderr,
                     "metad: tracer %d (atom %lld): its CV reached %.3f Å, beyond metad.grid_max "
                     "= %g Å, by step %lld; its sampling stops there (summary: left_grid). Give "
                     "a larger metad.grid_max to follow it further.\n",
                     r, static_cast<long long>(t.atom_id), value, m.bias.grid_upper,
                     static_cast<long long>(step));
      }
      if (left)
        active = make_replica_ints(active_host, "metad::active");
      bias.deposit(batch, step, step * dt, active);
      // Event check at the deposition meeting point: the first time a tracer's event is
      // confirmed, its configuration is kept for the inherent structure "after", and the last
      // kept configuration before the event's start for the one "before".
      bool changed = false;
      BatchSnapshot now;
      bool have_now = false;
      for (int r = 0; r < n; ++r) {
        TracerRecord& t = tracers[r];
        // A stopped tracer (its event confirmed, or its CV off the grid) has nothing new to
        // analyse; the final analysis looks at it once more.
        if (t.stopped || t.confirmed_online || t.cv_values.empty())
          continue;
        const TracerAnalysis a =
            analyse_tracer(bias.hills()[r], grid_s, t.cv_times, t.cv_values, analysis_settings(r));
        if (!a.event.found)
          continue;
        if (!have_now) {
          now = snapshot(batch);
          have_now = true;
        }
        t.confirmed_online = true;
        t.confirmed_step = step;
        t.after = replica_configuration(now, r, step);
        choose_before(t, event_start_step(t, a.event.sample));
        t.history.clear();
        if (m.stop_after_first_event) {
          stop_tracer(r);
          changed = true;
        }
      }
      if (changed)
        active = make_replica_ints(active_host, "metad::active");
    }
    if (out.checkpoint_stride > 0 && step % out.checkpoint_stride == 0 && step < m.steps &&
        n_stopped < n) {
      // As md: close the results part, checkpoint, then start afresh exactly as a restart would
      // (new neighbour lists, forces recomputed), so restarted runs repeat this one bitwise.
      results.close_segment();
      ++segment;
      write_checkpoint();
      system->force_field.reset();
      integrator.setup(batch, system->force_field, active);
      results.start_segment(segment);
    }
    progress.update(step);
  }
  progress.finish(step);
  const std::string results_path = results.merge();
  // The run is complete: its checkpoint would only point at result parts that no longer exist.
  fs::remove(checkpoint_path);
  const BatchSnapshot end = snapshot(batch);

  // --- per-tracer analysis.
  std::vector<TracerAnalysis> analyses;
  std::vector<std::string> after_sources(n, "none");
  for (int r = 0; r < n; ++r) {
    TracerRecord& t = tracers[r];
    analyses.push_back(
        analyse_tracer(bias.hills()[r], grid_s, t.cv_times, t.cv_values, analysis_settings(r)));
    if (!analyses[r].event.found)
      continue;
    if (t.confirmed_online) {
      after_sources[r] = "confirmation";
    } else {
      // Only the final FES shows the event: the configuration at the end of sampling (still in
      // the new basin by the dwell rule) and the last kept one before the event's start.
      after_sources[r] = "end_of_run";
      t.after = replica_configuration(end, r, step);
      choose_before(t, event_start_step(t, analyses[r].event.sample));
    }
  }

  // --- inherent structures before and after the event, all in one batch of copies.
  std::vector<const ReplicaConfiguration*> configs;
  std::vector<int> config_replica;
  std::vector<int> before_slot(n, -1);
  for (int r = 0; r < n; ++r) {
    if (!analyses[r].event.found || tracers[r].before.step < 0)
      continue;
    before_slot[r] = static_cast<int>(configs.size());
    configs.push_back(&tracers[r].before);
    configs.push_back(&tracers[r].after);
    config_replica.insert(config_replica.end(), {r, r});
  }
  MinimizedCopies structures;
  if (!configs.empty()) {
    std::vector<int> slots(configs.size());
    for (size_t c = 0; c < slots.size(); ++c)
      slots[c] = static_cast<int>(c);
    const BatchSnapshot unminimized = configurations_snapshot(configs, config_replica, initial);
    structures = minimize_copies(*system, unminimized, slots,
                                 fire_settings(static_cast<int>(slots.size()), m));
  }

  // --- outputs.
  nlohmann::ordered_json summary_tracers = nlohmann::ordered_json::array();
  std::vector<double> event_barriers;
  std::vector<double> tracer_rates(n, NAN);  // s⁻¹, for the recrossing stage
  hdf5::File file = hdf5::File::open_read_write(results_path);
  file.write("tracers/grid_s", grid_s);
  for (int r = 0; r < n; ++r) {
    TracerRecord& t = tracers[r];
    const std::vector<Hill>& hills = bias.hills()[r];
    const TracerAnalysis& a = analyses[r];
    const bool found = a.event.found;
    int64_t event_step = -1;
    if (found)
      event_step = t.cv_steps[a.event.sample];
    double displacement = std::numeric_limits<double>::quiet_NaN();
    std::vector<int64_t> moved_ids;
    double nu0 = m.attempt_frequency;
    std::string nu0_from = "nu0";
    double stiffness = std::numeric_limits<double>::quiet_NaN();
    double rate = a.rate;
    if (found && before_slot[r] >= 0) {
      const auto x_before = replica_positions(structures.minimized, before_slot[r]);
      const auto x_after = replica_positions(structures.minimized, before_slot[r] + 1);
      const CollectiveDisplacement cd = collective_displacement(
          x_before, x_after, structures.minimized.boxes[before_slot[r] + 1], 0.5);
      displacement = cd.total;
      for (int i : cd.moved)
        moved_ids.push_back(initial.ids[static_cast<size_t>(r) * n_atoms + i]);
    }
    if (found) {
      if (m.attempt_frequency_from == "curvature") {
        // ν0 = (1/2π) sqrt(k/m) at the initial minimum of the event's transition; the hop
        // distance is the radius of the tracer's 3D displacement (D = 3, see basin_curvature).
        const double window =
            m.curvature_window > 0 ? m.curvature_window : units::kBoltzmann * m.temperature[r];
        const BasinCurvature k = basin_curvature(
            grid_s, a.free_energy, a.event.barrier.initial_minimum, window, 3, m.temperature[r]);
        if (k.valid) {
          stiffness = k.stiffness;
          nu0 = harmonic_attempt_frequency(k.stiffness, t.mass);
          nu0_from = "curvature";
        } else {
          nu0_from = "nu0_fallback";  // too few grid points in the window, or not convex
        }
        rate = transition_rate(a.event.barrier_eV, m.temperature[r], nu0);
      }
      event_barriers.push_back(a.event.barrier_eV);
      tracer_rates[r] = rate;
    }

    char name[64];
    std::snprintf(name, sizeof name, "tracers/tracer_%04d", r);
    const hdf5::Group g = file.create_group(name);
    g.write("atom_id", std::vector<int64_t>{t.atom_id});
    g.write("species", std::vector<std::string>{t.species});
    g.write("cv_atoms", std::vector<int>(definitions[r].atoms));
    std::vector<int64_t> cv_atom_ids;
    for (int i : definitions[r].atoms)
      cv_atom_ids.push_back(initial.ids[static_cast<size_t>(r) * n_atoms + i]);
    g.write("cv_atom_ids", cv_atom_ids);
    g.write("temperature_K", std::vector<double>{m.temperature[r]});
    g.write("event_found", std::vector<int>{found ? 1 : 0});
    g.write("left_grid", std::vector<int>{t.left_grid ? 1 : 0});
    g.write("barrier_eV", std::vector<double>{found ? a.event.barrier_eV : NAN});
    g.write("hop_distance_A", std::vector<double>{found ? a.event.hop_distance : NAN});
    g.write("collective_displacement_A", std::vector<double>{displacement});
    g.write("moved_atoms", moved_ids);
    g.write("event_step", std::vector<int64_t>{event_step});
    g.write("event_confirmed_step", std::vector<int64_t>{t.confirmed_step});
    g.write("after_structure_from", std::vector<std::string>{after_sources[r]});
    g.write("before_structure_from", std::vector<std::string>{found ? t.before_source : "none"});
    g.write("before_structure_step", std::vector<int64_t>{found ? t.before.step : -1});
    g.write("after_structure_step", std::vector<int64_t>{found ? t.after.step : -1});
    if (found && before_slot[r] >= 0) {
      // The configurations and their inherent structures (replica-local atom order), so that
      // |Δr| can be recomputed and the minimisations checked.
      g.write("before_structure/positions", t.before.positions);
      g.write("before_structure/images", t.before.images);
      g.write("after_structure/positions", t.after.positions);
      g.write("after_structure/images", t.after.images);
      for (int side = 0; side < 2; ++side) {
        const int slot = before_slot[r] + side;
        const size_t first = static_cast<size_t>(slot) * n_atoms * 3;
        const std::string prefix = side == 0 ? "before_structure/" : "after_structure/";
        g.write(prefix + "minimized_positions",
                std::vector<double>(structures.minimized.positions.begin() + first,
                                    structures.minimized.positions.begin() + first + 3 * n_atoms));
        g.write(prefix + "box", box_values(structures.minimized.boxes[slot]));
      }
    }
    g.write("attempt_frequency_per_s", std::vector<double>{found ? nu0 : NAN});
    g.write("attempt_frequency_from", std::vector<std::string>{found ? nu0_from : "none"});
    g.write("curvature_eV_per_A2", std::vector<double>{stiffness});
    g.write("rate_per_s", std::vector<double>{found ? rate : NAN});
    g.write("fes/s", grid_s);
    g.write("fes/F", a.free_energy);
    const size_t every = std::max<size_t>(1, hills.size() / 20);
    const auto history =
        fes_history(hills, grid_s, m.temperature[r], m.bias.bias_temperature, every);
    std::vector<double> history_f;
    std::vector<int64_t> history_steps;
    for (const auto& h : history) {
      history_steps.push_back(h.step);
      history_f.insert(history_f.end(), h.free_energy.begin(), h.free_energy.end());
    }
    if (!history.empty()) {
      g.write("fes_history/step", history_steps);
      g.write("fes_history/F", history_f, {history.size(), grid_s.size()});
    }
    g.write("cv/step", t.cv_steps);
    g.write("cv/value", t.cv_values);
    g.write("bias/step", t.cv_steps);
    g.write("bias/value", t.bias_values);
    std::vector<int64_t> hill_step;
    std::vector<double> hill_time, hill_center, hill_sigma, hill_height;
    for (const Hill& h : hills) {
      hill_step.push_back(h.step);
      hill_time.push_back(h.time);
      hill_center.push_back(h.center);
      hill_sigma.push_back(h.sigma);
      hill_height.push_back(h.height);
    }
    g.write("hills/step", hill_step);
    g.write("hills/time", hill_time);
    g.write("hills/center", hill_center);
    g.write("hills/sigma", hill_sigma);
    g.write("hills/height", hill_height);

    std::ostringstream hills_text;
    write_plumed_hills(hills_text, hills, m.cv == "hop_distance" ? "hop" : "rmsd");
    std::snprintf(name, sizeof name, "HILLS_%04d", r);
    write_file_atomically((fs::path(out.directory) / name).string(), hills_text.str());

    summary_tracers.push_back({
        {"atom_id", t.atom_id},
        {"species", t.species},
        {"event_found", found},
        {"barrier_eV", null_or(found, a.event.barrier_eV)},
        {"hop_distance_A", null_or(found, a.event.hop_distance)},
        {"collective_displacement_A", null_or(found, displacement)},
        {"n_moved",
         found ? nlohmann::ordered_json(moved_ids.size()) : nlohmann::ordered_json(nullptr)},
        {"rate_per_s", null_or(found, rate)},
        {"left_grid", t.left_grid},
    });
  }
  file.close();

  // Effective barriers (SPEC.md §6) over the tracers with an event, at one temperature.
  const bool one_temperature = std::all_of(m.temperature.begin(), m.temperature.end(),
                                           [&](double T) { return T == m.temperature[0]; });
  nlohmann::ordered_json summary;  // the key order of issue 4's summary.json
  summary["temperature_K"] = one_temperature ? nlohmann::ordered_json(m.temperature[0])
                                             : nlohmann::ordered_json(m.temperature);
  summary["tracers"] = summary_tracers;
  summary["barrier_parallel_eV"] = nullptr;
  summary["barrier_sequential_eV"] = nullptr;
  if (one_temperature && !event_barriers.empty()) {
    const auto eff = analysis::effective_barriers(event_barriers, m.temperature[0]);
    summary["barrier_parallel_eV"] = null_or(true, eff.parallel_eV);
    summary["barrier_sequential_eV"] = null_or(true, eff.sequential_eV);
  }
  write_file_atomically((fs::path(out.directory) / "summary.json").string(),
                        summary.dump(2) + "\n");

  if (m.transmission.shots > 0) {
    // The stage starts from each event's configuration before the event.
    TransmissionJob job;
    job.biased_steps = step;
    job.cvs = bias.cvs().definitions();
    job.surfaces.resize(n);
    job.rates = tracer_rates;
    auto positions = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), batch.positions);
    auto images = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), batch.images);
    auto boxes = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), batch.boxes);
    for (int r = 0; r < n; ++r) {
      const TracerRecord& t = tracers[r];
      job.seeds.push_back(static_cast<uint64_t>(m.velocity_seed) +
                          static_cast<uint64_t>(t.atom_id));
      if (!analyses[r].event.found || t.before.step < 0)
        continue;
      const FirstBarrier& b = analyses[r].event.barrier;
      job.surfaces[r] = {true, b.saddle_s, b.direction};
      boxes(r) = t.before.box;
      for (int i = 0; i < n_atoms; ++i)
        for (int k = 0; k < 3; ++k) {
          positions(static_cast<size_t>(r) * n_atoms + i, k) = t.before.positions[3 * i + k];
          images(static_cast<size_t>(r) * n_atoms + i, k) = t.before.images[3 * i + k];
        }
    }
    Kokkos::deep_copy(batch.positions, positions);
    Kokkos::deep_copy(batch.images, images);
    Kokkos::deep_copy(batch.boxes, boxes);
    summary = run_transmission_stage(*system, m, out, job, nullptr);
  }
  if (!out.quiet)
    print_summary(summary, step, out.directory);
}

}  // namespace glassland
