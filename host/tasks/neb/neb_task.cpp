// `task: neb` — climbing-image nudged elastic bands between pairs of LAMMPS data files (issue 6
// items 2, 4, 5, 6; docs/neb.md "task: neb"). Endpoint pairs come from a list, a directory of
// NAME_initial.data / NAME_final.data, the events.json of `task: art`, or the jumps between two
// inherent structures (paper 002, saddle/jump_neb.hpp). Every pair becomes one band of M images;
// all bands run in one batch (saddle/neb_band.hpp), so a band's result does not depend on the
// others. Optionally every converged band is sheared (paper 003, saddle/neb_shear.hpp) and the
// barrier spectrum's shift with strain is reported. Writes neb.json (one record per band,
// fractal dimension over the converged bands, shear summary), results.h5 (the energy profile of
// every band with its cubic fit), saddle_NNNN.data on request, jump_NNNN_final.data for jump
// bands, and effective_input.json. Bands that stop without converging are reported in neb.json
// and on stderr, never silently; the exit code stays 0 (their records are still written).
// With output.checkpoint_stride the band run is checkpointed and `--restart` continues it
// bitwise (the force field is reset at every checkpoint in both runs, as in `task: md`).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <numeric>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "analysis/bootstrap.hpp"
#include "analysis/sample_statistics.hpp"
#include "analysis/shannon_entropy.hpp"
#include "host/io/atomic_file.hpp"
#include "host/io/batch_checkpoint.hpp"
#include "host/io/batch_io.hpp"
#include "host/io/checkpoint.hpp"
#include "host/io/hdf5_file.hpp"
#include "host/io/lammps_data.hpp"
#include "host/io/potential_files.hpp"
#include "host/io/setfl_potential.hpp"
#include "host/tasks/md_recorder.hpp"
#include "host/tasks/progress.hpp"
#include "host/tasks/task_drivers.hpp"
#include "kernels/units.hpp"
#include "saddle/idpp.hpp"
#include "saddle/jump_neb.hpp"
#include "saddle/neb_band.hpp"
#include "saddle/neb_shear.hpp"
#include "saddle/path_geometry.hpp"

namespace glassland {

namespace fs = std::filesystem;

namespace {

struct EndpointPair {
  std::string initial, final_state;  // resolved paths (a jump: the two inherent structures)
  nlohmann::json record = nlohmann::json::object();  // added to the band's record (event, jump)
  // In-memory endpoints (jump bands: the constructed final state); read from the paths if null.
  std::shared_ptr<const LammpsData> initial_data, final_data;
};

struct ShearTaskSettings {
  bool enabled = false;
  std::vector<double> strains;
  bool minimize_endpoints = true;
  bool reinterpolate = false;
  double hump_prominence = 1e-3;
  double bin_width = 0.05;
  int resamples = 1000;
  std::uint64_t seed = 20211119;
};

struct NebTaskSettings {
  std::vector<EndpointPair> pairs;
  int n_images = 7;
  NebSettings neb;
  std::string interpolation = "linear";
  bool minimize_endpoints = false;
  double endpoint_ftol = 1e-6;
  int endpoint_max_iterations = 10000;
  bool write_saddles = false;
  ShearTaskSettings shear;
};

// A band interpolates atom by atom between its endpoints, so both must hold the same atoms
// (IDs and types) in the same box; otherwise the band is meaningless, and nothing downstream
// could tell. Boxes agree to 1e-9 Å (a data-file round trip is exact; a strained final state is
// a different problem).
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
      LengthRange::at_least(1), NumberRange::closed(-0.5, 0.5));
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
  const int sources = (listed.empty() ? 0 : 1) + (directory.empty() ? 0 : 1) +
                      (art_events.empty() ? 0 : 1) + (jumps ? 1 : 0);
  if (sources != 1)
    throw section.error("pairs",
                        "give exactly one of \"pairs\" (a list of {\"initial\", \"final\"} data "
                        "files), \"directory\" (NAME_initial.data / NAME_final.data files), "
                        "\"art_events\" (an ART events.json) or \"jumps\" (two inherent "
                        "structures)");
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
      "climb_below", 0.5, "eV/Å",
      "climbing switches on earlier, as soon as the band's largest NEB atomic force is below this",
      NumberRange::non_negative());
  s.neb.force_tolerance = section.number(
      "tolerance", 0.01, "eV/Å",
      "converged when the largest perpendicular atomic force on every intermediate image (full "
      "force on the climbing image) is below this",
      NumberRange::positive());
  s.neb.max_iterations = static_cast<int>(section.integer(
      "max_iterations", 10000, "", "iteration cap per band; reaching it is reported",
      IntegerRange::closed(1, INT32_MAX)));
  s.neb.max_displacement =
      section.number("max_displacement", 0.1, "Å",
                     "largest coordinate change of one FIRE step over a whole band (LAMMPS dmax)",
                     NumberRange::positive());
  s.interpolation = section.choice("interpolation", "linear", {"linear", "idpp"},
                                   "initial path: linear (minimum image) or IDPP");
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

