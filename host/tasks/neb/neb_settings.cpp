#include "host/tasks/neb/neb_settings.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>

#include "host/io/batch_io.hpp"
#include "host/io/input_error.hpp"
#include "host/io/physical_ranges.hpp"
#include "saddle/jump_neb.hpp"

namespace glassland {

namespace fs = std::filesystem;

void check_endpoint_pair(const std::string& initial_path, const std::string& final_path,
                         const LammpsData& initial, const LammpsData& final_state) {
  const std::string which = "\"" + initial_path + "\" and \"" + final_path + "\"";
  if (initial.ids != final_state.ids)
    throw InputError("neb: endpoints " + which + " do not hold the same atom IDs");
  if (initial.types != final_state.types)
    throw InputError("neb: endpoints " + which + " give some atom IDs different types");
  bool same_box = std::abs(initial.xy - final_state.xy) <= 1e-9 &&
                  std::abs(initial.xz - final_state.xz) <= 1e-9 &&
                  std::abs(initial.yz - final_state.yz) <= 1e-9;
  for (int k = 0; k < 3; ++k)
    same_box = same_box && std::abs(initial.lo[k] - final_state.lo[k]) <= 1e-9 &&
               std::abs(initial.hi[k] - final_state.hi[k]) <= 1e-9;
  if (!same_box)
    throw InputError("neb: endpoints " + which + " have different boxes");
}

void check_endpoints_differ(const std::string& initial_path, const std::string& final_path,
                            const LammpsData& initial, const LammpsData& final_state) {
  const std::string which = "\"" + initial_path + "\" and \"" + final_path + "\"";
  // Identical endpoints make a band of one state: it "converges" at once with barrier 0.
  const Box box = box_from_data(initial);
  double largest = 0.0;
  for (int i = 0; i < initial.n_atoms(); ++i) {
    double d[3];
    for (int k = 0; k < 3; ++k)
      d[k] = final_state.positions[i][k] - initial.positions[i][k];
    box.minimum_image(d);
    largest = std::max(largest, std::sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]));
  }
  if (!(largest >= kMinEndpointSeparation)) {
    char moved[64];
    std::snprintf(moved, sizeof moved, "%.3g", largest);
    throw InputError("neb: endpoints " + which + " are the same state (no atom moves more than " +
                     moved + " Å between them): a band needs two different states");
  }
}

namespace {

// Pairs named NAME_initial.data / NAME_final.data in `directory`, in name order. An initial
// state without its final state is an error (a silently dropped band would look like a
// complete run).
std::vector<EndpointPair> pairs_in_directory(InputObject& section, const std::string& directory) {
  if (!fs::is_directory(directory))
    throw section.error("directory", "\"" + directory + "\" is not a directory");
  const std::string initial_suffix = "_initial.data";
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(directory)) {
    const std::string name = entry.path().filename().string();
    if (name.size() > initial_suffix.size() &&
        name.compare(name.size() - initial_suffix.size(), initial_suffix.size(), initial_suffix) ==
            0)
      names.push_back(name.substr(0, name.size() - initial_suffix.size()));
  }
  std::sort(names.begin(), names.end());
  std::vector<EndpointPair> pairs;
  for (const auto& name : names) {
    const fs::path initial = fs::path(directory) / (name + initial_suffix);
    const fs::path final_state = fs::path(directory) / (name + "_final.data");
    if (!fs::exists(final_state))
      throw section.error("directory", "\"" + initial.string() + "\" has no final state \"" +
                                           final_state.string() + "\"");
    pairs.push_back(
        {initial.string(), final_state.string(), nlohmann::json::object(), nullptr, nullptr});
  }
  if (pairs.empty())
    throw section.error("directory", "no *_initial.data files in \"" + directory + "\"");
  return pairs;
}

