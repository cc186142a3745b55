// Starting structures: cubic lattices (B2/CsCl, bcc, fcc, simple cubic) or random positions
// with a minimum separation, with a composition assigned at random with a seed.
//
// References:
//   LAMMPS documentation, lattice and create_atoms (https://docs.lammps.org/lattice.html,
//   https://docs.lammps.org/create_atoms.html): the basis of each cubic lattice in units of
//   the lattice constant, and the loop order over cells (z outermost, then y, then x, then the
//   basis atoms), which we follow so atom IDs are ordered the same way.
//   Random sequential addition in 3D jams at a packing fraction of about 0.38 (Widom 1966;
//   Talbot, Tarjus, Schaaf), which bounds the densities "random" can reach.
//   Fisher–Yates shuffle (Knuth, TAOCP vol. 2, Algorithm P).
//
// Reproducibility: std::mt19937_64's output sequence is fixed by the C++ standard, but
// std::shuffle and the std distributions are not (libstdc++, libc++ and MSVC differ), so the
// draws below are written out here and the same seed gives the same structure everywhere.
#include "host/tasks/structure_builder.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "host/io/input_error.hpp"

namespace glassland {

namespace {

// Uniform integer in [0, bound) without modulo bias: reject the top partial block of 2^64.
uint64_t uniform_below(std::mt19937_64& engine, uint64_t bound) {
  const uint64_t limit = UINT64_MAX - UINT64_MAX % bound;  // a multiple of bound
  uint64_t draw = 0;
  do {
    draw = engine();
  } while (draw >= limit);
  return draw % bound;
}

// Uniform double in [0, 1) from the top 53 bits: every value is a multiple of 2^-53.
double uniform_unit(std::mt19937_64& engine) {
  return static_cast<double>(engine() >> 11) * (1.0 / 9007199254740992.0);
}

template <typename T>
void fisher_yates_shuffle(std::vector<T>& items, std::mt19937_64& engine) {
  for (size_t i = items.size(); i > 1; --i) {
    const size_t j = static_cast<size_t>(uniform_below(engine, i));
    std::swap(items[i - 1], items[j]);
  }
}

InputError structure_error(const std::string& message) {
  return InputError("structure: " + message);
}

// Counts per composition entry that add up to n_atoms: floors first, then one more to the
// entries with the largest remainders (ties go to the earlier entry).
std::vector<int> counts_by_largest_remainder(const std::vector<double>& fractions, int n_atoms) {
  const size_t n = fractions.size();
  std::vector<int> counts(n);
  std::vector<double> remainders(n);
  int assigned = 0;
  for (size_t k = 0; k < n; ++k) {
    const double exact = fractions[k] * n_atoms;
    counts[k] = static_cast<int>(std::floor(exact));
    remainders[k] = exact - counts[k];
    assigned += counts[k];
  }
  std::vector<size_t> order(n);
  for (size_t k = 0; k < n; ++k)
    order[k] = k;
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return remainders[a] > remainders[b]; });
  // The floors never add up to more than n_atoms; fewer by less than the number of entries,
  // or by a few more when rounding made the normalised fractions add up to slightly below 1.
  for (size_t k = 0; assigned < n_atoms; k = (k + 1) % n) {
    ++counts[order[k]];
    ++assigned;
  }
  return counts;
}

struct Lattice {
  std::vector<std::array<double, 3>> basis;  // in units of the lattice constant
};

Lattice lattice_named(const std::string& name) {
  if (name == "sc")
    return {{{0.0, 0.0, 0.0}}};
  // B2 and bcc share the sites; species are shuffled over all of them in both (header).
  if (name == "bcc" || name == "b2")
    return {{{0.0, 0.0, 0.0}, {0.5, 0.5, 0.5}}};
  if (name == "fcc") {
    return {{{0.0, 0.0, 0.0}, {0.5, 0.5, 0.0}, {0.5, 0.0, 0.5}, {0.0, 0.5, 0.5}}};
  }
  throw structure_error("unknown lattice '" + name + "'; choose one of b2, bcc, fcc, sc or random");
}

