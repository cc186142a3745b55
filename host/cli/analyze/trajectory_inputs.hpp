// What the trajectory sub-commands of `glassland analyze` share (dynamics, structure,
// cage-jumps): the trajectory files and their options (--replica, --frames, --elements,
// --masses, --timestep-ps, --temperature), one series per file or H5MD particle group, and the
// names, masses, temperature and times of each series (docs/analysis.md, "Trajectories in").
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <string>
#include <vector>

#include "host/io/trajectory_reader.hpp"

namespace glassland {

struct TrajectoryOptions {
  std::vector<std::string> files;
  int replica = -1;
  std::string frames = "::";
  std::vector<std::string> elements;
  std::vector<double> masses;
  double timestep_ps = 0.0;  // 0: the file's own times
  std::vector<double> temperatures;
};

// Adds FILES… and the options above to `command`.
void add_trajectory_options(CLI::App* command, TrajectoryOptions& options,
                            const std::string& files_help);

// One series of frames with what the analyses need to know about it.
struct TrajectorySeries {
  std::unique_ptr<SlicedTrajectory> frames;
  std::string description;
  double temperature_K = 0.0;  // NaN when unknown
  std::string temperature_source;
  std::vector<std::string> type_names;  // [type − 1]
  std::vector<double> type_masses;      // [type − 1], empty when unknown
};

// Opens every series of every file (one per H5MD particle group unless --replica), with the
// frame slice applied, and the temperature of each (--temperature: one value for all series or one
// per series; else a glassland md run's md.temperature of that replica).
std::vector<TrajectorySeries> open_trajectory_series(const TrajectoryOptions& options);

// Names and masses of types 1 … n_types of a series, from --elements/--masses, the file, a
// glassland run's potential, or standard atomic weights of the names; `need_masses` makes
// missing masses an error naming the remedy.
void resolve_types(TrajectorySeries& series, int n_types, const TrajectoryOptions& options,
                   bool need_masses);

// The time of a frame in ps: the file's time, or step × --timestep-ps (which wins when given).
double frame_time_ps(const AtomsFrame& frame, const TrajectoryOptions& options,
                     const std::string& description);

// Reads the next frame; false at the end of the selection.
bool next_frame(TrajectorySeries& series, AtomsFrame& frame);

}  // namespace glassland