// One band per successful event of a `task: art` events.json that has structure files
// ("files": {"initial", "saddle", "final"}, relative to the events.json directory). The file is
// {"events": [...]} or the list itself. Successful events without files (write_structures off)
// are counted and reported, not silently dropped; no usable event at all is an error.
std::vector<EndpointPair> pairs_from_art_events(InputObject& section, const std::string& path,
                                                bool duplicates) {
  std::ifstream in(path);
  if (!in)
    throw section.error("art_events", "cannot read \"" + path + "\"");
  nlohmann::json document;
  try {
    document = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    throw section.error("art_events", "\"" + path + "\" is not valid JSON: " + e.what());
  }
  const nlohmann::json* events = nullptr;
  if (document.is_array())
    events = &document;
  else if (document.is_object() && document.contains("events") && document["events"].is_array())
    events = &document["events"];
  if (events == nullptr)
    throw section.error("art_events", "\"" + path + "\" holds no \"events\" list");
  const fs::path base = fs::path(path).parent_path();
  auto resolve = [&](const nlohmann::json& file, size_t k, const char* which) {
    if (!file.is_string())
      throw section.error("art_events", "\"" + path + "\" event " + std::to_string(k) + ": files." +
                                            which + " is not a file name");
    const fs::path name = file.get<std::string>();
    return (name.is_absolute() ? name : base / name).string();
  };
  std::vector<EndpointPair> pairs;
  int failed = 0, without_files = 0, duplicate = 0;
  for (size_t k = 0; k < events->size(); ++k) {
    const nlohmann::json& event = (*events)[k];
    if (!event.is_object())
      throw section.error("art_events",
                          "\"" + path + "\" event " + std::to_string(k) + " is not an object");
    const auto success = event.find("success");
    if (success == event.end() || !success->is_boolean() || !success->get<bool>()) {
      ++failed;
      continue;
    }
    const auto files = event.find("files");
    if (files == event.end() || !files->is_object() || !files->contains("initial") ||
        !files->contains("final")) {
      ++without_files;
      continue;
    }
    // ART marks every event of a group of equal saddles with the search id of the group's first
    // event ("duplicate_of"); one band per saddle unless duplicates are asked for.
    const auto first = event.find("duplicate_of");
    const auto search_id = event.find("search_id");
    if (!duplicates && first != event.end() && search_id != event.end() && *first != *search_id) {
      ++duplicate;
      continue;
    }
    EndpointPair pair;
    pair.initial = resolve((*files)["initial"], k, "initial");
    pair.final_state = resolve((*files)["final"], k, "final");
    nlohmann::json origin = {{"index", k}};
    for (const char* key : {"search_id", "barrier_eV", "count", "duplicate_of"})
      if (event.contains(key))
        origin[key] = event[key];
    if (files->contains("saddle"))
      origin["saddle"] = resolve((*files)["saddle"], k, "saddle");
    pair.record["art_event"] = origin;
    pairs.push_back(std::move(pair));
  }
  if (duplicate > 0)
    std::fprintf(stderr,
                 "neb: %d event(s) in %s repeat an earlier saddle (duplicate_of); no band for "
                 "them (neb.art_duplicates: true makes them)\n",
                 duplicate, path.c_str());
  if (without_files > 0)
    std::fprintf(stderr,
                 "neb: %d successful event(s) in %s have no structure files (run the ART task "
                 "with write_structures on); no band for them\n",
                 without_files, path.c_str());
  if (pairs.empty())
    throw section.error("art_events", "\"" + path + "\" has no successful event with \"files\" (" +
                                          std::to_string(failed) + " unsuccessful, " +
                                          std::to_string(duplicate) + " duplicates, " +
                                          std::to_string(without_files) +
                                          " without files): run the ART task with "
                                          "write_structures on");
  return pairs;
}

// The temperature (or pressure) of tracer i of a metadynamics summary: its own key, else the
// summary's number for all tracers or its array's element i; null when absent.
nlohmann::json tracer_condition(const nlohmann::json& summary, const nlohmann::json& tracer,
                                size_t i, const char* key) {
  if (tracer.contains(key))
    return tracer[key];
  const auto top = summary.find(key);
  if (top == summary.end())
    return nullptr;
  if (top->is_array())
    return i < top->size() ? (*top)[i] : nlohmann::json(nullptr);
  return *top;
}

