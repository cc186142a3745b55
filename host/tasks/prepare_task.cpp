// `task: prepare` — the glass preparation protocol of SPEC.md §3 (papers 000/001/004) for every
// replica of a batch in lock step:
//   melt     equilibrate the liquid at melt.temperature (default 2000 K, NPT at 0 bar);
//   cool     linear ramp to cool.end_temperature at cool.rate K/s (per replica, so one batch can
//            hold several cooling rates); at each of cool.stops (K) a snapshot of the replica and
//            its inherent structure are written;
//   anneal   optional: ramp to anneal.temperature at the replica's rate, hold anneal.steps;
//   equilibrate  ramp to equilibrate.temperature at the replica's rate, hold equilibrate.steps;
// then final structures and their inherent structures as LAMMPS data files, the thermodynamic
// record (T, P, V, PE, KE, H per replica) in results.h5 and summary.json.
//
// Lock step with different rates: a stage lasts as long as its slowest replica's ramp (plus the
// hold); a replica whose ramp is done holds its end temperature (the schedule clamps) until the
// stage ends. Each replica's target is a function of the global step (MdIntegrator schedules), so
// the step at which a replica crosses a stop is computed from its ramp on the host, and a restart
// needs only the stage index and the step.
//
// Inherent structures are minimised on copies of the replicas (batch and force field of their
// own), so the MD trajectory is the same with or without stops.
//
// Melt check (issue 20 item 7): a melt that did not melt leaves a crystal, not a glass (a perfect
// B2 crystal held 20 ps at 2000 K with Mendelev's potential stays solid). Each replica's mean
// squared displacement over the melt stage (centre of mass removed) is compared with
// melt.min_msd; a liquid at 2000 K moves tens of Å² in a few ps, a crystal only its vibrations
// (< 1 Å²). The Voronoi indices of the final inherent structure (crystal-like ⟨0,6,0,8⟩ and
// ⟨0,12,0,0⟩, icosahedral ⟨0,0,12,0⟩) are reported beside it. A replica that did not melt is a
// loud warning on stderr and "melted": false in summary.json.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <memory>

#include "analysis/voronoi_tessellation.hpp"
#include "host/io/atomic_file.hpp"
#include "host/io/batch_checkpoint.hpp"
#include "host/io/batch_io.hpp"
#include "host/io/checkpoint.hpp"
#include "host/io/hdf5_file.hpp"
#include "host/io/input_error.hpp"
#include "host/io/lammps_data.hpp"
#include "host/io/physical_ranges.hpp"
#include "host/tasks/inherent_structures.hpp"
#include "host/tasks/md_recorder.hpp"
#include "host/tasks/md_steps.hpp"
#include "host/tasks/task_drivers.hpp"
#include "host/tasks/task_run.hpp"
#include "host/tasks/task_system.hpp"
#include "kernels/kinetic.hpp"
#include "kernels/md_integrator.hpp"

