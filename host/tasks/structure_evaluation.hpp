// Evaluates LAMMPS data files with an EAM potential: files with the same atom count share one
// batch (one launch per pass for all of them). Used by `glassland eval` and the quickstart job.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "host/io/setfl_potential.hpp"

namespace glassland {

struct StructureEvaluation {
  std::string file;
  int n_atoms = 0;
  double energy = 0.0;             // eV
  double pressure = 0.0;           // bar, virial plus kinetic part when the file has velocities
  double volume = 0.0;             // Å³
  std::array<double, 6> virial{};  // eV, Σ r⊗f: xx yy zz xy xz yz
  std::vector<std::array<double, 3>> forces;  // eV/Å, in atom-ID order
  std::vector<int> ids;
};

struct EvaluationTiming {
  int n_batches = 0;
  double seconds_reading = 0.0;
  double seconds_first_evaluation = 0.0;  // includes neighbour-list build
};

// Each file is checked first (host/io/structure_checks.hpp): no two atoms closer than
// min_atom_distance (Å, 0: no check), no more element names than atom types.
std::vector<StructureEvaluation> evaluate_structures(const std::vector<std::string>& files,
                                                     const SetflPotential& potential,
                                                     const std::vector<std::string>& type_elements,
                                                     double skin, double min_atom_distance,
                                                     EvaluationTiming* timing = nullptr);

}  // namespace glassland
