// `task: md` — molecular dynamics of every replica of a batch in lock step (SPEC.md §3):
// NVE, NVT (Nosé–Hoover chains or Langevin), NPT (MTK), NVT at a fixed shear strain, with
// per-replica temperatures, ramps and pressures; thermo and H5MD trajectories in HDF5; final
// structures as LAMMPS data files; checkpoints and exact restart; optionally MSD, α2 and F_s of
// every replica accumulated on the device (md.analysis, kernels/displacement_correlation.hpp).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <memory>

#include "host/io/batch_checkpoint.hpp"
#include "host/io/batch_io.hpp"
#include "host/io/checkpoint.hpp"
#include "host/io/dynamics_report.hpp"
#include "host/io/input_error.hpp"
#include "host/io/json_hdf5.hpp"
#include "host/io/physical_ranges.hpp"
#include "host/tasks/inherent_structure_series.hpp"
#include "host/tasks/md_recorder.hpp"
#include "host/tasks/md_steps.hpp"
#include "host/tasks/shear_deformation.hpp"
#include "host/tasks/task_drivers.hpp"
#include "host/tasks/task_run.hpp"
#include "host/tasks/task_system.hpp"
#include "kernels/displacement_correlation.hpp"
#include "kernels/kinetic.hpp"
#include "kernels/md_integrator.hpp"

