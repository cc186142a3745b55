// Where glassland finds EAM potential files that no input names: the program's default potential,
// the tests and the benchmarks. The directory is configured at build time (CMake cache variable
// GLASSLAND_POTENTIAL_DIR, default Debian's /usr/share/lammps/potentials) and overridden at run
// time by the environment variable of the same name, so that one build runs on machines where
// LAMMPS's potentials live elsewhere or are not installed (the GPU check kit carries its own).
#pragma once

#include <string>

namespace glassland {

// $GLASSLAND_POTENTIAL_DIR when set and not empty, else the directory configured at build time.
std::string potential_directory();

// The file `name` in potential_directory().
std::string potential_file(const std::string& name);

// The program's default potential: Mendelev et al.'s Cu–Zr CuZr_mm.eam.fs (Phil. Mag. 89, 967
// (2009)) in potential_directory().
std::string default_potential_path();

}  // namespace glassland
