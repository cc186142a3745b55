#include "host/tasks/activation_report.hpp"

#include "analysis/activation_thermodynamics.hpp"
#include "host/io/input_error.hpp"
#include "host/io/reported_numbers.hpp"

namespace glassland {

namespace ga = analysis;
using json = nlohmann::json;

namespace {

// Effective barriers per condition with bootstrap errors, or the given errors.
std::vector<ga::ConditionSummary> summarize(const PooledConditions& pooled,
                                            const ActivationSettings& s) {
  std::vector<ga::ConditionBarriers> runs;
  for (const auto& [c, p] : pooled.by_condition)
    runs.push_back({c, p.temperature, p.barriers});
  std::vector<ga::ConditionSummary> summary = ga::summarize_conditions(runs, s.bootstrap, s.seed);
  if (!s.error_column.empty()) {
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
    const auto& cs = summary[i++];
    json cj = {{ccol, c},
               {"temperature_K", p.temperature},
               {"n", cs.n},
               {"sources", std::vector<std::string>(p.sources.begin(), p.sources.end())}};
    for (ga::BarrierKind k : ga::kAllBarrierKinds)
      cj[ga::to_string(k) + "_eV"] = {{"value", cs.get(k)}, {"standard_error", cs.se(k)}};
    conditions.push_back(cj);
  }
  return conditions;
}

// ΔS (or V) of one kind of effective barrier, with the line it comes from.
json activation_fit_json(const std::vector<ga::ConditionSummary>& summary, ga::BarrierKind k,
                         const ActivationSettings& s) {
  const ga::Weighting w = s.weighted() ? ga::Weighting::bootstrap : ga::Weighting::none;
  json f;
  ga::LinearFit line;
  if (s.by_temperature()) {
    const ga::ActivationEntropy a = ga::activation_entropy(summary, k, w);
    line = a.fit;
    f = {{"entropy_kB", value_error(a.entropy_kB, a.entropy_error_kB)},
         {"entropy_eV_per_K", value_error(a.entropy_eV_per_K, a.entropy_error_eV_per_K)},
         {"intercept_0K_eV", value_error(a.intercept_eV, a.intercept_error_eV)}};
  } else {
    const ga::ActivationVolume v = ga::activation_volume(summary, k, w, s.atomic_volume);
    line = v.fit;
    f = {{"volume_A3", value_error(v.volume_A3, v.volume_error_A3)},
         {"volume_eV_per_GPa", value_error(v.volume_eV_per_GPa, v.volume_error_eV_per_GPa)},
         {"intercept_0GPa_eV", value_error(v.intercept_eV, v.intercept_error_eV)}};
    if (s.atomic_volume > 0.0)
      f["volume_atomic"] = value_error(v.volume_atomic, v.volume_error_atomic);
  }
  f["slope"] = value_error(line.slope, line.slope_error);
  f["covariance_slope_intercept"] = line.covariance;
  f["chi2"] = line.chi2;
  f["dof"] = line.dof;
  f["r_squared"] = line.r_squared;
  return f;
}

}  // namespace

std::string ActivationSettings::condition() const {
  return !condition_column.empty() ? condition_column
                                   : (by_temperature() ? "temperature_K" : "pressure_GPa");
}

void check_activation_conditions(const PooledConditions& pooled, const ActivationSettings& s) {
  const std::string ccol = s.condition();
  if (!s.error_column.empty())
    for (const auto& [c, p] : pooled.by_condition)
      if (p.barriers.size() != 1)
        throw InputError(p.first_source + ": column '" + ccol +
                         "': " + std::to_string(p.barriers.size()) + " rows at " + ccol + " = " +
                         number_text(c) +
                         "; with --error-column each condition is one "
                         "effective barrier with its standard error (one row per condition)");
  const bool weighted = s.weighted();
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
                     " rows; a linear fit of ΔG against " + (s.by_temperature() ? "T" : "P") +
                     " with a standard error needs at least " + std::to_string(needed) +
                     (weighted ? "" : " (2 with --weighting bootstrap)"));
  }
}

json activation_conditions_and_fits(const PooledConditions& pooled, const ActivationSettings& s) {
  const std::vector<ga::ConditionSummary> summary = summarize(pooled, s);
  json fits = json::object();
  for (ga::BarrierKind k : ga::kAllBarrierKinds)
    fits[ga::to_string(k)] = activation_fit_json(summary, k, s);
  return {{"conditions", conditions_json(pooled, summary, s.condition())}, {"fits", fits}};
}

}  // namespace glassland
