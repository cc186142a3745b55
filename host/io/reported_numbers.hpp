// How numbers appear in the one-line messages and the JSON documents of results (the analyze
// sub-commands, the activation report they share with the sweep's chain).
#pragma once

#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

namespace glassland {

// A number as a person writes it in a message: 300, 0.5, 1e-14.
inline std::string number_text(double v) {
  std::ostringstream s;
  s << v;
  return s.str();
}

// {"value": v, "error": e} (non-finite numbers are written as null).
inline nlohmann::json value_error(double value, double error) {
  return {{"value", value}, {"error", error}};
}

}  // namespace glassland
