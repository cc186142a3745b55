// Voronoi tessellation of a periodic cell through voro++ (Rycroft, Chaos 19, 041111 (2009);
// Debian voro++-dev), standard or radical (power diagram with per-atom radii), and the Voronoi
// index ⟨n3, n4, n5, n6⟩ of each cell: the numbers of its faces with 3, 4, 5 and 6 edges (SPEC.md
// §9, §10; papers 001, 004). ⟨0,0,12,0⟩ is the full icosahedron; a perfect fcc lattice gives
// ⟨0,12,0,0⟩ and bcc ⟨0,6,0,8⟩ everywhere.
//
// Conventions follow LAMMPS `compute voronoi/atom` (src/VORONOI/compute_voronoi_atom.cpp): the
// face count is the number of faces with area above `face_area_threshold` (Å², 0: every face);
// a face's order counts only edges longer than `edge_length_threshold` (Å, 0: every edge). A
// relative face threshold (faces below that fraction of the cell's surface are dropped, as in
// OVITO's Voronoi analysis) is available for thermally or chemically distorted crystals, whose
// four-fold vertices split into tiny faces and edges.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <vector>

#include "analysis/periodic_cell.hpp"

namespace glassland::analysis {

struct VoronoiSettings {
  bool radical = false;
  std::vector<double> radii;                  // radical: radius of each atom, Å
  double face_area_threshold = 0.0;           // Å²
  double relative_face_area_threshold = 0.0;  // fraction of the cell's surface area
  double edge_length_threshold = 0.0;         // Å
};

struct VoronoiCell {
  double volume = 0.0;                   // Å³
  int faces = 0;                         // faces kept by the thresholds
  std::array<int, 4> index{0, 0, 0, 0};  // faces with 3, 4, 5, 6 edges
  int larger_faces = 0;                  // faces with more than 6 edges
  std::vector<int> neighbors;            // atom index across each kept face
};

// One cell per atom (positions N×3 in any image). Throws std::invalid_argument for radii that do
// not match the atoms and std::runtime_error when voro++ cannot compute a cell.
std::vector<VoronoiCell> voronoi_tessellation(const PeriodicCell& cell,
                                              const std::vector<double>& positions,
                                              const VoronoiSettings& settings = {});

// "<0,0,12,0>".
std::string voronoi_index_label(const std::array<int, 4>& index);

}  // namespace glassland::analysis
