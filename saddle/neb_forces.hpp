// The nudged-elastic-band force on one image, as small device functions of scalars.
//
// Improved tangent and spring force: G. Henkelman & H. Jónsson, "Improved tangent estimate in
// the nudged elastic band method for finding minimum energy paths and saddle points",
// J. Chem. Phys. 113, 9978 (2000), Eqs. 8–12.
// Climbing image and energy-weighted springs: G. Henkelman, B. P. Uberuaga & H. Jónsson,
// "A climbing image nudged elastic band method for finding saddle points and minimum energy
// paths", J. Chem. Phys. 113, 9901 (2000), Eqs. 5–6.
//
// With τ+ = R_{k+1} − R_k and τ− = R_k − R_{k−1} (3N vectors, minimum image per atom) the
// tangent of image k is τ = w+ τ+ + w− τ− (weights below). The image kernels reduce the five
// dot products τ+·τ+, τ−·τ−, τ+·τ−, F·τ+, F·τ− once per image, so that |τ| and F·τ̂ follow from
// scalars without storing τ.
#pragma once

#include "kernels/kokkos_compat.hpp"

namespace glassland {

// τ = next · τ+ + previous · τ−.
struct TangentWeights {
  double next = 0.0;
  double previous = 0.0;
};

// Henkelman & Jónsson 2000, Eqs. 8–11: uphill neighbour's segment when the image's energy lies
// between its neighbours'; at an extremum, both segments weighted by the energy differences so
// that the tangent turns smoothly. Where all three energies are equal (a flat band, e.g. a pure
// translation) the weights would vanish; the central difference τ+ + τ− is used instead.
KOKKOS_INLINE_FUNCTION TangentWeights improved_tangent_weights(double energy_previous,
                                                               double energy, double energy_next) {
  TangentWeights w;
  if (energy_next > energy && energy > energy_previous) {
    w.next = 1.0;
  } else if (energy_next < energy && energy < energy_previous) {
    w.previous = 1.0;
  } else {
    const double up = kmath::fabs(energy_next - energy);
    const double down = kmath::fabs(energy_previous - energy);
    const double largest = kmath::max(up, down);
    const double smallest = kmath::min(up, down);
    if (energy_next > energy_previous) {
      w.next = largest;
      w.previous = smallest;
    } else {
      w.next = smallest;
      w.previous = largest;
    }
    if (w.next == 0.0 && w.previous == 0.0) {
      w.next = 1.0;
      w.previous = 1.0;
    }
  }
  return w;
}

// The dot products of one image (sums over its atoms).
struct ImageDots {
  double next_next = 0.0;   // τ+·τ+
  double prev_prev = 0.0;   // τ−·τ−
  double next_prev = 0.0;   // τ+·τ−
  double force_next = 0.0;  // F·τ+
  double force_prev = 0.0;  // F·τ−
};

// |τ| for τ = w+ τ+ + w− τ−.
KOKKOS_INLINE_FUNCTION double tangent_norm(const TangentWeights& w, const ImageDots& d) {
  const double squared = w.next * w.next * d.next_next + w.previous * w.previous * d.prev_prev +
                         2.0 * w.next * w.previous * d.next_prev;
  return kmath::sqrt(kmath::max(squared, 0.0));
}

// Energy-weighted spring constant of the segment whose upper energy is `segment_energy`
// (Henkelman, Uberuaga & Jónsson 2000, Eq. 6): k_max − Δk (E_max − E)/(E_max − E_ref) above
// the reference energy E_ref (the higher endpoint), k_min below it. Stiffer springs near the
// top put more images where the saddle is.
KOKKOS_INLINE_FUNCTION double energy_weighted_spring(double k_max, double k_min,
                                                     double segment_energy, double band_max,
                                                     double reference) {
  if (segment_energy <= reference || band_max <= reference)
    return k_min;
  return k_max - (k_max - k_min) * (band_max - segment_energy) / (band_max - reference);
}

// What the atom loop applies to the true force F of an intermediate image:
//   F_NEB = F − c_parallel (F·τ̂) τ̂ + spring τ̂,
// with c_parallel = 1 (nudged: perpendicular part of F plus the spring along τ̂, Eq. 12) or 2
// (climbing image: F with its parallel part inverted, no spring, Eq. 5 of the CI paper).
struct ImageProjection {
  double tangent_scale_next = 0.0;  // τ̂ = tangent_scale_next τ+ + tangent_scale_prev τ−
  double tangent_scale_previous = 0.0;
  double force_along_tangent = 0.0;  // F·τ̂, eV/Å
  double parallel_factor = 1.0;      // c_parallel
  double spring = 0.0;               // eV/Å, the spring force along τ̂
};

// Henkelman & Jónsson 2000, Eq. 12: F_s∥ = (k_{k+½}|τ+| − k_{k−½}|τ−|) τ̂.
KOKKOS_INLINE_FUNCTION ImageProjection neb_projection(const TangentWeights& w, const ImageDots& d,
                                                      double k_next, double k_previous,
                                                      bool climbing) {
  ImageProjection p;
  const double norm = tangent_norm(w, d);
  if (norm <= 0.0)
    return p;  // coincident neighbours: no tangent, the image feels its true force
  p.tangent_scale_next = w.next / norm;
  p.tangent_scale_previous = w.previous / norm;
  p.force_along_tangent = (w.next * d.force_next + w.previous * d.force_prev) / norm;
  if (climbing) {
    p.parallel_factor = 2.0;
    p.spring = 0.0;
  } else {
    p.parallel_factor = 1.0;
    p.spring = k_next * kmath::sqrt(d.next_next) - k_previous * kmath::sqrt(d.prev_prev);
  }
  return p;
}

}  // namespace glassland