std::vector<std::array<double, 3>> lattice_positions(const StructureSpec& spec,
                                                     double& box_length_x, double& box_length_y,
                                                     double& box_length_z) {
  const Lattice lattice = lattice_named(spec.lattice);
  if (!(spec.lattice_constant > 0.0) || !std::isfinite(spec.lattice_constant)) {
    throw structure_error("the lattice constant must be positive, got " +
                          std::to_string(spec.lattice_constant));
  }
  long long n_sites = static_cast<long long>(lattice.basis.size());
  for (int d = 0; d < 3; ++d) {
    if (spec.cells[d] < 1) {
      throw structure_error("the number of unit cells must be at least 1 along each axis, got " +
                            std::to_string(spec.cells[d]));
    }
    n_sites *= spec.cells[d];
    if (n_sites > 2000000000LL)
      throw structure_error("too many atoms for one structure");
  }
  const double a = spec.lattice_constant;
  std::vector<std::array<double, 3>> positions;
  positions.reserve(static_cast<size_t>(n_sites));
  for (int k = 0; k < spec.cells[2]; ++k) {
    for (int j = 0; j < spec.cells[1]; ++j) {
      for (int i = 0; i < spec.cells[0]; ++i) {
        for (const auto& b : lattice.basis) {
          positions.push_back({(i + b[0]) * a, (j + b[1]) * a, (k + b[2]) * a});
        }
      }
    }
  }
  box_length_x = spec.cells[0] * a;
  box_length_y = spec.cells[1] * a;
  box_length_z = spec.cells[2] * a;
  return positions;
}

// Fraction of the volume that spheres of diameter min_separation take at the number density.
double packing_fraction(const StructureSpec& spec) {
  const double d = spec.min_separation;
  const double pi = 3.14159265358979323846;
  return spec.number_density * pi / 6.0 * d * d * d;
}

// The side of the periodic cube for spec.n_atoms at spec.number_density, once the numbers are
// known to be ones random sequential addition can reach.
double random_box_length(const StructureSpec& spec) {
  if (spec.n_atoms < 1)
    throw structure_error("random: n_atoms must be at least 1");
  if (!(spec.number_density > 0.0) || !std::isfinite(spec.number_density)) {
    throw structure_error("random: number_density must be positive (atoms per cubic Angstrom)");
  }
  if (!(spec.min_separation >= 0.0) || !std::isfinite(spec.min_separation)) {
    throw structure_error("random: min_separation must be zero or positive");
  }
  const int n = spec.n_atoms;
  const double length = std::cbrt(n / spec.number_density);
  const double d = spec.min_separation;
  const double fraction = packing_fraction(spec);
  // Random sequential addition cannot pass ~0.384; stop early with the reason rather than
  // burn the attempt budget.
  const double jamming_limit = 0.38;
  if (n > 1 && d >= length) {
    throw structure_error("random: min_separation " + std::to_string(d) +
                          " Angstrom is not smaller than the box (" + std::to_string(length) +
                          " Angstrom); lower min_separation or the density");
  }
  if (fraction > jamming_limit) {
    throw structure_error(
        "random: " + std::to_string(n) + " atoms " + std::to_string(d) + " Angstrom apart at " +
        std::to_string(spec.number_density) + " atoms/A^3 is a packing fraction of " +
        std::to_string(fraction) + " (box " + std::to_string(length) +
        " A); random placement cannot exceed about 0.38: lower min_separation or the density");
  }
  return length;
}

// The points placed so far in a periodic cube, binned in a cell grid so that a trial point is
// compared with the 27 surrounding cells only.
class SeparationGrid {
 public:
  SeparationGrid(double length, double min_separation)
      : length_(length),
        d2_(min_separation * min_separation),
        any_separation_(min_separation > 0.0),
        cells_per_side_(std::max(
            1, std::min(min_separation > 0.0 ? static_cast<int>(length / min_separation) : 1, 64))),
        cell_length_(length / cells_per_side_),
        // Neighbouring cells to look at: all of them when the grid is too coarse for 27
        // distinct ones.
        reach_(cells_per_side_ >= 3 ? 1 : 0),
        cell_members_(static_cast<size_t>(cells_per_side_) * cells_per_side_ * cells_per_side_) {}

