// Analytic potential-energy landscapes for testing metadynamics, ART and NEB where the exact
// answer is known. Every atom of every replica moves independently in V(x, y) + ½ k_z z²
// (normally one atom per replica). No periodic images: the landscapes are not periodic.
//
// Müller–Brown (K. Müller & L. D. Brown, Theor. Chim. Acta 53, 75 (1979)):
//   V(x, y) = s · Σ_{k=1..4} A_k exp(a_k (x−x⁰_k)² + b_k (x−x⁰_k)(y−y⁰_k) + c_k (y−y⁰_k)²)
// with A = (−200, −100, −170, 15), a = (−1, −1, −6.5, 0.7), b = (0, 0, 11, 0.6),
// c = (−10, −10, −6.5, 0.7), x⁰ = (1, 0, −0.5, −1), y⁰ = (0, 0.5, 1.5, 1); s scales energies
// (s = 0.01 gives barriers of order 0.1–1 eV). Three minima, two saddles.
//
// Double well: V(x, y) = h ((x/w)² − 1)² + ½ k_y y²: minima at x = ±w, saddle at the origin,
// barrier h exactly.
#pragma once

#include <string>

#include "kernels/force_field.hpp"

namespace glassland {

enum class LandscapeKind { MullerBrown, DoubleWell };

struct LandscapeParameters {
  LandscapeKind kind = LandscapeKind::MullerBrown;
  double energy_scale = 1.0;  // s (Müller–Brown)
  double barrier = 1.0;       // h (double well), eV
  double half_width = 1.0;    // w (double well), Å
  double stiffness_y = 1.0;   // k_y (double well), eV/Å²
  double stiffness_z = 1.0;   // k_z, eV/Å², confines the unused direction
};

// Energy and force (−∇V) at (x, y, z).
KOKKOS_INLINE_FUNCTION double landscape_energy_force(const LandscapeParameters& p, double x,
                                                     double y, double z, double f[3]) {
  double energy = 0.0, dvdx = 0.0, dvdy = 0.0;
  if (p.kind == LandscapeKind::MullerBrown) {
    const double A[4] = {-200.0, -100.0, -170.0, 15.0};
    const double a[4] = {-1.0, -1.0, -6.5, 0.7};
    const double b[4] = {0.0, 0.0, 11.0, 0.6};
    const double c[4] = {-10.0, -10.0, -6.5, 0.7};
    const double x0[4] = {1.0, 0.0, -0.5, -1.0};
    const double y0[4] = {0.0, 0.5, 1.5, 1.0};
    for (int k = 0; k < 4; ++k) {
      const double dx = x - x0[k], dy = y - y0[k];
      const double term = A[k] * kmath::exp(a[k] * dx * dx + b[k] * dx * dy + c[k] * dy * dy);
      energy += term;
      dvdx += term * (2.0 * a[k] * dx + b[k] * dy);
      dvdy += term * (b[k] * dx + 2.0 * c[k] * dy);
    }
    energy *= p.energy_scale;
    dvdx *= p.energy_scale;
    dvdy *= p.energy_scale;
  } else {
    const double u = x / p.half_width;
    energy = p.barrier * (u * u - 1.0) * (u * u - 1.0) + 0.5 * p.stiffness_y * y * y;
    dvdx = p.barrier * 4.0 * u * (u * u - 1.0) / p.half_width;
    dvdy = p.stiffness_y * y;
  }
  energy += 0.5 * p.stiffness_z * z * z;
  f[0] = -dvdx;
  f[1] = -dvdy;
  f[2] = -p.stiffness_z * z;
  return energy;
}

class AnalyticLandscapeTerm : public ForceTerm {
 public:
  explicit AnalyticLandscapeTerm(const LandscapeParameters& parameters) : parameters_(parameters) {}
  std::string name() const override {
    return parameters_.kind == LandscapeKind::MullerBrown ? "muller_brown" : "double_well";
  }
  void accumulate(Batch& batch, const EvalRequest& request) override;
  const LandscapeParameters& parameters() const { return parameters_; }

 private:
  LandscapeParameters parameters_;
};

}  // namespace glassland
