// Trajectories as LAMMPS text dump files, one per replica, for OVITO, VMD, MDAnalysis
// (format LAMMPSDUMP) and LAMMPS's own read_dump (LAMMPS documentation: dump, "dump custom"
// file format, and "Triclinic (non-orthogonal) simulation boxes" for the bounds/tilt form).
//
// Every frame is
//
//   ITEM: TIMESTEP
//   <step>
//   ITEM: NUMBER OF ATOMS
//   <N>
//   ITEM: BOX BOUNDS xy xz yz pp pp pp       (orthogonal boxes: ITEM: BOX BOUNDS pp pp pp)
//   xlo_bound xhi_bound xy                   (orthogonal boxes: xlo xhi)
//   ylo_bound yhi_bound xz
//   zlo_bound zhi_bound yz
//   ITEM: ATOMS id type element x y z ix iy iz [vx vy vz] [fx fy fz]
//   <one line per atom, in ID order>
//
// in LAMMPS metal units (Å, Å/ps, eV/Å), numbers with 17 significant digits so that a frame read
// back is the frame written, bit for bit. No "ITEM: TIME": Debian 12's LAMMPS (29 Sep 2021)
// read_dump refuses it; time is step × md.timestep. The types are those of the run's data files
// (the system's `elements` order), the element column names them. A box is written in the triclinic
// form when any tilt is non-zero, as LAMMPS writes it: xlo_bound = xlo + min(0, xy, xz, xy + xz),
// xhi_bound = xhi + max(0, xy, xz, xy + xz), ylo_bound = ylo + min(0, yz), yhi_bound =
// yhi + max(0, yz).
//
// Files are opened for each frame and closed after it (a batch may hold more replicas than a
// process may keep files open); sync() makes everything written so far durable, and cut_to()
// truncates the files back to sizes taken earlier (a restart from a checkpoint).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "host/io/h5md_writer.hpp"

namespace glassland {

// What does not change between frames: IDs and types of every replica's atoms (R×N), and the
// element name of each type (type t is type_names[t - 1]).
struct LammpsDumpAtoms {
  std::vector<std::int32_t> ids;
  std::vector<std::int32_t> types;
  std::vector<std::string> type_names;
};

class LammpsDumpWriter {
 public:
  // Files DIRECTORY/PREFIXNNNN.lammpstrj, NNNN the replica; the directory is created. Files that
  // exist are left as they are until cut_to() or append_frame().
  LammpsDumpWriter(std::string directory, std::string prefix, int n_replicas, int n_atoms,
                   LammpsDumpAtoms atoms, bool velocities, bool forces);

  // Appends one frame of every replica (TrajectoryFrame's arrays in eV/Å for forces) and flushes
  // each file. Throws InputError naming the file when it cannot be opened, FileWriteError
  // (host/io/file_write_error.hpp) when a write is refused (disk full, file-size limit).
  void append_frame(const TrajectoryFrame& frame) const;

  // The size in bytes of each replica's file (0 for a file not yet written).
  std::vector<std::uintmax_t> sizes() const;
  // Cuts each replica's file back to `sizes` bytes (creating empty files where needed).
  void cut_to(const std::vector<std::uintmax_t>& sizes) const;
  // fsync of every file, so that what was written survives a crash of the machine too.
  void sync() const;

  std::string path(int replica) const;

 private:
  std::string directory_, prefix_;
  int n_replicas_, n_atoms_;
  LammpsDumpAtoms atoms_;
  bool velocities_, forces_;
};

}  // namespace glassland
