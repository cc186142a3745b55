// `glassland analyze entropy-temperature EVENTS… [-o OUT.json|OUT.h5]` (issue 21 item 6; SPEC.md
// §10; paper 004 Figs. 5, 6, 8; docs/analyze.md): ART events grouped by the temperature of the
// structure their minimum came from (events.json "source_temperature_K", task art) → the dynamic
// Shannon entropy and diversity of each group's barrier spectrum on shared bins, the structural
// Shannon entropy of the Voronoi indices of that temperature's source structures, both with
// bootstrap errors, their temperature derivatives, and their correlation across temperatures
// (analysis/entropy_temperature.hpp).
#include <cmath>
#include <filesystem>
#include <map>
#include <memory>
#include <set>

#include "analysis/entropy_temperature.hpp"
#include "analysis/voronoi_tessellation.hpp"
#include "host/cli/analyze/analyze_commands.hpp"
#include "host/cli/analyze/analyze_io.hpp"
#include "host/cli/analyze/entropy_temperature.hpp"
#include "host/cli/analyze/results_files.hpp"
#include "host/cli/analyze/trajectory_inputs.hpp"
#include "host/io/json_hdf5.hpp"

namespace glassland::analyze_cli {

namespace {

namespace fs = std::filesystem;

// Everything at one source temperature.
struct TemperatureGroup {
  std::vector<double> barriers;
  std::set<std::string> structures;  // source structure files
  std::vector<std::string> labels;   // their atoms' Voronoi indices
};

// The events file of an input (a results directory gives its events.json).
std::string events_file(const std::string& path) {
  return fs::is_directory(path) ? results_document(path) : path;
}

// The structure file of each input minimum of an events.json ("minima": [{"path" or "source"}]),
// by source temperature; none for an HDF5 input or an events.json without the list.
void collect_structures(const std::string& file, std::map<double, TemperatureGroup>& groups) {
  if (is_hdf5_file(file))
    return;
  const json doc = read_json_file(file);
  if (!doc.is_object() || !doc.contains("minima") || !doc["minima"].is_array())
    return;
  for (const json& m : doc["minima"]) {
    if (!m.is_object() || !m.contains("source_temperature_K") ||
        !m["source_temperature_K"].is_number())
      continue;
    std::string path = m.value("path", m.value("source", std::string()));
    if (path.empty() || !fs::is_regular_file(path))
      continue;  // a built structure, or a file no longer there: reported as missing below
    groups[m["source_temperature_K"].get<double>()].structures.insert(path);
  }
}

void collect_events(const std::string& file, const EntropyTemperatureOptions& o,
                    std::map<double, TemperatureGroup>& groups, std::size_t& skipped) {
  const LoadedTable lt = load_table(file);
  const ga::Table& t = lt.table;
  skipped += lt.skipped;
  const std::size_t tc = t.column_index(o.temperature_column);
  for (std::size_t r = 0; r < t.rows(); ++r)
    if (t.cell(r, tc) == "null" || t.cell(r, tc) == "nan" || t.cell(r, tc).empty())
      throw t.error_at(r, o.temperature_column,
                       "the temperature of this event's source structure is unknown: give "
                       "art.minimum_temperatures in the ART input, or search from the "
                       "inherent structures of prepare's stops (their summary.json names them)");
  const std::vector<double> temperature = t.numbers(o.temperature_column);
  const std::vector<double> barrier = t.numbers(o.column);
  for (std::size_t r = 0; r < t.rows(); ++r) {
    if (barrier[r] < o.bin_origin)
      throw t.error_at(
          r, o.column,
          "below the first bin's edge " + number_text(o.bin_origin) + " eV; lower --bin-origin");
    groups[temperature[r]].barriers.push_back(barrier[r]);
  }
}

// The Voronoi indices of every atom of the group's structures.
void voronoi_labels(TemperatureGroup& g) {
  for (const std::string& file : g.structures) {
    TrajectoryOptions options;
    options.files = {file};
    for (TrajectorySeries& s : open_trajectory_series(options)) {
      AtomsFrame f;
      while (next_frame(s, f)) {
        std::vector<ga::VoronoiCell> cells;
        try {
          cells = ga::voronoi_tessellation(f.cell, f.positions);
        } catch (const std::runtime_error& e) {
          throw InputError(file + ": " + e.what());
        }
        for (const ga::VoronoiCell& c : cells)
          g.labels.push_back(ga::voronoi_index_label(c.index));
      }
    }
  }
}

json bootstrap_json(const ga::BootstrapResult& b) {
  return {{"value", b.estimate},
          {"standard_error", b.standard_error},
          {"lower", b.lower},
          {"upper", b.upper}};
}

json estimate_json(const ga::EntropyEstimate& e) {
  return {{"entropy", bootstrap_json(e.entropy)},
          {"diversity", bootstrap_json(e.diversity)},
          {"miller_madow_entropy", e.miller_madow},
          {"occupied", e.value.categories}};
}

json derivative_json(const std::vector<double>& t, const std::vector<double>& y,
                     const std::vector<double>& e) {
  if (t.size() < 2)
    return nullptr;
  json out = json::array();
  for (const ga::DerivativePoint& d : ga::temperature_derivative(t, y, e))
    out.push_back({{"temperature_K", d.temperature}, {"value", d.value}, {"error", d.error}});
  return out;
}

// Dynamic and (where there are structures) structural entropy of every temperature, in order.
struct Estimates {
  std::vector<double> t, s_dyn, s_dyn_err, d_dyn, d_dyn_err;
  std::vector<double> t_str, s_str, s_str_err, d_str, d_str_err;
  json temperatures = json::array();
};

Estimates estimate_groups(const std::map<double, TemperatureGroup>& groups,
                          const EntropyTemperatureOptions& o) {
  ga::BootstrapSettings b{o.bootstrap, o.confidence, o.seed};
  Estimates e;
  std::size_t index = 0;
  for (const auto& [temperature, g] : groups) {
    b.seed = o.seed + index++;
    const ga::EntropyEstimate dyn = ga::histogram_entropy(g.barriers, o.bin_width, o.bin_origin, b);
    const ga::Histogram h = ga::make_histogram(g.barriers, o.bin_width, o.bin_origin);
    json entry = {{"temperature_K", temperature},
                  {"events", g.barriers.size()},
                  {"dynamic", estimate_json(dyn)}};
    entry["dynamic"]["counts"] = h.counts;
    e.t.push_back(temperature);
    e.s_dyn.push_back(dyn.value.entropy);
    e.s_dyn_err.push_back(dyn.entropy.standard_error);
    e.d_dyn.push_back(dyn.value.diversity);
    e.d_dyn_err.push_back(dyn.diversity.standard_error);
    if (!g.labels.empty()) {
      const ga::EntropyEstimate str = ga::label_entropy(g.labels, b);
      entry["structural"] = estimate_json(str);
      entry["structural"]["atoms"] = g.labels.size();
      entry["structural"]["structures"] =
          std::vector<std::string>(g.structures.begin(), g.structures.end());
      e.t_str.push_back(temperature);
      e.s_str.push_back(str.value.entropy);
      e.s_str_err.push_back(str.entropy.standard_error);
      e.d_str.push_back(str.value.diversity);
      e.d_str_err.push_back(str.diversity.standard_error);
    } else {
      entry["structural"] = nullptr;
    }
    e.temperatures.push_back(entry);
  }
  return e;
}

json correlation_json(const std::map<double, TemperatureGroup>& groups,
                      const EntropyTemperatureOptions& o) {
  std::vector<std::vector<double>> barriers;
  std::vector<std::vector<std::string>> labels;
  for (const auto& [temperature, g] : groups)
    if (!g.labels.empty()) {
      barriers.push_back(g.barriers);
      labels.push_back(g.labels);
    }
  if (barriers.size() < 3)
    return {{"note", "needs the structural entropy at 3 or more temperatures, has " +
                         std::to_string(barriers.size())}};
  const ga::EntropyCorrelation c = ga::correlate_entropies(
      barriers, labels, o.bin_width, o.bin_origin, {o.bootstrap, o.confidence, o.seed});
  return {{"points", c.points},
          {"pearson_r", bootstrap_json(c.r_bootstrap)},
          {"bootstrap_resamples_with_defined_r", c.r_bootstrap.resamples},
          {"slope", value_error(c.line.slope, c.line.slope_error)},
          {"intercept", value_error(c.line.intercept, c.line.intercept_error)},
          {"line", "dynamic entropy = intercept + slope · structural entropy"}};
}

}  // namespace

json entropy_temperature_document(const EntropyTemperatureOptions& o) {
  std::map<double, TemperatureGroup> groups;
  std::size_t skipped = 0;
  json sources = json::array();
  for (const std::string& input : o.files) {
    const std::string file = events_file(input);
    collect_events(file, o, groups, skipped);
    if (o.structures == "auto")
      collect_structures(file, groups);
    sources.push_back(file);
  }
  json missing = json::array();
  for (auto& [temperature, g] : groups) {
    if (g.barriers.empty()) {
      missing.push_back(temperature);  // structures without events: dropped
      continue;
    }
    voronoi_labels(g);
  }
  for (auto it = groups.begin(); it != groups.end();)
    it = it->second.barriers.empty() ? groups.erase(it) : std::next(it);
  if (groups.empty())
    throw InputError(o.files.front() + ": no successful event to analyse");
  const Estimates e = estimate_groups(groups, o);
  json doc = {{"command", "analyze entropy-temperature"},
              {"sources", sources},
              {"barrier_column", o.column},
              {"temperature_column", o.temperature_column},
              {"bin_width_eV", o.bin_width},
              {"bin_origin_eV", o.bin_origin},
              {"bootstrap",
               {{"resamples", o.bootstrap},
                {"seed", o.seed},
                {"confidence", o.confidence},
                {"note", "temperature i (in order) uses seed + i"}}},
              {"temperatures", e.temperatures},
              {"derivatives",
               {{"dynamic_entropy_per_K", derivative_json(e.t, e.s_dyn, e.s_dyn_err)},
                {"dynamic_diversity_per_K", derivative_json(e.t, e.d_dyn, e.d_dyn_err)},
                {"structural_entropy_per_K", derivative_json(e.t_str, e.s_str, e.s_str_err)},
                {"structural_diversity_per_K", derivative_json(e.t_str, e.d_str, e.d_str_err)}}},
              {"correlation", correlation_json(groups, o)}};
  if (skipped)
    doc["skipped_records"] = skipped;
  if (!missing.empty())
    doc["structures_without_events_K"] = missing;
  return doc;
}

namespace {

void run_entropy_temperature(const EntropyTemperatureOptions& o) {
  write_result_document(o.output, entropy_temperature_document(o));
}

}  // namespace

void register_analyze_entropy_temperature(CLI::App& analyze) {
  auto o = std::make_shared<EntropyTemperatureOptions>();
  CLI::App* c = analyze.add_subcommand(
      "entropy-temperature",
      "Dynamic (barrier) and structural (Voronoi) Shannon entropy against the temperature of "
      "the ART minima's source structures, derivatives and correlation, with bootstrap errors");
  c->add_option("files", o->files, "ART events.json, results.h5 or output directories, pooled")
      ->required()
      ->check(CLI::ExistingPath);
  c->add_option("--column", o->column, "barrier column, eV")->capture_default_str();
  c->add_option("--temperature-column", o->temperature_column,
                "column of the source structure's temperature, K")
      ->capture_default_str();
  c->add_option("--bin-width", o->bin_width, "barrier histogram bin width, eV")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  c->add_option("--bin-origin", o->bin_origin,
                "left edge of the first bin, eV (shared by every temperature)")
      ->capture_default_str();
  c->add_option("--structures", o->structures,
                "auto: Voronoi indices of the source structures listed in events.json; none")
      ->capture_default_str()
      ->check(CLI::IsMember({"auto", "none"}));
  c->add_option("--bootstrap", o->bootstrap, "bootstrap resamples")
      ->capture_default_str()
      ->check(CLI::Range(2, 1000000));
  c->add_option("--seed", o->seed, "bootstrap seed")->capture_default_str();
  c->add_option("--confidence", o->confidence, "level of the percentile intervals")
      ->capture_default_str()
      ->check(CLI::Range(0.5, 0.999));
  c->add_option("--output,-o", o->output,
                "result file: .json, or .h5/.hdf5 for HDF5 (default: JSON on stdout)");
  c->callback([o]() { guarded("entropy-temperature", [&] { run_entropy_temperature(*o); }); });
}

}  // namespace glassland::analyze_cli
