// A small Cu50Zr50 inherent structure for the ART tests: 432 atoms placed at random (minimum
// separation 2.1 Å) at the glass's number density, 0.0576 Å⁻³ (≈ 7.4 g/cm³), then minimised
// with FIRE to a largest atomic force of 1e-5 eV/Å with Mendelev's CuZr_mm.eam.fs. This is
// the inherent structure of an infinitely fast quench: a glass, but a poorly relaxed one, so
// its barriers sit lower than those of a quenched-and-annealed glass. The cubic box (19.6 Å)
// exceeds 2·(7.6 + 1.0) Å, as the neighbour list requires for a 1 Å skin.
// cuzr_structure_from_file() takes a melt-quenched glass instead (e.g. `task: prepare`'s
// inherent structure), which is what comparisons of barriers with other tools need: the random
// packing's landscape is so rough that one pair of minima is often joined by several paths.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "host/io/batch_io.hpp"
#include "host/io/lammps_data.hpp"
#include "host/io/potential_files.hpp"
#include "host/tasks/art/art_minimum.hpp"
#include "host/tasks/structure_builder.hpp"
#include "kernels/fire_minimizer.hpp"
#include "saddle/art.hpp"

namespace glassland {
namespace art_testing {

inline const std::string kPotentialPath = potential_file("CuZr_mm.eam.fs");

struct CuZrStructure {
  SetflPotential potential;
  LammpsData data;      // the minimised structure, as a data file would hold it
  ArtMinimum minimum;   // the same, for ArtEngine
  double energy = 0.0;  // eV
  double max_force = 0.0;
};

// Minimises `data` with FIRE to a largest atomic force of 1e-5 eV/Å and fills the structure.
inline CuZrStructure minimized_cuzr_structure(const SetflPotential& potential,
                                              const LammpsData& data) {
  CuZrStructure s;
  s.potential = potential;
  Batch batch =
      make_batch({{"structure", data}}, {"Cu", "Zr"}, s.potential.elements, s.potential.masses);
  ForceField field;
  field.add_term(make_eam_term(s.potential, 1.0));
  FireSettings settings;
  settings.tolerances.ftol = 1e-5;
  settings.tolerances.max_iterations = 200000;
  settings.tolerances.max_evaluations = 400000;
  const auto results = FireMinimizer(settings).minimize(batch, field);
  s.energy = results[0].final_energy;
  s.max_force = results[0].force_norm;
  const BatchSnapshot snap = snapshot(batch);
  s.minimum = art_minimum_from_snapshot(snap, 0);
  s.minimum.energy = s.energy;
  s.minimum.energy_known = true;
  s.data = replica_to_data(snap, 0, {"Cu", "Zr"}, s.potential.elements, s.potential.masses, false);
  return s;
}

inline CuZrStructure make_cuzr_inherent_structure(uint64_t seed, int n_atoms = 432) {
  StructureSpec spec;
  spec.lattice = "random";
  spec.n_atoms = n_atoms;
  spec.number_density = 0.0576;
  spec.min_separation = 2.1;
  spec.seed = seed;
  const LammpsData built = build_structure(spec, {"Cu", "Zr"}, {63.546, 91.224});
  return minimized_cuzr_structure(read_setfl(kPotentialPath, SetflFormat::FinnisSinclair), built);
}

// An inherent structure read from a LAMMPS data file (e.g. `task: prepare`'s is_NNNN.data),
// re-minimised with FIRE to 1e-5 eV/Å so that ART starts from a minimum of its own optimiser.
inline CuZrStructure cuzr_structure_from_file(const std::string& path) {
  return minimized_cuzr_structure(read_setfl(kPotentialPath, SetflFormat::FinnisSinclair),
                                  read_lammps_data(path));
}

// A batch of `n_replicas` copies of the structure (ArtEngine replaces positions per search).
inline Batch cuzr_batch(const CuZrStructure& s, int n_replicas) {
  std::vector<NamedStructure> copies(n_replicas, NamedStructure{"is", s.data});
  return make_batch(copies, {"Cu", "Zr"}, s.potential.elements, s.potential.masses);
}

// One-replica batch at the given positions (e.g. a saddle), box and species of the structure.
inline Batch batch_at(const CuZrStructure& s, const std::vector<double>& positions) {
  LammpsData data = s.data;
  for (int i = 0; i < data.n_atoms(); ++i)
    for (int k = 0; k < 3; ++k)
      data.positions[i][k] = positions[3 * i + k];
  for (auto& image : data.images)
    image = {0, 0, 0};
  return make_batch({{"config", data}}, {"Cu", "Zr"}, s.potential.elements, s.potential.masses);
}

}  // namespace art_testing
}  // namespace glassland
