#include "host/tasks/sweep/diffusion_chain.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "host/io/atomic_file.hpp"
#include "host/io/dynamics_report.hpp"

namespace glassland {

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

// A number that reads back as the same double (%.17g), for the table.
std::string exact(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%.17g", v);
  return text;
}

// The sources ("replica N") of the point's replicas that failed (faults.json): their sums stop
// where the dynamics broke down, so their D is left out.
std::set<std::string> failed_sources(const PointStatus& status) {
  std::set<std::string> sources;
  for (const json& f : status.failed_replicas)
    if (f.value("unit", std::string("replica")) == "replica")
      sources.insert("replica " + std::to_string(f.value("replica", -1)));
  return sources;
}

// The rows the Arrhenius fit is made of (those dynamics_document fits: a known temperature and a
// positive D), as a table `glassland analyze fit --model arrhenius` reads, numbers to 17 digits.
void write_table(const std::string& path, const json& listed) {
  std::ostringstream csv;
  csv << "point,source,temperature_K,D_m2_per_s,D_stderr_m2_per_s\n";
  for (const json& row : listed) {
    const json& d = row["D_m2_per_s"]["value"];
    if (!row["temperature_K"].is_number() || !d.is_number() || !(d.get<double>() > 0.0))
      continue;
    const json& e = row["D_m2_per_s"]["stderr"];
    csv << row["point"].get<int>() << ',' << row["source"].get<std::string>() << ','
        << exact(row["temperature_K"].get<double>()) << ',' << exact(d.get<double>()) << ','
        << (e.is_number() ? exact(e.get<double>()) : "nan") << '\n';
  }
  fs::create_directories(fs::path(path).parent_path());
  write_file_atomically(path, csv.str());
}

}  // namespace

json run_diffusion_chain(const SweepPlan& plan, const std::vector<PointStatus>& statuses) {
  std::vector<json> series;
  json listed = json::array(), notes = json::array();
  for (const SweepPoint& point : plan.points) {
    if (!has_results(statuses[point.index]))
      continue;
    const std::string path = (fs::path(point.directory) / "dynamics.json").string();
    std::ifstream in(path);
    const json doc = in ? json::parse(in, nullptr, false) : json();
    if (!doc.is_object() || !doc.contains("series")) {
      notes.push_back(path + ": none (set md.analysis in the base for D); point left out of D(T)");
      continue;
    }
    const std::set<std::string> failed = failed_sources(statuses[point.index]);
    for (const json& s : doc["series"]) {
      const std::string source = s.value("source", "");
      if (failed.count(source)) {
        notes.push_back(path + ": " + source + " failed (faults.json); left out of D(T)");
        continue;
      }
      series.push_back(s);
      const json& d = s["diffusion_m2_per_s"]["all"];
      listed.push_back({{"point", point.index},
                        {"source", source},
                        {"temperature_K", s["temperature_K"]},
                        {"D_m2_per_s", {{"value", d["value"]}, {"stderr", d["stderr"]}}}});
    }
  }
  const json document = dynamics_document("glassland sweep", json::object(), series);
  json diffusion = {{"series", listed}, {"arrhenius", nullptr}};
  if (document.contains("diffusion_arrhenius")) {
    const std::string table = (fs::path(plan.directory) / "chain" / "diffusion.csv").string();
    write_table(table, listed);
    diffusion["arrhenius"] = document["diffusion_arrhenius"];
    diffusion["table"] = table;
    diffusion["command"] =
        "glassland analyze fit --model arrhenius --x temperature_K --y D_m2_per_s " + table;
  } else if (!series.empty()) {
    notes.push_back(
        "no Arrhenius fit of D(T): it needs positive D at three or more distinct temperatures");
  }
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
