#include "host/io/json_hdf5.hpp"

#include <cstdio>
#include <iostream>
#include <limits>

#include "host/io/atomic_file.hpp"
#include "host/io/hdf5_file.hpp"

namespace glassland {

namespace {

using json = nlohmann::json;

bool is_number_or_null(const json& v) {
  return v.is_number() || v.is_null();
}

double as_double(const json& v) {
  return v.is_null() ? std::numeric_limits<double>::quiet_NaN() : v.get<double>();
}

std::string hdf5_name(std::string key) {
  for (char& c : key)
    if (c == '/')
      c = '|';
  return key.empty() ? std::string("_") : key;
}

void write_object(const hdf5::Group& group, const json& object);

void write_array(const hdf5::Group& group, const std::string& name, const json& array) {
  if (array.empty()) {
    group.write(name, std::vector<double>{});
    return;
  }
  bool numbers = true, strings = true, rows = true;
  std::size_t width = array.front().is_array() ? array.front().size() : 0;
  for (const json& v : array) {
    numbers = numbers && is_number_or_null(v);
    strings = strings && v.is_string();
    bool row = v.is_array() && v.size() == width && width > 0;
    for (std::size_t k = 0; row && k < v.size(); ++k)
      row = is_number_or_null(v[k]);
    rows = rows && row;
  }
  if (numbers) {
    std::vector<double> values;
    for (const json& v : array)
      values.push_back(as_double(v));
    group.write(name, values);
  } else if (strings) {
    std::vector<std::string> values;
    for (const json& v : array)
      values.push_back(v.get<std::string>());
    group.write(name, values);
  } else if (rows) {
    std::vector<double> values;
    for (const json& v : array)
      for (const json& x : v)
        values.push_back(as_double(x));
    group.write(name, values, {static_cast<hsize_t>(array.size()), static_cast<hsize_t>(width)});
  } else {
    const hdf5::Group sub = group.create_group(name);
    for (std::size_t k = 0; k < array.size(); ++k) {
      char item[32];
      std::snprintf(item, sizeof item, "%04zu", k);
      if (array[k].is_object()) {
        write_object(sub.create_group(item), array[k]);
      } else if (array[k].is_array()) {
        write_array(sub, item, array[k]);
      } else if (array[k].is_string()) {
        sub.set_attribute(item, array[k].get<std::string>());
      } else if (is_number_or_null(array[k]) || array[k].is_boolean()) {
        sub.set_attribute(
            item, array[k].is_boolean() ? (array[k].get<bool>() ? 1.0 : 0.0) : as_double(array[k]));
      }
    }
  }
}

void write_object(const hdf5::Group& group, const json& object) {
  for (const auto& [key, value] : object.items()) {
    const std::string name = hdf5_name(key);
    if (value.is_object())
      write_object(group.create_group(name), value);
    else if (value.is_array())
      write_array(group, name, value);
    else if (value.is_string())
      group.set_attribute(name, value.get<std::string>());
    else if (value.is_boolean())
      group.set_attribute(name, static_cast<std::int64_t>(value.get<bool>() ? 1 : 0));
    else if (value.is_number_integer())
      group.set_attribute(name, value.get<std::int64_t>());
    else
      group.set_attribute(name, as_double(value));
  }
}

}  // namespace

void write_json_as_hdf5(const std::string& path, const json& document) {
  write_file_atomically(path, [&](const std::string& temporary) {
    hdf5::File file = hdf5::File::create(temporary);
    write_object(file, document);
    file.close();
  });
}

void write_result_document(const std::string& path, const json& document) {
  auto ends_with = [&](const std::string& suffix) {
    return path.size() >= suffix.size() &&
           path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  if (path.empty() || path == "-") {
    std::cout << document.dump(2) << "\n";
  } else if (ends_with(".h5") || ends_with(".hdf5")) {
    write_json_as_hdf5(path, document);
  } else {
    write_file_atomically(path, document.dump(2) + "\n");
  }
}

}  // namespace glassland