namespace glassland {

namespace {

struct MdInput {
  IntegratorSettings settings;
  int64_t steps = 0;
  std::vector<double> temperature, initial_temperature, pressure, thermostat_tau, barostat_tau;
  std::vector<TemperatureScheduleSpec> schedules;
  std::string velocities = "create";
  int64_t velocity_seed = 1;
  int64_t langevin_seed = 1;
  MdShearSettings shear;  // per-replica step strain at the start and strain rate
  InherentStructureSeriesSettings inherent_structures;
  // md.analysis: displacement statistics on the device every analysis_stride steps (0: none).
  int64_t analysis_stride = 0;
  DisplacementCorrelationSettings analysis;
  std::vector<double> analysis_fit_window;
};

void read_md_analysis(InputObject& md_section, MdInput& md) {
  const auto section = md_section.optional_object(
      "analysis", "MSD, α2 and F_s of every replica accumulated on the device (docs/tasks.md)");
  if (!section)
    return;
  InputObject a = *section;
  md.analysis_stride = a.integer("stride", required, "steps",
                                 "steps between samples (use the trajectory_stride to compare "
                                 "with a written trajectory)",
                                 IntegerRange::positive());
  md.analysis.max_lag = static_cast<int>(
      a.integer("max_lag", 100, "samples", "longest lag", IntegerRange::closed(1, 1000000)));
  md.analysis.origin_stride =
      static_cast<int>(a.integer("origin_stride", 10, "samples", "samples between time origins",
                                 IntegerRange::closed(1, 1000000)));
  md.analysis.dimensions =
      a.boolean("lateral", false, "x–y displacements only (d = 2; slabs)") ? 2 : 3;
  md.analysis.remove_drift =
      a.boolean("remove_drift", true, "subtract each replica's centre-of-mass displacement");
  md.analysis.q =
      a.numbers("q", {2.7}, "1/Å",
                "wave numbers of F_s (2.7: the S(q) peak of Cu50Zr50, paper 002; in the "
                "x–y plane with lateral)",
                LengthRange::any(), NumberRange::positive());
  md.analysis.subsets =
      static_cast<int>(a.integer("subsets", 8, "", "interleaved atom subsets for the error of D",
                                 IntegerRange::closed(1, 1000)));
  md.analysis_fit_window = a.numbers("fit_window_ps", {}, "ps",
                                     "start and end of the MSD fit for D (default: t_max/10 to "
                                     "t_max/2)",
                                     LengthRange::between(0, 2), NumberRange::non_negative());
  if (md.analysis_fit_window.size() == 1)
    throw a.error("fit_window_ps", "give the start and the end of the window");
}

MdInput read_md_input(InputObject& input, int n_replicas) {
  MdInput md;
  InputObject o = input.object("md", "molecular dynamics settings");
  md.settings.timestep = o.number("timestep", 0.002, "ps", "time step", NumberRange::positive());
  md.steps = o.integer("steps", required, "steps", "number of steps", IntegerRange::non_negative());
  const std::string ensemble =
      o.choice("ensemble", "nvt", {"nve", "nvt", "langevin", "bussi", "npt"},
               "nve; nvt (Nosé–Hoover chains); langevin (BAOAB); bussi (stochastic velocity "
               "rescaling); npt (MTK)");
  md.settings.ensemble = ensemble == "nve"        ? Ensemble::nve
                         : ensemble == "nvt"      ? Ensemble::nvt_nose_hoover
                         : ensemble == "langevin" ? Ensemble::nvt_langevin
                         : ensemble == "bussi"    ? Ensemble::nvt_bussi
                                                  : Ensemble::npt;
  md.temperature = o.per_replica_numbers("temperature", 300.0, n_replicas, "K",
                                         "target temperature per replica (start of a ramp)",
                                         temperature_range());
  md.velocities = o.choice("velocities", "create", {"create", "from_structure"},
                           "create Maxwell–Boltzmann velocities, or keep those of the data files");
  md.initial_temperature = o.per_replica_numbers(
      "initial_temperature", -1.0, n_replicas, "K",
      "temperature of the created velocities (default: the target temperature)",
      temperature_range());
  for (int r = 0; r < n_replicas; ++r)
    if (md.initial_temperature[r] < 0)
      md.initial_temperature[r] = md.temperature[r];
  // The default (-1, "the target temperature") is not a valid value: effective_input.json records
  // the temperatures used, so that it runs again as an input (a sweep point's, for example).
  const bool one_value = std::all_of(md.initial_temperature.begin(), md.initial_temperature.end(),
                                     [&](double t) { return t == md.initial_temperature.front(); });
  o.record_resolved("initial_temperature", one_value
                                               ? nlohmann::json(md.initial_temperature.front())
                                               : nlohmann::json(md.initial_temperature));
  md.velocity_seed = o.integer("velocity_seed", 1, "", "velocity seed; replica r uses seed + r",
                               IntegerRange::non_negative());
  md.langevin_seed =
      o.integer("langevin_seed", 1, "", "Langevin noise seed; replica r uses seed + r",
                IntegerRange::non_negative());
  InputObject thermostat = o.object("thermostat", "thermostat coupling");
  md.thermostat_tau = thermostat.per_replica_numbers(
      "tau", 0.1, n_replicas, "ps", "thermostat damping time (Nosé–Hoover Tdamp, Langevin 1/γ)",
      NumberRange::positive());
  md.settings.thermostat_chain_length = static_cast<int>(thermostat.integer(
      "chain_length", 3, "", "Nosé–Hoover chain length", IntegerRange::closed(1, kMaxChainLength)));
  InputObject barostat = o.object("barostat", "barostat coupling (ensemble npt)");
  md.pressure = barostat.per_replica_numbers("pressure", 0.0, n_replicas, "bar", "target pressure",
                                             pressure_range());
  md.barostat_tau = barostat.per_replica_numbers("tau", 1.0, n_replicas, "ps",
                                                 "barostat damping time", NumberRange::positive());
  const std::string coupling =
      barostat.choice("coupling", "isotropic", {"isotropic", "anisotropic", "triclinic"},
                      "which cell degrees of freedom the barostat moves");
  md.settings.coupling = coupling == "isotropic"     ? BarostatCoupling::isotropic
                         : coupling == "anisotropic" ? BarostatCoupling::anisotropic
                                                     : BarostatCoupling::triclinic;
  md.shear = read_shear_settings(o, n_replicas, md.settings.ensemble == Ensemble::npt);
  const auto ramp = o.optional_object("ramp", "linear temperature ramp from `temperature`");
  const auto stairs = o.optional_object("staircase", "temperature in steps from `temperature`");
  if (ramp && stairs)
    throw o.error("ramp", "give either ramp or staircase, not both");
  for (int r = 0; r < n_replicas; ++r)
    md.schedules.push_back(TemperatureScheduleSpec::constant(md.temperature[r]));
  if (ramp) {
    InputObject ro = *ramp;
    const auto end = ro.per_replica_numbers("end_temperature", required, n_replicas, "K",
                                            "final temperature", temperature_range());
    const auto rate = ro.per_replica_numbers("rate", 0.0, n_replicas, "K/s",
                                             "ramp rate (magnitude); 0: spread over all steps",
                                             NumberRange::non_negative());
    for (int r = 0; r < n_replicas; ++r)
      md.schedules[r] =
          rate[r] > 0 ? TemperatureScheduleSpec::ramp_at_rate(md.temperature[r], end[r], rate[r],
                                                              md.settings.timestep)
                      : TemperatureScheduleSpec::ramp_in_steps(md.temperature[r], end[r], md.steps);
  }
  if (stairs) {
    InputObject so = *stairs;
    const auto end = so.per_replica_numbers("end_temperature", required, n_replicas, "K",
                                            "final temperature", temperature_range());
    const auto size =
        so.per_replica_numbers("stair", required, n_replicas, "K", "temperature change per stair",
                               NumberRange::positive());
    const auto every =
        so.per_replica_integers("steps_per_stair", required, n_replicas, "steps",
                                "steps spent on each stair", IntegerRange::positive());
    for (int r = 0; r < n_replicas; ++r)
      md.schedules[r] =
          TemperatureScheduleSpec::staircase(md.temperature[r], end[r], size[r], every[r]);
  }
  read_md_analysis(o, md);
  md.inherent_structures = read_inherent_structure_series(o, n_replicas, md.settings.timestep);
  return md;
}

// dynamics.json and dynamics.h5: the device's sums of every replica, reported as `glassland
// analyze dynamics` reports a trajectory (host/io/dynamics_report.hpp).
void write_dynamics_results(TaskRun& run, const TaskSystem& system, const MdInput& md,
                            const DisplacementCorrelation& correlation) {
  const Batch& batch = system.batch;
  const auto elements = Kokkos::create_mirror_view_and_copy(HostSpace(), batch.elements);
  std::vector<nlohmann::json> series;
  for (int r = 0; r < batch.n_replicas; ++r) {
    DynamicsSeries s;
    s.source = "replica " + std::to_string(r);
    s.species_names = system.potential.elements;
    s.subsets = md.analysis.subsets;
    s.atoms_per_species.assign(batch.n_elements, 0);
    for (int i = 0; i < batch.n_atoms; ++i)
      ++s.atoms_per_species[elements(static_cast<int64_t>(r) * batch.n_atoms + i)];
    s.frame_interval_ps = md.analysis_stride * md.settings.timestep;
    s.frames = static_cast<std::size_t>(correlation.samples());
    s.settings.max_lag = md.analysis.max_lag;
    s.settings.origin_stride = md.analysis.origin_stride;
    s.settings.dimensions = md.analysis.dimensions;
    s.settings.remove_drift = md.analysis.remove_drift;
    s.settings.q = md.analysis.q;
    const ReplicaDisplacementSums sums = correlation.replica_sums(r);
    s.sums.n_groups = correlation.groups();
    s.sums.n_q = md.analysis.q.size();
    s.sums.count = sums.count;
    s.sums.r2 = sums.r2;
    s.sums.r4 = sums.r4;
    s.sums.fs = sums.fs;
    const bool constant = md.schedules[r].kind == ScheduleKind::constant;
    s.temperature_K = constant ? md.temperature[r] : std::numeric_limits<double>::quiet_NaN();
    s.fit_start_ps = md.analysis_fit_window.size() == 2 ? md.analysis_fit_window[0]
                                                        : std::numeric_limits<double>::quiet_NaN();
    s.fit_end_ps = md.analysis_fit_window.size() == 2 ? md.analysis_fit_window[1]
                                                      : std::numeric_limits<double>::quiet_NaN();
    s.q_source = "md.analysis.q";
    s.unwrapping = "image flags (on the device)";
    series.push_back(dynamics_series_json(s));
  }
  const nlohmann::json settings = {{"stride_steps", md.analysis_stride},
                                   {"max_lag_samples", md.analysis.max_lag},
                                   {"origin_stride_samples", md.analysis.origin_stride},
                                   {"lateral", md.analysis.dimensions == 2},
                                   {"drift_removed", md.analysis.remove_drift},
                                   {"subsets", md.analysis.subsets}};
  const nlohmann::json document = dynamics_document("task md (md.analysis)", settings, series);
  write_result_document(run.path("dynamics.json"), document);
  write_result_document(run.path("dynamics.h5"), document);
}

// Maxwell–Boltzmann velocities (md.velocities "create") and the applied shear strain: what a
// fresh run does before its first step, and a resumed run has in its checkpoint.
class StartStage : public Stage {
 public:
  StartStage(Batch& batch, const MdInput& md) : batch_(batch), md_(md) {}
  std::string name() const override { return "start"; }
  void run(TaskRun&) override {
    apply_shear_strain(batch_, md_.shear);
    if (md_.velocities != "create")
      return;
    const int n = batch_.n_replicas;
    std::vector<uint64_t> seeds;
    for (int r = 0; r < n; ++r)
      seeds.push_back(static_cast<uint64_t>(md_.velocity_seed) + r);
    create_maxwell_boltzmann_velocities(
        batch_, make_replica_view<ReplicaScalars>(md_.initial_temperature, "md::temperature"),
        make_replica_view<ReplicaSeeds>(seeds, "md::seeds"));
  }

