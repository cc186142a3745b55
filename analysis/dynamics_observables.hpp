// What the displacement sums (mean_squared_displacement.hpp) mean (SPEC.md §9, paper 002 §II–III):
// per species curves MSD(t), α2(t), F_s(q, t) and G_s(r, t); the diffusion coefficient D from the
// linear regime of the MSD with its standard error; the α-relaxation time τ_α where F_s = 1/e;
// the Debye–Waller factor ⟨u²⟩ at the inflection of log MSD against log t; and D·τ_α for the
// Stokes–Einstein test. The same functions serve the post-hoc analysis of trajectories and the
// sums accumulated on the device during `task: md`, so both report the same numbers.
//
// D = slope/(2d) of a straight line fitted to MSD(t) over the fit window (paper 002 Eq. 1,
// d = 3 bulk, d = 2 lateral). Its standard error comes from the spread of the same fit over the
// interleaved atom subsets of the sums: SE = sd(D_k)/√K over K subsets. That measures how much D
// changes with the atoms sampled (the dominant noise of one run: each atom's track is a short
// random walk); the regression's own slope error would treat the correlated MSD points as
// independent and is far too small.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "analysis/mean_squared_displacement.hpp"

namespace glassland::analysis {

// Curves of one set of groups (one species, or every group), one value per lag; NaN where no
// (origin, atom) pair contributed.
struct DisplacementCurves {
  std::vector<double> pairs;                  // (origin, atom) pairs per lag
  std::vector<double> msd;                    // Å²
  std::vector<double> alpha2;                 // NaN at lag 0
  std::vector<std::vector<double>> fs;        // [q][lag]
  std::vector<std::vector<double>> van_hove;  // [slot][bin]: G_s(r, t), Å⁻³ (Å⁻² lateral)
  std::vector<double> van_hove_beyond;        // [slot]: fraction of pairs beyond the histogram
};
DisplacementCurves displacement_curves(const DisplacementSums& sums,
                                       const std::vector<std::size_t>& groups, int dimensions,
                                       double van_hove_bin);

// Sums of the groups of one species s (0-based) in a species × subsets layout, or of every
// species (s < 0), optionally of one subset only (subset < 0: all).
std::vector<std::size_t> groups_of(std::size_t n_species, std::size_t subsets, int species,
                                   int subset);

struct DiffusionFit {
  double value_m2_per_s = 0.0;
  double stderr_m2_per_s = 0.0;  // from the subsets; NaN with fewer than 2
  double window_start_ps = 0.0, window_end_ps = 0.0;
  std::size_t points = 0;     // lags in the window
  double intercept_A2 = 0.0;  // of the fitted line
  double loglog_slope = 0.0;  // d ln MSD / d ln t across the window (1 when diffusive)
  std::string note;           // why the fit may not measure diffusion, or ""
};

// Fits MSD(t) = a + 2d·D·t over [window_start, window_end] ps (NaN: t_max/10 … t_max/2 with t_max
// the longest lag that has pairs). subset_msd holds the same curve for each atom subset.
// Throws std::invalid_argument when the window holds fewer than 3 lags with pairs.
DiffusionFit fit_diffusion(const std::vector<double>& lag_ps, const std::vector<double>& msd,
                           const std::vector<std::vector<double>>& subset_msd, int dimensions,
                           double window_start_ps, double window_end_ps);

// The first time at which `curve` falls to `level` (1/e for τ_α), linearly interpolated between
// the lags that bracket it; NaN when it never does.
double first_crossing_time(const std::vector<double>& lag_ps, const std::vector<double>& curve,
                           double level);

struct DebyeWaller {
  bool found = false;
  double u2_A2 = 0.0;    // MSD at the inflection
  double time_ps = 0.0;  // where it is
  double slope = 0.0;    // d ln MSD / d ln t there (its minimum)
  std::string note;
};
// ⟨u²⟩ at the inflection of ln MSD against ln t: the minimum of the log-log slope, measured
// between lags spaced by at least a factor 1.25 in time so that dense long lags do not turn noise
// into slope. Found only when the minimum lies inside the curve, below 0.8, and the slope rises
// again by more than 0.15 after it (a cage plateau followed by escape); a liquid's slope falls
// monotonically from 2 to 1 and has no such minimum.
DebyeWaller debye_waller_factor(const std::vector<double>& lag_ps, const std::vector<double>& msd);

// Å²/ps → m²/s.
inline constexpr double kSquareMetrePerSecond_per_SquareAngstromPerPs = 1e-8;

}  // namespace glassland::analysis
