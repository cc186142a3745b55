// Stages "outputs" and "report" of `task: neb` (host/tasks/neb/neb_stages.hpp): neb.json (one
// record per band, the fractal dimension over the converged bands, the shear summary),
// results.h5 (every band's energy profile with its cubic fit, its shear response),
// saddle_NNNN.data, jump_NNNN_final.data, and the bands on stdout (warnings on stderr).
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "host/io/atomic_file.hpp"
#include "host/io/h5md_writer.hpp"
#include "host/io/hdf5_file.hpp"
#include "host/tasks/neb/neb_shear_spectrum.hpp"
#include "host/tasks/neb/neb_stages.hpp"
#include "host/tasks/task_run.hpp"
#include "saddle/path_geometry.hpp"

namespace glassland {

namespace {

// The structure written as a band's saddle: its climbing image, or its highest intermediate
// image when climbing was off or never switched on.
int saddle_image(const BandResult& band, int n_images) {
  if (band.climbing_image >= 1)
    return band.climbing_image;
  return std::clamp(band.highest_image, 1, n_images - 2);
}

// Band b's group of results.h5: its energy profile, the cubic fit, its path geometry.
void write_band_group(const hdf5::Group& group, const EndpointPair& pair, const BandResult& band,
                      const EnergyProfileFit& fit,
                      const std::vector<std::array<double, 3>>& history) {
  group.set_attribute("initial", pair.initial);
  group.set_attribute("final", pair.final_state);
  group.set_attribute("status", to_string(band.status));
  group.set_attribute("converged", band.converged() ? 1 : 0);
  group.set_attribute("iterations", band.iterations);
  group.set_attribute("evaluations", band.evaluations);
  group.set_attribute("climbing_image", band.climbing_image);
  group.set_attribute("max_force_eV_per_A", band.max_force);
  set_unit(group.write("energies_eV", band.energies), "eV");
  set_unit(group.write("reaction_coordinate_A", band.reaction_coordinate), "Angstrom");
  const hdf5::Dataset tangential = group.write("tangential_force_eV_per_A", band.tangential_force);
  set_unit(tangential, "eV Angstrom-1");
  tangential.set_attribute("description", "F·τ̂ = −dE/ds");
  set_unit(group.write("segment_lengths_A", band.segment_lengths), "Angstrom");
  group.write("profile_fit/reaction_coordinate_A", fit.coordinate);
  group.write("profile_fit/energy_eV", fit.energy);
  group.write("barrier_forward_eV", std::vector<double>{band.barrier_forward});
  group.write("barrier_backward_eV", std::vector<double>{band.barrier_backward});
  group.write("fitted_barrier_forward_eV", std::vector<double>{fit.barrier_forward});
  group.write("fitted_barrier_backward_eV", std::vector<double>{fit.barrier_backward});
  group.write("contour_length_A", std::vector<double>{band.contour_length});
  group.write("end_to_end_A", std::vector<double>{band.end_to_end});
  group.write("tortuosity", std::vector<double>{tortuosity(band.contour_length, band.end_to_end)});
  std::vector<double> iteration, force, highest;
  for (const auto& entry : history) {
    iteration.push_back(entry[0]);
    force.push_back(entry[1]);
    highest.push_back(entry[2]);
  }
  group.write("force_history/iteration", iteration);
  set_unit(group.write("force_history/max_force_eV_per_A", force), "eV Angstrom-1");
  set_unit(group.write("force_history/highest_image_above_initial_eV", highest), "eV");
}

// Band b's shear/ subgroup: its barriers, lost flags, humps and shear stresses per strain.
void write_band_shear(const hdf5::Group& group, const ShearResponse& shear, size_t b) {
  group.write("shear/gamma_xy", shear.strains);
  group.write("shear/reference_barrier_eV", std::vector<double>{shear.reference_barrier[b]});
  set_unit(group.write("shear/barrier_forward_eV", shear.barrier_forward[b]), "eV");
  const hdf5::Dataset change = group.write("shear/barrier_change_eV", shear.barrier_change[b]);
  set_unit(change, "eV");
  change.set_attribute("description", "E_A(γ) − E_A(0)");
  std::vector<int> lost, converged;
  std::vector<double> stress_initial, stress_saddle;
  for (size_t k = 0; k < shear.strains.size(); ++k) {
    lost.push_back(shear.lost[b][k] ? 1 : 0);
    converged.push_back(shear.converged[b][k] ? 1 : 0);
    stress_initial.push_back(shear_stress_gpa(shear.virial_xy_initial[b][k], shear.volume[b]));
    stress_saddle.push_back(shear_stress_gpa(shear.virial_xy_saddle[b][k], shear.volume[b]));
  }
  group.write("shear/lost", lost);
  group.write("shear/converged", converged);
  group.write("shear/humps", shear.humps[b]);
  set_unit(group.write("shear/shear_stress_initial_GPa", stress_initial), "GPa");
  set_unit(group.write("shear/shear_stress_saddle_GPa", stress_saddle), "GPa");
}

// shear/ of results.h5: per strain the lost bands and the spectrum's peak, mean and shift.
void write_shear_summary(hdf5::File& file, const ShearResponse& shear,
                         const nlohmann::json& summary) {
  std::vector<double> peak, peak_error, shift, shift_error, mean;
  std::vector<int> lost;
  for (const auto& strain : summary.at("strains")) {
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
  file.write("shear/gamma_xy", shear.strains);
  file.write("shear/lost_bands", lost);
  set_unit(file.write("shear/peak_eV", peak), "eV");
  set_unit(file.write("shear/peak_error_eV", peak_error), "eV");
  set_unit(file.write("shear/mean_eV", mean), "eV");
  set_unit(file.write("shear/peak_shift_eV", shift), "eV");
  set_unit(file.write("shear/peak_shift_error_eV", shift_error), "eV");
}

void write_results_h5(const std::string& path, const std::vector<EndpointPair>& pairs,
                      const NebBands& bands, const std::vector<EnergyProfileFit>& fits) {
  write_file_atomically(path, [&](const std::string& temporary) {
    hdf5::File file = hdf5::File::create(temporary);
    file.set_attribute("images", bands.n_images);
    file.set_attribute("bands", static_cast<int>(bands.results.size()));
    for (size_t b = 0; b < bands.results.size(); ++b) {
      char name[32];
      std::snprintf(name, sizeof name, "bands/%04zu", b);
      const hdf5::Group group = file.create_group(name);
      write_band_group(group, pairs[b], bands.results[b], fits[b], bands.force_history.at(b));
      if (bands.shear)
        write_band_shear(group, *bands.shear, b);
    }
    if (bands.shear)
      write_shear_summary(file, *bands.shear, bands.shear_summary);
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

// Band b's record of neb.json, and the files written for it.
nlohmann::json band_record(TaskRun& run, const SystemPotential& system,
                           const NebTaskSettings& settings, const NebBands& bands,
                           const std::vector<EnergyProfileFit>& fits, int b) {
  const BandResult& band = bands.results[b];
  const EndpointPair& pair = settings.pairs[b];
  nlohmann::json record = {
      {"initial", pair.initial},
      {"final", pair.final_state},
      {"converged", band.converged()},
      {"status", to_string(band.status)},
      {"barrier_forward_eV", band.barrier_forward},
      {"barrier_backward_eV", band.barrier_backward},
      {"fitted_barrier_forward_eV", fits[b].barrier_forward},
      {"fitted_barrier_backward_eV", fits[b].barrier_backward},
      {"images", bands.n_images},
      {"climbing_image", band.climbing_image},
      {"highest_image", band.highest_image},
      {"contour_length_A", band.contour_length},
      {"end_to_end_A", band.end_to_end},
      {"tortuosity", tortuosity(band.contour_length, band.end_to_end)},
      {"iterations", band.iterations},
      {"evaluations", band.evaluations},
      {"max_force_eV_per_A", band.max_force},
  };
  record.update(pair.record);
  if (!band.converged()) {
    // A band that did not converge has no barrier: its highest image is wherever the band
    // stopped (issue 16: a diverging climbing band read as a 360 eV barrier). What it reached and
    // how its largest force evolved are kept under their own names.
    for (const char* key : {"barrier_forward_eV", "barrier_backward_eV",
                            "fitted_barrier_forward_eV", "fitted_barrier_backward_eV"})
      record[key] = nullptr;
    nlohmann::json history = {{"iteration", nlohmann::json::array()},
                              {"max_force_eV_per_A", nlohmann::json::array()},
                              {"highest_image_above_initial_eV", nlohmann::json::array()}};
    for (const auto& entry : bands.force_history.at(b)) {
      history["iteration"].push_back(static_cast<int64_t>(entry[0]));
      history["max_force_eV_per_A"].push_back(entry[1]);
      history["highest_image_above_initial_eV"].push_back(entry[2]);
    }
    record["not_converged"] = {
        {"reason", to_string(band.status)},
        {"highest_image_above_initial_eV", band.barrier_forward},
        {"highest_image_above_final_eV", band.barrier_backward},
        {"note",
         "not a barrier: the band did not converge; see max_force_history (results.h5 "
         "bands/NNNN/force_history)"},
        {"max_force_history", history}};
  }
  if (settings.minimize_endpoints)
    record["endpoint_minimization"] = bands.endpoint_records.at(b);
  // The IDPP path is only a starting guess (the NEB relaxes it), so a capped IDPP relaxation
  // is recorded, not an error.
  if (!bands.idpp_records.empty())
    record["idpp"] = bands.idpp_records.at(b);
  if (pair.final_data) {
    // A constructed final state (jump band) is written out, so the band can be rerun.
    char name[40];
    std::snprintf(name, sizeof name, "jump_%04d_final.data", b);
    write_lammps_data(run.path(name), *pair.final_data);
    record["final_state"] = name;
  }
  if (settings.write_saddles) {
    char name[32];
    std::snprintf(name, sizeof name, "saddle_%04d.data", b);
    const int image = b * bands.n_images + saddle_image(band, bands.n_images);
    write_lammps_data(run.path(name),
                      replica_to_data(bands.final_bands, image, system.type_elements,
                                      system.potential.elements, system.potential.masses, false));
    record["saddle"] = name;
  }
  if (bands.shear)
    record["shear"] = band_shear_record(*bands.shear, b);
  return record;
}

std::vector<int> not_converged(const NebBands& bands) {
  std::vector<int> list;
  for (int b = 0; b < bands.n_bands; ++b)
    if (!bands.results[b].converged())
      list.push_back(b);
  return list;
}

}  // namespace

void write_neb_outputs(TaskRun& run, const SystemPotential& system, const NebTaskSettings& settings,
                       NebBands& bands) {
  bands.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - bands.start).count();
  std::vector<EnergyProfileFit> fits;
  for (const auto& band : bands.results)
    fits.push_back(
        fit_energy_profile(band.reaction_coordinate, band.energies, band.tangential_force));
  nlohmann::json records = nlohmann::json::array();
  for (int b = 0; b < bands.n_bands; ++b)
    records.push_back(band_record(run, system, settings, bands, fits, b));
  write_results_h5(run.path("results.h5"), settings.pairs, bands, fits);
  const std::vector<int> failed = not_converged(bands);
  nlohmann::json summary = {{"task", "neb"},
                            {"images", bands.n_images},
                            {"atoms_per_image", bands.batch.n_atoms},
                            {"all_converged", failed.empty()},
                            {"not_converged", failed},
                            {"iterations", bands.sweeps},
                            {"wall_time_s", bands.seconds},
                            {"bands", records},
                            {"fractal_dimension", fractal_dimension_record(bands.results)}};
  if (bands.shear)
    summary["shear"] = bands.shear_summary;
  write_file_atomically(run.path("neb.json"), summary.dump(2) + "\n");
}

void report_bands(const TaskRun& run, const NebTaskSettings& settings, const NebBands& bands) {
  const std::vector<BandResult>& results = bands.results;
  for (int b : not_converged(bands))
    if (!run.has_failed(b, "band"))  // a failed band is named with its cause by TaskRun
      std::fprintf(stderr,
                   "neb: WARNING band %d (%s → %s) NOT converged: %s after %d iterations, max "
                   "force %.3g eV/Å (its highest image, %.4g eV above the initial state, is not a "
                   "barrier; max force history in neb.json)\n",
                   b, settings.pairs[b].initial.c_str(), settings.pairs[b].final_state.c_str(),
                   to_string(results[b].status).c_str(), results[b].iterations,
                   results[b].max_force, results[b].barrier_forward);
  // The per-band results on stdout, --quiet or not (docs/exit-codes.md, "Console output"). A band
  // that did not converge has no barrier (null in neb.json, its highest image in the warning); a
  // failed band's row says so instead of its non-finite numbers.
  for (int b = 0; b < bands.n_bands; ++b) {
    const BandResult& band = results[b];
    if (run.has_failed(b, "band")) {
      std::printf("neb: band %d: FAILED (%s, see faults.json)\n", b,
                  to_string(band.status).c_str());
      continue;
    }
    char barriers[96];
    if (band.converged())
      std::snprintf(barriers, sizeof barriers, "barrier forward %.6f / backward %.6f eV",
                    band.barrier_forward, band.barrier_backward);
    else
      std::snprintf(barriers, sizeof barriers,
                    "barrier forward null / backward null eV (max force %.3g eV/Å)",
                    band.max_force);
    std::printf("neb: band %d: %s, %d iterations, %s, C %.4f Å, L %.4f Å\n", b,
                to_string(band.status).c_str(), band.iterations, barriers, band.contour_length,
                band.end_to_end);
  }
  if (bands.shear)
    for (const auto& strain : bands.shear_summary.at("strains"))
      std::printf("neb: γ_xy %g: %d band(s) lost, peak shift %s eV\n",
                  strain["gamma_xy"].get<double>(), strain["lost_bands"].get<int>(),
                  strain["peak_shift_eV"].dump().c_str());
  std::fflush(stdout);
  char wrote[256];
  std::snprintf(wrote, sizeof wrote, "wrote neb.json and results.h5 in %s (%.1f s)",
                run.output().directory.c_str(), bands.seconds);
  run.say(wrote);
}

}  // namespace glassland
