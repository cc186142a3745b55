// Replicas that failed (issue 16 item 1): what a run says about a replica whose dynamics blew up
// (kernels/replica_faults.hpp flags it on the device) or whose minimisation, saddle search or band
// met non-finite numbers. Each failure is recorded with the replica, the stage, the step, the
// cause and the likely remedy ("time step 0.05 ps too large at 2000 K; try ≤ 0.002 ps"); the
// other replicas go on. TaskRun (host/tasks/task_run.hpp) keeps the log: it is saved in every
// checkpoint, written to faults.json, named in the closing summary, and turned into the
// program's exit code (ReplicasFailed; host/cli/main.cpp, docs/inputs.md). When every replica
// has failed there is nothing left to run: the run ends at once with an error naming them all.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "kernels/batch.hpp"
#include "kernels/replica_faults.hpp"

namespace glassland {

struct ReplicaFailure {
  std::string unit = "replica";  // what `replica` counts: a batch replica, an ART search, a band
  int replica = -1;
  std::string stage;
  int64_t step = 0;    // the step (or iteration) at which it was stopped
  std::string cause;   // FaultCause or minimiser/search status name ("step_too_long")
  std::string detail;  // what was seen ("atom 17 would move 3.2 Å in one step")
  std::string remedy;  // what to change
  nlohmann::json to_json() const;
  static ReplicaFailure from_json(const nlohmann::json& record);
  // "replica 1 (stage dynamics, step 12): <detail>; <remedy>"
  std::string describe() const;
};

// Thrown by TaskRun once the results of a run in which some replicas failed are written (or at
// once, when all of them did). host/cli/main.cpp turns it into
// ExitCode::replicas_failed (host/cli/exit_codes.hpp).
class ReplicasFailed : public std::runtime_error {
 public:
  ReplicasFailed(const std::string& message, bool every_one)
      : std::runtime_error(message), every_one_(every_one) {}
  // True when every replica failed and the run stopped (an error); false when the run finished
  // with the others' results.
  bool every_one() const { return every_one_; }

 private:
  bool every_one_;
};

// What the host knows about a run when it reads a fault: to say why and what to change.
struct FaultContext {
  std::string stage;
  double timestep = 0.0;  // ps
  FaultLimits limits;
  // Whether the batch still holds the replica as the check saw it (false: it has moved on, so
  // its atoms say nothing about the fault).
  bool configuration_at_fault = true;
};

// The failure a device fault record means, with its diagnosis: for an atom that raised it, the
// nearest other atom (atoms closer than 1 Å sit on top of each other; at step 0 that is the
// starting structure); otherwise whether the time step is too large for the temperature (an
// atom's thermal step √(3k_BT/m)·dt above 0.02 Å, for the lightest element: 0.002 ps for Cu at
// 2000 K; LAMMPS's metal default is 0.001 ps). `batch` holds the replica as the check saw it.
ReplicaFailure diagnose_fault(const FaultRecord& fault, const Batch& batch,
                              const FaultContext& context);

// Largest time step (ps, of 1, 2, 5 × 10^k) whose thermal step at `temperature` (K) for the
// lightest of `masses` (amu) is at most 0.02 Å.
double recommended_timestep(double temperature, const std::vector<double>& masses);

// Fills `failure.detail` and `failure.remedy` for a replica (batch slot `slot`) whose
// minimisation, saddle search or band stopped on non-finite numbers, from the batch as it stopped:
// the first atom with a non-finite force and its nearest neighbour, when there is one.
void diagnose_non_finite(ReplicaFailure& failure, int slot, const Batch& batch);

}  // namespace glassland
