#include "host/tasks/shear_deformation.hpp"

#include <string>

#include "host/io/input_error.hpp"
#include "host/io/physical_ranges.hpp"

namespace glassland {

namespace {

const char* const kComponents[3] = {"xy", "xz", "yz"};

ReplicaTilts tilt_view(const std::vector<std::array<double, 3>>& values, const char* label) {
  ReplicaTilts view(std::string(label), values.size());
  auto host = Kokkos::create_mirror_view(view);
  for (size_t r = 0; r < values.size(); ++r)
    for (int k = 0; k < 3; ++k)
      host(r, k) = values[r][k];
  Kokkos::deep_copy(view, host);
  return view;
}

bool any_nonzero(const std::vector<std::array<double, 3>>& values) {
  for (const auto& v : values)
    for (double x : v)
      if (x != 0.0)
        return true;
  return false;
}

std::vector<double> flatten(const ReplicaTilts& view) {
  const auto host = Kokkos::create_mirror_view_and_copy(HostSpace(), view);
  std::vector<double> out;
  for (size_t r = 0; r < host.extent(0); ++r)
    for (int k = 0; k < 3; ++k)
      out.push_back(host(r, k));
  return out;
}

void unflatten(const std::vector<double>& values, const ReplicaTilts& view, const std::string& name,
               const Checkpoint& c) {
  if (values.size() != view.extent(0) * 3)
    throw InputError(c.source() + ": " + name + " holds " + std::to_string(values.size()) +
                     " values, expected " + std::to_string(view.extent(0) * 3) +
                     "; remove the checkpoint");
  auto host = Kokkos::create_mirror_view(view);
  for (size_t r = 0; r < view.extent(0); ++r)
    for (int k = 0; k < 3; ++k)
      host(r, k) = values[r * 3 + k];
  Kokkos::deep_copy(view, host);
}

}  // namespace

bool MdShearSettings::any_strain() const {
  return any_nonzero(strain);
}

bool MdShearSettings::any_rate() const {
  return any_nonzero(rate);
}

MdShearSettings read_shear_settings(InputObject& md, int n_replicas, bool npt) {
  if (md.has("shear_strain"))
    throw md.error("shear_strain",
                   "replaced by the per-replica md.shear.strain_xy, md.shear.strain_xz and "
                   "md.shear.strain_yz; write \"shear\": {\"strain_xy\": …}");
  InputObject o = md.object("shear", "shear strain and strain rate per replica (docs/tasks.md)");
  MdShearSettings s;
  s.strain.assign(n_replicas, {0.0, 0.0, 0.0});
  s.rate.assign(n_replicas, {0.0, 0.0, 0.0});
  for (int k = 0; k < 3; ++k) {
    const std::string c = kComponents[k];
    const auto strain =
        o.per_replica_numbers("strain_" + c, 0.0, n_replicas, "",
                              "engineering shear strain γ_" + c +
                                  " applied affinely at the start and held under nvt, "
                                  "langevin, bussi and nve (tilt " +
                                  c + " += γ·" + (k == 0 ? "ly" : "lz") + ")",
                              strain_range());
    const auto rate = o.per_replica_numbers(
        "rate_" + c, 0.0, n_replicas, "1/ps",
        "engineering shear strain rate of " + c +
            " (LAMMPS fix deform erate, metal units: 1e-4/ps = 1e8/s), atoms remapped affinely");
    for (int r = 0; r < n_replicas; ++r) {
      s.strain[r][k] = strain[r];
      s.rate[r][k] = rate[r];
      if (npt && rate[r] != 0.0)
        throw o.error("rate_" + c,
                      "a strain rate needs a box the barostat leaves alone; use ensemble nvt, "
                      "langevin, bussi or nve");
    }
  }
  return s;
}

void apply_shear_strain(Batch& batch, const MdShearSettings& settings) {
  if (settings.any_strain())
    apply_shear_strain(batch, tilt_view(settings.strain, "shear::strain"));
}

ShearRamp::ShearRamp(const MdShearSettings& settings, int n_replicas)
    : active_(settings.any_rate()), n_replicas_(n_replicas) {
  if (active_)
    rate_ = tilt_view(settings.rate, "shear::rate");
}

void ShearRamp::start(const Batch& batch) {
  if (active_)
    ramp_ = make_tilt_ramp(batch, rate_);
}

void ShearRamp::save(Checkpoint& c) const {
  if (!active_)
    return;
  c.set("shear/start_tilt", flatten(ramp_.start_tilt), {static_cast<size_t>(n_replicas_), 3});
  c.set("shear/start_length", flatten(ramp_.start_length), {static_cast<size_t>(n_replicas_), 3});
}

void ShearRamp::resume(const Checkpoint& c) {
  if (!active_)
    return;
  if (!c.has("shear/start_tilt"))
    throw InputError(c.source() +
                     ": the checkpointed run had no md.shear rates; restore md.shear or remove "
                     "the checkpoint");
  ramp_ = TiltRamp{ReplicaTilts("box_deformation::start_tilt", n_replicas_),
                   ReplicaTilts("box_deformation::start_length", n_replicas_), rate_};
  unflatten(c.doubles("shear/start_tilt"), ramp_.start_tilt, "shear/start_tilt", c);
  unflatten(c.doubles("shear/start_length"), ramp_.start_length, "shear/start_length", c);
}

void ShearRamp::apply(Batch& batch, int64_t step, double timestep) const {
  if (active_)
    apply_tilt_ramp(batch, ramp_, static_cast<double>(step) * timestep);
}

}  // namespace glassland
