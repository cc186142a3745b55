// glassland's result files as tables and thermodynamic records for `glassland analyze`
// (results_files.hpp).
#include "host/cli/analyze/results_files.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "host/io/hdf5_file.hpp"

namespace glassland::analyze_cli {

namespace fs = std::filesystem;

namespace {

std::string number_cell(double v) {
  std::ostringstream s;
  s.precision(17);
  s << v;
  return s.str();
}

// The cells of a dataset (numbers or strings) as text; integers (ART's success and ids, metad's
// steps and flags) as integers, each read as the type it is stored as (hdf5::Dataset refuses
// any other).
std::vector<std::string> dataset_cells(const hdf5::Dataset& d) {
  std::vector<std::string> cells;
  const auto integers = [&](auto stored) {
    for (auto v : d.read<decltype(stored)>())
      cells.push_back(std::to_string(v));
    return cells;
  };
  switch (d.element_type()) {
    case hdf5::ElementType::string:
      return d.read_strings();
    case hdf5::ElementType::other:
      return cells;
    case hdf5::ElementType::int32:
      return integers(std::int32_t{});
    case hdf5::ElementType::int64:
      return integers(std::int64_t{});
    case hdf5::ElementType::uint64:
      return integers(std::uint64_t{});
    case hdf5::ElementType::float64:
      break;
  }
  for (double v : d.read<double>())
    cells.push_back(number_cell(v));
  return cells;
}

// Columns of equal-length 1-D datasets in a group, one row per element; rows whose `flag` column
// is 0 are skipped and counted.
LoadedTable table_of_columns(const std::string& path, const hdf5::Group& group,
                             const std::string& flag, const std::string& shape) {
  LoadedTable out{ga::Table(path), 0, shape};
  std::vector<std::string> names;
  std::vector<std::vector<std::string>> columns;
  for (const std::string& name : group.member_names()) {
    if (group.is_group(name))
      continue;
    const hdf5::Dataset d = group.dataset(name);
    if (d.shape().size() != 1)
      continue;
    std::vector<std::string> cells = dataset_cells(d);
    if (!columns.empty() && cells.size() != columns.front().size())
      throw InputError(path + ": " + group.name() + "/" + name + " has " +
                       std::to_string(cells.size()) + " rows, " + group.name() + "/" +
                       names.front() + " has " + std::to_string(columns.front().size()));
    names.push_back(name);
    columns.push_back(std::move(cells));
  }
  out.table.set_columns(names);
  std::size_t flag_column = names.size();
  for (std::size_t c = 0; c < names.size(); ++c)
    if (names[c] == flag)
      flag_column = c;
  const std::size_t rows = columns.empty() ? 0 : columns.front().size();
  for (std::size_t r = 0; r < rows; ++r) {
    if (flag_column < names.size() && columns[flag_column][r] == "0") {
      ++out.skipped;
      continue;
    }
    std::vector<std::string> cells;
    for (const auto& c : columns)
      cells.push_back(c[r]);
    out.table.add_row(cells, 0, group.name() + "[" + std::to_string(r) + "]");
  }
  return out;
}

// One row per subgroup (metad tracers, NEB bands): its one-element datasets (and those one
// group down, as "group.name"), its attributes `attributes`, and its index `index_name`.
LoadedTable table_of_groups(const std::string& path, const hdf5::Group& parent,
                            const std::string& index_name,
                            const std::vector<std::string>& attributes, const std::string& flag,
                            const std::string& shape) {
  LoadedTable out{ga::Table(path), 0, shape};
  std::vector<std::string> names{index_name};
  std::vector<std::map<std::string, std::string>> records;
  std::vector<std::string> where;
  auto add_name = [&](const std::string& n) {
    if (std::find(names.begin(), names.end(), n) == names.end())
      names.push_back(n);
  };
  std::size_t index = 0;
  for (const std::string& member : parent.member_names()) {
    if (!parent.is_group(member))
      continue;
    const hdf5::Group g = parent.group(member);
    std::map<std::string, std::string> record{{index_name, std::to_string(index++)}};
    auto take = [&](const hdf5::Group& from, const std::string& prefix) {
      for (const std::string& name : from.member_names()) {
        if (from.is_group(name))
          continue;
        const hdf5::Dataset d = from.dataset(name);
        if (d.size() != 1)
          continue;
        const std::vector<std::string> cells = dataset_cells(d);
        if (cells.size() == 1) {
          record[prefix + name] = cells[0];
          add_name(prefix + name);
        }
      }
    };
    take(g, "");
    for (const std::string& sub : g.member_names())
      if (g.is_group(sub))
        take(g.group(sub), sub + ".");
    for (const std::string& a : attributes) {
      if (!g.has_attribute(a))
        continue;
      try {
        record[a] = g.string_attribute(a);
      } catch (const Hdf5Error&) {
        record[a] = number_cell(g.double_attribute(a));
      }
      add_name(a);
    }
    records.push_back(std::move(record));
    where.push_back(g.name());
  }
  out.table.set_columns(names);
  for (std::size_t r = 0; r < records.size(); ++r) {
    const auto it = records[r].find(flag);
    if (it != records[r].end() && it->second == "0") {
      ++out.skipped;
      continue;
    }
    std::vector<std::string> cells;
    for (const std::string& n : names) {
      const auto cell = records[r].find(n);
      cells.push_back(cell == records[r].end() ? "" : cell->second);
    }
    out.table.add_row(cells, 0, where[r]);
  }
  return out;
}

// The thermodynamic record in long form: one row per (record, replica).
LoadedTable thermo_table(const std::string& path) {
  const ThermoRecord t = read_thermo_record(path);
  LoadedTable out{ga::Table(path), 0, "thermodynamic record"};
  std::vector<std::string> names{"replica", "step", "time_ps"};
  for (const auto& [name, values] : t.values)
    names.push_back(name);
  out.table.set_columns(names);
  for (std::size_t k = 0; k < t.records; ++k)
    for (std::size_t r = 0; r < t.replicas; ++r) {
      std::vector<std::string> cells{std::to_string(r), std::to_string(t.steps[k]),
                                     number_cell(t.times[k])};
      for (const auto& [name, values] : t.values)
        cells.push_back(number_cell(values[k * t.replicas + r]));
      out.table.add_row(cells, 0,
                        "observables[" + std::to_string(k) + "][" + std::to_string(r) + "]");
    }
  return out;
}

}  // namespace

bool is_hdf5_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char signature[8] = {};
  in.read(signature, 8);
  return in.gcount() == 8 && std::string(signature, 8) == std::string("\x89HDF\r\n\x1a\n", 8);
}

