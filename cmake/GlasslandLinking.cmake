# How glassland links its run-time dependencies.
#
# glassland::hdf5 — HDF5's C library. By default the shared library CMake's FindHDF5 finds. With
# GLASSLAND_STATIC_HDF5 the static archives instead (Debian's libhdf5-dev ships libhdf5.a; it needs
# szip/libaec and zlib, also linked statically, and libdl, libm from glibc): the programs then run
# on machines without HDF5, such as the GPU machines (perf/gpu/). HDF5's read-only S3 driver, the
# one part of the archive that needs libcurl and OpenSSL, is not referenced by glassland and so is
# not linked.
#
# glassland_static_runtime(TARGET) — with GLASSLAND_STATIC_RUNTIME, links libstdc++ and libgcc
# statically into the executable TARGET (glibc stays shared: it is on every Linux machine and
# newer ones run older binaries).

find_package(HDF5 REQUIRED COMPONENTS C)
add_library(glassland_hdf5 INTERFACE)
add_library(glassland::hdf5 ALIAS glassland_hdf5)
if(NOT GLASSLAND_STATIC_HDF5)
  target_link_libraries(glassland_hdf5 INTERFACE hdf5::hdf5)
else()
  # Look for the archives beside the shared libraries FindHDF5 found.
  set(_hdf5_dirs "")
  foreach(_library IN LISTS HDF5_C_LIBRARIES HDF5_LIBRARIES)
    get_filename_component(_dir "${_library}" DIRECTORY)
    list(APPEND _hdf5_dirs "${_dir}")
  endforeach()
  find_library(GLASSLAND_HDF5_ARCHIVE NAMES libhdf5.a libhdf5_serial.a HINTS ${_hdf5_dirs}
               DOC "static HDF5 C library (GLASSLAND_STATIC_HDF5)")
  find_library(GLASSLAND_SZ_ARCHIVE NAMES libsz.a DOC "static szip library (libaec-dev)")
  find_library(GLASSLAND_AEC_ARCHIVE NAMES libaec.a DOC "static libaec library (libaec-dev)")
  find_library(GLASSLAND_Z_ARCHIVE NAMES libz.a DOC "static zlib (zlib1g-dev)")
  foreach(_archive GLASSLAND_HDF5_ARCHIVE GLASSLAND_SZ_ARCHIVE GLASSLAND_AEC_ARCHIVE
                   GLASSLAND_Z_ARCHIVE)
    if(NOT ${_archive})
      message(FATAL_ERROR "GLASSLAND_STATIC_HDF5: ${_archive} not found (install libhdf5-dev, "
                          "libaec-dev and zlib1g-dev, or set ${_archive}=/path/to/lib.a)")
    endif()
  endforeach()
  target_include_directories(glassland_hdf5 SYSTEM INTERFACE ${HDF5_INCLUDE_DIRS})
  target_compile_definitions(glassland_hdf5 INTERFACE ${HDF5_DEFINITIONS} ${HDF5_C_DEFINITIONS})
  target_link_libraries(glassland_hdf5 INTERFACE ${GLASSLAND_HDF5_ARCHIVE} ${GLASSLAND_SZ_ARCHIVE}
                        ${GLASSLAND_AEC_ARCHIVE} ${GLASSLAND_Z_ARCHIVE} ${CMAKE_DL_LIBS} m)
endif()
if(GLASSLAND_STATIC_HDF5)
  message(STATUS "glassland: HDF5 ${HDF5_VERSION}, static (${GLASSLAND_HDF5_ARCHIVE})")
else()
  message(STATUS "glassland: HDF5 ${HDF5_VERSION}, shared")
endif()

function(glassland_static_runtime target)
  if(GLASSLAND_STATIC_RUNTIME)
    target_link_options(${target} PRIVATE -static-libstdc++ -static-libgcc)
  endif()
endfunction()
