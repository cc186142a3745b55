// Climbing-image NEB (saddle/neb_band.hpp, saddle/neb_forces.hpp, saddle/idpp.hpp): tangent and
// spring formulas by hand, the assembled band force on a flat landscape, minimum-image
// interpolation, the climbing image on the exact Müller–Brown saddles, batch invariance, and
// IDPP's gradient and its effect on a rotation.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>
#include <vector>

#include "kernels/analytic_landscape.hpp"
#include "saddle/idpp.hpp"
#include "saddle/neb_band.hpp"
#include "saddle/neb_forces.hpp"
#include "saddle/neb_shear.hpp"
#include "saddle/path_geometry.hpp"

namespace glassland {
namespace {

using Point = std::array<double, 3>;
using Configuration = std::vector<Point>;

bool bitwise_equal(double a, double b) {
  return std::memcmp(&a, &b, sizeof(double)) == 0;
}

// ---------------------------------------------------------------------------------------------
// Müller–Brown reference, written here independently of kernels/analytic_landscape.hpp:
// V = Σ A_k exp(a_k (x−x0)² + b_k (x−x0)(y−y0) + c_k (y−y0)²) (Müller & Brown 1979).
struct Stationary {
  double x, y, energy;
};

void mueller_brown_derivatives(double x, double y, double& e, double g[2], double h[2][2]) {
  const double A[4] = {-200.0, -100.0, -170.0, 15.0};
  const double a[4] = {-1.0, -1.0, -6.5, 0.7};
  const double b[4] = {0.0, 0.0, 11.0, 0.6};
  const double c[4] = {-10.0, -10.0, -6.5, 0.7};
  const double x0[4] = {1.0, 0.0, -0.5, -1.0};
  const double y0[4] = {0.0, 0.5, 1.5, 1.0};
  e = 0.0;
  g[0] = g[1] = 0.0;
  h[0][0] = h[0][1] = h[1][0] = h[1][1] = 0.0;
  for (int k = 0; k < 4; ++k) {
    const double dx = x - x0[k], dy = y - y0[k];
    const double t = A[k] * std::exp(a[k] * dx * dx + b[k] * dx * dy + c[k] * dy * dy);
    const double ux = 2.0 * a[k] * dx + b[k] * dy, uy = b[k] * dx + 2.0 * c[k] * dy;
    e += t;
    g[0] += t * ux;
    g[1] += t * uy;
    h[0][0] += t * (ux * ux + 2.0 * a[k]);
    h[0][1] += t * (ux * uy + b[k]);
    h[1][1] += t * (uy * uy + 2.0 * c[k]);
  }
  h[1][0] = h[0][1];
}

// Newton's method on ∇V = 0 converges to the stationary point (minimum or saddle) nearest the
// guess; quadratic convergence takes it to round-off.
Stationary newton_stationary_point(double x, double y) {
  double e, g[2], h[2][2];
  for (int iteration = 0; iteration < 100; ++iteration) {
    mueller_brown_derivatives(x, y, e, g, h);
    const double det = h[0][0] * h[1][1] - h[0][1] * h[1][0];
    const double dx = (h[1][1] * g[0] - h[0][1] * g[1]) / det;
    const double dy = (-h[1][0] * g[0] + h[0][0] * g[1]) / det;
    x -= dx;
    y -= dy;
    if (std::fabs(dx) + std::fabs(dy) < 1e-15)
      break;
  }
  mueller_brown_derivatives(x, y, e, g, h);
  return {x, y, e};
}

// ---------------------------------------------------------------------------------------------
// Batches of bands of one-particle replicas, in a large box (the analytic landscapes are not
// periodic; the box only serves the minimum-image displacements, which it leaves unchanged).
Batch make_band_batch(const std::vector<std::pair<Point, Point>>& endpoints, int n_images,
                      double box_length = 100.0, double mass = 1.0) {
  const int n_bands = static_cast<int>(endpoints.size());
  Batch batch(n_bands * n_images, 1, 1);
  auto positions = Kokkos::create_mirror_view(batch.positions);
  auto boxes = Kokkos::create_mirror_view(batch.boxes);
  for (int b = 0; b < n_bands; ++b) {
    for (int image = 0; image < n_images; ++image) {
      const int r = b * n_images + image;
      const Point& p = image == n_images - 1 ? endpoints[b].second : endpoints[b].first;
      for (int k = 0; k < 3; ++k)
        positions(r, k) = p[k];
      Box box;
      box.lo[0] = box.lo[1] = box.lo[2] = -0.5 * box_length;
      box.lx = box.ly = box.lz = box_length;
      boxes(r) = box;
    }
  }
  Kokkos::deep_copy(batch.positions, positions);
  Kokkos::deep_copy(batch.boxes, boxes);
  Kokkos::deep_copy(batch.elements, 0);
  Kokkos::deep_copy(batch.element_masses, mass);  // amu
  return batch;
}

ForceField mueller_brown_field() {
  LandscapeParameters p;
  p.kind = LandscapeKind::MullerBrown;
  p.energy_scale = 1.0;
  ForceField field;
  field.add_term(std::make_unique<AnalyticLandscapeTerm>(p));
  return field;
}

std::vector<double> host_positions(const Batch& batch) {
  auto positions = Kokkos::create_mirror_view_and_copy(HostSpace(), batch.positions);
  std::vector<double> out(batch.total_atoms() * 3);
  for (int64_t g = 0; g < batch.total_atoms(); ++g)
    for (int k = 0; k < 3; ++k)
      out[g * 3 + k] = positions(g, k);
  return out;
}

NebSettings tight_settings() {
  NebSettings s;
  s.spring_constant = 5.0;   // eV/Å²: Müller–Brown curvatures are O(100–1000) eV/Å²
  s.force_tolerance = 1e-7;  // eV/Å; see the error bound in ClimbingImageFindsExactSaddles
  s.climb_after_iterations = 200;
  s.climb_force_threshold = 5.0;
  s.max_iterations = 20000;
  s.max_displacement = 0.02;  // Å: the landscape's features are ~0.2 Å wide
  return s;
}

// ---------------------------------------------------------------------------------------------
TEST(NebTangent, UphillNeighbourBetweenAndWeightedAtExtrema) {
  // Energy rising through the image: τ = τ+ (Henkelman & Jónsson 2000, Eq. 8).
  TangentWeights w = improved_tangent_weights(0.0, 1.0, 2.0);
  EXPECT_EQ(w.next, 1.0);
  EXPECT_EQ(w.previous, 0.0);
  // Falling: τ = τ− (Eq. 9).
  w = improved_tangent_weights(2.0, 1.0, 0.0);
  EXPECT_EQ(w.next, 0.0);
  EXPECT_EQ(w.previous, 1.0);
  // Maximum with the next neighbour higher: τ = ΔV_max τ+ + ΔV_min τ− (Eqs. 10–11).
  w = improved_tangent_weights(0.0, 3.0, 1.0);  // ΔV+ = 2, ΔV− = 3, V+ > V−
  EXPECT_EQ(w.next, 3.0);
  EXPECT_EQ(w.previous, 2.0);
  // Minimum with the previous neighbour higher: τ = ΔV_min τ+ + ΔV_max τ−.
  w = improved_tangent_weights(5.0, 0.0, 1.0);
  EXPECT_EQ(w.next, 1.0);
  EXPECT_EQ(w.previous, 5.0);
  // Flat: the central difference.
  w = improved_tangent_weights(1.0, 1.0, 1.0);
  EXPECT_EQ(w.next, 1.0);
  EXPECT_EQ(w.previous, 1.0);
}

TEST(NebTangent, ProjectionSpringAndClimbingByHand) {
  // One atom; τ+ = (2, 0, 0), τ− = (1, 0, 0), F = (3, 4, 0), rising energy: τ̂ = x̂.
  ImageDots d;
  d.next_next = 4.0;
  d.prev_prev = 1.0;
  d.next_prev = 2.0;
  d.force_next = 6.0;
  d.force_prev = 3.0;
  const TangentWeights w = improved_tangent_weights(0.0, 1.0, 2.0);
  ImageProjection p = neb_projection(w, d, 0.5, 0.5, false);
  EXPECT_DOUBLE_EQ(p.tangent_scale_next, 0.5);  // τ̂ = τ+/|τ+|
  EXPECT_DOUBLE_EQ(p.tangent_scale_previous, 0.0);
  EXPECT_DOUBLE_EQ(p.force_along_tangent, 3.0);
  EXPECT_DOUBLE_EQ(p.parallel_factor, 1.0);
  EXPECT_DOUBLE_EQ(p.spring, 0.5 * (2.0 - 1.0));  // k (|τ+| − |τ−|), Eq. 12
  // Different spring constants on the two segments (energy-weighted): k+|τ+| − k−|τ−|.
  p = neb_projection(w, d, 0.75, 0.25, false);
  EXPECT_DOUBLE_EQ(p.spring, 0.75 * 2.0 - 0.25 * 1.0);
  // Climbing: parallel part inverted, no spring → F_ci = (−3, 4, 0).
  p = neb_projection(w, d, 0.5, 0.5, true);
  EXPECT_DOUBLE_EQ(p.parallel_factor, 2.0);
  EXPECT_DOUBLE_EQ(p.spring, 0.0);
  EXPECT_DOUBLE_EQ(3.0 - p.parallel_factor * p.force_along_tangent * 1.0, -3.0);
}

TEST(NebTangent, EnergyWeightedSpringLimits) {
  // k_max at the top, k_min at and below the reference, linear in between (CI paper Eq. 6).
  EXPECT_DOUBLE_EQ(energy_weighted_spring(1.0, 0.2, 2.0, 2.0, 0.0), 1.0);
  EXPECT_DOUBLE_EQ(energy_weighted_spring(1.0, 0.2, 0.0, 2.0, 0.0), 0.2);
  EXPECT_DOUBLE_EQ(energy_weighted_spring(1.0, 0.2, -1.0, 2.0, 0.0), 0.2);
  EXPECT_DOUBLE_EQ(energy_weighted_spring(1.0, 0.2, 1.0, 2.0, 0.0), 0.6);
}

// On a flat landscape the band force is the spring force alone, F = k(|τ+| − |τ−|) τ̂, with the
// central-difference tangent; endpoints feel nothing. Images at x = 0, 1, 3, 3.5, 5 along x.
TEST(NebBand, SpringForcesOnAFlatLandscape) {
  const int n_images = 5;
  const double xs[n_images] = {0.0, 1.0, 3.0, 3.5, 5.0};
  Batch batch = make_band_batch({{{0, 0, 0}, {5, 0, 0}}}, n_images);
  auto positions = Kokkos::create_mirror_view_and_copy(HostSpace(), batch.positions);
  for (int image = 0; image < n_images; ++image)
    positions(image, 0) = xs[image];
  Kokkos::deep_copy(batch.positions, positions);
  LandscapeParameters flat;
  flat.kind = LandscapeKind::DoubleWell;
  flat.barrier = 0.0;
  flat.stiffness_y = 0.0;
  flat.stiffness_z = 0.0;
  ForceField field;
  field.add_term(std::make_unique<AnalyticLandscapeTerm>(flat));
  NebSettings settings;
  settings.spring_constant = 2.0;
  settings.climbing = false;
  NebRunner runner(settings);
  runner.start(batch, field, n_images);
  auto neb = Kokkos::create_mirror_view_and_copy(HostSpace(), runner.neb_forces());
  for (int image = 0; image < n_images; ++image) {
    double expected = 0.0;
    if (image > 0 && image < n_images - 1)
      expected = 2.0 * ((xs[image + 1] - xs[image]) - (xs[image] - xs[image - 1]));
    EXPECT_NEAR(neb(image, 0), expected, 1e-14) << "image " << image;
    EXPECT_EQ(neb(image, 1), 0.0);
    EXPECT_EQ(neb(image, 2), 0.0);
  }
  // Relaxed, the images are equally spaced.
  runner.advance(batch, field, 2000);
  const std::vector<BandResult> result = runner.results(batch);
  ASSERT_EQ(result.size(), 1u);
  EXPECT_TRUE(result[0].converged());
}

// Endpoints on both sides of a periodic boundary: the interpolation follows the short way
// through the boundary (segment 0.25 Å), never the 9 Å way across the box.
TEST(NebBand, LinearInterpolationUsesMinimumImage) {
  const int n_images = 5;
  Batch batch = make_band_batch({{{4.5, 0.0, 0.0}, {-4.5, 0.0, 0.0}}}, n_images, 10.0);
  interpolate_linear(batch, n_images);
  const std::vector<double> x = host_positions(batch);
  // Intermediate images are unwrapped continuations of image 0: 4.75, 5.0, 5.25 Å; the final
  // endpoint stays where it was given (−4.5 Å, one box length from 5.5 Å).
  for (int image = 1; image < n_images - 1; ++image)
    EXPECT_NEAR(x[3 * image], 4.5 + 0.25 * image, 1e-12) << "image " << image;
  EXPECT_EQ(x[3 * (n_images - 1)], -4.5);
  LandscapeParameters flat;
  flat.kind = LandscapeKind::DoubleWell;
  flat.barrier = 0.0;
  flat.stiffness_y = 0.0;
  flat.stiffness_z = 0.0;
  ForceField field;
  field.add_term(std::make_unique<AnalyticLandscapeTerm>(flat));
  NebSettings settings;
  settings.climbing = false;
  NebRunner runner(settings);
  runner.start(batch, field, n_images);
  const BandResult band = runner.results(batch)[0];
  EXPECT_NEAR(band.contour_length, 1.0, 1e-12);
  EXPECT_NEAR(band.end_to_end, 1.0, 1e-12);
}

struct MuellerBrownReference {
  Stationary minimum_a, minimum_b, minimum_c, saddle_ac, saddle_cb;
};

MuellerBrownReference reference() {
  return {newton_stationary_point(-0.56, 1.44), newton_stationary_point(0.62, 0.03),
          newton_stationary_point(-0.05, 0.47), newton_stationary_point(-0.82, 0.62),
          newton_stationary_point(0.21, 0.29)};
}

// The climbing image of A→C lands on saddle 1 and that of C→B on saddle 2.
// Error bound: the climbing image's converged force |F| < 1e-7 eV/Å and the saddles'
// smallest |Hessian eigenvalue| (> 100 eV/Å²) bound its distance from the saddle by ~1e-9 Å,
// and the energy error by ~λ δx² ≈ 1e-16 eV — far inside the required 1e-4 Å and 1e-6 eV.
void expect_exact_saddles(const NebSettings& settings, const char* name) {
  SCOPED_TRACE(name);
  const MuellerBrownReference ref = reference();
  ASSERT_LT(ref.saddle_ac.energy, -40.0);
  ASSERT_GT(ref.saddle_ac.energy, -41.0);  // the known saddle at (−0.822, 0.624), −40.66
  ASSERT_LT(ref.saddle_cb.energy, -72.0);
  ASSERT_GT(ref.saddle_cb.energy, -73.0);  // the known saddle at (0.212, 0.293), −72.25
  const int n_images = 9;
  const Stationary& a = ref.minimum_a;
  const Stationary& b = ref.minimum_b;
  const Stationary& c = ref.minimum_c;
  Batch batch = make_band_batch(
      {{{a.x, a.y, 0.0}, {c.x, c.y, 0.0}}, {{c.x, c.y, 0.0}, {b.x, b.y, 0.0}}}, n_images);
  interpolate_linear(batch, n_images);
  ForceField field = mueller_brown_field();
  NebRunner runner(settings);
  const std::vector<BandResult> bands = runner.run(batch, field, n_images);
  ASSERT_EQ(bands.size(), 2u);
  const std::vector<double> x = host_positions(batch);
  const Stationary saddles[2] = {ref.saddle_ac, ref.saddle_cb};
  for (int band = 0; band < 2; ++band) {
    const BandResult& r = bands[band];
    ASSERT_TRUE(r.converged()) << "band " << band << ": " << to_string(r.status) << " after "
                               << r.iterations << " iterations, max force " << r.max_force;
    ASSERT_GE(r.climbing_image, 1);
    ASSERT_LE(r.climbing_image, n_images - 2);
    const int replica = band * n_images + r.climbing_image;
    std::printf(
        "[Müller–Brown, %s, band %d] %d iterations, climbing image %d: |Δx| = %.2e, "
        "|Δy| = %.2e Å, ΔE = %.2e eV from the Newton saddle\n",
        name, band, r.iterations, r.climbing_image, std::fabs(x[3 * replica] - saddles[band].x),
        std::fabs(x[3 * replica + 1] - saddles[band].y),
        std::fabs(r.energies[r.climbing_image] - saddles[band].energy));
    EXPECT_NEAR(x[3 * replica + 0], saddles[band].x, 1e-4);
    EXPECT_NEAR(x[3 * replica + 1], saddles[band].y, 1e-4);
    EXPECT_NEAR(r.energies[r.climbing_image], saddles[band].energy, 1e-6);
    EXPECT_EQ(r.highest_image, r.climbing_image);
    EXPECT_NEAR(r.barrier_forward, saddles[band].energy - r.energies.front(), 1e-6);
    EXPECT_NEAR(r.barrier_backward, saddles[band].energy - r.energies.back(), 1e-6);
    // The climbing image's true force, recomputed from the analytic gradient, is below the
    // tolerance (it is the whole climbing force: F_ci = 0 ⇔ F = 0).
    double e, g[2], h[2][2];
    mueller_brown_derivatives(x[3 * replica], x[3 * replica + 1], e, g, h);
    EXPECT_LT(std::hypot(g[0], g[1]), 1e-6);
    // The cubic fit's maximum sits at the climbing image (zero slope there), within round-off
    // of the fitted cubics' neighbouring segments.
    const EnergyProfileFit fit =
        fit_energy_profile(r.reaction_coordinate, r.energies, r.tangential_force);
    EXPECT_NEAR(fit.max_energy, saddles[band].energy, 1e-3);
    EXPECT_GE(fit.max_energy, saddles[band].energy - 1e-9);
  }
  // Endpoints never moved.
  EXPECT_EQ(x[0], a.x);
  EXPECT_EQ(x[3 * (n_images - 1)], c.x);
}

TEST(NebBand, ClimbingImageFindsExactSaddles) {
  expect_exact_saddles(tight_settings(), "FIRE");
}

// Quickmin (LAMMPS min_style quickmin): the same saddles. Its Δt is fixed, so it must resolve the
// stiffest curvature, ~1000 eV/Å² at mass 1 amu: ω = √(1000·9648.5) ≈ 3100 /ps, Euler stable
// below 2/ω ≈ 6e-4 ps.
TEST(NebBand, QuickminClimbingImageFindsExactSaddles) {
  NebSettings settings = tight_settings();
  settings.optimizer = FireMethod::quickmin;
  settings.quickmin_timestep = 2e-4;
  expect_exact_saddles(settings, "quickmin");
}

// The same with energy-weighted springs: the climber still lands on the saddle.
TEST(NebBand, EnergyWeightedSpringsReachTheSameSaddle) {
  const MuellerBrownReference ref = reference();
  const int n_images = 7;
  Batch batch = make_band_batch(
      {{{ref.minimum_a.x, ref.minimum_a.y, 0.0}, {ref.minimum_c.x, ref.minimum_c.y, 0.0}}},
      n_images);
  interpolate_linear(batch, n_images);
  ForceField field = mueller_brown_field();
  NebSettings settings = tight_settings();
  settings.energy_weighted_springs = true;
  settings.spring_constant = 10.0;
  settings.spring_constant_min = 2.0;
  NebRunner runner(settings);
  const BandResult band = runner.run(batch, field, n_images)[0];
  ASSERT_TRUE(band.converged()) << to_string(band.status) << ", max force " << band.max_force;
  const std::vector<double> x = host_positions(batch);
  EXPECT_NEAR(x[3 * band.climbing_image + 0], ref.saddle_ac.x, 1e-4);
  EXPECT_NEAR(x[3 * band.climbing_image + 1], ref.saddle_ac.y, 1e-4);
  EXPECT_NEAR(band.energies[band.climbing_image], ref.saddle_ac.energy, 1e-6);
}

// A band's result does not depend on the other bands of its batch: A→C alone, and as band 1 of
// three (with C→B and the two-hump A→B around it), bitwise equal positions, energies and
// iteration counts.
TEST(NebBand, BandResultIsIndependentOfTheOtherBands) {
  const MuellerBrownReference ref = reference();
  const Point a{ref.minimum_a.x, ref.minimum_a.y, 0.0};
  const Point b{ref.minimum_b.x, ref.minimum_b.y, 0.0};
  const Point c{ref.minimum_c.x, ref.minimum_c.y, 0.0};
  const int n_images = 9;
  NebSettings settings = tight_settings();
  settings.force_tolerance = 1e-4;
  Batch alone = make_band_batch({{a, c}}, n_images);
  Batch together = make_band_batch({{c, b}, {a, c}, {a, b}}, n_images);
  interpolate_linear(alone, n_images);
  interpolate_linear(together, n_images);
  ForceField field_alone = mueller_brown_field();
  ForceField field_together = mueller_brown_field();
  NebRunner runner_alone(settings), runner_together(settings);
  const BandResult single = runner_alone.run(alone, field_alone, n_images)[0];
  const std::vector<BandResult> many = runner_together.run(together, field_together, n_images);
  ASSERT_TRUE(single.converged());
  ASSERT_EQ(many.size(), 3u);
  const BandResult& same = many[1];
  EXPECT_EQ(single.iterations, same.iterations);
  EXPECT_EQ(single.evaluations, same.evaluations);
  EXPECT_EQ(single.climbing_image, same.climbing_image);
  // The other bands took a different number of iterations: the mask really was exercised.
  EXPECT_NE(many[0].iterations, same.iterations);
  const std::vector<double> x_alone = host_positions(alone);
  const std::vector<double> x_together = host_positions(together);
  for (int image = 0; image < n_images; ++image) {
    EXPECT_TRUE(bitwise_equal(single.energies[image], same.energies[image])) << image;
    for (int k = 0; k < 3; ++k)
      EXPECT_TRUE(bitwise_equal(x_alone[3 * image + k], x_together[3 * (n_images + image) + k]))
          << "image " << image << " component " << k;
  }
  // A→B crosses two saddles: its converged profile has two humps, its climber is at saddle 1.
  if (many[2].converged()) {
    EXPECT_EQ(count_energy_humps(many[2].energies, 1.0), 2);
    EXPECT_FALSE(is_single_hump(many[2].energies));
  }
  EXPECT_TRUE(is_single_hump(same.energies));
}

// A band left out by `participate` is never evaluated or moved; a band that hits the iteration
// cap is reported as such (not converged) and stops there.
TEST(NebBand, MasksAndCapsAreReported) {
  const MuellerBrownReference ref = reference();
  const Point a{ref.minimum_a.x, ref.minimum_a.y, 0.0};
  const Point c{ref.minimum_c.x, ref.minimum_c.y, 0.0};
  const int n_images = 5;
  Batch batch = make_band_batch({{a, c}, {a, c}}, n_images);
  interpolate_linear(batch, n_images);
  const std::vector<double> before = host_positions(batch);
  ForceField field = mueller_brown_field();
  NebSettings settings = tight_settings();
  settings.max_iterations = 25;
  NebRunner runner(settings);
  const std::vector<BandResult> bands = runner.run(batch, field, n_images, {0, 1});
  EXPECT_EQ(bands[0].status, NebStatus::not_participating);
  EXPECT_EQ(bands[0].iterations, 0);
  EXPECT_EQ(bands[0].evaluations, 0);
  EXPECT_EQ(bands[1].status, NebStatus::max_iterations);
  EXPECT_FALSE(bands[1].converged());
  EXPECT_EQ(bands[1].iterations, 25);
  EXPECT_EQ(bands[1].evaluations, n_images + 25 * (n_images - 2));
  const std::vector<double> after = host_positions(batch);
  for (int g = 0; g < n_images; ++g)
    for (int k = 0; k < 3; ++k)
      EXPECT_TRUE(bitwise_equal(before[3 * g + k], after[3 * g + k]));
  EXPECT_NE(before[3 * (n_images + 2)], after[3 * (n_images + 2)]);  // band 1 did move
  EXPECT_THROW(runner.run(batch, field, 3), std::invalid_argument);  // 10 replicas, M = 3
  EXPECT_THROW(runner.run(batch, field, n_images, {1}), std::invalid_argument);
}

// Minimised endpoints land on the Newton minima; intermediate images are left alone.
TEST(NebBand, EndpointMinimisationReachesTheMinima) {
  const MuellerBrownReference ref = reference();
  const int n_images = 3;
  // 10 amu, as the FIRE minimiser's own Müller–Brown tests use: with 1 amu its restarts (half
  // step back, not limited by dmax) can throw the particle out of the basin.
  Batch batch = make_band_batch({{{-0.5, 1.4, 0.0}, {0.5, 0.1, 0.0}}}, n_images, 100.0, 10.0);
  ForceField field = mueller_brown_field();
  FireSettings fire;
  // Steps of ≤ 0.01 Å: the forces here are hundreds of eV/Å, and FIRE's default 0.1 Å steps can
  // carry a particle over the ~0.3 Å-wide ridges into the neighbouring basin.
  fire.max_displacement = 0.01;
  fire.tolerances.ftol = 1e-8;
  fire.tolerances.max_iterations = 20000;
  const auto outcome = minimize_band_endpoints(batch, field, n_images, fire);
  ASSERT_EQ(outcome.size(), 3u);
  EXPECT_TRUE(is_converged(outcome[0].status));
  EXPECT_EQ(outcome[1].status, MinimizerStatus::not_participating);
  EXPECT_TRUE(is_converged(outcome[2].status));
  const std::vector<double> x = host_positions(batch);
  EXPECT_NEAR(x[0], ref.minimum_a.x, 1e-6);
  EXPECT_NEAR(x[1], ref.minimum_a.y, 1e-6);
  EXPECT_NEAR(x[6], ref.minimum_b.x, 1e-6);
  EXPECT_NEAR(x[7], ref.minimum_b.y, 1e-6);
  EXPECT_EQ(x[3], -0.5);  // the middle image still holds the first endpoint's start
}

// IDPP forces are −∇S: central finite differences of the summed energy, on a 4-atom band image.
TEST(Idpp, ForcesAreTheNegativeGradient) {
  const int n_images = 3, n_atoms = 4;
  Batch batch(n_images, n_atoms, 1);
  const double start[n_atoms][3] = {{0, 0, 0}, {1.1, 0.2, 0}, {0.1, 1.3, 0.2}, {0.3, 0.2, 1.2}};
  const double end[n_atoms][3] = {{0.2, 0.1, 0}, {1.4, 0.4, 0.1}, {0.0, 1.0, 0.5}, {0.6, 0.1, 1.0}};
  const double middle[n_atoms][3] = {
      {0.1, 0.0, 0.1}, {1.2, 0.5, 0}, {0.1, 1.1, 0.3}, {0.4, 0.0, 1.3}};
  auto positions = Kokkos::create_mirror_view(batch.positions);
  auto boxes = Kokkos::create_mirror_view(batch.boxes);
  for (int i = 0; i < n_atoms; ++i)
    for (int k = 0; k < 3; ++k) {
      positions(i, k) = start[i][k];
      positions(n_atoms + i, k) = middle[i][k];
      positions(2 * n_atoms + i, k) = end[i][k];
    }
  for (int r = 0; r < n_images; ++r) {
    Box box;
    box.lx = box.ly = box.lz = 50.0;
    boxes(r) = box;
  }
  Kokkos::deep_copy(batch.boxes, boxes);
  ForceField field;
  field.add_term(std::make_unique<IdppTerm>(n_images));
  auto energy_at = [&](int atom, int component, double shift) {
    auto p = positions;  // host mirror, shared
    const double saved = p(n_atoms + atom, component);
    p(n_atoms + atom, component) = saved + shift;
    Kokkos::deep_copy(batch.positions, p);
    field.compute(batch);
    p(n_atoms + atom, component) = saved;
    auto e = Kokkos::create_mirror_view_and_copy(HostSpace(), batch.potential_energy);
    return e(1);
  };
  Kokkos::deep_copy(batch.positions, positions);
  field.compute(batch);
  // A host copy of its own: on a host backend the mirror would alias batch.forces, which the
  // finite-difference evaluations below overwrite.
  std::vector<double> analytic(3 * n_atoms);
  {
    auto forces = Kokkos::create_mirror_view_and_copy(HostSpace(), batch.forces);
    for (int i = 0; i < n_atoms; ++i)
      for (int k = 0; k < 3; ++k)
        analytic[3 * i + k] = forces(n_atoms + i, k);
  }
  const double h = 1e-5;
  for (int i = 0; i < n_atoms; ++i)
    for (int k = 0; k < 3; ++k) {
      const double numeric = -(energy_at(i, k, h) - energy_at(i, k, -h)) / (2 * h);
      // Central differences: error ~h² S''' ≈ 1e-10 for S of order 1.
      EXPECT_NEAR(analytic[3 * i + k], numeric, 1e-7 * (1.0 + std::fabs(numeric)))
          << "atom " << i << " component " << k;
    }
}

// A rigid 90° rotation of an equilateral triangle: the straight line shrinks the triangle by
// cos 45° (29 %) at the middle image; IDPP keeps its side lengths (target: unchanged sides).
TEST(Idpp, KeepsPairDistancesThroughARotation) {
  const int n_images = 5, n_atoms = 3;
  Batch batch(n_images, n_atoms, 1);
  auto positions = Kokkos::create_mirror_view(batch.positions);
  auto boxes = Kokkos::create_mirror_view(batch.boxes);
  const double side = 2.5, radius = side / std::sqrt(3.0);
  for (int i = 0; i < n_atoms; ++i) {
    const double angle = 2.0 * M_PI * i / 3.0;
    for (int image = 0; image < n_images; ++image) {
      const double turn = image == n_images - 1 ? 0.5 * M_PI : 0.0;
      const int64_t g = image * n_atoms + i;
      positions(g, 0) = radius * std::cos(angle + turn);
      positions(g, 1) = radius * std::sin(angle + turn);
      positions(g, 2) = 0.0;
    }
  }
  for (int r = 0; r < n_images; ++r) {
    Box box;
    box.lx = box.ly = box.lz = 50.0;
    boxes(r) = box;
  }
  Kokkos::deep_copy(batch.positions, positions);
  Kokkos::deep_copy(batch.boxes, boxes);
  Kokkos::deep_copy(batch.element_masses, 1.0);
  auto middle_side = [&]() {
    const std::vector<double> x = host_positions(batch);
    const int64_t g = 2 * n_atoms;
    return std::hypot(x[3 * g] - x[3 * (g + 1)], x[3 * g + 1] - x[3 * (g + 1) + 1]);
  };
  interpolate_linear(batch, n_images);
  EXPECT_NEAR(middle_side(), side * std::cos(M_PI / 4.0), 1e-12);
  IdppSettings settings;
  settings.force_tolerance = 1e-4;
  settings.max_iterations = 5000;
  const std::vector<BandResult> bands = interpolate_idpp(batch, n_images, settings);
  EXPECT_TRUE(bands[0].converged());
  EXPECT_NEAR(middle_side(), side, 0.02 * side);
}

// Two endpoint pairs (4 replicas, 2 atoms each) expand to 2 bands of 4 images: images 0..2 copy
// the initial state, image 3 the final state, with elements, ids, images and boxes.
TEST(NebBand, BandsFromEndpointPairs) {
  Batch endpoints(4, 2, 2);
  auto positions = Kokkos::create_mirror_view(endpoints.positions);
  auto elements = Kokkos::create_mirror_view(endpoints.elements);
  auto ids = Kokkos::create_mirror_view(endpoints.ids);
  auto images = Kokkos::create_mirror_view(endpoints.images);
  auto boxes = Kokkos::create_mirror_view(endpoints.boxes);
  for (int r = 0; r < 4; ++r) {
    for (int i = 0; i < 2; ++i) {
      const int g = 2 * r + i;
      for (int k = 0; k < 3; ++k) {
        positions(g, k) = 100.0 * r + 10.0 * i + k;
        images(g, k) = r - k;
      }
      elements(g) = (r + i) % 2;
      ids(g) = 7 + i;
    }
    Box box;
    box.lx = box.ly = box.lz = 20.0 + (r / 2);
    boxes(r) = box;
  }
  Kokkos::deep_copy(endpoints.positions, positions);
  Kokkos::deep_copy(endpoints.elements, elements);
  Kokkos::deep_copy(endpoints.ids, ids);
  Kokkos::deep_copy(endpoints.images, images);
  Kokkos::deep_copy(endpoints.boxes, boxes);
  Kokkos::deep_copy(endpoints.element_masses, 3.0);
  const int n_images = 4;
  Batch bands = make_bands_from_endpoints(endpoints, n_images);
  ASSERT_EQ(bands.n_replicas, 8);
  auto p = Kokkos::create_mirror_view_and_copy(HostSpace(), bands.positions);
  auto e = Kokkos::create_mirror_view_and_copy(HostSpace(), bands.elements);
  auto d = Kokkos::create_mirror_view_and_copy(HostSpace(), bands.ids);
  auto im = Kokkos::create_mirror_view_and_copy(HostSpace(), bands.images);
  auto bx = Kokkos::create_mirror_view_and_copy(HostSpace(), bands.boxes);
  auto masses = Kokkos::create_mirror_view_and_copy(HostSpace(), bands.element_masses);
  EXPECT_EQ(masses(1), 3.0);
  for (int r = 0; r < 8; ++r) {
    const int band = r / n_images;
    const int source = 2 * band + (r % n_images == n_images - 1 ? 1 : 0);
    EXPECT_EQ(bx(r).lx, 20.0 + band);
    for (int i = 0; i < 2; ++i) {
      const int g = 2 * r + i;
      for (int k = 0; k < 3; ++k) {
        EXPECT_EQ(p(g, k), 100.0 * source + 10.0 * i + k);
        EXPECT_EQ(im(g, k), source - k);
      }
      EXPECT_EQ(e(g), (source + i) % 2);
      EXPECT_EQ(d(g), 7 + i);
    }
  }
  EXPECT_THROW(make_bands_from_endpoints(Batch(3, 1, 1), n_images), std::invalid_argument);
}

TEST(NebShear, AffineShearMovesPositionsAndTiltsTheBox) {
  Batch batch = make_band_batch({{{1.0, 2.0, 3.0}, {4.0, -5.0, 6.0}}}, 3, 20.0);
  {
    auto boxes = Kokkos::create_mirror_view_and_copy(HostSpace(), batch.boxes);
    for (int r = 0; r < batch.n_replicas; ++r)
      boxes(r).yz = 3.0;  // c = (xz, yz, lz) has a y part: xz must follow (xz += γ yz)
    Kokkos::deep_copy(batch.boxes, boxes);
  }
  apply_affine_shear_xy(batch, 0.1);
  const std::vector<double> x = host_positions(batch);
  // x ← x + γ (y − y_lo) with y_lo = −10 Å.
  EXPECT_DOUBLE_EQ(x[0], 1.0 + 0.1 * 12.0);
  EXPECT_DOUBLE_EQ(x[1], 2.0);
  EXPECT_DOUBLE_EQ(x[6], 4.0 + 0.1 * 5.0);
  auto boxes = Kokkos::create_mirror_view_and_copy(HostSpace(), batch.boxes);
  EXPECT_DOUBLE_EQ(boxes(2).xy, 0.1 * 20.0);
  EXPECT_DOUBLE_EQ(boxes(2).xz, 0.1 * 3.0);
}

// The Müller–Brown landscape does not depend on the box: after an affine shear the re-minimised
// endpoints and the re-converged band return to the same minima and saddle, so ΔE_A(γ) must
// vanish (to the convergence tolerance: |F| < 1e-7 eV/Å gives energy errors ≪ 1e-6 eV) and no
// band may lose its single hump. A sheared EAM glass would give non-zero ΔE_A; this test checks
// the bookkeeping (reference, restore, re-minimise, re-converge) on a case with a known answer.
TEST(NebShear, BoxIndependentLandscapeHasNoBarrierChange) {
  const MuellerBrownReference ref = reference();
  const int n_images = 7;
  Batch batch = make_band_batch(
      {{{ref.minimum_a.x, ref.minimum_a.y, 0.0}, {ref.minimum_c.x, ref.minimum_c.y, 0.0}},
       {{ref.minimum_c.x, ref.minimum_c.y, 0.0}, {ref.minimum_b.x, ref.minimum_b.y, 0.0}}},
      n_images, 100.0, 10.0);  // 10 amu: see EndpointMinimisationReachesTheMinima
  // Shear about y = 0, so that γ y moves the particles (0 < y < 1.5 Å) by < 0.1 Å and they stay
  // in their basins; about the default y_lo = −50 Å the shear would carry them ~2 Å away.
  {
    auto boxes = Kokkos::create_mirror_view_and_copy(HostSpace(), batch.boxes);
    for (int r = 0; r < batch.n_replicas; ++r)
      boxes(r).lo[1] = 0.0;
    Kokkos::deep_copy(batch.boxes, boxes);
  }
  interpolate_linear(batch, n_images);
  ForceField field = mueller_brown_field();
  ShearSettings settings;
  settings.neb = tight_settings();
  settings.endpoint_fire.max_displacement = 0.01;  // as in EndpointMinimisationReachesTheMinima
  settings.endpoint_fire.tolerances.ftol = 1e-8;
  settings.endpoint_fire.tolerances.max_iterations = 20000;
  NebRunner(settings.neb).run(batch, field, n_images);
  const std::vector<double> before = host_positions(batch);
  const ShearResponse response = neb_shear_response(batch, field, n_images, {0.02, 0.05}, settings);
  ASSERT_EQ(response.lost_bands.size(), 2u);
  for (int s = 0; s < 2; ++s) {
    EXPECT_EQ(response.lost_bands[s], 0);
    for (int b = 0; b < 2; ++b) {
      EXPECT_TRUE(response.converged[b][s]);
      EXPECT_EQ(response.humps[b][s], 1);
      EXPECT_TRUE(response.single_hump[b][s]);
      EXPECT_NEAR(response.barrier_change[b][s], 0.0, 1e-6) << "band " << b << " strain " << s;
    }
  }
  EXPECT_NEAR(response.barrier_forward[0][0], ref.saddle_ac.energy - ref.minimum_a.energy, 1e-6);
  // The batch is handed back as it was given.
  EXPECT_EQ(host_positions(batch), before);
}

}  // namespace
}  // namespace glassland
