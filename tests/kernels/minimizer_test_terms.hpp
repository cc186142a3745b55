// Small force terms with known minima for the minimiser tests (test_fire_minimizer,
// test_cg_minimizer), with a per-replica count of evaluations so that tests can see which
// replicas a ForceField::compute actually touched.
//
//  * Müller–Brown surface (K. Müller & L. D. Brown, Theor. Chim. Acta 53, 75 (1979)) in x, y,
//    one particle per replica, z free (zero force). Minima found independently by Newton's
//    method on the analytic gradient and Hessian (mueller_brown_newton_minimum).
//  * Lennard-Jones cluster, ε = 1 eV, σ = 1 Å, no cutoff, no periodic images (O(N²) per
//    atom). The 13-atom icosahedron is its global minimum, E = −44.326801 ε (Wales & Doye,
//    J. Phys. Chem. A 101, 5111 (1997), Cambridge Cluster Database).
//  * A disordered periodic Cu50Zr50 structure for the EAM tests, and the largest displacement
//    of unwrapped positions (x + H·image) between two batch snapshots.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "host/io/batch_io.hpp"
#include "host/tasks/structure_builder.hpp"
#include "kernels/force_field.hpp"

namespace glassland::testing {

struct MuellerBrownGradient {
  double energy;
  double gradient[2];
  double hessian[2][2];
};

// Energy, gradient and Hessian of the Müller–Brown surface.
KOKKOS_INLINE_FUNCTION MuellerBrownGradient mueller_brown(double x, double y) {
  const double A[4] = {-200.0, -100.0, -170.0, 15.0};
  const double a[4] = {-1.0, -1.0, -6.5, 0.7};
  const double b[4] = {0.0, 0.0, 11.0, 0.6};
  const double c[4] = {-10.0, -10.0, -6.5, 0.7};
  const double x0[4] = {1.0, 0.0, -0.5, -1.0};
  const double y0[4] = {0.0, 0.5, 1.5, 1.0};
  MuellerBrownGradient out{0.0, {0.0, 0.0}, {{0.0, 0.0}, {0.0, 0.0}}};
  for (int k = 0; k < 4; ++k) {
    const double dx = x - x0[k], dy = y - y0[k];
    const double term = A[k] * ::exp(a[k] * dx * dx + b[k] * dx * dy + c[k] * dy * dy);
    const double ux = 2.0 * a[k] * dx + b[k] * dy;  // ∂(exponent)/∂x
    const double uy = b[k] * dx + 2.0 * c[k] * dy;  // ∂(exponent)/∂y
    out.energy += term;
    out.gradient[0] += term * ux;
    out.gradient[1] += term * uy;
    out.hessian[0][0] += term * (ux * ux + 2.0 * a[k]);
    out.hessian[0][1] += term * (ux * uy + b[k]);
    out.hessian[1][1] += term * (uy * uy + 2.0 * c[k]);
  }
  out.hessian[1][0] = out.hessian[0][1];
  return out;
}

// Newton's method on ∇V = 0 from a nearby guess; the reference minima of the tests.
inline std::array<double, 2> mueller_brown_newton_minimum(double x, double y) {
  for (int iteration = 0; iteration < 100; ++iteration) {
    const MuellerBrownGradient v = mueller_brown(x, y);
    const double det = v.hessian[0][0] * v.hessian[1][1] - v.hessian[0][1] * v.hessian[1][0];
    const double dx = (v.hessian[1][1] * v.gradient[0] - v.hessian[0][1] * v.gradient[1]) / det;
    const double dy = (-v.hessian[1][0] * v.gradient[0] + v.hessian[0][0] * v.gradient[1]) / det;
    x -= dx;
    y -= dy;
    if (std::fabs(dx) + std::fabs(dy) < 1e-15)
      break;
  }
  return {x, y};
}

// Smallest eigenvalue of the Müller–Brown Hessian at (x, y), eV/Å².
inline double mueller_brown_smallest_curvature(double x, double y) {
  const MuellerBrownGradient v = mueller_brown(x, y);
  const double trace = v.hessian[0][0] + v.hessian[1][1];
  const double det = v.hessian[0][0] * v.hessian[1][1] - v.hessian[0][1] * v.hessian[1][0];
  return 0.5 * (trace - std::sqrt(trace * trace - 4.0 * det));
}

// Adds the evaluation to a per-replica counter (device view of length R).
class MuellerBrownTerm : public ForceTerm {
 public:
  explicit MuellerBrownTerm(int n_replicas)
      : evaluations_("test::mueller_brown_evaluations", n_replicas) {}
  std::string name() const override { return "mueller_brown"; }
  void accumulate(Batch& batch, const EvalRequest& request) override {
    const int n_atoms = batch.n_atoms;
    auto positions = batch.positions;
    auto forces = batch.forces;
    auto per_atom_energy = batch.per_atom_energy;
    auto energy = batch.potential_energy;
    auto active = request.active;
    auto evaluations = evaluations_;
    // One thread per replica sums its atoms: energies are per replica, no atomics.
    Kokkos::parallel_for(
        "test::mueller_brown", Kokkos::RangePolicy<ExecSpace>(0, batch.n_replicas),
        KOKKOS_LAMBDA(int r) {
          if (!replica_is_active(active, r))
            return;
          evaluations(r) += 1;
          for (int i = 0; i < n_atoms; ++i) {
            const int64_t g = static_cast<int64_t>(r) * n_atoms + i;
            const MuellerBrownGradient v = mueller_brown(positions(g, 0), positions(g, 1));
            forces(g, 0) -= v.gradient[0];
            forces(g, 1) -= v.gradient[1];
            per_atom_energy(g) += v.energy;
            energy(r) += v.energy;
          }
        });
  }
  ReplicaInts evaluations() const { return evaluations_; }

