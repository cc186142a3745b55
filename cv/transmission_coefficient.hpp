// Transmission coefficient κ of a transition along a CV by reactive-flux shooting: the
// recrossing correction of a transition-state-theory rate, k = κ·k_TST.
//
// Why: the rate a tracer's FES gives, ν0 exp(−ΔG/k_B T), is the TST rate of crossing the
// dividing surface s = s* (the FES saddle). It counts every crossing; a hop counts only the
// crossings after which the atom settles on the other side. For the hop distance of one atom
// in a metallic glass most crossings return (docs/validation.md measures 40–500 crossings per
// committed one), so the TST rate overestimates the hop rate by that factor. κ measures it.
//
// Method: the Bennett–Chandler reactive flux in the positive-flux form that counts each
// transition path once (Anderson, J. Chem. Phys. 58, 4684 (1973); Bennett (1977); Chandler,
// J. Chem. Phys. 68, 2959 (1978); van Erp, Moroni & Bolhuis, J. Chem. Phys. 118, 7762 (2003);
// Frenkel & Smit, "Understanding Molecular Simulation", 2nd ed., §16.3):
//   κ = ⟨ṡ θ(ṡ) h⟩_{s=s*} / ⟨ṡ θ(ṡ)⟩_{s=s*},
// ṡ the CV's velocity towards the product side B. A path is counted at its last crossing, the
// one after which it settles, as the event rule does: h = 1 when the trajectory through the
// configuration, run forwards, stays on B for the commitment time at once (this crossing
// commits), and, run backwards in time, does not commit to B before it commits to A (the path
// did not come from B; a backward half that commits to neither within max_shot_time counts as
// coming from A, as a tracer's first event has no B before it). The first-crossing form
// (backward commits to A without recrossing, forward commits to B) counts the same paths when A
// is metastable on the commitment time, but not when the CV re-crosses s* faster than it can
// commit to A, which is common for a hop distance whose saddle lies inside the cage (measured:
// tests/slow/test_metad_vs_md_rate.cpp). Only positive-flux shots with h = 1 contribute, which
// keeps the variance low when κ ≪ 1.
//
// "Commits" is the event rule of task metad (cv/free_energy.hpp, detect_first_event): the CV,
// sampled every `sample_stride` steps, stays on one side of s* for `commitment_time`. So κ·k_TST
// is the rate of exactly the events metad reports and an unbiased MD run counts.
//
// Sampling the surface: per replica, a chain of MD with a stiff harmonic restraint
// ½k(s − s*)² on the CV (a static bias on the CV grid, as PLUMED's RESTRAINT), decorrelated
// between shots; each shot configuration is then moved onto s = s* exactly by Newton steps along
// ∇s (a displacement of order sqrt(k_B T/k), 0.06 Å for k = 20 eV/Å² at 800 K), and given
// fresh Maxwell–Boltzmann velocities (total momentum removed); if the CV moves towards A, all
// velocities are reversed (same Maxwell weight), and the shot's flux weight is |ṡ|. The forward
// half runs first and stops at its first sample back on A; only shots whose forward half
// committed run the backward half (the same configuration, velocities reversed). Shots use the
// unbiased dynamics (the caller's integrator settings: the ensemble of the sampling).
//
// All replicas shoot at once, one batch launch per step; a replica whose shot is decided stops
// (masked) until the slowest one of the round is decided. Every step of the chains and the shots
// is followed by the fault check (kernels/replica_faults.hpp): a replica that blows up stops
// shooting, its estimate keeps the fault, and the others go on as without it.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "cv/cv_set.hpp"
#include "kernels/batch.hpp"
#include "kernels/force_field.hpp"
#include "kernels/md_integrator.hpp"
#include "kernels/replica_faults.hpp"

