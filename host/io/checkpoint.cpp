#include "host/io/checkpoint.hpp"

#include <filesystem>
#include <stdexcept>

#include "host/io/atomic_file.hpp"
#include "host/io/hdf5_file.hpp"
#include "host/io/input_error.hpp"

namespace glassland {

namespace fs = std::filesystem;

namespace {

constexpr const char* kFormatName = "glassland checkpoint";
constexpr std::int64_t kFormatVersion = 1;
constexpr const char* kArraysGroup = "arrays";

void check_name(const std::string& name) {
  bool bad = name.empty() || name.front() == '/' || name.back() == '/' ||
             name.find("//") != std::string::npos;
  for (std::size_t start = 0; !bad && start < name.size();) {
    const std::size_t end = std::min(name.find('/', start), name.size());
    const std::string part = name.substr(start, end - start);
    bad = part == "." || part == "..";
    start = end + 1;
  }
  if (bad) {
    throw std::invalid_argument("Checkpoint: invalid entry name \"" + name + "\"");
  }
}

std::vector<hsize_t> to_hsize(const std::vector<std::size_t>& shape) {
  return std::vector<hsize_t>(shape.begin(), shape.end());
}

}  // namespace

template <class T>
void Checkpoint::store(const std::string& name, std::vector<T> values,
                       std::vector<std::size_t> shape) {
  check_name(name);
  if (shape.empty()) {
    shape = {values.size()};
  }
  std::size_t count = 1;
  for (std::size_t extent : shape) {
    count *= extent;
  }
  if (count != values.size()) {
    throw std::invalid_argument("Checkpoint: " + name + ": " + std::to_string(values.size()) +
                                " values do not fill the given shape");
  }
  entries_[name] = Entry{std::move(values), std::move(shape)};
}

void Checkpoint::set(const std::string& name, std::vector<double> values,
                     std::vector<std::size_t> shape) {
  store(name, std::move(values), std::move(shape));
}

void Checkpoint::set(const std::string& name, std::vector<std::int64_t> values,
                     std::vector<std::size_t> shape) {
  store(name, std::move(values), std::move(shape));
}

void Checkpoint::set(const std::string& name, std::vector<std::uint64_t> values,
                     std::vector<std::size_t> shape) {
  store(name, std::move(values), std::move(shape));
}

void Checkpoint::set(const std::string& name, std::vector<std::string> values) {
  store(name, std::move(values), {});
}

std::vector<std::string> Checkpoint::names() const {
  std::vector<std::string> names;
  for (const auto& entry : entries_) {
    names.push_back(entry.first);
  }
  return names;
}

const std::vector<std::size_t>& Checkpoint::shape(const std::string& name) const {
  const auto found = entries_.find(name);
  if (found == entries_.end()) {
    throw input_error_at(source_.empty() ? "checkpoint" : source_, 0,
                         name + ": not in the checkpoint");
  }
  return found->second.shape;
}

template <class T>
const std::vector<T>& Checkpoint::typed(const std::string& name, const char* type_name) const {
  const std::string file = source_.empty() ? "checkpoint" : source_;
  const auto found = entries_.find(name);
  if (found == entries_.end()) {
    throw input_error_at(file, 0,
                         name + ": not in the checkpoint (was it written by another task?)");
  }
  const auto* values = std::get_if<std::vector<T>>(&found->second.values);
  if (!values) {
    throw input_error_at(file, 0, name + ": expected " + type_name + " values");
  }
  return *values;
}

const std::vector<double>& Checkpoint::doubles(const std::string& name) const {
  return typed<double>(name, "float64");
}
const std::vector<std::int64_t>& Checkpoint::int64s(const std::string& name) const {
  return typed<std::int64_t>(name, "int64");
}
const std::vector<std::uint64_t>& Checkpoint::uint64s(const std::string& name) const {
  return typed<std::uint64_t>(name, "uint64");
}
const std::vector<std::string>& Checkpoint::strings(const std::string& name) const {
  return typed<std::string>(name, "string");
}

namespace {
template <class T>
T single(const std::vector<T>& values, const std::string& source, const std::string& name) {
  if (values.size() != 1) {
    throw input_error_at(
        source.empty() ? "checkpoint" : source, 0,
        name + ": expected a single value, found " + std::to_string(values.size()));
  }
  return values[0];
}
}  // namespace

double Checkpoint::get_double(const std::string& name) const {
  return single(doubles(name), source_, name);
}
std::int64_t Checkpoint::get_int64(const std::string& name) const {
  return single(int64s(name), source_, name);
}
std::uint64_t Checkpoint::get_uint64(const std::string& name) const {
  return single(uint64s(name), source_, name);
}

void Checkpoint::write(const std::string& path) const {
  write_file_atomically(path, [this](const std::string& temporary) {
    hdf5::File file = hdf5::File::create(temporary);
    file.set_attribute("format", kFormatName);
    file.set_attribute("format_version", kFormatVersion);
    file.write("metadata", std::vector<std::string>{metadata_.dump()});
    hdf5::Group arrays = file.create_group(kArraysGroup);
    for (const auto& named_entry : entries_) {
      // Plain references: C++17 lambdas may not capture structured bindings.
      const std::string& name = named_entry.first;
      const Entry& entry = named_entry.second;
      const std::vector<hsize_t> shape = to_hsize(entry.shape);
      std::visit(
          [&](const auto& values) {
            using Vector = std::decay_t<decltype(values)>;
            if constexpr (std::is_same_v<Vector, std::vector<std::string>>) {
              arrays.write(name, values);
            } else {
              arrays.write(name, values, shape);
            }
          },
          entry.values);
    }
    arrays = hdf5::Group();
    // Every object must be closed before the file is, or HDF5 would keep it open (and
    // unwritten) past the fsync that follows.
    const ssize_t open_objects =
        H5Fget_obj_count(file.id(), H5F_OBJ_DATASET | H5F_OBJ_GROUP | H5F_OBJ_ATTR);
    if (open_objects != 0) {
      throw std::logic_error("Checkpoint::write: " + std::to_string(open_objects) +
                             " HDF5 objects still open");
    }
    file.close();
  });
}

namespace {

void read_group(const hdf5::Group& group, const std::string& prefix,
                const std::function<void(const std::string&, const hdf5::Dataset&)>& visit) {
  for (const std::string& member : group.member_names()) {
    const std::string name = prefix.empty() ? member : prefix + "/" + member;
    if (group.is_group(member)) {
      read_group(group.group(member), name, visit);
    } else {
      visit(name, group.dataset(member));
    }
  }
}

}  // namespace

Checkpoint Checkpoint::read(const std::string& path) {
  if (!fs::exists(path)) {
    throw input_error_at(path, 0, "checkpoint file not found");
  }
  hdf5::File file;
  try {
    file = hdf5::File::open_read_only(path);
  } catch (const Hdf5Error& error) {
    throw input_error_at(path, 0, std::string("not a readable HDF5 file: ") + error.what());
  }
  if (!file.has_attribute("format") || file.string_attribute("format") != kFormatName) {
    throw input_error_at(path, 0, "not a glassland checkpoint");
  }
  const std::int64_t version = file.int64_attribute("format_version");
  if (version != kFormatVersion) {
    throw input_error_at(path, 0,
                         "checkpoint format version " + std::to_string(version) +
                             ", this glassland reads version " + std::to_string(kFormatVersion));
  }
  Checkpoint checkpoint;
  checkpoint.source_ = path;
  checkpoint.metadata_ = nlohmann::json::parse(file.dataset("metadata").read_strings().at(0));
  read_group(file.group(kArraysGroup), "",
             [&](const std::string& name, const hdf5::Dataset& dataset) {
               const std::vector<hsize_t> dims = dataset.shape();
               const std::vector<std::size_t> shape(dims.begin(), dims.end());
               switch (dataset.element_type()) {
                 case hdf5::ElementType::float64:
                   checkpoint.store(name, dataset.read<double>(), shape);
                   break;
                 case hdf5::ElementType::int64:
                   checkpoint.store(name, dataset.read<std::int64_t>(), shape);
                   break;
                 case hdf5::ElementType::uint64:
                   checkpoint.store(name, dataset.read<std::uint64_t>(), shape);
                   break;
                 case hdf5::ElementType::string:
                   checkpoint.store(name, dataset.read_strings(), shape);
                   break;
                 default:
                   throw input_error_at(path, 0, name + ": unexpected element type");
               }
             });
  return checkpoint;
}

}  // namespace glassland
