// Tracer selection and the per-tracer result of a metadynamics run (SPEC.md §5; issue 4 items 3
// and 4; paper 000, Wang et al., Acta Mater. 2018: 20 random tracer atoms, ΔG of the first hop,
// hop distance a, ν = ν0 exp(−ΔG/k_B T)). Host functions on plain arrays, for the `metad` driver.
#pragma once

#include <cstdint>
#include <vector>

#include "cv/free_energy.hpp"

namespace glassland {

// `count` distinct atoms, drawn among those whose element index is in `allowed_elements` (empty:
// any atom), reproducibly from `seed`: a partial Fisher–Yates shuffle driven by the counter RNG
// (kernels/counter_rng.hpp), so the choice is the same on every platform and compiler (unlike
// std::shuffle). Returned in draw order. Throws std::invalid_argument if fewer atoms qualify.
std::vector<int> select_tracer_atoms(const std::vector<int>& atom_elements,
                                     const std::vector<int>& allowed_elements, int count,
                                     uint64_t seed);

struct TracerAnalysisSettings {
  double temperature = 0.0;          // T, K
  double bias_temperature = 3000.0;  // T + ΔT, K
  double attempt_frequency = 3e12;   // ν0, s⁻¹ (paper 000)
  EventCriteria criteria;            // prominence (0: 2 k_B T), dwell time
};

struct TracerAnalysis {
  std::vector<double> free_energy;  // F on the grid from all hills, min 0 (eV)
  FirstEvent event;                 // first event of the CV series on that FES
  double rate = 0.0;                // ν, s⁻¹ (0 when no event was found)
  double hop_time = 0.0;            // τ = 1/ν, s (0 when no event was found)
};

// FES from the hills on the grid `s`, first event of the CV series (times in ps), and the TST
// rate of that event. The barrier is read on the FES from all hills given (pass the hills up to
// the time that should define it).
TracerAnalysis analyse_tracer(const std::vector<Hill>& hills, const std::vector<double>& s,
                              const std::vector<double>& times, const std::vector<double>& cv,
                              const TracerAnalysisSettings& settings);

}  // namespace glassland
