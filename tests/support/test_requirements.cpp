#include "tests/support/test_requirements.hpp"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "kernels/types.hpp"

namespace glassland::testing {

std::string lammps_executable() {
  const char* from_environment = std::getenv("GLASSLAND_LAMMPS");
  if (from_environment && *from_environment)
    return from_environment;
  const std::string configured = GLASSLAND_LAMMPS_EXECUTABLE;
  return configured.find("NOTFOUND") == std::string::npos ? configured : "";
}

std::string lammps_missing_reason() {
  const std::string lmp = lammps_executable();
  if (lmp.empty())
    return "no lmp was found when the tests were configured (install Debian's lammps package, "
           "or set GLASSLAND_LAMMPS=/path/to/lmp)";
  if (access(lmp.c_str(), X_OK) != 0)
    return lmp + " is not an executable file on this machine (set GLASSLAND_LAMMPS)";
  return "";
}

std::string list_kind_missing_reason(NeighborListKind kind) {
  const int threads = ExecSpace().concurrency();
  if (kind == NeighborListKind::Half && threads > 1)
    return "half neighbour lists need a serial execution space; " + std::string(ExecSpace::name()) +
           " runs " + std::to_string(threads) + " threads";
  return "";
}

}  // namespace glassland::testing
