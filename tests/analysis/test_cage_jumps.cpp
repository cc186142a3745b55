// Cage-jump detection (analysis/cage_jumps.hpp) on synthetic trajectories with planted jumps,
// vibrations, a back-and-forth pair, an excursion that comes back and a jump at the edge: the
// kept jumps are exactly the planted ones.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "analysis/cage_jumps.hpp"

namespace glassland::analysis {
namespace {

TEST(CageJumps, PlantedJumpsAreRecoveredExactly) {
  const std::size_t atoms = 6, samples = 1000;
  const double interval = 5.0, u2 = 0.1;
  // Displacements applied from a sample on: (atom, sample, vector).
  struct Step {
    std::size_t atom, sample;
    std::array<double, 3> d;
  };
  const std::vector<Step> steps = {
      {1, 300, {2.5, 0, 0}},                            // one jump at a window boundary
      {2, 200, {0, 2.5, 0}}, {2, 610, {2.0, 0, 1.5}},   // two jumps, the second mid-window
      {3, 300, {2.5, 0, 0}}, {3, 500, {-2.4, 0.3, 0}},  // back and forth: |sum| = 0.32 Å
      {4, 400, {3.0, 0, 0}}, {4, 410, {-3.0, 0, 0}},    // excursion: net 0, dropped short
      {5, 10, {0, 0, 2.5}},                             // in the first window: at the edge
  };
  std::mt19937_64 engine(5);
  std::uniform_real_distribution<double> vibration(-0.25, 0.25);  // variance 0.0625 per atom
  CageJumpSettings settings;
  settings.u2_A2 = u2;
  CageJumpDetector detector(settings, atoms, interval);
  std::vector<double> site(3 * atoms, 0.0);
  for (std::size_t i = 0; i < atoms; ++i)
    site[3 * i] = 10.0 * i;
  for (std::size_t k = 0; k < samples; ++k) {
    for (const Step& s : steps)
      if (s.sample == k)
        for (int d = 0; d < 3; ++d)
          site[3 * s.atom + d] += s.d[d];
    std::vector<double> x = site;
    for (double& v : x)
      v += vibration(engine);
    detector.add_frame(x);
  }
  const CageJumpResult r = detector.finish();
  EXPECT_EQ(r.window_samples, 40u);
  EXPECT_EQ(r.windows, (samples - 40) / 20 + 1);
  EXPECT_EQ(r.jumps_per_atom, (std::vector<int>{0, 1, 2, 0, 0, 0}));
  EXPECT_EQ(r.dropped_at_edge, 1u);
  EXPECT_EQ(r.dropped_short, 1u);
  EXPECT_EQ(r.dropped_back_and_forth, 2u);
  ASSERT_EQ(r.jumps.size(), 3u);
  const std::array<double, 3> expected[3] = {{2.5, 0, 0}, {0, 2.5, 0}, {2.0, 0, 1.5}};
  const double when[3] = {300 * interval, 200 * interval, 610 * interval};
  // Each component is a difference of two 40-sample means of uniform noise of standard deviation
  // 0.25/√3: σ = 0.144·√(2/40) = 0.032 Å; 5σ = 0.16 Å.
  for (int j = 0; j < 3; ++j) {
    for (int d = 0; d < 3; ++d)
      EXPECT_NEAR(r.jumps[j].vector[d], expected[j][d], 0.16) << j;
    EXPECT_LE(r.jumps[j].start_ps, when[j]);
    EXPECT_GE(r.jumps[j].end_ps, when[j]);
  }
  EXPECT_LT(r.jumps[2].first_window, r.jumps[2].last_window);  // two windows, merged
  const CageJumpStatistics all = cage_jump_statistics(r, {}, 3);
  EXPECT_EQ(all.jumps, 3u);
  EXPECT_DOUBLE_EQ(all.rate_per_ps, 3.0 / (atoms * (samples - 1) * interval));
  const double l2 = (r.jumps[0].length * r.jumps[0].length + r.jumps[1].length * r.jumps[1].length +
                     r.jumps[2].length * r.jumps[2].length) /
                    3;
  EXPECT_DOUBLE_EQ(all.mean_squared_length_A2, l2);
  EXPECT_DOUBLE_EQ(all.diffusion_m2_per_s, all.rate_per_ps * l2 / 6 * 1e-8);
}

TEST(CageJumps, RejectsWindowsTooShortForTheSampling) {
  CageJumpSettings s;
  s.u2_A2 = 0.1;
  s.window_ps = 10.0;
  EXPECT_THROW(CageJumpDetector(s, 3, 5.0), std::invalid_argument);
  s.u2_A2 = 0.0;
  s.window_ps = 200.0;
  EXPECT_THROW(CageJumpDetector(s, 3, 5.0), std::invalid_argument);
}

}  // namespace
}  // namespace glassland::analysis
