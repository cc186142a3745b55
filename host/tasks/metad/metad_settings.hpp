// The input of `task: metad` (docs/metadynamics.md): which atoms are tracers, the sampling, the
// well-tempered bias, the event rule, the rate, the inherent structures and the optional
// recrossing correction.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cv/metadynamics_bias.hpp"
#include "cv/transmission_coefficient.hpp"
#include "host/io/json_input.hpp"
#include "host/tasks/inherent_structures.hpp"

namespace glassland {

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
  std::string attempt_frequency_from = "nu0";  // or "curvature"
  double curvature_window = 0.0;               // eV; 0: k_B T
  int64_t snapshot_stride = 0;                 // 0: pace
  int64_t snapshot_history = 50;
  bool stop_after_first_event = false;
  double event_dwell = 1.0;       // ps
  double event_prominence = 0.0;  // eV; 0: 2 k_B T
  int64_t velocity_seed = 1;
  double minimize_ftol = 1e-3;  // eV/Å, inherent structures
  int64_t minimize_max_iterations = 5000;
  ReactiveFluxSettings transmission;  // shots = 0: no recrossing correction
};

// metad.tracers, read before the system: its length sets the default replica count.
TracerChoice read_tracer_choice(InputObject& tracers);
// The rest of the metad section for n replicas (one per tracer).
void read_metad_settings(InputObject& o, int n, MetadInput& m);
// FIRE settings of the inherent structures around events (metad.minimize).
MinimizeSettings fire_settings(int n_replicas, const MetadInput& m);

}  // namespace glassland
