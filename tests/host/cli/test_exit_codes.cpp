// The program's exit codes (host/cli/exit_codes.hpp, docs/exit-codes.md): command-line mistakes
// exit with 2 (they were CLI11's 105–109), --help and --version with 0, input errors with 2; the
// documented table and `glassland --help` list exactly the header's codes.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "host/cli/exit_codes.hpp"
#include "tests/support/lammps_oracle.hpp"
#include "tests/support/program_runner.hpp"

namespace glassland {
namespace {

int exit_code_of(const std::string& arguments, std::string* output = nullptr) {
  const testing::ProgramResult result = testing::run_glassland(arguments);
  if (output)
    *output = result.output;
  EXPECT_TRUE(WIFEXITED(result.status)) << arguments << "\n" << result.output;
  return WEXITSTATUS(result.status);
}

TEST(ExitCodes, CommandLineMistakesExitWithTheInputErrorCode) {
  const int input_error = exit_status(ExitCode::input_error);
  EXPECT_EQ(input_error, 2);
  // CLI11's RequiredError (106), ExtrasError (109), ValidationError (105), ConversionError (104)
  // and an unknown option of a sub-command.
  for (const char* arguments :
       {"", "frobnicate", "run", "run /nonexistent/input.json", "run --restat x.json",
        "build --lattice b2 --cells two 2 2 -o x.data", "analyze", "analyze barriers",
        "eval --structure"}) {
    std::string output;
    EXPECT_EQ(exit_code_of(arguments, &output), input_error) << "glassland " << arguments << "\n"
                                                             << output;
  }
}

TEST(ExitCodes, HelpAndVersionSucceedAndHelpListsTheCodes) {
  std::string output;
  EXPECT_EQ(exit_code_of("--help", &output), 0);
  for (const auto& row : kExitCodes)
    EXPECT_NE(output.find("  " + std::to_string(exit_status(row.code)) + "  " + row.name + ": " +
                          row.meaning),
              std::string::npos)
        << output;
  EXPECT_EQ(exit_code_of("--version"), 0);
  for (const char* command :
       {"run --help", "analyze --help", "analyze barriers --help", "eval --help", "build --help"})
    EXPECT_EQ(exit_code_of(command), 0) << command;
}

TEST(ExitCodes, InputErrorsExitWithTheInputErrorCode) {
  const std::string dir = testing::make_scratch_dir("exit_codes_input");
  std::ofstream(dir + "/unknown_key.json")
      << R"({"task": "md", "system": {"build": {"lattice": "b2", "cells": [6, 6, 6]}},
            "md": {"steps": 1, "stepz": 2}})";
  std::ofstream(dir + "/syntax.json") << R"({"task": "md",)";
  std::string output;
  EXPECT_EQ(exit_code_of("run " + dir + "/unknown_key.json", &output), 2) << output;
  EXPECT_NE(output.find("md.stepz"), std::string::npos) << output;
  EXPECT_EQ(exit_code_of("run " + dir + "/syntax.json", &output), 2) << output;
  // A box narrower than 2·(cutoff + skin) is an input error before the run (it was an internal
  // error, exit 1, at the first force evaluation); --check finds it too.
  std::ofstream(dir + "/small_box.json")
      << R"({"task": "md", "system": {"build": {"lattice": "b2", "cells": [4, 6, 6]}},
            "md": {"steps": 1, "temperature": 300}})";
  for (const char* check : {"", " --check"}) {
    EXPECT_EQ(exit_code_of("run " + dir + "/small_box.json" + check, &output), 2) << output;
    EXPECT_NE(output.find("build seed 1: the box is 13.04 Å wide along a, less than 2·(cutoff + "
                          "skin) = 2·(7.6 + 1) = 17.2 Å"),
              std::string::npos)
        << output;
  }
  // --check validates a good input, prints its effective configuration and runs nothing.
  std::ofstream(dir + "/good.json") << R"({"task": "md", "system": {"build": {"lattice": "b2"}},
            "md": {"steps": 1, "temperature": 300}, "output": {"directory": ")"
                                    << dir << R"(/good_out"}})";
  const testing::ConsoleResult checked =
      testing::run_glassland_console("run " + dir + "/good.json --check");
  EXPECT_EQ(checked.status, 0) << checked.err;
  EXPECT_EQ(nlohmann::json::parse(checked.out).at("md").at("steps"), 1) << checked.out;
  EXPECT_FALSE(std::filesystem::exists(dir + "/good_out"));
}

// docs/exit-codes.md's table: one row per code of the header, same code, name and meaning.
TEST(ExitCodes, TheDocumentedTableIsTheHeadersTable) {
  const std::string text =
      testing::read_text_file(std::string(GLASSLAND_SOURCE_DIR) + "/docs/exit-codes.md");
  ASSERT_FALSE(text.empty());
  const std::regex row(R"(^\| (\d+) \| ([^|]+) \| ([^|]+) \|$)");
  std::istringstream lines(text);
  std::string line;
  size_t k = 0;
  while (std::getline(lines, line)) {
    std::smatch m;
    if (!std::regex_match(line, m, row))
      continue;
    ASSERT_LT(k, kExitCodes.size()) << "extra row: " << line;
    EXPECT_EQ(std::stoi(m[1]), exit_status(kExitCodes[k].code)) << line;
    EXPECT_EQ(m[2].str(), kExitCodes[k].name) << line;
    EXPECT_EQ(m[3].str(), kExitCodes[k].meaning) << line;
    ++k;
  }
  EXPECT_EQ(k, kExitCodes.size());
}

}  // namespace
}  // namespace glassland
