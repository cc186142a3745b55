// Embedded-atom method, Finnis–Sinclair and alloy forms (SPEC.md §1; Daw & Baskes, PRB 29,
// 6443 (1984); Finnis & Sinclair, Phil. Mag. A 50, 45 (1984); LAMMPS pair_style eam/fs and
// eam/alloy, src/MANYBODY/pair_eam.cpp):
//   E = Σ_i F_{e_i}(ρ_i) + ½ Σ_i Σ_{j≠i} φ_{e_i e_j}(r_ij),   ρ_i = Σ_{j≠i} ρ_{e_j→e_i}(r_ij).
// Tables are LAMMPS's cubic splines (kernels/eam_spline.hpp); F beyond the last ρ knot is
// extrapolated linearly as LAMMPS does. Two passes over the neighbour list per evaluation, each
// one launch over all replicas: densities and F'(ρ), then forces, energies and virials. The passes
// read atoms in a spatial order (kernels/spatial_order.hpp) and write results back in the batch's.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "kernels/force_field.hpp"
#include "kernels/neighbor_list.hpp"
#include "kernels/packed_atoms.hpp"
#include "kernels/spatial_order.hpp"

namespace glassland {

// Tabulated EAM functions as plain host arrays (what a setfl file holds), before splining.
struct EamTableData {
  std::vector<std::string> elements;
  int nrho = 0;
  double drho = 0.0;
  int nr = 0;
  double dr = 0.0;
  double cutoff = 0.0;
  std::vector<std::vector<double>> embedding;     // [element][nrho]
  std::vector<std::vector<double>> density;       // [table][nr]
  std::vector<std::vector<double>> r_times_pair;  // [e(e+1)/2 + f][nr], e ≥ f
  // density_table[source element][receiving element]: the density table that an atom of the
  // source element contributes to an atom of the receiving element.
  std::vector<std::vector<int>> density_table;
};

// Device-resident spline value blocks (kernels/eam_spline.hpp) and lookup maps.
struct EamTables {
  int n_elements = 0;
  int nr = 0;
  int nrho = 0;
  double inverse_dr = 0.0;
  double inverse_drho = 0.0;
  double rho_max = 0.0;
  double cutoff = 0.0;
  // F of each element, [(element·nrho + knot)·4 + c].
  Kokkos::View<const double*, MemSpace> embedding;
  // Everything a pair of atoms at distance r needs, side by side at each knot: for the ordered
  // element pair p = (e, f), p = e·n + f, knot m, [(p·nr + m)·kPairRecord + b·4 + c] holds the
  // value blocks b = 0: the density an atom of element e receives from one of f; b = 1: the
  // density an atom of f receives from one of e; b = 2: r·φ_ef(r). A pair's lookups touch 96
  // contiguous bytes (two adjacent cache lines) instead of three or four separate tables, and an
  // atom i of element e finds what it receives from j at block 0 of record (e, f_j) without
  // comparing elements (mixed pairs are stored twice, (e, f) and (f, e): 4 records for CuZr
  // instead of 3).
  Kokkos::View<const double*, MemSpace> pair_records;
  Kokkos::View<const float*, MemSpace> pair_records_float;  // the same, rounded for mixed precision
};

inline constexpr int kPairRecord = 12;

// Splines the tables on the host and copies them to the device.
EamTables make_eam_tables(const EamTableData& data);

// Arithmetic of the pair terms. Double: everything in double. Mixed: the pair tables, the spline
// polynomials and the pair arithmetic (φ, φ', the pair force) in float; distances, spline
// positions, F(ρ), F'(ρ) and every sum (ρ, forces, energies, virials) in double, as is the
// integration.
enum class EamPrecision { Double, Mixed };

// The order in which the passes visit atoms (kernels/spatial_order.hpp): Spatial by default;
// Batch (the batch's own order) is the reference Spatial is tested against.
enum class EamAtomOrder { Spatial, Batch };

class EamForceTerm : public ForceTerm {
 public:
  // skin: neighbour-list skin in Å. kind: Full or Half (Half only on serial backends);
  // default_neighbor_list_kind() picks the faster valid one for the execution space.
  EamForceTerm(EamTables tables, double skin, NeighborListKind kind,
               EamAtomOrder order = EamAtomOrder::Spatial,
               EamPrecision precision = EamPrecision::Double);

  std::string name() const override { return "eam"; }
  void accumulate(Batch& batch, const EvalRequest& request) override;
  void reset() override { neighbors_.reset(); }

  const NeighborList& neighbor_list() const { return neighbors_; }
  NeighborList& neighbor_list() { return neighbors_; }
  const EamTables& tables() const { return tables_; }
  const SpatialOrder& atom_order() const { return order_; }
  EamPrecision precision() const { return precision_; }

 private:
  EamTables tables_;
  NeighborList neighbors_;
  EamPrecision precision_;
  SpatialOrder order_;
  AtomScalars rho_;
  AtomScalars embedding_derivative_;
  AtomScalars atom_energy_;
  Kokkos::View<double* [6], MemSpace> atom_virial_;
  // Per evaluation, in order_'s order: the atoms, and forces of a half list before they are
  // scattered back to the batch's order.
  PackedAtoms atoms_;
  AtomVectors ordered_forces_;
  // Per evaluation: the listed neighbours within the cutoff (the list has cutoff + skin).
  Kokkos::View<uint32_t**, MemSpace> within_entries_;
  Kokkos::View<int*, MemSpace> within_counts_;
  Kokkos::View<int*, MemSpace> within_unshifted_;
  ImageShiftTable image_shifts_;  // half lists' per-replica shift table
};

NeighborListKind default_neighbor_list_kind();

}  // namespace glassland
