// `glassland analyze entropy`: Shannon entropy and diversity of a numeric column (histogram) or
// of labels such as Voronoi indices, optionally weighted (SPEC.md §6; docs/analyze.md).
#include <cmath>
#include <map>
#include <memory>
#include <vector>

#include "analysis/shannon_entropy.hpp"
#include "host/cli/analyze/analyze_commands.hpp"
#include "host/cli/analyze/analyze_io.hpp"

namespace glassland::analyze_cli {

namespace {

struct EntropyOptions {
  std::string file;
  std::string column;
  std::string weight_column;
  bool categorical = false;
  double bin_width = kNaN;
  double bin_origin = kNaN;
  std::string output;
};

// The entropy of the labels' counts (or summed weights); the categories go into doc.
ga::ShannonEntropy categorical_entropy(const ga::Table& t, const EntropyOptions& o, json& doc) {
  const auto labels = t.strings(o.column);
  std::map<std::string, double> w;
  std::vector<double> weights;
  if (!o.weight_column.empty())
    weights = t.numbers(o.weight_column);
  for (std::size_t r = 0; r < t.rows(); ++r) {
    // A JSON record without the key reads as an empty cell; counting it as the category ""
    // would pass a malformed file off as data.
    if (labels[r].empty())
      throw t.error_at(r, o.column,
                       "no label (a record without the key, or an empty cell); every row "
                       "needs one");
    if (!weights.empty() && weights[r] < 0.0)
      throw t.error_at(r, o.weight_column, "weights must be non-negative");
    w[labels[r]] += weights.empty() ? 1.0 : weights[r];
  }
  std::vector<double> v;
  json cats = json::object();
  for (const auto& [k, c] : w) {
    v.push_back(c);
    cats[k] = c;
  }
  doc["mode"] = "categorical";
  doc["categories"] = cats;
  if (!o.weight_column.empty())
    doc["weight_column"] = o.weight_column;
  return ga::shannon_entropy(v);
}

// The entropy of the histogram of a numeric column; the histogram goes into doc.
ga::ShannonEntropy histogram_entropy(const ga::Table& t, const EntropyOptions& o, json& doc) {
  if (std::isnan(o.bin_width))
    throw InputError("analyze entropy: give --bin-width for a numeric column, or --categorical");
  const ga::Histogram h = ga::make_histogram(t.numbers(o.column), o.bin_width, o.bin_origin);
  doc["mode"] = "histogram";
  doc["bin_width"] = h.bin_width;
  doc["origin"] = h.origin;
  doc["bins"] = h.counts.size();
  doc["counts"] = h.counts;
  return ga::shannon_entropy(h);
}

void run_entropy(const EntropyOptions& o) {
  const LoadedTable lt = load_table(o.file);
  const ga::Table& t = lt.table;
  t.require_rows(1, "a Shannon entropy");
  json doc = {{"command", "analyze entropy"}, {"source", o.file}, {"column", o.column}};
  const ga::ShannonEntropy s =
      o.categorical ? categorical_entropy(t, o, doc) : histogram_entropy(t, o, doc);
  doc["n"] = t.rows();
  doc["occupied"] = s.categories;
  doc["entropy"] = s.entropy;
  doc["diversity"] = s.diversity;
  emit(doc, o.output);
}

}  // namespace

void register_analyze_entropy(CLI::App& analyze) {
  auto o = std::make_shared<EntropyOptions>();
  CLI::App* c = analyze.add_subcommand(
      "entropy", "Shannon entropy and diversity of a numeric column (histogram) or of labels");
  c->add_option("file", o->file, "CSV/JSON table")->required()->check(CLI::ExistingPath);
  c->add_option("--column", o->column, "column to analyse")->required();
  c->add_flag("--categorical", o->categorical,
              "treat the column as labels (e.g. Voronoi indices), one per row");
  c->add_option("--weight-column", o->weight_column,
                "with --categorical: counts or fractions per row instead of one per row");
  c->add_option("--bin-width", o->bin_width, "bin width for a numeric column")
      ->check(CLI::PositiveNumber);
  c->add_option("--bin-origin", o->bin_origin, "left edge of the first bin");
  add_output_option(*c, o->output);
  c->callback([o]() { guarded("entropy", [&] { run_entropy(*o); }); });
}

}  // namespace glassland::analyze_cli