 private:
  ReplicaInts evaluations_;
};

// Müller–Brown whose forces on replica `broken` turn NaN (its energy stays finite) from its
// `healthy_evaluations`+1-th evaluation on: a replica whose forces break down in mid-run.
class BreakingMuellerBrownTerm : public MuellerBrownTerm {
 public:
  BreakingMuellerBrownTerm(int n_replicas, int broken, int healthy_evaluations)
      : MuellerBrownTerm(n_replicas), broken_(broken), healthy_(healthy_evaluations) {}
  void accumulate(Batch& batch, const EvalRequest& request) override {
    MuellerBrownTerm::accumulate(batch, request);
    const int n_atoms = batch.n_atoms;
    const int broken = broken_, healthy = healthy_;
    const double not_a_number = std::numeric_limits<double>::quiet_NaN();
    auto forces = batch.forces;
    auto evaluations = this->evaluations();
    auto active = request.active;
    Kokkos::parallel_for(
        "test::break_forces", Kokkos::RangePolicy<ExecSpace>(0, batch.n_replicas),
        KOKKOS_LAMBDA(int r) {
          if (r != broken || !replica_is_active(active, r) || evaluations(r) <= healthy)
            return;
          for (int i = 0; i < n_atoms; ++i)
            forces(static_cast<int64_t>(r) * n_atoms + i, 0) = not_a_number;
        });
  }

 private:
  int broken_, healthy_;
};

// Lennard-Jones pair energy and the scalar f/r with f = −dφ/dr, for ε = σ = 1.
KOKKOS_INLINE_FUNCTION double lennard_jones(double r2, double& force_over_r) {
  const double inv_r2 = 1.0 / r2;
  const double inv_r6 = inv_r2 * inv_r2 * inv_r2;
  force_over_r = 24.0 * inv_r6 * (2.0 * inv_r6 - 1.0) * inv_r2;
  return 4.0 * inv_r6 * (inv_r6 - 1.0);
}

// Lennard-Jones cluster, every pair of a replica, each thread owning one atom (full sum).
class LennardJonesClusterTerm : public ForceTerm {
 public:
  std::string name() const override { return "lennard_jones_cluster"; }
  void accumulate(Batch& batch, const EvalRequest& request) override {
    const int n_atoms = batch.n_atoms;
    if (static_cast<int64_t>(own_energy_.extent(0)) != batch.total_atoms())
      own_energy_ = AtomScalars("test::lennard_jones_own_energy", batch.total_atoms());
    auto positions = batch.positions;
    auto forces = batch.forces;
    auto per_atom_energy = batch.per_atom_energy;
    auto own_energy = own_energy_;
    auto active = request.active;
    Kokkos::parallel_for(
        "test::lennard_jones_atoms", all_atoms(batch.n_replicas, n_atoms),
        KOKKOS_LAMBDA(int64_t g) {
          const int r = static_cast<int>(g / n_atoms);
          if (!replica_is_active(active, r))
            return;
          const int64_t first = static_cast<int64_t>(r) * n_atoms;
          double f[3] = {0.0, 0.0, 0.0};
          double e = 0.0;
          for (int j = 0; j < n_atoms; ++j) {
            const int64_t h = first + j;
            if (h == g)
              continue;
            double d[3];
            for (int k = 0; k < 3; ++k)
              d[k] = positions(g, k) - positions(h, k);
            double force_over_r = 0.0;
            e += 0.5 * lennard_jones(d[0] * d[0] + d[1] * d[1] + d[2] * d[2], force_over_r);
            for (int k = 0; k < 3; ++k)
              f[k] += force_over_r * d[k];
          }
          for (int k = 0; k < 3; ++k)
            forces(g, k) += f[k];
          per_atom_energy(g) += e;
          own_energy(g) = e;
        });
    // Per-replica energy: fixed-order serial sum per replica (deterministic).
    auto energy = batch.potential_energy;
    Kokkos::parallel_for(
        "test::lennard_jones_energy", Kokkos::RangePolicy<ExecSpace>(0, batch.n_replicas),
        KOKKOS_LAMBDA(int r) {
          if (!replica_is_active(active, r))
            return;
          double sum = 0.0;
          for (int i = 0; i < n_atoms; ++i)
            sum += own_energy(static_cast<int64_t>(r) * n_atoms + i);
          energy(r) += sum;
        });
  }

