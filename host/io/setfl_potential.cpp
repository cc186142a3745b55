// Reader for DYNAMO setfl EAM files as LAMMPS reads them for `pair_style eam/alloy` and
// `pair_style eam/fs`.
//
// References:
//   LAMMPS documentation, pair_style eam: https://docs.lammps.org/pair_eam.html
//     (setfl layout: 3 comment lines; "N el1 ... elN"; "Nrho drho Nr dr cutoff"; per element a
//     line "atomic_number mass lattice_constant lattice_type", Nrho values of F(rho) and the
//     density block(s); then r*phi(r) for i = 0..N-1, j = 0..i.)
//   LAMMPS sources src/MANYBODY/pair_eam_alloy.cpp and pair_eam_fs.cpp, read_file(), with
//   utils::PotentialFileReader / TextFileReader (version 29 Sep 2021, Debian's `lammps`):
//     - the first three lines are skipped whatever they hold; LAMMPS checks "UNITS:" there;
//     - after that, '#' starts a comment and blank lines are skipped;
//     - each table is read by next_dvector(): whole lines of whitespace-separated numbers until
//       the count is reached, so a table may spread over any number of lines, and every table
//       starts on a fresh line;
//     - the element line needs exactly N names; the per-element line needs at least atomic
//       number and mass (lattice constant and type are informational).
//
// Where LAMMPS is silent we are stricter, because a silently misread potential is the worst
// kind of error: numbers must be plain decimal floats that consume the whole token (LAMMPS's
// utils::is_double), a table that ends in the middle of a line must not leave numbers behind
// on that line (LAMMPS would drop them), and nothing but comments may follow the last table.
#include "host/io/setfl_potential.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "host/io/input_error.hpp"
#include "host/io/whole_file.hpp"

namespace glassland {

namespace {

bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

// A token of the file: where it is and which line it is on.
struct Token {
  const char* begin = nullptr;
  const char* end = nullptr;
  int line = 0;
  std::string text() const { return std::string(begin, end); }
};

// Walks the file line by line and hands out tokens. Lines 1-3 are taken raw; afterwards the
// LAMMPS TextFileReader rules apply ('#' comments, blank lines skipped).
class SetflScanner {
 public:
  SetflScanner(std::string path, const std::string& text)
      : path_(std::move(path)), cursor_(text.c_str()), end_(text.c_str() + text.size()) {}

  int line() const { return line_; }

  // The next raw line (without its newline); false at the end of the file.
  bool raw_line(std::string& out) {
    if (cursor_ >= end_)
      return false;
    const char* newline = static_cast<const char*>(std::memchr(cursor_, '\n', end_ - cursor_));
    const char* stop = newline != nullptr ? newline : end_;
    out.assign(cursor_, stop);
    if (!out.empty() && out.back() == '\r')
      out.pop_back();
    cursor_ = newline != nullptr ? newline + 1 : end_;
    ++line_;
    return true;
  }

  // Moves to the next line that has at least one token after comment stripping and splits it.
  // Returns false at the end of the file.
  bool content_line(std::vector<Token>& tokens) {
    tokens.clear();
    while (cursor_ < end_) {
      const char* newline = static_cast<const char*>(std::memchr(cursor_, '\n', end_ - cursor_));
      const char* stop = newline != nullptr ? newline : end_;
      const char* hash = static_cast<const char*>(std::memchr(cursor_, '#', stop - cursor_));
      if (hash != nullptr)
        stop = hash;
      ++line_;
      const char* p = cursor_;
      while (p < stop) {
        while (p < stop && is_blank(*p))
          ++p;
        if (p == stop)
          break;
        Token token;
        token.begin = p;
        while (p < stop && !is_blank(*p))
          ++p;
        token.end = p;
        token.line = line_;
        tokens.push_back(token);
      }
      cursor_ = newline != nullptr ? newline + 1 : end_;
      if (!tokens.empty())
        return true;
    }
    return false;
  }

  [[noreturn]] void fail(int line, const std::string& message) const {
    throw input_error_at(path_, line, message);
  }

