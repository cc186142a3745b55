#include "kernels/displacement_correlation.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "kernels/isotropic_scattering.hpp"
#include "kernels/replica_reductions.hpp"

namespace glassland {

namespace {

constexpr int kBlock = 64;  // most atoms per thread of the accumulation

// Each replica's atoms sorted by group (element·subsets + index mod subsets), then by index, and
// cut into blocks of at most kBlock atoms of one group. Built on the host once.
DisplacementGroupOrder group_order(const Batch& batch, int subsets) {
  const int R = batch.n_replicas, n = batch.n_atoms, G = batch.n_elements * subsets;
  const auto elements = Kokkos::create_mirror_view_and_copy(HostSpace(), batch.elements);
  const auto element_masses =
      Kokkos::create_mirror_view_and_copy(HostSpace(), batch.element_masses);
  DisplacementGroupOrder out;
  out.host_order.resize(static_cast<size_t>(R) * n);
  std::vector<double> atom_mass(out.host_order.size()), mass(R, 0.0);
  std::vector<std::vector<int>> group_sizes(R, std::vector<int>(G, 0));
  for (int r = 0; r < R; ++r) {
    std::vector<std::vector<int>> members(G);
    for (int i = 0; i < n; ++i)
      members[elements(static_cast<int64_t>(r) * n + i) * subsets + i % subsets].push_back(i);
    int k = 0, blocks = 0;
    for (int g = 0; g < G; ++g) {
      group_sizes[r][g] = static_cast<int>(members[g].size());
      blocks += (group_sizes[r][g] + kBlock - 1) / kBlock;
      for (int i : members[g]) {
        const size_t at = static_cast<size_t>(r) * n + k++;
        out.host_order[at] = i;
        atom_mass[at] = element_masses(elements(static_cast<int64_t>(r) * n + i));
        mass[r] += atom_mass[at];
      }
    }
    out.blocks = std::max(out.blocks, blocks);
  }
  std::vector<int> begin(static_cast<size_t>(R) * out.blocks, 0), end = begin;
  std::vector<int> group_blocks(static_cast<size_t>(R) * (G + 1), 0);
  for (int r = 0; r < R; ++r) {
    int b = 0, first = 0;
    for (int g = 0; g < G; ++g) {
      group_blocks[static_cast<size_t>(r) * (G + 1) + g] = b;
      for (int k = 0; k < group_sizes[r][g]; k += kBlock, ++b) {
        begin[static_cast<size_t>(r) * out.blocks + b] = first + k;
        end[static_cast<size_t>(r) * out.blocks + b] =
            first + std::min(k + kBlock, group_sizes[r][g]);
      }
      first += group_sizes[r][g];
    }
    group_blocks[static_cast<size_t>(r) * (G + 1) + G] = b;
  }
  out.order = make_replica_view<AtomInts>(out.host_order, "displacement::order");
  out.mass = make_replica_view<ReplicaScalars>(mass, "displacement::mass");
  out.atom_mass =
      make_replica_view<Kokkos::View<double*, MemSpace>>(atom_mass, "displacement::atom_mass");
  using Ints = Kokkos::View<int*, MemSpace>;
  out.block_begin = make_replica_view<Ints>(begin, "displacement::block_begin");
  out.block_end = make_replica_view<Ints>(end, "displacement::block_end");
  out.group_blocks = make_replica_view<Ints>(group_blocks, "displacement::group_blocks");
  return out;
}

// current = unwrapped positions x + H·image in group order, minus each replica's mass-weighted
// centre when remove_drift. A free function: nvcc allows no device lambda in a private member.
void store_positions(const Batch& batch, const DisplacementGroupOrder& layout, bool remove_drift,
                     const AtomVectors& current,
                     const Kokkos::View<double* [3], MemSpace>& centre) {
  const int n = batch.n_atoms, R = batch.n_replicas;
  const auto positions = batch.positions;
  const auto images = batch.images;
  const auto boxes = batch.boxes;
  const auto order = layout.order;
  Kokkos::parallel_for(
      "displacement::unwrap", all_atoms(R, n), KOKKOS_LAMBDA(int64_t g) {
        const int64_t r = g / n, atom = r * n + order(g);
        double d[3] = {positions(atom, 0), positions(atom, 1), positions(atom, 2)};
        boxes(r).add_lattice_vector(images(atom, 0), images(atom, 1), images(atom, 2), d);
        for (int k = 0; k < 3; ++k)
          current(g, k) = d[k];
      });
  if (!remove_drift)
    return;
  const auto atom_mass = layout.atom_mass;
  const auto mass = layout.mass;
  ReplicaScalars sum("displacement::sum", R);
  for (int k = 0; k < 3; ++k) {
    sum_per_replica(
        "displacement::mass_moment", R, n,
        KOKKOS_LAMBDA(int64_t g) { return atom_mass(g) * current(g, k); }, sum);
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

struct AccumulationViews {
  Kokkos::View<double***, MemSpace> origins;
  AtomVectors current;
  Kokkos::View<int*, MemSpace> slot_lag;
  Kokkos::View<double*, MemSpace> q, partial, sums;
};

template <bool Lateral>
KOKKOS_INLINE_FUNCTION double squared_displacement(const Kokkos::View<double***, MemSpace>& origins,
                                                   const AtomVectors& current, int s, int64_t g) {
  const double dx = current(g, 0) - origins(s, g, 0);
  const double dy = current(g, 1) - origins(s, g, 1);
  if (Lateral)
    return dx * dx + dy * dy;
  const double dz = current(g, 2) - origins(s, g, 2);
  return dx * dx + dy * dy + dz * dz;
}

// One thread per (replica, slot, block) sums its block's atoms in registers — count, Σ|Δr|²,
// Σ|Δr|⁴ and the first wave number's kernel in one pass, each further wave number in another —
// and writes them to `partial`.
template <bool Lateral>
void accumulate_blocks(const AccumulationViews& v, const DisplacementGroupOrder& layout, int R,
                       int n, int slots) {
  const int blocks = layout.blocks, nq = static_cast<int>(v.q.extent(0)), Q = 3 + nq;
  const auto origins = v.origins;
  const auto current = v.current;
  const auto slot_lag = v.slot_lag;
  const auto q = v.q;
  const auto partial = v.partial;
  const auto block_begin = layout.block_begin;
  const auto block_end = layout.block_end;
  Kokkos::parallel_for(
      "displacement::accumulate_blocks",
      Kokkos::RangePolicy<ExecSpace>(0, static_cast<int64_t>(R) * slots * blocks),
      KOKKOS_LAMBDA(int64_t job) {
        const int b = static_cast<int>(job % blocks);
        const int s = static_cast<int>((job / blocks) % slots);
        const int r = static_cast<int>(job / (static_cast<int64_t>(blocks) * slots));
        const int lag = slot_lag(s);
        if (lag < 0)
          return;
        const int64_t first = static_cast<int64_t>(r) * n;
        const int64_t begin = first + block_begin(r * blocks + b);
        const int64_t end = first + block_end(r * blocks + b);
        double* out = &partial(static_cast<size_t>(job) * Q);
        if (lag == 0) {  // the origin itself: Δr = 0 exactly, and both kernels are 1 at 0
          out[0] = static_cast<double>(end - begin);
          out[1] = out[2] = 0.0;
          for (int k = 0; k < nq; ++k)
            out[3 + k] = out[0];
          return;
        }
        double r2_sum = 0.0, r4_sum = 0.0;
        if (nq > 0) {
          const double q0 = q(0);
          double fs_sum = 0.0;
          for (int64_t g = begin; g < end; ++g) {
            const double r2 = squared_displacement<Lateral>(origins, current, s, g);
            r2_sum += r2;
            r4_sum += r2 * r2;
            fs_sum += scattering_average<Lateral>(q0 * kmath::sqrt(r2));
          }
          out[3] = fs_sum;
        } else {
          for (int64_t g = begin; g < end; ++g) {
            const double r2 = squared_displacement<Lateral>(origins, current, s, g);
            r2_sum += r2;
            r4_sum += r2 * r2;
          }
        }
        for (int k = 1; k < nq; ++k) {
          const double qk = q(k);
          double fs_sum = 0.0;
          for (int64_t g = begin; g < end; ++g)
            fs_sum += scattering_average<Lateral>(
                qk * kmath::sqrt(squared_displacement<Lateral>(origins, current, s, g)));
          out[3 + k] = fs_sum;
        }
        out[0] = static_cast<double>(end - begin);
        out[1] = r2_sum;
        out[2] = r4_sum;
      });
}

// Adds the displacement of every atom from every active origin slot: the blocks' partial sums
// (accumulate_blocks), then one thread per (replica, slot, group, quantity) adds its group's
// blocks in order to the sums of the slot's lag.
void accumulate(const AccumulationViews& v, const DisplacementGroupOrder& layout, int R, int n,
                int slots, int groups, int max_lag, bool lateral) {
  if (lateral)
    accumulate_blocks<true>(v, layout, R, n, slots);
  else
    accumulate_blocks<false>(v, layout, R, n, slots);
  const int blocks = layout.blocks, G = groups, Q = 3 + static_cast<int>(v.q.extent(0));
  const int lags_total = max_lag + 1;
  const auto slot_lag = v.slot_lag;
  const auto partial = v.partial;
  const auto sums = v.sums;
  const auto group_blocks = layout.group_blocks;
  Kokkos::parallel_for(
      "displacement::add_blocks",
      Kokkos::RangePolicy<ExecSpace>(0, static_cast<int64_t>(R) * slots * G * Q),
      KOKKOS_LAMBDA(int64_t job) {
        const int quantity = static_cast<int>(job % Q);
        const int g = static_cast<int>((job / Q) % G);
        const int s = static_cast<int>((job / (static_cast<int64_t>(G) * Q)) % slots);
        const int r = static_cast<int>(job / (static_cast<int64_t>(G) * Q * slots));
        const int lag = slot_lag(s);
        if (lag < 0)
          return;
        double total = 0.0;
        const int last = group_blocks(r * (G + 1) + g + 1);
        for (int b = group_blocks(r * (G + 1) + g); b < last; ++b)
          total += partial(((static_cast<size_t>(r) * slots + s) * blocks + b) * Q + quantity);
        sums((static_cast<size_t>(r) * lags_total + lag) * G * Q + g * Q + quantity) += total;
      });
}

}  // namespace

DisplacementCorrelation::DisplacementCorrelation(const Batch& batch,
                                                 const DisplacementCorrelationSettings& settings)
    : settings_(settings), n_replicas_(batch.n_replicas), n_atoms_(batch.n_atoms) {
  if (settings.max_lag < 1 || settings.origin_stride < 1 || settings.subsets < 1)
    throw std::invalid_argument(
        "displacement correlation: max_lag, origin_stride and subsets "
        "must be at least 1");
  if (settings.dimensions != 2 && settings.dimensions != 3)
    throw std::invalid_argument("displacement correlation: dimensions must be 2 or 3");
  groups_ = batch.n_elements * settings.subsets;
  quantities_ = 3 + static_cast<int>(settings.q.size());
  slots_ = settings.max_lag / settings.origin_stride + 1;
  slot_origin_.assign(slots_, -1);
  group_order_ = group_order(batch, settings.subsets);
  q_ = make_replica_view<Kokkos::View<double*, MemSpace>>(settings.q, "displacement::q");
  origins_ =
      Kokkos::View<double***, MemSpace>("displacement::origins", slots_, batch.total_atoms(), 3);
  current_ = AtomVectors("displacement::current", batch.total_atoms());
  centre_ = Kokkos::View<double* [3], MemSpace>("displacement::centre", n_replicas_);
  slot_lag_ = Kokkos::View<int*, MemSpace>("displacement::slot_lag", slots_);
  partial_ = Kokkos::View<double*, MemSpace>(
      "displacement::partial",
      static_cast<size_t>(n_replicas_) * slots_ * group_order_.blocks * quantities_);
  sums_ = Kokkos::View<double*, MemSpace>(
      "displacement::sums",
      static_cast<size_t>(n_replicas_) * (settings.max_lag + 1) * groups_ * quantities_);
}

void DisplacementCorrelation::sample(const Batch& batch) {
  store_positions(batch, group_order_, settings_.remove_drift, current_, centre_);
  // A new time origin, and the lag of every slot at this sample.
  if (samples_ % settings_.origin_stride == 0) {
    const int slot = static_cast<int>((samples_ / settings_.origin_stride) % slots_);
    const auto origin = Kokkos::subview(origins_, slot, Kokkos::ALL(), Kokkos::ALL());
    const auto current = current_;
    Kokkos::parallel_for(
        "displacement::store_origin", all_atoms(n_replicas_, n_atoms_), KOKKOS_LAMBDA(int64_t g) {
          for (int k = 0; k < 3; ++k)
            origin(g, k) = current(g, k);
        });
    slot_origin_[slot] = samples_;
  }
  const auto host_lags = Kokkos::create_mirror_view(slot_lag_);
  for (int s = 0; s < slots_; ++s)
    host_lags(s) = slot_origin_[s] >= 0 && samples_ - slot_origin_[s] <= settings_.max_lag
                       ? static_cast<int>(samples_ - slot_origin_[s])
                       : -1;
  Kokkos::deep_copy(slot_lag_, host_lags);
  accumulate({origins_, current_, slot_lag_, q_, partial_, sums_}, group_order_, n_replicas_,
             n_atoms_, slots_, groups_, settings_.max_lag, settings_.dimensions == 2);
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

size_t DisplacementCorrelation::atom_index(size_t g) const {
  return g / n_atoms_ * n_atoms_ + group_order_.host_order[g];
}

DisplacementCorrelation::State DisplacementCorrelation::state() const {
  State s;
  s.samples = samples_;
  s.slot_origin = slot_origin_;
  // Origins in atom order, whatever the View's layout: the checkpoint does not depend on the
  // group order or the backend.
  const auto origins = Kokkos::create_mirror_view_and_copy(HostSpace(), origins_);
  const size_t atoms = origins.extent(1);
  s.origins.resize(origins.size());
  for (int slot = 0; slot < slots_; ++slot)
    for (size_t g = 0; g < atoms; ++g)
      for (int k = 0; k < 3; ++k)
        s.origins[(slot * atoms + atom_index(g)) * 3 + k] = origins(slot, g, k);
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
  const size_t atoms = origins.extent(1);
  for (int slot = 0; slot < slots_; ++slot)
    for (size_t g = 0; g < atoms; ++g)
      for (int k = 0; k < 3; ++k)
        origins(slot, g, k) = s.origins[(slot * atoms + atom_index(g)) * 3 + k];
  Kokkos::deep_copy(origins_, origins);
  const auto sums = Kokkos::create_mirror_view(sums_);
  std::copy(s.sums.begin(), s.sums.end(), sums.data());
  Kokkos::deep_copy(sums_, sums);
}

}  // namespace glassland
