// LAMMPS dump text files (`dump atom` and `dump custom`), plain or gzip-compressed (.gz is read
// directly through zlib, which also reads uncompressed files), one frame at a time.
// Reference: LAMMPS documentation of the dump command (https://docs.lammps.org/dump.html) and of
// triclinic boxes (https://docs.lammps.org/Howto_triclinic.html).
//
// Each frame: ITEM: TIMESTEP, optional ITEM: TIME (and ITEM: UNITS), ITEM: NUMBER OF ATOMS,
// ITEM: BOX BOUNDS [xy xz yz] with three boundary flags, then ITEM: ATOMS with named columns. The
// columns must include `id` and `type` (an `element` column, if present, names the types) and one
// position set: xu yu zu (unwrapped), xsu ysu zsu (scaled unwrapped), x y z or xs ys zs (wrapped;
// with ix iy iz image flags they are unwrapped by them, without they are followed between
// frames). Triclinic bounds are the bounding box LAMMPS writes (xlo_bound xhi_bound xy, ...),
// turned back into lo, hi and the tilts. Atoms may be in any order; they are sorted by ID.
//
// Malformed or inconsistent frames (missing items, short lines, a different set of atoms or
// columns than the first frame, duplicate IDs) are errors naming the file, the frame, its
// timestep and the line.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "host/io/trajectory_reader.hpp"

namespace glassland {

class LammpsDumpReader : public TrajectoryReader {
 public:
  explicit LammpsDumpReader(std::string path);
  ~LammpsDumpReader() override;
  LammpsDumpReader(const LammpsDumpReader&) = delete;
  LammpsDumpReader& operator=(const LammpsDumpReader&) = delete;

  bool next(AtomsFrame& frame) override;
  std::string description() const override { return path_; }
  std::size_t count_frames() override;
  std::vector<std::string> type_names() const override { return type_names_; }
  Unwrapping unwrapping() const override { return unwrapping_; }

 private:
  bool read_line(std::string& line);
  [[noreturn]] void fail(const std::string& message) const;
  void read_box(const std::string& header, AtomsFrame& frame);
  void choose_columns(const std::string& header);
  void read_atoms(std::size_t n_atoms, AtomsFrame& frame);

  std::string path_;
  void* file_ = nullptr;  // gzFile
  long line_ = 0;
  std::size_t frame_index_ = 0;
  long long current_step_ = -1;
  bool have_pending_ = false;  // a line read ahead (ITEM: TIMESTEP of the next frame)
  std::string pending_;

  // Columns, fixed by the first frame.
  std::string atoms_header_;
  int n_columns_ = 0;
  int id_column_ = -1, type_column_ = -1, element_column_ = -1;
  int position_columns_[3] = {-1, -1, -1};
  int image_columns_[3] = {-1, -1, -1};
  bool scaled_ = false;
  Unwrapping unwrapping_ = Unwrapping::written_unwrapped;
  FrameToFrameUnwrapper unwrapper_;
  std::vector<std::string> type_names_;
  std::vector<int> first_ids_, first_types_;
};

}  // namespace glassland
