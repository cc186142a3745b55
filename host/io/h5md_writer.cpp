#include "host/io/h5md_writer.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <sstream>
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

bool is_ascii(const std::string& text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// "+3", "-1", "2": an optionally signed, non-zero integer.
bool is_power(const std::string& text) {
  std::size_t k = text.empty() || (text[0] != '+' && text[0] != '-') ? 0 : 1;
  if (k == text.size()) {
    return false;
  }
  bool non_zero = false;
  for (; k < text.size(); ++k) {
    if (!std::isdigit(static_cast<unsigned char>(text[k]))) {
      return false;
    }
    non_zero = non_zero || text[k] != '0';
  }
  return non_zero;
}

// "60", "0.5", "10+3": the one numeric factor a unit may start with.
bool is_number(const std::string& text) {
  std::size_t k = 0;
  while (k < text.size() && (std::isdigit(static_cast<unsigned char>(text[k])) || text[k] == '.'))
    ++k;
  return k > 0 && (k == text.size() || is_power(text.substr(k)));
}

}  // namespace

bool is_h5md_unit(const std::string& unit) {
  if (unit.empty() || unit.front() == ' ' || unit.back() == ' ' ||
      unit.find("  ") != std::string::npos) {
    return false;
  }
  std::istringstream factors(unit);
  std::set<std::string> symbols;
  std::string factor;
  for (bool first = true; factors >> factor; first = false) {
    if (first && std::isdigit(static_cast<unsigned char>(factor[0]))) {
      if (!is_number(factor)) {
        return false;
      }
      continue;
    }
    std::size_t k = 0;
    while (k < factor.size() && std::isalpha(static_cast<unsigned char>(factor[k])))
      ++k;
    const std::string symbol = factor.substr(0, k);
    if (symbol.empty() || (k < factor.size() && !is_power(factor.substr(k))) ||
        !symbols.insert(symbol).second) {
      return false;
    }
  }
  return true;
}

void set_unit(const hdf5::Object& object, const std::string& unit) {
  if (!is_h5md_unit(unit)) {
    throw std::logic_error(object.file_path() + ": " + object.name() + ": unit \"" + unit +
                           "\" is not in H5MD's unit grammar");
  }
  object.set_attribute("unit", unit, hdf5::StringKind::variable_ascii);
}

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
  // H5MD 1.1 asks for fixed-length strings in h5md/; a name outside ASCII is kept as UTF-8.
  h5md.create_group("author").set_attribute(
      "name", name, is_ascii(name) ? hdf5::StringKind::fixed_ascii : hdf5::StringKind::fixed_utf8);
  hdf5::Group creator = h5md.create_group("creator");
  creator.set_attribute("name", std::string("glassland"), hdf5::StringKind::fixed_ascii);
  creator.set_attribute("version", std::string(GLASSLAND_VERSION), hdf5::StringKind::fixed_ascii);
  hdf5::Group units = h5md.create_group("modules/units");
  units.set_attribute("version", std::vector<std::int32_t>{1, 0});
  units.set_attribute("system", std::string("SI"), hdf5::StringKind::variable_ascii);
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
                                                       const Element* sampled_with,
                                                       bool integer_values,
                                                       const std::vector<hsize_t>& row_shape,
                                                       const std::string& unit) {
  Element element;
  if (sampled_with) {
    group.link(sampled_with->step.name(), "step");
    group.link(sampled_with->time.name(), "time");
    element.step = sampled_with->step;
    element.time = sampled_with->time;
  } else {
    element.step = group.create_series<std::int64_t>("step", {});
    element.time = group.create_series<double>("time", {});
    set_unit(element.time, "ps");
    element.owns_time = true;
  }
  element.value = integer_values ? group.create_series<std::int32_t>("value", row_shape)
                                 : group.create_series<double>("value", row_shape);
  if (!unit.empty()) {
    set_unit(element.value, unit);
  }
  return element;
}

H5mdTrajectory::Element H5mdTrajectory::open_element(const hdf5::Group& group, bool owns_time) {
  return {group.series("step"), group.series("time"), group.series("value"), owns_time};
}