namespace glassland {

namespace {

// amu/Å³ → g/cm³ (1.66053906660e-24 g / 1e-24 cm³).
constexpr double kAmuPerA3ToGramPerCm3 = 1.66053906660;

struct TemperatureStage {
  std::string name;
  int64_t first_step = 0;  // global step at which the stage starts
  int64_t steps = 0;       // longest ramp + hold
  std::vector<TemperatureScheduleSpec> schedules;
  int64_t end() const { return first_step + steps; }
};

struct PrepareInput {
  IntegratorSettings settings;
  std::vector<double> pressure, thermostat_tau, barostat_tau;
  int64_t velocity_seed = 1;
  std::vector<double> melt_temperature, end_temperature, rate;
  int64_t melt_steps = 0;
  double melt_min_msd = 5.0;  // Å²
  std::vector<double> stops;
  bool anneal = false;
  std::vector<double> anneal_temperature;
  int64_t anneal_steps = 0;
  std::vector<double> equilibrate_temperature;
  int64_t equilibrate_steps = 0;
  MinimizeSettings minimize;
};

PrepareInput read_prepare_input(InputObject& input, int n) {
  PrepareInput p;
  InputObject o = input.object("prepare", "glass preparation protocol");
  p.settings.timestep = o.number("timestep", 0.002, "ps", "time step", NumberRange::positive());
  const std::string ensemble = o.choice("ensemble", "npt", {"npt", "nvt"},
                                        "npt (Nosé–Hoover + MTK barostat) or nvt (Nosé–Hoover, "
                                        "box held) for every stage");
  p.settings.ensemble = ensemble == "npt" ? Ensemble::npt : Ensemble::nvt_nose_hoover;
  p.velocity_seed = o.integer("velocity_seed", 1, "",
                              "seed of the Maxwell–Boltzmann velocities at the melt temperature; "
                              "replica r uses seed + r",
                              IntegerRange::non_negative());
  InputObject thermostat = o.object("thermostat", "Nosé–Hoover thermostat");
  p.thermostat_tau = thermostat.per_replica_numbers("tau", 0.1, n, "ps", "damping time (Tdamp)",
                                                    NumberRange::positive());
  p.settings.thermostat_chain_length = static_cast<int>(thermostat.integer(
      "chain_length", 3, "", "chain length", IntegerRange::closed(1, kMaxChainLength)));
  InputObject barostat = o.object("barostat", "MTK barostat (ensemble npt)");
  p.pressure =
      barostat.per_replica_numbers("pressure", 0.0, n, "bar", "target pressure", pressure_range());
  p.barostat_tau = barostat.per_replica_numbers("tau", 1.0, n, "ps", "damping time (Pdamp)",
                                                NumberRange::positive());
  const std::string coupling =
      barostat.choice("coupling", "isotropic", {"isotropic", "anisotropic"},
                      "which cell lengths the barostat moves");
  p.settings.coupling =
      coupling == "isotropic" ? BarostatCoupling::isotropic : BarostatCoupling::anisotropic;

  InputObject melt = o.object("melt", "melt and equilibrate the liquid");
  p.melt_temperature = melt.per_replica_numbers("temperature", 2000.0, n, "K", "melt temperature",
                                                temperature_range(false));
  p.melt_steps = melt.integer("steps", 5000, "steps", "steps at the melt temperature",
                              IntegerRange::non_negative());
  p.melt_min_msd = melt.number("min_msd", 5.0, "Å²",
                               "a replica whose mean squared displacement over the melt stage "
                               "stays below this did not melt (a loud warning; summary.json "
                               "melt_check)",
                               NumberRange::non_negative());

  InputObject cool = o.object("cool", required, "linear cooling ramp");
  p.end_temperature = cool.per_replica_numbers(
      "end_temperature", 300.0, n, "K", "temperature at the end of the ramp", temperature_range());
  p.rate = cool.per_replica_numbers("rate", required, n, "K/s",
                                    "cooling rate (magnitude); also the rate of the ramps into "
                                    "the anneal and equilibrate temperatures",
                                    NumberRange::positive());
  p.stops = cool.numbers("stops", {}, "K",
                         "temperatures at which each replica's snapshot and inherent structure "
                         "are written while it cools",
                         LengthRange::any(), NumberRange::non_negative());
  for (int r = 0; r < n; ++r) {
    if (!(p.end_temperature[r] < p.melt_temperature[r]))
      throw cool.error("end_temperature",
                       "must be below melt.temperature (replica " + std::to_string(r) + ")");
    for (double stop : p.stops)
      if (!(stop >= p.end_temperature[r] && stop < p.melt_temperature[r]))
        throw cool.error("stops",
                         "each stop must lie in [end_temperature, melt.temperature) of "
                         "every replica; " +
                             std::to_string(stop) + " K does not for replica " + std::to_string(r));
  }

  const auto anneal = o.optional_object("anneal", "optional sub-Tg anneal after cooling");
  if (anneal) {
    InputObject a = *anneal;
    p.anneal = true;
    p.anneal_temperature = a.per_replica_numbers(
        "temperature", -1.0, n, "K", "anneal temperature (default: cool.end_temperature)",
        temperature_range());
    for (int r = 0; r < n; ++r)
      if (p.anneal_temperature[r] < 0)
        p.anneal_temperature[r] = p.end_temperature[r];
    p.anneal_steps = a.integer("steps", required, "steps", "steps at the anneal temperature",
                               IntegerRange::non_negative());
  }
  InputObject equilibrate = o.object("equilibrate", "final equilibration");
  p.equilibrate_temperature = equilibrate.per_replica_numbers(
      "temperature", -1.0, n, "K", "final temperature (default: cool.end_temperature)",
      temperature_range());
  for (int r = 0; r < n; ++r)
    if (p.equilibrate_temperature[r] < 0)
      p.equilibrate_temperature[r] = p.end_temperature[r];
  p.equilibrate_steps = equilibrate.integer("steps", 0, "steps", "steps at the final temperature",
                                            IntegerRange::non_negative());
  InputObject minimize = o.object("minimize", "inherent-structure minimisation");
  p.minimize = read_minimize_settings(minimize, n);
  return p;
}

// The stages with their absolute first steps and per-replica schedules. A ramp from T_a to T_b
// at rate q takes round(|T_b − T_a| / (q·dt)) steps (TemperatureScheduleSpec::ramp_at_rate).
std::vector<TemperatureStage> make_stages(const PrepareInput& p, int n) {
  std::vector<TemperatureStage> stages;
  std::vector<double> current = p.melt_temperature;
  auto add = [&](const std::string& name, const std::vector<double>& target, int64_t hold) {
    TemperatureStage stage;
    stage.name = name;
    stage.first_step = stages.empty() ? 0 : stages.back().end();
    int64_t longest_ramp = 0;
    for (int r = 0; r < n; ++r) {
      const TemperatureScheduleSpec spec =
          current[r] == target[r]
              ? TemperatureScheduleSpec::constant(target[r])
              : TemperatureScheduleSpec::ramp_at_rate(current[r], target[r], p.rate[r],
                                                      p.settings.timestep, stage.first_step);
      longest_ramp = std::max(
          longest_ramp, spec.kind == ScheduleKind::constant ? int64_t{0} : spec.duration_steps);
      stage.schedules.push_back(spec);
    }
    if (name == "cool")
      for (int r = 0; r < n; ++r)
        if (stage.schedules[r].duration_steps < 1)
          throw InputError("prepare.cool.rate: " + std::to_string(p.rate[r]) +
                           " K/s cools replica " + std::to_string(r) +
                           " in less than one time step; lower the rate or the time step");
    stage.steps = longest_ramp + hold;
    stages.push_back(stage);
    current = target;
  };
  add("melt", p.melt_temperature, p.melt_steps);
  add("cool", p.end_temperature, 0);
  if (p.anneal)
    add("anneal", p.anneal_temperature, p.anneal_steps);
  add("equilibrate", p.equilibrate_temperature, p.equilibrate_steps);
  return stages;
}

// The same target the device computes (TemperatureSchedules::at), on the host.
double schedule_target(const TemperatureScheduleSpec& s, int64_t step) {
  const int64_t elapsed = step - s.start_step;
  if (s.kind == ScheduleKind::constant || elapsed <= 0)
    return s.start_temperature;
  if (elapsed >= s.duration_steps)
    return s.end_temperature;
  return s.start_temperature +
         (s.end_temperature - s.start_temperature) *
             (static_cast<double>(elapsed) / static_cast<double>(s.duration_steps));
}

// First global step of the cooling stage at which the replica's target is ≤ `stop` (K): there the
// snapshot is taken. Found by bisection on the device's own formula (monotone in the step).
int64_t stop_step(const TemperatureStage& cool, int r, double stop) {
  const TemperatureScheduleSpec& s = cool.schedules[r];
  int64_t lo = cool.first_step, hi = cool.end();  // target(hi) = end temperature ≤ stop
  if (schedule_target(s, lo) <= stop)
    return lo;
  while (hi - lo > 1) {
    const int64_t mid = lo + (hi - lo) / 2;
    (schedule_target(s, mid) <= stop ? hi : lo) = mid;
  }
  return hi;
}

std::string temperature_label(double t) {
  char text[32];
  std::snprintf(text, sizeof text, "T%gK", t);
  return text;
}

void write_replica(const TaskSystem& system, const BatchSnapshot& s, int k, const std::string& path,
                   bool velocities) {
  write_lammps_data(path, replica_to_data(s, k, system.type_elements, system.potential.elements,
                                          system.potential.masses, velocities));
}

// Means over the thermo records with step > `after` (or the last record if there are none):
// T, P, V, PE per replica from the merged results file.
struct FinalThermo {
  std::vector<double> temperature, pressure, volume, potential_energy;
  int64_t records = 0;
};
FinalThermo final_thermo(const std::string& results_path, int n, int64_t after) {
  const hdf5::File file = hdf5::File::open_read_only(results_path);
  const auto steps = file.dataset("observables/temperature/step").read<int64_t>();
  size_t first = steps.size() - 1;
  for (size_t k = 0; k < steps.size(); ++k)
    if (steps[k] > after) {
      first = k;
      break;
    }
  FinalThermo f;
  f.records = static_cast<int64_t>(steps.size() - first);
  auto mean = [&](const char* name) {
    const auto v = file.dataset(std::string("observables/") + name + "/value").read<double>();
    std::vector<double> m(n, 0.0);
    for (size_t k = first; k < steps.size(); ++k)
      for (int r = 0; r < n; ++r)
        m[r] += v[k * n + r] / static_cast<double>(steps.size() - first);
    return m;
  };
  f.temperature = mean("temperature");
  f.pressure = mean("pressure");
  f.volume = mean("volume");
  f.potential_energy = mean("potential_energy");
  return f;
}

// The MD the protocol stages share: one integrator, one results file, one step counter running
// through all of them, the stops' records and one progress line for the whole protocol.
struct ProtocolDynamics {
  ProtocolDynamics(TaskSystem& system, const PrepareInput& p, std::vector<TemperatureStage> stages)
      : system(system),
        p(p),
        stages(std::move(stages)),
        integrator(system.batch.n_replicas, system.batch.n_atoms, p.settings) {
    const int n = system.batch.n_replicas;
    integrator.set_thermostat_damping(p.thermostat_tau);
    std::vector<std::array<double, 6>> target(n);
    for (int r = 0; r < n; ++r)
      target[r] = {p.pressure[r], p.pressure[r], p.pressure[r], 0, 0, 0};
    integrator.set_barostat(p.barostat_tau, target);
    for (const auto& s : this->stages)
      stage_first_steps.push_back(s.first_step);
    // (replica, stop index) pairs by the step at which they are crossed.
    for (int r = 0; r < n; ++r)
      for (size_t k = 0; k < p.stops.size(); ++k)
        stops_at[stop_step(cool(), r, p.stops[k])].push_back({r, static_cast<int>(k)});
  }
  const TemperatureStage& cool() const { return stages[1]; }
  int64_t total_steps() const { return stages.back().end(); }

