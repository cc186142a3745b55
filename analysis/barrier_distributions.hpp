// Probability densities of barrier spectra P(ΔQ) used by the fits and by the effective-barrier
// integrals (SPEC.md §6).
//
// - Normal N(μ, σ²) on the whole real line.
// - Log-normal: ln ΔQ ~ N(m, s²) on ΔQ > 0 (paper 001, Yang et al. PRB 102, 174103 (2020), Fig. 4
//   fits its barrier spectra with log-normals).
// - Two-mode (paper 004, Han et al. PRB 101, 064205 (2020), Eq. 1):
//     P(ΔQ) = W (1/ε) e^{−ΔQ/ε} + W′ ΔQ e^{−(ΔQ−μ)²/2σ²},  ΔQ ≥ 0,
//   the exponential "mode I" (cascade relaxation) plus a shifted Rayleigh "mode II" (localised
//   relaxation). The paper fixes W′ by normalisation; the exponential term integrates to W, so
//     W′ = (1 − W) / Z,  Z = ∫_0^∞ x e^{−(x−μ)²/2σ²} dx = σ² e^{−μ²/2σ²} + μ σ √(π/2)
//     erfc(−μ/(σ√2)),
//   which follows from substituting u = x − μ: ∫ (u + μ) e^{−u²/2σ²} du over u ≥ −μ.
#pragma once

#include <limits>
#include <string>

namespace glassland::analysis {

class BarrierDistribution {
 public:
  virtual ~BarrierDistribution() = default;
  virtual std::string name() const = 0;
  // ln P(x); −inf outside the support.
  virtual double log_pdf(double x) const = 0;
  virtual double cdf(double x) const = 0;
  // Lower end of the support (−inf for the normal, 0 for the others).
  virtual double support_lower() const = 0;
  // A typical location and width of the density: where the integrals start looking.
  virtual double center() const = 0;
  virtual double width() const = 0;
  // Decay rate λ of the upper tail, P ~ e^{−λx} or faster: +inf for Gaussian-like tails, 1/ε for
  // an exponential tail, 0 for tails heavier than any exponential (log-normal). The sequential
  // integral ∫P e^{+x/kT} converges only when λ > 1/kT.
  virtual double upper_tail_rate() const = 0;
  double pdf(double x) const;
};

class NormalDistribution final : public BarrierDistribution {
 public:
  NormalDistribution(double mu, double sigma);
  std::string name() const override { return "normal"; }
  double log_pdf(double x) const override;
  double cdf(double x) const override;
  double support_lower() const override { return -std::numeric_limits<double>::infinity(); }
  double center() const override { return mu_; }
  double width() const override { return sigma_; }
  double upper_tail_rate() const override { return std::numeric_limits<double>::infinity(); }
  double mu() const { return mu_; }
  double sigma() const { return sigma_; }

 private:
  double mu_, sigma_;
};

// ln x ~ N(m, s²): m and s are the mean and standard deviation of ln(ΔQ / 1 eV).
class LogNormalDistribution final : public BarrierDistribution {
 public:
  LogNormalDistribution(double m, double s);
  std::string name() const override { return "lognormal"; }
  double log_pdf(double x) const override;
  double cdf(double x) const override;
  double support_lower() const override { return 0.0; }
  double center() const override;
  double width() const override;
  double upper_tail_rate() const override { return 0.0; }
  double m() const { return m_; }
  double s() const { return s_; }

 private:
  double m_, s_;
};

class TwoModeDistribution final : public BarrierDistribution {
 public:
  // W in [0, 1], ε > 0, σ > 0, μ any real with Z(μ, σ) > 0.
  TwoModeDistribution(double W, double epsilon, double mu, double sigma);
  std::string name() const override { return "two_mode"; }
  double log_pdf(double x) const override;
  double cdf(double x) const override;
  double support_lower() const override { return 0.0; }
  double center() const override;
  double width() const override;
  double upper_tail_rate() const override;
  double W() const { return W_; }
  double epsilon() const { return epsilon_; }
  double mu() const { return mu_; }
  double sigma() const { return sigma_; }
  // W′ = (1 − W)/Z, the normalisation of the Rayleigh-like mode.
  double W_prime() const { return W_prime_; }
  // Z(μ, σ) = ∫_0^∞ x e^{−(x−μ)²/2σ²} dx in closed form.
  static double rayleigh_normalisation(double mu, double sigma);

 private:
  double W_, epsilon_, mu_, sigma_, W_prime_;
};

}  // namespace glassland::analysis
