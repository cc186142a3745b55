// `glassland analyze dynamics TRAJ… -o OUT.json|OUT.h5` (issue 20 item 2; docs/analysis.md):
// single-particle dynamics of each series of the trajectories, over every time origin the frames
// allow (analysis/mean_squared_displacement.hpp), reported by host/io/dynamics_report.hpp.
#include <cmath>
#include <limits>
#include <memory>

#include "analysis/mean_squared_displacement.hpp"
#include "analysis/radial_distribution.hpp"
#include "analysis/structure_factor.hpp"
#include "analysis/surface_layers.hpp"
#include "host/cli/analyze/trajectory_commands.hpp"
#include "host/cli/analyze/trajectory_inputs.hpp"
#include "host/io/dynamics_report.hpp"
#include "host/io/input_error.hpp"
#include "host/io/json_hdf5.hpp"

namespace glassland {

namespace {

namespace ga = analysis;
using json = nlohmann::json;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

struct DynamicsOptions {
  TrajectoryOptions trajectory;
  std::size_t origin_stride = 1;
  bool single_origin = false;
  double max_lag_ps = 0.0;
  bool lateral = false;
  double surface_depth = 0.0;
  bool keep_drift = false;
  std::vector<double> q;
  std::vector<double> van_hove_lags_ps;
  double van_hove_bin = 0.05, van_hove_max = 10.0;
  std::vector<double> fit_window_ps;
  std::size_t subsets = 8;
  std::string output;
};

// The S(q) peak of one frame: the default q of F_s (paper 002: 2.7 Å⁻¹ for Cu50Zr50).
double structure_factor_peak(const AtomsFrame& f, int n_types) {
  ga::RadialDistribution rdf(n_types, 500, 10.0);
  rdf.add_frame(f.cell, f.positions, f.types);
  return ga::structure_factor_from_rdf(rdf.bin_centres(), rdf.total_g(), rdf.number_density())
      .peak_q;
}

// The lag in frames nearest to a time, at least 1.
std::size_t lag_frames(double t_ps, double dt_ps) {
  return std::max<std::size_t>(1, static_cast<std::size_t>(std::llround(t_ps / dt_ps)));
}

json analyse_series(TrajectorySeries& series, const DynamicsOptions& o) {
  AtomsFrame first, second;
  if (!next_frame(series, first))
    throw InputError(series.description + ": no frame selected");
  if (!next_frame(series, second))
    throw InputError(series.description +
                     ": a dynamics analysis needs at least 2 frames, --frames " +
                     o.trajectory.frames + " selects 1");
  int n_types = 0;
  for (int t : first.types)
    n_types = std::max(n_types, t);
  resolve_types(series, n_types, o.trajectory, !o.keep_drift);
  const double t0 = frame_time_ps(first, o.trajectory, series.description);
  const double dt = frame_time_ps(second, o.trajectory, series.description) - t0;
  if (!(dt > 0.0))
    throw InputError(series.description + ": frame " + std::to_string(second.index) +
                     " is not later than frame " + std::to_string(first.index));
  DynamicsSeries report;
  report.source = series.description;
  report.species_names = series.type_names;
  report.subsets = o.subsets;
  report.frame_interval_ps = dt;
  report.temperature_K = series.temperature_K;
  report.unwrapping = unwrapping_name(series.frames->reader().unwrapping());
  report.fit_start_ps = o.fit_window_ps.size() == 2 ? o.fit_window_ps[0] : kNaN;
  report.fit_end_ps = o.fit_window_ps.size() == 2 ? o.fit_window_ps[1] : kNaN;
  report.atoms_per_species.assign(n_types, 0);
  std::vector<int> species(first.n_atoms());
  std::vector<double> masses(first.n_atoms());
  for (std::size_t i = 0; i < species.size(); ++i) {
    species[i] = first.types[i] - 1;
    masses[i] = o.keep_drift ? 1.0 : series.type_masses[species[i]];
    ++report.atoms_per_species[species[i]];
  }
  ga::DisplacementSettings& settings = report.settings;
  settings.origin_stride =
      o.single_origin ? std::numeric_limits<std::size_t>::max() : o.origin_stride;
  settings.max_lag = o.max_lag_ps > 0.0 ? lag_frames(o.max_lag_ps, dt) : 0;
  settings.dimensions = o.lateral ? 2 : 3;
  settings.remove_drift = !o.keep_drift;
  settings.q = o.q;
  report.q_source = "--q";
  if (settings.q.empty()) {
    settings.q = {structure_factor_peak(first, n_types)};
    report.q_source = "peak of S(q) of the first frame (from its RDF to 10 Å)";
  }
  settings.van_hove_bin = o.van_hove_bin;
  settings.van_hove_max = o.van_hove_max;
  const std::size_t span = series.frames->selected() - 1;  // longest lag, frames
  if (o.van_hove_lags_ps.empty()) {
    for (double fraction : {0.01, 0.1, 0.5})
      settings.van_hove_lags.push_back(
          std::max<std::size_t>(1, static_cast<std::size_t>(std::llround(fraction * span))));
  } else {
    for (double t : o.van_hove_lags_ps)
      settings.van_hove_lags.push_back(lag_frames(t, dt));
  }
  ga::DisplacementCorrelator correlator(settings, ga::species_subset_groups(species, o.subsets),
                                        static_cast<std::size_t>(n_types) * o.subsets, masses);
  std::vector<double> tops, bottoms, surface_fraction;
  auto add = [&](const AtomsFrame& f) {
    const double expected = t0 + static_cast<double>(correlator.frames()) * dt;
    const double t = frame_time_ps(f, o.trajectory, series.description);
    if (std::fabs(t - expected) > 1e-6 * dt + 1e-9 * std::fabs(expected))
      throw InputError(series.description + ": frame " + std::to_string(f.index) + " (step " +
                       std::to_string(f.step) + ") is at " + std::to_string(t) +
                       " ps; evenly spaced frames would put it at " + std::to_string(expected) +
                       " ps (select evenly spaced frames with --frames)");
    if (f.n_atoms() != species.size())
      throw InputError(series.description + ": frame " + std::to_string(f.index) + " has " +
                       std::to_string(f.n_atoms()) + " atoms, the first has " +
                       std::to_string(species.size()));
    if (o.surface_depth > 0.0) {
      const ga::SlabSurfaces s = ga::slab_surfaces(f.positions, f.cell.lx * f.cell.ly);
      const std::vector<unsigned char> flags = ga::surface_atoms(f.positions, s, o.surface_depth);
      tops.push_back(s.top);
      bottoms.push_back(s.bottom);
      double selected = 0;
      for (unsigned char c : flags)
        selected += c;
      surface_fraction.push_back(selected / flags.size());
      correlator.add_frame(f.positions, &flags);
    } else {
      correlator.add_frame(f.positions);
    }
  };
  add(first);
  add(second);
  AtomsFrame f;
  while (next_frame(series, f))
    add(f);
  report.frames = correlator.frames();
  report.sums = correlator.sums();
  if (o.surface_depth > 0.0) {
    auto mean = [](const std::vector<double>& v) {
      double s = 0;
      for (double x : v)
        s += x;
      return s / v.size();
    };
    report.extra["surface"] = {
        {"depth_A", o.surface_depth},
        {"selection",
         "atoms within depth of either equimolar dividing surface at both the "
         "origin and the later frame (paper 002, method (c))"},
        {"mean_top_A", mean(tops)},
        {"mean_bottom_A", mean(bottoms)},
        {"mean_surface_atom_fraction", mean(surface_fraction)}};
  }
  return dynamics_series_json(report);
}

void run_dynamics(const DynamicsOptions& o) {
  if (!o.fit_window_ps.empty() && o.fit_window_ps.size() != 2)
    throw InputError("--fit-window-ps: give the start and the end of the window, in ps");
  if (o.subsets < 1)
    throw InputError("--subsets: at least 1");
  std::vector<TrajectorySeries> all = open_trajectory_series(o.trajectory);
  std::vector<json> series;
  for (TrajectorySeries& s : all) {
    try {
      series.push_back(analyse_series(s, o));
    } catch (const std::invalid_argument& e) {
      throw InputError(s.description + ": " + e.what());
    }
  }
  const json settings = {
      {"frames", o.trajectory.frames},
      {"origin_stride", o.single_origin ? json("single origin (frame 0)") : json(o.origin_stride)},
      {"max_lag_ps", o.max_lag_ps > 0 ? json(o.max_lag_ps) : json("all")},
      {"lateral", o.lateral},
      {"surface_depth_A", o.surface_depth > 0 ? json(o.surface_depth) : json(nullptr)},
      {"drift_removed", !o.keep_drift},
      {"subsets", o.subsets}};
  write_result_document(o.output, dynamics_document("analyze dynamics", settings, series));
}

}  // namespace

void register_analyze_dynamics(CLI::App& analyze) {
  auto o = std::make_shared<DynamicsOptions>();
  CLI::App* c = analyze.add_subcommand(
      "dynamics",
      "MSD, non-Gaussian parameter, F_s(q,t), τ_α, van Hove G_s, Debye–Waller ⟨u²⟩ and D of "
      "trajectories (H5MD or LAMMPS dumps), over every time origin");
  add_trajectory_options(c, o->trajectory,
                         "trajectories: glassland H5MD results (each particle group a series) or "
                         "LAMMPS dump text files (.gz read directly)");
  c->add_option("--origin-stride", o->origin_stride, "frames between time origins")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  c->add_flag("--single-origin", o->single_origin,
              "use the first selected frame as the only time origin (as LAMMPS compute msd)");
  c->add_option("--max-lag-ps", o->max_lag_ps, "longest lag in ps (default: every lag)")
      ->check(CLI::PositiveNumber);
  c->add_flag("--lateral", o->lateral, "x–y displacements only (d = 2; surfaces)");
  c->add_option("--surface-depth", o->surface_depth,
                "slab: only atoms within this depth (Å) of a free surface at both ends of a lag "
                "(paper 002: 2.5)")
      ->check(CLI::PositiveNumber);
  c->add_flag("--keep-drift", o->keep_drift, "do not subtract the centre of mass's displacement");
  c->add_option("--q", o->q,
                "wave numbers of F_s in 1/Å (default: the S(q) peak of the first frame)")
      ->expected(1, -1)
      ->check(CLI::PositiveNumber);
  c->add_option("--van-hove-lags-ps", o->van_hove_lags_ps,
                "lags of G_s(r,t) in ps (default: 1 %, 10 % and 50 % of the trajectory)")
      ->expected(1, -1)
      ->check(CLI::PositiveNumber);
  c->add_option("--van-hove-bin", o->van_hove_bin, "G_s bin width, Å")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  c->add_option("--van-hove-max", o->van_hove_max, "G_s range, Å")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  c->add_option("--fit-window-ps", o->fit_window_ps,
                "start and end of the MSD fit for D, ps (default: t_max/10 to t_max/2)")
      ->expected(2);
  c->add_option("--subsets", o->subsets,
                "interleaved atom subsets for the standard error of D (1: none)")
      ->capture_default_str();
  c->add_option("--output,-o", o->output,
                "result file: .json, or .h5/.hdf5 for HDF5 (default: JSON on stdout)");
  c->callback([o]() { run_dynamics(*o); });
}

}  // namespace glassland
