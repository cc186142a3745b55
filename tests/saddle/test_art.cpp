// ART nouveau on the Müller–Brown landscape (saddle/art.hpp): searches from each minimum find
// its known saddles (computed here independently by Newton's method on the analytic gradient
// and Hessian) to 1e-4 Å and 1e-6 eV, every successful event is a valid first-order saddle that
// connects to the initial minimum, a walk reaches the neighbouring minima, a search's result
// does not depend on the other searches in its batch, and failed searches carry a reason. The
// fault check (issue 16): a search that meets a non-finite force or position, or would move an
// atom farther than the bound in one step, stops there, and the other searches of its batch end
// bitwise as they do in a run where nothing fails.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstring>
#include <iostream>
#include <limits>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "kernels/analytic_landscape.hpp"
#include "saddle/art.hpp"
#include "saddle/saddle_events.hpp"

namespace glassland {
namespace {

constexpr double kScale = 0.01;  // MB energies × 0.01: barriers 0.09–1.06 eV

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
    const double t = kScale * A[k] * std::exp(a[k] * dx * dx + b[k] * dx * dy + c[k] * dy * dy);
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

// Newton's method on ∇V = 0 from a guess: quadratic convergence to round-off.
Stationary newton(double x, double y) {
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

// The landscape's three minima and two saddles (guesses from Müller & Brown 1979).
const Stationary& minimum_a() {
  static const Stationary s = newton(-0.558, 1.442);
  return s;
}
const Stationary& minimum_b() {
  static const Stationary s = newton(0.623, 0.028);
  return s;
}
const Stationary& minimum_c() {
  static const Stationary s = newton(-0.050, 0.467);
  return s;
}
const Stationary& saddle_ac() {
  static const Stationary s = newton(-0.822, 0.624);
  return s;
}
const Stationary& saddle_cb() {
  static const Stationary s = newton(0.212, 0.293);
  return s;
}

ForceField mueller_brown_field() {
  LandscapeParameters p;
  p.kind = LandscapeKind::MullerBrown;
  p.energy_scale = kScale;
  p.stiffness_z = 1.0;
  ForceField field;
  field.add_term(std::make_unique<AnalyticLandscapeTerm>(p));
  return field;
}

Batch mb_batch(int n_replicas) {
  Batch batch(n_replicas, 1, 1);
  auto boxes = Kokkos::create_mirror_view(batch.boxes);
  for (int r = 0; r < n_replicas; ++r) {
    Box box;
    box.lo[0] = box.lo[1] = box.lo[2] = -50.0;
    box.lx = box.ly = box.lz = 100.0;  // not periodic in effect: minimum image is the identity
    boxes(r) = box;
  }
  Kokkos::deep_copy(batch.boxes, boxes);
  Kokkos::deep_copy(batch.elements, 0);
  Kokkos::deep_copy(batch.element_masses, 1.0);
  return batch;
}

ArtMinimum mb_minimum(const Stationary& s) {
  ArtMinimum m;
  m.positions = {s.x, s.y, 0.0};
  m.elements = {0};
  m.box.lo[0] = m.box.lo[1] = m.box.lo[2] = -50.0;
  m.box.lx = m.box.ly = m.box.lz = 100.0;
  return m;
}

// Thresholds scaled to the landscape: features ~0.2 Å wide, curvatures O(1–20) eV/Å² at scale
// 0.01. The force tolerances are tight so that the position error |F|/|λ| at the saddle is far
// below the 1e-4 Å asked for (|λ| ≳ 1 eV/Å² at both saddles).
ArtSettings mb_settings() {
  ArtSettings s;
  s.remove_translations = false;
  s.initial_displacement = 0.05;
  s.push_step = 0.05;
  s.eigenvalue_threshold = -0.30;
  s.eigen_step_max = 0.03;
  s.saddle_force_tolerance = 1e-8;
  s.minimize_force_tolerance = 1e-8;
  s.push_over_distance = 0.05;
  s.connect_tolerance = 0.01;
  s.fire_dt_initial = 0.05;
  s.fire_dt_max = 0.2;
  s.fire_max_displacement = 0.02;
  s.max_convergence_steps = 2000;
  s.minimize_max_steps = 20000;
  s.lanczos_epsilon = 1e-5;
  s.seed = 2024;
  return s;
}

// A test term that breaks the numbers of a region of the landscape (the fault check's input):
// every atom within `radius` of (x0, y0) gets a NaN force (its energy stays finite), or a NaN
// position.
class PoisonTerm : public ForceTerm {
 public:
  enum class What { force, position };
  PoisonTerm(double x0, double y0, double radius, What what)
      : x0_(x0), y0_(y0), radius_(radius), what_(what) {}
  std::string name() const override { return "poison"; }
  void accumulate(Batch& batch, const EvalRequest& request) override {
    const double x0 = x0_, y0 = y0_, radius = radius_;
    const bool position = what_ == What::position;
    const double nan = std::numeric_limits<double>::quiet_NaN();  // host-side: not on the device
    const int n_atoms = batch.n_atoms;
    auto x = batch.positions;
    auto f = batch.forces;
    auto active = request.active;
    Kokkos::parallel_for(
        "test::poison", all_atoms(batch.n_replicas, n_atoms), KOKKOS_LAMBDA(int64_t g) {
          const double dx = x(g, 0) - x0, dy = x(g, 1) - y0;
          if (!replica_is_active(active, static_cast<int>(g / n_atoms)) ||
              !(dx * dx + dy * dy < radius * radius))
            return;
          if (position)
            x(g, 1) = nan;
          else
            f(g, 1) = nan;
        });
  }

 private:
  double x0_, y0_, radius_;
  What what_;
};

const Stationary* nearest(const std::vector<const Stationary*>& candidates, double x, double y) {
  const Stationary* best = nullptr;
  double best_d = 1e300;
  for (const Stationary* s : candidates) {
    const double d = std::hypot(x - s->x, y - s->y);
    if (d < best_d) {
      best_d = d;
      best = s;
    }
  }
  return best;
}

TEST(ArtMuellerBrown, SearchesFindTheKnownSaddlesExactly) {
  Batch batch = mb_batch(8);
  ForceField field = mueller_brown_field();
  ArtEngine engine(batch, field, mb_settings());
  const int from_a = engine.add_minimum(mb_minimum(minimum_a()));
  const int from_c = engine.add_minimum(mb_minimum(minimum_c()));
  ArtRunRequest request;
  request.selection = CenterSelection::random_of_species;
  request.target_successes = 24;
  request.max_attempts = 200;
  const ArtRunResult result = engine.run(request);
  ASSERT_GE(result.successes, 24);
  std::map<std::string, int> outcomes;
  double evaluations = 0.0;
  for (const ArtEvent& event : result.events) {
    ++outcomes[to_string(event.outcome)];
    if (event.success)
      evaluations += event.force_evaluations;
  }
  for (const auto& [outcome, count] : outcomes)
    std::cout << "  " << outcome << ": " << count << "\n";
  std::cout << "  force evaluations per successful search: " << evaluations / result.successes
            << ", batch ticks: " << result.batch_evaluations << "\n";
  const std::vector<const Stationary*> saddles = {&saddle_ac(), &saddle_cb()};
  std::set<const Stationary*> found_from_a, found_from_c;
  for (const ArtEvent& event : result.events) {
    if (!event.success) {
      EXPECT_NE(event.outcome, ArtOutcome::running);
      continue;
    }
    ASSERT_EQ(event.saddle_positions.size(), 3u);
    const double x = event.saddle_positions[0], y = event.saddle_positions[1];
    const Stationary* s = nearest(saddles, x, y);
    EXPECT_NEAR(x, s->x, 1e-4) << "search " << event.search_id;
    EXPECT_NEAR(y, s->y, 1e-4) << "search " << event.search_id;
    EXPECT_NEAR(event.saddle_positions[2], 0.0, 1e-4);
    EXPECT_NEAR(event.e_saddle, s->energy, 1e-6) << "search " << event.search_id;
    EXPECT_LT(event.lambda1, 0.0);
    EXPECT_GT(event.lambda2, 0.0);
    EXPECT_LT(event.saddle_max_force, 1e-8);
    const Stationary& initial = event.minimum_id == from_a ? minimum_a() : minimum_c();
    EXPECT_NEAR(event.e_initial, initial.energy, 1e-9);
    EXPECT_NEAR(event.barrier, s->energy - initial.energy, 1e-6);
    // The final minimum is the minimum on the other side of that saddle.
    const Stationary& other =
        s == &saddle_ac() ? (event.minimum_id == from_a ? minimum_c() : minimum_a()) : minimum_b();
    EXPECT_NEAR(event.final_positions[0], other.x, 1e-4);
    EXPECT_NEAR(event.final_positions[1], other.y, 1e-4);
    EXPECT_NEAR(event.e_final, other.energy, 1e-9);
    EXPECT_NEAR(event.asymmetry, other.energy - initial.energy, 1e-9);
    EXPECT_GT(event.force_evaluations, 0);
    (event.minimum_id == from_a ? found_from_a : found_from_c).insert(s);
  }
  // A's only saddle is A–C; from C both saddles should be found among the random directions.
  EXPECT_EQ(found_from_a, (std::set<const Stationary*>{&saddle_ac()}));
  EXPECT_EQ(found_from_c, (std::set<const Stationary*>{&saddle_ac(), &saddle_cb()}));

  // Duplicates merge: the distinct saddles are exactly the ones found, with counts adding up.
  const std::vector<UniqueSaddle> unique = merge_duplicate_saddles(result.events, 1e-4, 1e-3);
  EXPECT_EQ(unique.size(), found_from_a.size() + found_from_c.size());
  int total = 0;
  for (const UniqueSaddle& u : unique)
    total += u.count;
  EXPECT_EQ(total, result.successes);
}

TEST(ArtMuellerBrown, WalkReachesTheNeighbouringMinima) {
  Batch batch = mb_batch(4);
  ForceField field = mueller_brown_field();
  ArtEngine engine(batch, field, mb_settings());
  engine.add_minimum(mb_minimum(minimum_a()));
  ArtRunRequest request;
  request.walk = true;
  request.target_successes = 16;
  request.max_attempts = 300;
  const ArtRunResult result = engine.run(request);
  ASSERT_GE(result.successes, 16);
  ASSERT_FALSE(result.connections.empty());
  // Every known minimum of the walk is one of the three landscape minima, to 1e-4 Å.
  const std::vector<const Stationary*> minima = {&minimum_a(), &minimum_b(), &minimum_c()};
  std::set<const Stationary*> reached;
  for (const ArtMinimum& m : engine.minima()) {
    const Stationary* s = nearest(minima, m.positions[0], m.positions[1]);
    EXPECT_NEAR(m.positions[0], s->x, 1e-4);
    EXPECT_NEAR(m.positions[1], s->y, 1e-4);
    EXPECT_NEAR(m.energy, s->energy, 1e-9);
    reached.insert(s);
  }
  // From A the walk must pass C to reach B: all three minima appear, each once (matching).
  EXPECT_EQ(reached.size(), 3u);
  EXPECT_EQ(engine.minima().size(), 3u);
  // Connectivity: the A–C and C–B links (both directions allowed), never A–B directly.
  std::set<std::pair<int, int>> links;
  for (const ArtConnection& c : result.connections) {
    const Stationary* a = nearest(minima, engine.minima()[c.minimum_a].positions[0],
                                  engine.minima()[c.minimum_a].positions[1]);
    const Stationary* b = nearest(minima, engine.minima()[c.minimum_b].positions[0],
                                  engine.minima()[c.minimum_b].positions[1]);
    EXPECT_FALSE((a == &minimum_a() && b == &minimum_b()) ||
                 (a == &minimum_b() && b == &minimum_a()));
    EXPECT_NE(a, b);
    EXPECT_EQ(result.events[c.event_index].final_minimum_id, c.minimum_b);
  }
  const ConnectivityGraph graph =
      connectivity_graph(result.events, result.connections, engine.minima());
  EXPECT_EQ(graph.minima_energies.size(), 3u);
  EXPECT_EQ(graph.edges.size(), 2u);  // A–C and C–B, duplicates merged
}

TEST(ArtMuellerBrown, ResultDoesNotDependOnTheBatch) {
  // The same searches (same seed, same search ids) alone and inside a batch of 6.
  auto run_with = [](int n_replicas) {
    Batch batch = mb_batch(n_replicas);
    ForceField field = mueller_brown_field();
    ArtEngine engine(batch, field, mb_settings());
    engine.add_minimum(mb_minimum(minimum_c()));
    ArtRunRequest request;
    request.selection = CenterSelection::listed;
    request.centers = {0};
    request.successes_per_center = 6;  // all six searches run, alone one after the other
    request.max_attempts_per_center = 6;
    request.max_attempts = 6;
    return engine.run(request);
  };
  const ArtRunResult alone = run_with(1);
  const ArtRunResult together = run_with(6);
  ASSERT_FALSE(alone.events.empty());
  std::map<int64_t, const ArtEvent*> by_id;
  for (const ArtEvent& e : together.events)
    by_id[e.search_id] = &e;
  int compared = 0;
  for (const ArtEvent& e : alone.events) {
    ASSERT_TRUE(by_id.count(e.search_id));
    const ArtEvent& f = *by_id[e.search_id];
    EXPECT_EQ(e.outcome, f.outcome);
    EXPECT_EQ(std::memcmp(&e.e_saddle, &f.e_saddle, sizeof(double)), 0);
    EXPECT_EQ(std::memcmp(&e.lambda1, &f.lambda1, sizeof(double)), 0);
    EXPECT_EQ(e.force_evaluations, f.force_evaluations);
    ++compared;
  }
  std::cout << "  compared " << compared << " searches (" << alone.successes << " successful)\n";
  EXPECT_EQ(compared, 6);
}

TEST(ArtMuellerBrown, FailedSearchesKeepTheirReason) {
  // With too few pushes the eigenvalue cannot cross the threshold: every search fails so.
  Batch batch = mb_batch(3);
  ForceField field = mueller_brown_field();
  ArtSettings s = mb_settings();
  s.max_pushes = 1;
  s.push_step = 0.001;
  ArtEngine engine(batch, field, s);
  engine.add_minimum(mb_minimum(minimum_a()));
  ArtRunRequest request;
  request.target_successes = 1;
  request.max_attempts = 5;
  const ArtRunResult result = engine.run(request);
  EXPECT_EQ(result.attempts, 5);
  EXPECT_EQ(result.successes, 0);
  ASSERT_EQ(result.events.size(), 5u);
  for (const ArtEvent& e : result.events)
    EXPECT_EQ(e.outcome, ArtOutcome::never_crossed) << to_string(e.outcome);
}

// Six searches from minimum C (listed centre, every one runs): some go over saddle C–B (x ≈
// 0.21) to minimum B (x ≈ 0.62), the others over A–C (x ≈ −0.82). With a term that breaks the
// forces (or positions) within 0.1 Å of B, the searches that head for B stop there with that fault,
// naming the atom, and every other search ends bitwise as in a batch of one without the term,
// where nothing fails.
ArtRunResult six_searches_from_c(int n_replicas, std::unique_ptr<ForceTerm> extra) {
  Batch batch = mb_batch(n_replicas);
  ForceField field = mueller_brown_field();
  if (extra)
    field.add_term(std::move(extra));
  ArtEngine engine(batch, field, mb_settings());
  engine.add_minimum(mb_minimum(minimum_c()));
  ArtRunRequest request;
  request.selection = CenterSelection::listed;
  request.centers = {0};
  request.successes_per_center = 6;
  request.max_attempts_per_center = 6;
  request.max_attempts = 6;
  return engine.run(request);
}

void expect_faulted_searches_stop_and_others_unchanged(PoisonTerm::What what, ArtOutcome fault) {
  const ArtRunResult clean = six_searches_from_c(1, nullptr);
  const ArtRunResult poisoned =
      six_searches_from_c(3, std::make_unique<PoisonTerm>(minimum_b().x, minimum_b().y, 0.1, what));
  ASSERT_EQ(clean.events.size(), 6u);
  ASSERT_EQ(poisoned.events.size(), 6u);
  int faulted = 0, unchanged = 0;
  for (size_t k = 0; k < clean.events.size(); ++k) {
    const ArtEvent& e = clean.events[k];
    const ArtEvent& f = poisoned.events[k];
    ASSERT_EQ(e.search_id, f.search_id);
    EXPECT_EQ(e.fault_atom, -1);
    if (is_fault(f.outcome)) {
      ++faulted;
      EXPECT_EQ(f.outcome, fault) << to_string(f.outcome);
      EXPECT_EQ(f.fault_atom, 0);
      EXPECT_FALSE(f.success);
      // Without the term this search went over saddle C–B to B.
      ASSERT_TRUE(e.success) << to_string(e.outcome);
      EXPECT_NEAR(e.e_saddle, saddle_cb().energy, 1e-6);
      continue;
    }
    ++unchanged;
    EXPECT_EQ(e.outcome, f.outcome);
    EXPECT_EQ(std::memcmp(&e.e_saddle, &f.e_saddle, sizeof(double)), 0);
    EXPECT_EQ(std::memcmp(&e.e_final, &f.e_final, sizeof(double)), 0);
    EXPECT_EQ(std::memcmp(&e.lambda1, &f.lambda1, sizeof(double)), 0);
    EXPECT_EQ(e.saddle_positions, f.saddle_positions);
    EXPECT_EQ(e.force_evaluations, f.force_evaluations);
  }
  std::cout << "  " << faulted << " searches stopped by the fault, " << unchanged << " unchanged\n";
  EXPECT_GE(faulted, 1);
  EXPECT_GE(unchanged, 1);
}

// Counts, on the host, the force evaluations each replica of the batch takes part in.
class CountingTerm : public ForceTerm {
 public:
  explicit CountingTerm(std::vector<int64_t>& counts) : counts_(counts) {}
  std::string name() const override { return "counting"; }
  void accumulate(Batch& batch, const EvalRequest& request) override {
    counts_.resize(batch.n_replicas, 0);
    const auto active = Kokkos::create_mirror_view_and_copy(HostSpace(), request.active);
    for (int r = 0; r < batch.n_replicas; ++r)
      counts_[r] += active.extent(0) == 0 || active(r) != 0 ? 1 : 0;
  }

 private:
  std::vector<int64_t>& counts_;
};

// docs/art.md (issue 16: it said the Lanczos probes were counted apart): every force evaluation
// of a search is in its force_evaluations, the probes included; lanczos_evaluations is the part of
// them spent in Lanczos. Oracle: the evaluations each replica took part in, counted by a term of
// the force field.
TEST(ArtMuellerBrown, ForceEvaluationsCountEveryEvaluationAndLanczosProbesAreAPartOfThem) {
  std::vector<int64_t> counted;
  ArtRunResult result = six_searches_from_c(3, std::make_unique<CountingTerm>(counted));
  ASSERT_EQ(result.events.size(), 6u);
  int64_t reported = 0;
  for (const ArtEvent& e : result.events) {
    reported += e.force_evaluations;
    EXPECT_GT(e.lanczos_evaluations, 0);
    EXPECT_LT(e.lanczos_evaluations, e.force_evaluations);
  }
  int64_t total = 0;
  for (int64_t n : counted)
    total += n;
  EXPECT_EQ(reported, total);
}

TEST(ArtFaults, NonFiniteForceStopsItsSearchAndLeavesTheOthersBitwise) {
  expect_faulted_searches_stop_and_others_unchanged(PoisonTerm::What::force,
                                                    ArtOutcome::non_finite_forces);
}

TEST(ArtFaults, NonFinitePositionStopsItsSearchAndLeavesTheOthersBitwise) {
  expect_faulted_searches_stop_and_others_unchanged(PoisonTerm::What::position,
                                                    ArtOutcome::non_finite_positions);
}

TEST(ArtFaults, APushLongerThanTheBoundStopsTheSearchBeforeItMoves) {
  // A push of 1.5 Å (more than the 1 Å an atom may move in one step): each search stops at its
  // first push, naming the atom and the move, and its atom has not moved (the stopped search's
  // last configuration is where the push started: the slot's positions are not pushed).
  Batch batch = mb_batch(2);
  ForceField field = mueller_brown_field();
  ArtSettings s = mb_settings();
  s.push_step = 1.5;
  ArtEngine engine(batch, field, s);
  engine.add_minimum(mb_minimum(minimum_a()));
  ArtRunRequest request;
  request.target_successes = 1;
  request.max_attempts = 2;
  const ArtRunResult result = engine.run(request);
  ASSERT_EQ(result.events.size(), 2u);
  for (const ArtEvent& e : result.events) {
    EXPECT_EQ(e.outcome, ArtOutcome::step_too_long) << to_string(e.outcome);
    EXPECT_EQ(e.fault_atom, 0);
    EXPECT_NEAR(e.fault_value, 1.5, 1e-12);  // push_step times a unit vector
    EXPECT_EQ(e.pushes, 1);
  }
  const auto x = Kokkos::create_mirror_view_and_copy(HostSpace(), batch.positions);
  for (int r = 0; r < 2; ++r)  // within the initial displacement and FIRE's steps of minimum A
    EXPECT_LT(std::hypot(x(r, 0) - minimum_a().x, x(r, 1) - minimum_a().y), 0.2);
  // The default push is far below the bound: the same searches run and are not stopped.
  Batch batch_default = mb_batch(2);
  ArtEngine plain(batch_default, field, mb_settings());
  plain.add_minimum(mb_minimum(minimum_a()));
  for (const ArtEvent& e : plain.run(request).events)
    EXPECT_FALSE(is_fault(e.outcome)) << to_string(e.outcome);
}

}  // namespace
}  // namespace glassland
