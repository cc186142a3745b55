#include "analysis/structure_factor.hpp"

#include <cmath>
#include <stdexcept>

#include "analysis/constants.hpp"

namespace glassland::analysis {

StructureFactor structure_factor_from_rdf(const std::vector<double>& r,
                                          const std::vector<double>& g, double density,
                                          double q_min, double q_max, double q_step) {
  if (r.size() < 2 || r.size() != g.size())
    throw std::invalid_argument("structure factor: needs a g(r) of at least two bins");
  const double dr = r[1] - r[0];
  const double cutoff = r.back() + 0.5 * dr;
  StructureFactor s;
  std::size_t best = 0;
  const std::size_t n_q = static_cast<std::size_t>(std::floor((q_max - q_min) / q_step + 1e-9)) + 1;
  for (std::size_t k_q = 0; k_q < n_q; ++k_q) {
    const double q = q_min + k_q * q_step;
    double integral = 0.0;
    for (std::size_t b = 0; b < r.size(); ++b) {
      const double x = kPi * r[b] / cutoff;
      const double lorch = std::sin(x) / x;
      integral += r[b] * r[b] * (g[b] - 1.0) * std::sin(q * r[b]) / (q * r[b]) * lorch * dr;
    }
    s.q.push_back(q);
    s.s.push_back(1.0 + 4.0 * kPi * density * integral);
    const std::size_t k = s.q.size() - 1;
    if (q >= 1.5 && q <= 4.0 && (s.peak_q == 0.0 || s.s[k] > s.s[best])) {
      best = k;
      s.peak_q = q;
    }
  }
  s.peak_s = s.s[best];
  if (best > 0 && best + 1 < s.s.size()) {
    // Vertex of the parabola through the peak bin and its neighbours.
    const double a = s.s[best - 1], b = s.s[best], c = s.s[best + 1];
    const double denominator = a - 2.0 * b + c;
    if (denominator < 0.0) {
      const double offset = 0.5 * (a - c) / denominator;
      s.peak_q = s.q[best] + offset * q_step;
      s.peak_s = b - 0.25 * (a - c) * offset;
    }
  }
  return s;
}

}  // namespace glassland::analysis
