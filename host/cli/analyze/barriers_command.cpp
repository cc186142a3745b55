// `glassland analyze barriers`: effective (parallel/sequential/mixed) barriers with bootstrap
// errors, distribution fits and the Shannon entropy of a barrier sample at a temperature
// (SPEC.md §6; docs/analyze.md).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <memory>
#include <numeric>
#include <stdexcept>
#include <utility>
#include <vector>

#include "analysis/bootstrap.hpp"
#include "analysis/constants.hpp"
#include "analysis/distribution_fits.hpp"
#include "analysis/effective_barriers.hpp"
#include "analysis/sample_statistics.hpp"
#include "analysis/shannon_entropy.hpp"
#include "host/cli/analyze/analyze_commands.hpp"
#include "host/cli/analyze/analyze_io.hpp"

namespace glassland::analyze_cli {

namespace {

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

json sample_summary(const std::vector<double>& x) {
  json summary = {{"n", x.size()},
                  {"mean_eV", ga::sample_mean(x)},
                  {"std_eV", ga::sample_standard_deviation(x)},
                  {"min_eV", *std::min_element(x.begin(), x.end())},
                  {"max_eV", *std::max_element(x.begin(), x.end())},
                  {"median_eV", ga::sample_median(x)}};
  if (x.size() < 2)  // a null says why (issue 16: no number that is not what it claims)
    summary["std_eV_undefined"] = "one value: a sample standard deviation needs two";
  return summary;
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

json fit_json(const ga::DistributionFit& f, double T, const std::vector<double>& x,
              double bin_width, double bin_origin) {
  json params = json::object();
  for (const auto& p : f.parameters) {
    params[p.name] = value_error(p.value, p.error);  // NaN → null
    if (!p.undefined.empty())
      params[p.name]["undefined"] = p.undefined;
    else if (!std::isfinite(p.error))  // a value without an error (W on its boundary)
      params[p.name]["error_undefined"] =
          f.note.empty() ? "the fit's covariance gives no error for this parameter" : f.note;
  }
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
  if (!std::isfinite(c.p_value))
    j["chi2_histogram"]["p_value_undefined"] =
        c.dof <= 0 ? "no degrees of freedom: the occupied bins are not more than the fitted "
                     "parameters plus one (a smaller --bin-width or more barriers)"
                   : "the χ² statistic is not finite";
  ga::EffectiveBarriers e;
  try {
    e = ga::effective_barriers(*f.distribution, T);
  } catch (const std::invalid_argument& why) {
    j["effective_barriers"] = {{"parallel_eV", nullptr},
                               {"sequential_eV", nullptr},
                               {"mixed_eV", nullptr},
                               {"note", why.what()}};
    return j;
  }
  j["effective_barriers"] = effective_json(e);
  j["effective_barriers"]["domain"] =
      f.distribution->support_lower() < 0.0
          ? "barriers >= 0: the fitted density restricted to them and renormalised"
          : "barriers >= 0 (the fitted density's support)";
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

// Bootstrap standard errors and intervals of the three effective barriers and of the mean.
json effective_barrier_bootstrap(const std::vector<double>& x, double T, const BarriersOptions& o) {
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
    b[names[k]] = {{"standard_error", br.standard_error}, {"lower", br.lower}, {"upper", br.upper}};
  }
  const ga::BootstrapResult bm = ga::bootstrap(
      x,
      [](const std::vector<double>& s) {
        return std::accumulate(s.begin(), s.end(), 0.0) / s.size();
      },
      o.bootstrap, o.confidence, o.seed);
  b["mean_eV"] = {{"standard_error", bm.standard_error}, {"lower", bm.lower}, {"upper", bm.upper}};
  return b;
}

// The fits asked for; a default fit that cannot be made is listed as skipped, a named one is an
// error.
json distribution_fits(const std::vector<double>& x, double T, const BarriersOptions& o) {
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
    if (model == "two_mode" && !o.fits_given) {
      // A default two-mode fit that finds no maximum (a collapsed mode) is skipped with the
      // reason, like one whose preconditions fail; a named one stays an error.
      try {
        fits.push_back(fit_json(ga::fit_two_mode(x), T, x, o.bin_width, o.bin_origin));
      } catch (const std::invalid_argument& why) {
        fits.push_back({{"model", model}, {"skipped", why.what()}});
      }
      continue;
    }
    const ga::DistributionFit f = model == "normal"      ? ga::fit_normal(x)
                                  : model == "lognormal" ? ga::fit_lognormal(x)
                                                         : ga::fit_two_mode(x);
    fits.push_back(fit_json(f, T, x, o.bin_width, o.bin_origin));
  }
  return fits;
}

json analyze_sample(const std::vector<double>& x, double T, const BarriersOptions& o) {
  json r;
  r["temperature_K"] = T;
  r["kT_eV"] = ga::kBoltzmann_eV_per_K * T;
  r["sample"] = sample_summary(x);
  const ga::EffectiveBarriers e = ga::effective_barriers(x, T);
  r["effective_barriers"] = effective_json(e);
  if (o.bootstrap >= 2 && x.size() >= 2)
    r["effective_barriers"]["bootstrap"] = effective_barrier_bootstrap(x, T, o);
  const ga::Histogram h = ga::make_histogram(x, o.bin_width, o.bin_origin);
  const ga::ShannonEntropy s = ga::shannon_entropy(h);
  r["shannon"] = {{"bin_width_eV", h.bin_width}, {"origin_eV", h.origin},
                  {"bins", h.counts.size()},     {"occupied_bins", s.categories},
                  {"entropy", s.entropy},        {"diversity", s.diversity},
                  {"counts", h.counts}};
  r["fits"] = distribution_fits(x, T, o);
  return r;
}

// The samples of one table: all barriers at --temperature, or one sample per value of the
// temperature column.
std::vector<std::pair<double, std::vector<double>>> samples_by_temperature(
    const std::string& file, const ga::Table& t, const BarriersOptions& o) {
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
    throw InputError(file + ": no temperature: give --temperature, or a '" + o.temperature_column +
                     "' column (a metadynamics summary.json has it at the top level)");
  }
  return samples;
}

void run_barriers(const BarriersOptions& o) {
  json results = json::array();
  for (const std::string& file : o.files) {
    const LoadedTable lt = load_table(file);
    lt.table.require_rows(1, "a barrier analysis");
    for (auto& [T, x] : samples_by_temperature(file, lt.table, o)) {
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

}  // namespace

void register_analyze_barriers(CLI::App& analyze) {
  auto o = std::make_shared<BarriersOptions>();
  CLI::App* c = analyze.add_subcommand(
      "barriers",
      "Effective (parallel/sequential/mixed) barriers, distribution fits and Shannon entropy "
      "of a barrier sample at a temperature");
  c->add_option("files", o->files, "CSV/JSON tables, metadynamics summary.json, ART events.json")
      ->required()
      ->check(CLI::ExistingPath);
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
  // One value per --fit (repeat it, or separate names by commas), so that `--fit two_mode FILE`
  // leaves FILE to the positional files.
  auto* fit = c->add_option("--fit", o->fits,
                            "distribution to fit: normal, lognormal, two_mode or none; repeat "
                            "--fit or give a comma-separated list (default: all that apply; "
                            "named fits that cannot be made are errors)")
                  ->expected(1)
                  ->allow_extra_args(false)
                  ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
                  ->delimiter(',')
                  ->check(CLI::IsMember({"normal", "lognormal", "two_mode", "none"}));
  c->add_option("--bootstrap", o->bootstrap, "bootstrap resamples for errors (0: none)")
      ->capture_default_str();
  c->add_option("--seed", o->seed, "bootstrap seed")->capture_default_str();
  c->add_option("--confidence", o->confidence, "confidence level of bootstrap intervals")
      ->capture_default_str()
      ->check(CLI::Range(0.5, 0.999));
  add_output_option(*c, o->output);
  c->callback([o, fit]() {
    o->fits_given = fit->count() > 0;
    guarded("barriers", [&] { run_barriers(*o); });
  });
}

}  // namespace glassland::analyze_cli
