// The settings of `task: art` (docs/art.md "task: art", docs/tasks.md): the art section with its
// centres and the ART nouveau thresholds of art.search (defaults: paper 004, saddle/art.hpp).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "host/io/json_input.hpp"
#include "saddle/art.hpp"

namespace glassland {

struct ArtTaskSettings {
  std::vector<std::string> extra_minima;  // resolved paths
  std::vector<double> minimum_temperatures;  // K, one per minimum; empty: from prepare's summary
  bool minimize_first = true;
  int concurrent_searches = 8;
  int target_successes = 20;
  int max_attempts = 1000;
  std::string selection = "random";  // random, atoms, every_atom
  std::string species = "any";
  std::vector<int64_t> center_ids;  // atom IDs (selection "atoms")
  int successes_per_center = 1;
  int max_attempts_per_center = 5;
  bool walk = false;
  ArtSettings search;
  double duplicate_energy_tolerance = 1e-3;
  double duplicate_position_tolerance = 0.05;
  bool write_structures = false;
  bool write_displacements = false;
  int64_t checkpoint_searches = 0;
};

// Reads input["art"] (all but art.minimize, whose settings are per minimum).
ArtTaskSettings read_art_settings(InputObject& section);

}  // namespace glassland
