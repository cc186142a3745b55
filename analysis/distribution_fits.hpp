// Maximum-likelihood fits of barrier spectra with parameter errors and goodness of fit
// (SPEC.md §6; issue 7 item 2).
//
// - normal and log-normal: closed-form maximum-likelihood estimates (the log-normal on ln ΔQ);
//   errors from the inverse Fisher information, σ_μ = σ/√n and σ_σ = σ/√(2n).
// - two-mode, paper 004 (Han et al., PRB 101, 064205 (2020)) Eq. 1, with W′ from normalisation
//   (see barrier_distributions.hpp): parameters (W, ε, μ, σ) by minimising the negative
//   log-likelihood with Nelder–Mead (GSL's nmsimplex2, on unconstrained transforms
//   W = logistic(a), ε = e^b, σ = e^d), several starting points, then the covariance as the
//   inverse (Cholesky) of the numerical Hessian of the negative log-likelihood in the natural
//   parameters (the asymptotic maximum-likelihood covariance). The paper fitted histograms by
//   nonlinear least squares; we fit the raw sample by maximum likelihood, which needs no bin width
//   and gives errors directly. When the maximum lies on the boundary of W (W < 1e-4: mode I absent,
//   the deep-glass case; W > 1 − 1e-4: mode II absent) W is set to exactly 0 or 1, the parameters
//   the likelihood then no longer depends on (ε, or μ and σ) are undefined: their values are NaN
//   with the reason in FittedParameter::undefined (whatever the optimiser left there, e.g. an ε of
//   1594 eV on a unimodal sample, means nothing), and their errors and W's are NaN: the
//   asymptotic normal theory does not hold on a boundary.
// Goodness of fit: log-likelihood, AIC = 2k − 2 ln L, BIC = k ln n − 2 ln L, the
// Kolmogorov–Smirnov statistic D = sup|F_n − F| and its asymptotic p-value (optimistic, since the
// parameters were fitted to the same sample; use it to compare, not as a strict test).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "analysis/barrier_distributions.hpp"
#include "analysis/numerics.hpp"

namespace glassland::analysis {

struct FittedParameter {
  std::string name;       // e.g. "mu_eV"
  double value = 0.0;     // NaN where the parameter is undefined (then `undefined` says why)
  double error = 0.0;     // one standard error; NaN where not defined
  std::string undefined;  // why the parameter has no value (e.g. ε when W = 0); "" if it has one
};

struct DistributionFit {
  std::string model;  // "normal", "lognormal", "two_mode"
  std::vector<FittedParameter> parameters;
  Matrix covariance;  // in the order of `parameters` (NaN rows/columns where not defined)
  std::size_t n = 0;
  double log_likelihood = 0.0;
  double aic = 0.0;
  double bic = 0.0;
  double ks_statistic = 0.0;
  double ks_p_value = 0.0;
  bool converged = true;
  std::string note;  // e.g. why an error is NaN
  std::shared_ptr<BarrierDistribution> distribution;
  double parameter(const std::string& name) const;
  double error(const std::string& name) const;
};

DistributionFit fit_normal(const std::vector<double>& sample);     // needs n ≥ 2
DistributionFit fit_lognormal(const std::vector<double>& sample);  // needs n ≥ 2, all > 0
DistributionFit fit_two_mode(const std::vector<double>& sample);   // needs n ≥ 5, all ≥ 0

// Kolmogorov–Smirnov statistic of a sample against a distribution.
double ks_statistic(std::vector<double> sample, const BarrierDistribution& d);
// Asymptotic Kolmogorov p-value Q(λ), λ = (√n + 0.12 + 0.11/√n) D (Stephens' correction).
double ks_p_value(double statistic, std::size_t n);

// Pearson χ² of a histogram of the sample (bins [origin + iΔ, origin + (i+1)Δ), origin as in
// make_histogram when NaN) against a fitted distribution: adjacent bins are merged from the
// left until each expected count is ≥ 5 (the usual validity condition; the tails outside the
// data range are added to the first and last bins), dof = bins − 1 − fitted parameters.
struct BinnedChiSquare {
  double chi2 = 0.0;
  int dof = 0;
  std::size_t bins = 0;  // after merging
  double p_value = 0.0;  // upper tail of χ²(dof); NaN when dof < 1
};
BinnedChiSquare binned_chi_square(const std::vector<double>& sample, const BarrierDistribution& d,
                                  double bin_width, double origin, std::size_t fitted_parameters);

// Upper tail Q(a, x) of the regularised incomplete gamma function (χ² p-value: Q(dof/2, χ²/2)),
// boost::math::gamma_q; NaN for a ≤ 0 or x < 0.
double gamma_q(double a, double x);

// Minimum sample sizes (for callers that want to report a clear error before fitting).
inline constexpr std::size_t kMinNormalFit = 2;
inline constexpr std::size_t kMinTwoModeFit = 5;
// fit_two_mode refuses a fit whose mode II σ is below this fraction of the sample's spread (a mode
// on one barrier; the mixture likelihood is unbounded there).
inline constexpr double kCollapsedModeFraction = 1e-6;

}  // namespace glassland::analysis
