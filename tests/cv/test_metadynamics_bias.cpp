// Well-tempered metadynamics bias (cv/metadynamics_bias.hpp): the grid against the direct sum of
// Gaussians at off-grid points, the well-tempered heights, the bias force against finite
// differences of the bias energy, batch invariance, the out-of-grid error, hills restore and
// PLUMED's HILLS format.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <iostream>
#include <random>
#include <sstream>

#include "cv/free_energy.hpp"
#include "kernels/analytic_landscape.hpp"
#include "kernels/md_integrator.hpp"
#include "kernels/units.hpp"

namespace glassland {
namespace {

using Points = std::vector<std::array<double, 3>>;

Box cubic_box(double length) {
  Box box;
  box.lx = box.ly = box.lz = length;
  return box;
}

// A batch whose replica r holds positions[r] (N atoms each) in a 30 Å cubic box.
Batch make_batch(const std::vector<Points>& positions) {
  const int n_replicas = static_cast<int>(positions.size());
  const int n_atoms = static_cast<int>(positions[0].size());
  Batch batch(n_replicas, n_atoms, 1);
  auto x = Kokkos::create_mirror_view(batch.positions);
  auto boxes = Kokkos::create_mirror_view(batch.boxes);
  for (int r = 0; r < n_replicas; ++r) {
    boxes(r) = cubic_box(30.0);
    for (int i = 0; i < n_atoms; ++i)
      for (int k = 0; k < 3; ++k)
        x(r * n_atoms + i, k) = positions[r][i][k];
  }
  Kokkos::deep_copy(batch.positions, x);
  Kokkos::deep_copy(batch.boxes, boxes);
  return batch;
}

void set_atom(Batch& batch, int64_t g, const std::array<double, 3>& p) {
  auto x = Kokkos::create_mirror_view(batch.positions);
  Kokkos::deep_copy(x, batch.positions);
  for (int k = 0; k < 3; ++k)
    x(g, k) = p[k];
  Kokkos::deep_copy(batch.positions, x);
}

double interpolate_host(const MetadynamicsBias& bias, int r, double s, double& dvds) {
  const auto v = bias.bias_on_grid()[r];
  const auto d = bias.bias_derivative_on_grid()[r];
  const MetadynamicsSettings& set = bias.settings()[r];
  double value;
  EXPECT_TRUE(interpolate_bias(set.grid_lower, set.grid_spacing, static_cast<int>(v.size()),
                               v.data(), d.data(), s, value, dvds));
  return value;
}

TEST(MetadynamicsBias, GridEqualsDirectSumOfGaussiansOffGrid) {
  // One atom per replica, hop distance from the origin; the atom is moved between depositions.
  Batch batch = make_batch({{{0.0, 0.0, 0.0}}, {{0.0, 0.0, 0.0}}});
  MetadynamicsSettings settings;  // paper-000 defaults: σ 0.35 Å, w0 0.02 eV, spacing 0.01 Å
  settings.grid_upper = 6.0;
  MetadynamicsBias bias(
      CvSet({hop_distance_definition(0, {0, 0, 0}), hop_distance_definition(0, {0, 0, 0})}),
      {settings}, {300.0});
  std::mt19937_64 rng(11);
  std::uniform_real_distribution<double> where(0.0, 4.0);
  for (int h = 0; h < 40; ++h) {
    set_atom(batch, 0, {where(rng), 0.3, -0.2});
    set_atom(batch, 1, {0.0, where(rng), 0.0});
    bias.deposit(batch, (h + 1) * settings.pace, (h + 1) * 2.0);
  }
  ASSERT_EQ(bias.hills()[0].size(), 40u);
  // Cubic Hermite with exact knot derivatives: error ≤ h⁴/384 · max|V⁗|. For 40 hills of at most
  // 0.02 eV and σ = 0.35 Å, |V⁗| ≲ 40 · 0.02 · 3/σ⁴ ≈ 160 eV/Å⁴ → 4e-9 eV at h = 0.01 Å; the
  // derivative's error is ≲ h³/96 · max|V⁗| ≈ 2e-6 eV/Å. Tolerances 1e-8 eV and 5e-6 eV/Å.
  for (int r = 0; r < 2; ++r) {
    const auto& hills = bias.hills()[r];
    for (double s = 0.00537; s < 5.9; s += 0.0731) {
      double direct = 0.0, direct_derivative = 0.0;
      for (const Hill& hill : hills) {
        double d;
        direct += gaussian_hill(hill.height, hill.center, hill.sigma, s, d);
        direct_derivative += d;
      }
      double dvds;
      const double v = interpolate_host(bias, r, s, dvds);
      EXPECT_NEAR(v, direct, 1e-8) << "replica " << r << " s " << s;
      EXPECT_NEAR(dvds, direct_derivative, 5e-6) << "replica " << r << " s " << s;
    }
    // At the knots the grid is the direct sum to round-off.
    const auto grid_s = bias.grid_coordinates(r);
    const auto direct = bias_from_hills(hills, grid_s);
    const auto grid_v = bias.bias_on_grid()[r];
    for (size_t k = 0; k < grid_s.size(); k += 7)
      EXPECT_NEAR(grid_v[k], direct[k], 1e-13);
  }
}

TEST(MetadynamicsBias, WellTemperedHeightsFollowTheFormula) {
  // Repeated depositions at the same CV value s = 0.5 Å (a knot): the k-th height is
  // w0 exp(−V_k(s)/k_B ΔT) with V_k(s) the sum of the previous heights (all centred at s).
  Batch batch = make_batch({{{0.5, 0.0, 0.0}}});
  MetadynamicsSettings settings;
  const double temperature = 500.0;
  MetadynamicsBias bias(CvSet({hop_distance_definition(0, {0, 0, 0})}), {settings}, {temperature});
  const double delta_kt = units::kBoltzmann * (settings.bias_temperature - temperature);
  double previous_sum = 0.0;
  for (int h = 0; h < 60; ++h)
    bias.deposit(batch, (h + 1) * 1000, (h + 1) * 2.0);
  for (const Hill& hill : bias.hills()[0]) {
    // 1e-13 relative: the interpolated V at the knot equals the grid value to a few ulps.
    EXPECT_NEAR(hill.height, settings.initial_height * std::exp(-previous_sum / delta_kt),
                1e-13 * settings.initial_height);
    EXPECT_NEAR(hill.center, 0.5, 1e-15);
    EXPECT_DOUBLE_EQ(hill.bias_factor, settings.bias_temperature / temperature);
    EXPECT_EQ(hill.sigma, settings.sigma);
    previous_sum += hill.height;
  }
  // Heights decay monotonically: well-tempering at work.
  EXPECT_LT(bias.hills()[0].back().height, 0.5 * settings.initial_height);
}

// Bias energy of every replica for the current batch (the bias term alone).
std::vector<double> bias_energy(ForceField& field, Batch& batch) {
  field.compute(batch, EvalRequest{true, false, {}});
  auto e = Kokkos::create_mirror_view(batch.potential_energy);
  Kokkos::deep_copy(e, batch.potential_energy);
  return std::vector<double>(e.data(), e.data() + batch.n_replicas);
}

TEST(MetadynamicsBias, ForceIsMinusGradientOfBiasEnergy) {
  // Replica 0: hop distance of atom 2; replica 1: RMSD of a 5-atom cluster.
  std::mt19937_64 rng(17);
  std::normal_distribution<double> jitter(0.0, 0.4);
  Points reference = {{5, 5, 5}, {7.5, 5, 5}, {5, 7.5, 5}, {5, 5, 7.5}, {3, 4, 5.5}};
  Points moved = reference;
  for (auto& p : moved)
    for (double& c : p)
      c += jitter(rng);
  Batch batch = make_batch({moved, moved});
  const Box box = cubic_box(30.0);
  CvSet cvs({hop_distance_definition(2, reference[2]),
             cluster_rmsd_definition({0, 1, 2, 3, 4}, reference, box)});
  MetadynamicsSettings settings;
  settings.sigma = 0.2;
  settings.grid_upper = 4.0;
  MetadynamicsBias bias(cvs, {settings}, {300.0});
  ForceField field;
  field.add_term(bias.make_force_term());
  // Hills around the current CV values, so the force is far from zero.
  for (int h = 0; h < 8; ++h) {
    Points p = moved;
    for (auto& a : p)
      for (double& c : a)
        c += 0.3 * jitter(rng);
    Batch shifted = make_batch({p, p});
    bias.deposit(shifted, h + 1, h + 1.0);
  }
  field.compute(batch, EvalRequest{true, false, {}});
  // create_mirror (a copy even on the host backend), since the batch is recomputed below.
  auto f = Kokkos::create_mirror(batch.forces);
  Kokkos::deep_copy(f, batch.forces);
  auto pae = Kokkos::create_mirror(batch.per_atom_energy);
  Kokkos::deep_copy(pae, batch.per_atom_energy);
  const std::vector<double> e0 = bias_energy(field, batch);
  for (int r = 0; r < 2; ++r) {
    EXPECT_GT(e0[r], 0.01) << r;  // the bias is really there
    double per_atom_sum = 0.0;
    for (int i = 0; i < 5; ++i)
      per_atom_sum += pae(r * 5 + i);
    EXPECT_DOUBLE_EQ(per_atom_sum, e0[r]);
  }
  EXPECT_DOUBLE_EQ(bias.bias_energies()[0], e0[0]);
  // Central differences with h = 1e-6 Å: the interpolant is C¹ and piecewise cubic, so across a
  // knot the error is ≲ h · |jump of V''| ≲ 1e-6 · 1 eV/Å², and round-off ~1e-16/1e-6 = 1e-10.
  const double h = 1e-6;
  double largest_force = 0.0;
  for (int r = 0; r < 2; ++r) {
    for (int i = 0; i < 5; ++i) {
      for (int k = 0; k < 3; ++k) {
        const int64_t g = r * 5 + i;
        std::array<double, 3> plus = moved[i], minus = moved[i];
        plus[k] += h;
        minus[k] -= h;
        set_atom(batch, g, plus);
        const double e_plus = bias_energy(field, batch)[r];
        set_atom(batch, g, minus);
        const double e_minus = bias_energy(field, batch)[r];
        set_atom(batch, g, moved[i]);
        EXPECT_NEAR(f(g, k), -(e_plus - e_minus) / (2 * h), 1e-6)
            << "replica " << r << " atom " << i << " axis " << k;
        largest_force = std::max(largest_force, std::abs(f(g, k)));
        if (r == 0 && i != 2) {
          EXPECT_EQ(f(g, k), 0.0);  // the hop-distance bias acts on its atom only
        }
      }
    }
  }
  EXPECT_GT(largest_force, 0.01);
}

// With centre_of_mass_frame the hop distance is taken in the replica's centre-of-mass frame,
// s' = |x_2 − R − (x_ref − R_0)| (R = Σ m_j x_j / M, R_0 its value where the force is taken):
// the bias force on every atom equals central differences of V(s'(x)), V from the host
// interpolant of the grid, with two masses; the forces sum to zero (momentum is conserved).
TEST(MetadynamicsBias, CentreOfMassFrameForceIsMinusTheGradientOfTheCentredHopDistanceBias) {
  std::mt19937_64 rng(23);
  std::normal_distribution<double> jitter(0.0, 0.4);
  const Points reference = {{5, 5, 5}, {7.5, 5, 5}, {5, 7.5, 5}, {5, 5, 7.5}, {3, 4, 5.5}};
  Points moved = reference;
  for (auto& p : moved)
    for (double& c : p)
      c += jitter(rng);
  Batch batch(1, 5, 2);
  {
    Batch filled = make_batch({moved});
    Kokkos::deep_copy(batch.positions, filled.positions);
    Kokkos::deep_copy(batch.boxes, filled.boxes);
    auto elements = Kokkos::create_mirror_view(batch.elements);
    for (int i = 0; i < 5; ++i)
      elements(i) = i % 2;
    Kokkos::deep_copy(batch.elements, elements);
    auto mass = Kokkos::create_mirror_view(batch.element_masses);
    mass(0) = 63.546;
    mass(1) = 91.224;
    Kokkos::deep_copy(batch.element_masses, mass);
  }
  const std::array<double, 5> masses{63.546, 91.224, 63.546, 91.224, 63.546};
  MetadynamicsSettings settings;
  settings.sigma = 0.2;
  settings.grid_upper = 4.0;
  settings.centre_of_mass_frame = true;
  MetadynamicsBias bias(CvSet({hop_distance_definition(2, reference[2])}), {settings}, {300.0});
  ForceField field;
  field.add_term(bias.make_force_term());
  for (int h = 0; h < 8; ++h) {  // hills around the current CV value
    Points p = moved;
    for (double& c : p[2])
      c += 0.3 * jitter(rng);
    bias.deposit(make_batch({p}), h + 1, h + 1.0);
  }
  field.compute(batch, EvalRequest{true, false, {}});
  auto f = Kokkos::create_mirror(batch.forces);
  Kokkos::deep_copy(f, batch.forces);

  auto centre_of_mass = [&](const Points& x) {
    std::array<double, 3> c{};
    double total = 0.0;
    for (int j = 0; j < 5; ++j) {
      total += masses[j];
      for (int k = 0; k < 3; ++k)
        c[k] += masses[j] * x[j][k];
    }
    for (double& v : c)
      v /= total;
    return c;
  };
  const std::array<double, 3> r0 = centre_of_mass(moved);
  auto centred_bias = [&](const Points& x) {
    const std::array<double, 3> r = centre_of_mass(x);
    double s2 = 0.0;
    for (int k = 0; k < 3; ++k) {
      const double d = x[2][k] - r[k] - (reference[2][k] - r0[k]);
      s2 += d * d;
    }
    double unused;
    return interpolate_host(bias, 0, std::sqrt(s2), unused);
  };
  const double h = 1e-6;  // as in ForceIsMinusGradientOfBiasEnergy
  std::array<double, 3> net{};
  double smallest_other = 1e9;
  for (int j = 0; j < 5; ++j) {
    for (int k = 0; k < 3; ++k) {
      Points plus = moved, minus = moved;
      plus[j][k] += h;
      minus[j][k] -= h;
      EXPECT_NEAR(f(j, k), -(centred_bias(plus) - centred_bias(minus)) / (2 * h), 1e-6)
          << "atom " << j << " axis " << k;
      net[k] += f(j, k);
    }
    if (j != 2)
      smallest_other = std::min(
          smallest_other, std::sqrt(f(j, 0) * f(j, 0) + f(j, 1) * f(j, 1) + f(j, 2) * f(j, 2)));
  }
  for (int k = 0; k < 3; ++k)
    EXPECT_NEAR(net[k], 0.0, 1e-12) << "axis " << k;
  EXPECT_GT(smallest_other, 1e-3);  // every atom takes its share
}

bool bitwise_equal(double a, double b) {
  return std::memcmp(&a, &b, sizeof(double)) == 0;
}

TEST(MetadynamicsBias, BatchInvariance) {
  // Three replicas with different CV kinds and temperatures; replica r alone gets the same grid
  // and forces bit for bit.
  const std::vector<Points> start = {
      {{1, 1, 1}, {2, 2, 2}}, {{4, 4, 4}, {6.5, 4, 4}}, {{3, 2, 1}, {1, 2, 3}}};
  const Box box = cubic_box(30.0);
  const std::vector<CvDefinition> defs = {
      hop_distance_definition(0, {1, 1, 1}),
      cluster_rmsd_definition({0, 1}, {{4, 4, 4}, {7.0, 4.2, 3.9}}, box),
      hop_distance_definition(1, {1.2, 2, 3})};
  const std::vector<double> temperatures = {300.0, 500.0, 700.0};
  auto run = [&](const std::vector<int>& replicas) {
    std::vector<Points> pos;
    std::vector<CvDefinition> d;
    std::vector<double> t;
    for (int r : replicas) {
      pos.push_back(start[r]);
      d.push_back(defs[r]);
      t.push_back(temperatures[r]);
    }
    Batch batch = make_batch(pos);
    MetadynamicsSettings settings;
    settings.grid_upper = 5.0;
    MetadynamicsBias bias(CvSet(d), {settings}, t);
    ForceField field;
    field.add_term(bias.make_force_term());
    std::mt19937_64 rng(1);  // the same moves for every replica
    std::normal_distribution<double> jitter(0.0, 0.2);
    auto x = Kokkos::create_mirror_view(batch.positions);
    for (int h = 0; h < 12; ++h) {
      Kokkos::deep_copy(x, batch.positions);
      const double dx = jitter(rng), dy = jitter(rng);
      for (int64_t g = 0; g < batch.total_atoms(); ++g) {
        x(g, 0) += dx * (1 + g % 2);
        x(g, 1) += dy;
      }
      Kokkos::deep_copy(batch.positions, x);
      field.compute(batch);
      bias.deposit(batch, h + 1, h + 1.0);
    }
    field.compute(batch);
    auto f = Kokkos::create_mirror_view(batch.forces);
    Kokkos::deep_copy(f, batch.forces);
    std::vector<std::vector<double>> out;
    const auto grids = bias.bias_on_grid();
    for (size_t b = 0; b < replicas.size(); ++b) {
      std::vector<double> row = grids[b];
      for (int i = 0; i < 2; ++i)
        for (int k = 0; k < 3; ++k)
          row.push_back(f(b * 2 + i, k));
      out.push_back(row);
    }
    return out;
  };
  const auto together = run({0, 1, 2});
  for (int r = 0; r < 3; ++r) {
    const auto alone = run({r});
    ASSERT_EQ(alone[0].size(), together[r].size());
    int differ = 0;
    for (size_t i = 0; i < alone[0].size(); ++i)
      differ += !bitwise_equal(alone[0][i], together[r][i]);
    EXPECT_EQ(differ, 0) << "replica " << r;
  }
}

TEST(MetadynamicsBias, LeavingTheGridIsAnErrorNamingReplicaAndValue) {
  Batch batch = make_batch({{{0.5, 0, 0}}, {{12.25, 0, 0}}});
  MetadynamicsSettings settings;
  settings.grid_upper = 10.0;
  MetadynamicsBias bias(
      CvSet({hop_distance_definition(0, {0, 0, 0}), hop_distance_definition(0, {0, 0, 0})}),
      {settings}, {300.0});
  ForceField field;
  field.add_term(bias.make_force_term());
  field.compute(batch);  // replica 1 is outside: flagged, zero bias force
  auto f = Kokkos::create_mirror_view(batch.forces);
  Kokkos::deep_copy(f, batch.forces);
  EXPECT_EQ(f(1, 0), 0.0);
  try {
    bias.deposit(batch, 1000, 2.0);
    FAIL() << "deposit must refuse a CV outside the grid";
  } catch (const std::runtime_error& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("replica 1"), std::string::npos) << message;
    EXPECT_NE(message.find("12.25"), std::string::npos) << message;
  }
  EXPECT_TRUE(bias.hills()[0].empty());  // nothing was deposited
  EXPECT_THROW(
      MetadynamicsBias(CvSet({hop_distance_definition(0, {0, 0, 0})}), {settings}, {3500.0}),
      std::invalid_argument);  // T + ΔT must exceed T
}

TEST(MetadynamicsBias, RestoreHillsRebuildsTheGrid) {
  Batch batch = make_batch({{{0.7, 0.1, 0}}});
  MetadynamicsSettings settings;
  MetadynamicsBias bias(CvSet({hop_distance_definition(0, {0, 0, 0})}), {settings}, {300.0});
  for (int h = 0; h < 5; ++h) {
    set_atom(batch, 0, {0.7 + 0.3 * h, 0.1, 0});
    bias.deposit(batch, h + 1, h + 1.0);
  }
  MetadynamicsBias restored(CvSet({hop_distance_definition(0, {0, 0, 0})}), {settings}, {300.0});
  restored.restore_hills(bias.hills());
  const auto a = bias.bias_on_grid()[0], b = restored.bias_on_grid()[0];
  const auto da = bias.bias_derivative_on_grid()[0], db = restored.bias_derivative_on_grid()[0];
  // Same formula and order; 1e-15 eV allows a device exp() that differs from the host's by an ulp.
  for (size_t k = 0; k < a.size(); ++k) {
    EXPECT_NEAR(a[k], b[k], 1e-15);
    EXPECT_NEAR(da[k], db[k], 1e-14);
  }
  EXPECT_EQ(restored.hills()[0].size(), 5u);
}

// restore_state (what a metad checkpoint uses) puts back the grid rows bitwise, whatever the
// device's rounding, and the next deposit continues as in the original: same well-tempered
// height (read off the restored grid) and the same grid afterwards.
TEST(MetadynamicsBias, RestoreStateIsBitwiseAndDepositionContinuesIdentically) {
  Batch batch = make_batch({{{0.7, 0.1, 0}}});
  MetadynamicsSettings settings;
  MetadynamicsBias bias(CvSet({hop_distance_definition(0, {0, 0, 0})}), {settings}, {300.0});
  for (int h = 0; h < 5; ++h) {
    set_atom(batch, 0, {0.7 + 0.3 * h, 0.1, 0});
    bias.deposit(batch, h + 1, h + 1.0);
  }
  MetadynamicsBias restored(CvSet({hop_distance_definition(0, {0, 0, 0})}), {settings}, {300.0});
  restored.restore_state(bias.hills(), bias.bias_on_grid(), bias.bias_derivative_on_grid());
  EXPECT_EQ(restored.bias_on_grid(), bias.bias_on_grid());
  EXPECT_EQ(restored.bias_derivative_on_grid(), bias.bias_derivative_on_grid());
  ASSERT_EQ(restored.hills()[0].size(), 5u);
  set_atom(batch, 0, {1.1, 0.1, 0});  // on the filled part: a reduced well-tempered height
  bias.deposit(batch, 6, 6.0);
  restored.deposit(batch, 6, 6.0);
  EXPECT_EQ(restored.hills()[0].back().height, bias.hills()[0].back().height);
  EXPECT_LT(bias.hills()[0].back().height, settings.initial_height);
  EXPECT_EQ(restored.bias_on_grid(), bias.bias_on_grid());
  // Rows that do not fit the grid are refused.
  auto short_rows = bias.bias_on_grid();
  short_rows[0].pop_back();
  EXPECT_THROW(restored.restore_state(bias.hills(), short_rows, bias.bias_derivative_on_grid()),
               std::invalid_argument);
}

TEST(MetadynamicsBias, PlumedHillsFormat) {
  std::vector<Hill> hills = {{1000, 2.0, 0.25, 0.35, 0.02, 10.0},
                             {2000, 4.0, 0.5, 0.35, 0.018, 10.0}};
  std::ostringstream out;
  write_plumed_hills(out, hills, "hop");
  std::istringstream in(out.str());
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "#! FIELDS time hop sigma_hop height biasf");
  std::getline(in, line);
  std::getline(in, line);
  double time, center, sigma, height, biasf;
  in >> time >> center >> sigma >> height >> biasf;
  EXPECT_DOUBLE_EQ(time, 2.0);
  EXPECT_DOUBLE_EQ(center, 0.25);
  EXPECT_DOUBLE_EQ(sigma, 0.35);
  EXPECT_NEAR(height, 0.02 * 10.0 / 9.0, 1e-9 * 0.02);  // γ/(γ−1) rescaling; 10 digits written
  EXPECT_DOUBLE_EQ(biasf, 10.0);
}

