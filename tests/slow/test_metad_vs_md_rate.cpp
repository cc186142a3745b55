// Issue 4 acceptance (slow): on a Cu50Zr50 glass at a temperature where plain MD shows hops, the
// metadynamics rate of a set of tracers (TST with the FES barrier, ν = ν0 exp(−ΔG/k_B T), from
// `task: metad`'s summary.json) and the first-hop rate of the same tracers counted in unbiased
// MD (`task: md`, several independent replicas) agree within a factor of 10 — once the TST rate
// carries its recrossing correction κ (metad.transmission, cv/transmission_coefficient.hpp):
// the plain TST rate counts every crossing of the saddle surface, and for a hop distance most
// of them return (measured: the uncorrected ratio is printed, 0.03 at 750 K).
// A second test checks the TST step alone: the metad rate formula at a fixed dividing surface
// against the rate at which unbiased MD crosses that surface (its comment below).
//
// What is independent of what: the MD hop times come from unbiased dynamics (no bias, no ν0,
// no TST); the metad FES enters the MD count only through the position of its saddle, i.e. the
// dividing surface across which both rates are measured (TST: the rate of crossing that surface
// from equilibrium in the initial basin; MD: the observed first crossings that last the dwell).
//
// Pipeline, all through the `glassland` program (fixed seeds, so the test is deterministic):
//  1. `task: prepare`: 432-atom B2-built Cu50Zr50 (Mendelev EAM), melted at 2000 K, quenched at
//     the recipe's rate to T and held there (NPT, 0 bar) — a Recipe holds each test's choices.
//  2. `task: metad` from that structure: the recipe's tracers from the task's seeded draw, one
//     replica each, hop-distance CV, stopped after the first event; per tracer rate_per_s, its
//     transmission coefficient κ from the recipe's reactive-flux shots (transmission_coefficient,
//     rate_recrossing_corrected_per_s = κ·rate_per_s) and its FES (results.h5). grid_max 20 Å: a
//     tracer without an event is pushed on by its bias and, at 850 K, one left the default [0, 10]
//     Å grid within 10000 steps (a tracer off its grid is stopped there, `left_grid`).
//  3. `task: md` NVT (Nosé–Hoover, as metad's sampling) from the same structure, at the same
//     time as 2: the recipe's replicas with independent Maxwell–Boltzmann velocities, H5MD frames
//     every kStride steps (the stride at which metad samples its CV series, so the dwell rule
//     sees the same sampling).
//  4. Per (MD replica, tracer with a metad event): hop-distance series s(t) = |x(t) − x(0)| of
//     the unwrapped position (HopDistance::evaluate, the CV metad biases, with the reference at
//     the start as metad anchors it), and its first hop from glassland::detect_first_event
//     (cv/free_energy.cpp) on the tracer's metad FES with the metad task's criteria
//     (prominence 2 k_B T, dwell kDwell): the CV is beyond a confirmed saddle of the tracer's FES
//     (a rise ≥ p followed by a drop ≥ p within the range the series visited) and stays beyond
//     it for the dwell time — exactly how metad finds its own first event. Tracers without a
//     metad event have no saddle, hence no dividing surface: they are left out of both rates
//     (their number is printed). A diagnostic count uses the same function on an FES estimated
//     from each MD series itself, F = −k_B T ln Σ_t exp(−(s − s_t)²/2σ²) (printed only: one
//     unbiased trajectory does not sample the basins' relative weights, so its troughs are
//     shallower than 2 k_B T and it finds almost no hops).
//  5. The comparison: the MD first-hop rate as a multiple λ of the metad rates, tracer by
//     tracer. Each (replica, tracer) series is a Poisson process of rate λ k_i (k_i the tracer's
//     metad rate), observed until its first hop or, with right censoring, until the last time
//     at which a hop could still be confirmed (end − dwell); the maximum-likelihood estimate is
//     λ = n / Σ k_i t_i (n first hops, t_i the observed times): observed over expected hops.
//     95 % interval: the exact (Garwood 1936, Biometrika 28, 437) Poisson interval on n,
//     [χ²(0.025; 2n)/2, χ²(0.975; 2n + 2)/2], divided by Σ k_i t_i (regularised incomplete gamma
//     function, analysis/distribution_fits.hpp). The same with κ_i k_i in place of k_i gives
//     λ_κ, the MD rate over the recrossing-corrected metad rate. Asserted: 0.1 < λ_κ < 10.
//  6. Printed too: the pooled MD rate n / Σ t_i and the arithmetic mean of the metad rates,
//     and their ratio (the earlier form of this test). The two agree when the k_i are alike; λ
//     stays right when they are not, where a fast tracer hops early and so contributes little
//     observed time (the pooled rate then mixes the k_i by their observed times, not evenly).
//
// Metad deposits faster than paper 000 (PACE 1000 steps, w0 0.02 eV) for cost: the recipes' pace
// and height (a 16-tracer batch of 432-atom replicas runs at ~40 steps/s on one core here, so
// paper 000's ~1e5–1e6 steps per event are out of reach of a test); σ 0.35 Å, T + ΔT 3000 K and
// ν0 3e12 s⁻¹ are paper 000's.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "analysis/distribution_fits.hpp"
#include "cv/free_energy.hpp"
#include "cv/hop_distance.hpp"
#include "host/io/hdf5_file.hpp"
#include "host/io/lammps_data.hpp"
#include "tests/support/h5md_frames.hpp"
#include "tests/support/lammps_oracle.hpp"
#include "tests/support/program_runner.hpp"