H5mdTrajectory H5mdTrajectory::create(const hdf5::File& file, std::size_t n_replicas,
                                      std::size_t n_atoms, const H5mdAtoms& atoms,
                                      const H5mdOptions& options) {
  if (n_replicas == 0 || n_atoms == 0) {
    throw std::invalid_argument("H5MD: a trajectory needs at least one replica and one atom");
  }
  check_size("species", atoms.species.size(), n_replicas * n_atoms);
  check_size("ids", atoms.ids.size(), n_replicas * n_atoms);
  check_size("species masses", atoms.species_masses.size(), atoms.species_names.size());
  std::vector<hdf5::EnumMember> members;
  for (std::size_t s = 0; s < atoms.species_names.size(); ++s) {
    members.push_back({atoms.species_names[s], static_cast<std::int32_t>(s + 1)});
  }
  write_h5md_header(file, options.author);

  H5mdTrajectory trajectory;
  trajectory.file_ = file;
  trajectory.n_atoms_ = n_atoms;
  trajectory.options_ = options;
  const std::vector<hsize_t> per_atom{n_atoms, 3};
  for (std::size_t r = 0; r < n_replicas; ++r) {
    hdf5::Group particles = file.create_group("particles/" + replica_group_name(r));
    Replica replica;
    replica.position =
        create_element(particles.create_group("position"), nullptr, false, per_atom, "Angstrom");
    const Element* with = &replica.position;
    hdf5::Group box = particles.create_group("box");
    box.set_attribute("dimension", 3);
    box.set_attribute("boundary", std::vector<std::string>(3, "periodic"),
                      hdf5::StringKind::fixed_ascii);
    replica.edges = create_element(box.create_group("edges"), with, false, {3, 3}, "Angstrom");
    replica.offset = create_element(box.create_group("offset"), with, false, {3}, "Angstrom");
    if (options.images) {
      replica.image = create_element(particles.create_group("image"), with, true, per_atom, "");
    }
    if (options.velocities) {
      replica.velocity = create_element(particles.create_group("velocity"), with, false, per_atom,
                                        "Angstrom ps-1");
    }
    if (options.forces) {
      replica.force = create_element(particles.create_group("force"), with, false, per_atom,
                                     "kJ mol-1 Angstrom-1");
    }
    const auto first = atoms.species.begin() + r * n_atoms;
    const std::vector<std::int32_t> species(first, first + n_atoms);
    particles.write_enum("species", species, members);
    const auto first_id = atoms.ids.begin() + r * n_atoms;
    particles.write("id", std::vector<std::int32_t>(first_id, first_id + n_atoms));
    std::vector<double> masses;
    for (const std::int32_t s : species) {
      masses.push_back(atoms.species_masses.at(static_cast<std::size_t>(s - 1)));
    }
    set_unit(particles.write("mass", masses), "u");
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
    replica.position = open_element(particles.group("position"), true);
    replica.edges = open_element(particles.group("box/edges"), false);
    replica.offset = open_element(particles.group("box/offset"), false);
    if (r == 0) {
      trajectory.n_atoms_ = static_cast<std::size_t>(replica.position.value.row_shape().at(0));
      trajectory.options_.velocities = particles.exists("velocity");
      trajectory.options_.forces = particles.exists("force");
      trajectory.options_.images = particles.exists("image");
      trajectory.options_.author = file.group("h5md/author").string_attribute("name");
    }
    if (trajectory.options_.images) {
      replica.image = open_element(particles.group("image"), false);
    }
    if (trajectory.options_.velocities) {
      replica.velocity = open_element(particles.group("velocity"), false);
    }
    if (trajectory.options_.forces) {
      replica.force = open_element(particles.group("force"), false);
    }
    trajectory.replicas_.push_back(replica);
  }
  if (trajectory.replicas_.empty()) {
    throw Hdf5Error(file.file_path() + ": /particles: no H5MD particle groups (replica_0000)");
  }
  return trajectory;
}

std::vector<const H5mdTrajectory::Element*> H5mdTrajectory::elements(const Replica& replica) const {
  std::vector<const Element*> elements = {&replica.position, &replica.edges, &replica.offset};
  if (options_.images) {
    elements.push_back(&replica.image);
  }
  if (options_.velocities) {
    elements.push_back(&replica.velocity);
  }
  if (options_.forces) {
    elements.push_back(&replica.force);
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
  require(frame.origins, "box origins", n_replicas * 3);
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
    if (element.owns_time) {
      element.time.append_without_flush(std::vector<double>{frame.time});
      element.step.append_without_flush(std::vector<std::int64_t>{frame.step});
    }
  };
  std::vector<double> forces;
  for (std::size_t r = 0; r < n_replicas; ++r) {
    const Replica& replica = replicas_[r];
    append(replica.position, frame.positions->data() + r * per_replica, per_replica);
    append(replica.edges, frame.edge_vectors->data() + r * 9, 9);
    append(replica.offset, frame.origins->data() + r * 3, 3);
    if (options_.images) {
      append(replica.image, frame.images->data() + r * per_replica, per_replica);
    }
    if (options_.velocities) {
      append(replica.velocity, frame.velocities->data() + r * per_replica, per_replica);
    }
    if (options_.forces) {
      const double* f = frame.forces->data() + r * per_replica;
      forces.assign(f, f + per_replica);
      for (double& component : forces) {
        component *= kKilojoulePerMolePerEv;
      }
      append(replica.force, forces.data(), per_replica);
    }
  }
  file_.flush();
}

