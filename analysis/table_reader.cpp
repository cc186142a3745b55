#include "analysis/table_reader.hpp"

#include <cerrno>
#include <clocale>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace glassland::analysis {

namespace {

std::string format_location(const std::string& source, int line, const std::string& location,
                            std::size_t row, const std::string& column, const std::string& msg) {
  std::string s = source;
  if (line > 0)
    s += ":" + std::to_string(line);
  s += ": ";
  if (row > 0) {
    s += "row " + std::to_string(row);
    if (!location.empty())
      s += " (" + location + ")";
    s += column.empty() ? ": " : ", ";
  }
  if (!column.empty())
    s += "column '" + column + "': ";
  return s + msg;
}

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos)
    return {};
  const auto e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

// Split one CSV line into trimmed fields; false on an unterminated quote.
bool split_csv_line(const std::string& line, std::vector<std::string>& fields) {
  fields.clear();
  std::string cur;
  bool quoted = false, was_quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < line.size() && line[i + 1] == '"') {
          cur += '"';
          ++i;
        } else {
          quoted = false;
        }
      } else {
        cur += c;
      }
    } else if (c == '"' && trim(cur).empty()) {  // opening quote (spaces before it dropped)
      cur.clear();
      quoted = was_quoted = true;
    } else if (c == ',') {
      fields.push_back(was_quoted ? cur : trim(cur));
      cur.clear();
      was_quoted = false;
    } else {
      cur += c;
    }
  }
  if (quoted)
    return false;
  fields.push_back(was_quoted ? cur : trim(cur));
  return true;
}

}  // namespace

TableError::TableError(const std::string& source, int line, const std::string& location,
                       std::size_t row, const std::string& column, const std::string& message)
    : std::runtime_error(format_location(source, line, location, row, column, message)),
      source_(source),
      line_(line),
      row_(row),
      column_(column),
      message_(message) {}

bool parse_number(const std::string& text, double& value) {
  const std::string t = trim(text);
  if (t.empty())
    return false;
  // strtod honours the C locale of the process; the program never changes it from "C".
  char* end = nullptr;
  errno = 0;
  const double v = std::strtod(t.c_str(), &end);
  if (end != t.c_str() + t.size() || errno == ERANGE || !std::isfinite(v))
    return false;
  value = v;
  return true;
}

void Table::set_columns(std::vector<std::string> names) {
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i].empty())
      throw TableError(source_, 0, "", 0, "",
                       "header column " + std::to_string(i + 1) + " has no name");
    for (std::size_t j = 0; j < i; ++j)
      if (names[j] == names[i])
        throw TableError(source_, 0, "", 0, names[i], "column name appears twice in the header");
  }
  columns_ = std::move(names);
}

void Table::add_row(std::vector<std::string> cells, int line, std::string location) {
  if (cells.size() != columns_.size())
    throw TableError(source_, line, location, cells_.size() + 1, "",
                     "has " + std::to_string(cells.size()) + " fields but the header has " +
                         std::to_string(columns_.size()));
  cells_.push_back(std::move(cells));
  lines_.push_back(line);
  locations_.push_back(std::move(location));
}

bool Table::has_column(const std::string& name) const {
  for (const auto& c : columns_)
    if (c == name)
      return true;
  return false;
}

std::size_t Table::column_index(const std::string& name) const {
  for (std::size_t i = 0; i < columns_.size(); ++i)
    if (columns_[i] == name)
      return i;
  std::string have;
  for (const auto& c : columns_)
    have += (have.empty() ? "'" : ", '") + c + "'";
  throw TableError(source_, 0, "", 0, name,
                   "missing column (the table has " + (have.empty() ? "no columns" : have) + ")");
}

const std::string& Table::cell(std::size_t row, std::size_t column) const {
  return cells_.at(row).at(column);
}

TableError Table::error_at(std::size_t row, const std::string& column,
                           const std::string& message) const {
  return TableError(source_, lines_.at(row), locations_.at(row), row + 1, column, message);
}

TableError Table::error(const std::string& message) const {
  return TableError(source_, 0, "", 0, "", message);
}

double Table::number(std::size_t row, const std::string& column) const {
  const std::size_t c = column_index(column);
  const std::string& text = cell(row, c);
  double v;
  if (!parse_number(text, v))
    throw error_at(
        row, column,
        text.empty() ? "empty cell, expected a number" : "'" + text + "' is not a finite number");
  return v;
}

std::vector<double> Table::numbers(const std::string& column) const {
  column_index(column);  // a missing column is reported even for an empty table
  std::vector<double> v(rows());
  for (std::size_t r = 0; r < rows(); ++r)
    v[r] = number(r, column);
  return v;
}

std::vector<std::string> Table::strings(const std::string& column) const {
  const std::size_t c = column_index(column);
  std::vector<std::string> v(rows());
  for (std::size_t r = 0; r < rows(); ++r)
    v[r] = cell(r, c);
  return v;
}

void Table::require_rows(std::size_t minimum, const std::string& what) const {
  if (rows() < minimum)
    throw TableError(source_, 0, "", 0, "",
                     what + " needs at least " + std::to_string(minimum) + " data row" +
                         (minimum == 1 ? "" : "s") + ", the table has " + std::to_string(rows()));
}

Table parse_csv(const std::string& text, const std::string& source) {
  Table table(source);
  std::istringstream in(text);
  std::string line;
  int line_no = 0;
  bool have_header = false;
  std::vector<std::string> fields;
  while (std::getline(in, line)) {
    ++line_no;
    const std::string t = trim(line);
    if (t.empty() || t[0] == '#')
      continue;
    if (!split_csv_line(line, fields))
      throw TableError(source, line_no, "", have_header ? table.rows() + 1 : 0, "",
                       "unterminated double quote");
    if (!have_header) {
      try {
        table.set_columns(fields);
      } catch (const TableError& e) {
        throw TableError(source, line_no, "", 0, e.column(), e.message());
      }
      have_header = true;
    } else {
      table.add_row(fields, line_no);
    }
  }
  if (!have_header)
    throw TableError(source, 0, "", 0, "", "no header row (the file is empty)");
  return table;
}

Table read_csv_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw TableError(path, 0, "", 0, "", "cannot open the file");
  std::ostringstream ss;
  ss << in.rdbuf();
  return parse_csv(ss.str(), path);
}

}  // namespace glassland::analysis
