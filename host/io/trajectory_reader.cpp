#include "host/io/trajectory_reader.hpp"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <fstream>

#include "host/io/h5md_reader.hpp"
#include "host/io/input_error.hpp"
#include "host/io/lammps_data.hpp"
#include "host/io/lammps_dump.hpp"

namespace glassland {

const char* unwrapping_name(Unwrapping u) {
  switch (u) {
    case Unwrapping::written_unwrapped:
      return "written unwrapped";
    case Unwrapping::image_flags:
      return "image flags";
    case Unwrapping::followed_between_frames:
      return "followed between frames";
  }
  return "";
}

// ------------------------------------------------------------------------------- FrameSlice

FrameSlice FrameSlice::parse(const std::string& text, const std::string& option) {
  auto fail = [&](const std::string& why) {
    return InputError(option + ": '" + text + "' is not a frame slice START:STOP:STEP (" + why +
                      "); e.g. 100:, ::10, -50:, 0:1000:5");
  };
  std::vector<std::string> parts{""};
  for (char c : text) {
    if (c == ':')
      parts.emplace_back();
    else
      parts.back().push_back(c);
  }
  if (parts.size() > 3)
    throw fail("more than two ':'");
  auto number = [&](const std::string& s) -> std::optional<long long> {
    if (s.empty())
      return std::nullopt;
    char* end = nullptr;
    const long long v = std::strtoll(s.c_str(), &end, 10);
    if (*end != '\0')
      throw fail("'" + s + "' is not an integer");
    return v;
  };
  FrameSlice slice;
  if (parts.size() == 1) {  // a single index k means k:k+1
    slice.start = number(parts[0]);
    if (!slice.start)
      throw fail("empty");
    slice.stop = *slice.start == -1 ? std::nullopt : std::optional<long long>(*slice.start + 1);
    return slice;
  }
  slice.start = number(parts[0]);
  slice.stop = number(parts[1]);
  if (parts.size() == 3 && !parts[2].empty()) {
    slice.step = *number(parts[2]);
    if (slice.step <= 0)
      throw fail("STEP must be positive");
  }
  return slice;
}

bool FrameSlice::needs_count() const {
  return (start && *start < 0) || (stop && *stop < 0);
}

std::vector<std::size_t> FrameSlice::indices(std::size_t n_frames) const {
  const long long n = static_cast<long long>(n_frames);
  auto resolve = [n](std::optional<long long> v, long long fallback) {
    if (!v)
      return fallback;
    const long long k = *v < 0 ? *v + n : *v;
    return std::clamp(k, 0LL, n);
  };
  std::vector<std::size_t> out;
  for (long long k = resolve(start, 0); k < resolve(stop, n); k += step)
    out.push_back(static_cast<std::size_t>(k));
  return out;
}

bool FrameSlice::contains(std::size_t k) const {
  const long long i = static_cast<long long>(k);
  const long long first = start.value_or(0);
  return i >= first && (!stop || i < *stop) && (i - first) % step == 0;
}

std::string FrameSlice::text() const {
  return (start ? std::to_string(*start) : "") + ":" + (stop ? std::to_string(*stop) : "") + ":" +
         std::to_string(step);
}

// ------------------------------------------------------------------------- SlicedTrajectory

SlicedTrajectory::SlicedTrajectory(std::unique_ptr<TrajectoryReader> reader,
                                   const FrameSlice& slice)
    : reader_(std::move(reader)) {
  selected_ = slice.indices(reader_->count_frames());
}

bool SlicedTrajectory::next(AtomsFrame& frame) {
  if (cursor_ >= selected_.size())
    return false;
  while (reader_->next(frame)) {
    if (frame.index == selected_[cursor_]) {
      ++cursor_;
      return true;
    }
  }
  return false;
}

// ------------------------------------------------------------------------------ opening

namespace {

// A LAMMPS data file as a trajectory of one frame (a structure to analyse).
class DataFileReader : public TrajectoryReader {
 public:
  explicit DataFileReader(const std::string& path) : path_(path), data_(read_lammps_data(path)) {}
  bool next(AtomsFrame& frame) override {
    if (done_)
      return false;
    done_ = true;
    frame = AtomsFrame{};
    frame.time_ps = 0.0;
    frame.cell.lo = data_.lo;
    frame.cell.lx = data_.hi[0] - data_.lo[0];
    frame.cell.ly = data_.hi[1] - data_.lo[1];
    frame.cell.lz = data_.hi[2] - data_.lo[2];
    frame.cell.xy = data_.xy;
    frame.cell.xz = data_.xz;
    frame.cell.yz = data_.yz;
    frame.ids = data_.ids;
    frame.types = data_.types;
    frame.positions.resize(3 * data_.ids.size());
    for (std::size_t i = 0; i < data_.ids.size(); ++i) {
      const double n[3] = {static_cast<double>(data_.images[i][0]),
                           static_cast<double>(data_.images[i][1]),
                           static_cast<double>(data_.images[i][2])};
      const std::array<double, 3> shift = frame.cell.to_cartesian(n);
      for (int k = 0; k < 3; ++k)
        frame.positions[3 * i + k] = data_.positions[i][k] + shift[k];
    }
    return true;
  }
  std::string description() const override { return path_; }
  std::size_t count_frames() override { return 1; }
  std::vector<double> type_masses() const override { return data_.masses; }
  Unwrapping unwrapping() const override { return Unwrapping::image_flags; }

