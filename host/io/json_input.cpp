#include "host/io/json_input.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>

namespace glassland {

namespace {

using nlohmann::json;

// Numbers in messages: integers without a decimal point, others with enough digits to be
// recognised but without binary noise.
std::string format_number(double value) {
  if (std::isfinite(value) && std::floor(value) == value && std::fabs(value) < 1e15) {
    return std::to_string(static_cast<long long>(value));
  }
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%.12g", value);
  return buffer;
}

// A found value as the user wrote it, short enough for a one-line message.
std::string describe_found(const json& value) {
  std::string text = value.dump();
  constexpr std::size_t kMaxLength = 60;
  if (text.size() > kMaxLength) {
    text = text.substr(0, kMaxLength) + "...";
  }
  return text;
}

std::string quoted_list(const std::vector<std::string>& items) {
  std::string text;
  for (std::size_t i = 0; i < items.size(); ++i) {
    text += (i ? ", \"" : "\"") + items[i] + "\"";
  }
  return text;
}

std::string array_expectation(const std::string& elements, const LengthRange& length) {
  std::string text = "an array of " + elements;
  const std::string constraint = length.describe();
  if (!constraint.empty()) {
    text += " (length " + constraint + ")";
  }
  return text;
}

std::string found_array_or_value(const json& value) {
  return value.is_array() ? "an array of length " + std::to_string(value.size())
                          : describe_found(value);
}

// Converts nlohmann's 1-based byte position of a parse error into line and column.
std::pair<int, int> line_and_column(const std::string& text, std::size_t byte_position) {
  const std::size_t offset = std::min(byte_position > 0 ? byte_position - 1 : 0, text.size());
  const int line = 1 + static_cast<int>(std::count(text.begin(), text.begin() + offset, '\n'));
  const std::size_t last_newline = offset > 0 ? text.rfind('\n', offset - 1) : std::string::npos;
  const std::size_t column = last_newline == std::string::npos ? offset + 1 : offset - last_newline;
  return {line, static_cast<int>(column)};
}

// nlohmann's message after its own "[json.exception...] parse error at line L, column C: ".
std::string parse_error_detail(const std::string& what) {
  const std::size_t column = what.find("column ");
  if (column != std::string::npos) {
    const std::size_t colon = what.find(": ", column);
    if (colon != std::string::npos) {
      return what.substr(colon + 2);
    }
  }
  const std::size_t bracket = what.find("] ");
  return bracket == std::string::npos ? what : what.substr(bracket + 2);
}

// JSON allows duplicate keys and nlohmann keeps the last silently; a duplicated setting in an
// input file is almost always a mistake, so it is an error here. The callback sees no
// positions, so the message names the key's JSON path instead of a line.
class DuplicateKeyCheck {
 public:
  explicit DuplicateKeyCheck(std::string file_name) : file_name_(std::move(file_name)) {}

  bool operator()(int /*depth*/, json::parse_event_t event, json& parsed) {
    switch (event) {
      case json::parse_event_t::object_start:
      case json::parse_event_t::array_start:
        frames_.push_back({event == json::parse_event_t::array_start, {}, {}});
        break;
      case json::parse_event_t::object_end:
      case json::parse_event_t::array_end:
        frames_.pop_back();
        break;
      case json::parse_event_t::key: {
        Frame& frame = frames_.back();
        const std::string key = parsed.get<std::string>();
        if (!frame.keys.insert(key).second) {
          throw input_error_at(file_name_, 0, current_path(key) + ": duplicate key");
        }
        frame.current_key = key;
        break;
      }
      case json::parse_event_t::value:
        break;
    }
    return true;
  }

 private:
  struct Frame {
    bool is_array;
    std::string current_key;
    std::set<std::string> keys;
  };

  std::string current_path(const std::string& key) const {
    std::string path;
    for (std::size_t i = 0; i + 1 < frames_.size(); ++i) {
      if (frames_[i].is_array) {
        path += "[]";
      } else {
        path += (path.empty() ? "" : ".") + frames_[i].current_key;
      }
    }
    return path + (path.empty() ? "" : ".") + key;
  }

