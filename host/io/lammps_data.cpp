// LAMMPS data files for atom_style atomic: reader and writer.
//
// References:
//   LAMMPS documentation, read_data: https://docs.lammps.org/read_data.html
//     (title line; header lines "N atoms", "N atom types", "xlo xhi", "ylo yhi", "zlo zhi",
//     "xy xz yz"; then sections, each a keyword line, a blank line and one line per entry;
//     '#' starts a comment; "Atoms # style" names the atom style; atom_style atomic rows are
//     "atom-ID atom-type x y z" optionally followed by image flags "nx ny nz"; Velocities rows
//     are "atom-ID vx vy vz".)
//   LAMMPS documentation, write_data: https://docs.lammps.org/write_data.html, and the files
//   that LAMMPS 29 Sep 2021 (src/write_data.cpp) writes, whose layout the writer follows.
//
// Deliberate differences from LAMMPS, each to turn a silent surprise into a clear message:
//   - blank and comment lines inside a section are skipped rather than counted as entries;
//   - a missing box line is an error (LAMMPS would use -0.5 0.5);
//   - positions are kept as written (LAMMPS remaps atoms into the box on reading); image
//     flags are kept with them, so x + n·(box vectors) is what both agree on.
#include "host/io/lammps_data.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <numeric>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "host/io/atomic_file.hpp"
#include "host/io/file_write_error.hpp"
#include "host/io/input_error.hpp"
#include "host/io/whole_file.hpp"

namespace glassland {

namespace {

bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

std::string trim(const std::string& text) {
  size_t begin = 0;
  size_t end = text.size();
  while (begin < end && is_blank(text[begin]))
    ++begin;
  while (end > begin && is_blank(text[end - 1]))
    --end;
  return text.substr(begin, end - begin);
}

std::vector<std::string> split_words(const std::string& text) {
  std::vector<std::string> words;
  size_t k = 0;
  while (k < text.size()) {
    while (k < text.size() && is_blank(text[k]))
      ++k;
    if (k == text.size())
      break;
    const size_t begin = k;
    while (k < text.size() && !is_blank(text[k]))
      ++k;
    words.push_back(text.substr(begin, k - begin));
  }
  return words;
}

// Sections LAMMPS knows that have no place in an atom_style atomic file.
const char* const kOtherStyleSections[] = {"Bonds",
                                           "Angles",
                                           "Dihedrals",
                                           "Impropers",
                                           "Ellipsoids",
                                           "Lines",
                                           "Triangles",
                                           "Bodies",
                                           "Bond Coeffs",
                                           "Angle Coeffs",
                                           "Dihedral Coeffs",
                                           "Improper Coeffs",
                                           "BondBond Coeffs",
                                           "BondAngle Coeffs",
                                           "MiddleBondTorsion Coeffs",
                                           "EndBondTorsion Coeffs",
                                           "AngleTorsion Coeffs",
                                           "AngleAngleTorsion Coeffs",
                                           "BondBond13 Coeffs",
                                           "AngleAngle Coeffs",
                                           "Bond Type Labels",
                                           "Angle Type Labels",
                                           "Dihedral Type Labels",
                                           "Improper Type Labels"};

enum class Section {
  Masses,
  Atoms,
  Velocities,
  PairCoeffs,
  PairIJCoeffs,
  AtomTypeLabels,
  Other,
  None
};

Section section_of(const std::string& keyword) {
  if (keyword == "Masses")
    return Section::Masses;
  if (keyword == "Atoms")
    return Section::Atoms;
  if (keyword == "Velocities")
    return Section::Velocities;
  if (keyword == "Pair Coeffs")
    return Section::PairCoeffs;
  if (keyword == "PairIJ Coeffs")
    return Section::PairIJCoeffs;
  if (keyword == "Atom Type Labels")
    return Section::AtomTypeLabels;
  for (const char* other : kOtherStyleSections) {
    if (keyword == other)
      return Section::Other;
  }
  return Section::None;
}

// One line of the file with its number, the text before any '#', and the comment.
struct Line {
  int number = 0;
  std::string content;  // trimmed, without the comment
  std::string comment;  // trimmed text after '#', empty when none
};

class DataFileParser {
 public:
  DataFileParser(std::string path, std::string text) : path_(std::move(path)) {
    size_t begin = 0;
    while (begin < text.size()) {
      size_t newline = text.find('\n', begin);
      if (newline == std::string::npos)
        newline = text.size();
      raw_lines_.push_back(text.substr(begin, newline - begin));
      if (!raw_lines_.back().empty() && raw_lines_.back().back() == '\r') {
        raw_lines_.back().pop_back();
      }
      begin = newline + 1;
    }
  }

