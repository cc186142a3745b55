// `task: md` — molecular dynamics of every replica of a batch in lock step (SPEC.md §3):
// NVE, NVT (Nosé–Hoover chains or Langevin), NPT (MTK), NVT at a fixed shear strain, with
// per-replica temperatures, ramps and pressures; thermo and H5MD trajectories in HDF5; final
// structures as LAMMPS data files; checkpoints and exact restart.
#include <cmath>
#include <cstdio>

#include "host/io/batch_checkpoint.hpp"
#include "host/io/batch_io.hpp"
#include "host/io/checkpoint.hpp"
#include "host/tasks/md_recorder.hpp"
#include "host/tasks/md_steps.hpp"
#include "host/tasks/task_drivers.hpp"
#include "host/tasks/task_run.hpp"
#include "host/tasks/task_system.hpp"
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
  std::vector<double> shear_strain;  // xy, xz, yz tilt strains applied at the start
};

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
                                         NumberRange::non_negative());
  md.velocities = o.choice("velocities", "create", {"create", "from_structure"},
                           "create Maxwell–Boltzmann velocities, or keep those of the data files");
  md.initial_temperature = o.per_replica_numbers(
      "initial_temperature", -1.0, n_replicas, "K",
      "temperature of the created velocities (default: the target temperature)");
  for (int r = 0; r < n_replicas; ++r)
    if (md.initial_temperature[r] < 0)
      md.initial_temperature[r] = md.temperature[r];
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
  md.pressure = barostat.per_replica_numbers("pressure", 0.0, n_replicas, "bar", "target pressure");
  md.barostat_tau = barostat.per_replica_numbers("tau", 1.0, n_replicas, "ps",
                                                 "barostat damping time", NumberRange::positive());
  const std::string coupling =
      barostat.choice("coupling", "isotropic", {"isotropic", "anisotropic", "triclinic"},
                      "which cell degrees of freedom the barostat moves");
  md.settings.coupling = coupling == "isotropic"     ? BarostatCoupling::isotropic
                         : coupling == "anisotropic" ? BarostatCoupling::anisotropic
                                                     : BarostatCoupling::triclinic;
  md.shear_strain =
      o.numbers("shear_strain", {0.0, 0.0, 0.0}, "",
                "engineering tilt strains γ_xy, γ_xz, γ_yz applied affinely at the start "
                "(held during nvt/langevin: NVT at fixed shear strain)",
                LengthRange::exactly(3));
  const auto ramp = o.optional_object("ramp", "linear temperature ramp from `temperature`");
  const auto stairs = o.optional_object("staircase", "temperature in steps from `temperature`");
  if (ramp && stairs)
    throw o.error("ramp", "give either ramp or staircase, not both");
  for (int r = 0; r < n_replicas; ++r)
    md.schedules.push_back(TemperatureScheduleSpec::constant(md.temperature[r]));
  if (ramp) {
    InputObject ro = *ramp;
    const auto end = ro.per_replica_numbers("end_temperature", required, n_replicas, "K",
                                            "final temperature", NumberRange::non_negative());
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
                                            "final temperature", NumberRange::non_negative());
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
  return md;
}