  std::string file_name_;
  std::vector<Frame> frames_;
};

}  // namespace

// ---------------------------------------------------------------- loading

nlohmann::json parse_json_text(const std::string& text, const std::string& file_name) {
  try {
    return json::parse(text, DuplicateKeyCheck(file_name));
  } catch (const json::parse_error& error) {
    const auto [line, column] = line_and_column(text, error.byte);
    throw InputError(file_name + ":" + std::to_string(line) + ":" + std::to_string(column) +
                     ": JSON syntax error: " + parse_error_detail(error.what()));
  } catch (const json::out_of_range& error) {
    // A number beyond a double's range ("number overflow parsing '1e400'", found by fuzzing: it
    // was an internal error). The parser gives no position: the number's first occurrence.
    const std::string what = error.what();
    const size_t open = what.find('\''), close = what.rfind('\'');
    const std::string number =
        open != std::string::npos && close > open ? what.substr(open + 1, close - open - 1) : "";
    const size_t at = number.empty() ? std::string::npos : text.find(number);
    std::string where = file_name;
    if (at != std::string::npos) {
      const auto [line, column] = line_and_column(text, at + 1);
      where += ":" + std::to_string(line) + ":" + std::to_string(column);
    }
    throw InputError(where + ": the number " + number +
                     " is beyond the range of a double (about ±1.8e308)");
  }
}

nlohmann::json load_json_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw input_error_at(path, 0, "cannot open the input file");
  }
  std::ostringstream contents;
  contents << in.rdbuf();
  return parse_json_text(contents.str(), path);
}

// ---------------------------------------------------------------- ranges

bool NumberRange::contains(double value) const {
  const bool above = lower_strict ? value > lower : value >= lower;
  const bool below = upper_strict ? value < upper : value <= upper;
  return above && below;
}

NumberRange NumberRange::positive() {
  NumberRange range;
  range.lower = 0.0;
  range.lower_strict = true;
  range.expectation = "a positive number";
  return range;
}

NumberRange NumberRange::non_negative() {
  NumberRange range;
  range.lower = 0.0;
  range.expectation = "a non-negative number";
  return range;
}

NumberRange NumberRange::at_least(double lower) {
  NumberRange range;
  range.lower = lower;
  range.expectation = "a number >= " + format_number(lower);
  return range;
}

NumberRange NumberRange::closed(double lower, double upper) {
  NumberRange range;
  range.lower = lower;
  range.upper = upper;
  range.expectation = "a number in [" + format_number(lower) + ", " + format_number(upper) + "]";
  return range;
}

IntegerRange IntegerRange::positive() {
  IntegerRange range;
  range.lower = 1;
  range.expectation = "a positive integer";
  return range;
}

IntegerRange IntegerRange::non_negative() {
  IntegerRange range;
  range.lower = 0;
  range.expectation = "a non-negative integer";
  return range;
}

IntegerRange IntegerRange::at_least(std::int64_t lower) {
  IntegerRange range;
  range.lower = lower;
  range.expectation = "an integer >= " + std::to_string(lower);
  return range;
}

IntegerRange IntegerRange::closed(std::int64_t lower, std::int64_t upper) {
  IntegerRange range;
  range.lower = lower;
  range.upper = upper;
  range.expectation =
      "an integer in [" + std::to_string(lower) + ", " + std::to_string(upper) + "]";
  return range;
}

std::string LengthRange::describe() const {
  if (minimum == 0 && maximum == SIZE_MAX) {
    return "";
  }
  if (minimum == maximum) {
    return std::to_string(minimum);
  }
  if (maximum == SIZE_MAX) {
    return "at least " + std::to_string(minimum);
  }
  return "between " + std::to_string(minimum) + " and " + std::to_string(maximum);
}

// ---------------------------------------------------------------- schema

void SchemaRecorder::record(const KeyDeclaration& key) {
  for (const KeyDeclaration& known : keys_) {
    if (known.path == key.path) {
      return;
    }
  }
  keys_.push_back(key);
}

