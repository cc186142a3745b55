// `task: metad` — well-tempered metadynamics of tracer atoms, one replica per tracer, all tracers
// of a glass in one batch (SPEC.md §5–6; issue 4 item 5; papers 000 and 001).
//
// Flow: read the system (a single structure is copied into one replica per tracer) → optional
// NPT equilibration without bias → pick tracers → inherent structures at the start of sampling
// (FIRE on copies) → biased NVT (Nosé–Hoover) with one hop-distance or cluster-RMSD CV per
// replica → per tracer: FES, first event, ΔG, hop distance, rate; inherent structure of the
// snapshot at which the event was confirmed, collective displacement |Δr| and moved atoms →
// results.h5 (thermo + per-tracer groups), HILLS_NNNN (PLUMED format), summary.json.
//
// Replica r biases tracer r only: its CV, bias grid, velocities (seed + the tracer's atom id) and
// thermostat are its own, so its trajectory does not depend on the other tracers of the batch.
#include <algorithm>
#include <cmath>
#include <cstdio>
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
#include "host/atomic_file.hpp"
#include "host/batch_io.hpp"
#include "host/hdf5_file.hpp"
#include "host/run_output.hpp"
#include "host/task_system.hpp"
#include "host/tasks.hpp"
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
  bool stop_after_first_event = false;
  double event_dwell = 1.0;       // ps
  double event_prominence = 0.0;  // eV; 0: 2 k_B T
  int64_t velocity_seed = 1;
  double minimize_ftol = 1e-3;  // eV/Å, inherent structures
  int64_t minimize_max_iterations = 5000;
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
  m.bias.grid_upper = o.number("grid_max", d.grid_upper, "Å", "upper end of the bias grid",
                               NumberRange::positive());
  m.bias.grid_spacing =
      o.number("grid_spacing", d.grid_spacing, "Å", "bias grid spacing", NumberRange::positive());
  m.attempt_frequency =
      o.number("nu0", 3e12, "1/s", "attempt frequency ν0 of the TST rate", NumberRange::positive());
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
  for (int r = 0; r < n; ++r)
    if (m.bias.bias_temperature <= m.temperature[r])
      throw o.error("bias_temperature",
                    "must exceed the temperature of every replica (T + ΔT > T)");
  if (m.bias.grid_spacing >= m.bias.grid_upper)
    throw o.error("grid_spacing", "must be smaller than grid_max");
}

ReplicaInts make_replica_ints(const std::vector<int>& values, const std::string& label) {
  ReplicaInts view(label, values.size());
  auto host = Kokkos::create_mirror_view(view);
  for (size_t r = 0; r < values.size(); ++r)
    host(r) = values[r];
  Kokkos::deep_copy(view, host);
  return view;
}

std::vector<std::array<double, 3>> replica_positions(const BatchSnapshot& s, int r) {
  std::vector<std::array<double, 3>> x(s.n_atoms);
  for (int i = 0; i < s.n_atoms; ++i) {
    const size_t g = static_cast<size_t>(r) * s.n_atoms + i;
    x[i] = {s.positions[3 * g], s.positions[3 * g + 1], s.positions[3 * g + 2]};
  }
  return x;
}

// Per tracer, what the run collects.
struct TracerRecord {
  int atom = 0;  // replica-local index
  int64_t atom_id = 0;
  std::string species;
  std::vector<int64_t> cv_steps;
  std::vector<double> cv_times, cv_values, bias_values;
  bool stopped = false;
  bool confirmed_online = false;
  int64_t confirmed_step = -1;
  BatchSnapshot after;  // the batch when the event was confirmed (replica r used)
};

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

}  // namespace

