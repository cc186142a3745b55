// Affine tilt deformation of the replicas' boxes. References at the top of
// kernels/box_deformation.hpp (LAMMPS change_box and fix deform with remap x).
#include "kernels/box_deformation.hpp"

namespace glassland {

namespace {

// Target tilts of a step strain: the current tilts plus γ·L.
struct StrainedTilts {
  ReplicaTilts strain;
  KOKKOS_INLINE_FUNCTION void operator()(int r, const Box& b, double tilt[3]) const {
    tilt[0] = b.xy + strain(r, 0) * b.ly;
    tilt[1] = b.xz + strain(r, 1) * b.lz;
    tilt[2] = b.yz + strain(r, 2) * b.lz;
  }
};

// Target tilts of a ramp at a given elapsed time.
struct RampTilts {
  TiltRamp ramp;
  double elapsed_ps;
  KOKKOS_INLINE_FUNCTION void operator()(int r, const Box&, double tilt[3]) const {
    for (int k = 0; k < 3; ++k)
      tilt[k] = ramp.tilt(r, k, elapsed_ps);
  }
};

// x' = x + Δxy s_y + Δxz s_z, y' = y + Δyz s_z with s from the box before the change.
template <class Target>
struct RemapPositions {
  AtomVectors positions;
  ReplicaBoxes boxes;
  int n_atoms;
  Target target;
  KOKKOS_INLINE_FUNCTION void operator()(int64_t g) const {
    const int r = static_cast<int>(g / n_atoms);
    const Box& b = boxes(r);
    double tilt[3];
    target(r, b, tilt);
    const double sz = (positions(g, 2) - b.lo[2]) / b.lz;
    const double sy = (positions(g, 1) - b.lo[1] - b.yz * sz) / b.ly;
    positions(g, 0) += (tilt[0] - b.xy) * sy + (tilt[1] - b.xz) * sz;
    positions(g, 1) += (tilt[2] - b.yz) * sz;
  }
};

template <class Target>
struct SetTilts {
  ReplicaBoxes boxes;
  Target target;
  KOKKOS_INLINE_FUNCTION void operator()(int r) const {
    double tilt[3];
    target(r, boxes(r), tilt);
    boxes(r).xy = tilt[0];
    boxes(r).xz = tilt[1];
    boxes(r).yz = tilt[2];
  }
};

// Positions first (they need the old boxes), then the boxes.
template <class Target>
void remap_to_tilts(Batch& batch, const Target& target) {
  Kokkos::parallel_for("box_deformation::remap_positions",
                       all_atoms(batch.n_replicas, batch.n_atoms),
                       RemapPositions<Target>{batch.positions, batch.boxes, batch.n_atoms, target});
  Kokkos::parallel_for("box_deformation::set_tilts",
                       Kokkos::RangePolicy<ExecSpace>(0, batch.n_replicas),
                       SetTilts<Target>{batch.boxes, target});
}

}  // namespace

void apply_shear_strain(Batch& batch, const ReplicaTilts& strain) {
  remap_to_tilts(batch, StrainedTilts{strain});
}

TiltRamp make_tilt_ramp(const Batch& batch, const ReplicaTilts& rate) {
  TiltRamp ramp{ReplicaTilts("box_deformation::start_tilt", batch.n_replicas),
                ReplicaTilts("box_deformation::start_length", batch.n_replicas), rate};
  auto boxes = batch.boxes;
  auto tilt = ramp.start_tilt;
  auto length = ramp.start_length;
  Kokkos::parallel_for(
      "box_deformation::ramp_start", Kokkos::RangePolicy<ExecSpace>(0, batch.n_replicas),
      KOKKOS_LAMBDA(int r) {
        const Box& b = boxes(r);
        tilt(r, 0) = b.xy;
        tilt(r, 1) = b.xz;
        tilt(r, 2) = b.yz;
        length(r, 0) = b.ly;
        length(r, 1) = b.lz;
        length(r, 2) = b.lz;
      });
  return ramp;
}

void apply_tilt_ramp(Batch& batch, const TiltRamp& ramp, double elapsed_ps) {
  remap_to_tilts(batch, RampTilts{ramp, elapsed_ps});
}

}  // namespace glassland
