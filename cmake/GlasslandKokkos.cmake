# Finds Kokkos and provides the target glassland::kokkos.
#
# Two kinds of Kokkos are supported:
#  * an upstream Kokkos (3.x, 4.x, 5.x) given with -DKokkos_ROOT=..., which exports Kokkos::kokkos;
#  * Debian's Trilinos build (libtrilinos-kokkos-dev, Kokkos 3.4.01, Serial), whose TriBITS config
#    exports bare library targets without include directories. Its headers live in
#    /usr/include/trilinos, so we add that path ourselves.
#
# It also sets GLASSLAND_KOKKOS_LANGUAGE to CUDA when Kokkos was built in CMake's CUDA-language
# mode (Kokkos_ENABLE_COMPILE_AS_CMAKE_LANGUAGE), so that our Kokkos sources can be compiled as CUDA.

find_package(Kokkos REQUIRED)

add_library(glassland_kokkos INTERFACE)
add_library(glassland::kokkos ALIAS glassland_kokkos)

if(NOT TARGET Kokkos::kokkos)
  message(FATAL_ERROR "Kokkos was found (${Kokkos_DIR}) but exports no Kokkos::kokkos target.")
endif()
target_link_libraries(glassland_kokkos INTERFACE Kokkos::kokkos)

# Debian's Trilinos config declares /usr/include as Kokkos's include directory, but the headers
# are in /usr/include/trilinos: find Kokkos_Core.hpp and add its directory when it is elsewhere.
get_target_property(_kokkos_declared_includes Kokkos::kokkos INTERFACE_INCLUDE_DIRECTORIES)
find_path(GLASSLAND_KOKKOS_INCLUDE_DIR Kokkos_Core.hpp
          HINTS ${_kokkos_declared_includes} ${Kokkos_INCLUDE_DIRS} /usr/include/trilinos
          NO_CACHE)
if(NOT GLASSLAND_KOKKOS_INCLUDE_DIR)
  message(FATAL_ERROR "Kokkos was found (${Kokkos_DIR}) but Kokkos_Core.hpp was not. "
                      "Install libtrilinos-kokkos-dev or pass -DKokkos_ROOT=<kokkos install>.")
endif()
if(NOT GLASSLAND_KOKKOS_INCLUDE_DIR IN_LIST _kokkos_declared_includes)
  target_include_directories(glassland_kokkos SYSTEM INTERFACE ${GLASSLAND_KOKKOS_INCLUDE_DIR})
endif()
set(GLASSLAND_KOKKOS_FLAVOUR "${Kokkos_VERSION}, headers in ${GLASSLAND_KOKKOS_INCLUDE_DIR}")

set(GLASSLAND_KOKKOS_LANGUAGE CXX)
if(DEFINED Kokkos_COMPILE_LANGUAGE AND Kokkos_COMPILE_LANGUAGE STREQUAL "CUDA")
  set(GLASSLAND_KOKKOS_LANGUAGE CUDA)
  # A Kokkos built in CUDA-language mode does not export its GPU architecture as a compile flag:
  # it expects the consumer's CMAKE_CUDA_ARCHITECTURES to match. Without this, enable_language(CUDA)
  # falls back to nvcc's default (sm_75 for nvcc 13), which is not the architecture Kokkos was
  # configured for (e.g. Kokkos_ARCH_HOPPER90 -> 90). A user-given CMAKE_CUDA_ARCHITECTURES wins.
  if(NOT DEFINED CMAKE_CUDA_ARCHITECTURES AND Kokkos_CUDA_ARCHITECTURES)
    set(CMAKE_CUDA_ARCHITECTURES ${Kokkos_CUDA_ARCHITECTURES} CACHE STRING
        "CUDA architectures (default: the one Kokkos was built for)")
  endif()
  # Let nvcc use the same host compiler as the C++ sources unless told otherwise.
  if(NOT DEFINED CMAKE_CUDA_HOST_COMPILER AND NOT DEFINED ENV{CUDAHOSTCXX})
    set(CMAKE_CUDA_HOST_COMPILER ${CMAKE_CXX_COMPILER} CACHE FILEPATH "Host compiler used by nvcc")
  endif()
  enable_language(CUDA)
  if(Kokkos_CUDA_ARCHITECTURES AND NOT "${CMAKE_CUDA_ARCHITECTURES}" STREQUAL "${Kokkos_CUDA_ARCHITECTURES}")
    message(WARNING "CMAKE_CUDA_ARCHITECTURES (${CMAKE_CUDA_ARCHITECTURES}) differs from the "
                    "architecture Kokkos was built for (${Kokkos_CUDA_ARCHITECTURES}).")
  endif()
  # Kokkos before CUDA 13 support (4.6, develop before August 2025) calls two CUDA runtime
  # functions with their pre-13 signatures in its installed headers; cmake/cuda13_compat.hpp
  # supplies those as overloads (docs/building-cuda.md section 3). It must be force-included into
  # our CUDA sources as it was into Kokkos's (scripts/build_kokkos_cuda.sh does the latter).
  if(CMAKE_CUDA_COMPILER_VERSION VERSION_GREATER_EQUAL 13 AND Kokkos_VERSION VERSION_LESS 4.7)
    set(_compat_default ON)
  else()
    set(_compat_default OFF)
  endif()
  option(GLASSLAND_CUDA13_COMPAT
         "Force-include cmake/cuda13_compat.hpp (CUDA >= 13 with a Kokkos older than 4.7)"
         ${_compat_default})
  if(GLASSLAND_CUDA13_COMPAT)
    target_compile_options(glassland_kokkos INTERFACE
      "$<$<COMPILE_LANGUAGE:CUDA>:SHELL:-include ${CMAKE_CURRENT_LIST_DIR}/cuda13_compat.hpp>")
    set(GLASSLAND_KOKKOS_FLAVOUR "${GLASSLAND_KOKKOS_FLAVOUR}, with cmake/cuda13_compat.hpp")
  endif()
endif()
message(STATUS "glassland: Kokkos ${GLASSLAND_KOKKOS_FLAVOUR}, sources compiled as ${GLASSLAND_KOKKOS_LANGUAGE}")

# Marks every source of TARGET as compiled in Kokkos's language (CUDA when Kokkos demands it).
function(glassland_kokkos_sources target)
  if(GLASSLAND_KOKKOS_LANGUAGE STREQUAL "CUDA")
    get_target_property(_sources ${target} SOURCES)
    get_target_property(_source_dir ${target} SOURCE_DIR)
    # cmake/empty.cpp is also a source of glassland_analysis, which does not use Kokkos. Source
    # properties are per directory, not per target, so marking it CUDA here would make nvcc compile
    # it for glassland_analysis too (an object that needs the CUDA runtime). It has no Kokkos code:
    # leave it C++.
    set(_kokkos_sources "")
    foreach(_source IN LISTS _sources)
      get_filename_component(_absolute "${_source}" ABSOLUTE BASE_DIR "${_source_dir}")
      if(NOT _absolute STREQUAL "${CMAKE_CURRENT_FUNCTION_LIST_DIR}/empty.cpp")
        list(APPEND _kokkos_sources "${_source}")
      endif()
    endforeach()
    if(_kokkos_sources)
      set_source_files_properties(${_kokkos_sources} TARGET_DIRECTORY ${target} PROPERTIES LANGUAGE CUDA)
    endif()
    set_target_properties(${target} PROPERTIES CUDA_STANDARD ${CMAKE_CXX_STANDARD}
                                               CUDA_STANDARD_REQUIRED ON CUDA_EXTENSIONS OFF)
  endif()
endfunction()
