// Reactive-flux transmission coefficient (cv/transmission_coefficient.hpp) against Kramers'
// theory on the analytic double well.
//
// Oracle: a particle of mass m in V(x) = h((x/w)² − 1)² driven by Langevin dynamics with
// friction γ crosses the barrier at x = 0 with the transmission coefficient of Kramers'
// spatial-diffusion regime (Kramers, Physica 7, 284 (1940); Hänggi, Talkner & Borkovec, Rev.
// Mod. Phys. 62, 251 (1990), Eq. 4.8):
//   κ = sqrt(1 + α²) − α,  α = γ / (2 ω_b),  ω_b² = |V''(0)| / m = 4h / (w² m),
// exact for a parabolic barrier top in the limit of a high barrier; the regime holds for
// γ ≫ ω_b k_BT/h (here γ/ω_b ≥ 1 with h = 7.7 k_BT). The dynamics and the spectator particle are
// those of the metadynamics acceptance test (metadynamics_double_well_run.hpp): particle 0 is
// an exact Langevin particle at T.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdio>

#include "cv/cluster_rmsd.hpp"
#include "cv/displacement_x.hpp"
#include "cv/hop_distance.hpp"
#include "cv/transmission_coefficient.hpp"
#include "metadynamics_double_well_run.hpp"

