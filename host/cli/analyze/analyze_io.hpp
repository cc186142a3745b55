// What the `glassland analyze` sub-commands share: reading their inputs into an analysis::Table
// and writing their one JSON document (docs/analyze.md, "Inputs" and "Errors").
//
// Inputs are CSV files with a header row, JSON tables, and glassland's results: the metadynamics
// summary.json ({"temperature_K": T or [T per tracer], "tracers": [{"barrier_eV": ...,
// "event_found": true, ...}]}), the ART events.json ({"events": [{"barrier_eV": ..., "success":
// true, ...}]}), the NEB neb.json ({"bands": [...]}), prepare's summary.json ({"replicas": [...]}),
// the results.h5 of art, metad, neb, md and prepare (results_files.hpp), or a results directory
// (its events.json, neb.json or summary.json). All of them become an analysis::Table, so every
// bad cell is reported the same way: file, line or JSON path, data row, column. Output is one
// JSON document on stdout or in --output FILE (written atomically). Non-finite numbers (a
// divergent sequential integral, an undefined error) are written as null.
#pragma once

#include <CLI/CLI.hpp>
#include <cstddef>
#include <limits>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

#include "analysis/table_reader.hpp"
#include "host/io/input_error.hpp"
#include "host/io/reported_numbers.hpp"  // number_text, value_error

namespace glassland::analyze_cli {

// Shared with the sweep's chain (host/io/reported_numbers.hpp); the sub-commands name them here.
using glassland::number_text;
using glassland::value_error;

namespace ga = analysis;
using json = nlohmann::json;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// ---------------------------------------------------------------------------------------------
// Reading

struct LoadedTable {
  ga::Table table;
  std::size_t skipped = 0;  // records with event_found/success false
  std::string shape;        // "csv", "metadynamics summary", "ART events", "json table", ...
};

// A CSV or JSON table (chosen by content, or by a .json name), an HDF5 result file, or a
// results directory, in any of the shapes above.
LoadedTable load_table(const std::string& path);

// A JSON document from a file; an unreadable file or invalid JSON is an InputError naming it.
json read_json_file(const std::string& path);

// ---------------------------------------------------------------------------------------------
// Writing

// Adds --output/-o, the JSON file to write (default and "-": stdout).
void add_output_option(CLI::App& command, std::string& output);

// Writes doc (indented by 2, newline at the end) to stdout or atomically to the file `output`.
void emit(const json& doc, const std::string& output);

// Runs a sub-command body, turning library errors into one-line InputErrors.
template <class F>
void guarded(const std::string& command, F&& body) {
  try {
    body();
  } catch (const ga::TableError& e) {
    throw InputError(e.what());
  } catch (const std::invalid_argument& e) {
    throw InputError("analyze " + command + ": " + e.what());
  }
}

}  // namespace glassland::analyze_cli
