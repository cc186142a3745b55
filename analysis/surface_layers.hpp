// Free surfaces of a slab (SPEC.md §9; paper 002 §II): a periodic cell with vacuum along z holds
// a film with two free surfaces normal to z. Surface atoms are those within `depth` (2.5 Å in
// paper 002, one nearest-neighbour shell) of either surface; profiles of density, composition and
// coordination along z show the layering and the segregation near them (paper 002 Fig. 8).
//
// Where the surfaces are: the equimolar (Gibbs) dividing surfaces of the film, found from the
// atoms' z alone. With z_m the median z, ρ_b the density of the middle half of the atoms (between
// the 25 % and 75 % quantiles of z) and A the cell's x–y area,
//   z_top = z_m + N(z > z_m)/(ρ_b A),   z_bottom = z_m − N(z < z_m)/(ρ_b A),
// i.e. the planes that a film of uniform density ρ_b with the same atoms would end at. Unlike the
// highest and lowest atom, this does not jump with an adatom or an evaporated atom.
#pragma once

#include <cstddef>
#include <vector>

#include "analysis/periodic_cell.hpp"

namespace glassland::analysis {

struct SlabSurfaces {
  double bottom = 0.0, top = 0.0;  // Å, in the frame's z (unwrapped z when the film does not wrap)
  double bulk_density = 0.0;       // Å⁻³
};

// positions N×3; the film must not cross the cell's z boundary (vacuum along z). Throws
// std::invalid_argument for fewer than 8 atoms or a film with no thickness.
SlabSurfaces slab_surfaces(const std::vector<double>& positions, double area);

// 1 for atoms within `depth` Å inside either surface (or outside it: adatoms), else 0.
std::vector<unsigned char> surface_atoms(const std::vector<double>& positions,
                                         const SlabSurfaces& surfaces, double depth);

// Layers of width `width` along z over one cell length centred on the first frame's median z
// (a slab in the middle, its vacuum at both ends), averaged over frames: number density,
// composition and the mean coordination of each type in each layer.
class LayerProfile {
 public:
  LayerProfile(int n_types, double width);
  // coordination: one count per atom (coordination_numbers in radial_distribution.hpp).
  void add_frame(const PeriodicCell& cell, const std::vector<double>& positions,
                 const std::vector<int>& types, const std::vector<int>& coordination);

  std::size_t layers() const { return atoms_.size(); }
  std::vector<double> z_centres() const;                  // Å
  std::vector<double> density() const;                    // Å⁻³, per layer
  std::vector<double> fraction(int type) const;           // NaN where the layer is empty
  std::vector<double> mean_coordination(int type) const;  // NaN where no atom of the type
  std::vector<double> atoms_per_frame() const;

 private:
  int n_types_;
  double width_;
  std::size_t frames_ = 0;
  double z0_ = 0.0;                           // lo_z of the first frame
  double volume_sum_ = 0.0;                   // layer volume (area·width) summed over frames
  std::vector<double> atoms_;                 // [layer]
  std::vector<std::vector<double>> by_type_;  // [type−1][layer]
  std::vector<std::vector<double>> cn_sum_;   // [type−1][layer]
};

}  // namespace glassland::analysis
