#include "host/io/h5md_reader.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "host/io/hdf5_file.hpp"
#include "host/io/input_error.hpp"

namespace glassland {

namespace {

// A numeric dataset (or rows of it) as doubles, whatever integer or floating type it holds.
std::vector<double> as_doubles(const hdf5::Dataset& d, hsize_t first = 0, hsize_t count = 0) {
  const bool whole = count == 0;
  auto convert = [&](auto tag) {
    using T = decltype(tag);
    const std::vector<T> v = whole ? d.read<T>() : d.read_rows<T>(first, count);
    return std::vector<double>(v.begin(), v.end());
  };
  switch (d.element_type()) {
    case hdf5::ElementType::float64:
      return whole ? d.read<double>() : d.read_rows<double>(first, count);
    case hdf5::ElementType::int32:
      return convert(std::int32_t{});
    case hdf5::ElementType::int64:
      return convert(std::int64_t{});
    case hdf5::ElementType::uint64:
      return convert(std::uint64_t{});
    default:
      throw InputError(d.file_path() + ": " + d.name() + ": expected numbers");
  }
}

// The step or time axis of an H5MD time-dependent element: an array, or (H5MD 1.1) a scalar
// increment with an optional "offset" attribute.
struct TimeAxis {
  bool present = false;
  bool fixed_interval = false;
  std::vector<double> values;
  double increment = 0.0, offset = 0.0;
  double at(std::size_t k) const {
    if (!present)
      return std::numeric_limits<double>::quiet_NaN();
    return fixed_interval ? offset + increment * static_cast<double>(k) : values.at(k);
  }
};

TimeAxis read_axis(const hdf5::Group& element, const std::string& name) {
  TimeAxis axis;
  if (!element.exists(name))
    return axis;
  const hdf5::Dataset d = element.dataset(name);
  axis.present = true;
  if (d.shape().empty()) {
    axis.fixed_interval = true;
    axis.increment = as_doubles(d).at(0);
    axis.offset = d.has_attribute("offset") ? d.double_attribute("offset") : 0.0;
  } else {
    axis.values = as_doubles(d);
  }
  return axis;
}

// Multiplier to Å (lengths) or ps (times) for a "unit" attribute, 1 when there is none.
double unit_factor(const hdf5::Object& object, bool length) {
  if (!object.has_attribute("unit"))
    return 1.0;
  const std::string unit = object.string_attribute("unit");
  if (length) {
    if (unit == "Angstrom" || unit == "angstrom" || unit == "A" || unit == "Å")
      return 1.0;
    if (unit == "nm")
      return 10.0;
  } else {
    if (unit == "ps")
      return 1.0;
    if (unit == "fs")
      return 1e-3;
  }
  throw InputError(object.file_path() + ": " + object.name() + ": unit '" + unit +
                   "' is not supported (" + (length ? "Angstrom or nm" : "ps or fs") + ")");
}

// A per-atom element that may be a fixed dataset or a time-dependent group: its first row.
std::vector<double> per_atom_values(const hdf5::Group& particles, const std::string& name) {
  if (particles.is_group(name))
    return as_doubles(particles.group(name).dataset("value"), 0, 1);
  return as_doubles(particles.dataset(name));
}

class H5mdGroupReader : public TrajectoryReader {
 public:
  H5mdGroupReader(const hdf5::File& file, const std::string& group_name)
      : file_(file), name_("particles/" + group_name) {
    const hdf5::Group particles = file.group(name_);
    const hdf5::Group position = particles.group("position");
    position_ = position.dataset("value");
    const std::vector<hsize_t> shape = position_.shape();
    if (shape.size() != 3 || shape[2] != 3)
      fail(name_ + "/position/value: expected [frames][N][3]");
    frames_ = shape[0];
    n_atoms_ = shape[1];
    length_factor_ = unit_factor(position_, true);
    steps_ = read_axis(position, "step");
    times_ = read_axis(position, "time");
    if (times_.present)
      time_factor_ = unit_factor(position.dataset("time"), false);
    if (!steps_.present)
      fail(name_ + "/position: no step dataset");
    read_box(particles.group("box"));
    if (particles.exists("image")) {
      image_ = particles.group("image").dataset("value");
      if (image_.shape() != shape)
        fail(name_ + "/image/value: its shape differs from position/value's");
      unwrapping_ = Unwrapping::image_flags;
    } else {
      unwrapping_ = Unwrapping::followed_between_frames;
    }
    read_atoms(particles);
    if (file.exists("parameters/effective_configuration"))
      configuration_ = file.dataset("parameters/effective_configuration").read_strings().at(0);
  }