  LammpsData parse();

 private:
  [[noreturn]] void fail(int line, const std::string& message) const {
    throw input_error_at(path_, line, message);
  }

  // The next line that has content or a comment-only style note; false at the end.
  bool next_content_line(Line& line) {
    while (next_index_ < raw_lines_.size()) {
      const std::string& raw = raw_lines_[next_index_];
      line.number = static_cast<int>(++next_index_);
      const size_t hash = raw.find('#');
      line.content = trim(raw.substr(0, hash));
      line.comment = hash == std::string::npos ? std::string() : trim(raw.substr(hash + 1));
      if (!line.content.empty())
        return true;
    }
    return false;
  }
  void unread_line() { --next_index_; }

  long long parse_integer(const std::string& word, int line, const char* what) const {
    char* end = nullptr;
    errno = 0;
    const long long value = std::strtoll(word.c_str(), &end, 10);
    if (word.empty() || *end != '\0' || errno == ERANGE) {
      fail(line, "not an integer: '" + word + "' (expected " + what + ")");
    }
    return value;
  }
  double parse_double(const std::string& word, int line, const char* what) const {
    char* end = nullptr;
    errno = 0;
    const double value = std::strtod(word.c_str(), &end);
    if (word.empty() || *end != '\0') {
      fail(line, "not a number: '" + word + "' (expected " + what + ")");
    }
    if (!std::isfinite(value))
      fail(line, "not a finite number: '" + word + "' (" + what + ")");
    return value;
  }

  // An atom ID (1 .. 2^31-1) and an atom type (1 .. n_types) of a section row.
  int parse_atom_id(const std::string& word, int line) const {
    const long long id = parse_integer(word, line, "an atom ID");
    if (id < 1 || id > 2147483647LL) {
      fail(line, "atom IDs must be positive, found " + word);
    }
    return static_cast<int>(id);
  }
  long long parse_atom_type(const std::string& word, int line, int n_types) const {
    const long long type = parse_integer(word, line, "an atom type");
    if (type < 1 || type > n_types) {
      fail(line, "atom type " + word + " is outside 1.." + std::to_string(n_types));
    }
    return type;
  }

  // The stages of parse(): header keywords, then each section by its parser, then the atoms
  // sorted by ID with their velocities.
  void parse_header(LammpsData& data, Line& first_section_line);
  void check_header(const LammpsData& data, int first_section_line) const;
  void read_sections(LammpsData& data, Line keyword);
  // Records the line of a section that may appear once; a second one is an error.
  void claim_section(int& seen_line, const Line& keyword) const;
  void parse_masses(const std::vector<Line>& rows, LammpsData& data) const;
  void check_atom_style(const Line& keyword) const;
  void parse_atoms(const std::vector<Line>& rows, LammpsData& data);
  void parse_velocities(const std::vector<Line>& rows);
  LammpsData sorted_by_id(const LammpsData& data) const;
  void attach_velocities(LammpsData& sorted) const;
  // Reads `count` entry lines of a section into `rows`; stops with a clear error on a section
  // keyword or the end of the file before `count`.
  void read_entries(const std::string& section, long long count, const char* entry_name,
                    int keyword_line, std::vector<Line>& rows);

  std::string path_;
  std::vector<std::string> raw_lines_;
  size_t next_index_ = 1;  // line 1 is the title

