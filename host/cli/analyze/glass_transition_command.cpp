// `glassland analyze glass-transition RESULTS.h5… [-o OUT.json|OUT.h5]` (issue 21 item 5; SPEC.md
// §10; paper 004 §III.A, Fig. 1; docs/analyze.md): T_g of every replica of prepare's cooling
// record from the kink of V(T), PE(T) and H(T) (analysis/glass_transition.hpp), with its error,
// and the slopes of each branch: thermal expansion, dPE/dT and C_p = dH/dT of the glass and of
// the supercooled liquid. prepare's summary.json next to results.h5 gives the cooling stage, each
// replica's ramp and cooling rate and the number of atoms; without it every record is used.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <memory>

#include "analysis/constants.hpp"
#include "analysis/glass_transition.hpp"
#include "host/cli/analyze/analyze_commands.hpp"
#include "host/cli/analyze/analyze_io.hpp"
#include "host/cli/analyze/results_files.hpp"
#include "host/io/json_hdf5.hpp"

namespace glassland::analyze_cli {

namespace {

namespace fs = std::filesystem;

struct GlassTransitionOptions {
  std::vector<std::string> files;
  std::vector<std::string> observables = {"volume", "potential_energy", "enthalpy"};
  std::string temperature = "auto";  // target, measured, auto (target when recorded)
  std::vector<double> range;         // [T_min, T_max] or empty
  std::size_t block = 1;
  bool with_data = true;
  std::string output;
};

// What prepare's summary.json says about the cooling of each replica.
struct CoolingSchedule {
  bool known = false;
  std::string summary;
  int64_t first_step = 0;
  std::vector<int64_t> steps;  // per replica: the ramp's length
  std::vector<double> rate, effective_rate;
  int atoms = 0;
};

CoolingSchedule cooling_schedule(const std::string& results, std::size_t replicas) {
  CoolingSchedule c;
  const fs::path summary = fs::path(results).parent_path() / "summary.json";
  if (!fs::is_regular_file(summary))
    return c;
  c.summary = summary.string();
  const json doc = read_json_file(c.summary);
  const auto fail = [&](const std::string& what) {
    return InputError(c.summary + ": " + what +
                      " (expected prepare's summary.json next to " + results + ")");
  };
  try {
    if (doc.value("task", std::string()) != "prepare")
      return c;  // another task's summary: the record is used whole
    for (const json& stage : doc.at("stages"))
      if (stage.at("name") == "cool")
        c.first_step = stage.at("first_step").get<int64_t>();
    c.atoms = doc.at("atoms_per_replica").get<int>();
    const json& list = doc.at("replicas");
    if (list.size() != replicas)
      throw fail("it lists " + std::to_string(list.size()) + " replicas, results.h5 has " +
                 std::to_string(replicas));
    for (const json& r : list) {
      c.steps.push_back(r.at("cooling_steps").get<int64_t>());
      c.rate.push_back(r.at("cooling_rate_K_per_s").get<double>());
      c.effective_rate.push_back(r.at("effective_cooling_rate_K_per_s").get<double>());
    }
  } catch (const json::exception& e) {
    throw fail(std::string("unexpected layout: ") + e.what());
  }
  c.known = true;
  return c;
}

// The points of one replica's fit: the cooling ramp's records inside --range, block-averaged.
struct FitPoints {
  std::vector<double> temperature;
  std::map<std::string, std::vector<double>> values;
};

FitPoints fit_points(const ThermoRecord& t, const CoolingSchedule& c, std::size_t r,
                     const std::string& temperature_name, const GlassTransitionOptions& o) {
  const std::vector<double> temperature = t.series(temperature_name, r);
  std::vector<std::size_t> keep;
  for (std::size_t k = 0; k < t.records; ++k) {
    if (c.known && (t.steps[k] < c.first_step || t.steps[k] > c.first_step + c.steps[r]))
      continue;
    if (!o.range.empty() && (temperature[k] < o.range[0] || temperature[k] > o.range[1]))
      continue;
    keep.push_back(k);
  }
  auto select = [&](const std::vector<double>& all) {
    std::vector<double> v;
    for (std::size_t k : keep)
      v.push_back(all[k]);
    return ga::block_means(v, o.block);
  };
  FitPoints p;
  p.temperature = select(temperature);
  for (const std::string& name : o.observables)
    p.values[name] = select(t.series(name, r));
  return p;
}

// One observable's fit; with the number of atoms also per atom, and C_p for the enthalpy.
json observable_json(const std::string& name, const std::string& unit, const FitPoints& p,
                     int atoms, bool with_data) {
  const ga::GlassTransitionFit f = ga::fit_glass_transition(p.temperature, p.values.at(name));
  json j = {{"unit", unit},
            {"tg_K", f.tg},
            {"tg_stderr_K", f.tg_error},
            {"tg_stderr_uncorrected_K", f.tg_error_uncorrected},
            {"value_at_tg", value_error(f.value_at_tg, f.value_at_tg_error)},
            {"slope_glass_per_K", value_error(f.slope_glass, f.slope_glass_error)},
            {"slope_liquid_per_K", value_error(f.slope_liquid, f.slope_liquid_error)},
            {"points", f.n},
            {"points_glass", f.n_glass},
            {"points_liquid", f.n_liquid},
            {"chi2", f.kink.chi2},
            {"dof", f.kink.dof},
            {"residual_autocorrelation", f.residual_autocorrelation},
            {"effective_points", f.effective_points},
            {"error_inflation", f.error_inflation}};
  if (atoms > 0) {
    const double n = atoms;
    j["per_atom"] = {
        {"value_at_tg", value_error(f.value_at_tg / n, f.value_at_tg_error / n)},
        {"slope_glass_per_K", value_error(f.slope_glass / n, f.slope_glass_error / n)},
        {"slope_liquid_per_K", value_error(f.slope_liquid / n, f.slope_liquid_error / n)}};
  }
  if (name == "enthalpy") {
    json cp = {{"glass_eV_per_K", value_error(f.slope_glass, f.slope_glass_error)},
               {"liquid_eV_per_K", value_error(f.slope_liquid, f.slope_liquid_error)}};
    if (atoms > 0) {
      const double unit_kB = atoms * ga::kBoltzmann_eV_per_K;
      cp["glass_kB_per_atom"] = value_error(f.slope_glass / unit_kB, f.slope_glass_error / unit_kB);
      cp["liquid_kB_per_atom"] =
          value_error(f.slope_liquid / unit_kB, f.slope_liquid_error / unit_kB);
    }
    j["heat_capacity"] = cp;
  }
  if (with_data)
    j["data"] = {{"temperature_K", p.temperature}, {"value", p.values.at(name)}};
  return j;
}

std::string temperature_observable(const ThermoRecord& t, const GlassTransitionOptions& o) {
  if (o.temperature == "measured")
    return "temperature";
  if (o.temperature == "target" || t.has("target_temperature"))
    return "target_temperature";
  return "temperature";
}

json replica_json(const std::string& file, const ThermoRecord& t, const CoolingSchedule& c,
                  std::size_t r, const GlassTransitionOptions& o) {
  const std::string x = temperature_observable(t, o);
  const FitPoints p = fit_points(t, c, r, x, o);
  if (p.temperature.size() < 5)
    throw InputError(file + ": replica " + std::to_string(r) + ": " +
                     std::to_string(p.temperature.size()) +
                     " points to fit (a kink fit needs at least 5 with 2 on each side); widen "
                     "--range, lower --block or record thermo more often (output.thermo_stride)");
  json entry = {{"source", file},
                {"replica", r},
                {"cooling_rate_K_per_s", c.known ? json(c.rate[r]) : json(nullptr)},
                {"effective_cooling_rate_K_per_s",
                 c.known ? json(c.effective_rate[r]) : json(nullptr)},
                {"atoms", c.known ? json(c.atoms) : json(nullptr)},
                {"temperature_observable", x},
                {"points", p.temperature.size()},
                {"temperature_range_K",
                 {*std::min_element(p.temperature.begin(), p.temperature.end()),
                  *std::max_element(p.temperature.begin(), p.temperature.end())}}};
  json fits = json::object();
  for (const std::string& name : o.observables) {
    const auto unit = t.units.find(name);
    try {
      fits[name] = observable_json(name, unit == t.units.end() ? "" : unit->second, p,
                                   c.known ? c.atoms : 0, o.with_data);
    } catch (const std::invalid_argument& e) {
      throw InputError(file + ": replica " + std::to_string(r) + ", " + name + ": " + e.what());
    }
  }
  const json& primary = fits[o.observables.front()];
  entry["tg_K"] = primary["tg_K"];
  entry["tg_stderr_K"] = primary["tg_stderr_K"];
  entry["tg_from"] = o.observables.front();
  entry["observables"] = fits;
  return entry;
}

void run_glass_transition(const GlassTransitionOptions& o) {
  if (!o.range.empty() && !(o.range[0] < o.range[1]))
    throw InputError("analyze glass-transition: --range needs T_min < T_max");
  json results = json::array();
  json notes = json::array();
  for (const std::string& file : o.files) {
    const ThermoRecord t = read_thermo_record(file);
    for (const std::string& name : o.observables)
      t.series(name, 0);  // a missing observable is an error naming the file
    if (o.temperature == "target" && !t.has("target_temperature"))
      throw InputError(file + ": no target_temperature in its record; use --temperature measured");
    const CoolingSchedule c = cooling_schedule(file, t.replicas);
    if (!c.known)
      notes.push_back(file + ": no prepare summary.json next to it: every record is used and the "
                             "cooling rate and atom count are unknown");
    for (std::size_t r = 0; r < t.replicas; ++r)
      results.push_back(replica_json(file, t, c, r, o));
  }
  json doc = {{"command", "analyze glass-transition"},
              {"method",
               "continuous two-branch line y = a + b_glass·min(T − T_g, 0) + b_liquid·max(T − "
               "T_g, 0); errors linearised and inflated for the residuals' lag-1 "
               "autocorrelation (Santer et al. 2000)"},
              {"temperature", o.temperature},
              {"range_K", o.range.empty() ? json(nullptr) : json(o.range)},
              {"block", o.block},
              {"observables", o.observables},
              {"results", results}};
  if (!notes.empty())
    doc["notes"] = notes;
  write_result_document(o.output, doc);
}

}  // namespace

void register_analyze_glass_transition(CLI::App& analyze) {
  auto o = std::make_shared<GlassTransitionOptions>();
  CLI::App* c = analyze.add_subcommand(
      "glass-transition",
      "T_g with its error and each branch's slope (C_p = dH/dT) from prepare's cooling record");
  c->add_option("files", o->files, "results.h5 of task prepare (summary.json beside it)")
      ->required()
      ->check(CLI::ExistingFile);
  c->add_option("--observables", o->observables,
                "observables of the record to fit; the first gives each replica's tg_K")
      ->capture_default_str()
      ->expected(1, -1);
  c->add_option("--temperature", o->temperature,
                "x axis: target (the ramp's set temperature), measured, or auto (target when "
                "recorded)")
      ->capture_default_str()
      ->check(CLI::IsMember({"auto", "target", "measured"}));
  c->add_option("--range", o->range, "fit only records with T_min ≤ T ≤ T_max, K")->expected(2);
  c->add_option("--block", o->block, "average blocks of this many consecutive records first")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  c->add_flag("!--no-data", o->with_data, "leave the fitted points out of the output");
  c->add_option("--output,-o", o->output,
                "result file: .json, or .h5/.hdf5 for HDF5 (default: JSON on stdout)");
  c->callback([o]() { guarded("glass-transition", [&] { run_glass_transition(*o); }); });
}

}  // namespace glassland::analyze_cli
