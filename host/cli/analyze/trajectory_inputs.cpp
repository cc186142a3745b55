#include "host/cli/analyze/trajectory_inputs.hpp"

#include <cmath>
#include <cstdlib>
#include <limits>

#include <nlohmann/json.hpp>

#include "analysis/standard_atomic_weights.hpp"
#include "host/io/input_error.hpp"
#include "host/io/setfl_potential.hpp"

namespace glassland {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The replica number of a glassland particle group ("…particles/replica_0003" → 3), or −1.
int replica_of(const std::string& description) {
  const std::string tag = "particles/replica_";
  const auto at = description.rfind(tag);
  if (at == std::string::npos)
    return -1;
  char* end = nullptr;
  const long r = std::strtol(description.c_str() + at + tag.size(), &end, 10);
  return *end == '\0' ? static_cast<int>(r) : -1;
}

// md.temperature of replica r in a glassland md run's effective configuration, if it held one
// temperature all along (no ramp or staircase).
double configured_temperature(const std::string& configuration, int r) {
  if (configuration.empty() || r < 0)
    return kNaN;
  const nlohmann::json c = nlohmann::json::parse(configuration, nullptr, false);
  if (c.is_discarded() || c.value("task", "") != "md" || !c.contains("md"))
    return kNaN;
  const nlohmann::json& md = c["md"];
  if (md.contains("ramp") || md.contains("staircase") || !md.contains("temperature"))
    return kNaN;
  const nlohmann::json& t = md["temperature"];
  if (t.is_number())
    return t.get<double>();
  if (t.is_array() && r < static_cast<int>(t.size()) && t[r].is_number())
    return t[r].get<double>();
  return kNaN;
}

// A glassland run's potential elements (its species numbering) and masses.
bool potential_types(const std::string& configuration, std::vector<std::string>& names,
                     std::vector<double>& masses) {
  if (configuration.empty())
    return false;
  const nlohmann::json c = nlohmann::json::parse(configuration, nullptr, false);
  if (c.is_discarded() || !c.contains("system") || !c["system"].contains("potential") ||
      !c["system"]["potential"].is_string())
    return false;
  const std::string path = c["system"]["potential"].get<std::string>();
  try {
    const SetflPotential p = read_setfl(path, setfl_format_from_filename(path));
    names = p.elements;
    masses = p.masses;
    return true;
  } catch (const InputError&) {
    return false;  // the potential is not on this machine: fall back to the other sources
  }
}

}  // namespace

void add_trajectory_options(CLI::App* c, TrajectoryOptions& o, const std::string& files_help) {
  c->add_option("files", o.files, files_help)->required()->check(CLI::ExistingFile);
  c->add_option("--replica", o.replica,
                "H5MD: analyse only this particle group (0-based, in name order); default: each "
                "group as a series of its own");
  c->add_option("--frames", o.frames,
                "frames START:STOP:STEP, a Python slice of the file's frames (e.g. 100:, ::10, "
                "-50:)")
      ->capture_default_str();
  c->add_option("--elements", o.elements,
                "element of each type in type order (Cu Zr); default: the file's names")
      ->expected(1, -1);
  c->add_option("--masses", o.masses,
                "mass of each type in amu, in type order; default: the file's, else the standard "
                "atomic weights of the elements")
      ->expected(1, -1);
  c->add_option("--timestep-ps", o.timestep_ps,
                "MD time step in ps: frame time = step × this (LAMMPS dumps; overrides the file's "
                "times)")
      ->check(CLI::PositiveNumber);
  c->add_option("--temperature,-T", o.temperatures,
                "temperature in K of every series, or one per series (default: a glassland md "
                "run's md.temperature)")
      ->expected(1, -1);
}

std::vector<TrajectorySeries> open_trajectory_series(const TrajectoryOptions& options) {
  const FrameSlice slice = FrameSlice::parse(options.frames, "--frames");
  std::vector<TrajectorySeries> all;
  for (const std::string& file : options.files) {
    for (auto& reader : open_trajectory(file, options.replica)) {
      TrajectorySeries s;
      s.description = reader->description();
      s.type_names = reader->type_names();
      s.type_masses = reader->type_masses();
      s.temperature_K =
          configured_temperature(reader->effective_configuration(), replica_of(s.description));
      s.temperature_source = std::isnan(s.temperature_K) ? "" : "md.temperature of the run";
      std::vector<std::string> names;
      std::vector<double> masses;
      if (s.type_names.empty() &&
          potential_types(reader->effective_configuration(), names, masses)) {
        s.type_names = names;
        if (s.type_masses.empty())
          s.type_masses = masses;
      }
      s.frames = std::make_unique<SlicedTrajectory>(std::move(reader), slice);
      if (s.frames->selected() == 0)
        throw InputError(s.description + ": --frames " + options.frames +
                         " selects no frame of the file's " +
                         std::to_string(s.frames->reader().count_frames()));
      all.push_back(std::move(s));
    }
  }
  if (!options.temperatures.empty()) {
    if (options.temperatures.size() != 1 && options.temperatures.size() != all.size())
      throw InputError("--temperature: give one value for every series or one per series (" +
                       std::to_string(all.size()) + " series), got " +
                       std::to_string(options.temperatures.size()));
    for (std::size_t k = 0; k < all.size(); ++k) {
      all[k].temperature_K = options.temperatures[options.temperatures.size() == 1 ? 0 : k];
      all[k].temperature_source = "--temperature";
    }
  }
  return all;
}

void resolve_types(TrajectorySeries& s, int n_types, const TrajectoryOptions& o, bool need_masses) {
  if (!o.elements.empty()) {
    if (static_cast<int>(o.elements.size()) < n_types)
      throw InputError("--elements: " + s.description + " has " + std::to_string(n_types) +
                       " types, --elements names " + std::to_string(o.elements.size()));
    s.type_names = o.elements;
  }
  if (static_cast<int>(s.type_names.size()) < n_types) {
    s.type_names.resize(n_types);
    for (int t = 0; t < n_types; ++t)
      if (s.type_names[t].empty())
        s.type_names[t] = "type" + std::to_string(t + 1);
  }
  s.type_names.resize(n_types);
  if (!o.masses.empty()) {
    if (static_cast<int>(o.masses.size()) < n_types)
      throw InputError("--masses: " + s.description + " has " + std::to_string(n_types) +
                       " types, --masses gives " + std::to_string(o.masses.size()));
    s.type_masses = o.masses;
  }
  if (static_cast<int>(s.type_masses.size()) < n_types) {
    s.type_masses.assign(n_types, 0.0);
    for (int t = 0; t < n_types; ++t) {
      const auto w = analysis::standard_atomic_weight(s.type_names[t]);
      if (w)
        s.type_masses[t] = *w;
      else if (need_masses)
        throw InputError(s.description + ": no mass for type " + std::to_string(t + 1) + " ('" +
                         s.type_names[t] +
                         "'): the centre-of-mass drift needs masses; give --elements (Cu Zr), "
                         "--masses, or --keep-drift");
    }
  }
  s.type_masses.resize(n_types);
}

double frame_time_ps(const AtomsFrame& frame, const TrajectoryOptions& o,
                     const std::string& description) {
  if (o.timestep_ps > 0.0)
    return frame.step * o.timestep_ps;
  if (std::isfinite(frame.time_ps))
    return frame.time_ps;
  throw InputError(description + ": frame " + std::to_string(frame.index) +
                   " has no time (a LAMMPS dump without ITEM: TIME); give --timestep-ps");
}

bool next_frame(TrajectorySeries& s, AtomsFrame& frame) {
  return s.frames->next(frame);
}

}  // namespace glassland
