// Minimum-energy-path analysis on the host: the energy profile with a cubic fit, barriers,
// path lengths and the fractal dimension of many paths. Plain arrays in, plain numbers out.
//
// Cubic fit: piecewise cubic Hermite interpolation through the image energies E_k with slopes
// dE/ds = −F∥_k (the true force along the tangent), as ASE's NEBTools (ase/utils/forcecurve.py,
// fit_raw) does, so the fitted barrier can lie between images.
// Path geometry (paper 003, Liu & Fan, PRL 127, 215502 (2021), and SPEC.md §8): contour length
// C = Σ|R_{k+1} − R_k| and end-to-end length L = |R_{M−1} − R_0| in 3N space (minimum image per
// atom), tortuosity C/L, and the fractal dimension δ from C ∝ L^δ over many paths, fitted by
// least squares on log C = δ log L + c with the standard error of the slope.
#pragma once

#include <vector>

namespace glassland {

struct EnergyProfileFit {
  std::vector<double> coordinate;  // Å, fine grid along the reaction coordinate
  std::vector<double> energy;      // eV, fitted energy on that grid (relative to nothing)
  double max_energy = 0.0;         // eV, largest fitted energy (analytic maximum of the cubics)
  double max_coordinate = 0.0;     // Å, where it lies
  double barrier_forward = 0.0;    // eV, max_energy − E_0
  double barrier_backward = 0.0;   // eV, max_energy − E_{M−1}
};

// reaction_coordinate s_k (increasing), energies E_k and tangential forces F∥_k, M ≥ 2 values
// each. points_per_segment grid points per segment (end point excluded except the last).
EnergyProfileFit fit_energy_profile(const std::vector<double>& reaction_coordinate,
                                    const std::vector<double>& energies,
                                    const std::vector<double>& tangential_force,
                                    int points_per_segment = 20);

// Number of interior local maxima of the image energies that stand out by more than
// `prominence` (eV) above the lower of the two minima around them. A single-hump path has 1.
int count_energy_humps(const std::vector<double>& energies, double prominence = 1e-3);

// True when the profile rises from E_0 to its highest image and falls from there to E_{M−1},
// allowing wiggles up to `prominence` (eV): no intermediate minimum, no endpoint that is not a
// minimum along the path. A two-hump path, or one that dips below its neighbours on the way
// (a new intermediate minimum), is not single-hump.
bool is_single_hump(const std::vector<double>& energies, double prominence = 1e-3);

// C / L; 0 when L = 0.
double tortuosity(double contour_length, double end_to_end);

struct PowerLawFit {
  double exponent = 0.0;        // δ
  double exponent_error = 0.0;  // standard error of δ (OLS, n − 2 degrees of freedom)
  double prefactor = 0.0;       // A in C = A L^δ
  int n_points = 0;
};

// C ∝ L^δ over paths with L > 0 and C > 0 (others skipped). Needs at least 3 usable paths for
// an error; throws std::invalid_argument with fewer than 2 or when all L are equal.
PowerLawFit fit_fractal_dimension(const std::vector<double>& end_to_end,
                                  const std::vector<double>& contour_length);

// Parallel average of barriers (paper 002, Annamareddy et al.): escape through any of several
// channels at once, Ē = −k_B T ln⟨exp(−E_i / k_B T)⟩. kT in eV.
double parallel_average_barrier(const std::vector<double>& barriers, double kT);

}  // namespace glassland
