#include "analysis/entropy_temperature.hpp"

#include <gsl/gsl_statistics_double.h>

#include <cmath>
#include <limits>
#include <map>
#include <stdexcept>

#include "analysis/random.hpp"

namespace glassland::analysis {

namespace {

// Labels as category codes 0 … K−1 (in label order), so resamples are cheap to count.
std::vector<double> label_codes(const std::vector<std::string>& labels, std::size_t& categories) {
  std::map<std::string, int> code;
  for (const std::string& l : labels)
    code.insert({l, 0});
  int next = 0;
  for (auto& [label, c] : code)
    c = next++;
  categories = code.size();
  std::vector<double> codes;
  codes.reserve(labels.size());
  for (const std::string& l : labels)
    codes.push_back(code.at(l));
  return codes;
}

double entropy_of_codes(const std::vector<double>& codes, std::size_t categories) {
  std::vector<double> counts(categories, 0.0);
  for (double c : codes)
    counts[static_cast<std::size_t>(c)] += 1.0;
  return shannon_entropy(counts).entropy;
}

double histogram_entropy_value(const std::vector<double>& sample, double bin_width, double origin) {
  return shannon_entropy(make_histogram(sample, bin_width, origin)).entropy;
}

EntropyEstimate estimate(const std::vector<double>& sample, const ShannonEntropy& value,
                         const Statistic& entropy, const BootstrapSettings& b) {
  EntropyEstimate e;
  e.n = sample.size();
  e.value = value;
  e.miller_madow = value.entropy + (static_cast<double>(value.categories) - 1.0) /
                                       (2.0 * static_cast<double>(sample.size()));
  // The same seed gives the same resamples, so both statistics come from one set of replicates.
  e.entropy = bootstrap(sample, entropy, b.resamples, b.confidence, b.seed);
  e.diversity = bootstrap(
      sample, [&](const std::vector<double>& s) { return std::exp(entropy(s)); }, b.resamples,
      b.confidence, b.seed);
  return e;
}

std::vector<double> resample(const std::vector<double>& sample, Rng& rng) {
  std::vector<double> out(sample.size());
  for (double& v : out)
    v = sample[rng.below(sample.size())];
  return out;
}

}  // namespace

EntropyEstimate histogram_entropy(const std::vector<double>& sample, double bin_width,
                                  double origin, const BootstrapSettings& b) {
  if (std::isnan(origin))
    throw std::invalid_argument("histogram_entropy needs a fixed bin origin");
  const ShannonEntropy value = shannon_entropy(make_histogram(sample, bin_width, origin));
  return estimate(
      sample, value,
      [&](const std::vector<double>& s) { return histogram_entropy_value(s, bin_width, origin); },
      b);
}

EntropyEstimate label_entropy(const std::vector<std::string>& labels, const BootstrapSettings& b) {
  if (labels.empty())
    throw std::invalid_argument("structural entropy of an empty set of labels");
  std::size_t categories = 0;
  const std::vector<double> codes = label_codes(labels, categories);
  return estimate(
      codes, shannon_entropy_of_labels(labels),
      [&](const std::vector<double>& s) { return entropy_of_codes(s, categories); }, b);
}

std::vector<DerivativePoint> temperature_derivative(const std::vector<double>& t,
                                                    const std::vector<double>& y,
                                                    const std::vector<double>& e) {
  const std::size_t n = t.size();
  if (n < 2 || y.size() != n || e.size() != n)
    throw std::invalid_argument(
        "a temperature derivative needs at least 2 temperatures, each with a value and an error");
  for (std::size_t i = 1; i < n; ++i)
    if (!(t[i] > t[i - 1]))
      throw std::invalid_argument("temperatures must increase strictly for a derivative");
  std::vector<DerivativePoint> d;
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t lo = i == 0 ? 0 : i - 1, hi = i + 1 == n ? n - 1 : i + 1;
    const double dt = t[hi] - t[lo];
    d.push_back({t[i], (y[hi] - y[lo]) / dt, std::hypot(e[hi], e[lo]) / dt});
  }
  return d;
}

double pearson_correlation(const std::vector<double>& x, const std::vector<double>& y) {
  if (x.size() != y.size() || x.size() < 2)
    throw std::invalid_argument("a correlation needs two series of the same length, at least 2");
  if (gsl_stats_variance(x.data(), 1, x.size()) == 0.0 ||
      gsl_stats_variance(y.data(), 1, y.size()) == 0.0)
    return std::numeric_limits<double>::quiet_NaN();
  return gsl_stats_correlation(x.data(), 1, y.data(), 1, x.size());
}

EntropyCorrelation correlate_entropies(const std::vector<std::vector<double>>& barriers,
                                       const std::vector<std::vector<std::string>>& labels,
                                       double bin_width, double origin,
                                       const BootstrapSettings& b) {
  const std::size_t n = barriers.size();
  if (labels.size() != n)
    throw std::invalid_argument(
        "correlate_entropies: one set of barriers and one of labels per "
        "temperature");
  if (n < 3)
    throw std::invalid_argument(
        "a correlation of entropies across temperatures needs at least "
        "3 temperatures, got " +
        std::to_string(n));
  if (b.resamples < 2)
    throw std::invalid_argument("bootstrap needs at least 2 resamples");
  std::vector<std::vector<double>> codes(n);
  std::vector<std::size_t> categories(n);
  std::vector<double> dynamic(n), structural(n);
  for (std::size_t t = 0; t < n; ++t) {
    codes[t] = label_codes(labels[t], categories[t]);
    dynamic[t] = histogram_entropy_value(barriers[t], bin_width, origin);
    structural[t] = entropy_of_codes(codes[t], categories[t]);
  }
  EntropyCorrelation c;
  c.points = n;
  c.pearson_r = pearson_correlation(structural, dynamic);
  c.line = linear_fit(structural, dynamic);
  Rng rng(b.seed);
  std::vector<double> replicates;
  for (std::size_t r = 0; r < b.resamples; ++r) {
    std::vector<double> d(n), s(n);
    for (std::size_t t = 0; t < n; ++t) {
      d[t] = histogram_entropy_value(resample(barriers[t], rng), bin_width, origin);
      s[t] = entropy_of_codes(resample(codes[t], rng), categories[t]);
    }
    const double rho = pearson_correlation(s, d);
    if (std::isfinite(rho))
      replicates.push_back(rho);
  }
  c.r_bootstrap.estimate = c.pearson_r;
  c.r_bootstrap.resamples = replicates.size();
  c.r_bootstrap.confidence = b.confidence;
  c.r_bootstrap.seed = b.seed;
  if (replicates.size() >= 2) {
    c.r_bootstrap.standard_error = gsl_stats_sd(replicates.data(), 1, replicates.size());
    c.r_bootstrap.lower = quantile(replicates, 0.5 * (1.0 - b.confidence));
    c.r_bootstrap.upper = quantile(replicates, 1.0 - 0.5 * (1.0 - b.confidence));
  } else {
    c.r_bootstrap.standard_error = c.r_bootstrap.lower = c.r_bootstrap.upper =
        std::numeric_limits<double>::quiet_NaN();
  }
  return c;
}

}  // namespace glassland::analysis
