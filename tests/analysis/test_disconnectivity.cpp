// Disconnectivity-graph data (analysis/disconnectivity.hpp) on hand-made networks whose tree is
// known: the joins at the lowest connecting saddles in order, cycles ignored, separate components
// as separate roots, the superbasins at given levels, parents across levels, and a layout in
// which every superbasin is a contiguous run of leaves.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <vector>

#include "analysis/disconnectivity.hpp"

namespace ga = glassland::analysis;

namespace {

// Five minima: 1–2 join at 3.5, then 0 joins {1,2} at 4 (the 0–2 saddle at 5 closes a cycle and
// changes nothing), 3–4 join at 6, and everything at 7 through the 2–3 saddle. The 0–1 saddle is
// given twice; the lower one (4) counts.
const std::vector<double> kEnergies = {0.0, 1.0, 0.5, 2.0, 3.0};
const std::vector<ga::MinimaConnection> kConnections = {{0, 1, 4.5}, {1, 2, 3.5}, {0, 2, 5.0},
                                                        {3, 4, 6.0}, {2, 3, 7.0}, {1, 0, 4.0}};

std::set<int> members(const ga::Superbasin& b) {
  return std::set<int>(b.minima.begin(), b.minima.end());
}

}  // namespace

TEST(Disconnectivity, MergeTreeJoinsAtTheLowestConnectingSaddles) {
  const ga::DisconnectivityGraph g = ga::disconnectivity_graph(kEnergies, kConnections, 8);
  ASSERT_EQ(g.nodes.size(), 9u);  // 5 minima + 4 joins (a tree on 5 leaves)
  EXPECT_EQ(g.global_minimum, 0);
  // Joins in order of energy: {1,2} at 3.5, {0,{1,2}} at 4, {3,4} at 6, all at 7.
  const std::vector<double> join_energies = {3.5, 4.0, 6.0, 7.0};
  for (int k = 0; k < 4; ++k)
    EXPECT_DOUBLE_EQ(g.nodes[5 + k].energy, join_energies[k]) << "join " << k;
  auto leaves = [&](int node) {
    std::set<int> out;
    std::vector<int> todo{node};
    while (!todo.empty()) {
      const int k = todo.back();
      todo.pop_back();
      if (g.nodes[k].children.empty())
        out.insert(k);
      for (int c : g.nodes[k].children)
        todo.push_back(c);
    }
    return out;
  };
  EXPECT_EQ(leaves(5), (std::set<int>{1, 2}));
  EXPECT_EQ(leaves(6), (std::set<int>{0, 1, 2}));
  EXPECT_EQ(leaves(7), (std::set<int>{3, 4}));
  EXPECT_EQ(leaves(8), (std::set<int>{0, 1, 2, 3, 4}));
  EXPECT_EQ(g.roots, (std::vector<int>{8}));
  EXPECT_EQ(g.nodes[8].lowest_minimum, 0);
  EXPECT_EQ(g.nodes[7].lowest_minimum, 3);
  EXPECT_EQ(g.nodes[5].lowest_minimum, 2);
  EXPECT_EQ(g.nodes[8].minima, 5u);
  EXPECT_EQ(g.nodes[1].parent, 5);
  EXPECT_EQ(g.nodes[5].parent, 6);
}

