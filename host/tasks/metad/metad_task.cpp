// `task: metad` — well-tempered metadynamics of tracer atoms, one replica per tracer, all tracers
// of a glass in one batch (SPEC.md §5–6; issue 4 item 5; papers 000 and 001).
//
// The protocol, as stages (host/tasks/stage.hpp):
//   velocities → equilibration (optional NPT) → sampling (biased NVT, events checked online at
//   every deposition; checkpoint.h5) → events (FES, first event, ΔG, rate per tracer) →
//   inherent structures (before and after each event) → outputs (results.h5 per-tracer groups,
//   HILLS_NNNN in PLUMED format, summary.json) → transmission (optional reactive-flux κ;
//   transmission_checkpoint.h5) → report.
//
// Replica r biases tracer r only: its CV, bias grid, velocities (seed + the tracer's atom id) and
// thermostat are its own, so its trajectory does not depend on the other tracers of the batch.
// Checkpoints hold everything the rest of the run depends on (sampling.hpp,
// transmission_stage.hpp); results.h5 is written in parts as for md
// (host/tasks/segmented_results.hpp), so a run killed at any moment and restarted with --restart
// ends bitwise where the uninterrupted run ends.
#include <algorithm>

#include "cv/tracers.hpp"
#include "host/tasks/metad/metad_settings.hpp"
#include "host/tasks/metad/metad_state.hpp"
#include "host/tasks/metad/sampling.hpp"
#include "host/tasks/metad/tracer_results.hpp"
#include "host/tasks/metad/transmission_stage.hpp"
#include "host/tasks/task_drivers.hpp"
#include "host/tasks/task_run.hpp"
#include "host/tasks/task_system.hpp"

namespace glassland {

namespace {

// Replica-local index of each replica's tracer: the given atom ids, or a seeded draw among the
// chosen species (from replica 0's atom list: every replica has the same atoms in that order).
std::vector<int> choose_tracer_atoms(const MetadState& s, InputObject& section) {
  const TracerChoice& choice = s.m.tracers;
  const BatchSnapshot& initial = s.initial;
  std::vector<int> atoms(s.n);
  if (!choice.atom_ids.empty()) {
    for (int r = 0; r < s.n; ++r) {
      const auto begin = initial.ids.begin() + static_cast<ptrdiff_t>(r) * s.n_atoms;
      const auto it = std::find(begin, begin + s.n_atoms, choice.atom_ids[r]);
      if (it == begin + s.n_atoms)
        throw section.error("atom_ids", "atom id " + std::to_string(choice.atom_ids[r]) +
                                            " is not in replica " + std::to_string(r));
      atoms[r] = static_cast<int>(it - begin);
    }
    return atoms;
  }
  std::vector<int> allowed;
  const bool any = choice.species.size() == 1 && choice.species[0] == "any";
  if (!any)
    for (const auto& name : choice.species) {
      const auto& el = s.system.potential.elements;
      const auto it = std::find(el.begin(), el.end(), name);
      if (it == el.end())
        throw section.error("species", "unknown element \"" + name + "\"");
      allowed.push_back(static_cast<int>(it - el.begin()));
    }
  const std::vector<int> elements(initial.elements.begin(), initial.elements.begin() + s.n_atoms);
  try {
    return select_tracer_atoms(elements, allowed, s.n, static_cast<uint64_t>(choice.seed));
  } catch (const std::invalid_argument& e) {
    throw section.error("species", e.what());
  }
}

void set_up_tracers(MetadState& s, InputObject& section) {
  s.initial = snapshot(s.system.batch);
  const std::vector<int> atoms = choose_tracer_atoms(s, section);
  s.tracers.resize(s.n);
  for (int r = 0; r < s.n; ++r) {
    TracerRecord& t = s.tracers[r];
    const size_t g = static_cast<size_t>(r) * s.n_atoms + atoms[r];
    t.atom = atoms[r];
    t.atom_id = s.initial.ids[g];
    t.species = s.system.potential.elements[s.initial.elements[g]];
    t.mass = s.system.potential.masses[s.initial.elements[g]];
    s.schedules.push_back(TemperatureScheduleSpec::constant(s.m.temperature[r]));
  }
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
  const int n = system->batch.n_replicas;
  if (m.tracers.count > 0 && m.tracers.count != n)
    throw tracer_section.error("count", "must equal the number of replicas (" + std::to_string(n) +
                                            "): one replica per tracer");
  if (!m.tracers.atom_ids.empty() && static_cast<int>(m.tracers.atom_ids.size()) != n)
    throw tracer_section.error("atom_ids", "needs one id per replica (" + std::to_string(n) + ")");
  read_metad_settings(metad, n, m);
  const OutputSettings out = read_output_settings(input, "metad_output");
  input.finish();
  TaskRun run("metad", out, options, input.effective_configuration());
  run.set_system_shape(n, system->batch.n_atoms);

  MetadState state(*system, m);
  set_up_tracers(state, tracer_section);
  VelocitiesStage velocities(state);
  EquilibrationStage equilibration(state);
  SamplingStage sampling(state);
  FunctionStage events("events", [&](TaskRun&) { analyse_events(state); });
  FunctionStage structures("inherent structures",
                           [&](TaskRun&) { minimize_event_structures(state); });
  FunctionStage outputs("outputs", [&](TaskRun& r) { write_tracer_results(r, state); });
  TransmissionStage transmission(state);
  FunctionStage report("report",
                       [&](TaskRun& r) { print_metad_summary(state, r.output().directory); });
  run.run({&velocities, &equilibration, &sampling, &events, &structures, &outputs, &transmission,
           &report});
}

}  // namespace glassland
