#include "host/tasks/sweep/entropy_chain.hpp"

#include <cstdio>
#include <exception>
#include <filesystem>
#include <limits>

namespace glassland {

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

std::string command_line(const EntropyTemperatureRequest& r) {
  // Numbers as JSON writes them: the shortest text that reads back as the same double.
  std::string c = "glassland analyze entropy-temperature --bootstrap " +
                  std::to_string(r.bootstrap) + " --seed " + std::to_string(r.seed) +
                  " --bin-width " + json(r.bin_width_eV).dump() + " --bin-origin " +
                  json(r.bin_origin_eV).dump();
  for (const std::string& s : r.sources)
    c += " " + s;
  return c;
}

}  // namespace

json run_entropy_chain(const SweepPlan& plan, const std::vector<PointStatus>& statuses,
                       const EntropyTemperatureAnalysis& analysis) {
  json notes = json::array();
  EntropyTemperatureRequest request;
  request.bin_width_eV = plan.entropy_bin_width;
  request.bin_origin_eV = plan.entropy_bin_origin;
  request.bootstrap = plan.chain.bootstrap;
  request.seed = plan.chain.seed;
  for (const SweepPoint& point : plan.points) {
    if (!has_results(statuses[point.index]))
      continue;
    if (!fs::exists(fs::path(point.directory) / "events.json")) {
      notes.push_back(point.directory + "/events.json: none; point left out of the entropy");
      continue;
    }
    request.sources.push_back(point.directory);
  }
  json result = {{"entropy_temperature", nullptr}, {"notes", notes}};
  if (!analysis) {
    result["notes"].push_back("entropy versus IS temperature: not available in this program");
    return result;
  }
  if (request.sources.empty()) {
    result["notes"].push_back("entropy versus IS temperature: no point with events");
    return result;
  }
  const std::string command = command_line(request);
  try {
    json doc = analysis(request);
    doc["command_line"] = command;
    result["entropy_temperature"] = doc;
  } catch (const std::exception& e) {
    result["notes"].push_back("entropy versus IS temperature: none (" + command + "): " + e.what());
  }
  return result;
}

namespace {

double number_or_nan(const json& v) {
  return v.is_number() ? v.get<double>() : std::numeric_limits<double>::quiet_NaN();
}

}  // namespace

std::string describe_entropy_chain(const json& chain) {
  if (!chain.contains("entropy_temperature") || !chain["entropy_temperature"].is_object())
    return "";
  const json& doc = chain["entropy_temperature"];
  std::string text = "entropy versus IS temperature (dynamic: barrier spectrum, bins " +
                     json(doc["bin_width_eV"]).dump() + " eV):\n";
  for (const json& t : doc["temperatures"]) {
    const json& s = t["dynamic"]["entropy"];
    const json& d = t["dynamic"]["diversity"];
    char line[200];
    std::snprintf(line, sizeof line, "  T = %g K, %d events: S = %.3g ± %.2g, e^S = %.3g ± %.2g\n",
                  number_or_nan(t["temperature_K"]), t["events"].get<int>(),
                  number_or_nan(s["value"]), number_or_nan(s["standard_error"]),
                  number_or_nan(d["value"]), number_or_nan(d["standard_error"]));
    text += line;
  }
  return text;
}

}  // namespace glassland
