// ART nouveau saddle searches as replica batches (SPEC.md §7): every replica of the batch is
// one search, with its own state machine, and all searches advance in lock step — one force
// evaluation of the whole batch per tick, whatever each search is doing with it (a push, a
// perpendicular relaxation step, a Lanczos finite-difference probe, a minimisation step).
//
// Method: G. T. Barkema & N. Mousseau, Phys. Rev. Lett. 77, 4358 (1996) (ART);
// R. Malek & N. Mousseau, Phys. Rev. E 62, 7723 (2000) (ART nouveau: Lanczos for the lowest
// mode); E. Machado-Charry et al., J. Chem. Phys. 135, 034102 (2011) and M.-C. Marinica et al.
// (perpendicular relaxation with FIRE, convergence on the largest atomic force). Defaults are
// those of Han et al., Phys. Rev. B 101, 064205 (2020) (paper 004): cluster radius 3.95 Å,
// initial displacement 0.10 Å, pushes of 0.15 Å, eigenvalue threshold −0.30 eV/Å², saddle
// force tolerance 0.05 eV/Å.
//
// One search:
//  1. evaluate the initial minimum; displace the centre atom and its neighbours within
//     cluster_radius by initial_displacement along a random unit vector of the cluster's
//     3n space (drawn from (seed, search id), so it does not depend on the batch);
//  2. activation: after each push of push_step along that direction, relax a few FIRE steps
//     in the hyperplane perpendicular to it, then find the lowest Hessian eigenvalue λ by
//     Lanczos; stop pushing once λ < eigenvalue_threshold;
//  3. convergence: step along the lowest eigenvector towards the saddle (a Newton step
//     F∥/λ, capped), relax perpendicular to it, re-run Lanczos from the last eigenvector,
//     until the largest atomic force is below saddle_force_tolerance;
//  4. check the saddle: λ1 < 0 by Lanczos at the saddle, and λ2 ≥ −second_eigenvalue_tolerance
//     by Lanczos deflated against the first eigenvector;
//  5. push over the saddle by push_over_distance along the eigenvector (away from the initial
//     minimum) and minimise (FIRE) to the final minimum; then push backwards and minimise:
//     the search is valid only when that returns the initial minimum within
//     connect_tolerance (largest atomic displacement) and the final minimum differs from it.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "kernels/batch.hpp"
#include "kernels/force_field.hpp"

