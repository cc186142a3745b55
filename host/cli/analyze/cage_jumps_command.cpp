// `glassland analyze cage-jumps TRAJ… --u2 U2 -o OUT.json|OUT.h5` (issue 20 item 4; paper 002
// §III.3; docs/analysis.md): cage jumps of every atom (analysis/cage_jumps.hpp), the jump rate Γ,
// the mean squared jump length ⟨l²⟩ and D = Γ⟨l²⟩/(2d) per species, and with series at three or
// more temperatures the Arrhenius fits of Γ (cage-breaking barrier Q1) and ⟨l²⟩ (hopping barrier
// Q2) through analysis/regression.hpp.
#include <cmath>
#include <limits>
#include <memory>
#include <set>

#include "analysis/cage_jumps.hpp"
#include "analysis/regression.hpp"
#include "analysis/surface_layers.hpp"
#include "host/cli/analyze/trajectory_commands.hpp"
#include "host/cli/analyze/trajectory_inputs.hpp"
#include "host/io/input_error.hpp"
#include "host/io/json_hdf5.hpp"

namespace glassland {

namespace {

namespace ga = analysis;
using json = nlohmann::json;

struct CageJumpOptions {
  TrajectoryOptions trajectory;
  ga::CageJumpSettings settings;
  std::vector<double> u2;
  double sample_ps = 5.0;
  bool lateral = false;
  double surface_depth = 0.0;
  bool list_jumps = false;
  std::string output;
};

json number(double v) {
  return std::isfinite(v) ? json(v) : json(nullptr);
}

json statistics_json(const ga::CageJumpStatistics& s) {
  return {{"atoms", s.atoms},
          {"jumps", s.jumps},
          {"rate_per_ps", s.rate_per_ps},
          {"mean_squared_length_A2", number(s.mean_squared_length_A2)},
          {"diffusion_m2_per_s", s.diffusion_m2_per_s}};
}

json analyse_series(TrajectorySeries& series, const CageJumpOptions& o, double u2) {
  AtomsFrame f;
  if (!next_frame(series, f))
    throw InputError(series.description + ": no frame selected");
  int n_types = 0;
  for (int t : f.types)
    n_types = std::max(n_types, t);
  resolve_types(series, n_types, o.trajectory, false);
  const std::vector<int> types = f.types;
  const std::vector<int> ids = f.ids;
  const double t0 = frame_time_ps(f, o.trajectory, series.description);
  ga::CageJumpSettings settings = o.settings;
  settings.u2_A2 = u2;
  settings.dimensions = o.lateral ? 2 : 3;
  std::unique_ptr<ga::CageJumpDetector> detector;
  std::vector<unsigned char> surface_first, surface_last;
  double interval = 0.0;  // of the frames read
  std::size_t stride = 1, read = 0;
  do {
    const double t = frame_time_ps(f, o.trajectory, series.description);
    if (read == 1) {
      interval = t - t0;
      if (!(interval > 0.0))
        throw InputError(series.description + ": frame times do not increase");
      stride = static_cast<std::size_t>(std::llround(o.sample_ps / interval));
      if (stride < 1 || std::fabs(stride * interval - o.sample_ps) > 1e-6 * o.sample_ps)
        throw InputError(series.description + ": frames are " + std::to_string(interval) +
                         " ps apart; --sample-ps " + std::to_string(o.sample_ps) +
                         " must be a whole multiple of that");
    }
    if (read >= 1 && std::fabs(t - t0 - read * interval) > 1e-6 * interval + 1e-9 * std::fabs(t))
      throw InputError(series.description + ": frame " + std::to_string(f.index) +
                       " is not evenly spaced in time (" + std::to_string(t) + " ps)");
    if (f.n_atoms() != types.size())
      throw InputError(series.description + ": frame " + std::to_string(f.index) + " has " +
                       std::to_string(f.n_atoms()) + " atoms, the first has " +
                       std::to_string(types.size()));
    if (read % stride == 0) {
      if (!detector)
        detector = std::make_unique<ga::CageJumpDetector>(settings, types.size(), o.sample_ps);
      detector->add_frame(f.positions);
      if (o.surface_depth > 0.0) {
        const auto s = ga::slab_surfaces(f.positions, f.cell.lx * f.cell.ly);
        surface_last = ga::surface_atoms(f.positions, s, o.surface_depth);
        if (surface_first.empty())
          surface_first = surface_last;
      }
    }
    ++read;
  } while (next_frame(series, f));
  const ga::CageJumpResult r = detector->finish();
  if (r.windows < 3)
    throw InputError(
        series.description + ": " + std::to_string(r.samples) + " samples make " +
        std::to_string(r.windows) +
        " windows; cage jumps need at least 3 (a longer run or a shorter --window-ps)");
  const int d = settings.dimensions;
  json per_species = json::object();
  per_species["all"] = statistics_json(ga::cage_jump_statistics(r, {}, d));
  for (int t = 1; t <= n_types; ++t) {
    std::vector<unsigned char> members(types.size());
    for (std::size_t i = 0; i < types.size(); ++i)
      members[i] = types[i] == t;
    per_species[series.type_names[t - 1]] =
        statistics_json(ga::cage_jump_statistics(r, members, d));
  }
  std::vector<std::string> elements(types.size());
  for (std::size_t i = 0; i < types.size(); ++i)
    elements[i] = series.type_names[types[i] - 1];
  json out = {{"source", series.description},
              {"temperature_K", number(series.temperature_K)},
              {"u2_A2", u2},
              {"dimensions", d},
              {"samples", r.samples},
              {"sample_interval_ps", r.sample_interval_ps},
              {"window_ps", r.window_ps},
              {"windows", r.windows},
              {"duration_ps", r.duration_ps},
              {"runs_of_jump_windows", r.runs},
              {"dropped",
               {{"at_edge", r.dropped_at_edge},
                {"short", r.dropped_short},
                {"back_and_forth", r.dropped_back_and_forth}}},
              {"species", per_species},
              {"atoms",
               {{"id", ids},
                {"element", elements},
                {"jumps", r.jumps_per_atom},
                {"squared_length_A2", r.squared_length_per_atom}}}};
  if (o.surface_depth > 0.0) {
    std::vector<unsigned char> surface(types.size());
    for (std::size_t i = 0; i < surface.size(); ++i)
      surface[i] = surface_first[i] && surface_last[i];
    out["surface"] = statistics_json(ga::cage_jump_statistics(r, surface, d));
    out["surface"]["depth_A"] = o.surface_depth;
    out["surface"]["selection"] =
        "atoms within depth of a free surface in the first and the last analysed frame";
  }
  if (o.list_jumps) {
    json list = json::array();
    for (const ga::CageJump& j : r.jumps)
      list.push_back({{"id", ids[j.atom]},
                      {"element", elements[j.atom]},
                      {"start_ps", t0 + j.start_ps},
                      {"end_ps", t0 + j.end_ps},
                      {"vector_A", j.vector},
                      {"length_A", j.length}});
    out["jumps"] = list;
  }
  return out;
}

// Arrhenius fits of Γ, ⟨l²⟩ and D across series at ≥ 3 distinct temperatures (paper 002 Fig. 5,
// Table 1): Q1 from Γ, Q2 from ⟨l²⟩, Q_D from D.
json arrhenius_json(const std::vector<json>& series) {
  std::vector<double> T, rate, l2, D;
  std::set<double> distinct;
  for (const json& s : series) {
    const json& all = s["species"]["all"];
    if (!s["temperature_K"].is_number() || !(all["rate_per_ps"].get<double>() > 0.0) ||
        !all["mean_squared_length_A2"].is_number())
      continue;
    T.push_back(s["temperature_K"].get<double>());
    rate.push_back(all["rate_per_ps"].get<double>());
    l2.push_back(all["mean_squared_length_A2"].get<double>());
    D.push_back(all["diffusion_m2_per_s"].get<double>());
    distinct.insert(T.back());
  }
  if (distinct.size() < 3)
    return nullptr;
  auto fit = [&](const std::vector<double>& y) {
    const ga::ArrheniusFit f = ga::arrhenius_fit(T, y);
    return json{{"Q_eV", {{"value", f.Q_eV}, {"error", f.Q_error_eV}}},
                {"prefactor", {{"value", f.prefactor}, {"error", f.prefactor_error}}},
                {"ln_prefactor", {{"value", f.ln_prefactor}, {"error", f.ln_prefactor_error}}}};
  };
  return {{"temperature_K", T},
          {"cage_breaking_Q1_from_rate", fit(rate)},
          {"hopping_Q2_from_mean_squared_length", fit(l2)},
          {"diffusion_QD", fit(D)},
          {"note",
           "unweighted fits of ln y against 1/(k_B T) over the series (all atoms); the "
           "rate prefactor is in 1/ps, the ⟨l²⟩ prefactor in Å², D0 in m²/s"}};
}

void run_cage_jumps(const CageJumpOptions& o) {
  std::vector<TrajectorySeries> all = open_trajectory_series(o.trajectory);
  if (o.u2.size() != 1 && o.u2.size() != all.size())
    throw InputError("--u2: give one Debye–Waller factor for every series or one per series (" +
                     std::to_string(all.size()) + " series), got " + std::to_string(o.u2.size()));
  std::vector<json> series;
  for (std::size_t k = 0; k < all.size(); ++k) {
    try {
      series.push_back(analyse_series(all[k], o, o.u2[o.u2.size() == 1 ? 0 : k]));
    } catch (const std::invalid_argument& e) {
      throw InputError(all[k].description + ": " + e.what());
    }
  }
  json doc = {{"command", "analyze cage-jumps"},
              {"settings",
               {{"window_ps", o.settings.window_ps},
                {"sample_ps", o.sample_ps},
                {"variance_factor", o.settings.variance_factor},
                {"length_factor", o.settings.length_factor},
                {"back_and_forth_A", o.settings.back_and_forth_A},
                {"lateral", o.lateral}}},
              {"series", series}};
  if (series.size() == 1)
    for (const auto& [key, value] : series[0].items())
      doc[key] = value;
  const json arrhenius = arrhenius_json(series);
  if (!arrhenius.is_null())
    doc["arrhenius"] = arrhenius;
  write_result_document(o.output, doc);
}

}  // namespace

void register_analyze_cage_jumps(CLI::App& analyze) {
  auto o = std::make_shared<CageJumpOptions>();
  CLI::App* c = analyze.add_subcommand(
      "cage-jumps",
      "Cage jumps (paper 002, after Lü & Wang): jump rate Γ, ⟨l²⟩, D = Γ⟨l²⟩/2d per species, "
      "Arrhenius Q1 and Q2 across temperatures");
  add_trajectory_options(c, o->trajectory, "trajectories (H5MD or LAMMPS dumps)");
  c->add_option("--u2", o->u2,
                "Debye–Waller factor <u²> in Å² (the MSD plateau; analyze dynamics reports it as "
                "debye_waller): one value, or one per series")
      ->required()
      ->expected(1, -1)
      ->check(CLI::PositiveNumber);
  c->add_option("--window-ps", o->settings.window_ps, "averaging window Δt, ps")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  c->add_option("--sample-ps", o->sample_ps,
                "time between the samples that are averaged, ps (a multiple of the frame spacing)")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  c->add_option("--variance-factor", o->settings.variance_factor,
                "a window is a jump window when its variance exceeds this times <u²>")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  c->add_option("--length-factor", o->settings.length_factor,
                "jumps shorter than this times sqrt(<u²>) are dropped")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  c->add_option("--back-and-forth", o->settings.back_and_forth_A,
                "successive jumps with |l_n + l_n+1| below this (Å) are dropped as a pair")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  c->add_flag("--lateral", o->lateral, "x–y positions only (d = 2; surfaces)");
  c->add_option("--surface-depth", o->surface_depth,
                "slab: also report the atoms within this depth (Å) of a free surface")
      ->check(CLI::PositiveNumber);
  c->add_flag("--list-jumps", o->list_jumps, "list every kept jump (atom, times, vector)");
  c->add_option("--output,-o", o->output,
                "result file: .json, or .h5/.hdf5 for HDF5 (default: JSON on stdout)");
  c->callback([o]() { run_cage_jumps(*o); });
}

}  // namespace glassland
