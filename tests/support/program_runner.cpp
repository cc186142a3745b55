#include "tests/support/program_runner.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>

namespace glassland::testing {
namespace {

void collect_key_paths(const nlohmann::json& tree, const std::string& prefix,
                       EmptyObjects empty_objects, std::vector<std::string>& paths) {
  for (auto it = tree.begin(); it != tree.end(); ++it) {
    const std::string path = prefix.empty() ? it.key() : prefix + "." + it.key();
    if (it->is_object() && (!it->empty() || empty_objects == EmptyObjects::kAreSkipped))
      collect_key_paths(*it, path, empty_objects, paths);
    else
      paths.push_back(path);
  }
}

// Runs `command` through the shell; its stdout and wait status.
ProgramResult run_shell_command(const std::string& command) {
  FILE* pipe = popen(command.c_str(), "r");
  ProgramResult result;
  char buffer[4096];
  while (size_t n = fread(buffer, 1, sizeof buffer, pipe))
    result.output.append(buffer, n);
  result.status = pclose(pipe);
  return result;
}

}  // namespace

ProgramResult run_glassland(const std::string& arguments, bool capture_stderr) {
  return run_shell_command(std::string(GLASSLAND_PROGRAM) + " " + arguments +
                           (capture_stderr ? " 2>&1" : " 2>/dev/null"));
}

ConsoleResult run_glassland_console(const std::string& arguments) {
  char errors[] = "/tmp/glassland_stderr_XXXXXX";
  const int descriptor = mkstemp(errors);
  if (descriptor >= 0)
    close(descriptor);
  const ProgramResult run =
      run_shell_command(std::string(GLASSLAND_PROGRAM) + " " + arguments + " 2>" + errors);
  ConsoleResult result;
  result.out = run.output;
  result.status = run.status;
  result.err = read_text_file(errors);
  std::remove(errors);
  return result;
}

pid_t start_glassland(const std::vector<std::string>& arguments) {
  const pid_t pid = fork();
  if (pid == 0) {
    std::vector<char*> argv{const_cast<char*>(GLASSLAND_PROGRAM)};
    for (const auto& a : arguments)
      argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(GLASSLAND_PROGRAM, argv.data());
    _exit(127);
  }
  return pid;
}

int wait_for_exit(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  return status;
}

std::string read_text_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

nlohmann::json read_json_file(const std::string& path) {
  std::ifstream in(path);
  return nlohmann::json::parse(in);
}

std::vector<std::string> key_paths(const nlohmann::json& tree, EmptyObjects empty_objects) {
  std::vector<std::string> paths;
  collect_key_paths(tree, "", empty_objects, paths);
  return paths;
}

void expect_every_key_documented(const std::string& effective_input, const std::string& document,
                                 std::size_t more_than, EmptyObjects empty_objects) {
  const std::string text = read_text_file(std::string(GLASSLAND_SOURCE_DIR) + "/" + document);
  ASSERT_FALSE(text.empty()) << document;
  const std::vector<std::string> paths = key_paths(read_json_file(effective_input), empty_objects);
  EXPECT_GT(paths.size(), more_than);
  for (const auto& path : paths)
    EXPECT_NE(text.find("`" + path + "`"), std::string::npos)
        << path << " is not documented in " << document;
}

}  // namespace glassland::testing
