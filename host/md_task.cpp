// `task: md` — molecular dynamics of every replica of a batch in lock step (SPEC.md §3):
// NVE, NVT (Nosé–Hoover chains or Langevin), NPT (MTK), NVT at a fixed shear strain, with
// per-replica temperatures, ramps and pressures; thermo and H5MD trajectories in HDF5; final
// structures as LAMMPS data files; checkpoints and exact restart.
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "host/batch_io.hpp"
#include "host/run_output.hpp"
#include "host/task_system.hpp"
#include "host/tasks.hpp"
#include "kernels/kinetic.hpp"
#include "kernels/md_integrator.hpp"

namespace glassland {

namespace fs = std::filesystem;

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

template <class T>
ReplicaSeeds seeds_view(int n, T first) {
  ReplicaSeeds seeds("md_task::seeds", n);
  auto host = Kokkos::create_mirror_view(seeds);
  for (int r = 0; r < n; ++r)
    host(r) = static_cast<uint64_t>(first) + r;
  Kokkos::deep_copy(seeds, host);
  return seeds;
}

}  // namespace

void run_md_task(InputObject& input, const RunOptions& options) {
  auto system = read_task_system(input);
  Batch& batch = system->batch;
  const int n_replicas = batch.n_replicas;
  MdInput md = read_md_input(input, n_replicas);
  OutputSettings out = read_output_settings(input, "md_output");
  if (options.quiet)
    out.quiet = true;
  input.finish();

  fs::create_directories(out.directory);
  std::ofstream(fs::path(out.directory) / "effective_input.json")
      << input.effective_configuration().dump(2) << "\n";
  const std::string checkpoint_path = (fs::path(out.directory) / "checkpoint.h5").string();

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

  int64_t step = 0;
  int segment = 0;
  const bool resume = options.restart && fs::exists(checkpoint_path);
  if (options.restart && !resume && !out.quiet)
    std::fprintf(stderr, "md: no checkpoint in %s yet; starting from the beginning\n",
                 out.directory.c_str());
  if (resume) {
    const Checkpoint checkpoint = Checkpoint::read(checkpoint_path);
    if (checkpoint.metadata().value("task", "") != "md")
      throw InputError(checkpoint_path + ": not a checkpoint of an md task");
    load_batch(checkpoint, batch);
    load_integrator_state(checkpoint, integrator.state());
    step = checkpoint.get_int64("run/step");
    segment = static_cast<int>(checkpoint.get_int64("run/next_segment"));
    if (!out.quiet)
      std::fprintf(stderr, "md: restarting from %s at step %lld\n", checkpoint_path.c_str(),
                   static_cast<long long>(step));
  } else {
    apply_shear_strain(batch, md.shear_strain);
    if (md.velocities == "create") {
      ReplicaScalars temperature("md_task::initial_temperature", n_replicas);
      auto host = Kokkos::create_mirror_view(temperature);
      for (int r = 0; r < n_replicas; ++r)
        host(r) = md.initial_temperature[r];
      Kokkos::deep_copy(temperature, host);
      create_maxwell_boltzmann_velocities(batch, temperature,
                                          seeds_view(n_replicas, md.velocity_seed));
    }
  }

  SegmentedResults results =
      SegmentedResults::for_batch(out, batch, input.effective_configuration());
  results.start_segment(segment);

  MdRecorder recorder(out, md.settings.timestep, n_replicas);
  integrator.setup(batch, system->force_field);
  auto record = [&](int64_t s) { recorder.record(s, batch, integrator, results); };
  if (!resume)
    record(0);

  Progress progress("md", md.steps, static_cast<int64_t>(n_replicas) * batch.n_atoms,
                    out.progress_interval, out.quiet);
  while (step < md.steps) {
    const int64_t next = step + 1;
    const bool energy = next % out.thermo_stride == 0;
    integrator.step(batch, system->force_field, {}, energy);
    step = next;
    record(step);
    if (out.checkpoint_stride > 0 && step % out.checkpoint_stride == 0 && step < md.steps) {
      // Close the results part, then checkpoint, then start afresh exactly as a restart would
      // (new neighbour lists, forces recomputed), so restarted runs repeat this one bitwise.
      results.close_segment();
      Checkpoint checkpoint;
      checkpoint.set_metadata({{"task", "md"}, {"input", options.input_path}});
      save_batch(checkpoint, batch);
      save_integrator_state(checkpoint, integrator.state());
      checkpoint.set_int64("run/step", step);
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
  // The run is complete: its checkpoint would only point at result parts that no longer exist.
  fs::remove(checkpoint_path);

  for (int r = 0; r < n_replicas; ++r) {
    char name[64];
    std::snprintf(name, sizeof name, "final_%04d.data", r);
    write_replica_data(*system, r, (fs::path(out.directory) / name).string(), true);
  }
  if (!out.quiet)
    std::fprintf(stderr, "md: wrote %s and %d final structures in %s\n", results_path.c_str(),
                 n_replicas, out.directory.c_str());
}

}  // namespace glassland
