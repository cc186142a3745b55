// FES reconstruction and first-event analysis (cv/free_energy.hpp) on synthetic profiles and CV
// series whose barriers, hop distances and event times are known by construction.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "cv/collective_displacement.hpp"
#include "cv/free_energy.hpp"
#include "cv/tracers.hpp"
#include "kernels/units.hpp"

namespace glassland {
namespace {

std::vector<double> grid(double lower, double upper, double spacing) {
  std::vector<double> s;
  for (int k = 0; lower + k * spacing <= upper + 1e-12; ++k)
    s.push_back(lower + k * spacing);
  return s;
}

// A hop-distance-like profile: the initial basin at 0.3 Å, a saddle near 1.5 Å, the next basin
// at 2.7 Å 0.2 eV above the first, then a wall. Built from Gaussians and a quadratic wall.
double profile(double s) {
  return -0.9 * std::exp(-std::pow(s - 0.3, 2) / (2 * 0.45 * 0.45)) -
         0.7 * std::exp(-std::pow(s - 2.7, 2) / (2 * 0.4 * 0.4)) +
         (s > 3.3 ? 2.0 * (s - 3.3) * (s - 3.3) : 0.0);
}

// The exact saddle, minima and barrier of `profile` on a 1e-5 Å mesh (the oracle).
struct Exact {
  double min_s, saddle_s, next_s, barrier;
};
Exact exact_profile() {
  Exact e{0, 0, 0, 0};
  double fmin = 1e9, fmax = -1e9, fnext = 1e9;
  for (double s = 0.0; s <= 1.0; s += 1e-5)
    if (profile(s) < fmin) {
      fmin = profile(s);
      e.min_s = s;
    }
  for (double s = 0.5; s <= 2.5; s += 1e-5)
    if (profile(s) > fmax) {
      fmax = profile(s);
      e.saddle_s = s;
    }
  for (double s = 2.0; s <= 3.5; s += 1e-5)
    if (profile(s) < fnext) {
      fnext = profile(s);
      e.next_s = s;
    }
  e.barrier = fmax - fmin;
  return e;
}

TEST(FreeEnergy, FromBiasScalesAndShifts) {
  const std::vector<double> v = {0.0, 0.3, 0.9, 0.6};
  // T = 300 K, T + ΔT = 3000 K: F = −(3000/2700) V, shifted to min 0 (at V = 0.9).
  const std::vector<double> f = free_energy_from_bias(v, 300.0, 3000.0);
  const double factor = 3000.0 / 2700.0;
  EXPECT_NEAR(f[0], factor * 0.9, 1e-15);
  EXPECT_NEAR(f[1], factor * 0.6, 1e-15);
  EXPECT_EQ(f[2], 0.0);
  EXPECT_NEAR(f[3], factor * 0.3, 1e-15);
  EXPECT_THROW(free_energy_from_bias(v, 300.0, 200.0), std::invalid_argument);
}

TEST(FreeEnergy, HistoryRebuildsFromHills) {
  const std::vector<double> s = grid(0.0, 3.0, 0.01);
  std::vector<Hill> hills;
  for (int h = 0; h < 25; ++h)
    hills.push_back({1000 * (h + 1), 2.0 * (h + 1), 0.1 * h, 0.35, 0.02 * std::exp(-0.05 * h), 10});
  const auto history = fes_history(hills, s, 300.0, 3000.0, 10);
  ASSERT_EQ(history.size(), 3u);  // after 10, 20 and the last (25) hills
  EXPECT_EQ(history[0].n_hills, 10u);
  EXPECT_EQ(history[1].step, 20000);
  EXPECT_EQ(history[2].n_hills, 25u);
  EXPECT_DOUBLE_EQ(history[2].time, 50.0);
  const auto full = free_energy_from_bias(bias_from_hills(hills, s), 300.0, 3000.0);
  const auto partial = free_energy_from_bias(bias_from_hills(hills, s, 10), 300.0, 3000.0);
  for (size_t k = 0; k < s.size(); ++k) {
    EXPECT_NEAR(history[2].free_energy[k], full[k], 1e-14);
    EXPECT_NEAR(history[0].free_energy[k], partial[k], 1e-14);
  }
}

TEST(FirstBarrier, SyntheticProfileWithGridNoise) {
  const Exact exact = exact_profile();
  const std::vector<double> s = grid(0.0, 4.0, 0.01);
  std::mt19937_64 rng(2024);
  // Uniform noise of ±5 meV on every knot, like the residual roughness of a WT-MetaD FES;
  // prominence 0.05 eV (2 k_B T at 300 K) must see through it.
  std::uniform_real_distribution<double> noise(-0.005, 0.005);
  std::vector<double> f;
  for (double x : s)
    f.push_back(profile(x) + noise(rng));
  const FirstBarrier b = find_first_barrier(s, f, 0.0, +1, 0.05);
  ASSERT_TRUE(b.found);
  // Tolerances: the noise moves F by ≤ 5 meV at each point, so the barrier (a difference of two
  // points) by ≤ 10 meV; positions move by the grid spacing plus the flatness of the extrema
  // under ±5 meV noise (|ΔF| = ½ F'' δs² ≤ 5 meV with F'' ≈ 1–4 eV/Å² → δs ≲ 0.1 Å).
  EXPECT_NEAR(b.barrier, exact.barrier, 0.01);
  EXPECT_NEAR(b.initial_minimum_s, exact.min_s, 0.1);
  EXPECT_NEAR(b.saddle_s, exact.saddle_s, 0.1);
  EXPECT_NEAR(b.next_minimum_s, exact.next_s, 0.1);
  // Starting anywhere inside the initial basin gives the same answer (up to the noise).
  const FirstBarrier b2 = find_first_barrier(s, f, 0.8, +1, 0.05);
  ASSERT_TRUE(b2.found);
  EXPECT_EQ(b2.saddle, b.saddle);
  EXPECT_EQ(b2.initial_minimum, b.initial_minimum);
  // No basin behind the wall: nothing to find in that direction, nor towards s < 0.
  EXPECT_FALSE(find_first_barrier(s, f, 2.7, +1, 0.05).found);
  EXPECT_FALSE(find_first_barrier(s, f, 0.0, -1, 0.05).found);
  // From the second basin backwards: the same saddle, barrier measured from that basin.
  const FirstBarrier back = find_first_barrier(s, f, 2.7, -1, 0.05);
  ASSERT_TRUE(back.found);
  EXPECT_EQ(back.saddle, b.saddle);
  EXPECT_NEAR(back.barrier, exact.barrier - (profile(exact.next_s) - profile(exact.min_s)), 0.01);
}

TEST(FirstBarrier, SmallBumpsBelowTheProminenceAreIgnored) {
  // A 0.03 eV bump at 0.5 Å (below the 0.05 eV prominence), then the real 0.5 eV barrier at
  // 2 Å and the next basin at 3 Å, closed by a wall.
  const std::vector<double> s = grid(0.0, 3.5, 0.01);
  std::vector<double> f;
  for (double x : s) {
    if (x < 1.0)
      f.push_back(0.03 * std::pow(std::sin(M_PI * x), 2));
    else if (x < 3.0)
      f.push_back(0.5 * std::pow(std::sin(M_PI * (x - 1.0) / 2.0), 2));
    else
      f.push_back(2.0 * (x - 3.0) * (x - 3.0));
  }
  const FirstBarrier b = find_first_barrier(s, f, 0.0, +1, 0.05);
  ASSERT_TRUE(b.found);
  EXPECT_NEAR(b.saddle_s, 2.0, 0.011);
  EXPECT_NEAR(b.barrier, 0.5, 1e-3);
  EXPECT_NEAR(b.next_minimum_s, 3.0, 0.011);
}

TEST(FirstEvent, DetectsTheHopNotTheRecrossing) {
  const std::vector<double> s = grid(0.0, 4.0, 0.01);
  std::vector<double> f;
  for (double x : s)
    f.push_back(profile(x));
  const double m = *std::min_element(f.begin(), f.end());
  for (double& v : f)
    v -= m;
  // CV series every 0.1 ps: 100 ps in the first basin (0.3 ± 0.1 Å), a 0.3 ps excursion to
  // 1.8 Å at 60 ps (beyond the saddle but back: a recrossing, not an event), the hop at 150 ps,
  // then 50 ps around 2.7 Å.
  std::mt19937_64 rng(8);
  std::normal_distribution<double> vib(0.0, 0.1);
  std::vector<double> times, cv;
  for (int i = 0; i < 2000; ++i) {
    const double t = 0.1 * i;
    double value = t < 150.0 ? 0.3 + vib(rng) : 2.7 + vib(rng);
    if (t >= 60.0 && t < 60.3)
      value = 1.8;
    times.push_back(t);
    cv.push_back(std::max(0.0, value));
  }
  EventCriteria criteria;
  criteria.temperature = 300.0;  // prominence 2 k_B T = 0.052 eV
  criteria.dwell_time = 1.0;
  const FirstEvent event = detect_first_event(times, cv, s, f, criteria);
  ASSERT_TRUE(event.found);
  EXPECT_NEAR(event.time, 150.0, 1e-9);
  EXPECT_EQ(event.sample, 1500u);
  const Exact exact = exact_profile();
  EXPECT_NEAR(event.barrier_eV, exact.barrier, 0.005);  // grid spacing 0.01 Å on a smooth F
  EXPECT_NEAR(event.hop_distance, exact.next_s, 0.011);
  EXPECT_EQ(event.barrier.direction, +1);
  // Without the hop (series cut before 150 ps) there is no event: the recrossing is too short.
  std::vector<double> t_short(times.begin(), times.begin() + 1490),
      cv_short(cv.begin(), cv.begin() + 1490);
  EXPECT_FALSE(detect_first_event(t_short, cv_short, s, f, criteria).found);
}

TEST(Rates, TransitionStateTheory) {
  // ν = ν0 exp(−ΔG/k_B T): 0.84 eV at 300 K (paper 000's mean Cu barrier) with ν0 = 3e12 s⁻¹.
  const double kt = units::kBoltzmann * 300.0;
  EXPECT_NEAR(transition_rate(0.84, 300.0) / (3e12 * std::exp(-0.84 / kt)), 1.0, 1e-14);
  EXPECT_NEAR(transition_rate(0.84, 300.0), 2.32136e-2, 1e-5 * 2.32136e-2);  // computed by hand
  EXPECT_NEAR(hop_time(0.84, 300.0) * transition_rate(0.84, 300.0), 1.0, 1e-14);
  EXPECT_NEAR(transition_rate(0.5, 600.0, 2e12), 2e12 * std::exp(-0.5 / (2 * kt)), 1e-3);
}

TEST(CollectiveDisplacement, MinimumImageSumAndMovedAtoms) {
  // 50 atoms in a triclinic cell; three atoms displaced by 0.8, 1.2 and 0.3 Å, and ten others
  // only re-wrapped by lattice vectors (no physical motion): |Δr| = sqrt(0.8² + 1.2² + 0.3²) and
  // the atoms beyond 0.5 Å are the first two.
  Box box;
  box.lx = 20.0;
  box.ly = 18.0;
  box.lz = 22.0;
  box.xy = 3.0;
  box.xz = -2.0;
  box.yz = 1.5;
  std::mt19937_64 rng(4);
  std::uniform_real_distribution<double> uniform(0.0, 18.0);
  std::vector<std::array<double, 3>> before, after;
  for (int i = 0; i < 50; ++i)
    before.push_back({uniform(rng), uniform(rng), uniform(rng)});
  after = before;
  after[7][0] += 0.8;
  after[19][1] -= 1.2 / std::sqrt(2.0);
  after[19][2] += 1.2 / std::sqrt(2.0);
  after[33][2] += 0.3;
  for (int i = 0; i < 10; ++i)
    box.add_lattice_vector(i % 3 - 1, 1 - i % 2, i % 2 ? 2 : -1, after[40 + i].data());
  const CollectiveDisplacement d = collective_displacement(before, after, box);
  // Round-off of adding and removing lattice vectors of ~20 Å: ~1e-14 Å.
  EXPECT_NEAR(d.total, std::sqrt(0.64 + 1.44 + 0.09), 1e-12);
  EXPECT_EQ(d.moved, (std::vector<int>{7, 19}));
  EXPECT_NEAR(d.largest, 1.2, 1e-12);
  EXPECT_NEAR(d.per_atom[33], 0.3, 1e-12);
  EXPECT_NEAR(d.per_atom[45], 0.0, 1e-12);
  EXPECT_EQ(collective_displacement(before, after, box, 0.25).moved.size(), 3u);
  after.pop_back();
  EXPECT_THROW(collective_displacement(before, after, box), std::invalid_argument);
}

TEST(Tracers, SelectionIsReproducibleDistinctAndOfTheRequestedSpecies) {
  std::vector<int> elements;
  for (int i = 0; i < 200; ++i)
    elements.push_back(i % 3 == 0 ? 1 : 0);  // 67 atoms of element 1
  const std::vector<int> a = select_tracer_atoms(elements, {1}, 20, 42);
  ASSERT_EQ(a.size(), 20u);
  for (int atom : a)
    EXPECT_EQ(elements[atom], 1);
  std::vector<int> sorted = a;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(std::unique(sorted.begin(), sorted.end()), sorted.end());
  EXPECT_EQ(select_tracer_atoms(elements, {1}, 20, 42), a);
  EXPECT_NE(select_tracer_atoms(elements, {1}, 20, 43), a);
  EXPECT_EQ(select_tracer_atoms(elements, {}, 200, 1).size(), 200u);
  EXPECT_THROW(select_tracer_atoms(elements, {1}, 68, 1), std::invalid_argument);
  // Uniformity: one tracer out of 10 atoms over 2000 seeds; each atom is chosen 200 times on
  // average with a binomial standard deviation of 13.4, so ±60 (4.5σ) fails by chance with
  // probability < 1e-4 over the 10 atoms.
  std::vector<int> ten(10, 0), hits(10, 0);
  for (uint64_t seed = 0; seed < 2000; ++seed)
    ++hits[select_tracer_atoms(ten, {}, 1, seed)[0]];
  for (int h : hits)
    EXPECT_NEAR(h, 200, 60);
}

TEST(Tracers, AnalysisComposesFesEventAndRate) {
  // Hills that dig two basins in −F: 30 at 0.3 Å and 20 at 2.7 Å (σ 0.35 Å, 0.02 eV), i.e. F
  // has its minimum at 0.3 Å and a second basin at 2.7 Å. The CV sits at 0.3 Å until 50 ps,
  // then at 2.7 Å.
  std::vector<Hill> hills;
  for (int h = 0; h < 50; ++h)
    hills.push_back({1000 * (h + 1), 2.0 * (h + 1), h < 30 ? 0.3 : 2.7, 0.35, 0.02, 10.0});
  const std::vector<double> s = grid(0.0, 4.0, 0.01);
  std::vector<double> times, cv;
  for (int i = 0; i < 1000; ++i) {
    times.push_back(0.1 * i);
    cv.push_back(i < 500 ? 0.3 + 0.05 * std::sin(i) : 2.7 + 0.05 * std::sin(i));
  }
  TracerAnalysisSettings settings;
  settings.temperature = 300.0;
  const TracerAnalysis a = analyse_tracer(hills, s, times, cv, settings);
  const std::vector<double> f = free_energy_from_bias(bias_from_hills(hills, s), 300.0, 3000.0);
  ASSERT_TRUE(a.event.found);
  EXPECT_NEAR(a.event.time, 50.0, 1e-9);
  EXPECT_NEAR(a.event.hop_distance, 2.7, 0.011);
  // The barrier is the FES maximum between the basins minus the FES at the first minimum.
  const double saddle = *std::max_element(f.begin() + 30, f.begin() + 270);
  EXPECT_NEAR(a.event.barrier_eV, saddle - f[30], 1e-12);
  EXPECT_GT(a.event.barrier_eV, 0.1);
  EXPECT_DOUBLE_EQ(a.rate, transition_rate(a.event.barrier_eV, 300.0));
  EXPECT_DOUBLE_EQ(a.hop_time * a.rate, 1.0);
  for (size_t k = 0; k < s.size(); ++k)
    EXPECT_EQ(a.free_energy[k], f[k]);
}

}  // namespace
}  // namespace glassland

