#include "kernels/neighbor_list.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>
#include <vector>

#include "kernels/cell_sort.hpp"
#include "kernels/force_field.hpp"
#include "kernels/replica_reductions.hpp"

namespace glassland {

namespace {

// Bound on |ΔH·n| for n ∈ {-1,0,1}³: how far any periodic image moved when the box changed.
KOKKOS_INLINE_FUNCTION double image_shift_bound(const Box& now, const Box& then) {
  const double row_x =
      kmath::fabs(now.lx - then.lx) + kmath::fabs(now.xy - then.xy) + kmath::fabs(now.xz - then.xz);
  const double row_y = kmath::fabs(now.ly - then.ly) + kmath::fabs(now.yz - then.yz);
  const double row_z = kmath::fabs(now.lz - then.lz);
  return kmath::sqrt(row_x * row_x + row_y * row_y + row_z * row_z);
}

// Fractional coordinates s = H⁻¹ d of pair displacements with the box's three reciprocal
// lengths taken once per atom, not divided per candidate pair. s differs from Box::to_fractional's
// only in rounding, which changes nearbyint(s) only for |s_k| within ~1e-16 of ½: such a pair is
// at least half a perpendicular box width, ≥ cutoff + skin, apart in either image and is not
// listed, so the lists come out the same.
struct FractionalMap {
  double inv_lx, inv_ly, inv_lz, xy, xz, yz;
  KOKKOS_INLINE_FUNCTION explicit FractionalMap(const Box& box)
      : inv_lx(1.0 / box.lx),
        inv_ly(1.0 / box.ly),
        inv_lz(1.0 / box.lz),
        xy(box.xy),
        xz(box.xz),
        yz(box.yz) {}
  KOKKOS_INLINE_FUNCTION void to_fractional(const double d[3], double s[3]) const {
    s[2] = d[2] * inv_lz;
    s[1] = (d[1] - yz * s[2]) * inv_ly;
    s[0] = (d[0] - xy * s[1] - xz * s[2]) * inv_lx;
  }
};

// The cells around one atom that can hold its neighbours. Cells are at least (cutoff + skin)/2
// wide (LAMMPS's default bin size), so the search reaches `reach[k]` (1 or 2) cells to either side
// along each cell-grid direction. Each offset comes with a lower bound on the squared distance from
// the atom to the cells there, so that cells out of reach are skipped without visiting their atoms
// (LAMMPS leaves such bins out of its stencil; here the bound is the atom's own, a little tighter).
// In an orthogonal box the bounds along the three directions add up; in a triclinic one only their
// largest is a bound (the planes of the three fractional coordinates are not orthogonal).
struct CellStencil {
  int n[3];                  // cells per direction
  int reach[3];              // cells searched on either side
  int cell[3];               // the atom's cell
  int first_cell;            // the replica's first cell in the batch's numbering
  double offset_in_cell[3];  // the atom's position within its cell, in cell widths (0 to 1)
  double width[3];           // the cells' perpendicular widths
  bool orthogonal;

  KOKKOS_INLINE_FUNCTION CellStencil(const Box& box, const Kokkos::View<int* [7], MemSpace>& grid,
                                     const Kokkos::View<double* [3], MemSpace>& cell_width, int r,
                                     int atom_cell, double x, double y, double z)
      : first_cell(grid(r, 3)), orthogonal(box.xy == 0.0 && box.xz == 0.0 && box.yz == 0.0) {
    const double d[3] = {x - box.lo[0], y - box.lo[1], z - box.lo[2]};
    double s[3];
    FractionalMap(box).to_fractional(d, s);
    int local = atom_cell - first_cell;
    for (int k = 0; k < 3; ++k) {
      n[k] = grid(r, k);
      reach[k] = grid(r, 4 + k);
      width[k] = cell_width(r, k);
      cell[k] = local % n[k];
      local /= n[k];
      offset_in_cell[k] = s[k] * n[k] - cell[k];
    }
  }

