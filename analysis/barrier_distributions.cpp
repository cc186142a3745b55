#include "analysis/barrier_distributions.hpp"

#include "analysis/constants.hpp"

#include <cmath>
#include <stdexcept>

namespace glassland::analysis {

namespace {
constexpr double kNegInf = -std::numeric_limits<double>::infinity();
const double kLogSqrt2Pi = 0.5 * std::log(2.0 * kPi);
}  // namespace

double BarrierDistribution::pdf(double x) const {
  return std::exp(log_pdf(x));
}

NormalDistribution::NormalDistribution(double mu, double sigma) : mu_(mu), sigma_(sigma) {
  if (!(sigma > 0.0) || !std::isfinite(mu))
    throw std::invalid_argument("normal distribution needs finite mu and sigma > 0");
}

double NormalDistribution::log_pdf(double x) const {
  const double z = (x - mu_) / sigma_;
  return -0.5 * z * z - std::log(sigma_) - kLogSqrt2Pi;
}

double NormalDistribution::cdf(double x) const {
  return 0.5 * std::erfc(-(x - mu_) / (sigma_ * kSqrt2));
}

LogNormalDistribution::LogNormalDistribution(double m, double s) : m_(m), s_(s) {
  if (!(s > 0.0) || !std::isfinite(m))
    throw std::invalid_argument("log-normal distribution needs finite m and s > 0");
}

double LogNormalDistribution::log_pdf(double x) const {
  if (!(x > 0.0))
    return kNegInf;
  const double lx = std::log(x);
  const double z = (lx - m_) / s_;
  return -0.5 * z * z - lx - std::log(s_) - kLogSqrt2Pi;
}

double LogNormalDistribution::cdf(double x) const {
  if (!(x > 0.0))
    return 0.0;
  return 0.5 * std::erfc(-(std::log(x) - m_) / (s_ * kSqrt2));
}

double LogNormalDistribution::center() const {
  return std::exp(m_);
}  // the median
double LogNormalDistribution::width() const {
  return std::exp(m_) * std::min(s_, 1.0);
}

double TwoModeDistribution::rayleigh_normalisation(double mu, double sigma) {
  return sigma * sigma * std::exp(-mu * mu / (2.0 * sigma * sigma)) +
         mu * sigma * std::sqrt(kPi / 2.0) * std::erfc(-mu / (sigma * kSqrt2));
}

TwoModeDistribution::TwoModeDistribution(double W, double epsilon, double mu, double sigma)
    : W_(W), epsilon_(epsilon), mu_(mu), sigma_(sigma) {
  if (!(W >= 0.0 && W <= 1.0) || !(epsilon > 0.0) || !(sigma > 0.0) || !std::isfinite(mu))
    throw std::invalid_argument("two-mode distribution needs 0 <= W <= 1, epsilon > 0, sigma > 0");
  const double z = rayleigh_normalisation(mu, sigma);
  if (!(z > 0.0) || !std::isfinite(z))
    throw std::invalid_argument("two-mode distribution: mu/sigma too negative to normalise");
  W_prime_ = (1.0 - W) / z;
}

double TwoModeDistribution::log_pdf(double x) const {
  if (x < 0.0)
    return kNegInf;
  // log of a sum of two positive terms, each kept in log form (either may underflow alone).
  const double a = W_ > 0.0 ? std::log(W_ / epsilon_) - x / epsilon_ : kNegInf;
  const double d = (x - mu_) / sigma_;
  const double b = (W_prime_ > 0.0 && x > 0.0) ? std::log(W_prime_ * x) - 0.5 * d * d : kNegInf;
  const double m = std::max(a, b);
  if (m == kNegInf)
    return kNegInf;
  return m + std::log(std::exp(a - m) + std::exp(b - m));
}

double TwoModeDistribution::cdf(double x) const {
  if (x <= 0.0)
    return 0.0;
  const double s2 = sigma_ * sigma_;
  // ∫_0^x t e^{−(t−μ)²/2σ²} dt, the same substitution as for Z.
  const double partial =
      s2 * (std::exp(-mu_ * mu_ / (2.0 * s2)) - std::exp(-(x - mu_) * (x - mu_) / (2.0 * s2))) +
      mu_ * sigma_ * std::sqrt(kPi / 2.0) *
          (std::erf((x - mu_) / (sigma_ * kSqrt2)) + std::erf(mu_ / (sigma_ * kSqrt2)));
  return W_ * -std::expm1(-x / epsilon_) + W_prime_ * partial;
}

double TwoModeDistribution::center() const {
  // Weighted location of the two modes, the Rayleigh-like mode sits near max(μ, σ).
  return W_ * epsilon_ + (1.0 - W_) * std::max(mu_, sigma_);
}

double TwoModeDistribution::width() const {
  return W_ >= 1.0 ? epsilon_ : (W_ <= 0.0 ? sigma_ : std::min(epsilon_, sigma_));
}

double TwoModeDistribution::upper_tail_rate() const {
  return W_ > 0.0 ? 1.0 / epsilon_ : std::numeric_limits<double>::infinity();
}

}  // namespace glassland::analysis
