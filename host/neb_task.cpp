// `task: neb` — climbing-image nudged elastic bands between pairs of LAMMPS data files (issue 6
// item 6, docs/neb.md "task: neb"). Every pair becomes one band of M images; all bands run in
// one batch (saddle/neb_band.hpp), so a band's result does not depend on the others. Writes
// neb.json (one record per band, fractal dimension over the converged bands), results.h5 (the
// energy profile of every band with its cubic fit), saddle_NNNN.data on request, and
// effective_input.json. Bands that stop without converging are reported in neb.json and on
// stderr, never silently; the exit code stays 0 (their records are still written).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "host/atomic_file.hpp"
#include "host/batch_io.hpp"
#include "host/hdf5_file.hpp"
#include "host/lammps_data.hpp"
#include "host/setfl_potential.hpp"
#include "host/tasks.hpp"
#include "saddle/idpp.hpp"
#include "saddle/neb_band.hpp"
#include "saddle/path_geometry.hpp"

namespace glassland {

namespace fs = std::filesystem;

namespace {

struct EndpointPair {
  std::string initial, final_state;  // resolved paths
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
};

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
    pairs.push_back({initial.string(), final_state.string()});
  }
  if (pairs.empty())
    throw section.error("directory", "no *_initial.data files in \"" + directory + "\"");
  return pairs;
}

NebTaskSettings read_neb_settings(InputObject& section) {
  NebTaskSettings s;
  std::vector<InputObject> listed = section.objects(
      "pairs", "endpoint pairs, one band each: [{\"initial\": FILE, \"final\": FILE}, ...]");
  const std::string directory = section.path(
      "directory", "", "directory of pairs NAME_initial.data / NAME_final.data (instead of pairs)");
  if (listed.empty() == directory.empty())
    throw section.error("pairs",
                        "give exactly one of \"pairs\" (a list of {\"initial\", \"final\"} data "
                        "files) or \"directory\" (NAME_initial.data / NAME_final.data files)");
  for (InputObject& pair : listed)
    s.pairs.push_back({pair.path("initial", required, "initial-state LAMMPS data file"),
                       pair.path("final", required, "final-state LAMMPS data file")});
  if (!directory.empty())
    s.pairs = pairs_in_directory(section, directory);

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
  return s;
}

