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
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>

#include "host/atomic_file.hpp"
#include "host/batch_io.hpp"
#include "host/hdf5_file.hpp"
#include "host/lammps_data.hpp"
#include "host/run_output.hpp"
#include "host/task_system.hpp"
#include "host/tasks.hpp"
#include "kernels/kinetic.hpp"
#include "kernels/md_integrator.hpp"

namespace glassland {

namespace fs = std::filesystem;

namespace {

// amu/Å³ → g/cm³ (1.66053906660e-24 g / 1e-24 cm³).
constexpr double kAmuPerA3ToGramPerCm3 = 1.66053906660;

struct Stage {
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
  p.pressure = barostat.per_replica_numbers("pressure", 0.0, n, "bar", "target pressure");
  p.barostat_tau = barostat.per_replica_numbers("tau", 1.0, n, "ps", "damping time (Pdamp)",
                                                NumberRange::positive());
  const std::string coupling =
      barostat.choice("coupling", "isotropic", {"isotropic", "anisotropic"},
                      "which cell lengths the barostat moves");
  p.settings.coupling =
      coupling == "isotropic" ? BarostatCoupling::isotropic : BarostatCoupling::anisotropic;

  InputObject melt = o.object("melt", "melt and equilibrate the liquid");
  p.melt_temperature = melt.per_replica_numbers("temperature", 2000.0, n, "K", "melt temperature",
                                                NumberRange::positive());
  p.melt_steps = melt.integer("steps", 5000, "steps", "steps at the melt temperature",
                              IntegerRange::non_negative());

