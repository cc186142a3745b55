// An analysis result (a JSON document) as an HDF5 file, for users who read results with h5py or
// plot them from HDF5 (SPEC.md §11): objects become groups, arrays of numbers datasets (arrays of
// equal-length arrays of numbers 2-D datasets, null written as NaN), arrays of strings string
// datasets, numbers and strings attributes of their group; other arrays (of objects) become groups
// named 0000, 0001, .... Keys that HDF5 cannot name ("/" in them) have "/" replaced by "|".
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace glassland {

// Writes `document` to `path` atomically.
void write_json_as_hdf5(const std::string& path, const nlohmann::json& document);

// Writes the document as JSON (2-space indent, NaN as null) or, for a path ending in .h5 or
// .hdf5, as HDF5; "" or "-" prints JSON on stdout.
void write_result_document(const std::string& path, const nlohmann::json& document);

}  // namespace glassland
