// Shear of an MD run, per replica (SPEC.md §3, §10; paper 003): a step strain applied at the start
// and held (NVT at fixed shear strain), and/or a constant engineering strain rate (LAMMPS
// `fix deform … erate … remap x`), both through kernels/box_deformation.hpp. Read from the
// `md.shear` section (docs/tasks.md).
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "host/io/checkpoint.hpp"
#include "host/io/json_input.hpp"
#include "kernels/batch.hpp"
#include "kernels/box_deformation.hpp"

namespace glassland {

struct MdShearSettings {
  std::vector<std::array<double, 3>> strain;  // per replica: γ_xy, γ_xz, γ_yz at the start
  std::vector<std::array<double, 3>> rate;    // per replica: 1/ps (LAMMPS erate, metal units)
  bool any_strain() const;
  bool any_rate() const;
};

// md.shear.{strain_xy, strain_xz, strain_yz, rate_xy, rate_xz, rate_yz}, per replica. A rate
// needs a box the barostat leaves alone (`npt` is refused); the old batch-wide
// md.shear_strain is refused with the new keys named.
MdShearSettings read_shear_settings(InputObject& md_section, int n_replicas, bool npt);

// The step strain of every replica (nothing when all are zero).
void apply_shear_strain(Batch& batch, const MdShearSettings& settings);

// The constant-rate part during a dynamics stage: started from the boxes at step 0, checkpointed
// (the start tilts and lengths), applied after every step as LAMMPS's fix deform applies it at
// the end of the step (so a thermo record's stress, as LAMMPS's, is that of the force evaluation
// before the step's remap).
class ShearRamp {
 public:
  ShearRamp(const MdShearSettings& settings, int n_replicas);
  bool active() const { return active_; }
  void start(const Batch& batch);
  void save(Checkpoint& checkpoint) const;
  void resume(const Checkpoint& checkpoint);
  // The boxes at `step` (elapsed time step·timestep since the start).
  void apply(Batch& batch, int64_t step, double timestep) const;

 private:
  bool active_ = false;
  int n_replicas_ = 0;
  ReplicaTilts rate_;
  TiltRamp ramp_;
};

}  // namespace glassland