void H5mdTrajectory::append_frames_of(const H5mdTrajectory& source) const {
  if (source.n_replicas() != n_replicas() || source.n_atoms_ != n_atoms_ ||
      source.options_.velocities != options_.velocities ||
      source.options_.forces != options_.forces || source.options_.images != options_.images) {
    throw std::invalid_argument("H5MD: " + source.file_.file_path() +
                                " holds another trajectory layout than " + file_.file_path());
  }
  for (std::size_t r = 0; r < replicas_.size(); ++r) {
    const std::vector<const Element*> from = source.elements(source.replicas_[r]);
    const std::vector<const Element*> to = elements(replicas_[r]);
    for (std::size_t e = 0; e < to.size(); ++e) {
      if (from[e]->value.element_type() == hdf5::ElementType::int32) {
        to[e]->value.append_rows_without_flush(from[e]->value.read<std::int32_t>());
      } else {
        to[e]->value.append_rows_without_flush(from[e]->value.read<double>());
      }
      if (to[e]->owns_time) {
        to[e]->step.append_rows_without_flush(from[e]->step.read<std::int64_t>());
        to[e]->time.append_rows_without_flush(from[e]->time.read<double>());
      }
    }
  }
  file_.flush();
}

void H5mdTrajectory::truncate_frames(hsize_t n_frames) const {
  for (const Replica& replica : replicas_) {
    for (const Element* element : elements(replica)) {
      element->value.truncate(n_frames);
      if (element->owns_time) {
        element->step.truncate(n_frames);
        element->time.truncate(n_frames);
      }
    }
  }
}

hsize_t H5mdTrajectory::frames() const {
  hsize_t fewest = ~hsize_t{0};
  for (const Replica& replica : replicas_) {
    for (const Element* element : elements(replica)) {
      fewest =
          std::min({fewest, element->step.rows(), element->time.rows(), element->value.rows()});
    }
  }
  return fewest;
}

// ---------------------------------------------------------------- observables

H5mdObservable H5mdObservable::create(const hdf5::File& file, const std::string& name,
                                      std::size_t n_replicas, const std::string& unit,
                                      const H5mdObservable* sampled_with) {
  if (n_replicas == 0) {
    throw std::invalid_argument("H5MD: observable " + name + " needs at least one replica");
  }
  write_h5md_header(file, "");
  hdf5::Group group = file.create_group("observables/" + name);
  H5mdObservable observable;
  observable.name_ = name;
  observable.n_replicas_ = n_replicas;
  if (sampled_with) {
    group.link(sampled_with->step_.name(), "step");
    group.link(sampled_with->time_.name(), "time");
    observable.step_ = sampled_with->step_;
    observable.time_ = sampled_with->time_;
    observable.owns_time_ = false;
  } else {
    observable.step_ = group.create_series<std::int64_t>("step", {});
    observable.time_ = group.create_series<double>("time", {});
    set_unit(observable.time_, "ps");
  }
  observable.value_ = group.create_series<double>("value", {n_replicas});
  if (!unit.empty()) {
    set_unit(observable.value_, unit);
  }
  return observable;
}

H5mdObservable H5mdObservable::open(const hdf5::File& file, const std::string& name,
                                    bool owns_time) {
  hdf5::Group group = file.group("observables/" + name);
  H5mdObservable observable;
  observable.name_ = name;
  observable.owns_time_ = owns_time;
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
  if (owns_time_) {
    time_.append_without_flush(std::vector<double>{time});
    step_.append_without_flush(std::vector<std::int64_t>{step});
  }
}

void H5mdObservable::append(std::int64_t step, double time,
                            const std::vector<double>& per_replica) const {
  append_without_flush(step, time, per_replica);
  flush();
}

void H5mdObservable::truncate(hsize_t n_records) const {
  value_.truncate(n_records);
  if (owns_time_) {
    step_.truncate(n_records);
    time_.truncate(n_records);
  }
}

hsize_t H5mdObservable::records() const {
  return std::min({step_.rows(), time_.rows(), value_.rows()});
}

H5mdObservableSet H5mdObservableSet::create(const hdf5::File& file, std::size_t n_replicas,
                                            const std::vector<Column>& columns) {
  H5mdObservableSet set;
  for (const Column& column : columns) {
    const H5mdObservable* first = set.observables_.empty() ? nullptr : &set.observables_.front();
    set.observables_.push_back(
        H5mdObservable::create(file, column.name, n_replicas, column.unit, first));
  }
  file.flush();
  return set;
}

H5mdObservableSet H5mdObservableSet::open(const hdf5::File& file,
                                          const std::vector<std::string>& names) {
  H5mdObservableSet set;
  for (const std::string& name : names) {
    set.observables_.push_back(H5mdObservable::open(file, name, set.observables_.empty()));
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

void H5mdObservableSet::append_records_of(const H5mdObservableSet& source) const {
  check_size("observable set", source.observables_.size(), observables_.size());
  for (std::size_t c = 0; c < observables_.size(); ++c) {
    const H5mdObservable& from = source.observables_[c];
    const H5mdObservable& to = observables_[c];
    check_size("observable " + to.name_, from.n_replicas_, to.n_replicas_);
    to.value_.append_rows_without_flush(from.value_.read<double>());
    if (to.owns_time_) {
      to.step_.append_rows_without_flush(from.step_.read<std::int64_t>());
      to.time_.append_rows_without_flush(from.time_.read<double>());
    }
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
