// Per-replica Verlet neighbour lists built from per-replica cell grids, for every replica of a
// batch in one set of launches (ARCHITECTURE.md, "A force evaluation, as data"). Cells are half
// the reach wide (LAMMPS's default bin size), each atom searches only the cells a per-atom distance
// bound leaves within reach, and each row lists its unshifted neighbours first
// (unshifted_counts), so kernels read most neighbours without a periodic shift.
//
// Each entry packs a replica-local atom index j (27 bits) and the periodic shift n ∈ {-1,0,1}³
// of j's image (5 bits): the neighbour sits at x_j + H·n. Positions are wrapped into the box
// when a replica's list is rebuilt, so a shift of at most one box length suffices.
//
// A replica is rebuilt when any of its atoms moved more than skin/2 since its last build, or
// its box changed by more than the remaining skin allows (the LAMMPS "neigh_modify check yes"
// criterion extended to a changing cell). Boxes must be at least 2·(cutoff + skin) wide in every
// direction so that each pair has exactly one image within reach; a narrower box is an error
// that names the replica and the remedy (replicate the cell or reduce the skin).
//
// Capacity is checked on the device: counts are always computed in full, and when a replica
// needs more slots than allocated the list grows and the build is repeated, so nothing is ever
// truncated silently.
#pragma once

#include <cstdint>
#include <string>

#include "kernels/batch.hpp"

