#include "cv/metadynamics_bias.hpp"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <ostream>
#include <sstream>
#include <stdexcept>

#include "kernels/units.hpp"

namespace glassland {

namespace {

template <class T>
std::vector<T> one_per_replica(const std::vector<T>& values, int n_replicas, const char* what) {
  if (values.size() == 1)
    return std::vector<T>(n_replicas, values[0]);
  if (static_cast<int>(values.size()) != n_replicas)
    throw std::invalid_argument(std::string("MetadynamicsBias: ") + what + ": " +
                                std::to_string(values.size()) + " entries for " +
                                std::to_string(n_replicas) + " replicas (give 1 or one each)");
  return values;
}

void fill_replica_scalars(const ReplicaScalars& view, const std::vector<double>& values) {
  auto host = Kokkos::create_mirror_view(view);
  for (size_t r = 0; r < values.size(); ++r)
    host(r) = values[r];
  Kokkos::deep_copy(view, host);
}

std::vector<std::vector<double>> rows_on_host(const BiasGridValues& view,
                                              const std::vector<int>& points) {
  auto host = Kokkos::create_mirror_view(view);
  Kokkos::deep_copy(host, view);
  std::vector<std::vector<double>> rows(points.size());
  for (size_t r = 0; r < points.size(); ++r)
    rows[r].assign(&host(r, 0), &host(r, 0) + points[r]);
  return rows;
}

}  // namespace

MetadynamicsBias::MetadynamicsBias(CvSet cvs, const std::vector<MetadynamicsSettings>& settings,
                                   const std::vector<double>& temperatures)
    : n_replicas_(cvs.n_replicas()), cvs_(std::move(cvs)) {
  settings_ = one_per_replica(settings, n_replicas_, "settings");
  temperatures_ = one_per_replica(temperatures, n_replicas_, "temperatures");
  pace_ = settings_[0].pace;
  std::vector<double> lower(n_replicas_), spacing(n_replicas_), sigma(n_replicas_),
      height(n_replicas_), delta_kt(n_replicas_);
  points_.resize(n_replicas_);
  for (int r = 0; r < n_replicas_; ++r) {
    const MetadynamicsSettings& s = settings_[r];
    std::ostringstream where;
    where << "MetadynamicsBias: replica " << r << ": ";
    if (s.pace != pace_ || s.pace <= 0)
      throw std::invalid_argument(where.str() +
                                  "pace must be positive and the same for every "
                                  "replica (replicas advance in lock step)");
    if (!(s.sigma > 0.0) || !(s.initial_height > 0.0))
      throw std::invalid_argument(where.str() + "sigma and initial_height must be positive");
    if (!(temperatures_[r] > 0.0) || !(s.bias_temperature > temperatures_[r]))
      throw std::invalid_argument(
          where.str() + "bias_temperature (T + ΔT = " + std::to_string(s.bias_temperature) +
          " K) must exceed the temperature (" + std::to_string(temperatures_[r]) + " K) > 0");
    if (!(s.grid_spacing > 0.0) || !(s.grid_upper > s.grid_lower))
      throw std::invalid_argument(where.str() +
                                  "grid needs grid_upper > grid_lower and "
                                  "grid_spacing > 0");
    // Knots cover [lower, upper]; upper is rounded up to a whole number of spacings.
    points_[r] =
        static_cast<int>(std::ceil((s.grid_upper - s.grid_lower) / s.grid_spacing - 1e-9)) + 1;
    max_points_ = std::max(max_points_, points_[r]);
    lower[r] = s.grid_lower;
    spacing[r] = s.grid_spacing;
    sigma[r] = s.sigma;
    height[r] = s.initial_height;
    delta_kt[r] = units::kBoltzmann * (s.bias_temperature - temperatures_[r]);
  }
  grid_.lower = ReplicaScalars("metad::grid_lower", n_replicas_);
  grid_.spacing = ReplicaScalars("metad::grid_spacing", n_replicas_);
  grid_.points = ReplicaInts("metad::grid_points", n_replicas_);
  grid_.value = BiasGridValues("metad::bias", n_replicas_, max_points_);
  grid_.derivative = BiasGridValues("metad::bias_derivative", n_replicas_, max_points_);
  grid_.sigma = ReplicaScalars("metad::sigma", n_replicas_);
  grid_.initial_height = ReplicaScalars("metad::initial_height", n_replicas_);
  grid_.delta_kt = ReplicaScalars("metad::delta_kt", n_replicas_);
  grid_.centre_of_mass_frame = ReplicaInts("metad::centre_of_mass_frame", n_replicas_);
  grid_.energy = ReplicaScalars("metad::energy", n_replicas_);
  grid_.out_of_grid = ReplicaInts("metad::out_of_grid", n_replicas_);
  grid_.out_of_grid_value = ReplicaScalars("metad::out_of_grid_value", n_replicas_);
  grid_.hill_center = ReplicaScalars("metad::hill_center", n_replicas_);
  grid_.hill_height = ReplicaScalars("metad::hill_height", n_replicas_);
  grid_.hill_deposit = ReplicaInts("metad::hill_deposit", n_replicas_);
  fill_replica_scalars(grid_.lower, lower);
  fill_replica_scalars(grid_.spacing, spacing);
  fill_replica_scalars(grid_.sigma, sigma);
  fill_replica_scalars(grid_.initial_height, height);
  fill_replica_scalars(grid_.delta_kt, delta_kt);
  auto points = Kokkos::create_mirror_view(grid_.points);
  auto frame = Kokkos::create_mirror_view(grid_.centre_of_mass_frame);
  for (int r = 0; r < n_replicas_; ++r) {
    points(r) = points_[r];
    frame(r) = settings_[r].centre_of_mass_frame ? 1 : 0;
  }
  Kokkos::deep_copy(grid_.points, points);
  Kokkos::deep_copy(grid_.centre_of_mass_frame, frame);
  hills_.resize(n_replicas_);
}

std::unique_ptr<ForceTerm> MetadynamicsBias::make_force_term() const {
  return std::make_unique<MetadynamicsBiasTerm>(cvs_.data(), grid_);
}

std::vector<std::pair<int, double>> MetadynamicsBias::replicas_outside_grid() const {
  auto flag = Kokkos::create_mirror_view(grid_.out_of_grid);
  auto value = Kokkos::create_mirror_view(grid_.out_of_grid_value);
  Kokkos::deep_copy(flag, grid_.out_of_grid);
  Kokkos::deep_copy(value, grid_.out_of_grid_value);
  std::vector<std::pair<int, double>> outside;
  for (int r = 0; r < n_replicas_; ++r)
    if (flag(r))
      outside.emplace_back(r, value(r));
  return outside;
}

void MetadynamicsBias::check_grid(const ReplicaInts& active) const {
  std::vector<int> active_host;
  if (active.extent(0) > 0) {
    auto mirror = Kokkos::create_mirror_view(active);
    Kokkos::deep_copy(mirror, active);
    for (size_t r = 0; r < mirror.extent(0); ++r)
      active_host.push_back(mirror(r));
  }
  for (const auto& [r, value] : replicas_outside_grid()) {
    if (!active_host.empty() && !active_host[r])
      continue;  // a frozen replica: its driver has dealt with it
    std::ostringstream message;
    message << "metadynamics: replica " << r << ": the CV (" << cv_name(cvs_.definitions()[r].kind)
            << ") reached " << value << ", outside its bias grid [" << settings_[r].grid_lower
            << ", " << settings_[r].grid_lower + (points_[r] - 1) * settings_[r].grid_spacing
            << "]; widen the grid";
    throw std::runtime_error(message.str());
  }
}

void MetadynamicsBias::deposit(const Batch& batch, int64_t step, double time_ps,
                               const ReplicaInts& active) {
  cvs_.check_against(batch);
  const CvData cv = cvs_.data();
  const CvInputs in(batch);
  const BiasGridData grid = grid_;
  Kokkos::parallel_for(
      "metad::hill_heights", Kokkos::RangePolicy<ExecSpace>(0, n_replicas_), KOKKOS_LAMBDA(int r) {
        grid.hill_deposit(r) = 0;
        if (!replica_is_active(active, r))
          return;
        const double s = evaluate_replica_cv(cv, in, r);
        double v, dvds;
        if (!interpolate_bias(grid.lower(r), grid.spacing(r), grid.points(r), &grid.value(r, 0),
                              &grid.derivative(r, 0), s, v, dvds)) {
          if (!grid.out_of_grid(r)) {
            grid.out_of_grid(r) = 1;
            grid.out_of_grid_value(r) = s;
          }
          return;
        }
        grid.hill_center(r) = s;
        grid.hill_height(r) = well_tempered_height(grid.initial_height(r), v, grid.delta_kt(r));
        grid.hill_deposit(r) = 1;
      });
  check_grid(active);  // throws before anything is added
  const int max_points = max_points_;
  Kokkos::parallel_for(
      "metad::deposit_hills",
      Kokkos::RangePolicy<ExecSpace>(0, static_cast<int64_t>(n_replicas_) * max_points),
      KOKKOS_LAMBDA(int64_t index) {
        const int r = static_cast<int>(index / max_points);
        const int k = static_cast<int>(index - static_cast<int64_t>(r) * max_points);
        if (!grid.hill_deposit(r) || k >= grid.points(r))
          return;
        const double s = grid.lower(r) + k * grid.spacing(r);
        double derivative;
        const double value =
            gaussian_hill(grid.hill_height(r), grid.hill_center(r), grid.sigma(r), s, derivative);
        grid.value(r, k) += value;
        grid.derivative(r, k) += derivative;
      });
  auto deposited = Kokkos::create_mirror_view(grid_.hill_deposit);
  auto center = Kokkos::create_mirror_view(grid_.hill_center);
  auto height = Kokkos::create_mirror_view(grid_.hill_height);
  Kokkos::deep_copy(deposited, grid_.hill_deposit);
  Kokkos::deep_copy(center, grid_.hill_center);
  Kokkos::deep_copy(height, grid_.hill_height);
  for (int r = 0; r < n_replicas_; ++r) {
    if (!deposited(r))
      continue;
    Hill hill;
    hill.step = step;
    hill.time = time_ps;
    hill.center = center(r);
    hill.sigma = settings_[r].sigma;
    hill.height = height(r);
    hill.bias_factor = settings_[r].bias_temperature / temperatures_[r];
    hills_[r].push_back(hill);
  }
}

void MetadynamicsBias::restore_hills(const std::vector<std::vector<Hill>>& hills) {
  if (static_cast<int>(hills.size()) != n_replicas_)
    throw std::invalid_argument("MetadynamicsBias::restore_hills: " + std::to_string(hills.size()) +
                                " hill lists for " + std::to_string(n_replicas_) + " replicas");
  auto value = Kokkos::create_mirror_view(grid_.value);
  auto derivative = Kokkos::create_mirror_view(grid_.derivative);
  Kokkos::deep_copy(value, 0.0);
  Kokkos::deep_copy(derivative, 0.0);
  for (int r = 0; r < n_replicas_; ++r) {
    for (const Hill& hill : hills[r]) {
      for (int k = 0; k < points_[r]; ++k) {  // same order and formula as the device deposit
        const double s = settings_[r].grid_lower + k * settings_[r].grid_spacing;
        double d;
        value(r, k) += gaussian_hill(hill.height, hill.center, hill.sigma, s, d);
        derivative(r, k) += d;
      }
    }
  }
  Kokkos::deep_copy(grid_.value, value);
  Kokkos::deep_copy(grid_.derivative, derivative);
  hills_ = hills;
}

void MetadynamicsBias::restore_state(const std::vector<std::vector<Hill>>& hills,
                                     const std::vector<std::vector<double>>& values,
                                     const std::vector<std::vector<double>>& derivatives) {
  if (static_cast<int>(hills.size()) != n_replicas_ ||
      static_cast<int>(values.size()) != n_replicas_ ||
      static_cast<int>(derivatives.size()) != n_replicas_)
    throw std::invalid_argument(
        "MetadynamicsBias::restore_state: need one hill list and one grid "
        "row per replica (" +
        std::to_string(n_replicas_) + ")");
  auto value = Kokkos::create_mirror_view(grid_.value);
  auto derivative = Kokkos::create_mirror_view(grid_.derivative);
  Kokkos::deep_copy(value, 0.0);
  Kokkos::deep_copy(derivative, 0.0);
  for (int r = 0; r < n_replicas_; ++r) {
    if (static_cast<int>(values[r].size()) != points_[r] ||
        static_cast<int>(derivatives[r].size()) != points_[r])
      throw std::invalid_argument("MetadynamicsBias::restore_state: replica " + std::to_string(r) +
                                  ": grid rows of " + std::to_string(values[r].size()) +
                                  " points for a grid of " + std::to_string(points_[r]));
    for (int k = 0; k < points_[r]; ++k) {
      value(r, k) = values[r][k];
      derivative(r, k) = derivatives[r][k];
    }
  }
  Kokkos::deep_copy(grid_.value, value);
  Kokkos::deep_copy(grid_.derivative, derivative);
  hills_ = hills;
}

std::vector<double> MetadynamicsBias::grid_coordinates(int replica) const {
  std::vector<double> s(points_.at(replica));
  for (size_t k = 0; k < s.size(); ++k)
    s[k] = settings_[replica].grid_lower + static_cast<double>(k) * settings_[replica].grid_spacing;
  return s;
}

std::vector<std::vector<double>> MetadynamicsBias::bias_on_grid() const {
  return rows_on_host(grid_.value, points_);
}

std::vector<std::vector<double>> MetadynamicsBias::bias_derivative_on_grid() const {
  return rows_on_host(grid_.derivative, points_);
}

std::vector<double> MetadynamicsBias::bias_energies() const {
  auto host = Kokkos::create_mirror_view(grid_.energy);
  Kokkos::deep_copy(host, grid_.energy);
  return std::vector<double>(host.data(), host.data() + n_replicas_);
}

void MetadynamicsBiasTerm::accumulate(Batch& batch, const EvalRequest& request) {
  const CvData cv = cv_;
  const BiasGridData grid = grid_;
  const CvInputs in(batch);
  auto forces = batch.forces;
  auto per_atom_energy = batch.per_atom_energy;
  auto energy = batch.potential_energy;
  auto active = request.active;
  auto masses = batch.element_masses;
  auto elements = batch.elements;
  const bool with_energy = request.energy;
  const int n_atoms = batch.n_atoms;
  // One team per replica. One thread evaluates the CV and adds the bias force on the CV's atoms
  // (its atoms are distinct and a replica's atoms are its own, so nothing races); the team then
  // removes the net force from all the replica's atoms together (a team reduction for the mass
  // and a team loop for the correction instead of two serial loops over N atoms).
  Kokkos::parallel_for(
      "metad::bias_forces", Kokkos::TeamPolicy<ExecSpace>(batch.n_replicas, Kokkos::AUTO),
      KOKKOS_LAMBDA(const Kokkos::TeamPolicy<ExecSpace>::member_type& team) {
        const int r = team.league_rank();
        if (!replica_is_active(active, r))
          return;
        const int64_t first = static_cast<int64_t>(r) * n_atoms;
        double bias_slope = 0.0;  // dV/ds, handed from the CV's thread to the team
        Kokkos::single(
            Kokkos::PerTeam(team),
            [&](double& slope) {
              const double s = evaluate_replica_cv(cv, in, r);
              double v, dvds;
              if (!interpolate_bias(grid.lower(r), grid.spacing(r), grid.points(r),
                                    &grid.value(r, 0), &grid.derivative(r, 0), s, v, dvds)) {
                if (!grid.out_of_grid(r)) {
                  grid.out_of_grid(r) = 1;
                  grid.out_of_grid_value(r) = s;
                }
              }
              grid.energy(r) = v;
              const int count = cv.atom_count(r);
              for (int m = 0; m < count; ++m) {
                const int64_t g = first + cv.atoms(r, m);
                for (int k = 0; k < 3; ++k)
                  forces(g, k) -= dvds * cv.gradient(r, m, k);
              }
              slope = dvds;
              if (with_energy) {
                energy(r) += v;
                per_atom_energy(first + cv.atoms(r, 0)) += v;
              }
            },
            bias_slope);
        // The CV in the centre-of-mass frame: every atom j takes back its mass share m_j/M of
        // the net force, which is then zero. A hop distance from a fixed point in space is not
        // translation invariant: its bias is an external force on one atom, which accelerates
        // the whole replica (measured without this: the centre of mass of 432-atom replicas
        // moved 0.3–0.6 Å in 12 ps at 700 K, and tracers "hopped" tens of Å in 120 ps with
        // their cages). The corrected force is the exact gradient of
        // s' = |x_i − R − (x_ref − R_0)| (R the centre of mass), and s' equals the evaluated s
        // because momentum-free dynamics keep R = R_0 (docs/metadynamics.md). For the cluster
        // RMSD, translation invariant by construction, net is zero to round-off.
        if (grid.centre_of_mass_frame(r)) {
          // The bias force's sum over the replica (each thread sums the CV's few atoms itself).
          team.team_barrier();  // the CV's gradient, written by the single, is read here
          double net[3] = {0.0, 0.0, 0.0};
          for (int m = 0; m < cv.atom_count(r); ++m)
            for (int k = 0; k < 3; ++k)
              net[k] -= bias_slope * cv.gradient(r, m, k);
          double total_mass = 0.0;
          Kokkos::parallel_reduce(
              Kokkos::TeamThreadRange(team, n_atoms),
              [&](int i, double& sum) { sum += masses(elements(first + i)); }, total_mass);
          // The single's force writes on the CV atoms come before these (same atoms).
          team.team_barrier();
          Kokkos::parallel_for(Kokkos::TeamThreadRange(team, n_atoms), [&](int i) {
            const double share = masses(elements(first + i)) / total_mass;
            for (int k = 0; k < 3; ++k)
              forces(first + i, k) -= share * net[k];
          });
        }
      });
}

void write_plumed_hills(std::ostream& out, const std::vector<Hill>& hills,
                        const std::string& cv_label) {
  out << "#! FIELDS time " << cv_label << " sigma_" << cv_label << " height biasf\n";
  out << "#! SET multivariate false\n";
  out << "#! SET kerneltype gaussian\n";
  const auto flags = out.flags();
  const auto precision = out.precision();
  out << std::setprecision(10);
  for (const Hill& hill : hills) {
    const double gamma = hill.bias_factor;
    const double height = gamma > 1.0 ? hill.height * gamma / (gamma - 1.0) : hill.height;
    out << std::setw(20) << hill.time << ' ' << std::setw(20) << hill.center << ' ' << std::setw(20)
        << hill.sigma << ' ' << std::setw(20) << height << ' ' << std::setw(20) << gamma << '\n';
  }
  out.flags(flags);
  out.precision(precision);
}

}  // namespace glassland
