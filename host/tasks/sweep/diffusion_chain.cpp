#include "host/tasks/sweep/diffusion_chain.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "host/io/dynamics_report.hpp"

namespace glassland {

namespace fs = std::filesystem;
using json = nlohmann::json;

json run_diffusion_chain(const SweepPlan& plan, const std::vector<PointStatus>& statuses) {
  std::vector<json> series;
  json listed = json::array(), notes = json::array();
  for (const SweepPoint& point : plan.points) {
    if (statuses[point.index].status != "finished")
      continue;
    const std::string path = (fs::path(point.directory) / "dynamics.json").string();
    std::ifstream in(path);
    const json doc = in ? json::parse(in, nullptr, false) : json();
    if (!doc.is_object() || !doc.contains("series")) {
      notes.push_back(path + ": none (set md.analysis in the base for D); point left out of D(T)");
      continue;
    }
    for (const json& s : doc["series"]) {
      series.push_back(s);
      const json& d = s["diffusion_m2_per_s"]["all"];
      listed.push_back({{"point", point.index},
                        {"source", s.value("source", "")},
                        {"temperature_K", s["temperature_K"]},
                        {"D_m2_per_s", {{"value", d["value"]}, {"stderr", d["stderr"]}}}});
    }
  }
  const json document = dynamics_document("glassland sweep", json::object(), series);
  json diffusion = {{"series", listed}, {"arrhenius", nullptr}};
  if (document.contains("diffusion_arrhenius"))
    diffusion["arrhenius"] = document["diffusion_arrhenius"];
  else if (!series.empty())
    notes.push_back(
        "no Arrhenius fit of D(T): it needs positive D at three or more distinct temperatures");
  return {{"diffusion", diffusion}, {"notes", notes}};
}

std::string describe_diffusion_chain(const json& chain) {
  if (!chain.contains("diffusion") || !chain["diffusion"]["arrhenius"].is_object())
    return "";
  const json& a = chain["diffusion"]["arrhenius"];
  char text[256];
  std::snprintf(text, sizeof text,
                "diffusion D(T) over %zu series: Q = %.3g ± %.2g eV, D0 = %.3g ± %.2g m²/s\n",
                a["temperature_K"].size(), a["Q_eV"]["value"].get<double>(),
                a["Q_eV"]["error"].get<double>(), a["D0_m2_per_s"]["value"].get<double>(),
                a["D0_m2_per_s"]["error"].get<double>());
  return text;
}

}  // namespace glassland
