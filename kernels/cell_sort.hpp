// Sorting the atoms of a batch by cell: the step of the neighbour-list build (neighbor_list.hpp)
// that lists, for every cell of every replica's grid, the replica-local indices of its atoms in
// increasing order. Sorted cells make each atom's neighbour order, and so every force sum,
// reproducible and independent of the rest of the batch and of the backend's thread order.
//
// Two implementations, which give the same array:
//  * portable (every backend): atoms are first dropped into their cells in any order (an atomic
//    slot per atom); then every atom finds its rank in its cell, the number of cell mates with a
//    smaller index, and writes itself there. No global-memory insertion sort: each thread reads
//    its cell's ~10–30 entries once and writes one.
//  * cub (CUDA builds only, kernels/cell_sort.cpp): one stable radix sort of (cell, index) pairs
//    over the whole batch, cub::DeviceRadixSort::SortPairs from the CUDA toolkit (CUB, "a
//    segmented sort of atoms by cell per replica" as the issue names it: cells are numbered
//    across replicas, so one sort segments the replicas). Kokkos has no stable device sort.
// Both are tested against each other where the build has both (tests/kernels/test_cell_sort.cpp);
// on CPU builds only the portable one exists.
#pragma once

#include "kernels/types.hpp"

namespace glassland {

enum class CellSortMethod {
  portable,
  cub,  // only where cell_sort_has_cub()
};

// True in CUDA builds, where the CUB path exists.
bool cell_sort_has_cub();

// The fastest method this build has: cub in CUDA builds, portable elsewhere.
CellSortMethod default_cell_sort_method();

// The binning that the sort reads. Cells are numbered across the batch (replica r's cells follow
// those of replica r − 1); cell_start has total_cells + 1 entries, the exclusive prefix sum of
// the cells' atom counts. Atom g (global index, g = r·n_atoms + i) lies in cell atom_cell(g) and
// took slot atom_slot(g) of it in binning order; atoms of replicas not binned have
// binned(r) == 0 and are left out.
struct CellBinning {
  int n_replicas = 0;
  int n_atoms = 0;
  int total_cells = 0;
  ReplicaInts binned;
  Kokkos::View<int*, MemSpace> atom_cell;
  Kokkos::View<int*, MemSpace> atom_slot;  // read by the portable method only
  Kokkos::View<int*, MemSpace> cell_start;
};

// Writes cell_atoms(cell_start(c) + k), k = 0 … count(c) − 1, the replica-local indices of the
// atoms of cell c in increasing order. cell_atoms and the work space `unsorted` (the portable
// method's first placement) hold n_replicas·n_atoms entries; those past cell_start(total_cells)
// are left undefined.
void sort_atoms_by_cell(const CellBinning& binning, const Kokkos::View<int*, MemSpace>& cell_atoms,
                        const Kokkos::View<int*, MemSpace>& unsorted, CellSortMethod method);

// The two methods, for the test that compares them; sort_atoms_by_cell picks one.
void sort_atoms_by_cell_portable(const CellBinning& binning,
                                 const Kokkos::View<int*, MemSpace>& cell_atoms,
                                 const Kokkos::View<int*, MemSpace>& unsorted);
void sort_atoms_by_cell_cub(const CellBinning& binning,
                            const Kokkos::View<int*, MemSpace>& cell_atoms);

}  // namespace glassland
