// Collective variables (cv/): exact gradients against central finite differences, invariances
// of the cluster RMSD, the hop distance across periodic boundaries of orthogonal and triclinic
// boxes, cluster selection, the registry, and batch invariance of the one-launch evaluation.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstring>
#include <random>
#include <vector>

#include "cv/cv_set.hpp"

namespace glassland {
namespace {

using Points = std::vector<std::array<double, 3>>;

std::vector<double> flatten(const Points& p) {
  std::vector<double> out;
  for (const auto& x : p)
    out.insert(out.end(), x.begin(), x.end());
  return out;
}

Box cubic_box(double length) {
  Box box;
  box.lx = box.ly = box.lz = length;
  return box;
}

Box triclinic_box() {
  Box box;
  box.lo[0] = -3.0;
  box.lo[1] = 1.0;
  box.lo[2] = 2.0;
  box.lx = 17.0;
  box.ly = 15.0;
  box.lz = 16.0;
  box.xy = 4.5;
  box.xz = -3.0;
  box.yz = 2.5;
  return box;
}

// Rotation by `angle` about the unit vector along `axis` (Rodrigues).
std::array<std::array<double, 3>, 3> rotation(std::array<double, 3> axis, double angle) {
  const double n = std::sqrt(axis[0] * axis[0] + axis[1] * axis[1] + axis[2] * axis[2]);
  for (double& a : axis)
    a /= n;
  const double c = std::cos(angle), s = std::sin(angle), t = 1.0 - c;
  const double x = axis[0], y = axis[1], z = axis[2];
  return {{{t * x * x + c, t * x * y - s * z, t * x * z + s * y},
           {t * x * y + s * z, t * y * y + c, t * y * z - s * x},
           {t * x * z - s * y, t * y * z + s * x, t * z * z + c}}};
}

Points transform(const Points& p, const std::array<std::array<double, 3>, 3>& r,
                 const std::array<double, 3>& shift) {
  Points out;
  for (const auto& x : p) {
    std::array<double, 3> y{};
    for (int a = 0; a < 3; ++a)
      y[a] = r[a][0] * x[0] + r[a][1] * x[1] + r[a][2] * x[2] + shift[a];
    out.push_back(y);
  }
  return out;
}

// A 13-atom cluster: a centre and 12 neighbours at roughly nearest-neighbour distance, randomly
// displaced (fixed seed) so that it has no symmetry that would make the optimal rotation
// degenerate.
Points random_cluster(std::mt19937_64& rng) {
  std::normal_distribution<double> jitter(0.0, 0.25);
  Points p = {{0, 0, 0}};
  const double a = 2.55 / std::sqrt(2.0);
  const int offsets[12][3] = {{1, 1, 0}, {1, -1, 0}, {-1, 1, 0}, {-1, -1, 0},
                              {1, 0, 1}, {1, 0, -1}, {-1, 0, 1}, {-1, 0, -1},
                              {0, 1, 1}, {0, 1, -1}, {0, -1, 1}, {0, -1, -1}};
  for (const auto& o : offsets)
    p.push_back({a * o[0] + jitter(rng), a * o[1] + jitter(rng), a * o[2] + jitter(rng)});
  return p;
}

template <class Cv>
double value_of(const Box& box, const Points& x, const Points& reference,
                std::vector<double>* gradient = nullptr) {
  const std::vector<double> xf = flatten(x), rf = flatten(reference);
  std::vector<double> g(xf.size());
  const double s = Cv::evaluate(box, static_cast<int>(x.size()), xf.data(), rf.data(), g.data());
  if (gradient)
    *gradient = g;
  return s;
}

// Largest |analytic − central difference| over every coordinate of every atom. Step 1e-5 Å:
// the truncation error h²/6·s''' is ~1e-11 for curvatures of order 1/Å² and the round-off
// error ε·s/h ~ 1e-11, so agreement to 1e-8 means the gradient is exact.
template <class Cv>
double gradient_error(const Box& box, const Points& x, const Points& reference) {
  std::vector<double> analytic;
  value_of<Cv>(box, x, reference, &analytic);
  const double h = 1e-5;
  double worst = 0.0;
  for (size_t i = 0; i < x.size(); ++i) {
    for (int k = 0; k < 3; ++k) {
      Points plus = x, minus = x;
      plus[i][k] += h;
      minus[i][k] -= h;
      const double numeric =
          (value_of<Cv>(box, plus, reference) - value_of<Cv>(box, minus, reference)) / (2 * h);
      worst = std::max(worst, std::abs(numeric - analytic[3 * i + k]));
    }
  }
  return worst;
}

TEST(ClusterRmsd, GradientMatchesFiniteDifferencesAtSmallAndLargeRotations) {
  std::mt19937_64 rng(20240611);
  std::normal_distribution<double> noise(0.0, 0.3);
  const Box box = cubic_box(40.0);
  const Points reference = random_cluster(rng);
  for (double degrees : {0.0, 30.0, 90.0, 135.0, 170.0, 179.0}) {
    Points distorted = reference;
    for (auto& x : distorted)
      for (double& c : x)
        c += noise(rng);
    const Points x =
        transform(distorted, rotation({0.3, -0.8, 0.5}, degrees * M_PI / 180.0), {5.0, -2.0, 7.5});
    const double s = value_of<ClusterRmsd>(box, x, reference);
    EXPECT_GT(s, 0.1) << degrees;  // a genuine distortion, far from the s = 0 cusp
    EXPECT_LT(gradient_error<ClusterRmsd>(box, x, reference), 1e-8) << degrees << "°";
  }
}

TEST(ClusterRmsd, RigidMotionGivesZeroAndRotationIsOptimal) {
  std::mt19937_64 rng(7);
  const Box box = cubic_box(40.0);
  const Points reference = random_cluster(rng);
  // A rigid copy (rotated 160° about a skew axis and translated) has RMSD 0: the superposition
  // recovers the rotation. 1e-7 Å: s is a square root, so round-off 1e-15 in s² shows as ~3e-8.
  const Points x =
      transform(reference, rotation({1.0, 2.0, -0.5}, 160.0 * M_PI / 180.0), {-3.0, 4.0, 1.0});
  EXPECT_LT(value_of<ClusterRmsd>(box, x, reference), 1e-7);
  // For a distorted cluster, the returned rotation is a minimum: no small rotation of it lowers
  // the sum of squared residuals (an independent check of the eigenvector/quaternion algebra).
  std::normal_distribution<double> noise(0.0, 0.3);
  Points distorted = transform(reference, rotation({0.0, 1.0, 1.0}, 2.0), {0.0, 0.0, 0.0});
  for (auto& p : distorted)
    for (double& c : p)
      c += noise(rng);
  const double s = value_of<ClusterRmsd>(box, distorted, reference);
  auto centred = [](Points p) {
    std::array<double, 3> mean{};
    for (const auto& x : p)
      for (int k = 0; k < 3; ++k)
        mean[k] += x[k] / p.size();
    for (auto& x : p)
      for (int k = 0; k < 3; ++k)
        x[k] -= mean[k];
    return p;
  };
  const Points xc = centred(distorted), yc = centred(reference);
  double corr[3][3] = {};
  for (size_t i = 0; i < xc.size(); ++i)
    for (int a = 0; a < 3; ++a)
      for (int b = 0; b < 3; ++b)
        corr[a][b] += xc[i][a] * yc[i][b];
  double u[3][3];
  optimal_rotation(corr, u);
  auto residual = [&](const std::array<std::array<double, 3>, 3>& extra) {
    double sum = 0.0;
    for (size_t i = 0; i < xc.size(); ++i) {
      double ux[3] = {0, 0, 0};
      for (int a = 0; a < 3; ++a)
        for (int b = 0; b < 3; ++b)
          ux[a] += u[a][b] * xc[i][b];
      for (int a = 0; a < 3; ++a) {
        const double rx = extra[a][0] * ux[0] + extra[a][1] * ux[1] + extra[a][2] * ux[2];
        sum += (rx - yc[i][a]) * (rx - yc[i][a]);
      }
    }
    return sum;
  };
  const double best = residual(rotation({1, 0, 0}, 0.0));
  EXPECT_NEAR(std::sqrt(best / xc.size()), s, 1e-12);
  std::uniform_real_distribution<double> axis(-1.0, 1.0);
  for (int trial = 0; trial < 200; ++trial)
    EXPECT_GE(residual(rotation({axis(rng), axis(rng), axis(rng)}, 1e-3)), best - 1e-12);
}

TEST(ClusterRmsd, InvariantUnderRigidMotionOfEitherStructure) {
  std::mt19937_64 rng(99);
  std::normal_distribution<double> noise(0.0, 0.3);
  const Box box = cubic_box(60.0);
  const Points reference = random_cluster(rng);
  Points x = reference;
  for (auto& p : x)
    for (double& c : p)
      c += noise(rng);
  const double s = value_of<ClusterRmsd>(box, x, reference);
  // Round-off of rotating 13 points and re-solving the superposition: ~1e-15 relative; 1e-12.
  for (double degrees : {45.0, 120.0, 175.0}) {
    const auto r = rotation({0.2, 0.9, -0.4}, degrees * M_PI / 180.0);
    EXPECT_NEAR(value_of<ClusterRmsd>(box, transform(x, r, {3.0, -7.0, 11.0}), reference), s,
                1e-12);
    EXPECT_NEAR(value_of<ClusterRmsd>(box, x, transform(reference, r, {-5.0, 2.0, 8.0})), s, 1e-12);
  }
}

TEST(ClusterRmsd, ClusterSplitByPeriodicBoundaryIsMadeContiguous) {
  std::mt19937_64 rng(5);
  std::normal_distribution<double> noise(0.0, 0.3);
  const Box box = triclinic_box();
  const Points reference = random_cluster(rng);
  // Place the cluster on a corner of the triclinic cell and wrap every atom into the cell, so
  // that its atoms sit on different sides of several faces.
  Points x = transform(reference, rotation({1, 1, 1}, 1.0), {box.lo[0], box.lo[1], box.lo[2]});
  for (auto& p : x)
    for (double& c : p)
      c += noise(rng);
  const double contiguous = value_of<ClusterRmsd>(box, x, reference);
  std::vector<double> gradient_contiguous, gradient_wrapped;
  value_of<ClusterRmsd>(box, x, reference, &gradient_contiguous);
  Points wrapped = x;
  int moved = 0;
  for (auto& p : wrapped) {
    double d[3] = {p[0] - box.lo[0], p[1] - box.lo[1], p[2] - box.lo[2]}, f[3];
    box.to_fractional(d, f);
    const int n[3] = {static_cast<int>(std::floor(f[0])), static_cast<int>(std::floor(f[1])),
                      static_cast<int>(std::floor(f[2]))};
    moved += n[0] != 0 || n[1] != 0 || n[2] != 0;
    box.add_lattice_vector(-n[0], -n[1], -n[2], p.data());
  }
  ASSERT_GE(moved, 4);  // the wrap really split the cluster
  EXPECT_NEAR(value_of<ClusterRmsd>(box, wrapped, reference, &gradient_wrapped), contiguous, 1e-12);
  for (size_t i = 0; i < gradient_wrapped.size(); ++i)
    EXPECT_NEAR(gradient_wrapped[i], gradient_contiguous[i], 1e-12);
  EXPECT_LT(gradient_error<ClusterRmsd>(box, wrapped, reference), 1e-8);
}

TEST(HopDistance, GradientMatchesFiniteDifferences) {
  const Box box = cubic_box(30.0);
  const Points reference = {{1.0, 2.0, 3.0}};
  for (const Points& x : {Points{{2.7, 0.4, 3.9}}, Points{{-4.0, 12.0, 30.0}}}) {
    std::vector<double> g;
    const double s = value_of<HopDistance>(box, x, reference, &g);
    const double d[3] = {x[0][0] - 1.0, x[0][1] - 2.0, x[0][2] - 3.0};
    EXPECT_NEAR(s, std::sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]), 1e-14);
    EXPECT_LT(gradient_error<HopDistance>(box, x, reference), 1e-9);
  }
}

