#include "host/tasks/neb/neb_shear_spectrum.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include "analysis/bootstrap.hpp"
#include "analysis/sample_statistics.hpp"
#include "analysis/shannon_entropy.hpp"
#include "kernels/units.hpp"

namespace glassland {

double shear_stress_gpa(double virial_xy, double volume) {
  return -virial_xy / volume * units::kEvPerA3ToBar * units::kBarToGPa;
}

namespace {

// Mode of a Gaussian kernel density estimate with Silverman's bandwidth
// h = 0.9 min(s, IQR/1.34) n^(−1/5) (B. W. Silverman, Density Estimation (1986), Eq. 3.31),
// located on a grid of 401 points over [min − 3h, max + 3h], refined by a second grid of 401
// points over the two intervals around the coarse maximum (resolution (range + 6h)/80000). The
// barrier spectrum's "peak".
double kde_mode(const std::vector<double>& sample, double* bandwidth = nullptr) {
  const double n = static_cast<double>(sample.size());
  const double sd = sample.size() > 1 ? analysis::sample_standard_deviation(sample) : 0.0;
  double spread = sd;
  if (sample.size() > 1) {
    const double iqr = analysis::quantile(sample, 0.75) - analysis::quantile(sample, 0.25);
    if (iqr > 0.0)
      spread = std::min(sd, iqr / 1.34);
  }
  const double h = 0.9 * spread * std::pow(n, -0.2);
  if (bandwidth != nullptr)
    *bandwidth = h;
  if (!(h > 0.0))
    return sample.front();  // all equal (or one value): that value is the mode
  const auto [low, high] = std::minmax_element(sample.begin(), sample.end());
  double from = *low - 3.0 * h, to = *high + 3.0 * h;
  const int points = 401;
  double best = from;
  // A coarse grid, then a fine one over the two coarse intervals around its maximum.
  for (int pass = 0; pass < 2; ++pass) {
    double best_density = -1.0;
    for (int k = 0; k < points; ++k) {
      const double x = from + (to - from) * k / (points - 1);
      double density = 0.0;
      for (double e : sample)
        density += std::exp(-0.5 * (x - e) * (x - e) / (h * h));
      if (density > best_density) {
        best_density = density;
        best = x;
      }
    }
    const double step = (to - from) / (points - 1);
    from = best - step;
    to = best + step;
  }
  return best;
}

// Histogram, mean, standard deviation and peak (kde_mode, with its bootstrap standard error and
// 95 % percentile interval) of a set of barriers; nulls when empty.
nlohmann::json spectrum_record(const std::vector<double>& barriers, const ShearTaskSettings& s) {
  nlohmann::json record = {{"bands", barriers.size()},    {"mean_eV", nullptr},
                           {"std_eV", nullptr},           {"peak_eV", nullptr},
                           {"peak_error_eV", nullptr},    {"peak_interval_eV", nullptr},
                           {"kde_bandwidth_eV", nullptr}, {"histogram", nullptr}};
  if (barriers.empty())
    return record;
  record["mean_eV"] = analysis::sample_mean(barriers);
  record["std_eV"] = barriers.size() > 1 ? analysis::sample_standard_deviation(barriers) : 0.0;
  double bandwidth = 0.0;
  record["peak_eV"] = kde_mode(barriers, &bandwidth);
  record["kde_bandwidth_eV"] = bandwidth;
  if (barriers.size() > 1) {
    const analysis::BootstrapResult boot = analysis::bootstrap(
        barriers, [](const std::vector<double>& x) { return kde_mode(x); }, s.resamples, 0.95,
        s.seed);
    record["peak_error_eV"] = boot.standard_error;
    record["peak_interval_eV"] = {boot.lower, boot.upper};
  }
  const analysis::Histogram histogram =
      analysis::make_histogram(barriers, s.bin_width, std::nan(""));
  record["histogram"] = {{"origin_eV", histogram.origin},
                         {"bin_width_eV", histogram.bin_width},
                         {"counts", histogram.counts}};
  return record;
}

}  // namespace

nlohmann::json shear_summary_record(const ShearResponse& r, const ShearTaskSettings& s) {
  const int n_bands = static_cast<int>(r.reference_barrier.size());
  std::vector<double> reference;
  for (int b = 0; b < n_bands; ++b)
    if (!r.reference_lost[b])
      reference.push_back(r.reference_barrier[b]);
  nlohmann::json summary = {
      {"gamma_xy", r.strains},
      {"peak_estimator",
       "mode of a Gaussian kernel density estimate (Silverman bandwidth) of the forward barriers; "
       "error: bootstrap standard error over bands"},
      {"reference", spectrum_record(reference, s)},
      {"reference_lost_bands", n_bands - static_cast<int>(reference.size())},
      {"strains", nlohmann::json::array()}};
  for (size_t k = 0; k < r.strains.size(); ++k) {
    std::vector<double> strained, unstrained;
    double stress = 0.0, change = 0.0;
    for (int b = 0; b < n_bands; ++b) {
      stress += shear_stress_gpa(r.virial_xy_initial[b][k], r.volume[b]) / n_bands;
      if (r.lost[b][k] || r.reference_lost[b])
        continue;
      strained.push_back(r.barrier_forward[b][k]);
      unstrained.push_back(r.reference_barrier[b]);
      change += r.barrier_change[b][k];
    }
    nlohmann::json record = {{"gamma_xy", r.strains[k]},
                             {"lost_bands", r.lost_bands[k]},
                             {"mean_shear_stress_initial_GPa", stress},
                             {"spectrum", spectrum_record(strained, s)},
                             {"mean_barrier_change_eV", nullptr},
                             {"peak_shift_eV", nullptr},
                             {"peak_shift_error_eV", nullptr}};
    if (!strained.empty()) {
      record["mean_barrier_change_eV"] = change / static_cast<double>(strained.size());
      record["peak_shift_eV"] = kde_mode(strained) - kde_mode(unstrained);
    }
    if (strained.size() > 1) {
      // Paired: the same resampled bands at γ and at 0.
      std::vector<double> indices(strained.size());
      std::iota(indices.begin(), indices.end(), 0.0);
      const analysis::BootstrapResult boot = analysis::bootstrap(
          indices,
          [&](const std::vector<double>& picked) {
            std::vector<double> a, z;
            for (double i : picked) {
              a.push_back(strained[static_cast<size_t>(i)]);
              z.push_back(unstrained[static_cast<size_t>(i)]);
            }
            return kde_mode(a) - kde_mode(z);
          },
          s.resamples, 0.95, s.seed);
      record["peak_shift_error_eV"] = boot.standard_error;
    }
    summary["strains"].push_back(record);
  }
  return summary;
}

nlohmann::json band_shear_record(const ShearResponse& r, int b) {
  std::vector<double> stress_initial, stress_saddle;
  std::vector<bool> lost, converged, single;
  for (size_t k = 0; k < r.strains.size(); ++k) {
    stress_initial.push_back(shear_stress_gpa(r.virial_xy_initial[b][k], r.volume[b]));
    stress_saddle.push_back(shear_stress_gpa(r.virial_xy_saddle[b][k], r.volume[b]));
  }
  return {{"gamma_xy", r.strains},
          {"reference_barrier_eV", r.reference_barrier[b]},
          {"reference_lost", static_cast<bool>(r.reference_lost[b])},
          {"reference_shear_stress_initial_GPa",
           shear_stress_gpa(r.reference_virial_xy_initial[b], r.volume[b])},
          {"reference_shear_stress_saddle_GPa",
           shear_stress_gpa(r.reference_virial_xy_saddle[b], r.volume[b])},
          // First-order prediction dE_A/dγ = −(W_xy(saddle) − W_xy(initial)) at γ = 0 (envelope
          // theorem: both are stationary points, so their relaxation adds nothing to first order).
          {"barrier_slope_from_virial_eV",
           -(r.reference_virial_xy_saddle[b] - r.reference_virial_xy_initial[b])},
          {"barrier_forward_eV", r.barrier_forward[b]},
          {"barrier_change_eV", r.barrier_change[b]},
          {"converged", r.converged[b]},
          {"humps", r.humps[b]},
          {"single_hump", r.single_hump[b]},
          {"lost", r.lost[b]},
          {"shear_stress_initial_GPa", stress_initial},
          {"shear_stress_saddle_GPa", stress_saddle},
          {"volume_A3", r.volume[b]}};
}

}  // namespace glassland
