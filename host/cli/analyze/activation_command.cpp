// `glassland analyze activation`: activation entropy ΔS = -∂ΔG/∂T or activation volume
// V = ∂ΔG/∂P, with standard errors, from barriers pooled by condition over several files
// (SPEC.md §6; docs/analyze.md).
#include <cmath>
#include <cstdint>
#include <memory>
#include <vector>

#include "analysis/constants.hpp"
#include "host/cli/analyze/analyze_commands.hpp"
#include "host/cli/analyze/analyze_io.hpp"
#include "host/tasks/activation_report.hpp"

namespace glassland::analyze_cli {

namespace {

struct ActivationOptions {
  std::vector<std::string> files;
  ActivationSettings settings;  // variable, condition column, weighting, bootstrap, Ω
  std::string column = "barrier_eV";
  std::string temperature_column = "temperature_K";
  double temperature = kNaN;
  std::string output;

  bool by_temperature() const { return settings.by_temperature(); }
  std::string condition() const { return settings.condition(); }
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
  const std::string& error_column = o.settings.error_column;
  std::vector<double> err;
  if (!error_column.empty())
    err = t.numbers(error_column);
  std::vector<double> temps;
  if (!by_T)
    temps = run_temperatures(file, t, o);
  for (std::size_t r = 0; r < t.rows(); ++r) {
    const double T = by_T ? c[r] : temps[r];
    if (!(T > 0.0))
      throw t.error_at(r, by_T ? ccol : o.temperature_column, "temperature must be positive");
    if (!err.empty() && !(err[r] > 0.0))
      throw t.error_at(r, error_column, "standard error must be positive");
    PooledBarriers& p = pooled.by_condition[c[r]];
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

void run_activation(const ActivationOptions& o) {
  const ActivationSettings& s = o.settings;
  PooledConditions pooled;
  for (const std::string& file : o.files)
    pool_file(file, o, pooled);
  check_activation_conditions(pooled, s);
  json doc = activation_conditions_and_fits(pooled, s);
  doc["command"] = "analyze activation";
  doc["variable"] = s.variable;
  doc["condition_column"] = s.condition();
  doc["barrier_column"] = o.column;
  doc["weighting"] = !s.error_column.empty() ? "error column " + s.error_column : s.weighting;
  doc["bootstrap"] = {{"resamples", s.bootstrap}, {"seed", s.seed}};
  doc["k_B_eV_per_K"] = ga::kBoltzmann_eV_per_K;
  if (!s.by_temperature() && s.atomic_volume > 0.0)
    doc["atomic_volume_A3"] = s.atomic_volume;
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
      ->check(CLI::ExistingPath);
  c->add_option("--variable", o->settings.variable, "temperature (ΔS) or pressure (V)")
      ->capture_default_str()
      ->check(CLI::IsMember({"temperature", "pressure"}));
  c->add_option("--condition-column", o->settings.condition_column,
                "column of the condition (default temperature_K or pressure_GPa)");
  c->add_option("--column", o->column, "column of the barriers, eV")->capture_default_str();
  c->add_option("--error-column", o->settings.error_column,
                "column of standard errors: each row is then one effective barrier per condition");
  c->add_option("--temperature,-T", o->temperature,
                "temperature in K of pressure runs without a temperature column");
  c->add_option("--temperature-column", o->temperature_column, "column of the run temperature")
      ->capture_default_str();
  c->add_option("--atomic-volume", o->settings.atomic_volume,
                "mean atomic volume Ω in Å^3 to report V/Ω (paper 000: 17.3)")
      ->check(CLI::PositiveNumber);
  c->add_option("--weighting", o->settings.weighting,
                "none: ordinary least squares; bootstrap: weights 1/SE² of each effective barrier")
      ->capture_default_str()
      ->check(CLI::IsMember({"none", "bootstrap"}));
  c->add_option("--bootstrap", o->settings.bootstrap, "bootstrap resamples per condition")
      ->capture_default_str()
      ->check(CLI::Range(2, 1000000));
  c->add_option("--seed", o->settings.seed, "bootstrap seed (condition i uses seed + i)")
      ->capture_default_str();
  add_output_option(*c, o->output);
  c->callback([o]() { guarded("activation", [&] { run_activation(*o); }); });
}

}  // namespace glassland::analyze_cli
