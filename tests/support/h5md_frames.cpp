#include "tests/support/h5md_frames.hpp"

#include <cstdint>
#include <cstdio>
#include <stdexcept>
#include <string>

namespace glassland::testing {

UnwrappedFrames read_unwrapped_frames(const hdf5::File& file, int replica) {
  char name[64];
  std::snprintf(name, sizeof name, "particles/replica_%04d", replica);
  const hdf5::Group g = file.group(name);
  UnwrappedFrames frames;
  frames.times = g.dataset("position/time").read<double>();
  frames.species = g.dataset("species").read<int>();
  const std::vector<double> x = g.dataset("position/value").read<double>();
  const std::vector<int32_t> image = g.dataset("image/value").read<int32_t>();
  const std::vector<double> edges = g.dataset("box/edges/value").read<double>();
  const size_t per_frame = 3 * frames.species.size();
  if (x.size() != frames.times.size() * per_frame || image.size() != x.size() ||
      edges.size() != 9 * frames.times.size())
    throw std::runtime_error(std::string(name) + ": frame datasets of inconsistent sizes");
  for (size_t f = 0; f < frames.times.size(); ++f) {
    const double* h = &edges[9 * f];  // rows: the edge vectors a, b, c (the box may change)
    std::vector<double> u(per_frame);
    for (size_t i = 0; i < per_frame; i += 3) {
      const size_t j = f * per_frame + i;
      for (int k = 0; k < 3; ++k)
        u[i + k] = x[j + k] + image[j] * h[k] + image[j + 1] * h[3 + k] + image[j + 2] * h[6 + k];
    }
    frames.positions.push_back(std::move(u));
  }
  return frames;
}

}  // namespace glassland::testing
