// The "system" section shared by every task: which structures become the replicas of the batch,
// the potential, the element of each atom type, and the neighbour skin (docs/inputs.md).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "host/io/batch_io.hpp"
#include "host/io/json_input.hpp"
#include "host/io/setfl_potential.hpp"
#include "host/io/structure_checks.hpp"
#include "kernels/batch.hpp"
#include "kernels/force_field.hpp"

namespace glassland {

// The load-time checks of the system section (host/io/structure_checks.hpp): no two atoms
// closer than `system.min_atom_distance`, and, where `system.elements` was given, no more
// element names than a file has atom types.
struct StructureChecks {
  double min_atom_distance = kDefaultMinAtomDistance;  // Å; 0: no overlap check
  bool elements_given = false;
  std::vector<std::string> type_elements;
  // Throws InputError naming the structure's file.
  void apply(const NamedStructure& structure) const;
};

struct TaskSystem {
  SetflPotential potential;
  std::vector<std::string> type_elements;  // element of each data-file type
  std::vector<std::string>
      replica_sources;         // where each replica came from (file or "build seed N")
  double neighbor_skin = 1.0;  // Å
  EamPrecision precision = EamPrecision::Double;  // system.precision
  StructureChecks checks;  // what every structure read for this system must pass
  Batch batch;
  ForceField force_field;
  std::vector<double> element_masses() const { return potential.masses; }
};

// The force-field keys of a system section: potential, potential_format, elements (of the
// data-file types), neighbor_skin and precision. read_task_system reads them; a task whose replicas
// come from elsewhere (neb: its endpoint pairs) reads them alone.
struct SystemPotential {
  SetflPotential potential;
  std::vector<std::string> type_elements;  // element of each data-file type
  double neighbor_skin = 1.0;              // Å
  EamPrecision precision = EamPrecision::Double;
  StructureChecks checks;
};
SystemPotential read_system_potential(InputObject& section);

// Reads input["system"] and builds the batch (on the device) and its EAM force field.
// `default_replicas`: how many replicas a single structure is copied into when the input does
// not say (tasks that need one replica per tracer or search pass their count).
std::unique_ptr<TaskSystem> read_task_system(InputObject& input, int default_replicas = 1);

// "Cu:0.5" strings → (element, fraction) pairs; throws InputError naming `what` on a malformed
// item or when the fractions do not add up to 1 within kCompositionSumTolerance (the builder
// then normalises them exactly).
inline constexpr double kCompositionSumTolerance = 0.01;
std::vector<std::pair<std::string, double>> parse_composition(const std::vector<std::string>& items,
                                                              const std::string& what);

// Writes replica r of the batch as a LAMMPS data file (types as the system's type_elements).
void write_replica_data(const TaskSystem& system, int replica, const std::string& path,
                        bool with_velocities);

}  // namespace glassland
