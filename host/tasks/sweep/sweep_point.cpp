#include "host/tasks/sweep/sweep_point.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "host/io/atomic_file.hpp"
#include "host/io/input_error.hpp"
#include "host/tasks/replica_failures.hpp"
#include "host/tasks/run_directory.hpp"

namespace glassland {

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

// stdout and stderr (the file descriptors, so C stdio, iostreams and Kokkos all follow) appended
// to a log file for the lifetime of the object.
class OutputToLog {
 public:
  explicit OutputToLog(const std::string& path) {
    flush_all();
    const int log = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (log < 0)
      return;  // the point's own writes will fail and say why; its messages stay on the terminal
    saved_out_ = ::dup(STDOUT_FILENO);
    saved_err_ = ::dup(STDERR_FILENO);
    ::dup2(log, STDOUT_FILENO);
    ::dup2(log, STDERR_FILENO);
    ::close(log);
  }
  ~OutputToLog() {
    flush_all();
    if (saved_out_ >= 0) {
      ::dup2(saved_out_, STDOUT_FILENO);
      ::dup2(saved_err_, STDERR_FILENO);
      ::close(saved_out_);
      ::close(saved_err_);
    }
  }
  OutputToLog(const OutputToLog&) = delete;
  OutputToLog& operator=(const OutputToLog&) = delete;

 private:
  static void flush_all() {
    std::cout.flush();
    std::cerr.flush();
    std::fflush(stdout);
    std::fflush(stderr);
  }
  int saved_out_ = -1, saved_err_ = -1;
};

std::string utc_now() {
  const std::time_t now = std::time(nullptr);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
  return text;
}

void write_status(const SweepPlan& plan, const SweepPoint& point, const PointStatus& s) {
  json axes = json::object();
  for (size_t a = 0; a < plan.axes.size(); ++a)
    axes[plan.axes[a].path] = point.values[a];
  json record = {{"point", point.index},
                 {"axes", axes},
                 {"status", s.status},
                 {"attempt", s.attempt},
                 {"rank", s.rank},
                 {"host", s.host},
                 {"device", s.device},
                 {"written_at", utc_now()},
                 {"wall_seconds", s.wall_seconds}};
  if (!s.error.empty())
    record["error"] = s.error;
  if (!s.failed_replicas.empty())
    record["failed_replicas"] = s.failed_replicas;
  write_file_atomically((fs::path(point.directory) / "status.json").string(),
                        record.dump(2) + "\n");
}

// The failures the task recorded in the point's faults.json (TaskRun::write_failures).
json recorded_failures(const std::string& directory) {
  std::ifstream in(fs::path(directory) / "faults.json");
  const json doc = in ? json::parse(in, nullptr, false) : json();
  if (doc.is_object() && doc.contains("failures") && doc["failures"].is_array())
    return doc["failures"];
  return json::array();
}

}  // namespace

bool has_results(const PointStatus& status) {
  return status.status == "finished" || status.status == "finished_with_failures";
}

std::string describe_failed_replicas(const PointStatus& status) {
  std::string list;
  for (const json& f : status.failed_replicas)
    list += (list.empty() ? "" : ", ") + f.value("unit", std::string("replica")) + " " +
            std::to_string(f.value("replica", -1));
  return list;
}

PointStatus read_point_status(const std::string& directory) {
  PointStatus s;
  std::ifstream in(fs::path(directory) / "status.json");
  if (!in)
    return s;
  std::stringstream text;
  text << in.rdbuf();
  const json record = json::parse(text.str(), nullptr, false);
  if (record.is_discarded() || !record.is_object())
    return s;
  s.status = record.value("status", "");
  s.error = record.value("error", "");
  s.rank = record.value("rank", -1);
  s.host = record.value("host", "");
  s.device = record.value("device", "");
  s.attempt = record.value("attempt", 0);
  s.wall_seconds = record.value("wall_seconds", 0.0);
  if (record.contains("failed_replicas") && record["failed_replicas"].is_array())
    s.failed_replicas = record["failed_replicas"];
  return s;
}

PointStatus run_point(const SweepPlan& plan, const SweepPoint& point, const TaskRunner& run_task,
                      const SweepRanks& ranks, bool restart, bool overwrite) {
  // --overwrite clears the point's directory here, not in the task, which would also remove the
  // status.json and run.log the point writes before the task starts.
  std::string clear_error;
  if (overwrite && fs::exists(point.directory)) {
    try {
      clear_output_directory(point.directory, plan.file);
    } catch (const std::exception& e) {
      clear_error = e.what();
    }
  }
  fs::create_directories(point.directory);
  PointStatus s;
  s.attempt = read_point_status(point.directory).attempt + 1;
  s.status = "running";
  s.rank = ranks.rank();
  s.host = ranks.host();
  s.device = ranks.device();
  write_status(plan, point, s);
  const auto start = std::chrono::steady_clock::now();
  try {
    if (!clear_error.empty())
      throw InputError(clear_error);
    const OutputToLog log((fs::path(point.directory) / "run.log").string());
    InputObject input = point_input(plan, point);
    RunOptions options;
    options.input_path = plan.file;
    options.restart = restart;
    run_task(input, options);
    s.status = "finished";
  } catch (const ReplicasFailed& e) {
    // Some replicas failed and the others' results are written (exit status 3 of `glassland
    // run`): the point has results. When every one failed the run stopped: the point failed.
    s.status = e.every_one() ? "failed" : "finished_with_failures";
    if (e.every_one())
      s.error = e.what();
    s.failed_replicas = recorded_failures(point.directory);
  } catch (const std::exception& e) {
    s.status = "failed";
    s.error = e.what();
  }
  s.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  write_status(plan, point, s);
  return s;
}

}  // namespace glassland
