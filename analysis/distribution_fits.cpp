#include "analysis/distribution_fits.hpp"

#include <boost/math/special_functions/gamma.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numeric>
#include <stdexcept>

#include "analysis/shannon_entropy.hpp"

namespace glassland::analysis {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

void require_sample(const std::vector<double>& x, std::size_t min, const char* model) {
  if (x.size() < min)
    throw std::invalid_argument(std::string(model) + " fit needs at least " + std::to_string(min) +
                                " values, got " + std::to_string(x.size()));
  for (std::size_t i = 0; i < x.size(); ++i)
    if (!std::isfinite(x[i]))
      throw std::invalid_argument(std::string(model) + " fit: value " + std::to_string(i) +
                                  " is not finite");
}

double total_log_likelihood(const std::vector<double>& x, const BarrierDistribution& d) {
  double s = 0.0;
  for (double v : x)
    s += d.log_pdf(v);
  return s;
}

void finish(DistributionFit& fit, const std::vector<double>& x) {
  const double k = static_cast<double>(fit.parameters.size());
  const double n = static_cast<double>(x.size());
  fit.n = x.size();
  fit.log_likelihood = total_log_likelihood(x, *fit.distribution);
  fit.aic = 2.0 * k - 2.0 * fit.log_likelihood;
  fit.bic = k * std::log(n) - 2.0 * fit.log_likelihood;
  fit.ks_statistic = ks_statistic(x, *fit.distribution);
  fit.ks_p_value = ks_p_value(fit.ks_statistic, x.size());
}

// Mean and maximum-likelihood standard deviation (denominator n).
void mean_and_ml_sigma(const std::vector<double>& x, double& mean, double& sigma) {
  const double n = static_cast<double>(x.size());
  mean = std::accumulate(x.begin(), x.end(), 0.0) / n;
  double ss = 0.0;
  for (double v : x)
    ss += (v - mean) * (v - mean);
  sigma = std::sqrt(ss / n);
}

DistributionFit gaussian_fit(const std::vector<double>& values, const char* loc, const char* scale,
                             double& mean, double& sigma) {
  mean_and_ml_sigma(values, mean, sigma);
  if (!(sigma > 0.0))
    throw std::invalid_argument("fit: all values are equal, the spread is zero");
  const double n = static_cast<double>(values.size());
  DistributionFit fit;
  // Inverse Fisher information of N(μ, σ²) at the maximum-likelihood point.
  fit.parameters = {{loc, mean, sigma / std::sqrt(n), ""},
                    {scale, sigma, sigma / std::sqrt(2.0 * n), ""}};
  fit.covariance = {{sigma * sigma / n, 0.0}, {0.0, sigma * sigma / (2.0 * n)}};
  return fit;
}

}  // namespace

double DistributionFit::parameter(const std::string& name) const {
  for (const auto& p : parameters)
    if (p.name == name)
      return p.value;
  throw std::out_of_range("no fitted parameter " + name);
}

double DistributionFit::error(const std::string& name) const {
  for (const auto& p : parameters)
    if (p.name == name)
      return p.error;
  throw std::out_of_range("no fitted parameter " + name);
}

double ks_statistic(std::vector<double> x, const BarrierDistribution& d) {
  std::sort(x.begin(), x.end());
  const double n = static_cast<double>(x.size());
  double D = 0.0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double F = d.cdf(x[i]);
    D = std::max({D, (i + 1) / n - F, F - i / n});
  }
  return D;
}

// The Kolmogorov distribution's tail series, by hand: neither GSL nor Boost.Math 1.74 (Debian 12)
// has it (Boost's kolmogorov_smirnov distribution came with 1.75).
double ks_p_value(double D, std::size_t n) {
  const double sn = std::sqrt(static_cast<double>(n));
  const double lambda = (sn + 0.12 + 0.11 / sn) * D;
  if (lambda < 0.2)
    return 1.0;
  double q = 0.0;
  for (int k = 1; k <= 100; ++k) {
    const double term = std::exp(-2.0 * k * k * lambda * lambda);
    q += (k % 2 ? 2.0 : -2.0) * term;
    if (term < 1e-16)
      break;
  }
  return std::clamp(q, 0.0, 1.0);
}

double gamma_q(double a, double x) {
  if (!(a > 0.0) || !(x >= 0.0))
    return kNaN;
  if (std::isinf(x))
    return 0.0;
  return boost::math::gamma_q(a, x);
}

