// The analysis chain of an md sweep (docs/sweep.md, "The analysis chain"; paper 002 Fig. 1): the
// diffusion coefficient D of every replica of every finished point, from the dynamics.json its
// md.analysis wrote, and over three or more temperatures the Arrhenius fit D = D0 exp(−Q/k_BT) —
// made by the code that writes dynamics.json's own "diffusion_arrhenius" (host/io/dynamics_report),
// so the sweep's Q and D0 are those of `glassland analyze dynamics` over the same series.
#pragma once

#include <vector>

#include <nlohmann/json.hpp>

#include "host/tasks/sweep/sweep_plan.hpp"
#include "host/tasks/sweep/sweep_point.hpp"

namespace glassland {

// {"diffusion": {"series": [{point, source, temperature_K, D_m2_per_s {value, stderr}}...],
//  "arrhenius": {...} or null}, "notes": [...]}.
nlohmann::json run_diffusion_chain(const SweepPlan& plan, const std::vector<PointStatus>& statuses);

// The chain's D(T) fit as a line for a person ("" without one).
std::string describe_diffusion_chain(const nlohmann::json& chain);

}  // namespace glassland
