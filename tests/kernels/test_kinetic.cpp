// Kinetic energy, temperature, pressure tensor and Maxwell–Boltzmann velocities
// (kernels/kinetic.hpp). Oracles: hand-computed sums, exact identities of the construction
// (zero momentum, exact temperature), the Gaussian velocity distribution, batch invariance.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "kernels/kinetic.hpp"

namespace glassland {
namespace {

constexpr double kCuMass = 63.546;
constexpr double kZrMass = 91.224;

// A batch of R replicas of N atoms in a cubic box, alternating Cu and Zr (element 0 and 1).
Batch make_batch(int n_replicas, int n_atoms, double box_length = 20.0) {
  Batch batch(n_replicas, n_atoms, 2);
  auto masses = Kokkos::create_mirror_view(batch.element_masses);
  masses(0) = kCuMass;
  masses(1) = kZrMass;
  Kokkos::deep_copy(batch.element_masses, masses);
  auto elements = Kokkos::create_mirror_view(batch.elements);
  auto ids = Kokkos::create_mirror_view(batch.ids);
  auto x = Kokkos::create_mirror_view(batch.positions);
  for (int64_t g = 0; g < batch.total_atoms(); ++g) {
    const int i = static_cast<int>(g % n_atoms);
    elements(g) = i % 2;
    ids(g) = i + 1;
    for (int k = 0; k < 3; ++k) x(g, k) = 0.1 * ((i * (k + 3)) % 97);
  }
  Kokkos::deep_copy(batch.elements, elements);
  Kokkos::deep_copy(batch.ids, ids);
  Kokkos::deep_copy(batch.positions, x);
  auto boxes = Kokkos::create_mirror_view(batch.boxes);
  for (int r = 0; r < n_replicas; ++r) {
    boxes(r).lx = boxes(r).ly = boxes(r).lz = box_length;
  }
  Kokkos::deep_copy(batch.boxes, boxes);
  return batch;
}

ReplicaScalars device_scalars(const std::vector<double>& values) {
  ReplicaScalars view("test::scalars", values.size());
  auto host = Kokkos::create_mirror_view(view);
  for (size_t r = 0; r < values.size(); ++r) host(r) = values[r];
  Kokkos::deep_copy(view, host);
  return view;
}

ReplicaSeeds device_seeds(const std::vector<uint64_t>& values) {
  ReplicaSeeds view("test::seeds", values.size());
  auto host = Kokkos::create_mirror_view(view);
  for (size_t r = 0; r < values.size(); ++r) host(r) = values[r];
  Kokkos::deep_copy(view, host);
  return view;
}

double host_mass(int element) { return element == 0 ? kCuMass : kZrMass; }

TEST(Kinetic, TensorEnergyTemperatureAndPressureMatchHandSums) {
  const int n_replicas = 2, n_atoms = 5;
  Batch batch = make_batch(n_replicas, n_atoms, 10.0);
  auto v = Kokkos::create_mirror_view(batch.velocities);
  for (int64_t g = 0; g < batch.total_atoms(); ++g)
    for (int k = 0; k < 3; ++k) v(g, k) = 0.3 * (g + 1) * (k + 1) - 0.7 * k + 0.05 * g * g;
  Kokkos::deep_copy(batch.velocities, v);
  auto virial = Kokkos::create_mirror_view(batch.virial);
  for (int r = 0; r < n_replicas; ++r)
    for (int c = 0; c < 6; ++c) virial(r, c) = 0.1 * (c + 1) * (r + 1) - 0.25;
  Kokkos::deep_copy(batch.virial, virial);

  ReplicaTensors kinetic("kinetic", n_replicas), pressure_tensor("p", n_replicas);
  ReplicaScalars ke("ke", n_replicas), temperature("t", n_replicas), pressure("p", n_replicas);
  compute_kinetic_tensor(batch, kinetic);
  kinetic_energy_and_temperature(batch, kinetic, ke, temperature);
  compute_pressure_tensor(batch, kinetic, pressure_tensor, pressure);
  auto k_h = Kokkos::create_mirror_view_and_copy(HostSpace(), kinetic);
  auto ke_h = Kokkos::create_mirror_view_and_copy(HostSpace(), ke);
  auto t_h = Kokkos::create_mirror_view_and_copy(HostSpace(), temperature);
  auto pt_h = Kokkos::create_mirror_view_and_copy(HostSpace(), pressure_tensor);
  auto p_h = Kokkos::create_mirror_view_and_copy(HostSpace(), pressure);

  const int a_of[6] = {0, 1, 2, 0, 0, 1}, b_of[6] = {0, 1, 2, 1, 2, 2};
  for (int r = 0; r < n_replicas; ++r) {
    double expected[6] = {0, 0, 0, 0, 0, 0};
    for (int i = 0; i < n_atoms; ++i) {
      const int64_t g = r * n_atoms + i;
      for (int c = 0; c < 6; ++c)
        expected[c] += host_mass(i % 2) * v(g, a_of[c]) * v(g, b_of[c]) * units::kAmuA2Ps2ToEv;
    }
    for (int c = 0; c < 6; ++c) EXPECT_NEAR(k_h(r, c), expected[c], 1e-13 * std::fabs(expected[0]));
    const double trace = expected[0] + expected[1] + expected[2];
    EXPECT_NEAR(ke_h(r), 0.5 * trace, 1e-13 * trace);
    // 3N − 3 = 12 degrees of freedom.
    EXPECT_NEAR(t_h(r), trace / (12 * units::kBoltzmann), 1e-12 * t_h(r));
    double p_trace = 0.0;
    for (int c = 0; c < 6; ++c) {
      const double p = (expected[c] + virial(r, c)) / 1000.0 * units::kEvPerA3ToBar;
      EXPECT_NEAR(pt_h(r, c), p, 1e-12 * std::fabs(p) + 1e-9);
      if (c < 3) p_trace += p;
    }
    EXPECT_NEAR(p_h(r), p_trace / 3.0, 1e-12 * std::fabs(p_trace) + 1e-9);
  }
}

TEST(Kinetic, DegreesOfFreedomAreThreeNMinusThree) {
  EXPECT_EQ(kinetic_degrees_of_freedom(1000), 2997);
  EXPECT_EQ(kinetic_degrees_of_freedom(1), 3);
}

// Maxwell–Boltzmann: zero momentum and the exact temperature per replica, as LAMMPS
// `velocity create ... mom yes` (the rescaling makes T exact up to rounding: 1e-12).
TEST(Kinetic, MaxwellBoltzmannHasZeroMomentumAndExactTemperature) {
  const int n_replicas = 4, n_atoms = 250;
  Batch batch = make_batch(n_replicas, n_atoms);
  const std::vector<double> targets = {300.0, 1000.0, 2000.0, 50.0};
  create_maxwell_boltzmann_velocities(batch, device_scalars(targets),
                                      device_seeds({11, 12, 13, 14}));
  ReplicaTensors kinetic("kinetic", n_replicas);
  ReplicaScalars ke("ke", n_replicas), temperature("t", n_replicas);
  compute_kinetic_tensor(batch, kinetic);
  kinetic_energy_and_temperature(batch, kinetic, ke, temperature);
  auto t_h = Kokkos::create_mirror_view_and_copy(HostSpace(), temperature);
  auto v = Kokkos::create_mirror_view_and_copy(HostSpace(), batch.velocities);
  for (int r = 0; r < n_replicas; ++r) {
    EXPECT_NEAR(t_h(r), targets[r], 1e-12 * targets[r]) << "replica " << r;
    double momentum[3] = {0, 0, 0}, scale = 0.0;
    for (int i = 0; i < n_atoms; ++i)
      for (int k = 0; k < 3; ++k) {
        const double p = host_mass(i % 2) * v(r * n_atoms + i, k);
        momentum[k] += p;
        scale += std::fabs(p);
      }
    for (int k = 0; k < 3; ++k) EXPECT_LT(std::fabs(momentum[k]), 1e-13 * scale) << "replica " << r;
  }
}

// The velocity distribution is Gaussian with variance k_B T / m per component (mass-scaled
// velocities u = v·sqrt(m / k_B T) have unit variance, zero mean, kurtosis 3). With 3·20000
// samples the standard error of the variance is sqrt(2/60000) = 0.58 %, of the mean 0.0041,
// of the kurtosis sqrt(24/60000) = 0.02: the bounds below are about 4–5 standard errors.
TEST(Kinetic, MaxwellBoltzmannIsGaussianWithThermalVariance) {
  const int n_atoms = 20000;
  const double t = 1234.0;
  Batch batch = make_batch(1, n_atoms, 100.0);
  create_maxwell_boltzmann_velocities(batch, device_scalars({t}), device_seeds({2024}));
  auto v = Kokkos::create_mirror_view_and_copy(HostSpace(), batch.velocities);
  double sum = 0, sum2 = 0, sum4 = 0;
  for (int i = 0; i < n_atoms; ++i)
    for (int k = 0; k < 3; ++k) {
      const double u = v(i, k) / thermal_velocity(t, host_mass(i % 2));
      sum += u;
      sum2 += u * u;
      sum4 += u * u * u * u;
    }
  const double n = 3.0 * n_atoms;
  const double variance = sum2 / n;
  EXPECT_NEAR(sum / n, 0.0, 0.02);
  // Exact scaling to T with 3N − 3 dof makes Σ m v² = (3N − 3) k_B T exactly.
  EXPECT_NEAR(variance, (n - 3.0) / n, 1e-9);
  EXPECT_NEAR(sum4 / n / (variance * variance), 3.0, 0.1);
}

TEST(Kinetic, MaxwellBoltzmannDependsOnTheSeedOnly) {
  const int n_atoms = 64;
  Batch a = make_batch(1, n_atoms), b = make_batch(1, n_atoms), c = make_batch(1, n_atoms);
  create_maxwell_boltzmann_velocities(a, device_scalars({800.0}), device_seeds({7}));
  create_maxwell_boltzmann_velocities(b, device_scalars({800.0}), device_seeds({7}));
  create_maxwell_boltzmann_velocities(c, device_scalars({800.0}), device_seeds({8}));
  auto va = Kokkos::create_mirror_view_and_copy(HostSpace(), a.velocities);
  auto vb = Kokkos::create_mirror_view_and_copy(HostSpace(), b.velocities);
  auto vc = Kokkos::create_mirror_view_and_copy(HostSpace(), c.velocities);
  int differing = 0;
  for (int i = 0; i < n_atoms; ++i)
    for (int k = 0; k < 3; ++k) {
      EXPECT_EQ(va(i, k), vb(i, k));
      if (va(i, k) != vc(i, k)) ++differing;
    }
  EXPECT_EQ(differing, 3 * n_atoms);
}

// Replica r of a batch equals the same replica created alone, bitwise; an inactive replica
// keeps its velocities.
TEST(Kinetic, MaxwellBoltzmannIsBatchInvariantAndRespectsTheMask) {
  const int n_atoms = 100;
  const std::vector<double> targets = {500.0, 2000.0, 1500.0};
  const std::vector<uint64_t> seeds = {101, 202, 303};
  Batch batch = make_batch(3, n_atoms);
  Kokkos::deep_copy(batch.velocities, 9.0);
  ReplicaInts active("active", 3);
  auto active_h = Kokkos::create_mirror_view(active);
  active_h(0) = 1;
  active_h(1) = 0;
  active_h(2) = 1;
  Kokkos::deep_copy(active, active_h);
  create_maxwell_boltzmann_velocities(batch, device_scalars(targets), device_seeds(seeds), active);
  auto v = Kokkos::create_mirror_view_and_copy(HostSpace(), batch.velocities);
  for (int r : {0, 2}) {
    Batch alone = make_batch(1, n_atoms);
    create_maxwell_boltzmann_velocities(alone, device_scalars({targets[r]}),
                                        device_seeds({seeds[r]}));
    auto va = Kokkos::create_mirror_view_and_copy(HostSpace(), alone.velocities);
    for (int i = 0; i < n_atoms; ++i)
      for (int k = 0; k < 3; ++k) EXPECT_EQ(v(r * n_atoms + i, k), va(i, k));
  }
  for (int i = 0; i < n_atoms; ++i)
    for (int k = 0; k < 3; ++k) EXPECT_EQ(v(n_atoms + i, k), 9.0);
}

TEST(Kinetic, ZeroTargetGivesZeroVelocities) {
  Batch batch = make_batch(1, 10);
  create_maxwell_boltzmann_velocities(batch, device_scalars({0.0}), device_seeds({1}));
  auto v = Kokkos::create_mirror_view_and_copy(HostSpace(), batch.velocities);
  for (int i = 0; i < 10; ++i)
    for (int k = 0; k < 3; ++k) EXPECT_EQ(v(i, k), 0.0);
}

TEST(Kinetic, RemoveCenterOfMassVelocity) {
  const int n_atoms = 30;
  Batch batch = make_batch(2, n_atoms);
  auto v = Kokkos::create_mirror_view(batch.velocities);
  for (int64_t g = 0; g < batch.total_atoms(); ++g)
    for (int k = 0; k < 3; ++k) v(g, k) = 1.0 + 0.01 * g * (k + 1);
  Kokkos::deep_copy(batch.velocities, v);
  remove_center_of_mass_velocity(batch);
  auto out = Kokkos::create_mirror_view_and_copy(HostSpace(), batch.velocities);
  for (int r = 0; r < 2; ++r)
    for (int k = 0; k < 3; ++k) {
      double p = 0.0, scale = 0.0;
      for (int i = 0; i < n_atoms; ++i) {
        p += host_mass(i % 2) * out(r * n_atoms + i, k);
        scale += host_mass(i % 2) * std::fabs(v(r * n_atoms + i, k));
      }
      EXPECT_NEAR(p, 0.0, 1e-14 * scale);  // rounding of a sum of O(scale) terms
    }
}

}  // namespace
}  // namespace glassland
