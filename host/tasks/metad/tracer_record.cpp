#include "host/tasks/metad/tracer_record.hpp"

#include "host/io/batch_checkpoint.hpp"
#include "host/io/input_error.hpp"

namespace glassland {

std::vector<std::array<double, 3>> replica_positions(const BatchSnapshot& s, int r) {
  std::vector<std::array<double, 3>> x(s.n_atoms);
  for (int i = 0; i < s.n_atoms; ++i) {
    const size_t g = static_cast<size_t>(r) * s.n_atoms + i;
    x[i] = {s.positions[3 * g], s.positions[3 * g + 1], s.positions[3 * g + 2]};
  }
  return x;
}

ReplicaConfiguration replica_configuration(const BatchSnapshot& s, int r, int64_t step) {
  ReplicaConfiguration c;
  c.step = step;
  c.box = s.boxes[r];
  const size_t first = static_cast<size_t>(r) * s.n_atoms * 3;
  c.positions.assign(s.positions.begin() + first, s.positions.begin() + first + 3 * s.n_atoms);
  c.images.assign(s.images.begin() + first, s.images.begin() + first + 3 * s.n_atoms);
  return c;
}

int64_t event_start_step(const TracerRecord& t, size_t sample) {
  return t.cv_steps[sample > 0 ? sample - 1 : 0];
}

void choose_before(TracerRecord& t, int64_t start) {
  for (auto it = t.history.rbegin(); it != t.history.rend(); ++it)
    if (it->step <= start) {
      t.before = *it;
      t.before_source = "snapshot";
      return;
    }
  if (!t.history.empty()) {
    t.before = t.history.front();
    t.before_source = "oldest_kept_snapshot";
  }
}

BatchSnapshot configurations_snapshot(const std::vector<const ReplicaConfiguration*>& configs,
                                      const std::vector<int>& replica, const BatchSnapshot& like) {
  BatchSnapshot s;
  s.n_replicas = static_cast<int>(configs.size());
  s.n_atoms = like.n_atoms;
  const size_t n = static_cast<size_t>(like.n_atoms);
  for (size_t c = 0; c < configs.size(); ++c) {
    s.boxes.push_back(configs[c]->box);
    s.positions.insert(s.positions.end(), configs[c]->positions.begin(),
                       configs[c]->positions.end());
    s.images.insert(s.images.end(), configs[c]->images.begin(), configs[c]->images.end());
    const size_t first = static_cast<size_t>(replica[c]) * n;
    s.elements.insert(s.elements.end(), like.elements.begin() + first,
                      like.elements.begin() + first + n);
    s.ids.insert(s.ids.end(), like.ids.begin() + first, like.ids.begin() + first + n);
  }
  s.velocities.assign(s.positions.size(), 0.0);
  s.forces.assign(s.positions.size(), 0.0);
  s.potential_energy.assign(configs.size(), 0.0);
  s.virial.assign(6 * configs.size(), 0.0);
  return s;
}

namespace {

// Checkpoint entries of a list of configurations under `prefix`.
void save_configurations(Checkpoint& c, const std::string& prefix,
                         const std::vector<const ReplicaConfiguration*>& configs) {
  std::vector<int64_t> steps, images;
  std::vector<double> positions, boxes;
  for (const ReplicaConfiguration* config : configs) {
    steps.push_back(config->step);
    positions.insert(positions.end(), config->positions.begin(), config->positions.end());
    images.insert(images.end(), config->images.begin(), config->images.end());
    const auto b = box_values(config->box);
    boxes.insert(boxes.end(), b.begin(), b.end());
  }
  c.set(prefix + "/steps", steps);
  c.set(prefix + "/positions", positions);
  c.set(prefix + "/images", images);
  c.set(prefix + "/boxes", boxes);
}

std::vector<ReplicaConfiguration> load_configurations(const Checkpoint& c,
                                                      const std::string& prefix, int n_atoms) {
  const auto& steps = c.int64s(prefix + "/steps");
  const auto& positions = c.doubles(prefix + "/positions");
  const auto& images = c.int64s(prefix + "/images");
  const auto& boxes = c.doubles(prefix + "/boxes");
  const size_t per = 3 * static_cast<size_t>(n_atoms);
  if (positions.size() != steps.size() * per || images.size() != steps.size() * per ||
      boxes.size() != steps.size() * 9)
    throw InputError(c.source() + ": " + prefix + " does not match this run's atoms");
  std::vector<ReplicaConfiguration> configs(steps.size());
  for (size_t k = 0; k < steps.size(); ++k) {
    configs[k].step = steps[k];
    configs[k].box = box_from_values(&boxes[9 * k]);
    configs[k].positions.assign(positions.begin() + k * per, positions.begin() + (k + 1) * per);
    configs[k].images.assign(images.begin() + k * per, images.begin() + (k + 1) * per);
  }
  return configs;
}

}  // namespace

void save_tracer(Checkpoint& c, const std::string& prefix, const TracerRecord& t) {
  c.set(prefix + "/cv/step", t.cv_steps);
  c.set(prefix + "/cv/time", t.cv_times);
  c.set(prefix + "/cv/value", t.cv_values);
  c.set(prefix + "/bias/value", t.bias_values);
  c.set(prefix + "/flags",
        std::vector<int64_t>{t.stopped ? 1 : 0, t.confirmed_online ? 1 : 0, t.confirmed_step});
  std::vector<const ReplicaConfiguration*> history;
  for (const auto& config : t.history)
    history.push_back(&config);
  save_configurations(c, prefix + "/history", history);
  const auto one_or_none = [](const ReplicaConfiguration& config) {
    return config.step >= 0 ? std::vector<const ReplicaConfiguration*>{&config}
                            : std::vector<const ReplicaConfiguration*>{};
  };
  save_configurations(c, prefix + "/before", one_or_none(t.before));
  save_configurations(c, prefix + "/after", one_or_none(t.after));
  c.set(prefix + "/before_source", std::vector<std::string>{t.before_source});
}

void load_tracer(const Checkpoint& c, const std::string& prefix, int n_atoms,
                 bool stop_after_first_event, TracerRecord& t) {
  t.cv_steps = c.int64s(prefix + "/cv/step");
  t.cv_times = c.doubles(prefix + "/cv/time");
  t.cv_values = c.doubles(prefix + "/cv/value");
  t.bias_values = c.doubles(prefix + "/bias/value");
  const auto& flags = c.int64s(prefix + "/flags");
  if (flags.size() != 3)
    throw InputError(c.source() + ": " + prefix + "/flags does not hold a tracer's three flags");
  t.stopped = flags[0] != 0;
  t.confirmed_online = flags[1] != 0;
  t.confirmed_step = flags[2];
  // Only two things stop a tracer: its confirmed event (stop_after_first_event) or its CV
  // leaving the grid.
  t.left_grid = t.stopped && !(t.confirmed_online && stop_after_first_event);
  for (auto& config : load_configurations(c, prefix + "/history", n_atoms))
    t.history.push_back(std::move(config));
  auto before = load_configurations(c, prefix + "/before", n_atoms);
  if (!before.empty())
    t.before = before[0];
  auto after = load_configurations(c, prefix + "/after", n_atoms);
  if (!after.empty())
    t.after = after[0];
  t.before_source = c.strings(prefix + "/before_source").at(0);
}

void save_cv_definitions(Checkpoint& c, const std::vector<CvDefinition>& definitions) {
  for (size_t r = 0; r < definitions.size(); ++r) {
    char name[64];
    std::snprintf(name, sizeof name, "cv/replica_%04zu", r);
    const CvDefinition& d = definitions[r];
    c.set_int64(std::string(name) + "/kind", d.kind);
    c.set(std::string(name) + "/atoms", std::vector<int64_t>(d.atoms.begin(), d.atoms.end()));
    std::vector<double> reference;
    for (const auto& x : d.reference)
      reference.insert(reference.end(), x.begin(), x.end());
    c.set(std::string(name) + "/reference", reference);
  }
}

std::vector<CvDefinition> load_cv_definitions(const Checkpoint& c, int n) {
  std::vector<CvDefinition> definitions;
  for (int r = 0; r < n; ++r) {
    char name[64];
    std::snprintf(name, sizeof name, "cv/replica_%04d", r);
    const std::string prefix = name;
    CvDefinition d;
    d.kind = static_cast<int>(c.get_int64(prefix + "/kind"));
    for (int64_t a : c.int64s(prefix + "/atoms"))
      d.atoms.push_back(static_cast<int>(a));
    const auto& ref = c.doubles(prefix + "/reference");
    if (ref.size() != 3 * d.atoms.size())
      throw InputError(c.source() + ": " + prefix + "/reference does not match its atoms");
    for (size_t a = 0; a < d.atoms.size(); ++a)
      d.reference.push_back({ref[3 * a], ref[3 * a + 1], ref[3 * a + 2]});
    definitions.push_back(d);
  }
  return definitions;
}

}  // namespace glassland
