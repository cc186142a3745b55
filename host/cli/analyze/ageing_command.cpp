// `glassland analyze ageing RESULTS.h5… [-o OUT.json|OUT.h5]` (issue 21 item 3; paper 003 Figs. 1–2
// and Eq. 1; docs/ageing.md): the E_IS(t) series that `task: md` records with
// md.inherent_structures, turned into ageing-rate maps Φ(E_IS, T) without and with a fixed shear
// strain, the loaded/unloaded ratio map and the cosh fit of the activation volume
// (analysis/ageing_map.hpp).
//
// Per replica of every results file: T from md.temperature (a run with a ramp or staircase is
// refused: the maps are of isothermal anneals), the strain from md.shear.strain_* (a replica is
// loaded when the analysed component is non-zero; a strain rate is refused), the source structure
// from the system section (its cooling rate when the source is a final_NNNN.data or is_NNNN.data
// of a prepare run whose summary.json sits next to it), E_IS per atom from
// observables/inherent_structure/energy, and for loaded replicas the shear stress of every pair of
// samples, τ = −p_ab, the mean of the thermo records after the first sample up to the second.
// Quenches that did not converge are dropped (counted per replica).
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>

#include "analysis/ageing_map.hpp"
#include "host/cli/analyze/analyze_commands.hpp"
#include "host/cli/analyze/analyze_io.hpp"
#include "host/cli/analyze/trajectory_commands.hpp"
#include "host/io/h5md_writer.hpp"
#include "host/io/hdf5_file.hpp"
#include "host/io/json_hdf5.hpp"
#include "host/tasks/structure_provenance.hpp"

