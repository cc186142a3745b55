// The static structure factor from the radial distribution function (SPEC.md §9: its peak sets
// the q of F_s, 2.7 Å⁻¹ for Cu50Zr50 in paper 002):
//   S(q) = 1 + 4πρ ∫₀^{r_c} r² (g(r) − 1) · sin(qr)/(qr) · L(r) dr,
// the number–number (Bhatia–Thornton) structure factor of the total g(r) = Σ c_I c_J g_IJ, with
// the Lorch window L(r) = sin(πr/r_c)/(πr/r_c) that damps the ripples of the truncation at r_c
// (Lorch, J. Phys. C 2, 229 (1969)). The integral is the midpoint sum over the RDF's bins. The
// truncation limits the resolution to about 2π/r_c, so peaks are broadened, not moved much.
#pragma once

#include <vector>

namespace glassland::analysis {

struct StructureFactor {
  std::vector<double> q;  // Å⁻¹
  std::vector<double> s;
  double peak_q = 0.0;  // position of the highest S in [1.5, 4] Å⁻¹ (the first sharp peak of a
  double peak_s = 0.0;  // metallic liquid or glass), refined by a parabola through its bins
};

// r: bin centres (uniform width), g: total g(r) at them, density: N/V in Å⁻³.
StructureFactor structure_factor_from_rdf(const std::vector<double>& r,
                                          const std::vector<double>& g, double density,
                                          double q_min = 0.5, double q_max = 12.0,
                                          double q_step = 0.01);

}  // namespace glassland::analysis
