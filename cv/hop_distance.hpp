// Hop distance of one tracer atom (SPEC.md §5; Wang, Du, Shinzato, Dai, Ogata, Acta Mater. 2018,
// paper 000, Sec. 2: the CV of single-atom hopping is the distance of the tracer from its initial
// position): s = |x(t) − x_ref|, ∂s/∂x = (x(t) − x_ref)/s.
//
// Periodic boundaries: x(t) is the atom's unwrapped position (positions + H·images, continuous
// through boundary crossings, so s keeps growing when the atom crosses a face any number of
// times). The reference is placed once, by anchor_reference(), at the periodic image nearest to
// the atom's unwrapped position at that moment (the minimum-image convention relative to the
// reference); afterwards no minimum image is applied, so s is smooth and exact even beyond half
// a box length.
//
// The fixed reference point makes the bias on s an external force on one atom; the metadynamics
// bias therefore takes s in the replica's centre-of-mass frame (MetadynamicsSettings::
// centre_of_mass_frame, cv/metadynamics_bias.cpp), which leaves this function unchanged because
// momentum-free dynamics keep the centre of mass where it was.
#pragma once

#include "kernels/box.hpp"

namespace glassland {

struct HopDistance {
  static const char* name() { return "hop_distance"; }

  // x: unwrapped positions of the CV's atoms, [n][3] flattened (n = 1 here); reference the same
  // layout. Writes ∂s/∂x into gradient ([n][3]) and returns s (Å).
  KOKKOS_INLINE_FUNCTION static double evaluate(const Box& box, int n, const double* x,
                                                const double* reference, double* gradient) {
    double d[3];
    double s2 = 0.0;
    for (int k = 0; k < 3; ++k) {
      d[k] = x[k] - reference[k];
      s2 += d[k] * d[k];
    }
    const double s = kmath::sqrt(s2);
    // At s = 0 the direction is undefined; the bias force there is zero by symmetry (a Gaussian
    // centred at 0 has zero slope), so a zero gradient is the consistent choice.
    const double inverse = s > 0.0 ? 1.0 / s : 0.0;
    for (int k = 0; k < 3; ++k)
      gradient[k] = d[k] * inverse;
    return s;
  }

  // Moves the reference by a lattice vector onto the image nearest to x (minimum image).
  KOKKOS_INLINE_FUNCTION static void anchor_reference(const Box& box, int n, const double* x,
                                                      double* reference) {
    double d[3] = {reference[0] - x[0], reference[1] - x[1], reference[2] - x[2]};
    box.minimum_image(d);
    for (int k = 0; k < 3; ++k)
      reference[k] = x[k] + d[k];
  }
};

}  // namespace glassland