namespace glassland {
namespace {

using testing::read_text_file;

namespace fs = std::filesystem;

constexpr double kBoltzmann = 8.617333262e-5;  // eV/K, CODATA 2018 (kernels/units.hpp)

// --- the choices of these validations (numbers measured: docs/validation.md) -----------------
constexpr int kStride = 25;          // 0.05 ps: metad's CV sampling stride and MD's frame stride
constexpr double kDwell = 1.0;       // ps, metad's default event_dwell
constexpr double kSigma = 0.35;      // Å, paper 000's hill width
constexpr double kNu0 = 3e12;        // s⁻¹, paper 000
constexpr double kTimestep = 0.002;  // ps

// One glass, one metad batch of its tracers and unbiased MD replicas of the same glass.
struct Recipe {
  double temperature;       // K
  double cooling_rate;      // K/s, from the 2000 K melt to `temperature`
  int equilibration_steps;  // NPT at `temperature` after the quench
  int tracers;
  int metad_steps;
  int pace;       // steps between hills (paper 000: 1000)
  double height;  // eV, w0 (paper 000: 0.02)
  int md_replicas;
  int md_steps;
  int transmission_shots;  // reactive-flux shots per tracer with an event (0: none)
};

// The event-detector comparison: faster deposition than paper 000's for cost.
constexpr Recipe kFirstHopRecipe{750.0, 1e14, 10000, 16, 8000, 40, 0.05, 8, 50000, 256};
// The crossing-rate comparison: paper 000's w0 with 5× its pace, in a glass at 800 K (above
// T_g ≈ 675–700 K at 1e13 K/s, where MD still crosses 1 Å within tens of ps).
constexpr Recipe kCrossingRecipe{800.0, 1e13, 25000, 16, 30000, 200, 0.02, 8, 25000, 0};

// Runs `glassland run` on `input` (written to dir/name.json); returns the exit status.
int run_program(const std::string& dir, const std::string& name, const std::string& input) {
  const std::string path = dir + "/" + name + ".json";
  std::ofstream(path) << input;
  const std::string command = std::string(GLASSLAND_PROGRAM) + " run " + path + " --quiet > " +
                              dir + "/" + name + ".log 2>&1";
  const auto start = std::chrono::steady_clock::now();
  const int rc = std::system(command.c_str());
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("  %s: %.0f s (wall)\n", name.c_str(), seconds);
  std::fflush(stdout);
  return rc;
}

// Exact Poisson interval (Garwood 1936) for n observed events: the λ with P(X ≥ n | λ) = α/2
// (lower) and P(X ≤ n | λ) = α/2 (upper). P(X ≤ n | λ) = Q(n + 1, λ), Q the upper regularised
// incomplete gamma function, and P(X ≥ n | λ) = 1 − Q(n, λ). Bisection for 1 − Q(a, λ) = target.
double solve_gamma_q(double a, double target) {
  double lo = 0.0, hi = 10.0 * (a + 10.0);
  for (int i = 0; i < 200; ++i) {
    const double mid = 0.5 * (lo + hi);
    // P(a, λ) = 1 − Q(a, λ) increases from 0 to 1 with λ.
    if (1.0 - analysis::gamma_q(a, mid) < target)
      lo = mid;
    else
      hi = mid;
  }
  return 0.5 * (lo + hi);
}
std::pair<double, double> poisson_interval(int n, double alpha = 0.05) {
  // Lower: P(X ≥ n | λ) = 1 − Q(n, λ) = α/2; upper: Q(n + 1, λ) = α/2 ⇔ 1 − Q = 1 − α/2.
  const double lower = n == 0 ? 0.0 : solve_gamma_q(n, 0.5 * alpha);
  const double upper = solve_gamma_q(n + 1, 1.0 - 0.5 * alpha);
  return {lower, upper};
}

// F(s) = −k_B T ln Σ_t exp(−(s − s_t)²/2σ²), shifted to min 0, on the grid s (the unbiased
// analogue of metad's F = −((T+ΔT)/ΔT) Σ hills).
std::vector<double> unbiased_free_energy(const std::vector<double>& grid,
                                         const std::vector<double>& series, double temperature,
                                         double sigma) {
  std::vector<double> f(grid.size());
  for (size_t k = 0; k < grid.size(); ++k) {
    double density = 0.0;
    for (double v : series) {
      const double d = (grid[k] - v) / sigma;
      density += std::exp(-0.5 * d * d);
    }
    f[k] = -kBoltzmann * temperature * std::log(std::max(density, 1e-300));
  }
  const double lowest = *std::min_element(f.begin(), f.end());
  for (double& v : f)
    v -= lowest;
  return f;
}

// The replica's frames, unwrapped, with times counted from the first frame.
testing::UnwrappedFrames read_replica(const hdf5::File& file, int replica) {
  testing::UnwrappedFrames t = testing::read_unwrapped_frames(file, replica);
  const double t0 = t.times.front();
  for (double& v : t.times)
    v -= t0;
  return t;
}

// Hop-distance series of atom `index` with the reference at frame 0 (metad anchors its
// reference at the start of sampling, where s = 0).
std::vector<double> hop_series(const testing::UnwrappedFrames& t, int index) {
  std::vector<double> s;
  const double* reference = &t.positions.front()[3 * index];
  double gradient[3];
  for (const auto& frame : t.positions)
    s.push_back(HopDistance::evaluate(Box{}, 1, &frame[3 * index], reference, gradient));
  return s;
}

// Row of each atom, by its LAMMPS id, in the structure the metad and MD runs started from.
std::map<int64_t, int> atom_rows(const std::string& structure) {
  const LammpsData data = read_lammps_data(structure);
  std::map<int64_t, int> rows;
  for (int i = 0; i < data.n_atoms(); ++i)
    rows[data.ids[i]] = i;
  return rows;
}

// What the comparisons read of a tracer in the metad results (tracers/tracer_NNNN).
struct MetadTracer {
  int64_t atom_id;
  std::vector<double> fes_s, fes_f;  // its FES on the grid
  std::vector<double> cv;            // its CV series
};
std::vector<MetadTracer> read_metad_tracers(const std::string& results, int n_tracers) {
  const hdf5::File file = hdf5::File::open_read_only(results);
  std::vector<MetadTracer> tracers;
  for (int k = 0; k < n_tracers; ++k) {
    char name[64];
    std::snprintf(name, sizeof name, "tracers/tracer_%04d", k);
    const hdf5::Group g = file.group(name);
    tracers.push_back({g.dataset("atom_id").read<int64_t>().at(0),
                       g.dataset("fes/s").read<double>(), g.dataset("fes/F").read<double>(),
                       g.dataset("cv/value").read<double>()});
  }
  return tracers;
}

struct HopCount {
  int hops = 0;
  double observed_ps = 0.0;
  int series = 0;
  // Σ k_i t_i over the series: the number of first hops expected if tracer i hopped at its
  // metad rate k_i while observed for t_i (its hop time, or the censoring time); and the same
  // with the recrossing-corrected rates κ_i k_i.
  double expected_hops = 0.0;
  double expected_corrected_hops = 0.0;

