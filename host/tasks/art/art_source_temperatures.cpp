// The temperature of the structure each ART minimum was quenched from (issue 21 item 6; paper 004
// §II: inherent structures taken from the cooling trajectory at known temperatures, their ART
// spectra compared by that temperature; docs/art.md "Source temperatures").
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>

#include "host/io/input_error.hpp"
#include "host/tasks/art/art_stages.hpp"
#include "host/tasks/structure_provenance.hpp"

namespace glassland {

namespace {

namespace fs = std::filesystem;

// A per-replica number of prepare's effective input: one for all replicas or an array.
double replica_number(const nlohmann::json& value, int r) {
  if (value.is_number())
    return value.get<double>();
  if (value.is_array() && r >= 0 && r < static_cast<int>(value.size()) && value[r].is_number())
    return value[r].get<double>();
  return std::numeric_limits<double>::quiet_NaN();
}

// The temperature a replica's final structure was held at: prepare.equilibrate.temperature of
// the run's effective_input.json beside the summary (negative: cool.end_temperature, prepare's
// default).
SourceTemperature final_temperature(const std::string& summary_path, int r) {
  SourceTemperature t;
  const fs::path input = fs::path(summary_path).parent_path() / "effective_input.json";
  std::ifstream in(input);
  if (!in)
    return t;
  const nlohmann::json doc = nlohmann::json::parse(in, nullptr, false);
  if (doc.is_discarded() || !doc.contains("prepare") || !doc["prepare"].is_object())
    return t;
  const nlohmann::json& p = doc["prepare"];
  double kelvin = std::numeric_limits<double>::quiet_NaN();
  std::string key = "prepare.equilibrate.temperature";
  if (p.contains("equilibrate") && p["equilibrate"].contains("temperature"))
    kelvin = replica_number(p["equilibrate"]["temperature"], r);
  if (!(kelvin >= 0.0) && p.contains("cool") && p["cool"].contains("end_temperature")) {
    kelvin = replica_number(p["cool"]["end_temperature"], r);
    key = "prepare.cool.end_temperature";
  }
  if (std::isnan(kelvin))
    return t;
  t.kelvin = kelvin;
  t.from = input.string() + ": " + key + " of replica " + std::to_string(r) +
           " (the final structure's temperature)";
  return t;
}

// The stop (snapshot or inherent structure) or final structure of the summary that is `name`.
SourceTemperature temperature_in_summary(const nlohmann::json& summary, const std::string& name,
                                         const std::string& summary_path) {
  SourceTemperature t;
  for (const auto& replica : summary["replicas"]) {
    if (!replica.is_object())
      continue;
    const std::string r = std::to_string(replica.value("replica", -1));
    for (const auto& stop : replica.value("stops", nlohmann::json::array()))
      if (stop.is_object() &&
          (stop.value("inherent_structure", "") == name || stop.value("snapshot", "") == name) &&
          stop.contains("stop_temperature_K")) {
        t.kelvin = stop["stop_temperature_K"].get<double>();
        t.from = summary_path + ": replica " + r + ", stop at " +
                 stop["stop_temperature_K"].dump() + " K";
        return t;
      }
    if (replica.value("inherent_structure", "") == name ||
        replica.value("final_structure", "") == name)
      return final_temperature(summary_path, replica.value("replica", -1));
  }
  return t;
}

}  // namespace

std::vector<SourceTemperature> source_temperatures(const std::string& input_file,
                                                   const ArtTaskSettings& settings,
                                                   const std::vector<std::string>& sources) {
  std::vector<SourceTemperature> out(sources.size());
  if (!settings.minimum_temperatures.empty()) {
    if (settings.minimum_temperatures.size() != sources.size())
      throw InputError(input_file + ": art.minimum_temperatures: " +
                       std::to_string(settings.minimum_temperatures.size()) + " temperatures for " +
                       std::to_string(sources.size()) +
                       " minima (the system section's replicas, then art.minima); give one per "
                       "minimum");
    for (std::size_t m = 0; m < sources.size(); ++m)
      out[m] = {settings.minimum_temperatures[m], "art.minimum_temperatures"};
    return out;
  }
  for (std::size_t m = 0; m < sources.size(); ++m) {
    if (!fs::is_regular_file(sources[m]))
      continue;  // a built structure: no file, no temperature
    const nlohmann::json summary = prepare_summary_beside(sources[m]);
    if (summary.is_null())
      continue;
    const std::string summary_path = (fs::path(sources[m]).parent_path() / "summary.json").string();
    out[m] =
        temperature_in_summary(summary, fs::path(sources[m]).filename().string(), summary_path);
  }
  return out;
}

}  // namespace glassland
