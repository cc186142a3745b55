// `glassland analyze entropy-temperature` as a function (entropy_temperature_command.cpp): the
// document the command writes, for the sweep's chain over ART runs (host/cli/sweep_command.cpp,
// docs/sweep.md), which must give the command's numbers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace glassland::analyze_cli {

struct EntropyTemperatureOptions {
  std::vector<std::string> files;
  std::string column = "barrier_eV";
  std::string temperature_column = "source_temperature_K";
  double bin_width = 0.1;
  double bin_origin = 0.0;
  std::string structures = "auto";
  std::size_t bootstrap = 1000;
  std::uint64_t seed = 20180101;
  double confidence = 0.95;
  std::string output;
};

// The command's result document for `o` (o.output is not used). Throws InputError on bad input.
nlohmann::json entropy_temperature_document(const EntropyTemperatureOptions& o);

}  // namespace glassland::analyze_cli