  HopCount& operator+=(const HopCount& o) {
    hops += o.hops;
    observed_ps += o.observed_ps;
    series += o.series;
    expected_hops += o.expected_hops;
    expected_corrected_hops += o.expected_corrected_hops;
    return *this;
  }
};

// First event of an MD hop-distance series on the free-energy profile f(s) (metad's criteria);
// adds it to `count`, with `metad_rate` (s⁻¹) the tracer's metad rate and `corrected_rate` its
// recrossing-corrected rate.
void count_first_hop(const std::vector<double>& times, const std::vector<double>& s,
                     const std::vector<double>& grid, const std::vector<double>& f,
                     double temperature, double metad_rate, double corrected_rate,
                     HopCount& count) {
  EventCriteria criteria;
  criteria.prominence = 0.0;  // 2 k_B T, metad's default
  criteria.temperature = temperature;
  criteria.dwell_time = kDwell;
  const FirstEvent event = detect_first_event(times, s, grid, f, criteria);
  ++count.series;
  // A hop needs kDwell after it to be confirmed: without one the observation ends there.
  const double observed_ps = event.found ? event.time : times.back() - kDwell;
  count.hops += event.found ? 1 : 0;
  count.observed_ps += observed_ps;
  count.expected_hops += metad_rate * observed_ps * 1e-12;
  count.expected_corrected_hops += corrected_rate * observed_ps * 1e-12;
}

double rate_per_s(const HopCount& c) {
  return c.hops / (c.observed_ps * 1e-12);
}

// Steps 1–3 of the pipeline for `recipe` in a fresh scratch directory `name`.PID: the glass
// (dir/prepare/final_0000.data), then metad of its tracers (dir/metad) and unbiased NVT MD of
// the same glass (dir/md) at the same time: independent runs, one core each with the Serial
// back end. Returns the directory (fatal failures are reported to the caller).
void run_pipeline(const Recipe& recipe, const std::string& name, std::string* dir_out) {
  const std::string dir = testing::make_scratch_dir(name);
  *dir_out = dir;
  const std::string T = std::to_string(recipe.temperature);

  // 1. The glass (structure only; no inherent structure is needed here).
  ASSERT_EQ(run_program(dir, "prepare",
                        R"({
  "task": "prepare",
  "system": {"build": {"lattice": "b2", "lattice_constant": 3.26, "cells": [6, 6, 6], "seeds": [7]}},
  "prepare": {
    "timestep": 0.002, "ensemble": "npt", "velocity_seed": 11,
    "barostat": {"pressure": 0, "tau": 1.0}, "thermostat": {"tau": 0.1},
    "melt": {"temperature": 2000, "steps": 2500},
    "cool": {"end_temperature": )" +
                            T + R"(, "rate": )" + std::to_string(recipe.cooling_rate) + R"(},
    "equilibrate": {"steps": )" +
                            std::to_string(recipe.equilibration_steps) + R"(},
    "minimize": {"method": "fire", "ftol": 1e-2}
  },
  "output": {"directory": ")" +
                            dir + R"(/prepare", "thermo_stride": 500}
})"),
            0)
      << read_text_file(dir + "/prepare.log");
  const std::string glass = dir + "/prepare/final_0000.data";

