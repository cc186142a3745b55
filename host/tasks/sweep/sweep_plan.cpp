#include "host/tasks/sweep/sweep_plan.hpp"

#include <cstdio>
#include <filesystem>

#include "host/io/input_error.hpp"
#include "host/io/whole_file.hpp"

namespace glassland {

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

std::string directory_of(const std::string& path) {
  return fs::absolute(fs::path(path)).parent_path().lexically_normal().string();
}

// One step of an axis path: a key, or an array index.
struct PathStep {
  std::string key;
  long index = -1;  // >= 0: an array element
};

// "a.b[2].c" → a, b, [2], c.
std::vector<PathStep> parse_axis_path(const std::string& file, const std::string& path) {
  const auto bad = [&](const std::string& why) {
    return InputError(file + ": axes." + path + ": not a JSON path into the base input (" + why +
                      "); write keys joined by '.', array elements as [index]: \"md.temperature\", "
                      "\"md.shear_strain[0]\"");
  };
  std::vector<PathStep> steps;
  size_t k = 0;
  while (k < path.size()) {
    if (path[k] == '[') {
      const size_t close = path.find(']', k);
      if (close == std::string::npos || close == k + 1 || steps.empty())
        throw bad("an index must follow a key and be closed by ']'");
      const std::string digits = path.substr(k + 1, close - k - 1);
      if (digits.find_first_not_of("0123456789") != std::string::npos)
        throw bad("index \"" + digits + "\" is not a non-negative integer");
      steps.push_back({"", std::stol(digits)});
      k = close + 1;
      if (k < path.size() && path[k] == '.')
        ++k;
      continue;
    }
    const size_t end = path.find_first_of(".[", k);
    const std::string key = path.substr(k, end == std::string::npos ? std::string::npos : end - k);
    if (key.empty())
      throw bad("an empty key");
    steps.push_back({key, -1});
    if (end == std::string::npos)
      break;
    k = path[end] == '.' ? end + 1 : end;
    if (path[end] == '.' && k == path.size())
      throw bad("it ends with '.'");
  }
  if (steps.empty())
    throw bad("it is empty");
  return steps;
}

// Sets `value` at the axis path in `input`, creating missing objects on the way.
void set_at_path(json& input, const std::vector<PathStep>& steps, const json& value,
                 const std::string& file, const std::string& path) {
  json* node = &input;
  std::string walked;
  for (size_t k = 0; k < steps.size(); ++k) {
    const PathStep& step = steps[k];
    const bool last = k + 1 == steps.size();
    if (step.index >= 0) {
      if (!node->is_array() || static_cast<size_t>(step.index) >= node->size())
        throw InputError(file + ": axes." + path + ": the base's " + walked + " has no element [" +
                         std::to_string(step.index) + "] (it is " +
                         (node->is_array() ? "an array of " + std::to_string(node->size())
                                           : std::string(node->type_name())) +
                         ")");
      walked += "[" + std::to_string(step.index) + "]";
      node = &(*node)[static_cast<size_t>(step.index)];
    } else {
      if (node->is_null())
        *node = json::object();
      if (!node->is_object())
        throw InputError(file + ": axes." + path + ": the base's " +
                         (walked.empty() ? std::string("input") : walked) + " is " +
                         node->type_name() + ", not an object with key \"" + step.key + "\"");
      walked += (walked.empty() ? "" : ".") + step.key;
      node = &(*node)[step.key];
    }
    if (last)
      *node = value;
  }
}

// The base input: inline, or a file relative to the sweep file.
void read_base(const json& sweep, SweepPlan& plan) {
  if (!sweep.contains("base"))
    throw InputError(plan.file +
                     ": base: missing required key (the task input to vary: an "
                     "object, or the path of an input file)");
  const json& base = sweep["base"];
  if (base.is_string()) {
    const fs::path given(base.get<std::string>());
    const fs::path path = given.is_absolute() ? given : fs::path(directory_of(plan.file)) / given;
    plan.base_source = path.lexically_normal().string();
    plan.base =
        parse_json_text(read_whole_file(plan.base_source, "base input file"), plan.base_source);
    plan.base_directory = directory_of(plan.base_source);
  } else if (base.is_object()) {
    plan.base = base;
    plan.base_source = plan.file + " (base)";
    plan.base_directory = directory_of(plan.file);
  } else {
    throw InputError(plan.file + ": base: expected a task input (object) or the path of one, got " +
                     base.dump());
  }
  if (!plan.base.is_object() || !plan.base.contains("task") || !plan.base["task"].is_string())
    throw InputError(plan.base_source + ": task: missing required key (the base input's task)");
  plan.task = plan.base["task"].get<std::string>();
}

// The axes in the order written (nlohmann::json sorts keys; ordered_json keeps them).
void read_axes(const std::string& text, SweepPlan& plan) {
  const nlohmann::ordered_json ordered = nlohmann::ordered_json::parse(text);
  if (!ordered.contains("axes") || !ordered["axes"].is_object() || ordered["axes"].empty())
    throw InputError(plan.file +
                     ": axes: expected an object of at least one \"json.path\": [values] "
                     "(e.g. \"axes\": {\"metad.temperature\": [600, 700]})");
  for (const auto& [path, values] : ordered["axes"].items()) {
    if (!values.is_array() || values.empty())
      throw InputError(plan.file + ": axes." + path +
                       ": expected a non-empty array of values, got " + values.dump());
    if (path == "output.directory" || path == "task")
      throw InputError(plan.file + ": axes." + path +
                       ": the sweep sets each point's output.directory and runs one task; "
                       "vary another key");
    SweepAxis axis{path, {}};
    for (const auto& v : values)
      axis.values.push_back(json::parse(v.dump()));
    plan.axes.push_back(std::move(axis));
  }
}

// The sweep's own keys (all but base and axes), read like a task's: unknown keys are errors.
void read_settings(const json& sweep, SweepPlan& plan) {
  json rest = sweep;
  rest.erase("base");
  rest.erase("axes");
  InputObject in(rest, plan.file, directory_of(plan.file));
  plan.combine = in.choice("combine", "grid", {"grid", "zip"},
                           "grid: every combination of the axes; zip: their k-th values together");
  InputObject output = in.object("output", "where the sweep's results go");
  plan.directory = output.string("directory", "sweep_output",
                                 "directory of the sweep (relative to the working directory)");
  plan.quiet = output.boolean("quiet", false, "no progress lines");
  InputObject chain = in.object("chain", "the analysis chain run when every point is done");
  plan.chain_enabled = chain.boolean("enabled", true, "run the analysis chain at the end");
  plan.chain.weighting =
      chain.choice("weighting", "none", {"none", "bootstrap"},
                   "fits of ΔG against T or P: none (least squares, errors from the scatter) or "
                   "bootstrap (weights 1/SE² of each effective barrier), as analyze activation");
  plan.chain.bootstrap = static_cast<size_t>(chain.integer(
      "bootstrap", 1000, "", "bootstrap resamples per condition", IntegerRange::at_least(2)));
  plan.chain.seed = static_cast<uint64_t>(chain.integer(
      "seed", 20180101, "", "bootstrap seed (condition i uses seed + i)", IntegerRange::any()));
  plan.chain.atomic_volume =
      chain.number("atomic_volume_A3", 0.0, "Å³",
                   "mean atomic volume Ω for V/Ω (0: the runs' own, from their summaries)",
                   NumberRange::non_negative());
  plan.entropy_bin_width = chain.number(
      "bin_width_eV", 0.1, "eV",
      "art: barrier histogram bin width of the entropy (analyze entropy-temperature --bin-width)",
      NumberRange::positive());
  plan.entropy_bin_origin = chain.number(
      "bin_origin_eV", 0.0, "eV",
      "art: left edge of the first barrier bin (analyze entropy-temperature --bin-origin)",
      NumberRange::any());
  in.finish();
  plan.settings = in.effective_configuration();
}

void expand_points(SweepPlan& plan) {
  size_t count = 1;
  if (plan.combine == "zip") {
    count = plan.axes[0].values.size();
    for (const auto& a : plan.axes)
      if (a.values.size() != count)
        throw InputError(plan.file + ": axes." + a.path + ": " + std::to_string(a.values.size()) +
                         " values, but axes." + plan.axes[0].path + " has " +
                         std::to_string(count) + "; \"combine\": \"zip\" needs equal lengths");
  } else {
    for (const auto& a : plan.axes)
      count *= a.values.size();
  }
  std::vector<std::vector<PathStep>> steps;
  for (const auto& a : plan.axes)
    steps.push_back(parse_axis_path(plan.file, a.path));
  for (size_t k = 0; k < count; ++k) {
    SweepPoint point;
    point.index = static_cast<int>(k);
    size_t rest = k;  // grid: mixed-radix digits, the last axis fastest
    std::vector<size_t> which(plan.axes.size(), k);
    if (plan.combine == "grid")
      for (size_t a = plan.axes.size(); a-- > 0;) {
        which[a] = rest % plan.axes[a].values.size();
        rest /= plan.axes[a].values.size();
      }
    point.input = plan.base;
    for (size_t a = 0; a < plan.axes.size(); ++a) {
      point.values.push_back(plan.axes[a].values[which[a]]);
      set_at_path(point.input, steps[a], point.values.back(), plan.file, plan.axes[a].path);
    }
    char name[32];
    std::snprintf(name, sizeof name, "%04d", point.index);
    point.directory = (fs::path(plan.directory) / "points" / name).string();
    set_at_path(point.input, parse_axis_path(plan.file, "output.directory"), point.directory,
                plan.file, "output.directory");
    plan.points.push_back(std::move(point));
  }
}

}  // namespace