std::string SchemaRecorder::markdown_table() const {
  auto cell = [](std::string text) {
    std::string escaped;
    for (char c : text) {
      escaped += c == '|' ? std::string("\\|") : std::string(1, c);
    }
    return escaped;
  };
  std::string table = "| key | type | unit | default | description |\n|---|---|---|---|---|\n";
  for (const KeyDeclaration& key : keys_) {
    table += "| `" + key.path + "` | " + cell(key.type) + " | " + cell(key.unit) + " | " +
             cell(key.default_value) + " | " + cell(key.description) + " |\n";
  }
  return table;
}

std::vector<std::string> SchemaRecorder::paths_missing_from(const std::string& document) const {
  std::vector<std::string> missing;
  for (const KeyDeclaration& key : keys_) {
    if (document.find("`" + key.path + "`") == std::string::npos) {
      missing.push_back(key.path);
    }
  }
  return missing;
}

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> previous(b.size() + 1), current(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) {
    previous[j] = j;
  }
  for (std::size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, substitution});
    }
    std::swap(previous, current);
  }
  return previous[b.size()];
}

// ---------------------------------------------------------------- InputObject state

struct InputObject::ObjectState {
  json value;                            // this object's JSON (a copy; inputs are small)
  std::string path;                      // "md.thermostat", "art.events[2]", "" for root
  std::string schema_path;               // "art.events[]": the same for every element
  json::json_pointer effective_pointer;  // where its values go in the effective tree
  std::set<std::string> read_keys;       // keys some getter asked for
};

struct InputObject::FileState {
  std::string file_name;
  std::string base_directory;
  json effective = json::object();
  SchemaRecorder schema;
  std::vector<std::shared_ptr<ObjectState>> objects;  // every object opened, in order
};

InputObject::InputObject(std::shared_ptr<FileState> file, std::shared_ptr<ObjectState> object)
    : file_(std::move(file)), object_(std::move(object)) {}

InputObject::InputObject(nlohmann::json root, std::string file_name, std::string base_directory) {
  file_ = std::make_shared<FileState>();
  file_->file_name = std::move(file_name);
  file_->base_directory = base_directory.empty() ? "." : std::move(base_directory);
  if (!root.is_object()) {
    throw input_error_at(file_->file_name, 0,
                         "expected a JSON object at the top level, got " + describe_found(root));
  }
  object_ = std::make_shared<ObjectState>();
  object_->value = std::move(root);
  file_->objects.push_back(object_);
}

InputObject InputObject::from_file(const std::string& path) {
  std::string directory = std::filesystem::path(path).parent_path().string();
  return InputObject(load_json_file(path), path, directory.empty() ? "." : directory);
}

const std::string& InputObject::json_path() const {
  return object_->path;
}
const std::string& InputObject::file_name() const {
  return file_->file_name;
}
const std::string& InputObject::base_directory() const {
  return file_->base_directory;
}
const nlohmann::json& InputObject::effective_configuration() const {
  return file_->effective;
}
const SchemaRecorder& InputObject::schema() const {
  return file_->schema;
}

bool InputObject::has(const std::string& key) const {
  return object_->value.contains(key);
}

std::string InputObject::full_path(const std::string& key) const {
  return object_->path.empty() ? key : object_->path + "." + key;
}

InputError InputObject::error(const std::string& key, const std::string& message) const {
  return input_error_at(file_->file_name, 0, full_path(key) + ": " + message);
}

InputError InputObject::value_error(const std::string& key, const std::string& expected,
                                    const nlohmann::json& found) const {
  return error(key, "expected " + expected + ", got " + describe_found(found));
}

InputError InputObject::missing_error(const std::string& key) const {
  return error(key, "missing required key");
}

const nlohmann::json* InputObject::lookup(const std::string& key, const std::string& type,
                                          const std::string& unit, const std::string& default_text,
                                          const std::string& description) {
  object_->read_keys.insert(key);
  const std::string schema_path =
      object_->schema_path.empty() ? key : object_->schema_path + "." + key;
  file_->schema.record({schema_path, type, unit, default_text, description});
  const auto found = object_->value.find(key);
  return found == object_->value.end() ? nullptr : &*found;
}

