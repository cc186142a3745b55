// Batched MD integrators (kernels/md_integrator.hpp), fast checks. The test system is a
// shifted-force Lennard-Jones liquid (a force term written here, O(N²) minimum image): cheap,
// chaotic, momentum-conserving, with a smooth force at the cutoff so that Verlet conserves
// energy well. Parameters loosely mimic a metal in metal units (ε = 0.2 eV, σ = 2.3 Å, m = Cu),
// so 1500–2000 K is a dense liquid (T* = k_B T/ε ≈ 0.65–0.86 at ρ* = 0.85).
//
// Oracles: energy conservation (NVE, and the extended energy of NVT/NPT Nosé–Hoover), the
// canonical kinetic-energy distribution (mean N_f k_B T/2, variance N_f (k_B T)²/2 for any
// potential), the barostat reaching its target on average, bitwise batch invariance and
// restart equivalence, exact schedules.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <vector>

#include "kernels/force_field.hpp"
#include "kernels/kinetic.hpp"
#include "kernels/md_integrator.hpp"
#include "kernels/replica_reductions.hpp"

namespace glassland {
namespace {

constexpr double kEpsilon = 0.2;  // eV
constexpr double kSigma = 2.3;    // Å
constexpr double kMass = 63.546;  // amu

// Shifted-force Lennard-Jones (Allen & Tildesley §5.2.3): V_sf(r) = V(r) − V(rc) − (r − rc) V'(rc),
// continuous energy and force at rc. All pairs of a replica, minimum image (rc < half the
// smallest box width, checked on the host by the test setup).
struct LennardJonesParameters {
  double epsilon, sigma, cutoff;
  KOKKOS_INLINE_FUNCTION double energy(double r) const {
    const double s2 = (sigma / r) * (sigma / r);
    const double s6 = s2 * s2 * s2;
    return 4.0 * epsilon * (s6 * s6 - s6);
  }
  // dV/dr.
  KOKKOS_INLINE_FUNCTION double derivative(double r) const {
    const double s2 = (sigma / r) * (sigma / r);
    const double s6 = s2 * s2 * s2;
    return -24.0 * epsilon * (2.0 * s6 * s6 - s6) / r;
  }
  KOKKOS_INLINE_FUNCTION double shifted_energy(double r) const {
    return energy(r) - energy(cutoff) - (r - cutoff) * derivative(cutoff);
  }
  KOKKOS_INLINE_FUNCTION double shifted_derivative(double r) const {
    return derivative(r) - derivative(cutoff);
  }
};

class LennardJonesTerm : public ForceTerm {
 public:
  explicit LennardJonesTerm(LennardJonesParameters p) : p_(p) {}
  std::string name() const override { return "test_lennard_jones"; }

