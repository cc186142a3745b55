// Replica failures and their diagnosis; why and the rules: host/tasks/replica_failures.hpp.
#include "host/tasks/replica_failures.hpp"

#include <algorithm>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <limits>

#include "kernels/units.hpp"

namespace glassland {

namespace {

// Atoms of a metal closer than this sit on top of each other (nearest neighbours of Cu–Zr are
// 2.4–3.2 Å apart; the EAM pair terms diverge below about 1 Å).
constexpr double kOverlapDistance = 1.0;  // Å
// The thermal step √(3k_BT/m)·dt an atom may take (0.02 Å: 0.002 ps for Cu at 2000 K).
constexpr double kThermalStep = 0.02;  // Å
// Below this the remedy speaks of a liquid's worth of motion anyway (a cold start heats up).
constexpr double kLowestAdviceTemperature = 300.0;  // K

std::string format(const char* pattern, ...) {
  char text[512];
  va_list arguments;
  va_start(arguments, pattern);
  std::vsnprintf(text, sizeof text, pattern, arguments);
  va_end(arguments);
  return text;
}

// One replica of the batch on the host: what the diagnosis looks at.
struct ReplicaCopy {
  std::vector<double> x, f;  // [i*3 + k]
  std::vector<int> ids;
  std::vector<double> masses;  // per atom, amu
  Box box;
};

ReplicaCopy copy_replica(const Batch& batch, int r) {
  const int n = batch.n_atoms;
  const auto range = std::make_pair(static_cast<int64_t>(r) * n, static_cast<int64_t>(r + 1) * n);
  const auto x = Kokkos::create_mirror_view_and_copy(
      HostSpace(), Kokkos::subview(batch.positions, range, Kokkos::ALL));
  const auto f = Kokkos::create_mirror_view_and_copy(
      HostSpace(), Kokkos::subview(batch.forces, range, Kokkos::ALL));
  const auto ids =
      Kokkos::create_mirror_view_and_copy(HostSpace(), Kokkos::subview(batch.ids, range));
  const auto elements =
      Kokkos::create_mirror_view_and_copy(HostSpace(), Kokkos::subview(batch.elements, range));
  const auto masses = Kokkos::create_mirror_view_and_copy(HostSpace(), batch.element_masses);
  const auto box = Kokkos::create_mirror_view_and_copy(
      HostSpace(), Kokkos::subview(batch.boxes, std::make_pair(r, r + 1)));
  ReplicaCopy c;
  c.box = box(0);
  for (int i = 0; i < n; ++i) {
    for (int k = 0; k < 3; ++k) {
      c.x.push_back(x(i, k));
      c.f.push_back(f(i, k));
    }
    c.ids.push_back(ids(i));
    c.masses.push_back(masses(elements(i)));
  }
  return c;
}

bool finite3(const std::vector<double>& v, int i) {
  return std::isfinite(v[3 * i]) && std::isfinite(v[3 * i + 1]) && std::isfinite(v[3 * i + 2]);
}

// The atom nearest to atom `a` (minimum image) and its distance; {-1, inf} if none is finite.
std::pair<int, double> nearest_atom(const ReplicaCopy& c, int a) {
  std::pair<int, double> best{-1, std::numeric_limits<double>::infinity()};
  if (a < 0 || !finite3(c.x, a))
    return best;
  for (int j = 0; j < static_cast<int>(c.ids.size()); ++j) {
    if (j == a || !finite3(c.x, j))
      continue;
    double d[3] = {c.x[3 * j] - c.x[3 * a], c.x[3 * j + 1] - c.x[3 * a + 1],
                   c.x[3 * j + 2] - c.x[3 * a + 2]};
    c.box.minimum_image(d);
    const double r = std::sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
    if (r < best.second)
      best = {j, r};
  }
  return best;
}

// "atoms 17 and 42 are 0 Å apart in the starting structure: ..." when atom `a` sits on another.
std::string overlap_remedy(const ReplicaCopy& c, int a, int64_t step) {
  const auto [b, distance] = nearest_atom(c, a);
  if (b < 0 || !(distance < kOverlapDistance))
    return "";
  return format(
      "atoms %d and %d are %.3g Å apart%s: remove one of them or move them apart (neighbouring "
      "atoms of a metal are more than 2 Å apart)",
      c.ids[a], c.ids[b], distance, step == 0 ? " in the starting structure" : "");
}

std::string fault_detail(const FaultRecord& fault, const ReplicaCopy& c,
                         const FaultContext& context) {
  // Atom ids do not move: the batch's are right even when its positions have moved on.
  const int id = fault.atom >= 0 ? c.ids[fault.atom] : -1;
  switch (fault.cause) {
    case FaultCause::step_too_long:
      return format("atom %d would move %.3g Å in one step (more than %g Å)", id, fault.value,
                    context.limits.max_step_displacement);
    case FaultCause::non_finite_forces:
      return format("the force on atom %d is not finite", id);
    case FaultCause::non_finite_velocities:
      return format("the velocity of atom %d is not finite", id);
    case FaultCause::non_finite_positions:
      return id >= 0 ? format("the position of atom %d is not finite", id)
                     : std::string("the box is not finite or has collapsed");
    case FaultCause::non_finite_energy:
      return "the potential energy is not finite";
    case FaultCause::temperature_runaway:
      return format("the temperature ran away to %.3g K (target %g K)", fault.value,
                    fault.target_temperature);
    case FaultCause::none:
      break;
  }
  return "no fault";
}

}  // namespace

nlohmann::json ReplicaFailure::to_json() const {
  return {{unit, replica},  {"unit", unit},     {"stage", stage},  {"step", step},
          {"cause", cause}, {"detail", detail}, {"remedy", remedy}};
}

ReplicaFailure ReplicaFailure::from_json(const nlohmann::json& record) {
  ReplicaFailure f;
  f.unit = record.at("unit").get<std::string>();
  f.replica = record.at(f.unit).get<int>();
  f.stage = record.at("stage").get<std::string>();
  f.step = record.at("step").get<int64_t>();
  f.cause = record.at("cause").get<std::string>();
  f.detail = record.at("detail").get<std::string>();
  f.remedy = record.at("remedy").get<std::string>();
  return f;
}

std::string ReplicaFailure::describe() const {
  return unit + " " + std::to_string(replica) + " (" + stage + ", step " + std::to_string(step) +
         "): " + detail + "; " + remedy;
}

double recommended_timestep(double temperature, const std::vector<double>& masses) {
  const double lightest = *std::min_element(masses.begin(), masses.end());
  const double t = std::max(temperature, kLowestAdviceTemperature);
  const double speed =
      std::sqrt(3.0 * units::kBoltzmann * t * units::kForceOverMassToAccel / lightest);  // Å/ps
  const double largest = kThermalStep / speed;
  double decade = std::pow(10.0, std::floor(std::log10(largest)));
  for (double mantissa : {5.0, 2.0, 1.0})
    if (mantissa * decade <= largest * (1.0 + 1e-12))
      return mantissa * decade;
  return decade;
}

ReplicaFailure diagnose_fault(const FaultRecord& fault, const Batch& batch,
                              const FaultContext& context) {
  const ReplicaCopy c = copy_replica(batch, fault.replica);
  ReplicaFailure failure;
  failure.replica = fault.replica;
  failure.stage = context.stage;
  failure.step = fault.step;
  failure.cause = to_string(fault.cause);
  failure.detail = fault_detail(fault, c, context);
  const double temperature = fault.target_temperature;
  const double advised = recommended_timestep(temperature, c.masses);
  const bool timestep_too_large = context.timestep > advised * (1.0 + 1e-9);
  const std::string overlap =
      context.configuration_at_fault ? overlap_remedy(c, fault.atom, fault.step) : "";
  const std::string timestep_remedy = format("time step %g ps too large at %g K; try ≤ %g ps",
                                             context.timestep, std::max(temperature, 0.0), advised);
  if (!overlap.empty())
    failure.remedy = overlap + (timestep_too_large && fault.step > 0 ? "; " + timestep_remedy : "");
  else if (timestep_too_large)
    failure.remedy = timestep_remedy;
  else
    failure.remedy = format(
        "the time step (%g ps) suits %g K, so the forces are at fault (%s): check the structure "
        "for atoms too close together and that the potential suits its elements",
        context.timestep, temperature,
        fault.max_force < 0.0 ? "a force is not finite"
                              : format("largest %.3g eV/Å", fault.max_force).c_str());
  return failure;
}

void diagnose_non_finite(ReplicaFailure& failure, int slot, const Batch& batch) {
  const ReplicaCopy c = copy_replica(batch, slot);
  int atom = -1;
  for (int i = 0; i < static_cast<int>(c.ids.size()) && atom < 0; ++i)
    if (!finite3(c.f, i) || !finite3(c.x, i))
      atom = i;
  failure.detail = atom >= 0 ? format("the force on atom %d is not finite", c.ids[atom])
                             : std::string("the energy is not finite");
  const std::string overlap = overlap_remedy(c, atom, failure.step);
  failure.remedy = !overlap.empty()
                       ? overlap
                       : std::string(
                             "check the structure for atoms too close together and that "
                             "the potential suits its elements");
}

}  // namespace glassland
