// Jump detection and partial final states for jump NEB (source in saddle/jump_neb.hpp).
#include "saddle/jump_neb.hpp"

#include <cmath>
#include <stdexcept>

namespace glassland {

std::vector<JumpBand> find_jump_bands(const std::vector<double>& initial,
                                      const std::vector<double>& final, const Box& box,
                                      const JumpSettings& settings) {
  if (initial.size() != final.size() || initial.size() % 3 != 0)
    throw std::invalid_argument("find_jump_bands: the two structures differ in atom count");
  const size_t n = initial.size() / 3;
  // Displacement of every atom between the IS, by minimum image (IS positions are wrapped).
  std::vector<double> displacement(initial.size());
  for (size_t i = 0; i < n; ++i) {
    double d[3];
    for (int k = 0; k < 3; ++k)
      d[k] = final[3 * i + k] - initial[3 * i + k];
    box.minimum_image(d);
    for (int k = 0; k < 3; ++k)
      displacement[3 * i + k] = d[k];
  }
  std::vector<JumpBand> bands;
  const double radius_squared = settings.sphere_radius * settings.sphere_radius;
  for (size_t j = 0; j < n; ++j) {
    const double* dj = &displacement[3 * j];
    const double length = std::sqrt(dj[0] * dj[0] + dj[1] * dj[1] + dj[2] * dj[2]);
    if (!(length > settings.jump_threshold))
      continue;
    JumpBand band;
    band.jumping_atom = static_cast<int>(j);
    band.displacement = length;
    band.final_positions = initial;
    for (size_t i = 0; i < n; ++i) {
      double d[3];
      for (int k = 0; k < 3; ++k)
        d[k] = final[3 * i + k] - final[3 * j + k];
      box.minimum_image(d);
      if (d[0] * d[0] + d[1] * d[1] + d[2] * d[2] > radius_squared)
        continue;
      ++band.moved_atoms;
      for (int k = 0; k < 3; ++k)
        band.final_positions[3 * i + k] = initial[3 * i + k] + displacement[3 * i + k];
    }
    bands.push_back(std::move(band));
  }
  return bands;
}

}  // namespace glassland
