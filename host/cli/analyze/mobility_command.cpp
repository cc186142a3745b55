// `glassland analyze mobility TRAJ… --window-ps T_R [--excitations FILE] -o OUT.json|OUT.h5`
// (issue 21 item 4; paper 003 Fig. 4 and Eq. 2; docs/ageing.md): the hopping indicator p_hop of
// every atom (analysis/hop_mobility.hpp) and, with a set of local structural excitations, the
// disproportionate factor D.F.(X %).
//
// Excitations come from a JSON file of records, each with the atoms it involves and a score:
//  * the events.json of `task: art` (records with "participating_atoms", atom IDs);
//  * the neb.json of `task: neb` run on ART events (neb.art_events): bands with "tortuosity"
//    (C/L, paper 003's score) and "art_event": {"index"}, whose participating atoms are read from
//    that events.json (--art-events, default: the neb run's own neb.art_events, found in the
//    effective_input.json next to neb.json);
//  * any JSON list (or {"events"|"bands": [...]}) of records with "participating_atoms".
// Records with "success" or "converged" false, or without a numeric score, are skipped and
// counted.
#include <cmath>
#include <filesystem>
#include <map>
#include <memory>

#include "analysis/hop_mobility.hpp"
#include "host/cli/analyze/analyze_io.hpp"
#include "host/cli/analyze/trajectory_commands.hpp"
#include "host/cli/analyze/trajectory_inputs.hpp"
#include "host/io/input_error.hpp"
#include "host/io/json_hdf5.hpp"

