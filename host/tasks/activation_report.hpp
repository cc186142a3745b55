// The activation entropy or volume report of `glassland analyze activation`, from barriers already
// pooled by condition: what that command writes under "conditions" and "fits", shared with the
// sweep's analysis chain (host/tasks/sweep/activation_chain.hpp) so that the chain's ΔS, ΔQ and V
// are the command's on the same numbers (SPEC.md §6; docs/analyze.md; docs/sweep.md).
//
// Paper 000 (Wang et al., Acta Mater. 2018), Eq. 2: ΔG(T, P) = ΔQ + PV − TΔS; the fits themselves
// are analysis/activation_thermodynamics.hpp's.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace glassland {

struct ActivationSettings {
  std::string variable = "temperature";  // "temperature" (ΔS) or "pressure" (V)
  std::string condition_column;          // default temperature_K or pressure_GPa
  // Each condition is one effective barrier with its given standard error (--error-column).
  std::string error_column;
  std::string weighting = "none";  // "none" (OLS) or "bootstrap" (1/SE² weights)
  std::size_t bootstrap = 1000;    // resamples per condition
  std::uint64_t seed = 20180101;   // condition i uses seed + i
  double atomic_volume = 0.0;      // Ω in Å³ for V/Ω; 0: none

  bool by_temperature() const { return variable == "temperature"; }
  std::string condition() const;
  bool weighted() const { return weighting == "bootstrap" || !error_column.empty(); }
};

// The barriers (and their errors, with an error column) of one condition, over all sources.
struct PooledBarriers {
  double temperature = 0.0;
  std::vector<double> barriers, errors;
  std::set<std::string> sources;
  std::string first_source;
  std::size_t first_row = 0;
};

struct PooledConditions {
  std::map<double, PooledBarriers> by_condition;  // sorted by the condition's value
  std::string last_file;
  std::size_t total_rows = 0;
  std::size_t skipped = 0;
};

// Throws InputError unless there are enough conditions for a line with an error (3, or 2 when
// weighted) and, with an error column, exactly one row per condition.
void check_activation_conditions(const PooledConditions& pooled, const ActivationSettings& s);

// {"conditions": [...], "fits": {"parallel": ..., "sequential": ..., "mixed": ..., "mean": ...}}
// as `analyze activation` writes them (docs/analyze.md).
nlohmann::json activation_conditions_and_fits(const PooledConditions& pooled,
                                              const ActivationSettings& s);

}  // namespace glassland
