#include "host/tasks/sweep/activation_chain.hpp"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <sstream>

#include "host/io/atomic_file.hpp"
#include "host/io/input_error.hpp"
#include "host/tasks/activation_report.hpp"

namespace glassland {

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kBarPerGPa = 1.0e4;

// A number that reads back as the same double (%.17g), for tables and commands.
std::string exact(double v) {
  if (std::isnan(v))
    return "";
  char text[32];
  std::snprintf(text, sizeof text, "%.17g", v);
  return text;
}

double number_or_nan(const json& v) {
  return v.is_number() ? v.get<double>() : kNaN;
}

// The rows of one series: indices into `rows`, grouped by a condition.
using Series = std::map<double, std::vector<size_t>>;

// The table of a series (the rows with an event), in the columns `analyze activation` reads.
void write_table(const std::string& path, const std::vector<TracerRow>& rows,
                 const std::vector<size_t>& members) {
  std::ostringstream csv;
  csv << "point,atom_id,species,temperature_K,pressure_bar,pressure_GPa,barrier_eV,"
         "atomic_volume_A3\n";
  for (size_t i : members) {
    const TracerRow& r = rows[i];
    if (!r.event_found)
      continue;
    csv << r.point << ',' << r.atom_id << ',' << r.species << ',' << exact(r.temperature_K) << ','
        << exact(r.pressure_bar) << ',' << exact(r.pressure_bar / kBarPerGPa) << ','
        << exact(r.barrier_eV) << ',' << exact(r.atomic_volume_A3) << '\n';
  }
  fs::create_directories(fs::path(path).parent_path());
  write_file_atomically(path, csv.str());
}

// The barriers of a series pooled by condition as `analyze activation` pools the table's rows.
PooledConditions pool(const std::vector<TracerRow>& rows, const std::vector<size_t>& members,
                      bool by_temperature, const std::string& table) {
  PooledConditions pooled;
  pooled.last_file = table;
  for (size_t i : members) {
    const TracerRow& r = rows[i];
    if (!r.event_found)
      continue;
    const double condition = by_temperature ? r.temperature_K : r.pressure_bar / kBarPerGPa;
    PooledBarriers& p = pooled.by_condition[condition];
    if (p.barriers.empty()) {
      p.temperature = r.temperature_K;
      p.first_source = table;
    }
    p.barriers.push_back(r.barrier_eV);
    p.sources.insert(table);
    ++pooled.total_rows;
  }
  return pooled;
}

std::string command_for(const ActivationSettings& s, const std::string& table) {
  std::string c = "glassland analyze activation";
  if (!s.by_temperature())
    c += " --variable pressure";
  if (s.weighting != "none")
    c += " --weighting " + s.weighting;
  if (s.bootstrap != 1000)
    c += " --bootstrap " + std::to_string(s.bootstrap);
  if (s.seed != 20180101)
    c += " --seed " + std::to_string(s.seed);
  if (s.atomic_volume > 0.0)
    c += " --atomic-volume " + exact(s.atomic_volume);
  return c + " " + table;
}

// One fit of a series: analyze activation's conditions and fits, or a note saying why not.
json fit_series(const std::vector<TracerRow>& rows, const std::vector<size_t>& members,
                const ActivationSettings& settings, const std::string& table) {
  write_table(table, rows, members);
  const PooledConditions pooled = pool(rows, members, settings.by_temperature(), table);
  json entry = {{"table", table}, {"command", command_for(settings, table)}};
  size_t events = 0;
  for (size_t i : members)
    events += rows[i].event_found ? 1 : 0;
  entry["tracers"] = members.size();
  entry["events"] = events;
  try {
    check_activation_conditions(pooled, settings);
    entry.update(activation_conditions_and_fits(pooled, settings));
  } catch (const std::exception& e) {  // InputError, or the fit's std::invalid_argument
    entry["note"] = std::string("no fit: ") + e.what();
  }
  return entry;
}

std::string series_name(const std::string& kind, size_t k) {
  char name[32];
  std::snprintf(name, sizeof name, "%s_%02zu.csv", kind.c_str(), k);
  return name;
}

// ΔG(T) of every tracer at each pressure (for the figure of ΔG against T per tracer).
json barriers_by_tracer(const std::vector<TracerRow>& rows) {
  std::map<std::pair<double, int64_t>, json> series;  // (pressure, atom id)
  std::vector<std::pair<double, int64_t>> order;
  for (const TracerRow& r : rows) {
    const auto key =
        std::make_pair(std::isnan(r.pressure_bar) ? -1e300 : r.pressure_bar, r.atom_id);
    if (!series.count(key)) {
      order.push_back(key);
      series[key] = {{"atom_id", r.atom_id},
                     {"species", r.species},
                     {"pressure_bar", std::isnan(r.pressure_bar) ? json() : json(r.pressure_bar)},
                     {"point", json::array()},
                     {"temperature_K", json::array()},
                     {"barrier_eV", json::array()}};
    }
    json& s = series[key];
    s["point"].push_back(r.point);
    s["temperature_K"].push_back(r.temperature_K);
    s["barrier_eV"].push_back(r.event_found ? json(r.barrier_eV) : json());
  }
  json out = json::array();
  for (const auto& key : order)
    out.push_back(series[key]);
  return out;
}

}  // namespace

