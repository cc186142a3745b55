// Validated JSON task input.
//
// A task reads its settings through InputObject getters. Every getter names the key, its
// default (or `required`), its unit and a one-line description, and checks type and range.
// Three things follow from the same declarations:
//   * errors that name the file and the full JSON path, say what was expected and what was
//     found ("input.json: md.thermostat.tau_ps: expected a positive number, got -1");
//   * the effective configuration: every value the task used, defaults included, as a JSON
//     tree that drivers write next to their results (SPEC §11: nothing is silently defaulted);
//   * the schema: (key path, type, unit, default, description) of every declared key, from
//     which tests check that docs/inputs.md documents every key a task reads.
// After reading, the task calls finish(): any key present in the file that no getter asked
// for is an error, with the closest known key suggested (typos must not be silently ignored).
//
// Conventions (docs/inputs.md): keys whose name starts with "_" are comments and are ignored;
// an integer may be written as 1e6 (a number with no fractional part); relative paths resolve
// against the directory of the input file.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "host/io/input_error.hpp"

namespace glassland {

// Reads and parses a JSON file. Syntax errors throw InputError "FILE:LINE:COLUMN: JSON syntax
// error: ...", so editors can jump to the spot.
nlohmann::json load_json_file(const std::string& path);

// Parses JSON text; `file_name` only appears in error messages.
nlohmann::json parse_json_text(const std::string& text, const std::string& file_name);

// Passed instead of a default value to say that a key must be present.
struct Required {
  struct Tag {};
  constexpr explicit Required(Tag) {}
};
inline constexpr Required required{Required::Tag{}};

// Allowed values of a floating-point key. Bounds are inclusive unless made strict.
struct NumberRange {
  double lower = -1.0e308;
  double upper = 1.0e308;
  bool lower_strict = false;
  bool upper_strict = false;
  std::string expectation = "a number";  // what error messages say was expected

  bool contains(double value) const;
  static NumberRange any() { return {}; }
  static NumberRange positive();      // > 0
  static NumberRange non_negative();  // >= 0
  static NumberRange at_least(double lower);
  static NumberRange closed(double lower, double upper);  // [lower, upper]
};

// Allowed values of an integer key (64-bit, inclusive bounds).
struct IntegerRange {
  std::int64_t lower = INT64_MIN;
  std::int64_t upper = INT64_MAX;
  std::string expectation = "an integer";

  bool contains(std::int64_t value) const { return value >= lower && value <= upper; }
  static IntegerRange any() { return {}; }
  static IntegerRange positive();      // >= 1
  static IntegerRange non_negative();  // >= 0
  static IntegerRange at_least(std::int64_t lower);
  static IntegerRange closed(std::int64_t lower, std::int64_t upper);  // [lower, upper]
};

// Allowed lengths of an array key.
struct LengthRange {
  std::size_t minimum = 0;
  std::size_t maximum = SIZE_MAX;

  static LengthRange any() { return {}; }
  static LengthRange exactly(std::size_t n) { return {n, n}; }
  static LengthRange at_least(std::size_t n) { return {n, SIZE_MAX}; }
  static LengthRange between(std::size_t lo, std::size_t hi) { return {lo, hi}; }
  bool contains(std::size_t n) const { return n >= minimum && n <= maximum; }
  std::string describe() const;  // "3", "at least 1", "between 2 and 4", ""
};

// One declared key, as documentation needs it.
struct KeyDeclaration {
  std::string path;           // "md.thermostat.tau_ps"; array elements appear as "events[]"
  std::string type;           // "number", "integer", "string", "one of ...", "object", ...
  std::string unit;           // "ps", "K", "" when dimensionless
  std::string default_value;  // JSON text of the default, or "required"
  std::string description;
};

// Every key declared through the InputObjects of one input file, in first-declaration order,
// each path once.
class SchemaRecorder {
 public:
  void record(const KeyDeclaration& key);
  const std::vector<KeyDeclaration>& keys() const { return keys_; }

  // Markdown table rows "| `path` | type | unit | default | description |" with a header,
  // for pasting into docs/inputs.md.
  std::string markdown_table() const;

  // The declared key paths that `document` never mentions as `path` (in backticks).
  std::vector<std::string> paths_missing_from(const std::string& document) const;

