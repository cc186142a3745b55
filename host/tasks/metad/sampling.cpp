#include "host/tasks/metad/sampling.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <stdexcept>

#include "host/io/batch_checkpoint.hpp"
#include "host/io/input_error.hpp"
#include "host/tasks/md_recorder.hpp"
#include "kernels/kinetic.hpp"

namespace glassland {

namespace {

std::string tracer_prefix(int r) {
  char name[64];
  std::snprintf(name, sizeof name, "tracer_%04d", r);
  return name;
}

}  // namespace

// ---------------------------------------------------------------- velocities

void VelocitiesStage::run(TaskRun&) {
  std::vector<uint64_t> seeds;
  for (const TracerRecord& t : s_.tracers)
    seeds.push_back(static_cast<uint64_t>(s_.m.velocity_seed) + static_cast<uint64_t>(t.atom_id));
  create_maxwell_boltzmann_velocities(
      s_.system.batch, make_replica_view<ReplicaScalars>(s_.m.temperature, "metad::temperature"),
      make_replica_view<ReplicaSeeds>(seeds, "metad::seeds"));
}

// ---------------------------------------------------------------- equilibration

void EquilibrationStage::run(TaskRun& run) {
  const MetadInput& m = s_.m;
  if (m.equilibration_steps == 0)
    return;
  Batch& batch = s_.system.batch;
  IntegratorSettings npt;
  npt.timestep = m.timestep;
  npt.ensemble = Ensemble::npt;
  MdIntegrator equilibrate(s_.n, s_.n_atoms, npt);
  equilibrate.set_temperature_schedules(s_.schedules);
  equilibrate.set_thermostat_damping(m.thermostat_tau);
  std::vector<std::array<double, 6>> target(s_.n);
  for (int r = 0; r < s_.n; ++r)
    target[r] = {m.pressure[r], m.pressure[r], m.pressure[r], 0, 0, 0};
  equilibrate.set_barostat(m.barostat_tau, target);
  equilibrate.reset_state();
  // Its thermo (volume, pressure: has it converged?) and frames, with the output's strides, to
  // equilibration.h5 (steps counted from its start). start_segment(0) drops the parts a killed
  // run left.
  SegmentedResults record =
      SegmentedResults::for_batch(run.output(), s_.system, run.effective_input(), "equilibration");
  record.start_segment(0);
  MdRecorder recorder(run.output(), m.timestep, s_.n);
  int segments = 0;
  MdSteps steps(run, *this, batch, s_.system.force_field, equilibrate, &record, segments);
  steps.setup();
  recorder.record(0, batch, equilibrate, record);
  Progress progress =
      run.progress(name(), m.equilibration_steps, static_cast<int64_t>(s_.n) * s_.n_atoms);
  MdSteps::Hooks hooks;
  hooks.after_step = [&](int64_t step) { recorder.record(step, batch, equilibrate, record); };
  hooks.checkpoint_due = [](int64_t) { return false; };
  int64_t step = 0;
  steps.run(step, m.equilibration_steps, progress, hooks);
  progress.finish(m.equilibration_steps);
  record.merge();
}

// ---------------------------------------------------------------- sampling

std::vector<CvDefinition> SamplingStage::define_cvs() const {
  std::vector<CvDefinition> definitions;
  const BatchSnapshot start = snapshot(s_.system.batch);
  for (int r = 0; r < s_.n; ++r) {
    const int atom = s_.tracers[r].atom;
    const auto x = replica_positions(start, r);
    if (s_.m.cv == "hop_distance")
      definitions.push_back(hop_distance_definition(atom, x[atom]));
    else
      definitions.push_back(cluster_rmsd_definition(
          select_cluster(x, start.boxes[r], atom, s_.m.cluster_cutoff), x, start.boxes[r]));
  }
  return definitions;
}

void SamplingStage::build_sampler(const std::vector<CvDefinition>& definitions, bool anchor) {
  const MetadInput& m = s_.m;
  Batch& batch = s_.system.batch;
  s_.bias = std::make_unique<MetadynamicsBias>(
      CvSet(definitions), std::vector<MetadynamicsSettings>{m.bias}, m.temperature);
  s_.bias->cvs().check_against(batch);
  if (anchor)
    s_.bias->cvs().anchor_references(batch);
  s_.system.force_field.reset();
  s_.system.force_field.add_term(s_.bias->make_force_term());
  IntegratorSettings nvt;
  nvt.timestep = m.timestep;
  nvt.ensemble = Ensemble::nvt_nose_hoover;
  integrator_ = std::make_unique<MdIntegrator>(s_.n, s_.n_atoms, nvt);
  integrator_->set_temperature_schedules(s_.schedules);
  integrator_->set_thermostat_damping(m.thermostat_tau);
  integrator_->reset_state();
}

void SamplingStage::save(Checkpoint& c) const {
  const Batch& batch = s_.system.batch;
  save_batch(c, batch);
  save_integrator_state(c, integrator_->state());
  {
    // Energies and virials of the batch: a frozen (stopped) replica is not evaluated again, so
    // its thermo keeps the values of its last evaluation; a restart must start from them too.
    const auto energy =
        Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), batch.potential_energy);
    const auto virial = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), batch.virial);
    std::vector<double> e(s_.n), w(6 * static_cast<size_t>(s_.n));
    for (int r = 0; r < s_.n; ++r) {
      e[r] = energy(r);
      for (int k = 0; k < 6; ++k)
        w[6 * r + k] = virial(r, k);
    }
    c.set("metad/potential_energy", e);
    c.set("metad/virial", w);
  }
  c.set_int64("run/step", step_);
  c.set_int64("run/next_segment", next_segment_);
  save_cv_definitions(c, s_.bias->cvs().definitions());
  const auto grid_values = s_.bias->bias_on_grid();
  const auto grid_derivatives = s_.bias->bias_derivative_on_grid();
  for (int r = 0; r < s_.n; ++r) {
    const std::string prefix = tracer_prefix(r);
    std::vector<int64_t> hill_steps;
    std::vector<double> hill_values;
    for (const Hill& h : s_.bias->hills()[r]) {
      hill_steps.push_back(h.step);
      for (double v : {h.time, h.center, h.sigma, h.height, h.bias_factor})
        hill_values.push_back(v);
    }
    c.set(prefix + "/hills/step", hill_steps);
    c.set(prefix + "/hills/values", hill_values);
    c.set(prefix + "/grid/value", grid_values[r]);
    c.set(prefix + "/grid/derivative", grid_derivatives[r]);
    save_tracer(c, prefix, s_.tracers[r]);
  }
}

