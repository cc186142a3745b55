#include "host/tasks/metad/tracer_results.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <sstream>

#include "analysis/effective_barriers.hpp"
#include "cv/collective_displacement.hpp"
#include "cv/free_energy.hpp"
#include "host/io/atomic_file.hpp"
#include "host/io/batch_checkpoint.hpp"
#include "host/io/hdf5_file.hpp"
#include "host/io/lammps_data.hpp"
#include "kernels/units.hpp"

namespace glassland {

namespace {

nlohmann::ordered_json null_or(bool valid, double value) {
  return valid && std::isfinite(value) ? nlohmann::ordered_json(value)
                                       : nlohmann::ordered_json(nullptr);
}

std::string tracer_name(const char* format, int r) {
  char name[64];
  std::snprintf(name, sizeof name, format, r);
  return name;
}

// What the outputs say of one tracer's event.
struct TracerOutcome {
  bool found = false;
  int64_t event_step = -1;
  double displacement = std::numeric_limits<double>::quiet_NaN();  // |Δr|, Å
  std::vector<int64_t> moved_ids;
  double nu0 = 0.0;
  std::string nu0_from = "nu0";
  double stiffness = std::numeric_limits<double>::quiet_NaN();
  double rate = 0.0;  // s⁻¹
};

// |Δr| between the inherent structures before and after the event, and the atoms that moved.
void add_collective_displacement(const MetadState& s, int r, TracerOutcome& o) {
  const int slot = s.before_slot[r];
  const auto x_before = replica_positions(s.structures.minimized, slot);
  const auto x_after = replica_positions(s.structures.minimized, slot + 1);
  const CollectiveDisplacement cd =
      collective_displacement(x_before, x_after, s.structures.minimized.boxes[slot + 1], 0.5);
  o.displacement = cd.total;
  for (int i : cd.moved)
    o.moved_ids.push_back(s.initial.ids[static_cast<size_t>(r) * s.n_atoms + i]);
}

// ν0 = (1/2π) sqrt(k/m) at the initial minimum of the event's transition; the hop distance is
// the radius of the tracer's 3D displacement (D = 3, see basin_curvature).
void attempt_frequency_from_curvature(const MetadState& s, int r, TracerOutcome& o) {
  const MetadInput& m = s.m;
  const TracerAnalysis& a = s.analyses[r];
  const double window =
      m.curvature_window > 0 ? m.curvature_window : units::kBoltzmann * m.temperature[r];
  const BasinCurvature k = basin_curvature(s.grid_s, a.free_energy, a.event.barrier.initial_minimum,
                                           window, 3, m.temperature[r]);
  if (k.valid) {
    o.stiffness = k.stiffness;
    o.nu0 = harmonic_attempt_frequency(k.stiffness, s.tracers[r].mass);
    o.nu0_from = "curvature";
  } else {
    o.nu0_from = "nu0_fallback";  // too few grid points in the window, or not convex
  }
  o.rate = transition_rate(a.event.barrier_eV, m.temperature[r], o.nu0);
}

TracerOutcome evaluate_tracer(const MetadState& s, int r) {
  const TracerAnalysis& a = s.analyses[r];
  TracerOutcome o;
  o.found = a.event.found;
  o.nu0 = s.m.attempt_frequency;
  o.rate = a.rate;
  if (!o.found)
    return o;
  o.event_step = s.tracers[r].cv_steps[a.event.sample];
  if (s.before_slot[r] >= 0)
    add_collective_displacement(s, r, o);
  if (s.m.attempt_frequency_from == "curvature")
    attempt_frequency_from_curvature(s, r, o);
  return o;
}

// The configurations around the event and their inherent structures (replica-local atom
// order), so that |Δr| can be recomputed and the minimisations checked.
void write_event_structures(const hdf5::Group& g, const MetadState& s, int r) {
  const TracerRecord& t = s.tracers[r];
  g.write("before_structure/positions", t.before.positions);
  g.write("before_structure/images", t.before.images);
  g.write("after_structure/positions", t.after.positions);
  g.write("after_structure/images", t.after.images);
  const std::vector<double>& minimized = s.structures.minimized.positions;
  for (int side = 0; side < 2; ++side) {
    const int slot = s.before_slot[r] + side;
    const size_t first = static_cast<size_t>(slot) * s.n_atoms * 3;
    const std::string prefix = side == 0 ? "before_structure/" : "after_structure/";
    g.write(
        prefix + "minimized_positions",
        std::vector<double>(minimized.begin() + first, minimized.begin() + first + 3 * s.n_atoms));
    g.write(prefix + "box", box_values(s.structures.minimized.boxes[slot]));
  }
}

// The inherent structures before and after tracer r's event as LAMMPS data files,
// structures/tracer_NNNN_{initial,final}.data (NNNN: the tracer's index in summary.json), the
// endpoint pair `task: neb` makes a band of (neb.metad).
void write_event_structure_files(TaskRun& run, const MetadState& s, int r) {
  if (!s.analyses[r].event.found || s.before_slot[r] < 0)
    return;
  std::filesystem::create_directories(run.path("structures"));
  for (int side = 0; side < 2; ++side) {
    const std::string name = tracer_name(
        side == 0 ? "structures/tracer_%04d_initial.data" : "structures/tracer_%04d_final.data", r);
    LammpsData data =
        replica_to_data(s.structures.minimized, s.before_slot[r] + side, s.system.type_elements,
                        s.system.potential.elements, s.system.potential.masses, false);
    data.title = "glassland metad: tracer " + std::to_string(r) + " inherent structure " +
                 (side == 0 ? "before" : "after") + " its event";
    write_lammps_data(run.path(name), data);
  }
}

// FES with its history (about 20 snapshots), the CV and bias series and the hills.
void write_bias_history(const hdf5::Group& g, const MetadState& s, int r) {
  const TracerRecord& t = s.tracers[r];
  const std::vector<Hill>& hills = s.bias->hills()[r];
  g.write("fes/s", s.grid_s);
  g.write("fes/F", s.analyses[r].free_energy);
  const size_t every = std::max<size_t>(1, hills.size() / 20);
  const auto history =
      fes_history(hills, s.grid_s, s.m.temperature[r], s.m.bias.bias_temperature, every);
  std::vector<double> history_f;
  std::vector<int64_t> history_steps;
  for (const auto& h : history) {
    history_steps.push_back(h.step);
    history_f.insert(history_f.end(), h.free_energy.begin(), h.free_energy.end());
  }
  if (!history.empty()) {
    g.write("fes_history/step", history_steps);
    g.write("fes_history/F", history_f, {history.size(), s.grid_s.size()});
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
}

void write_tracer_group(hdf5::File& file, const MetadState& s, int r, const TracerOutcome& o) {
  const TracerRecord& t = s.tracers[r];
  const TracerAnalysis& a = s.analyses[r];
  const bool found = o.found;
  const hdf5::Group g = file.create_group(tracer_name("tracers/tracer_%04d", r));
  g.write("atom_id", std::vector<int64_t>{t.atom_id});
  g.write("species", std::vector<std::string>{t.species});
  const std::vector<int>& cv_atoms = s.bias->cvs().definitions()[r].atoms;
  g.write("cv_atoms", std::vector<int>(cv_atoms));
  std::vector<int64_t> cv_atom_ids;
  for (int i : cv_atoms)
    cv_atom_ids.push_back(s.initial.ids[static_cast<size_t>(r) * s.n_atoms + i]);
  g.write("cv_atom_ids", cv_atom_ids);
  g.write("temperature_K", std::vector<double>{s.m.temperature[r]});
  g.write("event_found", std::vector<int>{found ? 1 : 0});
  g.write("left_grid", std::vector<int>{t.left_grid ? 1 : 0});
  g.write("failed", std::vector<int>{t.failed ? 1 : 0});
  g.write("barrier_eV", std::vector<double>{found ? a.event.barrier_eV : NAN});
  g.write("hop_distance_A", std::vector<double>{found ? a.event.hop_distance : NAN});
  g.write("collective_displacement_A", std::vector<double>{o.displacement});
  g.write("moved_atoms", o.moved_ids);
  g.write("event_step", std::vector<int64_t>{o.event_step});
  g.write("event_confirmed_step", std::vector<int64_t>{t.confirmed_step});
  g.write("after_structure_from", std::vector<std::string>{s.after_sources[r]});
  g.write("before_structure_from", std::vector<std::string>{found ? t.before_source : "none"});
  g.write("before_structure_step", std::vector<int64_t>{found ? t.before.step : -1});
  g.write("after_structure_step", std::vector<int64_t>{found ? t.after.step : -1});
  if (found && s.before_slot[r] >= 0)
    write_event_structures(g, s, r);
  g.write("attempt_frequency_per_s", std::vector<double>{found ? o.nu0 : NAN});
  g.write("attempt_frequency_from", std::vector<std::string>{found ? o.nu0_from : "none"});
  g.write("curvature_eV_per_A2", std::vector<double>{o.stiffness});
  g.write("rate_per_s", std::vector<double>{found ? o.rate : NAN});
  write_bias_history(g, s, r);
}

// The pressure tracer r's volume was set at: metad.pressure of the NPT equilibration; null without
// one (sampling is NVT at the structure's own volume).
nlohmann::ordered_json tracer_pressure(const MetadState& s, int r) {
  if (s.m.equilibration_steps <= 0)
    return nullptr;
  return s.m.pressure[r];
}

nlohmann::ordered_json summary_entry(const MetadState& s, int r, const TracerOutcome& o) {
  const TracerRecord& t = s.tracers[r];
  const TracerAnalysis& a = s.analyses[r];
  const bool found = o.found;
  return {
      {"atom_id", t.atom_id},
      {"species", t.species},
      {"event_found", found},
      {"barrier_eV", null_or(found, a.event.barrier_eV)},
      {"hop_distance_A", null_or(found, a.event.hop_distance)},
      {"collective_displacement_A", null_or(found, o.displacement)},
      {"n_moved",
       found ? nlohmann::ordered_json(o.moved_ids.size()) : nlohmann::ordered_json(nullptr)},
      {"rate_per_s", null_or(found, o.rate)},
      {"left_grid", t.left_grid},
      {"failed", t.failed},
      // The conditions of the tracer's sampling, so that barriers pooled from several runs (a
      // sweep over T and P) carry them: its temperature, the pressure of its NPT equilibration
      // (null without one: then no pressure was imposed) and its replica's volume per atom
      // during the NVT sampling (the box the equilibration ended with).
      {"temperature_K", s.m.temperature[r]},
      {"pressure_bar", tracer_pressure(s, r)},
      {"atomic_volume_A3", s.end.boxes[r].volume() / s.n_atoms},
  };
}

// A per-replica value as the summary's top level gives it: one number when every replica has it,
// else the array.
// summary.json: the tracers and the effective barriers (SPEC.md §6) over the tracers with an
// event, at one temperature (the key order of issue 4's summary.json).
nlohmann::ordered_json make_summary(const MetadState& s, nlohmann::ordered_json tracers,
                                    const std::vector<double>& event_barriers) {
  const std::vector<double>& temperature = s.m.temperature;
  const bool one_temperature = std::all_of(temperature.begin(), temperature.end(),
                                           [&](double T) { return T == temperature[0]; });
  nlohmann::ordered_json summary;
  summary["temperature_K"] = one_temperature ? nlohmann::ordered_json(temperature[0])
                                             : nlohmann::ordered_json(temperature);
  nlohmann::ordered_json pressures = nlohmann::ordered_json::array();
  for (int r = 0; r < s.n; ++r)
    pressures.push_back(tracer_pressure(s, r));
  const bool one_pressure = std::all_of(pressures.begin(), pressures.end(),
                                        [&](const auto& p) { return p == pressures[0]; });
  summary["pressure_bar"] = one_pressure ? pressures[0] : pressures;
  summary["tracers"] = std::move(tracers);
  summary["barrier_parallel_eV"] = nullptr;
  summary["barrier_sequential_eV"] = nullptr;
  if (one_temperature && !event_barriers.empty()) {
    const auto eff = analysis::effective_barriers(event_barriers, temperature[0]);
    summary["barrier_parallel_eV"] = null_or(true, eff.parallel_eV);
    summary["barrier_sequential_eV"] = null_or(true, eff.sequential_eV);
  }
  return summary;
}

}  // namespace

void analyse_events(MetadState& s) {
  s.analyses.clear();
  s.after_sources.assign(s.n, "none");
  for (int r = 0; r < s.n; ++r) {
    TracerRecord& t = s.tracers[r];
    // A failed tracer's series ends in dynamics that meant nothing: no event is read from it.
    s.analyses.push_back(t.failed ? TracerAnalysis{}
                                  : analyse_tracer(s.bias->hills()[r], s.grid_s, t.cv_times,
                                                   t.cv_values, s.analysis_settings(r)));
    if (!s.analyses[r].event.found)
      continue;
    if (t.confirmed_online) {
      s.after_sources[r] = "confirmation";
    } else {
      // Only the final FES shows the event: the configuration at the end of sampling (still in
      // the new basin by the dwell rule) and the last kept one before the event's start.
      s.after_sources[r] = "end_of_run";
      t.after = replica_configuration(s.end, r, s.biased_steps);
      choose_before(t, event_start_step(t, s.analyses[r].event.sample));
    }
  }
}

void minimize_event_structures(MetadState& s) {
  std::vector<const ReplicaConfiguration*> configs;
  std::vector<int> config_replica;
  s.before_slot.assign(s.n, -1);
  for (int r = 0; r < s.n; ++r) {
    if (!s.analyses[r].event.found || s.tracers[r].before.step < 0)
      continue;
    s.before_slot[r] = static_cast<int>(configs.size());
    configs.push_back(&s.tracers[r].before);
    configs.push_back(&s.tracers[r].after);
    config_replica.insert(config_replica.end(), {r, r});
  }
  if (configs.empty())
    return;
  std::vector<int> slots(configs.size());
  for (size_t c = 0; c < slots.size(); ++c)
    slots[c] = static_cast<int>(c);
  const BatchSnapshot unminimized = configurations_snapshot(configs, config_replica, s.initial);
  s.structures = minimize_copies(s.system, unminimized, slots,
                                 fire_settings(static_cast<int>(slots.size()), s.m));
}

void write_tracer_results(TaskRun& run, MetadState& s) {
  nlohmann::ordered_json summary_tracers = nlohmann::ordered_json::array();
  std::vector<double> event_barriers;
  s.rates.assign(s.n, NAN);
  hdf5::File file = hdf5::File::open_read_write(s.results_path);
  file.write("tracers/grid_s", s.grid_s);
  for (int r = 0; r < s.n; ++r) {
    const TracerOutcome o = evaluate_tracer(s, r);
    if (o.found) {
      event_barriers.push_back(s.analyses[r].event.barrier_eV);
      s.rates[r] = o.rate;
    }
    write_tracer_group(file, s, r, o);
    write_event_structure_files(run, s, r);
    std::ostringstream hills_text;
    write_plumed_hills(hills_text, s.bias->hills()[r], s.m.cv == "hop_distance" ? "hop" : "rmsd");
    write_file_atomically(run.path(tracer_name("HILLS_%04d", r)), hills_text.str());
    summary_tracers.push_back(summary_entry(s, r, o));
  }
  file.close();
  s.summary = make_summary(s, std::move(summary_tracers), event_barriers);
  write_file_atomically(run.path("summary.json"), s.summary.dump(2) + "\n");
}

void print_metad_summary(const MetadState& s, const std::string& directory) {
  // A number with `decimals` decimals, or "-" where the summary has null (no event).
  const auto shown = [](const nlohmann::ordered_json& value, int decimals) {
    if (!value.is_number())
      return std::string("-");
    char text[32];
    std::snprintf(text, sizeof text, "%.*f", decimals, value.get<double>());
    return std::string(text);
  };
  const auto& summary = s.summary;
  const auto& tracers = summary["tracers"];
  std::printf("metad: %zu tracers at %s K, %lld biased steps\n", tracers.size(),
              summary["temperature_K"].dump().c_str(), static_cast<long long>(s.biased_steps));
  const bool with_kappa = !tracers.empty() && tracers[0].contains("transmission_coefficient");
  std::printf("      atom el  event    ΔG (eV)    a (Å)  |Δr| (Å)%s\n",
              with_kappa ? "  κ (transmission)" : "");
  for (const auto& t : tracers) {
    std::string kappa;
    if (with_kappa && t["transmission_coefficient"].is_number())
      // No reactive shot: the delta-method error is 0, the count says more.
      kappa = t["transmission_coefficient"].get<double>() > 0.0
                  ? "  " + shown(t["transmission_coefficient"], 4) + " ± " +
                        shown(t["transmission_standard_error"], 4)
                  : "  0 (no reactive shot of " + t["transmission_shots"].dump() + ")";
    std::printf("  %8lld %-3s %-5s %10s %8s %9s%s\n",
                static_cast<long long>(t["atom_id"].get<int64_t>()),
                t["species"].get<std::string>().c_str(),
                t.value("failed", false) ? "FAILED"
                : t["event_found"]       ? "yes"
                                         : "no",
                shown(t["barrier_eV"], 4).c_str(), shown(t["hop_distance_A"], 2).c_str(),
                shown(t["collective_displacement_A"], 2).c_str(), kappa.c_str());
  }
  if (summary["barrier_parallel_eV"].is_number())
    std::printf("  effective barriers: parallel %s eV, sequential %s eV\n",
                shown(summary["barrier_parallel_eV"], 4).c_str(),
                shown(summary["barrier_sequential_eV"], 4).c_str());
  else
    std::printf("  effective barriers: none (no tracer had an event)\n");
  std::printf("  results in %s\n", directory.c_str());
  std::fflush(stdout);
}

}  // namespace glassland