// A batch of one atom per replica, moved by `steps` increments of `delta` and wrapped back into
// the box after every increment with its image counts updated, as the neighbour-list build does.
class HopAcrossBoundaries : public testing::TestWithParam<bool> {};

TEST_P(HopAcrossBoundaries, UnwrappedDistanceGrowsThroughSeveralFaceCrossings) {
  const bool triclinic = GetParam();
  const Box box = triclinic ? triclinic_box() : cubic_box(12.0);
  const int n_replicas = 2;
  Batch batch(n_replicas, 1, 1);
  const std::array<double, 3> start = {box.lo[0] + 0.5, box.lo[1] + 11.0, box.lo[2] + 1.0};
  // Reference given as a far periodic image of the start: anchoring must bring it back.
  std::array<double, 3> far_reference = start;
  box.add_lattice_vector(2, -1, 3, far_reference.data());
  CvSet cvs({hop_distance_definition(0, far_reference), hop_distance_definition(0, far_reference)});
  auto x = Kokkos::create_mirror_view(batch.positions);
  auto img = Kokkos::create_mirror_view(batch.images);
  auto boxes = Kokkos::create_mirror_view(batch.boxes);
  for (int r = 0; r < n_replicas; ++r) {
    boxes(r) = box;
    for (int k = 0; k < 3; ++k) {
      x(r, k) = start[k];
      img(r, k) = 0;
    }
  }
  Kokkos::deep_copy(batch.boxes, boxes);
  Kokkos::deep_copy(batch.positions, x);
  Kokkos::deep_copy(batch.images, img);
  cvs.anchor_references(batch);
  // Replica 0 moves −x,+y,+z; replica 1 moves along a different direction: 35 Å in total,
  // crossing several faces of the cell (every box width is 12–17 Å).
  const double delta[2][3] = {{-0.35, 0.2, 0.3}, {0.4, -0.3, -0.25}};
  double travelled[2][3] = {};
  for (int step = 1; step <= 80; ++step) {
    for (int r = 0; r < n_replicas; ++r) {
      double p[3];
      for (int k = 0; k < 3; ++k) {
        x(r, k) += delta[r][k];
        travelled[r][k] += delta[r][k];
        p[k] = x(r, k) - box.lo[k];
      }
      double f[3];
      box.to_fractional(p, f);
      const int n[3] = {static_cast<int>(std::floor(f[0])), static_cast<int>(std::floor(f[1])),
                        static_cast<int>(std::floor(f[2]))};
      double shifted[3] = {x(r, 0), x(r, 1), x(r, 2)};
      box.add_lattice_vector(-n[0], -n[1], -n[2], shifted);
      for (int k = 0; k < 3; ++k) {
        x(r, k) = shifted[k];
        img(r, k) += n[k];
      }
    }
    Kokkos::deep_copy(batch.positions, x);
    Kokkos::deep_copy(batch.images, img);
    cvs.evaluate(batch);
    const std::vector<double> s = cvs.values_on_host();
    for (int r = 0; r < n_replicas; ++r) {
      const double expected =
          std::sqrt(travelled[r][0] * travelled[r][0] + travelled[r][1] * travelled[r][1] +
                    travelled[r][2] * travelled[r][2]);
      // Unwrapping adds and subtracts lattice vectors of ~20 Å: round-off ~1e-14 Å.
      ASSERT_NEAR(s[r], expected, 1e-11) << "replica " << r << " step " << step;
    }
  }
  int crossings = 0;
  for (int r = 0; r < n_replicas; ++r)
    crossings += std::abs(img(r, 0)) + std::abs(img(r, 1)) + std::abs(img(r, 2));
  EXPECT_GE(crossings, 6);  // the atoms really crossed faces several times
}

