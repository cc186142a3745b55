// The settings of `task: neb` (docs/neb.md "task: neb", docs/tasks.md): the endpoint pairs (a
// list, a directory, an ART events.json, the jumps between two inherent structures or the tracer
// events of a metad output directory), the band and shear settings, and the output section. (The
// system section's force-field keys are read by read_system_potential, host/tasks/task_system.hpp.)
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "host/io/json_input.hpp"
#include "host/io/lammps_data.hpp"
#include "host/tasks/output_settings.hpp"
#include "saddle/idpp.hpp"
#include "saddle/neb_band.hpp"

namespace glassland {

struct EndpointPair {
  std::string initial, final_state;  // resolved paths (a jump: the two inherent structures)
  nlohmann::json record = nlohmann::json::object();  // added to the band's record (event, jump)
  // In-memory endpoints (jump bands: the constructed final state); read from the paths if null.
  std::shared_ptr<const LammpsData> initial_data, final_data;
};

struct ShearTaskSettings {
  bool enabled = false;
  std::vector<double> strains;
  bool minimize_endpoints = true;
  bool reinterpolate = false;
  double hump_prominence = 1e-3;
  double bin_width = 0.05;
  int resamples = 1000;
  std::uint64_t seed = 20211119;
};

struct NebTaskSettings {
  std::vector<EndpointPair> pairs;
  int n_images = 7;
  NebSettings neb;
  std::string interpolation = "linear";
  IdppSettings idpp;  // with interpolation "idpp"
  bool minimize_endpoints = false;
  double endpoint_ftol = 1e-6;
  int endpoint_max_iterations = 10000;
  bool write_saddles = false;
  ShearTaskSettings shear;
};

// Reads input["neb"].
NebTaskSettings read_neb_settings(InputObject& section);

// Reads input["output"]: directory, quiet, checkpoint_stride (band iterations) and
// progress_interval.
OutputSettings read_neb_output(InputObject& input);

// A band interpolates atom by atom between its endpoints, so both must hold the same atoms
// (IDs and types) in the same box; otherwise the band is meaningless, and nothing downstream
// could tell. Boxes agree to 1e-9 Å (a data-file round trip is exact; a strained final state is
// a different problem).
void check_endpoint_pair(const std::string& initial_path, const std::string& final_path,
                         const LammpsData& initial, const LammpsData& final_state);
// Endpoints (of the same atoms, check_endpoint_pair) in which no atom moves by
// kMinEndpointSeparation or more (minimum image) are one state, not a pair: a band between them
// "converges" at once with barrier 0. Throws InputError naming both files.
inline constexpr double kMinEndpointSeparation = 1e-3;  // Å
void check_endpoints_differ(const std::string& initial_path, const std::string& final_path,
                            const LammpsData& initial, const LammpsData& final_state);

}  // namespace glassland
