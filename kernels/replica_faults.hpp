// Per-replica fault flags (issue 16 item 1; ARCHITECTURE.md, "The one idea": "device-side
// failures raise a per-replica flag that the host checks at the next meeting point").
//
// A replica whose dynamics blows up — non-finite energy, forces, positions, velocities or box,
// an atom about to move farther in one step than any usable time step allows, a runaway
// temperature — is flagged on the device in the step where it happens, and stopped there: the
// check clears its entry of the mask the integrator is given, so it takes no further step and
// none of its numbers reach a neighbour list, a force evaluation or a reduction the other
// replicas share. The others go on exactly as if it had not been in the batch. The host reads
// the flags only where it already meets the device (thermo records, depositions, checkpoints,
// convergence checks): the check adds no per-step device-to-host transfer.
//
// Why the check looks one step ahead: velocity Verlet's next drift is x += dt·(v + dt/(2m)·f),
// known at the end of a step from its velocities and forces. Checking it there stops the replica
// at its last finite configuration, before the atom flies (a time step of 1e6 ps, or two atoms
// on top of each other, are caught at step 0, before any motion), so the stopped replica can
// still be inspected and a neighbour-list build never sees it. The bound of 1 Å per step is
// about 5 times the largest thermal step of any atom of a Cu–Zr liquid at 3000 K with
// dt = 5 fs (the fastest of 10⁶ atoms moves ≈ 35 Å/ps): a run that reaches it is not
// integrating its equations of motion any more (LAMMPS's own advice for metals is dt ≈ 1–2 fs).
//
// The temperature is checked where the energies are evaluated (thermo records, depositions):
// a runaway is T above runaway_factor × the target and above runaway_floor (10⁴ K: hotter than
// any condensed metal), which catches a heating instability before it ends in NaN.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "kernels/batch.hpp"
#include "kernels/md_integrator.hpp"

namespace glassland {

enum class FaultCause : int {
  none = 0,
  non_finite_energy = 1,
  non_finite_forces = 2,
  non_finite_positions = 3,  // positions or the box
  non_finite_velocities = 4,
  step_too_long = 5,        // an atom would move farther than max_step_displacement in one step
  temperature_runaway = 6,  // kinetic temperature far above the target
};
// "non_finite_forces", ... : the name results files use.
std::string to_string(FaultCause cause);

struct FaultLimits {
  double max_step_displacement = 1.0;  // Å an atom may move in one step
  double runaway_factor = 10.0;        // runaway: T > runaway_factor · T_target ...
  double runaway_floor = 1.0e4;        // ... and T > runaway_floor (K)
};

// The flags of every replica, on the device. A replica's entries are written once, by the check
// that stops it; cause(r) == 0 while it is healthy.
struct ReplicaFaults {
  ReplicaInts cause;           // FaultCause
  ReplicaSteps step;           // the replica's step (integrator step counter) at the check
  ReplicaInts atom;            // replica-local index of the atom that raised it; −1: the replica
  ReplicaScalars value;        // Å (step_too_long) or K (temperature_runaway); else 0
  ReplicaScalars target;       // target temperature at that step, K
  ReplicaScalars force;        // largest atomic force at the check, eV/Å (may be non-finite)
  ReplicaScalars temperature;  // kinetic temperature at the check, K (checked steps only; else NaN)

  ReplicaFaults() = default;
  explicit ReplicaFaults(int n_replicas);
  int size() const { return static_cast<int>(cause.extent(0)); }
  // Every replica healthy again (a new loop over the same batch).
  void clear() const;
};

// One replica's fault, on the host.
struct FaultRecord {
  int replica = -1;
  FaultCause cause = FaultCause::none;
  int64_t step = 0;
  int atom = -1;
  double value = 0.0;
  double target_temperature = 0.0;
  double max_force = 0.0;
  double temperature = 0.0;
};

// Checks every replica with active(r) != 0 and no fault yet, after a step (or at setup, before
// the first one) of `integrator`: finite positions, velocities, forces and box; the next drift
// within the bound; with `energies` (the batch's energies and virial are this step's) also the
// energy and the temperature. A replica that fails gets its fault recorded and active(r) set to
// 0: `active` must be a real mask (not the empty "all replicas" view).
void check_dynamics_faults(const Batch& batch, const MdIntegrator& integrator,
                           const ReplicaInts& active, bool energies, const FaultLimits& limits,
                           const ReplicaFaults& faults);

// The replicas flagged so far (one copy of R ints; the records themselves only when there is a
// fault).
std::vector<FaultRecord> read_faults(const ReplicaFaults& faults);

}  // namespace glassland
