// The bands of `task: neb` and the stages that make and relax them (host/tasks/neb/neb_stages.hpp):
// minimise endpoints → interpolate → relax bands → shear response.
#include <algorithm>
#include <cstdio>
#include <stdexcept>

#include "host/io/batch_checkpoint.hpp"
#include "host/io/checkpoint.hpp"
#include "host/io/input_error.hpp"
#include "host/tasks/neb/neb_shear_spectrum.hpp"
#include "host/tasks/neb/neb_stages.hpp"
#include "host/tasks/task_run.hpp"
#include "saddle/idpp.hpp"

namespace glassland {

NebBands::NebBands(const SystemPotential& system, const NebTaskSettings& settings)
    : n_bands(static_cast<int>(settings.pairs.size())), n_images(settings.n_images) {
  // Replica 2b: initial state of band b, 2b + 1: its final state.
  std::vector<NamedStructure> endpoints;
  for (const auto& pair : settings.pairs) {
    endpoints.push_back(
        {pair.initial, pair.initial_data ? *pair.initial_data : read_lammps_data(pair.initial)});
    endpoints.push_back({pair.final_state,
                         pair.final_data ? *pair.final_data : read_lammps_data(pair.final_state)});
    system.checks.apply(endpoints[endpoints.size() - 2]);
    system.checks.apply(endpoints.back());
    check_endpoint_pair(pair.initial, pair.final_state, endpoints[endpoints.size() - 2].data,
                        endpoints.back().data);
    check_endpoints_differ(pair.initial, pair.final_state, endpoints[endpoints.size() - 2].data,
                           endpoints.back().data);
  }
  batch = make_bands_from_endpoints(make_batch(endpoints, system.type_elements,
                                               system.potential.elements, system.potential.masses),
                                    n_images);
  force_field.add_term(make_eam_term(system.potential, system.neighbor_skin,
                                     default_neighbor_list_kind(), system.precision));
}

void minimize_endpoints(const NebTaskSettings& settings, NebBands& bands) {
  FireSettings fire;
  fire.tolerances.ftol = settings.endpoint_ftol;
  fire.tolerances.max_iterations = settings.endpoint_max_iterations;
  const int m = bands.n_images;
  const std::vector<ReplicaMinimization> minimized =
      minimize_band_endpoints(bands.batch, bands.force_field, m, fire);
  for (int b = 0; b < bands.n_bands; ++b) {
    const ReplicaMinimization& initial = minimized[b * m];
    const ReplicaMinimization& final_state = minimized[b * m + m - 1];
    bands.endpoint_records.push_back(
        {{"initial", to_string(initial.status)}, {"final", to_string(final_state.status)}});
    for (const auto* e : {&initial, &final_state})
      if (!is_converged(e->status))
        std::fprintf(stderr, "neb: WARNING band %d: endpoint minimisation %s after %d steps\n", b,
                     to_string(e->status).c_str(), e->iterations);
  }
}

void interpolate_bands(const NebTaskSettings& settings, NebBands& bands) {
  if (settings.interpolation == "idpp") {
    for (const BandResult& band : interpolate_idpp(bands.batch, bands.n_images, settings.idpp))
      bands.idpp_records.push_back(
          {{"status", to_string(band.status)}, {"iterations", band.iterations}});
  } else {
    interpolate_linear(bands.batch, bands.n_images);
  }
}

namespace {

// Appends every band that moved since its last entry to its force history; returns the progress
// line's note: how many bands run, and the largest force and highest image of the worst one.
std::string record_band_progress(const std::vector<BandProgress>& progress, NebBands& bands) {
  int running = 0, worst = -1;
  for (size_t b = 0; b < progress.size(); ++b) {
    const BandProgress& p = progress[b];
    auto& history = bands.force_history[b];
    if (history.empty() || history.back()[0] < p.iterations)
      history.push_back({static_cast<double>(p.iterations), p.max_force, p.highest_above_initial});
    if (!p.running)
      continue;
    ++running;
    if (worst < 0 || p.max_force > progress[worst].max_force)
      worst = static_cast<int>(b);
  }
  char note[160];
  if (worst < 0)
    std::snprintf(note, sizeof note, "0 of %d band(s) running", bands.n_bands);
  else
    std::snprintf(note, sizeof note,
                  "%d of %d band(s) running; band %d: max force %.3g eV/Å, highest image "
                  "%.4f eV above its initial state",
                  running, bands.n_bands, worst, progress[worst].max_force,
                  progress[worst].highest_above_initial);
  return note;
}

}  // namespace

// The batch (positions, images, boxes, true forces, energies), the runner's state and the sweep
// counter, the force histories, plus the records of the stages before.
void NebRelaxStage::save(Checkpoint& c) const {
  c.set_metadata({{"images", bands_.n_images},
                  {"endpoint_minimization", bands_.endpoint_records},
                  {"idpp", bands_.idpp_records}});
  save_batch(c, bands_.batch);
  save_batch_forces(c, bands_.batch);
  const NebRunnerState state = runner_.state();
  std::vector<std::string> double_names, integer_names;
  for (const auto& [name, values] : state.doubles) {
    c.set("runner/" + name, values);
    double_names.push_back(name);
  }
  for (const auto& [name, values] : state.integers) {
    c.set("runner/" + name, values);
    integer_names.push_back(name);
  }
  c.set("runner/double_names", double_names);
  c.set("runner/integer_names", integer_names);
  c.set_int64("run/sweeps", bands_.sweeps);
  std::vector<double> history;  // band, iteration, force, energy per entry
  for (size_t b = 0; b < bands_.force_history.size(); ++b)
    for (const auto& entry : bands_.force_history[b])
      history.insert(history.end(), {static_cast<double>(b), entry[0], entry[1], entry[2]});
  c.set("run/force_history", history);
}

void NebRelaxStage::resume(const Checkpoint& c) {
  if (c.metadata().value("images", -1) != bands_.n_images)
    throw InputError(c.source() +
                     ": written for bands of another number of images; remove it or run "
                     "without --restart");
  load_batch(c, bands_.batch);
  load_batch_forces(c, bands_.batch);
  NebRunnerState state;
  state.n_images = bands_.n_images;
  state.n_bands = bands_.n_bands;
  for (const auto& name : c.strings("runner/double_names"))
    state.doubles.emplace_back(name, c.doubles("runner/" + name));
  for (const auto& name : c.strings("runner/integer_names"))
    state.integers.emplace_back(name, c.int64s("runner/" + name));
  try {
    runner_.restore(bands_.batch, bands_.n_images, state);
  } catch (const std::invalid_argument& e) {
    throw InputError(c.source() + ": " + e.what());
  }
  bands_.sweeps = c.get_int64("run/sweeps");
  const std::vector<double> history = c.doubles("run/force_history");
  bands_.force_history.assign(bands_.n_bands, {});
  for (size_t k = 0; k + 3 < history.size(); k += 4)
    bands_.force_history.at(static_cast<size_t>(history[k]))
        .push_back({history[k + 1], history[k + 2], history[k + 3]});
  bands_.endpoint_records = c.metadata().at("endpoint_minimization");
  bands_.idpp_records = c.metadata().at("idpp");
  resumed_ = true;
}

// A band whose numbers broke down (issue 16) failed: recorded with the first image whose forces
// are not finite and the atoms on top of each other there, if any; its results stay in neb.json
// with status non_finite_energy.
void NebRelaxStage::record_failed_bands(TaskRun& run) const {
  for (int b = 0; b < bands_.n_bands; ++b) {
    const BandResult& band = bands_.results[b];
    if (band.status != NebStatus::non_finite_energy || run.has_failed(b, "band"))
      continue;
    ReplicaFailure failure;
    failure.unit = "band";
    failure.replica = b;
    failure.stage = name();
    failure.step = band.iterations;
    failure.cause = to_string(band.status);
    failure.detail = "an image's energy is not finite";
    failure.remedy = "check the endpoints for atoms too close together";
    for (int image = 0; image < bands_.n_images; ++image) {
      ReplicaFailure seen = failure;
      diagnose_non_finite(seen, b * bands_.n_images + image, bands_.batch);
      if (seen.detail.find("force on atom") != std::string::npos) {
        failure.detail = "image " + std::to_string(image) + ": " + seen.detail;
        failure.remedy = seen.remedy;
        break;
      }
    }
    run.record_failure(failure, bands_.n_bands);
  }
}

void NebRelaxStage::run(TaskRun& run) {
  Batch& batch = bands_.batch;
  ForceField& force_field = bands_.force_field;
  const int64_t stride = run.output().checkpoint_stride;
  if (resumed_)
    run.say("continuing after " + std::to_string(bands_.sweeps) + " iterations");
  else
    runner_.start(batch, force_field, bands_.n_images);
  // Without checkpoints this is NebRunner::run.
  const int interval = std::max(1, settings_.neb.host_check_interval);
  Progress progress =
      run.progress("", settings_.neb.max_iterations,
                   static_cast<int64_t>(batch.n_replicas) * batch.n_atoms, "iteration");
  progress.update(bands_.sweeps);  // where this run starts (rates count from here)
  if (bands_.force_history.empty())
    bands_.force_history.assign(bands_.n_bands, {});
  int running = runner_.advance(batch, force_field, 0);
  while (running > 0) {
    int64_t chunk = interval;
    if (stride > 0)
      chunk = std::min(chunk, stride - bands_.sweeps % stride);
    running = runner_.advance(batch, force_field, static_cast<int>(chunk));
    bands_.sweeps += chunk;
    if (stride > 0 && bands_.sweeps % stride == 0 && running > 0) {
      run.write_checkpoint(*this);
      force_field.reset();  // start afresh exactly as a restart does, so both runs agree bitwise
    }
    progress.update(bands_.sweeps, record_band_progress(runner_.progress(batch), bands_));
  }
  progress.finish(bands_.sweeps);
  bands_.results = runner_.results(batch);
  record_failed_bands(run);
  if (settings_.write_saddles)
    bands_.final_bands = snapshot(batch);
  if (settings_.shear.enabled && stride > 0) {
    run.write_checkpoint(*this);
    force_field.reset();
  }
}

void shear_bands(TaskRun& run, const NebTaskSettings& settings, NebBands& bands) {
  ShearSettings shear;
  shear.neb = settings.neb;
  shear.minimize_endpoints = settings.shear.minimize_endpoints;
  shear.endpoint_fire.tolerances.ftol = settings.endpoint_ftol;
  shear.endpoint_fire.tolerances.max_iterations = settings.endpoint_max_iterations;
  shear.hump_prominence = settings.shear.hump_prominence;
  shear.reinterpolate = settings.shear.reinterpolate;
  run.say("shear response at " + std::to_string(settings.shear.strains.size()) +
          " strain(s) (and the γ = 0 reference)");
  bands.shear = neb_shear_response(bands.batch, bands.force_field, bands.n_images,
                                   settings.shear.strains, shear);
  bands.shear_summary = shear_summary_record(*bands.shear, settings.shear);
}

}  // namespace glassland