void InputObject::record_effective(const std::string& key, const nlohmann::json& value) {
  file_->effective[object_->effective_pointer / key] = value;
}

void InputObject::record_resolved(const std::string& key, const nlohmann::json& value) {
  record_effective(key, value);
}

InputObject InputObject::child(const std::string& key, const nlohmann::json& value,
                               const std::string& path_suffix, const std::string& schema_suffix,
                               const nlohmann::json::json_pointer& effective_pointer) {
  // Opening the same object twice must share one record of read keys, or finish() would
  // report keys read through the other copy.
  const std::string path = full_path(key) + path_suffix;
  for (const auto& known : file_->objects) {
    if (known->path == path) {
      return InputObject(file_, known);
    }
  }
  auto state = std::make_shared<ObjectState>();
  state->value = value;
  state->path = path;
  state->schema_path =
      (object_->schema_path.empty() ? key : object_->schema_path + "." + key) + schema_suffix;
  state->effective_pointer = effective_pointer;
  if (!file_->effective.contains(effective_pointer)) {
    file_->effective[effective_pointer] = json::object();  // an all-defaults object shows too
  }
  file_->objects.push_back(state);
  return InputObject(file_, std::move(state));
}

// ---------------------------------------------------------------- checks

double InputObject::checked_number(const std::string& key, const nlohmann::json& value,
                                   const NumberRange& range) const {
  if (!value.is_number() || !range.contains(value.get<double>())) {
    throw value_error(key, range.expectation, value);
  }
  return value.get<double>();
}

std::int64_t InputObject::checked_integer(const std::string& key, const nlohmann::json& value,
                                          const IntegerRange& range,
                                          const std::string& expected) const {
  std::int64_t integer = 0;
  if (value.is_number_unsigned()) {
    if (value.get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX)) {
      throw value_error(key, expected, value);
    }
    integer = static_cast<std::int64_t>(value.get<std::uint64_t>());
  } else if (value.is_number_integer()) {
    integer = value.get<std::int64_t>();
  } else if (value.is_number_float()) {
    // 1e6 is a natural way to write a step count; accept floats with no fractional part as
    // long as they are exact in a double.
    const double number = value.get<double>();
    constexpr double kLargestExact = 9007199254740992.0;  // 2^53
    if (std::floor(number) != number || std::fabs(number) > kLargestExact) {
      throw value_error(key, expected, value);
    }
    integer = static_cast<std::int64_t>(number);
  } else {
    throw value_error(key, expected, value);
  }
  if (!range.contains(integer)) {
    throw value_error(key, expected, value);
  }
  return integer;
}

std::vector<double> InputObject::read_numbers(const std::string& key, const nlohmann::json& value,
                                              const LengthRange& length,
                                              const NumberRange& range) const {
  if (!value.is_array() || !length.contains(value.size())) {
    throw error(key, "expected " + array_expectation("numbers", length) + ", got " +
                         found_array_or_value(value));
  }
  std::vector<double> numbers;
  for (std::size_t i = 0; i < value.size(); ++i) {
    numbers.push_back(checked_number(key + "[" + std::to_string(i) + "]", value[i], range));
  }
  return numbers;
}

std::vector<std::int64_t> InputObject::read_integers(const std::string& key,
                                                     const nlohmann::json& value,
                                                     const LengthRange& length,
                                                     const IntegerRange& range) const {
  if (!value.is_array() || !length.contains(value.size())) {
    throw error(key, "expected " + array_expectation("integers", length) + ", got " +
                         found_array_or_value(value));
  }
  std::vector<std::int64_t> integers;
  for (std::size_t i = 0; i < value.size(); ++i) {
    integers.push_back(
        checked_integer(key + "[" + std::to_string(i) + "]", value[i], range, range.expectation));
  }
  return integers;
}

