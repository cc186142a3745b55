#include "tests/support/h5md_units.hpp"

#include <gtest/gtest.h>

#include "host/io/h5md_writer.hpp"

namespace glassland::testing {

namespace {

int check_group(const hdf5::File& file, const std::string& path) {
  int checked = 0;
  const hdf5::Group group = path.empty() ? static_cast<const hdf5::Group&>(file) : file.group(path);
  for (const std::string& name : group.member_names()) {
    const std::string child = path + "/" + name;
    if (file.is_group(child)) {
      checked += check_group(file, child);
      continue;
    }
    const hdf5::Dataset dataset = file.dataset(child);
    if (!dataset.has_attribute("unit"))
      continue;
    ++checked;
    const std::string unit = dataset.string_attribute("unit");
    EXPECT_TRUE(is_h5md_unit(unit))
        << file.file_path() << ": " << child << ": unit \"" << unit << "\"";
    EXPECT_EQ(dataset.string_kind("unit"), hdf5::StringKind::variable_ascii)
        << file.file_path() << ": " << child;
  }
  return checked;
}

}  // namespace

int expect_units_follow_h5md(const hdf5::File& file) {
  return check_group(file, "");
}

}  // namespace glassland::testing