// Applies the tilt strains affinely: xy += γ_xy·ly etc., positions follow x' = x + Δtilt·s.
void apply_shear_strain(Batch& batch, const std::vector<double>& strain) {
  if (strain[0] == 0 && strain[1] == 0 && strain[2] == 0)
    return;
  const double gxy = strain[0], gxz = strain[1], gyz = strain[2];
  auto boxes = batch.boxes;
  auto positions = batch.positions;
  const int n_atoms = batch.n_atoms;
  Kokkos::parallel_for(
      "md_task::shear_positions", all_atoms(batch.n_replicas, n_atoms), KOKKOS_LAMBDA(int64_t g) {
        const Box& b = boxes(g / n_atoms);
        const double dy = positions(g, 1) - b.lo[1], dz = positions(g, 2) - b.lo[2];
        // s_y = (y − yz s_z)/ly, s_z = z/lz; Δx = Δxy s_y + Δxz s_z, Δy = Δyz s_z.
        const double sz = dz / b.lz;
        const double sy = (dy - b.yz * sz) / b.ly;
        positions(g, 0) += gxy * b.ly * sy + gxz * b.lz * sz;
        positions(g, 1) += gyz * b.lz * sz;
      });
  Kokkos::parallel_for(
      "md_task::shear_boxes", Kokkos::RangePolicy<ExecSpace>(0, batch.n_replicas),
      KOKKOS_LAMBDA(int r) {
        boxes(r).xy += gxy * boxes(r).ly;
        boxes(r).xz += gxz * boxes(r).lz;
        boxes(r).yz += gyz * boxes(r).lz;
      });
}

// Maxwell–Boltzmann velocities (md.velocities "create") and the applied shear strain: what a
// fresh run does before its first step, and a resumed run has in its checkpoint.
class StartStage : public Stage {
 public:
  StartStage(Batch& batch, const MdInput& md) : batch_(batch), md_(md) {}
  std::string name() const override { return "start"; }
  void run(TaskRun&) override {
    apply_shear_strain(batch_, md_.shear_strain);
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
      : system_(system), md_(md), integrator_(integrator) {}
  std::string name() const override { return "dynamics"; }
  std::string checkpoint_file() const override { return "checkpoint.h5"; }
  void save(Checkpoint& c) const override {
    save_batch(c, system_.batch);
    save_integrator_state(c, integrator_.state());
    c.set_int64("run/step", step_);
    c.set_int64("run/next_segment", next_segment_);
  }
  void resume(const Checkpoint& c) override {
    load_batch(c, system_.batch);
    load_integrator_state(c, integrator_.state());
    step_ = c.get_int64("run/step");
    next_segment_ = static_cast<int>(c.get_int64("run/next_segment"));
    resumed_ = true;
  }
  void run(TaskRun& run) override {
    Batch& batch = system_.batch;
    const OutputSettings& out = run.output();
    SegmentedResults results = SegmentedResults::for_batch(out, system_, run.effective_input());
    results.start_segment(next_segment_);
    MdRecorder recorder(out, md_.settings.timestep, batch.n_replicas, /*print_thermo=*/true);
    MdSteps steps(run, *this, batch, system_.force_field, integrator_, &results, next_segment_);
    steps.setup();
    if (!resumed_)
      recorder.record(0, batch, integrator_, results);
    Progress progress =
        run.progress("", md_.steps, static_cast<int64_t>(batch.n_replicas) * batch.n_atoms);
    MdSteps::Hooks hooks;
    hooks.after_step = [&](int64_t s) { recorder.record(s, batch, integrator_, results); };
    steps.run(step_, md_.steps, progress, hooks);
    progress.finish(step_);
    results_path_ = results.merge();
    trajectory_path_ = results.trajectory_path();
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
};

}  // namespace

void run_md_task(InputObject& input, const RunOptions& options) {
  auto system = read_task_system(input);
  Batch& batch = system->batch;
  const int n_replicas = batch.n_replicas;
  const MdInput md = read_md_input(input, n_replicas);
  const OutputSettings out = read_output_settings(input, "md_output");
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
    for (int k = 0; k < n_replicas; ++k) {
      char name[64];
      std::snprintf(name, sizeof name, "final_%04d.data", k);
      write_replica_data(*system, k, r.path(name), true);
    }
    r.say("wrote " + dynamics.results_path() +
          (dynamics.trajectory_path().empty() ? "" : ", " + dynamics.trajectory_path()) + " and " +
          std::to_string(n_replicas) + " final structures in " + out.directory);
  });
  run.run({&start, &dynamics, &structures});
}

}  // namespace glassland