std::vector<double> InputObject::read_per_replica_numbers(const std::string& key,
                                                          const nlohmann::json& value,
                                                          std::size_t n_replicas,
                                                          const NumberRange& range) const {
  if (!value.is_array()) {
    return std::vector<double>(n_replicas, checked_number(key, value, range));
  }
  if (value.size() != n_replicas) {
    throw error(key, "expected " + range.expectation + " or an array of " +
                         std::to_string(n_replicas) + " (one per replica), got " +
                         found_array_or_value(value));
  }
  return read_numbers(key, value, LengthRange::exactly(n_replicas), range);
}

std::vector<std::int64_t> InputObject::read_per_replica_integers(const std::string& key,
                                                                 const nlohmann::json& value,
                                                                 std::size_t n_replicas,
                                                                 const IntegerRange& range) const {
  if (!value.is_array()) {
    return std::vector<std::int64_t>(n_replicas,
                                     checked_integer(key, value, range, range.expectation));
  }
  if (value.size() != n_replicas) {
    throw error(key, "expected " + range.expectation + " or an array of " +
                         std::to_string(n_replicas) + " (one per replica), got " +
                         found_array_or_value(value));
  }
  return read_integers(key, value, LengthRange::exactly(n_replicas), range);
}

std::string InputObject::resolve_path(const std::string& path) const {
  if (path.empty() || std::filesystem::path(path).is_absolute()) {
    return path;
  }
  return (std::filesystem::path(file_->base_directory) / path).lexically_normal().string();
}

// ---------------------------------------------------------------- scalar getters

double InputObject::number(const std::string& key, double default_value, const std::string& unit,
                           const std::string& description, const NumberRange& range) {
  const json* found = lookup(key, "number", unit, json(default_value).dump(), description);
  const double value = found ? checked_number(key, *found, range) : default_value;
  record_effective(key, value);
  return value;
}

double InputObject::number(const std::string& key, Required, const std::string& unit,
                           const std::string& description, const NumberRange& range) {
  const json* found = lookup(key, "number", unit, "required", description);
  if (!found) {
    throw missing_error(key);
  }
  const double value = checked_number(key, *found, range);
  record_effective(key, value);
  return value;
}

std::int64_t InputObject::integer(const std::string& key, std::int64_t default_value,
                                  const std::string& unit, const std::string& description,
                                  const IntegerRange& range) {
  const json* found = lookup(key, "integer", unit, json(default_value).dump(), description);
  const std::int64_t value =
      found ? checked_integer(key, *found, range, range.expectation) : default_value;
  record_effective(key, value);
  return value;
}

std::int64_t InputObject::integer(const std::string& key, Required, const std::string& unit,
                                  const std::string& description, const IntegerRange& range) {
  const json* found = lookup(key, "integer", unit, "required", description);
  if (!found) {
    throw missing_error(key);
  }
  const std::int64_t value = checked_integer(key, *found, range, range.expectation);
  record_effective(key, value);
  return value;
}

bool InputObject::boolean(const std::string& key, bool default_value,
                          const std::string& description) {
  const json* found = lookup(key, "boolean", "", default_value ? "true" : "false", description);
  if (found && !found->is_boolean()) {
    throw value_error(key, "true or false", *found);
  }
  const bool value = found ? found->get<bool>() : default_value;
  record_effective(key, value);
  return value;
}

bool InputObject::boolean(const std::string& key, Required, const std::string& description) {
  const json* found = lookup(key, "boolean", "", "required", description);
  if (!found) {
    throw missing_error(key);
  }
  if (!found->is_boolean()) {
    throw value_error(key, "true or false", *found);
  }
  record_effective(key, found->get<bool>());
  return found->get<bool>();
}

std::string InputObject::string(const std::string& key, const std::string& default_value,
                                const std::string& description) {
  const json* found = lookup(key, "string", "", json(default_value).dump(), description);
  if (found && !found->is_string()) {
    throw value_error(key, "a string", *found);
  }
  const std::string value = found ? found->get<std::string>() : default_value;
  record_effective(key, value);
  return value;
}

