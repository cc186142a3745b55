// LAMMPS as the test oracle (ARCHITECTURE.md, "Tests, from independent oracles"): runs `lmp`
// on a script in a scratch directory and reads back what it printed or dumped.
#pragma once

#include <array>
#include <map>
#include <string>
#include <vector>

namespace glassland::testing {

// A fresh directory build/tmp/NAME.PID, private to this test process (kept after the test for
// inspection until a later run of the same test replaces it).
std::string make_scratch_dir(const std::string& name);

// Runs LAMMPS on `script` (written to dir/in.lmp) with dir as the working directory; returns its
// screen output. Fails the calling test (ADD_FAILURE) and returns "" when lmp is missing or
// exits non-zero: tests that use LAMMPS start with GLASSLAND_REQUIRE_LAMMPS()
// (test_requirements.hpp), which skips them with the reason where LAMMPS is not installed.
std::string run_lammps(const std::string& dir, const std::string& script);

// Value printed by a script line `print "KEY value"` (the last such line), or NaN.
double printed_value(const std::string& output, const std::string& key);

struct LammpsEvaluation {
  double energy = 0.0;             // eV
  double volume = 0.0;             // Å³
  std::array<double, 6> virial{};  // eV (Σ r⊗f), from compute pressure NULL virial · V
  std::map<int, std::array<double, 3>> forces;  // by atom ID, eV/Å
};

// Energy, virial and forces of a data file with pair_style `pair_style` (eam/fs, eam/alloy)
// and `pair_coeff * * potential elements...`. LAMMPS pressures are converted back to virials
// with LAMMPS's own metal-units factor nktv2p = 1.6021765e6.
LammpsEvaluation lammps_evaluate(const std::string& dir, const std::string& data_file,
                                 const std::string& pair_style, const std::string& potential,
                                 const std::vector<std::string>& elements);

// The last progress line of the climbing-image stage of a LAMMPS `neb` run (its screen output,
// `Step MaxReplicaForce MaxAtomForce GradV0 GradV1 GradVc EBF EBR RDT RD1 PE1 ... RDN PEN`).
// valid is false, with the offending line in `line`, when there is no such line or it does not
// have n_images replicas.
struct LammpsNebLine {
  bool valid = false;
  std::string line;
  int climbing_replica = -1;       // as LAMMPS prints it (1-based)
  double max_replica_force = 0.0;  // eV/Å, what `neb`'s ftol is checked against
  double barrier_forward = 0.0, barrier_backward = 0.0;  // EBF, EBR (eV)
  std::vector<double> energies;                          // PE1 ... PEN (eV)
};
LammpsNebLine last_climbing_neb_line(const std::string& output, int n_images);

}  // namespace glassland::testing