 private:
  Batch& batch_;
  const MdInput& md_;
};

// md.steps of the chosen ensemble, thermo and frames recorded, checkpointed at the output's
// stride; results.h5 at the end.
class DynamicsStage : public Stage {
 public:
  DynamicsStage(TaskSystem& system, const MdInput& md, MdIntegrator& integrator)
      : system_(system),
        md_(md),
        integrator_(integrator),
        ramp_(md.shear, system.batch.n_replicas),
        inherent_structures_(md.inherent_structures, system) {
    if (md.analysis_stride > 0)
      correlation_ = std::make_unique<DisplacementCorrelation>(system.batch, md.analysis);
  }
  std::string name() const override { return "dynamics"; }
  std::string checkpoint_file() const override { return "checkpoint.h5"; }
  void save(Checkpoint& c) const override {
    save_batch(c, system_.batch);
    save_integrator_state(c, integrator_.state());
    c.set_int64("run/step", step_);
    c.set_int64("run/next_segment", next_segment_);
    ramp_.save(c);
    if (correlation_) {
      const DisplacementCorrelation::State a = correlation_->state();
      c.set_int64("analysis/samples", a.samples);
      c.set("analysis/slot_origin", a.slot_origin);
      c.set("analysis/origins", a.origins);
      c.set("analysis/sums", a.sums);
    }
  }
  void resume(const Checkpoint& c) override {
    load_batch(c, system_.batch);
    load_integrator_state(c, integrator_.state());
    step_ = c.get_int64("run/step");
    if (step_ > md_.steps)  // md.steps may grow on a restart, not shrink below what was run
      throw InputError(c.source() + ": the checkpointed run is at step " + std::to_string(step_) +
                       ", beyond md.steps = " + std::to_string(md_.steps) +
                       "; give md.steps of at least that to continue it");
    next_segment_ = static_cast<int>(c.get_int64("run/next_segment"));
    ramp_.resume(c);
    if (correlation_) {
      DisplacementCorrelation::State a;
      a.samples = c.get_int64("analysis/samples");
      a.slot_origin = c.int64s("analysis/slot_origin");
      a.origins = c.doubles("analysis/origins");
      a.sums = c.doubles("analysis/sums");
      try {
        correlation_->restore(a);
      } catch (const std::invalid_argument& e) {
        throw InputError(c.source() + ": " + e.what() +
                         "; restore md.analysis or remove the "
                         "checkpoint");
      }
    }
    resumed_ = true;
  }
  void run(TaskRun& run) override {
    Batch& batch = system_.batch;
    const OutputSettings& out = run.output();
    SegmentedResults results = SegmentedResults::for_batch(out, system_, run.effective_input());
    inherent_structures_.declare(results);
    results.start_segment(next_segment_);
    MdRecorder recorder(out, md_.settings.timestep, batch.n_replicas, /*print_thermo=*/true);
    MdSteps steps(run, *this, batch, system_.force_field, integrator_, &results, next_segment_);
    steps.setup();
    if (!resumed_)
      ramp_.start(batch);
    auto record = [&](int64_t s) {
      ramp_.apply(batch, s, md_.settings.timestep);  // LAMMPS fix deform: at the end of the step
      recorder.record(s, batch, integrator_, results);
      if (inherent_structures_.due(s))
        inherent_structures_.record(s, s * md_.settings.timestep, run, results);
      if (correlation_ && s % md_.analysis_stride == 0)
        correlation_->sample(batch);
    };
    if (!resumed_)
      record(0);
    Progress progress =
        run.progress("", md_.steps, static_cast<int64_t>(batch.n_replicas) * batch.n_atoms);
    MdSteps::Hooks hooks;
    hooks.after_step = record;
    // Faults are read before a quench too: a replica that failed is not quenched.
    hooks.meeting_point = [&](int64_t s) {
      return s % out.thermo_stride == 0 || results.frame_due(s) || inherent_structures_.due(s);
    };
    steps.run(step_, md_.steps, progress, hooks);
    progress.finish(step_);
    results_path_ = results.merge();
    trajectory_path_ = results.trajectory_path();
    if (correlation_)
      write_dynamics_results(run, system_, md_, *correlation_);
    // The run is complete: its checkpoint would only point at result parts that no longer exist.
    run.remove_checkpoint(*this);
  }
  const std::string& results_path() const { return results_path_; }
  const std::string& trajectory_path() const { return trajectory_path_; }

