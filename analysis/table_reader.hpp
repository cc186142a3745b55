// Tables of named columns for the analysis commands: CSV text with a header row, or rows filled
// in by a JSON reader on the host side (host/cli/analyze/analyze_io.cpp). Every error names the source
// file, the line (CSV) or JSON path of the row, the 1-based data row and the column, so a user
// can go straight to the bad cell.
//
// CSV dialect: comma-separated, first non-blank non-comment line is the header, lines starting
// with '#' and blank lines are skipped, fields are trimmed of spaces and may be double-quoted
// ("" inside quotes is a quote). Numbers are C locale decimals ("1.5", "-2e-3").
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

namespace glassland::analysis {

// An error located in a table. what() is "SOURCE:LINE: row R, column 'C': MESSAGE" (parts that
// are unknown are left out), the compiler layout editors jump to.
class TableError : public std::runtime_error {
 public:
  TableError(const std::string& source, int line, const std::string& location, std::size_t row,
             const std::string& column, const std::string& message);
  const std::string& source() const { return source_; }
  int line() const { return line_; }
  std::size_t row() const { return row_; }
  const std::string& column() const { return column_; }
  const std::string& message() const { return message_; }  // without the location

 private:
  std::string source_;
  int line_;
  std::size_t row_;
  std::string column_;
  std::string message_;
};

class Table {
 public:
  explicit Table(std::string source = "<table>") : source_(std::move(source)) {}

  const std::string& source() const { return source_; }
  const std::vector<std::string>& columns() const { return columns_; }
  std::size_t rows() const { return cells_.size(); }

  void set_columns(std::vector<std::string> names);
  // Append a row with its source line (CSV, 0 if none) and location text (JSON path, may be "").
  void add_row(std::vector<std::string> cells, int line, std::string location = {});

  bool has_column(const std::string& name) const;
  // Index of a column; TableError listing the available columns if it is missing.
  std::size_t column_index(const std::string& name) const;
  const std::string& cell(std::size_t row, std::size_t column) const;
  // The cell as a finite number; TableError naming file, line, row and column otherwise.
  double number(std::size_t row, const std::string& column) const;
  std::vector<double> numbers(const std::string& column) const;
  std::vector<std::string> strings(const std::string& column) const;
  // TableError when the table has fewer than `minimum` data rows, naming `what` needs them.
  void require_rows(std::size_t minimum, const std::string& what) const;
  // An error located at a row (0-based index) and column, for checks made by callers.
  TableError error_at(std::size_t row, const std::string& column, const std::string& message) const;
  TableError error(const std::string& message) const;

 private:
  std::string source_;
  std::vector<std::string> columns_;
  std::vector<std::vector<std::string>> cells_;
  std::vector<int> lines_;
  std::vector<std::string> locations_;
};

Table parse_csv(const std::string& text, const std::string& source);
Table read_csv_file(const std::string& path);

// Parse a whole string as a finite C-locale number; false if it is not one.
bool parse_number(const std::string& text, double& value);

}  // namespace glassland::analysis