// The structure written as a band's saddle: its climbing image, or its highest intermediate
// image when climbing was off or never switched on.
int saddle_image(const BandResult& band, int n_images) {
  if (band.climbing_image >= 1)
    return band.climbing_image;
  return std::clamp(band.highest_image, 1, n_images - 2);
}

// σ_xy = −W_xy / V in GPa: dE/dγ = −W_xy for the affine shear x ← x + γ y, so σ_xy is the
// energy per volume per unit strain (the shear stress the box exerts, LAMMPS's −pxy at 0 K).
double shear_stress_gpa(double virial_xy, double volume) {
  return -virial_xy / volume * units::kEvPerA3ToBar * units::kBarToGPa;
}

template <class T>
std::vector<double> as_doubles(const std::vector<T>& values) {
  return std::vector<double>(values.begin(), values.end());
}

void write_results_h5(const std::string& path, const std::vector<EndpointPair>& pairs,
                      const std::vector<BandResult>& bands,
                      const std::vector<EnergyProfileFit>& fits, int n_images,
                      const ShearResponse* shear, const nlohmann::json& shear_summary) {
  write_file_atomically(path, [&](const std::string& temporary) {
    hdf5::File file = hdf5::File::create(temporary);
    file.set_attribute("images", n_images);
    file.set_attribute("bands", static_cast<int>(bands.size()));
    for (size_t b = 0; b < bands.size(); ++b) {
      char name[32];
      std::snprintf(name, sizeof name, "bands/%04zu", b);
      const hdf5::Group group = file.create_group(name);
      const BandResult& band = bands[b];
      group.set_attribute("initial", pairs[b].initial);
      group.set_attribute("final", pairs[b].final_state);
      group.set_attribute("status", to_string(band.status));
      group.set_attribute("converged", band.converged() ? 1 : 0);
      group.set_attribute("iterations", band.iterations);
      group.set_attribute("evaluations", band.evaluations);
      group.set_attribute("climbing_image", band.climbing_image);
      group.set_attribute("max_force_eV_per_A", band.max_force);
      group.write("energies_eV", band.energies).set_attribute("unit", "eV");
      group.write("reaction_coordinate_A", band.reaction_coordinate).set_attribute("unit", "Å");
      group.write("tangential_force_eV_per_A", band.tangential_force)
          .set_attribute("unit", "eV/Å (F·τ̂ = −dE/ds)");
      group.write("segment_lengths_A", band.segment_lengths).set_attribute("unit", "Å");
      group.write("profile_fit/reaction_coordinate_A", fits[b].coordinate);
      group.write("profile_fit/energy_eV", fits[b].energy);
      group.write("barrier_forward_eV", std::vector<double>{band.barrier_forward});
      group.write("barrier_backward_eV", std::vector<double>{band.barrier_backward});
      group.write("fitted_barrier_forward_eV", std::vector<double>{fits[b].barrier_forward});
      group.write("fitted_barrier_backward_eV", std::vector<double>{fits[b].barrier_backward});
      group.write("contour_length_A", std::vector<double>{band.contour_length});
      group.write("end_to_end_A", std::vector<double>{band.end_to_end});
      group.write("tortuosity",
                  std::vector<double>{tortuosity(band.contour_length, band.end_to_end)});
      if (shear != nullptr) {
        group.write("shear/gamma_xy", shear->strains);
        group.write("shear/reference_barrier_eV", std::vector<double>{shear->reference_barrier[b]});
        group.write("shear/barrier_forward_eV", shear->barrier_forward[b])
            .set_attribute("unit", "eV");
        group.write("shear/barrier_change_eV", shear->barrier_change[b])
            .set_attribute("unit", "eV (E_A(γ) − E_A(0))");
        std::vector<int> lost, converged;
        std::vector<double> stress_initial, stress_saddle;
        for (size_t k = 0; k < shear->strains.size(); ++k) {
          lost.push_back(shear->lost[b][k] ? 1 : 0);
          converged.push_back(shear->converged[b][k] ? 1 : 0);
          stress_initial.push_back(
              shear_stress_gpa(shear->virial_xy_initial[b][k], shear->volume[b]));
          stress_saddle.push_back(
              shear_stress_gpa(shear->virial_xy_saddle[b][k], shear->volume[b]));
        }
        group.write("shear/lost", lost);
        group.write("shear/converged", converged);
        group.write("shear/humps", shear->humps[b]);
        group.write("shear/shear_stress_initial_GPa", stress_initial).set_attribute("unit", "GPa");
        group.write("shear/shear_stress_saddle_GPa", stress_saddle).set_attribute("unit", "GPa");
      }
    }
    if (shear != nullptr) {
      std::vector<double> peak, peak_error, shift, shift_error, mean;
      std::vector<int> lost;
      for (const auto& strain : shear_summary.at("strains")) {
        auto number = [](const nlohmann::json& v) {
          return v.is_number() ? v.get<double>() : std::nan("");
        };
        lost.push_back(strain.at("lost_bands").get<int>());
        peak.push_back(number(strain.at("spectrum").at("peak_eV")));
        peak_error.push_back(number(strain.at("spectrum").at("peak_error_eV")));
        mean.push_back(number(strain.at("spectrum").at("mean_eV")));
        shift.push_back(number(strain.at("peak_shift_eV")));
        shift_error.push_back(number(strain.at("peak_shift_error_eV")));
      }
      file.write("shear/gamma_xy", shear->strains);
      file.write("shear/lost_bands", lost);
      file.write("shear/peak_eV", peak).set_attribute("unit", "eV");
      file.write("shear/peak_error_eV", peak_error).set_attribute("unit", "eV");
      file.write("shear/mean_eV", mean).set_attribute("unit", "eV");
      file.write("shear/peak_shift_eV", shift).set_attribute("unit", "eV");
      file.write("shear/peak_shift_error_eV", shift_error).set_attribute("unit", "eV");
    }
    file.close();
  });
}

