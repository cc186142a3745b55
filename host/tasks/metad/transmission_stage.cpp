#include "host/tasks/metad/transmission_stage.hpp"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "host/io/atomic_file.hpp"
#include "host/io/batch_checkpoint.hpp"
#include "host/io/hdf5_file.hpp"
#include "host/io/input_error.hpp"
#include "host/tasks/task_run.hpp"

namespace glassland {

namespace {

nlohmann::ordered_json null_or(bool valid, double value) {
  return valid && std::isfinite(value) ? nlohmann::ordered_json(value)
                                       : nlohmann::ordered_json(nullptr);
}

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  if (!in)
    throw std::runtime_error("cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string replica_name(int r) {
  char name[64];
  std::snprintf(name, sizeof name, "shots/replica_%04d", r);
  return name;
}

void save_job(Checkpoint& c, const TransmissionJob& job) {
  c.set_int64("job/biased_steps", job.biased_steps);
  save_cv_definitions(c, job.cvs);
  std::vector<int64_t> defined, direction;
  std::vector<double> position;
  for (const DividingSurface& d : job.surfaces) {
    defined.push_back(d.defined ? 1 : 0);
    direction.push_back(d.direction);
    position.push_back(d.position);
  }
  c.set("job/surface_defined", defined);
  c.set("job/surface_direction", direction);
  c.set("job/surface_position", position);
  c.set("job/rates", job.rates);
  c.set("job/seeds", job.seeds);
}

TransmissionJob load_job(const Checkpoint& c, int n) {
  TransmissionJob job;
  job.biased_steps = c.get_int64("job/biased_steps");
  job.cvs = load_cv_definitions(c, n);
  const auto& defined = c.int64s("job/surface_defined");
  const auto& direction = c.int64s("job/surface_direction");
  const auto& position = c.doubles("job/surface_position");
  job.rates = c.doubles("job/rates");
  job.seeds = c.uint64s("job/seeds");
  const size_t size = static_cast<size_t>(n);
  if (defined.size() != size || direction.size() != size || position.size() != size ||
      job.rates.size() != size || job.seeds.size() != size)
    throw InputError(c.source() + ": job/ does not hold one entry per tracer of this input");
  for (int r = 0; r < n; ++r)
    job.surfaces.push_back({defined[r] != 0, position[r], static_cast<int>(direction[r])});
  return job;
}

}  // namespace

void TransmissionStage::save(Checkpoint& c) const {
  const Batch& batch = s_.system.batch;
  save_batch(c, batch);
  save_job(c, job_);
  c.set_int64("shots/done", progress_ != nullptr ? progress_->shots_done : 0);
  if (progress_ == nullptr)
    return;
  save_integrator_state(c, progress_->chain_state);
  for (int r = 0; r < s_.n; ++r) {
    c.set(replica_name(r) + "/flux_weights", progress_->estimates[r].flux_weights);
    const auto& o = progress_->estimates[r].outcomes;
    c.set(replica_name(r) + "/outcomes", std::vector<int64_t>(o.begin(), o.end()));
  }
}

// The chains' integrator state and the shots so far; a checkpoint written before the first round
// holds only the starting configurations: the stage starts afresh from them.
void TransmissionStage::resume(const Checkpoint& c) {
  load_batch(c, s_.system.batch);
  job_ = load_job(c, s_.n);
  resumed_ = true;
  if (c.get_int64("shots/done") == 0)
    return;
  saved_ = std::make_unique<ReactiveFluxProgress>();
  saved_->shots_done = static_cast<int>(c.get_int64("shots/done"));
  MdIntegrator chain(s_.n, s_.n_atoms, shooting_dynamics().integrator);
  load_integrator_state(c, chain.state());
  saved_->chain_state = chain.state();
  saved_->estimates.resize(s_.n);
  for (int r = 0; r < s_.n; ++r) {
    saved_->estimates[r].flux_weights = c.doubles(replica_name(r) + "/flux_weights");
    for (int64_t o : c.int64s(replica_name(r) + "/outcomes"))
      saved_->estimates[r].outcomes.push_back(static_cast<int>(o));
  }
}

void TransmissionStage::run(TaskRun& run) {
  if (s_.m.transmission.shots == 0)
    return;
  if (!resumed_) {
    prepare_job();
    if (run.output().checkpoint_stride > 0)
      run.write_checkpoint(*this);
  }
  std::vector<TransmissionEstimate> estimates;
  try {
    estimates = shoot(run);
  } catch (const std::invalid_argument& e) {
    if (!resumed_)
      throw;
    throw InputError(run.path(checkpoint_file()) + ": " + e.what() +
                     " (was the input changed?); remove it and run without --restart");
  }
  write_results(run, estimates);
  run.remove_checkpoint(*this);
  s_.biased_steps = job_.biased_steps;
}

void TransmissionStage::prepare_job() {
  Batch& batch = s_.system.batch;
  job_.biased_steps = s_.biased_steps;
  job_.cvs = s_.bias->cvs().definitions();
  job_.surfaces.resize(s_.n);
  job_.rates = s_.rates;
  auto positions = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), batch.positions);
  auto images = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), batch.images);
  auto boxes = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), batch.boxes);
  for (int r = 0; r < s_.n; ++r) {
    const TracerRecord& t = s_.tracers[r];
    job_.seeds.push_back(static_cast<uint64_t>(s_.m.velocity_seed) +
                         static_cast<uint64_t>(t.atom_id));
    if (!s_.analyses[r].event.found || t.before.step < 0)
      continue;
    const FirstBarrier& b = s_.analyses[r].event.barrier;
    job_.surfaces[r] = {true, b.saddle_s, b.direction};
    boxes(r) = t.before.box;
    for (int i = 0; i < s_.n_atoms; ++i)
      for (int k = 0; k < 3; ++k) {
        positions(static_cast<size_t>(r) * s_.n_atoms + i, k) = t.before.positions[3 * i + k];
        images(static_cast<size_t>(r) * s_.n_atoms + i, k) = t.before.images[3 * i + k];
      }
  }
  Kokkos::deep_copy(batch.positions, positions);
  Kokkos::deep_copy(batch.images, images);
  Kokkos::deep_copy(batch.boxes, boxes);
}

