// Reading tables and writing the JSON answer for the `glassland analyze` sub-commands
// (analyze_io.hpp says which input shapes there are).
#include "host/cli/analyze/analyze_io.hpp"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <utility>
#include <vector>

#include "host/cli/analyze/results_files.hpp"
#include "host/io/atomic_file.hpp"

namespace glassland::analyze_cli {

namespace {

namespace fs = std::filesystem;

std::string read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw InputError(path + ": cannot open the file");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

json parse_json(const std::string& path, const std::string& text) {
  try {
    return json::parse(text);
  } catch (const json::parse_error& e) {
    throw InputError(path + ": not valid JSON: " + e.what());
  }
}

std::string cell_text(const json& v) {
  if (v.is_number()) {
    std::ostringstream s;
    s.precision(17);
    s << v.get<double>();
    return s.str();
  }
  if (v.is_string())
    return v.get<std::string>();
  return v.dump();  // true, false, null, objects: reported as "not a finite number" if used
}

// A record's cells: its primitive values, and those of its objects one level down as
// "object.key" (an NEB band's "art_event.barrier_eV", "metad_tracer.temperature_K").
std::vector<std::pair<std::string, const json*>> record_cells(const json& record) {
  std::vector<std::pair<std::string, const json*>> cells;
  for (const auto& [k, v] : record.items()) {
    if (v.is_primitive())
      cells.push_back({k, &v});
    else if (v.is_object())
      for (const auto& [sub, w] : v.items())
        if (w.is_primitive())
          cells.push_back({k + "." + sub, &w});
  }
  return cells;
}

// The columns of an array of records: every cell of a record (record_cells), in order of first
// appearance; then the top-level arrays named in `per_record` (one value per record, e.g. a
// metadynamics batch's temperature_K with one temperature per tracer), and the scalar keys of the
// enclosing object `top` that no record has, as constants (name, cell text) for every row. A
// record's own key wins over both.
struct RecordColumns {
  std::vector<std::string> names;
  std::vector<std::pair<std::string, std::string>> constants;
  std::vector<std::pair<std::string, const json*>> per_record;  // name, array
};

RecordColumns record_columns(const std::string& source, const json& records,
                             const std::string& array_path, const json* top,
                             const std::vector<std::string>& per_record) {
  RecordColumns out;
  std::set<std::string> known;
  auto add_column = [&](const std::string& k) {
    if (known.insert(k).second)
      out.names.push_back(k);
  };
  for (std::size_t i = 0; i < records.size(); ++i) {
    const json& r = records[i];
    const std::string where = array_path + "[" + std::to_string(i) + "]";
    if (!r.is_object())
      throw InputError(source + ": " + where + ": expected an object with named values, got " +
                       std::string(r.type_name()));
    for (const auto& [k, v] : record_cells(r))
      add_column(k);
  }
  if (!top)
    return out;
  for (const std::string& k : per_record) {
    const auto it = top->find(k);
    if (it == top->end() || !it->is_array() || known.count(k))
      continue;
    if (it->size() != records.size())
      throw InputError(source + ": " + k + " has " + std::to_string(it->size()) +
                       " values, but there are " + std::to_string(records.size()) + " " +
                       array_path + " (one value per record, or one number for all)");
    out.per_record.push_back({k, &*it});
    add_column(k);
  }
  for (const auto& [k, v] : top->items())
    if ((v.is_number() || v.is_string()) && !known.count(k)) {
      out.constants.push_back({k, cell_text(v)});
      add_column(k);
    }
  return out;
}

// Whether a record is left out by its flag (event_found for tracers, success for events).
bool flagged_off(const std::string& source, const json& record, const std::string& where,
                 const std::string& flag_key) {
  if (flag_key.empty() || !record.contains(flag_key))
    return false;
  if (!record[flag_key].is_boolean())
    throw InputError(source + ": " + where + "." + flag_key + ": expected true or false, got " +
                     record[flag_key].dump());
  return !record[flag_key].get<bool>();
}

// Records (an array of objects) plus the per-record arrays and scalar keys of the enclosing
// object (record_columns). flag_key: records whose flag is false are skipped (event_found for
// tracers, success for events, converged for NEB bands).
LoadedTable table_from_records(const std::string& source, const json& records,
                               const std::string& array_path, const json* top,
                               const std::string& flag_key, const std::string& shape,
                               const std::vector<std::string>& per_record = {}) {
  LoadedTable out{ga::Table(source), 0, shape};
  const RecordColumns columns = record_columns(source, records, array_path, top, per_record);
  out.table.set_columns(columns.names);
  for (std::size_t i = 0; i < records.size(); ++i) {
    const json& r = records[i];
    const std::string where = array_path + "[" + std::to_string(i) + "]";
    if (flagged_off(source, r, where, flag_key)) {
      ++out.skipped;
      continue;
    }
    std::map<std::string, std::string> cells_by_name;
    for (const auto& [k, v] : columns.constants)
      cells_by_name[k] = v;
    for (const auto& [k, array] : columns.per_record)
      cells_by_name[k] = cell_text((*array)[i]);
    for (const auto& [k, v] : record_cells(r))
      cells_by_name[k] = cell_text(*v);
    std::vector<std::string> cells;
    for (const auto& c : columns.names)
      cells.push_back(cells_by_name[c]);
    out.table.add_row(cells, 0, where);
  }
  return out;
}

// {"columns": ["a", "b"], "rows": [[1, 2], ...]}.
LoadedTable table_from_columns_and_rows(const std::string& path, const json& doc) {
  LoadedTable out{ga::Table(path), 0, "json table"};
  if (!doc["columns"].is_array() || !doc["rows"].is_array())
    throw InputError(path + ": 'columns' and 'rows' must be arrays");
  std::vector<std::string> cols;
  for (const auto& c : doc["columns"]) {
    if (!c.is_string())
      throw InputError(path + ": columns: expected names (strings)");
    cols.push_back(c.get<std::string>());
  }
  out.table.set_columns(cols);
  for (std::size_t i = 0; i < doc["rows"].size(); ++i) {
    const json& r = doc["rows"][i];
    const std::string where = "rows[" + std::to_string(i) + "]";
    if (!r.is_array())
      throw InputError(path + ": " + where + ": expected an array of cells");
    std::vector<std::string> cells;
    for (const auto& v : r)
      cells.push_back(cell_text(v));
    out.table.add_row(cells, 0, where);
  }
  return out;
}

// Columns as arrays of equal length: {"temperature_K": [...], "barrier_eV": [...]}.
LoadedTable table_from_column_arrays(const std::string& path, const json& doc) {
  LoadedTable out{ga::Table(path), 0, "json columns"};
  std::vector<std::string> cols;
  std::size_t n = 0;
  bool any = false;
  for (const auto& [k, v] : doc.items()) {
    if (!v.is_array())
      continue;
    if (any && v.size() != n)
      throw InputError(path + ": column '" + k + "' has " + std::to_string(v.size()) +
                       " values, the first column has " + std::to_string(n));
    n = v.size();
    any = true;
    cols.push_back(k);
  }
  if (!any)
    throw InputError(path +
                     ": no table found: expected CSV, {\"columns\":[...],\"rows\":[[...]]}, an "
                     "array of records, columns as arrays, a metadynamics summary with "
                     "\"tracers\" or ART results with \"events\"");
  out.table.set_columns(cols);
  for (std::size_t i = 0; i < n; ++i) {
    std::vector<std::string> cells;
    for (const auto& c : cols)
      cells.push_back(cell_text(doc[c][i]));
    out.table.add_row(cells, 0, "[" + std::to_string(i) + "]");
  }
  return out;
}

// The per-tracer quantities a metadynamics batch may give as one array at the top of
// summary.json (one value per tracer) instead of one number for all tracers.
const std::vector<std::string> kPerTracerArrays = {"temperature_K", "pressure_GPa",
                                                   "pressure_bar"};

LoadedTable load_json_table(const std::string& path, const std::string& text) {
  const json doc = parse_json(path, text);
  auto records = [&](const char* key) {
    return doc.is_object() && doc.contains(key) && doc[key].is_array();
  };
  if (records("tracers"))
    return table_from_records(path, doc["tracers"], "tracers", &doc, "event_found",
                              "metadynamics summary", kPerTracerArrays);
  if (records("events"))
    return table_from_records(path, doc["events"], "events", &doc, "success", "ART events");
  if (records("bands"))
    return table_from_records(path, doc["bands"], "bands", &doc, "converged", "NEB results");
  if (records("replicas") && doc.value("task", "") == "prepare")
    return table_from_records(path, doc["replicas"], "replicas", &doc, "", "prepare summary");
  if (doc.is_array())
    return table_from_records(path, doc, "", nullptr, "", "json records");
  if (doc.is_object() && doc.contains("columns") && doc.contains("rows"))
    return table_from_columns_and_rows(path, doc);
  if (doc.is_object())
    return table_from_column_arrays(path, doc);
  throw InputError(path + ": expected a JSON object or array at the top level");
}

}  // namespace

LoadedTable load_table(const std::string& given) {
  const std::string path = fs::is_directory(given) ? results_document(given) : given;
  if (is_hdf5_file(path))
    return load_hdf5_table(path);
  const std::string text = read_text_file(path);
  const auto first = text.find_first_not_of(" \t\r\n");
  const bool json_like = first != std::string::npos && (text[first] == '{' || text[first] == '[');
  const bool json_name = path.size() >= 5 && path.compare(path.size() - 5, 5, ".json") == 0;
  if (json_like || json_name)
    return load_json_table(path, text);
  return {ga::parse_csv(text, path), 0, "csv"};
}

json read_json_file(const std::string& path) {
  return parse_json(path, read_text_file(path));
}

void add_output_option(CLI::App& command, std::string& output) {
  command.add_option("--output,-o", output, "JSON output file (default: stdout)");
}

void emit(const json& doc, const std::string& output) {
  const std::string text = doc.dump(2) + "\n";
  if (output.empty() || output == "-") {
    std::cout << text;
    return;
  }
  write_file_atomically(output, text);
}

}  // namespace glassland::analyze_cli