  const std::vector<std::array<double, 3>>& points() const { return points_; }

  // Whether `trial` is closer than min_separation to a point already placed.
  bool clashes(const std::array<double, 3>& trial) const {
    // With no minimum separation the positions are plain uniform draws: nothing to check.
    if (!any_separation_)
      return false;
    bool clash = false;
    if (reach_ == 0) {
      for (size_t cell = 0; cell < cell_members_.size() && !clash; ++cell)
        clash = clashes_in_cell(cell, trial);
      return clash;
    }
    const std::array<int, 3> c = cell_of(trial);
    const int n = cells_per_side_;
    for (int dz = -1; dz <= 1 && !clash; ++dz) {
      for (int dy = -1; dy <= 1 && !clash; ++dy) {
        for (int dx = -1; dx <= 1 && !clash; ++dx) {
          const int x = (c[0] + dx + n) % n;
          const int y = (c[1] + dy + n) % n;
          const int z = (c[2] + dz + n) % n;
          clash = clashes_in_cell((z * n + y) * n + x, trial);
        }
      }
    }
    return clash;
  }

  void add(const std::array<double, 3>& point) {
    const std::array<int, 3> c = cell_of(point);
    cell_members_[(c[2] * cells_per_side_ + c[1]) * cells_per_side_ + c[0]].push_back(
        static_cast<int>(points_.size()));
    points_.push_back(point);
  }

 private:
  std::array<int, 3> cell_of(const std::array<double, 3>& x) const {
    std::array<int, 3> c{};
    for (int a = 0; a < 3; ++a)
      c[a] = std::min(static_cast<int>(x[a] / cell_length_), cells_per_side_ - 1);
    return c;
  }

  bool clashes_in_cell(size_t cell, const std::array<double, 3>& trial) const {
    for (int other : cell_members_[cell]) {
      double r2 = 0.0;
      for (int a = 0; a < 3; ++a) {
        double delta = trial[a] - points_[other][a];
        delta -= length_ * std::round(delta / length_);
        r2 += delta * delta;
      }
      if (r2 < d2_)
        return true;
    }
    return false;
  }

  double length_;
  double d2_;
  bool any_separation_;
  int cells_per_side_;
  double cell_length_;
  int reach_;
  std::vector<std::vector<int>> cell_members_;
  std::vector<std::array<double, 3>> points_;
};

// Random sequential addition in a periodic cube: uniform trial points, each kept when it is at
// least min_separation from every point kept before.
std::vector<std::array<double, 3>> random_positions(const StructureSpec& spec,
                                                    std::mt19937_64& engine, double& box_length) {
  const double length = random_box_length(spec);
  box_length = length;
  const int n = spec.n_atoms;
  SeparationGrid grid(length, spec.min_separation);
  const long long max_attempts = 1000LL * n + 100000;
  long long attempts = 0;
  while (static_cast<int>(grid.points().size()) < n) {
    if (++attempts > max_attempts) {
      throw structure_error(
          "random: placed only " + std::to_string(grid.points().size()) + " of " +
          std::to_string(n) + " atoms " + std::to_string(spec.min_separation) +
          " Angstrom apart after " + std::to_string(max_attempts) + " attempts (packing fraction " +
          std::to_string(packing_fraction(spec)) + "); lower min_separation or the density");
    }
    const std::array<double, 3> trial{uniform_unit(engine) * length, uniform_unit(engine) * length,
                                      uniform_unit(engine) * length};
    if (!grid.clashes(trial))
      grid.add(trial);
  }
  return grid.points();
}

// The composition as atom types (1-based, in type_elements' order) and fractions adding up to 1.
struct TypedComposition {
  std::vector<int> entry_type;
  std::vector<double> fractions;
};