INSTANTIATE_TEST_SUITE_P(Boxes, HopAcrossBoundaries, testing::Values(false, true));

TEST(ClusterSelection, FccFirstShellAroundACornerAtom) {
  // fcc lattice, a = 3.6 Å, 4×4×4 cells: the first shell (2.55 Å, 12 atoms) lies inside a 3.0 Å
  // cutoff and the second (3.6 Å) outside. Atom 0 sits on the cell corner, so its neighbours
  // are found only through the minimum image.
  const double a = 3.6;
  Points positions;
  const double basis[4][3] = {{0, 0, 0}, {0.5, 0.5, 0}, {0.5, 0, 0.5}, {0, 0.5, 0.5}};
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 4; ++j)
      for (int k = 0; k < 4; ++k)
        for (const auto& b : basis)
          positions.push_back({a * (i + b[0]), a * (j + b[1]), a * (k + b[2])});
  const Box box = cubic_box(4 * a);
  const std::vector<int> cluster = select_cluster(positions, box, 0, 3.0);
  ASSERT_EQ(cluster.size(), 13u);
  EXPECT_EQ(cluster[0], 0);
  for (size_t m = 2; m < cluster.size(); ++m)
    EXPECT_LT(cluster[m - 1], cluster[m]);
  EXPECT_EQ(select_cluster(positions, box, 0, 4.0).size(), 19u);  // + 6 second neighbours
  // The reference is stored contiguous: every member within the cutoff of the centre.
  const CvDefinition d = cluster_rmsd_definition(cluster, positions, box);
  for (const auto& p : d.reference)
    EXPECT_LT(std::sqrt(p[0] * p[0] + p[1] * p[1] + p[2] * p[2]), 3.0);
  EXPECT_THROW(select_cluster(positions, box, 256), std::invalid_argument);
}

