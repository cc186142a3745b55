// The ranges of physical targets an input may ask for (issue 16 item 4): a temperature of 1e9 K
// or a pressure of 1e9 bar runs and gives nonsense instead of an error. The limits are generous
// (far outside what an EAM potential of a metallic glass describes) so that no study is stopped,
// and documented in docs/inputs.md ("Physical ranges").
//  * temperature: [0, 1e5] K. CuZr melts near 1200–1400 K; the hottest melt anyone uses is a few
//    thousand K. Above 1e5 K (8.6 eV per k_B) atoms fly through each other's cores.
//  * pressure: [−1e6, 1e6] bar (±100 GPa), beyond the pressures the potentials were fitted to.
//  * strain: [−0.5, 0.5] (engineering tilt γ): a tilt of half the box, the most LAMMPS accepts
//    without flipping a cubic box; glassland never flips boxes (kernels/box_deformation.hpp).
#pragma once

#include "host/io/json_input.hpp"

namespace glassland {

inline constexpr double kMaxTemperature = 1e5;  // K
inline constexpr double kMaxPressure = 1e6;     // bar, magnitude
inline constexpr double kMaxStrain = 0.5;       // magnitude

inline NumberRange temperature_range(bool zero_allowed = true) {
  NumberRange range = NumberRange::closed(0.0, kMaxTemperature);
  range.lower_strict = !zero_allowed;
  range.expectation = std::string("a temperature in ") + (zero_allowed ? "[" : "(") +
                      "0, 100000] K (larger is outside any metallic-glass landscape; "
                      "see docs/inputs.md, physical ranges)";
  return range;
}

inline NumberRange pressure_range() {
  NumberRange range = NumberRange::closed(-kMaxPressure, kMaxPressure);
  range.expectation =
      "a pressure in [-1e6, 1e6] bar (±100 GPa; the unit is bar, not Pa; see docs/inputs.md, "
      "physical ranges)";
  return range;
}

inline NumberRange strain_range() {
  NumberRange range = NumberRange::closed(-kMaxStrain, kMaxStrain);
  range.expectation =
      "a strain in [-0.5, 0.5] (a dimensionless fraction, not percent; see docs/inputs.md, "
      "physical ranges)";
  return range;
}

}  // namespace glassland
