// CSV tables (analysis/table_reader.hpp): parsing, and error messages that name the file, the
// line, the data row and the column (missing columns, non-numeric cells, too few rows).
#include <gtest/gtest.h>

#include <string>

#include "analysis/table_reader.hpp"

namespace ga = glassland::analysis;

namespace {
// The message of the TableError thrown by f, or "" if none was thrown.
template <class F>
std::string message_of(F&& f) {
  try {
    f();
  } catch (const ga::TableError& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST(TableReader, ParsesHeaderRowsCommentsAndQuotes) {
  const std::string text =
      "# barriers of tracers at 300 K\n"
      "\n"
      "tracer, barrier_eV ,label\n"
      "1, 0.53, \"Cu, first\"\n"
      "# a comment between rows\n"
      "2,1.33,\"say \"\"hi\"\"\"\n";
  const ga::Table t = ga::parse_csv(text, "b.csv");
  ASSERT_EQ(t.columns().size(), 3u);
  EXPECT_EQ(t.columns()[1], "barrier_eV");
  ASSERT_EQ(t.rows(), 2u);
  const auto b = t.numbers("barrier_eV");
  EXPECT_EQ(b[0], 0.53);
  EXPECT_EQ(b[1], 1.33);
  EXPECT_EQ(t.strings("label")[0], "Cu, first");
  EXPECT_EQ(t.strings("label")[1], "say \"hi\"");
  EXPECT_TRUE(t.has_column("tracer"));
  EXPECT_FALSE(t.has_column("Tracer"));
}

TEST(TableReader, MissingColumnNamesFileColumnAndWhatExists) {
  const ga::Table t = ga::parse_csv("temperature_K,dG\n300,0.5\n", "runs.csv");
  const std::string m = message_of([&] { t.numbers("barrier_eV"); });
  EXPECT_EQ(m,
            "runs.csv: column 'barrier_eV': missing column (the table has 'temperature_K', 'dG')");
}

TEST(TableReader, NonNumericCellNamesFileLineRowAndColumn) {
  const ga::Table t =
      ga::parse_csv("# header comment\ntemperature_K,barrier_eV\n300,0.5\n400,abc\n", "runs.csv");
  // Line 4 of the file is data row 2.
  EXPECT_EQ(message_of([&] { t.numbers("barrier_eV"); }),
            "runs.csv:4: row 2, column 'barrier_eV': 'abc' is not a finite number");
  const ga::Table e = ga::parse_csv("a,b\n1,\n", "e.csv");
  EXPECT_EQ(message_of([&] { e.numbers("b"); }),
            "e.csv:2: row 1, column 'b': empty cell, expected a number");
  const ga::Table n = ga::parse_csv("a\nnan\ninf\n1e999\n", "n.csv");
  EXPECT_EQ(message_of([&] { n.number(0, "a"); }),
            "n.csv:2: row 1, column 'a': 'nan' is not a finite number");
  EXPECT_NE(message_of([&] { n.number(1, "a"); }), "");
  EXPECT_NE(message_of([&] { n.number(2, "a"); }), "");
}

TEST(TableReader, RaggedRowsAndBadHeaders) {
  EXPECT_EQ(message_of([] { ga::parse_csv("a,b\n1,2\n3\n", "r.csv"); }),
            "r.csv:3: row 2: has 1 fields but the header has 2");
  EXPECT_EQ(message_of([] { ga::parse_csv("a,a\n1,2\n", "h.csv"); }),
            "h.csv:1: column 'a': column name appears twice in the header");
  EXPECT_EQ(message_of([] { ga::parse_csv("# only a comment\n", "x.csv"); }),
            "x.csv: no header row (the file is empty)");
  EXPECT_EQ(message_of([] { ga::parse_csv("a,b\n\"1,2\n", "q.csv"); }),
            "q.csv:2: row 1: unterminated double quote");
  EXPECT_EQ(message_of([] { ga::read_csv_file("/nonexistent/t.csv"); }),
            "/nonexistent/t.csv: cannot open the file");
}

TEST(TableReader, TooFewRowsForAFit) {
  const ga::Table t = ga::parse_csv("T,dG\n300,0.5\n", "fit.csv");
  EXPECT_EQ(message_of([&] { t.require_rows(2, "a linear fit of dG against T"); }),
            "fit.csv: a linear fit of dG against T needs at least 2 data rows, the table has 1");
  EXPECT_EQ(message_of([&] { t.require_rows(1, "x"); }), "");
}

TEST(TableReader, RowsAddedByAJsonReaderCarryTheirPath) {
  ga::Table t("summary.json");
  t.set_columns({"barrier_eV"});
  t.add_row({"0.5"}, 0, "tracers[0]");
  t.add_row({"true"}, 0, "tracers[1]");
  EXPECT_EQ(message_of([&] { t.numbers("barrier_eV"); }),
            "summary.json: row 2 (tracers[1]), column 'barrier_eV': 'true' is not a finite number");
  EXPECT_EQ(t.error_at(0, "barrier_eV", "negative").what(),
            std::string("summary.json: row 1 (tracers[0]), column 'barrier_eV': negative"));
}

TEST(TableReader, ParseNumber) {
  double v = 0.0;
  EXPECT_TRUE(ga::parse_number(" -2.5e-3 ", v));
  EXPECT_EQ(v, -2.5e-3);
  EXPECT_FALSE(ga::parse_number("1.5eV", v));
  EXPECT_FALSE(ga::parse_number("", v));
  EXPECT_FALSE(ga::parse_number("0x", v));
}