std::string results_document(const std::string& directory) {
  for (const char* name : {"events.json", "neb.json", "summary.json"}) {
    const fs::path p = fs::path(directory) / name;
    if (fs::is_regular_file(p))
      return p.string();
  }
  throw InputError(directory +
                   ": a directory, but not a glassland results directory (no events.json, "
                   "neb.json or summary.json in it); give the file to read");
}

LoadedTable load_hdf5_table(const std::string& path) {
  hdf5::File file;
  try {
    file = hdf5::File::open_read_only(path);
  } catch (const Hdf5Error& e) {
    throw InputError(path + ": cannot read it as HDF5: " + e.what());
  }
  if (file.is_group("events") && file.exists("events/search_id"))
    return table_of_columns(path, file.group("events"), "success", "ART results");
  if (file.is_group("tracers"))
    return table_of_groups(path, file.group("tracers"), "tracer", {}, "event_found",
                           "metadynamics results");
  if (file.is_group("bands"))
    return table_of_groups(path, file.group("bands"), "band",
                           {"initial", "final", "status", "converged", "iterations", "evaluations",
                            "climbing_image", "max_force_eV_per_A"},
                           "converged", "NEB results");
  if (file.is_group("observables"))
    return thermo_table(path);
  throw InputError(path +
                   ": an HDF5 file without ART events (events/), metadynamics tracers "
                   "(tracers/), NEB bands (bands/) or a thermodynamic record (observables/)");
}

std::vector<double> ThermoRecord::series(const std::string& name, std::size_t replica) const {
  const auto it = values.find(name);
  if (it == values.end()) {
    std::string have;
    for (const auto& [n, v] : values)
      have += (have.empty() ? "" : ", ") + n;
    throw InputError(source + ": no observable '" + name + "' in observables/ (it has " + have +
                     ")");
  }
  std::vector<double> s(records);
  for (std::size_t k = 0; k < records; ++k)
    s[k] = it->second[k * replicas + replica];
  return s;
}

ThermoRecord read_thermo_record(const std::string& path) {
  ThermoRecord t;
  t.source = path;
  try {
    const hdf5::File file = hdf5::File::open_read_only(path);
    if (!file.is_group("observables"))
      throw InputError(path +
                       ": no thermodynamic record (observables/): not the results.h5 of "
                       "an md or prepare run");
    const hdf5::Group obs = file.group("observables");
    for (const std::string& name : obs.member_names()) {
      if (!obs.is_group(name) || !obs.exists(name + "/value"))
        continue;
      const hdf5::Dataset value = obs.dataset(name + "/value");
      const auto shape = value.shape();
      const std::vector<std::int64_t> steps = obs.dataset(name + "/step").read<std::int64_t>();
      if (t.values.empty()) {
        t.steps = steps;
        t.times = obs.dataset(name + "/time").read<double>();
        t.records = steps.size();
        t.replicas = shape.size() == 2 ? shape[1] : 1;
      } else if (steps != t.steps || (shape.size() == 2 ? shape[1] : 1) != t.replicas) {
        throw InputError(path + ": observables/" + name +
                         " has other steps or replicas than the first observable");
      }
      t.values[name] = value.read<double>();
      if (value.has_attribute("unit"))
        t.units[name] = value.string_attribute("unit");
    }
    if (t.values.empty())
      throw InputError(path + ": observables/ holds no series");
    if (file.exists("parameters/effective_configuration"))
      t.effective_configuration =
          file.dataset("parameters/effective_configuration").read_strings().at(0);
  } catch (const Hdf5Error& e) {
    throw InputError(path + ": cannot read its thermodynamic record: " + e.what());
  }
  return t;
}

}  // namespace glassland::analyze_cli
