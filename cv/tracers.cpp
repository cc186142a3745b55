#include "cv/tracers.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "kernels/counter_rng.hpp"

namespace glassland {

std::vector<int> select_tracer_atoms(const std::vector<int>& atom_elements,
                                     const std::vector<int>& allowed_elements, int count,
                                     uint64_t seed) {
  std::vector<int> candidates;
  for (size_t i = 0; i < atom_elements.size(); ++i)
    if (allowed_elements.empty() || std::find(allowed_elements.begin(), allowed_elements.end(),
                                              atom_elements[i]) != allowed_elements.end())
      candidates.push_back(static_cast<int>(i));
  if (count < 0 || static_cast<size_t>(count) > candidates.size())
    throw std::invalid_argument("select_tracer_atoms: " + std::to_string(count) +
                                " tracers requested, " + std::to_string(candidates.size()) +
                                " atoms of the requested species");
  // Stream tag "tracers" so the draws never coincide with other uses of the same seed.
  const uint64_t stream = 0x7472616365727300ull;
  for (int k = 0; k < count; ++k) {
    const uint64_t remaining = candidates.size() - k;
    // Rejection keeps the draw exactly uniform (no modulo bias).
    const uint64_t limit = ~0ull - (~0ull % remaining);
    uint64_t counter = static_cast<uint64_t>(k) << 20, bits;
    do
      bits = random_bits(seed, stream, counter++);
    while (bits >= limit);
    std::swap(candidates[k], candidates[k + bits % remaining]);
  }
  candidates.resize(count);
  return candidates;
}

TracerAnalysis analyse_tracer(const std::vector<Hill>& hills, const std::vector<double>& s,
                              const std::vector<double>& times, const std::vector<double>& cv,
                              const TracerAnalysisSettings& settings) {
  TracerAnalysis result;
  result.free_energy = free_energy_from_bias(bias_from_hills(hills, s), settings.temperature,
                                             settings.bias_temperature);
  EventCriteria criteria = settings.criteria;
  if (!(criteria.temperature > 0.0))
    criteria.temperature = settings.temperature;
  result.event = detect_first_event(times, cv, s, result.free_energy, criteria);
  if (result.event.found) {
    result.rate =
        transition_rate(result.event.barrier_eV, settings.temperature, settings.attempt_frequency);
    result.hop_time = 1.0 / result.rate;
  }
  return result;
}

}  // namespace glassland