// A band interpolates atom by atom between its endpoints, so both must hold the same atoms
// (IDs and types) in the same box; otherwise the band is meaningless, and nothing downstream
// could tell. Boxes agree to 1e-9 Å (a data-file round trip is exact; a strained final state is
// a different problem).
void check_endpoint_pair(const EndpointPair& pair, const LammpsData& initial,
                         const LammpsData& final_state) {
  const std::string which = "\"" + pair.initial + "\" and \"" + pair.final_state + "\"";
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

// The structure written as a band's saddle: its climbing image, or its highest intermediate
// image when climbing was off or never switched on.
int saddle_image(const BandResult& band, int n_images) {
  if (band.climbing_image >= 1)
    return band.climbing_image;
  return std::clamp(band.highest_image, 1, n_images - 2);
}

void write_results_h5(const std::string& path, const std::vector<EndpointPair>& pairs,
                      const std::vector<BandResult>& bands,
                      const std::vector<EnergyProfileFit>& fits, int n_images) {
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

}  // namespace

void run_neb_task(InputObject& input, const RunOptions& options) {
  if (options.restart)
    throw InputError(input.file_name() +
                     ": neb does not support --restart yet (run it again without --restart)");
  // The system section as read_task_system reads it, minus the structures: the replicas are
  // the endpoint pairs of the neb section.
  InputObject system = input.object("system", "potential and element mapping of the endpoints");
  const std::string potential_path = system.path("potential", GLASSLAND_DEFAULT_POTENTIAL,
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
  input.finish();

  const int n_bands = static_cast<int>(settings.pairs.size());
  const int n_images = settings.n_images;
  // Replica 2b: initial state of band b, 2b + 1: its final state.
  std::vector<NamedStructure> endpoints;
  for (const auto& pair : settings.pairs) {
    endpoints.push_back({pair.initial, read_lammps_data(pair.initial)});
    endpoints.push_back({pair.final_state, read_lammps_data(pair.final_state)});
    check_endpoint_pair(pair, endpoints[endpoints.size() - 2].data, endpoints.back().data);
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
  if (!quiet)
    std::fprintf(stderr, "neb: %d band(s) of %d images, %d atoms per image, %s path\n", n_bands,
                 n_images, bands.n_atoms, settings.interpolation.c_str());
  const auto start = std::chrono::steady_clock::now();

  std::vector<nlohmann::json> endpoint_records(n_bands);
  if (settings.minimize_endpoints) {
    FireSettings fire;
    fire.tolerances.ftol = settings.endpoint_ftol;
    fire.tolerances.max_iterations = settings.endpoint_max_iterations;
    const std::vector<ReplicaMinimization> minimized =
        minimize_band_endpoints(bands, force_field, n_images, fire);
    for (int b = 0; b < n_bands; ++b) {
      const ReplicaMinimization& initial = minimized[b * n_images];
      const ReplicaMinimization& final_state = minimized[b * n_images + n_images - 1];
      endpoint_records[b] = {{"initial", to_string(initial.status)},
                             {"final", to_string(final_state.status)}};
      // A band between unminimised endpoints has no meaning as a barrier: say so loudly.
      for (const auto* m : {&initial, &final_state})
        if (!is_converged(m->status))
          std::fprintf(stderr, "neb: WARNING band %d: endpoint minimisation %s after %d steps\n", b,
                       to_string(m->status).c_str(), m->iterations);
    }
  }
  std::vector<BandResult> idpp;
  if (settings.interpolation == "idpp")
    idpp = interpolate_idpp(bands, n_images);
  else
    interpolate_linear(bands, n_images);

  NebRunner runner(settings.neb);
  const std::vector<BandResult> results = runner.run(bands, force_field, n_images);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  std::vector<EnergyProfileFit> fits;
  for (const auto& band : results)
    fits.push_back(
        fit_energy_profile(band.reaction_coordinate, band.energies, band.tangential_force));

  BatchSnapshot final_bands;
  if (settings.write_saddles)
    final_bands = snapshot(bands);
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
    if (settings.minimize_endpoints)
      record["endpoint_minimization"] = endpoint_records[b];
    // The IDPP path is only a starting guess (the NEB relaxes it), so a capped IDPP relaxation
    // is recorded, not an error.
    if (!idpp.empty())
      record["idpp"] = {{"status", to_string(idpp[b].status)}, {"iterations", idpp[b].iterations}};
    if (settings.write_saddles) {
      char name[32];
      std::snprintf(name, sizeof name, "saddle_%04d.data", b);
      write_lammps_data(
          (fs::path(directory) / name).string(),
          replica_to_data(final_bands, b * n_images + saddle_image(band, n_images), type_elements,
                          potential.elements, potential.masses, false));
      record["saddle"] = name;
    }
    records.push_back(record);
    if (!band.converged())
      not_converged.push_back(b);
  }

  write_results_h5((fs::path(directory) / "results.h5").string(), settings.pairs, results, fits,
                   n_images);
  const nlohmann::json summary = {{"task", "neb"},
                                  {"images", n_images},
                                  {"atoms_per_image", bands.n_atoms},
                                  {"all_converged", not_converged.empty()},
                                  {"not_converged", not_converged},
                                  {"wall_time_s", seconds},
                                  {"bands", records},
                                  {"fractal_dimension", fractal_dimension_record(results)}};
  write_file_atomically((fs::path(directory) / "neb.json").string(), summary.dump(2) + "\n");

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
    std::fprintf(stderr, "neb: wrote neb.json and results.h5 in %s (%.1f s)\n", directory.c_str(),
                 seconds);
  }
}

}  // namespace glassland
