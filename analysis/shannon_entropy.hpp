// Shannon entropy and diversity of a histogram or of categorical fractions (SPEC.md §6, §10).
//
// Paper 004 (Han et al., PRB 101, 064205 (2020)), Eqs. 2–3: S = −Σ_i p_i ln p_i over the bins of
// a barrier spectrum ("dynamic Shannon entropy") or over the fractions of Voronoi indices
// ("structural Shannon entropy"), and the diversity D = e^S (the effective number of equally
// populated bins). For a continuous spectrum S depends on the bin width Δ: for narrow bins
// S ≈ h − ln Δ with h the differential entropy, so Δ is part of the result and is reported with
// it. Empty bins contribute 0 (lim p ln p = 0). Natural logarithm, entropy in nats.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace glassland::analysis {

struct Histogram {
  double origin = 0.0;     // left edge of bin 0
  double bin_width = 0.0;  // Δ
  std::vector<std::size_t> counts;
  std::size_t total = 0;
};

// Bins [origin + iΔ, origin + (i+1)Δ). When origin is NaN it is floor(min/Δ)·Δ, so bins line up
// with multiples of Δ and results at different temperatures share the same edges.
Histogram make_histogram(const std::vector<double>& sample, double bin_width, double origin);

struct ShannonEntropy {
  double entropy = 0.0;        // S in nats
  double diversity = 1.0;      // e^S
  std::size_t categories = 0;  // number of non-empty bins or categories
  double total = 0.0;          // sum of the weights (the count for histograms)
};

// From non-negative weights (counts or fractions; normalised here).
ShannonEntropy shannon_entropy(const std::vector<double>& weights);
ShannonEntropy shannon_entropy(const Histogram& histogram);
// From category labels (e.g. Voronoi indices "<0,2,8,2>"), one label per atom.
ShannonEntropy shannon_entropy_of_labels(const std::vector<std::string>& labels);

}  // namespace glassland::analysis