TypedComposition typed_composition(const StructureSpec& spec,
                                   const std::vector<std::string>& type_elements) {
  TypedComposition out;
  double total = 0.0;
  for (size_t k = 0; k < spec.composition.size(); ++k) {
    const auto& entry = spec.composition[k];
    const auto found = std::find(type_elements.begin(), type_elements.end(), entry.first);
    if (found == type_elements.end()) {
      std::string known;
      for (const auto& name : type_elements)
        known += (known.empty() ? "" : " ") + name;
      throw structure_error("element '" + entry.first +
                            "' of the composition is not one of the atom types (" + known + ")");
    }
    for (size_t j = 0; j < k; ++j) {
      if (spec.composition[j].first == entry.first) {
        throw structure_error("element '" + entry.first + "' appears twice in the composition");
      }
    }
    if (!(entry.second >= 0.0) || !std::isfinite(entry.second)) {
      throw structure_error("the fraction of " + entry.first + " must be zero or positive");
    }
    out.entry_type.push_back(static_cast<int>(found - type_elements.begin()) + 1);
    out.fractions.push_back(entry.second);
    total += entry.second;
  }
  if (!(total > 0.0))
    throw structure_error("the composition fractions add up to zero");
  for (double& f : out.fractions)
    f /= total;
  return out;
}

// counts[k] atoms of type entry_type[k], shuffled over the sites.
std::vector<int> shuffled_species(const std::vector<int>& counts,
                                  const std::vector<int>& entry_type, int n_atoms,
                                  std::mt19937_64& engine) {
  std::vector<int> species;
  species.reserve(n_atoms);
  for (size_t k = 0; k < counts.size(); ++k)
    species.insert(species.end(), counts[k], entry_type[k]);
  fisher_yates_shuffle(species, engine);
  return species;
}

}  // namespace

LammpsData build_structure(const StructureSpec& spec, const std::vector<std::string>& type_elements,
                           const std::vector<double>& type_masses) {
  if (type_elements.empty())
    throw structure_error("no atom types given");
  if (!type_masses.empty() && type_masses.size() != type_elements.size()) {
    throw structure_error(std::to_string(type_masses.size()) + " masses for " +
                          std::to_string(type_elements.size()) + " atom types");
  }
  if (spec.composition.empty())
    throw structure_error("the composition is empty");
  const TypedComposition composition = typed_composition(spec, type_elements);

  // One engine for the whole build: positions (random lattice) first, then the shuffle.
  std::mt19937_64 engine(spec.seed);
  LammpsData data;
  double length_x = 0.0, length_y = 0.0, length_z = 0.0;
  if (spec.lattice == "random") {
    data.positions = random_positions(spec, engine, length_x);
    length_y = length_z = length_x;
  } else {
    data.positions = lattice_positions(spec, length_x, length_y, length_z);
  }
  const int n_atoms = static_cast<int>(data.positions.size());
  const std::vector<int> counts = counts_by_largest_remainder(composition.fractions, n_atoms);

  data.n_types = static_cast<int>(type_elements.size());
  data.masses = type_masses;
  data.lo = {0.0, 0.0, 0.0};
  data.hi = {length_x, length_y, length_z};
  data.triclinic = false;
  data.ids.resize(n_atoms);
  for (int k = 0; k < n_atoms; ++k)
    data.ids[k] = k + 1;
  data.types = shuffled_species(counts, composition.entry_type, n_atoms, engine);
  data.images.assign(n_atoms, {0, 0, 0});

  std::string counted;
  for (size_t k = 0; k < counts.size(); ++k)
    counted += spec.composition[k].first + std::to_string(counts[k]);
  data.title =
      "glassland structure: " + spec.lattice + " " + counted + " seed " + std::to_string(spec.seed);
  return data;
}

void add_vacuum_along_z(LammpsData& data, double each_side) {
  if (!(each_side >= 0.0))
    throw structure_error("the vacuum must be a thickness ≥ 0 Å, got " + std::to_string(each_side));
  data.lo[2] -= each_side;
  data.hi[2] += each_side;
  for (auto& image : data.images)
    image[2] = 0;
}

}  // namespace glassland