 private:
  std::string path_;
  LammpsData data_;
  bool done_ = false;
};

// Whether the first non-blank line of a (possibly compressed) text file starts a dump frame.
bool looks_like_dump(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  unsigned char magic[2] = {0, 0};
  in.read(reinterpret_cast<char*>(magic), 2);
  if (in.gcount() == 2 && magic[0] == 0x1f && magic[1] == 0x8b)
    return true;  // gzip: only dumps are read compressed
  in.clear();
  in.seekg(0);
  std::string line;
  while (std::getline(in, line))
    if (line.find_first_not_of(" \t\r") != std::string::npos)
      return line.compare(0, 5, "ITEM:") == 0;
  return false;
}

}  // namespace

std::vector<std::unique_ptr<TrajectoryReader>> open_trajectory(const std::string& path,
                                                               int replica) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw InputError(path + ": cannot open the file");
  char signature[8] = {};
  in.read(signature, 8);
  static const char kHdf5Signature[8] = {'\x89', 'H', 'D', 'F', '\r', '\n', '\x1a', '\n'};
  if (in.gcount() == 8 && std::memcmp(signature, kHdf5Signature, 8) == 0)
    return open_h5md_trajectory(path, replica);
  if (replica >= 0)
    throw InputError(path +
                     ": --replica selects a particle group of an H5MD file; this file is "
                     "a LAMMPS dump or data file, which holds one series");
  std::vector<std::unique_ptr<TrajectoryReader>> readers;
  if (looks_like_dump(path))
    readers.push_back(std::make_unique<LammpsDumpReader>(path));
  else
    readers.push_back(std::make_unique<DataFileReader>(path));
  return readers;
}

// -------------------------------------------------------------------- FrameToFrameUnwrapper

void FrameToFrameUnwrapper::apply(AtomsFrame& frame) {
  if (previous_.size() == frame.positions.size()) {
    for (std::size_t i = 0; i < frame.positions.size(); i += 3) {
      double d[3] = {frame.positions[i] - previous_[i], frame.positions[i + 1] - previous_[i + 1],
                     frame.positions[i + 2] - previous_[i + 2]};
      frame.cell.minimum_image(d);
      for (int k = 0; k < 3; ++k)
        frame.positions[i + k] = previous_[i + k] + d[k];
    }
  }
  previous_ = frame.positions;
}

}  // namespace glassland