namespace glassland {

struct ArtSettings {
  // Activation (paper 004 defaults).
  double cluster_radius = 3.95;         // Å around the centre atom (minimum image)
  double initial_displacement = 0.10;   // Å, norm of the initial 3n-vector displacement
  double push_step = 0.15;              // Å per push along the initial direction
  int max_pushes = 60;                  // pushes without λ < threshold: "never crossed"
  int lanczos_after_pushes = 1;         // no Lanczos before this many pushes (saves work)
  int relax_steps_activation = 4;       // FIRE steps ⊥ push direction after each push
  double eigenvalue_threshold = -0.30;  // eV/Å²
  // Convergence to the saddle.
  double saddle_force_tolerance = 0.05;  // eV/Å, largest atomic force
  int relax_steps_convergence = 4;       // FIRE steps ⊥ eigenvector after each step along it
  double eigen_step_max = 0.10;          // Å, cap on the step along the eigenvector
  int max_convergence_steps = 300;       // steps along the eigenvector: "max iterations"
  // When λ turns positive again during convergence the search goes back to pushing along its
  // initial direction (as ARTn does) at most this many times before it counts as "lost".
  int max_returns_to_activation = 2;
  // Lanczos (Hessian–vector products by forward finite differences of forces).
  int lanczos_max_iterations = 16;
  double lanczos_tolerance = 0.01;  // relative change of λ between iterations
  double lanczos_epsilon = 1e-4;    // Å, finite-difference step along the unit vector
  // At the saddle (both eigenvalues) Lanczos runs tighter, and the deflated pass restarts from
  // its own Ritz vector until λ2 changes by less than the tolerance between restarts: in a
  // glass the low end of the spectrum is dense, and one run of a few tens of iterations from a
  // random vector can miss a second negative mode (seen against the full Hessian).
  int second_lanczos_max_iterations = 32;
  double second_lanczos_tolerance = 1e-3;
  int second_lanczos_restarts = 8;
  // Valid saddle: λ1 < 0 and λ2 ≥ −second_eigenvalue_tolerance (eV/Å²). The tolerance allows
  // for the finite-difference error of a soft but stable mode; 0 makes the test strict.
  double second_eigenvalue_tolerance = 1e-3;
  // Project the three uniform translations out of every Lanczos vector (periodic systems:
  // they are zero modes). Must be false for one-particle analytic landscapes.
  bool remove_translations = true;
  // Push over the saddle and minimise.
  double push_over_distance = 0.15;  // Å, norm along the unit eigenvector
  // The forward minimisation ends at the final minimum, whose energy is reported (e_final, the
  // asymmetry): it runs to final_force_tolerance, tight enough that e_final is within 1e-6 eV
  // of the minimum (measured against LAMMPS, docs/art.md). The backward minimisation only has
  // to tell which minimum it reaches: minimize_force_tolerance.
  double final_force_tolerance = 1e-5;     // eV/Å, largest atomic force
  double minimize_force_tolerance = 1e-3;  // eV/Å, largest atomic force
  int minimize_max_steps = 5000;
  double connect_tolerance = 0.1;  // Å, largest atomic displacement for "same minimum"
  // FIRE 2.0 for the perpendicular relaxation and the minimisations, in mass-free units
  // (x += Δt v, v += Δt F: Δt² is in Å²/eV), with LAMMPS's per-step displacement cap.
  double fire_dt_initial = 0.1;
  double fire_dt_max = 0.2;
  double fire_max_displacement = 0.1;  // Å per Cartesian component per step
  // Bookkeeping.
  double participation_threshold = 0.1;  // Å: atoms displaced more at the saddle take part
  // Fault check (issue 16; kernels/replica_faults.hpp): a push, a step along the eigenvector or
  // a FIRE step that would move an atom farther than this stops the search before it moves
  // (outcome step_too_long), as the dynamics' check does. Every one of those moves is capped far
  // below it (push_step, eigen_step_max, fire_max_displacement), so only a non-finite step or a
  // push_step set above it reaches it. The deliberate jumps (back to the saddle, to the minimum
  // of the next search) are not moves of the search and are not checked.
  double max_step_displacement = 1.0;  // Å, as FaultLimits::max_step_displacement
  uint64_t seed = 1;
};

// Why a search ended.
enum class ArtOutcome : int {
  running = 0,
  success = 1,
  never_crossed = 2,               // λ stayed above the threshold for max_pushes pushes
  max_convergence_steps = 3,       // no saddle within max_convergence_steps
  lost_eigenvalue = 4,             // λ became positive again during convergence
  first_eigenvalue_positive = 5,   // λ1 ≥ 0 when re-measured at the saddle
  second_eigenvalue_negative = 6,  // λ2 < −tolerance: not a first-order saddle
  minimization_failed = 7,         // forward or backward minimisation hit its step cap
  fell_back = 8,                   // pushed over, the search came back to the initial minimum
  not_connected = 9,               // pushed backwards, it did not return to the initial minimum
  non_finite = 10,                 // NaN/Inf energy
  lanczos_only = 11,               // internal: a Lanczos-only measurement finished
  // The fault check of every evaluation and move (issue 16; as kernels/replica_faults.hpp): the
  // search stops where it is, before a non-finite or runaway position reaches a force
  // evaluation. ArtReplicaState::fault_atom names the atom.
  non_finite_forces = 12,     // NaN/Inf force on an atom (energy finite)
  non_finite_positions = 13,  // NaN/Inf position (or a box that is not usable)
  step_too_long = 14,         // a move of more than max_step_displacement (fault_value, Å)
};
inline constexpr ArtOutcome kLastArtOutcome = ArtOutcome::step_too_long;
// Whether a search ended on the fault check (its numbers, not the method, broke down): such a
// search is a failed replica of the run (faults.json, exit code 3).
inline bool is_fault(ArtOutcome outcome) {
  return outcome == ArtOutcome::non_finite || outcome == ArtOutcome::non_finite_forces ||
         outcome == ArtOutcome::non_finite_positions || outcome == ArtOutcome::step_too_long;
}
std::string to_string(ArtOutcome outcome);

// Per-replica scalar state of a search, kept on the device as one struct per replica.
struct ArtReplicaState {
  int status = 0;  // ArtOutcome
  int stage = 0;   // art_detail::Stage
  int micro = 0;   // art_detail::Micro: what the next force evaluation is for
  int pushes = 0;
  int relax_count = 0;
  int convergence_steps = 0;
  int minimize_steps = 0;
  int lanczos_iteration = 0;
  int lanczos_pass = 0;  // at the saddle: 0 first eigenvalue, 1 second (deflated)
  int deflate = 0;
  int have_eigenvector = 0;
  int want_second = 0;          // Lanczos-only use: also measure the second eigenvalue
  int evaluations = 0;          // force evaluations spent on this search
  int lanczos_evaluations = 0;  // of which Lanczos probes
  int fire_step = 0, fire_last_negative = 0, fire_uphill = 0;
  int center_atom = -1;
  int64_t search_id = -1;
  double e_current = 0.0, e_initial = 0.0, e_saddle = 0.0, e_final = 0.0;
  double lambda = 0.0, lambda_previous = 0.0, lambda1 = 0.0, lambda2 = 0.0;
  double fire_dt = 0.0, fire_alpha = 0.0;
  double saddle_max_force = 0.0;
  double final_max_force = 0.0;        // eV/Å, largest atomic force at the final minimum
  double backward_displacement = 0.0;  // Å, largest atomic, backward minimum vs initial
  int returns_to_activation = 0;
  int fault_atom = -1;       // fault outcomes: replica-local index of the atom; −1: none/the box
  double fault_value = 0.0;  // step_too_long: the move, Å
};

// One search's record, on the host.
struct ArtEvent {
  int64_t search_id = -1;
  int minimum_id = -1;
  int center_atom = -1;
  ArtOutcome outcome = ArtOutcome::running;
  bool success = false;
  double e_initial = 0.0, e_saddle = 0.0, e_final = 0.0;  // eV
  double barrier = 0.0;                                   // E_saddle − E_initial
  double asymmetry = 0.0;                                 // E_final − E_initial
  double lambda1 = 0.0, lambda2 = 0.0;                    // eV/Å² at the saddle
  double saddle_max_force = 0.0;                          // eV/Å at the saddle
  double final_max_force = 0.0;                           // eV/Å at the final minimum
  double backward_max_displacement = 0.0;  // Å, backward minimum vs initial (connectivity)
  double saddle_displacement_norm = 0.0, saddle_max_displacement = 0.0;  // Å, from initial
  double final_displacement_norm = 0.0, final_max_displacement = 0.0;    // Å, from initial
  std::vector<int> participating_atoms;  // 0-based indices moved > threshold at the saddle
  int pushes = 0, convergence_steps = 0;
  int force_evaluations = 0, lanczos_evaluations = 0;
  // Configurations (replica positions [i*3+k], as minimum-image displacements added to the
  // initial minimum, i.e. unwrapped relative to it); filled for successful events when kept.
  std::vector<double> saddle_positions, final_positions;
  int final_minimum_id = -1;  // walks: the minimum the event leads to
  int fault_atom = -1;        // fault outcomes (is_fault): atom index (0-based); −1: none
  double fault_value = 0.0;   // step_too_long: the move that was refused, Å
};

// A minimum to search from (host copy).
struct ArtMinimum {
  std::vector<double> positions;  // [i*3+k], Å
  std::vector<int> elements;      // [i]
  Box box;
  double energy = 0.0;  // eV, filled by the engine's first evaluation
  bool energy_known = false;
};

enum class CenterSelection { listed, random_of_species, every_atom };

struct ArtRunRequest {
  int target_successes = 20;  // total successful events wanted (summed over centres)
  int max_attempts = 1000;    // searches started, at most
  CenterSelection selection = CenterSelection::random_of_species;
  std::vector<int> centers;  // listed: atom indices (0-based), used in turn
  int species = -1;          // random_of_species: element index; −1 = any atom
  // every_atom / listed: this many successes per (minimum, centre) pair, at most
  // max_attempts_per_center searches each (paper 004: 20 per cluster).
  int successes_per_center = 1;
  int max_attempts_per_center = 5;
  std::vector<int> minima;  // minimum ids to search from, in turn; empty = all
  bool walk = false;        // accept final states and search again from them
  // Walks: the minimum each slot searches from first (one per replica; a walk continued from
  // a checkpoint passes the walkers the previous call returned); empty = the minima in turn.
  std::vector<int> walkers;
  bool keep_configurations = true;
  int host_check_interval = 5;  // ticks between the host's looks at finished searches
  // Id of the first search started; later ones count up from it. A search's random numbers
  // (and, for random centres, its centre and minimum) depend only on (seed, search id), so a
  // run split into several calls (checkpoints) continues the sequence of one long run.
  int64_t first_search_id = 0;
  // Called on the host after each look that found ended searches, with the successes and the
  // searches ended so far in this call (progress lines); may be empty.
  std::function<void(int successes, int64_t ended)> on_searches_ended;
};

// Connectivity of a walk: minimum_a --event--> minimum_b.
struct ArtConnection {
  int minimum_a = -1, minimum_b = -1;
  size_t event_index = 0;
};

struct ArtRunResult {
  std::vector<ArtEvent> events;  // every search that ended, in order of search id
  int attempts = 0, successes = 0;
  std::vector<ArtConnection> connections;
  int64_t batch_evaluations = 0;  // ForceField::compute calls (ticks)
  int64_t next_search_id = 0;     // id the next search would get (first_search_id + started)
  std::vector<int> walkers;       // walks: the minimum each slot would search from next
};

// Lowest modes at the batch's current positions (Lanczos-only use of the engine).
struct LanczosModes {
  std::vector<double> lambda1, lambda2;  // per replica, eV/Å²
  std::vector<double> eigenvector;       // [g*3+k], unit per replica
  std::vector<int> evaluations;          // force evaluations per replica
};

struct ArtDeviceViews;  // defined in art.cpp

class ArtEngine {
 public:
  // The batch's replicas become search slots; its atom count, species count and element
  // masses are those of every minimum added. The force field must be usable on the batch.
  ArtEngine(Batch& batch, ForceField& force_field, const ArtSettings& settings);
  ~ArtEngine();
  ArtEngine(const ArtEngine&) = delete;
  ArtEngine& operator=(const ArtEngine&) = delete;

