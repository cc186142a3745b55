#include "kernels/displacement_correlation.hpp"

#include <stdexcept>
#include <string>

#include "kernels/replica_reductions.hpp"

namespace glassland {

namespace {

constexpr int kBlock = 64;  // atoms per thread of the accumulation

// sin(x)/x written as analysis::isotropic_scattering writes it (series below 1e-4), so that the
// device and the post-hoc analysis agree to rounding.
KOKKOS_INLINE_FUNCTION double sinc(double x) {
  if (x < 1e-4) {
    const double x2 = x * x;
    return 1.0 - x2 / 6.0 + x2 * x2 / 120.0;
  }
  return kmath::sin(x) / x;
}

// Each atom's group: its element, then its index modulo `subsets`. A free function, not the
// constructor's body: nvcc does not allow a device lambda in a constructor (its address cannot be
// taken).
AtomInts atom_groups(const Batch& batch, int subsets) {
  AtomInts group("displacement::group", batch.total_atoms());
  const auto elements = batch.elements;
  const int n = batch.n_atoms;
  Kokkos::parallel_for(
      "displacement::groups", all_atoms(batch.n_replicas, n), KOKKOS_LAMBDA(int64_t g) {
        group(g) = elements(g) * subsets + static_cast<int>(g % n) % subsets;
      });
  return group;
}

}  // namespace

DisplacementCorrelation::DisplacementCorrelation(const Batch& batch,
                                                 const DisplacementCorrelationSettings& settings)
    : settings_(settings), n_replicas_(batch.n_replicas), n_atoms_(batch.n_atoms) {
  if (settings.max_lag < 1 || settings.origin_stride < 1 || settings.subsets < 1)
    throw std::invalid_argument(
        "displacement correlation: max_lag, origin_stride and subsets "
        "must be at least 1");
  if (settings.dimensions == 2 && !settings.q.empty())
    throw std::invalid_argument(
        "displacement correlation: lateral F_s is not accumulated on the "
        "device");
  groups_ = batch.n_elements * settings.subsets;
  quantities_ = 3 + static_cast<int>(settings.q.size());
  slots_ = settings.max_lag / settings.origin_stride + 1;
  blocks_ = (n_atoms_ + kBlock - 1) / kBlock;
  slot_origin_.assign(slots_, -1);
  group_ = atom_groups(batch, settings.subsets);
  q_ = make_replica_view<Kokkos::View<double*, MemSpace>>(settings.q, "displacement::q");
  origins_ =
      Kokkos::View<double***, MemSpace>("displacement::origins", slots_, batch.total_atoms(), 3);
  current_ = AtomVectors("displacement::current", batch.total_atoms());
  centre_ = Kokkos::View<double* [3], MemSpace>("displacement::centre", n_replicas_);
  slot_lag_ = Kokkos::View<int*, MemSpace>("displacement::slot_lag", slots_);
  partial_ = Kokkos::View<double*, MemSpace>(
      "displacement::partial",
      static_cast<size_t>(n_replicas_) * slots_ * blocks_ * groups_ * quantities_);
  sums_ = Kokkos::View<double*, MemSpace>(
      "displacement::sums",
      static_cast<size_t>(n_replicas_) * (settings.max_lag + 1) * groups_ * quantities_);
}

void DisplacementCorrelation::sample(const Batch& batch) {
  const int n = n_atoms_, R = n_replicas_;
  const auto positions = batch.positions;
  const auto images = batch.images;
  const auto boxes = batch.boxes;
  const auto current = current_;
  Kokkos::parallel_for(
      "displacement::unwrap", all_atoms(R, n), KOKKOS_LAMBDA(int64_t g) {
        double d[3] = {positions(g, 0), positions(g, 1), positions(g, 2)};
        boxes(g / n).add_lattice_vector(images(g, 0), images(g, 1), images(g, 2), d);
        for (int k = 0; k < 3; ++k)
          current(g, k) = d[k];
      });
  const auto centre = centre_;
  if (settings_.remove_drift) {
    const auto masses = batch.element_masses;
    const auto elements = batch.elements;
    ReplicaScalars mass("displacement::mass", R), sum("displacement::sum", R);
    sum_per_replica(
        "displacement::total_mass", R, n, KOKKOS_LAMBDA(int64_t g) { return masses(elements(g)); },
        mass);
    for (int k = 0; k < 3; ++k) {
      sum_per_replica(
          "displacement::mass_moment", R, n,
          KOKKOS_LAMBDA(int64_t g) { return masses(elements(g)) * current(g, k); }, sum);
      Kokkos::parallel_for(
          "displacement::centre", Kokkos::RangePolicy<ExecSpace>(0, R),
          KOKKOS_LAMBDA(int r) { centre(r, k) = sum(r) / mass(r); });
    }
    Kokkos::parallel_for(
        "displacement::remove_drift", all_atoms(R, n), KOKKOS_LAMBDA(int64_t g) {
          for (int k = 0; k < 3; ++k)
            current(g, k) -= centre(g / n, k);
        });
  }
  // A new time origin, and the lag of every slot at this sample.
  if (samples_ % settings_.origin_stride == 0) {
    const int slot = static_cast<int>((samples_ / settings_.origin_stride) % slots_);
    const auto origin = Kokkos::subview(origins_, slot, Kokkos::ALL(), Kokkos::ALL());
    Kokkos::parallel_for(
        "displacement::store_origin", all_atoms(R, n), KOKKOS_LAMBDA(int64_t g) {
          for (int k = 0; k < 3; ++k)
            origin(g, k) = current(g, k);
        });
    slot_origin_[slot] = samples_;
  }
  std::vector<int> lags(slots_, -1);
  for (int s = 0; s < slots_; ++s)
    if (slot_origin_[s] >= 0 && samples_ - slot_origin_[s] <= settings_.max_lag)
      lags[s] = static_cast<int>(samples_ - slot_origin_[s]);
  const auto host_lags = Kokkos::create_mirror_view(slot_lag_);
  for (int s = 0; s < slots_; ++s)
    host_lags(s) = lags[s];
  Kokkos::deep_copy(slot_lag_, host_lags);

  const int slots = slots_, blocks = blocks_, G = groups_, Q = quantities_, nq = Q - 3;
  const bool lateral = settings_.dimensions == 2;
  const auto origins = origins_;
  const auto slot_lag = slot_lag_;
  const auto group = group_;
  const auto q = q_;
  const auto partial = partial_;
  Kokkos::parallel_for(
      "displacement::accumulate_blocks",
      Kokkos::RangePolicy<ExecSpace>(0, static_cast<int64_t>(R) * slots * blocks),
      KOKKOS_LAMBDA(int64_t job) {
        const int b = static_cast<int>(job % blocks);
        const int s = static_cast<int>((job / blocks) % slots);
        const int r = static_cast<int>(job / (static_cast<int64_t>(blocks) * slots));
        if (slot_lag(s) < 0)
          return;
        double* out = &partial(static_cast<size_t>(job) * G * Q);
        for (int k = 0; k < G * Q; ++k)
          out[k] = 0.0;
        const int last = kmath::min((b + 1) * kBlock, n);
        for (int i = b * kBlock; i < last; ++i) {
          const int64_t g = static_cast<int64_t>(r) * n + i;
          const double dx = current(g, 0) - origins(s, g, 0);
          const double dy = current(g, 1) - origins(s, g, 1);
          const double dz = lateral ? 0.0 : current(g, 2) - origins(s, g, 2);
          const double r2 = dx * dx + dy * dy + dz * dz;
          double* acc = out + group(g) * Q;
          acc[0] += 1.0;
          acc[1] += r2;
          acc[2] += r2 * r2;
          if (nq > 0) {
            const double distance = kmath::sqrt(r2);
            for (int k = 0; k < nq; ++k)
              acc[3 + k] += sinc(q(k) * distance);
          }
        }
      });
  const int lags_total = settings_.max_lag + 1;
  const auto sums = sums_;
  Kokkos::parallel_for(
      "displacement::add_blocks",
      Kokkos::RangePolicy<ExecSpace>(0, static_cast<int64_t>(R) * slots * G * Q),
      KOKKOS_LAMBDA(int64_t job) {
        const int entry = static_cast<int>(job % (G * Q));
        const int s = static_cast<int>((job / (G * Q)) % slots);
        const int r = static_cast<int>(job / (static_cast<int64_t>(G) * Q * slots));
        const int lag = slot_lag(s);
        if (lag < 0)
          return;
        double total = 0.0;
        for (int b = 0; b < blocks; ++b)
          total += partial(((static_cast<size_t>(r) * slots + s) * blocks + b) * G * Q + entry);
        sums((static_cast<size_t>(r) * lags_total + lag) * G * Q + entry) += total;
      });
  ++samples_;
}

ReplicaDisplacementSums DisplacementCorrelation::replica_sums(int replica) const {
  const auto host = Kokkos::create_mirror_view_and_copy(HostSpace(), sums_);
  const int lags = settings_.max_lag + 1, G = groups_, Q = quantities_, nq = Q - 3;
  ReplicaDisplacementSums out;
  out.count.resize(static_cast<size_t>(lags) * G);
  out.r2 = out.r4 = out.count;
  out.fs.resize(static_cast<size_t>(lags) * nq * G);
  for (int lag = 0; lag < lags; ++lag)
    for (int g = 0; g < G; ++g) {
      const size_t at = ((static_cast<size_t>(replica) * lags + lag) * G + g) * Q;
      out.count[lag * G + g] = host(at);
      out.r2[lag * G + g] = host(at + 1);
      out.r4[lag * G + g] = host(at + 2);
      for (int k = 0; k < nq; ++k)
        out.fs[(static_cast<size_t>(lag) * nq + k) * G + g] = host(at + 3 + k);
    }
  return out;
}

DisplacementCorrelation::State DisplacementCorrelation::state() const {
  State s;
  s.samples = samples_;
  s.slot_origin = slot_origin_;
  const auto origins = Kokkos::create_mirror_view_and_copy(HostSpace(), origins_);
  s.origins.assign(origins.data(), origins.data() + origins.size());
  const auto sums = Kokkos::create_mirror_view_and_copy(HostSpace(), sums_);
  s.sums.assign(sums.data(), sums.data() + sums.size());
  return s;
}

void DisplacementCorrelation::restore(const State& s) {
  if (s.slot_origin.size() != slot_origin_.size() || s.origins.size() != origins_.size() ||
      s.sums.size() != sums_.size())
    throw std::invalid_argument(
        "displacement correlation: the checkpointed state has another "
        "shape (analysis settings changed?)");
  samples_ = s.samples;
  slot_origin_ = s.slot_origin;
  const auto origins = Kokkos::create_mirror_view(origins_);
  std::copy(s.origins.begin(), s.origins.end(), origins.data());
  Kokkos::deep_copy(origins_, origins);
  const auto sums = Kokkos::create_mirror_view(sums_);
  std::copy(s.sums.begin(), s.sums.end(), sums.data());
  Kokkos::deep_copy(sums_, sums);
}

}  // namespace glassland
