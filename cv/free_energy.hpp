// Free-energy surfaces from well-tempered metadynamics and the first event of a tracer
// (SPEC.md §5; paper 000, Wang et al., Acta Mater. 2018: ΔG of the first hop from the FES, hop
// distance a, rate ν = ν0 exp(−ΔG/k_B T); paper 001, Yang et al., PRB 2020). Host functions on
// plain arrays, so each piece is testable on hand-made numbers.
//
// FES: F(s) = −((T + ΔT)/ΔT) V(s) + C (Barducci, Bussi & Parrinello, PRL 100, 020603 (2008)),
// C chosen so that min F = 0 on the grid.
//
// Barrier of the first transition (find_first_barrier): starting at the CV's initial value s0,
// walk along the grid in one direction with a prominence threshold p (hysteresis, so that grid
// noise and small bumps of height < p are ignored):
//   * the saddle is the highest point of the first rise of at least p that is followed by a drop
//     of at least p (so a "maximum" is only accepted when another basin lies behind it);
//   * the next basin's minimum is the lowest point after the saddle before F rises again by p
//     (or the analysed range ends);
//   * the initial minimum is the lowest point of the initial basin, between the confirmed
//     saddles on either side of s0 (or the ends of the analysed range).
//   ΔG = F(saddle) − F(initial minimum); the hop distance a = s at the next basin's minimum.
//
// First event (detect_first_event): the first sample at which the CV is beyond a confirmed
// saddle of the initial basin (on either side) and stays beyond it for the dwell time, i.e. the
// CV left its initial basin and settled in another. Default p = 2 k_B T (grid noise of a
// converged WT-MetaD FES is a fraction of k_B T), default dwell 1 ps (several vibrational
// periods of an atom in a metallic glass, ~0.1–0.3 ps, so recrossings right after the saddle
// are not counted as events).
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include "cv/metadynamics_bias.hpp"

namespace glassland {

// V(s_k) = Σ_hills h exp(−(s_k − c)²/2σ²), direct sum over the first `count` hills.
std::vector<double> bias_from_hills(const std::vector<Hill>& hills, const std::vector<double>& s,
                                    size_t count = std::numeric_limits<size_t>::max());

// F = −((T + ΔT)/ΔT) V, shifted so that its minimum is 0. bias_temperature = T + ΔT (K).
std::vector<double> free_energy_from_bias(const std::vector<double>& bias, double temperature,
                                          double bias_temperature);

struct FesSnapshot {
  size_t n_hills = 0;  // hills summed
  int64_t step = 0;    // step of the last hill summed
  double time = 0.0;   // ps, of the last hill summed
  std::vector<double> free_energy;
};

// FES rebuilt from the hills after every `every` depositions (and after the last one): the
// time evolution of the reconstruction, for convergence checks.
std::vector<FesSnapshot> fes_history(const std::vector<Hill>& hills, const std::vector<double>& s,
                                     double temperature, double bias_temperature, size_t every);

struct FirstBarrier {
  bool found = false;          // a saddle with a basin behind it exists in this direction
  int direction = +1;          // +1: towards larger s, −1: towards smaller s
  size_t initial_minimum = 0;  // grid indices
  size_t saddle = 0;
  size_t next_minimum = 0;
  double initial_minimum_s = 0.0, initial_minimum_f = 0.0;
  double saddle_s = 0.0, saddle_f = 0.0;
  double next_minimum_s = 0.0, next_minimum_f = 0.0;
  double barrier = 0.0;  // F(saddle) − F(initial minimum)
};

// First barrier from s0 in `direction` on F(s) (s ascending), analysed over the index range
// [first, last] (default: the whole grid; pass the sampled range of the CV to ignore the
// unexplored plateau). `prominence` in the units of F.
FirstBarrier find_first_barrier(const std::vector<double>& s, const std::vector<double>& f,
                                double s0, int direction, double prominence, size_t first = 0,
                                size_t last = std::numeric_limits<size_t>::max());

struct EventCriteria {
  double prominence = 0.0;   // F units (eV); 0 means 2 k_B T (needs temperature)
  double temperature = 0.0;  // K, for the default prominence
  double dwell_time = 1.0;   // ps the CV must stay beyond the saddle
};

struct FirstEvent {
  bool found = false;
  size_t sample = 0;          // index into the CV series of the first sample beyond the saddle
  double time = 0.0;          // ps
  FirstBarrier barrier;       // the transition that was taken (valid when found)
  double barrier_eV = 0.0;    // ΔG of that transition
  double hop_distance = 0.0;  // CV value of the next basin's minimum (a)
};

// First event of a CV series (times ascending, ps) on the FES f(s). The FES is analysed over
// the range of CV values the series visited. Both directions are considered.
FirstEvent detect_first_event(const std::vector<double>& times, const std::vector<double>& cv,
                              const std::vector<double>& s, const std::vector<double>& f,
                              const EventCriteria& criteria);

// Stiffness of a basin of F(s) at its minimum, for an attempt frequency from the curvature.
//
// A quadratic c0 + c1 s + c2 s² is fitted (least squares) to g(s) = F(s) + (D − 1) k_B T ln s over
// the contiguous grid points around `minimum` where F ≤ F(minimum) + window; k = 2 c2. D is the
// number of Cartesian dimensions the CV is the radius of: D = 1 for a CV that is itself a
// coordinate (the analytic double well's s = x), D = 3 for the hop distance s = |r − r0| of one
// atom, whose FES carries the radial Jacobian −2 k_B T ln s of the 3D well (for an isotropic
// harmonic well ½ k |r − r0|², F(s) = ½ k s² − 2 k_B T ln s + C, whose own curvature at its
// minimum is 2k, not k); g removes it. Needs at least 5 points with s > 0 in the window.
struct BasinCurvature {
  bool valid = false;
  double stiffness = 0.0;      // k, units of F per CV unit² (eV/Å²)
  size_t first = 0, last = 0;  // grid indices of the fitted window
};
BasinCurvature basin_curvature(const std::vector<double>& s, const std::vector<double>& f,
                               size_t minimum, double window, int radial_dimension = 1,
                               double temperature = 0.0);

// Harmonic attempt frequency ν0 = (1/2π) sqrt(k/m) (s⁻¹) of a CV with stiffness k (eV/Å²) and
// effective mass m (amu): the 1D harmonic transition-state-theory prefactor, ω0/2π (Vineyard,
// J. Phys. Chem. Solids 3, 121 (1957); Hänggi, Talkner & Borkovec, Rev. Mod. Phys. 62, 251
// (1990), Eq. 2.10: k_TST = (ω0/2π) exp(−E_b/k_B T)).
double harmonic_attempt_frequency(double stiffness, double mass);

// Transition-state-theory rate ν = ν0 exp(−ΔG/k_B T) (s⁻¹) and hop time τ = 1/ν (s).
// ν0 = 3e12 s⁻¹ by default (paper 000).
double transition_rate(double barrier_eV, double temperature, double attempt_frequency = 3e12);
double hop_time(double barrier_eV, double temperature, double attempt_frequency = 3e12);

}  // namespace glassland
