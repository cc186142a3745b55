#include "analysis/disconnectivity.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <stdexcept>
#include <string>

namespace glassland::analysis {

namespace {

// Union–find with path halving; the representative is arbitrary.
class DisjointSets {
 public:
  explicit DisjointSets(std::size_t n) : parent_(n) {
    std::iota(parent_.begin(), parent_.end(), 0);
  }
  int find(int i) {
    while (parent_[i] != i)
      i = parent_[i] = parent_[parent_[i]];
    return i;
  }
  void join(int a, int b) { parent_[find(a)] = find(b); }

 private:
  std::vector<int> parent_;
};

struct Join {
  int a, b;
  double energy;  // max(saddle, E_a, E_b)
};

std::vector<Join> sorted_joins(const std::vector<double>& e,
                               const std::vector<MinimaConnection>& connections) {
  std::vector<Join> joins;
  const int n = static_cast<int>(e.size());
  for (std::size_t k = 0; k < connections.size(); ++k) {
    const MinimaConnection& c = connections[k];
    if (c.a < 0 || c.a >= n || c.b < 0 || c.b >= n)
      throw std::invalid_argument("connection " + std::to_string(k) + " joins minima " +
                                  std::to_string(c.a) + " and " + std::to_string(c.b) +
                                  ", but there are " + std::to_string(n) + " minima");
    if (!std::isfinite(c.saddle_energy))
      throw std::invalid_argument("connection " + std::to_string(k) +
                                  " has a non-finite saddle energy");
    if (c.a != c.b)
      joins.push_back({c.a, c.b, std::max({c.saddle_energy, e[c.a], e[c.b]})});
  }
  std::stable_sort(joins.begin(), joins.end(),
                   [](const Join& x, const Join& y) { return x.energy < y.energy; });
  return joins;
}

// Kruskal's order: one join node per connection that links two separate groups.
void build_merge_tree(const std::vector<double>& e, const std::vector<Join>& joins,
                      DisconnectivityGraph& g) {
  const std::size_t n = e.size();
  for (std::size_t i = 0; i < n; ++i)
    g.nodes.push_back({e[i], {}, -1, static_cast<int>(i), 1, 0.0});
  DisjointSets sets(n);
  std::vector<int> top(n);  // the tree node of each group, by representative
  std::iota(top.begin(), top.end(), 0);
  for (const Join& j : joins) {
    const int ra = sets.find(j.a), rb = sets.find(j.b);
    if (ra == rb)
      continue;
    const int na = top[ra], nb = top[rb];
    const int id = static_cast<int>(g.nodes.size());
    MergeNode node;
    node.energy = j.energy;
    // Lower branch first, so the layout puts it on the left.
    const bool a_lower = e[g.nodes[na].lowest_minimum] <= e[g.nodes[nb].lowest_minimum];
    node.children = a_lower ? std::vector<int>{na, nb} : std::vector<int>{nb, na};
    node.lowest_minimum = g.nodes[node.children[0]].lowest_minimum;
    node.minima = g.nodes[na].minima + g.nodes[nb].minima;
    g.nodes.push_back(node);
    g.nodes[na].parent = g.nodes[nb].parent = id;
    sets.join(ra, rb);
    top[sets.find(ra)] = id;
  }
  for (std::size_t k = 0; k < g.nodes.size(); ++k)
    if (g.nodes[k].parent < 0)
      g.roots.push_back(static_cast<int>(k));
  std::stable_sort(g.roots.begin(), g.roots.end(), [&](int x, int y) {
    return e[g.nodes[x].lowest_minimum] < e[g.nodes[y].lowest_minimum];
  });
}

// Depth-first leaf order (lower branch first); a join sits at the middle of its leaves.
void lay_out(DisconnectivityGraph& g) {
  double rank = 0.0;
  std::vector<double> first(g.nodes.size()), last(g.nodes.size());
  for (int root : g.roots) {
    std::vector<std::pair<int, bool>> stack{{root, false}};  // (node, children done)
    while (!stack.empty()) {
      auto [k, done] = stack.back();
      stack.pop_back();
      MergeNode& node = g.nodes[k];
      if (node.children.empty()) {
        node.x = first[k] = last[k] = rank++;
      } else if (done) {
        first[k] = first[node.children.front()];
        last[k] = last[node.children.back()];
        node.x = 0.5 * (first[k] + last[k]);
      } else {
        stack.push_back({k, true});
        for (auto c = node.children.rbegin(); c != node.children.rend(); ++c)
          stack.push_back({*c, false});
      }
    }
  }
}

// Superbasins at each level: groups of minima below it joined through saddles below it, built
// from the lowest level up (minima and joins are added as the level rises).
void build_levels(const std::vector<double>& e, const std::vector<Join>& joins,
                  DisconnectivityGraph& g) {
  const std::size_t n = e.size();
  std::vector<int> by_energy(n);
  std::iota(by_energy.begin(), by_energy.end(), 0);
  std::stable_sort(by_energy.begin(), by_energy.end(), [&](int x, int y) { return e[x] < e[y]; });
  DisjointSets sets(n);
  std::vector<bool> present(n, false);
  std::size_t next_minimum = 0, next_join = 0;
  g.basins.assign(g.levels.size(), {});
  std::vector<std::vector<int>> basin_of(g.levels.size(), std::vector<int>(n, -1));
  for (std::size_t k = g.levels.size(); k-- > 0;) {
    const double level = g.levels[k];
    for (; next_minimum < n && e[by_energy[next_minimum]] < level; ++next_minimum)
      present[by_energy[next_minimum]] = true;
    for (; next_join < joins.size() && joins[next_join].energy < level; ++next_join)
      sets.join(joins[next_join].a, joins[next_join].b);
    std::map<int, int> basin_of_set;
    std::vector<int> leaves;
    for (std::size_t i = 0; i < n; ++i)
      if (present[i])
        leaves.push_back(static_cast<int>(i));
    std::stable_sort(leaves.begin(), leaves.end(),
                     [&](int x, int y) { return g.nodes[x].x < g.nodes[y].x; });
    for (int i : leaves) {
      const auto [it, fresh] =
          basin_of_set.insert({sets.find(i), static_cast<int>(g.basins[k].size())});
      if (fresh)
        g.basins[k].push_back({});
      Superbasin& b = g.basins[k][it->second];
      b.minima.push_back(i);
      if (b.lowest_minimum < 0 || e[i] < b.lowest_energy) {
        b.lowest_minimum = i;
        b.lowest_energy = e[i];
      }
      basin_of[k][i] = it->second;
    }
    for (Superbasin& b : g.basins[k])
      b.x = 0.5 * (g.nodes[b.minima.front()].x + g.nodes[b.minima.back()].x);
  }
  for (std::size_t k = 1; k < g.levels.size(); ++k)
    for (Superbasin& b : g.basins[k])
      b.parent = basin_of[k - 1][b.lowest_minimum];
}

}  // namespace

DisconnectivityGraph disconnectivity_graph(const std::vector<double>& e,
                                           const std::vector<MinimaConnection>& connections,
                                           int level_count, double level_spacing) {
  if (e.empty())
    throw std::invalid_argument("a disconnectivity graph needs at least one minimum");
  for (std::size_t i = 0; i < e.size(); ++i)
    if (!std::isfinite(e[i]))
      throw std::invalid_argument("minimum " + std::to_string(i) + " has a non-finite energy");
  if (level_spacing <= 0.0 && level_count < 2)
    throw std::invalid_argument("a disconnectivity graph needs at least 2 levels");
  DisconnectivityGraph g;
  g.n_minima = e.size();
  g.global_minimum = static_cast<int>(std::min_element(e.begin(), e.end()) - e.begin());
  const std::vector<Join> joins = sorted_joins(e, connections);
  build_merge_tree(e, joins, g);
  lay_out(g);
  const double bottom = e[g.global_minimum];
  double top = *std::max_element(e.begin(), e.end());
  for (const MergeNode& node : g.nodes)
    top = std::max(top, node.energy);
  int count = level_count;
  if (level_spacing > 0.0) {
    g.level_spacing = level_spacing;
    count = static_cast<int>(std::floor((top - bottom) / level_spacing + 0.5)) + 1;
  } else {
    // All minima at one energy: 1 meV levels, so the graph still has its two levels.
    g.level_spacing = top > bottom ? (top - bottom) / (count - 1) : 1e-3;
  }
  if (count > 100000)
    throw std::invalid_argument("level spacing " + std::to_string(level_spacing) +
                                " eV gives more than 100000 levels");
  for (int k = 0; k < count; ++k)
    g.levels.push_back(bottom + g.level_spacing * (count - k - 0.5));
  build_levels(e, joins, g);
  return g;
}

}  // namespace glassland::analysis
