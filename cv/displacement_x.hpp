// Displacement of one atom along x from a reference point: s = x(t) − x_ref (unwrapped
// coordinates), ∂s/∂x = (1, 0, 0). The reaction coordinate of the analytic double well
// (kernels/analytic_landscape.hpp), where the exact free energy along s is known in closed form
// (the landscape is separable: F(s) = h((s/w)² − 1)² + const for x_ref = 0), so it is the CV of
// the metadynamics acceptance test. It is also the worked example of adding a CV: this file plus
// one line in cv/cv_registry.hpp.
#pragma once

#include "kernels/box.hpp"

namespace glassland {

struct DisplacementX {
  static const char* name() { return "displacement_x"; }

  KOKKOS_INLINE_FUNCTION static double evaluate(const Box& box, int n, const double* x,
                                                const double* reference, double* gradient) {
    gradient[0] = 1.0;
    gradient[1] = 0.0;
    gradient[2] = 0.0;
    return x[0] - reference[0];
  }

  // Same rule as the hop distance: the reference moves to the image nearest to the atom.
  KOKKOS_INLINE_FUNCTION static void anchor_reference(const Box& box, int n, const double* x,
                                                      double* reference) {
    double d[3] = {reference[0] - x[0], reference[1] - x[1], reference[2] - x[2]};
    box.minimum_image(d);
    for (int k = 0; k < 3; ++k)
      reference[k] = x[k] + d[k];
  }
};

}  // namespace glassland