SweepPlan read_sweep_plan(const std::string& path) {
  SweepPlan plan;
  plan.file = path;
  const std::string text = read_whole_file(path, "sweep file");
  const json sweep = parse_json_text(text, path);
  if (!sweep.is_object())
    throw InputError(path + ": expected a JSON object with \"base\" and \"axes\"");
  read_base(sweep, plan);
  read_axes(text, plan);
  read_settings(sweep, plan);
  expand_points(plan);
  return plan;
}

std::string point_label(const SweepPlan& plan, const SweepPoint& point) {
  std::string label;
  for (size_t a = 0; a < plan.axes.size(); ++a)
    label += (a ? ", " : "") + plan.axes[a].path + "=" + point.values[a].dump();
  return label;
}

InputObject point_input(const SweepPlan& plan, const SweepPoint& point) {
  char name[32];
  std::snprintf(name, sizeof name, "%04d", point.index);
  return InputObject(point.input,
                     plan.base_source + " [point " + name + ": " + point_label(plan, point) + "]",
                     plan.base_directory);
}

json plan_record(const SweepPlan& plan) {
  json axes = json::array();
  for (const auto& a : plan.axes)
    axes.push_back({{"path", a.path}, {"values", a.values}});
  json points = json::array();
  for (const auto& p : plan.points)
    points.push_back(
        {{"index", p.index}, {"values", p.values}, {"directory", p.directory}, {"input", p.input}});
  return {{"sweep_file", plan.file},
          {"base", plan.base_source},
          {"task", plan.task},
          {"combine", plan.combine},
          {"directory", plan.directory},
          {"base_directory", plan.base_directory},
          {"settings", plan.settings},
          {"axes", axes},
          {"points", points}};
}

}  // namespace glassland
