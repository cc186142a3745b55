// Sorting atoms by cell (kernels/cell_sort.hpp): the portable method against a host reference
// (std::stable_sort of (cell, index) pairs, the definition of the result), and CUB's radix sort
// against the portable method where the build has both (CUDA builds; on CPU builds only the
// portable method exists, and that test checks that asking for CUB there is an error).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <random>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "kernels/cell_sort.hpp"

namespace glassland {
namespace {

// A binning as the neighbour list makes it: random cells per atom, slots in a shuffled order
// (as atomics hand them out on a GPU), some replicas not binned.
struct RandomBinning {
  CellBinning binning;
  std::vector<int> cell_of_atom, binned_replicas, cell_start;
  Kokkos::View<int*, MemSpace> cell_atoms, unsorted;

  RandomBinning(int n_replicas, int n_atoms, int cells_per_replica, unsigned seed) {
    std::mt19937 rng(seed);
    const int64_t total = static_cast<int64_t>(n_replicas) * n_atoms;
    const int total_cells = n_replicas * cells_per_replica;
    cell_of_atom.assign(total, 0);
    binned_replicas.assign(n_replicas, 1);
    for (int r = 0; r < n_replicas; ++r)
      binned_replicas[r] = r % 3 == 1 ? 0 : 1;
    std::vector<int> counts(total_cells, 0);
    std::uniform_int_distribution<int> cell(0, cells_per_replica - 1);
    for (int64_t g = 0; g < total; ++g) {
      const int r = static_cast<int>(g / n_atoms);
      cell_of_atom[g] = r * cells_per_replica + cell(rng);
    }
    // Slots handed out in a random order of the atoms.
    std::vector<int64_t> order(total);
    for (int64_t g = 0; g < total; ++g)
      order[g] = g;
    std::shuffle(order.begin(), order.end(), rng);
    std::vector<int> slot(total, -1);
    for (int64_t g : order)
      if (binned_replicas[g / n_atoms])
        slot[g] = counts[cell_of_atom[g]]++;
    cell_start.assign(total_cells + 1, 0);
    for (int c = 0; c < total_cells; ++c)
      cell_start[c + 1] = cell_start[c] + counts[c];

    binning.n_replicas = n_replicas;
    binning.n_atoms = n_atoms;
    binning.total_cells = total_cells;
    binning.binned = to_device("binned", binned_replicas);
    binning.atom_cell = to_device("atom_cell", cell_of_atom);
    binning.atom_slot = to_device("atom_slot", slot);
    binning.cell_start = to_device("cell_start", cell_start);
    cell_atoms = Kokkos::View<int*, MemSpace>("cell_atoms", total);
    unsorted = Kokkos::View<int*, MemSpace>("unsorted", total);
  }

  static Kokkos::View<int*, MemSpace> to_device(const char* name, const std::vector<int>& v) {
    Kokkos::View<int*, MemSpace> view(std::string(name), v.size());
    auto host = Kokkos::create_mirror_view(view);
    for (size_t k = 0; k < v.size(); ++k)
      host(k) = v[k];
    Kokkos::deep_copy(view, host);
    return view;
  }

  // The definition: binned atoms ordered by (cell, local index).
  std::vector<int> expected() const {
    std::vector<std::pair<int, int>> pairs;
    const int n_atoms = binning.n_atoms;
    for (size_t g = 0; g < cell_of_atom.size(); ++g)
      if (binned_replicas[g / n_atoms])
        pairs.emplace_back(cell_of_atom[g], static_cast<int>(g % n_atoms));
    std::stable_sort(pairs.begin(), pairs.end());
    std::vector<int> indices;
    for (const auto& p : pairs)
      indices.push_back(p.second);
    return indices;
  }

  std::vector<int> sorted(CellSortMethod method) {
    Kokkos::deep_copy(cell_atoms, -1);
    sort_atoms_by_cell(binning, cell_atoms, unsorted, method);
    auto host = Kokkos::create_mirror_view_and_copy(HostSpace(), cell_atoms);
    return std::vector<int>(host.data(), host.data() + cell_start.back());
  }
};

TEST(CellSort, PortableOrdersEveryCellByIndex) {
  for (unsigned seed : {1u, 2u}) {
    RandomBinning b(7, 300, 20, seed);  // ~15 atoms per cell, as in a 6.5 Å cell of a glass
    const std::vector<int> expected = b.expected();
    ASSERT_GT(expected.size(), 1000u);
    EXPECT_EQ(b.sorted(CellSortMethod::portable), expected) << "seed " << seed;
  }
}

TEST(CellSort, EmptyCellsAndOneCellPerReplica) {
  RandomBinning sparse(2, 5, 40, 3);  // most cells empty
  EXPECT_EQ(sparse.sorted(CellSortMethod::portable), sparse.expected());
  RandomBinning dense(4, 200, 1, 4);  // every atom of a replica in one cell
  EXPECT_EQ(dense.sorted(CellSortMethod::portable), dense.expected());
}

TEST(CellSort, CubEqualsPortable) {
  if (!cell_sort_has_cub()) {
    // Not a CUDA build: only the portable method exists (tested above); asking for CUB is an
    // error, not a silent fallback. (A skip would fail scripts/run_tests.sh on Debian.)
    RandomBinning b(2, 10, 2, 5);
    EXPECT_THROW(b.sorted(CellSortMethod::cub), std::logic_error);
    std::printf("CellSort.CubEqualsPortable: no CUB in this build; compared on CUDA builds\n");
    return;
  }
  for (unsigned seed : {5u, 6u}) {
    RandomBinning b(11, 4000, 300, seed);
    const std::vector<int> portable = b.sorted(CellSortMethod::portable);
    EXPECT_EQ(b.sorted(CellSortMethod::cub), portable) << "seed " << seed;
    EXPECT_EQ(portable, b.expected());
  }
  RandomBinning dense(3, 500, 1, 7);
  EXPECT_EQ(dense.sorted(CellSortMethod::cub), dense.expected());
}

TEST(CellSort, DefaultMethodIsCubOnlyWhereItExists) {
  EXPECT_EQ(default_cell_sort_method(),
            cell_sort_has_cub() ? CellSortMethod::cub : CellSortMethod::portable);
}

}  // namespace
}  // namespace glassland
