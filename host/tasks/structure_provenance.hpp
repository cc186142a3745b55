// Where a structure file came from: the prepare run whose summary.json sits beside it (issue 21
// item 8, chaining without export). A prepare run writes final_NNNN.data and is_NNNN.data (the
// final structure of replica NNNN and its inherent structure) and, at each cooling stop,
// snapshot_T<T>K_NNNN.data and is_T<T>K_NNNN.data, and its summary.json records each replica's
// cooling rate (host/tasks/prepare_task.cpp). Tasks reading such files record that rate with
// the resolved file path in their effective configuration (system._sources), so that
// `analyze` finds it from any working directory.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace glassland {

// prepare's summary.json in the directory of `file` when there is one that parses and is a
// prepare summary with a replicas list; null otherwise.
nlohmann::json prepare_summary_beside(const std::string& file);

// The replica of a prepare run that wrote `file_name` (final_NNNN.data, is_NNNN.data,
// snapshot_T<T>K_NNNN.data, is_T<T>K_NNNN.data); -1 for any other name.
int prepare_replica_of(const std::string& file_name);

// The provenance record of one structure file: {"file": absolute path, "cooling_rate_K_per_s":
// the rate of the prepare replica that wrote it, or null, "prepare_summary": that summary's
// absolute path, or null}.
nlohmann::json structure_provenance(const std::string& file);

}  // namespace glassland