  // Lower bound, squared, on the distance along direction k to the cells `offset` cells away.
  KOKKOS_INLINE_FUNCTION double gap(int k, int offset) const {
    double cells = 0.0;
    if (offset > 0)
      cells = offset - offset_in_cell[k];
    else if (offset < 0)
      cells = offset_in_cell[k] - offset - 1;
    const double length = kmath::max(cells, 0.0) * width[k];
    return length * length;
  }

  KOKKOS_INLINE_FUNCTION double combine(double a, double b) const {
    return orthogonal ? a + b : kmath::max(a, b);
  }

  // The periodic cell at offset (dx, dy, dz) and the lattice shift n ∈ {-1,0,1}³ under which it
  // appears there. Offsets are at most n[k] cells, so each (cell, shift) is visited once.
  KOKKOS_INLINE_FUNCTION int periodic_cell(int dx, int dy, int dz, int shift[3]) const {
    const int offset[3] = {dx, dy, dz};
    int c[3];
    for (int k = 0; k < 3; ++k) {
      const int unwrapped = cell[k] + offset[k];
      shift[k] = unwrapped < 0 ? -1 : (unwrapped >= n[k] ? 1 : 0);
      c[k] = unwrapped - shift[k] * n[k];
    }
    return first_cell + c[0] + n[0] * (c[1] + n[1] * c[2]);
  }
};

}  // namespace

NeighborList::NeighborList(double cutoff, double skin, NeighborListKind kind)
    : cutoff_(cutoff), skin_(skin), kind_(kind) {
  if (!(cutoff > 0.0) || !(skin >= 0.0))
    throw std::invalid_argument("neighbour list: cutoff must be positive and skin non-negative");
  if (kind == NeighborListKind::Half && ExecSpace().concurrency() > 1)
    throw std::invalid_argument(
        "neighbour list: half lists scatter forces to both atoms and are only valid on a serial "
        "execution space; use a full list");
}

void NeighborList::allocate(const Batch& batch) {
  n_replicas_ = batch.n_replicas;
  n_atoms_ = batch.n_atoms;
  const int64_t total = batch.total_atoms();
  if (n_atoms_ > static_cast<int>(kNeighborIndexMask))
    throw std::invalid_argument("neighbour list: too many atoms per replica for 27-bit indices");
  positions_at_build_ = AtomVectors("neighbor_list::positions_at_build", total);
  boxes_at_build_ = ReplicaBoxes("neighbor_list::boxes_at_build", n_replicas_);
  needs_build_ = ReplicaInts("neighbor_list::needs_build", n_replicas_);
  built_ = ReplicaInts("neighbor_list::built", n_replicas_);
  max_displacement_sq_ = ReplicaScalars("neighbor_list::max_displacement_sq", n_replicas_);
  max_count_ = ReplicaScalars("neighbor_list::max_count", n_replicas_);
  grid_ = Kokkos::View<int* [7], MemSpace>("neighbor_list::grid", n_replicas_);
  cell_width_ = Kokkos::View<double* [3], MemSpace>("neighbor_list::cell_width", n_replicas_);
  atom_cell_ = Kokkos::View<int*, MemSpace>("neighbor_list::atom_cell", total);
  atom_slot_ = Kokkos::View<int*, MemSpace>("neighbor_list::atom_slot", total);
  cell_atoms_ = Kokkos::View<int*, MemSpace>("neighbor_list::cell_atoms", total);
  cell_atoms_unsorted_ = Kokkos::View<int*, MemSpace>("neighbor_list::cell_atoms_unsorted", total);
  counts = Kokkos::View<int*, MemSpace>("neighbor_list::counts", total);
  unshifted_counts = Kokkos::View<int*, MemSpace>("neighbor_list::unshifted_counts", total);
  entries = Kokkos::View<uint32_t**, MemSpace>();
  stats_.capacity = 0;
}

int NeighborList::update(Batch& batch, const ReplicaInts& active) {
  ++stats_.update_calls;
  if (!initialised_ || batch.n_replicas != n_replicas_ || batch.n_atoms != n_atoms_) {
    allocate(batch);
    initialised_ = true;
  }

  const int n_atoms = n_atoms_;
  auto positions = batch.positions;
  auto reference = positions_at_build_;
  max_per_replica(
      "neighbor_list::max_displacement", n_replicas_, n_atoms,
      KOKKOS_LAMBDA(int64_t g) {
        const double dx = positions(g, 0) - reference(g, 0);
        const double dy = positions(g, 1) - reference(g, 1);
        const double dz = positions(g, 2) - reference(g, 2);
        return dx * dx + dy * dy + dz * dz;
      },
      max_displacement_sq_);

  auto boxes = batch.boxes;
  auto boxes_then = boxes_at_build_;
  auto max_d2 = max_displacement_sq_;
  auto needs_build = needs_build_;
  auto built = built_;
  const double skin = skin_;
  int n_flagged = 0;
  Kokkos::parallel_reduce(
      "neighbor_list::check", Kokkos::RangePolicy<ExecSpace>(0, n_replicas_),
      KOKKOS_LAMBDA(int r, int& flagged) {
        if (!replica_is_active(active, r)) {
          needs_build(r) = 0;
          return;
        }
        const double moved =
            2.0 * kmath::sqrt(max_d2(r)) + image_shift_bound(boxes(r), boxes_then(r));
        needs_build(r) = built(r) == 0 || moved > skin ? 1 : 0;
        flagged += needs_build(r);
      },
      n_flagged);
  if (n_flagged > 0)
    build(batch, n_flagged);
  return n_flagged;
}

void NeighborList::build(Batch& batch, int n_flagged) {
  const int total_cells = plan_cell_grids(batch);
  bin_atoms(batch, total_cells);
  for (;;) {
    find_neighbors(batch);
    const int largest = largest_neighbor_count();
    stats_.max_neighbors = largest;
    if (largest <= stats_.capacity)
      break;
    // Grow and search again: nothing is truncated, and the replicas not flagged keep their
    // lists as they were (they are not rebuilt, so no replica's list depends on the others').
    stats_.capacity = static_cast<int>(1.2 * largest) + 8;
    const auto old = entries;
    allocate_entries();
    if (n_flagged < n_replicas_)
      keep_unflagged_lists(old);
  }
  stats_.builds += n_flagged;
}

void NeighborList::keep_unflagged_lists(const Kokkos::View<uint32_t**, MemSpace>& old) {
  const int n_atoms = n_atoms_;
  const int old_capacity = static_cast<int>(old.extent(1));
  auto needs_build = needs_build_;
  auto list = entries;
  auto list_counts = counts;
  Kokkos::parallel_for(
      "neighbor_list::keep_unflagged_lists", all_atoms(n_replicas_, n_atoms),
      KOKKOS_LAMBDA(int64_t g) {
        if (needs_build(static_cast<int>(g / n_atoms)))
          return;
        const int count = kmath::min(list_counts(g), old_capacity);
        for (int k = 0; k < count; ++k)
          list(g, k) = old(g, k);
      });
}

int NeighborList::plan_cell_grids(const Batch& batch) {
  const int n_atoms = n_atoms_;
  const double reach = cutoff_ + skin_;
  // Host bookkeeping of the per-replica cell grids (R small numbers, at build time only).
  auto boxes_host = Kokkos::create_mirror_view_and_copy(HostSpace(), batch.boxes);
  auto flags_host = Kokkos::create_mirror_view_and_copy(HostSpace(), needs_build_);
  auto grid_host = Kokkos::create_mirror_view(grid_);
  auto width_host = Kokkos::create_mirror_view(cell_width_);
  int total_cells = 0;
  double smallest_volume_per_atom = 1e300;
  for (int r = 0; r < n_replicas_; ++r) {
    double widths[3];
    boxes_host(r).perpendicular_widths(widths);
    int n_cells[3];
    for (int k = 0; k < 3; ++k) {
      if (flags_host(r) && !(widths[k] >= 2.0 * reach)) {
        std::ostringstream message;
        message << "replica " << r << ": the box is " << widths[k] << " Å wide along "
                << "abc"[k] << ", less than 2·(cutoff + skin) = " << 2.0 * reach
                << " Å, so an atom could meet two images of one neighbour; replicate the cell "
                << "or reduce the neighbour skin";
        throw std::runtime_error(message.str());
      }
      // Cells of half the reach (LAMMPS's default bin size) hold about 8 times fewer candidates
      // per searched volume than cells of the whole reach, and the stencil can skip those out of
      // reach; a grid finer than the atom count only wastes memory.
      n_cells[k] = std::max(1, static_cast<int>(std::floor(widths[k] / (0.5 * reach))));
      n_cells[k] = std::min(n_cells[k], std::max(1, n_atoms));
      width_host(r, k) = widths[k] / n_cells[k];
      grid_host(r, k) = n_cells[k];
      grid_host(r, 4 + k) = width_host(r, k) >= reach ? 1 : 2;
    }
    grid_host(r, 3) = total_cells;
    total_cells += n_cells[0] * n_cells[1] * n_cells[2];
    smallest_volume_per_atom =
        std::min(smallest_volume_per_atom, boxes_host(r).volume() / std::max(1, n_atoms));
  }
  Kokkos::deep_copy(grid_, grid_host);
  Kokkos::deep_copy(cell_width_, width_host);
  if (static_cast<int>(cell_count_.extent(0)) < total_cells) {
    cell_count_ = Kokkos::View<int*, MemSpace>("neighbor_list::cell_count", total_cells);
    cell_start_ = Kokkos::View<int*, MemSpace>("neighbor_list::cell_start", total_cells + 1);
  }
  if (stats_.capacity == 0) {
    // Expected neighbours in a sphere of radius cutoff + skin at the densest replica's density,
    // with 30% headroom; a low estimate only costs one extra build.
    const double sphere = 4.0 / 3.0 * 3.141592653589793 * reach * reach * reach;
    double expected = sphere / smallest_volume_per_atom;
    if (kind_ == NeighborListKind::Half)
      expected *= 0.5;
    stats_.capacity = std::min(std::max(1, n_atoms - 1), static_cast<int>(1.3 * expected) + 16);
    allocate_entries();
  }
  return total_cells;
}

void NeighborList::allocate_entries() {
  entries = Kokkos::View<uint32_t**, MemSpace>(
      Kokkos::view_alloc(Kokkos::WithoutInitializing, "neighbor_list::entries"),
      static_cast<int64_t>(n_replicas_) * n_atoms_, stats_.capacity);
}

void NeighborList::bin_atoms(Batch& batch, int total_cells) {
  const int n_atoms = n_atoms_;
  auto positions = batch.positions;
  auto images = batch.images;
  auto boxes = batch.boxes;
  auto needs_build = needs_build_;
  auto grid = grid_;
  auto atom_cell = atom_cell_;
  auto atom_slot = atom_slot_;
  auto cell_count = cell_count_;
  auto cell_start = cell_start_;
  auto cell_atoms = cell_atoms_;
  auto reference = positions_at_build_;
  auto boxes_then = boxes_at_build_;
  auto built = built_;
  const auto policy = all_atoms(n_replicas_, n_atoms);
  Kokkos::deep_copy(cell_count, 0);
  Kokkos::parallel_for(
      "neighbor_list::wrap_and_bin", policy, KOKKOS_LAMBDA(int64_t g) {
        const int r = static_cast<int>(g / n_atoms);
        if (!needs_build(r))
          return;
        const Box& box = boxes(r);
        double d[3] = {positions(g, 0) - box.lo[0], positions(g, 1) - box.lo[1],
                       positions(g, 2) - box.lo[2]};
        double s[3];
        box.to_fractional(d, s);
        int wrap[3];
        for (int k = 0; k < 3; ++k) {
          wrap[k] = static_cast<int>(kmath::floor(s[k]));
          s[k] -= wrap[k];
        }
        if (wrap[0] != 0 || wrap[1] != 0 || wrap[2] != 0) {
          // Move the atom by a lattice vector only when it left the box, so positions inside
          // the box keep their bits.
          double x[3] = {positions(g, 0), positions(g, 1), positions(g, 2)};
          box.add_lattice_vector(-wrap[0], -wrap[1], -wrap[2], x);
          for (int k = 0; k < 3; ++k) {
            positions(g, k) = x[k];
            images(g, k) += wrap[k];
          }
        }
        int c[3];
        for (int k = 0; k < 3; ++k) {
          c[k] = static_cast<int>(s[k] * grid(r, k));
          c[k] = kmath::max(0, kmath::min(c[k], grid(r, k) - 1));
        }
        const int cell = grid(r, 3) + c[0] + grid(r, 0) * (c[1] + grid(r, 1) * c[2]);
        atom_cell(g) = cell;
        atom_slot(g) = Kokkos::atomic_fetch_add(&cell_count(cell), 1);
        for (int k = 0; k < 3; ++k)
          reference(g, k) = positions(g, k);
        if (g % n_atoms == 0) {
          boxes_then(r) = box;
          built(r) = 1;
        }
      });

  Kokkos::parallel_scan(
      "neighbor_list::cell_offsets", Kokkos::RangePolicy<ExecSpace>(0, total_cells),
      KOKKOS_LAMBDA(int c, int& running, bool final) {
        if (final)
          cell_start(c) = running;
        running += cell_count(c);
        if (final && c == total_cells - 1)
          cell_start(total_cells) = running;
      });

  // Sorted cells make the neighbour order, and so every force sum, reproducible and independent
  // of the rest of the batch (atomic slots arrive in any order on a GPU).
  sort_atoms_by_cell(
      CellBinning{n_replicas_, n_atoms, total_cells, needs_build, atom_cell, atom_slot, cell_start},
      cell_atoms, cell_atoms_unsorted_, default_cell_sort_method());
}

void NeighborList::find_neighbors(const Batch& batch) {
  const int n_atoms = n_atoms_;
  const bool half = kind_ == NeighborListKind::Half;
  const double reach = cutoff_ + skin_;
  const double reach_sq = reach * reach;
  // A cell is skipped when a lower bound on its distance from the atom reaches cutoff + skin;
  // the margin keeps rounding in that bound from ever dropping a pair the distance test lists.
  const double skip_sq = reach_sq * (1.0 + 1e-9);
  const int capacity = stats_.capacity;
  auto positions = batch.positions;
  auto boxes = batch.boxes;
  auto needs_build = needs_build_;
  auto grid = grid_;
  auto cell_width = cell_width_;
  auto atom_cell = atom_cell_;
  auto cell_start = cell_start_;
  auto cell_atoms = cell_atoms_;
  auto list = entries;
  auto list_counts = counts;
  auto list_unshifted = unshifted_counts;
  Kokkos::parallel_for(
      "neighbor_list::find_neighbors", all_atoms(n_replicas_, n_atoms), KOKKOS_LAMBDA(int64_t g) {
        const int r = static_cast<int>(g / n_atoms);
        if (!needs_build(r))
          return;
        const int i = static_cast<int>(g % n_atoms);
        const int64_t first = g - i;
        const Box& box = boxes(r);
        const CellStencil stencil(box, grid, cell_width, r, atom_cell(g), positions(g, 0),
                                  positions(g, 1), positions(g, 2));
        const double xi = positions(g, 0), yi = positions(g, 1), zi = positions(g, 2);
        // Unshifted neighbours are written from the front of the row, shifted ones from its back
        // (so in reverse order); the shifted block is then moved behind the unshifted one, so that
        // the first unshifted_counts(g) entries need no shift. Counts are kept in full beyond the
        // capacity.
        int unshifted = 0, shifted = 0;
        // A half list visits the upper half of the stencil (offsets after (0,0,0) in z, y, x
        // order) and, in the atom's own cell, the atoms after it: of a pair at offset o, the atom
        // that sees the other at o or −o in the upper half lists it, so each pair is listed once
        // and every atom gets about half its neighbours (LAMMPS's half/bin/newton stencil).
        for (int dz = half ? 0 : -stencil.reach[2]; dz <= stencil.reach[2]; ++dz) {
          const double gap_z = stencil.gap(2, dz);
          if (gap_z >= skip_sq)
            continue;
          for (int dy = half && dz == 0 ? 0 : -stencil.reach[1]; dy <= stencil.reach[1]; ++dy) {
            const double gap_yz = stencil.combine(gap_z, stencil.gap(1, dy));
            if (gap_yz >= skip_sq)
              continue;
            const bool own_row = dz == 0 && dy == 0;
            for (int dx = half && own_row ? 0 : -stencil.reach[0]; dx <= stencil.reach[0]; ++dx) {
              if (stencil.combine(gap_yz, stencil.gap(0, dx)) >= skip_sq)
                continue;
              // The cell at offset (dx, dy, dz) is periodic cell `cell` seen through the lattice
              // vector H·shift: its atoms' images there sit at x_j + H·shift.
              int shift[3];
              const int cell = stencil.periodic_cell(dx, dy, dz, shift);
              const bool is_shifted = shift[0] != 0 || shift[1] != 0 || shift[2] != 0;
              double image_origin[3] = {xi, yi, zi};
              box.add_lattice_vector(-shift[0], -shift[1], -shift[2], image_origin);
              for (int a = cell_start(cell); a < cell_start(cell + 1); ++a) {
                const int j = cell_atoms(a);
                // An atom's own images are at least a box width (≥ 2 reach) away.
                if (j == i || (half && own_row && dx == 0 && j < i))
                  continue;
                const double ddx = positions(first + j, 0) - image_origin[0];
                const double ddy = positions(first + j, 1) - image_origin[1];
                const double ddz = positions(first + j, 2) - image_origin[2];
                if (ddx * ddx + ddy * ddy + ddz * ddz >= reach_sq)
                  continue;
                const bool fits = unshifted + shifted < capacity;
                if (is_shifted) {
                  if (fits)
                    list(g, capacity - 1 - shifted) =
                        pack_neighbor(j, shift[0], shift[1], shift[2]);
                  ++shifted;
                } else {
                  if (fits)
                    list(g, unshifted) = pack_neighbor(j, 0, 0, 0);
                  ++unshifted;
                }
              }
            }
          }
        }
        const int count = unshifted + shifted;
        // A forward copy to a place at or before the block's own: safe where the two overlap.
        if (count <= capacity)
          for (int k = 0; k < shifted; ++k)
            list(g, unshifted + k) = list(g, capacity - shifted + k);
        list_unshifted(g) = unshifted;
        list_counts(g) = count;
      });
}

void fill_image_shifts(const ReplicaBoxes& boxes, const ImageShiftTable& table) {
  Kokkos::parallel_for(
      "neighbor_list::image_shifts",
      Kokkos::RangePolicy<ExecSpace>(0, static_cast<int64_t>(boxes.extent(0)) * 27),
      KOKKOS_LAMBDA(int64_t s) {
        const int r = static_cast<int>(s / 27), code = static_cast<int>(s % 27);
        double vector[3];
        lattice_vector_of_code(boxes(r), code, vector);
        for (int k = 0; k < 3; ++k)
          table(r, code, k) = vector[k];
      });
}

int NeighborList::largest_neighbor_count() {
  const int n_atoms = n_atoms_;
  auto needs_build = needs_build_;
  auto list_counts = counts;
  max_per_replica(
      "neighbor_list::max_count", n_replicas_, n_atoms,
      KOKKOS_LAMBDA(int64_t g) {
        return needs_build(static_cast<int>(g / n_atoms)) ? static_cast<double>(list_counts(g))
                                                          : 0.0;
      },
      max_count_);
  auto max_count_host = Kokkos::create_mirror_view_and_copy(HostSpace(), max_count_);
  int largest = 0;
  for (int r = 0; r < n_replicas_; ++r)
    largest = std::max(largest, static_cast<int>(max_count_host(r)));
  return largest;
}

}  // namespace glassland
