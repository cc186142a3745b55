// Structure analyses on lattices whose answers are known in closed form: Voronoi indices of fcc
// (every cell ⟨0,12,0,0⟩, volume a³/4) and bcc (⟨0,6,0,8⟩, volume a³/2), also in a triclinic
// cell; coordination numbers and the first minimum of g(r) of fcc (12 at 0.707a); the RDF of an
// ideal gas is 1; slab surfaces of a uniform film.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "analysis/radial_distribution.hpp"
#include "analysis/surface_layers.hpp"
#include "analysis/voronoi_tessellation.hpp"

namespace glassland::analysis {
namespace {

// Cartesian positions of a cubic lattice of cells³ unit cells with the given basis (in units of a).
std::vector<double> lattice(const std::vector<std::array<double, 3>>& basis, int cells, double a) {
  std::vector<double> x;
  for (int i = 0; i < cells; ++i)
    for (int j = 0; j < cells; ++j)
      for (int k = 0; k < cells; ++k)
        for (const auto& b : basis) {
          x.push_back((i + b[0]) * a);
          x.push_back((j + b[1]) * a);
          x.push_back((k + b[2]) * a);
        }
  return x;
}

const std::vector<std::array<double, 3>> kFcc = {
    {0, 0, 0}, {0.5, 0.5, 0}, {0.5, 0, 0.5}, {0, 0.5, 0.5}};
const std::vector<std::array<double, 3>> kBcc = {{0, 0, 0}, {0.5, 0.5, 0.5}};

PeriodicCell cube(double length, double xy = 0.0) {
  PeriodicCell c;
  c.lx = c.ly = c.lz = length;
  c.xy = xy;
  return c;
}

// Exactly degenerate vertices (four cells meeting) may leave zero-length edges and zero-area
// faces in floating point; thresholds far below any real edge or face remove them.
VoronoiSettings lattice_settings() {
  VoronoiSettings s;
  s.edge_length_threshold = 1e-6;
  s.face_area_threshold = 1e-6;
  return s;
}

TEST(VoronoiTessellation, FccCellsAreRhombicDodecahedra) {
  const std::vector<double> x = lattice(kFcc, 4, 3.6);
  const std::vector<VoronoiCell> cells = voronoi_tessellation(cube(14.4), x, lattice_settings());
  ASSERT_EQ(cells.size(), x.size() / 3);
  for (const VoronoiCell& c : cells) {
    EXPECT_EQ(voronoi_index_label(c.index), "<0,12,0,0>");
    EXPECT_EQ(c.faces, 12);
    EXPECT_NEAR(c.volume, 3.6 * 3.6 * 3.6 / 4, 1e-9);
  }
}

TEST(VoronoiTessellation, BccCellsAreTruncatedOctahedraAlsoInATriclinicCell) {
  const std::vector<double> x = lattice(kBcc, 4, 3.2);
  // b = (a, L, 0) is a lattice vector of the same crystal: the tilted cell holds the same bcc.
  for (double tilt : {0.0, 3.2}) {
    const std::vector<VoronoiCell> cells =
        voronoi_tessellation(cube(12.8, tilt), x, lattice_settings());
    for (const VoronoiCell& c : cells) {
      EXPECT_EQ(voronoi_index_label(c.index), "<0,6,0,8>") << tilt;
      EXPECT_NEAR(c.volume, 3.2 * 3.2 * 3.2 / 2, 1e-9) << tilt;
    }
  }
}

TEST(VoronoiTessellation, RadicalCellsOfEqualRadiiAreTheStandardOnes) {
  std::mt19937_64 engine(9);
  std::uniform_real_distribution<double> u(0.0, 12.0);
  std::vector<double> x(3 * 100);
  for (double& v : x)
    v = u(engine);
  VoronoiSettings radical;
  radical.radical = true;
  radical.radii.assign(100, 1.3);
  const auto a = voronoi_tessellation(cube(12.0), x);
  const auto b = voronoi_tessellation(cube(12.0), x, radical);
  double total = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_NEAR(a[i].volume, b[i].volume, 1e-9);
    EXPECT_EQ(a[i].index, b[i].index);
    total += a[i].volume;
  }
  EXPECT_NEAR(total, 12.0 * 12.0 * 12.0, 1e-8);  // the cells tile the box
}

TEST(RadialDistribution, FccHasTwelveNeighboursWithinTheFirstMinimum) {
  const std::vector<double> x = lattice(kFcc, 4, 3.6);
  RadialDistribution rdf(1, 200, 6.0);
  rdf.add_frame(cube(14.4), x, std::vector<int>(x.size() / 3, 1));
  const std::vector<double> g = rdf.g(1, 1);
  const std::size_t minimum = first_minimum_bin(g);
  const double r_min = rdf.bin_centres()[minimum];
  EXPECT_GT(r_min, 3.6 / std::sqrt(2.0));
  EXPECT_LT(r_min, 3.6);
  EXPECT_NEAR(rdf.coordination(1, 1)[minimum], 12.0, 1e-9);
  const std::vector<int> cn =
      coordination_numbers(cube(14.4), x, std::vector<int>(x.size() / 3, 1), 1, {r_min});
  for (int c : cn)
    EXPECT_EQ(c, 12);
}

TEST(RadialDistribution, IdealGasIsOneAndCutoffsBeyondTheBoxCountEveryImage) {
  // 2000 random points in a 10 Å box, r up to 8 Å (beyond half the box): g = 1 within the
  // Poisson noise of each shell (≥ 5 standard errors).
  std::mt19937_64 engine(4);
  std::uniform_real_distribution<double> u(0.0, 10.0);
  std::vector<double> x(3 * 2000);
  for (double& v : x)
    v = u(engine);
  std::vector<int> types(2000);
  for (std::size_t i = 0; i < types.size(); ++i)
    types[i] = 1 + i % 2;
  RadialDistribution rdf(2, 20, 8.0);
  rdf.add_frame(cube(10.0), x, types);
  const std::vector<double> r = rdf.bin_centres();
  for (int I = 1; I <= 2; ++I)
    for (int J = 1; J <= 2; ++J) {
      const std::vector<double> g = rdf.g(I, J);
      for (std::size_t b = 4; b < g.size(); ++b) {
        const double shell = 4.0 * M_PI * r[b] * r[b] * 0.4 * 1.0;  // expected pairs/atom/ρ
        const double expected_pairs = 1000.0 * 1000.0 / 1000.0 * shell;
        EXPECT_NEAR(g[b], 1.0, 5.0 / std::sqrt(expected_pairs)) << I << J << " " << r[b];
      }
    }
}

TEST(SurfaceLayers, EquimolarSurfacesOfAUniformFilm) {
  // A film of 20000 points uniform in z ∈ [30, 50] in a 10×10 area: surfaces at 30 and 50.
  std::mt19937_64 engine(2);
  std::uniform_real_distribution<double> xy(0.0, 10.0), z(30.0, 50.0);
  std::vector<double> x;
  for (int i = 0; i < 20000; ++i) {
    x.push_back(xy(engine));
    x.push_back(xy(engine));
    x.push_back(z(engine));
  }
  const SlabSurfaces s = slab_surfaces(x, 100.0);
  EXPECT_NEAR(s.top, 50.0, 0.3);
  EXPECT_NEAR(s.bottom, 30.0, 0.3);
  EXPECT_NEAR(s.bulk_density, 20000.0 / 2000.0, 0.3);
  const std::vector<unsigned char> flags = surface_atoms(x, s, 2.5);
  double selected = 0;
  for (unsigned char f : flags)
    selected += f;
  EXPECT_NEAR(selected / flags.size(), 5.0 / 20.0, 0.02);
}

}  // namespace
}  // namespace glassland::analysis