  TaskSystem& system;
  const PrepareInput& p;
  const std::vector<TemperatureStage> stages;
  std::vector<int64_t> stage_first_steps;
  std::map<int64_t, std::vector<std::pair<int, int>>> stops_at;
  MdIntegrator integrator;
  int64_t step = 0;
  int next_segment = 0;
  bool resumed = false;
  nlohmann::json stop_records = nlohmann::json::array();
  // Melt check: unwrapped positions at the start of the melt, and each replica's MSD over it.
  std::vector<double> melt_start;
  std::vector<double> melt_msd;
  // Opened by the first protocol stage that runs (ProtocolStage::open).
  std::unique_ptr<SegmentedResults> results;
  std::unique_ptr<MdRecorder> recorder;
  std::unique_ptr<Progress> progress;
  std::string results_path;
};

// Unwrapped positions x + H·image of every atom, [g·3 + k].
std::vector<double> unwrapped_positions(const Batch& batch) {
  const BatchSnapshot s = snapshot(batch);
  std::vector<double> u(s.positions.size());
  for (size_t g = 0; g < static_cast<size_t>(s.n_replicas) * s.n_atoms; ++g) {
    double d[3] = {s.positions[3 * g], s.positions[3 * g + 1], s.positions[3 * g + 2]};
    s.boxes[g / s.n_atoms].add_lattice_vector(s.images[3 * g], s.images[3 * g + 1],
                                              s.images[3 * g + 2], d);
    for (int k = 0; k < 3; ++k)
      u[3 * g + k] = d[k];
  }
  return u;
}

// Mean squared displacement of each replica between two unwrapped configurations, with the
// displacement of the mass-weighted centre of mass removed.
std::vector<double> replica_msd(const TaskSystem& system, const std::vector<double>& start,
                                const std::vector<double>& end) {
  const Batch& batch = system.batch;
  const BatchSnapshot s = snapshot(batch);
  const int n = batch.n_atoms;
  std::vector<double> msd(batch.n_replicas, 0.0);
  for (int r = 0; r < batch.n_replicas; ++r) {
    double mass = 0.0, drift[3] = {0.0, 0.0, 0.0};
    for (int i = 0; i < n; ++i) {
      const size_t g = static_cast<size_t>(r) * n + i;
      const double m = system.potential.masses.at(s.elements[g]);
      mass += m;
      for (int k = 0; k < 3; ++k)
        drift[k] += m * (end[3 * g + k] - start[3 * g + k]);
    }
    for (int i = 0; i < n; ++i) {
      const size_t g = static_cast<size_t>(r) * n + i;
      for (int k = 0; k < 3; ++k) {
        const double d = end[3 * g + k] - start[3 * g + k] - drift[k] / mass;
        msd[r] += d * d / n;
      }
    }
  }
  return msd;
}

// Maxwell–Boltzmann velocities at the melt temperature: what a fresh run does first.
class StartStage : public Stage {
 public:
  explicit StartStage(ProtocolDynamics& dynamics) : d_(dynamics) {}
  std::string name() const override { return "start"; }
  void run(TaskRun&) override {
    d_.integrator.set_temperature_schedules(d_.stages[0].schedules);
    d_.integrator.reset_state();
    std::vector<uint64_t> seeds;
    for (int r = 0; r < d_.system.batch.n_replicas; ++r)
      seeds.push_back(static_cast<uint64_t>(d_.p.velocity_seed) + r);
    create_maxwell_boltzmann_velocities(
        d_.system.batch,
        make_replica_view<ReplicaScalars>(d_.p.melt_temperature, "prepare::melt_temperature"),
        make_replica_view<ReplicaSeeds>(seeds, "prepare::seeds"));
  }

