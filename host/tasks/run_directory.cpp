#include "host/tasks/run_directory.hpp"

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "host/io/input_error.hpp"

namespace glassland {

namespace fs = std::filesystem;

namespace {

void collect_changes(const nlohmann::json& a, const nlohmann::json& b, const std::string& prefix,
                     std::vector<std::string>& out) {
  if (a.is_object() && b.is_object()) {
    for (const auto& [key, value] : a.items()) {
      const std::string path = prefix.empty() ? key : prefix + "." + key;
      if (!b.contains(key))
        out.push_back(path);
      else
        collect_changes(value, b.at(key), path, out);
    }
    for (const auto& [key, value] : b.items())
      if (!a.contains(key))
        out.push_back(prefix.empty() ? key : prefix + "." + key);
    return;
  }
  if (a != b)
    out.push_back(prefix);
}

// True when `inner` is `outer` or lies inside it.
bool is_within(const fs::path& inner, const fs::path& outer) {
  const fs::path a = fs::weakly_canonical(inner), b = fs::weakly_canonical(outer);
  auto ai = a.begin();
  for (auto bi = b.begin(); bi != b.end(); ++bi, ++ai)
    if (ai == a.end() || *ai != *bi)
      return false;
  return true;
}

}  // namespace

const std::vector<std::string>& restart_exceptions() {
  static const std::vector<std::string> keys = {"output.quiet", "output.progress_interval",
                                                "md.steps", "metad.steps"};
  return keys;
}

std::vector<std::string> changed_keys(const nlohmann::json& before, const nlohmann::json& now,
                                      const std::vector<std::string>& ignored) {
  std::vector<std::string> all, kept;
  collect_changes(before, now, "", all);
  for (const auto& key : all)
    if (std::find(ignored.begin(), ignored.end(), key) == ignored.end())
      kept.push_back(key);
  std::sort(kept.begin(), kept.end());
  return kept;
}

std::string join_keys(const std::vector<std::string>& keys) {
  std::string text;
  for (size_t k = 0; k < keys.size(); ++k)
    text += (k == 0 ? "" : k + 1 == keys.size() ? " and " : ", ") + keys[k];
  return text;
}

void clear_output_directory(const std::string& directory, const std::string& input_path) {
  if (is_within(fs::current_path(), directory))
    throw InputError(directory +
                     ": --overwrite would remove the working directory; choose an "
                     "output.directory of its own");
  if (!input_path.empty() && is_within(input_path, directory))
    throw InputError(directory + ": --overwrite would remove the input file " + input_path +
                     "; keep inputs outside the output directory");
  for (const auto& entry : fs::directory_iterator(directory)) {
    std::error_code error;
    fs::remove_all(entry.path(), error);
    if (error)
      throw InputError(entry.path().string() + ": cannot remove it for --overwrite (" +
                       error.message() + ")");
  }
}

}  // namespace glassland
