// A replica of a host snapshot as the minimum ArtEngine searches from (saddle/art.hpp): its box,
// species and positions. Used by task art and by the tests that drive ArtEngine directly.
#pragma once

#include <cstdint>

#include "host/io/batch_io.hpp"
#include "saddle/art.hpp"

namespace glassland {

inline ArtMinimum art_minimum_from_snapshot(const BatchSnapshot& snap, int replica) {
  ArtMinimum m;
  m.box = snap.boxes[replica];
  for (int i = 0; i < snap.n_atoms; ++i) {
    const int64_t g = static_cast<int64_t>(replica) * snap.n_atoms + i;
    m.elements.push_back(snap.elements[g]);
    for (int k = 0; k < 3; ++k)
      m.positions.push_back(snap.positions[3 * g + k]);
  }
  return m;
}

}  // namespace glassland