 private:
  ProtocolDynamics& d_;
};

// One stage of the temperature protocol (melt, cool, anneal, equilibrate): MD under its
// schedules, with the cooling stops' snapshots and inherent structures, checkpointed at the
// output's stride and at its end.
class ProtocolStage : public Stage {
 public:
  ProtocolStage(ProtocolDynamics& dynamics, size_t index) : d_(dynamics), index_(index) {}
  std::string name() const override { return stage().name; }
  std::string checkpoint_file() const override { return "checkpoint.h5"; }
  void save(Checkpoint& c) const override {
    c.set_metadata({{"stops", d_.stop_records}});
    save_batch(c, d_.system.batch);
    save_integrator_state(c, d_.integrator.state());
    c.set_int64("run/step", d_.step);
    c.set_int64("run/stage", static_cast<int64_t>(index_));
    c.set("run/stage_first_steps", d_.stage_first_steps);
    c.set_int64("run/next_segment", d_.next_segment);
    c.set("melt/start", d_.melt_start);
    c.set("melt/msd", d_.melt_msd);
  }
  void resume(const Checkpoint& c) override {
    if (c.int64s("run/stage_first_steps") != d_.stage_first_steps)
      throw InputError(c.source() +
                       ": the stages of this input differ from those of the checkpointed run "
                       "(steps, temperatures or rates changed); remove the checkpoint or restore "
                       "the input");
    load_batch(c, d_.system.batch);
    d_.integrator.set_temperature_schedules(stage().schedules);
    load_integrator_state(c, d_.integrator.state());
    d_.step = c.get_int64("run/step");
    d_.next_segment = static_cast<int>(c.get_int64("run/next_segment"));
    d_.stop_records = c.metadata().at("stops");
    d_.melt_start = c.doubles("melt/start");
    d_.melt_msd = c.doubles("melt/msd");
    d_.resumed = true;
  }
  void run(TaskRun& run) override {
    if (!d_.results)
      open(run);
    if (index_ == 0 && d_.melt_start.empty())
      d_.melt_start = unwrapped_positions(d_.system.batch);
    if (d_.step >= stage().end()) {
      finish_melt();
      return;  // a stage of no steps, or resumed at its end
    }
    d_.integrator.set_temperature_schedules(stage().schedules);
    run.say("stage " + name() + ", steps " + std::to_string(stage().first_step) + "–" +
            std::to_string(stage().end()));
    const OutputSettings& out = run.output();
    MdSteps steps(run, *this, d_.system.batch, d_.system.force_field, d_.integrator,
                  d_.results.get(), d_.next_segment);
    steps.check();  // a start that cannot be integrated stops before its first step
    MdSteps::Hooks hooks;
    hooks.after_step = [&](int64_t s) {
      d_.recorder->record(s, d_.system.batch, d_.integrator, *d_.results);
      write_stops(run, s);
    };
    hooks.checkpoint_due = [&](int64_t s) {
      return s < d_.total_steps() &&
             ((out.checkpoint_stride > 0 && s % out.checkpoint_stride == 0) || s == stage().end());
    };
    // Energies only at thermo records, never because of a stop: the MD must not depend on the
    // stops (the snapshot's energy is the minimisation's initial energy).
    steps.run(d_.step, stage().end(), *d_.progress, hooks);
    finish_melt();
  }

