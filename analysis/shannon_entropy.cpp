#include "analysis/shannon_entropy.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <stdexcept>

namespace glassland::analysis {

Histogram make_histogram(const std::vector<double>& sample, double bin_width, double origin) {
  if (!(bin_width > 0.0) || !std::isfinite(bin_width))
    throw std::invalid_argument("histogram bin width must be positive, got " +
                                std::to_string(bin_width));
  if (sample.empty())
    throw std::invalid_argument("histogram of an empty sample");
  for (double v : sample)
    if (!std::isfinite(v))
      throw std::invalid_argument("histogram: sample has a non-finite value");
  const auto [mn, mx] = std::minmax_element(sample.begin(), sample.end());
  Histogram h;
  h.bin_width = bin_width;
  h.origin = std::isnan(origin) ? std::floor(*mn / bin_width) * bin_width : origin;
  if (*mn < h.origin)
    throw std::invalid_argument("histogram origin " + std::to_string(h.origin) +
                                " is above the smallest value " + std::to_string(*mn));
  const double nbins_d = std::floor((*mx - h.origin) / bin_width) + 1.0;
  if (nbins_d > 1e7)
    throw std::invalid_argument("histogram would have more than 1e7 bins: bin width too small");
  h.counts.assign(static_cast<std::size_t>(nbins_d), 0);
  for (double v : sample) {
    auto i = static_cast<std::size_t>(std::floor((v - h.origin) / bin_width));
    if (i >= h.counts.size())
      i = h.counts.size() - 1;  // rounding at the top edge
    ++h.counts[i];
  }
  h.total = sample.size();
  return h;
}

ShannonEntropy shannon_entropy(const std::vector<double>& weights) {
  double total = 0.0;
  for (double w : weights) {
    if (!(w >= 0.0) || !std::isfinite(w))
      throw std::invalid_argument("Shannon entropy: weights must be finite and non-negative");
    total += w;
  }
  if (!(total > 0.0))
    throw std::invalid_argument("Shannon entropy: all weights are zero");
  ShannonEntropy s;
  s.total = total;
  for (double w : weights) {
    if (w == 0.0)
      continue;
    const double p = w / total;
    s.entropy -= p * std::log(p);
    ++s.categories;
  }
  s.entropy = std::max(s.entropy, 0.0);  // a single category: −1·ln 1 = −0
  s.diversity = std::exp(s.entropy);
  return s;
}

ShannonEntropy shannon_entropy(const Histogram& h) {
  return shannon_entropy(std::vector<double>(h.counts.begin(), h.counts.end()));
}

ShannonEntropy shannon_entropy_of_labels(const std::vector<std::string>& labels) {
  std::map<std::string, double> counts;
  for (const auto& l : labels)
    counts[l] += 1.0;
  std::vector<double> w;
  for (const auto& [label, c] : counts)
    w.push_back(c);
  return shannon_entropy(w);
}

}  // namespace glassland::analysis
