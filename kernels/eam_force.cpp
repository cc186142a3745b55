#include "kernels/eam_force.hpp"

#include <algorithm>
#include <stdexcept>
#include <type_traits>

#include "kernels/eam_spline.hpp"

namespace glassland {

namespace {

template <class T>
Kokkos::View<const T*, MemSpace> to_device(const std::vector<T>& host, const char* label) {
  Kokkos::View<T*, MemSpace> device(std::string(label), host.size());
  auto mirror = Kokkos::create_mirror_view(device);
  for (size_t k = 0; k < host.size(); ++k)
    mirror(k) = host[k];
  Kokkos::deep_copy(device, mirror);
  return device;
}

// Interleaves, knot by knot, the value blocks of the three tables the ordered pair of elements
// (e, f) needs (EamTables::pair_records) and appends them to `records`.
void append_pair_records(const EamTableData& data, int e, int f, std::vector<double>& records) {
  const int hi = e > f ? e : f, lo = e > f ? f : e;  // r·φ is stored for e ≥ f only
  const std::vector<double>* tables[3] = {&data.density[data.density_table[f][e]],
                                          &data.density[data.density_table[e][f]],
                                          &data.r_times_pair[hi * (hi + 1) / 2 + lo]};
  std::vector<double> blocks[3];
  for (int b = 0; b < 3; ++b)
    append_value_blocks(lammps_spline_coefficients(*tables[b], data.dr), blocks[b]);
  for (int m = 0; m < data.nr; ++m)
    for (int b = 0; b < 3; ++b)
      records.insert(records.end(), blocks[b].begin() + m * kSplineBlock,
                     blocks[b].begin() + (m + 1) * kSplineBlock);
}

}  // namespace

EamTables make_eam_tables(const EamTableData& data) {
  const int n = static_cast<int>(data.elements.size());
  if (n == 0)
    throw std::invalid_argument("EAM tables: no elements");
  if (data.nr < 5 || data.nrho < 5)
    throw std::invalid_argument("EAM tables: Nr and Nrho must be at least 5 for LAMMPS splines");
  EamTables tables;
  tables.n_elements = n;
  tables.nr = data.nr;
  tables.nrho = data.nrho;
  tables.inverse_dr = 1.0 / data.dr;
  tables.inverse_drho = 1.0 / data.drho;
  tables.rho_max = (data.nrho - 1) * data.drho;
  tables.cutoff = data.cutoff;
  std::vector<double> embedding, pair_records;
  for (const auto& table : data.embedding)
    append_value_blocks(lammps_spline_coefficients(table, data.drho), embedding);
  for (int e = 0; e < n; ++e)
    for (int f = 0; f < n; ++f)
      append_pair_records(data, e, f, pair_records);
  tables.embedding = to_device(embedding, "eam::embedding");
  tables.pair_records = to_device(pair_records, "eam::pair_records");
  tables.pair_records_float = to_device(
      std::vector<float>(pair_records.begin(), pair_records.end()), "eam::pair_records_float");
  return tables;
}

NeighborListKind default_neighbor_list_kind() {
  return ExecSpace().concurrency() == 1 ? NeighborListKind::Half : NeighborListKind::Full;
}

namespace {

// The passes run on a host CPU (Serial, OpenMP, Threads): where they differ from a GPU's, for the
// caches and the branch predictor a CPU has (replicas_per_pass, kBranchFreeCompaction).
inline constexpr bool kHostPasses = std::is_same<MemSpace, Kokkos::HostSpace>::value;

// How many replicas each pass runs over (accumulate): on a host CPU about kHostPassAtoms atoms
// per thread, at least one replica; on a GPU all of them.
int replicas_per_pass(int n_atoms, int n_replicas) {
  if (!kHostPasses)
    return n_replicas;
  constexpr int64_t kHostPassAtoms = 4096;
  const int64_t atoms = kHostPassAtoms * ExecSpace().concurrency();
  return static_cast<int>(std::max<int64_t>(1, std::min<int64_t>(n_replicas, atoms / n_atoms)));
}

}  // namespace

EamForceTerm::EamForceTerm(EamTables tables, double skin, NeighborListKind kind, EamAtomOrder order,
                           EamPrecision precision)
    : tables_(std::move(tables)),
      neighbors_(tables_.cutoff, skin, kind),
      precision_(precision),
      order_(order == EamAtomOrder::Spatial) {}

namespace {

struct EamPassInputs {
  EamTables tables;
  PackedAtoms atoms;  // in `atom_at` order, as the list's rows and neighbour indices
  Kokkos::View<int*, MemSpace> atom_at;
  ReplicaBoxes boxes;
  ImageShiftTable image_shifts;  // filled for half lists (CPUs), which read shifts from it
  Kokkos::View<uint32_t**, MemSpace> entries;
  Kokkos::View<int*, MemSpace> counts;
  Kokkos::View<int*, MemSpace> unshifted_counts;  // the leading entries without a periodic shift
  ReplicaInts active;
  int n_atoms;
  // The listed neighbours within the cutoff, written by the density pass for the force pass, in
  // the list's order (so again the unshifted ones first).
  Kokkos::View<uint32_t**, MemSpace> within_entries;
  Kokkos::View<int*, MemSpace> within_counts;
  Kokkos::View<int*, MemSpace> within_unshifted;
  // The replicas a pass runs over, [first_replica, end_replica): all of them on a GPU, a few at a
  // time on a host CPU (EamForceTerm::accumulate).
  int first_replica;
  int end_replica;
};

// The pair records in `Real`: double, or float for precision: mixed.
KOKKOS_INLINE_FUNCTION const Kokkos::View<const double*, MemSpace>& records_in(const EamTables& t,
                                                                               double) {
  return t.pair_records;
}
KOKKOS_INLINE_FUNCTION const Kokkos::View<const float*, MemSpace>& records_in(const EamTables& t,
                                                                              float) {
  return t.pair_records_float;
}

// The pair records an atom of element ei reads (EamTables::pair_records): at(ej, knot) is the
// record of (ei, ej) at `knot`, whose block 0 is what the atom receives from one of ej, block 1
// the reverse, block 2 r·φ. Made once per atom, so that a pair adds only its own offset.
template <class Real>
struct PairRecordsOf {
  const Real* first;  // record (ei, 0) at knot 0
  int nr;
  KOKKOS_INLINE_FUNCTION PairRecordsOf(const EamTables& t, int ei)
      : first(&records_in(t, Real())(static_cast<int64_t>(ei) * t.n_elements * t.nr * kPairRecord)),
        nr(t.nr) {}
  KOKKOS_INLINE_FUNCTION const Real* at(int ej, int knot) const {
    return first + static_cast<int64_t>(ej * nr + knot) * kPairRecord;
  }
};

// The atoms of the replicas a pass runs over: [first, second) in the flattened index.
Kokkos::pair<int64_t, int64_t> pass_atoms(const EamPassInputs& in) {
  return Kokkos::make_pair(static_cast<int64_t>(in.first_replica) * in.n_atoms,
                           static_cast<int64_t>(in.end_replica) * in.n_atoms);
}

Kokkos::RangePolicy<ExecSpace> atoms_of_pass(const EamPassInputs& in) {
  const auto atoms = pass_atoms(in);
  return Kokkos::RangePolicy<ExecSpace>(atoms.first, atoms.second);
}

// Those atoms' rows of a per-atom view.
template <class View>
auto pass_rows(const View& view, const EamPassInputs& in) {
  const auto rows = pass_atoms(in);
  if constexpr (View::rank == 1)
    return Kokkos::subview(view, rows);
  else
    return Kokkos::subview(view, rows, Kokkos::ALL);
}

// Gathers positions and elements into the packed records the passes read, in `atom_at` order.
void pack_atoms(const EamPassInputs& in, const Batch& batch) {
  const int n_atoms = batch.n_atoms;
  const auto positions = batch.positions;
  const auto elements = batch.elements;
  const auto atom_at = in.atom_at;
  const auto atoms = in.atoms;
  const auto active = in.active;
  Kokkos::parallel_for(
      "eam::pack_atoms", atoms_of_pass(in), KOKKOS_LAMBDA(int64_t s) {
        if (!replica_is_active(active, static_cast<int>(s / n_atoms)))
          return;
        const int64_t g = s - s % n_atoms + atom_at(s);
        for (int k = 0; k < 3; ++k)
          atoms(s, k) = positions(g, k);
        atoms(s, 3) = static_cast<double>(elements(g));
      });
}

// The virial W = Σ_pairs d⊗f of pair forces f along d = x_i − (x_j + S) (S the lattice vector
// of j's image) is computed as LAMMPS's virial_fdotr_compute does (pair.cpp), from the forces on
// the atoms: W = Σ_i x_i⊗F_i − Σ_pairs S⊗f, so only the periodic pairs (about a quarter in a box of
// 4000 atoms) add a term per pair instead of every pair six. Each replica's W is the sum over its
// atoms of atom_virial, the Voigt components (a, b) = xx, yy, zz, xy, xz, yz of
//   full list:  x_i⊗F_i − ½ Σ_{j periodic} S_ij⊗f_ij  (F_i complete in row i);
//   half list:  −Σ_{j periodic in row i} S_ij⊗f_ij here, and x_i⊗F_i added once the scattered
//               forces are complete (scatter_forces).
// Per-atom values are not per-atom virials; only their sums are used.

// The Voigt components xx, yy, zz, xy, xz, yz of the outer product a⊗b.
KOKKOS_INLINE_FUNCTION void voigt_outer_product(const double a[3], const double b[3], double w[6]) {
  w[0] = a[0] * b[0];
  w[1] = a[1] * b[1];
  w[2] = a[2] * b[2];
  w[3] = a[0] * b[1];
  w[4] = a[0] * b[2];
  w[5] = a[1] * b[2];
}

// Adds the forces a half-list pass left in place order to the batch's forces, and with
// `virial` each atom's x_i⊗F_i to atom_virial (the virial's first term, see compute_forces).
void scatter_forces(const EamPassInputs& in, const AtomVectors& ordered_forces, const Batch& batch,
                    const Kokkos::View<double* [6], MemSpace>& atom_virial, bool virial) {
  const int n_atoms = batch.n_atoms;
  const auto forces = batch.forces;
  const auto atoms = in.atoms;
  const auto atom_at = in.atom_at;
  const auto active = in.active;
  Kokkos::parallel_for(
      "eam::scatter_forces", atoms_of_pass(in), KOKKOS_LAMBDA(int64_t s) {
        if (!replica_is_active(active, static_cast<int>(s / n_atoms)))
          return;
        const int64_t g = s - s % n_atoms + atom_at(s);
        for (int k = 0; k < 3; ++k)
          forces(g, k) += ordered_forces(s, k);
        if (virial) {
          const double x[3] = {atoms(s, 0), atoms(s, 1), atoms(s, 2)},
                       f[3] = {ordered_forces(s, 0), ordered_forces(s, 1), ordered_forces(s, 2)};
          double w[6];
          voigt_outer_product(x, f, w);
          for (int c = 0; c < 6; ++c)
            atom_virial(s, c) += w[c];
        }
      });
}

// Visits the listed neighbours begin … end − 1 of atom g (replica from `first`) in list order:
// visit(entry, x_j, extra) with the neighbour's image position and extra = gather(entry), a second
// per-neighbour load. With kTwoInFlight (full lists, GPUs) two neighbours are gathered before
// either is visited, so one memory latency covers two pairs; the visits keep the list order, so
// every sum is bitwise the one of a neighbour at a time.
template <bool kTwoInFlight, class Images, class Gather, class Visit>
KOKKOS_INLINE_FUNCTION void for_each_neighbor(const Images& images, const PackedAtoms& atoms,
                                              const Kokkos::View<uint32_t**, MemSpace>& entries,
                                              int64_t g, int64_t first, int begin, int end,
                                              const Gather& gather, const Visit& visit) {
  int k = begin;
  if constexpr (kTwoInFlight) {
    for (; k + 1 < end; k += 2) {
      const uint32_t first_entry = entries(g, k), second_entry = entries(g, k + 1);
      double first_xj[3], second_xj[3];
      images.position(atoms, first, first_entry, first_xj);
      images.position(atoms, first, second_entry, second_xj);
      const double first_extra = gather(first_entry), second_extra = gather(second_entry);
      visit(first_entry, first_xj, first_extra);
      visit(second_entry, second_xj, second_extra);
    }
  }
  for (; k < end; ++k) {
    const uint32_t entry = entries(g, k);
    double xj[3];
    images.position(atoms, first, entry, xj);
    visit(entry, xj, gather(entry));
  }
}

// Host CPUs compact each atom's candidates within the cutoff without a branch on the distance:
// about a third of a list with a 1 Å skin lies beyond the 7.6 Å cutoff in no order a predictor
// can learn, and callgrind's branch simulation counts 27 mispredictions per atom (4000-atom
// Cu50Zr50, half list), some 400 cycles of an atom's ~5000. GPUs keep the branch: a warp
// diverges either way, and the chunk's buffer would live in local memory.
inline constexpr bool kBranchFreeCompaction = kHostPasses;

// Candidates begin … end − 1 of atom g, taken in chunks: each chunk's squared distances are
// computed and every entry is written to `kept_entries` at the next free place, which only
// advances for an entry within the cutoff; then add(entry, r²) visits the chunk's kept entries in
// list order, so every sum is bitwise the one of a pass that branches. Returns the number kept.
template <class Images, class Add>
KOKKOS_INLINE_FUNCTION int compact_within_cutoff(
    const Images& images, const PackedAtoms& atoms,
    const Kokkos::View<uint32_t**, MemSpace>& entries,
    const Kokkos::View<uint32_t**, MemSpace>& kept_entries, int64_t g, int64_t first,
    const double xi[3], double cutoff_sq, int begin, int end, int kept, const Add& add) {
  constexpr int kChunk = 64;
  for (int chunk = begin; chunk < end; chunk += kChunk) {
    const int chunk_end = chunk + kChunk < end ? chunk + kChunk : end;
    double rsq_of[kChunk];
    int n = 0;
    for (int k = chunk; k < chunk_end; ++k) {
      const uint32_t entry = entries(g, k);
      double xj[3];
      images.position(atoms, first, entry, xj);
      const double dx = xi[0] - xj[0], dy = xi[1] - xj[1], dz = xi[2] - xj[2];
      const double rsq = dx * dx + dy * dy + dz * dz;
      kept_entries(g, kept + n) = entry;  // kept + n ≤ k: inside the row
      rsq_of[n] = rsq;
      n += rsq < cutoff_sq ? 1 : 0;
    }
    for (int m = 0; m < n; ++m)
      add(kept_entries(g, kept + m), rsq_of[m]);
    kept += n;
  }
  return kept;
}

// ρ_i for every atom: gathered over a full list, or scattered to both atoms of a half list. The
// listed neighbours within the cutoff are kept (about 69 % of a list with a 1 Å skin at 7.6 Å),
// so that the force pass neither visits the others nor branches on the distance.
template <bool kHalf, class Real>
void compute_densities(const EamPassInputs& in, const AtomScalars& rho) {
  const auto t = in.tables;
  const auto atoms = in.atoms;
  const auto boxes = in.boxes;
  const auto image_shifts = in.image_shifts;
  const auto entries = in.entries;
  const auto counts = in.counts;
  const auto active = in.active;
  const auto unshifted_counts = in.unshifted_counts;
  const auto within_entries = in.within_entries;
  const auto within_counts = in.within_counts;
  const auto within_unshifted = in.within_unshifted;
  const int n_atoms = in.n_atoms;
  const double cutoff_sq = t.cutoff * t.cutoff;
  if (kHalf)
    Kokkos::deep_copy(pass_rows(rho, in), 0.0);
  Kokkos::parallel_for(
      "eam::densities", atoms_of_pass(in), KOKKOS_LAMBDA(int64_t g) {
        const int r = static_cast<int>(g / n_atoms);
        if (!replica_is_active(active, r))
          return;
        const int64_t first = g - g % n_atoms;
        const NeighborImages<kHalf> images(boxes, image_shifts, r);
        const PairRecordsOf<Real> records_of_i(t, packed_element(atoms, g));
        const double xi[3] = {atoms(g, 0), atoms(g, 1), atoms(g, 2)};
        double rho_i = 0.0;
        int within = 0;
        // Locals, not the views' and tables' members: the stores below (an int list, double
        // densities) could alias those, and the compiler would reload them for every pair.
        const int count = counts(g);
        const double inverse_dr = t.inverse_dr;
        const int nr = t.nr;
        // One pair within the cutoff: its densities added.
        const auto add_densities = [&](uint32_t entry, double rsq) {
          const int64_t gj = first + neighbor_index(entry);
          const int ej = packed_element(atoms, gj);
          const SplinePosition at = spline_position(kmath::sqrt(rsq), inverse_dr, nr);
          const Real* record = records_of_i.at(ej, at.knot);
          const Real p = static_cast<Real>(at.fraction);
          rho_i += spline_value(record, p);
          if (kHalf)
            rho(gj) += spline_value(record + kSplineBlock, p);
        };
        const int unshifted = unshifted_counts(g);
        if (kBranchFreeCompaction) {  // not constexpr: nvcc forbids first captures there
          within = compact_within_cutoff(UnshiftedImages(), atoms, entries, within_entries, g,
                                         first, xi, cutoff_sq, 0, unshifted, 0, add_densities);
          within_unshifted(g) = within;
          within = compact_within_cutoff(images, atoms, entries, within_entries, g, first, xi,
                                         cutoff_sq, unshifted, count, within, add_densities);
        } else {
          const auto nothing_more = [](uint32_t) { return 0.0; };
          const auto visit = [&](uint32_t entry, const double xj[3], double) {
            const double dx = xi[0] - xj[0], dy = xi[1] - xj[1], dz = xi[2] - xj[2];
            const double rsq = dx * dx + dy * dy + dz * dz;
            if (rsq >= cutoff_sq)
              return;
            within_entries(g, within++) = entry;
            add_densities(entry, rsq);
          };
          for_each_neighbor<!kHalf>(UnshiftedImages(), atoms, entries, g, first, 0, unshifted,
                                    nothing_more, visit);
          within_unshifted(g) = within;
          for_each_neighbor<!kHalf>(images, atoms, entries, g, first, unshifted, count,
                                    nothing_more, visit);
        }
        within_counts(g) = within;
        if (kHalf)
          rho(g) += rho_i;
        else
          rho(g) = rho_i;
      });
}

// F'(ρ_i), and with energy_virial the embedding energy F(ρ_i) into atom_energy.
void compute_embedding(const EamPassInputs& in, const AtomScalars& rho,
                       const AtomScalars& embedding_derivative, const AtomScalars& atom_energy,
                       bool energy_virial) {
  const auto t = in.tables;
  const auto atoms = in.atoms;
  const auto active = in.active;
  const int n_atoms = in.n_atoms;
  Kokkos::parallel_for(
      "eam::embedding", atoms_of_pass(in), KOKKOS_LAMBDA(int64_t g) {
        if (!replica_is_active(active, static_cast<int>(g / n_atoms)))
          return;
        const double rho_i = rho(g);
        const SplinePosition at = spline_position(rho_i, t.inverse_drho, t.nrho);
        const double* block = &t.embedding(
            (static_cast<int64_t>(packed_element(atoms, g)) * t.nrho + at.knot) * kSplineBlock);
        const double fp = spline_derivative(block, at.fraction, t.inverse_drho);
        embedding_derivative(g) = fp;
        if (!energy_virial)
          return;
        double energy = spline_value(block, at.fraction);
        // LAMMPS extrapolates F linearly beyond the table (pair_eam.cpp, compute()).
        if (rho_i > t.rho_max)
          energy += fp * (rho_i - t.rho_max);
        atom_energy(g) = energy;
      });
}

// Forces and pair energies (½ φ to each atom) over the neighbours the density pass found within
// the cutoff, and the terms of the virial above. A half list scatters to both atoms, so its forces
// go to `ordered_forces` (zeroed here) in place order; a full list adds each atom's own force to
// the batch's `forces` directly.
template <bool kHalf, bool kEnergyVirial, class Real>
void compute_forces(const EamPassInputs& in, const AtomScalars& embedding_derivative,
                    const AtomVectors& forces, const AtomVectors& ordered_forces,
                    const AtomScalars& atom_energy,
                    const Kokkos::View<double* [6], MemSpace>& atom_virial) {
  const auto t = in.tables;
  const auto atom_at = in.atom_at;
  if (kHalf)
    Kokkos::deep_copy(pass_rows(ordered_forces, in), 0.0);
  const auto atoms = in.atoms;
  const auto boxes = in.boxes;
  const auto image_shifts = in.image_shifts;
  const auto entries = in.within_entries;
  const auto counts = in.within_counts;
  const auto within_unshifted = in.within_unshifted;
  const auto active = in.active;
  const int n_atoms = in.n_atoms;
  Kokkos::parallel_for(
      "eam::forces", atoms_of_pass(in), KOKKOS_LAMBDA(int64_t g) {
        const int r = static_cast<int>(g / n_atoms);
        if (!replica_is_active(active, r))
          return;
        const int64_t first = g - g % n_atoms;
        const NeighborImages<kHalf> images(boxes, image_shifts, r);
        const PairRecordsOf<Real> records_of_i(t, packed_element(atoms, g));
        const double fp_i = embedding_derivative(g);
        const double xi = atoms(g, 0), yi = atoms(g, 1), zi = atoms(g, 2);
        double fx = 0.0, fy = 0.0, fz = 0.0, energy = 0.0;
        double periodic[6] = {0.0, 0.0, 0.0, 0.0, 0.0, 0.0};  // Σ S⊗f over periodic pairs
        // Locals for the same reason as in compute_densities: the force stores could alias them.
        const int count = counts(g);
        const double inverse_dr_d = t.inverse_dr;
        const int nr = t.nr;
        // One pair within the cutoff: its force on both atoms (returned in f: the force on i) and
        // its energy.
        const auto add_pair = [&](uint32_t entry, const double xj[3], double fp_j, Real f[3]) {
          const int64_t gj = first + neighbor_index(entry);
          const double dx = xi - xj[0], dy = yi - xj[1], dz = zi - xj[2];
          const double rsq = dx * dx + dy * dy + dz * dz;
          const int ej = packed_element(atoms, gj);
          const double r_ij = kmath::sqrt(rsq);
          const SplinePosition at = spline_position(r_ij, inverse_dr_d, nr);
          const Real* record = records_of_i.at(ej, at.knot);
          const Real p = static_cast<Real>(at.fraction),
                     inverse_dr = static_cast<Real>(inverse_dr_d);
          // Slopes per grid step of the density atom i receives from j, of the density j
          // receives from i, and of z2 = r·φ(r) (the file's table); each d/dr is slope/δ.
          const SlopeWeights<Real> weights = slope_weights(p);
          const Real into_i_slope = spline_slope(record, weights);
          const Real into_j_slope = spline_slope(record + kSplineBlock, weights);
          const Real z2_slope = spline_slope(record + 2 * kSplineBlock, weights);
          const Real z2 = spline_value(record + 2 * kSplineBlock, p);
          const Real recip = Real(1) / static_cast<Real>(r_ij);
          const Real phi = z2 * recip;
          // ψ' = F′_i ρ′_{j→i} + F′_j ρ′_{i→j} + φ′ with φ′ = (z2′ − φ)/r: the three slopes are
          // combined first and divided by δ once.
          const Real psip = (static_cast<Real>(fp_i) * into_i_slope +
                             static_cast<Real>(fp_j) * into_j_slope + z2_slope * recip) *
                                inverse_dr -
                            phi * recip;
          const Real fpair = -psip * recip;
          f[0] = static_cast<Real>(dx) * fpair;
          f[1] = static_cast<Real>(dy) * fpair;
          f[2] = static_cast<Real>(dz) * fpair;
          fx += f[0];
          fy += f[1];
          fz += f[2];
          if (kHalf) {
            ordered_forces(gj, 0) -= f[0];
            ordered_forces(gj, 1) -= f[1];
            ordered_forces(gj, 2) -= f[2];
          }
          if (kEnergyVirial) {
            energy += Real(0.5) * phi;
            if (kHalf)
              atom_energy(gj) += Real(0.5) * phi;
          }
        };
        const auto add_unshifted_pair = [&](uint32_t entry, const double xj[3], double fp_j) {
          Real f[3];
          add_pair(entry, xj, fp_j, f);
        };
        const auto add_periodic_pair = [&](uint32_t entry, const double xj[3], double fp_j) {
          Real f[3];
          add_pair(entry, xj, fp_j, f);
          if (kEnergyVirial) {
            double shift[3], w[6];
            images.shift(entry, shift);
            const double force[3] = {f[0], f[1], f[2]};
            voigt_outer_product(shift, force, w);
            for (int c = 0; c < 6; ++c)
              periodic[c] += w[c];
          }
        };
        // F'(ρ_j) is a second gather per pair, issued with the position.
        const auto embedding_derivative_of = [&](uint32_t entry) {
          return embedding_derivative(first + neighbor_index(entry));
        };
        const int unshifted = within_unshifted(g);
        for_each_neighbor<!kHalf>(UnshiftedImages(), atoms, entries, g, first, 0, unshifted,
                                  embedding_derivative_of, add_unshifted_pair);
        for_each_neighbor<!kHalf>(images, atoms, entries, g, first, unshifted, count,
                                  embedding_derivative_of, add_periodic_pair);
        if (kHalf) {
          ordered_forces(g, 0) += fx;
          ordered_forces(g, 1) += fy;
          ordered_forces(g, 2) += fz;
        } else {
          const int64_t out = first + atom_at(g);
          forces(out, 0) += fx;
          forces(out, 1) += fy;
          forces(out, 2) += fz;
        }
        if (kEnergyVirial) {
          atom_energy(g) += energy;
          const double x[3] = {xi, yi, zi}, force[3] = {fx, fy, fz};
          double w[6];
          voigt_outer_product(x, force, w);
          for (int c = 0; c < 6; ++c)
            atom_virial(g, c) = kHalf ? -periodic[c] : w[c] - 0.5 * periodic[c];
        }
      });
}

// Adds per-atom energies into the batch and sums energies and virials per replica.
void reduce_energy_virial(const EamPassInputs& in, const AtomScalars& atom_energy,
                          const Kokkos::View<double* [6], MemSpace>& atom_virial, Batch& batch) {
  using Team = Kokkos::TeamPolicy<ExecSpace>::member_type;
  const int n_atoms = batch.n_atoms;
  const int first_replica = in.first_replica;
  const auto atom_at = in.atom_at;
  const auto active = in.active;
  auto per_atom_energy = batch.per_atom_energy;
  auto energy = batch.potential_energy;
  auto virial = batch.virial;
  Kokkos::parallel_for(
      "eam::reduce_energy_virial",
      Kokkos::TeamPolicy<ExecSpace>(in.end_replica - first_replica, Kokkos::AUTO),
      KOKKOS_LAMBDA(const Team& team) {
        const int r = first_replica + team.league_rank();
        if (!replica_is_active(active, r))
          return;
        const int64_t first = static_cast<int64_t>(r) * n_atoms;
        double sum = 0.0;
        Kokkos::parallel_reduce(
            Kokkos::TeamThreadRange(team, n_atoms),
            [&](int i, double& partial) {
              per_atom_energy(first + atom_at(first + i)) += atom_energy(first + i);
              partial += atom_energy(first + i);
            },
            sum);
        Kokkos::single(Kokkos::PerTeam(team), [&]() { energy(r) += sum; });
        for (int k = 0; k < 6; ++k) {
          double component = 0.0;
          Kokkos::parallel_reduce(
              Kokkos::TeamThreadRange(team, n_atoms),
              [&](int i, double& partial) { partial += atom_virial(first + i, k); }, component);
          Kokkos::single(Kokkos::PerTeam(team), [&]() { virial(r, k) += component; });
        }
      });
}

}  // namespace

void EamForceTerm::accumulate(Batch& batch, const EvalRequest& request) {
  if (batch.n_elements != tables_.n_elements)
    throw std::invalid_argument("EAM: the batch's element count differs from the potential's");
  const int n_rebuilt = neighbors_.update(batch, request.active);
  order_.update(batch, neighbors_, n_rebuilt);
  const int64_t total = batch.total_atoms();
  if (static_cast<int64_t>(rho_.extent(0)) != total) {
    rho_ = AtomScalars("eam::rho", total);
    embedding_derivative_ = AtomScalars("eam::embedding_derivative", total);
    atom_energy_ = AtomScalars("eam::atom_energy", total);
    atom_virial_ = Kokkos::View<double* [6], MemSpace>("eam::atom_virial", total);
    atoms_ = PackedAtoms("eam::atoms", total);
    ordered_forces_ = AtomVectors("eam::ordered_forces", total);
  }
  const auto& list = order_.entries;
  if (within_entries_.extent(0) != list.extent(0) || within_entries_.extent(1) != list.extent(1)) {
    within_entries_ = Kokkos::View<uint32_t**, MemSpace>(
        Kokkos::view_alloc(Kokkos::WithoutInitializing, "eam::within_entries"), list.extent(0),
        list.extent(1));
    within_counts_ = Kokkos::View<int*, MemSpace>("eam::within_counts", list.extent(0));
    within_unshifted_ = Kokkos::View<int*, MemSpace>("eam::within_unshifted", list.extent(0));
  }
  const bool half = neighbors_.kind() == NeighborListKind::Half;
  if (half) {
    if (static_cast<int>(image_shifts_.extent(0)) != batch.n_replicas)
      image_shifts_ = ImageShiftTable("eam::image_shifts", batch.n_replicas);
    fill_image_shifts(batch.boxes, image_shifts_);
  }
  EamPassInputs in{tables_,
                   atoms_,
                   order_.atom_at,
                   batch.boxes,
                   image_shifts_,
                   list,
                   order_.counts,
                   order_.unshifted_counts,
                   request.active,
                   batch.n_atoms,
                   within_entries_,
                   within_counts_,
                   within_unshifted_,
                   0,
                   0};
  const bool energy_virial = request.energy || request.virial;
  // The passes for one list kind, set of results and arithmetic (all compile-time choices).
  const auto passes = [&](auto half_list, auto with_energy_virial, auto real) {
    constexpr bool kHalf = decltype(half_list)::value;
    using Real = decltype(real);
    pack_atoms(in, batch);
    compute_densities<kHalf, Real>(in, rho_);
    constexpr bool kEnergyVirial = decltype(with_energy_virial)::value;
    compute_embedding(in, rho_, embedding_derivative_, atom_energy_, kEnergyVirial);
    compute_forces<kHalf, kEnergyVirial, Real>(in, embedding_derivative_, batch.forces,
                                               ordered_forces_, atom_energy_, atom_virial_);
    if (kHalf)
      scatter_forces(in, ordered_forces_, batch, atom_virial_, kEnergyVirial);
    if (kEnergyVirial)
      reduce_energy_virial(in, atom_energy_, atom_virial_, batch);
  };
  const auto for_kinds = [&](auto real) {
    using Yes = std::true_type;
    using No = std::false_type;
    if (half && energy_virial)
      passes(Yes{}, Yes{}, real);
    else if (half)
      passes(Yes{}, No{}, real);
    else if (energy_virial)
      passes(No{}, Yes{}, real);
    else
      passes(No{}, No{}, real);
  };
  // A host CPU runs the passes a few replicas at a time, so that one replica's list, atoms and
  // per-atom results are still in its caches when the next pass reads them (a 4000-atom replica's
  // half list alone is 1.2 MB); over all replicas at once, a batch of 64 reads them back from
  // memory. Each replica's results are the same either way. A GPU runs each pass once over all.
  const int per_chunk = replicas_per_pass(batch.n_atoms, batch.n_replicas);
  for (int first = 0; first < batch.n_replicas; first += per_chunk) {
    in.first_replica = first;
    in.end_replica = std::min(first + per_chunk, batch.n_replicas);
    if (precision_ == EamPrecision::Mixed)
      for_kinds(0.0f);
    else
      for_kinds(0.0);
  }
}

}  // namespace glassland