// One band per tracer of a `task: metad` results directory whose event has its inherent
// structures written (structures/tracer_NNNN_{initial,final}.data, NNNN the tracer's index in
// summary.json). Tracers without an event are counted, not banded; an event without structure
// files (a metad run from before they were written) is reported; no band at all is an error.
std::vector<EndpointPair> pairs_from_metad(InputObject& section, const std::string& directory) {
  const fs::path summary_path = fs::path(directory) / "summary.json";
  std::ifstream in(summary_path);
  if (!in)
    throw section.error("metad", "\"" + directory +
                                     "\" has no summary.json: give the output directory of a "
                                     "metad run");
  nlohmann::json summary;
  try {
    summary = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    throw section.error("metad",
                        "\"" + summary_path.string() + "\" is not valid JSON: " + e.what());
  }
  if (!summary.is_object() || !summary.contains("tracers") || !summary["tracers"].is_array())
    throw section.error("metad", "\"" + summary_path.string() +
                                     "\" holds no \"tracers\" list: not a metad summary");
  std::vector<EndpointPair> pairs;
  int without_event = 0, without_files = 0;
  const nlohmann::json& tracers = summary["tracers"];
  for (size_t i = 0; i < tracers.size(); ++i) {
    const nlohmann::json& t = tracers[i];
    if (!t.is_object() || !t.value("event_found", false)) {
      ++without_event;
      continue;
    }
    char stem[64];
    std::snprintf(stem, sizeof stem, "structures/tracer_%04zu", i);
    const fs::path initial = fs::path(directory) / (std::string(stem) + "_initial.data");
    const fs::path final_state = fs::path(directory) / (std::string(stem) + "_final.data");
    if (!fs::is_regular_file(initial) || !fs::is_regular_file(final_state)) {
      ++without_files;
      continue;
    }
    EndpointPair pair;
    pair.initial = initial.string();
    pair.final_state = final_state.string();
    nlohmann::json origin = {{"tracer", i}};
    for (const char* key : {"atom_id", "species", "barrier_eV", "hop_distance_A", "rate_per_s"})
      if (t.contains(key))
        origin[key] = t[key];
    for (const char* key : {"temperature_K", "pressure_GPa", "pressure_bar"}) {
      const nlohmann::json value = tracer_condition(summary, t, i, key);
      if (!value.is_null())
        origin[key] = value;
    }
    pair.record["metad_tracer"] = origin;
    pairs.push_back(std::move(pair));
  }
  if (without_files > 0)
    std::fprintf(stderr,
                 "neb: %d tracer event(s) in %s have no inherent-structure files (a metad run "
                 "from before they were written); no band for them\n",
                 without_files, summary_path.string().c_str());
  if (pairs.empty())
    throw section.error("metad", "\"" + summary_path.string() +
                                     "\" has no tracer event with "
                                     "inherent structures (" +
                                     std::to_string(without_event) + " tracers without an event, " +
                                     std::to_string(without_files) +
                                     " events without files): nothing to band");
  return pairs;
}

// Jump NEB (paper 002, saddle/jump_neb.hpp): one band per atom displaced by more than
// jump_distance between two inherent structures, from the initial IS to a final state where
// only the atoms within neighbourhood_radius of the jumper's final position have moved.
std::vector<EndpointPair> pairs_from_jumps(InputObject& jumps) {
  const std::string initial_path =
      jumps.path("initial", required, "initial inherent structure (LAMMPS data file)");
  const std::string final_path = jumps.path(
      "final", required, "final inherent structure: the same atoms in the same box, later");
  JumpSettings settings;
  settings.jump_threshold = jumps.number(
      "jump_distance", 1.8, "Å",
      "atoms displaced by more than this between the two structures (minimum image) jumped",
      NumberRange::positive());
  settings.sphere_radius =
      jumps.number("neighbourhood_radius", 5.0, "Å",
                   "atoms within this distance of the jumper's final position take their final "
                   "positions in its band's final state; all others keep their initial ones",
                   NumberRange::positive());
  auto initial = std::make_shared<const LammpsData>(read_lammps_data(initial_path));
  const LammpsData final_is = read_lammps_data(final_path);
  check_endpoint_pair(initial_path, final_path, *initial, final_is);
  std::vector<double> initial_positions, final_positions;
  for (int i = 0; i < initial->n_atoms(); ++i)
    for (int k = 0; k < 3; ++k) {
      initial_positions.push_back(initial->positions[i][k]);
      final_positions.push_back(final_is.positions[i][k]);
    }
  const std::vector<JumpBand> found =
      find_jump_bands(initial_positions, final_positions, box_from_data(*initial), settings);
  if (found.empty()) {
    char message[256];
    std::snprintf(message, sizeof message,
                  "no atom moved more than %g Å between the two structures: no jump, no band "
                  "(check the files or lower neb.jumps.jump_distance)",
                  settings.jump_threshold);
    throw jumps.error("jump_distance", message);
  }
  std::vector<EndpointPair> pairs;
  for (const JumpBand& jump : found) {
    EndpointPair pair;
    pair.initial = initial_path;
    pair.final_state = final_path;
    pair.initial_data = initial;
    auto final_state = std::make_shared<LammpsData>(*initial);
    for (int i = 0; i < initial->n_atoms(); ++i)
      for (int k = 0; k < 3; ++k)
        final_state->positions[i][k] = jump.final_positions[3 * i + k];
    final_state->velocities.clear();
    pair.final_data = final_state;
    pair.record["jump"] = {{"atom_id", initial->ids[jump.jumping_atom]},
                           {"atom_index", jump.jumping_atom},
                           {"displacement_A", jump.displacement},
                           {"moved_atoms", jump.moved_atoms}};
    pairs.push_back(std::move(pair));
  }
  return pairs;
}

