#include "analysis/voronoi_tessellation.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "voro++.hh"

namespace glassland::analysis {

namespace {

// Counts what the thresholds keep of one computed cell.
VoronoiCell describe_cell(voro::voronoicell_neighbor& c, const VoronoiSettings& s) {
  VoronoiCell out;
  out.volume = c.volume();
  std::vector<int> neighbors, orders, face_vertices;
  std::vector<double> areas, vertices;
  c.neighbors(neighbors);
  c.face_areas(areas);
  c.face_orders(orders);
  const bool edge_threshold = s.edge_length_threshold > 0.0;
  if (edge_threshold) {
    c.vertices(vertices);
    c.face_vertices(face_vertices);
  }
  const double surface = s.relative_face_area_threshold > 0.0 ? c.surface_area() : 0.0;
  const double t2 = s.edge_length_threshold * s.edge_length_threshold;
  std::size_t offset = 0;  // into face_vertices: count, then the vertex indices of each face
  for (std::size_t f = 0; f < areas.size(); ++f) {
    int order = orders[f];
    if (edge_threshold) {
      const int n = face_vertices[offset];
      order = 0;
      for (int k = 0; k < n; ++k) {
        const int a = face_vertices[offset + 1 + k];
        const int b = face_vertices[offset + 1 + (k + 1) % n];
        const double dx = vertices[3 * a] - vertices[3 * b];
        const double dy = vertices[3 * a + 1] - vertices[3 * b + 1];
        const double dz = vertices[3 * a + 2] - vertices[3 * b + 2];
        if (dx * dx + dy * dy + dz * dz > t2)
          ++order;
      }
      offset += n + 1;
    }
    if (!(areas[f] > s.face_area_threshold) ||
        !(areas[f] > s.relative_face_area_threshold * surface))
      continue;
    ++out.faces;
    out.neighbors.push_back(neighbors[f]);
    if (order >= 3 && order <= 6)
      ++out.index[order - 3];
    else if (order > 6)
      ++out.larger_faces;
  }
  return out;
}

template <class Container, class Put>
std::vector<VoronoiCell> tessellate(Container& container, std::size_t n, Put&& put,
                                    const VoronoiSettings& settings) {
  for (std::size_t i = 0; i < n; ++i)
    put(container, i);
  std::vector<VoronoiCell> cells(n);
  std::vector<char> done(n, 0);
  voro::c_loop_all_periodic loop(container);
  voro::voronoicell_neighbor c;
  if (loop.start()) {
    do {
      if (!container.compute_cell(c, loop))
        continue;
      const int id = loop.pid();
      cells[id] = describe_cell(c, settings);
      done[id] = 1;
    } while (loop.inc());
  }
  for (std::size_t i = 0; i < n; ++i)
    if (!done[i])
      throw std::runtime_error("voro++ computed no Voronoi cell for atom index " +
                               std::to_string(i) + " (are two atoms on the same spot?)");
  return cells;
}

}  // namespace

std::vector<VoronoiCell> voronoi_tessellation(const PeriodicCell& cell,
                                              const std::vector<double>& positions,
                                              const VoronoiSettings& settings) {
  const std::size_t n = positions.size() / 3;
  if (n == 0)
    return {};
  if (settings.radical && settings.radii.size() != n)
    throw std::invalid_argument("radical Voronoi: one radius per atom expected");
  // Positions wrapped into the cell, relative to its origin (voro++'s periodic container spans
  // 0 … bx, 0 … by, 0 … bz with the same upper-triangular lattice as LAMMPS).
  std::vector<double> x(3 * n);
  for (std::size_t i = 0; i < n; ++i) {
    const double d[3] = {positions[3 * i] - cell.lo[0], positions[3 * i + 1] - cell.lo[1],
                         positions[3 * i + 2] - cell.lo[2]};
    std::array<double, 3> s = cell.to_fractional(d);
    for (double& v : s) {
      v -= std::floor(v);
      if (v >= 1.0)
        v = 0.0;
    }
    const std::array<double, 3> w = cell.to_cartesian(s.data());
    std::copy(w.begin(), w.end(), x.begin() + 3 * i);
  }
  // About five atoms per computational block (voro++'s recommendation).
  const double block = std::cbrt(5.0 * cell.volume() / n);
  const int bx = std::max(1, static_cast<int>(std::lround(cell.lx / block)));
  const int by = std::max(1, static_cast<int>(std::lround(cell.ly / block)));
  const int bz = std::max(1, static_cast<int>(std::lround(cell.lz / block)));
  if (settings.radical) {
    voro::container_periodic_poly container(cell.lx, cell.xy, cell.ly, cell.xz, cell.yz, cell.lz,
                                            bx, by, bz, 8);
    return tessellate(
        container, n,
        [&](voro::container_periodic_poly& c, std::size_t i) {
          c.put(static_cast<int>(i), x[3 * i], x[3 * i + 1], x[3 * i + 2], settings.radii[i]);
        },
        settings);
  }
  voro::container_periodic container(cell.lx, cell.xy, cell.ly, cell.xz, cell.yz, cell.lz, bx, by,
                                     bz, 8);
  return tessellate(
      container, n,
      [&](voro::container_periodic& c, std::size_t i) {
        c.put(static_cast<int>(i), x[3 * i], x[3 * i + 1], x[3 * i + 2]);
      },
      settings);
}

std::string voronoi_index_label(const std::array<int, 4>& index) {
  return "<" + std::to_string(index[0]) + "," + std::to_string(index[1]) + "," +
         std::to_string(index[2]) + "," + std::to_string(index[3]) + ">";
}

}  // namespace glassland::analysis
