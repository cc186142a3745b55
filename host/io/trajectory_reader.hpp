// Trajectories in, frame by frame (SPEC.md §9, issue 20 item 1): glassland's own H5MD files
// (h5md_reader.hpp) and LAMMPS dump text files, plain or gzip-compressed (lammps_dump.hpp), both
// with orthogonal or triclinic boxes. Frames are streamed: a reader holds one frame at a time, so
// memory is bounded by what the analysis keeps, not by the file.
//
// Every frame comes with its atoms sorted by ID and, where the file allows, positions that are
// continuous through periodic boundary crossings ("unwrapped"): written unwrapped (LAMMPS xu,
// xsu), or wrapped with image counts (x + H·image), or, for wrapped positions without images,
// unwrapped here by following each atom from the previous frame of the file by its shortest
// periodic displacement (which needs frames close enough that no atom moves half a box between
// them; the reader says so once).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "analysis/periodic_cell.hpp"

namespace glassland {

struct AtomsFrame {
  std::int64_t step = 0;
  double time_ps = 0.0;  // NaN when the file has none (a dump without ITEM: TIME)
  analysis::PeriodicCell cell;
  std::vector<int> ids;           // ascending
  std::vector<int> types;         // 1-based species/types as the file numbers them
  std::vector<double> positions;  // N×3, Å
  std::size_t index = 0;          // position of the frame in its file (0-based)
  std::size_t n_atoms() const { return ids.size(); }
};

// How the positions of a series were made continuous.
enum class Unwrapping { written_unwrapped, image_flags, followed_between_frames };
const char* unwrapping_name(Unwrapping u);

class TrajectoryReader {
 public:
  virtual ~TrajectoryReader() = default;
  // Reads the next frame of the file into `frame`; false at the end.
  virtual bool next(AtomsFrame& frame) = 0;
  // "FILE" or "FILE, particles/replica_0003": what messages and results call this series.
  virtual std::string description() const = 0;
  // Frames in the file (an H5MD file knows; a dump is scanned once for ITEM: TIMESTEP).
  virtual std::size_t count_frames() = 0;
  // Element names of the types if the file has them (H5MD species names, a dump's element
  // column), else empty.
  virtual std::vector<std::string> type_names() const { return {}; }
  // Masses by type (index type−1) if the file has them, else empty.
  virtual std::vector<double> type_masses() const { return {}; }
  // What the run that wrote the file said about itself (glassland H5MD: its effective input).
  virtual std::string effective_configuration() const { return ""; }
  virtual Unwrapping unwrapping() const = 0;
};

// A Python slice START:STOP:STEP of frame indices ("::10", "100:", "-50:"), STEP > 0.
struct FrameSlice {
  std::optional<long long> start, stop;
  long long step = 1;
  // Parses the text; throws InputError naming `option` for bad syntax.
  static FrameSlice parse(const std::string& text, const std::string& option);
  bool needs_count() const;  // negative start or stop
  // The selected indices for a file of n frames, as Python's range(*slice.indices(n)).
  std::vector<std::size_t> indices(std::size_t n_frames) const;
  // Whether frame k is selected, for a slice that needs no count.
  bool contains(std::size_t k) const;
  std::string text() const;
};

// Reads the frames a slice selects (the others are parsed and skipped, so frame-to-frame
// unwrapping still sees every frame).
class SlicedTrajectory {
 public:
  SlicedTrajectory(std::unique_ptr<TrajectoryReader> reader, const FrameSlice& slice);
  bool next(AtomsFrame& frame);
  TrajectoryReader& reader() { return *reader_; }
  std::size_t selected() const { return selected_.size(); }  // frames the slice selects

 private:
  std::unique_ptr<TrajectoryReader> reader_;
  std::vector<std::size_t> selected_;
  std::size_t cursor_ = 0;
};

// One reader per series in the file: an H5MD file (recognised by the HDF5 signature) gives one
// per particle group, or only `replica` (≥ 0) of them; a gzip file or a text file whose first line
// starts with "ITEM:" is a LAMMPS dump; any other file is a LAMMPS data file, read as a series of
// one frame (x + H·image). Throws InputError naming the file when it cannot be read.
std::vector<std::unique_ptr<TrajectoryReader>> open_trajectory(const std::string& path,
                                                               int replica = -1);

// Follows atoms between consecutive frames of a series whose positions are wrapped: replaces
// each position by the previous one plus the shortest periodic displacement.
class FrameToFrameUnwrapper {
 public:
  void apply(AtomsFrame& frame);

 private:
  std::vector<double> previous_;
};

}  // namespace glassland