ShearTaskSettings read_shear_settings(InputObject& shear) {
  ShearTaskSettings s;
  s.enabled = true;
  s.strains = shear.numbers(
      "gamma_xy", required, "",
      "affine shear strains γ_xy applied to every converged band (each from the unstrained band)",
      LengthRange::at_least(1), strain_range());
  s.minimize_endpoints = shear.boolean("minimize_endpoints", true,
                                       "re-minimise the strained endpoints before re-converging");
  s.reinterpolate = shear.boolean(
      "reinterpolate", false,
      "restart from the linear path between the strained endpoints instead of the strained band");
  s.hump_prominence = shear.number(
      "hump_prominence", 1e-3, "eV",
      "wiggles below this do not count as extra humps when deciding whether a band is lost",
      NumberRange::non_negative());
  s.bin_width = shear.number("bin_width", 0.05, "eV", "bin width of the barrier histograms",
                             NumberRange::positive());
  s.resamples = static_cast<int>(shear.integer(
      "bootstrap_resamples", 1000, "", "bootstrap resamples for the errors of the peak positions",
      IntegerRange::closed(2, 1000000)));
  s.seed = static_cast<std::uint64_t>(shear.integer("bootstrap_seed", 20211119, "",
                                                    "seed of the bootstrap resampling",
                                                    IntegerRange::non_negative()));
  return s;
}

}  // namespace