ShootingDynamics TransmissionStage::shooting_dynamics() const {
  ShootingDynamics dynamics;
  dynamics.integrator.timestep = s_.m.timestep;
  dynamics.integrator.ensemble = Ensemble::nvt_nose_hoover;  // the sampling's, without the bias
  dynamics.temperature = s_.m.temperature;
  dynamics.thermostat_tau = s_.m.thermostat_tau;
  dynamics.seeds = job_.seeds;
  return dynamics;
}

ReactiveFluxSettings TransmissionStage::flux_settings(const OutputSettings& out) const {
  const MetadInput& m = s_.m;
  ReactiveFluxSettings flux = m.transmission;
  flux.commitment_time = m.event_dwell;    // the event rule of the tracers and of MD counts
  flux.sample_stride = out.thermo_stride;  // the stride of the CV series events are found on
  flux.grid_lower = m.bias.grid_lower;
  flux.grid_upper = m.bias.grid_upper;
  flux.grid_spacing = m.bias.grid_spacing;
  flux.centre_of_mass_frame = m.bias.centre_of_mass_frame;
  return flux;
}

std::vector<TransmissionEstimate> TransmissionStage::shoot(TaskRun& run) {
  const OutputSettings& out = run.output();
  const ReactiveFluxSettings flux = flux_settings(out);
  const TaskSystem& system = s_.system;
  Progress progress = run.progress(name(), flux.shots, 0, "shot round");
  // Tracers that failed (in an earlier stage, or in a round before a restart) do not shoot.
  std::vector<DividingSurface> surfaces = job_.surfaces;
  for (int r = 0; r < s_.n; ++r)
    if (run.has_failed(r))
      surfaces[r].defined = false;
  const FaultContext context{name(), s_.m.timestep, FaultLimits{}, false};
  const auto estimates = estimate_transmission_coefficients(
      s_.system.batch,
      [&] {
        return make_eam_term(system.potential, system.neighbor_skin, default_neighbor_list_kind(),
                             system.precision);
      },
      job_.cvs, surfaces, shooting_dynamics(), flux,
      [&](const ReactiveFluxProgress& now) {
        for (int r = 0; r < s_.n; ++r)
          if (now.estimates[r].fault.cause != FaultCause::none && !run.has_failed(r))
            run.record_failure(diagnose_fault(now.estimates[r].fault, s_.system.batch, context),
                               s_.n);
        progress.update(now.shots_done);
        if (out.checkpoint_stride > 0 && now.shots_done < flux.shots) {
          progress_ = &now;
          run.write_checkpoint(*this);
          progress_ = nullptr;
        }
      },
      saved_.get());
  progress.finish(flux.shots);
  return estimates;
}

// κ and κ·rate per tracer into results.h5 and summary.json (read back: a resumed stage did not
// write it in this process).
void TransmissionStage::write_results(TaskRun& run,
                                      const std::vector<TransmissionEstimate>& estimates) {
  const std::string summary_path = run.path("summary.json");
  nlohmann::ordered_json summary = nlohmann::ordered_json::parse(read_text(summary_path));
  hdf5::File file = hdf5::File::open_read_write(run.path("results.h5"));
  for (int r = 0; r < s_.n; ++r) {
    const TransmissionEstimate& e = estimates[r];
    const double corrected = e.computed ? e.kappa * job_.rates[r] : NAN;
    char name[64];
    std::snprintf(name, sizeof name, "tracers/tracer_%04d", r);
    const hdf5::Group g = file.group(name);
    const DividingSurface& surface = job_.surfaces[r];
    g.write("transmission/computed", std::vector<int>{e.computed ? 1 : 0});
    g.write("transmission/surface_s",
            std::vector<double>{surface.defined ? surface.position : NAN});
    g.write("transmission/direction", std::vector<int>{surface.direction});
    g.write("transmission/kappa", std::vector<double>{e.computed ? e.kappa : NAN});
    g.write("transmission/standard_error",
            std::vector<double>{e.computed ? e.standard_error : NAN});
    g.write("transmission/flux_weights", e.flux_weights);
    g.write("transmission/outcomes", e.outcomes);
    g.write("rate_recrossing_corrected_per_s", std::vector<double>{corrected});
    auto& entry = summary["tracers"][r];
    entry["transmission_coefficient"] = null_or(e.computed, e.kappa);
    entry["transmission_standard_error"] = null_or(e.computed, e.standard_error);
    entry["transmission_shots"] = e.shots;
    entry["rate_recrossing_corrected_per_s"] = null_or(e.computed, corrected);
  }
  file.close();
  write_file_atomically(summary_path, summary.dump(2) + "\n");
  s_.summary = summary;
}

}  // namespace glassland
