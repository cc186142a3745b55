// libFuzzer target: the CSV table reader of `glassland analyze` (analysis/table_reader.cpp).
// Any text must give a Table or throw TableError.
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "analysis/table_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const glassland::analysis::Table t = glassland::analysis::parse_csv(text, "fuzz.csv");
    for (const auto& column : t.columns()) {
      double value = 0.0;
      (void)glassland::analysis::parse_number(column, value);
    }
  } catch (const glassland::analysis::TableError&) {
  }
  return 0;
}
