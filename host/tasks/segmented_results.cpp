#include "host/tasks/segmented_results.hpp"

#include <cstdio>
#include <filesystem>
#include <stdexcept>

#include "host/io/atomic_file.hpp"

namespace glassland {

namespace fs = std::filesystem;

// The scalar thermo record, then the pressure tensor as LAMMPS's thermo pxx … pyz (kinetic +
// virial, bar; pressure = −stress, so the shear stress is τ_xy = −pxy).
const std::vector<H5mdObservableSet::Column>& thermo_columns() {
  static const std::vector<H5mdObservableSet::Column> columns = [] {
    std::vector<H5mdObservableSet::Column> c = {
        {"temperature", "K"},        {"pressure", "bar"},       {"volume", "Angstrom^3"},
        {"potential_energy", "eV"},  {"kinetic_energy", "eV"},  {"enthalpy", "eV"},
        {"target_temperature", "K"}, {"conserved_energy", "eV"}};
    for (const char* component : {"pxx", "pyy", "pzz", "pxy", "pxz", "pyz"})
      c.push_back({component, "bar"});
    return c;
  }();
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
  extra_.clear();
  for (const auto& columns : extra_columns_)
    extra_.push_back(H5mdObservableSet::create(*file_, n_replicas_, columns));
  file_->flush();
}

void SegmentedResults::close_segment() {
  trajectory_.reset();
  thermo_.reset();
  extra_.clear();
  if (file_)
    file_->close();
  file_.reset();
}

void SegmentedResults::record_thermo(int64_t step, double time,
                                     const std::vector<std::vector<double>>& values) {
  thermo_->append(step, time, values);
}

int SegmentedResults::add_observable_set(std::vector<H5mdObservableSet::Column> columns) {
  if (file_)
    throw std::logic_error("SegmentedResults: observable sets are declared before the first part");
  extra_columns_.push_back(std::move(columns));
  return static_cast<int>(extra_columns_.size()) - 1;
}

void SegmentedResults::record_observables(int set, int64_t step, double time,
                                          const std::vector<std::vector<double>>& values) {
  extra_.at(set).append(step, time, values);
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

}  // namespace glassland