// δ of C ∝ L^δ over the converged bands; null with fewer than 3 (no error estimate possible) or
// when the fit is impossible (all L equal).
nlohmann::json fractal_dimension_record(const std::vector<BandResult>& bands) {
  std::vector<double> end_to_end, contour;
  for (const auto& band : bands)
    if (band.converged()) {
      end_to_end.push_back(band.end_to_end);
      contour.push_back(band.contour_length);
    }
  if (end_to_end.size() < 3)
    return nullptr;
  try {
    const PowerLawFit fit = fit_fractal_dimension(end_to_end, contour);
    return {{"delta", fit.exponent},
            {"error", fit.exponent_error},
            {"prefactor", fit.prefactor},
            {"bands", fit.n_points}};
  } catch (const std::invalid_argument&) {
    return nullptr;
  }
}

// Mode of a Gaussian kernel density estimate with Silverman's bandwidth
// h = 0.9 min(s, IQR/1.34) n^(−1/5) (B. W. Silverman, Density Estimation (1986), Eq. 3.31),
// located on a grid of 401 points over [min − 3h, max + 3h], refined by a second grid of 401
// points over the two intervals around the coarse maximum (resolution (range + 6h)/80000). The
// barrier spectrum's "peak".
double kde_mode(const std::vector<double>& sample, double* bandwidth = nullptr) {
  const double n = static_cast<double>(sample.size());
  const double sd = sample.size() > 1 ? analysis::sample_standard_deviation(sample) : 0.0;
  double spread = sd;
  if (sample.size() > 1) {
    const double iqr = analysis::quantile(sample, 0.75) - analysis::quantile(sample, 0.25);
    if (iqr > 0.0)
      spread = std::min(sd, iqr / 1.34);
  }
  const double h = 0.9 * spread * std::pow(n, -0.2);
  if (bandwidth != nullptr)
    *bandwidth = h;
  if (!(h > 0.0))
    return sample.front();  // all equal (or one value): that value is the mode
  const auto [low, high] = std::minmax_element(sample.begin(), sample.end());
  double from = *low - 3.0 * h, to = *high + 3.0 * h;
  const int points = 401;
  double best = from;
  // A coarse grid, then a fine one over the two coarse intervals around its maximum.
  for (int pass = 0; pass < 2; ++pass) {
    double best_density = -1.0;
    for (int k = 0; k < points; ++k) {
      const double x = from + (to - from) * k / (points - 1);
      double density = 0.0;
      for (double e : sample)
        density += std::exp(-0.5 * (x - e) * (x - e) / (h * h));
      if (density > best_density) {
        best_density = density;
        best = x;
      }
    }
    const double step = (to - from) / (points - 1);
    from = best - step;
    to = best + step;
  }
  return best;
}

