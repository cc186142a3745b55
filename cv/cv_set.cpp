#include "cv/cv_set.hpp"

#include <algorithm>
#include <sstream>
#include <stdexcept>

namespace glassland {

std::string cv_name(int kind) {
  if (kind < 0 || kind >= CvRegistry::count)
    throw std::invalid_argument("unknown collective-variable kind " + std::to_string(kind));
  return CvRegistry::name(kind);
}

int cv_kind_from_name(const std::string& name) {
  std::string known;
  for (int kind = 0; kind < CvRegistry::count; ++kind) {
    if (name == CvRegistry::name(kind))
      return kind;
    known += std::string(kind ? ", " : "") + CvRegistry::name(kind);
  }
  throw std::invalid_argument("unknown collective variable \"" + name + "\"; known: " + known);
}

CvDefinition hop_distance_definition(int atom, const std::array<double, 3>& reference) {
  CvDefinition definition;
  definition.kind = cv_kind<HopDistance>;
  definition.atoms = {atom};
  definition.reference = {reference};
  return definition;
}

std::vector<int> select_cluster(const std::vector<std::array<double, 3>>& positions, const Box& box,
                                int centre, double cutoff) {
  const int n = static_cast<int>(positions.size());
  if (centre < 0 || centre >= n)
    throw std::invalid_argument("select_cluster: centre atom " + std::to_string(centre) +
                                " is not in 0.." + std::to_string(n - 1));
  std::vector<int> cluster = {centre};
  const double cutoff2 = cutoff * cutoff;
  for (int i = 0; i < n; ++i) {
    if (i == centre)
      continue;
    double d[3];
    for (int k = 0; k < 3; ++k)
      d[k] = positions[i][k] - positions[centre][k];
    box.minimum_image(d);
    if (d[0] * d[0] + d[1] * d[1] + d[2] * d[2] < cutoff2)
      cluster.push_back(i);
  }
  return cluster;
}

CvDefinition cluster_rmsd_definition(const std::vector<int>& cluster,
                                     const std::vector<std::array<double, 3>>& reference_positions,
                                     const Box& box) {
  if (cluster.size() < 2)
    throw std::invalid_argument("cluster_rmsd_definition: a cluster needs at least 2 atoms");
  const int n = static_cast<int>(reference_positions.size());
  CvDefinition definition;
  definition.kind = cv_kind<ClusterRmsd>;
  definition.atoms = cluster;
  const auto& centre = reference_positions.at(cluster[0]);
  for (int atom : cluster) {
    if (atom < 0 || atom >= n)
      throw std::invalid_argument("cluster_rmsd_definition: atom " + std::to_string(atom) +
                                  " is not in 0.." + std::to_string(n - 1));
    double d[3];
    for (int k = 0; k < 3; ++k)
      d[k] = reference_positions[atom][k] - centre[k];
    box.minimum_image(d);
    definition.reference.push_back({centre[0] + d[0], centre[1] + d[1], centre[2] + d[2]});
  }
  return definition;
}

CvSet::CvSet(const std::vector<CvDefinition>& per_replica)
    : n_replicas_(static_cast<int>(per_replica.size())), definitions_(per_replica) {
  if (per_replica.empty())
    throw std::invalid_argument("CvSet: no CV definitions (one per replica is needed)");
  for (int r = 0; r < n_replicas_; ++r) {
    const CvDefinition& d = per_replica[r];
    std::ostringstream where;
    where << "CvSet: replica " << r << ": ";
    if (d.kind < 0 || d.kind >= CvRegistry::count)
      throw std::invalid_argument(where.str() + "unknown CV kind " + std::to_string(d.kind));
    if (d.atoms.empty())
      throw std::invalid_argument(where.str() + "the CV uses no atoms");
    if (d.reference.size() != d.atoms.size())
      throw std::invalid_argument(where.str() + "reference positions (" +
                                  std::to_string(d.reference.size()) + ") != atoms (" +
                                  std::to_string(d.atoms.size()) + ")");
    if (d.kind == cv_kind<HopDistance> && d.atoms.size() != 1)
      throw std::invalid_argument(where.str() + "hop_distance uses exactly one atom");
    max_atoms_ = std::max(max_atoms_, static_cast<int>(d.atoms.size()));
  }
  data_.kind = ReplicaInts("cv::kind", n_replicas_);
  data_.atom_count = ReplicaInts("cv::atom_count", n_replicas_);
  data_.atoms = CvAtomIndices("cv::atoms", n_replicas_, max_atoms_);
  data_.reference = CvVectors("cv::reference", n_replicas_, max_atoms_);
  data_.positions = CvVectors("cv::positions", n_replicas_, max_atoms_);
  data_.value = ReplicaScalars("cv::value", n_replicas_);
  data_.gradient = CvVectors("cv::gradient", n_replicas_, max_atoms_);
  auto kind = Kokkos::create_mirror_view(data_.kind);
  auto count = Kokkos::create_mirror_view(data_.atom_count);
  auto atoms = Kokkos::create_mirror_view(data_.atoms);
  auto reference = Kokkos::create_mirror_view(data_.reference);
  for (int r = 0; r < n_replicas_; ++r) {
    const CvDefinition& d = per_replica[r];
    kind(r) = d.kind;
    count(r) = static_cast<int>(d.atoms.size());
    for (size_t m = 0; m < d.atoms.size(); ++m) {
      atoms(r, m) = d.atoms[m];
      for (int k = 0; k < 3; ++k)
        reference(r, m, k) = d.reference[m][k];
    }
  }
  Kokkos::deep_copy(data_.kind, kind);
  Kokkos::deep_copy(data_.atom_count, count);
  Kokkos::deep_copy(data_.atoms, atoms);
  Kokkos::deep_copy(data_.reference, reference);
}

void CvSet::check_against(const Batch& batch) const {
  if (batch.n_replicas != n_replicas_)
    throw std::invalid_argument("CvSet: " + std::to_string(n_replicas_) +
                                " CV definitions for a batch of " +
                                std::to_string(batch.n_replicas) + " replicas");
  for (int r = 0; r < n_replicas_; ++r)
    for (int atom : definitions_[r].atoms)
      if (atom < 0 || atom >= batch.n_atoms)
        throw std::invalid_argument("CvSet: replica " + std::to_string(r) + ": atom index " +
                                    std::to_string(atom) + " is not in 0.." +
                                    std::to_string(batch.n_atoms - 1));
}

void CvSet::anchor_references(const Batch& batch) {
  check_against(batch);
  const CvData data = data_;
  const CvInputs in(batch);
  Kokkos::parallel_for(
      "cv::anchor_references", Kokkos::RangePolicy<ExecSpace>(0, n_replicas_),
      KOKKOS_LAMBDA(int r) {
        gather_cv_positions(data, in, r);
        CvRegistry::anchor_reference(data.kind(r), in.boxes(r), data.atom_count(r),
                                     &data.positions(r, 0, 0), &data.reference(r, 0, 0));
      });
  // Keep the host copy of the definitions in step with the device (drivers record them).
  auto reference = Kokkos::create_mirror_view(data_.reference);
  Kokkos::deep_copy(reference, data_.reference);
  for (int r = 0; r < n_replicas_; ++r)
    for (size_t m = 0; m < definitions_[r].atoms.size(); ++m)
      for (int k = 0; k < 3; ++k)
        definitions_[r].reference[m][k] = reference(r, m, k);
}

void CvSet::evaluate(const Batch& batch, const ReplicaInts& active) {
  const CvData data = data_;
  const CvInputs in(batch);
  Kokkos::parallel_for(
      "cv::evaluate", Kokkos::RangePolicy<ExecSpace>(0, n_replicas_), KOKKOS_LAMBDA(int r) {
        if (replica_is_active(active, r))
          evaluate_replica_cv(data, in, r);
      });
}

std::vector<double> CvSet::values_on_host() const {
  auto value = Kokkos::create_mirror_view(data_.value);
  Kokkos::deep_copy(value, data_.value);
  return std::vector<double>(value.data(), value.data() + n_replicas_);
}

}  // namespace glassland