 private:
  std::vector<KeyDeclaration> keys_;
};

// Edit (Levenshtein) distance, used for "did you mean" suggestions.
std::size_t edit_distance(const std::string& a, const std::string& b);

// One JSON object at a JSON path inside a named input file.
// Copies share state: the effective configuration, the schema and the record of which keys
// were read belong to the whole file, so finish() on the root checks every object opened.
class InputObject {
 public:
  // The root object of a file. `file_name` is what messages show; `base_directory` is where
  // relative paths resolve (the input file's directory).
  InputObject(nlohmann::json root, std::string file_name, std::string base_directory);

  // Loads a file (load_json_file) and wraps its top-level object.
  static InputObject from_file(const std::string& path);

  // --- numbers ---
  double number(const std::string& key, double default_value, const std::string& unit,
                const std::string& description, const NumberRange& range = NumberRange::any());
  double number(const std::string& key, Required, const std::string& unit,
                const std::string& description, const NumberRange& range = NumberRange::any());

  std::int64_t integer(const std::string& key, std::int64_t default_value, const std::string& unit,
                       const std::string& description,
                       const IntegerRange& range = IntegerRange::any());
  std::int64_t integer(const std::string& key, Required, const std::string& unit,
                       const std::string& description,
                       const IntegerRange& range = IntegerRange::any());

  bool boolean(const std::string& key, bool default_value, const std::string& description);
  bool boolean(const std::string& key, Required, const std::string& description);

  // --- strings ---
  std::string string(const std::string& key, const std::string& default_value,
                     const std::string& description);
  std::string string(const std::string& key, Required, const std::string& description);

  // A string from a fixed set: "expected one of "nvt", "npt", "nve", got "nvp"".
  std::string choice(const std::string& key, const std::string& default_value,
                     const std::vector<std::string>& allowed, const std::string& description);
  std::string choice(const std::string& key, Required, const std::vector<std::string>& allowed,
                     const std::string& description);

  // A file path; relative paths resolve against the input file's directory. The effective
  // configuration records the resolved path. An empty default means "none" and stays empty.
  std::string path(const std::string& key, const std::string& default_value,
                   const std::string& description);
  std::string path(const std::string& key, Required, const std::string& description);

  // --- arrays ---
  std::vector<double> numbers(const std::string& key, const std::vector<double>& default_value,
                              const std::string& unit, const std::string& description,
                              const LengthRange& length = LengthRange::any(),
                              const NumberRange& range = NumberRange::any());
  std::vector<double> numbers(const std::string& key, Required, const std::string& unit,
                              const std::string& description,
                              const LengthRange& length = LengthRange::any(),
                              const NumberRange& range = NumberRange::any());

  std::vector<std::int64_t> integers(const std::string& key,
                                     const std::vector<std::int64_t>& default_value,
                                     const std::string& unit, const std::string& description,
                                     const LengthRange& length = LengthRange::any(),
                                     const IntegerRange& range = IntegerRange::any());
  std::vector<std::int64_t> integers(const std::string& key, Required, const std::string& unit,
                                     const std::string& description,
                                     const LengthRange& length = LengthRange::any(),
                                     const IntegerRange& range = IntegerRange::any());

  std::vector<std::string> strings(const std::string& key,
                                   const std::vector<std::string>& default_value,
                                   const std::string& description,
                                   const LengthRange& length = LengthRange::any());
  std::vector<std::string> strings(const std::string& key, Required, const std::string& description,
                                   const LengthRange& length = LengthRange::any());

  // --- per-replica values ---
  // A number for every replica: a scalar is broadcast to all `n_replicas`, an array must have
  // exactly `n_replicas` elements. The effective configuration keeps the form that was written.
  std::vector<double> per_replica_numbers(const std::string& key, double default_value,
                                          std::size_t n_replicas, const std::string& unit,
                                          const std::string& description,
                                          const NumberRange& range = NumberRange::any());
  std::vector<double> per_replica_numbers(const std::string& key, Required, std::size_t n_replicas,
                                          const std::string& unit, const std::string& description,
                                          const NumberRange& range = NumberRange::any());
  std::vector<std::int64_t> per_replica_integers(const std::string& key, std::int64_t default_value,
                                                 std::size_t n_replicas, const std::string& unit,
                                                 const std::string& description,
                                                 const IntegerRange& range = IntegerRange::any());
  std::vector<std::int64_t> per_replica_integers(const std::string& key, Required,
                                                 std::size_t n_replicas, const std::string& unit,
                                                 const std::string& description,
                                                 const IntegerRange& range = IntegerRange::any());

