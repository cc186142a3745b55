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
#include "kernels/replica_faults.hpp"
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
// ---- Fault check (issue 16, kernels/replica_faults.hpp) ----------------------------------------

// Three replicas of a 1500 K liquid: one heated to 15× its temperature, one with a NaN position.
// The check flags exactly those two, with the cause, the atom and the temperature, clears their
// entries of the mask, and leaves the healthy replica's mask and numbers alone. The runaway is
// seen only where energies are evaluated.
TEST(FaultCheck, FlagsOnlyTheBrokenReplicasWithTheirCause) {
  const int n_replicas = 3;
  Batch batch = make_liquid(n_replicas, 3, {1500.0}, {1, 2, 3});
  const int n_atoms = batch.n_atoms;
  ForceField ff = lennard_jones_force_field();
  IntegratorSettings settings;
  settings.timestep = 0.002;
  settings.ensemble = Ensemble::nve;
  MdIntegrator md(n_replicas, n_atoms, settings);
  md.setup(batch, ff);
  ReplicaInts active("active", n_replicas);
  Kokkos::deep_copy(active, 1);
  const FaultLimits limits;
  ReplicaFaults faults(n_replicas);
  check_dynamics_faults(batch, md, active, true, limits, faults);
  EXPECT_TRUE(read_faults(faults).empty());  // a healthy liquid raises nothing

  auto v = Kokkos::create_mirror_view_and_copy(HostSpace(), batch.velocities);
  for (int i = 0; i < n_atoms; ++i)
    for (int k = 0; k < 3; ++k)
      v(n_atoms + i, k) *= std::sqrt(15.0);  // replica 1: 22500 K, steps of ~0.1 Å
  Kokkos::deep_copy(batch.velocities, v);
  auto x = Kokkos::create_mirror_view_and_copy(HostSpace(), batch.positions);
  x(2 * n_atoms + 5, 1) = std::nan("");  // replica 2, atom 5
  Kokkos::deep_copy(batch.positions, x);
  const auto before = to_host(batch.velocities);

  check_dynamics_faults(batch, md, active, false, limits, faults);  // no energies: no runaway
  std::vector<FaultRecord> found = read_faults(faults);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].replica, 2);
  EXPECT_EQ(found[0].cause, FaultCause::non_finite_positions);
  EXPECT_EQ(found[0].atom, 5);
  EXPECT_EQ(found[0].step, 0);

  check_dynamics_faults(batch, md, active, true, limits, faults);
  found = read_faults(faults);
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].replica, 1);
  EXPECT_EQ(found[0].cause, FaultCause::temperature_runaway);
  EXPECT_NEAR(found[0].value, 15.0 * 1500.0, 0.2 * 1500.0 * 15.0);  // the kinetic temperature
  EXPECT_EQ(found[1].cause, FaultCause::non_finite_positions);      // kept as first recorded
  const auto mask = to_host(active);
  EXPECT_EQ(mask(0), 1);
  EXPECT_EQ(mask(1), 0);
  EXPECT_EQ(mask(2), 0);
  const auto after = to_host(batch.velocities);
  for (int64_t g = 0; g < static_cast<int64_t>(n_replicas) * n_atoms; ++g)
    for (int k = 0; k < 3; ++k)
      ASSERT_EQ(after(g, k), before(g, k));  // the check only reads the batch
}

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

