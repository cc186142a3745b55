// A sweep file (docs/sweep.md): a base task input, axes that set any of its keys by JSON path, how
// they combine, where the points' results go, and the settings of the analysis chain. Read and
// expanded into points here; nothing runs.
//
//   {"base": {...task input...} or "base.json",        (a path relative to the sweep file)
//    "axes": {"metad.temperature": [600, 700, 800], "metad.pressure": [0, 20000]},
//    "combine": "grid" | "zip",
//    "output": {"directory": "out/sweep"},
//    "chain": {"weighting": "bootstrap"}}
//
// Grid points run through the axes as nested loops in the order written (the first axis slowest);
// zip takes the k-th value of every axis. Point k's input is the base with each axis's value set
// at its path ("a.b[2].c": keys, and array elements by index; missing objects are created) and
// output.directory set to <directory>/points/NNNN. Relative paths of the base input resolve against
// the base file's directory (or the sweep file's, for an inline base), as for `glassland run`.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "host/io/json_input.hpp"
#include "host/tasks/activation_report.hpp"

namespace glassland {

struct SweepAxis {
  std::string path;  // as written: "metad.temperature", "md.shear_strain[0]"
  std::vector<nlohmann::json> values;
};

struct SweepPoint {
  int index = 0;
  std::vector<nlohmann::json> values;  // one per axis
  nlohmann::json input;                // the task input of this point
  std::string directory;               // <directory>/points/NNNN
};

struct SweepPlan {
  std::string file;            // the sweep file, as given
  std::string base_source;     // the base input file, or "<file> (base)" when inline
  std::string base_directory;  // absolute: where the base's relative paths resolve
  nlohmann::json base;
  std::string task;  // the base's "task"
  std::vector<SweepAxis> axes;
  std::string combine;    // "grid" or "zip"
  std::string directory;  // output.directory
  bool quiet = false;     // output.quiet
  // The chain's fits (chain.*), the settings of `analyze activation` it shares.
  ActivationSettings chain;
  bool chain_enabled = true;
  // The barrier histogram of an ART sweep's entropy (chain.bin_width_eV, chain.bin_origin_eV:
  // `analyze entropy-temperature --bin-width, --bin-origin`).
  double entropy_bin_width = 0.1, entropy_bin_origin = 0.0;
  // The sweep's own keys with every default filled in (recorded in sweep_plan.json).
  nlohmann::json settings;
  std::vector<SweepPoint> points;
};

// Reads, checks and expands a sweep file. Errors name the file and the key
// ("sweep.json: axes.metad.temperature: expected a non-empty array of values").
SweepPlan read_sweep_plan(const std::string& path);

// "metad.temperature=700, metad.pressure=0".
std::string point_label(const SweepPlan& plan, const SweepPoint& point);

// The point's input as the task reads it: its messages name the base and the point
// ("base.json [point 0003: metad.temperature=700]: metad.steps: ...").
InputObject point_input(const SweepPlan& plan, const SweepPoint& point);

// The plan as recorded in <directory>/sweep_plan.json (the sweep's own record; --restart checks a
// new plan against it).
nlohmann::json plan_record(const SweepPlan& plan);

}  // namespace glassland
