// Sorting the atoms of a batch by cell: the portable method and, in CUDA builds, CUB's radix
// sort (cell_sort.hpp). CUB: NVIDIA, "CUB: cooperative primitives for CUDA C++",
// cub::DeviceRadixSort::SortPairs (stable; part of the CUDA toolkit since 11.0).
#include "kernels/cell_sort.hpp"

#include <stdexcept>
#include <string>
#include <type_traits>

#if defined(KOKKOS_ENABLE_CUDA)
#include <cub/device/device_radix_sort.cuh>
#endif

namespace glassland {

bool cell_sort_has_cub() {
#if defined(KOKKOS_ENABLE_CUDA)
  return std::is_same_v<ExecSpace, Kokkos::Cuda>;
#else
  return false;
#endif
}

CellSortMethod default_cell_sort_method() {
  return cell_sort_has_cub() ? CellSortMethod::cub : CellSortMethod::portable;
}

void sort_atoms_by_cell(const CellBinning& binning, const Kokkos::View<int*, MemSpace>& cell_atoms,
                        const Kokkos::View<int*, MemSpace>& unsorted, CellSortMethod method) {
  if (method == CellSortMethod::cub)
    sort_atoms_by_cell_cub(binning, cell_atoms);
  else
    sort_atoms_by_cell_portable(binning, cell_atoms, unsorted);
}

void sort_atoms_by_cell_portable(const CellBinning& binning,
                                 const Kokkos::View<int*, MemSpace>& cell_atoms,
                                 const Kokkos::View<int*, MemSpace>& unsorted) {
  const int n_atoms = binning.n_atoms;
  const auto policy = all_atoms(binning.n_replicas, n_atoms);
  auto binned = binning.binned;
  auto atom_cell = binning.atom_cell;
  auto atom_slot = binning.atom_slot;
  auto cell_start = binning.cell_start;
  Kokkos::parallel_for(
      "cell_sort::place", policy, KOKKOS_LAMBDA(int64_t g) {
        if (binned(static_cast<int>(g / n_atoms)) == 0)
          return;
        unsorted(cell_start(atom_cell(g)) + atom_slot(g)) = static_cast<int>(g % n_atoms);
      });
  // Each atom's place in its cell is the number of its cell mates with a smaller index (the
  // indices of one cell are distinct: a cell belongs to one replica).
  Kokkos::parallel_for(
      "cell_sort::rank", policy, KOKKOS_LAMBDA(int64_t g) {
        if (binned(static_cast<int>(g / n_atoms)) == 0)
          return;
        const int i = static_cast<int>(g % n_atoms);
        const int cell = atom_cell(g);
        const int begin = cell_start(cell);
        const int end = cell_start(cell + 1);
        int rank = 0;
        for (int a = begin; a < end; ++a)
          rank += unsorted(a) < i ? 1 : 0;
        cell_atoms(begin + rank) = i;
      });
}

#if defined(KOKKOS_ENABLE_CUDA)

namespace {

using CudaInts = Kokkos::View<int*, Kokkos::CudaSpace>;

// Bits that hold the keys 0 … largest_key: the radix sort looks at no more.
int key_bits(int largest_key) {
  int bits = 1;
  while (bits < 31 && (largest_key >> bits) != 0)
    ++bits;
  return bits;
}

}  // namespace

void sort_atoms_by_cell_cub(const CellBinning& binning,
                            const Kokkos::View<int*, MemSpace>& cell_atoms) {
  if (!cell_sort_has_cub())
    throw std::logic_error("cell sort: the CUB method needs CUDA as the default execution space");
  const int n_atoms = binning.n_atoms;
  const int64_t total = static_cast<int64_t>(binning.n_replicas) * n_atoms;
  const int unbinned_key = binning.total_cells;  // sorts after every cell
  auto binned = binning.binned;
  auto atom_cell = binning.atom_cell;
  CudaInts keys_in(Kokkos::view_alloc(Kokkos::WithoutInitializing, "cell_sort::keys_in"), total);
  CudaInts keys_out(Kokkos::view_alloc(Kokkos::WithoutInitializing, "cell_sort::keys_out"), total);
  CudaInts indices(Kokkos::view_alloc(Kokkos::WithoutInitializing, "cell_sort::indices"), total);
  Kokkos::parallel_for(
      "cell_sort::keys", Kokkos::RangePolicy<Kokkos::Cuda>(0, total), KOKKOS_LAMBDA(int64_t g) {
        keys_in(g) = binned(static_cast<int>(g / n_atoms)) != 0 ? atom_cell(g) : unbinned_key;
        indices(g) = static_cast<int>(g % n_atoms);
      });
  // Stable: atoms of one cell keep their global order, i.e. increasing local index.
  const cudaStream_t stream = Kokkos::Cuda().cuda_stream();
  const int end_bit = key_bits(unbinned_key);
  const int n = static_cast<int>(total);
  size_t work_bytes = 0;
  cudaError_t status =
      cub::DeviceRadixSort::SortPairs(nullptr, work_bytes, keys_in.data(), keys_out.data(),
                                      indices.data(), cell_atoms.data(), n, 0, end_bit, stream);
  Kokkos::View<char*, Kokkos::CudaSpace> work(
      Kokkos::view_alloc(Kokkos::WithoutInitializing, "cell_sort::cub_work"), work_bytes + 1);
  Kokkos::Cuda().fence();  // the keys are written and the work space allocated
  if (status == cudaSuccess)
    status =
        cub::DeviceRadixSort::SortPairs(work.data(), work_bytes, keys_in.data(), keys_out.data(),
                                        indices.data(), cell_atoms.data(), n, 0, end_bit, stream);
  if (status == cudaSuccess)
    status = cudaStreamSynchronize(stream);
  if (status != cudaSuccess)
    throw std::runtime_error(std::string("cell sort: cub::DeviceRadixSort::SortPairs failed: ") +
                             cudaGetErrorString(status));
}

#else

void sort_atoms_by_cell_cub(const CellBinning&, const Kokkos::View<int*, MemSpace>&) {
  throw std::logic_error("cell sort: the CUB method exists only in CUDA builds");
}

#endif

}  // namespace glassland