namespace glassland {

namespace {

namespace ga = analysis;
namespace fs = std::filesystem;
using json = nlohmann::json;
using analyze_cli::read_json_file;

struct MobilityOptions {
  TrajectoryOptions trajectory;
  double window_ps = 0.0;
  std::string excitations, art_events, score = "tortuosity";
  std::vector<double> percents{1, 2, 5, 10, 20, 30, 50, 70, 100};
  bool series = false;
  std::string output;
};

// The records of an excitation file and, when they point at ART events, those events.
struct ExcitationRecords {
  std::vector<json> records;
  std::vector<json> art_events;  // empty unless needed
  std::string art_events_file;
};

const json& record_list(const json& doc, const std::string& file) {
  if (doc.is_array())
    return doc;
  for (const char* key : {"events", "bands"})
    if (doc.is_object() && doc.contains(key) && doc[key].is_array())
      return doc[key];
  throw InputError(file +
                   ": expected a list of records, or an object with \"events\" or "
                   "\"bands\"");
}

ExcitationRecords read_excitations(const MobilityOptions& o) {
  ExcitationRecords e;
  const json doc = read_json_file(o.excitations);
  for (const json& r : record_list(doc, o.excitations))
    e.records.push_back(r);
  bool needs_events = false;
  for (const json& r : e.records)
    needs_events = needs_events || (!r.contains("participating_atoms") && r.contains("art_event"));
  if (!needs_events)
    return e;
  e.art_events_file = o.art_events;
  if (e.art_events_file.empty()) {
    const fs::path input = fs::path(o.excitations).parent_path() / "effective_input.json";
    if (!fs::exists(input))
      throw InputError(o.excitations +
                       ": records name ART events but no --art-events was given and there is no "
                       "effective_input.json next to it");
    const json config = read_json_file(input.string());
    if (!config.contains("neb") || !config["neb"].contains("art_events"))
      throw InputError(input.string() + ": no neb.art_events; give --art-events");
    e.art_events_file = config["neb"]["art_events"].get<std::string>();
  }
  const json events = read_json_file(e.art_events_file);
  for (const json& r : record_list(events, e.art_events_file))
    e.art_events.push_back(r);
  return e;
}

// The excitations with atom IDs turned into indices of the trajectory's (ID-sorted) atoms.
std::vector<ga::LocalExcitation> excitations_for(const ExcitationRecords& e,
                                                 const std::vector<int>& ids,
                                                 const MobilityOptions& o, json& report) {
  std::map<int, std::size_t> index;
  for (std::size_t i = 0; i < ids.size(); ++i)
    index[ids[i]] = i;
  std::vector<ga::LocalExcitation> out;
  std::size_t failed = 0, no_score = 0;
  for (std::size_t k = 0; k < e.records.size(); ++k) {
    const json& r = e.records[k];
    const std::string where = o.excitations + ": record " + std::to_string(k);
    if (r.value("success", true) == false || r.value("converged", true) == false) {
      ++failed;
      continue;
    }
    if (!r.contains(o.score) || !r[o.score].is_number()) {
      ++no_score;
      continue;
    }
    const json* atoms = nullptr;
    if (r.contains("participating_atoms")) {
      atoms = &r["participating_atoms"];
    } else if (r.contains("art_event") && r["art_event"].contains("index")) {
      const std::size_t at = r["art_event"]["index"].get<std::size_t>();
      if (at >= e.art_events.size() || !e.art_events[at].contains("participating_atoms"))
        throw InputError(where + ": art_event index " + std::to_string(at) +
                         " has no "
                         "participating_atoms in " +
                         e.art_events_file);
      atoms = &e.art_events[at]["participating_atoms"];
    } else {
      throw InputError(where + ": no participating_atoms and no art_event");
    }
    ga::LocalExcitation x;
    x.score = r[o.score].get<double>();
    for (const json& id : *atoms) {
      const auto found = index.find(id.get<int>());
      if (found == index.end())
        throw InputError(where + ": atom ID " + std::to_string(id.get<int>()) +
                         " is not in the trajectory");
      x.atoms.push_back(found->second);
    }
    out.push_back(x);
  }
  report = {{"file", o.excitations},
            {"score", o.score},
            {"used", out.size()},
            {"skipped_failed", failed},
            {"skipped_without_score", no_score}};
  if (!e.art_events_file.empty())
    report["art_events"] = e.art_events_file;
  return out;
}

json analyse_series(TrajectorySeries& series, const MobilityOptions& o,
                    const ExcitationRecords* excitations) {
  AtomsFrame f;
  std::vector<std::vector<double>> positions;
  std::vector<double> times;
  std::vector<int> ids;
  while (next_frame(series, f)) {
    if (ids.empty())
      ids = f.ids;
    if (f.ids != ids)
      throw InputError(series.description + ": frame " + std::to_string(f.index) +
                       " holds other atoms than the first");
    times.push_back(frame_time_ps(f, o.trajectory, series.description));
    positions.push_back(f.positions);
  }
  if (times.size() < 3)
    throw InputError(series.description + ": p_hop needs at least 3 frames");
  const double interval = times[1] - times[0];
  for (std::size_t k = 1; k < times.size(); ++k)
    if (!(interval > 0.0) ||
        std::fabs(times[k] - times[0] - k * interval) > 1e-6 * interval + 1e-9 * times[k])
      throw InputError(series.description + ": frames are not evenly spaced in time");
  const double half = o.window_ps / 2.0 / interval;
  const std::size_t h = static_cast<std::size_t>(std::llround(half));
  if (h < 1 || std::fabs(h - half) > 1e-6 * half)
    throw InputError("--window-ps " + analyze_cli::number_text(o.window_ps) +
                     ": half the window must be a whole number (≥ 1) of the frame spacing, " +
                     analyze_cli::number_text(interval) + " ps in " + series.description);
  const ga::HopIndicator p = ga::hop_indicator(positions, h);
  std::vector<double> time_of_max;
  for (std::size_t f_max : p.maximum_frame)
    time_of_max.push_back(times[f_max]);
  json out = {{"source", series.description},
              {"frame_interval_ps", interval},
              {"frames", times.size()},
              {"window_ps", 2.0 * h * interval},
              {"half_window_frames", h},
              {"atoms",
               {{"id", ids},
                {"p_hop_max_A2", p.maximum},
                {"p_hop_mean_A2", p.mean},
                {"time_of_max_ps", time_of_max}}}};
  if (o.series) {
    json rows = json::array();
    for (std::size_t t = 0; t < p.frames; ++t)
      rows.push_back(
          std::vector<double>(p.value.begin() + t * p.atoms, p.value.begin() + (t + 1) * p.atoms));
    out["p_hop_series"] = {
        {"time_ps", std::vector<double>(times.begin() + p.first_frame,
                                        times.begin() + p.first_frame + p.frames)},
        {"p_hop_A2", rows}};
  }
  if (excitations) {
    json report;
    const auto lse = excitations_for(*excitations, ids, o, report);
    std::vector<double> fractions;
    for (double x : o.percents)
      fractions.push_back(x / 100.0);
    json df = json::array();
    for (const ga::DisproportionateFactor& d :
         ga::disproportionate_factor(p.maximum, lse, fractions))
      df.push_back({{"percent", 100.0 * d.fraction},
                    {"top_atoms", d.top_atoms},
                    {"top_excitations", d.top_excitations},
                    {"involved_atoms", d.involved_atoms},
                    {"overlap", d.overlap},
                    {"conditional_fraction", d.conditional_fraction},
                    {"occupation", d.occupation},
                    {"value", std::isfinite(d.value) ? json(d.value) : json(nullptr)}});
    out["excitations"] = report;
    out["disproportionate_factor"] = df;
  }
  return out;
}

void run_mobility(const MobilityOptions& o) {
  std::vector<TrajectorySeries> all = open_trajectory_series(o.trajectory);
  std::unique_ptr<ExcitationRecords> excitations;
  if (!o.excitations.empty())
    excitations = std::make_unique<ExcitationRecords>(read_excitations(o));
  std::vector<json> series;
  for (TrajectorySeries& s : all) {
    try {
      series.push_back(analyse_series(s, o, excitations.get()));
    } catch (const std::invalid_argument& e) {
      throw InputError(s.description + ": " + e.what());
    }
  }
  json doc = {{"command", "analyze mobility"},
              {"settings",
               {{"window_ps", o.window_ps},
                {"mobility", "p_hop maximum over time per atom"},
                {"percents", o.percents}}},
              {"series", series}};
  if (series.size() == 1)
    for (const auto& [key, value] : series[0].items())
      doc[key] = value;
  write_result_document(o.output, doc);
}

}  // namespace

void register_analyze_mobility(CLI::App& analyze) {
  auto o = std::make_shared<MobilityOptions>();
  CLI::App* c = analyze.add_subcommand(
      "mobility",
      "Hopping indicator p_hop of every atom and the disproportionate factor D.F.(X %) against "
      "local excitations (paper 003)");
  add_trajectory_options(c, o->trajectory, "trajectories (H5MD or LAMMPS dumps)");
  c->add_option("--window-ps", o->window_ps,
                "t_R: p_hop compares the windows [t − t_R/2, t] and [t, t + t_R/2]")
      ->required()
      ->check(CLI::PositiveNumber);
  c->add_option("--excitations", o->excitations,
                "local excitations for D.F.: ART events.json, neb.json of bands on ART events, or "
                "records with participating_atoms")
      ->check(CLI::ExistingFile);
  c->add_option("--art-events", o->art_events,
                "the ART events.json that neb.json's art_event indices refer to (default: the "
                "neb run's neb.art_events)")
      ->check(CLI::ExistingFile);
  c->add_option("--score", o->score, "record key that ranks the excitations (highest first)")
      ->capture_default_str();
  c->add_option("--percents", o->percents, "the X of D.F.(X %), in (0, 100]")
      ->expected(1, -1)
      ->check(CLI::Range(1e-9, 100.0));
  c->add_flag("--series", o->series, "also write p_hop of every atom at every frame");
  c->add_option("--output,-o", o->output,
                "result file: .json, or .h5/.hdf5 for HDF5 (default: JSON on stdout)");
  c->callback([o]() { run_mobility(*o); });
}

}  // namespace glassland