std::string InputObject::string(const std::string& key, Required, const std::string& description) {
  const json* found = lookup(key, "string", "", "required", description);
  if (!found) {
    throw missing_error(key);
  }
  if (!found->is_string()) {
    throw value_error(key, "a string", *found);
  }
  record_effective(key, found->get<std::string>());
  return found->get<std::string>();
}

std::string InputObject::choice(const std::string& key, const std::string& default_value,
                                const std::vector<std::string>& allowed,
                                const std::string& description) {
  if (std::find(allowed.begin(), allowed.end(), default_value) == allowed.end()) {
    throw std::logic_error("InputObject::choice: default \"" + default_value + "\" of " +
                           full_path(key) + " is not among the allowed values");
  }
  const std::string expected = "one of " + quoted_list(allowed);
  const json* found = lookup(key, expected, "", json(default_value).dump(), description);
  std::string value = default_value;
  if (found) {
    if (!found->is_string() ||
        std::find(allowed.begin(), allowed.end(), found->get<std::string>()) == allowed.end()) {
      throw value_error(key, expected, *found);
    }
    value = found->get<std::string>();
  }
  record_effective(key, value);
  return value;
}

std::string InputObject::choice(const std::string& key, Required,
                                const std::vector<std::string>& allowed,
                                const std::string& description) {
  const std::string expected = "one of " + quoted_list(allowed);
  const json* found = lookup(key, expected, "", "required", description);
  if (!found) {
    throw missing_error(key);
  }
  if (!found->is_string() ||
      std::find(allowed.begin(), allowed.end(), found->get<std::string>()) == allowed.end()) {
    throw value_error(key, expected, *found);
  }
  record_effective(key, found->get<std::string>());
  return found->get<std::string>();
}

std::string InputObject::path(const std::string& key, const std::string& default_value,
                              const std::string& description) {
  const json* found = lookup(key, "path", "", json(default_value).dump(), description);
  if (found && !found->is_string()) {
    throw value_error(key, "a file path (string)", *found);
  }
  const std::string value = resolve_path(found ? found->get<std::string>() : default_value);
  record_effective(key, value);
  return value;
}

std::string InputObject::path(const std::string& key, Required, const std::string& description) {
  const json* found = lookup(key, "path", "", "required", description);
  if (!found) {
    throw missing_error(key);
  }
  if (!found->is_string() || found->get<std::string>().empty()) {
    throw value_error(key, "a file path (non-empty string)", *found);
  }
  const std::string value = resolve_path(found->get<std::string>());
  record_effective(key, value);
  return value;
}

// ---------------------------------------------------------------- array getters

std::vector<double> InputObject::numbers(const std::string& key,
                                         const std::vector<double>& default_value,
                                         const std::string& unit, const std::string& description,
                                         const LengthRange& length, const NumberRange& range) {
  const json* found =
      lookup(key, "array of numbers", unit, json(default_value).dump(), description);
  std::vector<double> value = found ? read_numbers(key, *found, length, range) : default_value;
  record_effective(key, value);
  return value;
}

std::vector<double> InputObject::numbers(const std::string& key, Required, const std::string& unit,
                                         const std::string& description, const LengthRange& length,
                                         const NumberRange& range) {
  const json* found = lookup(key, "array of numbers", unit, "required", description);
  if (!found) {
    throw missing_error(key);
  }
  std::vector<double> value = read_numbers(key, *found, length, range);
  record_effective(key, value);
  return value;
}

std::vector<std::int64_t> InputObject::integers(
    const std::string& key, const std::vector<std::int64_t>& default_value, const std::string& unit,
    const std::string& description, const LengthRange& length, const IntegerRange& range) {
  const json* found =
      lookup(key, "array of integers", unit, json(default_value).dump(), description);
  std::vector<std::int64_t> value =
      found ? read_integers(key, *found, length, range) : default_value;
  record_effective(key, value);
  return value;
}

std::vector<std::int64_t> InputObject::integers(const std::string& key, Required,
                                                const std::string& unit,
                                                const std::string& description,
                                                const LengthRange& length,
                                                const IntegerRange& range) {
  const json* found = lookup(key, "array of integers", unit, "required", description);
  if (!found) {
    throw missing_error(key);
  }
  std::vector<std::int64_t> value = read_integers(key, *found, length, range);
  record_effective(key, value);
  return value;
}

