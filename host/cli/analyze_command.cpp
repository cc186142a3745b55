// `glassland analyze` (issue 7, item 7): the analysis library (analysis/) over tables.
//
// Inputs are CSV files with a header row, JSON tables, the metadynamics summary.json
// ({"temperature_K": T, "tracers": [{"barrier_eV": ..., "event_found": true, ...}]}) and the ART
// events.json ({"events": [{"barrier_eV": ..., "success": true, ...}]}). All of them become an
// analysis::Table, so every bad cell is reported the same way: file, line or JSON path, data
// row, column. Output is one JSON document on stdout or in --output FILE (written atomically).
// Non-finite numbers (a divergent sequential integral, an undefined error) are written as null.
#include "host/cli/analyze_command.hpp"
#include "host/cli/analyze/trajectory_commands.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <iostream>
#include <limits>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <numeric>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "analysis/activation_thermodynamics.hpp"
#include "analysis/bootstrap.hpp"
#include "analysis/constants.hpp"
#include "analysis/distribution_fits.hpp"
#include "analysis/effective_barriers.hpp"
#include "analysis/regression.hpp"
#include "analysis/sample_statistics.hpp"
#include "analysis/shannon_entropy.hpp"
#include "analysis/table_reader.hpp"
#include "analysis/tst_kinetics.hpp"
#include "host/io/atomic_file.hpp"
#include "host/io/input_error.hpp"