namespace glassland::analyze_cli {

namespace {

namespace fs = std::filesystem;

struct AgeingOptions {
  std::vector<std::string> files;
  double bin_width = 0.002;
  std::size_t min_count = 2;
  std::string component = "auto";
  std::string elastic_offset = "initial";
  std::string output;
};

const char* const kComponents[3] = {"xy", "xz", "yz"};

struct Replica {
  std::string file, source;
  int index = 0;
  int atoms = 0;
  double temperature_K = kNaN;
  double cooling_rate = kNaN;
  double strain[3] = {0, 0, 0};
  bool loaded = false;
  std::size_t dropped = 0;  // unconverged quenches
  double offset = 0.0;      // elastic energy subtracted from a loaded series, eV/atom
  ga::AgeingSeries series;  // energies per atom, as recorded
  std::vector<double> all_times_ps, all_energies;  // every sample, before dropping
};

json number(double v) {
  return std::isfinite(v) ? json(v) : json(nullptr);
}

// md.<key> of replica r: a number for all replicas or one per replica; `fallback` when absent.
double per_replica(const json& section, const std::string& key, int r, double fallback,
                   const std::string& file) {
  if (!section.contains(key))
    return fallback;
  const json& v = section[key];
  if (v.is_number())
    return v.get<double>();
  if (v.is_array() && r < static_cast<int>(v.size()) && v[r].is_number())
    return v[r].get<double>();
  throw InputError(file + ": the run's " + key + " has no value for replica " + std::to_string(r));
}

std::string replica_source(const json& system, int r) {
  if (system.contains("structures") && system["structures"].is_array() &&
      !system["structures"].empty())
    return system["structures"].at(r).get<std::string>();
  if (system.contains("structure") && system["structure"].is_string() &&
      !system["structure"].get<std::string>().empty())
    return system["structure"].get<std::string>();
  const json& build = system.value("build", json::object());
  const json seeds = build.value("seeds", json::array());
  const long long seed = seeds.is_array() && r < static_cast<int>(seeds.size())
                             ? seeds[r].get<long long>()
                             : build.value("seed", 1LL) + r;
  return "build seed " + std::to_string(seed);
}

// The cooling rate of the prepare run that wrote replica r's structure: recorded by the md run
// in system._sources (runs since issue 21's follow-up), else looked up beside the structure path
// the run recorded (older runs recorded it relative to their input file: found only from where
// that path holds).
double source_cooling_rate(const json& system, int r, const std::string& source) {
  const json sources = system.value("_sources", json::array());
  if (sources.is_array() && r < static_cast<int>(sources.size())) {
    const json& rate = sources[r].value("cooling_rate_K_per_s", json());
    return rate.is_number() ? rate.get<double>() : kNaN;
  }
  if (source.rfind("build seed ", 0) == 0)
    return kNaN;
  const json rate = structure_provenance(source)["cooling_rate_K_per_s"];
  return rate.is_number() ? rate.get<double>() : kNaN;
}

// The thermo record of one pressure component: times and values [record][replica].
struct ThermoColumn {
  std::vector<double> time, value;
  std::size_t replicas = 0;
};

ThermoColumn read_column(const hdf5::File& h5, const std::string& name, const std::string& file) {
  const std::string path = "observables/" + name;
  if (!h5.exists(path + "/value"))
    throw InputError(file + ": no " + path +
                     " (results of a glassland version without stress columns?)");
  ThermoColumn c;
  c.time = h5.dataset(path + "/time").read<double>();
  const hdf5::Dataset value = h5.dataset(path + "/value");
  c.value = value.read<double>();
  c.replicas = value.row_size();
  return c;
}

// Mean of −p (GPa) over the records in (t0, t1] of replica r.
double mean_shear_stress(const ThermoColumn& p, int r, double t0, double t1,
                         const std::string& where) {
  double sum = 0.0;
  int n = 0;
  for (std::size_t k = 0; k < p.time.size(); ++k)
    if (p.time[k] > t0 + 1e-9 && p.time[k] <= t1 + 1e-9) {
      sum += -p.value[k * p.replicas + r] * 1e-4;  // bar → GPa, τ = −p
      ++n;
    }
  if (n == 0)
    throw InputError(where + ": no thermo record between the samples at " + number_text(t0) +
                     " and " + number_text(t1) +
                     " ps; give output.thermo_stride no larger than the quench stride");
  return sum / n;
}

std::vector<Replica> read_results(const std::string& file) {
  const hdf5::File h5 = hdf5::File::open_read_only(file);
  const std::string energy_path = "observables/inherent_structure/energy";
  if (!h5.exists(energy_path + "/value"))
    throw InputError(file + ": no " + energy_path +
                     "; record E_IS(t) with md.inherent_structures (docs/ageing.md)");
  const json config = read_effective_configuration(h5);
  if (config.value("task", "") != "md")
    throw InputError(file + ": results of task " + config.value("task", "?") +
                     ", expected task md");
  const json& md = config["md"];
  if (md.contains("ramp") || md.contains("staircase"))
    throw InputError(file + ": md.ramp/md.staircase: the ageing maps need isothermal runs");
  const json shear = md.value("shear", json::object());
  const std::vector<double> times = h5.dataset(energy_path + "/time").read<double>();
  const hdf5::Dataset energy_set = h5.dataset(energy_path + "/value");
  const std::vector<double> energies = energy_set.read<double>();
  const std::vector<double> converged =
      h5.dataset("observables/inherent_structure/converged/value").read<double>();
  const int n_replicas = static_cast<int>(energy_set.row_size());
  std::vector<Replica> out;
  for (int r = 0; r < n_replicas; ++r) {
    Replica p;
    p.file = file;
    p.index = r;
    p.atoms = h5.exists("parameters/atoms_per_replica")
                  ? static_cast<int>(
                        h5.dataset("parameters/atoms_per_replica").read<std::int64_t>().at(0))
                  : static_cast<int>(  // results written before trajectory.h5md split off
                        h5.dataset("particles/" + replica_group_name(r) + "/species").size());
    const json system = config.value("system", json::object());
    p.source = replica_source(system, r);
    p.cooling_rate = source_cooling_rate(system, r, p.source);
    p.temperature_K = per_replica(md, "temperature", r, 300.0, file);
    for (int k = 0; k < 3; ++k) {
      p.strain[k] = per_replica(shear, std::string("strain_") + kComponents[k], r, 0.0, file);
      if (per_replica(shear, std::string("rate_") + kComponents[k], r, 0.0, file) != 0.0)
        throw InputError(file + ": replica " + std::to_string(r) + " has md.shear.rate_" +
                         kComponents[k] + "; the ageing maps are of fixed strains");
    }
    p.series.temperature_K = p.temperature_K;
    for (std::size_t k = 0; k < times.size(); ++k) {
      const double e = energies[k * n_replicas + r] / p.atoms;
      p.all_times_ps.push_back(times[k]);
      p.all_energies.push_back(e);
      if (converged[k * n_replicas + r] != 1.0) {
        ++p.dropped;
        continue;
      }
      p.series.time_ps.push_back(times[k]);
      p.series.energy.push_back(e);
    }
    out.push_back(p);
  }
  return out;
}

// Which strain component is the load: the option, or the one non-zero component of all replicas.
int load_component(const std::vector<Replica>& all, const std::string& option) {
  if (option != "auto") {
    for (int k = 0; k < 3; ++k)
      if (option == kComponents[k])
        return k;
  }
  int found = -1;
  for (const Replica& p : all)
    for (int k = 0; k < 3; ++k)
      if (p.strain[k] != 0.0) {
        if (found >= 0 && found != k)
          throw InputError("analyze ageing: replicas are strained in " +
                           std::string(kComponents[found]) + " and " + kComponents[k] +
                           "; choose one with --component");
        found = k;
      }
  return found < 0 ? 0 : found;
}

// Loaded replicas' stresses per pair and, with --elastic-offset initial, their energies shifted
// by the elastic energy of the strain: E_IS(t = first sample) of the loaded replica minus that of
// an unloaded replica of the same source structure.
void prepare_loaded(std::vector<Replica>& all, int component, const AgeingOptions& o) {
  std::map<std::string, ThermoColumn> stress;
  std::map<std::string, double> unloaded_start;  // by source
  for (Replica& p : all) {
    for (int k = 0; k < 3; ++k)
      if (k != component && p.strain[k] != 0.0)
        throw InputError(p.file + ": replica " + std::to_string(p.index) + " is strained in " +
                         kComponents[k] + ", the analysis in " + kComponents[component]);
    p.loaded = p.strain[component] != 0.0;
    if (!p.loaded && !p.all_energies.empty())
      unloaded_start.emplace(p.source, p.all_energies.front());
  }
  for (Replica& p : all) {
    if (!p.loaded)
      continue;
    if (!stress.count(p.file)) {
      const hdf5::File h5 = hdf5::File::open_read_only(p.file);
      stress[p.file] = read_column(h5, std::string("p") + kComponents[component], p.file);
    }
    const std::string where = p.file + " replica " + std::to_string(p.index);
    for (std::size_t i = 0; i + 1 < p.series.time_ps.size(); ++i)
      p.series.shear_stress_GPa.push_back(mean_shear_stress(
          stress[p.file], p.index, p.series.time_ps[i], p.series.time_ps[i + 1], where));
    if (o.elastic_offset == "none")
      continue;
    const auto match = unloaded_start.find(p.source);
    if (match == unloaded_start.end())
      throw InputError(where + " (" + p.source +
                       "): --elastic-offset initial needs an unloaded replica of the same "
                       "structure; add one, or give --elastic-offset none");
    p.offset = p.all_energies.front() - match->second;
    for (double& e : p.series.energy)
      e -= p.offset;
  }
}

template <class T>
json grid_json(const ga::PixelGrid<T>& g) {
  json rows = json::array();
  for (const auto& row : g) {
    json r = json::array();
    for (const T& v : row)
      if constexpr (std::is_floating_point_v<T>)
        r.push_back(number(v));
      else
        r.push_back(v);
    rows.push_back(r);
  }
  return rows;
}

json map_json(const ga::AgeingMap& m) {
  return {{"pairs", m.pairs},
          {"count", grid_json(m.count)},
          {"rate_eV_per_atom_ps", grid_json(m.rate)},
          {"rate_error_eV_per_atom_ps", grid_json(m.rate_error)},
          {"energy_eV_per_atom", grid_json(m.energy)},
          {"shear_stress_GPa", grid_json(m.shear_stress_GPa)},
          {"shear_stress_error_GPa", grid_json(m.shear_stress_error_GPa)}};
}

json replica_json(const Replica& p, int component) {
  return {{"file", p.file},
          {"replica", p.index},
          {"source", p.source},
          {"cooling_rate_K_per_s", number(p.cooling_rate)},
          {"temperature_K", p.temperature_K},
          {"shear_strain", {{"xy", p.strain[0]}, {"xz", p.strain[1]}, {"yz", p.strain[2]}}},
          {"loaded", p.loaded},
          {"atoms", p.atoms},
          {"dropped_unconverged", p.dropped},
          {"elastic_offset_eV_per_atom", p.offset},
          {"time_ps", p.all_times_ps},
          {"energy_per_atom_eV", p.all_energies},
          {"pair_shear_stress_GPa", p.series.shear_stress_GPa},
          {"stress_component", std::string("-p") + kComponents[component]}};
}

json fit_json(const ga::AgeingRatio& ratio) {
  json points = {{"shear_stress_GPa", ratio.stress_GPa},
                 {"temperature_K", ratio.temperature_K},
                 {"f", ratio.f},
                 {"f_error", ratio.f_error}};
  try {
    const ga::CoshFit fit =
        ga::cosh_activation_fit(ratio.stress_GPa, ratio.temperature_K, ratio.f, ratio.f_error);
    return {{"V_act_A3", value_error(fit.volume_A3, fit.volume_error_A3)},
            {"kappa", value_error(fit.kappa, fit.kappa_error)},
            {"correlation", number(fit.correlation)},
            {"chi2", fit.chi2},
            {"points_used", fit.n},
            {"dof", fit.dof},
            {"points", points},
            {"model",
             "f = kappa cosh(tau V_act / (k_B T)), weighted least squares, errors "
             "scaled by chi2/dof (paper 003 Eq. 1)"}};
  } catch (const std::invalid_argument& e) {
    return {{"V_act_A3", nullptr}, {"reason", e.what()}, {"points", points}};
  }
}

void run_ageing(const AgeingOptions& o) {
  std::vector<Replica> all;
  for (const std::string& file : o.files)
    for (Replica& p : read_results(file))
      all.push_back(std::move(p));
  const int component = load_component(all, o.component);
  prepare_loaded(all, component, o);
  std::vector<ga::AgeingSeries> loaded, unloaded;
  json replicas = json::array();
  for (const Replica& p : all) {
    replicas.push_back(replica_json(p, component));
    if (p.series.energy.size() >= 2)
      (p.loaded ? loaded : unloaded).push_back(p.series);
  }
  if (loaded.empty() && unloaded.empty())
    throw InputError("analyze ageing: no replica has two converged inherent structures");
  const ga::AgeingGrid grid = ga::ageing_grid({loaded, unloaded}, o.bin_width);
  std::vector<double> edges;
  for (std::size_t k = 0; k <= grid.energy_bins; ++k)
    edges.push_back(grid.energy_origin + k * grid.energy_bin_width);
  json doc = {{"command", "analyze ageing"},
              {"settings",
               {{"energy_bin_width_eV_per_atom", o.bin_width},
                {"min_count", o.min_count},
                {"component", kComponents[component]},
                {"elastic_offset", o.elastic_offset}}},
              {"files", o.files},
              {"replicas", replicas},
              {"grid",
               {{"temperature_K", grid.temperatures_K},
                {"energy_edges_eV_per_atom", edges},
                {"energy_bins", grid.energy_bins}}}};
  std::unique_ptr<ga::AgeingMap> map_l, map_0;
  if (!unloaded.empty())
    doc["unloaded"] =
        map_json(*(map_0 = std::make_unique<ga::AgeingMap>(ga::ageing_map(unloaded, grid))));
  if (!loaded.empty())
    doc["loaded"] =
        map_json(*(map_l = std::make_unique<ga::AgeingMap>(ga::ageing_map(loaded, grid))));
  if (map_l && map_0) {
    const ga::AgeingRatio ratio = ga::ageing_ratio(*map_l, *map_0, o.min_count);
    doc["ratio"] = {{"f", grid_json(ratio.ratio)},
                    {"f_error", grid_json(ratio.ratio_error)},
                    {"usable", grid_json(ratio.usable)}};
    doc["activation_volume"] = fit_json(ratio);
  }
  write_result_document(o.output, doc);
}

}  // namespace

void register_analyze_ageing(CLI::App& analyze) {
  auto o = std::make_shared<AgeingOptions>();
  CLI::App* c = analyze.add_subcommand(
      "ageing",
      "Ageing-rate maps Φ(E_IS, T) from md runs with md.inherent_structures, unloaded and under a "
      "fixed shear strain, their ratio and the cosh activation volume (paper 003)");
  c->add_option("results", o->files, "results.h5 of md runs (several runs are pooled)")
      ->required()
      ->check(CLI::ExistingFile);
  c->add_option("--energy-bin-width", o->bin_width,
                "width of the E_IS bins, eV/atom (bins aligned on multiples of it)")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  c->add_option("--min-count", o->min_count,
                "pairs a pixel needs in both maps to enter the cosh fit")
      ->capture_default_str()
      ->check(CLI::Range(2, 1000000));
  c->add_option("--component", o->component,
                "the strain component that is the load: xy, xz, yz or auto (the one used)")
      ->capture_default_str()
      ->check(CLI::IsMember({"auto", "xy", "xz", "yz"}));
  c->add_option("--elastic-offset", o->elastic_offset,
                "initial: subtract from a loaded series its elastic energy (its first E_IS minus "
                "that of an unloaded replica of the same structure); none: keep E_IS as is")
      ->capture_default_str()
      ->check(CLI::IsMember({"initial", "none"}));
  c->add_option("--output,-o", o->output,
                "result file: .json, or .h5/.hdf5 for HDF5 (default: JSON on stdout)");
  c->callback([o]() { guarded("ageing", [&] { run_ageing(*o); }); });
  // The other analysis of paper 003 (p_hop, D.F.), registered here so that the list of
  // sub-commands in analyze_command.cpp keeps one line for both.
  register_analyze_mobility(analyze);
}

}  // namespace glassland::analyze_cli
