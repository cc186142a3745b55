// Pre-CUDA-13 signatures of three CUDA runtime functions, as inline overloads, so that a Kokkos
// written before CUDA 13 (4.6 and develop before August 2025, fixed upstream in kokkos/kokkos
// pull request #8298) compiles with nvcc 13. Force-included into every CUDA compilation of Kokkos
// and of glassland (scripts/build_kokkos_cuda.sh, cmake/GlasslandKokkos.cmake; docs/building-cuda.md section 3); it changes no
// source file. With CUDA < 13 or a host compiler it is empty.
//
// CUDA 13 signatures (cuda_runtime_api.h of CUDA 13.0):
//   cudaGraphAddDependencies(graph, from, to, const cudaGraphEdgeData* edgeData, size_t n)
//   cudaMemPrefetchAsync(ptr, count, cudaMemLocation location, unsigned flags, cudaStream_t)
//   cudaMemAdvise(ptr, count, cudaMemoryAdvise advice, cudaMemLocation location)
#pragma once

#if defined(__CUDACC__)
#include <cuda_runtime_api.h>

#if defined(CUDART_VERSION) && CUDART_VERSION >= 13000

namespace glassland_cuda13_compat {
// The location CUDA 12 meant by a device number: the host for cudaCpuDeviceId, else that device.
inline cudaMemLocation location_of_device(int device) {
  cudaMemLocation location{};
  if (device == cudaCpuDeviceId) {
    location.type = cudaMemLocationTypeHost;
    location.id = 0;
  } else {
    location.type = cudaMemLocationTypeDevice;
    location.id = device;
  }
  return location;
}
}  // namespace glassland_cuda13_compat

inline cudaError_t cudaGraphAddDependencies(cudaGraph_t graph, const cudaGraphNode_t* from,
                                            const cudaGraphNode_t* to, size_t numDependencies) {
  return cudaGraphAddDependencies(graph, from, to, static_cast<const cudaGraphEdgeData*>(nullptr),
                                  numDependencies);
}

inline cudaError_t cudaMemPrefetchAsync(const void* devPtr, size_t count, int dstDevice,
                                        cudaStream_t stream = 0) {
  return cudaMemPrefetchAsync(devPtr, count,
                              glassland_cuda13_compat::location_of_device(dstDevice), 0u, stream);
}

inline cudaError_t cudaMemAdvise(const void* devPtr, size_t count, cudaMemoryAdvise advice,
                                 int device) {
  return cudaMemAdvise(devPtr, count, advice,
                       glassland_cuda13_compat::location_of_device(device));
}

#endif  // CUDART_VERSION >= 13000
#endif  // __CUDACC__