  // Registers a minimum (it should be minimised already); returns its id.
  int add_minimum(const ArtMinimum& minimum);
  // Minimum id `r`'s state from replica r of a batch snapshot-like host arrays.
  const std::vector<ArtMinimum>& minima() const { return minima_; }

  // Runs searches until request.target_successes events succeeded (or attempts run out),
  // refilling finished slots with new searches.
  ArtRunResult run(const ArtRunRequest& request);

  // Lowest eigenvalue (and, with second = true, the second by deflation) of every replica's
  // Hessian at the batch's current positions; start[g*3+k] is the Lanczos start vector (empty:
  // a random one).
  LanczosModes lowest_modes(bool second, const std::vector<double>& start = {});

  const ArtSettings& settings() const { return settings_; }

  // One lock-step tick: a force evaluation of every running search and its state machine
  // step. Public because CUDA extended lambdas may not sit in private member functions.
  void tick();
  void start_slots(const std::vector<int>& slot_minimum, const std::vector<int64_t>& slot_search,
                   const std::vector<int>& slot_center, bool lanczos_only);

 private:
  Batch& batch_;
  ForceField& field_;
  ArtSettings settings_;
  std::vector<ArtMinimum> minima_;
  ArtDeviceViews* views_;
};

// Finds the minimum within `tolerance` (largest atomic minimum-image displacement) and
// energy_tolerance of `positions` among `minima`; −1 if none.
int find_matching_minimum(const std::vector<ArtMinimum>& minima,
                          const std::vector<double>& positions, double energy, double tolerance,
                          double energy_tolerance);

}  // namespace glassland