TEST(MetadynamicsBias, BiasedNveConservesEnergyOnlyWithTheBiasIncluded) {
  // One particle on the double well (h = 0.2 eV, w = 1 Å) with a fixed bias of 12 hills along
  // x (no deposition during the run), integrated by velocity Verlet (NVE). The bias energy is
  // part of batch.potential_energy, so K + U + V must be conserved; K + U alone must not be.
  Batch batch = make_batch({{{-1.0, 0.0, 0.0}}});
  {
    auto mass = Kokkos::create_mirror_view(batch.element_masses);
    mass(0) = 10.0;
    Kokkos::deep_copy(batch.element_masses, mass);
  }
  MetadynamicsSettings settings;
  settings.sigma = 0.2;
  settings.initial_height = 0.02;
  settings.grid_lower = -3.0;
  settings.grid_upper = 3.0;
  MetadynamicsBias bias(CvSet({CvDefinition{cv_kind<DisplacementX>, {0}, {{0.0, 0.0, 0.0}}}}),
                        {settings}, {300.0});
  for (int h = 0; h < 12; ++h) {
    set_atom(batch, 0, {-1.4 + 0.1 * h, 0.0, 0.0});
    bias.deposit(batch, h + 1, h + 1.0);
  }
  set_atom(batch, 0, {-1.0, 0.0, 0.0});
  {
    auto v = Kokkos::create_mirror_view(batch.velocities);
    v(0, 0) = 15.0;  // Å/ps: K = 0.12 eV, enough to roll through the biased region
    v(0, 1) = 1.0;
    Kokkos::deep_copy(batch.velocities, v);
  }
  LandscapeParameters landscape;
  landscape.kind = LandscapeKind::DoubleWell;
  landscape.barrier = 0.2;
  ForceField field;
  field.add_term(std::make_unique<AnalyticLandscapeTerm>(landscape));
  field.add_term(bias.make_force_term());
  IntegratorSettings integrator;
  integrator.timestep = 0.0005;  // ps
  MdIntegrator md(1, 1, integrator);
  md.reset_state();
  md.setup(batch, field);
  Thermo thermo(1);
  auto total = [&](bool with_bias) {
    md.compute_thermo(batch, thermo);
    auto k = Kokkos::create_mirror(thermo.kinetic_energy);
    Kokkos::deep_copy(k, thermo.kinetic_energy);
    auto u = Kokkos::create_mirror(batch.potential_energy);
    Kokkos::deep_copy(u, batch.potential_energy);
    return k(0) + u(0) - (with_bias ? 0.0 : bias.bias_energies()[0]);
  };
  const double e0 = total(true), e0_without = total(false);
  double drift = 0.0, drift_without = 0.0, s_min = 1e9, s_max = -1e9;
  for (int step = 0; step < 4000; ++step) {
    md.step(batch, field, {}, true);
    drift = std::max(drift, std::abs(total(true) - e0));
    drift_without = std::max(drift_without, std::abs(total(false) - e0_without));
    bias.cvs().evaluate(batch);
    s_min = std::min(s_min, bias.cvs().values_on_host()[0]);
    s_max = std::max(s_max, bias.cvs().values_on_host()[0]);
  }
  // Velocity Verlet's energy error is O((ω dt)²) of the energy exchanged: ω ≈ 40–60 /ps at
  // dt = 0.5 fs gives (ω dt)² ≈ 1e-3 of ~0.05 eV, so 1e-4 eV; the bias does work of order its
  // height (0.1 eV) on the particle, so K + U alone must drift by far more than that.
  std::cout << "biased NVE: s in [" << s_min << ", " << s_max << "], |ΔE| ≤ " << drift
            << " eV with the bias, " << drift_without << " eV without\n";
  EXPECT_GT(s_max - s_min, 0.4);  // the particle really moved through the biased region
  EXPECT_LT(drift, 1e-4);
  EXPECT_GT(drift_without, 0.01);
}

}  // namespace
}  // namespace glassland