 private:
  // At the end of the melt stage: each replica's MSD over it (before its end-of-stage checkpoint
  // is written, so a restart in a later stage has it).
  void finish_melt() {
    if (index_ != 0 || !d_.melt_msd.empty())
      return;
    d_.melt_msd = replica_msd(d_.system, d_.melt_start, unwrapped_positions(d_.system.batch));
  }

  const TemperatureStage& stage() const { return d_.stages[index_]; }

  // The results file, the initial forces and the first record: once, by the first stage to run.
  void open(TaskRun& run) {
    Batch& batch = d_.system.batch;
    d_.results = std::make_unique<SegmentedResults>(
        SegmentedResults::for_batch(run.output(), d_.system, run.effective_input()));
    d_.results->start_segment(d_.next_segment);
    d_.recorder =
        std::make_unique<MdRecorder>(run.output(), d_.p.settings.timestep, batch.n_replicas);
    d_.progress = std::make_unique<Progress>(
        run.progress("", d_.total_steps(), static_cast<int64_t>(batch.n_replicas) * batch.n_atoms));
    d_.integrator.setup(batch, d_.system.force_field);
    if (!d_.resumed)
      d_.recorder->record(0, batch, d_.integrator, *d_.results);
  }

  // Snapshots and inherent structures of the replicas that cross a stop at this step.
  void write_stops(TaskRun& run, int64_t s) {
    const auto crossing = d_.stops_at.find(s);
    if (crossing == d_.stops_at.end())
      return;
    const PrepareInput& p = d_.p;
    const BatchSnapshot now = snapshot(d_.system.batch);
    // A replica whose dynamics blew up (issue 16) writes no more snapshots.
    std::vector<std::pair<int, int>> crossings;
    std::vector<int> replicas;
    for (const auto& [r, k] : crossing->second)
      if (!run.has_failed(r)) {
        crossings.push_back({r, k});
        replicas.push_back(r);
      }
    if (replicas.empty())
      return;
    const MinimizedCopies minimized = minimize_copies(d_.system, now, replicas, p.minimize);
    for (size_t c = 0; c < replicas.size(); ++c) {
      const auto [r, k] = crossings[c];
      char suffix[64];
      std::snprintf(suffix, sizeof suffix, "%s_%04d.data", temperature_label(p.stops[k]).c_str(),
                    r);
      const std::string snapshot_name = std::string("snapshot_") + suffix;
      const std::string is_name = std::string("is_") + suffix;
      write_replica(d_.system, now, r, run.path(snapshot_name), true);
      write_replica(d_.system, minimized.minimized, static_cast<int>(c), run.path(is_name), false);
      d_.stop_records.push_back(
          {{"replica", r},
           {"stop_temperature_K", p.stops[k]},
           {"step", s},
           {"time_ps", s * p.settings.timestep},
           {"target_temperature_K", schedule_target(d_.cool().schedules[r], s)},
           {"snapshot", snapshot_name},
           {"snapshot_potential_energy_eV", minimized.records[c]["initial_energy_eV"]},
           {"inherent_structure", is_name},
           {"minimization", minimized.records[c]}});
      if (!minimized.records[c]["converged"].get<bool>())
        std::fprintf(stderr,
                     "prepare: WARNING inherent structure at stop %g K of replica %d NOT "
                     "converged (%s)\n",
                     p.stops[k], r, minimized.records[c]["status"].get<std::string>().c_str());
    }
  }

