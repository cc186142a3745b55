// Builds crystalline or random starting structures with a given composition and a seeded
// random assignment of species (SPEC.md §3: melt-and-quench starts from such a structure).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "host/io/lammps_data.hpp"

namespace glassland {

struct StructureSpec {
  // "b2" (CsCl, 2 sites), "bcc" (2), "fcc" (4), "sc" (1), or "random" (random close-ish
  // packing: random positions with a minimum separation at the given number density).
  std::string lattice = "b2";
  double lattice_constant = 3.26;  // Å (lattices)
  std::array<int, 3> cells{6, 6, 6};
  int n_atoms = 0;              // random: number of atoms
  double number_density = 0.0;  // random: atoms/Å³
  double min_separation = 2.0;  // random: Å
  // Element name → fraction; fractions are normalised; counts are rounded so they add up to N
  // (largest remainders first), then species are shuffled over sites with the seed.
  std::vector<std::pair<std::string, double>> composition{{"Cu", 0.5}, {"Zr", 0.5}};
  uint64_t seed = 1;
};

// Returns the structure as LAMMPS data; type t (1-based) is element type_elements[t-1], whose
// masses are taken from type_masses (may be empty: no Masses). Every element in the composition
// must be in type_elements. Lattice sites are numbered as LAMMPS create_atoms numbers them
// (z, then y, then x, then basis), and "b2" is chemically disordered like the others: its two
// sublattices get species from the same shuffle. The same seed gives the same structure with
// any standard library (own draws from std::mt19937_64). Throws InputError for an unknown
// lattice or element, bad numbers, or a random packing that cannot be reached.
LammpsData build_structure(const StructureSpec& spec, const std::vector<std::string>& type_elements,
                           const std::vector<double>& type_masses);

// A slab with two free surfaces normal to z (paper 002; SPEC.md §1, §9): the box grows by
// `each_side` Å of vacuum below and above (zlo − each_side, zhi + each_side), atoms keep their
// positions, and their z image flags are cleared because the slab is no longer periodic along z
// (x and y stay periodic). Throws InputError for a negative thickness.
void add_vacuum_along_z(LammpsData& data, double each_side);

}  // namespace glassland
