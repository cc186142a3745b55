#include "host/tasks/sweep/sweep_run.hpp"

#include <algorithm>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <optional>

#include "host/io/atomic_file.hpp"
#include "host/io/input_error.hpp"
#include "host/io/json_input.hpp"
#include "host/tasks/sweep/activation_chain.hpp"
#include "host/tasks/sweep/diffusion_chain.hpp"
#include "host/tasks/sweep/entropy_chain.hpp"
#include "host/tasks/sweep/sweep_results.hpp"

namespace glassland {

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

std::string point_name(int index) {
  char name[32];
  std::snprintf(name, sizeof name, "%04d", index);
  return name;
}

void say(bool quiet, const std::string& text) {
  if (!quiet)
    std::fprintf(stderr, "sweep: %s\n", text.c_str());
}

// The table of points on stdout, with what this run will do with each.
void list_points(const SweepPlan& plan, const std::vector<PointStatus>& recorded) {
  std::string shape;
  for (const auto& a : plan.axes)
    shape += (shape.empty() ? "" : (plan.combine == "grid" ? " × " : ", ")) + a.path + " (" +
             std::to_string(a.values.size()) + ")";
  std::printf("sweep: %zu points of task %s, %s of %s, in %s\n", plan.points.size(),
              plan.task.c_str(), plan.combine.c_str(), shape.c_str(), plan.directory.c_str());
  std::vector<size_t> width;
  for (const auto& a : plan.axes) {
    size_t w = a.path.size();
    for (const auto& v : a.values)
      w = std::max(w, v.dump().size());
    width.push_back(w);
  }
  std::string header = "  point";
  for (size_t a = 0; a < plan.axes.size(); ++a)
    header += "  " + plan.axes[a].path + std::string(width[a] - plan.axes[a].path.size(), ' ');
  std::printf("%s  to do\n", header.c_str());
  for (const SweepPoint& p : plan.points) {
    std::string line = "  " + point_name(p.index) + " ";
    for (size_t a = 0; a < plan.axes.size(); ++a) {
      const std::string v = p.values[a].dump();
      line += "  " + v + std::string(width[a] - v.size(), ' ');
    }
    const std::string& s = recorded[p.index].status;
    const char* todo = s == "finished"                 ? "done (passed over)"
                       : s == "finished_with_failures" ? "done, replicas failed (passed over)"
                       : s.empty()                     ? "run"
                       : s == "failed"                 ? "run again (failed before)"
                                                       : "resume";
    std::printf("%s  %s\n", line.c_str(), todo);
  }
  std::fflush(stdout);
}

// The axis an input error is about: the one whose path the message names right after the file.
std::string axis_culprit(const SweepPlan& plan, const SweepPoint& point, const InputObject& input,
                         const std::string& message) {
  const std::string& file = input.file_name();
  if (message.compare(0, file.size(), file) != 0)
    return "";
  const std::string rest = message.substr(file.size());
  for (size_t a = 0; a < plan.axes.size(); ++a) {
    const std::string named = ": " + plan.axes[a].path;
    if (rest.compare(0, named.size(), named) == 0 && rest.size() > named.size() &&
        std::string(":.[").find(rest[named.size()]) != std::string::npos)
      return "axis " + plan.axes[a].path + " = " + point.values[a].dump();
  }
  return "";
}

// Every point's input read and validated by its task, nothing run or written.
void check_points(const SweepPlan& plan, const TaskRunner& run_task, bool quiet) {
  for (const SweepPoint& point : plan.points) {
    InputObject input = point_input(plan, point);
    RunOptions options;
    options.input_path = plan.file;
    options.check_only = true;
    options.print_checked_input = false;
    options.quiet = true;
    try {
      run_task(input, options);
    } catch (const std::exception& e) {
      const std::string culprit = axis_culprit(plan, point, input, e.what());
      throw InputError(plan.file + ": point " + point_name(point.index) + " (" +
                       (culprit.empty() ? point_label(plan, point) : culprit) +
                       ") is not a valid input: " + e.what());
    }
  }
  say(quiet, "all " + std::to_string(plan.points.size()) + " inputs are valid");
}

// --restart: the recorded plan must be this plan (else the finished points answer another one).
void check_against_record(const SweepPlan& plan, const json& record, const std::string& path) {
  const std::string remedy =
      "; run without --restart to start afresh, or give another output.directory";
  if (record.value("base_directory", "") != plan.base_directory)
    throw InputError(path + ": recorded for a base input in " + record.value("base_directory", "") +
                     ", not " + plan.base_directory + remedy);
  const json& points = record["points"];
  if (!points.is_array() || points.size() != plan.points.size())
    throw InputError(path + ": recorded " + std::to_string(points.size()) +
                     " points; the sweep file now has " + std::to_string(plan.points.size()) +
                     remedy);
  for (const SweepPoint& p : plan.points)
    if (points[p.index]["input"] != p.input)
      throw InputError(path + ": point " + point_name(p.index) + " (" + point_label(plan, p) +
                       ") had another input when it was recorded (the sweep file or its base "
                       "changed)" +
                       remedy);
}

// A fresh start: records of an earlier run are removed, so none can be taken for this run's.
void clear_records(const SweepPlan& plan) {
  for (const SweepPoint& p : plan.points)
    fs::remove(fs::path(p.directory) / "status.json");
  for (const char* name : {"sweep_summary.json", "sweep.h5"})
    fs::remove(fs::path(plan.directory) / name);
  fs::remove_all(fs::path(plan.directory) / "chain");
}

// Rank 0 before any point runs: list, check, record; returns the points to run.
std::vector<int> prepare(const SweepOptions& options, const SweepPlan& plan,
                         const TaskRunner& run_task) {
  const std::string record_path = (fs::path(plan.directory) / "sweep_plan.json").string();
  std::vector<PointStatus> recorded(plan.points.size());
  if (options.restart && fs::exists(record_path)) {
    check_against_record(plan, load_json_file(record_path), record_path);
    for (const SweepPoint& p : plan.points)
      recorded[p.index] = read_point_status(p.directory);
  }
  list_points(plan, recorded);
  check_points(plan, run_task, options.quiet || plan.quiet);
  if (options.check_only)
    return {};
  if (!options.restart)
    clear_records(plan);
  fs::create_directories(plan.directory);
  write_file_atomically(record_path, plan_record(plan).dump(2) + "\n");
  std::vector<int> pending;
  for (const SweepPoint& p : plan.points)
    if (!has_results(recorded[p.index]))
      pending.push_back(p.index);
  return pending;
}

void run_points(const SweepOptions& options, const SweepPlan& plan, const std::vector<int>& pending,
                const TaskRunner& run_task, const SweepRanks& ranks) {
  const bool quiet = options.quiet || plan.quiet;
  const std::string where = ranks.size() > 1 ? " [rank " + std::to_string(ranks.rank()) + "]" : "";
  SweepRanks::WorkCounter counter(ranks);
  for (;;) {
    const int64_t k = counter.next();
    if (k >= static_cast<int64_t>(pending.size()))
      break;
    const SweepPoint& point = plan.points[pending[k]];
    const std::string name =
        "point " + point_name(point.index) + " (" + point_label(plan, point) + ")";
    say(quiet, name + " started" + where);
    const PointStatus s =
        run_point(plan, point, run_task, ranks, options.restart, options.overwrite);
    char seconds[32];
    std::snprintf(seconds, sizeof seconds, "%.1f s", s.wall_seconds);
    if (s.status == "finished")
      say(quiet, name + " finished in " + seconds + where);
    else if (s.status == "finished_with_failures")
      std::fprintf(stderr,
                   "sweep: %s finished in %s%s with failed replicas (%s): see %s/faults.json\n",
                   name.c_str(), seconds, where.c_str(), describe_failed_replicas(s).c_str(),
                   point.directory.c_str());
    else
      std::fprintf(stderr, "sweep: %s FAILED after %s%s: %s (messages in %s/run.log)\n",
                   name.c_str(), seconds, where.c_str(), s.error.c_str(), point.directory.c_str());
  }
}

// The analysis chain the task and the results allow, with notes for what is missing.
json analysis_chain(const SweepPlan& plan, const SweepOptions& options,
                    const std::vector<PointStatus>& statuses, std::vector<TracerRow>& rows) {
  if (!plan.chain_enabled)
    return {{"notes", {"chain.enabled is false"}}};
  if (plan.task == "metad") {
    std::vector<std::string> notes;
    rows = metad_tracer_rows(plan, statuses, notes);
    json chain = run_activation_chain(plan, rows);
    for (const auto& n : notes)
      chain["notes"].push_back(n);
    return chain;
  }
  if (plan.task == "md")
    return run_diffusion_chain(plan, statuses);
  if (plan.task == "art")
    return run_entropy_chain(plan, statuses, options.entropy_temperature);
  return {{"notes", {"no analysis chain for task " + plan.task}}};
}

SweepOutcome finish(const SweepPlan& plan, const SweepOptions& options) {
  std::vector<PointStatus> statuses;
  for (const SweepPoint& p : plan.points)
    statuses.push_back(read_point_status(p.directory));
  std::vector<TracerRow> rows;
  const json chain = analysis_chain(plan, options, statuses, rows);
  const json summary = sweep_summary(plan, statuses, chain);
  write_sweep_results(plan, summary, rows);
  const json& counts = summary["counts"];
  const int with_failures = counts["finished_with_failures"].get<int>();
  const std::string with_failures_text =
      with_failures ? ", " + std::to_string(with_failures) + " finished with failed replicas" : "";
  std::printf("sweep: %d finished%s, %d failed, %d not run; %s/sweep_summary.json, sweep.h5\n",
              counts["finished"].get<int>(), with_failures_text.c_str(),
              counts["failed"].get<int>(), counts["not_run"].get<int>(), plan.directory.c_str());
  std::printf("%s%s%s", describe_activation_chain(chain).c_str(),
              describe_diffusion_chain(chain).c_str(), describe_entropy_chain(chain).c_str());
  std::fflush(stdout);
  return {counts["failed"].get<int>() + counts["not_run"].get<int>(), with_failures};
}

}  // namespace