  ProtocolDynamics& d_;
  size_t index_;
};

// The end of the protocol: the thermodynamic record merged into results.h5. The merged results
// replace the parts a checkpoint refers to, so the checkpoint is spent: a later --restart of this
// finished run starts afresh (and repeats it bitwise) instead of resuming into parts that no
// longer exist.
void finish_protocol(TaskRun& run, ProtocolDynamics& d, const Stage& last) {
  d.progress->finish(d.step);
  d.results_path = d.results->merge();
  run.remove_checkpoint(last);
}

// One replica's summary record: its cooling, final structures and the means of its last records.
nlohmann::json replica_record(const ProtocolDynamics& d, int r, const BatchSnapshot& final_state,
                              const FinalThermo& averages, const MinimizedCopies& inherent) {
  const int n_atoms = d.system.batch.n_atoms;
  const double dt = d.p.settings.timestep;
  char final_name[32], is_name[32];
  std::snprintf(final_name, sizeof final_name, "final_%04d.data", r);
  std::snprintf(is_name, sizeof is_name, "is_%04d.data", r);
  double mass = 0.0;  // amu
  for (int i = 0; i < n_atoms; ++i)
    mass +=
        d.system.potential.masses.at(final_state.elements[static_cast<size_t>(r) * n_atoms + i]);
  const TemperatureScheduleSpec& ramp = d.cool().schedules[r];
  nlohmann::json stops = nlohmann::json::array();
  for (const auto& rec : d.stop_records)
    if (rec["replica"].get<int>() == r)
      stops.push_back(rec);
  return {
      {"replica", r},
      {"source", d.system.replica_sources[r]},
      {"cooling_rate_K_per_s", d.p.rate[r]},
      {"cooling_steps", ramp.duration_steps},
      // The ramp takes a whole number of steps, so its rate differs slightly from the request.
      {"effective_cooling_rate_K_per_s",
       std::fabs(ramp.end_temperature - ramp.start_temperature) /
           (static_cast<double>(ramp.duration_steps) * dt * 1e-12)},
      {"final_structure", final_name},
      {"inherent_structure", is_name},
      {"final_average_over_records", averages.records},
      {"final_temperature_K", averages.temperature[r]},
      {"final_pressure_bar", averages.pressure[r]},
      {"final_volume_A3", averages.volume[r]},
      {"final_density_g_per_cm3", mass / averages.volume[r] * kAmuPerA3ToGramPerCm3},
      {"final_potential_energy_per_atom_eV", averages.potential_energy[r] / n_atoms},
      {"inherent_structure_minimization", inherent.records[r]},
      {"stops", stops},
  };
}

// The melt check of replica r: its MSD over the melt stage against melt.min_msd, and the Voronoi
// indices of its final inherent structure.
nlohmann::json melt_check_record(const ProtocolDynamics& d, int r, const BatchSnapshot& inherent) {
  const int n = inherent.n_atoms;
  const Box& box = inherent.boxes[r];
  analysis::PeriodicCell cell;
  cell.lo = {box.lo[0], box.lo[1], box.lo[2]};
  cell.lx = box.lx;
  cell.ly = box.ly;
  cell.lz = box.lz;
  cell.xy = box.xy;
  cell.xz = box.xz;
  cell.yz = box.yz;
  const std::vector<double> x(inherent.positions.begin() + 3 * static_cast<size_t>(r) * n,
                              inherent.positions.begin() + 3 * static_cast<size_t>(r + 1) * n);
  double crystal = 0.0, icosahedral = 0.0;
  for (const analysis::VoronoiCell& c : analysis::voronoi_tessellation(cell, x)) {
    const std::string label = analysis::voronoi_index_label(c.index);
    crystal += (label == "<0,6,0,8>" || label == "<0,12,0,0>") ? 1.0 / n : 0.0;
    icosahedral += label == "<0,0,12,0>" ? 1.0 / n : 0.0;
  }
  nlohmann::json check = {{"min_msd_A2", d.p.melt_min_msd},
                          {"inherent_structure_crystal_like_fraction", crystal},
                          {"inherent_structure_icosahedral_fraction", icosahedral}};
  if (d.p.melt_steps == 0 || d.melt_msd.empty()) {
    check["melt_msd_A2"] = nullptr;
    check["melted"] = nullptr;
    check["note"] = "no melt stage (melt.steps is 0): nothing to check";
  } else {
    check["melt_msd_A2"] = d.melt_msd[r];
    check["melted"] = d.melt_msd[r] >= d.p.melt_min_msd;
  }
  return check;
}

// Final structures and their inherent structures as data files, and summary.json.
nlohmann::json write_final_structures(TaskRun& run, const ProtocolDynamics& d) {
  const int n = d.system.batch.n_replicas;
  const BatchSnapshot final_state = snapshot(d.system.batch);
  // A replica whose dynamics blew up (issue 16) is not minimised (its box may be NaN): a healthy
  // replica stands in for it, so that copy c is still replica c, and its records are dropped.
  int stand_in = 0;
  while (stand_in < n - 1 && run.has_failed(stand_in))
    ++stand_in;
  std::vector<int> all(n);
  for (int r = 0; r < n; ++r)
    all[r] = run.has_failed(r) ? stand_in : r;
  const MinimizedCopies inherent = minimize_copies(d.system, final_state, all, d.p.minimize);
  const FinalThermo averages =
      final_thermo(d.results_path, n, d.total_steps() - d.p.equilibrate_steps);
  nlohmann::json replicas = nlohmann::json::array();
  std::vector<int> not_converged;
  bool all_melted = true;
  for (int r = 0; r < n; ++r) {
    replicas.push_back(replica_record(d, r, final_state, averages, inherent));
    replicas.back()["failed"] = run.has_failed(r);
    if (run.has_failed(r)) {  // no structures, no minimisation: faults.json says why
      for (const char* key : {"final_structure", "inherent_structure",
                              "inherent_structure_minimization", "melt_check"})
        replicas.back()[key] = nullptr;
      continue;
    }
    replicas.back()["melt_check"] = melt_check_record(d, r, inherent.minimized);
    all_melted = all_melted && replicas.back()["melt_check"]["melted"] != false;
    write_replica(d.system, final_state, r,
                  run.path(replicas[r]["final_structure"].get<std::string>()), true);
    write_replica(d.system, inherent.minimized, r,
                  run.path(replicas[r]["inherent_structure"].get<std::string>()), false);
    if (!inherent.records[r]["converged"].get<bool>())
      not_converged.push_back(r);
  }
  nlohmann::json stage_list = nlohmann::json::array();
  for (const auto& s : d.stages)
    stage_list.push_back({{"name", s.name}, {"first_step", s.first_step}, {"steps", s.steps}});
  const nlohmann::json summary = {{"task", "prepare"},
                                  {"atoms_per_replica", d.system.batch.n_atoms},
                                  {"timestep_ps", d.p.settings.timestep},
                                  {"total_steps", d.total_steps()},
                                  {"stages", stage_list},
                                  {"all_inherent_structures_converged", not_converged.empty()},
                                  {"not_converged", not_converged},
                                  {"all_replicas_melted", all_melted},
                                  {"replicas", replicas}};
  write_file_atomically(run.path("summary.json"), summary.dump(2) + "\n");
  return summary;
}

// The per-replica summary on stdout (the result of the run); warnings on stderr.
void print_summary(const TaskRun& run, const nlohmann::json& summary) {
  const auto& replicas = summary["replicas"];
  const int n = static_cast<int>(replicas.size());
  std::printf(
      "prepare: %d replicas of %d atoms, %lld steps; final values are means over the "
      "last %lld thermo records\n",
      n, summary["atoms_per_replica"].get<int>(),
      static_cast<long long>(summary["total_steps"].get<int64_t>()),
      static_cast<long long>(replicas[0]["final_average_over_records"].get<int64_t>()));
  std::printf("%7s %12s %9s %10s %10s %13s %13s  %s\n", "replica", "rate (K/s)", "T (K)", "P (bar)",
              "ρ (g/cm³)", "PE (eV/atom)", "E_IS (eV/at)", "IS status");
  for (int r = 0; r < n; ++r) {
    const auto& rec = replicas[r];
    const auto& is = rec["inherent_structure_minimization"];
    if (rec["failed"].get<bool>()) {
      std::printf("%7d %12.3g  FAILED (see faults.json)\n", r,
                  rec["cooling_rate_K_per_s"].get<double>());
      continue;
    }
    std::printf("%7d %12.3g %9.1f %10.1f %10.4f %13.6f %13.6f  %s\n", r,
                rec["cooling_rate_K_per_s"].get<double>(), rec["final_temperature_K"].get<double>(),
                rec["final_pressure_bar"].get<double>(),
                rec["final_density_g_per_cm3"].get<double>(),
                rec["final_potential_energy_per_atom_eV"].get<double>(),
                is["energy_per_atom_eV"].get<double>(), is["status"].get<std::string>().c_str());
  }
  std::fflush(stdout);
  for (int r : summary["not_converged"])
    std::fprintf(
        stderr, "prepare: WARNING inherent structure of replica %d NOT converged: %s\n", r,
        replicas[r]["inherent_structure_minimization"]["status"].get<std::string>().c_str());
  for (const auto& rec : replicas) {
    const auto& check = rec["melt_check"];
    if (!rec["failed"].get<bool>() && check["melted"] == false)
      std::fprintf(
          stderr,
          "prepare: WARNING replica %d did NOT melt: its mean squared displacement over the "
          "melt stage is %.3g Å², below melt.min_msd = %.3g Å²; it stayed solid, so its "
          "'glass' is a crystal (%.0f %% crystal-like Voronoi cells in its inherent "
          "structure). Melt longer or hotter, or start from a random packing.\n",
          rec["replica"].get<int>(), check["melt_msd_A2"].get<double>(),
          check["min_msd_A2"].get<double>(),
          100.0 * check["inherent_structure_crystal_like_fraction"].get<double>());
  }
  run.say("wrote results.h5, summary.json and " + std::to_string(n) +
          " final and inherent structures in " + run.output().directory);
}

}  // namespace

void run_prepare_task(InputObject& input, const RunOptions& options) {
  auto system = read_task_system(input);
  const int n = system->batch.n_replicas;
  const PrepareInput p = read_prepare_input(input, n);
  const OutputSettings out = read_output_settings(input, "prepare_output");
  input.finish();
  ProtocolDynamics dynamics(*system, p, make_stages(p, n));
  TaskRun run("prepare", out, options, input.effective_configuration());
  run.set_system_shape(n, system->batch.n_atoms);

  StartStage start(dynamics);
  std::vector<std::unique_ptr<ProtocolStage>> protocol;
  for (size_t k = 0; k < dynamics.stages.size(); ++k)
    protocol.push_back(std::make_unique<ProtocolStage>(dynamics, k));
  FunctionStage record("thermo record",
                       [&](TaskRun& r) { finish_protocol(r, dynamics, *protocol.back()); });
  nlohmann::json summary;
  FunctionStage structures("inherent structures",
                           [&](TaskRun& r) { summary = write_final_structures(r, dynamics); });
  FunctionStage report("report", [&](TaskRun& r) { print_summary(r, summary); });

  std::vector<Stage*> stages{&start};
  for (auto& s : protocol)
    stages.push_back(s.get());
  stages.insert(stages.end(), {&record, &structures, &report});
  run.run(stages);
}

}  // namespace glassland
