#include "cv/free_energy.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "kernels/units.hpp"

namespace glassland {

std::vector<double> bias_from_hills(const std::vector<Hill>& hills, const std::vector<double>& s,
                                    size_t count) {
  std::vector<double> bias(s.size(), 0.0);
  const size_t n = std::min(count, hills.size());
  for (size_t h = 0; h < n; ++h) {
    const Hill& hill = hills[h];
    for (size_t k = 0; k < s.size(); ++k) {
      const double d = s[k] - hill.center;
      bias[k] += hill.height * std::exp(-0.5 * d * d / (hill.sigma * hill.sigma));
    }
  }
  return bias;
}

std::vector<double> free_energy_from_bias(const std::vector<double>& bias, double temperature,
                                          double bias_temperature) {
  if (!(bias_temperature > temperature) || !(temperature > 0.0))
    throw std::invalid_argument("free_energy_from_bias: needs T + ΔT > T > 0");
  const double factor = bias_temperature / (bias_temperature - temperature);
  std::vector<double> f(bias.size());
  for (size_t k = 0; k < bias.size(); ++k)
    f[k] = -factor * bias[k];
  if (!f.empty()) {
    const double lowest = *std::min_element(f.begin(), f.end());
    for (double& value : f)
      value -= lowest;
  }
  return f;
}

std::vector<FesSnapshot> fes_history(const std::vector<Hill>& hills, const std::vector<double>& s,
                                     double temperature, double bias_temperature, size_t every) {
  if (every == 0)
    throw std::invalid_argument("fes_history: every must be positive");
  std::vector<FesSnapshot> history;
  std::vector<double> bias(s.size(), 0.0);
  for (size_t h = 0; h < hills.size(); ++h) {
    const Hill& hill = hills[h];
    for (size_t k = 0; k < s.size(); ++k) {
      const double d = s[k] - hill.center;
      bias[k] += hill.height * std::exp(-0.5 * d * d / (hill.sigma * hill.sigma));
    }
    if ((h + 1) % every == 0 || h + 1 == hills.size()) {
      FesSnapshot snapshot;
      snapshot.n_hills = h + 1;
      snapshot.step = hill.step;
      snapshot.time = hill.time;
      snapshot.free_energy = free_energy_from_bias(bias, temperature, bias_temperature);
      history.push_back(std::move(snapshot));
    }
  }
  return history;
}

namespace {

size_t nearest_index(const std::vector<double>& s, double value) {
  const auto it = std::lower_bound(s.begin(), s.end(), value);
  if (it == s.begin())
    return 0;
  if (it == s.end())
    return s.size() - 1;
  const size_t i = static_cast<size_t>(it - s.begin());
  return value - s[i - 1] <= s[i] - value ? i - 1 : i;
}

// Walk from `start` in `direction` within [first, last]: the confirmed saddle (first rise ≥ p
// followed by a drop ≥ p) and the next basin's minimum. Returns false if no saddle is confirmed.
bool walk_to_saddle(const std::vector<double>& f, size_t start, int direction, double p,
                    size_t first, size_t last, size_t& saddle, size_t& next_minimum) {
  enum class Phase { descending, ascending, next_basin };
  Phase phase = Phase::descending;
  size_t lowest = start, highest = start;
  const long lo = static_cast<long>(first), hi = static_cast<long>(last);
  for (long jj = static_cast<long>(start) + direction; jj >= lo && jj <= hi; jj += direction) {
    const size_t j = static_cast<size_t>(jj);
    if (phase == Phase::descending) {
      if (f[j] < f[lowest])
        lowest = j;
      else if (f[j] >= f[lowest] + p) {
        phase = Phase::ascending;
        highest = j;
      }
    } else if (phase == Phase::ascending) {
      if (f[j] > f[highest])
        highest = j;
      else if (f[j] <= f[highest] - p) {
        phase = Phase::next_basin;
        saddle = highest;
        next_minimum = j;
      }
    } else {
      if (f[j] < f[next_minimum])
        next_minimum = j;
      else if (f[j] >= f[next_minimum] + p)
        break;
    }
  }
  return phase == Phase::next_basin;
}

}  // namespace

FirstBarrier find_first_barrier(const std::vector<double>& s, const std::vector<double>& f,
                                double s0, int direction, double prominence, size_t first,
                                size_t last) {
  if (s.size() != f.size() || s.size() < 2)
    throw std::invalid_argument("find_first_barrier: s and F need the same size (≥ 2)");
  if (!(prominence > 0.0))
    throw std::invalid_argument("find_first_barrier: prominence must be positive");
  last = std::min(last, s.size() - 1);
  first = std::min(first, last);
  size_t start = nearest_index(s, s0);
  start = std::clamp(start, first, last);
  FirstBarrier result;
  result.direction = direction >= 0 ? +1 : -1;
  size_t saddle = 0, next_minimum = 0;
  if (!walk_to_saddle(f, start, result.direction, prominence, first, last, saddle, next_minimum))
    return result;
  // The initial basin spans from the confirmed saddle on the other side (if any) to this one.
  size_t other_saddle = 0, other_next = 0;
  const bool other = walk_to_saddle(f, start, -result.direction, prominence, first, last,
                                    other_saddle, other_next);
  size_t lo = std::min(start, saddle), hi = std::max(start, saddle);
  if (other) {
    lo = std::min(lo, other_saddle);
    hi = std::max(hi, other_saddle);
  } else if (result.direction > 0) {
    lo = first;
  } else {
    hi = last;
  }
  size_t initial_minimum = lo;
  for (size_t k = lo; k <= hi; ++k)
    if (f[k] < f[initial_minimum])
      initial_minimum = k;
  result.found = true;
  result.initial_minimum = initial_minimum;
  result.saddle = saddle;
  result.next_minimum = next_minimum;
  result.initial_minimum_s = s[initial_minimum];
  result.initial_minimum_f = f[initial_minimum];
  result.saddle_s = s[saddle];
  result.saddle_f = f[saddle];
  result.next_minimum_s = s[next_minimum];
  result.next_minimum_f = f[next_minimum];
  result.barrier = f[saddle] - f[initial_minimum];
  return result;
}

FirstEvent detect_first_event(const std::vector<double>& times, const std::vector<double>& cv,
                              const std::vector<double>& s, const std::vector<double>& f,
                              const EventCriteria& criteria) {
  if (times.size() != cv.size() || cv.empty())
    throw std::invalid_argument("detect_first_event: times and CV series need the same size");
  double prominence = criteria.prominence;
  if (!(prominence > 0.0)) {
    if (!(criteria.temperature > 0.0))
      throw std::invalid_argument(
          "detect_first_event: give a prominence or a temperature (default 2 k_B T)");
    prominence = 2.0 * units::kBoltzmann * criteria.temperature;
  }
  // Analyse the FES only where the CV has been: beyond, F is the unexplored plateau.
  const auto [low, high] = std::minmax_element(cv.begin(), cv.end());
  const size_t first = nearest_index(s, *low);
  const size_t last = nearest_index(s, *high);
  FirstBarrier side[2] = {find_first_barrier(s, f, cv[0], +1, prominence, first, last),
                          find_first_barrier(s, f, cv[0], -1, prominence, first, last)};
  FirstEvent event;
  for (size_t t = 0; t < cv.size() && !event.found; ++t) {
    for (const FirstBarrier& b : side) {
      if (!b.found)
        continue;
      auto beyond = [&](double value) {
        return b.direction > 0 ? value > b.saddle_s : value < b.saddle_s;
      };
      if (!beyond(cv[t]))
        continue;
      // Settled: beyond the saddle at every sample of [t, t + dwell], and the series lasts that
      // long (an excursion at the very end is not yet an event).
      bool settled = times.back() - times[t] >= criteria.dwell_time;
      for (size_t u = t; settled && u < cv.size() && times[u] - times[t] <= criteria.dwell_time;
           ++u)
        settled = beyond(cv[u]);
      if (settled) {
        event.found = true;
        event.sample = t;
        event.time = times[t];
        event.barrier = b;
        event.barrier_eV = b.barrier;
        event.hop_distance = b.next_minimum_s;
        break;
      }
    }
  }
  return event;
}

BasinCurvature basin_curvature(const std::vector<double>& s, const std::vector<double>& f,
                               size_t minimum, double window, int radial_dimension,
                               double temperature) {
  if (s.size() != f.size() || minimum >= s.size())
    throw std::invalid_argument("basin_curvature: s and F need the same size, minimum inside");
  if (radial_dimension > 1 && !(temperature > 0.0))
    throw std::invalid_argument("basin_curvature: the radial Jacobian needs a temperature");
  BasinCurvature result;
  const double level = f[minimum] + window;
  size_t first = minimum, last = minimum;
  while (first > 0 && f[first - 1] <= level)
    --first;
  while (last + 1 < s.size() && f[last + 1] <= level)
    ++last;
  result.first = first;
  result.last = last;
  // Normal equations of the quadratic fit in x = s − s[minimum] (centred, well conditioned).
  const double kt = units::kBoltzmann * temperature;
  double m[3][4] = {};
  int points = 0;
  for (size_t k = first; k <= last; ++k) {
    if (radial_dimension > 1 && !(s[k] > 0.0))
      continue;  // ln s undefined at the origin
    const double g =
        f[k] + (radial_dimension > 1 ? (radial_dimension - 1) * kt * std::log(s[k]) : 0.0);
    const double x = s[k] - s[minimum];
    const double basis[3] = {1.0, x, x * x};
    for (int i = 0; i < 3; ++i) {
      for (int j = 0; j < 3; ++j)
        m[i][j] += basis[i] * basis[j];
      m[i][3] += basis[i] * g;
    }
    ++points;
  }
  if (points < 5)
    return result;
  // Gaussian elimination with partial pivoting on the 3×3 system.
  for (int c = 0; c < 3; ++c) {
    int pivot = c;
    for (int r = c + 1; r < 3; ++r)
      if (std::abs(m[r][c]) > std::abs(m[pivot][c]))
        pivot = r;
    for (int j = 0; j < 4; ++j)
      std::swap(m[c][j], m[pivot][j]);
    if (m[c][c] == 0.0)
      return result;
    for (int r = c + 1; r < 3; ++r) {
      const double factor = m[r][c] / m[c][c];
      for (int j = c; j < 4; ++j)
        m[r][j] -= factor * m[c][j];
    }
  }
  double coefficient[3];
  for (int c = 2; c >= 0; --c) {
    double sum = m[c][3];
    for (int j = c + 1; j < 3; ++j)
      sum -= m[c][j] * coefficient[j];
    coefficient[c] = sum / m[c][c];
  }
  result.stiffness = 2.0 * coefficient[2];
  result.valid = std::isfinite(result.stiffness) && result.stiffness > 0.0;
  return result;
}

double harmonic_attempt_frequency(double stiffness, double mass) {
  if (!(stiffness > 0.0) || !(mass > 0.0))
    throw std::invalid_argument("harmonic_attempt_frequency: stiffness and mass must be positive");
  // k/m in eV/(Å² amu) → ps⁻² (kForceOverMassToAccel), ω0 in rad/ps, ν0 = ω0/2π in s⁻¹.
  const double omega = std::sqrt(stiffness / mass * units::kForceOverMassToAccel);
  constexpr double kPi = 3.14159265358979323846;  // M_PI is POSIX, not standard C++
  return omega / (2.0 * kPi) * 1e12;
}

double transition_rate(double barrier_eV, double temperature, double attempt_frequency) {
  return attempt_frequency * std::exp(-barrier_eV / (units::kBoltzmann * temperature));
}

double hop_time(double barrier_eV, double temperature, double attempt_frequency) {
  return 1.0 / transition_rate(barrier_eV, temperature, attempt_frequency);
}

}  // namespace glassland
