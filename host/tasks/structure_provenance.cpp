// Provenance of structure files written by task prepare (see the header).
#include "host/tasks/structure_provenance.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>

namespace glassland {

namespace fs = std::filesystem;

nlohmann::json prepare_summary_beside(const std::string& file) {
  const fs::path summary = fs::path(file).parent_path() / "summary.json";
  std::ifstream in(summary);
  if (!in)
    return nullptr;
  try {
    nlohmann::json doc = nlohmann::json::parse(in);
    if (doc.is_object() && doc.value("task", std::string()) == "prepare" &&
        doc.contains("replicas") && doc["replicas"].is_array())
      return doc;
  } catch (const nlohmann::json::exception&) {
    std::fprintf(stderr, "%s is not valid JSON; the provenance of %s is not taken from it\n",
                 summary.string().c_str(), file.c_str());
  }
  return nullptr;
}

int prepare_replica_of(const std::string& file_name) {
  int replica = -1;
  double kelvin = 0.0;
  char tail = 0;
  // %c after the number: the name must end right after ".data" (sscanf ignores trailing text).
  if (std::sscanf(file_name.c_str(), "final_%d.data%c", &replica, &tail) == 1 ||
      std::sscanf(file_name.c_str(), "is_%d.data%c", &replica, &tail) == 1 ||
      std::sscanf(file_name.c_str(), "is_T%lfK_%d.data%c", &kelvin, &replica, &tail) == 2 ||
      std::sscanf(file_name.c_str(), "snapshot_T%lfK_%d.data%c", &kelvin, &replica, &tail) == 2)
    return replica >= 0 ? replica : -1;
  return -1;
}

nlohmann::json structure_provenance(const std::string& file) {
  nlohmann::json record = {{"file", fs::absolute(file).lexically_normal().string()},
                           {"cooling_rate_K_per_s", nullptr},
                           {"prepare_summary", nullptr}};
  const int replica = prepare_replica_of(fs::path(file).filename().string());
  if (replica < 0)
    return record;
  const nlohmann::json summary = prepare_summary_beside(file);
  if (summary.is_null() || replica >= static_cast<int>(summary["replicas"].size()))
    return record;
  const nlohmann::json& rate =
      summary["replicas"][replica].value("cooling_rate_K_per_s", nlohmann::json());
  if (rate.is_number())
    record["cooling_rate_K_per_s"] = rate;
  record["prepare_summary"] =
      fs::absolute(fs::path(file).parent_path() / "summary.json").lexically_normal().string();
  return record;
}

}  // namespace glassland
