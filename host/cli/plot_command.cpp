#include "host/cli/plot_command.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "host/io/input_error.hpp"

namespace glassland {

namespace {

namespace fs = std::filesystem;

struct PlotOptions {
  std::vector<std::string> results;
  std::string output;
  std::vector<std::string> formats;
  double dpi = 300.0;
  double temperature = 300.0;
  int jobs = 0;  // 0: the cores, at most 4
};

// Debian's interpreter has the Debian modules; another python3 earlier on PATH may not.
std::string python_interpreter() {
  const char* chosen = std::getenv("GLASSLAND_PYTHON");
  return chosen != nullptr && *chosen != '\0' ? chosen : "/usr/bin/python3";
}

// The directory holding glassland_plot/: next to the program (the build tree, where CMake copies
// it), an installed share/glassland/python, or the source tree it was built from.
fs::path package_parent(const fs::path& program) {
  const std::vector<fs::path> candidates = {
      program.parent_path() / "python",
      program.parent_path().parent_path() / "share" / "glassland" / "python",
      fs::path(GLASSLAND_PYTHON_SOURCE_DIR)};
  std::string looked;
  for (const fs::path& candidate : candidates) {
    if (fs::is_regular_file(candidate / "glassland_plot" / "__main__.py"))
      return candidate;
    looked += (looked.empty() ? "" : ", ") + candidate.string();
  }
  throw InputError("the Python package glassland_plot is not in " + looked +
                   "; rebuild glassland (cmake copies python/glassland_plot next to the program)");
}

[[noreturn]] void run_plot(const PlotOptions& options) {
  std::error_code error;
  fs::path program = fs::read_symlink("/proc/self/exe", error);
  if (error)
    program = fs::current_path() / "glassland";
  const std::string python = python_interpreter();
  if (access(python.c_str(), X_OK) != 0)
    throw InputError("cannot run the Python interpreter " + python + " (" + std::strerror(errno) +
                     "); install Debian's python3, python3-matplotlib, python3-h5py and "
                     "python3-numpy (bash scripts/setup.sh), or set GLASSLAND_PYTHON");

  const std::string parent = package_parent(program).string();
  const char* old_path = std::getenv("PYTHONPATH");
  const std::string python_path =
      old_path != nullptr && *old_path != '\0' ? parent + ":" + old_path : parent;
  setenv("PYTHONPATH", python_path.c_str(), 1);

  std::vector<std::string> arguments = {python,
                                        "-B",  // no __pycache__ in the source tree
                                        "-m",
                                        "glassland_plot",
                                        "--glassland-version",
                                        GLASSLAND_VERSION,
                                        "--glassland-program",
                                        program.string(),
                                        "--dpi",
                                        std::to_string(options.dpi),
                                        "--temperature",
                                        std::to_string(options.temperature),
                                        "--jobs",
                                        std::to_string(options.jobs)};
  if (!options.output.empty())
    arguments.insert(arguments.end(), {"--output", options.output});
  if (!options.formats.empty()) {
    arguments.push_back("--formats");
    arguments.insert(arguments.end(), options.formats.begin(), options.formats.end());
  }
  arguments.push_back("--");
  arguments.insert(arguments.end(), options.results.begin(), options.results.end());

  std::vector<char*> argv;
  for (std::string& a : arguments)
    argv.push_back(a.data());
  argv.push_back(nullptr);
  std::cout.flush();
  std::cerr.flush();
  execv(python.c_str(), argv.data());
  throw InputError("cannot execute " + python + ": " + std::strerror(errno));
}

}  // namespace

void register_plot_command(CLI::App& app) {
  auto options = std::make_shared<PlotOptions>();
  CLI::App* plot = app.add_subcommand(
      "plot",
      "Figures (PNG and PDF) of results: directories, results.h5, summary.json, events.json, "
      "neb.json, `analyze -o` JSON; several at once also get comparison figures "
      "(docs/plotting.md)");
  plot->add_option("results", options->results, "results directories or files")->required();
  plot->add_option("-o,--output", options->output,
                   "write every figure here instead of <results>/figures/");
  plot->add_option("--formats", options->formats, "png and/or pdf (default: both)")
      ->check(CLI::IsMember({"png", "pdf"}));
  plot->add_option("--dpi", options->dpi, "PNG resolution (default 300)")
      ->check(CLI::PositiveNumber);
  plot->add_option("-T,--temperature", options->temperature,
                   "K, for the effective barriers of the `analyze barriers` run behind an ART "
                   "barrier spectrum (default 300)")
      ->check(CLI::PositiveNumber);
  plot->add_option("-j,--jobs", options->jobs,
                   "processes drawing at once (default 0: the cores, at most 4)")
      ->check(CLI::NonNegativeNumber);
  plot->callback([options]() { run_plot(*options); });
}

}  // namespace glassland
