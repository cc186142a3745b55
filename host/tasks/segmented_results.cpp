#include "host/tasks/segmented_results.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <stdexcept>

#include "host/io/atomic_file.hpp"
#include "host/io/batch_io.hpp"
#include "host/io/input_error.hpp"

namespace glassland {

namespace fs = std::filesystem;

// The scalar thermo record, then the pressure tensor as LAMMPS's thermo pxx … pyz (kinetic +
// virial, bar; pressure = −stress, so the shear stress is τ_xy = −pxy).
const std::vector<H5mdObservableSet::Column>& thermo_columns() {
  static const std::vector<H5mdObservableSet::Column> columns = [] {
    std::vector<H5mdObservableSet::Column> c = {
        {"temperature", "K"},        {"pressure", "bar"},       {"volume", "Angstrom+3"},
        {"potential_energy", "eV"},  {"kinetic_energy", "eV"},  {"enthalpy", "eV"},
        {"target_temperature", "K"}, {"conserved_energy", "eV"}};
    for (const char* component : {"pxx", "pyy", "pzz", "pxy", "pxz", "pyz"})
      c.push_back({component, "bar"});
    return c;
  }();
  return columns;
}

SegmentedResults::SegmentedResults(std::string directory, Layout layout,
                                   nlohmann::json effective_configuration, std::string stem)
    : directory_(std::move(directory)),
      stem_(std::move(stem)),
      layout_(std::move(layout)),
      configuration_(std::move(effective_configuration)) {
  fs::create_directories(parts_directory());
  if (layout_.dump_stride > 0) {
    dump_ = std::make_unique<LammpsDumpWriter>(
        (fs::path(directory_) / "dump").string(),
        stem_ == "results" ? "replica_" : stem_ + "_replica_", layout_.n_replicas, layout_.n_atoms,
        layout_.dump_atoms, layout_.h5md.velocities, layout_.h5md.forces);
  }
}

SegmentedResults SegmentedResults::for_batch(const OutputSettings& out, const TaskSystem& system,
                                             nlohmann::json effective_configuration,
                                             std::string stem) {
  const Batch& batch = system.batch;
  const auto elements = Kokkos::create_mirror_view_and_copy(HostSpace(), batch.elements);
  const auto ids = Kokkos::create_mirror_view_and_copy(HostSpace(), batch.ids);
  const std::vector<int> element_of_type =
      map_types_to_elements(system.type_elements, system.potential.elements);
  Layout layout;
  layout.n_replicas = batch.n_replicas;
  layout.n_atoms = batch.n_atoms;
  layout.atoms.species_names = system.potential.elements;
  layout.atoms.species_masses = system.potential.masses;
  layout.dump_atoms.type_names = system.type_elements;
  for (size_t g = 0; g < elements.extent(0); ++g) {
    layout.atoms.species.push_back(elements(g) + 1);
    layout.atoms.ids.push_back(ids(g));
    // The data files' type of this element (the first that names it), as write_replica_data.
    const auto type = std::find(element_of_type.begin(), element_of_type.end(), elements(g));
    if (type == element_of_type.end())
      throw InputError("atom " + std::to_string(ids(g)) + " is of element \"" +
                       system.potential.elements.at(elements(g)) +
                       "\", which none of system.elements names");
    layout.dump_atoms.types.push_back(static_cast<int32_t>(type - element_of_type.begin()) + 1);
  }
  layout.dump_atoms.ids = layout.atoms.ids;
  layout.h5md.author = out.author;
  layout.h5md.velocities = out.velocities;
  layout.h5md.forces = out.forces;
  layout.h5md.images = true;
  layout.trajectory_stride = out.trajectory_stride;
  layout.dump_stride = out.dump_stride;
  return SegmentedResults(out.directory, std::move(layout), std::move(effective_configuration),
                          std::move(stem));
}

std::string SegmentedResults::parts_directory() const {
  return (fs::path(directory_) / (stem_ + ".parts")).string();
}

std::string SegmentedResults::part_path(int index) const {
  char name[32];
  std::snprintf(name, sizeof name, "part_%04d.h5", index);
  return (fs::path(parts_directory()) / name).string();
}

std::string SegmentedResults::dump_sizes_path(int index) const {
  char name[40];
  std::snprintf(name, sizeof name, "dump_sizes_%04d.json", index);
  return (fs::path(parts_directory()) / name).string();
}

void SegmentedResults::start_segment(int index) {
  close_segment();
  for (int k = index; fs::exists(part_path(k)); ++k)
    fs::remove(part_path(k));
  segment_ = index;
  file_ = std::make_unique<hdf5::File>(hdf5::File::create(part_path(index)));
  write_h5md_header(*file_, layout_.h5md.author);
  write_effective_configuration(*file_, configuration_);
  file_->flush();
  if (dump_)
    restore_dump(index);
}

// The dump as it was when part `index` first began: empty for part 0 (a fresh start), else the
// sizes that part recorded, or (a run killed between its checkpoint and the record) the sizes now,
// which are those of the checkpoint since the dump was synced when the previous part closed.
void SegmentedResults::restore_dump(int index) {
  for (int k = index + 1; fs::exists(dump_sizes_path(k)); ++k)
    fs::remove(dump_sizes_path(k));
  std::vector<std::uintmax_t> sizes(layout_.n_replicas, 0);
  const std::string record = dump_sizes_path(index);
  if (index > 0 && fs::exists(record)) {
    std::ifstream in(record);
    sizes = nlohmann::json::parse(in).get<std::vector<std::uintmax_t>>();
  } else if (index > 0) {
    sizes = dump_->sizes();
  }
  dump_->cut_to(sizes);
  dump_->sync();
  write_file_atomically(record, nlohmann::json(sizes).dump() + "\n");
}

void SegmentedResults::close_segment() {
  trajectory_.reset();
  thermo_.reset();
  for (auto& observables : extra_)
    observables.reset();
  if (file_)
    file_->close();
  file_.reset();
  if (dump_)
    dump_->sync();
}

void SegmentedResults::stop_replica(int r) {
  if (std::find(stopped_.begin(), stopped_.end(), r) == stopped_.end())
    stopped_.push_back(r);
}

std::vector<bool> SegmentedResults::stopped_replicas() const {
  std::vector<bool> stopped(layout_.n_replicas, false);
  for (int r : stopped_)
    stopped[r] = true;
  return stopped;
}

std::vector<std::vector<double>> SegmentedResults::without_stopped(
    const std::vector<std::vector<double>>& values) const {
  std::vector<std::vector<double>> kept = values;
  for (auto& column : kept)
    for (int r : stopped_)
      column[r] = std::numeric_limits<double>::quiet_NaN();
  return kept;
}

void SegmentedResults::record_thermo(int64_t step, double time,
                                     const std::vector<std::vector<double>>& values) {
  if (!thermo_)
    thermo_ = std::make_unique<H5mdObservableSet>(
        H5mdObservableSet::create(*file_, layout_.n_replicas, thermo_columns()));
  thermo_->append(step, time, without_stopped(values));
}

bool SegmentedResults::frame_due(int64_t step) const {
  const auto due = [step](int64_t stride) { return stride > 0 && step % stride == 0; };
  return due(layout_.trajectory_stride) || due(layout_.dump_stride);
}

int SegmentedResults::add_observable_set(std::vector<H5mdObservableSet::Column> columns) {
  if (file_)
    throw std::logic_error("SegmentedResults: observable sets are declared before the first part");
  extra_columns_.push_back(std::move(columns));
  extra_.emplace_back();
  return static_cast<int>(extra_columns_.size()) - 1;
}

void SegmentedResults::record_observables(int set, int64_t step, double time,
                                          const std::vector<std::vector<double>>& values) {
  std::unique_ptr<H5mdObservableSet>& observables = extra_.at(set);
  if (!observables)
    observables = std::make_unique<H5mdObservableSet>(
        H5mdObservableSet::create(*file_, layout_.n_replicas, extra_columns_[set]));
  observables->append(step, time, without_stopped(values));
}

void SegmentedResults::record_frame(const TrajectoryFrame& frame) {
  if (!stopped_.empty()) {
    // The stopped replicas' atoms and cells NaN, in copies (the frame's vectors are the caller's).
    const size_t atom_values = static_cast<size_t>(layout_.n_atoms) * 3;
    auto blank = [&](const std::vector<double>* values, std::vector<double>& copy,
                     size_t per_replica) {
      if (values == nullptr)
        return values;
      copy = *values;
      for (int r : stopped_)
        std::fill(copy.begin() + r * per_replica, copy.begin() + (r + 1) * per_replica,
                  std::numeric_limits<double>::quiet_NaN());
      return static_cast<const std::vector<double>*>(&copy);
    };
    std::vector<double> edges, origins, positions, velocities, forces;
    TrajectoryFrame kept = frame;
    kept.edge_vectors = blank(frame.edge_vectors, edges, 9);
    kept.origins = blank(frame.origins, origins, 3);
    kept.positions = blank(frame.positions, positions, atom_values);
    kept.velocities = blank(frame.velocities, velocities, atom_values);
    kept.forces = blank(frame.forces, forces, atom_values);
    append_frame(kept);
    return;
  }
  append_frame(frame);
}

void SegmentedResults::append_frame(const TrajectoryFrame& frame) {
  if (layout_.trajectory_stride > 0 && frame.step % layout_.trajectory_stride == 0) {
    if (!trajectory_)
      trajectory_ = std::make_unique<H5mdTrajectory>(H5mdTrajectory::create(
          *file_, layout_.n_replicas, layout_.n_atoms, layout_.atoms, layout_.h5md));
    trajectory_->append_frame(frame);
  }
  if (dump_ && frame.step % layout_.dump_stride == 0)
    dump_->append_frame(frame);
}

namespace {

std::vector<std::string> column_names(const std::vector<H5mdObservableSet::Column>& columns) {
  std::vector<std::string> names;
  for (const auto& column : columns)
    names.push_back(column.name);
  return names;
}

}  // namespace

// Every observable set (thermo, then the declared ones) appended part by part; a set no part
// recorded is not written (H5MD: no empty groups).
void SegmentedResults::merge_observables(const std::string& target) const {
  const hdf5::File merged = hdf5::File::create(target);
  write_h5md_header(merged, layout_.h5md.author);
  write_effective_configuration(merged, configuration_);
  // The atoms behind each replica's extensive observables (per-atom energies), now that the
  // frames live in trajectory.h5md.
  merged.write("parameters/atoms_per_replica", std::vector<std::int64_t>{layout_.n_atoms});
  std::vector<std::vector<H5mdObservableSet::Column>> sets = {thermo_columns()};
  sets.insert(sets.end(), extra_columns_.begin(), extra_columns_.end());
  for (const auto& columns : sets) {
    const std::vector<std::string> names = column_names(columns);
    std::unique_ptr<H5mdObservableSet> observables;
    for (int k = 0; fs::exists(part_path(k)); ++k) {
      const hdf5::File part = hdf5::File::open_read_only(part_path(k));
      if (!part.exists("observables/" + names.front()))
        continue;
      if (!observables)
        observables = std::make_unique<H5mdObservableSet>(
            H5mdObservableSet::create(merged, layout_.n_replicas, columns));
      observables->append_records_of(H5mdObservableSet::open(part, names));
    }
  }
  merged.flush();
}

void SegmentedResults::merge_trajectory(const std::string& target) const {
  const hdf5::File merged = hdf5::File::create(target);
  write_h5md_header(merged, layout_.h5md.author);
  write_effective_configuration(merged, configuration_);
  const H5mdTrajectory trajectory = H5mdTrajectory::create(
      merged, layout_.n_replicas, layout_.n_atoms, layout_.atoms, layout_.h5md);
  for (int k = 0; fs::exists(part_path(k)); ++k) {
    const hdf5::File part = hdf5::File::open_read_only(part_path(k));
    if (part.exists("particles"))
      trajectory.append_frames_of(H5mdTrajectory::open(part));
  }
  merged.flush();
}

std::string SegmentedResults::merge() {
  close_segment();
  const std::string results = (fs::path(directory_) / (stem_ + ".h5")).string();
  write_file_atomically(results,
                        [&](const std::string& temporary) { merge_observables(temporary); });
  const std::string trajectory =
      (fs::path(directory_) /
       (stem_ == "results" ? std::string("trajectory.h5md") : stem_ + "_trajectory.h5md"))
          .string();
  bool any_frames = false;
  for (int k = 0; fs::exists(part_path(k)) && !any_frames; ++k)
    any_frames = hdf5::File::open_read_only(part_path(k)).exists("particles");
  if (any_frames) {
    write_file_atomically(trajectory,
                          [&](const std::string& temporary) { merge_trajectory(temporary); });
    trajectory_path_ = trajectory;
  } else {
    fs::remove(trajectory);  // an earlier run's, in the same directory
  }
  fs::remove_all(parts_directory());
  return results;
}

}  // namespace glassland
