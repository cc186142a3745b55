// The analysis chain of an ART sweep (docs/sweep.md, "The analysis chain"; SPEC.md §10; paper 004
// Figs. 5, 6, 8): the events of every point with results, grouped by the temperature of the
// structure their minimum came from (events.json "source_temperature_K"), give the dynamic Shannon
// entropy and diversity of each temperature's barrier spectrum (and the structural entropy of its
// source structures) with bootstrap errors, their temperature derivatives and their correlation —
// `glassland analyze entropy-temperature` run on the points' directories. That command lives in
// host/cli/analyze; the sweep is given it as a function (EntropyTemperatureAnalysis), so that the
// chain's numbers are the command's.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "host/tasks/sweep/sweep_plan.hpp"
#include "host/tasks/sweep/sweep_point.hpp"

namespace glassland {

// What `analyze entropy-temperature` is asked: its inputs (the points' directories) and options.
struct EntropyTemperatureRequest {
  std::vector<std::string> sources;
  double bin_width_eV = 0.1;
  double bin_origin_eV = 0.0;
  std::size_t bootstrap = 1000;
  std::uint64_t seed = 20180101;
};

// Returns the command's result document; throws (InputError) where the command would fail.
using EntropyTemperatureAnalysis = std::function<nlohmann::json(const EntropyTemperatureRequest&)>;

// {"entropy_temperature": the document plus "command_line" (the command that prints it), or
// null, "notes": [...]}. Without `analysis` (a caller that has none) only a note.
nlohmann::json run_entropy_chain(const SweepPlan& plan, const std::vector<PointStatus>& statuses,
                                 const EntropyTemperatureAnalysis& analysis);

// The chain's entropy against temperature as lines for a person ("" without it).
std::string describe_entropy_chain(const nlohmann::json& chain);

}  // namespace glassland