void SamplingStage::resume(const Checkpoint& c) {
  load_batch(c, s_.system.batch);
  step_ = c.get_int64("run/step");
  if (step_ > s_.m.steps)  // metad.steps may grow on a restart, not shrink below what was run
    throw InputError(c.source() + ": the checkpointed run is at step " + std::to_string(step_) +
                     ", beyond metad.steps = " + std::to_string(s_.m.steps) +
                     "; give metad.steps of at least that to continue it");
  next_segment_ = static_cast<int>(c.get_int64("run/next_segment"));
  // CV definitions as anchored at the start of sampling (not re-anchored: the references of
  // the uninterrupted run).
  build_sampler(load_cv_definitions(c, s_.n), false);
  load_integrator_state(c, integrator_->state());
  restore_energies(c);
  restore_bias_and_tracers(c);
  resumed_ = true;
}

void SamplingStage::restore_energies(const Checkpoint& c) {
  Batch& batch = s_.system.batch;
  const auto& e = c.doubles("metad/potential_energy");
  const auto& w = c.doubles("metad/virial");
  if (e.size() != static_cast<size_t>(s_.n) || w.size() != 6 * static_cast<size_t>(s_.n))
    throw InputError(c.source() + ": metad/potential_energy does not match this run");
  auto energy = Kokkos::create_mirror_view(batch.potential_energy);
  auto virial = Kokkos::create_mirror_view(batch.virial);
  for (int r = 0; r < s_.n; ++r) {
    energy(r) = e[r];
    for (int k = 0; k < 6; ++k)
      virial(r, k) = w[6 * r + k];
  }
  Kokkos::deep_copy(batch.potential_energy, energy);
  Kokkos::deep_copy(batch.virial, virial);
}