  bool next(AtomsFrame& frame) override {
    try {
      return read_frame(frame);
    } catch (const Hdf5Error& e) {
      throw InputError(e.what());
    }
  }

  std::string description() const override { return file_.file_path() + ", " + name_; }
  std::size_t count_frames() override { return frames_; }
  std::vector<std::string> type_names() const override { return names_; }
  std::vector<double> type_masses() const override { return masses_; }
  std::string effective_configuration() const override { return configuration_; }
  Unwrapping unwrapping() const override { return unwrapping_; }

 private:
  bool read_frame(AtomsFrame& frame) {
    if (cursor_ >= frames_)
      return false;
    const std::size_t k = cursor_++;
    frame.index = k;
    frame.step = static_cast<std::int64_t>(std::llround(steps_.at(k)));
    frame.time_ps =
        times_.present ? times_.at(k) * time_factor_ : std::numeric_limits<double>::quiet_NaN();
    frame.cell = cell_at(k);
    const std::vector<double> x = as_doubles(position_, k, 1);
    std::vector<double> image;
    if (unwrapping_ == Unwrapping::image_flags)
      image = as_doubles(image_, k, 1);
    frame.ids = ids_;
    frame.types = types_;
    frame.positions.resize(3 * n_atoms_);
    for (std::size_t i = 0; i < n_atoms_; ++i) {
      const std::size_t a = order_[i];
      double p[3] = {x[3 * a] * length_factor_, x[3 * a + 1] * length_factor_,
                     x[3 * a + 2] * length_factor_};
      if (!image.empty()) {
        const double n[3] = {image[3 * a], image[3 * a + 1], image[3 * a + 2]};
        const std::array<double, 3> shift = frame.cell.to_cartesian(n);
        for (int d = 0; d < 3; ++d)
          p[d] += shift[d];
      }
      for (int d = 0; d < 3; ++d)
        frame.positions[3 * i + d] = p[d];
    }
    if (unwrapping_ == Unwrapping::followed_between_frames)
      unwrapper_.apply(frame);
    return true;
  }

  [[noreturn]] void fail(const std::string& message) const {
    throw InputError(file_.file_path() + ": " + message);
  }

  void read_box(const hdf5::Group& box) {
    if (box.is_group("edges")) {
      edges_ = box.group("edges").dataset("value");
      edges_time_dependent_ = true;
      if (edges_.rows() != frames_)
        fail(name_ + "/box/edges/value: " + std::to_string(edges_.rows()) +
             " frames, position has " + std::to_string(frames_));
    } else {
      edges_ = box.dataset("edges");
    }
    edges_factor_ = unit_factor(edges_, true);
    const std::size_t per_frame = edges_time_dependent_ ? edges_.row_size() : edges_.size();
    if (per_frame != 9 && per_frame != 3)
      fail(name_ + "/box/edges: expected 3 or 3×3 values per frame");
    for (const char* name : {"origin", "offset"}) {
      if (!box.exists(name))
        continue;
      if (box.is_group(name)) {
        origin_ = box.group(name).dataset("value");
        origin_time_dependent_ = true;
      } else {
        origin_ = box.dataset(name);
      }
      have_origin_ = true;
      break;
    }
  }

  analysis::PeriodicCell cell_at(std::size_t k) const {
    const std::vector<double> e =
        edges_time_dependent_ ? as_doubles(edges_, k, 1) : as_doubles(edges_);
    double rows[9] = {};
    if (e.size() == 3) {
      rows[0] = e[0];
      rows[4] = e[1];
      rows[8] = e[2];
    } else {
      std::copy(e.begin(), e.end(), rows);
    }
    for (double& r : rows)
      r *= edges_factor_;
    std::array<double, 3> origin{0.0, 0.0, 0.0};
    if (have_origin_) {
      const std::vector<double> o =
          origin_time_dependent_ ? as_doubles(origin_, k, 1) : as_doubles(origin_);
      if (o.size() != 3)
        fail(name_ + "/box origin: expected 3 values");
      for (int d = 0; d < 3; ++d)
        origin[d] = o[d] * edges_factor_;
    }
    try {
      return analysis::cell_from_edge_rows(rows, origin);
    } catch (const std::invalid_argument& e) {
      fail(name_ + "/box/edges, frame " + std::to_string(k) + ": " + e.what());
    }
  }

