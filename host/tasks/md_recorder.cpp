#include "host/tasks/md_recorder.hpp"

#include "kernels/units.hpp"

namespace glassland {

std::vector<std::vector<double>> thermo_values(const Batch& batch, const Thermo& thermo) {
  auto host = [](const auto& view) {
    return Kokkos::create_mirror_view_and_copy(HostSpace(), view);
  };
  const auto t = host(thermo.temperature);
  const auto p = host(thermo.pressure);
  const auto v = host(thermo.volume);
  const auto ke = host(thermo.kinetic_energy);
  const auto target = host(thermo.target_temperature);
  const auto reservoir = host(thermo.reservoir_energy);
  const auto pe = host(batch.potential_energy);
  const auto tensor = host(thermo.pressure_tensor);
  std::vector<std::vector<double>> values(thermo_columns().size(),
                                          std::vector<double>(batch.n_replicas));
  for (int r = 0; r < batch.n_replicas; ++r) {
    values[0][r] = t(r);
    values[1][r] = p(r);
    values[2][r] = v(r);
    values[3][r] = pe(r);
    values[4][r] = ke(r);
    // H = E + PV with P in eV/Å³.
    values[5][r] = pe(r) + ke(r) + p(r) / units::kEvPerA3ToBar * v(r);
    values[6][r] = target(r);
    values[7][r] = pe(r) + ke(r) + reservoir(r);
    for (int k = 0; k < 6; ++k)  // pxx pyy pzz pxy pxz pyz
      values[8 + k][r] = tensor(r, k);
  }
  return values;
}

void ThermoPrinter::print(int64_t step, double time, const std::vector<std::vector<double>>& values,
                          const std::vector<bool>& failed) {
  if (!header_printed_) {
    std::fprintf(out_, "%10s %11s %7s %9s %11s %12s %15s %13s %15s\n", "step", "time_ps", "replica",
                 "T_K", "P_bar", "V_A3", "PE_eV", "KE_eV", "E_conserved_eV");
    header_printed_ = true;
  }
  // Columns of thermo_values: T, P, V, PE, KE, H, target T, conserved energy.
  for (size_t r = 0; r < values[0].size(); ++r) {
    if (r < failed.size() && failed[r]) {
      std::fprintf(out_, "%10lld %11.4f %7zu  FAILED (see faults.json)\n",
                   static_cast<long long>(step), time, r);
      continue;
    }
    std::fprintf(out_, "%10lld %11.4f %7zu %9.2f %11.2f %12.4f %15.6f %13.6f %15.6f\n",
                 static_cast<long long>(step), time, r, values[0][r], values[1][r], values[2][r],
                 values[3][r], values[4][r], values[7][r]);
  }
  std::fflush(out_);
}

void MdRecorder::record(int64_t step, const Batch& batch, const MdIntegrator& integrator,
                        SegmentedResults& results) {
  const double time = step * timestep_;
  if (step % out_.thermo_stride == 0) {
    integrator.compute_thermo(batch, thermo_);
    const std::vector<std::vector<double>> values = thermo_values(batch, thermo_);
    results.record_thermo(step, time, values);
    if (print_thermo_ && out_.thermo_print_stride > 0 && step % out_.thermo_print_stride == 0)
      printer_.print(step, time, values, results.stopped_replicas());
  }
  if (results.frame_due(step))
    results.record_frame(make_frame(batch, step, time, frame_storage_));
}

TrajectoryFrame make_frame(const Batch& batch, int64_t step, double time, FrameStorage& storage) {
  const auto boxes = Kokkos::create_mirror_view_and_copy(HostSpace(), batch.boxes);
  storage.edges.assign(static_cast<size_t>(batch.n_replicas) * 9, 0.0);
  storage.origins.assign(static_cast<size_t>(batch.n_replicas) * 3, 0.0);
  for (int r = 0; r < batch.n_replicas; ++r) {
    const Box& b = boxes(r);
    const double rows[9] = {b.lx, 0, 0, b.xy, b.ly, 0, b.xz, b.yz, b.lz};  // a, b, c
    for (int k = 0; k < 9; ++k)
      storage.edges[r * 9 + k] = rows[k];
    for (int k = 0; k < 3; ++k)
      storage.origins[r * 3 + k] = b.lo[k];
  }
  auto flatten = [](const AtomVectors& view, std::vector<double>& out) {
    const auto host = Kokkos::create_mirror_view_and_copy(HostSpace(), view);
    out.resize(host.extent(0) * 3);
    for (size_t g = 0; g < host.extent(0); ++g)
      for (int k = 0; k < 3; ++k)
        out[g * 3 + k] = host(g, k);
  };
  flatten(batch.positions, storage.positions);
  flatten(batch.velocities, storage.velocities);
  flatten(batch.forces, storage.forces);
  const auto images = Kokkos::create_mirror_view_and_copy(HostSpace(), batch.images);
  storage.images.resize(images.extent(0) * 3);
  for (size_t g = 0; g < images.extent(0); ++g)
    for (int k = 0; k < 3; ++k)
      storage.images[g * 3 + k] = images(g, k);
  TrajectoryFrame frame;
  frame.step = step;
  frame.time = time;
  frame.edge_vectors = &storage.edges;
  frame.origins = &storage.origins;
  frame.positions = &storage.positions;
  frame.velocities = &storage.velocities;
  frame.forces = &storage.forces;
  frame.images = &storage.images;
  return frame;
}

}  // namespace glassland
