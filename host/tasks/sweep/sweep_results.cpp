#include "host/tasks/sweep/sweep_results.hpp"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>

#include "host/io/atomic_file.hpp"
#include "host/io/hdf5_file.hpp"

namespace glassland {

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
const char* const kKinds[] = {"parallel", "sequential", "mixed", "mean"};

json read_json(const fs::path& path) {
  std::ifstream in(path);
  if (!in)
    return json();
  const json doc = json::parse(in, nullptr, false);
  return doc.is_discarded() ? json() : doc;
}

double number_or_nan(const json& v) {
  return v.is_number() ? v.get<double>() : kNaN;
}

// /points: one entry per point, axis values as numbers where every value is one, else JSON text.
void write_points(hdf5::File& file, const SweepPlan& plan, const json& points) {
  std::vector<int64_t> index, rank, attempt;
  std::vector<std::string> status, directory, error, failed_replicas;
  std::vector<double> wall;
  std::map<std::string, std::vector<double>> headline;
  for (size_t k = 0; k < points.size(); ++k) {
    const json& p = points[k];
    index.push_back(p["point"].get<int64_t>());
    status.push_back(p["status"].get<std::string>());
    directory.push_back(p["directory"].get<std::string>());
    error.push_back(p.value("error", ""));
    failed_replicas.push_back(p.value("failed_replicas", json::array()).dump());
    rank.push_back(p.value("rank", int64_t{-1}));
    attempt.push_back(p.value("attempt", int64_t{0}));
    wall.push_back(number_or_nan(p.value("wall_seconds", json())));
    for (const auto& [key, v] : p["headline"].items())
      if (v.is_number()) {
        auto& column = headline[key];
        column.resize(points.size(), kNaN);
        column[k] = v.get<double>();
      }
  }
  hdf5::Group g = file.create_group("points");
  g.write("index", index);
  g.write("status", status);
  g.write("directory", directory);
  g.write("error", error);
  g.write("failed_replicas", failed_replicas);
  g.write("rank", rank);
  g.write("attempt", attempt);
  g.write("wall_seconds", wall);
  hdf5::Group axes = g.create_group("axes");
  for (size_t a = 0; a < plan.axes.size(); ++a) {
    bool numeric = true;
    std::vector<double> numbers;
    std::vector<std::string> texts;
    for (const SweepPoint& point : plan.points) {
      numeric = numeric && point.values[a].is_number();
      numbers.push_back(number_or_nan(point.values[a]));
      texts.push_back(point.values[a].dump());
    }
    hdf5::Dataset d =
        numeric ? axes.write(plan.axes[a].path, numbers) : axes.write(plan.axes[a].path, texts);
    d.set_attribute("axis", static_cast<int64_t>(a));
  }
  hdf5::Group h = g.create_group("headline");
  for (auto& [key, column] : headline) {
    column.resize(points.size(), kNaN);
    h.write(key, column);
  }
}

void write_tracers(hdf5::File& file, const std::vector<TracerRow>& rows) {
  std::vector<int64_t> point, atom_id, event_found;
  std::vector<std::string> species;
  std::vector<double> temperature, pressure, barrier, volume;
  for (const TracerRow& r : rows) {
    point.push_back(r.point);
    atom_id.push_back(r.atom_id);
    species.push_back(r.species);
    temperature.push_back(r.temperature_K);
    pressure.push_back(r.pressure_bar);
    event_found.push_back(r.event_found ? 1 : 0);
    barrier.push_back(r.barrier_eV);
    volume.push_back(r.atomic_volume_A3);
  }
  hdf5::Group g = file.create_group("metad/tracers");
  g.write("point", point);
  g.write("atom_id", atom_id);
  g.write("species", species);
  g.write("temperature_K", temperature);
  g.write("pressure_bar", pressure);
  g.write("event_found", event_found);
  g.write("barrier_eV", barrier);
  g.write("atomic_volume_A3", volume);
}

// /chain/<group>/NN: the conditions (x, n, each kind's effective barrier and its standard error)
// and, as attributes, each kind's fitted line and result.
void write_fits(hdf5::File& file, const std::string& group, const json& entries, bool entropy) {
  for (size_t k = 0; k < entries.size(); ++k) {
    const json& e = entries[k];
    char name[64];
    std::snprintf(name, sizeof name, "chain/%s/%02zu", group.c_str(), k);
    hdf5::Group g = file.create_group(name);
    g.set_attribute("table", e["table"].get<std::string>());
    g.set_attribute("command", e["command"].get<std::string>());
    if (entropy)
      g.set_attribute("pressure_bar", number_or_nan(e["pressure_bar"]));
    else {
      g.set_attribute("temperature_K", number_or_nan(e["temperature_K"]));
      g.set_attribute("atomic_volume_A3", number_or_nan(e["atomic_volume_A3"]));
    }
    if (e.contains("note")) {
      g.set_attribute("note", e["note"].get<std::string>());
      continue;
    }
    const std::string x = entropy ? "temperature_K" : "pressure_GPa";
    std::vector<double> xs, n;
    std::map<std::string, std::vector<double>> values, errors;
    for (const json& c : e["conditions"]) {
      xs.push_back(c[x].get<double>());
      n.push_back(c["n"].get<double>());
      for (const char* kind : kKinds) {
        values[kind].push_back(number_or_nan(c[std::string(kind) + "_eV"]["value"]));
        errors[kind].push_back(number_or_nan(c[std::string(kind) + "_eV"]["standard_error"]));
      }
    }
    g.write(x, xs);
    g.write("n", n);
    for (const char* kind : kKinds) {
      const std::string k_name(kind);
      g.write(k_name + "_eV", values[kind]);
      g.write(k_name + "_standard_error_eV", errors[kind]);
      const json& f = e["fits"][kind];
      // The line ΔG = intercept + slope·x: slope −ΔS (eV/K) or V (eV/GPa).
      g.set_attribute(k_name + "_slope", number_or_nan(f["slope"]["value"]));
      g.set_attribute(k_name + "_slope_error", number_or_nan(f["slope"]["error"]));
      const char* intercept = entropy ? "intercept_0K_eV" : "intercept_0GPa_eV";
      g.set_attribute(k_name + "_intercept_eV", number_or_nan(f[intercept]["value"]));
      g.set_attribute(k_name + "_intercept_error_eV", number_or_nan(f[intercept]["error"]));
      for (const char* result : {"entropy_kB", "volume_A3", "volume_atomic"})
        if (f.contains(result)) {
          g.set_attribute(k_name + "_" + result, number_or_nan(f[result]["value"]));
          g.set_attribute(k_name + "_" + result + "_error", number_or_nan(f[result]["error"]));
        }
    }
  }
}

// /chain/diffusion: D of every replica of every point with results (columns), and the Arrhenius
// fit of D(T) as attributes of /chain/diffusion/arrhenius with the rows it was made of.
void write_diffusion(hdf5::File& file, const json& diffusion) {
  std::vector<int64_t> point;
  std::vector<std::string> source;
  std::vector<double> temperature, d, d_error;
  for (const json& row : diffusion["series"]) {
    point.push_back(row["point"].get<int64_t>());
    source.push_back(row["source"].get<std::string>());
    temperature.push_back(number_or_nan(row["temperature_K"]));
    d.push_back(number_or_nan(row["D_m2_per_s"]["value"]));
    d_error.push_back(number_or_nan(row["D_m2_per_s"]["stderr"]));
  }
  hdf5::Group g = file.create_group("chain/diffusion");
  g.write("point", point);
  g.write("source", source);
  g.write("temperature_K", temperature);
  g.write("D_m2_per_s", d);
  g.write("D_stderr_m2_per_s", d_error);
  const json& a = diffusion["arrhenius"];
  if (!a.is_object())
    return;
  hdf5::Group fit = g.create_group("arrhenius");
  fit.write("temperature_K", a["temperature_K"].get<std::vector<double>>());
  fit.write("diffusion_m2_per_s", a["diffusion_m2_per_s"].get<std::vector<double>>());
  for (const char* key : {"Q_eV", "D0_m2_per_s", "ln_D0"}) {
    fit.set_attribute(key, number_or_nan(a[key]["value"]));
    fit.set_attribute(std::string(key) + "_error", number_or_nan(a[key]["error"]));
  }
  fit.set_attribute("table", diffusion["table"].get<std::string>());
  fit.set_attribute("command", diffusion["command"].get<std::string>());
  fit.set_attribute("note", a["note"].get<std::string>());
}

// /chain/entropy_temperature: per source temperature (in order) the dynamic and structural
// entropy and diversity with their bootstrap standard errors (NaN: no structures), events and
// atoms; /derivatives/<name>/{temperature_K, value, error}; attributes the command and the bins.
void write_entropy_temperature(hdf5::File& file, const json& doc) {
  std::vector<double> temperature;
  std::vector<int64_t> events;
  std::map<std::string, std::vector<double>> columns;
  for (const json& t : doc["temperatures"]) {
    temperature.push_back(number_or_nan(t["temperature_K"]));
    events.push_back(t["events"].get<int64_t>());
    for (const char* kind : {"dynamic", "structural"})
      for (const char* measure : {"entropy", "diversity"}) {
        const std::string name = std::string(kind) + "_" + measure;
        const json e = t[kind].is_object() ? t[kind][measure] : json();
        columns[name].push_back(number_or_nan(e.is_object() ? e["value"] : json()));
        columns[name + "_standard_error"].push_back(
            number_or_nan(e.is_object() ? e["standard_error"] : json()));
      }
  }
  hdf5::Group g = file.create_group("chain/entropy_temperature");
  g.write("temperature_K", temperature);
  g.write("events", events);
  for (const auto& [name, column] : columns)
    g.write(name, column);
  g.set_attribute("command", doc["command_line"].get<std::string>());
  g.set_attribute("bin_width_eV", number_or_nan(doc["bin_width_eV"]));
  g.set_attribute("bin_origin_eV", number_or_nan(doc["bin_origin_eV"]));
  for (const auto& [name, list] : doc["derivatives"].items()) {
    if (!list.is_array())
      continue;  // fewer than two temperatures
    std::vector<double> at, value, error;
    for (const json& d : list) {
      at.push_back(number_or_nan(d["temperature_K"]));
      value.push_back(number_or_nan(d["value"]));
      error.push_back(number_or_nan(d["error"]));
    }
    hdf5::Group dg = g.create_group("derivatives/" + name);
    dg.write("temperature_K", at);
    dg.write("value", value);
    dg.write("error", error);
  }
}

// md's results.h5: means over the second half of the thermo record, all replicas.
void add_thermo_means(const fs::path& results, json& headline) {
  const hdf5::File file = hdf5::File::open_read_only(results.string());
  const std::pair<const char*, const char*> observables[] = {
      {"temperature", "mean_temperature_K"},
      {"pressure", "mean_pressure_bar"},
      {"potential_energy", "mean_potential_energy_eV"},
      {"volume", "mean_volume_A3"}};
  for (const auto& [name, key] : observables) {
    const std::string path = std::string("observables/") + name + "/value";
    if (!file.exists(path))
      continue;
    const hdf5::Dataset d = file.dataset(path);
    const hsize_t rows = d.rows();
    if (rows == 0)
      continue;
    const std::vector<double> values = d.read_rows<double>(rows / 2, rows - rows / 2);
    double sum = 0.0;
    for (double v : values)
      sum += v;
    headline[key] = sum / static_cast<double>(values.size());
  }
}

}  // namespace