  // 2. Metadynamics of recipe.tracers tracers (the task's own seeded draw), and 3. unbiased
  // NVT MD of the same glass (recipe.md_replicas independent velocity draws).
  int metad_rc = -1;
  std::thread metad_run([&] {
    metad_rc = run_program(dir, "metad",
                           R"({
  "task": "metad",
  "system": {"structure": ")" + glass +
                               R"("},
  "metad": {
    "temperature": )" + T + R"(, "timestep": 0.002, "equilibration_steps": 0,
    "steps": )" + std::to_string(recipe.metad_steps) +
                               R"(, "thermostat": {"tau": 0.1},
    "cv": "hop_distance",
    "tracers": {"count": )" + std::to_string(recipe.tracers) +
                               R"(, "species": ["any"], "seed": 3},
    "pace": )" + std::to_string(recipe.pace) +
                               R"(, "sigma": )" + std::to_string(kSigma) + R"(, "height": )" +
                               std::to_string(recipe.height) + R"(,
    "bias_temperature": 3000, "nu0": 3e12,
    "grid_max": 20, "event_dwell": )" +
                               std::to_string(kDwell) + R"(, "stop_after_first_event": true,
    "velocity_seed": 21, "transmission": {"shots": )" +
                               std::to_string(recipe.transmission_shots) + R"(}
  },
  "output": {"directory": ")" + dir +
                               R"(/metad", "thermo_stride": )" + std::to_string(kStride) + R"(}
})");
  });

  const int md_rc = run_program(dir, "md",
                                R"({
  "task": "md",
  "system": {"structure": ")" + glass +
                                    R"(", "replicas": )" + std::to_string(recipe.md_replicas) +
                                    R"(},
  "md": {"timestep": 0.002, "steps": )" +
                                    std::to_string(recipe.md_steps) + R"(, "ensemble": "nvt",
         "temperature": )" + T + R"(, "velocities": "create", "velocity_seed": 31,
         "thermostat": {"tau": 0.1}},
  "output": {"directory": ")" + dir +
                                    R"(/md", "thermo_stride": 500, "trajectory_stride": )" +
                                    std::to_string(kStride) + R"(}
})");
  metad_run.join();
  ASSERT_EQ(metad_rc, 0) << read_text_file(dir + "/metad.log");
  ASSERT_EQ(md_rc, 0) << read_text_file(dir + "/md.log");
}

