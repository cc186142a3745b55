// EAM term checked against independent oracles other than LAMMPS: central finite differences
// of the energy (forces) and of strain (virial), translation and periodic-image invariance, and
// batch invariance (a replica inside a batch of 64 equals the same replica alone, bitwise).
#include <gtest/gtest.h>

#include <cmath>

#include "host/io/batch_io.hpp"
#include "host/io/json_input.hpp"
#include "host/io/potential_files.hpp"
#include "host/tasks/structure_builder.hpp"
#include "host/tasks/task_system.hpp"
#include "kernels/md_integrator.hpp"
#include "tests/support/test_requirements.hpp"

namespace glassland {
namespace {

const SetflPotential& cuzr() {
  static const SetflPotential potential =
      read_setfl(potential_file("CuZr_mm.eam.fs"), SetflFormat::FinnisSinclair);
  return potential;
}

// A disordered Cu50Zr50 cell: B2 lattice with random species and displacements, optionally tilted.
LammpsData disordered_cuzr(uint64_t seed, bool tilted, int cells = 6) {
  StructureSpec spec;
  spec.lattice = "b2";
  spec.lattice_constant = 3.2;
  spec.cells = {cells, cells, cells};
  spec.seed = seed;
  LammpsData data = build_structure(spec, {"Cu", "Zr"}, {63.546, 91.224});
  uint64_t state = seed * 2654435761u + 1;
  auto uniform = [&state]() {  // small LCG: displacements only need to be irregular
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<double>(state >> 11) / 9007199254740992.0 - 0.5;
  };
  for (auto& x : data.positions)
    for (double& c : x)
      c += 0.5 * uniform();
  if (tilted) {
    data.xy = 1.7;
    data.xz = -1.1;
    data.yz = 0.8;
    data.triclinic = true;
  }
  return data;
}

struct Evaluation {
  double energy;
  std::vector<double> forces;
  std::array<double, 6> virial;
};

Evaluation evaluate(const LammpsData& data, NeighborListKind kind = default_neighbor_list_kind()) {
  Batch batch = make_batch({{"s", data}}, {"Cu", "Zr"}, cuzr().elements, cuzr().masses);
  ForceField field;
  field.add_term(make_eam_term(cuzr(), 1.0, kind));
  field.compute(batch);
  const BatchSnapshot s = snapshot(batch);
  Evaluation e{s.potential_energy[0], s.forces, {}};
  for (int k = 0; k < 6; ++k)
    e.virial[k] = s.virial[k];
  return e;
}

TEST(EamForce, ForcesAreMinusTheEnergyGradient) {
  const LammpsData base = disordered_cuzr(11, true);
  const Evaluation at_base = evaluate(base);
  // h = 1e-4 Å balances truncation (~h²·|E'''| ~ 1e-7 eV/Å) against round-off of E
  // (~1e-13·|E| / h ~ 2e-6 eV/Å for |E| ~ 2000 eV); 2e-5 eV/Å leaves a margin of ten.
  const double h = 1e-4;
  for (int atom : {0, 17, 200, 431}) {
    for (int k = 0; k < 3; ++k) {
      LammpsData plus = base, minus = base;
      plus.positions[atom][k] += h;
      minus.positions[atom][k] -= h;
      const double numeric = -(evaluate(plus).energy - evaluate(minus).energy) / (2 * h);
      EXPECT_NEAR(at_base.forces[atom * 3 + k], numeric, 2e-5) << "atom " << atom << " dir " << k;
    }
  }
}

// Affine strain x → (1 + ε) x changes the energy by −Σ_ab ε_ab W_ab to first order.
TEST(EamForce, VirialIsMinusTheStrainDerivative) {
  const LammpsData base = disordered_cuzr(12, true);
  const Evaluation at_base = evaluate(base);
  const double h = 1e-5;
  // (a, b) pairs for W_xx, W_yy, W_zz, W_xy, W_xz, W_yz; strain ε_ab moves x_a by ε x_b.
  const int pairs[6][2] = {{0, 0}, {1, 1}, {2, 2}, {0, 1}, {0, 2}, {1, 2}};
  for (int v = 0; v < 6; ++v) {
    auto strained = [&](double eps) {
      LammpsData d = base;
      const int a = pairs[v][0], b = pairs[v][1];
      for (auto& x : d.positions)
        x[a] += eps * (x[b] - d.lo[b]);
      // The box edge vectors deform the same way: columns a=(lx,0,0), b=(xy,ly,0), c=(xz,yz,lz).
      double h_matrix[3][3] = {
          {d.hi[0] - d.lo[0], d.xy, d.xz}, {0, d.hi[1] - d.lo[1], d.yz}, {0, 0, d.hi[2] - d.lo[2]}};
      for (int col = 0; col < 3; ++col)
        h_matrix[a][col] += eps * h_matrix[b][col];
      d.hi = {d.lo[0] + h_matrix[0][0], d.lo[1] + h_matrix[1][1], d.lo[2] + h_matrix[2][2]};
      d.xy = h_matrix[0][1];
      d.xz = h_matrix[0][2];
      d.yz = h_matrix[1][2];
      return evaluate(d).energy;
    };
    const double numeric = -(strained(h) - strained(-h)) / (2 * h);
    // Round-off of E over 2h: ~1e-13·2000/2e-5 ≈ 1e-5 eV; virials are O(100) eV.
    EXPECT_NEAR(at_base.virial[v], numeric, 1e-4 + 1e-6 * std::fabs(numeric)) << "component " << v;
  }
}

TEST(EamForce, InvariantUnderTranslationAndPeriodicImages) {
  const LammpsData base = disordered_cuzr(13, true);
  const Evaluation reference = evaluate(base);
  LammpsData translated = base;
  for (auto& x : translated.positions) {
    x[0] += 3.3;
    x[1] -= 7.1;
    x[2] += 0.45;
  }
  LammpsData imaged = base;  // atoms moved by lattice vectors a − b and c
  for (size_t i = 0; i < imaged.positions.size(); i += 3) {
    const double lx = base.hi[0] - base.lo[0], ly = base.hi[1] - base.lo[1],
                 lz = base.hi[2] - base.lo[2];
    imaged.positions[i][0] += lx - base.xy + base.xz;
    imaged.positions[i][1] += -ly + base.yz;
    imaged.positions[i][2] += lz;
  }
  for (const LammpsData* variant : {&translated, &imaged}) {
    const Evaluation e = evaluate(*variant);
    EXPECT_NEAR(e.energy, reference.energy, 1e-10 * std::fabs(reference.energy));
    for (size_t k = 0; k < e.forces.size(); ++k)
      EXPECT_NEAR(e.forces[k], reference.forces[k], 1e-10);
    for (int k = 0; k < 6; ++k)
      EXPECT_NEAR(e.virial[k], reference.virial[k], 1e-9);
  }
}

class EamBatchInvariance : public ::testing::TestWithParam<NeighborListKind> {
 protected:
  void SetUp() override { GLASSLAND_REQUIRE_LIST_KIND(GetParam()); }
};

TEST_P(EamBatchInvariance, ReplicaInABatchOf64EqualsTheReplicaAloneBitwise) {
  std::vector<NamedStructure> structures;
  for (int r = 0; r < 64; ++r) {
    LammpsData d = disordered_cuzr(100 + r, r % 2 == 1);
    // Different boxes per replica: scale some replicas by a few per cent.
    const double scale = 1.0 + 0.01 * (r % 5);
    for (auto& x : d.positions)
      for (double& c : x)
        c *= scale;
    for (int k = 0; k < 3; ++k)
      d.hi[k] *= scale;
    structures.push_back({"replica" + std::to_string(r), d});
  }
  Batch batch = make_batch(structures, {"Cu", "Zr"}, cuzr().elements, cuzr().masses);
  ForceField field;
  field.add_term(make_eam_term(cuzr(), 1.0, GetParam()));
  field.compute(batch);
  const BatchSnapshot all = snapshot(batch);
  for (int r : {0, 17, 63}) {
    Batch alone_batch = make_batch({structures[r]}, {"Cu", "Zr"}, cuzr().elements, cuzr().masses);
    ForceField alone_field;
    alone_field.add_term(make_eam_term(cuzr(), 1.0, GetParam()));
    alone_field.compute(alone_batch);
    const BatchSnapshot alone = snapshot(alone_batch);
    EXPECT_EQ(alone.potential_energy[0], all.potential_energy[r]) << "replica " << r;
    for (int k = 0; k < 6; ++k)
      EXPECT_EQ(alone.virial[k], all.virial[r * 6 + k]);
    const size_t offset = static_cast<size_t>(r) * all.n_atoms * 3;
    int mismatches = 0;
    for (size_t k = 0; k < alone.forces.size(); ++k)
      mismatches += alone.forces[k] != all.forces[offset + k];
    EXPECT_EQ(mismatches, 0) << "replica " << r;
  }
}

TEST_P(EamBatchInvariance, InactiveReplicasAreLeftUntouched) {
  std::vector<NamedStructure> structures = {{"a", disordered_cuzr(1, false)},
                                            {"b", disordered_cuzr(2, true)}};
  Batch batch = make_batch(structures, {"Cu", "Zr"}, cuzr().elements, cuzr().masses);
  ForceField field;
  field.add_term(make_eam_term(cuzr(), 1.0, GetParam()));
  field.compute(batch);
  const BatchSnapshot before = snapshot(batch);
  // Move replica 1's atoms, then evaluate with replica 1 masked: its forces and energy stay.
  auto positions = Kokkos::create_mirror_view_and_copy(HostSpace(), batch.positions);
  for (int i = 0; i < batch.n_atoms; ++i)
    positions(batch.n_atoms + i, 0) += 0.01;
  Kokkos::deep_copy(batch.positions, positions);
  EvalRequest request;
  request.active = ReplicaInts("active", 2);
  Kokkos::deep_copy(request.active, 1);
  Kokkos::deep_copy(Kokkos::subview(request.active, 1), 0);
  field.compute(batch, request);
  const BatchSnapshot after = snapshot(batch);
  EXPECT_EQ(after.potential_energy[1], before.potential_energy[1]);
  EXPECT_EQ(after.potential_energy[0], before.potential_energy[0]);
  for (int k = 0; k < batch.n_atoms * 3; ++k)
    EXPECT_EQ(after.forces[batch.n_atoms * 3 + k], before.forces[batch.n_atoms * 3 + k]);
}

INSTANTIATE_TEST_SUITE_P(Kinds, EamBatchInvariance,
                         ::testing::Values(NeighborListKind::Full, NeighborListKind::Half),
                         [](const auto& info) {
                           return info.param == NeighborListKind::Full ? "full" : "half";
                         });

TEST(EamForce, FullAndHalfListsAgree) {
  GLASSLAND_REQUIRE_LIST_KIND(NeighborListKind::Half);
  const LammpsData data = disordered_cuzr(21, true);
  const Evaluation full = evaluate(data, NeighborListKind::Full);
  const Evaluation half = evaluate(data, NeighborListKind::Half);
  EXPECT_NEAR(full.energy, half.energy, 1e-11 * std::fabs(full.energy));
  for (size_t k = 0; k < full.forces.size(); ++k)
    EXPECT_NEAR(full.forces[k], half.forces[k], 1e-11);
}

// The spatial atom order (kernels/spatial_order.hpp) changes only the order of each sum: against
// the batch's own order, energies (total and per atom) agree to 1e-12 relative, forces to 1e-12
// eV/Å (relative above 1 eV/Å), virials to 1e-12 of the largest component. Three replicas move in
// steps that rebuild some replicas' lists and not others, so kept and renewed orders are both
// compared.
class EamSpatialOrder : public ::testing::TestWithParam<NeighborListKind> {
 protected:
  void SetUp() override { GLASSLAND_REQUIRE_LIST_KIND(GetParam()); }
};

TEST_P(EamSpatialOrder, AgreesWithTheBatchOrderUpToSummationOrder) {
  std::vector<NamedStructure> structures = {{"a", disordered_cuzr(31, false, 7)},
                                            {"b", disordered_cuzr(32, true, 7)},
                                            {"c", disordered_cuzr(33, true, 7)}};
  Batch batch = make_batch(structures, {"Cu", "Zr"}, cuzr().elements, cuzr().masses);
  const auto make_term = [&](EamAtomOrder order) {
    return std::make_unique<EamForceTerm>(make_eam_tables(eam_table_data(cuzr())), 1.0, GetParam(),
                                          order);
  };
  auto spatial = make_term(EamAtomOrder::Spatial);
  auto reference = make_term(EamAtomOrder::Batch);
  const EamForceTerm& spatial_term = *spatial;
  ForceField spatial_field, reference_field;
  spatial_field.add_term(std::move(spatial));
  reference_field.add_term(std::move(reference));
  uint64_t state = 7;
  auto uniform = [&state]() {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<double>(state >> 11) / 9007199254740992.0 - 0.5;
  };
  for (int step = 0; step < 4; ++step) {
    SCOPED_TRACE("step " + std::to_string(step));
    spatial_field.compute(batch);
    const BatchSnapshot s = snapshot(batch);
    auto spatial_atom_energy =
        Kokkos::create_mirror_view_and_copy(HostSpace(), batch.per_atom_energy);
    reference_field.compute(batch);
    const BatchSnapshot b = snapshot(batch);
    auto atom_energy = Kokkos::create_mirror_view_and_copy(HostSpace(), batch.per_atom_energy);
    for (int r = 0; r < batch.n_replicas; ++r) {
      EXPECT_NEAR(s.potential_energy[r], b.potential_energy[r],
                  1e-12 * std::fabs(b.potential_energy[r]));
      double virial_scale = 0.0;
      for (int k = 0; k < 6; ++k)
        virial_scale = std::max(virial_scale, std::fabs(b.virial[r * 6 + k]));
      for (int k = 0; k < 6; ++k)
        EXPECT_NEAR(s.virial[r * 6 + k], b.virial[r * 6 + k], 1e-12 * virial_scale);
    }
    double worst_force = 0.0, worst_energy = 0.0;
    for (size_t k = 0; k < b.forces.size(); ++k)
      worst_force = std::max(worst_force, std::fabs(s.forces[k] - b.forces[k]) /
                                              std::max(1.0, std::fabs(b.forces[k])));
    for (size_t g = 0; g < atom_energy.extent(0); ++g)
      worst_energy = std::max(worst_energy, std::fabs(spatial_atom_energy(g) - atom_energy(g)) /
                                                std::fabs(atom_energy(g)));
    EXPECT_LE(worst_force, 1e-12);
    EXPECT_LE(worst_energy, 1e-12);
    // The order is not the identity (else this test compares a path with itself).
    auto atom_at =
        Kokkos::create_mirror_view_and_copy(HostSpace(), spatial_term.atom_order().atom_at);
    int moved = 0;
    for (size_t g = 0; g < atom_at.extent(0); ++g)
      moved += atom_at(g) != static_cast<int>(g % batch.n_atoms);
    EXPECT_GT(moved, batch.n_atoms);
    // Move replica 0 by up to 0.2 Å per step (its list is kept for a while) and the others by up
    // to 0.8 Å (beyond skin/2: rebuilt at once).
    auto positions = Kokkos::create_mirror_view_and_copy(HostSpace(), batch.positions);
    for (size_t g = 0; g < positions.extent(0); ++g)
      for (int k = 0; k < 3; ++k)
        positions(g, k) += (g < static_cast<size_t>(batch.n_atoms) ? 0.4 : 1.6) * uniform();
    Kokkos::deep_copy(batch.positions, positions);
  }
  // 3 first builds, replicas 1 and 2 at each of the 3 later steps, replica 0 not at step 1.
  EXPECT_GE(spatial_term.neighbor_list().stats().builds, 9);
  EXPECT_LE(spatial_term.neighbor_list().stats().builds, 11);
}

INSTANTIATE_TEST_SUITE_P(Kinds, EamSpatialOrder,
                         ::testing::Values(NeighborListKind::Full, NeighborListKind::Half),
                         [](const auto& info) {
                           return info.param == NeighborListKind::Full ? "full" : "half";
                         });

// precision: mixed (EamPrecision::Mixed) against double on a 686-atom disordered Cu50Zr50 cell.
// Float tables and pair arithmetic carry a relative error of a few times 2^-24 ≈ 6e-8 per pair
// term; summed in double over ~50 neighbours of |φ| ≲ 1 eV and |pair force| ≲ 5 eV/Å this bounds
// the per-atom energy error by ~5e-6 eV and a force component's by ~2e-5 eV/Å. Stated
// tolerances: total energy 5e-6 eV/atom, every force component 1e-4 eV/Å, virial 1e-6 of its
// largest component.
TEST(EamMixedPrecision, EnergiesForcesAndVirialWithinTheStatedToleranceOfDouble) {
  const LammpsData data = disordered_cuzr(41, true, 7);
  const auto evaluate_with = [&](EamPrecision precision) {
    Batch batch = make_batch({{"s", data}}, {"Cu", "Zr"}, cuzr().elements, cuzr().masses);
    ForceField field;
    field.add_term(std::make_unique<EamForceTerm>(make_eam_tables(eam_table_data(cuzr())), 1.0,
                                                  default_neighbor_list_kind(),
                                                  EamAtomOrder::Spatial, precision));
    field.compute(batch);
    return snapshot(batch);
  };
  const BatchSnapshot exact = evaluate_with(EamPrecision::Double);
  const BatchSnapshot mixed = evaluate_with(EamPrecision::Mixed);
  const double energy_error = std::fabs(mixed.potential_energy[0] - exact.potential_energy[0]);
  double force_error = 0.0, virial_scale = 0.0, virial_error = 0.0;
  for (size_t k = 0; k < exact.forces.size(); ++k)
    force_error = std::max(force_error, std::fabs(mixed.forces[k] - exact.forces[k]));
  for (int k = 0; k < 6; ++k) {
    virial_scale = std::max(virial_scale, std::fabs(exact.virial[k]));
    virial_error = std::max(virial_error, std::fabs(mixed.virial[k] - exact.virial[k]));
  }
  std::printf(
      "mixed - double: energy %.3e eV/atom, largest force component %.3e eV/Å, "
      "virial %.3e of its largest component\n",
      energy_error / exact.n_atoms, force_error, virial_error / virial_scale);
  EXPECT_LE(energy_error / exact.n_atoms, 5e-6);
  EXPECT_LE(force_error, 1e-4);
  EXPECT_LE(virial_error, 1e-6 * virial_scale);
  EXPECT_GT(force_error, 0.0);  // the mixed path really ran in float
}

// NVE with precision: mixed conserves the total energy as double does: 432 atoms from a
// disordered B2 start (it heats as it relaxes), 1 fs steps for 0.5 ps, |E(t) − E(0)| ≤ 1e-4
// eV/atom (the bound of MdNve.ConservesTotalEnergy) for both, and mixed's largest excursion within
// 2× double's plus 1e-5 eV/atom. (With 2 fs steps this start gives 2.1e-4 eV/atom for both: the
// excursion is velocity Verlet's, not the arithmetic's.)
TEST(EamMixedPrecision, NveConservesTotalEnergy) {
  const LammpsData data = disordered_cuzr(42, false, 6);
  double worst[2] = {0.0, 0.0};
  for (EamPrecision precision : {EamPrecision::Double, EamPrecision::Mixed}) {
    Batch batch = make_batch({{"s", data}}, {"Cu", "Zr"}, cuzr().elements, cuzr().masses);
    ForceField field;
    field.add_term(std::make_unique<EamForceTerm>(make_eam_tables(eam_table_data(cuzr())), 1.0,
                                                  default_neighbor_list_kind(),
                                                  EamAtomOrder::Spatial, precision));
    IntegratorSettings settings;
    settings.timestep = 0.001;
    settings.ensemble = Ensemble::nve;
    MdIntegrator md(1, batch.n_atoms, settings);
    md.setup(batch, field);
    Thermo thermo(1);
    double start = 0.0;
    const int slot = precision == EamPrecision::Mixed ? 1 : 0;
    for (int block = 0; block <= 20; ++block) {
      if (block > 0)
        md.run(batch, field, 25);
      md.compute_thermo(batch, thermo);
      auto pe = Kokkos::create_mirror_view_and_copy(HostSpace(), batch.potential_energy);
      auto ke = Kokkos::create_mirror_view_and_copy(HostSpace(), thermo.kinetic_energy);
      const double total = pe(0) + ke(0);
      if (block == 0)
        start = total;
      worst[slot] = std::max(worst[slot], std::fabs(total - start) / batch.n_atoms);
    }
  }
  std::printf("NVE 0.5 ps, max |E(t) - E(0)|: double %.3e, mixed %.3e eV/atom\n", worst[0],
              worst[1]);
  EXPECT_LT(worst[0], 1e-4);
  EXPECT_LT(worst[1], 1e-4);
  EXPECT_LT(worst[1], 2.0 * worst[0] + 1e-5);
}

// system.precision selects the arithmetic of every task's EAM term; another value is an input
// error naming the key and the choices.
TEST(EamMixedPrecision, SystemPrecisionKeySelectsIt) {
  const auto read = [](const std::string& precision) {
    InputObject input(parse_json_text(R"({"system": {"build": {"lattice": "b2", "cells": [6, 6, 6]},
                                           "precision": ")" +
                                          precision + R"("}})",
                                      "input.json"),
                      "input.json", ".");
    return read_task_system(input);
  };
  for (const auto& [name, expected] :
       {std::pair{"double", EamPrecision::Double}, std::pair{"mixed", EamPrecision::Mixed}}) {
    auto system = read(name);
    ASSERT_EQ(system->force_field.terms().size(), 1u);
    const auto* eam = dynamic_cast<const EamForceTerm*>(system->force_field.terms()[0].get());
    ASSERT_NE(eam, nullptr);
    EXPECT_EQ(eam->precision(), expected) << name;
  }
  try {
    read("single");
    ADD_FAILURE() << "expected an InputError";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("system.precision"), std::string::npos)
        << error.what();
    EXPECT_NE(std::string(error.what()).find("\"mixed\""), std::string::npos) << error.what();
  }
}

}  // namespace
}  // namespace glassland