json point_headline(const std::string& directory) {
  json headline = json::object();
  const fs::path results = fs::path(directory) / "results.h5";
  if (!fs::exists(fs::path(directory) / "summary.json") && fs::exists(results))
    add_thermo_means(results, headline);
  for (const char* name : {"summary.json", "neb.json", "events.json"}) {
    const json doc = read_json(fs::path(directory) / name);
    if (!doc.is_object())
      continue;
    for (const auto& [key, v] : doc.items())
      if (v.is_number() || v.is_boolean())
        headline[key] = v;
      else if (v.is_array() && (key == "tracers" || key == "replicas" || key == "events"))
        headline[key] = v.size();
    if (doc.contains("tracers") && doc["tracers"].is_array()) {
      int events = 0;
      double sum = 0.0;
      for (const json& t : doc["tracers"])
        if (t.value("event_found", false) && t["barrier_eV"].is_number()) {
          ++events;
          sum += t["barrier_eV"].get<double>();
        }
      headline["events_found"] = events;
      headline["barrier_mean_eV"] = events ? json(sum / events) : json();
    }
    break;
  }
  return headline;
}

json sweep_summary(const SweepPlan& plan, const std::vector<PointStatus>& statuses,
                   const json& chain) {
  json points = json::array();
  std::map<std::string, int> counts{
      {"finished", 0}, {"finished_with_failures", 0}, {"failed", 0}, {"not_run", 0}};
  for (const SweepPoint& point : plan.points) {
    const PointStatus& s = statuses[point.index];
    json axes = json::object();
    for (size_t a = 0; a < plan.axes.size(); ++a)
      axes[plan.axes[a].path] = point.values[a];
    const std::string status = has_results(s) || s.status == "failed" ? s.status : "not_run";
    ++counts[status];
    json p = {{"point", point.index},
              {"axes", axes},
              {"status", status},
              {"directory", point.directory},
              {"rank", s.rank},
              {"host", s.host},
              {"device", s.device},
              {"attempt", s.attempt},
              {"wall_seconds", s.wall_seconds},
              {"headline", has_results(s) ? point_headline(point.directory) : json::object()}};
    if (!s.error.empty())
      p["error"] = s.error;
    if (!s.failed_replicas.empty())
      p["failed_replicas"] = s.failed_replicas;
    points.push_back(p);
  }
  json axes = json::array();
  for (const auto& a : plan.axes)
    axes.push_back({{"path", a.path}, {"values", a.values}});
  return {{"sweep_file", plan.file},
          {"base", plan.base_source},
          {"task", plan.task},
          {"combine", plan.combine},
          {"directory", plan.directory},
          {"axes", axes},
          {"counts", counts},
          {"points", points},
          {"chain", chain}};
}

void write_sweep_results(const SweepPlan& plan, const json& summary,
                         const std::vector<TracerRow>& rows) {
  write_file_atomically((fs::path(plan.directory) / "sweep_summary.json").string(),
                        summary.dump(2) + "\n");
  write_file_atomically(
      (fs::path(plan.directory) / "sweep.h5").string(), [&](const std::string& temporary) {
        hdf5::File file = hdf5::File::create(temporary);
        file.set_attribute("task", plan.task);
        file.set_attribute("sweep_file", plan.file);
        file.set_attribute("combine", plan.combine);
        write_points(file, plan, summary["points"]);
        if (!rows.empty())
          write_tracers(file, rows);
        const json& chain = summary["chain"];
        if (chain.contains("entropy"))
          write_fits(file, "entropy", chain["entropy"], true);
        if (chain.contains("volume"))
          write_fits(file, "volume", chain["volume"], false);
        if (chain.contains("diffusion"))
          write_diffusion(file, chain["diffusion"]);
        if (chain.contains("entropy_temperature") && chain["entropy_temperature"].is_object())
          write_entropy_temperature(file, chain["entropy_temperature"]);
        file.close();
      });
}

}  // namespace glassland