namespace glassland {

namespace {

namespace ga = analysis;
using json = nlohmann::json;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// ---------------------------------------------------------------------------------------------
// Reading tables

struct LoadedTable {
  ga::Table table;
  std::size_t skipped = 0;  // records with event_found/success false
  std::string shape;        // "csv", "metadynamics summary", "ART events", "json table"
};

std::string cell_text(const json& v) {
  if (v.is_number()) {
    std::ostringstream s;
    s.precision(17);
    s << v.get<double>();
    return s.str();
  }
  if (v.is_string())
    return v.get<std::string>();
  return v.dump();  // true, false, null, objects: reported as "not a finite number" if used
}

// Records (an array of objects) plus the scalar keys of the enclosing object as constant columns.
// flag_key: records whose flag is false are skipped (event_found for tracers, success for events).
LoadedTable table_from_records(const std::string& source, const json& records,
                               const std::string& array_path, const json* top,
                               const std::string& flag_key) {
  LoadedTable out{ga::Table(source), 0, ""};
  std::vector<std::string> columns;
  std::set<std::string> known;
  auto add_column = [&](const std::string& k) {
    if (known.insert(k).second)
      columns.push_back(k);
  };
  for (std::size_t i = 0; i < records.size(); ++i) {
    const json& r = records[i];
    const std::string where = array_path + "[" + std::to_string(i) + "]";
    if (!r.is_object())
      throw InputError(source + ": " + where + ": expected an object with named values, got " +
                       std::string(r.type_name()));
    for (const auto& [k, v] : r.items())
      if (v.is_primitive())
        add_column(k);
  }
  std::vector<std::pair<std::string, std::string>> constants;
  if (top)
    for (const auto& [k, v] : top->items())
      if ((v.is_number() || v.is_string()) && !known.count(k)) {
        constants.push_back({k, cell_text(v)});
        add_column(k);
      }
  out.table.set_columns(columns);
  for (std::size_t i = 0; i < records.size(); ++i) {
    const json& r = records[i];
    const std::string where = array_path + "[" + std::to_string(i) + "]";
    if (!flag_key.empty() && r.contains(flag_key)) {
      if (!r[flag_key].is_boolean())
        throw InputError(source + ": " + where + "." + flag_key + ": expected true or false, got " +
                         r[flag_key].dump());
      if (!r[flag_key].get<bool>()) {
        ++out.skipped;
        continue;
      }
    }
    std::vector<std::string> cells;
    for (const auto& c : columns) {
      auto it = r.find(c);
      if (it != r.end()) {
        cells.push_back(cell_text(*it));
      } else {
        std::string value;
        for (const auto& [k, v] : constants)
          if (k == c)
            value = v;
        cells.push_back(value);
      }
    }
    out.table.add_row(cells, 0, where);
  }
  return out;
}

LoadedTable load_json_table(const std::string& path, const std::string& text) {
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::parse_error& e) {
    throw InputError(path + ": not valid JSON: " + e.what());
  }
  if (doc.is_object() && doc.contains("tracers") && doc["tracers"].is_array()) {
    LoadedTable t = table_from_records(path, doc["tracers"], "tracers", &doc, "event_found");
    t.shape = "metadynamics summary";
    return t;
  }
  if (doc.is_object() && doc.contains("events") && doc["events"].is_array()) {
    LoadedTable t = table_from_records(path, doc["events"], "events", &doc, "success");
    t.shape = "ART events";
    return t;
  }
  if (doc.is_array()) {
    LoadedTable t = table_from_records(path, doc, "", nullptr, "");
    t.shape = "json records";
    return t;
  }
  if (doc.is_object() && doc.contains("columns") && doc.contains("rows")) {
    LoadedTable out{ga::Table(path), 0, "json table"};
    if (!doc["columns"].is_array() || !doc["rows"].is_array())
      throw InputError(path + ": 'columns' and 'rows' must be arrays");
    std::vector<std::string> cols;
    for (const auto& c : doc["columns"]) {
      if (!c.is_string())
        throw InputError(path + ": columns: expected names (strings)");
      cols.push_back(c.get<std::string>());
    }
    out.table.set_columns(cols);
    for (std::size_t i = 0; i < doc["rows"].size(); ++i) {
      const json& r = doc["rows"][i];
      const std::string where = "rows[" + std::to_string(i) + "]";
      if (!r.is_array())
        throw InputError(path + ": " + where + ": expected an array of cells");
      std::vector<std::string> cells;
      for (const auto& v : r)
        cells.push_back(cell_text(v));
      out.table.add_row(cells, 0, where);
    }
    return out;
  }
  if (doc.is_object()) {
    // Columns as arrays of equal length: {"temperature_K": [...], "barrier_eV": [...]}.
    LoadedTable out{ga::Table(path), 0, "json columns"};
    std::vector<std::string> cols;
    std::size_t n = 0;
    bool any = false;
    for (const auto& [k, v] : doc.items()) {
      if (!v.is_array())
        continue;
      if (any && v.size() != n)
        throw InputError(path + ": column '" + k + "' has " + std::to_string(v.size()) +
                         " values, the first column has " + std::to_string(n));
      n = v.size();
      any = true;
      cols.push_back(k);
    }
    if (!any)
      throw InputError(path +
                       ": no table found: expected CSV, {\"columns\":[...],\"rows\":[[...]]}, an "
                       "array of records, columns as arrays, a metadynamics summary with "
                       "\"tracers\" or ART results with \"events\"");
    out.table.set_columns(cols);
    for (std::size_t i = 0; i < n; ++i) {
      std::vector<std::string> cells;
      for (const auto& c : cols)
        cells.push_back(cell_text(doc[c][i]));
      out.table.add_row(cells, 0, "[" + std::to_string(i) + "]");
    }
    return out;
  }
  throw InputError(path + ": expected a JSON object or array at the top level");
}

LoadedTable load_table(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw InputError(path + ": cannot open the file");
  std::ostringstream ss;
  ss << in.rdbuf();
  const std::string text = ss.str();
  const auto first = text.find_first_not_of(" \t\r\n");
  const bool json_like = first != std::string::npos && (text[first] == '{' || text[first] == '[');
  const bool json_name = path.size() >= 5 && path.compare(path.size() - 5, 5, ".json") == 0;
  if (json_like || json_name)
    return load_json_table(path, text);
  return {ga::parse_csv(text, path), 0, "csv"};
}

// ---------------------------------------------------------------------------------------------
// Output and error handling

// A number as a person writes it in a message: 300, 0.5, 1e-14.
std::string fmt(double v) {
  std::ostringstream s;
  s << v;
  return s.str();
}

json value_error(double value, double error) {
  return {{"value", value}, {"error", error}};
}

void emit(const json& doc, const std::string& output) {
  const std::string text = doc.dump(2) + "\n";
  if (output.empty() || output == "-") {
    std::cout << text;
    return;
  }
  write_file_atomically(output, text);
}

// Runs a sub-command body, turning library errors into one-line InputErrors.
template <class F>
void guarded(const std::string& command, F&& body) {
  try {
    body();
  } catch (const ga::TableError& e) {
    throw InputError(e.what());
  } catch (const std::invalid_argument& e) {
    throw InputError("analyze " + command + ": " + e.what());
  }
}

json sample_summary(const std::vector<double>& x) {
  return {{"n", x.size()},
          {"mean_eV", ga::sample_mean(x)},
          {"std_eV", ga::sample_standard_deviation(x)},
          {"min_eV", *std::min_element(x.begin(), x.end())},
          {"max_eV", *std::max_element(x.begin(), x.end())},
          {"median_eV", ga::sample_median(x)}};
}

json effective_json(const ga::EffectiveBarriers& e) {
  return {
      {"parallel_eV", e.parallel_eV}, {"sequential_eV", e.sequential_eV}, {"mixed_eV", e.mixed_eV}};
}

// Groups of rows by the value of a numeric column (sorted by value).
struct Group {
  double key = 0.0;
  std::vector<std::size_t> rows;
};
std::vector<Group> group_by(const ga::Table& t, const std::string& column) {
  std::map<double, std::vector<std::size_t>> m;
  for (std::size_t r = 0; r < t.rows(); ++r)
    m[t.number(r, column)].push_back(r);
  std::vector<Group> g;
  for (auto& [k, rows] : m)
    g.push_back({k, rows});
  return g;
}

// ---------------------------------------------------------------------------------------------
// analyze barriers

struct BarriersOptions {
  std::vector<std::string> files;
  std::string column = "barrier_eV";
  std::string temperature_column = "temperature_K";
  double temperature = kNaN;
  double bin_width = 0.05;
  double bin_origin = kNaN;
  std::vector<std::string> fits{"normal", "lognormal", "two_mode"};
  bool fits_given = false;
  std::size_t bootstrap = 1000;
  std::uint64_t seed = 20180101;
  double confidence = 0.95;
  std::string output;
};

json fit_json(const ga::DistributionFit& f, double T, const std::vector<double>& x,
              double bin_width, double bin_origin) {
  json params = json::object();
  for (const auto& p : f.parameters)
    params[p.name] = value_error(p.value, p.error);
  json cov = json::array();
  for (const auto& row : f.covariance)
    cov.push_back(row);
  json j = {{"model", f.model},
            {"method", "maximum likelihood"},
            {"parameters", params},
            {"covariance", cov},
            {"n", f.n},
            {"log_likelihood", f.log_likelihood},
            {"aic", f.aic},
            {"bic", f.bic},
            {"ks_statistic", f.ks_statistic},
            {"ks_p_value", f.ks_p_value},
            {"converged", f.converged}};
  if (!f.note.empty())
    j["note"] = f.note;
  const ga::BinnedChiSquare c =
      ga::binned_chi_square(x, *f.distribution, bin_width, bin_origin, f.parameters.size());
  j["chi2_histogram"] = {{"chi2", c.chi2},
                         {"dof", c.dof},
                         {"bins", c.bins},
                         {"p_value", c.p_value},
                         {"bin_width_eV", bin_width}};
  const ga::EffectiveBarriers e = ga::effective_barriers(*f.distribution, T);
  j["effective_barriers"] = effective_json(e);
  if (std::isinf(e.sequential_eV))
    j["effective_barriers"]["note"] =
        "sequential integral diverges for this fitted form at this temperature (upper tail "
        "decays no faster than exp(-x/kT)); sequential and mixed are null";
  return j;
}

// Why a default fit cannot be made on this sample ("" if it can).
std::string fit_precondition(const std::string& model, const std::vector<double>& x) {
  const bool spread = *std::max_element(x.begin(), x.end()) > *std::min_element(x.begin(), x.end());
  if (x.size() < ga::kMinNormalFit || !spread)
    return "needs at least 2 distinct values";
  if (model == "lognormal" && *std::min_element(x.begin(), x.end()) <= 0.0)
    return "needs all values > 0";
  if (model == "two_mode" && x.size() < ga::kMinTwoModeFit)
    return "needs at least 5 values";
  if (model == "two_mode" && *std::min_element(x.begin(), x.end()) < 0.0)
    return "needs all values >= 0";
  return "";
}

json analyze_sample(const std::vector<double>& x, double T, const BarriersOptions& o) {
  json r;
  r["temperature_K"] = T;
  r["kT_eV"] = ga::kBoltzmann_eV_per_K * T;
  r["sample"] = sample_summary(x);
  const ga::EffectiveBarriers e = ga::effective_barriers(x, T);
  r["effective_barriers"] = effective_json(e);
  if (o.bootstrap >= 2 && x.size() >= 2) {
    json b = {{"resamples", o.bootstrap}, {"seed", o.seed}, {"confidence", o.confidence}};
    const char* names[3] = {"parallel_eV", "sequential_eV", "mixed_eV"};
    for (int k = 0; k < 3; ++k) {
      const ga::BootstrapResult br = ga::bootstrap(
          x,
          [T, k](const std::vector<double>& s) {
            const ga::EffectiveBarriers v = ga::effective_barriers(s, T);
            return k == 0 ? v.parallel_eV : k == 1 ? v.sequential_eV : v.mixed_eV;
          },
          o.bootstrap, o.confidence, o.seed);
      b[names[k]] = {
          {"standard_error", br.standard_error}, {"lower", br.lower}, {"upper", br.upper}};
    }
    const ga::BootstrapResult bm = ga::bootstrap(
        x,
        [](const std::vector<double>& s) {
          return std::accumulate(s.begin(), s.end(), 0.0) / s.size();
        },
        o.bootstrap, o.confidence, o.seed);
    b["mean_eV"] = {
        {"standard_error", bm.standard_error}, {"lower", bm.lower}, {"upper", bm.upper}};
    r["effective_barriers"]["bootstrap"] = b;
  }
  const ga::Histogram h = ga::make_histogram(x, o.bin_width, o.bin_origin);
  const ga::ShannonEntropy s = ga::shannon_entropy(h);
  r["shannon"] = {{"bin_width_eV", h.bin_width}, {"origin_eV", h.origin},
                  {"bins", h.counts.size()},     {"occupied_bins", s.categories},
                  {"entropy", s.entropy},        {"diversity", s.diversity},
                  {"counts", h.counts}};
  json fits = json::array();
  for (const std::string& model : o.fits) {
    if (model == "none")
      continue;
    const std::string why = fit_precondition(model, x);
    if (!why.empty()) {
      if (o.fits_given)
        throw std::invalid_argument("the " + model + " fit " + why + ", the sample has " +
                                    std::to_string(x.size()));
      fits.push_back({{"model", model}, {"skipped", why}});
      continue;
    }
    const ga::DistributionFit f = model == "normal"      ? ga::fit_normal(x)
                                  : model == "lognormal" ? ga::fit_lognormal(x)
                                                         : ga::fit_two_mode(x);
    fits.push_back(fit_json(f, T, x, o.bin_width, o.bin_origin));
  }
  r["fits"] = fits;
  return r;
}

void run_barriers(const BarriersOptions& o) {
  json results = json::array();
  for (const std::string& file : o.files) {
    const LoadedTable lt = load_table(file);
    const ga::Table& t = lt.table;
    t.require_rows(1, "a barrier analysis");
    const std::vector<double> all = t.numbers(o.column);
    std::vector<std::pair<double, std::vector<double>>> samples;
    if (!std::isnan(o.temperature)) {
      samples.push_back({o.temperature, all});
    } else if (t.has_column(o.temperature_column)) {
      for (const Group& g : group_by(t, o.temperature_column)) {
        if (!(g.key > 0.0))
          throw t.error_at(g.rows.front(), o.temperature_column, "temperature must be positive");
        std::vector<double> x;
        for (std::size_t r : g.rows)
          x.push_back(all[r]);
        samples.push_back({g.key, x});
      }
    } else {
      throw InputError(file + ": no temperature: give --temperature, or a '" +
                       o.temperature_column +
                       "' column (a metadynamics summary.json has it at the top level)");
    }
    for (auto& [T, x] : samples) {
      json r = analyze_sample(x, T, o);
      r["source"] = file;
      r["input_shape"] = lt.shape;
      r["column"] = o.column;
      if (lt.skipped)
        r["skipped_records"] = lt.skipped;
      results.push_back(r);
    }
  }
  emit({{"command", "analyze barriers"},
        {"k_B_eV_per_K", ga::kBoltzmann_eV_per_K},
        {"results", results}},
       o.output);
}

// ---------------------------------------------------------------------------------------------
// analyze activation

struct ActivationOptions {
  std::vector<std::string> files;
  std::string variable = "temperature";
  std::string condition_column;  // default temperature_K or pressure_GPa
  std::string column = "barrier_eV";
  std::string error_column;
  std::string temperature_column = "temperature_K";
  double temperature = kNaN;
  double atomic_volume = 0.0;
  std::string weighting = "none";
  std::size_t bootstrap = 1000;
  std::uint64_t seed = 20180101;
  std::string output;
};

void run_activation(const ActivationOptions& o) {
  const bool by_T = o.variable == "temperature";
  const std::string ccol =
      !o.condition_column.empty() ? o.condition_column : (by_T ? "temperature_K" : "pressure_GPa");
  struct Pooled {
    double temperature = kNaN;
    std::vector<double> barriers, errors;
    std::set<std::string> sources;
    std::string first_source;
    std::size_t first_row = 0;
  };
  std::map<double, Pooled> pooled;
  std::string last_file;
  std::size_t total_rows = 0, skipped = 0;
  for (const std::string& file : o.files) {
    const LoadedTable lt = load_table(file);
    const ga::Table& t = lt.table;
    skipped += lt.skipped;
    last_file = file;
    const std::vector<double> g = t.numbers(o.column);
    const std::vector<double> c = t.numbers(ccol);
    std::vector<double> err;
    if (!o.error_column.empty())
      err = t.numbers(o.error_column);
    std::vector<double> temps;
    if (!by_T) {
      if (t.has_column(o.temperature_column))
        temps = t.numbers(o.temperature_column);
      else if (!std::isnan(o.temperature))
        temps.assign(t.rows(), o.temperature);
      else
        throw InputError(file +
                         ": an activation volume needs the temperature of the runs: give "
                         "--temperature or a '" +
                         o.temperature_column + "' column");
    }
    for (std::size_t r = 0; r < t.rows(); ++r) {
      const double T = by_T ? c[r] : temps[r];
      if (!(T > 0.0))
        throw t.error_at(r, by_T ? ccol : o.temperature_column, "temperature must be positive");
      if (!err.empty() && !(err[r] > 0.0))
        throw t.error_at(r, o.error_column, "standard error must be positive");
      Pooled& p = pooled[c[r]];
      if (p.barriers.empty()) {
        p.temperature = T;
        p.first_source = file;
        p.first_row = r;
      } else if (!by_T && T != p.temperature) {
        throw t.error_at(r, o.temperature_column,
                         "pressure " + fmt(c[r]) +
                             " GPa appears at two temperatures; "
                             "an activation volume is ∂ΔG/∂P at one temperature");
      }
      p.barriers.push_back(g[r]);
      if (!err.empty())
        p.errors.push_back(err[r]);
      p.sources.insert(file);
      ++total_rows;
    }
  }
  if (!o.error_column.empty())
    for (const auto& [c, p] : pooled)
      if (p.barriers.size() != 1)
        throw InputError(p.first_source + ": column '" + ccol + "': " +
                         std::to_string(p.barriers.size()) + " rows at " + ccol + " = " + fmt(c) +
                         "; with --error-column each condition is one "
                         "effective barrier with its standard error (one row per condition)");
  const bool weighted = o.weighting == "bootstrap" || !o.error_column.empty();
  const std::size_t needed = weighted ? 2 : 3;
  if (pooled.size() < needed) {
    std::string values;
    for (const auto& [c, p] : pooled)
      values += (values.empty() ? "" : ", ") + fmt(c);
    const std::string where = pooled.empty() ? last_file : pooled.begin()->second.first_source;
    throw InputError(where + ": column '" + ccol + "': " + std::to_string(pooled.size()) +
                     " distinct value(s) (" + values + ") in " + std::to_string(total_rows) +
                     " rows; a linear fit of ΔG against " + (by_T ? "T" : "P") +
                     " with a standard error needs at least " + std::to_string(needed) +
                     (weighted ? "" : " (2 with --weighting bootstrap)"));
  }
  std::vector<ga::ConditionBarriers> runs;
  for (const auto& [c, p] : pooled)
    runs.push_back({c, p.temperature, p.barriers});
  std::vector<ga::ConditionSummary> summary = ga::summarize_conditions(runs, o.bootstrap, o.seed);
  if (!o.error_column.empty()) {
    std::size_t i = 0;
    for (const auto& [c, p] : pooled) {
      for (int k = 0; k < 4; ++k)
        summary[i].standard_error[k] = p.errors[0];
      ++i;
    }
  }
  const ga::Weighting w = weighted ? ga::Weighting::bootstrap : ga::Weighting::none;
  json conditions = json::array();
  std::size_t i = 0;
  for (const auto& [c, p] : pooled) {
    const auto& s = summary[i++];
    json cj = {{ccol, c},
               {"temperature_K", p.temperature},
               {"n", s.n},
               {"sources", std::vector<std::string>(p.sources.begin(), p.sources.end())}};
    for (ga::BarrierKind k : ga::kAllBarrierKinds)
      cj[ga::to_string(k) + "_eV"] = {{"value", s.get(k)}, {"standard_error", s.se(k)}};
    conditions.push_back(cj);
  }
  json fits = json::object();
  for (ga::BarrierKind k : ga::kAllBarrierKinds) {
    json f;
    ga::LinearFit line;
    if (by_T) {
      const ga::ActivationEntropy a = ga::activation_entropy(summary, k, w);
      line = a.fit;
      f = {{"entropy_kB", value_error(a.entropy_kB, a.entropy_error_kB)},
           {"entropy_eV_per_K", value_error(a.entropy_eV_per_K, a.entropy_error_eV_per_K)},
           {"intercept_0K_eV", value_error(a.intercept_eV, a.intercept_error_eV)}};
    } else {
      const ga::ActivationVolume v = ga::activation_volume(summary, k, w, o.atomic_volume);
      line = v.fit;
      f = {{"volume_A3", value_error(v.volume_A3, v.volume_error_A3)},
           {"volume_eV_per_GPa", value_error(v.volume_eV_per_GPa, v.volume_error_eV_per_GPa)},
           {"intercept_0GPa_eV", value_error(v.intercept_eV, v.intercept_error_eV)}};
      if (o.atomic_volume > 0.0)
        f["volume_atomic"] = value_error(v.volume_atomic, v.volume_error_atomic);
    }
    f["slope"] = value_error(line.slope, line.slope_error);
    f["covariance_slope_intercept"] = line.covariance;
    f["chi2"] = line.chi2;
    f["dof"] = line.dof;
    f["r_squared"] = line.r_squared;
    fits[ga::to_string(k)] = f;
  }
  json doc = {
      {"command", "analyze activation"},
      {"variable", o.variable},
      {"condition_column", ccol},
      {"barrier_column", o.column},
      {"weighting", !o.error_column.empty() ? "error column " + o.error_column : o.weighting},
      {"bootstrap", {{"resamples", o.bootstrap}, {"seed", o.seed}}},
      {"k_B_eV_per_K", ga::kBoltzmann_eV_per_K},
      {"conditions", conditions},
      {"fits", fits}};
  if (!by_T && o.atomic_volume > 0.0)
    doc["atomic_volume_A3"] = o.atomic_volume;
  if (skipped)
    doc["skipped_records"] = skipped;
  emit(doc, o.output);
}

// ---------------------------------------------------------------------------------------------
// analyze tst

struct TstOptions {
  std::string parameters;  // JSON file
  std::string table;       // barriers from a table column
  std::string column = "barrier_eV";
  std::vector<double> barriers;
  double temperature = kNaN;
  double a_eff = kNaN;
  double nu0 = 3.0e12;
  double g = 1.0 / 6.0;
  double f = 1.0;
  double entropy_kB = kNaN;
  std::vector<double> taus;
  double tau0 = 1e-14;
  std::string output;
  // Which options were given on the command line (they override the parameters file).
  std::set<std::string> given;
};

void run_tst(TstOptions o) {
  if (!o.parameters.empty()) {
    std::ifstream in(o.parameters);
    if (!in)
      throw InputError(o.parameters + ": cannot open the file");
    json p;
    try {
      p = json::parse(in);
    } catch (const json::parse_error& e) {
      throw InputError(o.parameters + ": not valid JSON: " + e.what());
    }
    if (!p.is_object())
      throw InputError(o.parameters + ": expected a JSON object");
    static const std::set<std::string> keys{
        "barriers_eV", "temperature_K",      "a_eff_A", "nu0_per_s", "g",     "f",
        "entropy_kB",  "observation_time_s", "tau0_s",  "comment",   "source"};
    for (const auto& [k, v] : p.items())
      if (!keys.count(k))
        throw InputError(o.parameters + ": unknown key '" + k +
                         "' (expected barriers_eV, temperature_K, a_eff_A, nu0_per_s, g, f, "
                         "entropy_kB, observation_time_s, tau0_s, comment, source)");
    auto number = [&](const char* key, const char* option, double& target) {
      if (!p.contains(key) || o.given.count(option))
        return;
      if (!p[key].is_number())
        throw InputError(o.parameters + ": " + key + ": expected a number, got " + p[key].dump());
      target = p[key].get<double>();
    };
    auto numbers = [&](const char* key, const char* option, std::vector<double>& target) {
      if (!p.contains(key) || o.given.count(option))
        return;
      const json& v = p[key];
      target.clear();
      if (v.is_number()) {
        target.push_back(v.get<double>());
        return;
      }
      if (!v.is_array())
        throw InputError(o.parameters + ": " + key + ": expected numbers");
      for (std::size_t i = 0; i < v.size(); ++i) {
        if (!v[i].is_number())
          throw InputError(o.parameters + ": " + key + "[" + std::to_string(i) +
                           "]: expected a number, got " + v[i].dump());
        target.push_back(v[i].get<double>());
      }
    };
    numbers("barriers_eV", "--barrier", o.barriers);
    number("temperature_K", "--temperature", o.temperature);
    number("a_eff_A", "--a-eff", o.a_eff);
    number("nu0_per_s", "--nu0", o.nu0);
    number("g", "--g", o.g);
    number("f", "--f", o.f);
    number("entropy_kB", "--entropy-kB", o.entropy_kB);
    numbers("observation_time_s", "--tau", o.taus);
    number("tau0_s", "--tau0", o.tau0);
  }
  if (!o.table.empty()) {
    const LoadedTable lt = load_table(o.table);
    lt.table.require_rows(1, "analyze tst");
    const auto b = lt.table.numbers(o.column);
    o.barriers.insert(o.barriers.end(), b.begin(), b.end());
    if (std::isnan(o.temperature) && lt.table.has_column("temperature_K")) {
      const auto T = lt.table.numbers("temperature_K");
      for (std::size_t r = 1; r < T.size(); ++r)
        if (T[r] != T[0])
          throw lt.table.error_at(r, "temperature_K",
                                  "analyze tst takes one temperature; this row differs from row 1");
      o.temperature = T[0];
    }
  }
  const std::string src = o.parameters.empty() ? "analyze tst" : o.parameters;
  if (std::isnan(o.temperature))
    throw InputError(src + ": no temperature: give --temperature (or temperature_K)");
  if (o.barriers.empty() && o.taus.empty() && std::isnan(o.entropy_kB))
    throw InputError(src + ": nothing to compute: give --barrier, --table, --entropy-kB or --tau");
  const bool geometry = !std::isnan(o.a_eff);
  ga::DiffusionGeometry geo;
  geo.g = o.g;
  geo.f = o.f;
  geo.a_eff_A = o.a_eff;
  geo.nu0_per_s = o.nu0;
  const double kT = ga::kBoltzmann_eV_per_K * o.temperature;
  json doc = {{"command", "analyze tst"},
              {"temperature_K", o.temperature},
              {"kT_eV", kT},
              {"nu0_per_s", o.nu0},
              {"g", o.g},
              {"f", o.f}};
  if (geometry) {
    doc["a_eff_A"] = o.a_eff;
    doc["prefactor_gfa2nu0_m2_per_s"] = o.g * o.f * std::pow(o.a_eff * 1e-10, 2) * o.nu0;
  }
  json rows = json::array();
  std::vector<double> ds;
  for (double b : o.barriers) {
    json r = {{"barrier_eV", b},
              {"barrier_kT", b / kT},
              {"rate_per_s", ga::hop_rate(o.nu0, b, o.temperature)},
              {"hop_time_s", ga::hop_time(o.nu0, b, o.temperature)}};
    if (geometry) {
      const double d = ga::tst_diffusivity(geo, b, o.temperature);
      r["D_m2_per_s"] = d;
      ds.push_back(d);
    }
    rows.push_back(r);
  }
  doc["barriers"] = rows;
  if (!ds.empty())
    doc["D_range_m2_per_s"] = {*std::min_element(ds.begin(), ds.end()),
                               *std::max_element(ds.begin(), ds.end())};
  if (!std::isnan(o.entropy_kB)) {
    if (!geometry)
      throw InputError(src + ": D0 needs --a-eff (a_eff_A), the effective hop length in Å");
    doc["entropy_kB"] = o.entropy_kB;
    doc["D0_m2_per_s"] = ga::tst_prefactor(geo, o.entropy_kB);
  }
  json crit = json::array();
  for (double tau : o.taus) {
    const double q = ga::critical_barrier(tau, o.temperature, o.tau0);
    crit.push_back({{"observation_time_s", tau},
                    {"tau0_s", o.tau0},
                    {"barrier_eV", q},
                    {"barrier_kT", q / kT}});
  }
  if (!crit.empty())
    doc["critical_barriers"] = crit;
  emit(doc, o.output);
}

// ---------------------------------------------------------------------------------------------
// analyze fit

struct FitOptions {
  std::string file;
  std::string model = "linear";
  std::string x, y, sigma;
  std::string output;
};

void run_fit(const FitOptions& o) {
  const LoadedTable lt = load_table(o.file);
  const ga::Table& t = lt.table;
  const std::size_t need = o.model == "kink" ? 5 : o.model == "vft" ? 4 : 3;
  const std::vector<double> x = t.numbers(o.x), y = t.numbers(o.y);
  std::vector<double> s;
  if (!o.sigma.empty())
    s = t.numbers(o.sigma);
  t.require_rows(o.sigma.empty() || o.model != "linear" ? need : 2,
                 "a " + o.model + " fit of '" + o.y + "' against '" + o.x + "'");
  for (std::size_t r = 0; r < t.rows(); ++r) {
    if ((o.model == "arrhenius" || o.model == "vft") && !(y[r] > 0.0))
      throw t.error_at(r, o.y, "an " + o.model + " fit needs positive values");
    if ((o.model == "arrhenius") && !(x[r] > 0.0))
      throw t.error_at(r, o.x, "temperatures must be positive");
    if (!s.empty() && !(s[r] > 0.0))
      throw t.error_at(r, o.sigma, "errors must be positive");
  }
  json doc = {{"command", "analyze fit"}, {"source", o.file}, {"model", o.model},
              {"x_column", o.x},          {"y_column", o.y},  {"n", t.rows()}};
  if (!o.sigma.empty())
    doc["sigma_column"] = o.sigma;
  json p;
  if (o.model == "linear") {
    const ga::LinearFit f = ga::linear_fit(x, y, s);
    p = {{"slope", value_error(f.slope, f.slope_error)},
         {"intercept", value_error(f.intercept, f.intercept_error)},
         {"covariance_slope_intercept", f.covariance}};
    doc["chi2"] = f.chi2;
    doc["dof"] = f.dof;
    doc["r_squared"] = f.r_squared;
  } else if (o.model == "arrhenius") {
    const ga::ArrheniusFit f = ga::arrhenius_fit(x, y, s);
    p = {{"Q_eV", value_error(f.Q_eV, f.Q_error_eV)},
         {"prefactor", value_error(f.prefactor, f.prefactor_error)},
         {"ln_prefactor", value_error(f.ln_prefactor, f.ln_prefactor_error)},
         {"covariance_Q_ln_prefactor", f.covariance_Q_ln_prefactor}};
    doc["chi2"] = f.line.chi2;
    doc["dof"] = f.line.dof;
    doc["r_squared"] = f.line.r_squared;
  } else if (o.model == "vft") {
    const ga::VftFit f = ga::vft_fit(x, y, s);
    p = {{"y0", value_error(f.y0, f.y0_error)},
         {"ln_y0", value_error(f.ln_y0, f.ln_y0_error)},
         {"B_K", value_error(f.B_K, f.B_error_K)},
         {"T0_K", value_error(f.T0_K, f.T0_error_K)},
         {"covariance_ln_y0_B_T0", f.covariance}};
    doc["chi2"] = f.chi2;
    doc["dof"] = f.dof;
  } else {
    const ga::KinkFit f = ga::kink_fit(x, y, s);
    p = {{"kink_x", value_error(f.kink_x, f.kink_x_error)},
         {"kink_y", value_error(f.kink_y, f.kink_y_error)},
         {"slope_below", value_error(f.slope_below, f.slope_below_error)},
         {"slope_above", value_error(f.slope_above, f.slope_above_error)},
         {"covariance_a_b1_b2_xk", f.covariance}};
    doc["chi2"] = f.chi2;
    doc["dof"] = f.dof;
  }
  doc["parameters"] = p;
  emit(doc, o.output);
}

// ---------------------------------------------------------------------------------------------
// analyze entropy

struct EntropyOptions {
  std::string file;
  std::string column;
  std::string weight_column;
  bool categorical = false;
  double bin_width = kNaN;
  double bin_origin = kNaN;
  std::string output;
};

void run_entropy(const EntropyOptions& o) {
  const LoadedTable lt = load_table(o.file);
  const ga::Table& t = lt.table;
  t.require_rows(1, "a Shannon entropy");
  json doc = {{"command", "analyze entropy"}, {"source", o.file}, {"column", o.column}};
  ga::ShannonEntropy s;
  if (o.categorical) {
    const auto labels = t.strings(o.column);
    std::map<std::string, double> w;
    std::vector<double> weights;
    if (!o.weight_column.empty())
      weights = t.numbers(o.weight_column);
    for (std::size_t r = 0; r < t.rows(); ++r) {
      if (!weights.empty() && weights[r] < 0.0)
        throw t.error_at(r, o.weight_column, "weights must be non-negative");
      w[labels[r]] += weights.empty() ? 1.0 : weights[r];
    }
    std::vector<double> v;
    json cats = json::object();
    for (const auto& [k, c] : w) {
      v.push_back(c);
      cats[k] = c;
    }
    s = ga::shannon_entropy(v);
    doc["mode"] = "categorical";
    doc["categories"] = cats;
    if (!o.weight_column.empty())
      doc["weight_column"] = o.weight_column;
  } else {
    if (std::isnan(o.bin_width))
      throw InputError("analyze entropy: give --bin-width for a numeric column, or --categorical");
    const ga::Histogram h = ga::make_histogram(t.numbers(o.column), o.bin_width, o.bin_origin);
    s = ga::shannon_entropy(h);
    doc["mode"] = "histogram";
    doc["bin_width"] = h.bin_width;
    doc["origin"] = h.origin;
    doc["bins"] = h.counts.size();
    doc["counts"] = h.counts;
  }
  doc["n"] = t.rows();
  doc["occupied"] = s.categories;
  doc["entropy"] = s.entropy;
  doc["diversity"] = s.diversity;
  emit(doc, o.output);
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Registration

void register_analyze_command(CLI::App& app) {
  CLI::App* analyze = app.add_subcommand(
      "analyze", "Barrier statistics, activation thermodynamics and TST kinetics from tables");
  analyze->require_subcommand(1);
  register_analyze_dynamics(*analyze);
  register_analyze_structure(*analyze);
  register_analyze_cage_jumps(*analyze);

  // barriers
  {
    auto o = std::make_shared<BarriersOptions>();
    CLI::App* c = analyze->add_subcommand(
        "barriers",
        "Effective (parallel/sequential/mixed) barriers, distribution fits and Shannon entropy "
        "of a barrier sample at a temperature");
    c->add_option("files", o->files, "CSV/JSON tables, metadynamics summary.json, ART events.json")
        ->required()
        ->check(CLI::ExistingFile);
    c->add_option("--column", o->column, "column (or JSON key) of the barriers, eV")
        ->capture_default_str();
    c->add_option("--temperature,-T", o->temperature,
                  "temperature in K (default: from the temperature column, one result per value)");
    c->add_option("--temperature-column", o->temperature_column,
                  "column with the temperature of each barrier")
        ->capture_default_str();
    c->add_option("--bin-width", o->bin_width, "histogram bin width for the Shannon entropy, eV")
        ->capture_default_str()
        ->check(CLI::PositiveNumber);
    c->add_option("--bin-origin", o->bin_origin,
                  "left edge of the first bin, eV (default: floor(min/width)*width)");
    auto* fit =
        c->add_option("--fit", o->fits,
                      "distributions to fit: normal lognormal two_mode, or none "
                      "(default: all that apply; named fits that cannot be made are errors)")
            ->check(CLI::IsMember({"normal", "lognormal", "two_mode", "none"}));
    c->add_option("--bootstrap", o->bootstrap, "bootstrap resamples for errors (0: none)")
        ->capture_default_str();
    c->add_option("--seed", o->seed, "bootstrap seed")->capture_default_str();
    c->add_option("--confidence", o->confidence, "confidence level of bootstrap intervals")
        ->capture_default_str()
        ->check(CLI::Range(0.5, 0.999));
    c->add_option("--output,-o", o->output, "JSON output file (default: stdout)");
    c->callback([o, fit]() {
      o->fits_given = fit->count() > 0;
      guarded("barriers", [&] { run_barriers(*o); });
    });
  }

  // activation
  {
    auto o = std::make_shared<ActivationOptions>();
    CLI::App* c = analyze->add_subcommand(
        "activation",
        "Activation entropy ΔS = -∂ΔG/∂T or volume V = ∂ΔG/∂P, with standard errors, from barriers "
        "at several temperatures or pressures");
    c->add_option("files", o->files,
                  "tables (condition and barrier columns, one row per barrier) or summary.json "
                  "files, pooled")
        ->required()
        ->check(CLI::ExistingFile);
    c->add_option("--variable", o->variable, "temperature (ΔS) or pressure (V)")
        ->capture_default_str()
        ->check(CLI::IsMember({"temperature", "pressure"}));
    c->add_option("--condition-column", o->condition_column,
                  "column of the condition (default temperature_K or pressure_GPa)");
    c->add_option("--column", o->column, "column of the barriers, eV")->capture_default_str();
    c->add_option(
        "--error-column", o->error_column,
        "column of standard errors: each row is then one effective barrier per condition");
    c->add_option("--temperature,-T", o->temperature,
                  "temperature in K of pressure runs without a temperature column");
    c->add_option("--temperature-column", o->temperature_column, "column of the run temperature")
        ->capture_default_str();
    c->add_option("--atomic-volume", o->atomic_volume,
                  "mean atomic volume Ω in Å^3 to report V/Ω (paper 000: 17.3)")
        ->check(CLI::PositiveNumber);
    c->add_option(
         "--weighting", o->weighting,
         "none: ordinary least squares; bootstrap: weights 1/SE² of each effective barrier")
        ->capture_default_str()
        ->check(CLI::IsMember({"none", "bootstrap"}));
    c->add_option("--bootstrap", o->bootstrap, "bootstrap resamples per condition")
        ->capture_default_str()
        ->check(CLI::Range(2, 1000000));
    c->add_option("--seed", o->seed, "bootstrap seed (condition i uses seed + i)")
        ->capture_default_str();
    c->add_option("--output,-o", o->output, "JSON output file (default: stdout)");
    c->callback([o]() { guarded("activation", [&] { run_activation(*o); }); });
  }

  // tst
  {
    auto o = std::make_shared<TstOptions>();
    CLI::App* c = analyze->add_subcommand(
        "tst", "TST rates, hop times, diffusivity D and prefactor D0, critical barriers");
    c->add_option("--parameters", o->parameters, "JSON file of parameters (options override it)")
        ->check(CLI::ExistingFile);
    c->add_option("--table", o->table, "table with a barrier column (and temperature_K)")
        ->check(CLI::ExistingFile);
    c->add_option("--column", o->column, "barrier column of --table")->capture_default_str();
    std::vector<std::pair<CLI::Option*, std::string>> opts;
    opts.push_back({c->add_option("--barrier", o->barriers, "barriers ΔG in eV"), "--barrier"});
    opts.push_back(
        {c->add_option("--temperature,-T", o->temperature, "temperature in K"), "--temperature"});
    opts.push_back({c->add_option("--a-eff", o->a_eff, "effective hop length a_eff in Å")
                        ->check(CLI::PositiveNumber),
                    "--a-eff"});
    opts.push_back({c->add_option("--nu0", o->nu0, "attempt frequency ν0 in 1/s")
                        ->capture_default_str()
                        ->check(CLI::PositiveNumber),
                    "--nu0"});
    opts.push_back(
        {c->add_option("--g", o->g, "geometric factor g")->capture_default_str(), "--g"});
    opts.push_back(
        {c->add_option("--f", o->f, "correlation factor f")->capture_default_str(), "--f"});
    opts.push_back(
        {c->add_option("--entropy-kB", o->entropy_kB, "activation entropy ΔS in k_B (for D0)"),
         "--entropy-kB"});
    opts.push_back(
        {c->add_option("--tau", o->taus,
                       "observation times τ in s for the critical barrier k_BT ln(τ/τ0)"),
         "--tau"});
    opts.push_back({c->add_option("--tau0", o->tau0, "τ0 in s")->capture_default_str(), "--tau0"});
    c->add_option("--output,-o", o->output, "JSON output file (default: stdout)");
    c->callback([o, opts]() {
      for (const auto& [opt, name] : opts)
        if (opt->count() > 0)
          o->given.insert(name);
      guarded("tst", [&] { run_tst(*o); });
    });
  }

  // fit
  {
    auto o = std::make_shared<FitOptions>();
    CLI::App* c = analyze->add_subcommand(
        "fit", "Linear, Arrhenius, VFT or kink (piecewise-linear, e.g. T_g) fit of two columns");
    c->add_option("file", o->file, "CSV/JSON table")->required()->check(CLI::ExistingFile);
    c->add_option("--model", o->model, "linear, arrhenius, vft or kink")
        ->capture_default_str()
        ->check(CLI::IsMember({"linear", "arrhenius", "vft", "kink"}));
    c->add_option("--x", o->x, "x column (temperature in K for arrhenius and vft)")->required();
    c->add_option("--y", o->y, "y column")->required();
    c->add_option("--sigma", o->sigma, "column of standard errors of y (absolute weights)");
    c->add_option("--output,-o", o->output, "JSON output file (default: stdout)");
    c->callback([o]() { guarded("fit", [&] { run_fit(*o); }); });
  }

  // entropy
  {
    auto o = std::make_shared<EntropyOptions>();
    CLI::App* c = analyze->add_subcommand(
        "entropy", "Shannon entropy and diversity of a numeric column (histogram) or of labels");
    c->add_option("file", o->file, "CSV/JSON table")->required()->check(CLI::ExistingFile);
    c->add_option("--column", o->column, "column to analyse")->required();
    c->add_flag("--categorical", o->categorical,
                "treat the column as labels (e.g. Voronoi indices), one per row");
    c->add_option("--weight-column", o->weight_column,
                  "with --categorical: counts or fractions per row instead of one per row");
    c->add_option("--bin-width", o->bin_width, "bin width for a numeric column")
        ->check(CLI::PositiveNumber);
    c->add_option("--bin-origin", o->bin_origin, "left edge of the first bin");
    c->add_option("--output,-o", o->output, "JSON output file (default: stdout)");
    c->callback([o]() { guarded("entropy", [&] { run_entropy(*o); }); });
  }
}

}  // namespace glassland