namespace glassland {

enum class NeighborListKind {
  Full,  // every pair twice (i→j and j→i): each thread writes only its own atom (GPU default)
  Half,  // every pair once (upper half of the cell stencil): half the pair work; serial spaces only
};

// Neighbour entry packing: local index in the low 27 bits, shift code (0..26) above.
inline constexpr uint32_t kNeighborIndexBits = 27;
inline constexpr uint32_t kNeighborIndexMask = (1u << kNeighborIndexBits) - 1u;

KOKKOS_INLINE_FUNCTION uint32_t pack_neighbor(int j, int sx, int sy, int sz) {
  const uint32_t code = static_cast<uint32_t>((sx + 1) + 3 * (sy + 1) + 9 * (sz + 1));
  return static_cast<uint32_t>(j) | (code << kNeighborIndexBits);
}

KOKKOS_INLINE_FUNCTION int neighbor_index(uint32_t entry) {
  return static_cast<int>(entry & kNeighborIndexMask);
}

// The shift n ∈ {-1,0,1}³ of a shift code (pack_neighbor's (nx+1) + 3(ny+1) + 9(nz+1)).
KOKKOS_INLINE_FUNCTION void shift_of_code(int code, int& sx, int& sy, int& sz) {
  sx = code % 3 - 1;
  sy = (code / 3) % 3 - 1;
  sz = code / 9 - 1;
}

KOKKOS_INLINE_FUNCTION void neighbor_shift(uint32_t entry, int& sx, int& sy, int& sz) {
  shift_of_code(static_cast<int>(entry >> kNeighborIndexBits), sx, sy, sz);
}

// The lattice vector H·n of a shift code: the sums add_lattice_vector forms.
KOKKOS_INLINE_FUNCTION void lattice_vector_of_code(const Box& box, int code, double s[3]) {
  int sx, sy, sz;
  shift_of_code(code, sx, sy, sz);
  s[0] = s[1] = s[2] = 0.0;
  box.add_lattice_vector(sx, sy, sz, s);
}

// Position of neighbour entry `entry` of an atom in replica r (x_j + H·n). Positions: any view
// with x, y, z at (g, 0..2) (the batch's positions, the EAM term's packed records).
template <class Positions>
KOKKOS_INLINE_FUNCTION void neighbor_image_position(const Positions& positions, int64_t first,
                                                    const Box& box, uint32_t entry, double xj[3]) {
  const int64_t gj = first + neighbor_index(entry);
  int sx, sy, sz;
  neighbor_shift(entry, sx, sy, sz);
  xj[0] = positions(gj, 0);
  xj[1] = positions(gj, 1);
  xj[2] = positions(gj, 2);
  box.add_lattice_vector(sx, sy, sz, xj);
}

// The 27 lattice vectors H·n, n ∈ {-1,0,1}³, of every replica's box, indexed by shift code.
// Filled once per evaluation on CPUs so that each shifted pair costs three loads instead of
// decoding its shift (the sums are the ones add_lattice_vector forms, so positions come out
// bitwise the same either way). GPUs keep the decoding, which needs no table in memory.
using ImageShiftTable = Kokkos::View<double* [27][3], Kokkos::LayoutRight, MemSpace>;

// Fills table(r, code, k) from the replicas' boxes (table has one row per replica).
void fill_image_shifts(const ReplicaBoxes& boxes, const ImageShiftTable& table);

// Position of a neighbour listed without a periodic shift (the first unshifted_counts(g) entries
// of atom g): x_j as it is, nothing to decode or add.
struct UnshiftedImages {
  template <class Positions>
  KOKKOS_INLINE_FUNCTION void position(const Positions& positions, int64_t first, uint32_t entry,
                                       double xj[3]) const {
    const int64_t gj = first + neighbor_index(entry);
    xj[0] = positions(gj, 0);
    xj[1] = positions(gj, 1);
    xj[2] = positions(gj, 2);
  }
};

// How a kernel finds the neighbour images of replica r: with the shift table (kShiftTable, CPUs)
// or by decoding each entry's shift (GPUs; the table is then not read and may be empty).
template <bool kShiftTable>
struct NeighborImages {
  Box box;
  KOKKOS_INLINE_FUNCTION NeighborImages(const ReplicaBoxes& boxes, const ImageShiftTable&, int r)
      : box(boxes(r)) {}
  template <class Positions>
  KOKKOS_INLINE_FUNCTION void position(const Positions& positions, int64_t first, uint32_t entry,
                                       double xj[3]) const {
    neighbor_image_position(positions, first, box, entry, xj);
  }
  // The lattice vector H·n the entry adds to x_j (what the virial of a periodic pair needs).
  KOKKOS_INLINE_FUNCTION void shift(uint32_t entry, double s[3]) const {
    lattice_vector_of_code(box, static_cast<int>(entry >> kNeighborIndexBits), s);
  }
};

template <>
struct NeighborImages<true> {
  const double* shifts;  // the replica's 27 × 3 lattice vectors
  KOKKOS_INLINE_FUNCTION NeighborImages(const ReplicaBoxes&, const ImageShiftTable& table, int r)
      : shifts(&table(r, 0, 0)) {}
  template <class Positions>
  KOKKOS_INLINE_FUNCTION void position(const Positions& positions, int64_t first, uint32_t entry,
                                       double xj[3]) const {
    UnshiftedImages().position(positions, first, entry, xj);
    const double* shift = row_of(entry);
    for (int k = 0; k < 3; ++k)
      xj[k] += shift[k];
  }
  KOKKOS_INLINE_FUNCTION void shift(uint32_t entry, double s[3]) const {
    const double* shift = row_of(entry);
    for (int k = 0; k < 3; ++k)
      s[k] = shift[k];
  }
  KOKKOS_INLINE_FUNCTION const double* row_of(uint32_t entry) const {
    return shifts + 3 * (entry >> kNeighborIndexBits);
  }
};

struct NeighborListStats {
  int64_t builds = 0;        // replica builds, summed over replicas
  int64_t update_calls = 0;  // calls to update()
  int capacity = 0;          // slots per atom
  int max_neighbors = 0;     // largest count seen at the last build
};

class NeighborList {
 public:
  NeighborList(double cutoff, double skin, NeighborListKind kind);