// Histogram, mean, standard deviation and peak (kde_mode, with its bootstrap standard error and
// 95 % percentile interval) of a set of barriers; nulls when empty.
nlohmann::json spectrum_record(const std::vector<double>& barriers, const ShearTaskSettings& s) {
  nlohmann::json record = {{"bands", barriers.size()},    {"mean_eV", nullptr},
                           {"std_eV", nullptr},           {"peak_eV", nullptr},
                           {"peak_error_eV", nullptr},    {"peak_interval_eV", nullptr},
                           {"kde_bandwidth_eV", nullptr}, {"histogram", nullptr}};
  if (barriers.empty())
    return record;
  record["mean_eV"] = analysis::sample_mean(barriers);
  record["std_eV"] = barriers.size() > 1 ? analysis::sample_standard_deviation(barriers) : 0.0;
  double bandwidth = 0.0;
  record["peak_eV"] = kde_mode(barriers, &bandwidth);
  record["kde_bandwidth_eV"] = bandwidth;
  if (barriers.size() > 1) {
    const analysis::BootstrapResult boot = analysis::bootstrap(
        barriers, [](const std::vector<double>& x) { return kde_mode(x); }, s.resamples, 0.95,
        s.seed);
    record["peak_error_eV"] = boot.standard_error;
    record["peak_interval_eV"] = {boot.lower, boot.upper};
  }
  const analysis::Histogram histogram =
      analysis::make_histogram(barriers, s.bin_width, std::nan(""));
  record["histogram"] = {{"origin_eV", histogram.origin},
                         {"bin_width_eV", histogram.bin_width},
                         {"counts", histogram.counts}};
  return record;
}

// Over all bands, per strain: the barrier spectrum of the bands that are not lost at that
// strain nor in the unstrained reference, its peak shift from the reference spectrum of the
// same bands (paired bootstrap over bands for the error), the lost-band count, and the mean
// shear stress of the strained initial states.
nlohmann::json shear_summary_record(const ShearResponse& r, const ShearTaskSettings& s) {
  const int n_bands = static_cast<int>(r.reference_barrier.size());
  std::vector<double> reference;
  for (int b = 0; b < n_bands; ++b)
    if (!r.reference_lost[b])
      reference.push_back(r.reference_barrier[b]);
  nlohmann::json summary = {
      {"gamma_xy", r.strains},
      {"peak_estimator",
       "mode of a Gaussian kernel density estimate (Silverman bandwidth) of the forward barriers; "
       "error: bootstrap standard error over bands"},
      {"reference", spectrum_record(reference, s)},
      {"reference_lost_bands", n_bands - static_cast<int>(reference.size())},
      {"strains", nlohmann::json::array()}};
  for (size_t k = 0; k < r.strains.size(); ++k) {
    std::vector<double> strained, unstrained;
    double stress = 0.0, change = 0.0;
    for (int b = 0; b < n_bands; ++b) {
      stress += shear_stress_gpa(r.virial_xy_initial[b][k], r.volume[b]) / n_bands;
      if (r.lost[b][k] || r.reference_lost[b])
        continue;
      strained.push_back(r.barrier_forward[b][k]);
      unstrained.push_back(r.reference_barrier[b]);
      change += r.barrier_change[b][k];
    }
    nlohmann::json record = {{"gamma_xy", r.strains[k]},
                             {"lost_bands", r.lost_bands[k]},
                             {"mean_shear_stress_initial_GPa", stress},
                             {"spectrum", spectrum_record(strained, s)},
                             {"mean_barrier_change_eV", nullptr},
                             {"peak_shift_eV", nullptr},
                             {"peak_shift_error_eV", nullptr}};
    if (!strained.empty()) {
      record["mean_barrier_change_eV"] = change / static_cast<double>(strained.size());
      record["peak_shift_eV"] = kde_mode(strained) - kde_mode(unstrained);
    }
    if (strained.size() > 1) {
      // Paired: the same resampled bands at γ and at 0.
      std::vector<double> indices(strained.size());
      std::iota(indices.begin(), indices.end(), 0.0);
      const analysis::BootstrapResult boot = analysis::bootstrap(
          indices,
          [&](const std::vector<double>& picked) {
            std::vector<double> a, z;
            for (double i : picked) {
              a.push_back(strained[static_cast<size_t>(i)]);
              z.push_back(unstrained[static_cast<size_t>(i)]);
            }
            return kde_mode(a) - kde_mode(z);
          },
          s.resamples, 0.95, s.seed);
      record["peak_shift_error_eV"] = boot.standard_error;
    }
    summary["strains"].push_back(record);
  }
  return summary;
}