  InputObject cool = o.object("cool", required, "linear cooling ramp");
  p.end_temperature =
      cool.per_replica_numbers("end_temperature", 300.0, n, "K",
                               "temperature at the end of the ramp", NumberRange::non_negative());
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
        "temperature", -1.0, n, "K", "anneal temperature (default: cool.end_temperature)");
    for (int r = 0; r < n; ++r)
      if (p.anneal_temperature[r] < 0)
        p.anneal_temperature[r] = p.end_temperature[r];
    p.anneal_steps = a.integer("steps", required, "steps", "steps at the anneal temperature",
                               IntegerRange::non_negative());
  }
  InputObject equilibrate = o.object("equilibrate", "final equilibration");
  p.equilibrate_temperature = equilibrate.per_replica_numbers(
      "temperature", -1.0, n, "K", "final temperature (default: cool.end_temperature)");
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
std::vector<Stage> make_stages(const PrepareInput& p, int n) {
  std::vector<Stage> stages;
  std::vector<double> current = p.melt_temperature;
  auto add = [&](const std::string& name, const std::vector<double>& target, int64_t hold) {
    Stage stage;
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
int64_t stop_step(const Stage& cool, int r, double stop) {
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

ReplicaSeeds seeds_view(int n, int64_t first) {
  ReplicaSeeds seeds("prepare_task::seeds", n);
  auto host = Kokkos::create_mirror_view(seeds);
  for (int r = 0; r < n; ++r)
    host(r) = static_cast<uint64_t>(first) + r;
  Kokkos::deep_copy(seeds, host);
  return seeds;
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

}  // namespace

void run_prepare_task(InputObject& input, const RunOptions& options) {
  auto system = read_task_system(input);
  Batch& batch = system->batch;
  const int n = batch.n_replicas;
  const PrepareInput p = read_prepare_input(input, n);
  OutputSettings out = read_output_settings(input, "prepare_output");
  if (options.quiet)
    out.quiet = true;
  input.finish();

  const std::vector<Stage> stages = make_stages(p, n);
  const int64_t total_steps = stages.back().end();
  const Stage& cool = stages[1];
  // (replica, stop index) pairs by the step at which they are crossed.
  std::map<int64_t, std::vector<std::pair<int, int>>> stops_at;
  for (int r = 0; r < n; ++r)
    for (size_t k = 0; k < p.stops.size(); ++k)
      stops_at[stop_step(cool, r, p.stops[k])].push_back({r, static_cast<int>(k)});

  fs::create_directories(out.directory);
  std::ofstream(fs::path(out.directory) / "effective_input.json")
      << input.effective_configuration().dump(2) << "\n";
  const std::string checkpoint_path = (fs::path(out.directory) / "checkpoint.h5").string();
  std::vector<int64_t> stage_firsts;
  for (const auto& s : stages)
    stage_firsts.push_back(s.first_step);

  MdIntegrator integrator(n, batch.n_atoms, p.settings);
  integrator.set_thermostat_damping(p.thermostat_tau);
  std::vector<std::array<double, 6>> target(n);
  for (int r = 0; r < n; ++r)
    target[r] = {p.pressure[r], p.pressure[r], p.pressure[r], 0, 0, 0};
  integrator.set_barostat(p.barostat_tau, target);

  int64_t step = 0;
  size_t stage = 0;
  int segment = 0;
  nlohmann::json stop_records = nlohmann::json::array();
  const bool resume = options.restart && fs::exists(checkpoint_path);
  if (options.restart && !resume && !out.quiet)
    std::fprintf(stderr, "prepare: no checkpoint in %s yet; starting from the beginning\n",
                 out.directory.c_str());
  if (resume) {
    const Checkpoint checkpoint = Checkpoint::read(checkpoint_path);
    if (checkpoint.metadata().value("task", "") != "prepare")
      throw InputError(checkpoint_path + ": not a checkpoint of a prepare task");
    if (checkpoint.int64s("run/stage_first_steps") != stage_firsts)
      throw InputError(checkpoint_path +
                       ": the stages of this input differ from those of the checkpointed run "
                       "(steps, temperatures or rates changed); remove the checkpoint or restore "
                       "the input");
    load_batch(checkpoint, batch);
    integrator.set_temperature_schedules(stages[checkpoint.get_int64("run/stage")].schedules);
    load_integrator_state(checkpoint, integrator.state());
    step = checkpoint.get_int64("run/step");
    stage = static_cast<size_t>(checkpoint.get_int64("run/stage"));
    segment = static_cast<int>(checkpoint.get_int64("run/next_segment"));
    stop_records = checkpoint.metadata().at("stops");
    if (!out.quiet)
      std::fprintf(stderr, "prepare: restarting from %s in stage %s at step %lld\n",
                   checkpoint_path.c_str(), stages[stage].name.c_str(),
                   static_cast<long long>(step));
  } else {
    integrator.set_temperature_schedules(stages[0].schedules);
    integrator.reset_state();
    ReplicaScalars temperature("prepare_task::melt_temperature", n);
    auto host = Kokkos::create_mirror_view(temperature);
    for (int r = 0; r < n; ++r)
      host(r) = p.melt_temperature[r];
    Kokkos::deep_copy(temperature, host);
    create_maxwell_boltzmann_velocities(batch, temperature, seeds_view(n, p.velocity_seed));
  }

  SegmentedResults results =
      SegmentedResults::for_batch(out, batch, input.effective_configuration());
  results.start_segment(segment);

  const double dt = p.settings.timestep;
  MdRecorder recorder(out, dt, n);
  integrator.setup(batch, system->force_field);
  auto record = [&](int64_t s) { recorder.record(s, batch, integrator, results); };
  if (!resume)
    record(0);

  // Snapshots and inherent structures of the replicas that cross a stop at this step.
  auto write_stops = [&](int64_t s) {
    const auto crossing = stops_at.find(s);
    if (crossing == stops_at.end())
      return;
    const BatchSnapshot now = snapshot(batch);
    std::vector<int> replicas;
    for (const auto& [r, k] : crossing->second)
      replicas.push_back(r);
    const MinimizedCopies minimized = minimize_copies(*system, now, replicas, p.minimize);
    for (size_t c = 0; c < replicas.size(); ++c) {
      const auto [r, k] = crossing->second[c];
      char suffix[64];
      std::snprintf(suffix, sizeof suffix, "%s_%04d.data", temperature_label(p.stops[k]).c_str(),
                    r);
      const std::string snapshot_name = std::string("snapshot_") + suffix;
      const std::string is_name = std::string("is_") + suffix;
      write_replica(*system, now, r, (fs::path(out.directory) / snapshot_name).string(), true);
      write_replica(*system, minimized.minimized, static_cast<int>(c),
                    (fs::path(out.directory) / is_name).string(), false);
      nlohmann::json rec = {
          {"replica", r},
          {"stop_temperature_K", p.stops[k]},
          {"step", s},
          {"time_ps", s * dt},
          {"target_temperature_K", schedule_target(cool.schedules[r], s)},
          {"snapshot", snapshot_name},
          {"snapshot_potential_energy_eV", minimized.records[c]["initial_energy_eV"]},
          {"inherent_structure", is_name},
          {"minimization", minimized.records[c]}};
      stop_records.push_back(rec);
      if (!minimized.records[c]["converged"].get<bool>())
        std::fprintf(stderr,
                     "prepare: WARNING inherent structure at stop %g K of replica %d NOT "
                     "converged (%s)\n",
                     p.stops[k], r, minimized.records[c]["status"].get<std::string>().c_str());
    }
  };

  Progress progress("prepare", total_steps, static_cast<int64_t>(n) * batch.n_atoms,
                    out.progress_interval, out.quiet);
  while (step < total_steps) {
    // Enter the stage this step belongs to (stages of zero length are passed over).
    while (step >= stages[stage].end()) {
      ++stage;
      integrator.set_temperature_schedules(stages[stage].schedules);
      if (!out.quiet)
        std::fprintf(stderr, "prepare: stage %s, steps %lld–%lld\n", stages[stage].name.c_str(),
                     static_cast<long long>(stages[stage].first_step),
                     static_cast<long long>(stages[stage].end()));
    }
    const int64_t next = step + 1;
    // Energies only at thermo records, never because of a stop: the MD must not depend on the
    // stops (the snapshot's energy is the minimisation's initial energy).
    integrator.step(batch, system->force_field, {}, next % out.thermo_stride == 0);
    step = next;
    record(step);
    write_stops(step);
    const bool stage_end = step == stages[stage].end();
    if (step < total_steps &&
        ((out.checkpoint_stride > 0 && step % out.checkpoint_stride == 0) || stage_end)) {
      // As the md task: close the results part, checkpoint, restart the force evaluation from
      // scratch exactly as a restarted run will, so that both repeat each other bitwise.
      results.close_segment();
      Checkpoint checkpoint;
      checkpoint.set_metadata(
          {{"task", "prepare"}, {"input", options.input_path}, {"stops", stop_records}});
      save_batch(checkpoint, batch);
      save_integrator_state(checkpoint, integrator.state());
      checkpoint.set_int64("run/step", step);
      checkpoint.set_int64("run/stage", static_cast<int64_t>(stage));
      checkpoint.set("run/stage_first_steps", stage_firsts);
      checkpoint.set_int64("run/next_segment", ++segment);
      checkpoint.write(checkpoint_path);
      system->force_field.reset();
      integrator.setup(batch, system->force_field);
      results.start_segment(segment);
    }
    progress.update(step);
  }
  progress.finish(step);
  const std::string results_path = results.merge();
  // The merged results replace the parts a checkpoint refers to, so the checkpoint is spent: a
  // later --restart of this finished run starts afresh (and repeats it bitwise) instead of
  // resuming into parts that no longer exist.
  fs::remove(checkpoint_path);

  // Final structures and their inherent structures.
  const BatchSnapshot final_state = snapshot(batch);
  std::vector<int> all(n);
  for (int r = 0; r < n; ++r)
    all[r] = r;
  const MinimizedCopies inherent = minimize_copies(*system, final_state, all, p.minimize);
  const FinalThermo averages =
      final_thermo(results_path, n, stages.back().end() - p.equilibrate_steps);

  nlohmann::json replicas = nlohmann::json::array();
  std::vector<int> not_converged;
  for (int r = 0; r < n; ++r) {
    char final_name[32], is_name[32];
    std::snprintf(final_name, sizeof final_name, "final_%04d.data", r);
    std::snprintf(is_name, sizeof is_name, "is_%04d.data", r);
    write_replica(*system, final_state, r, (fs::path(out.directory) / final_name).string(), true);
    write_replica(*system, inherent.minimized, r, (fs::path(out.directory) / is_name).string(),
                  false);
    double mass = 0.0;  // amu
    for (int i = 0; i < batch.n_atoms; ++i)
      mass += system->potential.masses.at(
          final_state.elements[static_cast<size_t>(r) * batch.n_atoms + i]);
    const TemperatureScheduleSpec& ramp = cool.schedules[r];
    nlohmann::json stops = nlohmann::json::array();
    for (const auto& rec : stop_records)
      if (rec["replica"].get<int>() == r)
        stops.push_back(rec);
    replicas.push_back({
        {"replica", r},
        {"source", system->replica_sources[r]},
        {"cooling_rate_K_per_s", p.rate[r]},
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
        {"final_potential_energy_per_atom_eV", averages.potential_energy[r] / batch.n_atoms},
        {"inherent_structure_minimization", inherent.records[r]},
        {"stops", stops},
    });
    if (!inherent.records[r]["converged"].get<bool>())
      not_converged.push_back(r);
  }
  nlohmann::json stage_list = nlohmann::json::array();
  for (const auto& s : stages)
    stage_list.push_back({{"name", s.name}, {"first_step", s.first_step}, {"steps", s.steps}});
  const nlohmann::json summary = {{"task", "prepare"},
                                  {"atoms_per_replica", batch.n_atoms},
                                  {"timestep_ps", dt},
                                  {"total_steps", total_steps},
                                  {"stages", stage_list},
                                  {"all_inherent_structures_converged", not_converged.empty()},
                                  {"not_converged", not_converged},
                                  {"replicas", replicas}};
  write_file_atomically((fs::path(out.directory) / "summary.json").string(),
                        summary.dump(2) + "\n");

  // The per-replica summary goes to stdout (the result of the run); warnings to stderr.
  std::printf(
      "prepare: %d replicas of %d atoms, %lld steps; final values are means over the "
      "last %lld thermo records\n",
      n, batch.n_atoms, static_cast<long long>(total_steps),
      static_cast<long long>(averages.records));
  std::printf("%7s %12s %9s %10s %10s %13s %13s  %s\n", "replica", "rate (K/s)", "T (K)", "P (bar)",
              "ρ (g/cm³)", "PE (eV/atom)", "E_IS (eV/at)", "IS status");
  for (int r = 0; r < n; ++r) {
    const auto& rec = replicas[r];
    std::printf("%7d %12.3g %9.1f %10.1f %10.4f %13.6f %13.6f  %s\n", r, p.rate[r],
                rec["final_temperature_K"].get<double>(), rec["final_pressure_bar"].get<double>(),
                rec["final_density_g_per_cm3"].get<double>(),
                rec["final_potential_energy_per_atom_eV"].get<double>(),
                inherent.records[r]["energy_per_atom_eV"].get<double>(),
                inherent.records[r]["status"].get<std::string>().c_str());
  }
  std::fflush(stdout);
  for (int r : not_converged)
    std::fprintf(stderr, "prepare: WARNING inherent structure of replica %d NOT converged: %s\n", r,
                 inherent.records[r]["status"].get<std::string>().c_str());
  if (!out.quiet)
    std::fprintf(stderr,
                 "prepare: wrote %s, summary.json and %d final and inherent structures in %s\n",
                 results_path.c_str(), n, out.directory.c_str());
}

}  // namespace glassland
