#include "analysis/cage_jumps.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "analysis/dynamics_observables.hpp"

namespace glassland::analysis {

CageJumpDetector::CageJumpDetector(const CageJumpSettings& settings, std::size_t n_atoms,
                                   double sample_interval_ps)
    : settings_(settings), n_atoms_(n_atoms), interval_(sample_interval_ps) {
  if (!(settings.u2_A2 > 0.0))
    throw std::invalid_argument("cage jumps: the Debye–Waller factor <u²> must be positive");
  if (!(sample_interval_ps > 0.0) || !(settings.window_ps > 0.0))
    throw std::invalid_argument("cage jumps: the window and the sample interval must be positive");
  if (settings.dimensions != 2 && settings.dimensions != 3)
    throw std::invalid_argument("cage jumps: dimensions must be 2 or 3");
  half_ = static_cast<std::size_t>(std::lround(settings.window_ps / (2.0 * sample_interval_ps)));
  if (half_ < 2)
    throw std::invalid_argument("cage jumps: a window of " + std::to_string(settings.window_ps) +
                                " ps holds fewer than 4 samples " +
                                std::to_string(sample_interval_ps) +
                                " ps apart; sample more often or widen the window");
}

void CageJumpDetector::add_frame(const std::vector<double>& positions) {
  if (positions.size() != 3 * n_atoms_)
    throw std::invalid_argument("cage jumps: sample " + std::to_string(samples_) + " has " +
                                std::to_string(positions.size() / 3) + " atoms, expected " +
                                std::to_string(n_atoms_));
  if (samples_ % half_ == 0) {
    OpenWindow w;
    w.index = samples_ / half_;
    w.reference = positions;
    w.sum.assign(3 * n_atoms_, 0.0);
    w.sum_squares.assign(n_atoms_, 0.0);
    open_.push_back(std::move(w));
  }
  const int dims = settings_.dimensions;
  for (OpenWindow& w : open_) {
    for (std::size_t i = 0; i < n_atoms_; ++i) {
      double s2 = 0.0;
      for (int k = 0; k < dims; ++k) {
        const double d = positions[3 * i + k] - w.reference[3 * i + k];
        w.sum[3 * i + k] += d;
        s2 += d * d;
      }
      w.sum_squares[i] += s2;
    }
    ++w.samples;
  }
  while (!open_.empty() && open_.front().samples == 2 * half_) {
    close(open_.front());
    open_.erase(open_.begin());
  }
  ++samples_;
}

void CageJumpDetector::close(OpenWindow& w) {
  const double n = static_cast<double>(w.samples);
  std::vector<double> mean(3 * n_atoms_, 0.0), variance(n_atoms_);
  for (std::size_t i = 0; i < n_atoms_; ++i) {
    double m2 = 0.0;
    for (int k = 0; k < settings_.dimensions; ++k) {
      const double m = w.sum[3 * i + k] / n;
      mean[3 * i + k] = w.reference[3 * i + k] + m;
      m2 += m * m;
    }
    // ⟨|d|²⟩ − |⟨d⟩|² with d measured from the window's first sample (no cancellation of large x).
    variance[i] = w.sum_squares[i] / n - m2;
  }
  means_.push_back(std::move(mean));
  variances_.push_back(std::move(variance));
}

CageJumpResult CageJumpDetector::finish() const {
  CageJumpResult r;
  r.samples = samples_;
  r.windows = means_.size();
  r.window_samples = 2 * half_;
  r.sample_interval_ps = interval_;
  r.window_ps = 2 * half_ * interval_;
  r.duration_ps = samples_ > 0 ? (samples_ - 1) * interval_ : 0.0;
  r.jumps_per_atom.assign(n_atoms_, 0);
  r.squared_length_per_atom.assign(n_atoms_, 0.0);
  const double threshold = settings_.variance_factor * settings_.u2_A2;
  const double shortest = settings_.length_factor * std::sqrt(settings_.u2_A2);
  const std::size_t W = r.windows;
  for (std::size_t i = 0; i < n_atoms_; ++i) {
    std::vector<CageJump> candidates;
    for (std::size_t j = 0; j < W; ++j) {
      if (!(variances_[j][i] > threshold))
        continue;
      std::size_t end = j;
      while (end + 1 < W && variances_[end + 1][i] > threshold)
        ++end;
      ++r.runs;
      const std::size_t first = j;
      j = end;
      if (first == 0 || end + 1 >= W) {
        ++r.dropped_at_edge;
        continue;
      }
      CageJump jump;
      jump.atom = i;
      jump.first_window = first;
      jump.last_window = end;
      jump.start_ps = first * half_ * interval_;
      jump.end_ps = (end * half_ + 2 * half_ - 1) * interval_;
      double l2 = 0.0;
      for (int k = 0; k < 3; ++k) {
        jump.vector[k] = means_[end + 1][3 * i + k] - means_[first - 1][3 * i + k];
        l2 += jump.vector[k] * jump.vector[k];
      }
      jump.length = std::sqrt(l2);
      if (jump.length < shortest) {
        ++r.dropped_short;
        continue;
      }
      candidates.push_back(jump);
    }
    for (std::size_t n = 0; n < candidates.size();) {
      if (n + 1 < candidates.size()) {
        double s2 = 0.0;
        for (int k = 0; k < 3; ++k) {
          const double s = candidates[n].vector[k] + candidates[n + 1].vector[k];
          s2 += s * s;
        }
        if (std::sqrt(s2) < settings_.back_and_forth_A) {
          r.dropped_back_and_forth += 2;
          n += 2;
          continue;
        }
      }
      r.jumps.push_back(candidates[n]);
      ++r.jumps_per_atom[i];
      r.squared_length_per_atom[i] += candidates[n].length * candidates[n].length;
      ++n;
    }
  }
  return r;
}

CageJumpStatistics cage_jump_statistics(const CageJumpResult& result,
                                        const std::vector<unsigned char>& members, int dimensions) {
  CageJumpStatistics s;
  double l2 = 0.0;
  for (std::size_t i = 0; i < result.jumps_per_atom.size(); ++i) {
    if (!members.empty() && !members[i])
      continue;
    ++s.atoms;
    s.jumps += result.jumps_per_atom[i];
    l2 += result.squared_length_per_atom[i];
  }
  s.rate_per_ps = s.atoms > 0 && result.duration_ps > 0.0
                      ? s.jumps / (static_cast<double>(s.atoms) * result.duration_ps)
                      : 0.0;
  s.mean_squared_length_A2 = s.jumps > 0 ? l2 / s.jumps : std::numeric_limits<double>::quiet_NaN();
  s.diffusion_m2_per_s = s.jumps > 0
                             ? s.rate_per_ps * s.mean_squared_length_A2 / (2.0 * dimensions) *
                                   kSquareMetrePerSecond_per_SquareAngstromPerPs
                             : 0.0;
  return s;
}

}  // namespace glassland::analysis
