// Climbing-image NEB on B bands × M images: the launches of one lock-step band iteration.
// Methods and sources: saddle/neb_band.hpp (layout, optimiser) and saddle/neb_forces.hpp
// (tangent, springs, climbing image).
#include "saddle/neb_band.hpp"

#include <cfloat>

#include <cmath>
#include <stdexcept>
#include <type_traits>

#include "saddle/neb_forces.hpp"

namespace glassland {

namespace {

using TeamPolicy = Kokkos::TeamPolicy<ExecSpace>;
using Team = TeamPolicy::member_type;

// Minimum-image displacement x_to − x_from of atom i between two replicas of the same box.
KOKKOS_INLINE_FUNCTION void image_displacement(const AtomVectors& positions, const Box& box,
                                               int64_t g_from, int64_t g_to, double d[3]) {
  for (int k = 0; k < 3; ++k)
    d[k] = positions(g_to, k) - positions(g_from, k);
  box.minimum_image(d);
}

}  // namespace

std::string to_string(NebStatus status) {
  switch (status) {
    case NebStatus::running:
      return "running";
    case NebStatus::converged:
      return "converged";
    case NebStatus::max_iterations:
      return "max_iterations";
    case NebStatus::non_finite_energy:
      return "non_finite_energy";
    case NebStatus::not_participating:
      return "not_participating";
  }
  return "unknown";
}

Batch make_bands_from_endpoints(const Batch& endpoints, int n_images) {
  if (n_images < 3 || endpoints.n_replicas % 2 != 0)
    throw std::invalid_argument(
        "make_bands_from_endpoints: need pairs of endpoint replicas and n_images >= 3");
  const int n_bands = endpoints.n_replicas / 2;
  const int n_atoms = endpoints.n_atoms;
  const int images_per_band = n_images;
  Batch bands(n_bands * n_images, n_atoms, endpoints.n_elements);
  Kokkos::deep_copy(bands.element_masses, endpoints.element_masses);
  auto from_positions = endpoints.positions;
  auto from_images = endpoints.images;
  auto from_elements = endpoints.elements;
  auto from_ids = endpoints.ids;
  auto from_boxes = endpoints.boxes;
  auto positions = bands.positions;
  auto images = bands.images;
  auto elements = bands.elements;
  auto ids = bands.ids;
  auto boxes = bands.boxes;
  // Replica r = b·M + image takes endpoint replica 2b (image < M−1) or 2b + 1 (image = M−1).
  Kokkos::parallel_for(
      "neb::expand_endpoints", all_atoms(bands.n_replicas, n_atoms), KOKKOS_LAMBDA(int64_t g) {
        const int r = static_cast<int>(g / n_atoms);
        const int i = static_cast<int>(g - static_cast<int64_t>(r) * n_atoms);
        const int b = r / images_per_band;
        const int source = 2 * b + (r % images_per_band == images_per_band - 1 ? 1 : 0);
        const int64_t s = static_cast<int64_t>(source) * n_atoms + i;
        for (int k = 0; k < 3; ++k) {
          positions(g, k) = from_positions(s, k);
          images(g, k) = from_images(s, k);
        }
        elements(g) = from_elements(s);
        ids(g) = from_ids(s);
      });
  Kokkos::parallel_for(
      "neb::expand_boxes", Kokkos::RangePolicy<ExecSpace>(0, bands.n_replicas),
      KOKKOS_LAMBDA(int r) {
        const int b = r / images_per_band;
        boxes(r) = from_boxes(2 * b + (r % images_per_band == images_per_band - 1 ? 1 : 0));
      });
  return bands;
}

void interpolate_linear(Batch& batch, int n_images) {
  if (n_images < 3 || batch.n_replicas % n_images != 0)
    throw std::invalid_argument(
        "interpolate_linear: the batch must hold whole bands of >= 3 images");
  const int n_atoms = batch.n_atoms;
  const int images_per_band = n_images;
  auto positions = batch.positions;
  auto images = batch.images;
  auto boxes = batch.boxes;
  Kokkos::parallel_for(
      "neb::interpolate_linear", all_atoms(batch.n_replicas, n_atoms), KOKKOS_LAMBDA(int64_t g) {
        const int r = static_cast<int>(g / n_atoms);
        const int image = r % images_per_band;
        if (image == 0 || image == images_per_band - 1)
          return;
        const int i = static_cast<int>(g - static_cast<int64_t>(r) * n_atoms);
        const int first_replica = r - image;
        const int64_t g_first = static_cast<int64_t>(first_replica) * n_atoms + i;
        const int64_t g_last =
            static_cast<int64_t>(first_replica + images_per_band - 1) * n_atoms + i;
        double d[3];
        image_displacement(positions, boxes(first_replica), g_first, g_last, d);
        const double fraction = static_cast<double>(image) / (images_per_band - 1);
        for (int k = 0; k < 3; ++k) {
          positions(g, k) = positions(g_first, k) + fraction * d[k];
          images(g, k) = images(g_first, k);
        }
      });
}

std::vector<ReplicaMinimization> minimize_band_endpoints(Batch& batch, ForceField& force_field,
                                                         int n_images,
                                                         const FireSettings& settings) {
  if (n_images < 3 || batch.n_replicas % n_images != 0)
    throw std::invalid_argument(
        "minimize_band_endpoints: the batch must hold whole bands of >= 3 images");
  ReplicaInts endpoints("neb::endpoints", batch.n_replicas);
  const int images_per_band = n_images;
  Kokkos::parallel_for(
      "neb::endpoint_mask", Kokkos::RangePolicy<ExecSpace>(0, batch.n_replicas),
      KOKKOS_LAMBDA(int r) {
        const int image = r % images_per_band;
        endpoints(r) = image == 0 || image == images_per_band - 1 ? 1 : 0;
      });
  FireMinimizer minimizer(settings);
  return minimizer.minimize(batch, force_field, endpoints);
}

NebRunner::NebRunner(const NebSettings& settings) : settings_(settings) {}

std::vector<BandResult> NebRunner::run(Batch& batch, ForceField& force_field, int n_images,
                                       const std::vector<int>& participate) {
  start(batch, force_field, n_images, participate);
  const int interval = settings_.host_check_interval > 0 ? settings_.host_check_interval : 1;
  // Every band stops at its own iteration cap, so this loop ends.
  while (advance(batch, force_field, interval) > 0) {
  }
  return results(batch);
}

void NebRunner::start(Batch& batch, ForceField& force_field, int n_images,
                      const std::vector<int>& participate) {
  if (n_images < 3 || batch.n_replicas % n_images != 0)
    throw std::invalid_argument("NebRunner: the batch (" + std::to_string(batch.n_replicas) +
                                " replicas) must hold whole bands of n_images >= 3 (got " +
                                std::to_string(n_images) + ")");
  n_images_ = n_images;
  n_bands_ = batch.n_replicas / n_images;
  if (!participate.empty() && static_cast<int>(participate.size()) != n_bands_)
    throw std::invalid_argument("NebRunner: participate must have one entry per band");
  const int n_replicas = batch.n_replicas;
  const int n_bands = n_bands_;
  allocate(batch, n_images);

  // Which bands take part: one small host-to-device copy at the start.
  auto running = running_;
  auto host_running = Kokkos::create_mirror_view(running);
  for (int b = 0; b < n_bands; ++b)
    host_running(b) = participate.empty() || participate[b] != 0 ? 1 : 0;
  Kokkos::deep_copy(running, host_running);

  fire_.reset();
  auto status = status_;
  auto band_max_force_squared = band_max_force_squared_;
  auto climbing_image = climbing_image_;
  Kokkos::parallel_for(
      "neb::start_bands", Kokkos::RangePolicy<ExecSpace>(0, n_bands), KOKKOS_LAMBDA(int b) {
        status(b) =
            static_cast<int>(running(b) != 0 ? NebStatus::running : NebStatus::not_participating);
        climbing_image(b) = -1;
        // No force measured yet: the force threshold cannot switch climbing on before it is.
        band_max_force_squared(b) = 1.0e300;
      });

  // Every image of the participating bands, endpoints included, is evaluated once.
  const int images_per_band = n_images;
  auto evaluate_all = evaluate_all_;
  auto moving = moving_;
  auto evaluations = evaluations_;
  Kokkos::parallel_for(
      "neb::start_masks", Kokkos::RangePolicy<ExecSpace>(0, n_replicas), KOKKOS_LAMBDA(int r) {
        const int b = r / images_per_band;
        const int image = r % images_per_band;
        evaluate_all(r) = running(b);
        moving(r) = running(b) != 0 && image > 0 && image < images_per_band - 1 ? 1 : 0;
      });
  force_field.compute(batch, EvalRequest{true, false, evaluate_all});
  Kokkos::parallel_for(
      "neb::count_start_evaluations", Kokkos::RangePolicy<ExecSpace>(0, n_bands),
      KOKKOS_LAMBDA(int b) {
        if (running(b) != 0)
          evaluations(b) = images_per_band;
      });
  neb_forces_and_convergence(batch);
}

namespace {

// The band's FIRE rules (NebSettings): FIRE 2.0's Δt/α rule without the uphill cap (a band stops
// on its force criterion or its iteration cap only); P, v·v and F·F summed component by
// component; how dmax limits a step and the half step back from NebSettings::lammps_step_rule.
FireRules band_rules(const NebSettings& s) {
  FireRules rules;
  rules.adapt = FireParameters{s.dt_max,       s.dt_min,      s.dt_grow, s.dt_shrink, s.alpha_start,
                               s.alpha_shrink, s.delay_steps, 0,         true};
  rules.dt_initial = s.dt_initial;
  rules.max_displacement = s.max_displacement;
  rules.half_step_back = s.lammps_step_rule;
  rules.step_limit =
      s.lammps_step_rule ? FireStepLimit::shorten_timestep : FireStepLimit::scale_displacement;
  rules.dot_order = FireDotOrder::per_component;
  if (s.optimizer == FireMethod::quickmin) {
    rules.method = FireMethod::quickmin;
    rules.dt_initial = s.quickmin_timestep;
    rules.half_step_back = false;
    rules.step_limit = FireStepLimit::shorten_timestep;
  }
  return rules;
}

}  // namespace

void NebRunner::allocate(const Batch& batch, int n_images) {
  n_images_ = n_images;
  n_bands_ = batch.n_replicas / n_images;
  const int n_replicas = batch.n_replicas;
  const int n_bands = n_bands_;
  neb_forces_ = AtomVectors("neb::forces", batch.total_atoms());
  // Band b is FIRE system b: its images 1 … M−2 move.
  fire_ = FireStepper(band_rules(settings_),
                      FireSystems{n_bands, n_images, 1, n_images - 1, batch.n_atoms});
  moving_ = ReplicaInts("neb::moving", n_replicas);
  evaluate_all_ = ReplicaInts("neb::evaluate_all", n_replicas);
  image_dots_ = Kokkos::View<double* [5], MemSpace>("neb::image_dots", n_replicas);
  image_force_along_tangent_ = ReplicaScalars("neb::force_along_tangent", n_replicas);
  image_max_force_squared_ = ReplicaScalars("neb::image_max_force_squared", n_replicas);
  status_ = ReplicaInts("neb::status", n_bands);
  iterations_ = ReplicaInts("neb::iterations", n_bands);
  evaluations_ = ReplicaInts("neb::evaluations", n_bands);
  running_ = ReplicaInts("neb::running", n_bands);
  climbing_on_ = ReplicaInts("neb::climbing_on", n_bands);
  climbing_image_ = ReplicaInts("neb::climbing_image", n_bands);
  climb_started_ = ReplicaInts("neb::climb_started", n_bands);
  band_max_force_squared_ = ReplicaScalars("neb::band_max_force_squared", n_bands);
  band_max_energy_ = ReplicaScalars("neb::band_max_energy", n_bands);
}

template <class Visitor>
void NebRunner::visit_arrays(Visitor&& visit) {
  visit("neb_forces", neb_forces_);
  // FIRE's velocities, Δt, α and counters; what FIRE rewrites every step is not kept.
  fire_.visit_state(visit);
  visit("moving", moving_);
  visit("evaluate_all", evaluate_all_);
  visit("image_dots", image_dots_);
  visit("image_force_along_tangent", image_force_along_tangent_);
  visit("image_max_force_squared", image_max_force_squared_);
  visit("status", status_);
  visit("iterations", iterations_);
  visit("evaluations", evaluations_);
  visit("running", running_);
  visit("climbing_on", climbing_on_);
  visit("climbing_image", climbing_image_);
  visit("climb_started", climb_started_);
  visit("band_max_force_squared", band_max_force_squared_);
  visit("band_max_energy", band_max_energy_);
}

NebRunnerState NebRunner::state() const {
  NebRunnerState out;
  out.n_images = n_images_;
  out.n_bands = n_bands_;
  // visit_arrays only reads here; the views are handles, copying them shares the data.
  const_cast<NebRunner*>(this)->visit_arrays([&](const char* name, const auto& view) {
    using View = std::decay_t<decltype(view)>;
    auto host = Kokkos::create_mirror_view_and_copy(HostSpace(), view);
    const size_t columns = View::rank == 2 ? host.extent(1) : 1;
    std::vector<typename View::non_const_value_type> values;
    values.reserve(host.extent(0) * columns);
    for (size_t i = 0; i < host.extent(0); ++i)
      for (size_t j = 0; j < columns; ++j) {
        if constexpr (View::rank == 2)
          values.push_back(host(i, j));
        else
          values.push_back(host(i));
      }
    if constexpr (std::is_integral_v<typename View::non_const_value_type>)
      out.integers.emplace_back(name, std::vector<std::int64_t>(values.begin(), values.end()));
    else
      out.doubles.emplace_back(name, std::vector<double>(values.begin(), values.end()));
  });
  return out;
}

void NebRunner::restore(const Batch& batch, int n_images, const NebRunnerState& state) {
  if (n_images < 3 || batch.n_replicas % n_images != 0 || state.n_images != n_images ||
      state.n_bands != batch.n_replicas / n_images)
    throw std::invalid_argument(
        "NebRunner::restore: the saved state has " + std::to_string(state.n_bands) + " bands of " +
        std::to_string(state.n_images) + " images, this batch " + std::to_string(batch.n_replicas) +
        " replicas of " + std::to_string(n_images) + " images per band");
  allocate(batch, n_images);
  visit_arrays([&](const char* name, const auto& view) {
    using View = std::decay_t<decltype(view)>;
    using Value = typename View::non_const_value_type;
    auto host = Kokkos::create_mirror_view(view);
    const size_t columns = View::rank == 2 ? host.extent(1) : 1;
    auto fill = [&](const auto& values) {
      if (values.size() != host.extent(0) * columns)
        throw std::invalid_argument(std::string("NebRunner::restore: ") + name + " has " +
                                    std::to_string(values.size()) + " values, expected " +
                                    std::to_string(host.extent(0) * columns));
      size_t k = 0;
      for (size_t i = 0; i < host.extent(0); ++i)
        for (size_t j = 0; j < columns; ++j) {
          if constexpr (View::rank == 2)
            host(i, j) = static_cast<Value>(values[k++]);
          else
            host(i) = static_cast<Value>(values[k++]);
        }
    };
    bool found = false;
    if constexpr (std::is_integral_v<Value>) {
      for (const auto& [key, values] : state.integers)
        if (key == name) {
          fill(values);
          found = true;
        }
    } else {
      for (const auto& [key, values] : state.doubles)
        if (key == name) {
          fill(values);
          found = true;
        }
    }
    if (!found)
      throw std::invalid_argument(std::string("NebRunner::restore: the state has no ") + name);
    Kokkos::deep_copy(view, host);
  });
}

int NebRunner::advance(Batch& batch, ForceField& force_field, int n_iterations) {
  for (int k = 0; k < n_iterations; ++k)
    iterate(batch, force_field);
  auto running = running_;
  int still_running = 0;
  Kokkos::parallel_reduce(
      "neb::count_running", Kokkos::RangePolicy<ExecSpace>(0, n_bands_),
      KOKKOS_LAMBDA(int b, int& count) { count += running(b); }, still_running);
  return still_running;
}

void NebRunner::iterate(Batch& batch, ForceField& force_field) {
  // Each iteration evaluates the M − 2 moving images of every running band once.
  auto running = running_;
  auto evaluations = evaluations_;
  const int moving_images = n_images_ - 2;
  Kokkos::parallel_for(
      "neb::count_evaluations", Kokkos::RangePolicy<ExecSpace>(0, n_bands_), KOKKOS_LAMBDA(int b) {
        if (running(b) != 0)
          evaluations(b) += moving_images;
      });
  // FIRE on the NEB forces; a band whose climbing image has just switched on starts FIRE
  // afresh, since its force field has changed. max_uphill_steps is 0: the status is never set.
  fire_.adapt(batch.positions, neb_forces_,
              FireSystemCounters{running_, iterations_, status_,
                                 static_cast<int>(NebStatus::max_iterations), climb_started_});
  fire_.move(batch, neb_forces_, running_);
  force_field.compute(batch, EvalRequest{true, false, moving_});
  neb_forces_and_convergence(batch);
}

// The NEB force of every image from the true forces in batch.forces, then each band's stopping
// rule and the mask of the images the next iteration moves.
void NebRunner::neb_forces_and_convergence(const Batch& batch) {
  measure_image_dots(batch);
  select_climbing_images(batch);
  project_forces(batch);
  check_bands(batch);
}

void NebRunner::measure_image_dots(const Batch& batch) {
  const int n_atoms = batch.n_atoms;
  const int images_per_band = n_images_;
  auto positions = batch.positions;
  auto forces = batch.forces;
  auto boxes = batch.boxes;
  auto running = running_;
  auto image_dots = image_dots_;
  const int n_replicas = batch.n_replicas;
  // τ+·τ+, τ−·τ−, τ+·τ−, F·τ+, F·τ− of every image of the running bands.
  Kokkos::parallel_for(
      "neb::image_dots", TeamPolicy(n_replicas, Kokkos::AUTO), KOKKOS_LAMBDA(const Team& team) {
        const int r = team.league_rank();
        const int b = r / images_per_band;
        if (running(b) == 0)
          return;
        const int image = r % images_per_band;
        const bool has_next = image < images_per_band - 1;
        const bool has_prev = image > 0;
        const Box box = boxes(r);
        const int64_t first = static_cast<int64_t>(r) * n_atoms;
        double sums[5];
        for (int q = 0; q < 5; ++q) {
          double total = 0.0;
          Kokkos::parallel_reduce(
              Kokkos::TeamThreadRange(team, n_atoms),
              [&](int i, double& partial) {
                const int64_t g = first + i;
                double next[3] = {0.0, 0.0, 0.0}, prev[3] = {0.0, 0.0, 0.0};
                if (has_next)
                  image_displacement(positions, box, g, g + n_atoms, next);
                if (has_prev)
                  image_displacement(positions, box, g - n_atoms, g, prev);
                for (int k = 0; k < 3; ++k) {
                  const double f = forces(g, k);
                  partial += q == 0   ? next[k] * next[k]
                             : q == 1 ? prev[k] * prev[k]
                             : q == 2 ? next[k] * prev[k]
                             : q == 3 ? f * next[k]
                                      : f * prev[k];
                }
              },
              total);
          sums[q] = total;
        }
        Kokkos::single(Kokkos::PerTeam(team), [&]() {
          for (int q = 0; q < 5; ++q)
            image_dots(r, q) = sums[q];
        });
      });
}

void NebRunner::select_climbing_images(const Batch& batch) {
  const int n_bands = n_bands_;
  const int images_per_band = n_images_;
  auto energy = batch.potential_energy;
  auto running = running_;
  auto iterations = iterations_;
  auto climbing_on = climbing_on_;
  auto climbing_image = climbing_image_;
  auto climb_started = climb_started_;
  auto band_max_force_squared = band_max_force_squared_;
  auto band_max_energy = band_max_energy_;
  const bool climbing_requested = settings_.climbing;
  const int climb_after = settings_.climb_after_iterations;
  const double climb_threshold_squared =
      settings_.climb_force_threshold * settings_.climb_force_threshold;
  // Per band: highest image, the climbing switch and the band's largest energy.
  Kokkos::parallel_for(
      "neb::band_select", Kokkos::RangePolicy<ExecSpace>(0, n_bands), KOKKOS_LAMBDA(int b) {
        if (running(b) == 0)
          return;
        const int first = b * images_per_band;
        int highest = 1;
        double highest_energy = energy(first + 1);
        for (int image = 2; image < images_per_band - 1; ++image) {
          if (energy(first + image) > highest_energy) {
            highest_energy = energy(first + image);
            highest = image;
          }
        }
        band_max_energy(b) = kmath::max(
            highest_energy, kmath::max(energy(first), energy(first + images_per_band - 1)));
        if (climbing_requested && climbing_on(b) == 0 &&
            (iterations(b) >= climb_after || band_max_force_squared(b) < climb_threshold_squared)) {
          climbing_on(b) = 1;
          climb_started(b) = 1;
        }
        // The climber is re-chosen every iteration as the highest image (LAMMPS, eOn).
        climbing_image(b) = climbing_on(b) != 0 ? highest : -1;
      });
}

void NebRunner::project_forces(const Batch& batch) {
  const int n_replicas = batch.n_replicas;
  const int n_atoms = batch.n_atoms;
  const int images_per_band = n_images_;
  auto positions = batch.positions;
  auto forces = batch.forces;
  auto energy = batch.potential_energy;
  auto boxes = batch.boxes;
  auto running = running_;
  auto image_dots = image_dots_;
  auto image_force_along_tangent = image_force_along_tangent_;
  auto image_max_force_squared = image_max_force_squared_;
  auto neb_forces = neb_forces_;
  auto climbing_image = climbing_image_;
  auto band_max_energy = band_max_energy_;
  const bool energy_weighted = settings_.energy_weighted_springs;
  const double k_max = settings_.spring_constant;
  const double k_min = settings_.spring_constant_min;
  // NEB force of every image, its force along the tangent and its convergence measure.
  Kokkos::parallel_for(
      "neb::project", TeamPolicy(n_replicas, Kokkos::AUTO), KOKKOS_LAMBDA(const Team& team) {
        const int r = team.league_rank();
        const int b = r / images_per_band;
        if (running(b) == 0)
          return;
        const int image = r % images_per_band;
        const int64_t first = static_cast<int64_t>(r) * n_atoms;
        const Box box = boxes(r);
        ImageDots dots;
        dots.next_next = image_dots(r, 0);
        dots.prev_prev = image_dots(r, 1);
        dots.next_prev = image_dots(r, 2);
        dots.force_next = image_dots(r, 3);
        dots.force_prev = image_dots(r, 4);
        if (image == 0 || image == images_per_band - 1) {
          // Endpoints stay where they are; F·τ̂ along their only segment feeds the cubic fit.
          const double along =
              image == 0
                  ? (dots.next_next > 0.0 ? dots.force_next / kmath::sqrt(dots.next_next) : 0.0)
                  : (dots.prev_prev > 0.0 ? dots.force_prev / kmath::sqrt(dots.prev_prev) : 0.0);
          Kokkos::parallel_for(Kokkos::TeamThreadRange(team, n_atoms), [&](int i) {
            for (int k = 0; k < 3; ++k)
              neb_forces(first + i, k) = 0.0;
          });
          Kokkos::single(Kokkos::PerTeam(team), [&]() {
            image_force_along_tangent(r) = along;
            image_max_force_squared(r) = 0.0;
          });
          return;
        }
        const double e_prev = energy(r - 1), e = energy(r), e_next = energy(r + 1);
        const TangentWeights weights = improved_tangent_weights(e_prev, e, e_next);
        double k_next = k_max, k_prev = k_max;
        if (energy_weighted) {
          const int band_first = b * images_per_band;
          const double reference =
              kmath::max(energy(band_first), energy(band_first + images_per_band - 1));
          k_next = energy_weighted_spring(k_max, k_min, kmath::max(e, e_next), band_max_energy(b),
                                          reference);
          k_prev = energy_weighted_spring(k_max, k_min, kmath::max(e, e_prev), band_max_energy(b),
                                          reference);
        }
        const bool climbing = climbing_image(b) == image;
        const ImageProjection p = neb_projection(weights, dots, k_next, k_prev, climbing);
        double largest = 0.0;
        Kokkos::parallel_reduce(
            Kokkos::TeamThreadRange(team, n_atoms),
            [&](int i, double& partial) {
              const int64_t g = first + i;
              double next[3], prev[3];
              image_displacement(positions, box, g, g + n_atoms, next);
              image_displacement(positions, box, g - n_atoms, g, prev);
              double measure = 0.0;
              for (int k = 0; k < 3; ++k) {
                const double tangent =
                    p.tangent_scale_next * next[k] + p.tangent_scale_previous * prev[k];
                const double f = forces(g, k);
                const double perpendicular = f - p.force_along_tangent * tangent;
                const double neb =
                    f - p.parallel_factor * p.force_along_tangent * tangent + p.spring * tangent;
                neb_forces(g, k) = neb;
                // Climbing image: its full force; the others: the perpendicular true force.
                measure += climbing ? neb * neb : perpendicular * perpendicular;
              }
              // A non-finite force must survive the maximum (NaN fails every comparison):
              // band_converge stops the band on it (issue 16).
              if (!kmath::isfinite(measure))
                measure = DBL_MAX;
              if (measure > partial)
                partial = measure;
            },
            Kokkos::Max<double>(largest));
        Kokkos::single(Kokkos::PerTeam(team), [&]() {
          image_force_along_tangent(r) = p.force_along_tangent;
          image_max_force_squared(r) = largest;
        });
      });
}

void NebRunner::check_bands(const Batch& batch) {
  const int n_replicas = batch.n_replicas;
  const int n_bands = n_bands_;
  const int images_per_band = n_images_;
  auto energy = batch.potential_energy;
  auto running = running_;
  auto moving = moving_;
  auto status = status_;
  auto iterations = iterations_;
  auto image_max_force_squared = image_max_force_squared_;
  auto climbing_on = climbing_on_;
  auto band_max_force_squared = band_max_force_squared_;
  const bool climbing_requested = settings_.climbing;
  const double tolerance_squared = settings_.force_tolerance * settings_.force_tolerance;
  const int max_iterations = settings_.max_iterations;
  // Per-band stopping rule, then the image mask for the next force evaluation.
  Kokkos::parallel_for(
      "neb::band_converge", Kokkos::RangePolicy<ExecSpace>(0, n_bands), KOKKOS_LAMBDA(int b) {
        if (running(b) == 0)
          return;
        const int first = b * images_per_band;
        double largest = 0.0;
        bool finite = true;
        for (int image = 0; image < images_per_band; ++image) {
          largest = kmath::max(largest, image_max_force_squared(first + image));
          finite = finite && kmath::isfinite(energy(first + image)) &&
                   image_max_force_squared(first + image) < DBL_MAX;
        }
        band_max_force_squared(b) = largest;
        NebStatus outcome = NebStatus::running;
        if (!finite)
          outcome = NebStatus::non_finite_energy;
        else if (largest < tolerance_squared && (!climbing_requested || climbing_on(b) != 0))
          outcome = NebStatus::converged;
        else if (iterations(b) >= max_iterations)
          outcome = NebStatus::max_iterations;
        if (outcome != NebStatus::running) {
          status(b) = static_cast<int>(outcome);
          running(b) = 0;
        }
      });
  Kokkos::parallel_for(
      "neb::image_mask", Kokkos::RangePolicy<ExecSpace>(0, n_replicas), KOKKOS_LAMBDA(int r) {
        const int image = r % images_per_band;
        moving(r) =
            running(r / images_per_band) != 0 && image > 0 && image < images_per_band - 1 ? 1 : 0;
      });
}

std::vector<BandProgress> NebRunner::progress(const Batch& batch) const {
  auto h_running = Kokkos::create_mirror_view_and_copy(HostSpace(), running_);
  auto h_iterations = Kokkos::create_mirror_view_and_copy(HostSpace(), iterations_);
  auto h_force = Kokkos::create_mirror_view_and_copy(HostSpace(), band_max_force_squared_);
  auto h_highest = Kokkos::create_mirror_view_and_copy(HostSpace(), band_max_energy_);
  auto h_energy = Kokkos::create_mirror_view_and_copy(HostSpace(), batch.potential_energy);
  std::vector<BandProgress> out(n_bands_);
  for (int b = 0; b < n_bands_; ++b) {
    out[b].running = h_running(b) != 0;
    out[b].iterations = h_iterations(b);
    out[b].max_force = h_force(b) < 1e299 ? std::sqrt(h_force(b)) : std::nan("");
    out[b].highest_above_initial = h_highest(b) - h_energy(b * n_images_);
  }
  return out;
}

std::vector<BandResult> NebRunner::results(const Batch& batch) const {
  const int n_atoms = batch.n_atoms;
  const int n_bands = n_bands_;
  const int images_per_band = n_images_;
  // |R_{M−1} − R_0| per band (minimum image per atom), computed once here.
  ReplicaScalars end_to_end_squared("neb::end_to_end_squared", n_bands);
  auto positions = batch.positions;
  auto boxes = batch.boxes;
  Kokkos::parallel_for(
      "neb::end_to_end", TeamPolicy(n_bands, Kokkos::AUTO), KOKKOS_LAMBDA(const Team& team) {
        const int b = team.league_rank();
        const int r_first = b * images_per_band;
        const int64_t first = static_cast<int64_t>(r_first) * n_atoms;
        const int64_t last = static_cast<int64_t>(r_first + images_per_band - 1) * n_atoms;
        const Box box = boxes(r_first);
        double sum = 0.0;
        Kokkos::parallel_reduce(
            Kokkos::TeamThreadRange(team, n_atoms),
            [&](int i, double& partial) {
              double d[3];
              image_displacement(positions, box, first + i, last + i, d);
              partial += d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
            },
            sum);
        Kokkos::single(Kokkos::PerTeam(team), [&]() { end_to_end_squared(b) = sum; });
      });

  auto h_status = Kokkos::create_mirror_view_and_copy(HostSpace(), status_);
  auto h_iterations = Kokkos::create_mirror_view_and_copy(HostSpace(), iterations_);
  auto h_evaluations = Kokkos::create_mirror_view_and_copy(HostSpace(), evaluations_);
  auto h_climbing = Kokkos::create_mirror_view_and_copy(HostSpace(), climbing_image_);
  auto h_band_force = Kokkos::create_mirror_view_and_copy(HostSpace(), band_max_force_squared_);
  auto h_energy = Kokkos::create_mirror_view_and_copy(HostSpace(), batch.potential_energy);
  auto h_dots = Kokkos::create_mirror_view_and_copy(HostSpace(), image_dots_);
  auto h_along = Kokkos::create_mirror_view_and_copy(HostSpace(), image_force_along_tangent_);
  auto h_end_to_end = Kokkos::create_mirror_view_and_copy(HostSpace(), end_to_end_squared);

  std::vector<BandResult> out(n_bands);
  for (int b = 0; b < n_bands; ++b) {
    BandResult& band = out[b];
    band.status = static_cast<NebStatus>(h_status(b));
    band.iterations = h_iterations(b);
    band.evaluations = h_evaluations(b);
    band.climbing_image = h_climbing(b);
    band.max_force = std::sqrt(h_band_force(b) < 1e299 ? h_band_force(b) : 0.0);
    double s = 0.0;
    for (int image = 0; image < images_per_band; ++image) {
      const int r = b * images_per_band + image;
      band.energies.push_back(h_energy(r));
      band.tangential_force.push_back(h_along(r));
      band.reaction_coordinate.push_back(s);
      if (image < images_per_band - 1) {
        const double segment = std::sqrt(h_dots(r, 0));
        band.segment_lengths.push_back(segment);
        s += segment;
      }
    }
    band.contour_length = s;
    band.end_to_end = std::sqrt(h_end_to_end(b));
    band.highest_image = 0;
    for (int image = 1; image < images_per_band; ++image)
      if (band.energies[image] > band.energies[band.highest_image])
        band.highest_image = image;
    band.barrier_forward = band.energies[band.highest_image] - band.energies.front();
    band.barrier_backward = band.energies[band.highest_image] - band.energies.back();
  }
  return out;
}

}  // namespace glassland