TEST(Disconnectivity, LevelsHoldTheSuperbasinsBelowThem) {
  // Spacing 1 eV from E_min = 0: levels 7.5, 6.5, …, 0.5 (the highest join is 7).
  const ga::DisconnectivityGraph g = ga::disconnectivity_graph(kEnergies, kConnections, 0, 1.0);
  ASSERT_EQ(g.levels.size(), 8u);
  EXPECT_DOUBLE_EQ(g.levels.front(), 7.5);
  EXPECT_DOUBLE_EQ(g.levels.back(), 0.5);
  auto level = [&](double energy) {
    for (size_t k = 0; k < g.levels.size(); ++k)
      if (g.levels[k] == energy)
        return k;
    ADD_FAILURE() << "no level at " << energy;
    return size_t{0};
  };
  // 7.5: one basin; 6.5: {0,1,2} and {3,4}; 4.5: {0,1,2}, {3}, {4}; 3.5 (the 1–2 saddle is not
  // below 3.5): every minimum alone; 2.5: minima 0–3 alone (4, at 3 eV, lies above); 0.5: {0}.
  EXPECT_EQ(g.basins[level(7.5)].size(), 1u);
  EXPECT_EQ(members(g.basins[level(7.5)][0]), (std::set<int>{0, 1, 2, 3, 4}));
  std::set<std::set<int>> at65, at45, at35;
  for (const auto& b : g.basins[level(6.5)])
    at65.insert(members(b));
  for (const auto& b : g.basins[level(4.5)])
    at45.insert(members(b));
  for (const auto& b : g.basins[level(3.5)])
    at35.insert(members(b));
  EXPECT_EQ(at65, (std::set<std::set<int>>{{0, 1, 2}, {3, 4}}));
  EXPECT_EQ(at45, (std::set<std::set<int>>{{0, 1, 2}, {3}, {4}}));
  EXPECT_EQ(at35, (std::set<std::set<int>>{{0}, {1}, {2}, {3}, {4}}));
  EXPECT_EQ(g.basins[level(2.5)].size(), 4u);
  ASSERT_EQ(g.basins[level(0.5)].size(), 1u);
  EXPECT_EQ(g.basins[level(0.5)][0].minima, (std::vector<int>{0}));
  EXPECT_DOUBLE_EQ(g.basins[level(6.5)][0].lowest_energy, 0.0);
  // Parents: every basin's members lie inside its parent's.
  for (size_t k = 1; k < g.levels.size(); ++k)
    for (const auto& b : g.basins[k]) {
      ASSERT_GE(b.parent, 0);
      const std::set<int> parent = members(g.basins[k - 1][b.parent]);
      for (int m : b.minima)
        EXPECT_TRUE(parent.count(m)) << "level " << k << " minimum " << m;
    }
  for (const auto& b : g.basins[0])
    EXPECT_EQ(b.parent, -1);
}

TEST(Disconnectivity, LayoutKeepsEverySuperbasinContiguous) {
  const ga::DisconnectivityGraph g = ga::disconnectivity_graph(kEnergies, kConnections, 12);
  std::vector<double> x;
  for (int m = 0; m < 5; ++m)
    x.push_back(g.nodes[m].x);
  std::vector<double> sorted = x;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(sorted, (std::vector<double>{0, 1, 2, 3, 4}));
  // Lower branch first: 0 left of {1,2}, the {0,1,2} branch left of {3,4}.
  EXPECT_EQ(x[0], 0.0);
  EXPECT_LT(x[2], x[1]);  // 2 (0.5 eV) is the lower of the pair {1, 2}
  EXPECT_GT(x[3], x[1]);
  for (const auto& level : g.basins)
    for (const auto& b : level) {
      double lo = 1e9, hi = -1e9;
      for (int m : b.minima) {
        lo = std::min(lo, x[m]);
        hi = std::max(hi, x[m]);
      }
      EXPECT_EQ(hi - lo + 1.0, static_cast<double>(b.minima.size()));
      EXPECT_DOUBLE_EQ(b.x, 0.5 * (lo + hi));
    }
}

TEST(Disconnectivity, UnconnectedMinimaAreSeparateRoots) {
  // A sixth minimum no walk reached from the others: a second tree, ordered by its energy.
  std::vector<double> e = kEnergies;
  e.push_back(-1.0);
  const ga::DisconnectivityGraph g = ga::disconnectivity_graph(e, kConnections, 5);
  EXPECT_EQ(g.roots, (std::vector<int>{5, 9}));
  EXPECT_EQ(g.global_minimum, 5);
  EXPECT_EQ(g.basins.front().size(), 2u);  // above everything: still two basins
  // levels from just above the highest join (7) down to just above E_min = −1.
  EXPECT_DOUBLE_EQ(g.level_spacing, 2.0);
  EXPECT_DOUBLE_EQ(g.levels.front(), 8.0);
  EXPECT_DOUBLE_EQ(g.levels.back(), 0.0);
}

TEST(Disconnectivity, InconsistentSaddleJoinsAtTheHigherMinimum) {
  // A "saddle" below minimum 1: the two join at E_1.
  const ga::DisconnectivityGraph g = ga::disconnectivity_graph({0.0, 1.0}, {{0, 1, 0.2}}, 3);
  EXPECT_DOUBLE_EQ(g.nodes[2].energy, 1.0);
}

TEST(Disconnectivity, BadInputIsAnError) {
  EXPECT_THROW(ga::disconnectivity_graph({}, {}, 5), std::invalid_argument);
  EXPECT_THROW(ga::disconnectivity_graph({0.0, 1.0}, {{0, 2, 3.0}}, 5), std::invalid_argument);
  EXPECT_THROW(ga::disconnectivity_graph({0.0, NAN}, {}, 5), std::invalid_argument);
  EXPECT_THROW(ga::disconnectivity_graph({0.0, 1.0}, {}, 1), std::invalid_argument);
}