 private:
  TaskSystem& system_;
  const MdInput& md_;
  MdIntegrator& integrator_;
  int64_t step_ = 0;
  int next_segment_ = 0;
  bool resumed_ = false;
  std::string results_path_, trajectory_path_;
  std::unique_ptr<DisplacementCorrelation> correlation_;
  ShearRamp ramp_;
  InherentStructureSeries inherent_structures_;
};

}  // namespace

void run_md_task(InputObject& input, const RunOptions& options) {
  auto system = read_task_system(input);
  Batch& batch = system->batch;
  const int n_replicas = batch.n_replicas;
  const MdInput md = read_md_input(input, n_replicas);
  const OutputSettings out = read_output_settings(input, "md_output", /*thermo_lines=*/true);
  input.finish();
  TaskRun run("md", out, options, input.effective_configuration());
  run.set_system_shape(n_replicas, batch.n_atoms);

  MdIntegrator integrator(n_replicas, batch.n_atoms, md.settings);
  integrator.set_temperature_schedules(md.schedules);
  integrator.set_thermostat_damping(md.thermostat_tau);
  std::vector<std::array<double, 6>> target(n_replicas);
  for (int r = 0; r < n_replicas; ++r)
    target[r] = {md.pressure[r], md.pressure[r], md.pressure[r], 0, 0, 0};
  integrator.set_barostat(md.barostat_tau, target);
  std::vector<uint64_t> langevin_seeds;
  for (int r = 0; r < n_replicas; ++r)
    langevin_seeds.push_back(static_cast<uint64_t>(md.langevin_seed) + r);
  integrator.set_langevin_seeds(langevin_seeds);
  integrator.reset_state();

  StartStage start(batch, md);
  DynamicsStage dynamics(*system, md, integrator);
  FunctionStage structures("final structures", [&](TaskRun& r) {
    // A failed replica has no final structure: what it holds is where its dynamics broke down.
    int written = 0;
    for (int k = 0; k < n_replicas; ++k) {
      char name[64];
      std::snprintf(name, sizeof name, "final_%04d.data", k);
      if (r.has_failed(k))
        continue;
      write_replica_data(*system, k, r.path(name), true);
      ++written;
    }
    r.say("wrote " + dynamics.results_path() +
          (dynamics.trajectory_path().empty() ? "" : ", " + dynamics.trajectory_path()) + " and " +
          std::to_string(written) + " final structures in " + out.directory);
  });
  run.run({&start, &dynamics, &structures});
}

}  // namespace glassland