BinnedChiSquare binned_chi_square(const std::vector<double>& x, const BarrierDistribution& d,
                                  double bin_width, double origin, std::size_t k) {
  const Histogram h = make_histogram(x, bin_width, origin);
  const double n = static_cast<double>(x.size());
  const std::size_t m = h.counts.size();
  // Expected counts per bin; the first and last bins take the tails beyond the data.
  std::vector<double> expected(m), observed(m);
  for (std::size_t i = 0; i < m; ++i) {
    const double lo = i == 0 ? -std::numeric_limits<double>::infinity() : h.origin + i * bin_width;
    const double hi =
        i + 1 == m ? std::numeric_limits<double>::infinity() : h.origin + (i + 1) * bin_width;
    const double flo = std::isinf(lo) ? 0.0 : d.cdf(lo);
    const double fhi = std::isinf(hi) ? 1.0 : d.cdf(hi);
    expected[i] = n * (fhi - flo);
    observed[i] = static_cast<double>(h.counts[i]);
  }
  // Merge from the left until each group expects ≥ 5; a short remainder joins the last group.
  std::vector<double> e, o;
  double ea = 0.0, oa = 0.0;
  for (std::size_t i = 0; i < m; ++i) {
    ea += expected[i];
    oa += observed[i];
    if (ea >= 5.0) {
      e.push_back(ea);
      o.push_back(oa);
      ea = oa = 0.0;
    }
  }
  if (ea > 0.0 || oa > 0.0) {
    if (e.empty()) {
      e.push_back(ea);
      o.push_back(oa);
    } else {
      e.back() += ea;
      o.back() += oa;
    }
  }
  BinnedChiSquare r;
  r.bins = e.size();
  for (std::size_t i = 0; i < e.size(); ++i)
    r.chi2 += (o[i] - e[i]) * (o[i] - e[i]) / e[i];
  r.dof = static_cast<int>(e.size()) - 1 - static_cast<int>(k);
  r.p_value = r.dof >= 1 ? gamma_q(0.5 * r.dof, 0.5 * r.chi2) : kNaN;
  return r;
}

DistributionFit fit_normal(const std::vector<double>& x) {
  require_sample(x, kMinNormalFit, "normal");
  double mean, sigma;
  DistributionFit fit = gaussian_fit(x, "mu_eV", "sigma_eV", mean, sigma);
  fit.model = "normal";
  fit.distribution = std::make_shared<NormalDistribution>(mean, sigma);
  finish(fit, x);
  return fit;
}

DistributionFit fit_lognormal(const std::vector<double>& x) {
  require_sample(x, kMinNormalFit, "log-normal");
  std::vector<double> logs(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (!(x[i] > 0.0))
      throw std::invalid_argument("log-normal fit: value " + std::to_string(i) + " = " +
                                  std::to_string(x[i]) + " is not positive");
    logs[i] = std::log(x[i]);
  }
  double m, s;
  // m and s are the mean and standard deviation of ln(ΔQ / 1 eV).
  DistributionFit fit = gaussian_fit(logs, "m", "s", m, s);
  fit.model = "lognormal";
  fit.distribution = std::make_shared<LogNormalDistribution>(m, s);
  finish(fit, x);
  return fit;
}