namespace glassland {
namespace {

// basin_curvature on profiles whose curvature is known analytically.
TEST(BasinCurvature, ExactOnAParabolaAndRemovesTheRadialJacobian) {
  const std::vector<double> s = grid(0.0, 4.0, 0.01);
  const double k = 2.3, s0 = 1.37, T = 500.0, kt = units::kBoltzmann * T;
  // A parabola is fitted exactly, whatever the window.
  std::vector<double> f(s.size());
  for (size_t i = 0; i < s.size(); ++i)
    f[i] = 0.5 * k * (s[i] - s0) * (s[i] - s0) + 0.3;
  const size_t minimum = std::min_element(f.begin(), f.end()) - f.begin();
  for (double window : {0.01, 0.05, 0.5}) {
    const BasinCurvature c = basin_curvature(s, f, minimum, window);
    ASSERT_TRUE(c.valid) << window;
    EXPECT_NEAR(c.stiffness, k, 1e-9 * k) << window;
    EXPECT_LE(f[c.first], f[minimum] + window);
    EXPECT_LE(f[c.last], f[minimum] + window);
  }
  // The FES of the radius s = |r| of an isotropic 3D harmonic well ½ k r²: F = ½ k s² − 2 k_B T
  // ln s. With D = 3 the Jacobian is removed and k comes back exactly; the raw curvature of F at
  // its minimum s* = sqrt(2 k_B T/k) is k + 2 k_B T/s*² = 2k, which D = 1 would report.
  for (size_t i = 0; i < s.size(); ++i)
    f[i] = i == 0 ? 10.0 : 0.5 * k * s[i] * s[i] - 2.0 * kt * std::log(s[i]);
  const size_t radial_minimum = std::min_element(f.begin(), f.end()) - f.begin();
  EXPECT_NEAR(s[radial_minimum], std::sqrt(2.0 * kt / k), 0.01);
  const BasinCurvature radial = basin_curvature(s, f, radial_minimum, kt, 3, T);
  ASSERT_TRUE(radial.valid);
  EXPECT_NEAR(radial.stiffness, k, 1e-9 * k);
  const BasinCurvature raw = basin_curvature(s, f, radial_minimum, 0.1 * kt, 1, T);
  ASSERT_TRUE(raw.valid);
  EXPECT_NEAR(raw.stiffness, 2.0 * k, 0.05 * 2.0 * k);  // anharmonic over the window: few %
  // Too few points, or a window on a maximum: not valid.
  EXPECT_FALSE(basin_curvature(s, f, radial_minimum, 0.0, 3, T).valid);
  std::vector<double> hill(s.size());
  for (size_t i = 0; i < s.size(); ++i)
    hill[i] = -0.5 * k * (s[i] - s0) * (s[i] - s0);
  EXPECT_FALSE(basin_curvature(s, hill, 300, 10.0).valid);
}

// ν0 = (1/2π) sqrt(k/m), recomputed here in SI units (CODATA 2018 eV and amu).
TEST(BasinCurvature, HarmonicAttemptFrequencyInSiUnits) {
  const double k = 1.6, m = 10.0;
  const double k_si = k * 1.602176634e-19 / 1e-20;  // J/m²
  const double m_si = m * 1.66053906660e-27;        // kg
  const double nu = std::sqrt(k_si / m_si) / (2.0 * M_PI);
  EXPECT_NEAR(harmonic_attempt_frequency(k, m), nu, 1e-12 * nu);
  EXPECT_THROW(harmonic_attempt_frequency(-1.0, m), std::invalid_argument);
}

}  // namespace
}  // namespace glassland
