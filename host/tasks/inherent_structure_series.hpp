// Inherent structures on the fly (SPEC.md §4, §10; paper 003's E_IS(t)): every `stride` steps of
// an MD stage, copies of all replicas are quenched in one batched minimisation
// (inherent_structures.hpp, minimize_copies: their own batch and force field, so the MD state is
// not touched and the dynamics are bitwise those of a run without them), and per replica the
// inherent-structure energy, its stress, the quench's status and, optionally, the structure as a
// LAMMPS data file are recorded. The records go into the stage's segmented results as
// observables/inherent_structure/<name> (one column per replica), so they are checkpointed, cut
// back and rewritten on a restart exactly like the thermo record. Read from
// md.inherent_structures (docs/tasks.md).
#pragma once

#include <cstdint>
#include <vector>

#include "host/io/h5md_writer.hpp"
#include "host/io/json_input.hpp"
#include "host/tasks/inherent_structures.hpp"
#include "host/tasks/segmented_results.hpp"

namespace glassland {

struct TaskSystem;
class TaskRun;

struct InherentStructureSeriesSettings {
  int64_t stride = 0;  // steps between quenches; 0: off
  MinimizeSettings minimize;
  bool write_structures = false;
};

// md.inherent_structures (absent: stride 0). Exactly one of `stride` (steps) and `interval_ps`
// (a whole number of time steps) gives the spacing.
InherentStructureSeriesSettings read_inherent_structure_series(InputObject& md_section,
                                                               int n_replicas, double timestep);

// The columns under observables/inherent_structure/: energy (eV), pxx … pyz (bar, the virial
// pressure of the inherent structure, no kinetic part; LAMMPS sign), converged (1 or 0),
// iterations, max_force (eV/Å).
const std::vector<H5mdObservableSet::Column>& inherent_structure_columns();

class InherentStructureSeries {
 public:
  InherentStructureSeries(const InherentStructureSeriesSettings& settings,
                          const TaskSystem& system);
  bool enabled() const { return settings_.stride > 0; }
  // Declares the observables; call before the first part of `results` is opened.
  void declare(SegmentedResults& results);
  bool due(int64_t step) const { return enabled() && step % settings_.stride == 0; }
  // Quenches copies of every replica of the system's batch as it is now and records them.
  void record(int64_t step, double time, TaskRun& run, SegmentedResults& results);

 private:
  InherentStructureSeriesSettings settings_;
  const TaskSystem& system_;
  int set_ = -1;
};

}  // namespace glassland
