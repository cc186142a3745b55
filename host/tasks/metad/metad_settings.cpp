#include "host/tasks/metad/metad_settings.hpp"

#include "host/io/physical_ranges.hpp"

namespace glassland {

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
  m.temperature = o.per_replica_numbers("temperature", required, n, "K",
                                        "sampling temperature T per replica (tracer)",
                                        temperature_range(false));
  m.equilibration_steps = o.integer("equilibration_steps", 0, "steps",
                                    "unbiased NPT equilibration before sampling (0: none)",
                                    IntegerRange::non_negative());
  m.pressure = o.per_replica_numbers("pressure", 0.0, n, "bar", "NPT equilibration pressure",
                                     pressure_range());
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

}  // namespace glassland
