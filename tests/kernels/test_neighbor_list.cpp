// The cell-list neighbour list against a brute-force O(N²) search over all periodic images,
// for full and half lists, orthogonal and triclinic boxes, with rebuilds and capacity growth.
#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <tuple>

#include "host/io/batch_io.hpp"
#include "host/tasks/structure_builder.hpp"
#include "kernels/neighbor_list.hpp"
#include "tests/support/test_requirements.hpp"

namespace glassland {
namespace {

using PairSet = std::set<std::tuple<int, int, int, int, int>>;  // i, j, shift

LammpsData random_structure(int n_atoms, double density, uint64_t seed) {
  StructureSpec spec;
  spec.lattice = "random";
  spec.n_atoms = n_atoms;
  spec.number_density = density;
  spec.min_separation = 1.8;
  spec.seed = seed;
  return build_structure(spec, {"Cu", "Zr"}, {63.546, 91.224});
}

// Every (i, j, image) with |x_j + H n − x_i| < reach, found by trying all n ∈ {-2..2}³.
PairSet brute_force_pairs(const BatchSnapshot& s, int replica, double reach, bool half) {
  PairSet pairs;
  const Box& box = s.boxes[replica];
  const size_t first = static_cast<size_t>(replica) * s.n_atoms;
  for (int i = 0; i < s.n_atoms; ++i)
    for (int j = 0; j < s.n_atoms; ++j)
      for (int nx = -2; nx <= 2; ++nx)
        for (int ny = -2; ny <= 2; ++ny)
          for (int nz = -2; nz <= 2; ++nz) {
            if (i == j && nx == 0 && ny == 0 && nz == 0)
              continue;
            if (half && j < i)
              continue;
            double d[3];
            for (int k = 0; k < 3; ++k)
              d[k] = s.positions[(first + j) * 3 + k] - s.positions[(first + i) * 3 + k];
            box.add_lattice_vector(nx, ny, nz, d);
            if (d[0] * d[0] + d[1] * d[1] + d[2] * d[2] < reach * reach)
              pairs.insert({i, j, nx, ny, nz});
          }
  return pairs;
}

// The list's pairs (i, j, shift), checking that each row lists its unshifted entries first. A
// half list may list a pair from either atom: as the brute
// force lists half pairs with j > i, a pair listed from its higher atom is turned around,
// (j, i, −shift), and each pair must then appear exactly once.
PairSet listed_pairs(const NeighborList& list, int replica, int n_atoms) {
  auto entries = Kokkos::create_mirror_view_and_copy(HostSpace(), list.entries);
  auto counts = Kokkos::create_mirror_view_and_copy(HostSpace(), list.counts);
  auto unshifted = Kokkos::create_mirror_view_and_copy(HostSpace(), list.unshifted_counts);
  const bool half = list.kind() == NeighborListKind::Half;
  PairSet pairs;
  for (int i = 0; i < n_atoms; ++i) {
    const int64_t g = static_cast<int64_t>(replica) * n_atoms + i;
    for (int k = 0; k < counts(g); ++k) {
      int sx, sy, sz;
      neighbor_shift(entries(g, k), sx, sy, sz);
      const int j = neighbor_index(entries(g, k));
      // The unshifted entries come first, and only they.
      EXPECT_EQ(sx == 0 && sy == 0 && sz == 0, k < unshifted(g)) << "atom " << i << ", entry " << k;
      const auto inserted =
          half && j < i ? pairs.insert({j, i, -sx, -sy, -sz}) : pairs.insert({i, j, sx, sy, sz});
      EXPECT_TRUE(inserted.second) << "pair (" << i << ", " << j << ") listed twice";
    }
  }
  return pairs;
}

class NeighborListAgainstBruteForce : public ::testing::TestWithParam<NeighborListKind> {
 protected:
  void SetUp() override { GLASSLAND_REQUIRE_LIST_KIND(GetParam()); }
};

TEST_P(NeighborListAgainstBruteForce, OrthogonalAndTriclinicReplicasInOneBatch) {
  const bool half = GetParam() == NeighborListKind::Half;
  LammpsData orthogonal = random_structure(400, 0.06, 3);
  LammpsData tilted = random_structure(400, 0.06, 4);
  tilted.xy = 3.0;
  tilted.xz = -2.0;
  tilted.yz = 1.5;
  tilted.triclinic = true;
  Batch batch = make_batch({{"orthogonal", orthogonal}, {"tilted", tilted}}, {"Cu", "Zr"},
                           {"Cu", "Zr"}, {63.546, 91.224});
  const double cutoff = 5.0, skin = 1.0;
  NeighborList list(cutoff, skin, GetParam());
  EXPECT_EQ(list.update(batch), 2);
  const BatchSnapshot s = snapshot(batch);
  for (int r = 0; r < 2; ++r) {
    SCOPED_TRACE(r == 0 ? "orthogonal" : "triclinic");
    const PairSet expected = brute_force_pairs(s, r, cutoff + skin, half);
    EXPECT_GT(expected.size(), 1000u);
    EXPECT_EQ(listed_pairs(list, r, s.n_atoms), expected);
  }
}

// The cell grid has floor(width / (reach/2)) cells along each direction and the search reaches 1
// or 2 cells to either side: the coarsest grids (4 cells across a box 2·reach wide), uneven grids,
// strong tilts (where only the largest per-direction distance bound may skip a cell) and grids
// capped by a small atom count are where a cell could be missed or an image visited twice.
TEST_P(NeighborListAgainstBruteForce, CoarseUnevenAndTiltedCellGridsAndFewAtoms) {
  const bool half = GetParam() == NeighborListKind::Half;
  const double cutoff = 5.0, skin = 1.0;
  const auto check = [&](const LammpsData& data, const char* what, size_t at_least) {
    SCOPED_TRACE(what);
    Batch batch = make_batch({{what, data}}, {"Cu", "Zr"}, {"Cu", "Zr"}, {63.546, 91.224});
    NeighborList list(cutoff, skin, GetParam());
    ASSERT_EQ(list.update(batch), 1);
    const BatchSnapshot s = snapshot(batch);
    const PairSet expected = brute_force_pairs(s, 0, cutoff + skin, half);
    EXPECT_GE(expected.size(), at_least);
    EXPECT_EQ(listed_pairs(list, 0, s.n_atoms), expected);
  };
  // 12.4 Å wide: 4 cells of 3.1 Å along each direction.
  const LammpsData coarse = random_structure(110, 110 / std::pow(12.4, 3), 8);
  check(coarse, "4 cells per direction", 1000);
  LammpsData stretched = coarse;  // 7 cells along x, 4 along y and z
  for (auto& x : stretched.positions)
    x[0] = stretched.lo[0] + 1.7 * (x[0] - stretched.lo[0]);
  stretched.hi[0] = stretched.lo[0] + 1.7 * (stretched.hi[0] - stretched.lo[0]);
  check(stretched, "7 x 4 x 4 cells", 500);
  LammpsData tilted = random_structure(400, 0.06, 9);  // 18.8 Å, perpendicular widths 16–19 Å
  const double length = tilted.hi[0] - tilted.lo[0];
  tilted.xy = 0.4 * length;
  tilted.xz = 0.3 * length;
  tilted.yz = -0.4 * length;
  tilted.triclinic = true;
  check(tilted, "strongly tilted", 5000);
  // Three atoms: the grid is capped at 3 cells per direction, each narrower than the reach.
  check(random_structure(3, 3 / std::pow(13.0, 3), 10), "three atoms", 0);
}

TEST_P(NeighborListAgainstBruteForce, RebuildsOnlyTheReplicaThatMovedAndWrapsIt) {
  LammpsData a = random_structure(300, 0.06, 5);
  Batch batch = make_batch({{"a", a}, {"b", a}}, {"Cu", "Zr"}, {"Cu", "Zr"}, {63.546, 91.224});
  NeighborList list(5.0, 1.0, GetParam());
  list.update(batch);
  // Move every atom of replica 1 by 0.3 Å (< skin/2): no rebuild.
  auto positions = Kokkos::create_mirror_view_and_copy(HostSpace(), batch.positions);
  for (int i = 0; i < 300; ++i)
    positions(300 + i, 0) += 0.3;
  Kokkos::deep_copy(batch.positions, positions);
  EXPECT_EQ(list.update(batch), 0);
  // One atom of replica 1 crosses the box face by 0.7 Å in total (> skin/2): replica 1 alone.
  const BatchSnapshot before = snapshot(batch);
  const double box_x = before.boxes[1].lx;
  positions(300 + 7, 0) = before.boxes[1].lo[0] + box_x + 0.05;
  Kokkos::deep_copy(batch.positions, positions);
  EXPECT_EQ(list.update(batch), 1);
  const BatchSnapshot after = snapshot(batch);
  // Wrapped back by one box length, with the image flag counting the crossing.
  EXPECT_NEAR(after.positions[(300 + 7) * 3], before.boxes[1].lo[0] + 0.05, 1e-12);
  EXPECT_EQ(after.images[(300 + 7) * 3] - before.images[(300 + 7) * 3], 1);
  EXPECT_EQ(listed_pairs(list, 1, 300),
            brute_force_pairs(after, 1, 6.0, GetParam() == NeighborListKind::Half));
  EXPECT_EQ(listed_pairs(list, 0, 300),
            brute_force_pairs(after, 0, 6.0, GetParam() == NeighborListKind::Half));
}

TEST_P(NeighborListAgainstBruteForce, GrowsCapacityInsteadOfTruncating) {
  // A dense replica next to a dilute one: the first capacity estimate (from the densest) is
  // then exceeded after the dilute replica is compressed to three times its density.
  LammpsData dilute = random_structure(300, 0.02, 6);
  Batch batch = make_batch({{"dilute", dilute}}, {"Cu", "Zr"}, {"Cu", "Zr"}, {63.546, 91.224});
  NeighborList list(5.0, 1.0, GetParam());
  list.update(batch);
  const int first_capacity = list.stats().capacity;
  auto positions = Kokkos::create_mirror_view_and_copy(HostSpace(), batch.positions);
  auto boxes = Kokkos::create_mirror_view_and_copy(HostSpace(), batch.boxes);
  const double scale = std::cbrt(1.0 / 3.0);
  for (int i = 0; i < 300; ++i)
    for (int k = 0; k < 3; ++k)
      positions(i, k) = boxes(0).lo[k] + (positions(i, k) - boxes(0).lo[k]) * scale;
  boxes(0).lx *= scale;
  boxes(0).ly *= scale;
  boxes(0).lz *= scale;
  Kokkos::deep_copy(batch.positions, positions);
  Kokkos::deep_copy(batch.boxes, boxes);
  EXPECT_EQ(list.update(batch), 1);
  EXPECT_GT(list.stats().capacity, first_capacity);
  EXPECT_LE(list.stats().max_neighbors, list.stats().capacity);
  EXPECT_EQ(listed_pairs(list, 0, 300),
            brute_force_pairs(snapshot(batch), 0, 6.0, GetParam() == NeighborListKind::Half));
}

TEST_P(NeighborListAgainstBruteForce, RejectsABoxNarrowerThanTwiceTheReach) {
  LammpsData small = random_structure(100, 0.06, 7);  // about 11.9 Å wide
  Batch batch = make_batch({{"small", small}}, {"Cu", "Zr"}, {"Cu", "Zr"}, {63.546, 91.224});
  NeighborList list(5.0, 1.0, GetParam());
  try {
    list.update(batch);
    FAIL() << "a box narrower than 2·(cutoff + skin) was accepted";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("replica 0"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("replicate the cell"), std::string::npos) << e.what();
  }
}

INSTANTIATE_TEST_SUITE_P(Kinds, NeighborListAgainstBruteForce,
                         ::testing::Values(NeighborListKind::Full, NeighborListKind::Half),
                         [](const auto& info) {
                           return info.param == NeighborListKind::Full ? "full" : "half";
                         });

}  // namespace
}  // namespace glassland
