#include "cv/collective_displacement.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

namespace glassland {

CollectiveDisplacement collective_displacement(const std::vector<std::array<double, 3>>& before,
                                               const std::vector<std::array<double, 3>>& after,
                                               const Box& box, double threshold) {
  if (before.size() != after.size())
    throw std::invalid_argument("collective_displacement: " + std::to_string(before.size()) +
                                " atoms before, " + std::to_string(after.size()) + " after");
  CollectiveDisplacement result;
  result.per_atom.resize(before.size());
  double sum2 = 0.0;
  for (size_t i = 0; i < before.size(); ++i) {
    double d[3] = {after[i][0] - before[i][0], after[i][1] - before[i][1],
                   after[i][2] - before[i][2]};
    box.minimum_image(d);
    const double d2 = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
    sum2 += d2;
    result.per_atom[i] = std::sqrt(d2);
    result.largest = std::max(result.largest, result.per_atom[i]);
    if (result.per_atom[i] > threshold)
      result.moved.push_back(static_cast<int>(i));
  }
  result.total = std::sqrt(sum2);
  return result;
}

}  // namespace glassland