  void read_atoms(const hdf5::Group& particles) {
    if (!particles.exists("species"))
      fail(name_ + ": no species (one integer per atom)");
    const std::vector<double> species = per_atom_values(particles, "species");
    if (species.size() != n_atoms_)
      fail(name_ + "/species: " + std::to_string(species.size()) + " values for " +
           std::to_string(n_atoms_) + " atoms");
    std::vector<double> ids(n_atoms_);
    std::iota(ids.begin(), ids.end(), 1.0);
    if (particles.exists("id")) {
      ids = per_atom_values(particles, "id");
      if (ids.size() != n_atoms_)
        fail(name_ + "/id: " + std::to_string(ids.size()) + " values for " +
             std::to_string(n_atoms_) + " atoms");
    }
    order_.resize(n_atoms_);
    std::iota(order_.begin(), order_.end(), 0);
    std::stable_sort(order_.begin(), order_.end(),
                     [&](std::size_t a, std::size_t b) { return ids[a] < ids[b]; });
    for (std::size_t i = 0; i < n_atoms_; ++i) {
      ids_.push_back(static_cast<int>(ids[order_[i]]));
      types_.push_back(static_cast<int>(species[order_[i]]));
      if (i > 0 && ids_[i] == ids_[i - 1])
        fail(name_ + "/id: atom ID " + std::to_string(ids_[i]) + " appears twice");
      if (types_[i] < 1)
        fail(name_ + "/species: species must be ≥ 1 (atom ID " + std::to_string(ids_[i]) + " has " +
             std::to_string(types_[i]) + ")");
    }
    // Names: an attribute on species, or a dataset beside it.
    if (!particles.is_group("species")) {
      const hdf5::Dataset s = particles.dataset("species");
      for (const char* attribute : {"names", "elements"})
        if (names_.empty() && s.has_attribute(attribute))
          names_ = s.strings_attribute(attribute);
    }
    if (names_.empty() && particles.exists("species_names"))
      names_ = particles.dataset("species_names").read_strings();
    if (particles.exists("mass")) {
      const std::vector<double> mass = per_atom_values(particles, "mass");
      const int n_types = *std::max_element(types_.begin(), types_.end());
      masses_.assign(n_types, 0.0);
      for (std::size_t i = 0; i < n_atoms_; ++i)
        masses_[types_[i] - 1] = mass.size() == 1 ? mass[0] : mass[order_[i]];
    }
  }

  hdf5::File file_;
  std::string name_;
  hdf5::Dataset position_, image_, edges_, origin_;
  bool edges_time_dependent_ = false, origin_time_dependent_ = false, have_origin_ = false;
  double length_factor_ = 1.0, edges_factor_ = 1.0, time_factor_ = 1.0;
  TimeAxis steps_, times_;
  std::size_t frames_ = 0, n_atoms_ = 0, cursor_ = 0;
  std::vector<std::size_t> order_;  // file row of the i-th atom by ID
  std::vector<int> ids_, types_;
  std::vector<std::string> names_;
  std::vector<double> masses_;
  std::string configuration_;
  Unwrapping unwrapping_ = Unwrapping::image_flags;
  FrameToFrameUnwrapper unwrapper_;
};

}  // namespace

std::vector<std::unique_ptr<TrajectoryReader>> open_h5md_trajectory(const std::string& path,
                                                                    int replica) {
  try {
    const hdf5::File file = hdf5::File::open_read_only(path);
    if (!file.exists("particles"))
      throw InputError(path +
                       ": an HDF5 file without /particles is not an H5MD trajectory (glassland "
                       "tasks write their frames to trajectory.h5md next to results.h5)");
    std::vector<std::string> groups;
    for (const std::string& name : file.group("particles").member_names())
      if (file.is_group("particles/" + name) && file.exists("particles/" + name + "/position"))
        groups.push_back(name);
    if (groups.empty())
      throw InputError(path + ": /particles holds no group with a position element");
    if (replica >= static_cast<int>(groups.size()))
      throw InputError(path + ": --replica " + std::to_string(replica) +
                       " asked for, the file has " + std::to_string(groups.size()) +
                       " particle group(s) (0 … " + std::to_string(groups.size() - 1) + ")");
    std::vector<std::unique_ptr<TrajectoryReader>> readers;
    for (std::size_t g = 0; g < groups.size(); ++g)
      if (replica < 0 || static_cast<std::size_t>(replica) == g)
        readers.push_back(std::make_unique<H5mdGroupReader>(file, groups[g]));
    return readers;
  } catch (const Hdf5Error& e) {
    throw InputError(e.what());
  }
}

}  // namespace glassland
