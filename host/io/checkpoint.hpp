// A Checkpoint is a named set of arrays (double, int64, uint64, string) plus nested JSON
// metadata, written as one HDF5 file through write_file_atomically and read back exactly
// (doubles bitwise, NaN payloads and -0.0 included). Drivers put everything needed to continue
// a run into it: positions, velocities, boxes, thermostat and barostat state, RNG counters, the
// step and the schedule position, and the row counts of their output series (to cut them back).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

namespace glassland {

class Checkpoint {
 public:
  using Values = std::variant<std::vector<double>, std::vector<std::int64_t>,
                              std::vector<std::uint64_t>, std::vector<std::string>>;

  // Names may contain "/" to group entries ("thermostat/xi"). `shape` defaults to 1-D; its
  // product must equal the number of values. Setting a name again replaces it.
  void set(const std::string& name, std::vector<double> values,
           std::vector<std::size_t> shape = {});
  void set(const std::string& name, std::vector<std::int64_t> values,
           std::vector<std::size_t> shape = {});
  void set(const std::string& name, std::vector<std::uint64_t> values,
           std::vector<std::size_t> shape = {});
  void set(const std::string& name, std::vector<std::string> values);
  // Single values, stored as arrays of one element.
  void set_double(const std::string& name, double value) { set(name, std::vector<double>{value}); }
  void set_int64(const std::string& name, std::int64_t value) {
    set(name, std::vector<std::int64_t>{value});
  }
  void set_uint64(const std::string& name, std::uint64_t value) {
    set(name, std::vector<std::uint64_t>{value});
  }

  // Free-form metadata (task name, input file, schedule description). Doubles that must come
  // back bitwise belong in arrays, not here.
  void set_metadata(nlohmann::json metadata) { metadata_ = std::move(metadata); }
  const nlohmann::json& metadata() const { return metadata_; }

  bool has(const std::string& name) const { return entries_.count(name) > 0; }
  std::vector<std::string> names() const;  // sorted
  const std::vector<std::size_t>& shape(const std::string& name) const;

  // Typed access; a missing name or another type throws InputError naming the checkpoint file
  // (a checkpoint from another task or version is a user error).
  const std::vector<double>& doubles(const std::string& name) const;
  const std::vector<std::int64_t>& int64s(const std::string& name) const;
  const std::vector<std::uint64_t>& uint64s(const std::string& name) const;
  const std::vector<std::string>& strings(const std::string& name) const;
  double get_double(const std::string& name) const;
  std::int64_t get_int64(const std::string& name) const;
  std::uint64_t get_uint64(const std::string& name) const;

  // Writes the whole checkpoint atomically as HDF5.
  void write(const std::string& path) const;
  // Reads a checkpoint written by write(); throws InputError when the file is missing or is
  // not a glassland checkpoint.
  static Checkpoint read(const std::string& path);

  // The file this checkpoint was read from ("" when built in memory).
  const std::string& source() const { return source_; }

 private:
  struct Entry {
    Values values;
    std::vector<std::size_t> shape;
  };
  template <class T>
  const std::vector<T>& typed(const std::string& name, const char* type_name) const;
  template <class T>
  void store(const std::string& name, std::vector<T> values, std::vector<std::size_t> shape);

  std::map<std::string, Entry> entries_;
  nlohmann::json metadata_ = nlohmann::json::object();
  std::string source_;
};

}  // namespace glassland
