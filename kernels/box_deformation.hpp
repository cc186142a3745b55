// Affine shear deformation of every replica's box through its tilt factors (SPEC.md §1, §10;
// paper 003's strain-controlled ageing), each replica with its own strain and strain rate:
//  * a step strain, as LAMMPS `change_box all xy delta D remap x` with D = γ_xy·ly (γ_xz·lz,
//    γ_yz·lz for the other tilts);
//  * a constant engineering strain rate, as LAMMPS `fix deform N xy erate R remap x` (LAMMPS docs
//    of fix deform, src/fix_deform.cpp end_of_step): tilt(t) = tilt(0) + R·L0·t with L0 the box
//    length perpendicular to the shear direction when the deformation started (ly for xy, lz for
//    xz and yz) and t the time since then, so the tilt at a step is a function of the step count
//    alone (exact restarts).
// Atoms follow the box affinely, x' = lo + H' H⁻¹ (x − lo) (remap x). Only tilts change, so this
// is x' = x + Δxy·s_y + Δxz·s_z, y' = y + Δyz·s_z with s = H⁻¹ (x − lo), which leaves an atom
// bitwise in place when its replica's tilts do not change. Velocities are not touched (LAMMPS
// remap x, not remap v: no streaming profile is imposed or removed). Boxes are never flipped
// (LAMMPS `flip yes` is not implemented): a tilt that grows until a perpendicular width is below
// 2·(cutoff + skin) is refused by the neighbour list, naming the replica.
#pragma once

#include "kernels/batch.hpp"

namespace glassland {

// Per-replica tilt quantities in the order xy, xz, yz, indexed [r][k].
using ReplicaTilts = Kokkos::View<double* [3], MemSpace>;

// A constant-rate tilt deformation of every replica (rate 0: that tilt is held).
struct TiltRamp {
  ReplicaTilts start_tilt;    // Å, tilts at elapsed time 0
  ReplicaTilts start_length;  // Å, ly, lz, lz at elapsed time 0 (LAMMPS's L0)
  ReplicaTilts rate;          // 1/ps, engineering shear strain rates (LAMMPS erate, metal units)

  // Tilt k of replica r after `elapsed_ps`.
  KOKKOS_INLINE_FUNCTION double tilt(int r, int k, double elapsed_ps) const {
    return start_tilt(r, k) + rate(r, k) * start_length(r, k) * elapsed_ps;
  }
};

// Step strain: tilts of replica r grow by γ(r)·L (xy by γ_xy·ly, xz by γ_xz·lz, yz by γ_yz·lz),
// atoms remapped affinely.
void apply_shear_strain(Batch& batch, const ReplicaTilts& strain);

// A ramp at `rate` (1/ps) that starts from the batch's current boxes.
TiltRamp make_tilt_ramp(const Batch& batch, const ReplicaTilts& rate);

// Sets every replica's tilts to the ramp's values at `elapsed_ps` and remaps its atoms.
void apply_tilt_ramp(Batch& batch, const TiltRamp& ramp, double elapsed_ps);

}  // namespace glassland
