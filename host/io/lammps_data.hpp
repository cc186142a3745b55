// LAMMPS data files, atom_style atomic: header (atoms, atom types, box bounds, tilt factors),
// Masses, Atoms (id type x y z [ix iy iz]) and Velocities (id vx vy vz) sections.
// Reference: LAMMPS read_data / write_data documentation.
#pragma once

#include <array>
#include <string>
#include <vector>

namespace glassland {

struct LammpsData {
  std::string title;  // first line of the file
  int n_types = 0;
  std::array<double, 3> lo{0.0, 0.0, 0.0};
  std::array<double, 3> hi{0.0, 0.0, 0.0};
  double xy = 0.0, xz = 0.0, yz = 0.0;
  bool triclinic = false;  // true when the file had an "xy xz yz" line (written back the same way)
  // Mass per type (index type-1); empty when the file has no Masses section.
  std::vector<double> masses;
  // Atoms sorted by increasing ID. Types are the file's 1-based types.
  std::vector<int> ids;
  std::vector<int> types;
  std::vector<std::array<double, 3>> positions;
  std::vector<std::array<int, 3>> images;         // zeros when the file has no image flags
  std::vector<std::array<double, 3>> velocities;  // empty when the file has no Velocities
  int n_atoms() const { return static_cast<int>(ids.size()); }
};

// Reads a data file; throws InputError naming the file, the line and what was expected.
// Positions and image flags are kept as written (LAMMPS would remap atoms into the box), so
// x + image·(box vectors) is what a round trip through LAMMPS preserves. Pair Coeffs,
// PairIJ Coeffs and Atom Type Labels sections are skipped; nonzero counts of bonds etc. and
// sections of other atom styles are errors; box bounds are required.
LammpsData read_lammps_data(const std::string& path);

struct LammpsDataWriteOptions {
  bool image_flags = true;
  bool velocities = true;  // written when the data has them
};

// Writes with full double precision (%.17g), so read → write → read is exact. The file is
// written atomically (host/io/atomic_file.hpp: a temporary of this process, fsync, rename), so
// readers never see half a file and a crash leaves the old file or the new one. Throws InputError
// when the file cannot be written, std::logic_error when the arrays of `data` disagree in length or
// a type is outside 1..n_types. Empty `images` are written as zeros.
void write_lammps_data(const std::string& path, const LammpsData& data,
                       const LammpsDataWriteOptions& options = {});

}  // namespace glassland
