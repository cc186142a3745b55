// Shear response of converged NEB bands (paper 003: Liu & Fan, PRL 127, 215502 (2021),
// "rendering the obtained MEPs to controlled shear strains"; SPEC.md §8).
//
// Every image of every band gets the same affine simple shear γ_xy: x ← x + γ (y − y_lo) and the
// box tilt xy ← xy + γ l_y (the LAMMPS convention: shear by tilting). The endpoints are then
// re-minimised (they are no longer minima of the strained landscape) if asked, the band is
// re-converged from the strained path, and the barrier change ΔE_A(γ) = E_A(γ) − E_A(0) is
// reported per band. A band "lost its correspondence" at γ when it no longer converges to a
// single-hump path (is_single_hump: paper 003's MEPs that "no longer have correspondences
// after shear"). Strains are applied from the unstrained bands each time, never accumulated.
// Paper 003 re-converges the strained MEP itself (the default); with `reinterpolate` the band
// restarts from the linear path between its re-minimised endpoints instead (what a fresh NEB
// between the strained states, e.g. LAMMPS `neb`, computes).
#pragma once

#include <vector>

#include "saddle/neb_band.hpp"

namespace glassland {

// Affine shear γ_xy of every replica: positions and box tilts (one launch each). The map
// x ← x + γ (y − y_lo) takes the lattice vector b to b + γ l_y x̂ and c to c + γ c_y x̂, hence
// xy += γ l_y and xz += γ yz.
void apply_affine_shear_xy(Batch& batch, double gamma);

struct ShearSettings {
  NebSettings neb;
  bool minimize_endpoints = true;
  FireSettings endpoint_fire;     // used when minimize_endpoints
  double hump_prominence = 1e-3;  // eV, for count_energy_humps and is_single_hump
  bool reinterpolate = false;     // restart from the linear path instead of the strained MEP
};

// A band "lost its correspondence": it did not converge, or its converged image energies are not
// a single hump (is_single_hump: an intermediate minimum, a second maximum standing out by more
// than `prominence`, or the highest image at an endpoint).
bool band_lost(const BandResult& band, double prominence);

// The image whose configuration is taken as the saddle: the climbing image, or the highest
// intermediate image when climbing was off or never switched on.
int band_saddle_image(const BandResult& band, int n_images);

struct ShearResponse {
  std::vector<double> strains;  // γ_xy, as given
  // The unstrained reference, re-converged with the same settings, per band.
  std::vector<double> reference_barrier;  // eV, E_A(0)
  std::vector<bool> reference_lost;
  std::vector<double> reference_virial_xy_initial, reference_virial_xy_saddle;  // eV, W_xy
  std::vector<double> volume;  // Å³ of each band's box (simple shear keeps it)
  // [band][strain]
  std::vector<std::vector<double>> barrier_forward;  // eV, E_A(γ)
  std::vector<std::vector<double>> barrier_change;   // eV, E_A(γ) − E_A(0)
  std::vector<std::vector<int>> humps;
  std::vector<std::vector<bool>> single_hump;
  std::vector<std::vector<bool>> converged;
  std::vector<std::vector<bool>> lost;  // band_lost
  // W_xy = Σ r_x f_y (eV, the batch virial) of the initial image and of the saddle image
  // (band_saddle_image) after re-convergence; σ_xy = −W_xy / V (dE/dγ = −W_xy).
  std::vector<std::vector<double>> virial_xy_initial, virial_xy_saddle;
  std::vector<int> lost_bands;  // per strain: bands not converged or not single-hump
};

// The batch holds converged bands (n_images each) at zero strain; it is left as it was given.
// The unstrained reference E_A(0) is recomputed with the same settings, so ΔE_A compares like
// with like. One NEB run of all bands per strain value (a phase loop, not a replica loop).
ShearResponse neb_shear_response(Batch& batch, ForceField& force_field, int n_images,
                                 const std::vector<double>& strains,
                                 const ShearSettings& settings = {});

}  // namespace glassland
