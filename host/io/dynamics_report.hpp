// The result document of a dynamics analysis (docs/analysis.md, "analyze dynamics"): what
// `glassland analyze dynamics` writes for the series of a trajectory and what `task: md` writes
// for its replicas from the sums it accumulated on the device (dynamics.json), key for key the
// same, so that the two can be compared and plotted the same way.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analysis/mean_squared_displacement.hpp"

namespace glassland {

struct DynamicsSeries {
  std::string source;                      // file and particle group, or "replica N"
  std::vector<std::string> species_names;  // species s (0-based) → element name
  std::size_t subsets = 1;                 // atom subsets per species in the sums' groups
  std::vector<std::size_t> atoms_per_species;
  double frame_interval_ps = 0.0;  // time between consecutive frames (lags are multiples)
  std::size_t frames = 0;
  analysis::DisplacementSettings settings;
  analysis::DisplacementSums sums;
  double temperature_K = 0.0;                       // NaN when unknown
  double fit_start_ps = 0.0, fit_end_ps = 0.0;      // NaN: the default window
  std::string q_source;                             // how q was chosen
  std::string unwrapping;                           // how positions were made continuous
  nlohmann::json extra = nlohmann::json::object();  // merged into the series (surface, ...)
};

// One series: lag_ps, msd_A2, alpha2, fs, tau_alpha_ps, diffusion_m2_per_s, debye_waller,
// van_hove, stokes_einstein (docs/analysis.md lists every key).
nlohmann::json dynamics_series_json(const DynamicsSeries& series);

// The document: {"command", "settings", "series": [...]}; with one series its keys are also at the
// top level; with three or more distinct temperatures, "diffusion_arrhenius" (Q, D0 of D(T)).
nlohmann::json dynamics_document(const std::string& command, const nlohmann::json& settings,
                                 const std::vector<nlohmann::json>& series);

}  // namespace glassland
