// Reading glassland's own result files for `glassland analyze` (docs/analyze.md, "Inputs"):
// the results.h5 of task art (events/), metad (tracers/tracer_NNNN/), neb (bands/NNNN/) and the
// H5MD thermodynamic record of md and prepare (observables/NAME/{step,time,value}), and a
// results directory (the document its task wrote: events.json, neb.json or summary.json).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "host/cli/analyze/analyze_io.hpp"

namespace glassland::analyze_cli {

// Whether the file starts with the HDF5 signature.
bool is_hdf5_file(const std::string& path);

// The result document of a task's output directory: events.json (art), neb.json (neb) or
// summary.json (metad, prepare); an InputError naming the directory when there is none.
std::string results_document(const std::string& directory);

// A results.h5 as a table: ART events (skipping unsuccessful searches), metad tracers (skipping
// those without an event), NEB bands (skipping unconverged ones), or the thermodynamic record in
// long form (one row per record and replica: replica, step, time_ps and one column per
// observable). InputError naming the file when it holds none of these.
LoadedTable load_hdf5_table(const std::string& path);

// The H5MD observables of an md or prepare results.h5: values[name][record * replicas + r].
struct ThermoRecord {
  std::string source;
  std::size_t replicas = 0, records = 0;
  std::vector<std::int64_t> steps;
  std::vector<double> times;  // ps
  std::map<std::string, std::vector<double>> values;
  std::map<std::string, std::string> units;
  std::string effective_configuration;  // the run's input as JSON text ("" if absent)
  bool has(const std::string& name) const { return values.count(name) > 0; }
  // One replica's series of an observable (InputError naming the file when it is absent).
  std::vector<double> series(const std::string& name, std::size_t replica) const;
};
ThermoRecord read_thermo_record(const std::string& path);

}  // namespace glassland::analyze_cli