  void accumulate(Batch& batch, const EvalRequest& request) override {
    const int n_atoms = batch.n_atoms;
    const int n_replicas = batch.n_replicas;
    if (static_cast<int64_t>(atom_virial_.extent(0)) != batch.total_atoms()) {
      atom_virial_ = Kokkos::View<double* [6], MemSpace>("test::atom_virial", batch.total_atoms());
      atom_energy_ = AtomScalars("test::atom_energy", batch.total_atoms());
      replica_sum_ = ReplicaScalars("test::replica_sum", n_replicas);
    }
    auto x = batch.positions;
    auto f = batch.forces;
    auto boxes = batch.boxes;
    auto per_atom_energy = batch.per_atom_energy;
    auto atom_virial = atom_virial_;
    auto atom_energy = atom_energy_;
    auto active = request.active;
    const LennardJonesParameters p = p_;
    const double cutoff2 = p.cutoff * p.cutoff;
    Kokkos::parallel_for(
        "test::lennard_jones", all_atoms(n_replicas, n_atoms), KOKKOS_LAMBDA(int64_t g) {
          const int r = static_cast<int>(g / n_atoms);
          if (!replica_is_active(active, r))
            return;
          const Box box = boxes(r);
          const int64_t first = static_cast<int64_t>(r) * n_atoms;
          double force[3] = {0, 0, 0}, energy = 0.0, w[6] = {0, 0, 0, 0, 0, 0};
          for (int j = 0; j < n_atoms; ++j) {
            const int64_t h = first + j;
            if (h == g)
              continue;
            double d[3] = {x(g, 0) - x(h, 0), x(g, 1) - x(h, 1), x(g, 2) - x(h, 2)};
            box.minimum_image(d);
            const double r2 = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
            if (r2 >= cutoff2)
              continue;
            const double distance = kmath::sqrt(r2);
            const double scale = -p.shifted_derivative(distance) / distance;  // f_ij = scale·d
            const double fij[3] = {scale * d[0], scale * d[1], scale * d[2]};
            for (int k = 0; k < 3; ++k)
              force[k] += fij[k];
            energy += 0.5 * p.shifted_energy(distance);
            w[0] += 0.5 * d[0] * fij[0];
            w[1] += 0.5 * d[1] * fij[1];
            w[2] += 0.5 * d[2] * fij[2];
            w[3] += 0.5 * d[0] * fij[1];
            w[4] += 0.5 * d[0] * fij[2];
            w[5] += 0.5 * d[1] * fij[2];
          }
          for (int k = 0; k < 3; ++k)
            f(g, k) += force[k];
          per_atom_energy(g) += energy;
          atom_energy(g) = energy;
          for (int c = 0; c < 6; ++c)
            atom_virial(g, c) = w[c];
        });
    // Per-replica energy and virial from the per-atom parts (deterministic team sums).
    auto sum = replica_sum_;
    if (request.energy) {
      auto energy = batch.potential_energy;
      sum_per_replica(
          "test::lennard_jones_energy", n_replicas, n_atoms,
          KOKKOS_LAMBDA(int64_t g) { return atom_energy(g); }, sum);
      Kokkos::parallel_for(
          "test::lennard_jones_add_energy", Kokkos::RangePolicy<ExecSpace>(0, n_replicas),
          KOKKOS_LAMBDA(int r) {
            if (replica_is_active(active, r))
              energy(r) += sum(r);
          });
    }
    if (request.virial) {
      auto virial = batch.virial;
      for (int c = 0; c < 6; ++c) {
        sum_per_replica(
            "test::lennard_jones_virial", n_replicas, n_atoms,
            KOKKOS_LAMBDA(int64_t g) { return atom_virial(g, c); }, sum);
        Kokkos::parallel_for(
            "test::lennard_jones_add_virial", Kokkos::RangePolicy<ExecSpace>(0, n_replicas),
            KOKKOS_LAMBDA(int r) {
              if (replica_is_active(active, r))
                virial(r, c) += sum(r);
            });
      }
    }
  }