TEST(CvRegistry, NamesAndKinds) {
  EXPECT_EQ(cv_kind_from_name("hop_distance"), cv_kind<HopDistance>);
  EXPECT_EQ(cv_kind_from_name("cluster_rmsd"), cv_kind<ClusterRmsd>);
  EXPECT_EQ(cv_name(cv_kind<DisplacementX>), "displacement_x");
  try {
    cv_kind_from_name("rmsd");
    FAIL() << "an unknown name must throw";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("cluster_rmsd"), std::string::npos) << e.what();
  }
  EXPECT_THROW(CvSet({CvDefinition{cv_kind<HopDistance>, {0, 1}, {{0, 0, 0}, {0, 0, 0}}}}),
               std::invalid_argument);
  EXPECT_THROW(CvSet({CvDefinition{7, {0}, {{0, 0, 0}}}}), std::invalid_argument);
}

bool bitwise_equal(double a, double b) {
  return std::memcmp(&a, &b, sizeof(double)) == 0;
}

// Replica r's value and gradient are the same alone as inside a batch with other CV kinds.
TEST(CvSet, BatchInvariance) {
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<double> uniform(0.0, 20.0);
  const int n_atoms = 40, n_replicas = 5;
  const Box box = triclinic_box();
  std::vector<Points> positions(n_replicas);
  for (auto& p : positions)
    for (int i = 0; i < n_atoms; ++i)
      p.push_back({uniform(rng), uniform(rng), uniform(rng)});
  std::vector<CvDefinition> defs;
  for (int r = 0; r < n_replicas; ++r) {
    if (r % 2 == 0) {
      defs.push_back(hop_distance_definition(r, {1.0, 2.0, 3.0}));
    } else {
      std::vector<int> cluster = select_cluster(positions[r], box, r, 7.0);
      ASSERT_GE(cluster.size(), 3u);
      // reference: a different random configuration of the same atoms
      defs.push_back(cluster_rmsd_definition(cluster, positions[(r + 1) % n_replicas], box));
    }
  }
  auto run = [&](const std::vector<int>& replicas) {
    Batch batch(static_cast<int>(replicas.size()), n_atoms, 1);
    auto x = Kokkos::create_mirror_view(batch.positions);
    auto boxes = Kokkos::create_mirror_view(batch.boxes);
    std::vector<CvDefinition> chosen;
    for (size_t b = 0; b < replicas.size(); ++b) {
      boxes(b) = box;
      chosen.push_back(defs[replicas[b]]);
      for (int i = 0; i < n_atoms; ++i)
        for (int k = 0; k < 3; ++k)
          x(b * n_atoms + i, k) = positions[replicas[b]][i][k];
    }
    Kokkos::deep_copy(batch.positions, x);
    Kokkos::deep_copy(batch.boxes, boxes);
    CvSet cvs(chosen);
    cvs.evaluate(batch);
    auto g = Kokkos::create_mirror_view(cvs.data().gradient);
    Kokkos::deep_copy(g, cvs.data().gradient);
    std::vector<std::vector<double>> out;
    const std::vector<double> values = cvs.values_on_host();
    for (size_t b = 0; b < replicas.size(); ++b) {
      std::vector<double> row = {values[b]};
      for (size_t m = 0; m < chosen[b].atoms.size(); ++m)
        for (int k = 0; k < 3; ++k)
          row.push_back(g(b, m, k));
      out.push_back(row);
    }
    return out;
  };
  const auto together = run({0, 1, 2, 3, 4});
  for (int r = 0; r < n_replicas; ++r) {
    const auto alone = run({r});
    ASSERT_EQ(alone[0].size(), together[r].size());
    for (size_t i = 0; i < alone[0].size(); ++i)
      EXPECT_TRUE(bitwise_equal(alone[0][i], together[r][i])) << "replica " << r << " entry " << i;
  }
}

}  // namespace
}  // namespace glassland
