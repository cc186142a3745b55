// What a test needs from the machine it runs on, and skipping with the reason printed when that is
// missing, so that the suite runs anywhere (the GPU machines have neither LAMMPS nor Debian's
// potential directory, and run concurrent backends):
//  * LAMMPS (`lmp`) for the oracle tests: GLASSLAND_REQUIRE_LAMMPS() at the top of the test;
//  * a serial execution space for half neighbour lists, which scatter forces to both atoms of a
//    pair: GLASSLAND_REQUIRE_LIST_KIND(kind).
// A skipped test passes in CTest's eyes (SKIP_REGULAR_EXPRESSION reports it as skipped), so
// scripts/run_tests.sh, on Debian where lmp is installed and Kokkos is Serial, fails when anything
// was skipped: CI cannot go green by skipping.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "kernels/neighbor_list.hpp"

namespace glassland::testing {

// The LAMMPS executable the oracle tests run: $GLASSLAND_LAMMPS when set, else the one CMake found
// at configure time (empty when none was found).
std::string lammps_executable();

// Why LAMMPS cannot run here ("" when it can): not configured, or the file is not executable.
std::string lammps_missing_reason();

// Why lists of `kind` cannot be built on this execution space ("" when they can).
std::string list_kind_missing_reason(NeighborListKind kind);

}  // namespace glassland::testing

// Skips the calling test (its body or SetUp) with the reason when LAMMPS cannot run here.
#define GLASSLAND_REQUIRE_LAMMPS()                                                       \
  do {                                                                                   \
    const std::string glassland_missing = ::glassland::testing::lammps_missing_reason(); \
    if (!glassland_missing.empty())                                                      \
      GTEST_SKIP() << "needs the LAMMPS oracle: " << glassland_missing;                  \
  } while (0)

// Skips the calling test with the reason when neighbour lists of `kind` are invalid here.
#define GLASSLAND_REQUIRE_LIST_KIND(kind)                                                       \
  do {                                                                                          \
    const std::string glassland_missing = ::glassland::testing::list_kind_missing_reason(kind); \
    if (!glassland_missing.empty())                                                             \
      GTEST_SKIP() << glassland_missing;                                                        \
  } while (0)