  long long n_atoms_ = -1;
  int box_lines_seen_[3] = {0, 0, 0};

  // File line of each section keyword seen (0: not seen).
  int atoms_line_ = 0;
  int velocities_line_ = 0;
  int masses_line_ = 0;
  int coefficient_lines_[3] = {0, 0, 0};  // Pair Coeffs, PairIJ Coeffs, Atom Type Labels
  std::vector<int> row_line_;             // file line of each atom row, for messages after sorting
  struct VelocityRow {
    int id = 0;
    int line = 0;
    std::array<double, 3> value{};
  };
  std::vector<VelocityRow> velocity_rows_;
};

void DataFileParser::parse_header(LammpsData& data, Line& first_section_line) {
  Line line;
  while (next_content_line(line)) {
    const std::vector<std::string> words = split_words(line.content);
    const size_t n = words.size();
    auto count_of = [&](const char* what) {
      const long long value = parse_integer(words[0], line.number, what);
      if (value < 0)
        fail(line.number, std::string(what) + " cannot be negative: " + words[0]);
      return value;
    };
    auto must_be_zero = [&](const std::string& keyword) {
      if (count_of(keyword.c_str()) != 0) {
        fail(line.number,
             "atom_style atomic files have no " + keyword + ", found '" + line.content + "'");
      }
    };
    if (n == 2 && words[1] == "atoms") {
      n_atoms_ = count_of("the number of atoms");
      if (n_atoms_ > 2000000000LL)
        fail(line.number, "too many atoms: " + words[0]);
    } else if (n == 3 && words[1] == "atom" && words[2] == "types") {
      const long long types = count_of("the number of atom types");
      if (types > 1000000)
        fail(line.number, "too many atom types: " + words[0]);
      data.n_types = static_cast<int>(types);
    } else if (n == 2 && (words[1] == "bonds" || words[1] == "angles" || words[1] == "dihedrals" ||
                          words[1] == "impropers" || words[1] == "ellipsoids" ||
                          words[1] == "lines" || words[1] == "triangles" || words[1] == "bodies")) {
      must_be_zero(words[1]);
    } else if (n == 3 && words[2] == "types" &&
               (words[1] == "bond" || words[1] == "angle" || words[1] == "dihedral" ||
                words[1] == "improper")) {
      must_be_zero(words[1] + " types");
    } else if (n == 5 && words[1] == "extra" && words[3] == "per" && words[4] == "atom") {
      must_be_zero("extra " + words[2] + " per atom");
    } else if (n == 4 && ((words[2] == "xlo" && words[3] == "xhi") ||
                          (words[2] == "ylo" && words[3] == "yhi") ||
                          (words[2] == "zlo" && words[3] == "zhi"))) {
      const int axis = words[2][0] - 'x';
      const std::string name = words[2] + " " + words[3];
      data.lo[axis] = parse_double(words[0], line.number, words[2].c_str());
      data.hi[axis] = parse_double(words[1], line.number, words[3].c_str());
      if (!(data.lo[axis] < data.hi[axis])) {
        fail(line.number,
             "box bounds '" + name + "' need lo < hi, found " + words[0] + " " + words[1]);
      }
      box_lines_seen_[axis] = line.number;
    } else if (n == 6 && words[3] == "xy" && words[4] == "xz" && words[5] == "yz") {
      data.xy = parse_double(words[0], line.number, "xy");
      data.xz = parse_double(words[1], line.number, "xz");
      data.yz = parse_double(words[2], line.number, "yz");
      data.triclinic = true;
    } else if (n >= 2 && (words.back() == "avec" || words.back() == "bvec" ||
                          words.back() == "cvec" || words.back() == "origin")) {
      fail(line.number, "general triclinic boxes ('" + words.back() +
                            "') are not supported; write the data file with LAMMPS's "
                            "restricted triclinic convention (xlo xhi ... xy xz yz)");
    } else if (section_of(line.content) != Section::None) {
      first_section_line = line;
      return;
    } else {
      char* end = nullptr;
      std::strtod(words[0].c_str(), &end);
      if (*end == '\0')
        fail(line.number, "unknown header line '" + line.content + "'");
      fail(line.number, "unknown section '" + line.content + "'");
    }
  }
  first_section_line = Line{};
}

void DataFileParser::read_entries(const std::string& section, long long count,
                                  const char* entry_name, int keyword_line,
                                  std::vector<Line>& rows) {
  rows.clear();
  Line line;
  while (static_cast<long long>(rows.size()) < count) {
    if (!next_content_line(line)) {
      fail(keyword_line, "the " + section + " section needs " + std::to_string(count) + " " +
                             entry_name + " lines, the file ended (line " +
                             std::to_string(raw_lines_.size()) + ") after " +
                             std::to_string(rows.size()));
    }
    if (section_of(line.content) != Section::None) {
      fail(line.number, "the " + section + " section (line " + std::to_string(keyword_line) +
                            ") needs " + std::to_string(count) + " " + entry_name +
                            " lines, found " + std::to_string(rows.size()) + " before '" +
                            line.content + "'");
    }
    rows.push_back(line);
  }
  // The next content must be a section keyword; a further row means the header's count is wrong.
  if (next_content_line(line)) {
    unread_line();
    if (section_of(line.content) == Section::None) {
      const std::vector<std::string> words = split_words(line.content);
      char* end = nullptr;
      std::strtod(words[0].c_str(), &end);
      if (*end == '\0') {
        fail(line.number, "the " + section + " section (line " + std::to_string(keyword_line) +
                              ") has more than the " + std::to_string(count) + " " + entry_name +
                              " lines the header declares");
      }
      fail(line.number, "unknown section '" + line.content + "'");
    }
  }
}

LammpsData DataFileParser::parse() {
  LammpsData data;
  if (raw_lines_.empty())
    fail(0, "the data file is empty");
  data.title = raw_lines_[0];

  Line keyword;
  parse_header(data, keyword);
  check_header(data, keyword.number);
  read_sections(data, keyword);
  if (n_atoms_ > 0 && atoms_line_ == 0) {
    fail(0, "missing Atoms section (the header declares " + std::to_string(n_atoms_) + " atoms)");
  }
  LammpsData sorted = sorted_by_id(data);
  if (velocities_line_ != 0)
    attach_velocities(sorted);
  return sorted;
}

void DataFileParser::check_header(const LammpsData& data, int first_section_line) const {
  const char* axis_names[3] = {"xlo xhi", "ylo yhi", "zlo zhi"};
  for (int axis = 0; axis < 3; ++axis) {
    if (box_lines_seen_[axis] == 0) {
      fail(first_section_line, std::string("the header has no '") + axis_names[axis] +
                                   "' line (box bounds are required)");
    }
  }
  if (n_atoms_ < 0)
    fail(first_section_line, "the header has no 'N atoms' line");
  if (n_atoms_ > 0 && data.n_types < 1) {
    fail(first_section_line, "the header has no 'N atom types' line (or says 0 types)");
  }
}

void DataFileParser::claim_section(int& seen_line, const Line& keyword) const {
  if (seen_line != 0) {
    fail(keyword.number, "second " + keyword.content + " section (the first is at line " +
                             std::to_string(seen_line) + ")");
  }
  seen_line = keyword.number;
}

void DataFileParser::read_sections(LammpsData& data, Line keyword) {
  const int n_atoms = static_cast<int>(n_atoms_);
  const int n_types = data.n_types;
  std::vector<Line> rows;
  while (keyword.number != 0) {
    const Section section = section_of(keyword.content);
    const std::string& name = keyword.content;
    const int at = keyword.number;
    switch (section) {
      case Section::Masses:
        claim_section(masses_line_, keyword);
        read_entries(name, n_types, "type mass", at, rows);
        parse_masses(rows, data);
        break;
      case Section::Atoms:
        claim_section(atoms_line_, keyword);
        check_atom_style(keyword);
        read_entries(name, n_atoms, "atom", at, rows);
        parse_atoms(rows, data);
        break;
      case Section::Velocities:
        claim_section(velocities_line_, keyword);
        read_entries(name, n_atoms, "atom velocity", at, rows);
        parse_velocities(rows);
        break;
      case Section::PairCoeffs:
      case Section::PairIJCoeffs:
      case Section::AtomTypeLabels: {
        // They do not change the structure; the potential comes from glassland's own input.
        const int slot = section == Section::PairCoeffs     ? 0
                         : section == Section::PairIJCoeffs ? 1
                                                            : 2;
        claim_section(coefficient_lines_[slot], keyword);
        const long long count = section == Section::PairIJCoeffs
                                    ? static_cast<long long>(n_types) * (n_types + 1) / 2
                                    : n_types;
        read_entries(name, count, "coefficient", at, rows);
        break;
      }
      case Section::Other:
        fail(at, "section '" + name + "' has no place in an atom_style atomic file");
      case Section::None:
        fail(at, "unknown section '" + name + "'");
    }
    if (!next_content_line(keyword))
      break;
    // read_entries has checked that this line is a section keyword.
  }
}

void DataFileParser::parse_masses(const std::vector<Line>& rows, LammpsData& data) const {
  const int n_types = data.n_types;
  data.masses.assign(n_types, 0.0);
  std::vector<int> seen(n_types, 0);
  for (const Line& row : rows) {
    const std::vector<std::string> words = split_words(row.content);
    if (words.size() != 2) {
      fail(row.number, "expected 'type mass', found " + std::to_string(words.size()) + " values");
    }
    const long long type = parse_atom_type(words[0], row.number, n_types);
    if (seen[type - 1] != 0) {
      fail(row.number, "type " + words[0] + " has a mass already (line " +
                           std::to_string(seen[type - 1]) + ")");
    }
    seen[type - 1] = row.number;
    const double mass = parse_double(words[1], row.number, "a mass");
    if (!(mass > 0.0))
      fail(row.number, "a mass must be positive, found " + words[1]);
    data.masses[type - 1] = mass;
  }
}

// "Atoms # style": the comment names the atom style; no comment is taken as atomic.
void DataFileParser::check_atom_style(const Line& keyword) const {
  if (keyword.comment.empty())
    return;
  const std::string style = split_words(keyword.comment)[0];
  if (style != "atomic") {
    fail(keyword.number, "this is an atom_style " + style +
                             " file; glassland reads atom_style atomic ('Atoms # atomic')");
  }
}

void DataFileParser::parse_atoms(const std::vector<Line>& rows, LammpsData& data) {
  const int n_atoms = static_cast<int>(rows.size());
  data.ids.resize(n_atoms);
  data.types.resize(n_atoms);
  data.positions.resize(n_atoms);
  data.images.assign(n_atoms, {0, 0, 0});
  row_line_.resize(n_atoms);
  size_t columns = 0;
  for (int k = 0; k < n_atoms; ++k) {
    const Line& row = rows[k];
    const std::vector<std::string> words = split_words(row.content);
    if (words.size() != 5 && words.size() != 8) {
      fail(row.number,
           "expected 'id type x y z' or 'id type x y z ix iy iz' "
           "(atom_style atomic), found " +
               std::to_string(words.size()) + " values");
    }
    if (columns == 0)
      columns = words.size();
    if (words.size() != columns) {
      fail(row.number, "this row has " + std::to_string(words.size()) +
                           " values but the first Atoms row (line " +
                           std::to_string(rows[0].number) + ") has " + std::to_string(columns));
    }
    data.ids[k] = parse_atom_id(words[0], row.number);
    data.types[k] = static_cast<int>(parse_atom_type(words[1], row.number, data.n_types));
    for (int d = 0; d < 3; ++d) {
      data.positions[k][d] = parse_double(words[2 + d], row.number, "a coordinate");
    }
    if (columns == 8) {
      for (int d = 0; d < 3; ++d) {
        const long long image = parse_integer(words[5 + d], row.number, "an image flag");
        if (image < -1000000000LL || image > 1000000000LL) {
          fail(row.number, "image flag out of range: " + words[5 + d]);
        }
        data.images[k][d] = static_cast<int>(image);
      }
    }
    row_line_[k] = row.number;
  }
}

void DataFileParser::parse_velocities(const std::vector<Line>& rows) {
  for (const Line& row : rows) {
    const std::vector<std::string> words = split_words(row.content);
    if (words.size() != 4) {
      fail(row.number, "expected 'id vx vy vz', found " + std::to_string(words.size()) + " values");
    }
    VelocityRow velocity;
    velocity.id = parse_atom_id(words[0], row.number);
    velocity.line = row.number;
    for (int d = 0; d < 3; ++d)
      velocity.value[d] = parse_double(words[1 + d], row.number, "a velocity");
    velocity_rows_.push_back(velocity);
  }
}

// The atoms in increasing ID order; two rows with one ID are an error naming both lines.
LammpsData DataFileParser::sorted_by_id(const LammpsData& data) const {
  const int n_atoms = static_cast<int>(data.ids.size());
  std::vector<int> order(n_atoms);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](int a, int b) { return data.ids[a] < data.ids[b]; });
  for (int k = 1; k < n_atoms; ++k) {
    if (data.ids[order[k]] == data.ids[order[k - 1]]) {
      const int first = std::min(row_line_[order[k]], row_line_[order[k - 1]]);
      const int second = std::max(row_line_[order[k]], row_line_[order[k - 1]]);
      fail(second, "atom ID " + std::to_string(data.ids[order[k]]) +
                       " appears twice (also at line " + std::to_string(first) + ")");
    }
  }
  LammpsData sorted = data;
  for (int k = 0; k < n_atoms; ++k) {
    sorted.ids[k] = data.ids[order[k]];
    sorted.types[k] = data.types[order[k]];
    sorted.positions[k] = data.positions[order[k]];
    sorted.images[k] = data.images[order[k]];
  }
  return sorted;
}

