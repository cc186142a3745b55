// Inputs the libFuzzer targets found (docs/fuzzing.md, "Findings") that ended in an internal error
// (exit 1, a message from the C++ library) where an input error (exit 2, naming the key and the
// remedy) was due; each is checked through the program, as `glassland run --check` sees it.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <fstream>
#include <string>

#include "tests/support/lammps_oracle.hpp"  // make_scratch_dir
#include "tests/support/program_runner.hpp"

namespace glassland {
namespace {

struct Checked {
  int exit_code = -1;
  std::string output;
};

// `glassland run FILE --check` with `json` in FILE, beside the fuzz target's task files.
Checked check_input(const std::string& name, const std::string& json) {
  const std::string dir = testing::make_scratch_dir("fuzz_findings");
  for (const char* file : {"tiny.eam.fs", "cuzr16.data"})
    std::ofstream(dir + "/" + file)
        << testing::read_text_file(std::string(GLASSLAND_SOURCE_DIR) + "/fuzz/task_files/" + file);
  std::ofstream(dir + "/" + name) << json;
  const testing::ProgramResult r = testing::run_glassland("run " + dir + "/" + name + " --check");
  return {WIFEXITED(r.status) ? WEXITSTATUS(r.status) : -1, r.output};
}

// fuzz_task_run, 2026-12-06: an element that is not the potential's in system.elements, with a
// built structure (the built structure's masses were looked up at index −1: "vector::_M_range_check
// ... 18446744073709551615").
TEST(FuzzFindings, UnknownElementOfABuiltStructureNamesTheKey) {
  const Checked c = check_input("unknown_element.json", R"({"task": "md",
    "system": {"build": {"lattice": "b2", "lattice_constant": 3.26, "cells": [4, 4, 4]},
               "potential": "tiny.eam.fs", "elements": ["Cw", "Zr"]},
    "md": {"steps": 10, "temperature": 1000}, "output": {"directory": "out"}})");
  EXPECT_EQ(c.exit_code, 2) << c.output;
  EXPECT_NE(c.output.find("system.elements: element \"Cw\" is not in the potential"),
            std::string::npos)
      << c.output;
  EXPECT_NE(c.output.find("which defines: Cu Zr"), std::string::npos) << c.output;
}

// fuzz_task_input, 2026-12-06: a number beyond a double's range ("number overflow parsing").
TEST(FuzzFindings, NumberBeyondADoublesRangeIsAnInputError) {
  const Checked c = check_input("overflow.json", R"({"task": "md",
    "system": {"structures": ["cuzr16.data"], "potential": "tiny.eam.fs"},
    "md": {"steps": 10, "temperature": 1e400}})");
  EXPECT_EQ(c.exit_code, 2) << c.output;
  EXPECT_NE(c.output.find("overflow.json:3:40: the number 1e400 is beyond the range of a double"),
            std::string::npos)
      << c.output;
}

}  // namespace
}  // namespace glassland
