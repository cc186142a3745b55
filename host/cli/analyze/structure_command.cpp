// `glassland analyze structure FILE… -o OUT.json|OUT.h5` (issue 20 items 5–6; docs/analysis.md):
// the local structure of data files or trajectory frames, averaged over every selected frame of
// every file: partial RDFs as LAMMPS compute rdf normalises them, coordination numbers to the
// first minimum, S(q), Voronoi cells and indices through voro++ with their structural Shannon
// entropy, and (slabs) per-layer profiles of density, composition and coordination along z.
#include <algorithm>
#include <cmath>
#include <map>
#include <memory>

#include "analysis/radial_distribution.hpp"
#include "analysis/shannon_entropy.hpp"
#include "analysis/structure_factor.hpp"
#include "analysis/surface_layers.hpp"
#include "analysis/voronoi_tessellation.hpp"
#include "host/cli/analyze/trajectory_commands.hpp"
#include "host/cli/analyze/trajectory_inputs.hpp"
#include "host/io/input_error.hpp"
#include "host/io/json_hdf5.hpp"

namespace glassland {

namespace {

namespace ga = analysis;
using json = nlohmann::json;

struct StructureOptions {
  TrajectoryOptions trajectory;
  std::size_t rdf_bins = 200;
  double rdf_cutoff = 10.0;
  std::string voronoi = "standard";
  std::vector<std::string> radii;  // "Cu:1.28"
  double face_threshold = 0.0, relative_face_threshold = 0.0, edge_threshold = 0.0;
  bool voronoi_atoms = true;
  double layer_width = 0.0;
  std::vector<double> cn_cutoff;
  std::string output;
};

// Voronoi statistics pooled over frames, per central element.
struct VoronoiTally {
  std::map<std::string, std::map<std::string, double>> counts;  // element → index → cells
  std::map<std::string, double> volume, faces, cells;           // element → sums
  json atoms = json::array();
  std::string atoms_source;
};

// The crystal indices: fcc/hcp ⟨0,12,0,0⟩ and bcc/B2 ⟨0,6,0,8⟩.
bool crystal_like(const std::string& label) {
  return label == "<0,12,0,0>" || label == "<0,6,0,8>";
}

json voronoi_json(const VoronoiTally& t, const StructureOptions& o,
                  const std::map<std::string, double>& radii) {
  json fractions = json::object(), top = json::object(), shannon = json::object(),
       icosahedral = json::object(), crystal = json::object(), volume = json::object(),
       faces = json::object();
  for (const auto& [element, by_index] : t.counts) {
    const double n = t.cells.at(element);
    json f = json::object();
    std::vector<std::pair<double, std::string>> sorted;
    std::vector<double> weights;
    double ico = 0.0, cryst = 0.0;
    for (const auto& [label, count] : by_index) {
      f[label] = count / n;
      sorted.push_back({-count, label});
      weights.push_back(count);
      if (label == "<0,0,12,0>")
        ico += count;
      if (crystal_like(label))
        cryst += count;
    }
    std::sort(sorted.begin(), sorted.end());
    json list = json::array();
    for (std::size_t k = 0; k < sorted.size() && k < 20; ++k)
      list.push_back({{"index", sorted[k].second}, {"fraction", -sorted[k].first / n}});
    const ga::ShannonEntropy s = ga::shannon_entropy(weights);
    fractions[element] = f;
    top[element] = list;
    shannon[element] = {
        {"entropy", s.entropy}, {"diversity", s.diversity}, {"indices", s.categories}};
    icosahedral[element] = ico / n;
    crystal[element] = cryst / n;
    volume[element] = t.volume.at(element) / n;
    faces[element] = t.faces.at(element) / n;
  }
  json v = {{"method", o.voronoi},
            {"face_area_threshold_A2", o.face_threshold},
            {"relative_face_area_threshold", o.relative_face_threshold},
            {"edge_length_threshold_A", o.edge_threshold},
            {"index_fractions", fractions},
            {"top_indices", top},
            {"icosahedral_fraction", icosahedral},
            {"crystal_like_fraction", crystal},
            {"mean_volume_A3", volume},
            {"mean_faces", faces},
            {"shannon", shannon},
            {"shannon_entropy", shannon["all"]["entropy"]}};
  if (!radii.empty())
    v["radii_A"] = radii;
  if (o.voronoi_atoms) {
    v["atoms"] = t.atoms;
    v["atoms_source"] = t.atoms_source;
  }
  return v;
}

std::map<std::string, double> parse_radii(const std::vector<std::string>& items) {
  std::map<std::string, double> radii;
  for (const std::string& item : items) {
    const auto colon = item.find(':');
    char* end = nullptr;
    const double r = colon == std::string::npos ? 0.0 : std::strtod(item.c_str() + colon + 1, &end);
    if (colon == std::string::npos || colon == 0 || *end != '\0' || !(r > 0.0))
      throw InputError("--radii: expected Element:radius such as Cu:1.28, got '" + item + "'");
    radii[item.substr(0, colon)] = r;
  }
  return radii;
}

void tally_voronoi(VoronoiTally& tally, const AtomsFrame& f, const TrajectorySeries& s,
                   const StructureOptions& o, const std::map<std::string, double>& radii) {
  ga::VoronoiSettings settings;
  settings.radical = o.voronoi == "radical";
  settings.face_area_threshold = o.face_threshold;
  settings.relative_face_area_threshold = o.relative_face_threshold;
  settings.edge_length_threshold = o.edge_threshold;
  if (settings.radical) {
    for (int t : f.types) {
      const auto it = radii.find(s.type_names[t - 1]);
      if (it == radii.end())
        throw InputError("--radii: no radius for " + s.type_names[t - 1] +
                         " (radical Voronoi needs one per element, e.g. --radii Cu:1.28 Zr:1.60)");
      settings.radii.push_back(it->second);
    }
  }
  std::vector<ga::VoronoiCell> cells;
  try {
    cells = ga::voronoi_tessellation(f.cell, f.positions, settings);
  } catch (const std::runtime_error& e) {
    throw InputError(s.description + ": frame " + std::to_string(f.index) + ": " + e.what());
  }
  const bool record_atoms = tally.atoms.empty() && o.voronoi_atoms;
  if (record_atoms)
    tally.atoms_source = s.description + ", frame " + std::to_string(f.index);
  for (std::size_t i = 0; i < cells.size(); ++i) {
    const std::string label = ga::voronoi_index_label(cells[i].index);
    for (const std::string& element : {std::string("all"), s.type_names[f.types[i] - 1]}) {
      tally.counts[element][label] += 1.0;
      tally.volume[element] += cells[i].volume;
      tally.faces[element] += cells[i].faces;
      tally.cells[element] += 1.0;
    }
    if (record_atoms)
      tally.atoms.push_back({{"id", f.ids[i]},
                             {"element", s.type_names[f.types[i] - 1]},
                             {"volume_A3", cells[i].volume},
                             {"faces", cells[i].faces},
                             {"index", cells[i].index}});
  }
}

std::string pair_name(const std::vector<std::string>& names, int i, int j) {
  return names[i - 1] + "-" + names[j - 1];
}

// Cutoffs of the per-atom coordination: --cn-cutoff, or the first minima of the frame's partial
// RDFs.
std::vector<double> coordination_cutoffs(const AtomsFrame& f, int n_types,
                                         const StructureOptions& o) {
  if (!o.cn_cutoff.empty())
    return std::vector<double>(n_types * n_types, o.cn_cutoff[0]);
  ga::RadialDistribution rdf(n_types, o.rdf_bins, o.rdf_cutoff);
  rdf.add_frame(f.cell, f.positions, f.types);
  std::vector<double> cutoffs;
  const std::vector<double> r = rdf.bin_centres();
  for (int i = 1; i <= n_types; ++i)
    for (int j = 1; j <= n_types; ++j) {
      const std::size_t b = ga::first_minimum_bin(rdf.g(i, j));
      cutoffs.push_back(b < r.size() ? r[b] : 0.0);
    }
  return cutoffs;
}

void run_structure(const StructureOptions& o) {
  if (o.voronoi == "radical" && o.radii.empty())
    throw InputError("--voronoi radical needs --radii (e.g. --radii Cu:1.28 Zr:1.60)");
  const std::map<std::string, double> radii = parse_radii(o.radii);
  std::vector<TrajectorySeries> all = open_trajectory_series(o.trajectory);
  // Types are pooled over every file: the first frame of each file fixes its count.
  std::unique_ptr<ga::RadialDistribution> rdf;
  std::unique_ptr<ga::LayerProfile> layers;
  std::vector<double> cn_cutoffs;
  VoronoiTally tally;
  int n_types = 0;
  std::vector<std::string> names;
  json sources = json::array();
  std::size_t frames = 0, atoms = 0;
  for (TrajectorySeries& s : all) {
    AtomsFrame f;
    bool first = true;
    while (next_frame(s, f)) {
      if (first) {
        int types = 0;
        for (int t : f.types)
          types = std::max(types, t);
        resolve_types(s, types, o.trajectory, false);
        if (!rdf) {
          n_types = types;
          names = s.type_names;
          rdf = std::make_unique<ga::RadialDistribution>(n_types, o.rdf_bins, o.rdf_cutoff);
          if (o.layer_width > 0.0) {
            layers = std::make_unique<ga::LayerProfile>(n_types, o.layer_width);
            cn_cutoffs = coordination_cutoffs(f, n_types, o);
          }
        } else if (types > n_types || s.type_names != names) {
          throw InputError(s.description + ": its types (" + std::to_string(types) +
                           ") or element names differ from those of the first file; analyse "
                           "such files separately");
        }
        sources.push_back(s.description);
        first = false;
        atoms = f.n_atoms();
      }
      rdf->add_frame(f.cell, f.positions, f.types);
      if (o.voronoi != "none")
        tally_voronoi(tally, f, s, o, radii);
      if (layers)
        layers->add_frame(
            f.cell, f.positions, f.types,
            ga::coordination_numbers(f.cell, f.positions, f.types, n_types, cn_cutoffs));
      ++frames;
    }
  }
  json doc = {{"command", "analyze structure"},
              {"sources", sources},
              {"frames", frames},
              {"atoms", atoms},
              {"elements", names},
              {"number_density_inv_A3", rdf->number_density()}};
  const std::vector<double> r = rdf->bin_centres();
  json g = {{"r_A", r}, {"bins", o.rdf_bins}, {"cutoff_A", o.rdf_cutoff}};
  json cumulative = json::object(), minimum = json::object(), numbers = json::object(),
       totals = json::object();
  for (int i = 1; i <= n_types; ++i) {
    double total = 0.0;
    for (int j = 1; j <= n_types; ++j) {
      const std::vector<double> gij = rdf->g(i, j);
      if (i <= j)
        g[pair_name(names, i, j)] = gij;
      const std::vector<double> n = rdf->coordination(i, j);
      cumulative[pair_name(names, i, j)] = n;
      const std::size_t b = ga::first_minimum_bin(gij);
      minimum[pair_name(names, i, j)] = b < r.size() ? json(r[b]) : json(nullptr);
      numbers[pair_name(names, i, j)] = b < r.size() ? json(n[b]) : json(nullptr);
      total += b < r.size() ? n[b] : 0.0;
    }
    totals[names[i - 1]] = total;
  }
  g["total"] = rdf->total_g();
  doc["rdf"] = g;
  doc["coordination"] = {{"cumulative", cumulative},
                         {"first_minimum_A", minimum},
                         {"numbers", numbers},
                         {"total", totals},
                         {"note",
                          "n_IJ: J neighbours of an I atom within the first minimum of "
                          "g_IJ (LAMMPS's coord column at that bin)"}};
  const ga::StructureFactor sq =
      ga::structure_factor_from_rdf(r, rdf->total_g(), rdf->number_density());
  doc["structure_factor"] = {
      {"q_inv_A", sq.q}, {"s", sq.s}, {"peak_q_inv_A", sq.peak_q}, {"peak_s", sq.peak_s}};
  if (o.voronoi != "none")
    doc["voronoi"] = voronoi_json(tally, o, radii);
  if (layers) {
    json fraction = json::object(), cn = json::object();
    for (int t = 1; t <= n_types; ++t) {
      fraction[names[t - 1]] = layers->fraction(t);
      cn[names[t - 1]] = layers->mean_coordination(t);
    }
    json cut = json::object();
    for (int i = 1; i <= n_types; ++i)
      for (int j = 1; j <= n_types; ++j)
        cut[pair_name(names, i, j)] = cn_cutoffs[(i - 1) * n_types + (j - 1)];
    doc["layers"] = {{"width_A", o.layer_width},
                     {"z_A", layers->z_centres()},
                     {"density_inv_A3", layers->density()},
                     {"atoms_per_frame", layers->atoms_per_frame()},
                     {"fraction", fraction},
                     {"coordination", cn},
                     {"coordination_cutoffs_A", cut}};
  }
  write_result_document(o.output, doc);
}

}  // namespace

void register_analyze_structure(CLI::App& analyze) {
  auto o = std::make_shared<StructureOptions>();
  CLI::App* c = analyze.add_subcommand(
      "structure",
      "Partial RDFs, coordination, S(q), Voronoi indices and layer profiles of data files or "
      "trajectory frames, averaged over the frames");
  add_trajectory_options(c, o->trajectory,
                         "LAMMPS data files, LAMMPS dumps or glassland H5MD trajectories");
  c->add_option("--rdf-bins", o->rdf_bins, "RDF bins")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  c->add_option("--rdf-cutoff", o->rdf_cutoff, "RDF range, Å")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  c->add_option("--voronoi", o->voronoi, "standard, radical (with --radii) or none")
      ->capture_default_str()
      ->check(CLI::IsMember({"standard", "radical", "none"}));
  c->add_option("--radii", o->radii, "radical Voronoi radii, Å: Cu:1.28 Zr:1.60")->expected(1, -1);
  c->add_option("--face-threshold", o->face_threshold,
                "Voronoi faces of at most this area (Å²) are not counted (LAMMPS face_threshold)")
      ->capture_default_str();
  c->add_option("--relative-face-threshold", o->relative_face_threshold,
                "faces below this fraction of the cell's surface are not counted")
      ->capture_default_str();
  c->add_option("--edge-threshold", o->edge_threshold,
                "edges of at most this length (Å) do not count in a face's order (LAMMPS "
                "edge_threshold)")
      ->capture_default_str();
  c->add_flag("!--no-voronoi-atoms", o->voronoi_atoms,
              "leave the per-atom Voronoi cells (of the first frame) out of the output");
  c->add_option("--layers", o->layer_width,
                "slab: profiles of density, composition and coordination in layers of this "
                "width (Å) along z")
      ->check(CLI::PositiveNumber);
  c->add_option("--cn-cutoff", o->cn_cutoff,
                "coordination cutoff of the layer profiles, Å (default: first minima of the "
                "partial RDFs)")
      ->expected(1);
  c->add_option("--output,-o", o->output,
                "result file: .json, or .h5/.hdf5 for HDF5 (default: JSON on stdout)");
  c->callback([o]() { run_structure(*o); });
}

}  // namespace glassland
