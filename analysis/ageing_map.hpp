// Ageing-rate maps and the activation volume of stress-accelerated ageing (SPEC.md §10; paper 003:
// Liu & Fan, PRL 127, 215502 (2021), Figs. 1–2 and Eq. 1; the map construction of Liu, Yan,
// Sharma & Fan, Comput. Mater. Sci. 172, 109347 (2020)).
//
//  * Each isothermal series of inherent-structure energies E_IS(t) (per atom) gives, for every
//    pair of successive samples, the ageing rate Φ = (E^{i+1} − E^i)/(t^{i+1} − t^i), placed at
//    the pair's mean energy (E^i + E^{i+1})/2 (second-order accurate: for a straight E(t) it is
//    the energy at the middle of the interval) and at the series' temperature.
//  * Pairs are binned on an (E_IS, T) grid: energy bins of a chosen width aligned on multiples of
//    it (so maps of different runs share pixels), one row per distinct temperature (the runs are
//    isothermal). Per pixel: the count, the mean Φ and its standard error s/√n (s the sample
//    standard deviation; NaN below 2 pairs), the mean energy, and for series that carry a shear
//    stress per pair, the mean stress and its standard error.
//  * The ratio map f = Φ^L/Φ^0 of a loaded and an unloaded map, pixel by pixel, with the error
//    propagated from both standard errors, σ_f = |f|·√((σ_L/Φ^L)² + (σ_0/Φ^0)²). A pixel enters
//    the fit when both maps have at least `min_count` pairs there, both rates are negative (the
//    glass ages: E_IS decreases) with finite, non-zero errors, and the loaded pixel has a stress.
//  * f = κ·cosh(τ·V_act/(k_B T)) (paper 003 Eq. 1) fitted by weighted least squares (weights
//    1/σ_f²) in κ and V_act. cosh is even, so V_act ≥ 0 is reported. χ²(V) is profiled on a grid
//    (κ is linear for a fixed V), then (κ, V) are refined together by Levenberg–Marquardt (GSL,
//    analysis/numerics.hpp), and the covariance is s²(JᵀWJ)⁻¹ at the optimum with s² = χ²/dof
//    (the scatter of the pixels sets the error even when their σ_f are off). At V = 0 the
//    derivative in V vanishes and the error is reported as NaN.
// Units: energies eV/atom, times ps, Φ eV/(atom·ps), stresses GPa (τ = σ = −p of LAMMPS), V in Å³.
#pragma once

#include <cstddef>
#include <vector>

namespace glassland::analysis {

struct AgeingSeries {
  double temperature_K = 0.0;
  std::vector<double> time_ps;  // increasing
  std::vector<double> energy;   // E_IS per atom at those times, eV
  // Mean shear stress during each pair (size n − 1), GPa; empty when the series has none.
  std::vector<double> shear_stress_GPa;
};

struct AgeingGrid {
  double energy_origin = 0.0;  // eV/atom: bin k covers [origin + k·width, origin + (k+1)·width)
  double energy_bin_width = 0.0;
  std::size_t energy_bins = 0;
  std::vector<double> temperatures_K;  // one row per distinct temperature, ascending
  double temperature_tolerance_K = 1e-6;
  // Row of a temperature; throws std::invalid_argument when none matches.
  std::size_t row(double temperature_K) const;
  // Bin of a pair energy (energy_bins when beyond the grid).
  std::size_t bin(double energy) const;
};

// The grid that holds every pair of every series in `sets`: bins of `width` aligned on multiples
// of it, rows at the distinct temperatures. Throws std::invalid_argument for width ≤ 0, a series
// with fewer than two samples, times that do not increase, or non-finite values.
AgeingGrid ageing_grid(const std::vector<std::vector<AgeingSeries>>& sets, double width);

template <class T>
using PixelGrid = std::vector<std::vector<T>>;  // [temperature row][energy bin]

struct AgeingMap {
  AgeingGrid grid;
  PixelGrid<std::size_t> count;
  PixelGrid<double> rate, rate_error;  // Φ mean and its standard error; NaN where undefined
  PixelGrid<double> energy;            // mean pair energy of the pixel
  PixelGrid<double> shear_stress_GPa;  // mean stress of the pixel's pairs (NaN: none)
  PixelGrid<double> shear_stress_error_GPa;
  std::size_t pairs = 0;  // all pairs binned
};

AgeingMap ageing_map(const std::vector<AgeingSeries>& series, const AgeingGrid& grid);

// Pixel-by-pixel ratio of a loaded and an unloaded map on the same grid, and the points of the
// cosh fit (one per usable pixel).
struct AgeingRatio {
  PixelGrid<double> ratio, ratio_error;  // NaN where a map is empty or Φ^0 = 0
  PixelGrid<int> usable;                 // 1 where the pixel enters the fit
  std::vector<double> stress_GPa, temperature_K, f, f_error;
};
AgeingRatio ageing_ratio(const AgeingMap& loaded, const AgeingMap& unloaded,
                         std::size_t min_count = 2);

struct CoshFit {
  double kappa = 0.0, kappa_error = 0.0;
  double volume_A3 = 0.0, volume_error_A3 = 0.0;
  double correlation = 0.0;  // of κ and V
  double chi2 = 0.0;         // Σ w r² at the optimum
  std::size_t n = 0, dof = 0;
};

// f_i = κ cosh(τ_i V/(k_B T_i)) with errors σ_i (> 0). Needs at least 3 points and a non-zero
// stress; throws std::invalid_argument otherwise.
CoshFit cosh_activation_fit(const std::vector<double>& stress_GPa,
                            const std::vector<double>& temperature_K, const std::vector<double>& f,
                            const std::vector<double>& f_error);

}  // namespace glassland::analysis