void run_metad_task(InputObject& input, const RunOptions& options) {
  if (options.restart)
    throw InputError("metad does not support --restart yet (run it again from the start)");
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
  if (out.checkpoint_stride > 0)
    throw InputError("output.checkpoint_stride: metad does not support checkpoints yet (use 0)");
  input.finish();

  fs::create_directories(out.directory);
  std::ofstream(fs::path(out.directory) / "effective_input.json")
      << input.effective_configuration().dump(2) << "\n";

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
  }

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

  std::vector<TemperatureScheduleSpec> schedules;
  for (int r = 0; r < n; ++r)
    schedules.push_back(TemperatureScheduleSpec::constant(m.temperature[r]));

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
    Progress progress("metad equilibration", m.equilibration_steps,
                      static_cast<int64_t>(n) * n_atoms, out.progress_interval, out.quiet);
    for (int64_t s = 1; s <= m.equilibration_steps; ++s) {
      equilibrate.step(batch, system->force_field);
      progress.update(s);
    }
    progress.finish(m.equilibration_steps);
  }

  // --- CVs anchored at the start of sampling, and the inherent structures "before".
  const BatchSnapshot start = snapshot(batch);
  std::vector<CvDefinition> definitions;
  for (int r = 0; r < n; ++r) {
    const auto x = replica_positions(start, r);
    if (m.cv == "hop_distance")
      definitions.push_back(hop_distance_definition(tracers[r].atom, x[tracers[r].atom]));
    else
      definitions.push_back(cluster_rmsd_definition(
          select_cluster(x, start.boxes[r], tracers[r].atom, m.cluster_cutoff), x, start.boxes[r]));
  }
  MetadynamicsBias bias(CvSet(definitions), {m.bias}, m.temperature);
  bias.cvs().check_against(batch);
  bias.cvs().anchor_references(batch);

  std::vector<int> all(n);
  for (int r = 0; r < n; ++r)
    all[r] = r;
  const MinimizeSettings fire = fire_settings(n, m);
  const MinimizedCopies before = minimize_copies(*system, start, all, fire);

  system->force_field.reset();
  system->force_field.add_term(bias.make_force_term());

  IntegratorSettings nvt;
  nvt.timestep = m.timestep;
  nvt.ensemble = Ensemble::nvt_nose_hoover;
  MdIntegrator integrator(n, n_atoms, nvt);
  integrator.set_temperature_schedules(schedules);
  integrator.set_thermostat_damping(m.thermostat_tau);
  integrator.reset_state();

  SegmentedResults results =
      SegmentedResults::for_batch(out, batch, input.effective_configuration());
  results.start_segment(0);
  Thermo thermo(n);
  FrameStorage frame_storage;
  const double dt = m.timestep;

  std::vector<int> active_host(n, 1);
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

  auto sample = [&](int64_t step) {
    // CV and bias of every tracer still sampling (thermo_stride), from the force evaluation at
    // this step's positions (energies were requested for it).
    bias.cvs().evaluate(batch);
    const std::vector<double> cv = bias.cvs().values_on_host();
    const std::vector<double> v = bias.bias_energies();
    for (int r = 0; r < n; ++r) {
      if (tracers[r].stopped)
        continue;
      tracers[r].cv_steps.push_back(step);
      tracers[r].cv_times.push_back(step * dt);
      tracers[r].cv_values.push_back(cv[r]);
      tracers[r].bias_values.push_back(v[r]);
    }
    integrator.compute_thermo(batch, thermo);
    results.record_thermo(step, step * dt, thermo_values(batch, thermo));
  };
  sample(0);

  Progress progress("metad", m.steps, static_cast<int64_t>(n) * n_atoms, out.progress_interval,
                    out.quiet);
  int64_t step = 0;
  int n_stopped = 0;
  while (step < m.steps && n_stopped < n) {
    ++step;
    const bool thermo_step = step % out.thermo_stride == 0;
    integrator.step(batch, system->force_field, active, thermo_step);
    if (thermo_step)
      sample(step);
    if (out.trajectory_stride > 0 && step % out.trajectory_stride == 0)
      results.record_frame(make_frame(batch, step, step * dt, frame_storage));
    if (bias.deposition_due(step)) {
      bias.deposit(batch, step, step * dt, active);
      // Event check at the deposition meeting point: the first time a tracer's event is
      // confirmed, its configuration is kept for the inherent structure "after".
      bool changed = false;
      BatchSnapshot now;
      bool have_now = false;
      for (int r = 0; r < n; ++r) {
        TracerRecord& t = tracers[r];
        if (t.confirmed_online || t.cv_values.empty())
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
        t.after = now;
        if (m.stop_after_first_event) {
          t.stopped = true;
          active_host[r] = 0;
          ++n_stopped;
          changed = true;
        }
      }
      if (changed)
        active = make_replica_ints(active_host, "metad::active");
    }
    progress.update(step);
  }
  progress.finish(step);
  const std::string results_path = results.merge();
  const BatchSnapshot end = snapshot(batch);

  // --- per-tracer analysis, inherent structures after the event, outputs.
  nlohmann::ordered_json summary_tracers = nlohmann::ordered_json::array();
  std::vector<double> event_barriers;
  hdf5::File file = hdf5::File::open_read_write(results_path);
  file.write("tracers/grid_s", grid_s);
  for (int r = 0; r < n; ++r) {
    TracerRecord& t = tracers[r];
    const std::vector<Hill>& hills = bias.hills()[r];
    const TracerAnalysis a =
        analyse_tracer(hills, grid_s, t.cv_times, t.cv_values, analysis_settings(r));
    const bool found = a.event.found;
    int64_t event_step = -1;
    if (found)
      event_step = t.cv_steps[a.event.sample];
    double displacement = std::numeric_limits<double>::quiet_NaN();
    std::vector<int64_t> moved_ids;
    std::string after_source = "none";
    if (found) {
      // The snapshot at which the event was confirmed online; if only the final FES shows it,
      // the configuration at the end of sampling (still in the new basin by the dwell rule).
      const BatchSnapshot& after = t.confirmed_online ? t.after : end;
      after_source = t.confirmed_online ? "confirmation" : "end_of_run";
      const MinimizedCopies is_after = minimize_copies(*system, after, {r}, fire);
      const auto x_before = replica_positions(before.minimized, r);
      const auto x_after = replica_positions(is_after.minimized, 0);
      const CollectiveDisplacement cd =
          collective_displacement(x_before, x_after, is_after.minimized.boxes[0], 0.5);
      displacement = cd.total;
      for (int i : cd.moved)
        moved_ids.push_back(start.ids[static_cast<size_t>(r) * n_atoms + i]);
      event_barriers.push_back(a.event.barrier_eV);
    }

    char name[64];
    std::snprintf(name, sizeof name, "tracers/tracer_%04d", r);
    const hdf5::Group g = file.create_group(name);
    g.write("atom_id", std::vector<int64_t>{t.atom_id});
    g.write("species", std::vector<std::string>{t.species});
    g.write("cv_atoms", std::vector<int>(definitions[r].atoms));
    g.write("temperature_K", std::vector<double>{m.temperature[r]});
    g.write("event_found", std::vector<int>{found ? 1 : 0});
    g.write("barrier_eV", std::vector<double>{found ? a.event.barrier_eV : NAN});
    g.write("hop_distance_A", std::vector<double>{found ? a.event.hop_distance : NAN});
    g.write("collective_displacement_A", std::vector<double>{displacement});
    g.write("moved_atoms", moved_ids);
    g.write("event_step", std::vector<int64_t>{event_step});
    g.write("event_confirmed_step", std::vector<int64_t>{t.confirmed_step});
    g.write("after_structure_from", std::vector<std::string>{after_source});
    g.write("rate_per_s", std::vector<double>{found ? a.rate : NAN});
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
        {"rate_per_s", null_or(found, a.rate)},
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

  if (!out.quiet) {
    std::fprintf(stderr, "metad: %d tracers at %s K, %lld biased steps\n", n,
                 summary["temperature_K"].dump().c_str(), static_cast<long long>(step));
    for (const auto& t : summary_tracers)
      std::fprintf(stderr, "  atom %6lld %-3s event %-5s barrier %s eV  a %s Å  |Δr| %s Å\n",
                   static_cast<long long>(t["atom_id"].get<int64_t>()),
                   t["species"].get<std::string>().c_str(), t["event_found"] ? "yes" : "no",
                   t["barrier_eV"].dump().c_str(), t["hop_distance_A"].dump().c_str(),
                   t["collective_displacement_A"].dump().c_str());
    std::fprintf(stderr, "  parallel %s eV, sequential %s eV; wrote %s\n",
                 summary["barrier_parallel_eV"].dump().c_str(),
                 summary["barrier_sequential_eV"].dump().c_str(), out.directory.c_str());
  }
}

}  // namespace glassland
