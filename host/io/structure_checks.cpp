// Load-time sanity checks of structures; see structure_checks.hpp.
#include "host/io/structure_checks.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>

#include "host/io/batch_io.hpp"
#include "host/io/input_error.hpp"

namespace glassland {

namespace {

// Keeps the closer of the current best pair and (i, j) at distance² d2 below cutoff².
struct PairSearch {
  const LammpsData& data;
  double cutoff_squared;
  ClosestPair best;
  double best_squared;

  PairSearch(const LammpsData& d, double cutoff)
      : data(d), cutoff_squared(cutoff * cutoff), best_squared(cutoff * cutoff) {}

  void consider(int i, int j, double d2) {
    if (!(d2 < best_squared))
      return;
    best_squared = d2;
    best.id_a = std::min(data.ids[i], data.ids[j]);
    best.id_b = std::max(data.ids[i], data.ids[j]);
    best.distance = std::sqrt(d2);
  }
};

double squared(const double d[3]) {
  return d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
}

// Every pair and every atom's own periodic images within one lattice vector: for boxes thinner
// than twice the cutoff, where one minimum image is not enough. Such boxes hold few atoms.
void search_all_images(const Box& box, PairSearch& search) {
  const LammpsData& data = search.data;
  const int n = data.n_atoms();
  for (int i = 0; i < n; ++i)
    for (int j = i; j < n; ++j)
      for (int a = -1; a <= 1; ++a)
        for (int b = -1; b <= 1; ++b)
          for (int c = -1; c <= 1; ++c) {
            if (i == j && a == 0 && b == 0 && c == 0)
              continue;
            double d[3];
            for (int k = 0; k < 3; ++k)
              d[k] = data.positions[j][k] - data.positions[i][k];
            box.add_lattice_vector(a, b, c, d);
            search.consider(i, j, squared(d));
          }
}

// Cells of at least the cutoff in every fractional direction; each atom meets the atoms of its
// own and the 26 neighbouring cells.
void search_cells(const Box& box, const double widths[3], double cutoff, PairSearch& search) {
  const LammpsData& data = search.data;
  const int n = data.n_atoms();
  // At most ~2 atoms' worth of cells per atom in each direction: a tiny cutoff in a big box
  // needs no finer grid than that.
  const int cap = std::max(1, static_cast<int>(std::cbrt(static_cast<double>(n))) * 2);
  std::array<int, 3> cells{};
  for (int k = 0; k < 3; ++k)
    cells[k] = std::clamp(static_cast<int>(widths[k] / cutoff), 1, cap);
  const auto cell_index = [&](const std::array<int, 3>& c) {
    return (static_cast<size_t>(c[2]) * cells[1] + c[1]) * cells[0] + c[0];
  };
  std::vector<std::array<int, 3>> atom_cell(n);
  std::vector<std::vector<int>> members(static_cast<size_t>(cells[0]) * cells[1] * cells[2]);
  for (int i = 0; i < n; ++i) {
    double d[3], s[3];
    for (int k = 0; k < 3; ++k)
      d[k] = data.positions[i][k] - box.lo[k];
    box.to_fractional(d, s);
    for (int k = 0; k < 3; ++k) {
      // Non-finite coordinates (the reader rejects them) would have no cell: put them in 0.
      const double wrapped = std::isfinite(s[k]) ? s[k] - std::floor(s[k]) : 0.0;
      atom_cell[i][k] = std::min(cells[k] - 1, static_cast<int>(wrapped * cells[k]));
    }
    members[cell_index(atom_cell[i])].push_back(i);
  }
  // The distinct neighbour-cell offsets of each direction: with fewer than 3 cells, −1 and +1
  // reach the same cell (2 cells) or the cell itself (1 cell).
  std::array<std::vector<int>, 3> offsets;
  for (int k = 0; k < 3; ++k)
    offsets[k] = cells[k] >= 3   ? std::vector<int>{-1, 0, 1}
                 : cells[k] == 2 ? std::vector<int>{0, 1}
                                 : std::vector<int>{0};
  for (int i = 0; i < n; ++i)
    for (int a : offsets[0])
      for (int b : offsets[1])
        for (int c : offsets[2]) {
          const int offset[3] = {a, b, c};
          std::array<int, 3> neighbour{};
          for (int k = 0; k < 3; ++k)
            neighbour[k] = (atom_cell[i][k] + offset[k] + cells[k]) % cells[k];
          for (int j : members[cell_index(neighbour)]) {
            if (j <= i)
              continue;
            double d[3];
            for (int k = 0; k < 3; ++k)
              d[k] = data.positions[j][k] - data.positions[i][k];
            box.minimum_image(d);
            search.consider(i, j, squared(d));
          }
        }
}

}  // namespace

ClosestPair closest_pair_within(const LammpsData& data, double cutoff) {
  PairSearch search(data, cutoff);
  if (!(cutoff > 0.0) || data.n_atoms() == 0)
    return search.best;
  const Box box = box_from_data(data);
  double widths[3];
  box.perpendicular_widths(widths);
  // One minimum image suffices when every width exceeds twice the cutoff.
  if (std::min({widths[0], widths[1], widths[2]}) > 2.0 * cutoff)
    search_cells(box, widths, cutoff, search);
  else
    search_all_images(box, search);
  return search.best;
}

void check_atom_overlaps(const LammpsData& data, const std::string& file, double min_distance,
                         const std::string& override_hint) {
  const ClosestPair pair = closest_pair_within(data, min_distance);
  if (pair.id_a < 0)
    return;
  char message[512];
  if (pair.id_a == pair.id_b)
    std::snprintf(message, sizeof message,
                  "atom %d is %.4g Å from its own periodic image (closer than the minimum atom "
                  "distance %g Å): the box is too thin; fix the box, or change the check with %s "
                  "(0 turns it off)",
                  pair.id_a, pair.distance, min_distance, override_hint.c_str());
  else
    std::snprintf(message, sizeof message,
                  "atoms %d and %d are %.4g Å apart (closer than the minimum atom distance %g Å): "
                  "overlapping atoms make the forces blow up; fix the structure, or change the "
                  "check with %s (0 turns it off)",
                  pair.id_a, pair.id_b, pair.distance, min_distance, override_hint.c_str());
  throw InputError(file + ": " + message);
}

void check_one_element_per_type(const LammpsData& data, const std::string& file,
                                const std::vector<std::string>& type_elements,
                                const std::string& given_as) {
  if (static_cast<int>(type_elements.size()) <= data.n_types)
    return;
  std::string names;
  for (const auto& e : type_elements)
    names += (names.empty() ? "" : " ") + e;
  throw InputError(file + ": has " + std::to_string(data.n_types) + " atom type(s) but " +
                   std::to_string(type_elements.size()) + " elements were given (" + given_as +
                   ": " + names +
                   "); name exactly one element per atom type, in type order, as "
                   "LAMMPS's pair_coeff * * FILE El1 El2 ... does");
}

}  // namespace glassland