namespace glassland {
namespace {

using testing_double_well::RunSettings;

struct KramersCase {
  RunSettings run;
  double alpha = 1.0;  // γ / 2ω_b
  ReactiveFluxSettings flux;
};

double barrier_frequency(const RunSettings& run) {
  return std::sqrt(4.0 * run.barrier / (run.half_width * run.half_width * run.mass) *
                   units::kForceOverMassToAccel);
}

KramersCase kramers_case(double alpha) {
  KramersCase c;
  c.alpha = alpha;
  c.run.n_replicas = 16;
  c.run.damping = 1.0 / (2.0 * alpha * barrier_frequency(c.run));  // ps, 1/γ
  c.flux.shots = 256;
  c.flux.restraint_stiffness = 20.0;  // eV/Å²: the surface's thickness sqrt(k_BT/k) = 0.04 Å
  c.flux.equilibration_steps = 500;
  c.flux.decorrelation_steps = 50;  // 0.1 ps ≫ 1/γ: velocities and y, z forgotten
  // Committed after 0.5 ps on one side: ≫ the barrier-region time (~γ/ω_b² ≤ 0.15 ps), ≪ the
  // mean time between crossings (exp(h/k_BT)/ν ≈ 200 ps).
  c.flux.commitment_time = 0.5;
  c.flux.sample_stride = 1;  // every step: the recrossings Kramers' κ accounts for are seen
  c.flux.max_shot_time = 3.0;
  c.flux.grid_lower = -3.0;
  c.flux.grid_upper = 3.0;
  return c;
}

ShootingDynamics langevin(const RunSettings& run, const std::vector<uint64_t>& seeds) {
  ShootingDynamics d;
  d.integrator.timestep = run.timestep;
  d.integrator.ensemble = Ensemble::nvt_langevin;
  const size_t n = seeds.size();
  d.temperature.assign(n, 2.0 * run.temperature);  // the spectator trick: particle 0 at T
  d.thermostat_tau.assign(n, run.damping);
  d.seeds = seeds;
  return d;
}

std::vector<TransmissionEstimate> estimate(const KramersCase& c, const std::vector<uint64_t>& seeds,
                                           const std::vector<DividingSurface>& surfaces) {
  RunSettings run = c.run;
  run.n_replicas = static_cast<int>(seeds.size());
  Batch batch = testing_double_well::make_double_well_batch(run);
  const LandscapeParameters landscape = testing_double_well::double_well_landscape(run);
  const std::vector<CvDefinition> cvs(seeds.size(),
                                      CvDefinition{cv_kind<DisplacementX>, {0}, {{0.0, 0.0, 0.0}}});
  return estimate_transmission_coefficients(
      batch, [&] { return std::make_unique<AnalyticLandscapeTerm>(landscape); }, cvs, surfaces,
      langevin(run, seeds), c.flux);
}

std::vector<uint64_t> seeds_for(int n, uint64_t base) {
  std::vector<uint64_t> seeds;
  for (int r = 0; r < n; ++r)
    seeds.push_back(base + 104729 * static_cast<uint64_t>(r));
  return seeds;
}

// All replicas' shots as one sample (every replica shoots at the same surface), summarised.
TransmissionEstimate pooled_shots(const std::vector<TransmissionEstimate>& estimates) {
  TransmissionEstimate pooled;
  for (const auto& e : estimates) {
    pooled.flux_weights.insert(pooled.flux_weights.end(), e.flux_weights.begin(),
                               e.flux_weights.end());
    pooled.outcomes.insert(pooled.outcomes.end(), e.outcomes.begin(), e.outcomes.end());
  }
  summarize_shots(pooled);
  return pooled;
}

void expect_kramers(double alpha) {
  const KramersCase c = kramers_case(alpha);
  const int n = c.run.n_replicas;
  const auto estimates =
      estimate(c, seeds_for(n, 20261122), std::vector<DividingSurface>(n, {true, 0.0, +1}));
  for (const auto& e : estimates) {
    ASSERT_TRUE(e.computed);
    EXPECT_EQ(e.shots, c.flux.shots);
  }
  const TransmissionEstimate pooled = pooled_shots(estimates);
  const double kramers = std::sqrt(1.0 + alpha * alpha) - alpha;
  std::printf("α = %.2f: κ = %.4f ± %.4f (%d reactive of %d shots, %d undecided), Kramers %.4f\n",
              alpha, pooled.kappa, pooled.standard_error, pooled.reactive, pooled.shots,
              pooled.undecided, kramers);
  EXPECT_EQ(pooled.undecided, 0);
  // Tolerance: 4 standard errors of the estimate, plus 5 % of κ for the corrections to the
  // parabolic-barrier result at h = 7.7 k_BT (quartic top: h(x/w)⁴ ≈ 3 % of k_BT at the thermal
  // width of the crossing region, 0.25 Å).
  EXPECT_NEAR(pooled.kappa, kramers, 4.0 * pooled.standard_error + 0.05 * kramers);
}

TEST(TransmissionCoefficient, MatchesKramersAtModerateFriction) {
  expect_kramers(0.5);
}

TEST(TransmissionCoefficient, MatchesKramersAtHighFriction) {
  expect_kramers(2.0);
}

// The CV is sampled every sample_stride steps (metad's CV stride); a stride that does not divide
// the commitment time still lets a forward half commit. Sampling less often can only miss
// recrossings, so κ cannot fall below the every-step value (beyond noise).
TEST(TransmissionCoefficient, StrideThatDoesNotDivideTheCommitmentTime) {
  KramersCase every_step = kramers_case(2.0);
  every_step.run.n_replicas = 4;
  every_step.flux.shots = 128;
  KramersCase strided = every_step;
  strided.flux.sample_stride = 7;  // 0.014 ps; the commitment time is 250 steps
  const std::vector<uint64_t> seeds = seeds_for(4, 99);
  const std::vector<DividingSurface> surfaces(4, {true, 0.0, +1});
  const TransmissionEstimate a = pooled_shots(estimate(every_step, seeds, surfaces));
  const TransmissionEstimate b = pooled_shots(estimate(strided, seeds, surfaces));
  std::printf("every step: κ = %.4f ± %.4f; every 7 steps: κ = %.4f ± %.4f\n", a.kappa,
              a.standard_error, b.kappa, b.standard_error);
  EXPECT_GT(b.reactive, 0);
  EXPECT_GT(b.kappa, a.kappa - 4.0 * std::hypot(a.standard_error, b.standard_error));
}

// A replica's shots depend on its own seed and surface, not on its batch slot or neighbours.
TEST(TransmissionCoefficient, ReplicaAloneEqualsReplicaInBatch) {
  KramersCase c = kramers_case(1.0);
  c.flux.shots = 6;
  const uint64_t seed = 77;
  const auto alone = estimate(c, {seed}, {{true, 0.0, +1}});
  const auto batch = estimate(c, {5, seed, 9}, {{true, 0.1, +1}, {true, 0.0, +1}, {false, 0, 1}});
  ASSERT_TRUE(alone[0].computed);
  ASSERT_TRUE(batch[1].computed);
  EXPECT_FALSE(batch[2].computed);
  EXPECT_EQ(alone[0].outcomes, batch[1].outcomes);
  EXPECT_EQ(alone[0].flux_weights, batch[1].flux_weights);
  EXPECT_NE(batch[0].flux_weights, batch[1].flux_weights);
}

// A run stopped after some rounds and resumed from the state it reported then (what task metad
// checkpoints) ends with the same shots, bitwise, as the uninterrupted run.
TEST(TransmissionCoefficient, ResumedRunEqualsTheUninterruptedRun) {
  KramersCase c = kramers_case(1.0);
  c.flux.shots = 6;
  RunSettings run = c.run;
  run.n_replicas = 2;
  const std::vector<uint64_t> seeds{11, 12};
  const std::vector<DividingSurface> surfaces(2, {true, 0.0, +1});
  const std::vector<CvDefinition> cvs(2,
                                      CvDefinition{cv_kind<DisplacementX>, {0}, {{0.0, 0.0, 0.0}}});
  const LandscapeParameters landscape = testing_double_well::double_well_landscape(run);
  const auto physical = [&] { return std::make_unique<AnalyticLandscapeTerm>(landscape); };

  // The uninterrupted run, keeping a deep copy of what it reported after round 3.
  Batch batch = testing_double_well::make_double_well_batch(run);
  Batch stopped = testing_double_well::make_double_well_batch(run);
  MdIntegrator chain_copy(2, 2, langevin(run, seeds).integrator);
  ReactiveFluxProgress at_three;
  const auto straight =
      estimate_transmission_coefficients(batch, physical, cvs, surfaces, langevin(run, seeds),
                                         c.flux, [&](const ReactiveFluxProgress& p) {
                                           if (p.shots_done != 3)
                                             return;
                                           at_three = p;
                                           deep_copy_state(chain_copy.state(), p.chain_state);
                                           at_three.chain_state = chain_copy.state();
                                           Kokkos::deep_copy(stopped.positions, batch.positions);
                                           Kokkos::deep_copy(stopped.velocities, batch.velocities);
                                           Kokkos::deep_copy(stopped.images, batch.images);
                                         });
  ASSERT_EQ(at_three.shots_done, 3);
  ASSERT_EQ(at_three.estimates[0].outcomes.size(), 3u);

  const auto resumed = estimate_transmission_coefficients(
      stopped, physical, cvs, surfaces, langevin(run, seeds), c.flux, {}, &at_three);
  for (int r = 0; r < 2; ++r) {
    EXPECT_EQ(straight[r].outcomes, resumed[r].outcomes) << r;
    EXPECT_EQ(straight[r].flux_weights, resumed[r].flux_weights) << r;
    EXPECT_EQ(straight[r].kappa, resumed[r].kappa) << r;
  }
}

// Shots start exactly on the dividing surface. Hop distance: the Newton step is exact, the atom
// moves radially from its reference to distance s*. Cluster RMSD (13 atoms, rotated and
// distorted from the reference): s = s* to 1e-10 after the projection, with a displacement
// within 2 % of the first-order minimum |s* − s| / |∇s|.
TEST(TransmissionCoefficient, ShotsStartOnTheDividingSurface) {
  Box box;
  box.lx = box.ly = box.lz = 100.0;
  const CvDefinition hop{cv_kind<HopDistance>, {0}, {{1.0, 2.0, 3.0}}};
  std::vector<double> x{1.3, 2.4, 3.0};
  ASSERT_TRUE(move_onto_cv_surface(hop, box, x, 1.5));
  const double radial = 1.5 / 0.5;  // |x − ref| was 0.5
  EXPECT_NEAR(x[0], 1.0 + 0.3 * radial, 1e-12);
  EXPECT_NEAR(x[1], 2.0 + 0.4 * radial, 1e-12);
  EXPECT_NEAR(x[2], 3.0, 1e-12);

  CvDefinition cluster{cv_kind<ClusterRmsd>, {}, {}};
  std::vector<double> positions;
  const double c = std::cos(0.7), s = std::sin(0.7);
  for (int a = 0; a < 13; ++a) {
    const std::array<double, 3> ref{50.0 + 2.5 * std::cos(1.3 * a), 50.0 + 2.5 * std::sin(2.1 * a),
                                    50.0 + 0.3 * a};
    cluster.atoms.push_back(a);
    cluster.reference.push_back(ref);
    // Rotated about z by 0.7 rad and distorted.
    const double dx = ref[0] - 50.0, dy = ref[1] - 50.0;
    positions.insert(positions.end(), {60.0 + c * dx - s * dy + 0.05 * std::sin(a),
                                       55.0 + s * dx + c * dy + 0.04 * std::cos(3.0 * a),
                                       ref[2] + 0.06 * std::sin(5.0 * a)});
  }
  std::vector<double> gradient(positions.size()), reference;
  for (const auto& r : cluster.reference)
    reference.insert(reference.end(), r.begin(), r.end());
  const double before =
      ClusterRmsd::evaluate(box, 13, positions.data(), reference.data(), gradient.data());
  double norm2 = 0.0;
  for (double g : gradient)
    norm2 += g * g;
  for (double target : {before + 0.2, 0.5 * before}) {
    std::vector<double> moved = positions;
    ASSERT_TRUE(move_onto_cv_surface(cluster, box, moved, target));
    EXPECT_NEAR(ClusterRmsd::evaluate(box, 13, moved.data(), reference.data(), gradient.data()),
                target, 1e-10);
    double displacement = 0.0;
    for (size_t i = 0; i < moved.size(); ++i)
      displacement += (moved[i] - positions[i]) * (moved[i] - positions[i]);
    EXPECT_NEAR(std::sqrt(displacement) / (std::abs(target - before) / std::sqrt(norm2)), 1.0, 0.02)
        << target;
  }
}

TEST(TransmissionCoefficient, RejectsSettingsThatCannotCommit) {
  KramersCase c = kramers_case(1.0);
  c.flux.max_shot_time = c.flux.commitment_time;  // no forward shot could ever commit
  EXPECT_THROW(estimate(c, {1}, {{true, 0.0, +1}}), std::invalid_argument);
  c = kramers_case(1.0);
  c.flux.shots = 0;
  EXPECT_THROW(estimate(c, {1}, {{true, 0.0, +1}}), std::invalid_argument);
}

}  // namespace
}  // namespace glassland