 private:
  LennardJonesParameters p_;
  Kokkos::View<double* [6], MemSpace> atom_virial_;
  AtomScalars atom_energy_;
  ReplicaScalars replica_sum_;
};

ForceField lennard_jones_force_field(double cutoff = 2.2 * kSigma) {
  ForceField ff;
  ff.add_term(std::make_unique<LennardJonesTerm>(LennardJonesParameters{kEpsilon, kSigma, cutoff}));
  return ff;
}

// R replicas of an fcc crystal of cells³ unit cells (4 cells³ atoms) at reduced density ρ*,
// optionally tilted, with Maxwell–Boltzmann velocities at per-replica temperatures and seeds.
Batch make_liquid(int n_replicas, int cells, const std::vector<double>& temperatures,
                  const std::vector<uint64_t>& seeds, double reduced_density = 0.85,
                  double tilt_xy = 0.0) {
  const int n_atoms = 4 * cells * cells * cells;
  Batch batch(n_replicas, n_atoms, 1);
  Kokkos::deep_copy(batch.element_masses, kMass);
  const double a = std::cbrt(4.0 / reduced_density) * kSigma;
  const double basis[4][3] = {{0, 0, 0}, {0.5, 0.5, 0}, {0.5, 0, 0.5}, {0, 0.5, 0.5}};
  auto x = Kokkos::create_mirror_view(batch.positions);
  auto ids = Kokkos::create_mirror_view(batch.ids);
  for (int r = 0; r < n_replicas; ++r) {
    int i = 0;
    for (int cx = 0; cx < cells; ++cx)
      for (int cy = 0; cy < cells; ++cy)
        for (int cz = 0; cz < cells; ++cz)
          for (const auto& b : basis) {
            const int64_t g = static_cast<int64_t>(r) * n_atoms + i;
            const double s[3] = {(cx + b[0]) / cells, (cy + b[1]) / cells, (cz + b[2]) / cells};
            x(g, 0) = a * cells * s[0] + tilt_xy * s[1];
            x(g, 1) = a * cells * s[1];
            x(g, 2) = a * cells * s[2];
            ids(g) = ++i;
          }
  }
  Kokkos::deep_copy(batch.positions, x);
  Kokkos::deep_copy(batch.ids, ids);
  auto boxes = Kokkos::create_mirror_view(batch.boxes);
  for (int r = 0; r < n_replicas; ++r) {
    boxes(r).lx = boxes(r).ly = boxes(r).lz = a * cells;
    boxes(r).xy = tilt_xy;
  }
  Kokkos::deep_copy(batch.boxes, boxes);
  ReplicaScalars t("t", n_replicas);
  ReplicaSeeds s("s", n_replicas);
  auto t_h = Kokkos::create_mirror_view(t);
  auto s_h = Kokkos::create_mirror_view(s);
  for (int r = 0; r < n_replicas; ++r) {
    t_h(r) = temperatures[temperatures.size() == 1 ? 0 : r];
    s_h(r) = seeds[seeds.size() == 1 ? 0 : r];
  }
  Kokkos::deep_copy(t, t_h);
  Kokkos::deep_copy(s, s_h);
  create_maxwell_boltzmann_velocities(batch, t, s);
  return batch;
}

template <class View>
auto to_host(const View& view) {
  return Kokkos::create_mirror_view_and_copy(HostSpace(), view);
}

// Mean and its standard error from block averages of a (correlated) series: 20 blocks.
struct MeanAndError {
  double mean, error;
};
MeanAndError block_average(const std::vector<double>& series, int n_blocks = 20) {
  const size_t block = series.size() / n_blocks;
  std::vector<double> means;
  double total = 0.0;
  for (int b = 0; b < n_blocks; ++b) {
    double m = 0.0;
    for (size_t i = b * block; i < (b + 1) * block; ++i)
      m += series[i];
    means.push_back(m / block);
    total += m / block;
  }
  const double mean = total / n_blocks;
  double var = 0.0;
  for (double m : means)
    var += (m - mean) * (m - mean);
  return {mean, std::sqrt(var / (n_blocks - 1) / n_blocks)};
}

// ---- schedules ---------------------------------------------------------------------------------

std::vector<double> schedule_on_device(const IntegratorTargets& targets, int r,
                                       const std::vector<int64_t>& steps) {
  Kokkos::View<int64_t*, MemSpace> s("steps", steps.size());
  ReplicaScalars out("out", steps.size());
  auto s_h = Kokkos::create_mirror_view(s);
  for (size_t i = 0; i < steps.size(); ++i)
    s_h(i) = steps[i];
  Kokkos::deep_copy(s, s_h);
  auto schedule = targets.temperature;
  Kokkos::parallel_for(
      "test::schedule", Kokkos::RangePolicy<ExecSpace>(0, steps.size()),
      KOKKOS_LAMBDA(int i) { out(i) = schedule.at(r, s(i)); });
  auto out_h = to_host(out);
  return std::vector<double>(out_h.data(), out_h.data() + steps.size());
}

TEST(MdSchedule, LinearRampIsExactAtBothEndsAndLinear) {
  // 2000 K → 300 K at 1e13 K/s with 2 fs: 0.02 K per step, 85000 steps.
  const auto ramp = TemperatureScheduleSpec::ramp_at_rate(2000.0, 300.0, 1e13, 0.002, 1000);
  EXPECT_EQ(ramp.duration_steps, 85000);
  MdIntegrator md(2, 1, IntegratorSettings{});
  md.set_temperature_schedules({TemperatureScheduleSpec::constant(700.0), ramp});
  const std::vector<int64_t> steps = {0, 999, 1000, 1001, 1000 + 42500, 86000 - 1, 86000, 90000};
  const auto t = schedule_on_device(md.targets(), 1, steps);
  EXPECT_EQ(t[0], 2000.0);
  EXPECT_EQ(t[1], 2000.0);
  EXPECT_EQ(t[2], 2000.0);
  EXPECT_NEAR(t[3], 2000.0 - 0.02, 1e-9);
  EXPECT_NEAR(t[4], 1150.0, 1e-9);
  EXPECT_NEAR(t[5], 300.0 + 0.02, 1e-9);
  EXPECT_EQ(t[6], 300.0);
  EXPECT_EQ(t[7], 300.0);
  // Linear: equal increments on every step of the ramp (to rounding).
  std::vector<int64_t> all;
  for (int64_t s = 1000; s <= 86000; s += 1000)
    all.push_back(s);
  const auto u = schedule_on_device(md.targets(), 1, all);
  for (size_t i = 1; i < u.size(); ++i)
    EXPECT_NEAR(u[i] - u[i - 1], -20.0, 1e-9);
  EXPECT_EQ(schedule_on_device(md.targets(), 0, {0, 5, 123456})[2], 700.0);
}

TEST(MdSchedule, StaircaseStepsAndStopsAtTheEnd) {
  MdIntegrator md(1, 1, IntegratorSettings{});
  md.set_temperature_schedules({TemperatureScheduleSpec::staircase(1000.0, 880.0, 50.0, 100)});
  const auto t = schedule_on_device(md.targets(), 0, {0, 99, 100, 199, 200, 299, 300, 10000});
  const std::vector<double> expected = {1000, 1000, 950, 950, 900, 900, 880, 880};
  for (size_t i = 0; i < t.size(); ++i)
    EXPECT_EQ(t[i], expected[i]) << i;
  // Heating works the same way.
  md.set_temperature_schedules({TemperatureScheduleSpec::staircase(300.0, 400.0, 50.0, 10)});
  const auto h = schedule_on_device(md.targets(), 0, {0, 10, 20, 30});
  EXPECT_EQ(h[1], 350.0);
  EXPECT_EQ(h[3], 400.0);
}

// ---- NVE ---------------------------------------------------------------------------------------

// Total energy drift of velocity Verlet, 2000 K liquid, 2 fs, 10 ps. The acceptance bound is
// 1e-4 eV/atom; the shifted-force LJ (smooth force) keeps it orders of magnitude below.
TEST(MdNve, ConservesTotalEnergy) {
  const int cells = 3, n_replicas = 2;
  Batch batch = make_liquid(n_replicas, cells, {2000.0, 1500.0}, {1, 2});
  const int n_atoms = batch.n_atoms;
  ForceField ff = lennard_jones_force_field();
  IntegratorSettings settings;
  settings.timestep = 0.002;
  settings.ensemble = Ensemble::nve;
  MdIntegrator md(n_replicas, n_atoms, settings);
  md.setup(batch, ff);
  Thermo thermo(n_replicas);
  std::vector<std::vector<double>> total(n_replicas);
  for (int block = 0; block <= 50; ++block) {
    if (block > 0)
      md.run(batch, ff, 100);
    md.compute_thermo(batch, thermo);
    auto pe = to_host(batch.potential_energy);
    auto ke = to_host(thermo.kinetic_energy);
    for (int r = 0; r < n_replicas; ++r)
      total[r].push_back(pe(r) + ke(r));
  }
  auto step = to_host(md.state().step);
  EXPECT_EQ(step(0), 5000);
  for (int r = 0; r < n_replicas; ++r) {
    double worst = 0.0;
    for (double e : total[r])
      worst = std::max(worst, std::fabs(e - total[r][0]) / n_atoms);
    std::printf("NVE replica %d: max |E(t) - E(0)| = %.3e eV/atom over 10 ps\n", r, worst);
    EXPECT_LT(worst, 1e-4);
  }
}

// ---- Nosé–Hoover NVT ---------------------------------------------------------------------------

// The extended energy PE + KE + chain energy is conserved by the NHC integrator (a check of
// the chain equations and their Trotter splitting), and the temperature relaxes to the target.
TEST(MdNoseHoover, ConservesExtendedEnergy) {
  const int n_replicas = 2;
  Batch batch = make_liquid(n_replicas, 3, {1000.0, 2500.0}, {3, 4});
  const int n_atoms = batch.n_atoms;
  ForceField ff = lennard_jones_force_field();
  IntegratorSettings settings;
  settings.timestep = 0.001;
  settings.ensemble = Ensemble::nvt_nose_hoover;
  MdIntegrator md(n_replicas, n_atoms, settings);
  md.set_constant_temperatures({1800.0, 1600.0});
  md.set_thermostat_damping({0.1, 0.2});
  md.reset_state();
  md.setup(batch, ff);
  md.run(batch, ff, 2000);  // melt the lattice and relax the thermostat (2 ps)
  Thermo thermo(n_replicas);
  std::vector<double> first(n_replicas), worst(n_replicas, 0.0);
  for (int block = 0; block <= 40; ++block) {
    if (block > 0)
      md.run(batch, ff, 200);
    md.compute_thermo(batch, thermo);
    auto pe = to_host(batch.potential_energy);
    auto ke = to_host(thermo.kinetic_energy);
    auto res = to_host(thermo.reservoir_energy);
    for (int r = 0; r < n_replicas; ++r) {
      const double h = pe(r) + ke(r) + res(r);
      if (block == 0)
        first[r] = h;
      worst[r] = std::max(worst[r], std::fabs(h - first[r]) / n_atoms);
    }
  }
  for (int r = 0; r < n_replicas; ++r) {
    std::printf("NVT-NHC replica %d: max |H(t) - H(0)| = %.3e eV/atom over 8 ps after 2 ps\n", r,
                worst[r]);
    EXPECT_LT(worst[r], 1e-4);
  }
}

// Canonical statistics from a batch of 4 replicas at different targets (1200–2100 K), pooled
// as T/T_target and Var(KE)/(N_f (k_B T)²/2). Standard errors come from block averages of each
// replica's series (printed); the asserted bounds are the acceptance bounds of issue 3 (1 %
// for ⟨T⟩, 10 % for the variance), which the run length makes ≥ 3 standard errors (asserted).
void check_canonical(Ensemble ensemble, double tau, int n_steps, const char* name) {
  const int n_replicas = 4;
  const std::vector<double> targets = {1200.0, 1500.0, 1800.0, 2100.0};
  // 32 atoms, box 7.7 Å: the cutoff 1.6σ = 3.7 Å stays inside half the box.
  Batch batch = make_liquid(n_replicas, 2, targets, {21, 22, 23, 24}, 0.85);
  const int n_atoms = batch.n_atoms;
  ForceField ff = lennard_jones_force_field(1.6 * kSigma);
  IntegratorSettings settings;
  // 2 fs: the kinetic temperature of BAOAB at full steps is low by about (ω dt)²/4 (0.7 % at
  // 4 fs for this liquid, 0.2 % at 2 fs; the configurational sampling is unaffected).
  settings.timestep = 0.002;
  settings.ensemble = ensemble;
  MdIntegrator md(n_replicas, n_atoms, settings);
  md.set_constant_temperatures(targets);
  md.set_thermostat_damping({tau});
  md.set_langevin_seeds({91, 92, 93, 94});
  md.reset_state();
  md.setup(batch, ff);
  md.run(batch, ff, 2000);  // equilibration: 4 ps
  Thermo thermo(n_replicas);
  const double dof = kinetic_degrees_of_freedom(n_atoms);
  std::vector<std::vector<double>> t_ratio(n_replicas), ke2_ratio(n_replicas);
  for (int s = 0; s < n_steps; s += 2) {
    md.run(batch, ff, 2);
    md.compute_thermo(batch, thermo);
    auto ke = to_host(thermo.kinetic_energy);
    auto t = to_host(thermo.temperature);
    for (int r = 0; r < n_replicas; ++r) {
      const double kt = units::kBoltzmann * targets[r];
      t_ratio[r].push_back(t(r) / targets[r]);
      // (KE − ⟨KE⟩_canonical)² / canonical variance: its mean is the variance ratio.
      const double deviation = ke(r) - 0.5 * dof * kt;
      ke2_ratio[r].push_back(deviation * deviation / (0.5 * dof * kt * kt));
    }
  }
  double t_mean = 0, t_err2 = 0, v_mean = 0, v_err2 = 0;
  for (int r = 0; r < n_replicas; ++r) {
    const auto t = block_average(t_ratio[r]);
    const auto v = block_average(ke2_ratio[r]);
    std::printf("%s replica %d (%.0f K): <T>/T0 = %.4f ± %.4f, Var(KE)/canonical = %.3f ± %.3f\n",
                name, r, targets[r], t.mean, t.error, v.mean, v.error);
    t_mean += t.mean / n_replicas;
    v_mean += v.mean / n_replicas;
    t_err2 += t.error * t.error / (n_replicas * n_replicas);
    v_err2 += v.error * v.error / (n_replicas * n_replicas);
  }
  const double t_err = std::sqrt(t_err2), v_err = std::sqrt(v_err2);
  std::printf("%s pooled: <T>/T0 = %.4f ± %.4f, Var(KE)/canonical = %.3f ± %.3f (N_f = %.0f)\n",
              name, t_mean, t_err, v_mean, v_err, dof);
  EXPECT_NEAR(t_mean, 1.0, 0.01);
  EXPECT_NEAR(v_mean, 1.0, 0.10);
  EXPECT_LT(3.0 * t_err, 0.01) << "run too short for the 1 % bound";
  EXPECT_LT(3.0 * v_err, 0.10) << "run too short for the 10 % bound";
}

TEST(MdNoseHoover, CanonicalTemperatureAndKineticEnergyVariance) {
  check_canonical(Ensemble::nvt_nose_hoover, 0.05, 40000, "NVT-NHC");
}

TEST(MdLangevin, CanonicalTemperatureAndKineticEnergyVariance) {
  check_canonical(Ensemble::nvt_langevin, 0.05, 40000, "NVT-Langevin");
}

// ---- NPT ---------------------------------------------------------------------------------------

// MTK NPT: conserved extended energy (thermostat + barostat + P·V) for every coupling.
void check_npt_conserved(BarostatCoupling coupling, double tilt, double temperature) {
  const int n_replicas = 2;
  Batch batch = make_liquid(n_replicas, 3, {temperature}, {5, 6}, 0.85, tilt);
  const int n_atoms = batch.n_atoms;
  // Cutoff 2σ = 4.6 Å: well inside half the (changing, possibly tilted) box.
  ForceField ff = lennard_jones_force_field(2.0 * kSigma);
  IntegratorSettings settings;
  settings.timestep = 0.001;
  settings.ensemble = Ensemble::npt;
  settings.coupling = coupling;
  MdIntegrator md(n_replicas, n_atoms, settings);
  md.set_constant_temperatures({temperature});
  md.set_thermostat_damping({0.1});
  // 10 and 20 kbar keep the liquid dense (at 0 bar this cut-off LJ at 1800 K evaporates).
  md.set_barostat({0.5, 1.0}, {{1e4, 1e4, 1e4, 0, 0, 0}, {2e4, 2e4, 2e4, 0, 0, 0}});
  md.reset_state();
  md.setup(batch, ff);
  md.run(batch, ff, 2000);  // melt the lattice, let the box start to relax (2 ps)
  Thermo thermo(n_replicas);
  std::vector<double> first(n_replicas), worst(n_replicas, 0.0), v0(n_replicas), v1(n_replicas);
  for (int block = 0; block <= 30; ++block) {
    if (block > 0)
      md.run(batch, ff, 200);  // 6 ps
    md.compute_thermo(batch, thermo);
    auto pe = to_host(batch.potential_energy);
    auto ke = to_host(thermo.kinetic_energy);
    auto res = to_host(thermo.reservoir_energy);
    auto vol = to_host(thermo.volume);
    for (int r = 0; r < n_replicas; ++r) {
      const double h = pe(r) + ke(r) + res(r);
      if (block == 0) {
        first[r] = h;
        v0[r] = vol(r);
      }
      v1[r] = vol(r);
      worst[r] = std::max(worst[r], std::fabs(h - first[r]) / n_atoms);
    }
  }
  auto boxes = to_host(batch.boxes);
  for (int r = 0; r < n_replicas; ++r) {
    std::printf(
        "NPT coupling %d replica %d: max |H(t) - H(0)| = %.3e eV/atom, V %.1f -> %.1f, "
        "tilts %.3f %.3f %.3f\n",
        static_cast<int>(coupling), r, worst[r], v0[r], v1[r], boxes(r).xy, boxes(r).xz,
        boxes(r).yz);
    EXPECT_LT(worst[r], 1e-4);
    EXPECT_NE(v0[r], v1[r]);  // the box does move
  }
}

TEST(MdNpt, IsotropicConservesExtendedEnergy) {
  check_npt_conserved(BarostatCoupling::isotropic, 0.0, 1800.0);
}
TEST(MdNpt, AnisotropicConservesExtendedEnergy) {
  check_npt_conserved(BarostatCoupling::anisotropic, 0.0, 1800.0);
}
// A crystal (600 K): a liquid has no shear stiffness, so its tilts would wander off.
TEST(MdNpt, TriclinicConservesExtendedEnergy) {
  check_npt_conserved(BarostatCoupling::triclinic, 1.0, 600.0);
}

// The barostat holds the target on average: a 600 K LJ crystal at 10 kbar (replica 0) and
// 20 kbar (replica 1), isotropic and triclinic coupling (then the mean shear stresses are also
// the target, 0). Instantaneous pressures fluctuate by ~10 kbar; the standard error of the
// mean from 20 block averages over 8 ps is ~0.15 kbar (printed), and the bound is 4 of them
// (the error itself is asserted to be below 1 kbar, so the test stays meaningful).
void check_mean_pressure(BarostatCoupling coupling) {
  const int n_replicas = 2;
  const std::vector<double> targets = {1e4, 2e4};
  Batch batch = make_liquid(n_replicas, 3, {600.0}, {7, 8}, 1.0, 0.0);
  ForceField ff = lennard_jones_force_field(2.0 * kSigma);
  IntegratorSettings settings;
  settings.timestep = 0.002;
  settings.ensemble = Ensemble::npt;
  settings.coupling = coupling;
  MdIntegrator md(n_replicas, batch.n_atoms, settings);
  md.set_constant_temperatures({600.0});
  md.set_thermostat_damping({0.1});
  md.set_barostat({0.5}, {{targets[0], targets[0], targets[0], 0, 0, 0},
                          {targets[1], targets[1], targets[1], 0, 0, 0}});
  md.reset_state();
  md.setup(batch, ff);
  md.run(batch, ff, 2000);
  Thermo thermo(n_replicas);
  std::vector<std::vector<double>> pressure(n_replicas), shear(n_replicas);
  for (int s = 0; s < 4000; s += 5) {
    md.run(batch, ff, 5);
    md.compute_thermo(batch, thermo);
    auto p = to_host(thermo.pressure);
    auto pt = to_host(thermo.pressure_tensor);
    for (int r = 0; r < n_replicas; ++r) {
      pressure[r].push_back(p(r));
      shear[r].push_back((pt(r, 3) + pt(r, 4) + pt(r, 5)) / 3.0);
    }
  }
  for (int r = 0; r < n_replicas; ++r) {
    const auto p = block_average(pressure[r]);
    const auto s = block_average(shear[r]);
    std::printf(
        "NPT coupling %d replica %d: <P> = %.0f ± %.0f bar (target %.0f), "
        "<mean shear> = %.0f ± %.0f bar\n",
        static_cast<int>(coupling), r, p.mean, p.error, targets[r], s.mean, s.error);
    EXPECT_LT(p.error, 1000.0);
    EXPECT_NEAR(p.mean, targets[r], 4.0 * p.error);
    if (coupling == BarostatCoupling::triclinic)
      EXPECT_NEAR(s.mean, 0.0, 4.0 * s.error);
  }
}

TEST(MdNpt, IsotropicMeanPressureIsTheTarget) {
  check_mean_pressure(BarostatCoupling::isotropic);
}
TEST(MdNpt, TriclinicMeanPressureIsTheTarget) {
  check_mean_pressure(BarostatCoupling::triclinic);
}

}  // namespace
}  // namespace glassland
