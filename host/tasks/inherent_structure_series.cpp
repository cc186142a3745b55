#include "host/tasks/inherent_structure_series.hpp"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <limits>

#include "host/io/lammps_data.hpp"
#include "host/tasks/task_run.hpp"
#include "host/tasks/task_system.hpp"
#include "kernels/units.hpp"

namespace glassland {

InherentStructureSeriesSettings read_inherent_structure_series(InputObject& md, int n_replicas,
                                                               double timestep) {
  InherentStructureSeriesSettings s;
  const auto section = md.optional_object(
      "inherent_structures",
      "quench copies of every replica every stride steps and record E_IS(t) (docs/tasks.md)");
  if (!section)
    return s;
  InputObject o = *section;
  const bool by_steps = o.has("stride"), by_time = o.has("interval_ps");
  if (by_steps == by_time)
    throw o.error(by_steps ? "interval_ps" : "stride",
                  "give exactly one of stride (steps) and interval_ps (ps)");
  if (by_steps) {
    s.stride =
        o.integer("stride", required, "steps", "steps between quenches", IntegerRange::positive());
  } else {
    const double interval =
        o.number("interval_ps", required, "ps",
                 "time between quenches (paper 003: 50 ps); a whole number of time steps",
                 NumberRange::positive());
    const double steps = std::round(interval / timestep);
    if (steps < 1 || std::fabs(steps * timestep - interval) > 1e-9 * interval)
      throw o.error("interval_ps", "must be a whole number of time steps (md.timestep = " +
                                       std::to_string(timestep) + " ps)");
    s.stride = static_cast<int64_t>(steps);
  }
  s.minimize = read_minimize_settings(o, n_replicas);
  s.write_structures = o.boolean(
      "write_structures", false,
      "also write every inherent structure as inherent_structures/is_RRRR_SSSSSSSSSS.data");
  return s;
}

const std::vector<H5mdObservableSet::Column>& inherent_structure_columns() {
  static const std::vector<H5mdObservableSet::Column> columns = {
      {"inherent_structure/energy", "eV"},   {"inherent_structure/pxx", "bar"},
      {"inherent_structure/pyy", "bar"},     {"inherent_structure/pzz", "bar"},
      {"inherent_structure/pxy", "bar"},     {"inherent_structure/pxz", "bar"},
      {"inherent_structure/pyz", "bar"},     {"inherent_structure/converged", ""},
      {"inherent_structure/iterations", ""}, {"inherent_structure/max_force", "eV Angstrom-1"}};
  return columns;
}

InherentStructureSeries::InherentStructureSeries(const InherentStructureSeriesSettings& settings,
                                                 const TaskSystem& system)
    : settings_(settings), system_(system) {}

void InherentStructureSeries::declare(SegmentedResults& results) {
  if (enabled())
    set_ = results.add_observable_set(inherent_structure_columns());
}

void InherentStructureSeries::record(int64_t step, double time, TaskRun& run,
                                     SegmentedResults& results) {
  const Batch& batch = system_.batch;
  const int n = batch.n_replicas;
  // A failed replica (host/tasks/replica_failures.hpp) is not quenched: its configuration says
  // nothing any more, and its columns are NaN in the results (SegmentedResults::stop_replica).
  std::vector<int> quenched_replicas;
  for (int r = 0; r < n; ++r)
    if (!run.has_failed(r))
      quenched_replicas.push_back(r);
  std::vector<std::vector<double>> values(
      inherent_structure_columns().size(),
      std::vector<double>(n, std::numeric_limits<double>::quiet_NaN()));
  if (quenched_replicas.empty()) {
    results.record_observables(set_, step, time, values);
    return;
  }
  const MinimizedCopies quenched =
      minimize_copies(system_, snapshot(batch), quenched_replicas, settings_.minimize);
  for (size_t c = 0; c < quenched_replicas.size(); ++c) {
    const int r = quenched_replicas[c];
    const Box& box = quenched.minimized.boxes[c];
    values[0][r] = quenched.minimized.potential_energy[c];
    for (int k = 0; k < 6; ++k)  // P = W/V at 0 K (LAMMPS compute pressure, no kinetic part)
      values[1 + k][r] = quenched.minimized.virial[c * 6 + k] / box.volume() * units::kEvPerA3ToBar;
    const nlohmann::json& record = quenched.records[c];
    const bool converged = record["converged"].get<bool>();
    values[7][r] = converged ? 1.0 : 0.0;
    values[8][r] = record["iterations"].get<double>();
    values[9][r] = record["max_force_eV_per_A"].get<double>();
    // Loud even in quiet mode: an unconverged quench is a wrong E_IS in the series.
    if (!converged)
      std::fprintf(stderr,
                   "md: WARNING inherent structure of replica %d at step %lld NOT converged: %s "
                   "after %d iterations, max force %.3g eV/Å\n",
                   r, static_cast<long long>(step), record["status"].get<std::string>().c_str(),
                   record["iterations"].get<int>(), values[9][r]);
  }
  results.record_observables(set_, step, time, values);
  if (!settings_.write_structures)
    return;
  std::filesystem::create_directories(run.path("inherent_structures"));
  for (size_t c = 0; c < quenched_replicas.size(); ++c) {
    char name[64];
    std::snprintf(name, sizeof name, "inherent_structures/is_%04d_%010lld.data",
                  quenched_replicas[c], static_cast<long long>(step));
    write_lammps_data(
        run.path(name),
        replica_to_data(quenched.minimized, static_cast<int>(c), system_.type_elements,
                        system_.potential.elements, system_.potential.masses, false));
  }
}

}  // namespace glassland
