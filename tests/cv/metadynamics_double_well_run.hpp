// Well-tempered metadynamics on the analytic double well, shared by the fast acceptance test
// (tests/cv/test_metadynamics_double_well_short.cpp) and the long one (tests/slow/).
//
// Model: V(x, y, z) = h((x/w)² − 1)² + ½ y² + ½ z² (kernels/analytic_landscape.hpp), CV
// s = x − 0 (cv/displacement_x.hpp). The landscape is separable, so the exact free energy along
// s is F(s) = h((s/w)² − 1)² + const at any temperature: barrier h, minima at ±w.
//
// Dynamics: MdIntegrator's Langevin (BAOAB) thermostat. It removes the noise's total momentum
// per replica (kernels/md_integrator.hpp), which would leave a single particle with no noise
// at all (3N − 3 = 0 degrees of freedom). So each replica holds the biased particle plus one
// spectator in the same landscape, and the thermostat target is 2T: particle 0's noise is then
// (ξ₀ − ξ₁)/2 with variance σ²(2T)/2 = σ²(T), white and independent of its own past, so
// particle 0 alone is an exact Langevin particle at T (its marginal dynamics is canonical at T;
// the spectator does not interact with it).
#pragma once

#include <cmath>
#include <cstdint>
#include <vector>

#include "cv/free_energy.hpp"
#include "kernels/analytic_landscape.hpp"
#include "kernels/md_integrator.hpp"
#include "kernels/units.hpp"

namespace glassland::testing_double_well {

struct RunSettings {
  int n_replicas = 8;
  int64_t steps = 100000;
  double temperature = 300.0;  // K, of the biased particle
  double barrier = 0.2;        // h, eV (7.7 k_B T at 300 K)
  double half_width = 1.0;     // w, Å
  double mass = 10.0;          // amu: light, so that it diffuses over the wells quickly
  double timestep = 0.002;     // ps (ω dt ≈ 0.08 in the wells)
  double damping = 0.1;        // ps, Langevin 1/γ
  uint64_t seed = 20240611;
  MetadynamicsSettings metad;
};

struct RunResult {
  std::vector<double> s;                  // grid knots
  std::vector<std::vector<double>> bias;  // V per replica on the grid
  std::vector<std::vector<Hill>> hills;   // per replica
  std::vector<double> final_cv;           // per replica
};

inline double exact_free_energy(const RunSettings& run, double s) {
  const double u = s / run.half_width;
  return run.barrier * (u * u - 1.0) * (u * u - 1.0);
}

// The batch: per replica the particle in the left well and its spectator in the right one.
inline Batch make_double_well_batch(const RunSettings& run) {
  const int n_atoms = 2;  // the biased particle and its spectator (see above)
  Batch batch(run.n_replicas, n_atoms, 1);
  auto x = Kokkos::create_mirror_view(batch.positions);
  auto boxes = Kokkos::create_mirror_view(batch.boxes);
  auto masses = Kokkos::create_mirror_view(batch.element_masses);
  masses(0) = run.mass;
  for (int r = 0; r < run.n_replicas; ++r) {
    Box box;  // the landscape is not periodic; the box only has to contain the particles
    for (int k = 0; k < 3; ++k)
      box.lo[k] = -50.0;
    box.lx = box.ly = box.lz = 100.0;
    boxes(r) = box;
    x(r * n_atoms + 0, 0) = -run.half_width;  // start in the left well
    x(r * n_atoms + 1, 0) = run.half_width;
  }
  Kokkos::deep_copy(batch.positions, x);
  Kokkos::deep_copy(batch.boxes, boxes);
  Kokkos::deep_copy(batch.element_masses, masses);
  return batch;
}

inline LandscapeParameters double_well_landscape(const RunSettings& run) {
  LandscapeParameters landscape;
  landscape.kind = LandscapeKind::DoubleWell;
  landscape.barrier = run.barrier;
  landscape.half_width = run.half_width;
  landscape.stiffness_y = 1.0;
  landscape.stiffness_z = 1.0;
  return landscape;
}

inline RunResult run_double_well(const RunSettings& run) {
  const int n_replicas = run.n_replicas;
  const int n_atoms = 2;
  Batch batch = make_double_well_batch(run);
  const LandscapeParameters landscape = double_well_landscape(run);

  std::vector<CvDefinition> definitions(
      n_replicas, CvDefinition{cv_kind<DisplacementX>, {0}, {{0.0, 0.0, 0.0}}});
  MetadynamicsBias bias(CvSet(definitions), {run.metad}, {run.temperature});
  ForceField field;
  field.add_term(std::make_unique<AnalyticLandscapeTerm>(landscape));
  field.add_term(bias.make_force_term());

  IntegratorSettings integrator;
  integrator.timestep = run.timestep;
  integrator.ensemble = Ensemble::nvt_langevin;
  MdIntegrator md(n_replicas, n_atoms, integrator);
  md.set_constant_temperatures({2.0 * run.temperature});  // see the header comment
  md.set_thermostat_damping({run.damping});
  std::vector<uint64_t> seeds;
  for (int r = 0; r < n_replicas; ++r)
    seeds.push_back(run.seed + 7919 * static_cast<uint64_t>(r));
  md.set_langevin_seeds(seeds);
  md.reset_state();
  md.setup(batch, field);
  for (int64_t step = 1; step <= run.steps; ++step) {
    md.step(batch, field);
    if (bias.deposition_due(step))
      bias.deposit(batch, step, step * run.timestep);
  }
  RunResult result;
  result.s = bias.grid_coordinates(0);
  result.bias = bias.bias_on_grid();
  result.hills = bias.hills();
  bias.cvs().evaluate(batch);
  result.final_cv = bias.cvs().values_on_host();
  return result;
}

// Comparison of a reconstructed FES with the exact one over the region where the exact F is
// at most `level` (eV) above its minimum: the best constant shift is removed (the mean
// difference), then the largest deviation is reported, and the barrier is read off the FES with
// find_first_barrier from the left minimum.
struct Comparison {
  double max_deviation = 0.0;  // eV
  double barrier = 0.0;        // eV, from the reconstructed FES
  bool barrier_found = false;
};

inline Comparison compare(const RunSettings& run, const std::vector<double>& s,
                          const std::vector<double>& f, double level) {
  double shift = 0.0;
  int count = 0;
  for (size_t k = 0; k < s.size(); ++k)
    if (exact_free_energy(run, s[k]) <= level) {
      shift += f[k] - exact_free_energy(run, s[k]);
      ++count;
    }
  shift /= count;
  Comparison c;
  for (size_t k = 0; k < s.size(); ++k)
    if (exact_free_energy(run, s[k]) <= level)
      c.max_deviation =
          std::max(c.max_deviation, std::abs(f[k] - shift - exact_free_energy(run, s[k])));
  const double kt = units::kBoltzmann * run.temperature;
  const FirstBarrier b = find_first_barrier(s, f, -run.half_width, +1, 2.0 * kt);
  c.barrier_found = b.found;
  c.barrier = b.barrier;
  return c;
}

// F from the replica-averaged bias (replicas are independent estimates of the same bias).
inline std::vector<double> mean_free_energy(const RunSettings& run, const RunResult& result) {
  std::vector<double> mean(result.s.size(), 0.0);
  for (const auto& v : result.bias)
    for (size_t k = 0; k < mean.size(); ++k)
      mean[k] += v[k] / result.bias.size();
  return free_energy_from_bias(mean, run.temperature, run.metad.bias_temperature);
}

}  // namespace glassland::testing_double_well
