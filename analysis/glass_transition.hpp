// The glass transition temperature from a cooling record (SPEC.md §10; paper 004 §III.A, Fig. 1):
// V, PE or H against T on cooling bends at T_g, where the liquid falls out of equilibrium. T_g is
// the kink of the continuous two-branch line fitted to the record (regression.hpp kink_fit:
// profiled kink, Levenberg–Marquardt refinement, linearised errors), and the slopes of the two
// branches are the thermal expansion (V), dPE/dT and the heat capacity C_p = dH/dT (paper 004,
// Fig. 1d) of the glass (below T_g) and of the supercooled liquid (above).
//
// Why an autocorrelation correction: successive records of one MD run are correlated in time, so
// the residuals about the fitted line are not independent and the least-squares errors are too
// small. The residuals' lag-1 autocorrelation ρ (in record order) gives the AR(1) effective sample
// size n_eff = n(1 − ρ)/(1 + ρ) of Santer et al., J. Geophys. Res. 105, 7337 (2000), Eq. 6, and
// the errors are inflated by sqrt((n − p)/(n_eff − p)) with p = 4 fitted parameters (the
// residual variance with n_eff − p degrees of freedom, as that paper does for a trend's standard
// error). Both the plain and the corrected errors are reported.
#pragma once

#include <cstddef>
#include <vector>

#include "analysis/regression.hpp"

namespace glassland::analysis {

struct GlassTransitionFit {
  KinkFit kink;                       // y = a + b1·min(T − T_g, 0) + b2·max(T − T_g, 0)
  double tg = 0.0, tg_error = 0.0;    // K; tg_error corrected for autocorrelation
  double tg_error_uncorrected = 0.0;  // the plain linearised error
  double slope_glass = 0.0, slope_glass_error = 0.0;    // dy/dT below T_g (corrected error)
  double slope_liquid = 0.0, slope_liquid_error = 0.0;  // dy/dT above T_g (corrected error)
  double value_at_tg = 0.0, value_at_tg_error = 0.0;    // a
  std::size_t n = 0, n_glass = 0, n_liquid = 0;         // points below / above T_g
  double residual_autocorrelation = 0.0;                // lag-1 ρ of the residuals, order given
  double effective_points = 0.0;                        // n_eff (n when ρ ≤ 0)
  double error_inflation = 1.0;                         // factor applied to every error
};

// T_g of y(T), points in record (time) order. Needs ≥ 5 points with ≥ 2 on each side of the
// kink (kink_fit) and n_eff > 5 for the corrected errors (otherwise they are NaN). Throws
// std::invalid_argument for unusable input.
GlassTransitionFit fit_glass_transition(const std::vector<double>& temperature,
                                        const std::vector<double>& y);

// Means of consecutive blocks of `block` points (a trailing partial block is dropped); block 1
// returns the input. Throws when block is 0.
std::vector<double> block_means(const std::vector<double>& values, std::size_t block);

// Lag-1 autocorrelation Σ r_i r_{i+1} / Σ r_i² of a series about its mean (0 for fewer than 3
// points or a constant series).
double lag1_autocorrelation(const std::vector<double>& values);

}  // namespace glassland::analysis