NebTaskSettings read_neb_settings(InputObject& section) {
  NebTaskSettings s;
  std::vector<InputObject> listed = section.objects(
      "pairs", "endpoint pairs, one band each: [{\"initial\": FILE, \"final\": FILE}, ...]");
  const std::string directory = section.path(
      "directory", "", "directory of pairs NAME_initial.data / NAME_final.data (instead of pairs)");
  const std::string art_events = section.path(
      "art_events", "", "events.json of task art: one band per successful event with files");
  std::optional<InputObject> jumps = section.optional_object(
      "jumps", "jump NEB between two inherent structures: one band per jumping atom");
  const std::string metad = section.path(
      "metad", "",
      "output directory of task metad: one band per tracer event, between the inherent "
      "structures before and after it");
  const int sources = (listed.empty() ? 0 : 1) + (directory.empty() ? 0 : 1) +
                      (art_events.empty() ? 0 : 1) + (jumps ? 1 : 0) + (metad.empty() ? 0 : 1);
  if (sources != 1)
    throw section.error("pairs",
                        "give exactly one of \"pairs\" (a list of {\"initial\", \"final\"} data "
                        "files), \"directory\" (NAME_initial.data / NAME_final.data files), "
                        "\"art_events\" (an ART events.json), \"jumps\" (two inherent "
                        "structures) or \"metad\" (a metad output directory)");
  for (InputObject& pair : listed)
    s.pairs.push_back({pair.path("initial", required, "initial-state LAMMPS data file"),
                       pair.path("final", required, "final-state LAMMPS data file"),
                       nlohmann::json::object(), nullptr, nullptr});
  if (!directory.empty())
    s.pairs = pairs_in_directory(section, directory);
  const bool art_duplicates = section.boolean(
      "art_duplicates", false,
      "art_events: also a band for every event that repeats an earlier saddle (duplicate_of)");
  if (!art_events.empty())
    s.pairs = pairs_from_art_events(section, art_events, art_duplicates);
  if (jumps)
    s.pairs = pairs_from_jumps(*jumps);
  if (!metad.empty())
    s.pairs = pairs_from_metad(section, metad);

  s.n_images = static_cast<int>(section.integer(
      "images", 7, "", "images per band M, the two fixed endpoints included (M − 2 move)",
      IntegerRange::closed(3, 1000)));
  s.neb.spring_constant =
      section.number("spring", 1.0, "eV/Å²",
                     "spring constant (LAMMPS fix neb Kspring); k_max when energy-weighted",
                     NumberRange::positive());
  s.neb.energy_weighted_springs =
      section.boolean("energy_weighted", false, "energy-weighted springs (k_min … k_max)");
  s.neb.spring_constant_min = section.number(
      "spring_min", 0.1, "eV/Å²", "k_min of the energy-weighted springs", NumberRange::positive());
  if (s.neb.energy_weighted_springs && s.neb.spring_constant_min > s.neb.spring_constant)
    throw section.error("spring_min", "must not exceed neb.spring (k_max) with energy_weighted");
  s.neb.climbing = section.boolean("climbing", true, "climbing image on the highest image");
  s.neb.climb_after_iterations = static_cast<int>(section.integer(
      "climb_after", 1000, "", "plain-NEB iterations after which the climbing image switches on",
      IntegerRange::non_negative()));
  s.neb.climb_force_threshold = section.number(
      "climb_below", 0.005, "eV/Å",
      "climbing switches on earlier, as soon as the band's largest NEB atomic force is below "
      "this (the plain band relaxed first, as LAMMPS's two-stage neb)",
      NumberRange::non_negative());
  s.neb.force_tolerance = section.number(
      "tolerance", 0.01, "eV/Å",
      "converged when the largest perpendicular atomic force on every intermediate image (full "
      "force on the climbing image) is below this",
      NumberRange::positive());
  s.neb.max_iterations = static_cast<int>(section.integer(
      "max_iterations", 10000, "", "iteration cap per band; reaching it is reported",
      IntegerRange::closed(1, INT32_MAX)));
  s.neb.lammps_step_rule =
      section.choice("step_rule", "lammps", {"lammps", "scaled"},
                     "how max_displacement limits a FIRE step of a band: lammps (min_fire: the "
                     "time step shortened, half step back) or scaled (the displacement scaled, "
                     "the rule before issue 16)") == "lammps";
  s.neb.max_displacement =
      section.number("max_displacement", 0.1, "Å",
                     "largest coordinate change of one FIRE step over a whole band (LAMMPS dmax)",
                     NumberRange::positive());
  s.neb.optimizer =
      section.choice("optimizer", "fire", {"fire", "quickmin"},
                     "the band's damped dynamics: fire (FIRE 2.0) or quickmin (LAMMPS min_style "
                     "quickmin: velocity projected on the force, fixed time step; slower, but "
                     "converged bands FIRE let run away: docs/neb.md)") == "quickmin"
          ? FireMethod::quickmin
          : FireMethod::fire2;
  s.neb.quickmin_timestep = section.number(
      "timestep", 0.002, "ps", "quickmin's fixed time step (LAMMPS timestep; unused by fire)",
      NumberRange::positive());
  s.interpolation = section.choice("interpolation", "linear", {"linear", "idpp"},
                                   "initial path: linear (minimum image) or IDPP");
  s.idpp.force_tolerance = section.number(
      "idpp_tolerance", 0.1, "",
      "IDPP relaxation: largest NEB force on S, in S's units per Å (ASE's fmax, 0.1 by default; "
      "a local hop's linear path often meets it at once)",
      NumberRange::positive());
  s.idpp.max_iterations = static_cast<int>(section.integer("idpp_max_iterations", 500, "",
                                                           "IDPP relaxation: iteration cap",
                                                           IntegerRange::closed(1, INT32_MAX)));
  s.minimize_endpoints = section.boolean("minimize_endpoints", false,
                                         "minimise both endpoints (FIRE) before interpolating");
  s.endpoint_ftol = section.number("endpoint_ftol", 1e-6, "eV/Å",
                                   "endpoint minimisation: largest atomic force tolerance",
                                   NumberRange::positive());
  s.endpoint_max_iterations = static_cast<int>(
      section.integer("endpoint_max_iterations", 10000, "",
                      "endpoint minimisation: FIRE step cap; reaching it is reported",
                      IntegerRange::closed(1, INT32_MAX)));
  s.write_saddles = section.boolean(
      "write_saddles", false,
      "write saddle_NNNN.data: the climbing image of band NNNN (highest image without climbing)");
  if (std::optional<InputObject> shear =
          section.optional_object("shear", "shear response of the converged bands (paper 003)"))
    s.shear = read_shear_settings(*shear);
  return s;
}

OutputSettings read_neb_output(InputObject& input) {
  InputObject output = input.object("output", "where results are written");
  OutputSettings out;
  out.directory = output.string("directory", "neb_output",
                                "directory for results (relative to the working directory)");
  out.quiet = output.boolean("quiet", false, "no progress lines");
  out.checkpoint_stride = output.integer(
      "checkpoint_stride", 0, "iterations",
      "band iterations between checkpoints (checkpoint.h5; `glassland run --restart` continues); "
      "0: none",
      IntegerRange::non_negative());
  out.progress_interval = output.number("progress_interval", 5.0, "s",
                                        "seconds between progress lines", NumberRange::positive());
  return out;
}

}  // namespace glassland
