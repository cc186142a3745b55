#include "analysis/surface_layers.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace glassland::analysis {

SlabSurfaces slab_surfaces(const std::vector<double>& positions, double area) {
  const std::size_t n = positions.size() / 3;
  if (n < 8)
    throw std::invalid_argument("slab surfaces: need at least 8 atoms");
  std::vector<double> z(n);
  for (std::size_t i = 0; i < n; ++i)
    z[i] = positions[3 * i + 2];
  std::sort(z.begin(), z.end());
  auto quantile = [&](double p) {  // linear interpolation between order statistics
    const double x = p * (n - 1);
    const std::size_t k = static_cast<std::size_t>(x);
    return k + 1 < n ? z[k] + (x - k) * (z[k + 1] - z[k]) : z[k];
  };
  const double q25 = quantile(0.25), q75 = quantile(0.75), median = quantile(0.5);
  if (!(q75 > q25))
    throw std::invalid_argument("slab surfaces: the atoms have no extent along z");
  SlabSurfaces s;
  s.bulk_density = 0.5 * n / ((q75 - q25) * area);
  const double above = static_cast<double>(z.end() - std::upper_bound(z.begin(), z.end(), median));
  const double below =
      static_cast<double>(std::lower_bound(z.begin(), z.end(), median) - z.begin());
  // Atoms exactly at the median count half on each side.
  const double at = n - above - below;
  s.top = median + (above + 0.5 * at) / (s.bulk_density * area);
  s.bottom = median - (below + 0.5 * at) / (s.bulk_density * area);
  return s;
}

std::vector<unsigned char> surface_atoms(const std::vector<double>& positions,
                                         const SlabSurfaces& surfaces, double depth) {
  std::vector<unsigned char> flags(positions.size() / 3, 0);
  for (std::size_t i = 0; i < flags.size(); ++i) {
    const double z = positions[3 * i + 2];
    flags[i] = (z > surfaces.top - depth || z < surfaces.bottom + depth) ? 1 : 0;
  }
  return flags;
}

LayerProfile::LayerProfile(int n_types, double width) : n_types_(n_types), width_(width) {
  if (n_types < 1 || !(width > 0.0))
    throw std::invalid_argument("layer profile: needs types ≥ 1 and a positive layer width");
  by_type_.resize(n_types);
  cn_sum_.resize(n_types);
}

void LayerProfile::add_frame(const PeriodicCell& cell, const std::vector<double>& positions,
                             const std::vector<int>& types, const std::vector<int>& coordination) {
  if (frames_ == 0) {
    // The grid spans one cell length centred on the first frame's median z: a slab sits in its
    // middle with the vacuum split at the ends, so no atom of the film wraps; bulk is unaffected.
    std::vector<double> z(types.size());
    for (std::size_t i = 0; i < z.size(); ++i)
      z[i] = positions[3 * i + 2];
    std::nth_element(z.begin(), z.begin() + z.size() / 2, z.end());
    z0_ = z[z.size() / 2] - 0.5 * cell.lz;
    const std::size_t layers = static_cast<std::size_t>(std::ceil(cell.lz / width_ - 1e-9));
    atoms_.assign(layers, 0.0);
    for (int t = 0; t < n_types_; ++t) {
      by_type_[t].assign(layers, 0.0);
      cn_sum_[t].assign(layers, 0.0);
    }
  }
  for (std::size_t i = 0; i < types.size(); ++i) {
    // Layers are fixed in space; z is wrapped into [z0, z0 + lz).
    double z = positions[3 * i + 2] - z0_;
    z -= std::floor(z / cell.lz) * cell.lz;
    if (z < 0.0)
      continue;
    const std::size_t layer = static_cast<std::size_t>(z / width_);
    if (layer >= atoms_.size())
      continue;
    atoms_[layer] += 1.0;
    by_type_[types[i] - 1][layer] += 1.0;
    cn_sum_[types[i] - 1][layer] += coordination[i];
  }
  volume_sum_ += cell.lx * cell.ly * width_;
  ++frames_;
}

std::vector<double> LayerProfile::z_centres() const {
  std::vector<double> z(atoms_.size());
  for (std::size_t k = 0; k < z.size(); ++k)
    z[k] = z0_ + (k + 0.5) * width_;
  return z;
}

std::vector<double> LayerProfile::density() const {
  std::vector<double> d(atoms_.size());
  for (std::size_t k = 0; k < d.size(); ++k)
    d[k] = atoms_[k] / volume_sum_;
  return d;
}

std::vector<double> LayerProfile::fraction(int type) const {
  std::vector<double> f(atoms_.size());
  for (std::size_t k = 0; k < f.size(); ++k)
    f[k] = atoms_[k] > 0 ? by_type_[type - 1][k] / atoms_[k]
                         : std::numeric_limits<double>::quiet_NaN();
  return f;
}

std::vector<double> LayerProfile::mean_coordination(int type) const {
  std::vector<double> c(atoms_.size());
  for (std::size_t k = 0; k < c.size(); ++k)
    c[k] = by_type_[type - 1][k] > 0 ? cn_sum_[type - 1][k] / by_type_[type - 1][k]
                                     : std::numeric_limits<double>::quiet_NaN();
  return c;
}

std::vector<double> LayerProfile::atoms_per_frame() const {
  std::vector<double> a = atoms_;
  for (double& v : a)
    v /= frames_;
  return a;
}

}  // namespace glassland::analysis
