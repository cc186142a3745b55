// `glassland analyze activation`: activation entropy ΔS = -∂ΔG/∂T or activation volume
// V = ∂ΔG/∂P, with standard errors, from barriers pooled by condition over several files
// (SPEC.md §6; docs/analyze.md).
#include <cmath>
#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <vector>

#include "analysis/activation_thermodynamics.hpp"
#include "analysis/constants.hpp"
#include "analysis/regression.hpp"
#include "host/cli/analyze/analyze_commands.hpp"
#include "host/cli/analyze/analyze_io.hpp"

namespace glassland::analyze_cli {

namespace {

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

  bool by_temperature() const { return variable == "temperature"; }
  std::string condition() const {
    return !condition_column.empty() ? condition_column
                                     : (by_temperature() ? "temperature_K" : "pressure_GPa");
  }
  bool weighted() const { return weighting == "bootstrap" || !error_column.empty(); }
};

// The barriers (and their errors, with --error-column) of one condition, over all files.
struct Pooled {
  double temperature = kNaN;
  std::vector<double> barriers, errors;
  std::set<std::string> sources;
  std::string first_source;
  std::size_t first_row = 0;
};

struct PooledConditions {
  std::map<double, Pooled> by_condition;  // sorted by the condition's value
  std::string last_file;
  std::size_t total_rows = 0;
  std::size_t skipped = 0;
};

// The temperature of each row of a pressure table: its column, or --temperature for all.
std::vector<double> run_temperatures(const std::string& file, const ga::Table& t,
                                     const ActivationOptions& o) {
  if (t.has_column(o.temperature_column))
    return t.numbers(o.temperature_column);
  if (!std::isnan(o.temperature))
    return std::vector<double>(t.rows(), o.temperature);
  throw InputError(file +
                   ": an activation volume needs the temperature of the runs: give "
                   "--temperature or a '" +
                   o.temperature_column + "' column");
}

void pool_file(const std::string& file, const ActivationOptions& o, PooledConditions& pooled) {
  const bool by_T = o.by_temperature();
  const std::string ccol = o.condition();
  const LoadedTable lt = load_table(file);
  const ga::Table& t = lt.table;
  pooled.skipped += lt.skipped;
  pooled.last_file = file;
  const std::vector<double> g = t.numbers(o.column);
  const std::vector<double> c = t.numbers(ccol);
  std::vector<double> err;
  if (!o.error_column.empty())
    err = t.numbers(o.error_column);
  std::vector<double> temps;
  if (!by_T)
    temps = run_temperatures(file, t, o);
  for (std::size_t r = 0; r < t.rows(); ++r) {
    const double T = by_T ? c[r] : temps[r];
    if (!(T > 0.0))
      throw t.error_at(r, by_T ? ccol : o.temperature_column, "temperature must be positive");
    if (!err.empty() && !(err[r] > 0.0))
      throw t.error_at(r, o.error_column, "standard error must be positive");
    Pooled& p = pooled.by_condition[c[r]];
    if (p.barriers.empty()) {
      p.temperature = T;
      p.first_source = file;
      p.first_row = r;
    } else if (!by_T && T != p.temperature) {
      throw t.error_at(r, o.temperature_column,
                       "pressure " + number_text(c[r]) +
                           " GPa appears at two temperatures; "
                           "an activation volume is ∂ΔG/∂P at one temperature");
    }
    p.barriers.push_back(g[r]);
    if (!err.empty())
      p.errors.push_back(err[r]);
    p.sources.insert(file);
    ++pooled.total_rows;
  }
}

// One row per condition with --error-column, and enough conditions for a line with an error.
void check_conditions(const PooledConditions& pooled, const ActivationOptions& o) {
  const std::string ccol = o.condition();
  if (!o.error_column.empty())
    for (const auto& [c, p] : pooled.by_condition)
      if (p.barriers.size() != 1)
        throw InputError(p.first_source + ": column '" + ccol +
                         "': " + std::to_string(p.barriers.size()) + " rows at " + ccol + " = " +
                         number_text(c) +
                         "; with --error-column each condition is one "
                         "effective barrier with its standard error (one row per condition)");
  const bool weighted = o.weighted();
  const std::size_t needed = weighted ? 2 : 3;
  if (pooled.by_condition.size() < needed) {
    std::string values;
    for (const auto& [c, p] : pooled.by_condition)
      values += (values.empty() ? "" : ", ") + number_text(c);
    const std::string where = pooled.by_condition.empty()
                                  ? pooled.last_file
                                  : pooled.by_condition.begin()->second.first_source;
    throw InputError(where + ": column '" + ccol +
                     "': " + std::to_string(pooled.by_condition.size()) + " distinct value(s) (" +
                     values + ") in " + std::to_string(pooled.total_rows) +
                     " rows; a linear fit of ΔG against " + (o.by_temperature() ? "T" : "P") +
                     " with a standard error needs at least " + std::to_string(needed) +
                     (weighted ? "" : " (2 with --weighting bootstrap)"));
  }
}

// Effective barriers per condition with bootstrap errors, or the given errors.
std::vector<ga::ConditionSummary> summarize(const PooledConditions& pooled,
                                            const ActivationOptions& o) {
  std::vector<ga::ConditionBarriers> runs;
  for (const auto& [c, p] : pooled.by_condition)
    runs.push_back({c, p.temperature, p.barriers});
  std::vector<ga::ConditionSummary> summary = ga::summarize_conditions(runs, o.bootstrap, o.seed);
  if (!o.error_column.empty()) {
    std::size_t i = 0;
    for (const auto& [c, p] : pooled.by_condition) {
      for (int k = 0; k < 4; ++k)
        summary[i].standard_error[k] = p.errors[0];
      ++i;
    }
  }
  return summary;
}

json conditions_json(const PooledConditions& pooled,
                     const std::vector<ga::ConditionSummary>& summary, const std::string& ccol) {
  json conditions = json::array();
  std::size_t i = 0;
  for (const auto& [c, p] : pooled.by_condition) {
    const auto& s = summary[i++];
    json cj = {{ccol, c},
               {"temperature_K", p.temperature},
               {"n", s.n},
               {"sources", std::vector<std::string>(p.sources.begin(), p.sources.end())}};
    for (ga::BarrierKind k : ga::kAllBarrierKinds)
      cj[ga::to_string(k) + "_eV"] = {{"value", s.get(k)}, {"standard_error", s.se(k)}};
    conditions.push_back(cj);
  }
  return conditions;
}

// ΔS (or V) of one kind of effective barrier, with the line it comes from.
json activation_fit_json(const std::vector<ga::ConditionSummary>& summary, ga::BarrierKind k,
                         const ActivationOptions& o) {
  const ga::Weighting w = o.weighted() ? ga::Weighting::bootstrap : ga::Weighting::none;
  json f;
  ga::LinearFit line;
  if (o.by_temperature()) {
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
  return f;
}

void run_activation(const ActivationOptions& o) {
  PooledConditions pooled;
  for (const std::string& file : o.files)
    pool_file(file, o, pooled);
  check_conditions(pooled, o);
  const std::vector<ga::ConditionSummary> summary = summarize(pooled, o);
  const json conditions = conditions_json(pooled, summary, o.condition());
  json fits = json::object();
  for (ga::BarrierKind k : ga::kAllBarrierKinds)
    fits[ga::to_string(k)] = activation_fit_json(summary, k, o);
  json doc = {
      {"command", "analyze activation"},
      {"variable", o.variable},
      {"condition_column", o.condition()},
      {"barrier_column", o.column},
      {"weighting", !o.error_column.empty() ? "error column " + o.error_column : o.weighting},
      {"bootstrap", {{"resamples", o.bootstrap}, {"seed", o.seed}}},
      {"k_B_eV_per_K", ga::kBoltzmann_eV_per_K},
      {"conditions", conditions},
      {"fits", fits}};
  if (!o.by_temperature() && o.atomic_volume > 0.0)
    doc["atomic_volume_A3"] = o.atomic_volume;
  if (pooled.skipped)
    doc["skipped_records"] = pooled.skipped;
  emit(doc, o.output);
}

}  // namespace

void register_analyze_activation(CLI::App& analyze) {
  auto o = std::make_shared<ActivationOptions>();
  CLI::App* c = analyze.add_subcommand(
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
  c->add_option("--error-column", o->error_column,
                "column of standard errors: each row is then one effective barrier per condition");
  c->add_option("--temperature,-T", o->temperature,
                "temperature in K of pressure runs without a temperature column");
  c->add_option("--temperature-column", o->temperature_column, "column of the run temperature")
      ->capture_default_str();
  c->add_option("--atomic-volume", o->atomic_volume,
                "mean atomic volume Ω in Å^3 to report V/Ω (paper 000: 17.3)")
      ->check(CLI::PositiveNumber);
  c->add_option("--weighting", o->weighting,
                "none: ordinary least squares; bootstrap: weights 1/SE² of each effective barrier")
      ->capture_default_str()
      ->check(CLI::IsMember({"none", "bootstrap"}));
  c->add_option("--bootstrap", o->bootstrap, "bootstrap resamples per condition")
      ->capture_default_str()
      ->check(CLI::Range(2, 1000000));
  c->add_option("--seed", o->seed, "bootstrap seed (condition i uses seed + i)")
      ->capture_default_str();
  add_output_option(*c, o->output);
  c->callback([o]() { guarded("activation", [&] { run_activation(*o); }); });
}

}  // namespace glassland::analyze_cli
