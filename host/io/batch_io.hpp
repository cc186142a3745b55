// Moving structures between LAMMPS data files (host) and the replica batch (device), and
// turning a setfl potential into the EAM force term. The element mapping follows LAMMPS's
// `pair_coeff * * FILE El1 El2 ...`: type t of a data file is element type_elements[t-1].
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "host/io/lammps_data.hpp"
#include "host/io/setfl_potential.hpp"
#include "kernels/batch.hpp"
#include "kernels/eam_force.hpp"

namespace glassland {

// The potential's tables in the layout the EAM kernels use (LAMMPS's table selection).
EamTableData eam_table_data(const SetflPotential& potential);

// EAM term for the potential with the given neighbour skin (Å) and pair arithmetic.
std::unique_ptr<EamForceTerm> make_eam_term(const SetflPotential& potential, double skin,
                                            NeighborListKind kind = default_neighbor_list_kind(),
                                            EamPrecision precision = EamPrecision::Double);

// Element index (in the potential) of each data-file type: result[t-1]. Throws InputError if
// an element name is not in the potential, naming it and listing the potential's elements.
std::vector<int> map_types_to_elements(const std::vector<std::string>& type_elements,
                                       const std::vector<std::string>& potential_elements);

// A structure with the file it came from (for error messages).
struct NamedStructure {
  std::string name;
  LammpsData data;
};

// One batch holding the structures as replicas (same atom count required; boxes and species
// may differ). Element masses come from `element_masses` (the potential's, as LAMMPS's
// eam/fs and eam/alloy set them). Velocities are copied when present, zero otherwise.
Batch make_batch(const std::vector<NamedStructure>& structures,
                 const std::vector<std::string>& type_elements,
                 const std::vector<std::string>& potential_elements,
                 const std::vector<double>& element_masses);

// Host copy of a whole batch, taken in one transfer per array.
struct BatchSnapshot {
  int n_replicas = 0;
  int n_atoms = 0;
  std::vector<Box> boxes;
  std::vector<double> positions;         // [g*3 + k]
  std::vector<int> images;               // [g*3 + k]
  std::vector<double> velocities;        // [g*3 + k]
  std::vector<double> forces;            // [g*3 + k]
  std::vector<int> elements;             // [g]
  std::vector<int> ids;                  // [g]
  std::vector<double> potential_energy;  // [r]
  std::vector<double> virial;            // [r*6 + k]
};
BatchSnapshot snapshot(const Batch& batch);

// Replica r as LAMMPS data: element e is written as type (index of e in type_elements) + 1.
LammpsData replica_to_data(const BatchSnapshot& snapshot, int replica,
                           const std::vector<std::string>& type_elements,
                           const std::vector<std::string>& potential_elements,
                           const std::vector<double>& element_masses, bool with_velocities);

// Box from a data file's bounds and tilts.
Box box_from_data(const LammpsData& data);

}  // namespace glassland