  // --- nested objects ---
  // A sub-object; when absent it reads as {}, so its keys take their defaults (and these
  // defaults appear in the effective configuration).
  InputObject object(const std::string& key, const std::string& description);
  InputObject object(const std::string& key, Required, const std::string& description);
  // A sub-object that may be absent (an optional feature switched on by its presence).
  std::optional<InputObject> optional_object(const std::string& key,
                                             const std::string& description);
  // An array of objects ("events": [{...}, {...}]); absent reads as [] unless required.
  std::vector<InputObject> objects(const std::string& key, const std::string& description,
                                   const LengthRange& length = LengthRange::any());
  std::vector<InputObject> objects(const std::string& key, Required, const std::string& description,
                                   const LengthRange& length = LengthRange::any());

  // --- queries ---
  bool has(const std::string& key) const;  // present in the file (marks nothing as read)
  const std::string& json_path() const;    // "md.thermostat", "" for the root
  const std::string& file_name() const;
  const std::string& base_directory() const;

  // Throws InputError on the first key, in this object or any object opened below it, that no
  // getter read: "input.json: md.thermostat.tau: unknown key (did you mean "tau_ps"?)".
  void finish() const;

  // An InputError "FILE: PATH.KEY: MESSAGE" for checks across keys that getters cannot make
  // ("md.steps: must be a multiple of md.thermo_every").
  InputError error(const std::string& key, const std::string& message) const;

  // Every value read so far in this file, defaults included (the whole file's tree).
  const nlohmann::json& effective_configuration() const;
  // Replaces what the effective configuration records for `key` of this object by a resolved
  // form of the value read (absolute file paths, so that the record holds wherever it is read
  // from), or adds a "_"-prefixed record that input files ignore (provenance of what was read).
  void record_resolved(const std::string& key, const nlohmann::json& value);
  const SchemaRecorder& schema() const;

 private:
  struct FileState;
  struct ObjectState;
  InputObject(std::shared_ptr<FileState> file, std::shared_ptr<ObjectState> object);

  // Looks a key up, marks it read, records its declaration; nullptr when absent.
  const nlohmann::json* lookup(const std::string& key, const std::string& type,
                               const std::string& unit, const std::string& default_text,
                               const std::string& description);
  std::string full_path(const std::string& key) const;
  InputError value_error(const std::string& key, const std::string& expected,
                         const nlohmann::json& found) const;
  InputError missing_error(const std::string& key) const;
  void record_effective(const std::string& key, const nlohmann::json& value);
  InputObject child(const std::string& key, const nlohmann::json& value,
                    const std::string& path_suffix, const std::string& schema_suffix,
                    const nlohmann::json::json_pointer& effective_pointer);

  double checked_number(const std::string& key, const nlohmann::json& value,
                        const NumberRange& range) const;
  std::int64_t checked_integer(const std::string& key, const nlohmann::json& value,
                               const IntegerRange& range, const std::string& expected) const;
  std::vector<double> read_numbers(const std::string& key, const nlohmann::json& value,
                                   const LengthRange& length, const NumberRange& range) const;
  std::vector<std::int64_t> read_integers(const std::string& key, const nlohmann::json& value,
                                          const LengthRange& length,
                                          const IntegerRange& range) const;
  std::vector<double> read_per_replica_numbers(const std::string& key, const nlohmann::json& value,
                                               std::size_t n_replicas,
                                               const NumberRange& range) const;
  std::vector<std::int64_t> read_per_replica_integers(const std::string& key,
                                                      const nlohmann::json& value,
                                                      std::size_t n_replicas,
                                                      const IntegerRange& range) const;
  std::vector<std::string> read_strings(const std::string& key, const nlohmann::json& value,
                                        const LengthRange& length) const;
  std::vector<InputObject> read_objects(const std::string& key, const nlohmann::json& value,
                                        const LengthRange& length);
  std::string resolve_path(const std::string& path) const;

  std::shared_ptr<FileState> file_;
  std::shared_ptr<ObjectState> object_;
};

}  // namespace glassland