nlohmann::json band_shear_record(const ShearResponse& r, int b) {
  std::vector<double> stress_initial, stress_saddle;
  std::vector<bool> lost, converged, single;
  for (size_t k = 0; k < r.strains.size(); ++k) {
    stress_initial.push_back(shear_stress_gpa(r.virial_xy_initial[b][k], r.volume[b]));
    stress_saddle.push_back(shear_stress_gpa(r.virial_xy_saddle[b][k], r.volume[b]));
  }
  return {{"gamma_xy", r.strains},
          {"reference_barrier_eV", r.reference_barrier[b]},
          {"reference_lost", static_cast<bool>(r.reference_lost[b])},
          {"reference_shear_stress_initial_GPa",
           shear_stress_gpa(r.reference_virial_xy_initial[b], r.volume[b])},
          {"reference_shear_stress_saddle_GPa",
           shear_stress_gpa(r.reference_virial_xy_saddle[b], r.volume[b])},
          // First-order prediction dE_A/dγ = −(W_xy(saddle) − W_xy(initial)) at γ = 0 (envelope
          // theorem: both are stationary points, so their relaxation adds nothing to first order).
          {"barrier_slope_from_virial_eV",
           -(r.reference_virial_xy_saddle[b] - r.reference_virial_xy_initial[b])},
          {"barrier_forward_eV", r.barrier_forward[b]},
          {"barrier_change_eV", r.barrier_change[b]},
          {"converged", r.converged[b]},
          {"humps", r.humps[b]},
          {"single_hump", r.single_hump[b]},
          {"lost", r.lost[b]},
          {"shear_stress_initial_GPa", stress_initial},
          {"shear_stress_saddle_GPa", stress_saddle},
          {"volume_A3", r.volume[b]}};
}

template <class View>
std::vector<double> view_to_doubles(const View& view) {
  auto host = Kokkos::create_mirror_view_and_copy(HostSpace(), view);
  std::vector<double> out;
  const size_t columns = View::rank == 2 ? host.extent(1) : 1;
  for (size_t i = 0; i < host.extent(0); ++i)
    for (size_t j = 0; j < columns; ++j) {
      if constexpr (View::rank == 2)
        out.push_back(host(i, j));
      else
        out.push_back(host(i));
    }
  return out;
}

template <class View>
void doubles_to_view(const Checkpoint& checkpoint, const std::string& name, const View& view) {
  const std::vector<double>& values = checkpoint.doubles(name);
  auto host = Kokkos::create_mirror_view(view);
  const size_t columns = View::rank == 2 ? host.extent(1) : 1;
  if (values.size() != host.extent(0) * columns)
    throw InputError(checkpoint.source() + ": " + name + " does not fit this run");
  size_t k = 0;
  for (size_t i = 0; i < host.extent(0); ++i)
    for (size_t j = 0; j < columns; ++j) {
      if constexpr (View::rank == 2)
        host(i, j) = values[k++];
      else
        host(i) = values[k++];
    }
  Kokkos::deep_copy(view, host);
}

// The band run's checkpoint: the batch (positions, images, boxes, true forces, energies), the
// runner's state and the sweep counter, plus the records of the steps before the band run.
void write_neb_checkpoint(const std::string& path, const RunOptions& options, const Batch& bands,
                          int n_images, const NebRunner& runner, std::int64_t sweeps,
                          const nlohmann::json& endpoint_records,
                          const nlohmann::json& idpp_records) {
  Checkpoint checkpoint;
  checkpoint.set_metadata({{"task", "neb"},
                           {"input", options.input_path},
                           {"replicas", bands.n_replicas},
                           {"atoms", bands.n_atoms},
                           {"images", n_images},
                           {"endpoint_minimization", endpoint_records},
                           {"idpp", idpp_records}});
  save_batch(checkpoint, bands);
  checkpoint.set("batch/forces", view_to_doubles(bands.forces));
  checkpoint.set("batch/potential_energy", view_to_doubles(bands.potential_energy));
  const NebRunnerState state = runner.state();
  std::vector<std::string> double_names, integer_names;
  for (const auto& [name, values] : state.doubles) {
    checkpoint.set("runner/" + name, values);
    double_names.push_back(name);
  }
  for (const auto& [name, values] : state.integers) {
    checkpoint.set("runner/" + name, values);
    integer_names.push_back(name);
  }
  checkpoint.set("runner/double_names", double_names);
  checkpoint.set("runner/integer_names", integer_names);
  checkpoint.set_int64("run/sweeps", sweeps);
  checkpoint.write(path);
}

}  // namespace