 private:
  AtomScalars own_energy_;  // this term's per-atom energies, summed per replica
};

// The 13-atom Mackay icosahedron with nearest-neighbour distance `bond`: centre plus 12
// vertices (0, ±1, ±φ) and cyclic permutations, scaled so the vertex-vertex edge is `bond`.
inline std::array<std::array<double, 3>, 13> icosahedron13(double bond) {
  const double phi = 0.5 * (1.0 + std::sqrt(5.0));
  std::array<std::array<double, 3>, 13> atoms{};
  int n = 1;  // atoms[0] is the centre
  for (int s1 = -1; s1 <= 1; s1 += 2) {
    for (int s2 = -1; s2 <= 1; s2 += 2) {
      atoms[n++] = {0.0, 1.0 * s1, phi * s2};
      atoms[n++] = {1.0 * s1, phi * s2, 0.0};
      atoms[n++] = {phi * s2, 0.0, 1.0 * s1};
    }
  }
  // Edge length of this icosahedron is 2; scale it to `bond`.
  for (auto& atom : atoms)
    for (double& x : atom)
      x *= 0.5 * bond;
  return atoms;
}

using Configuration = std::vector<std::array<double, 3>>;

// A batch with one replica per configuration (all of the same size), one element of the given
// mass, boxes left empty (the test terms are not periodic).
inline Batch make_batch(const std::vector<Configuration>& configurations, double mass) {
  const int n_replicas = static_cast<int>(configurations.size());
  const int n_atoms = static_cast<int>(configurations.front().size());
  Batch batch(n_replicas, n_atoms, 1);
  auto positions = Kokkos::create_mirror_view(batch.positions);
  for (int r = 0; r < n_replicas; ++r)
    for (int i = 0; i < n_atoms; ++i)
      for (int k = 0; k < 3; ++k)
        positions(r * n_atoms + i, k) = configurations[r][i][k];
  Kokkos::deep_copy(batch.positions, positions);
  Kokkos::deep_copy(batch.elements, 0);
  Kokkos::deep_copy(batch.element_masses, mass);
  return batch;
}

// Positions of replica r on the host.
inline Configuration replica_positions(const Batch& batch, int r) {
  auto positions = Kokkos::create_mirror_view_and_copy(HostSpace(), batch.positions);
  Configuration out(batch.n_atoms);
  for (int i = 0; i < batch.n_atoms; ++i)
    for (int k = 0; k < 3; ++k)
      out[i][k] = positions(static_cast<int64_t>(r) * batch.n_atoms + i, k);
  return out;
}

inline std::vector<int> to_host(const ReplicaInts& view) {
  auto mirror = Kokkos::create_mirror_view_and_copy(HostSpace(), view);
  return std::vector<int>(mirror.data(), mirror.data() + mirror.extent(0));
}

// Cu50Zr50 on a B2 lattice (6³ cells, 432 atoms, box 19.56 Å) with uniform random displacements
// of ±0.3 Å per coordinate, so that atoms sit on both sides of every box face.
inline LammpsData disordered_cuzr(uint64_t seed) {
  StructureSpec spec;
  spec.lattice = "b2";
  spec.lattice_constant = 3.26;
  spec.cells = {6, 6, 6};
  spec.seed = seed;
  LammpsData data = build_structure(spec, {"Cu", "Zr"}, {63.546, 91.224});
  uint64_t state = seed;
  for (auto& x : data.positions)
    for (double& component : x) {
      state = state * 6364136223846793005ull + 1442695040888963407ull;
      component += 0.6 * (static_cast<double>(state >> 11) / 9007199254740992.0 - 0.5);
    }
  return data;
}

// Largest |Δ(x + H·image)| of replica r between two snapshots, Å.
inline double largest_unwrapped_displacement(const BatchSnapshot& before,
                                             const BatchSnapshot& after, int r) {
  double largest = 0.0;
  for (int i = 0; i < before.n_atoms; ++i) {
    const int64_t g = static_cast<int64_t>(r) * before.n_atoms + i;
    double x0[3], x1[3];
    for (int k = 0; k < 3; ++k) {
      x0[k] = before.positions[g * 3 + k];
      x1[k] = after.positions[g * 3 + k];
    }
    before.boxes[r].add_lattice_vector(before.images[g * 3], before.images[g * 3 + 1],
                                       before.images[g * 3 + 2], x0);
    after.boxes[r].add_lattice_vector(after.images[g * 3], after.images[g * 3 + 1],
                                      after.images[g * 3 + 2], x1);
    double d2 = 0.0;
    for (int k = 0; k < 3; ++k)
      d2 += (x1[k] - x0[k]) * (x1[k] - x0[k]);
    largest = std::max(largest, std::sqrt(d2));
  }
  return largest;
}

}  // namespace glassland::testing