TEST(MetadVsMdRate, RecrossingCorrectedRateOfTheFesBarrierMatchesTheUnbiasedFirstHopRate) {
  const auto wall_start = std::chrono::steady_clock::now();
  const Recipe& recipe = kFirstHopRecipe;
  const double temperature = recipe.temperature;
  const int n_tracers = recipe.tracers;
  std::string dir;
  ASSERT_NO_FATAL_FAILURE(run_pipeline(recipe, "metad_vs_md_rate", &dir));
  const std::string glass = dir + "/prepare/final_0000.data";

  // --- metad rates
  const auto summary = nlohmann::json::parse(read_text_file(dir + "/metad/summary.json"));
  const auto& tracers = summary.at("tracers");
  ASSERT_EQ(tracers.size(), static_cast<size_t>(n_tracers));
  std::vector<int64_t> tracer_ids;
  std::vector<bool> has_event;
  std::vector<double> barriers;
  std::vector<double> tracer_rates;     // s⁻¹; 0 for a tracer without an event
  std::vector<double> corrected_rates;  // κ_i k_i, s⁻¹
  std::vector<double> kappas, kappa_errors;
  double rate_sum = 0.0;
  int found = 0;
  for (const auto& t : tracers) {
    tracer_ids.push_back(t.at("atom_id").get<int64_t>());
    has_event.push_back(t.at("event_found").get<bool>());
    tracer_rates.push_back(0.0);
    corrected_rates.push_back(0.0);
    if (!has_event.back())
      continue;
    ++found;
    const double barrier = t.at("barrier_eV").get<double>();
    const double rate = t.at("rate_per_s").get<double>();
    // The summary's rate is ν0 exp(−ΔG/k_B T) of its own barrier.
    EXPECT_NEAR(rate / (kNu0 * std::exp(-barrier / (kBoltzmann * temperature))), 1.0, 1e-9);
    barriers.push_back(barrier);
    tracer_rates.back() = rate;
    // The recrossing correction: κ from the reactive-flux shots, κ·rate.
    ASSERT_EQ(t.at("transmission_shots").get<int>(), recipe.transmission_shots);
    const double kappa = t.at("transmission_coefficient").get<double>();
    EXPECT_NEAR(t.at("rate_recrossing_corrected_per_s").get<double>(), kappa * rate, 1e-12 * rate);
    kappas.push_back(kappa);
    kappa_errors.push_back(t.at("transmission_standard_error").get<double>());
    corrected_rates.back() = kappa * rate;
    rate_sum += rate;
  }
  // Without a single event there is no dividing surface to count MD hops across.
  ASSERT_GT(found, 0) << "no metad event: nothing to compare";
  const double metad_rate = rate_sum / found;  // s⁻¹, over the tracers with an event
  double barrier_mean = 0.0, barrier_sd = 0.0;
  for (double b : barriers)
    barrier_mean += b / barriers.size();
  for (double b : barriers)
    barrier_sd +=
        (b - barrier_mean) * (b - barrier_mean) / std::max<size_t>(1, barriers.size() - 1);
  barrier_sd = std::sqrt(barrier_sd);

  // --- MD first hops of the same tracers. Primary definition: the tracer's own metad FES
  // (results.h5 tracers/tracer_NNNN/fes/{s,F}) gives the saddle, i.e. the dividing surface
  // whose TST rate metad reports; an MD hop is the first crossing of it that lasts kDwell
  // (detect_first_event, exactly as metad finds its event on its own CV series). Diagnostic:
  // the same function on an FES estimated from each MD series itself (unbiased_free_energy).
  const std::map<int64_t, int> index_of = atom_rows(glass);
  const std::vector<MetadTracer> metad = read_metad_tracers(dir + "/metad/results.h5", n_tracers);
  for (int k = 0; k < n_tracers; ++k)
    ASSERT_EQ(metad[k].atom_id, tracer_ids[k]);
  HopCount tracer_count, own_fes_count;
  std::vector<HopCount> per_tracer(n_tracers);
  double md_time_ps = 0.0;
  const hdf5::File file = hdf5::File::open_read_only(dir + "/md/trajectory.h5md");
  for (int r = 0; r < recipe.md_replicas; ++r) {
    const testing::UnwrappedFrames trajectory = read_replica(file, r);
    md_time_ps = trajectory.times.back();
    ASSERT_NEAR(md_time_ps, recipe.md_steps * kTimestep, 1e-9);
    ASSERT_NEAR(trajectory.times[1], kStride * kTimestep, 1e-9);
    for (int k = 0; k < n_tracers; ++k) {
      if (!has_event[k])
        continue;  // no saddle on its FES: no dividing surface, no rate to compare
      const std::vector<double> s = hop_series(trajectory, index_of.at(tracer_ids[k]));
      const std::vector<double>& grid = metad[k].fes_s;
      count_first_hop(trajectory.times, s, grid, metad[k].fes_f, temperature, tracer_rates[k],
                      corrected_rates[k], per_tracer[k]);
      count_first_hop(trajectory.times, s, grid, unbiased_free_energy(grid, s, temperature, kSigma),
                      temperature, tracer_rates[k], corrected_rates[k], own_fes_count);
    }
  }
  for (const HopCount& count : per_tracer)
    tracer_count += count;
  const double md_rate = rate_per_s(tracer_count);
  const auto [lower, upper] = poisson_interval(tracer_count.hops);
  // The comparison: MD rate = λ × metad rate, tracer by tracer. Maximum likelihood for λ
  // from the first-passage times with right censoring, each series a Poisson process of rate
  // λ k_i: λ = n / Σ k_i t_i, with the exact interval of the count n scaled the same way.
  // Unlike (mean k_i) / (n / Σ t_i), this stays unbiased when the rates differ and the fast
  // tracers hop early: a tracer's observed time is weighted by its own rate.
  const double md_over_metad = tracer_count.hops / tracer_count.expected_hops;
  const double md_over_corrected = tracer_count.hops / tracer_count.expected_corrected_hops;
  const double ratio = metad_rate / md_rate;
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();

  std::printf("T = %.0f K, %d tracers (ids", temperature, n_tracers);
  for (int64_t id : tracer_ids)
    std::printf(" %lld", static_cast<long long>(id));
  std::printf(")\n");
  std::printf(
      "metad: %d of %d tracers with an event; barriers mean %.3f eV, sd %.3f eV, min %.3f, "
      "max %.3f; mean rate %.3e s^-1 (ν0 = %.0e s^-1)\n",
      found, n_tracers, barrier_mean, barrier_sd,
      barriers.empty() ? NAN : *std::min_element(barriers.begin(), barriers.end()),
      barriers.empty() ? NAN : *std::max_element(barriers.begin(), barriers.end()), metad_rate,
      kNu0);
  std::printf(
      "MD: %d replicas x %.1f ps; tracers: %d first hops in %d series, observed %.1f ps, "
      "rate %.3e s^-1 (95%% %.3e .. %.3e)\n",
      recipe.md_replicas, md_time_ps, tracer_count.hops, tracer_count.series,
      tracer_count.observed_ps, md_rate, lower / (tracer_count.observed_ps * 1e-12),
      upper / (tracer_count.observed_ps * 1e-12));
  std::printf(
      "MD, hops on each series' own unbiased FES (diagnostic): %d first hops, observed "
      "%.1f ps, rate %.3e s^-1\n",
      own_fes_count.hops, own_fes_count.observed_ps,
      own_fes_count.hops > 0 ? rate_per_s(own_fes_count) : 0.0);
  std::printf(
      "MD first hops expected at the metad rates: %.2f; MD rate / metad rate = %.3f (95%% "
      "%.3f .. %.3f); (mean metad rate) / (pooled MD rate) = %.3f; wall %.0f s\n",
      tracer_count.expected_hops, md_over_metad, lower / tracer_count.expected_hops,
      upper / tracer_count.expected_hops, ratio, wall);
  std::printf("per tracer with an event (κ from %d shots):\n", recipe.transmission_shots);
  double corrected_variance = 0.0;  // of the expected count, from the standard errors of κ
  for (int k = 0, e = 0; k < n_tracers; ++k) {
    if (!has_event[k])
      continue;
    std::printf(
        "  atom %4lld: ΔG %.3f eV, κ %.4f ± %.4f; MD %d first hops in %.1f ps, expected %.2f at "
        "the TST rate, %.2f at κ·rate\n",
        static_cast<long long>(tracer_ids[k]), barriers[e], kappas[e], kappa_errors[e],
        per_tracer[k].hops, per_tracer[k].observed_ps, per_tracer[k].expected_hops,
        per_tracer[k].expected_corrected_hops);
    corrected_variance += std::pow(per_tracer[k].expected_hops * kappa_errors[e], 2);
    ++e;
  }
  std::printf("expected at κ·rate: %.2f ± %.2f (standard errors of κ)\n",
              tracer_count.expected_corrected_hops, std::sqrt(corrected_variance));
  std::printf(
      "\nMD first hops expected at the recrossing-corrected rates κ·k: %.2f; MD rate / corrected "
      "rate = %.3f (95%% %.3f .. %.3f)\n",
      tracer_count.expected_corrected_hops, md_over_corrected,
      lower / tracer_count.expected_corrected_hops, upper / tracer_count.expected_corrected_hops);

  // The comparison is meaningful only with events in metad and hops in MD (checked after the
  // printout, so that a run short of either still reports what it measured).
  ASSERT_GE(found, 4) << "too few metad events for a mean rate";
  ASSERT_GE(tracer_count.hops, 5) << "too few MD hops of the tracers for a rate";
  // Issue 4: agreement within a factor of 10, for the metad rate with its recrossing
  // correction. The plain TST rate is printed above: it counts every crossing of the saddle
  // surface, most of which return (κ ≪ 1), and overestimates the hop rate by 1/κ.
  EXPECT_GT(md_over_corrected, 0.1);
  EXPECT_LT(md_over_corrected, 10.0);
}