void run_neb_task(InputObject& input, const RunOptions& options) {
  // The system section as read_task_system reads it, minus the structures: the replicas are
  // the endpoint pairs of the neb section.
  InputObject system = input.object("system", "potential and element mapping of the endpoints");
  const std::string potential_path = system.path("potential", default_potential_path(),
                                                 "setfl EAM potential file (eam/fs or eam/alloy)");
  const std::string format =
      system.choice("potential_format", "auto", {"auto", "fs", "alloy"},
                    "setfl flavour; auto: from the file name (.fs → eam/fs, .alloy → eam/alloy)");
  const SetflPotential potential =
      read_setfl(potential_path, format == "fs"      ? SetflFormat::FinnisSinclair
                                 : format == "alloy" ? SetflFormat::Alloy
                                                     : setfl_format_from_filename(potential_path));
  const std::vector<std::string> type_elements = system.strings(
      "elements", potential.elements,
      "element of each atom type, in type order, as LAMMPS's pair_coeff * * FILE El1 El2 ... "
      "(default: the potential's elements in file order)");
  const double neighbor_skin =
      system.number("neighbor_skin", 1.0, "Å", "neighbour-list skin", NumberRange::non_negative());

  InputObject section = input.object("neb", required, "endpoint pairs and band settings");
  const NebTaskSettings settings = read_neb_settings(section);
  InputObject output = input.object("output", "where results are written");
  const std::string directory = output.string(
      "directory", "neb_output", "directory for results (relative to the working directory)");
  const bool quiet = output.boolean("quiet", false, "no progress lines") || options.quiet;
  const std::int64_t checkpoint_stride = output.integer(
      "checkpoint_stride", 0, "iterations",
      "band iterations between checkpoints (checkpoint.h5; `glassland run --restart` continues); "
      "0: none",
      IntegerRange::non_negative());
  const double progress_interval = output.number(
      "progress_interval", 5.0, "s", "seconds between progress lines", NumberRange::positive());
  input.finish();

  const int n_bands = static_cast<int>(settings.pairs.size());
  const int n_images = settings.n_images;
  // Replica 2b: initial state of band b, 2b + 1: its final state.
  std::vector<NamedStructure> endpoints;
  for (const auto& pair : settings.pairs) {
    endpoints.push_back(
        {pair.initial, pair.initial_data ? *pair.initial_data : read_lammps_data(pair.initial)});
    endpoints.push_back({pair.final_state,
                         pair.final_data ? *pair.final_data : read_lammps_data(pair.final_state)});
    check_endpoint_pair(pair.initial, pair.final_state, endpoints[endpoints.size() - 2].data,
                        endpoints.back().data);
  }
  Batch bands = [&] {
    const Batch endpoint_batch =
        make_batch(endpoints, type_elements, potential.elements, potential.masses);
    return make_bands_from_endpoints(endpoint_batch, n_images);
  }();
  endpoints.clear();
  ForceField force_field;
  force_field.add_term(make_eam_term(potential, neighbor_skin));

  fs::create_directories(directory);
  write_file_atomically((fs::path(directory) / "effective_input.json").string(),
                        input.effective_configuration().dump(2) + "\n");
  const std::string checkpoint_path = (fs::path(directory) / "checkpoint.h5").string();
  const bool resume = options.restart && fs::exists(checkpoint_path);
  if (options.restart && !resume && !quiet)
    std::fprintf(stderr, "neb: no checkpoint in %s yet; starting from the beginning\n",
                 directory.c_str());
  if (!quiet)
    std::fprintf(stderr, "neb: %d band(s) of %d images, %d atoms per image, %s path\n", n_bands,
                 n_images, bands.n_atoms, settings.interpolation.c_str());
  const auto start = std::chrono::steady_clock::now();

  nlohmann::json endpoint_records = nlohmann::json::array();
  nlohmann::json idpp_records = nlohmann::json::array();
  NebRunner runner(settings.neb);
  std::int64_t sweeps = 0;  // lock-step iterations of the whole batch
  if (resume) {
    const Checkpoint checkpoint = Checkpoint::read(checkpoint_path);
    const nlohmann::json& meta = checkpoint.metadata();
    if (meta.value("task", "") != "neb")
      throw InputError(checkpoint_path + ": not a checkpoint of a neb task");
    if (meta.value("replicas", -1) != bands.n_replicas ||
        meta.value("atoms", -1) != bands.n_atoms || meta.value("images", -1) != n_images)
      throw InputError(checkpoint_path +
                       ": written for other bands (replicas, atoms or images differ); remove it "
                       "or run without --restart");
    load_batch(checkpoint, bands);
    doubles_to_view(checkpoint, "batch/forces", bands.forces);
    doubles_to_view(checkpoint, "batch/potential_energy", bands.potential_energy);
    NebRunnerState state;
    state.n_images = n_images;
    state.n_bands = n_bands;
    for (const auto& name : checkpoint.strings("runner/double_names"))
      state.doubles.emplace_back(name, checkpoint.doubles("runner/" + name));
    for (const auto& name : checkpoint.strings("runner/integer_names"))
      state.integers.emplace_back(name, checkpoint.int64s("runner/" + name));
    try {
      runner.restore(bands, n_images, state);
    } catch (const std::invalid_argument& e) {
      throw InputError(checkpoint_path + ": " + e.what());
    }
    sweeps = checkpoint.get_int64("run/sweeps");
    endpoint_records = meta.at("endpoint_minimization");
    idpp_records = meta.at("idpp");
    if (!quiet)
      std::fprintf(stderr, "neb: restarting from %s after %lld iterations\n",
                   checkpoint_path.c_str(), static_cast<long long>(sweeps));
  } else {
    if (settings.minimize_endpoints) {
      FireSettings fire;
      fire.tolerances.ftol = settings.endpoint_ftol;
      fire.tolerances.max_iterations = settings.endpoint_max_iterations;
      const std::vector<ReplicaMinimization> minimized =
          minimize_band_endpoints(bands, force_field, n_images, fire);
      for (int b = 0; b < n_bands; ++b) {
        const ReplicaMinimization& initial = minimized[b * n_images];
        const ReplicaMinimization& final_state = minimized[b * n_images + n_images - 1];
        endpoint_records.push_back(
            {{"initial", to_string(initial.status)}, {"final", to_string(final_state.status)}});
        // A band between unminimised endpoints has no meaning as a barrier: say so loudly.
        for (const auto* m : {&initial, &final_state})
          if (!is_converged(m->status))
            std::fprintf(stderr, "neb: WARNING band %d: endpoint minimisation %s after %d steps\n",
                         b, to_string(m->status).c_str(), m->iterations);
      }
    }
    if (settings.interpolation == "idpp") {
      for (const BandResult& band : interpolate_idpp(bands, n_images))
        idpp_records.push_back(
            {{"status", to_string(band.status)}, {"iterations", band.iterations}});
    } else {
      interpolate_linear(bands, n_images);
    }
    runner.start(bands, force_field, n_images);
  }

  // The band run in chunks that end on every checkpoint, so that a restarted run advances in
  // the same chunks as the uninterrupted one. Without checkpoints this is NebRunner::run.
  const int interval = std::max(1, settings.neb.host_check_interval);
  int running = runner.advance(bands, force_field, 0);
  auto last_progress = std::chrono::steady_clock::now();
  while (running > 0) {
    std::int64_t chunk = interval;
    if (checkpoint_stride > 0)
      chunk = std::min(chunk, checkpoint_stride - sweeps % checkpoint_stride);
    running = runner.advance(bands, force_field, static_cast<int>(chunk));
    sweeps += chunk;
    if (checkpoint_stride > 0 && sweeps % checkpoint_stride == 0 && running > 0) {
      write_neb_checkpoint(checkpoint_path, options, bands, n_images, runner, sweeps,
                           endpoint_records, idpp_records);
      // Start afresh exactly as a restart does (new neighbour lists), so both runs agree bitwise.
      force_field.reset();
    }
    const auto now = std::chrono::steady_clock::now();
    if (!quiet && std::chrono::duration<double>(now - last_progress).count() > progress_interval) {
      last_progress = now;
      std::fprintf(stderr, "neb: %lld iterations, %d of %d band(s) running\n",
                   static_cast<long long>(sweeps), running, n_bands);
    }
  }
  const std::vector<BandResult> results = runner.results(bands);
  BatchSnapshot final_bands;
  if (settings.write_saddles)
    final_bands = snapshot(bands);

  std::optional<ShearResponse> shear;
  nlohmann::json shear_summary;
  if (settings.shear.enabled) {
    // The shear phase restarts from its beginning after an interruption: the converged bands
    // are checkpointed first (and the force field reset, in both runs).
    if (checkpoint_stride > 0) {
      write_neb_checkpoint(checkpoint_path, options, bands, n_images, runner, sweeps,
                           endpoint_records, idpp_records);
      force_field.reset();
    }
    ShearSettings shear_settings;
    shear_settings.neb = settings.neb;
    shear_settings.minimize_endpoints = settings.shear.minimize_endpoints;
    shear_settings.endpoint_fire.tolerances.ftol = settings.endpoint_ftol;
    shear_settings.endpoint_fire.tolerances.max_iterations = settings.endpoint_max_iterations;
    shear_settings.hump_prominence = settings.shear.hump_prominence;
    shear_settings.reinterpolate = settings.shear.reinterpolate;
    if (!quiet)
      std::fprintf(stderr, "neb: shear response at %zu strain(s) (and the γ = 0 reference)\n",
                   settings.shear.strains.size());
    shear =
        neb_shear_response(bands, force_field, n_images, settings.shear.strains, shear_settings);
    shear_summary = shear_summary_record(*shear, settings.shear);
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  std::vector<EnergyProfileFit> fits;
  for (const auto& band : results)
    fits.push_back(
        fit_energy_profile(band.reaction_coordinate, band.energies, band.tangential_force));

  nlohmann::json records = nlohmann::json::array();
  std::vector<int> not_converged;
  for (int b = 0; b < n_bands; ++b) {
    const BandResult& band = results[b];
    nlohmann::json record = {
        {"initial", settings.pairs[b].initial},
        {"final", settings.pairs[b].final_state},
        {"converged", band.converged()},
        {"status", to_string(band.status)},
        {"barrier_forward_eV", band.barrier_forward},
        {"barrier_backward_eV", band.barrier_backward},
        {"fitted_barrier_forward_eV", fits[b].barrier_forward},
        {"fitted_barrier_backward_eV", fits[b].barrier_backward},
        {"images", n_images},
        {"climbing_image", band.climbing_image},
        {"highest_image", band.highest_image},
        {"contour_length_A", band.contour_length},
        {"end_to_end_A", band.end_to_end},
        {"tortuosity", tortuosity(band.contour_length, band.end_to_end)},
        {"iterations", band.iterations},
        {"evaluations", band.evaluations},
        {"max_force_eV_per_A", band.max_force},
    };
    record.update(settings.pairs[b].record);
    if (settings.minimize_endpoints)
      record["endpoint_minimization"] = endpoint_records.at(b);
    // The IDPP path is only a starting guess (the NEB relaxes it), so a capped IDPP relaxation
    // is recorded, not an error.
    if (!idpp_records.empty())
      record["idpp"] = idpp_records.at(b);
    if (settings.pairs[b].final_data) {
      // A constructed final state (jump band) is written out, so the band can be rerun.
      char name[40];
      std::snprintf(name, sizeof name, "jump_%04d_final.data", b);
      write_lammps_data((fs::path(directory) / name).string(), *settings.pairs[b].final_data);
      record["final_state"] = name;
    }
    if (settings.write_saddles) {
      char name[32];
      std::snprintf(name, sizeof name, "saddle_%04d.data", b);
      write_lammps_data(
          (fs::path(directory) / name).string(),
          replica_to_data(final_bands, b * n_images + saddle_image(band, n_images), type_elements,
                          potential.elements, potential.masses, false));
      record["saddle"] = name;
    }
    if (shear)
      record["shear"] = band_shear_record(*shear, b);
    records.push_back(record);
    if (!band.converged())
      not_converged.push_back(b);
  }

  write_results_h5((fs::path(directory) / "results.h5").string(), settings.pairs, results, fits,
                   n_images, shear ? &*shear : nullptr, shear_summary);
  nlohmann::json summary = {{"task", "neb"},
                            {"images", n_images},
                            {"atoms_per_image", bands.n_atoms},
                            {"all_converged", not_converged.empty()},
                            {"not_converged", not_converged},
                            {"iterations", sweeps},
                            {"wall_time_s", seconds},
                            {"bands", records},
                            {"fractal_dimension", fractal_dimension_record(results)}};
  if (shear)
    summary["shear"] = shear_summary;
  write_file_atomically((fs::path(directory) / "neb.json").string(), summary.dump(2) + "\n");
  // The run is complete: a later --restart starts afresh.
  fs::remove(checkpoint_path);

  // Non-convergence is loud even in quiet mode: its barrier is not a saddle energy.
  for (int b : not_converged)
    std::fprintf(stderr,
                 "neb: WARNING band %d (%s → %s) NOT converged: %s after %d iterations, max "
                 "force %.3g eV/Å\n",
                 b, settings.pairs[b].initial.c_str(), settings.pairs[b].final_state.c_str(),
                 to_string(results[b].status).c_str(), results[b].iterations, results[b].max_force);
  if (!quiet) {
    for (int b = 0; b < n_bands; ++b)
      std::fprintf(stderr,
                   "neb: band %d: %s, %d iterations, barrier forward %.6f / backward %.6f eV, "
                   "C %.4f Å, L %.4f Å\n",
                   b, to_string(results[b].status).c_str(), results[b].iterations,
                   results[b].barrier_forward, results[b].barrier_backward,
                   results[b].contour_length, results[b].end_to_end);
    if (shear)
      for (const auto& strain : shear_summary["strains"])
        std::fprintf(stderr, "neb: γ_xy %g: %d band(s) lost, peak shift %s eV\n",
                     strain["gamma_xy"].get<double>(), strain["lost_bands"].get<int>(),
                     strain["peak_shift_eV"].dump().c_str());
    std::fprintf(stderr, "neb: wrote neb.json and results.h5 in %s (%.1f s)\n", directory.c_str(),
                 seconds);
  }
}

}  // namespace glassland
