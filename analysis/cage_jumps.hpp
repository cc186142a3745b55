// Cage-jump detection (paper 002 §III.3 after Lü & Wang; SPEC.md §9): each atom rattles in the
// cage of its neighbours and now and then jumps out of it. Positions sampled every δ (5 ps) are
// averaged over windows of Δt (200 ps, W = Δt/δ samples); windows start every Δt/2 (the windows
// and the windows shifted by Δt/2 of paper 002, interleaved, so that a jump near the edge of one
// window lies in the middle of another — Helfferich et al., PRE 89, 042603 (2014)).
//
// For atom i and window j: the mean r̄_j and the variance σ²_j = ⟨|r − r̄_j|²⟩ over its samples.
//  1. Window j is a jump window when σ²_j > f_σ·⟨u²⟩ (f_σ = 5; ⟨u²⟩ the Debye–Waller factor, the
//     MSD at the cage plateau).
//  2. Consecutive jump windows j0 … j1 form one jump ("if an atom makes a jump in two or more
//     successive time windows, the whole motion is regarded as a single jump"). Its vector is
//     l = r̄_{j1+1} − r̄_{j0−1}, between the caged windows on either side. A run that touches the
//     first or last window has no caged window on one side and is dropped (counted as at_edge).
//  3. Jumps with |l| < f_l·√⟨u²⟩ (f_l = 1) are dropped: rattling, loops that came back.
//  4. Of the remaining jumps of an atom, in time order, a jump and the next one with
//     |l_n + l_{n+1}| < 1.0 Å form a back-and-forth pair and both are dropped; scanning goes on
//     after the pair (pairs do not overlap). (Paper 002 prints |l_{n+1} − l_n|; a jump and its
//     reversal have l_{n+1} ≈ −l_n, so the sum is meant, as SPEC.md §9 writes it.)
// Then the jump rate Γ = jumps/(atoms · duration), ⟨l²⟩ the mean squared length of the kept jumps,
// and D = Γ⟨l²⟩/(2d) (paper 002 Eq. 3, correlation factor f = 1).
#pragma once

#include <array>
#include <cstddef>
#include <vector>

namespace glassland::analysis {

struct CageJumpSettings {
  double window_ps = 200.0;       // Δt
  double u2_A2 = 0.0;             // ⟨u²⟩, required (> 0)
  double variance_factor = 5.0;   // f_σ
  double length_factor = 1.0;     // f_l: shortest kept jump, in units of √⟨u²⟩
  double back_and_forth_A = 1.0;  // |l_n + l_{n+1}| below this drops the pair
  int dimensions = 3;             // 2: lateral (x–y) positions only
};

struct CageJump {
  std::size_t atom = 0;
  std::size_t first_window = 0, last_window = 0;  // the run of jump windows
  double start_ps = 0.0, end_ps = 0.0;  // from the start of the first to the end of the last window
  std::array<double, 3> vector{0.0, 0.0, 0.0};  // Å
  double length = 0.0;                          // Å
};

struct CageJumpResult {
  std::size_t samples = 0, windows = 0, window_samples = 0;
  double sample_interval_ps = 0.0, duration_ps = 0.0, window_ps = 0.0;
  std::vector<CageJump> jumps;  // kept, by atom then time
  std::size_t runs = 0;         // runs of jump windows found (before any drop)
  std::size_t dropped_at_edge = 0, dropped_short = 0, dropped_back_and_forth = 0;
  std::vector<int> jumps_per_atom;
  std::vector<double> squared_length_per_atom;  // Σ l² of each atom's kept jumps, Å²
};

// Streams frames sampled every `sample_interval_ps` (the caller picks every frame it wants
// analysed); keeps each atom's window means and variances only.
class CageJumpDetector {
 public:
  CageJumpDetector(const CageJumpSettings& settings, std::size_t n_atoms,
                   double sample_interval_ps);
  void add_frame(const std::vector<double>& positions);  // N×3 unwrapped, Å
  CageJumpResult finish() const;
  std::size_t window_samples() const { return 2 * half_; }

 private:
  struct OpenWindow {
    std::size_t index = 0, samples = 0;
    std::vector<double> reference, sum;  // N×3: first sample, Σ(r − reference)
    std::vector<double> sum_squares;     // N: Σ|r − reference|²
  };
  void close(OpenWindow& w);

  CageJumpSettings settings_;
  std::size_t n_atoms_;
  double interval_;
  std::size_t half_ = 1;  // samples between window starts (W/2)
  std::size_t samples_ = 0;
  std::vector<OpenWindow> open_;
  std::vector<std::vector<double>> means_;      // [window][N×3]
  std::vector<std::vector<double>> variances_;  // [window][N]
};

struct CageJumpStatistics {
  std::size_t atoms = 0, jumps = 0;
  double rate_per_ps = 0.0;             // Γ
  double mean_squared_length_A2 = 0.0;  // ⟨l²⟩, NaN without jumps
  double diffusion_m2_per_s = 0.0;      // Γ⟨l²⟩/(2d), 0 without jumps
};
// Over the atoms whose flag in `members` is set (all when empty).
CageJumpStatistics cage_jump_statistics(const CageJumpResult& result,
                                        const std::vector<unsigned char>& members, int dimensions);

}  // namespace glassland::analysis
