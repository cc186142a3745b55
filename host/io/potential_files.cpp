#include "host/io/potential_files.hpp"

#include <cstdlib>
#include <filesystem>

namespace glassland {

std::string potential_directory() {
  const char* from_environment = std::getenv("GLASSLAND_POTENTIAL_DIR");
  if (from_environment && *from_environment)
    return from_environment;
  return GLASSLAND_POTENTIAL_DIR;
}

std::string potential_file(const std::string& name) {
  return (std::filesystem::path(potential_directory()) / name).string();
}

std::string default_potential_path() {
  return potential_file("CuZr_mm.eam.fs");
}

}  // namespace glassland