void SamplingStage::restore_bias_and_tracers(const Checkpoint& c) {
  std::vector<std::vector<Hill>> hills(s_.n);
  std::vector<std::vector<double>> values(s_.n), derivatives(s_.n);
  for (int r = 0; r < s_.n; ++r) {
    const std::string prefix = tracer_prefix(r);
    const auto& steps = c.int64s(prefix + "/hills/step");
    const auto& hill_values = c.doubles(prefix + "/hills/values");
    if (hill_values.size() != 5 * steps.size())
      throw InputError(c.source() + ": " + prefix + "/hills does not match its steps");
    for (size_t k = 0; k < steps.size(); ++k) {
      Hill h;
      h.step = steps[k];
      h.time = hill_values[5 * k];
      h.center = hill_values[5 * k + 1];
      h.sigma = hill_values[5 * k + 2];
      h.height = hill_values[5 * k + 3];
      h.bias_factor = hill_values[5 * k + 4];
      hills[r].push_back(h);
    }
    values[r] = c.doubles(prefix + "/grid/value");
    derivatives[r] = c.doubles(prefix + "/grid/derivative");
    TracerRecord& t = s_.tracers[r];
    load_tracer(c, prefix, s_.n_atoms, s_.m.stop_after_first_event, t);
    if (t.stopped) {
      active_[r] = 0;
      ++n_stopped_;
    }
  }
  try {
    s_.bias->restore_state(hills, values, derivatives);
  } catch (const std::invalid_argument& e) {
    throw InputError(c.source() + ": " + e.what());
  }
}

void SamplingStage::run(TaskRun& run) {
  const MetadInput& m = s_.m;
  const OutputSettings& out = run.output();
  Batch& batch = s_.system.batch;
  if (!resumed_)
    build_sampler(define_cvs(), true);
  SegmentedResults results = SegmentedResults::for_batch(out, s_.system, run.effective_input());
  results.start_segment(next_segment_);
  results_ = &results;
  thermo_ = std::make_unique<Thermo>(s_.n);
  MdSteps steps(run, *this, batch, s_.system.force_field, *integrator_, &results, next_segment_);
  // A tracer whose replica failed (here or in the equilibration) samples no more: its record
  // says so (summary.json "failed"; faults.json says why) and it has no event.
  for (int r = 0; r < s_.n; ++r)
    if (run.has_failed(r) && !s_.tracers[r].failed)
      fail_tracer(r);
  steps.replica_failed = [&](int r) { fail_tracer(r); };
  steps.set_active(active_);
  steps.setup();
  s_.grid_s = s_.bias->grid_coordinates(0);
  if (!resumed_) {
    record_sample(0);
    keep_configurations(0);
  }

  Progress progress = run.progress("", m.steps, static_cast<int64_t>(s_.n) * s_.n_atoms);
  MdSteps::Hooks hooks;
  hooks.finished_early = [&] { return n_stopped_ >= s_.n; };
  hooks.after_step = [&](int64_t step) {
    if (step % out.thermo_stride == 0)
      record_sample(step);
    if (results.frame_due(step))
      results.record_frame(make_frame(batch, step, step * m.timestep, frame_storage_));
    if (step % m.snapshot_stride == 0)
      keep_configurations(step);
    if (s_.bias->deposition_due(step))
      deposit_and_check_events(step, steps);
  };
  hooks.checkpoint_due = [&](int64_t step) {
    return out.checkpoint_stride > 0 && step % out.checkpoint_stride == 0 && step < m.steps &&
           n_stopped_ < s_.n;
  };
  // Faults are read wherever the host meets the device, depositions and kept snapshots included
  // (so a blown-up tracer is never taken for one whose CV left the grid).
  hooks.meeting_point = [&](int64_t step) {
    return step % out.thermo_stride == 0 ||
           (out.trajectory_stride > 0 && step % out.trajectory_stride == 0) ||
           step % m.snapshot_stride == 0 || s_.bias->deposition_due(step);
  };
  steps.run(step_, m.steps, progress, hooks);
  progress.finish(step_);
  s_.results_path = results.merge();
  results_ = nullptr;
  // The run is complete: its checkpoint would only point at result parts that no longer exist.
  run.remove_checkpoint(*this);
  s_.end = snapshot(batch);
  s_.biased_steps = step_;
}