SweepOutcome run_sweep(const SweepOptions& options, const TaskRunner& run_task,
                       const SweepRanks& ranks) {
  std::optional<SweepPlan> plan;
  std::exception_ptr root_error;
  std::string decision;  // rank 0's: "run" and the points, or "stop"
  if (ranks.is_root()) {
    try {
      plan = read_sweep_plan(options.sweep_file);
      decision = "run " + json(prepare(options, *plan, run_task)).dump();
    } catch (...) {
      root_error = std::current_exception();
      decision = "stop";
    }
  }
  if (options.check_only) {  // rank 0 has listed and checked the points; no rank runs any
    if (root_error)
      std::rethrow_exception(root_error);
    return {};
  }
  decision = ranks.broadcast(decision);
  if (decision == "stop") {
    if (root_error)
      std::rethrow_exception(root_error);
    throw SweepStoppedOnRoot();
  }
  try {
    if (!plan)
      plan = read_sweep_plan(options.sweep_file);
    const std::vector<int> pending = json::parse(decision.substr(4)).get<std::vector<int>>();
    run_points(options, *plan, pending, run_task, ranks);
    ranks.barrier();
    return ranks.is_root() ? finish(*plan, options) : SweepOutcome{};
  } catch (const std::exception& e) {
    // Not a point's failure (those are recorded) but the sweep's own (a file it cannot write):
    // the other ranks would wait for this one forever, so all stop.
    if (ranks.size() == 1)
      throw;
    std::fprintf(stderr, "glassland: error: sweep, %s: %s\n", ranks.description().c_str(),
                 e.what());
    ranks.abort(1);
  }
}

}  // namespace glassland