// Velocities rows matched to the sorted atoms by ID.
void DataFileParser::attach_velocities(LammpsData& sorted) const {
  const int n_atoms = static_cast<int>(sorted.ids.size());
  std::unordered_map<int, int> index_of_id;
  index_of_id.reserve(n_atoms * 2);
  for (int k = 0; k < n_atoms; ++k)
    index_of_id[sorted.ids[k]] = k;
  sorted.velocities.assign(n_atoms, {0.0, 0.0, 0.0});
  std::vector<int> given_at(n_atoms, 0);
  for (const VelocityRow& velocity : velocity_rows_) {
    const auto found = index_of_id.find(velocity.id);
    if (found == index_of_id.end()) {
      fail(velocity.line, "velocity for atom ID " + std::to_string(velocity.id) +
                              ", which is not in the Atoms section");
    }
    if (given_at[found->second] != 0) {
      fail(velocity.line, "second velocity for atom ID " + std::to_string(velocity.id) +
                              " (the first is at line " + std::to_string(given_at[found->second]) +
                              ")");
    }
    given_at[found->second] = velocity.line;
    sorted.velocities[found->second] = velocity.value;
  }
  // As many rows as atoms, all distinct and all known: every atom has its velocity.
}

#if defined(__GNUC__)
// Lets the compiler check the format strings below against their arguments.
void append_format(std::string& out, const char* format, ...) __attribute__((format(printf, 2, 3)));
#endif
void append_format(std::string& out, const char* format, ...) {
  char buffer[512];
  va_list args;
  va_start(args, format);
  const int n = std::vsnprintf(buffer, sizeof buffer, format, args);
  va_end(args);
  out.append(buffer, static_cast<size_t>(std::min<int>(n, sizeof buffer - 1)));
}

}  // namespace

