#include "host/run_output.hpp"

#include <cmath>
#include <cstdio>
#include <filesystem>

#include "host/input_error.hpp"
#include "kernels/units.hpp"

namespace glassland {

namespace fs = std::filesystem;

OutputSettings read_output_settings(InputObject& input, const std::string& default_directory) {
  InputObject o = input.object("output", "where and how often results are written");
  OutputSettings s;
  // Relative to the working directory, like LAMMPS's log and dump files (input paths, by
  // contrast, are relative to the input file).
  s.directory = o.string("directory", default_directory,
                         "directory for results, structures and checkpoints (relative to the "
                         "working directory)");
  s.thermo_stride = o.integer("thermo_stride", 100, "steps", "steps between thermodynamic records",
                              IntegerRange::positive());
  s.trajectory_stride = o.integer("trajectory_stride", 0, "steps",
                                  "steps between trajectory frames (H5MD); 0 writes none",
                                  IntegerRange::non_negative());
  s.checkpoint_stride = o.integer("checkpoint_stride", 0, "steps",
                                  "steps between checkpoints; 0: only at the end of each stage",
                                  IntegerRange::non_negative());
  s.velocities = o.boolean("velocities", false, "trajectory frames include velocities");
  s.forces = o.boolean("forces", false, "trajectory frames include forces");
  s.quiet = o.boolean("quiet", false, "no progress lines (batch jobs)");
  s.progress_interval = o.number("progress_interval", 5.0, "s", "seconds between progress lines",
                                 NumberRange::positive());
  return s;
}

Progress::Progress(std::string label, int64_t total_steps, int64_t atoms_per_step,
                   double interval_s, bool quiet, std::string unit)
    : label_(std::move(label)),
      total_steps_(total_steps),
      atoms_per_step_(atoms_per_step),
      interval_s_(interval_s),
      quiet_(quiet),
      unit_(std::move(unit)),
      start_(std::chrono::steady_clock::now()),
      last_print_(start_) {}

void Progress::update(int64_t steps_done) {
  if (first_steps_ < 0)
    first_steps_ = steps_done;  // a restart starts part-way
  const auto now = std::chrono::steady_clock::now();
  if (quiet_ || std::chrono::duration<double>(now - last_print_).count() < interval_s_)
    return;
  last_print_ = now;
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  const double rate = (steps_done - first_steps_) / std::max(elapsed, 1e-9);
  const double left = rate > 0 ? (total_steps_ - steps_done) / rate : 0.0;
  std::fprintf(stderr, "%s: %5.1f%%  %s %lld/%lld  %.1f %ss/s%s  %02d:%02d:%02d left\n",
               label_.c_str(), 100.0 * steps_done / std::max<int64_t>(total_steps_, 1),
               unit_.c_str(), static_cast<long long>(steps_done),
               static_cast<long long>(total_steps_), rate, unit_.c_str(),
               atom_steps(rate, "  ").c_str(), static_cast<int>(left / 3600),
               static_cast<int>(left / 60) % 60, static_cast<int>(left) % 60);
}

void Progress::finish(int64_t steps_done) {
  if (quiet_)
    return;
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const double rate = (steps_done - std::max<int64_t>(first_steps_, 0)) / std::max(elapsed, 1e-9);
  std::fprintf(stderr, "%s: done, %lld %ss in %.1f s (%.1f %ss/s%s)\n", label_.c_str(),
               static_cast<long long>(steps_done), unit_.c_str(), elapsed, rate, unit_.c_str(),
               atom_steps(rate, ", ").c_str());
}

std::string Progress::atom_steps(double rate, const char* separator) const {
  if (atoms_per_step_ <= 0)
    return "";
  char text[64];
  std::snprintf(text, sizeof text, "%s%.3g atom-steps/s", separator, rate * atoms_per_step_);
  return text;
}

const std::vector<H5mdObservableSet::Column>& thermo_columns() {
  static const std::vector<H5mdObservableSet::Column> columns = {
      {"temperature", "K"},        {"pressure", "bar"},       {"volume", "Angstrom^3"},
      {"potential_energy", "eV"},  {"kinetic_energy", "eV"},  {"enthalpy", "eV"},
      {"target_temperature", "K"}, {"conserved_energy", "eV"}};
  return columns;
}

SegmentedResults::SegmentedResults(std::string directory, int n_replicas, int n_atoms,
                                   std::vector<int32_t> species, H5mdOptions options,
                                   nlohmann::json effective_configuration, std::string stem)
    : directory_(std::move(directory)),
      stem_(std::move(stem)),
      n_replicas_(n_replicas),
      n_atoms_(n_atoms),
      species_(std::move(species)),
      options_(options),
      configuration_(std::move(effective_configuration)) {
  fs::create_directories(fs::path(directory_) / (stem_ + ".parts"));
}

SegmentedResults SegmentedResults::for_batch(const OutputSettings& out, const Batch& batch,
                                             nlohmann::json effective_configuration,
                                             std::string stem) {
  auto elements = Kokkos::create_mirror_view_and_copy(HostSpace(), batch.elements);
  std::vector<int32_t> species(elements.extent(0));
  for (size_t g = 0; g < species.size(); ++g)
    species[g] = elements(g) + 1;
  H5mdOptions h5md;
  h5md.velocities = out.velocities;
  h5md.forces = out.forces;
  h5md.images = true;
  return SegmentedResults(out.directory, batch.n_replicas, batch.n_atoms, std::move(species), h5md,
                          std::move(effective_configuration), std::move(stem));
}

std::string SegmentedResults::part_path(int index) const {
  char name[32];
  std::snprintf(name, sizeof name, "part_%04d.h5", index);
  return (fs::path(directory_) / (stem_ + ".parts") / name).string();
}

void SegmentedResults::start_segment(int index) {
  close_segment();
  for (int k = index; fs::exists(part_path(k)); ++k)
    fs::remove(part_path(k));
  segment_ = index;
  file_ = std::make_unique<hdf5::File>(hdf5::File::create(part_path(index)));
  write_h5md_header(*file_, options_.author);
  write_effective_configuration(*file_, configuration_);
  trajectory_ = std::make_unique<H5mdTrajectory>(
      H5mdTrajectory::create(*file_, n_replicas_, n_atoms_, species_, options_));
  thermo_ = std::make_unique<H5mdObservableSet>(
      H5mdObservableSet::create(*file_, n_replicas_, thermo_columns()));
  file_->flush();
}

void SegmentedResults::close_segment() {
  trajectory_.reset();
  thermo_.reset();
  if (file_)
    file_->close();
  file_.reset();
}

void SegmentedResults::record_thermo(int64_t step, double time,
                                     const std::vector<std::vector<double>>& values) {
  thermo_->append(step, time, values);
}

void SegmentedResults::record_frame(const TrajectoryFrame& frame) {
  trajectory_->append_frame(frame);
}

namespace {

// Appends every time series (…/step, …/time, …/value) of `from` to the same path in `to`.
void append_series(const hdf5::Group& from, const hdf5::Group& to, const std::string& path) {
  for (const auto& name : from.group(path.empty() ? "/" : path).member_names()) {
    const std::string child = path + "/" + name;
    if (from.is_group(child)) {
      append_series(from, to, child);
      continue;
    }
    if (name != "step" && name != "time" && name != "value")
      continue;
    const hdf5::Dataset source = from.dataset(child);
    if (source.rows() == 0)
      continue;
    const hdf5::Series target = to.series(child);
    switch (source.element_type()) {
      case hdf5::ElementType::float64: {
        const auto v = source.read<double>();
        for (size_t row = 0; row < source.rows(); ++row)
          target.append_without_flush(v.data() + row * source.row_size(), source.row_size());
        break;
      }
      case hdf5::ElementType::int64: {
        const auto v = source.read<int64_t>();
        for (size_t row = 0; row < source.rows(); ++row)
          target.append_without_flush(v.data() + row * source.row_size(), source.row_size());
        break;
      }
      case hdf5::ElementType::int32: {
        const auto v = source.read<int32_t>();
        for (size_t row = 0; row < source.rows(); ++row)
          target.append_without_flush(v.data() + row * source.row_size(), source.row_size());
        break;
      }
      default:
        throw std::runtime_error("results merge: unexpected element type in " + child);
    }
  }
}

}  // namespace

std::string SegmentedResults::merge() {
  close_segment();
  const std::string target = (fs::path(directory_) / (stem_ + ".h5")).string();
  write_file_atomically(target, [&](const std::string& temporary) {
    fs::copy_file(part_path(0), temporary, fs::copy_options::overwrite_existing);
    const hdf5::File merged = hdf5::File::open_read_write(temporary);
    for (int k = 1; fs::exists(part_path(k)); ++k) {
      const hdf5::File part = hdf5::File::open_read_only(part_path(k));
      append_series(part, merged, "");
    }
    merged.flush();
  });
  fs::remove_all(fs::path(directory_) / (stem_ + ".parts"));
  return target;
}

std::vector<std::vector<double>> thermo_values(const Batch& batch, const Thermo& thermo) {
  auto host = [](const auto& view) {
    return Kokkos::create_mirror_view_and_copy(HostSpace(), view);
  };
  const auto t = host(thermo.temperature);
  const auto p = host(thermo.pressure);
  const auto v = host(thermo.volume);
  const auto ke = host(thermo.kinetic_energy);
  const auto target = host(thermo.target_temperature);
  const auto reservoir = host(thermo.reservoir_energy);
  const auto pe = host(batch.potential_energy);
  std::vector<std::vector<double>> values(thermo_columns().size(),
                                          std::vector<double>(batch.n_replicas));
  for (int r = 0; r < batch.n_replicas; ++r) {
    values[0][r] = t(r);
    values[1][r] = p(r);
    values[2][r] = v(r);
    values[3][r] = pe(r);
    values[4][r] = ke(r);
    // H = E + PV with P in eV/Å³.
    values[5][r] = pe(r) + ke(r) + p(r) / units::kEvPerA3ToBar * v(r);
    values[6][r] = target(r);
    values[7][r] = pe(r) + ke(r) + reservoir(r);
  }
  return values;
}

void MdRecorder::record(int64_t step, const Batch& batch, const MdIntegrator& integrator,
                        SegmentedResults& results) {
  const double time = step * timestep_;
  if (step % out_.thermo_stride == 0) {
    integrator.compute_thermo(batch, thermo_);
    results.record_thermo(step, time, thermo_values(batch, thermo_));
  }
  if (out_.trajectory_stride > 0 && step % out_.trajectory_stride == 0)
    results.record_frame(make_frame(batch, step, time, frame_storage_));
}

TrajectoryFrame make_frame(const Batch& batch, int64_t step, double time, FrameStorage& storage) {
  const auto boxes = Kokkos::create_mirror_view_and_copy(HostSpace(), batch.boxes);
  storage.edges.assign(static_cast<size_t>(batch.n_replicas) * 9, 0.0);
  for (int r = 0; r < batch.n_replicas; ++r) {
    const Box& b = boxes(r);
    const double rows[9] = {b.lx, 0, 0, b.xy, b.ly, 0, b.xz, b.yz, b.lz};  // a, b, c
    for (int k = 0; k < 9; ++k)
      storage.edges[r * 9 + k] = rows[k];
  }
  auto flatten = [](const AtomVectors& view, std::vector<double>& out) {
    const auto host = Kokkos::create_mirror_view_and_copy(HostSpace(), view);
    out.resize(host.extent(0) * 3);
    for (size_t g = 0; g < host.extent(0); ++g)
      for (int k = 0; k < 3; ++k)
        out[g * 3 + k] = host(g, k);
  };
  flatten(batch.positions, storage.positions);
  flatten(batch.velocities, storage.velocities);
  flatten(batch.forces, storage.forces);
  const auto images = Kokkos::create_mirror_view_and_copy(HostSpace(), batch.images);
  storage.images.resize(images.extent(0) * 3);
  for (size_t g = 0; g < images.extent(0); ++g)
    for (int k = 0; k < 3; ++k)
      storage.images[g * 3 + k] = images(g, k);
  TrajectoryFrame frame;
  frame.step = step;
  frame.time = time;
  frame.edge_vectors = &storage.edges;
  frame.positions = &storage.positions;
  frame.velocities = &storage.velocities;
  frame.forces = &storage.forces;
  frame.images = &storage.images;
  return frame;
}

namespace {

// Any rank-1 or rank-2 view of arithmetic values, flattened in index order.
template <class View>
std::vector<double> view_doubles(const View& view) {
  const auto host = Kokkos::create_mirror_view_and_copy(HostSpace(), view);
  std::vector<double> out;
  const size_t columns = View::rank == 2 ? host.extent(1) : 1;
  for (size_t i = 0; i < host.extent(0); ++i)
    for (size_t j = 0; j < columns; ++j) {
      if constexpr (View::rank == 2)
        out.push_back(static_cast<double>(host(i, j)));
      else
        out.push_back(static_cast<double>(host(i)));
    }
  return out;
}

template <class View>
void load_view(const std::vector<double>& values, const View& view, const std::string& name,
               const Checkpoint& checkpoint) {
  auto host = Kokkos::create_mirror_view(view);
  const size_t columns = View::rank == 2 ? host.extent(1) : 1;
  if (values.size() != host.extent(0) * columns)
    throw InputError(checkpoint.source() + ": " + name + " has " + std::to_string(values.size()) +
                     " values but this run needs " + std::to_string(host.extent(0) * columns) +
                     "; the checkpoint belongs to another system");
  size_t k = 0;
  for (size_t i = 0; i < host.extent(0); ++i)
    for (size_t j = 0; j < columns; ++j) {
      using Value = typename View::non_const_value_type;
      if constexpr (View::rank == 2)
        host(i, j) = static_cast<Value>(values[k++]);
      else
        host(i) = static_cast<Value>(values[k++]);
    }
  Kokkos::deep_copy(view, host);
}

template <class View>
void save(Checkpoint& c, const std::string& name, const View& view) {
  c.set(name, view_doubles(view));
}
template <class View>
void load(const Checkpoint& c, const std::string& name, const View& view) {
  load_view(c.doubles(name), view, name, c);
}

// int64 step counters exceed 2^53 only after 10^15 steps: doubles hold them exactly.
}  // namespace

std::vector<double> box_values(const Box& b) {
  return {b.lo[0], b.lo[1], b.lo[2], b.lx, b.ly, b.lz, b.xy, b.xz, b.yz};
}

Box box_from_values(const double* v) {
  Box b;
  b.lo[0] = v[0];
  b.lo[1] = v[1];
  b.lo[2] = v[2];
  b.lx = v[3];
  b.ly = v[4];
  b.lz = v[5];
  b.xy = v[6];
  b.xz = v[7];
  b.yz = v[8];
  return b;
}

void save_batch(Checkpoint& c, const Batch& batch) {
  save(c, "batch/positions", batch.positions);
  save(c, "batch/images", batch.images);
  save(c, "batch/velocities", batch.velocities);
  const auto boxes = Kokkos::create_mirror_view_and_copy(HostSpace(), batch.boxes);
  std::vector<double> flat;
  for (int r = 0; r < batch.n_replicas; ++r)
    for (double v : box_values(boxes(r)))
      flat.push_back(v);
  c.set("batch/boxes", flat, {static_cast<size_t>(batch.n_replicas), 9});
}

void load_batch(const Checkpoint& c, Batch& batch) {
  load(c, "batch/positions", batch.positions);
  load(c, "batch/images", batch.images);
  load(c, "batch/velocities", batch.velocities);
  const auto& flat = c.doubles("batch/boxes");
  if (flat.size() != static_cast<size_t>(batch.n_replicas) * 9)
    throw InputError(c.source() + ": batch/boxes does not match this run's replicas");
  auto boxes = Kokkos::create_mirror_view(batch.boxes);
  for (int r = 0; r < batch.n_replicas; ++r)
    boxes(r) = box_from_values(&flat[static_cast<size_t>(r) * 9]);
  Kokkos::deep_copy(batch.boxes, boxes);
}

void save_integrator_state(Checkpoint& c, const IntegratorState& s) {
  save(c, "integrator/step", s.step);
  save(c, "integrator/thermostat_position", s.thermostat_position);
  save(c, "integrator/thermostat_velocity", s.thermostat_velocity);
  save(c, "integrator/thermostat_acceleration", s.thermostat_acceleration);
  save(c, "integrator/barostat_chain_position", s.barostat_chain_position);
  save(c, "integrator/barostat_chain_velocity", s.barostat_chain_velocity);
  save(c, "integrator/barostat_chain_acceleration", s.barostat_chain_acceleration);
  save(c, "integrator/barostat_velocity", s.barostat_velocity);
  save(c, "integrator/barostat_strain", s.barostat_strain);
}

void load_integrator_state(const Checkpoint& c, const IntegratorState& s) {
  load(c, "integrator/step", s.step);
  load(c, "integrator/thermostat_position", s.thermostat_position);
  load(c, "integrator/thermostat_velocity", s.thermostat_velocity);
  load(c, "integrator/thermostat_acceleration", s.thermostat_acceleration);
  load(c, "integrator/barostat_chain_position", s.barostat_chain_position);
  load(c, "integrator/barostat_chain_velocity", s.barostat_chain_velocity);
  load(c, "integrator/barostat_chain_acceleration", s.barostat_chain_acceleration);
  load(c, "integrator/barostat_velocity", s.barostat_velocity);
  load(c, "integrator/barostat_strain", s.barostat_strain);
}

}  // namespace glassland