TEST(MdBussi, CanonicalTemperatureAndKineticEnergyVariance) {
  check_canonical(Ensemble::nvt_bussi, 0.05, 40000, "NVT-Bussi");
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

// ---- batch invariance, restart, mask -----------------------------------------------------------

// Everything a replica has, on the host, for bitwise comparison.
struct ReplicaRecord {
  std::vector<double> positions, velocities, state;
  std::vector<int> images;
  Box box;
  int64_t step = 0;
};

ReplicaRecord record(const Batch& batch, const MdIntegrator& md, int r) {
  ReplicaRecord out;
  const int n = batch.n_atoms;
  auto x = to_host(batch.positions);
  auto v = to_host(batch.velocities);
  auto im = to_host(batch.images);
  for (int i = 0; i < n; ++i)
    for (int k = 0; k < 3; ++k) {
      out.positions.push_back(x(r * n + i, k));
      out.velocities.push_back(v(r * n + i, k));
      out.images.push_back(im(r * n + i, k));
    }
  out.box = to_host(batch.boxes)(r);
  const IntegratorState& st = md.state();
  out.step = to_host(st.step)(r);
  for (const auto& chain :
       {st.thermostat_position, st.thermostat_velocity, st.thermostat_acceleration,
        st.barostat_chain_position, st.barostat_chain_velocity, st.barostat_chain_acceleration}) {
    auto h = to_host(chain);
    for (int k = 0; k < kMaxChainLength; ++k)
      out.state.push_back(h(r, k));
  }
  for (const auto& tensor : {st.barostat_velocity, st.barostat_strain}) {
    auto h = to_host(tensor);
    for (int c = 0; c < 6; ++c)
      out.state.push_back(h(r, c));
  }
  return out;
}

void expect_bitwise_equal(const ReplicaRecord& a, const ReplicaRecord& b, const char* what) {
  ASSERT_EQ(a.positions.size(), b.positions.size());
  for (size_t i = 0; i < a.positions.size(); ++i) {
    EXPECT_EQ(a.positions[i], b.positions[i]) << what << " position " << i;
    EXPECT_EQ(a.velocities[i], b.velocities[i]) << what << " velocity " << i;
    EXPECT_EQ(a.images[i], b.images[i]) << what << " image " << i;
  }
  for (size_t i = 0; i < a.state.size(); ++i)
    EXPECT_EQ(a.state[i], b.state[i]) << what << " state " << i;
  EXPECT_EQ(a.step, b.step) << what;
  for (int k = 0; k < 3; ++k)
    EXPECT_EQ(a.box.lo[k], b.box.lo[k]) << what;
  EXPECT_EQ(a.box.lx, b.box.lx) << what;
  EXPECT_EQ(a.box.ly, b.box.ly) << what;
  EXPECT_EQ(a.box.lz, b.box.lz) << what;
  EXPECT_EQ(a.box.xy, b.box.xy) << what;
  EXPECT_EQ(a.box.xz, b.box.xz) << what;
  EXPECT_EQ(a.box.yz, b.box.yz) << what;
}

// Per-replica settings of the invariance/restart scenarios: temperatures (one replica on a
// ramp), damping, pressures, seeds all differ between replicas.
struct Scenario {
  Ensemble ensemble;
  BarostatCoupling coupling = BarostatCoupling::triclinic;
  std::vector<double> start_temperature = {1800.0, 2100.0, 1500.0};
  std::vector<uint64_t> velocity_seed = {31, 32, 33};
};

void configure(MdIntegrator& md, const Scenario& sc, const std::vector<int>& replicas) {
  std::vector<TemperatureScheduleSpec> schedules;
  std::vector<double> tau_t, tau_p;
  std::vector<std::array<double, 6>> pressure;
  std::vector<uint64_t> seeds;
  for (int r : replicas) {
    schedules.push_back(r == 1 ? TemperatureScheduleSpec::ramp_in_steps(2100.0, 1400.0, 150)
                               : TemperatureScheduleSpec::constant(sc.start_temperature[r]));
    tau_t.push_back(0.05 + 0.05 * r);
    tau_p.push_back(0.4 + 0.3 * r);
    pressure.push_back({1e4 * (r + 1), 1e4 * (r + 1), 1e4 * (r + 1), 0.0, 0.0, 0.0});
    seeds.push_back(1000 + 7 * r);
  }
  md.set_temperature_schedules(schedules);
  md.set_thermostat_damping(tau_t);
  md.set_barostat(tau_p, pressure);
  md.set_langevin_seeds(seeds);
  md.reset_state();
}

MdIntegrator make_integrator(const Batch& batch, const Scenario& sc,
                             const std::vector<int>& replicas) {
  IntegratorSettings settings;
  settings.timestep = 0.002;
  settings.ensemble = sc.ensemble;
  settings.coupling = sc.coupling;
  MdIntegrator md(batch.n_replicas, batch.n_atoms, settings);
  configure(md, sc, replicas);
  return md;
}

Batch make_scenario_batch(const Scenario& sc, const std::vector<int>& replicas) {
  std::vector<double> t;
  std::vector<uint64_t> seeds;
  for (int r : replicas) {
    t.push_back(sc.start_temperature[r]);
    seeds.push_back(sc.velocity_seed[r]);
  }
  return make_liquid(static_cast<int>(replicas.size()), 2, t, seeds, 0.85, 0.3);
}

// Replica r inside a batch of three (different targets, seeds, schedules) equals the same
// replica run alone, bitwise (SPEC.md §2), for every ensemble.
void check_batch_invariance(const Scenario& sc) {
  ForceField ff = lennard_jones_force_field(1.6 * kSigma);
  Batch batch = make_scenario_batch(sc, {0, 1, 2});
  MdIntegrator md = make_integrator(batch, sc, {0, 1, 2});
  md.setup(batch, ff);
  md.run(batch, ff, 200);
  for (int r = 0; r < 3; ++r) {
    ForceField ff_alone = lennard_jones_force_field(1.6 * kSigma);
    Batch alone = make_scenario_batch(sc, {r});
    MdIntegrator md_alone = make_integrator(alone, sc, {r});
    md_alone.setup(alone, ff_alone);
    md_alone.run(alone, ff_alone, 200);
    expect_bitwise_equal(record(batch, md, r), record(alone, md_alone, 0), "batch vs alone");
  }
}

TEST(MdBatchInvariance, Nve) {
  check_batch_invariance({Ensemble::nve});
}
TEST(MdBatchInvariance, NoseHoover) {
  check_batch_invariance({Ensemble::nvt_nose_hoover});
}
TEST(MdBatchInvariance, Langevin) {
  check_batch_invariance({Ensemble::nvt_langevin});
}
TEST(MdBatchInvariance, Bussi) {
  check_batch_invariance({Ensemble::nvt_bussi});
}
TEST(MdBatchInvariance, NptTriclinic) {
  check_batch_invariance({Ensemble::npt});
}
TEST(MdBatchInvariance, NptIsotropic) {
  check_batch_invariance({Ensemble::npt, BarostatCoupling::isotropic});
}

// Stopping after 100 steps, copying the batch and the integrator state to the host, building
// fresh objects from the copies and continuing gives the uninterrupted run bitwise (the force
// field here is a pure function of the positions; the ramp and the Langevin noise depend only
// on the restored step counters).
void check_restart(const Scenario& sc) {
  const std::vector<int> all = {0, 1, 2};
  ForceField ff = lennard_jones_force_field(1.6 * kSigma);
  Batch straight = make_scenario_batch(sc, all);
  MdIntegrator md = make_integrator(straight, sc, all);
  md.setup(straight, ff);
  md.run(straight, ff, 200);

  Batch first = make_scenario_batch(sc, all);
  MdIntegrator md_first = make_integrator(first, sc, all);
  md_first.setup(first, ff);
  md_first.run(first, ff, 100);
  // "Checkpoint": host copies of everything the restart needs.
  auto x = to_host(first.positions);
  auto v = to_host(first.velocities);
  auto im = to_host(first.images);
  auto boxes = to_host(first.boxes);
  Batch resumed = make_scenario_batch(sc, all);  // then overwritten from the checkpoint
  Kokkos::deep_copy(resumed.positions, x);
  Kokkos::deep_copy(resumed.velocities, v);
  Kokkos::deep_copy(resumed.images, im);
  Kokkos::deep_copy(resumed.boxes, boxes);
  MdIntegrator md_resumed = make_integrator(resumed, sc, all);
  deep_copy_state(md_resumed.state(), md_first.state());
  ForceField ff_resumed = lennard_jones_force_field(1.6 * kSigma);
  md_resumed.setup(resumed, ff_resumed);
  md_resumed.run(resumed, ff_resumed, 100);
  for (int r = 0; r < 3; ++r)
    expect_bitwise_equal(record(straight, md, r), record(resumed, md_resumed, r), "restart");
}

TEST(MdRestart, NoseHooverWithRampIsBitwise) {
  check_restart({Ensemble::nvt_nose_hoover});
}
TEST(MdRestart, LangevinIsBitwise) {
  check_restart({Ensemble::nvt_langevin});
}
TEST(MdRestart, BussiIsBitwise) {
  check_restart({Ensemble::nvt_bussi});
}
TEST(MdRestart, NptTriclinicIsBitwise) {
  check_restart({Ensemble::npt});
}

// An inactive replica does not move and keeps its state and step counter; the active ones
// are unaffected by the mask (equal to a run with everything active).
TEST(MdMask, InactiveReplicaIsFrozen) {
  const Scenario sc{Ensemble::npt};
  const std::vector<int> all = {0, 1, 2};
  ForceField ff = lennard_jones_force_field(1.6 * kSigma);
  Batch batch = make_scenario_batch(sc, all);
  MdIntegrator md = make_integrator(batch, sc, all);
  ReplicaInts active("active", 3);
  auto active_h = Kokkos::create_mirror_view(active);
  active_h(0) = 1;
  active_h(1) = 0;
  active_h(2) = 1;
  Kokkos::deep_copy(active, active_h);
  md.setup(batch, ff, active);
  const ReplicaRecord frozen_before = record(batch, md, 1);
  md.run(batch, ff, 50, active);
  expect_bitwise_equal(record(batch, md, 1), frozen_before, "masked replica");
  EXPECT_EQ(record(batch, md, 0).step, 50);

  Batch reference = make_scenario_batch(sc, all);
  MdIntegrator md_reference = make_integrator(reference, sc, all);
  md_reference.setup(reference, ff);
  md_reference.run(reference, ff, 50);
  expect_bitwise_equal(record(batch, md, 2), record(reference, md_reference, 2), "active replica");
}

// ---- fixed shear strain, ramps -----------------------------------------------------------------

// NVT at fixed shear strain: the tilted box is held exactly, and the recorded shear stress has
// the elastic sign: a crystal sheared by +γ_xy has P_xy < 0 (σ_xy = −P_xy > 0), by −γ_xy the
// mirror image. G·γ ≈ 50 kbar here, against a ~0.2 kbar error of the 4 ps mean.
TEST(MdFixedShear, TiltIsHeldAndShearStressHasTheElasticSign) {
  double mean_pxy[2];
  const double tilts[2] = {0.6, -0.6};
  for (int c = 0; c < 2; ++c) {
    Batch batch = make_liquid(1, 3, {300.0}, {41}, 1.0, tilts[c]);
    const Box box0 = to_host(batch.boxes)(0);
    ForceField ff = lennard_jones_force_field(2.0 * kSigma);
    IntegratorSettings settings;
    settings.timestep = 0.002;
    settings.ensemble = Ensemble::nvt_nose_hoover;
    MdIntegrator md(1, batch.n_atoms, settings);
    md.set_constant_temperatures({300.0});
    md.set_thermostat_damping({0.1});
    md.reset_state();
    md.setup(batch, ff);
    md.run(batch, ff, 500);
    Thermo thermo(1);
    std::vector<double> pxy;
    for (int s = 0; s < 2000; s += 10) {
      // The virial is needed for the stress: ask for it with energy=true on sampled steps.
      for (int k = 0; k < 9; ++k)
        md.step(batch, ff);
      md.step(batch, ff, {}, true);
      md.compute_thermo(batch, thermo);
      pxy.push_back(to_host(thermo.pressure_tensor)(0, 3));
    }
    const Box box1 = to_host(batch.boxes)(0);
    EXPECT_EQ(box1.xy, box0.xy);
    EXPECT_EQ(box1.lx, box0.lx);
    EXPECT_EQ(box1.ly, box0.ly);
    EXPECT_EQ(box1.lz, box0.lz);
    const auto m = block_average(pxy);
    std::printf("fixed shear xy = %.2f Å: <P_xy> = %.0f ± %.0f bar\n", tilts[c], m.mean, m.error);
    mean_pxy[c] = m.mean;
    EXPECT_GT(std::fabs(m.mean), 4.0 * m.error);
  }
  EXPECT_LT(mean_pxy[0], 0.0);
  EXPECT_GT(mean_pxy[1], 0.0);
}

// A Nosé–Hoover run on a cooling ramp follows the target: 2000 K → 1000 K in 5000 steps of
// 2 fs (1e14 K/s). Over windows of 1000 steps the mean temperature is within 3 % of the mean
// target (fluctuation error ~1 %, thermostat lag τ_T·rate ≈ 10 K); the target at the end is
// exactly T_end.
TEST(MdRamp, NoseHooverFollowsALinearCoolingRamp) {
  Batch batch = make_liquid(2, 3, {2000.0, 1500.0}, {51, 52});
  ForceField ff = lennard_jones_force_field();
  IntegratorSettings settings;
  settings.timestep = 0.002;
  settings.ensemble = Ensemble::nvt_nose_hoover;
  MdIntegrator md(2, batch.n_atoms, settings);
  const auto ramp = TemperatureScheduleSpec::ramp_at_rate(2000.0, 1000.0, 1e14, 0.002, 1000);
  ASSERT_EQ(ramp.duration_steps, 5000);
  md.set_temperature_schedules({ramp, TemperatureScheduleSpec::constant(1500.0)});
  md.set_thermostat_damping({0.1});
  md.reset_state();
  md.setup(batch, ff);
  md.run(batch, ff, 1000);
  Thermo thermo(2);
  for (int window = 0; window < 5; ++window) {
    double t_sum = 0.0, target_sum = 0.0;
    for (int s = 0; s < 1000; s += 5) {
      md.run(batch, ff, 5);
      md.compute_thermo(batch, thermo);
      t_sum += to_host(thermo.temperature)(0);
      target_sum += to_host(thermo.target_temperature)(0);
    }
    std::printf("ramp window %d: <T> = %.1f K, <target> = %.1f K\n", window, t_sum / 200,
                target_sum / 200);
    EXPECT_NEAR(t_sum / target_sum, 1.0, 0.03);
  }
  md.compute_thermo(batch, thermo);
  EXPECT_EQ(to_host(thermo.target_temperature)(0), 1000.0);
  EXPECT_EQ(to_host(thermo.target_temperature)(1), 1500.0);
}

}  // namespace
}  // namespace glassland