// The step of the first test that can be checked on its own: metad's rate formula is transition-
// state theory on the tracer's FES, k = ν0 exp(−ΔF/k_B T), and TST's rate is the equilibrium
// rate of crossing the dividing surface out of the initial basin — which unbiased MD measures
// directly by counting the crossings (k_TST = ⟨ṡ θ(ṡ) δ(s − s_c)⟩ / ⟨θ(s_c − s)⟩; Chandler,
// J. Chem. Phys. 68, 2959 (1978)). So, at a fixed dividing surface s_c and per
// tracer i: ΔF_i = F_i(s_c) − min_{s ≤ s_c} F_i from its metad FES, k_i = ν0 exp(−ΔF_i/k_B T),
// and from each MD replica the same atom's upward crossings of s_c between frames and its time
// below s_c; the ratio (crossings) / Σ k_i (time below) is 1 when the FES and ν0 are right. It
// is no hop rate: most crossings of a surface inside the cage are undone within a picosecond
// (the first test's 1 ps dwell counts only committed ones; docs/validation.md has both).
// Only tracers whose metad CV went beyond s_c + σ take part: there F(s_c) is built from visits,
// not from the tails of hills deposited further in. s_c = 1.0 Å lies inside the cage, where MD
// at this temperature crosses tens of times in 400 ps (measured: 800 K, 1e12 K/s glass, 4–175
// crossings per tracer, docs/validation.md), so both sides count well.
// The bound is the issue's ×10; the deviations expected within it: frames 0.05 ps apart miss
// crossings undone within a frame, so the MD count is below the continuous-time flux (ratio < 1);
// ν0 = 3e12 s⁻¹ is the 1D prefactor v_th/ℓ of this CV only to within the spread of the basin widths
// ℓ (2.3–4.4e12 s⁻¹ measured); tracers whose surroundings give way under the bias get a softer
// metad FES than the unpushed glass shows (ratio < 1 for them).
TEST(MetadVsMdRate, TstRateOfTheFesMatchesTheUnbiasedCrossingRateOfTheSameSurface) {
  const Recipe& recipe = kCrossingRecipe;
  const double temperature = recipe.temperature;
  const double k_t = kBoltzmann * temperature;
  constexpr double kSurface = 1.0;  // Å, s_c
  std::string dir;
  ASSERT_NO_FATAL_FAILURE(run_pipeline(recipe, "metad_vs_md_crossings", &dir));
  const std::map<int64_t, int> index_of = atom_rows(dir + "/prepare/final_0000.data");

  struct Tracer {
    int64_t atom_id;
    double rate;  // k_i, s⁻¹
    int crossings = 0;
    double time_below_ps = 0.0;
  };
  std::vector<Tracer> used;
  for (const MetadTracer& t : read_metad_tracers(dir + "/metad/results.h5", recipe.tracers)) {
    if (*std::max_element(t.cv.begin(), t.cv.end()) < kSurface + kSigma)
      continue;
    const std::vector<double>& s = t.fes_s;
    const std::vector<double>& f = t.fes_f;
    // F(s_c) by linear interpolation on the grid, the basin's minimum over s ≤ s_c.
    const size_t above = std::upper_bound(s.begin(), s.end(), kSurface) - s.begin();
    ASSERT_GT(above, 0u);
    ASSERT_LT(above, s.size());
    const double w = (kSurface - s[above - 1]) / (s[above] - s[above - 1]);
    const double f_surface = (1.0 - w) * f[above - 1] + w * f[above];
    const double f_minimum = *std::min_element(f.begin(), f.begin() + above);
    used.push_back({t.atom_id, kNu0 * std::exp(-(f_surface - f_minimum) / k_t)});
  }
  const hdf5::File md_file = hdf5::File::open_read_only(dir + "/md/trajectory.h5md");
  for (int r = 0; r < recipe.md_replicas; ++r) {
    const testing::UnwrappedFrames trajectory = read_replica(md_file, r);
    const double frame_ps = trajectory.times[1] - trajectory.times[0];
    ASSERT_NEAR(frame_ps, kStride * kTimestep, 1e-9);
    for (Tracer& t : used) {
      const std::vector<double> s = hop_series(trajectory, index_of.at(t.atom_id));
      for (size_t j = 0; j < s.size(); ++j) {
        if (s[j] > kSurface)
          continue;
        t.time_below_ps += frame_ps;
        if (j + 1 < s.size() && s[j + 1] > kSurface)
          ++t.crossings;
      }
    }
  }
  int crossings = 0;
  double expected = 0.0;
  std::printf("T = %.0f K, s_c = %.2f Å: %zu of %d tracers went beyond s_c + σ in metad\n",
              temperature, kSurface, used.size(), recipe.tracers);
  for (const Tracer& t : used) {
    crossings += t.crossings;
    expected += t.rate * t.time_below_ps * 1e-12;
    std::printf(
        "  atom %lld: metad TST %.3e s^-1 (ΔF %.3f eV); MD %d crossings in %.0f ps below "
        "s_c: %.3e s^-1\n",
        static_cast<long long>(t.atom_id), t.rate, -k_t * std::log(t.rate / kNu0), t.crossings,
        t.time_below_ps, t.crossings / (t.time_below_ps * 1e-12));
  }
  const double ratio = crossings / expected;
  std::printf("MD crossings %d, expected at the metad TST rates %.1f: MD / metad = %.3f\n",
              crossings, expected, ratio);
  // Enough tracers and crossings for a pooled ratio (measured with this recipe: docs).
  ASSERT_GE(used.size(), 5u) << "too few tracers reached s_c + σ in metad";
  ASSERT_GE(crossings, 20) << "too few MD crossings of s_c";
  EXPECT_GT(ratio, 0.1);
  EXPECT_LT(ratio, 10.0);
}

// The Poisson interval against tabulated values (Garwood's interval as tabulated e.g. by
// Gehrels 1986, ApJ 303, 336, Table 1–2 at 0.975 single-sided: n = 0: [0, 3.689]; n = 1:
// [0.0253, 5.572]; n = 10: [4.795, 18.39]).
TEST(MetadVsMdRate, PoissonIntervalMatchesTables) {
  auto [l0, u0] = poisson_interval(0);
  EXPECT_EQ(l0, 0.0);
  EXPECT_NEAR(u0, 3.689, 1e-3);
  auto [l1, u1] = poisson_interval(1);
  EXPECT_NEAR(l1, 0.0253, 1e-4);
  EXPECT_NEAR(u1, 5.572, 1e-3);
  auto [l10, u10] = poisson_interval(10);
  EXPECT_NEAR(l10, 4.795, 1e-3);
  EXPECT_NEAR(u10, 18.39, 1e-2);
}

}  // namespace
}  // namespace glassland