std::vector<std::string> InputObject::read_strings(const std::string& key,
                                                   const nlohmann::json& value,
                                                   const LengthRange& length) const {
  if (!value.is_array() || !length.contains(value.size())) {
    throw error(key, "expected " + array_expectation("strings", length) + ", got " +
                         found_array_or_value(value));
  }
  std::vector<std::string> strings;
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (!value[i].is_string()) {
      throw value_error(key + "[" + std::to_string(i) + "]", "a string", value[i]);
    }
    strings.push_back(value[i].get<std::string>());
  }
  return strings;
}

std::vector<std::string> InputObject::strings(const std::string& key,
                                              const std::vector<std::string>& default_value,
                                              const std::string& description,
                                              const LengthRange& length) {
  const json* found = lookup(key, "array of strings", "", json(default_value).dump(), description);
  std::vector<std::string> value = found ? read_strings(key, *found, length) : default_value;
  record_effective(key, value);
  return value;
}

std::vector<std::string> InputObject::strings(const std::string& key, Required,
                                              const std::string& description,
                                              const LengthRange& length) {
  const json* found = lookup(key, "array of strings", "", "required", description);
  if (!found) {
    throw missing_error(key);
  }
  std::vector<std::string> value = read_strings(key, *found, length);
  record_effective(key, value);
  return value;
}

// ---------------------------------------------------------------- per-replica getters

std::vector<double> InputObject::per_replica_numbers(const std::string& key, double default_value,
                                                     std::size_t n_replicas,
                                                     const std::string& unit,
                                                     const std::string& description,
                                                     const NumberRange& range) {
  const json* found = lookup(key, "number or array of numbers (per replica)", unit,
                             json(default_value).dump(), description);
  if (!found) {
    record_effective(key, default_value);
    return std::vector<double>(n_replicas, default_value);
  }
  std::vector<double> values = read_per_replica_numbers(key, *found, n_replicas, range);
  record_effective(key, found->is_array() || values.empty() ? json(values) : json(values[0]));
  return values;
}

std::vector<double> InputObject::per_replica_numbers(const std::string& key, Required,
                                                     std::size_t n_replicas,
                                                     const std::string& unit,
                                                     const std::string& description,
                                                     const NumberRange& range) {
  const json* found =
      lookup(key, "number or array of numbers (per replica)", unit, "required", description);
  if (!found) {
    throw missing_error(key);
  }
  std::vector<double> values = read_per_replica_numbers(key, *found, n_replicas, range);
  record_effective(key, found->is_array() || values.empty() ? json(values) : json(values[0]));
  return values;
}

std::vector<std::int64_t> InputObject::per_replica_integers(
    const std::string& key, std::int64_t default_value, std::size_t n_replicas,
    const std::string& unit, const std::string& description, const IntegerRange& range) {
  const json* found = lookup(key, "integer or array of integers (per replica)", unit,
                             json(default_value).dump(), description);
  if (!found) {
    record_effective(key, default_value);
    return std::vector<std::int64_t>(n_replicas, default_value);
  }
  std::vector<std::int64_t> values = read_per_replica_integers(key, *found, n_replicas, range);
  record_effective(key, found->is_array() || values.empty() ? json(values) : json(values[0]));
  return values;
}

std::vector<std::int64_t> InputObject::per_replica_integers(const std::string& key, Required,
                                                            std::size_t n_replicas,
                                                            const std::string& unit,
                                                            const std::string& description,
                                                            const IntegerRange& range) {
  const json* found =
      lookup(key, "integer or array of integers (per replica)", unit, "required", description);
  if (!found) {
    throw missing_error(key);
  }
  std::vector<std::int64_t> values = read_per_replica_integers(key, *found, n_replicas, range);
  record_effective(key, found->is_array() || values.empty() ? json(values) : json(values[0]));
  return values;
}

// ---------------------------------------------------------------- objects