  // Rebuilds the replicas that need it (all of them on the first call or after reset());
  // wraps their positions into the box and updates batch.images. Returns how many replicas
  // were rebuilt. Throws std::runtime_error naming the replica when a box is too small.
  // Replicas with active(r) == 0 (an empty mask: none) are neither checked nor rebuilt: a
  // stopped replica (a converged minimisation, a faulted dynamics: kernels/replica_faults.hpp)
  // never costs, grows or breaks the lists of the others; it is checked again once active.
  int update(Batch& batch, const ReplicaInts& active = {});

  // Forces a rebuild of every replica at the next update() (e.g. after positions were
  // replaced wholesale by the host).
  void reset() { initialised_ = false; }

  double cutoff() const { return cutoff_; }
  double skin() const { return skin_; }
  NeighborListKind kind() const { return kind_; }
  const NeighborListStats& stats() const { return stats_; }
  // Per replica, 1 when the last update() rebuilt its list (what the EAM term's atom order
  // follows).
  const ReplicaInts& rebuilt() const { return needs_build_; }

  // [g][k]: packed entries of atom g; counts(g) of them are valid. The first unshifted_counts(g)
  // have no periodic shift (about 3/4 of them in a box of 4000 atoms): kernels read those without
  // decoding or adding one (UnshiftedImages).
  Kokkos::View<uint32_t**, MemSpace> entries;
  Kokkos::View<int*, MemSpace> counts;
  Kokkos::View<int*, MemSpace> unshifted_counts;

  // Rebuilds the flagged replicas: cell grids, binning, neighbour search, and a repeat with more
  // room when a list did not fit (the lists of the others are carried into the new room). Called by
  // update(); build and the launches below are public only because CUDA's extended lambdas may not
  // live in private member functions.
  void build(Batch& batch, int n_flagged);
  // Wraps the flagged replicas' atoms into their boxes, bins them into cells (sorted by index,
  // kernels/cell_sort.hpp).
  void bin_atoms(Batch& batch, int total_cells);
  // Every flagged atom's neighbours within cutoff + skin, counted in full beyond the capacity.
  void find_neighbors(const Batch& batch);
  // The largest neighbour count of the flagged replicas (one small device-to-host copy).
  int largest_neighbor_count();
  // Copies the lists of the replicas not flagged from `old` into `entries` (after growing it).
  void keep_unflagged_lists(const Kokkos::View<uint32_t**, MemSpace>& old);

 private:
  void allocate(const Batch& batch);
  // Per-replica cell grids from the boxes (checking their widths), the cell arrays, and the
  // first capacity estimate; returns the number of cells of all replicas.
  int plan_cell_grids(const Batch& batch);
  void allocate_entries();

  double cutoff_;
  double skin_;
  NeighborListKind kind_;
  bool initialised_ = false;
  NeighborListStats stats_;
  int n_replicas_ = 0;
  int n_atoms_ = 0;

  AtomVectors positions_at_build_;
  ReplicaBoxes boxes_at_build_;
  ReplicaInts needs_build_;
  ReplicaInts built_;  // 1 once the replica has a list (inactive replicas may have none)
  ReplicaScalars max_displacement_sq_;
  // Per replica: cells per direction (nx, ny, nz), the first cell, and how many cells the search
  // reaches on either side along each direction (1 or 2); and the cells' perpendicular widths.
  Kokkos::View<int* [7], MemSpace> grid_;
  Kokkos::View<double* [3], MemSpace> cell_width_;
  Kokkos::View<int*, MemSpace> atom_cell_;
  Kokkos::View<int*, MemSpace> atom_slot_;
  Kokkos::View<int*, MemSpace> cell_count_;
  Kokkos::View<int*, MemSpace> cell_start_;
  Kokkos::View<int*, MemSpace> cell_atoms_;
  Kokkos::View<int*, MemSpace> cell_atoms_unsorted_;  // the portable cell sort's work space
  ReplicaScalars max_count_;
};

}  // namespace glassland
