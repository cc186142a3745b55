#include "host/io/lammps_dump.hpp"

#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <map>
#include <numeric>
#include <sstream>

#include "host/io/input_error.hpp"

namespace glassland {

namespace {

gzFile as_gz(void* file) {
  return static_cast<gzFile>(file);
}

std::vector<std::string> split_words(const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> words;
  std::string w;
  while (in >> w)
    words.push_back(w);
  return words;
}

bool starts_with(const std::string& s, const char* prefix) {
  return s.compare(0, std::strlen(prefix), prefix) == 0;
}

}  // namespace

LammpsDumpReader::LammpsDumpReader(std::string path) : path_(std::move(path)) {
  file_ = gzopen(path_.c_str(), "rb");
  if (!file_)
    throw InputError(path_ + ": cannot open the file");
  gzbuffer(as_gz(file_), 1 << 18);
}

LammpsDumpReader::~LammpsDumpReader() {
  if (file_)
    gzclose(as_gz(file_));
}

bool LammpsDumpReader::read_line(std::string& line) {
  if (have_pending_) {
    have_pending_ = false;
    line = std::move(pending_);
    return true;
  }
  line.clear();
  char buffer[4096];
  while (gzgets(as_gz(file_), buffer, sizeof buffer)) {
    line += buffer;
    if (!line.empty() && line.back() == '\n') {
      line.pop_back();
      if (!line.empty() && line.back() == '\r')
        line.pop_back();
      ++line_;
      return true;
    }
  }
  int error = Z_OK;
  const char* message = gzerror(as_gz(file_), &error);
  if (error != Z_OK && error != Z_STREAM_END)
    fail(std::string("cannot read the (compressed) file: ") + message);
  if (!line.empty()) {
    ++line_;
    return true;  // a last line without a newline
  }
  return false;
}

void LammpsDumpReader::fail(const std::string& message) const {
  std::string where =
      path_ + ":" + std::to_string(line_) + ": frame " + std::to_string(frame_index_);
  if (current_step_ >= 0)
    where += " (timestep " + std::to_string(current_step_) + ")";
  throw InputError(where + ": " + message);
}

std::size_t LammpsDumpReader::count_frames() {
  gzFile f = gzopen(path_.c_str(), "rb");
  if (!f)
    throw InputError(path_ + ": cannot open the file");
  gzbuffer(f, 1 << 18);
  std::size_t frames = 0;
  char buffer[4096];
  bool line_start = true;
  while (gzgets(f, buffer, sizeof buffer)) {
    if (line_start && std::strncmp(buffer, "ITEM: TIMESTEP", 14) == 0)
      ++frames;
    line_start = std::strchr(buffer, '\n') != nullptr;
  }
  gzclose(f);
  return frames;
}

void LammpsDumpReader::read_box(const std::string& header, AtomsFrame& frame) {
  const std::vector<std::string> words =
      split_words(header.substr(16));  // after "ITEM: BOX BOUNDS"
  const bool tilted = !words.empty() && words[0] == "xy";
  if (!words.empty() && (words[0] == "abc" || words[0] == "avec"))
    fail(
        "general triclinic boxes (BOX BOUNDS abc origin) are not supported; write the dump "
        "with LAMMPS's restricted triclinic convention");
  double bound[3][3] = {};
  for (int k = 0; k < 3; ++k) {
    std::string line;
    if (!read_line(line))
      fail("the file ends inside ITEM: BOX BOUNDS");
    const std::vector<std::string> v = split_words(line);
    if (v.size() < (tilted ? 3u : 2u))
      fail("expected " + std::string(tilted ? "lo hi tilt" : "lo hi") +
           " on a BOX BOUNDS line, got '" + line + "'");
    for (int j = 0; j < (tilted ? 3 : 2); ++j) {
      char* end = nullptr;
      bound[k][j] = std::strtod(v[j].c_str(), &end);
      if (*end != '\0' || !std::isfinite(bound[k][j]))
        fail("'" + v[j] + "' in BOX BOUNDS is not a finite number");
    }
  }
  analysis::PeriodicCell& c = frame.cell;
  c.xy = tilted ? bound[0][2] : 0.0;
  c.xz = tilted ? bound[1][2] : 0.0;
  c.yz = tilted ? bound[2][2] : 0.0;
  // Bounding box → box (LAMMPS Howto triclinic): xlo = xlo_bound − min(0, xy, xz, xy + xz), ...
  const double xlo = bound[0][0] - std::min({0.0, c.xy, c.xz, c.xy + c.xz});
  const double xhi = bound[0][1] - std::max({0.0, c.xy, c.xz, c.xy + c.xz});
  const double ylo = bound[1][0] - std::min(0.0, c.yz);
  const double yhi = bound[1][1] - std::max(0.0, c.yz);
  c.lo = {xlo, ylo, bound[2][0]};
  c.lx = xhi - xlo;
  c.ly = yhi - ylo;
  c.lz = bound[2][1] - bound[2][0];
  if (!(c.lx > 0.0 && c.ly > 0.0 && c.lz > 0.0))
    fail("the box has a non-positive edge length");
}

void LammpsDumpReader::choose_columns(const std::string& header) {
  const std::vector<std::string> names = split_words(header.substr(11));  // after "ITEM: ATOMS"
  auto find = [&](const char* name) {
    const auto it = std::find(names.begin(), names.end(), name);
    return it == names.end() ? -1 : static_cast<int>(it - names.begin());
  };
  n_columns_ = static_cast<int>(names.size());
  id_column_ = find("id");
  type_column_ = find("type");
  element_column_ = find("element");
  if (id_column_ < 0 || type_column_ < 0)
    fail("ITEM: ATOMS must have 'id' and 'type' columns (dump custom ... id type x y z)");
  const char* sets[4][3] = {
      {"xu", "yu", "zu"}, {"xsu", "ysu", "zsu"}, {"x", "y", "z"}, {"xs", "ys", "zs"}};
  int chosen = -1;
  for (int s = 0; s < 4 && chosen < 0; ++s)
    if (find(sets[s][0]) >= 0 && find(sets[s][1]) >= 0 && find(sets[s][2]) >= 0)
      chosen = s;
  if (chosen < 0)
    fail("ITEM: ATOMS has no complete set of positions (xu yu zu, xsu ysu zsu, x y z or xs ys zs)");
  for (int k = 0; k < 3; ++k)
    position_columns_[k] = find(sets[chosen][k]);
  scaled_ = chosen == 1 || chosen == 3;
  const char* images[3] = {"ix", "iy", "iz"};
  for (int k = 0; k < 3; ++k)
    image_columns_[k] = find(images[k]);
  const bool have_images =
      image_columns_[0] >= 0 && image_columns_[1] >= 0 && image_columns_[2] >= 0;
  if (chosen <= 1)
    unwrapping_ = Unwrapping::written_unwrapped;
  else
    unwrapping_ = have_images ? Unwrapping::image_flags : Unwrapping::followed_between_frames;
  atoms_header_ = header;
}

void LammpsDumpReader::read_atoms(std::size_t n_atoms, AtomsFrame& frame) {
  std::vector<int> ids(n_atoms), types(n_atoms);
  std::vector<double> raw(3 * n_atoms);
  std::vector<int> image(3 * n_atoms, 0);
  std::map<int, std::string> names;
  std::vector<const char*> fields(n_columns_);
  std::string line;
  for (std::size_t a = 0; a < n_atoms; ++a) {
    if (!read_line(line))
      fail("the file ends after " + std::to_string(a) + " of " + std::to_string(n_atoms) +
           " atoms");
    // Split in place: fields point into the line.
    int n = 0;
    char* p = line.data();
    while (*p) {
      while (*p == ' ' || *p == '\t')
        *p++ = '\0';
      if (!*p)
        break;
      if (n < n_columns_)
        fields[n] = p;
      ++n;
      while (*p && *p != ' ' && *p != '\t')
        ++p;
    }
    if (n != n_columns_)
      fail("atom line has " + std::to_string(n) + " fields, ITEM: ATOMS names " +
           std::to_string(n_columns_));
    auto integer = [&](int column) {
      char* end = nullptr;
      errno = 0;
      const long v = std::strtol(fields[column], &end, 10);
      if (*end != '\0' || errno != 0 || v < std::numeric_limits<int>::min() ||
          v > std::numeric_limits<int>::max())
        fail(std::string("'") + fields[column] + "' is not an integer");
      return static_cast<int>(v);
    };
    ids[a] = integer(id_column_);
    types[a] = integer(type_column_);
    if (types[a] < 1)
      fail("atom " + std::to_string(ids[a]) + " has type " + std::to_string(types[a]) +
           "; types start at 1");
    for (int k = 0; k < 3; ++k) {
      char* end = nullptr;
      raw[3 * a + k] = std::strtod(fields[position_columns_[k]], &end);
      if (*end != '\0' || !std::isfinite(raw[3 * a + k]))
        fail(std::string("'") + fields[position_columns_[k]] + "' is not a finite number");
      if (unwrapping_ == Unwrapping::image_flags)
        image[3 * a + k] = integer(image_columns_[k]);
    }
    if (element_column_ >= 0)
      names[types[a]] = fields[element_column_];
  }
  // Sort by ID.
  std::vector<std::size_t> order(n_atoms);
  std::iota(order.begin(), order.end(), 0);
  if (!std::is_sorted(ids.begin(), ids.end()))
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return ids[a] < ids[b]; });
  frame.ids.resize(n_atoms);
  frame.types.resize(n_atoms);
  frame.positions.resize(3 * n_atoms);
  const analysis::PeriodicCell& c = frame.cell;
  for (std::size_t k = 0; k < n_atoms; ++k) {
    const std::size_t a = order[k];
    frame.ids[k] = ids[a];
    frame.types[k] = types[a];
    if (k > 0 && frame.ids[k] == frame.ids[k - 1])
      fail("atom ID " + std::to_string(frame.ids[k]) + " appears twice");
    double s[3] = {raw[3 * a], raw[3 * a + 1], raw[3 * a + 2]};
    if (unwrapping_ == Unwrapping::image_flags && scaled_)
      for (int d = 0; d < 3; ++d)
        s[d] += image[3 * a + d];
    double x[3];
    if (scaled_) {
      const std::array<double, 3> h = c.to_cartesian(s);
      for (int d = 0; d < 3; ++d)
        x[d] = c.lo[d] + h[d];
    } else {
      for (int d = 0; d < 3; ++d)
        x[d] = s[d];
      if (unwrapping_ == Unwrapping::image_flags) {
        const double n[3] = {static_cast<double>(image[3 * a]),
                             static_cast<double>(image[3 * a + 1]),
                             static_cast<double>(image[3 * a + 2])};
        const std::array<double, 3> shift = c.to_cartesian(n);
        for (int d = 0; d < 3; ++d)
          x[d] += shift[d];
      }
    }
    for (int d = 0; d < 3; ++d)
      frame.positions[3 * k + d] = x[d];
  }
  for (const auto& [type, name] : names) {
    if (type_names_.size() < static_cast<std::size_t>(type))
      type_names_.resize(type);
    if (!type_names_[type - 1].empty() && type_names_[type - 1] != name)
      fail("type " + std::to_string(type) + " is named both " + type_names_[type - 1] + " and " +
           name);
    type_names_[type - 1] = name;
  }
}