namespace glassland {

// Where replica r's transition crosses: s = position, product side s > position (direction
// +1) or s < position (−1). Replicas with defined = false are skipped.
struct DividingSurface {
  bool defined = false;
  double position = 0.0;
  int direction = +1;
};

struct ReactiveFluxSettings {
  int shots = 64;                      // per replica
  double restraint_stiffness = 20.0;   // k, eV per CV unit² (the surface's thickness sqrt(k_BT/k))
  int64_t equilibration_steps = 1000;  // restrained steps before the first shot
  int64_t decorrelation_steps = 100;   // restrained steps between shots
  double commitment_time = 1.0;        // ps on one side that commits (metad's event_dwell)
  int64_t sample_stride = 10;          // steps between the CV samples of a shot
  double max_shot_time = 4.0;          // ps: a forward shot not committed by then is undecided
  // Grid of the restraint (CV units) and whether the CV is taken in the centre-of-mass frame
  // (as the metadynamics bias of the same run: MetadynamicsSettings).
  double grid_lower = 0.0, grid_upper = 10.0, grid_spacing = 0.01;
  bool centre_of_mass_frame = false;
};

// The unbiased dynamics of the shots and the restrained chain: the integrator (ensemble,
// timestep), per replica the temperature (thermostat target, also the velocities'
// temperature), the thermostat τ (ps) and a seed (velocities and stochastic thermostats; derive
// it from the tracer, not the batch slot, for batch invariance).
struct ShootingDynamics {
  IntegratorSettings integrator;
  std::vector<double> temperature;
  std::vector<double> thermostat_tau;
  std::vector<uint64_t> seeds;
};

enum class ShotOutcome : int {
  reactive = 1,                     // forward stays on B for the commitment time at once; backward
                                    // commits to A before B
  forward_recrossed = 2,            // the forward half came back to A within the commitment time
  backward_from_product = 3,        // the backward half committed to B first: a return to B
  reactive_backward_undecided = 4,  // as reactive, but the backward half committed to neither
                                    // side within max_shot_time (counted as reactive: no B
                                    // before it, as for a tracer's first event)
};

struct TransmissionEstimate {
  bool computed = false;
  int shots = 0;
  int reactive = 0;
  int undecided = 0;                 // reactive shots whose backward half committed to neither side
  double kappa = 0.0;                // Σ w h / Σ w
  double standard_error = 0.0;       // of the ratio estimator (delta method)
  std::vector<double> flux_weights;  // |ṡ| per shot, CV units/ps
  std::vector<int> outcomes;         // ShotOutcome per shot
  // A replica whose chain or shot blew up (kernels/replica_faults.hpp) stops shooting: its
  // fault (cause none otherwise); `computed` stays false.
  FaultRecord fault;
};

// Where a run of shots stands between rounds, with the batch holding the restrained chains'
// configurations and velocities: what a driver checkpoints, and what resumes the run bitwise.
struct ReactiveFluxProgress {
  int shots_done = 0;
  std::vector<TransmissionEstimate> estimates;  // per replica, the shots so far
  IntegratorState chain_state;                  // the restrained chains' integrator state
};

// κ per replica. `batch` holds each replica's starting configuration (near its surface, on the
// initial side); its positions and velocities are overwritten. `cvs`: one definition per
// replica, references anchored. `make_physical_term` builds the physical force term (EAM, an
// analytic landscape) — called twice, for the unbiased and the restrained force fields.
// `after_round(progress)` is called after every round, the batch back at the chains' state.
// `resume`: continue a run from such a state (the batch loaded with the chains' configurations
// and velocities as they were then). Throws std::invalid_argument on bad settings,
// std::runtime_error if a restrained CV leaves the restraint grid.
std::vector<TransmissionEstimate> estimate_transmission_coefficients(
    Batch& batch, const std::function<std::unique_ptr<ForceTerm>()>& make_physical_term,
    const std::vector<CvDefinition>& cvs, const std::vector<DividingSurface>& surfaces,
    const ShootingDynamics& dynamics, const ReactiveFluxSettings& settings,
    const std::function<void(const ReactiveFluxProgress&)>& after_round = {},
    const ReactiveFluxProgress* resume = nullptr);

// Moves the CV's atoms, unwrapped positions x ([n][3] flattened, the order of cv.atoms), onto
// s = target by Newton steps along ∇s, each the smallest displacement that reaches the target to
// first order; for any registered CV. Returns false if 50 steps do not reach |s − target| <
// 1e-10 (or ∇s vanishes). How each shot's configuration is put on the dividing surface.
bool move_onto_cv_surface(const CvDefinition& cv, const Box& box, std::vector<double>& x,
                          double target);

// κ and its standard error from per-shot flux weights and outcomes (the estimator above).
void summarize_shots(TransmissionEstimate& estimate);

}  // namespace glassland