std::vector<TracerRow> metad_tracer_rows(const SweepPlan& plan,
                                         const std::vector<PointStatus>& statuses,
                                         std::vector<std::string>& notes) {
  std::vector<TracerRow> rows;
  for (const SweepPoint& point : plan.points) {
    if (!has_results(statuses[point.index]))
      continue;
    const std::string path = (fs::path(point.directory) / "summary.json").string();
    std::ifstream in(path);
    const json summary = json::parse(in, nullptr, false);
    if (summary.is_discarded() || !summary.contains("tracers")) {
      notes.push_back(path + ": no metad summary; point left out of the chain");
      continue;
    }
    for (const json& t : summary["tracers"]) {
      if (t.value("failed", false))
        continue;  // a tracer whose replica failed (faults.json): no barrier, no volume
      if (!t.contains("temperature_K")) {
        notes.push_back(path +
                        ": tracers carry no temperature_K (a summary from before the "
                        "conditions were recorded); point left out of the chain");
        break;
      }
      TracerRow r;
      r.point = point.index;
      r.atom_id = t.value("atom_id", int64_t{-1});
      r.species = t.value("species", "");
      r.temperature_K = t["temperature_K"].get<double>();
      r.pressure_bar = number_or_nan(t.value("pressure_bar", json()));
      r.event_found = t.value("event_found", false) && t["barrier_eV"].is_number();
      r.barrier_eV = number_or_nan(t.value("barrier_eV", json()));
      r.atomic_volume_A3 = number_or_nan(t.value("atomic_volume_A3", json()));
      rows.push_back(r);
    }
  }
  return rows;
}

