#include "host/io/h5md_writer.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

#ifndef GLASSLAND_VERSION
#define GLASSLAND_VERSION "unknown"
#endif

namespace glassland {

namespace {

void check_size(const std::string& what, std::size_t size, std::size_t expected) {
  if (size != expected) {
    throw std::invalid_argument("H5MD: " + what + " holds " + std::to_string(size) +
                                " values, expected " + std::to_string(expected));
  }
}

}  // namespace

void write_h5md_header(const hdf5::File& file, const std::string& author) {
  if (file.exists("h5md")) {
    return;  // a restarted run keeps the header of the run that created the file
  }
  hdf5::Group h5md = file.create_group("h5md");
  h5md.set_attribute("version", std::vector<std::int32_t>{1, 1});
  std::string name = author;
  if (name.empty()) {
    const char* user = std::getenv("USER");
    name = user && *user ? user : "unknown";
  }
  h5md.create_group("author").set_attribute("name", name);
  hdf5::Group creator = h5md.create_group("creator");
  creator.set_attribute("name", "glassland");
  creator.set_attribute("version", GLASSLAND_VERSION);
  // Values carry a "unit" attribute, which H5MD defines in its units module.
  h5md.create_group("modules/units").set_attribute("version", std::vector<std::int32_t>{1, 0});
}

void write_effective_configuration(const hdf5::File& file, const nlohmann::json& configuration) {
  const std::string path = "parameters/effective_configuration";
  if (file.exists(path)) {
    file.remove(path);
  }
  file.write(path, std::vector<std::string>{configuration.dump(2)});
  file.flush();
}

nlohmann::json read_effective_configuration(const hdf5::File& file) {
  return nlohmann::json::parse(
      file.dataset("parameters/effective_configuration").read_strings().at(0));
}

std::string replica_group_name(std::size_t replica) {
  char name[32];
  std::snprintf(name, sizeof name, "replica_%04zu", replica);
  return name;
}

// ---------------------------------------------------------------- trajectory

H5mdTrajectory::Element H5mdTrajectory::create_element(const hdf5::Group& group,
                                                       bool integer_values,
                                                       const std::vector<hsize_t>& row_shape,
                                                       const std::string& unit) {
  Element element;
  element.step = group.create_series<std::int64_t>("step", {});
  element.time = group.create_series<double>("time", {});
  element.time.set_attribute("unit", "ps");
  element.value = integer_values ? group.create_series<std::int32_t>("value", row_shape)
                                 : group.create_series<double>("value", row_shape);
  if (!unit.empty()) {
    element.value.set_attribute("unit", unit);
  }
  return element;
}

H5mdTrajectory::Element H5mdTrajectory::open_element(const hdf5::Group& group) {
  return {group.series("step"), group.series("time"), group.series("value")};
}

H5mdTrajectory H5mdTrajectory::create(const hdf5::File& file, std::size_t n_replicas,
                                      std::size_t n_atoms, const std::vector<std::int32_t>& species,
                                      const H5mdOptions& options) {
  if (n_replicas == 0 || n_atoms == 0) {
    throw std::invalid_argument("H5MD: a trajectory needs at least one replica and one atom");
  }
  check_size("species", species.size(), n_replicas * n_atoms);
  write_h5md_header(file, options.author);

  H5mdTrajectory trajectory;
  trajectory.file_ = file;
  trajectory.n_atoms_ = n_atoms;
  trajectory.options_ = options;
  const std::vector<hsize_t> per_atom{n_atoms, 3};
  for (std::size_t r = 0; r < n_replicas; ++r) {
    hdf5::Group particles = file.create_group("particles/" + replica_group_name(r));
    hdf5::Group box = particles.create_group("box");
    box.set_attribute("dimension", 3);
    box.set_attribute("boundary", std::vector<std::string>(3, "periodic"));
    Replica replica;
    replica.edges = create_element(box.create_group("edges"), false, {3, 3}, "Angstrom");
    replica.position =
        create_element(particles.create_group("position"), false, per_atom, "Angstrom");
    if (options.velocities) {
      replica.velocity =
          create_element(particles.create_group("velocity"), false, per_atom, "Angstrom ps-1");
    }
    if (options.forces) {
      replica.force =
          create_element(particles.create_group("force"), false, per_atom, "eV Angstrom-1");
    }
    if (options.images) {
      replica.image = create_element(particles.create_group("image"), true, per_atom, "");
    }
    particles.write("species", std::vector<std::int32_t>(species.begin() + r * n_atoms,
                                                         species.begin() + (r + 1) * n_atoms));
    trajectory.replicas_.push_back(replica);
  }
  file.flush();
  return trajectory;
}

H5mdTrajectory H5mdTrajectory::open(const hdf5::File& file) {
  H5mdTrajectory trajectory;
  trajectory.file_ = file;
  for (std::size_t r = 0; file.exists("particles/" + replica_group_name(r)); ++r) {
    hdf5::Group particles = file.group("particles/" + replica_group_name(r));
    Replica replica;
    replica.edges = open_element(particles.group("box/edges"));
    replica.position = open_element(particles.group("position"));
    if (r == 0) {
      trajectory.n_atoms_ = static_cast<std::size_t>(replica.position.value.row_shape().at(0));
      trajectory.options_.velocities = particles.exists("velocity");
      trajectory.options_.forces = particles.exists("force");
      trajectory.options_.images = particles.exists("image");
      trajectory.options_.author = file.group("h5md/author").string_attribute("name");
    }
    if (trajectory.options_.velocities) {
      replica.velocity = open_element(particles.group("velocity"));
    }
    if (trajectory.options_.forces) {
      replica.force = open_element(particles.group("force"));
    }
    if (trajectory.options_.images) {
      replica.image = open_element(particles.group("image"));
    }
    trajectory.replicas_.push_back(replica);
  }
  if (trajectory.replicas_.empty()) {
    throw Hdf5Error(file.file_path() + ": /particles: no H5MD particle groups (replica_0000)");
  }
  return trajectory;
}

std::vector<const H5mdTrajectory::Element*> H5mdTrajectory::elements() const {
  std::vector<const Element*> elements;
  for (const Replica& replica : replicas_) {
    elements.push_back(&replica.edges);
    elements.push_back(&replica.position);
    if (options_.velocities) {
      elements.push_back(&replica.velocity);
    }
    if (options_.forces) {
      elements.push_back(&replica.force);
    }
    if (options_.images) {
      elements.push_back(&replica.image);
    }
  }
  return elements;
}

void H5mdTrajectory::append_frame(const TrajectoryFrame& frame) const {
  const std::size_t n_replicas = replicas_.size();
  const std::size_t per_replica = n_atoms_ * 3;
  auto require = [&](const auto* array, const char* what, std::size_t expected) {
    if (!array) {
      throw std::invalid_argument(std::string("H5MD: the frame has no ") + what);
    }
    check_size(what, array->size(), expected);
  };
  require(frame.edge_vectors, "edge vectors", n_replicas * 9);
  require(frame.positions, "positions", n_replicas * per_replica);
  if (options_.velocities) {
    require(frame.velocities, "velocities", n_replicas * per_replica);
  }
  if (options_.forces) {
    require(frame.forces, "forces", n_replicas * per_replica);
  }
  if (options_.images) {
    require(frame.images, "images", n_replicas * per_replica);
  }

  auto append = [&frame](const Element& element, const auto* values, std::size_t count) {
    element.value.append_without_flush(values, count);
    element.time.append_without_flush(std::vector<double>{frame.time});
    element.step.append_without_flush(std::vector<std::int64_t>{frame.step});
  };
  for (std::size_t r = 0; r < n_replicas; ++r) {
    const Replica& replica = replicas_[r];
    append(replica.edges, frame.edge_vectors->data() + r * 9, 9);
    append(replica.position, frame.positions->data() + r * per_replica, per_replica);
    if (options_.velocities) {
      append(replica.velocity, frame.velocities->data() + r * per_replica, per_replica);
    }
    if (options_.forces) {
      append(replica.force, frame.forces->data() + r * per_replica, per_replica);
    }
    if (options_.images) {
      append(replica.image, frame.images->data() + r * per_replica, per_replica);
    }
  }
  file_.flush();
}

void H5mdTrajectory::truncate_frames(hsize_t n_frames) const {
  for (const Element* element : elements()) {
    element->step.truncate(n_frames);
    element->time.truncate(n_frames);
    element->value.truncate(n_frames);
  }
}

hsize_t H5mdTrajectory::frames() const {
  hsize_t fewest = ~hsize_t{0};
  for (const Element* element : elements()) {
    fewest = std::min({fewest, element->step.rows(), element->time.rows(), element->value.rows()});
  }
  return fewest;
}

// ---------------------------------------------------------------- observables

H5mdObservable H5mdObservable::create(const hdf5::File& file, const std::string& name,
                                      std::size_t n_replicas, const std::string& unit) {
  if (n_replicas == 0) {
    throw std::invalid_argument("H5MD: observable " + name + " needs at least one replica");
  }
  write_h5md_header(file, "");
  hdf5::Group group = file.create_group("observables/" + name);
  H5mdObservable observable;
  observable.name_ = name;
  observable.n_replicas_ = n_replicas;
  observable.step_ = group.create_series<std::int64_t>("step", {});
  observable.time_ = group.create_series<double>("time", {});
  observable.time_.set_attribute("unit", "ps");
  observable.value_ = group.create_series<double>("value", {n_replicas});
  if (!unit.empty()) {
    observable.value_.set_attribute("unit", unit);
  }
  return observable;
}

H5mdObservable H5mdObservable::open(const hdf5::File& file, const std::string& name) {
  hdf5::Group group = file.group("observables/" + name);
  H5mdObservable observable;
  observable.name_ = name;
  observable.step_ = group.series("step");
  observable.time_ = group.series("time");
  observable.value_ = group.series("value");
  observable.n_replicas_ = static_cast<std::size_t>(observable.value_.row_shape().at(0));
  return observable;
}

void H5mdObservable::append_without_flush(std::int64_t step, double time,
                                          const std::vector<double>& per_replica) const {
  check_size("observable " + name_, per_replica.size(), n_replicas_);
  value_.append_without_flush(per_replica);
  time_.append_without_flush(std::vector<double>{time});
  step_.append_without_flush(std::vector<std::int64_t>{step});
}

void H5mdObservable::append(std::int64_t step, double time,
                            const std::vector<double>& per_replica) const {
  append_without_flush(step, time, per_replica);
  flush();
}

void H5mdObservable::truncate(hsize_t n_records) const {
  step_.truncate(n_records);
  time_.truncate(n_records);
  value_.truncate(n_records);
}

hsize_t H5mdObservable::records() const {
  return std::min({step_.rows(), time_.rows(), value_.rows()});
}

H5mdObservableSet H5mdObservableSet::create(const hdf5::File& file, std::size_t n_replicas,
                                            const std::vector<Column>& columns) {
  H5mdObservableSet set;
  for (const Column& column : columns) {
    set.observables_.push_back(H5mdObservable::create(file, column.name, n_replicas, column.unit));
  }
  file.flush();
  return set;
}

H5mdObservableSet H5mdObservableSet::open(const hdf5::File& file,
                                          const std::vector<std::string>& names) {
  H5mdObservableSet set;
  for (const std::string& name : names) {
    set.observables_.push_back(H5mdObservable::open(file, name));
  }
  return set;
}

void H5mdObservableSet::append(std::int64_t step, double time,
                               const std::vector<std::vector<double>>& values) const {
  check_size("observable set", values.size(), observables_.size());
  for (std::size_t c = 0; c < observables_.size(); ++c) {
    observables_[c].append_without_flush(step, time, values[c]);
  }
  if (!observables_.empty()) {
    observables_.front().flush();
  }
}

void H5mdObservableSet::truncate(hsize_t n_records) const {
  for (const H5mdObservable& observable : observables_) {
    observable.truncate(n_records);
  }
}

hsize_t H5mdObservableSet::records() const {
  hsize_t fewest = ~hsize_t{0};
  for (const H5mdObservable& observable : observables_) {
    fewest = std::min(fewest, observable.records());
  }
  return observables_.empty() ? 0 : fewest;
}

}  // namespace glassland
