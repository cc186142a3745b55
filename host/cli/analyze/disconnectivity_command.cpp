// `glassland analyze disconnectivity RESULTS [-o OUT.json|OUT.h5]` (issue 21 item 7; SPEC.md §10;
// paper 004 Fig. 7; docs/analyze.md): the minima an ART walk visited, joined at their lowest
// connecting saddles (analysis/disconnectivity.hpp), as the merge tree, the superbasins at
// evenly spaced energy levels and the line segments of the disconnectivity graph, in a layout a
// plot draws directly.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <memory>

#include "analysis/disconnectivity.hpp"
#include "host/cli/analyze/analyze_commands.hpp"
#include "host/cli/analyze/analyze_io.hpp"
#include "host/cli/analyze/results_files.hpp"
#include "host/io/hdf5_file.hpp"
#include "host/io/json_hdf5.hpp"
#include "host/io/lammps_data.hpp"

namespace glassland::analyze_cli {

namespace {

namespace fs = std::filesystem;

struct DisconnectivityOptions {
  std::string file;
  int levels = 25;
  double level_spacing = 0.0;
  int atoms = 0;
  std::string output;
};

// The walk's network: minima energies and the lowest saddle between each connected pair.
struct Network {
  std::string source;
  std::vector<double> energies;  // NaN: a minimum the walk never placed
  std::vector<ga::MinimaConnection> connections;
  std::vector<int> ids;  // the walk's minimum id of each minimum kept (compact)
  int atoms = 0;         // 0: unknown
};

// Drops the minima of unknown energy (an input minimum no search started from) that no
// connection names, renumbering the rest; a connection to one is an error.
void compact(Network& n) {
  std::vector<int> index(n.energies.size(), -1);
  std::vector<double> kept;
  for (std::size_t m = 0; m < n.energies.size(); ++m)
    if (std::isfinite(n.energies[m])) {
      index[m] = static_cast<int>(kept.size());
      kept.push_back(n.energies[m]);
      n.ids.push_back(static_cast<int>(m));
    }
  for (ga::MinimaConnection& c : n.connections) {
    for (int* end : {&c.a, &c.b}) {
      if (*end < 0 || *end >= static_cast<int>(index.size()) || index[*end] < 0)
        throw InputError(n.source + ": a connection names minimum " + std::to_string(*end) +
                         ", whose energy is unknown");
      *end = index[*end];
    }
  }
  if (kept.empty())
    throw InputError(n.source + ": no minimum with a known energy");
  n.energies = kept;
}

Network network_from_hdf5(const std::string& path) {
  Network n;
  n.source = path;
  try {
    const hdf5::File file = hdf5::File::open_read_only(path);
    if (!file.is_group("connectivity"))
      throw InputError(path +
                       ": no connectivity/ group: not the results.h5 of an ART walk (run "
                       "task art with \"walk\": true)");
    // minima/energy_eV marks unknown energies NaN (connectivity's copy does not).
    n.energies = file.dataset("minima/energy_eV").read<double>();
    const auto a = file.dataset("connectivity/edge_minimum_a").read<std::int64_t>();
    const auto b = file.dataset("connectivity/edge_minimum_b").read<std::int64_t>();
    const auto e = file.dataset("connectivity/edge_e_saddle_eV").read<double>();
    for (std::size_t k = 0; k < a.size(); ++k)
      n.connections.push_back({static_cast<int>(a[k]), static_cast<int>(b[k]), e[k]});
    if (file.exists("displacements/saddle_A"))
      n.atoms = static_cast<int>(file.dataset("displacements/saddle_A").shape().at(1));
  } catch (const Hdf5Error& e) {
    throw InputError(path + ": " + e.what());
  }
  return n;
}

// From events.json: every successful event with a final_minimum (a walk's) joins its minimum and
// final minimum at its saddle; energies from e_initial and e_final.
Network network_from_events(const std::string& path) {
  const json doc = read_json_file(path);
  if (!doc.is_object() || !doc.contains("events") || !doc["events"].is_array())
    throw InputError(path + ": no \"events\" list: not an ART events.json");
  Network n;
  n.source = path;
  auto set_energy = [&](int m, double e) {
    if (m >= static_cast<int>(n.energies.size()))
      n.energies.resize(m + 1, std::numeric_limits<double>::quiet_NaN());
    n.energies[m] = e;
  };
  const json& events = doc["events"];
  for (std::size_t k = 0; k < events.size(); ++k) {
    const json& e = events[k];
    if (!e.is_object() || !e.value("success", false) || !e.contains("final_minimum"))
      continue;
    try {
      const int a = e.at("minimum").get<int>(), b = e.at("final_minimum").get<int>();
      set_energy(a, e.at("e_initial_eV").get<double>());
      set_energy(b, e.at("e_final_eV").get<double>());
      n.connections.push_back({a, b, e.at("e_saddle_eV").get<double>()});
    } catch (const json::exception& x) {
      throw InputError(path + ": events[" + std::to_string(k) + "]: " + x.what());
    }
  }
  if (n.connections.empty())
    throw InputError(path +
                     ": no successful event with a final_minimum: not a walk (run task art "
                     "with \"walk\": true)");
  if (doc.contains("minima") && doc["minima"].is_array() && !doc["minima"].empty()) {
    const json& first = doc["minima"][0];
    const std::string file = first.value("path", first.value("source", std::string()));
    if (!file.empty() && fs::is_regular_file(file))
      n.atoms = read_lammps_data(file).n_atoms();
  }
  return n;
}

Network read_network(const std::string& given) {
  if (fs::is_directory(given)) {
    const fs::path h5 = fs::path(given) / "results.h5";
    return fs::is_regular_file(h5) ? network_from_hdf5(h5.string())
                                   : network_from_events(results_document(given));
  }
  return is_hdf5_file(given) ? network_from_hdf5(given) : network_from_events(given);
}

json tree_json(const ga::DisconnectivityGraph& g) {
  std::vector<double> energy, x;
  std::vector<int> parent, child_a, child_b, lowest;
  std::vector<std::size_t> size;
  for (const ga::MergeNode& node : g.nodes) {
    energy.push_back(node.energy);
    x.push_back(node.x);
    parent.push_back(node.parent);
    child_a.push_back(node.children.empty() ? -1 : node.children[0]);
    child_b.push_back(node.children.empty() ? -1 : node.children[1]);
    lowest.push_back(node.lowest_minimum);
    size.push_back(node.minima);
  }
  return {{"energy_eV", energy}, {"x", x},
          {"parent", parent},    {"child_a", child_a},
          {"child_b", child_b},  {"lowest_minimum", lowest},
          {"minima", size},      {"roots", g.roots}};
}

// Superbasins level by level (members in CSR form), and the graph's line segments: a basin to its
// parent one level up, and a basin down to each of its minima that is in no basin of the next
// level (above that level, or the last level): every minimum ends a line at its energy.
json levels_json(const ga::DisconnectivityGraph& g, const std::vector<double>& minima_x,
                 const std::vector<double>& energies, json& segments) {
  std::vector<double> x0, y0, x1, y1;
  json levels = json::array();
  for (std::size_t k = 0; k < g.levels.size(); ++k) {
    std::vector<double> x, lowest_energy;
    std::vector<int> parent, lowest, members, offsets{0};
    std::vector<bool> continues(g.n_minima, false);  // in a basin of level k + 1
    if (k + 1 < g.levels.size())
      for (const ga::Superbasin& b : g.basins[k + 1])
        for (int m : b.minima)
          continues[m] = true;
    for (std::size_t i = 0; i < g.basins[k].size(); ++i) {
      const ga::Superbasin& b = g.basins[k][i];
      x.push_back(b.x);
      parent.push_back(b.parent);
      lowest.push_back(b.lowest_minimum);
      lowest_energy.push_back(b.lowest_energy);
      members.insert(members.end(), b.minima.begin(), b.minima.end());
      offsets.push_back(static_cast<int>(members.size()));
      if (k > 0) {
        x0.push_back(g.basins[k - 1][b.parent].x);
        y0.push_back(g.levels[k - 1]);
        x1.push_back(b.x);
        y1.push_back(g.levels[k]);
      }
      for (int m : b.minima)
        if (!continues[m]) {
          x0.push_back(b.x);
          y0.push_back(g.levels[k]);
          x1.push_back(minima_x[m]);
          y1.push_back(energies[m]);
        }
    }
    levels.push_back({{"energy_eV", g.levels[k]},
                      {"x", x},
                      {"parent", parent},
                      {"lowest_minimum", lowest},
                      {"lowest_energy_eV", lowest_energy},
                      {"members", members},
                      {"member_offsets", offsets}});
  }
  segments = {{"x0", x0}, {"energy0_eV", y0}, {"x1", x1}, {"energy1_eV", y1}};
  return levels;
}

void run_disconnectivity(const DisconnectivityOptions& o) {
  Network n = read_network(o.file);
  compact(n);
  if (o.atoms > 0)
    n.atoms = o.atoms;
  const ga::DisconnectivityGraph g =
      ga::disconnectivity_graph(n.energies, n.connections, o.levels, o.level_spacing);
  std::vector<double> x;
  for (std::size_t m = 0; m < g.n_minima; ++m)
    x.push_back(g.nodes[m].x);
  json segments;
  const json levels = levels_json(g, x, n.energies, segments);
  json doc = {{"command", "analyze disconnectivity"},
              {"source", n.source},
              {"minima", g.n_minima},
              {"connections", n.connections.size()},
              {"components", g.roots.size()},
              {"global_minimum", g.global_minimum},
              {"reference_energy_eV", n.energies[g.global_minimum]},
              {"atoms", n.atoms > 0 ? json(n.atoms) : json(nullptr)},
              {"level_spacing_eV", g.level_spacing},
              {"minimum_ids", n.ids},
              {"minima_energy_eV", n.energies},
              {"minima_x", x},
              {"tree", tree_json(g)},
              {"levels", levels},
              {"segments", segments}};
  write_result_document(o.output, doc);
}

}  // namespace

void register_analyze_disconnectivity(CLI::App& analyze) {
  auto o = std::make_shared<DisconnectivityOptions>();
  CLI::App* c = analyze.add_subcommand(
      "disconnectivity",
      "Disconnectivity-graph data of an ART walk: minima joined at their lowest connecting "
      "saddles, superbasins by energy level");
  c->add_option("file", o->file, "ART results.h5 or events.json of a walk, or its output directory")
      ->required()
      ->check(CLI::ExistingPath);
  auto* levels = c->add_option("--levels", o->levels, "number of energy levels")
                     ->capture_default_str()
                     ->check(CLI::Range(2, 100000));
  c->add_option("--level-spacing", o->level_spacing,
                "energy between levels, eV (instead of --levels)")
      ->check(CLI::PositiveNumber)
      ->excludes(levels);
  c->add_option("--atoms", o->atoms, "atoms per minimum (for per-atom energies in a plot)")
      ->check(CLI::PositiveNumber);
  c->add_option("--output,-o", o->output,
                "result file: .json, or .h5/.hdf5 for HDF5 (default: JSON on stdout)");
  c->callback([o]() { guarded("disconnectivity", [&] { run_disconnectivity(*o); }); });
}

}  // namespace glassland::analyze_cli