json run_activation_chain(const SweepPlan& plan, const std::vector<TracerRow>& rows) {
  const std::string dir = (fs::path(plan.directory) / "chain").string();
  json chain = {{"entropy", json::array()}, {"volume", json::array()}, {"notes", json::array()}};
  Series by_pressure, by_temperature;
  std::vector<size_t> without_pressure;
  for (size_t i = 0; i < rows.size(); ++i) {
    (std::isnan(rows[i].pressure_bar) ? without_pressure : by_pressure[rows[i].pressure_bar])
        .push_back(i);
    if (!std::isnan(rows[i].pressure_bar))
      by_temperature[rows[i].temperature_K].push_back(i);
  }
  // ΔS at each pressure (runs without NPT equilibration form their own group).
  std::vector<std::pair<json, std::vector<size_t>>> entropy_groups;
  for (const auto& [p, members] : by_pressure)
    entropy_groups.push_back({json(p), members});
  if (!without_pressure.empty())
    entropy_groups.push_back({json(), without_pressure});
  for (const auto& [pressure, members] : entropy_groups) {
    std::map<double, int> temperatures;
    for (size_t i : members)
      ++temperatures[rows[i].temperature_K];
    if (temperatures.size() < 2)
      continue;
    ActivationSettings s = plan.chain;
    s.variable = "temperature";
    json entry =
        fit_series(rows, members, s,
                   (fs::path(dir) / series_name("entropy", chain["entropy"].size())).string());
    entry["pressure_bar"] = pressure;
    chain["entropy"].push_back(entry);
  }
  // V at each temperature, from the runs with an imposed pressure.
  for (const auto& [temperature, members] : by_temperature) {
    std::map<double, int> pressures;
    double volume_sum = 0.0;
    int volumes = 0;
    for (size_t i : members) {
      ++pressures[rows[i].pressure_bar];
      if (!std::isnan(rows[i].atomic_volume_A3)) {
        volume_sum += rows[i].atomic_volume_A3;
        ++volumes;
      }
    }
    if (pressures.size() < 2)
      continue;
    ActivationSettings s = plan.chain;
    s.variable = "pressure";
    if (s.atomic_volume <= 0.0 && volumes > 0)
      s.atomic_volume = volume_sum / volumes;  // Ω: the mean over the series' runs
    json entry = fit_series(
        rows, members, s, (fs::path(dir) / series_name("volume", chain["volume"].size())).string());
    entry["temperature_K"] = temperature;
    entry["atomic_volume_A3"] = s.atomic_volume > 0.0 ? json(s.atomic_volume) : json();
    chain["volume"].push_back(entry);
  }
  if (chain["entropy"].empty())
    chain["notes"].push_back("no activation entropy: no pressure has runs at two temperatures");
  if (chain["volume"].empty())
    chain["notes"].push_back(
        "no activation volume: no temperature has runs at two imposed pressures (a pressure is "
        "imposed by metad.equilibration_steps > 0)");
  chain["barriers_by_tracer"] = barriers_by_tracer(rows);
  return chain;
}

namespace {

// "0.42 ± 0.05" from {"value", "error"}.
std::string with_error(const json& v) {
  char text[96];
  std::snprintf(text, sizeof text, "%.3g ± %.2g", number_or_nan(v["value"]),
                number_or_nan(v["error"]));
  return text;
}

// A heading per series, then its note or one line per kind of effective barrier.
void describe_series(std::ostringstream& out, const json& entries,
                     const std::function<std::string(const json&)>& heading,
                     const std::function<std::string(const json& entry, const json& fit)>& line) {
  for (const json& e : entries) {
    out << heading(e) << ", " << e["events"] << " barriers of " << e["tracers"] << " tracers ("
        << e["table"].get<std::string>() << "):\n";
    if (e.contains("note")) {
      out << "  " << e["note"].get<std::string>() << "\n";
      continue;
    }
    for (const char* kind : {"sequential", "parallel", "mixed", "mean"}) {
      char name[16];
      std::snprintf(name, sizeof name, "%-10s", kind);
      out << "  " << name << "  " << line(e, e["fits"][kind]) << "\n";
    }
  }
}

}  // namespace

std::string describe_activation_chain(const json& chain) {
  std::ostringstream out;
  const json none = json::array();
  describe_series(
      out, chain.contains("entropy") ? chain["entropy"] : none,
      [](const json& e) {
        return "activation entropy at P = " + (e["pressure_bar"].is_number()
                                                   ? exact(e["pressure_bar"].get<double>()) + " bar"
                                                   : std::string("(none imposed)"));
      },
      [](const json&, const json& f) {
        return "ΔS = " + with_error(f["entropy_kB"]) +
               " k_B   ΔQ = " + with_error(f["intercept_0K_eV"]) + " eV";
      });
  describe_series(
      out, chain.contains("volume") ? chain["volume"] : none,
      [](const json& e) {
        return "activation volume at T = " + exact(e["temperature_K"].get<double>()) + " K";
      },
      [](const json& e, const json& f) {
        std::string text = "V = " + with_error(f["volume_A3"]) + " Å³";
        if (f.contains("volume_atomic")) {
          char omega[32];
          std::snprintf(omega, sizeof omega, "%.4g", number_or_nan(e["atomic_volume_A3"]));
          text += " = " + with_error(f["volume_atomic"]) + " Ω (Ω = " + omega + " Å³)";
        }
        return text;
      });
  for (const json& n : chain.contains("notes") ? chain["notes"] : none)
    out << "note: " << n.get<std::string>() << "\n";
  return out.str();
}

}  // namespace glassland
