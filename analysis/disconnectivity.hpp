// Disconnectivity-graph data of a network of minima joined by transition states (SPEC.md §10;
// paper 004 §III.D, Fig. 7; Becker & Karplus, J. Chem. Phys. 106, 1495 (1997); Wales, Miller &
// Walsh, Nature 394, 758 (1998)).
//
// Input: the energies of the minima and, for every pair an ART walk connected, the lowest saddle
// energy found between them. Two outputs:
//   - the merge tree: minima are its leaves; sorting the connections by saddle energy and joining
//     the two groups each one connects (Kruskal's order, union–find) gives one internal node per
//     join, at the energy of the lowest saddle that connects the two groups. A superbasin at
//     energy E is a subtree whose join energies are below E. Pairs never connected stay separate
//     trees (one root per connected component).
//   - the levels (Becker & Karplus's construction, what a plot draws): at energies
//     L_0 > L_1 > … spaced by ΔE, the superbasins at L are the groups of minima below L that are
//     connected through saddles below L; each superbasin at L_{k+1} lies in exactly one at L_k,
//     its parent.
// A saddle below one of the minima it joins (inconsistent input) joins them at the higher
// minimum's energy. The leaves are laid out on x = 0, 1, 2, … in a depth-first order of the
// merge tree (lower branch first), so every superbasin is a contiguous run of leaves and is
// drawn at the middle of that run.
#pragma once

#include <cstddef>
#include <vector>

namespace glassland::analysis {

struct MinimaConnection {
  int a = -1, b = -1;          // minima indices
  double saddle_energy = 0.0;  // eV, the lowest saddle between them
};

struct MergeNode {
  double energy = 0.0;        // leaf: the minimum's energy; join: the connecting saddle
  std::vector<int> children;  // join: the two joined nodes; leaf: none
  int parent = -1;            // -1: a root
  int lowest_minimum = -1;    // the lowest minimum below this node
  std::size_t minima = 0;     // leaves below this node
  double x = 0.0;             // layout: the leaf's rank, or the middle of the subtree's leaves
};

struct Superbasin {
  std::vector<int> minima;  // members, in layout order
  int lowest_minimum = -1;
  double lowest_energy = 0.0;
  int parent = -1;  // index in the previous (higher) level; -1 on level 0
  double x = 0.0;   // middle of its members' x
};

struct DisconnectivityGraph {
  // Nodes [0, n_minima) are the minima (in input order), the joins follow in order of energy.
  std::vector<MergeNode> nodes;
  std::vector<int> roots;                       // one per connected component, lowest minimum first
  std::vector<double> levels;                   // L_0 > L_1 > …, eV
  double level_spacing = 0.0;                   // ΔE
  std::vector<std::vector<Superbasin>> basins;  // basins[k]: the superbasins at levels[k]
  std::size_t n_minima = 0;
  int global_minimum = -1;
};

// Levels: `level_count` levels (≥ 2) from just above the highest join down to just above the
// lowest minimum, L_k = E_min + ΔE (K − k − ½), or, when level_spacing > 0, as many levels of
// that spacing as reach above the highest join. Throws std::invalid_argument for non-finite
// energies, connections naming missing minima, or no minima.
DisconnectivityGraph disconnectivity_graph(const std::vector<double>& minima_energies,
                                           const std::vector<MinimaConnection>& connections,
                                           int level_count = 25, double level_spacing = 0.0);

}  // namespace glassland::analysis
