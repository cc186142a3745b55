// GoogleTest entry point for every test that touches Kokkos: Kokkos is initialised once for the
// whole executable, as it must be (Kokkos cannot be re-initialised after finalize).
#include <gtest/gtest.h>

#include <Kokkos_Core.hpp>

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  Kokkos::ScopeGuard kokkos(argc, argv);
  return RUN_ALL_TESTS();
}
