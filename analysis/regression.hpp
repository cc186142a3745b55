// Fits with standard errors (SPEC.md §6, §9, §10; issue 7 item 4).
//
// - Weighted linear regression y = a + b x (least squares, GSL's gsl_fit_wlinear; e.g. Press et
//   al., Numerical Recipes §15.2). Without per-point errors the covariance is s²(XᵀX)⁻¹ with s² =
//   RSS/(n−2), so exact data give zero errors; with errors σ_i the weights are 1/σ_i² and the
//   covariance is (XᵀWX)⁻¹ ("absolute sigma"), optionally scaled by χ²/(n−2).
// - Arrhenius ln y = ln y0 − Q/(k_B T): a linear fit of ln y against 1/(k_B T), so Q (eV) is
//   minus the slope and y0 the exponential of the intercept (paper 002 §3, SPEC.md §6).
// - Vogel–Fulcher–Tammann y = y0 exp(B/(T − T0)): for a fixed T0 the model is linear in ln y0
//   and B, so χ²(T0) is profiled on a log-spaced grid of T_min − T0 (a linear fit at each point)
//   to find the global minimum's basin, then (ln y0, B, T0) are refined together by
//   Levenberg–Marquardt (GSL), and their covariance comes from the Jacobian at the optimum,
//   s²(JᵀWJ)⁻¹ (gsl_multifit_nlinear_covar).
// - Piecewise-linear with a fitted kink (T_g from V, E or H against T, paper 004 §III.A): the
//   continuous two-branch line y = a + b1·min(x − x_k, 0) + b2·max(x − x_k, 0), x_k profiled and
//   refined in the same way, errors of (a, b1, b2, x_k) from the Jacobian (the error on x_k is
//   the usual linearised one; bootstrap.hpp gives a distribution-free alternative).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "analysis/numerics.hpp"

namespace glassland::analysis {

struct LinearFit {
  double slope = 0.0, intercept = 0.0;
  double slope_error = 0.0, intercept_error = 0.0;  // NaN when n = 2 and no σ_i were given
  double covariance = 0.0;                          // cov(slope, intercept)
  double chi2 = 0.0;       // Σ w_i r_i² (w_i = 1 without errors: the residual sum of squares)
  double r_squared = 0.0;  // weighted coefficient of determination
  std::size_t n = 0, dof = 0;
  bool weighted = false;
};

enum class ErrorScaling {
  automatic,    // scale by χ²/dof without σ_i, absolute with σ_i
  absolute,     // (XᵀWX)⁻¹ as is (σ_i are true standard errors)
  reduced_chi2  // always scale by χ²/dof
};

// y = intercept + slope·x. sigma empty (unweighted) or one positive σ_i per point. Needs ≥ 2
// points and two distinct x; throws std::invalid_argument otherwise.
LinearFit linear_fit(const std::vector<double>& x, const std::vector<double>& y,
                     const std::vector<double>& sigma = {},
                     ErrorScaling scaling = ErrorScaling::automatic);

struct ArrheniusFit {
  double Q_eV = 0.0, Q_error_eV = 0.0;
  double ln_prefactor = 0.0, ln_prefactor_error = 0.0;
  double prefactor = 0.0, prefactor_error = 0.0;  // y0 and y0·σ(ln y0)
  double covariance_Q_ln_prefactor = 0.0;
  LinearFit line;  // ln y against 1/(k_B T)
};

// y > 0 at temperatures T (K); sigma (optional) are errors of y (propagated as σ_y/y).
ArrheniusFit arrhenius_fit(const std::vector<double>& temperature_K, const std::vector<double>& y,
                           const std::vector<double>& sigma_y = {},
                           ErrorScaling scaling = ErrorScaling::automatic);

struct VftFit {
  double ln_y0 = 0.0, B_K = 0.0, T0_K = 0.0;
  double ln_y0_error = 0.0, B_error_K = 0.0, T0_error_K = 0.0;
  double y0 = 0.0, y0_error = 0.0;
  Matrix covariance;  // of (ln y0, B, T0)
  double chi2 = 0.0;
  std::size_t n = 0, dof = 0;
};

// Needs ≥ 4 points (3 parameters and one degree of freedom for the errors), y > 0.
VftFit vft_fit(const std::vector<double>& temperature_K, const std::vector<double>& y,
               const std::vector<double>& sigma_y = {});

struct KinkFit {
  double kink_x = 0.0, kink_x_error = 0.0;
  double kink_y = 0.0, kink_y_error = 0.0;  // a
  double slope_below = 0.0, slope_below_error = 0.0;
  double slope_above = 0.0, slope_above_error = 0.0;
  Matrix covariance;  // of (a, b1, b2, x_k)
  double chi2 = 0.0;
  std::size_t n = 0, dof = 0;
};

// Needs ≥ 5 points with at least 2 on each side of the kink.
KinkFit kink_fit(const std::vector<double>& x, const std::vector<double>& y,
                 const std::vector<double>& sigma = {});

}  // namespace glassland::analysis