DistributionFit fit_two_mode(const std::vector<double>& x) {
  require_sample(x, kMinTwoModeFit, "two-mode");
  for (std::size_t i = 0; i < x.size(); ++i)
    if (x[i] < 0.0)
      throw std::invalid_argument("two-mode fit: value " + std::to_string(i) + " = " +
                                  std::to_string(x[i]) + " is negative (support is ΔQ >= 0)");
  double mean, sd;
  mean_and_ml_sigma(x, mean, sd);
  if (!(sd > 0.0))
    throw std::invalid_argument("two-mode fit: all values are equal");
  std::vector<double> sorted = x;
  std::sort(sorted.begin(), sorted.end());
  auto quantile = [&](double q) {
    return sorted[static_cast<std::size_t>(q * (sorted.size() - 1))];
  };

  // Negative log-likelihood in the natural parameters θ = (W, ε, μ, σ).
  auto nll = [&](const Vector& t) {
    try {
      TwoModeDistribution d(t[0], t[1], t[2], t[3]);
      double s = 0.0;
      for (double v : x)
        s -= d.log_pdf(v);
      return std::isfinite(s) ? s : std::numeric_limits<double>::infinity();
    } catch (const std::invalid_argument&) {
      return std::numeric_limits<double>::infinity();
    }
  };
  auto natural = [](const Vector& u) {
    return Vector{1.0 / (1.0 + std::exp(-u[0])), std::exp(u[1]), u[2], std::exp(u[3])};
  };
  auto nll_u = [&](const Vector& u) { return nll(natural(u)); };

  // Starting points: a coarse grid, then Nelder–Mead from the four best.
  std::vector<std::pair<double, Vector>> starts;
  for (double W : {0.05, 0.2, 0.4, 0.7})
    for (double eps : {std::max(0.5 * quantile(0.1), 1e-3 * sd), 0.3 * sd, sd})
      for (double mu : {quantile(0.5), quantile(0.75), mean})
        for (double sig : {0.5 * sd, sd}) {
          const Vector u{std::log(W / (1.0 - W)), std::log(std::max(eps, 1e-6)), mu, std::log(sig)};
          starts.push_back({nll_u(u), u});
        }
  std::sort(starts.begin(), starts.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  MinimizeResult best;
  best.value = std::numeric_limits<double>::infinity();
  for (std::size_t s = 0; s < std::min<std::size_t>(4, starts.size()); ++s) {
    const MinimizeResult r = nelder_mead(nll_u, starts[s].second, {1.0, 0.5, 0.3 * sd, 0.3});
    if (r.value < best.value)
      best = r;
  }
  if (!std::isfinite(best.value))
    throw std::invalid_argument("two-mode fit: no finite likelihood found");
  Vector theta = natural(best.x);
  // The logistic transform never reaches W = 0 or 1 exactly. A maximum on the boundary is
  // snapped onto it (the likelihood changes by at most n·1e-4): W = 0 leaves ε undetermined and
  // W = 1 leaves μ and σ undetermined, so those are held fixed and get no error.
  const bool low = theta[0]<1e-4, high = theta[0]> 1.0 - 1e-4;
  if (low)
    theta[0] = 0.0;
  if (high)
    theta[0] = 1.0;
  const bool on_boundary = low || high;
  // A shifted-Rayleigh mode far narrower than the sample sits on one barrier: a mixture's
  // likelihood grows without bound as its σ → 0 there (the degenerate solutions of McLachlan and
  // Peel, Finite Mixture Models, 2000), so the optimiser's end point is no
  // maximum-likelihood fit and its AIC would win every comparison.
  if (!high && theta[3] < kCollapsedModeFraction * sd) {
    char message[200];
    std::snprintf(message, sizeof message,
                  "two-mode fit: mode II collapsed onto one barrier (sigma = %.3g eV against a "
                  "sample spread of %.3g eV): the likelihood is unbounded, no fit exists",
                  theta[3], sd);
    throw std::invalid_argument(message);
  }

  DistributionFit fit;
  fit.model = "two_mode";
  fit.converged = best.converged;
  fit.distribution = std::make_shared<TwoModeDistribution>(theta[0], theta[1], theta[2], theta[3]);
  const char* names[4] = {"W", "epsilon_eV", "mu_eV", "sigma_eV"};
  // Hessian over the parameters the likelihood depends on.
  std::vector<std::size_t> free = low    ? std::vector<std::size_t>{2, 3}
                                  : high ? std::vector<std::size_t>{1}
                                         : std::vector<std::size_t>{0, 1, 2, 3};
  Vector t0(free.size()), h(free.size());
  for (std::size_t k = 0; k < free.size(); ++k) {
    const std::size_t i = free[k];
    t0[k] = theta[i];
    const double scale = (i == 2) ? std::max(std::abs(theta[2]), theta[3]) : theta[i];
    h[k] = 1e-4 * scale;
    if (i == 0)
      h[k] = std::min({h[k], 0.5 * theta[0], 0.5 * (1.0 - theta[0])});
  }
  auto nll_free = [&](const Vector& t) {
    Vector full = theta;
    for (std::size_t k = 0; k < free.size(); ++k)
      full[free[k]] = t[k];
    return nll(full);
  };
  const Matrix H = numerical_hessian(nll_free, t0, h);
  Matrix cov_free;
  const bool ok = invert_positive_definite(H, cov_free);
  fit.covariance.assign(4, Vector(4, kNaN));
  if (ok)
    for (std::size_t a = 0; a < free.size(); ++a)
      for (std::size_t b = 0; b < free.size(); ++b)
        fit.covariance[free[a]][free[b]] = cov_free[a][b];
  for (std::size_t i = 0; i < 4; ++i)
    fit.parameters.push_back({names[i], theta[i], std::sqrt(fit.covariance[i][i]), ""});
  // On a boundary the parameters of the absent mode do not enter the distribution: no value.
  const std::vector<std::size_t> absent = low    ? std::vector<std::size_t>{1}
                                          : high ? std::vector<std::size_t>{2, 3}
                                                 : std::vector<std::size_t>{};
  for (std::size_t i : absent) {
    fit.parameters[i].value = kNaN;
    fit.parameters[i].undefined =
        low ? "W = 0: mode I (the exponential) is absent, so its scale epsilon is undefined"
            : "W = 1: mode II (the shifted Rayleigh) is absent, so its mu and sigma are undefined";
  }
  if (on_boundary)
    fit.note = low ? "W = 0 on its boundary (mode I absent): epsilon undefined (null), W's "
                     "error undefined"
                   : "W = 1 on its boundary (mode II absent): mu and sigma undefined (null), W's "
                     "error undefined";
  if (!ok)
    fit.note += std::string(fit.note.empty() ? "" : "; ") +
                "Hessian of the negative log-likelihood is not positive definite: errors undefined";
  if (!fit.converged)
    fit.note += std::string(fit.note.empty() ? "" : "; ") + "Nelder-Mead did not converge";
  finish(fit, x);
  return fit;
}

}  // namespace glassland::analysis
