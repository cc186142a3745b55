#include "host/io/batch_checkpoint.hpp"

#include <string>

#include "host/io/input_error.hpp"

namespace glassland {

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

void save_batch_forces(Checkpoint& c, const Batch& batch) {
  save(c, "batch/forces", batch.forces);
  save(c, "batch/potential_energy", batch.potential_energy);
}

void load_batch_forces(const Checkpoint& c, Batch& batch) {
  load(c, "batch/forces", batch.forces);
  load(c, "batch/potential_energy", batch.potential_energy);
}

namespace {

// The integrator's checkpointed views by name: one list serves saving and loading, so a field
// cannot be saved without being restored.
template <class Visit>
void for_each_integrator_view(const IntegratorState& s, Visit visit) {
  visit("integrator/step", s.step);
  visit("integrator/thermostat_position", s.thermostat_position);
  visit("integrator/thermostat_velocity", s.thermostat_velocity);
  visit("integrator/thermostat_acceleration", s.thermostat_acceleration);
  visit("integrator/barostat_chain_position", s.barostat_chain_position);
  visit("integrator/barostat_chain_velocity", s.barostat_chain_velocity);
  visit("integrator/barostat_chain_acceleration", s.barostat_chain_acceleration);
  visit("integrator/barostat_velocity", s.barostat_velocity);
  visit("integrator/barostat_strain", s.barostat_strain);
}

}  // namespace

void save_integrator_state(Checkpoint& c, const IntegratorState& s) {
  for_each_integrator_view(s, [&c](const char* name, const auto& view) { save(c, name, view); });
}

void load_integrator_state(const Checkpoint& c, const IntegratorState& s) {
  for_each_integrator_view(s, [&c](const char* name, const auto& view) { load(c, name, view); });
}

}  // namespace glassland