InputObject InputObject::object(const std::string& key, const std::string& description) {
  const json* found = lookup(key, "object", "", "{}", description);
  if (found && !found->is_object()) {
    throw value_error(key, "an object", *found);
  }
  return child(key, found ? *found : json::object(), "", "", object_->effective_pointer / key);
}

InputObject InputObject::object(const std::string& key, Required, const std::string& description) {
  const json* found = lookup(key, "object", "", "required", description);
  if (!found) {
    throw missing_error(key);
  }
  if (!found->is_object()) {
    throw value_error(key, "an object", *found);
  }
  return child(key, *found, "", "", object_->effective_pointer / key);
}

std::optional<InputObject> InputObject::optional_object(const std::string& key,
                                                        const std::string& description) {
  const json* found = lookup(key, "object (optional)", "", "absent", description);
  if (!found) {
    return std::nullopt;
  }
  if (!found->is_object()) {
    throw value_error(key, "an object", *found);
  }
  return child(key, *found, "", "", object_->effective_pointer / key);
}

std::vector<InputObject> InputObject::read_objects(const std::string& key,
                                                   const nlohmann::json& value,
                                                   const LengthRange& length) {
  if (!value.is_array() || !length.contains(value.size())) {
    throw error(key, "expected " + array_expectation("objects", length) + ", got " +
                         found_array_or_value(value));
  }
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (!value[i].is_object()) {
      throw value_error(key + "[" + std::to_string(i) + "]", "an object", value[i]);
    }
  }
  file_->effective[object_->effective_pointer / key] = json::array();
  std::vector<InputObject> elements;
  for (std::size_t i = 0; i < value.size(); ++i) {
    elements.push_back(child(key, value[i], "[" + std::to_string(i) + "]", "[]",
                             object_->effective_pointer / key / i));
  }
  return elements;
}

std::vector<InputObject> InputObject::objects(const std::string& key,
                                              const std::string& description,
                                              const LengthRange& length) {
  const json* found = lookup(key, "array of objects", "", "[]", description);
  return read_objects(key, found ? *found : json::array(), length);
}

std::vector<InputObject> InputObject::objects(const std::string& key, Required,
                                              const std::string& description,
                                              const LengthRange& length) {
  const json* found = lookup(key, "array of objects", "", "required", description);
  if (!found) {
    throw missing_error(key);
  }
  return read_objects(key, *found, length);
}

// ---------------------------------------------------------------- unknown keys

void InputObject::finish() const {
  const std::string& root = object_->path;
  auto is_within = [&root](const std::string& path) {
    if (root.empty() || path == root) {
      return true;
    }
    return path.size() > root.size() && path.compare(0, root.size(), root) == 0 &&
           (path[root.size()] == '.' || path[root.size()] == '[');
  };
  for (const auto& object : file_->objects) {
    if (!is_within(object->path)) {
      continue;
    }
    for (const auto& item : object->value.items()) {
      const std::string& key = item.key();
      if (object->read_keys.count(key) || (!key.empty() && key[0] == '_')) {
        continue;
      }
      // Suggest the closest known key when it is plausibly a typo of it: at most half the
      // characters differ ("tau" -> "tau_ps", "temprature" -> "temperature").
      std::string suggestion;
      std::size_t best = SIZE_MAX;
      for (const std::string& known : object->read_keys) {
        const std::size_t distance = edit_distance(key, known);
        if (distance < best && 2 * distance <= std::max(key.size(), known.size())) {
          best = distance;
          suggestion = known;
        }
      }
      std::string hint;
      if (!suggestion.empty()) {
        hint = " (did you mean \"" + suggestion + "\"?)";
      } else if (object->read_keys.empty()) {
        hint = " (this object takes no keys)";
      } else {
        hint =
            " (known keys: " + quoted_list({object->read_keys.begin(), object->read_keys.end()}) +
            ")";
      }
      const std::string path = object->path.empty() ? key : object->path + "." + key;
      throw input_error_at(file_->file_name, 0, path + ": unknown key" + hint);
    }
  }
}

}  // namespace glassland