 private:
  std::string path_;
  const char* cursor_;
  const char* end_;
  int line_ = 0;
};

// LAMMPS utils::is_double accepts only these characters; strtod alone would also take "nan",
// "inf" and hexadecimal floats, which no setfl writer produces on purpose.
bool has_only_decimal_float_chars(const Token& token) {
  for (const char* p = token.begin; p < token.end; ++p) {
    const char c = *p;
    if (!((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-')) {
      return false;
    }
  }
  return true;
}

double parse_double(const SetflScanner& scanner, const Token& token, const char* what) {
  // strtod stops at the first character that cannot continue a number; tokens end at
  // whitespace, '#' or the end of the text, none of which can, so end == token.end exactly when
  // the whole token is one number.
  char* end = nullptr;
  errno = 0;
  const double value = std::strtod(token.begin, &end);
  if (end != token.end || !has_only_decimal_float_chars(token)) {
    scanner.fail(token.line,
                 std::string("not a number: '") + token.text() + "' (expected " + what + ")");
  }
  if (!std::isfinite(value) || (errno == ERANGE && std::fabs(value) > 1.0)) {
    scanner.fail(token.line, std::string("number out of range: '") + token.text() + "' (expected " +
                                 what + ")");
  }
  return value;
}

long parse_integer(const SetflScanner& scanner, const Token& token, const char* what) {
  char* end = nullptr;
  errno = 0;
  const long value = std::strtol(token.begin, &end, 10);
  if (end != token.end || errno == ERANGE) {
    scanner.fail(token.line,
                 std::string("not an integer: '") + token.text() + "' (expected " + what + ")");
  }
  return value;
}

// Reads `count` numbers starting on the next content line, as LAMMPS's next_dvector does.
void read_table(SetflScanner& scanner, int count, const std::string& what,
                std::vector<double>& out) {
  out.clear();
  out.reserve(count);
  std::vector<Token> tokens;
  int first_line = 0;
  while (static_cast<int>(out.size()) < count) {
    if (!scanner.content_line(tokens)) {
      const int line = first_line > 0 ? first_line : scanner.line();
      scanner.fail(line, "expected " + std::to_string(count) + " values of " + what +
                             (first_line > 0 ? " starting here" : "") + ", the file ended (line " +
                             std::to_string(scanner.line()) + ") after " +
                             std::to_string(out.size()));
    }
    if (first_line == 0)
      first_line = tokens.front().line;
    const size_t wanted = count - out.size();
    if (tokens.size() > wanted) {
      scanner.fail(tokens.front().line,
                   "the " + std::to_string(count) + " values of " + what + " (from line " +
                       std::to_string(first_line) + ") end after " + std::to_string(wanted) +
                       " of the " + std::to_string(tokens.size()) +
                       " numbers on this line; LAMMPS would drop the rest, so the table "
                       "sizes in the header do not match the data");
    }
    for (const Token& token : tokens)
      out.push_back(parse_double(scanner, token, what.c_str()));
  }
}

// Line 1 may say "UNITS: <style>"; LAMMPS refuses a potential written for other units.
void check_units(const SetflScanner& scanner, const std::string& first_line) {
  const size_t at = first_line.find("UNITS:");
  if (at == std::string::npos)
    return;
  size_t begin = at + 6;
  while (begin < first_line.size() && is_blank(first_line[begin]))
    ++begin;
  size_t end = begin;
  while (end < first_line.size() && !is_blank(first_line[end]))
    ++end;
  const std::string units = first_line.substr(begin, end - begin);
  if (!units.empty() && units != "metal") {
    scanner.fail(1, "the potential is in '" + units +
                        "' units; glassland uses LAMMPS metal units (eV, Angstrom)");
  }
}

bool ends_with_ignoring_case(const std::string& text, const std::string& suffix) {
  if (text.size() < suffix.size())
    return false;
  for (size_t k = 0; k < suffix.size(); ++k) {
    char c = text[text.size() - suffix.size() + k];
    if (c >= 'A' && c <= 'Z')
      c = static_cast<char>(c - 'A' + 'a');
    if (c != suffix[k])
      return false;
  }
  return true;
}

// Lines 1-3: comments, kept raw; line 1 may name the units.
void read_comment_lines(SetflScanner& scanner, SetflPotential& potential) {
  for (int k = 0; k < 3; ++k) {
    std::string line;
    if (!scanner.raw_line(line)) {
      scanner.fail(scanner.line(),
                   "expected 3 comment lines at the top of the setfl file, the "
                   "file ended after " +
                       std::to_string(k));
    }
    potential.comments.push_back(line);
  }
  check_units(scanner, potential.comments[0]);
}

// Line 4: "N el1 ... elN".
void read_element_line(SetflScanner& scanner, SetflPotential& potential) {
  std::vector<Token> tokens;
  if (!scanner.content_line(tokens)) {
    scanner.fail(scanner.line(), "expected the element line 'N el1 ... elN', the file ended");
  }
  const long n_elements = parse_integer(scanner, tokens[0], "the number of elements");
  if (n_elements < 1) {
    scanner.fail(tokens[0].line,
                 "the number of elements must be at least 1, found " + tokens[0].text());
  }
  if (static_cast<long>(tokens.size()) - 1 != n_elements) {
    scanner.fail(tokens[0].line, "expected " + std::to_string(n_elements) +
                                     " element names after N = " + std::to_string(n_elements) +
                                     ", found " + std::to_string(tokens.size() - 1));
  }
  for (size_t k = 1; k < tokens.size(); ++k) {
    const std::string name = tokens[k].text();
    if (potential.element_index(name) >= 0) {
      scanner.fail(tokens[k].line, "element '" + name + "' is listed twice");
    }
    potential.elements.push_back(name);
  }
}

// Line 5: "Nrho drho Nr dr cutoff".
void read_grid_line(SetflScanner& scanner, SetflPotential& potential) {
  std::vector<Token> tokens;
  if (!scanner.content_line(tokens)) {
    scanner.fail(scanner.line(), "expected the grid line 'Nrho drho Nr dr cutoff', the file ended");
  }
  if (tokens.size() != 5) {
    scanner.fail(tokens[0].line, "expected the 5 numbers 'Nrho drho Nr dr cutoff', found " +
                                     std::to_string(tokens.size()));
  }
  // LAMMPS's cubic interpolation uses a 5-point stencil for the knot derivatives.
  const int min_knots = 5;
  const long nrho = parse_integer(scanner, tokens[0], "Nrho");
  const double drho = parse_double(scanner, tokens[1], "drho");
  const long nr = parse_integer(scanner, tokens[2], "Nr");
  const double dr = parse_double(scanner, tokens[3], "dr");
  const double cutoff = parse_double(scanner, tokens[4], "the cutoff");
  const long max_knots = 100000000;  // a larger table is a corrupt header, not a potential
  if (nrho < min_knots || nrho > max_knots) {
    scanner.fail(tokens[0].line, "Nrho must be between 5 and 1e8, found " + tokens[0].text());
  }
  if (nr < min_knots || nr > max_knots) {
    scanner.fail(tokens[2].line, "Nr must be between 5 and 1e8, found " + tokens[2].text());
  }
  if (!(drho > 0.0))
    scanner.fail(tokens[1].line, "drho must be positive, found " + tokens[1].text());
  if (!(dr > 0.0))
    scanner.fail(tokens[3].line, "dr must be positive, found " + tokens[3].text());
  if (!(cutoff > 0.0)) {
    scanner.fail(tokens[4].line, "the cutoff must be positive, found " + tokens[4].text());
  }
  potential.nrho = static_cast<int>(nrho);
  potential.drho = drho;
  potential.nr = static_cast<int>(nr);
  potential.dr = dr;
  potential.cutoff = cutoff;
}

// Element e's block: "atomic_number mass lattice_constant lattice_type", F(rho), then rho(r)
// (eam/alloy) or one rho(r) per element it contributes density to (eam/fs).
void read_element_block(SetflScanner& scanner, int e, SetflPotential& potential) {
  const int n_elements = potential.n_elements();
  const std::string& name = potential.elements[e];
  std::vector<Token> tokens;
  if (!scanner.content_line(tokens)) {
    scanner.fail(scanner.line(),
                 "expected the line 'atomic_number mass lattice_constant "
                 "lattice_type' of element " +
                     name + ", the file ended");
  }
  if (tokens.size() < 2) {
    scanner.fail(tokens[0].line,
                 "expected 'atomic_number mass lattice_constant lattice_type' "
                 "for element " +
                     name + ", found one value");
  }
  const long atomic_number = parse_integer(scanner, tokens[0], "the atomic number");
  const double mass = parse_double(scanner, tokens[1], "the mass");
  if (!(mass > 0.0)) {
    scanner.fail(tokens[1].line,
                 "the mass of element " + name + " must be positive, found " + tokens[1].text());
  }
  potential.atomic_numbers.push_back(static_cast<int>(atomic_number));
  potential.masses.push_back(mass);
  read_table(scanner, potential.nrho, "F(rho) for element " + name, potential.embedding[e]);
  if (potential.format == SetflFormat::FinnisSinclair) {
    for (int f = 0; f < n_elements; ++f) {
      read_table(scanner, potential.nr,
                 "rho(r) of element " + name + " for element " + potential.elements[f],
                 potential.density[e * n_elements + f]);
    }
  } else {
    read_table(scanner, potential.nr, "rho(r) for element " + name, potential.density[e]);
  }
}

// r*phi(r) for every pair e >= f, in LAMMPS's order.
void read_pair_tables(SetflScanner& scanner, SetflPotential& potential) {
  const int n_elements = potential.n_elements();
  potential.r_times_pair.resize(n_elements * (n_elements + 1) / 2);
  for (int e = 0; e < n_elements; ++e) {
    for (int f = 0; f <= e; ++f) {
      read_table(scanner, potential.nr,
                 "r*phi(r) for " + potential.elements[e] + "-" + potential.elements[f],
                 potential.r_times_pair[e * (e + 1) / 2 + f]);
    }
  }
}

// Only comments may follow the last table; anything else means the header miscounted.
void check_nothing_follows(SetflScanner& scanner, SetflFormat format) {
  std::vector<Token> tokens;
  if (scanner.content_line(tokens)) {
    const bool fs = format == SetflFormat::FinnisSinclair;
    scanner.fail(tokens[0].line,
                 "unexpected content after the last r*phi(r) table: '" + tokens[0].text() +
                     "'; the header's element count or table sizes may be wrong, or this is an "
                     "eam/" +
                     std::string(fs ? "alloy" : "fs") + " file read as eam/" +
                     (fs ? "fs" : "alloy"));
  }
}

}  // namespace

int SetflPotential::element_index(const std::string& name) const {
  for (size_t e = 0; e < elements.size(); ++e) {
    if (elements[e] == name)
      return static_cast<int>(e);
  }
  return -1;
}

SetflPotential read_setfl(const std::string& path, SetflFormat format) {
  const std::string text = read_whole_file(path, "potential file");
  SetflScanner scanner(path, text);
  SetflPotential potential;
  potential.source_file = path;
  potential.format = format;

  read_comment_lines(scanner, potential);
  read_element_line(scanner, potential);
  read_grid_line(scanner, potential);
  const int n_elements = potential.n_elements();
  const bool fs = format == SetflFormat::FinnisSinclair;
  potential.embedding.resize(n_elements);
  potential.density.resize(fs ? n_elements * n_elements : n_elements);
  for (int e = 0; e < n_elements; ++e)
    read_element_block(scanner, e, potential);
  read_pair_tables(scanner, potential);
  check_nothing_follows(scanner, format);
  return potential;
}

SetflFormat setfl_format_from_filename(const std::string& path) {
  if (ends_with_ignoring_case(path, ".fs"))
    return SetflFormat::FinnisSinclair;
  if (ends_with_ignoring_case(path, ".alloy") || ends_with_ignoring_case(path, ".setfl")) {
    return SetflFormat::Alloy;
  }
  throw input_error_at(path, 0,
                       "cannot tell from the name whether this setfl file is eam/fs (name ending "
                       "in .fs) or eam/alloy (.alloy or .setfl); say which format it is");
}

}  // namespace glassland
