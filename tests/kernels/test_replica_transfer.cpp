// Packed copies of chosen replicas (kernels/replica_transfer.hpp): the rows that come back are
// those of the chosen replicas in the order asked, and an upload changes exactly the chosen
// replicas' positions, species and boxes, leaving every other value bitwise as it was.
#include <gtest/gtest.h>

#include <vector>

#include "kernels/replica_transfer.hpp"

namespace glassland {
namespace {

constexpr int kReplicas = 5, kAtoms = 7;

double value_of(int64_t g, int k) {
  return 1000.0 * static_cast<double>(g) + k + 0.25;
}

AtomVectors numbered_vectors() {
  AtomVectors x("x", kReplicas * kAtoms);
  auto host = Kokkos::create_mirror_view(x);
  for (int64_t g = 0; g < kReplicas * kAtoms; ++g)
    for (int k = 0; k < 3; ++k)
      host(g, k) = value_of(g, k);
  Kokkos::deep_copy(x, host);
  return x;
}

TEST(ReplicaTransfer, CopiesChosenReplicasToHostPackedInOrder) {
  const AtomVectors x = numbered_vectors();
  const std::vector<int> chosen = {3, 0, 4};
  const PackedHostVectors packed = copy_replicas_to_host(x, chosen, kAtoms);
  ASSERT_EQ(packed.extent(0), chosen.size() * kAtoms);
  for (size_t p = 0; p < chosen.size(); ++p)
    for (int i = 0; i < kAtoms; ++i)
      for (int k = 0; k < 3; ++k)
        EXPECT_EQ(packed(p * kAtoms + i, k), value_of(chosen[p] * kAtoms + i, k));
  EXPECT_EQ(copy_replicas_to_host(x, {}, kAtoms).extent(0), 0u);
}

TEST(ReplicaTransfer, UploadChangesOnlyTheChosenReplicas) {
  const AtomVectors x = numbered_vectors();
  AtomInts elements("elements", kReplicas * kAtoms);
  Kokkos::deep_copy(elements, 1);
  ReplicaBoxes boxes("boxes", kReplicas);
  auto boxes_host = Kokkos::create_mirror_view(boxes);
  for (int r = 0; r < kReplicas; ++r)
    boxes_host(r).lx = boxes_host(r).ly = boxes_host(r).lz = 10.0 + r;
  Kokkos::deep_copy(boxes, boxes_host);

  const std::vector<int> chosen = {1, 4};
  ReplicaUpload upload(chosen, kAtoms);
  for (size_t p = 0; p < chosen.size(); ++p) {
    upload.boxes(p).lx = upload.boxes(p).ly = upload.boxes(p).lz = 50.0 + p;
    upload.boxes(p).xy = 0.5;
    for (int i = 0; i < kAtoms; ++i) {
      upload.elements(p * kAtoms + i) = 7 + static_cast<int>(p);
      for (int k = 0; k < 3; ++k)
        upload.positions(p * kAtoms + i, k) = -1.0 - 10.0 * p - i - 0.1 * k;
    }
  }
  copy_replicas_to_device(upload, x, elements, boxes);

  auto x_host = Kokkos::create_mirror_view_and_copy(HostSpace(), x);
  auto e_host = Kokkos::create_mirror_view_and_copy(HostSpace(), elements);
  auto b_host = Kokkos::create_mirror_view_and_copy(HostSpace(), boxes);
  for (int r = 0; r < kReplicas; ++r) {
    const int p = r == 1 ? 0 : r == 4 ? 1 : -1;
    EXPECT_EQ(b_host(r).lx, p >= 0 ? 50.0 + p : 10.0 + r);
    EXPECT_EQ(b_host(r).xy, p >= 0 ? 0.5 : 0.0);
    for (int i = 0; i < kAtoms; ++i) {
      const int64_t g = static_cast<int64_t>(r) * kAtoms + i;
      EXPECT_EQ(e_host(g), p >= 0 ? 7 + p : 1);
      for (int k = 0; k < 3; ++k)
        EXPECT_EQ(x_host(g, k), p >= 0 ? -1.0 - 10.0 * p - i - 0.1 * k : value_of(g, k));
    }
  }
}

}  // namespace
}  // namespace glassland
