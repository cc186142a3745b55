#include "host/io/dynamics_report.hpp"

#include <cmath>
#include <limits>
#include <set>
#include <stdexcept>

#include "analysis/dynamics_observables.hpp"
#include "analysis/regression.hpp"

namespace glassland {

namespace {

using json = nlohmann::json;
namespace ga = analysis;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// A number, or null when it is not finite.
json number(double v) {
  return std::isfinite(v) ? json(v) : json(nullptr);
}
json numbers(const std::vector<double>& v) {
  json a = json::array();
  for (double x : v)
    a.push_back(number(x));
  return a;
}

// The sets of groups the document reports: every atom, then each species that has atoms.
struct Selection {
  std::string name;
  int species;  // −1: all
};
std::vector<Selection> selections(const DynamicsSeries& s) {
  std::vector<Selection> out{{"all", -1}};
  for (std::size_t k = 0; k < s.species_names.size(); ++k)
    if (k < s.atoms_per_species.size() && s.atoms_per_species[k] > 0)
      out.push_back({s.species_names[k], static_cast<int>(k)});
  return out;
}

json diffusion_json(const DynamicsSeries& s, const std::vector<double>& lag_ps,
                    const std::vector<double>& msd, int species) {
  const std::size_t n_species = s.species_names.size();
  std::vector<std::vector<double>> subset_msd;
  if (s.subsets >= 2)
    for (std::size_t k = 0; k < s.subsets; ++k)
      subset_msd.push_back(
          ga::displacement_curves(s.sums,
                                  ga::groups_of(n_species, s.subsets, species, static_cast<int>(k)),
                                  s.settings.dimensions, s.settings.van_hove_bin)
              .msd);
  try {
    const ga::DiffusionFit f = ga::fit_diffusion(lag_ps, msd, subset_msd, s.settings.dimensions,
                                                 s.fit_start_ps, s.fit_end_ps);
    json d = {{"value", number(f.value_m2_per_s)},
              {"stderr", number(f.stderr_m2_per_s)},
              {"fit_window_ps", {f.window_start_ps, f.window_end_ps}},
              {"points", f.points},
              {"intercept_A2", number(f.intercept_A2)},
              {"loglog_slope", number(f.loglog_slope)}};
    if (!f.note.empty())
      d["note"] = f.note;
    return d;
  } catch (const std::invalid_argument& e) {
    return {{"value", nullptr}, {"stderr", nullptr}, {"note", e.what()}};
  }
}

}  // namespace

json dynamics_series_json(const DynamicsSeries& s) {
  const std::size_t lags = s.sums.lags();
  std::vector<double> lag_ps(lags);
  for (std::size_t k = 0; k < lags; ++k)
    lag_ps[k] = k * s.frame_interval_ps;
  const int dims = s.settings.dimensions;
  const std::size_t n_species = s.species_names.size();
  json r = {{"source", s.source},
            {"temperature_K", number(s.temperature_K)},
            {"frames", s.frames},
            {"frame_interval_ps", s.frame_interval_ps},
            {"dimensions", dims},
            {"origin_stride", s.settings.origin_stride >= s.frames
                                  ? json("single origin (the first frame)")
                                  : json(s.settings.origin_stride)},
            {"drift_removed", s.settings.remove_drift},
            {"unwrapping", s.unwrapping},
            {"lag_ps", lag_ps}};
  json atoms = json::object(), pairs = json::object(), msd = json::object(),
       alpha2 = json::object(), tau = json::object(), diffusion = json::object(),
       debye = json::object(), stokes = json::object();
  std::vector<json> fs(s.settings.q.size(), json::object());
  json van_hove = json::object();
  std::vector<double> vh_lag_ps, vh_r;
  for (std::size_t v : s.settings.van_hove_lags)
    vh_lag_ps.push_back(v * s.frame_interval_ps);
  const std::size_t bins = s.sums.van_hove.empty() || s.sums.n_groups == 0
                               ? 0
                               : s.sums.van_hove[0].size() / s.sums.n_groups;
  for (std::size_t b = 0; b < bins; ++b)
    vh_r.push_back((b + 0.5) * s.settings.van_hove_bin);
  van_hove["lag_ps"] = vh_lag_ps;
  van_hove["r_A"] = vh_r;
  json vh_beyond = json::object();
  std::size_t total_atoms = 0;
  for (std::size_t a : s.atoms_per_species)
    total_atoms += a;
  for (const Selection& sel : selections(s)) {
    const ga::DisplacementCurves c =
        ga::displacement_curves(s.sums, ga::groups_of(n_species, s.subsets, sel.species, -1), dims,
                                s.settings.van_hove_bin);
    atoms[sel.name] = sel.species < 0 ? total_atoms : s.atoms_per_species[sel.species];
    pairs[sel.name] = numbers(c.pairs);
    msd[sel.name] = numbers(c.msd);
    alpha2[sel.name] = numbers(c.alpha2);
    json tau_by_q = json::array();
    for (std::size_t q = 0; q < c.fs.size(); ++q) {
      fs[q][sel.name] = numbers(c.fs[q]);
      tau_by_q.push_back(number(ga::first_crossing_time(lag_ps, c.fs[q], std::exp(-1.0))));
    }
    if (!c.fs.empty())
      tau[sel.name] = tau_by_q[0];
    diffusion[sel.name] = diffusion_json(s, lag_ps, c.msd, sel.species);
    const ga::DebyeWaller dw = ga::debye_waller_factor(lag_ps, c.msd);
    debye[sel.name] =
        dw.found ? json{{"u2_A2", dw.u2_A2}, {"time_ps", dw.time_ps}, {"loglog_slope", dw.slope}}
                 : json{{"u2_A2", nullptr}, {"note", dw.note}};
    json vh = json::array();
    for (std::size_t v = 0; v < c.van_hove.size(); ++v)
      vh.push_back(numbers(c.van_hove[v]));
    van_hove[sel.name] = vh;
    vh_beyond[sel.name] = numbers(c.van_hove_beyond);
    if (!c.fs.empty()) {
      const double D = diffusion[sel.name]["value"].is_number()
                           ? diffusion[sel.name]["value"].get<double>()
                           : kNaN;
      const double t = tau_by_q[0].is_number() ? tau_by_q[0].get<double>() : kNaN;
      // D in Å²/ps times τ_α in ps.
      const double d_tau = D / ga::kSquareMetrePerSecond_per_SquareAngstromPerPs * t;
      stokes[sel.name] = {{"d_tau_alpha_A2", number(d_tau)},
                          {"d_tau_alpha_over_T_A2_per_K", number(d_tau / s.temperature_K)}};
    }
  }
  van_hove["beyond_fraction"] = vh_beyond;
  van_hove["bin_A"] = s.settings.van_hove_bin;
  r["atoms"] = atoms;
  r["origin_atom_pairs"] = pairs;
  r["msd_A2"] = msd;
  r["alpha2"] = alpha2;
  if (!fs.empty()) {
    json first = fs[0];
    first["q_inv_A"] = s.settings.q[0];
    first["q_source"] = s.q_source;
    r["fs"] = first;
    json all_q = json::array();
    for (std::size_t q = 0; q < fs.size(); ++q) {
      json f = fs[q];
      f["q_inv_A"] = s.settings.q[q];
      all_q.push_back(f);
    }
    r["fs_by_q"] = all_q;
    r["tau_alpha_ps"] = tau;
    r["stokes_einstein"] = stokes;
  }
  r["diffusion_m2_per_s"] = diffusion;
  r["debye_waller"] = debye;
  if (!vh_lag_ps.empty())
    r["van_hove"] = van_hove;
  for (const auto& [key, value] : s.extra.items())
    r[key] = value;
  return r;
}

json dynamics_document(const std::string& command, const json& settings,
                       const std::vector<json>& series) {
  json doc = {{"command", command}, {"settings", settings}, {"series", series}};
  if (series.size() == 1)
    for (const auto& [key, value] : series[0].items())
      doc[key] = value;
  // D(T) across series at three or more temperatures: D = D0 exp(−Q/k_BT) (paper 002 Fig. 1).
  std::vector<double> T, D;
  std::set<double> distinct;
  for (const json& s : series) {
    const json& d = s["diffusion_m2_per_s"]["all"]["value"];
    if (s["temperature_K"].is_number() && d.is_number() && d.get<double>() > 0.0) {
      T.push_back(s["temperature_K"].get<double>());
      D.push_back(d.get<double>());
      distinct.insert(T.back());
    }
  }
  if (distinct.size() >= 3) {
    const ga::ArrheniusFit f = ga::arrhenius_fit(T, D);
    doc["diffusion_arrhenius"] = {
        {"temperature_K", T},
        {"diffusion_m2_per_s", D},
        {"Q_eV", {{"value", f.Q_eV}, {"error", f.Q_error_eV}}},
        {"D0_m2_per_s", {{"value", f.prefactor}, {"error", f.prefactor_error}}},
        {"ln_D0", {{"value", f.ln_prefactor}, {"error", f.ln_prefactor_error}}},
        {"note",
         "unweighted least squares of ln D against 1/(k_B T) over the series' D of all "
         "atoms; errors are the fit's one-sigma errors (as paper 002 quotes them)"}};
  }
  return doc;
}

}  // namespace glassland