bool LammpsDumpReader::next(AtomsFrame& frame) {
  std::string line;
  // Skip blank lines between frames; the next item must be a TIMESTEP.
  do {
    if (!read_line(line))
      return false;
  } while (line.find_first_not_of(" \t") == std::string::npos);
  current_step_ = -1;
  if (!starts_with(line, "ITEM: TIMESTEP"))
    fail("expected ITEM: TIMESTEP, got '" + line + "'");
  if (!read_line(line))
    fail("the file ends after ITEM: TIMESTEP");
  {
    char* end = nullptr;
    const long long step = std::strtoll(line.c_str(), &end, 10);
    if (end == line.c_str())
      fail("'" + line + "' is not a timestep");
    current_step_ = step;
  }
  frame.step = current_step_;
  frame.time_ps = std::numeric_limits<double>::quiet_NaN();
  frame.index = frame_index_;
  long long n_atoms = -1;
  bool have_box = false, have_atoms = false;
  while (read_line(line)) {
    if (split_words(line) == std::vector<std::string>{"ITEM:", "TIME"}) {
      if (!read_line(line))
        fail("the file ends after ITEM: TIME");
      frame.time_ps = std::strtod(line.c_str(), nullptr);
    } else if (starts_with(line, "ITEM: UNITS")) {
      if (!read_line(line))
        fail("the file ends after ITEM: UNITS");
      if (split_words(line) != std::vector<std::string>{"metal"})
        fail("units '" + line + "': glassland reads metal units (Å, ps) only");
    } else if (starts_with(line, "ITEM: NUMBER OF ATOMS")) {
      if (!read_line(line))
        fail("the file ends after ITEM: NUMBER OF ATOMS");
      char* end = nullptr;
      n_atoms = std::strtoll(line.c_str(), &end, 10);
      if (end == line.c_str() || n_atoms < 1)
        fail("'" + line + "' is not a positive number of atoms");
    } else if (starts_with(line, "ITEM: BOX BOUNDS")) {
      read_box(line, frame);
      have_box = true;
    } else if (starts_with(line, "ITEM: ATOMS")) {
      if (n_atoms < 0 || !have_box)
        fail("ITEM: ATOMS before ITEM: NUMBER OF ATOMS and ITEM: BOX BOUNDS");
      if (frame_index_ == 0)
        choose_columns(line);
      else if (line != atoms_header_)
        fail("the columns changed from '" + atoms_header_ + "' in frame 0 to '" + line + "'");
      read_atoms(static_cast<std::size_t>(n_atoms), frame);
      have_atoms = true;
      break;
    } else {
      fail("unexpected line '" + line + "' (expected an ITEM: line of a dump)");
    }
  }
  if (!have_atoms)
    fail("the frame ends before its ITEM: ATOMS section");
  if (frame_index_ == 0) {
    first_ids_ = frame.ids;
    first_types_ = frame.types;
  } else if (frame.ids != first_ids_) {
    fail("the atom IDs differ from those of frame 0 (" + std::to_string(frame.ids.size()) +
         " atoms here, " + std::to_string(first_ids_.size()) + " there)");
  } else if (frame.types != first_types_) {
    for (std::size_t k = 0; k < frame.types.size(); ++k)
      if (frame.types[k] != first_types_[k])
        fail("atom " + std::to_string(frame.ids[k]) + " has type " +
             std::to_string(frame.types[k]) + ", in frame 0 it had " +
             std::to_string(first_types_[k]));
  }
  if (unwrapping_ == Unwrapping::followed_between_frames)
    unwrapper_.apply(frame);
  ++frame_index_;
  return true;
}

}  // namespace glassland
