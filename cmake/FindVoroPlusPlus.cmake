# Finds voro++ (Rycroft, "Voro++: a three-dimensional Voronoi cell library in C++", Chaos 19,
# 041111 (2009)), Debian's voro++-dev, and provides the imported target VoroPlusPlus::voro++.
# The Debian package ships headers in /usr/include/voro++ and the library, but no CMake or
# pkg-config file; -DVoroPlusPlus_ROOT=<prefix> points at another installation.

find_path(VoroPlusPlus_INCLUDE_DIR voro++.hh PATH_SUFFIXES voro++
          HINTS ${VoroPlusPlus_ROOT} ENV VoroPlusPlus_ROOT)
find_library(VoroPlusPlus_LIBRARY NAMES voro++ HINTS ${VoroPlusPlus_ROOT} ENV VoroPlusPlus_ROOT
             PATH_SUFFIXES lib lib64)

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(VoroPlusPlus
  REQUIRED_VARS VoroPlusPlus_LIBRARY VoroPlusPlus_INCLUDE_DIR
  REASON_FAILURE_MESSAGE "install Debian's voro++-dev (scripts/setup.sh) or pass -DVoroPlusPlus_ROOT")

if(VoroPlusPlus_FOUND AND NOT TARGET VoroPlusPlus::voro++)
  add_library(VoroPlusPlus::voro++ UNKNOWN IMPORTED)
  set_target_properties(VoroPlusPlus::voro++ PROPERTIES
    IMPORTED_LOCATION "${VoroPlusPlus_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${VoroPlusPlus_INCLUDE_DIR}")
endif()
mark_as_advanced(VoroPlusPlus_INCLUDE_DIR VoroPlusPlus_LIBRARY)