LammpsData read_lammps_data(const std::string& path) {
  DataFileParser parser(path, read_whole_file(path, "data file"));
  return parser.parse();
}

void write_lammps_data(const std::string& path, const LammpsData& data,
                       const LammpsDataWriteOptions& options) {
  const size_t n = data.ids.size();
  if (data.types.size() != n || data.positions.size() != n ||
      (!data.images.empty() && data.images.size() != n) ||
      (!data.velocities.empty() && data.velocities.size() != n)) {
    throw std::logic_error(
        "write_lammps_data: ids, types, positions, images and velocities "
        "of " +
        path + " differ in length");
  }
  if (!data.masses.empty() && static_cast<int>(data.masses.size()) != data.n_types) {
    throw std::logic_error("write_lammps_data: " + path + " has " +
                           std::to_string(data.masses.size()) + " masses for " +
                           std::to_string(data.n_types) + " atom types");
  }
  for (size_t k = 0; k < n; ++k) {
    if (data.types[k] < 1 || data.types[k] > data.n_types) {
      throw std::logic_error("write_lammps_data: atom type " + std::to_string(data.types[k]) +
                             " outside 1.." + std::to_string(data.n_types) + " in " + path);
    }
  }

  std::string out;
  out.reserve(128 + n * 96);
  std::string title = data.title;
  std::replace(title.begin(), title.end(), '\n', ' ');
  std::replace(title.begin(), title.end(), '\r', ' ');
  out += title;
  out += "\n\n";
  append_format(out, "%zu atoms\n%d atom types\n\n", n, data.n_types);
  append_format(out, "%.17g %.17g xlo xhi\n", data.lo[0], data.hi[0]);
  append_format(out, "%.17g %.17g ylo yhi\n", data.lo[1], data.hi[1]);
  append_format(out, "%.17g %.17g zlo zhi\n", data.lo[2], data.hi[2]);
  if (data.triclinic || data.xy != 0.0 || data.xz != 0.0 || data.yz != 0.0) {
    append_format(out, "%.17g %.17g %.17g xy xz yz\n", data.xy, data.xz, data.yz);
  }
  if (!data.masses.empty()) {
    out += "\nMasses\n\n";
    for (int t = 0; t < data.n_types; ++t)
      append_format(out, "%d %.17g\n", t + 1, data.masses[t]);
  }
  out += "\nAtoms # atomic\n\n";
  for (size_t k = 0; k < n; ++k) {
    const auto& x = data.positions[k];
    append_format(out, "%d %d %.17g %.17g %.17g", data.ids[k], data.types[k], x[0], x[1], x[2]);
    if (options.image_flags) {
      const std::array<int, 3> image =
          data.images.empty() ? std::array<int, 3>{0, 0, 0} : data.images[k];
      append_format(out, " %d %d %d", image[0], image[1], image[2]);
    }
    out += '\n';
  }
  if (options.velocities && !data.velocities.empty()) {
    out += "\nVelocities\n\n";
    for (size_t k = 0; k < n; ++k) {
      const auto& v = data.velocities[k];
      append_format(out, "%d %.17g %.17g %.17g\n", data.ids[k], v[0], v[1], v[2]);
    }
  }

  // Whole or not at all, synced to disk (host/io/atomic_file.hpp): a data file is often the
  // result a later task starts from. A path that cannot be created (a missing directory, no
  // permission) is the input's fault; a write or close that fails (disk full, file-size limit) is
  // a FileWriteError, which write_file_atomically names after `path`, not its temporary.
  write_file_atomically(path, [&](const std::string& temporary) {
    std::FILE* file = std::fopen(temporary.c_str(), "wb");
    if (file == nullptr)
      throw InputError(path + ": cannot write the data file (" + std::strerror(errno) + ")");
    const bool written = std::fwrite(out.data(), 1, out.size(), file) == out.size();
    const bool closed = std::fclose(file) == 0;
    if (!written || !closed)
      throw FileWriteError(temporary, std::strerror(errno));
  });
}

}  // namespace glassland