// CV and bias of every tracer still sampling (thermo_stride), from the force evaluation at this
// step's positions (energies were requested for it), and the thermo record.
void SamplingStage::record_sample(int64_t step) {
  const Batch& batch = s_.system.batch;
  const double time = step * s_.m.timestep;
  s_.bias->cvs().evaluate(batch);
  const std::vector<double> cv = s_.bias->cvs().values_on_host();
  const std::vector<double> v = s_.bias->bias_energies();
  for (int r = 0; r < s_.n; ++r) {
    TracerRecord& t = s_.tracers[r];
    if (t.stopped)
      continue;
    t.cv_steps.push_back(step);
    t.cv_times.push_back(time);
    t.cv_values.push_back(cv[r]);
    t.bias_values.push_back(v[r]);
  }
  integrator_->compute_thermo(batch, *thermo_);
  results_->record_thermo(step, time, thermo_values(batch, *thermo_));
}

// Kept configurations of the tracers still sampling whose event is not yet confirmed (a frozen
// tracer's copies would only push its earlier ones out of the history).
void SamplingStage::keep_configurations(int64_t step) {
  const auto keeps = [](const TracerRecord& t) { return !t.confirmed_online && !t.stopped; };
  if (std::none_of(s_.tracers.begin(), s_.tracers.end(), keeps))
    return;
  const BatchSnapshot now = snapshot(s_.system.batch);
  for (int r = 0; r < s_.n; ++r) {
    TracerRecord& t = s_.tracers[r];
    if (!keeps(t))
      continue;
    t.history.push_back(replica_configuration(now, r, step));
    while (static_cast<int64_t>(t.history.size()) > s_.m.snapshot_history)
      t.history.pop_front();
  }
}

// Freezes tracer r: its replica is no longer integrated, sampled or biased.
void SamplingStage::stop_tracer(int r) {
  s_.tracers[r].stopped = true;
  active_[r] = 0;
  ++n_stopped_;
}

// Tracer r's replica failed: it stops (if it had not) and is marked failed, not left_grid.
void SamplingStage::fail_tracer(int r) {
  TracerRecord& t = s_.tracers[r];
  if (!t.stopped)
    stop_tracer(r);
  t.failed = true;
  t.left_grid = false;
}

void SamplingStage::deposit_and_check_events(int64_t step, MdSteps& steps) {
  const MetadInput& m = s_.m;
  // A tracer whose CV has left its bias grid stops here (its bias has been zero since it left):
  // it would otherwise stop the whole batch. The others go on unchanged.
  bool left = false;
  for (const auto& [r, value] : s_.bias->replicas_outside_grid()) {
    TracerRecord& t = s_.tracers[r];
    if (t.stopped)
      continue;
    stop_tracer(r);
    t.left_grid = true;
    left = true;
    std::fprintf(stderr,
                 "metad: tracer %d (atom %lld): its CV reached %.3f Å, beyond metad.grid_max = %g "
                 "Å, by step %lld; its sampling stops there (summary: left_grid). Give a larger "
                 "metad.grid_max to follow it further.\n",
                 r, static_cast<long long>(t.atom_id), value, m.bias.grid_upper,
                 static_cast<long long>(step));
  }
  if (left)
    steps.set_active(active_);
  s_.bias->deposit(s_.system.batch, step, step * m.timestep, steps.active());
  // Event check at the deposition meeting point: the first time a tracer's event is confirmed,
  // its configuration is kept for the inherent structure "after", and the last kept
  // configuration before the event's start for the one "before".
  bool changed = false;
  BatchSnapshot now;
  bool have_now = false;
  for (int r = 0; r < s_.n; ++r) {
    TracerRecord& t = s_.tracers[r];
    // A stopped tracer (its event confirmed, or its CV off the grid) has nothing new to analyse;
    // the final analysis looks at it once more.
    if (t.stopped || t.confirmed_online || t.cv_values.empty())
      continue;
    const TracerAnalysis a = analyse_tracer(s_.bias->hills()[r], s_.grid_s, t.cv_times, t.cv_values,
                                            s_.analysis_settings(r));
    if (!a.event.found)
      continue;
    if (!have_now) {
      now = snapshot(s_.system.batch);
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
    steps.set_active(active_);
}

}  // namespace glassland
