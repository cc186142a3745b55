// What a run may find in its output directory, and what it does about it (issue 16 items 6–7):
// a --restart continues only the run its checkpoint was written for (the keys that differ are
// named), and a fresh run does not mix its results with another run's (it refuses, or with
// --overwrite clears them first).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace glassland {

// Keys a --restart may change: they do not change the physics of what was already run
// (docs/inputs.md, "Restarts"). "<task>.steps" may only grow: the stage checks that the
// checkpointed step is not beyond it.
const std::vector<std::string>& restart_exceptions();

// JSON paths ("md.thermostat.tau") whose values differ between two effective inputs, a key
// present in one only included; paths in `ignored` are left out. Arrays are compared whole.
std::vector<std::string> changed_keys(const nlohmann::json& before, const nlohmann::json& now,
                                      const std::vector<std::string>& ignored = {});

// "a, b and c".
std::string join_keys(const std::vector<std::string>& keys);

// Removes everything in `directory` (--overwrite). Refuses, with an error naming the reason, a
// directory that contains the working directory or the input file.
void clear_output_directory(const std::string& directory, const std::string& input_path);

}  // namespace glassland
