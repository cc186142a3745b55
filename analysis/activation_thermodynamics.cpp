#include "analysis/activation_thermodynamics.hpp"

#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

#include "analysis/bootstrap.hpp"
#include "analysis/constants.hpp"

namespace glassland::analysis {

std::string to_string(BarrierKind kind) {
  switch (kind) {
    case BarrierKind::parallel:
      return "parallel";
    case BarrierKind::sequential:
      return "sequential";
    case BarrierKind::mixed:
      return "mixed";
    case BarrierKind::mean:
      return "mean";
  }
  return "?";
}

namespace {

double kind_value(const std::vector<double>& barriers, double T, BarrierKind kind) {
  if (kind == BarrierKind::mean)
    return std::accumulate(barriers.begin(), barriers.end(), 0.0) / barriers.size();
  const EffectiveBarriers e = effective_barriers(barriers, T);
  switch (kind) {
    case BarrierKind::parallel:
      return e.parallel_eV;
    case BarrierKind::sequential:
      return e.sequential_eV;
    default:
      return e.mixed_eV;
  }
}

void split(const std::vector<ConditionSummary>& c, BarrierKind kind, Weighting weighting,
           std::vector<double>& x, std::vector<double>& y, std::vector<double>& s) {
  for (const auto& p : c) {
    x.push_back(p.condition);
    y.push_back(p.get(kind));
    if (weighting == Weighting::bootstrap) {
      if (!(p.se(kind) > 0.0))
        throw std::invalid_argument(
            "bootstrap weighting needs a positive standard error at every condition; the " +
            to_string(kind) + " barrier at condition " + std::to_string(p.condition) +
            " has none (fewer than 2 distinct barriers?)");
      s.push_back(p.se(kind));
    }
  }
}

}  // namespace

std::vector<ConditionSummary> summarize_conditions(const std::vector<ConditionBarriers>& runs,
                                                   std::size_t resamples, std::uint64_t seed) {
  std::vector<ConditionSummary> out;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const auto& r = runs[i];
    if (r.barriers_eV.empty())
      throw std::invalid_argument("condition " + std::to_string(r.condition) + " has no barriers");
    ConditionSummary s;
    s.condition = r.condition;
    s.temperature_K = r.temperature_K;
    s.n = r.barriers_eV.size();
    for (BarrierKind k : kAllBarrierKinds) {
      const int ki = static_cast<int>(k);
      s.value[ki] = kind_value(r.barriers_eV, r.temperature_K, k);
      if (s.n >= 2) {
        const double T = r.temperature_K;
        s.standard_error[ki] =
            bootstrap(
                r.barriers_eV, [T, k](const std::vector<double>& b) { return kind_value(b, T, k); },
                resamples, 0.95, seed + i)
                .standard_error;
      }
    }
    out.push_back(s);
  }
  return out;
}

ActivationEntropy activation_entropy(const std::vector<double>& T, const std::vector<double>& G,
                                     const std::vector<double>& sigma, BarrierKind kind) {
  ActivationEntropy a;
  a.kind = kind;
  a.fit = linear_fit(T, G, sigma);
  // ΔG = ΔQ − TΔS: the slope is −ΔS.
  a.entropy_eV_per_K = -a.fit.slope;
  a.entropy_error_eV_per_K = a.fit.slope_error;
  a.entropy_kB = a.entropy_eV_per_K / kBoltzmann_eV_per_K;
  a.entropy_error_kB = a.entropy_error_eV_per_K / kBoltzmann_eV_per_K;
  a.intercept_eV = a.fit.intercept;
  a.intercept_error_eV = a.fit.intercept_error;
  return a;
}

ActivationVolume activation_volume(const std::vector<double>& P, const std::vector<double>& G,
                                   const std::vector<double>& sigma, double omega,
                                   BarrierKind kind) {
  ActivationVolume v;
  v.kind = kind;
  v.fit = linear_fit(P, G, sigma);
  v.volume_eV_per_GPa = v.fit.slope;
  v.volume_error_eV_per_GPa = v.fit.slope_error;
  v.volume_A3 = v.fit.slope * kAngstrom3_per_eV_per_GPa;
  v.volume_error_A3 = v.fit.slope_error * kAngstrom3_per_eV_per_GPa;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  v.volume_atomic = omega > 0.0 ? v.volume_A3 / omega : nan;
  v.volume_error_atomic = omega > 0.0 ? v.volume_error_A3 / omega : nan;
  v.intercept_eV = v.fit.intercept;
  v.intercept_error_eV = v.fit.intercept_error;
  return v;
}

ActivationEntropy activation_entropy(const std::vector<ConditionSummary>& c, BarrierKind kind,
                                     Weighting weighting) {
  std::vector<double> x, y, s;
  split(c, kind, weighting, x, y, s);
  return activation_entropy(x, y, s, kind);
}

ActivationVolume activation_volume(const std::vector<ConditionSummary>& c, BarrierKind kind,
                                   Weighting weighting, double omega) {
  std::vector<double> x, y, s;
  split(c, kind, weighting, x, y, s);
  return activation_volume(x, y, s, omega, kind);
}

}  // namespace glassland::analysis
