// p_hop and D.F.(X %). Definitions and references at the top of analysis/hop_mobility.hpp.
#include "analysis/hop_mobility.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <string>

namespace glassland::analysis {

namespace {

// Indices of the `count` largest values, ties by lower index.
std::vector<std::size_t> top_indices(const std::vector<double>& values, std::size_t count) {
  std::vector<std::size_t> order(values.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return values[a] > values[b]; });
  order.resize(count);
  return order;
}

std::size_t top_count(double fraction, std::size_t n) {
  return std::max<std::size_t>(1, static_cast<std::size_t>(std::llround(fraction * n)));
}

}  // namespace

HopIndicator hop_indicator(const std::vector<std::vector<double>>& positions,
                           std::size_t half_window) {
  if (half_window < 1)
    throw std::invalid_argument("p_hop: the half window must hold at least one frame");
  const std::size_t n_frames = positions.size();
  if (n_frames < 2 * half_window + 1)
    throw std::invalid_argument("p_hop: " + std::to_string(n_frames) + " frames, need at least " +
                                std::to_string(2 * half_window + 1) + " for windows of ±" +
                                std::to_string(half_window) + " frames");
  const std::size_t n3 = positions[0].size();
  for (const auto& frame : positions)
    if (frame.size() != n3)
      throw std::invalid_argument("p_hop: frames differ in their number of atoms");
  HopIndicator h;
  h.half_window = half_window;
  h.first_frame = half_window;
  h.frames = n_frames - 2 * half_window;
  h.atoms = n3 / 3;
  h.value.assign(h.frames * h.atoms, 0.0);
  h.maximum.assign(h.atoms, 0.0);
  h.mean.assign(h.atoms, 0.0);
  h.maximum_frame.assign(h.atoms, h.first_frame);
  const double w = static_cast<double>(half_window + 1);  // frames per window
  // Per atom: prefix sums over frames of d = r − r(frame 0) and |d|², so that every window's
  // mean and mean square cost O(1); the shift keeps the sums small (no cancellation).
  std::vector<double> sum((n_frames + 1) * 3), sum_sq(n_frames + 1);
  for (std::size_t i = 0; i < h.atoms; ++i) {
    for (std::size_t f = 0; f < n_frames; ++f) {
      double sq = 0.0;
      for (int k = 0; k < 3; ++k) {
        const double d = positions[f][3 * i + k] - positions[0][3 * i + k];
        sum[(f + 1) * 3 + k] = sum[f * 3 + k] + d;
        sq += d * d;
      }
      sum_sq[f + 1] = sum_sq[f] + sq;
    }
    for (std::size_t t = 0; t < h.frames; ++t) {
      const std::size_t f = t + half_window;
      const std::size_t a0 = f - half_window, a1 = f + 1;  // A = [a0, a1)
      const std::size_t b0 = f, b1 = f + half_window + 1;  // B = [b0, b1)
      double mean_a[3], mean_b[3];
      for (int k = 0; k < 3; ++k) {
        mean_a[k] = (sum[a1 * 3 + k] - sum[a0 * 3 + k]) / w;
        mean_b[k] = (sum[b1 * 3 + k] - sum[b0 * 3 + k]) / w;
      }
      // ⟨|d − c|²⟩_W = ⟨|d|²⟩_W − 2 c·⟨d⟩_W + |c|².
      const double sq_a = (sum_sq[a1] - sum_sq[a0]) / w, sq_b = (sum_sq[b1] - sum_sq[b0]) / w;
      double spread_a = sq_a, spread_b = sq_b;
      for (int k = 0; k < 3; ++k) {
        spread_a += -2.0 * mean_b[k] * mean_a[k] + mean_b[k] * mean_b[k];
        spread_b += -2.0 * mean_a[k] * mean_b[k] + mean_a[k] * mean_a[k];
      }
      const double p = std::sqrt(std::max(spread_a, 0.0) * std::max(spread_b, 0.0));
      h.value[t * h.atoms + i] = p;
      h.mean[i] += p / h.frames;
      if (p > h.maximum[i]) {
        h.maximum[i] = p;
        h.maximum_frame[i] = f;
      }
    }
  }
  return h;
}

std::vector<DisproportionateFactor> disproportionate_factor(
    const std::vector<double>& mobility, const std::vector<LocalExcitation>& excitations,
    const std::vector<double>& fractions) {
  const std::size_t n = mobility.size();
  if (n == 0)
    throw std::invalid_argument("D.F.: no atoms");
  if (excitations.empty())
    throw std::invalid_argument("D.F.: no local excitations");
  std::vector<double> scores;
  for (const LocalExcitation& e : excitations) {
    scores.push_back(e.score);
    for (std::size_t a : e.atoms)
      if (a >= n)
        throw std::invalid_argument("D.F.: an excitation names atom " + std::to_string(a) + " of " +
                                    std::to_string(n));
  }
  std::vector<DisproportionateFactor> out;
  for (double x : fractions) {
    if (!(x > 0.0 && x <= 1.0))
      throw std::invalid_argument("D.F.: fraction " + std::to_string(x) + " is not in (0, 1]");
    DisproportionateFactor d;
    d.fraction = x;
    d.top_atoms = top_count(x, n);
    d.top_excitations = top_count(x, excitations.size());
    std::vector<char> involved(n, 0);
    for (std::size_t e : top_indices(scores, d.top_excitations))
      for (std::size_t a : excitations[e].atoms)
        involved[a] = 1;
    d.involved_atoms = static_cast<std::size_t>(std::count(involved.begin(), involved.end(), 1));
    for (std::size_t a : top_indices(mobility, d.top_atoms))
      d.overlap += involved[a];
    d.conditional_fraction = static_cast<double>(d.overlap) / d.top_atoms;
    d.occupation = static_cast<double>(d.involved_atoms) / n;
    d.value = d.involved_atoms == 0 ? std::numeric_limits<double>::quiet_NaN()
                                    : d.conditional_fraction / d.occupation;
    out.push_back(d);
  }
  return out;
}

}  // namespace glassland::analysis
