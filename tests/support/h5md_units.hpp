// Every "unit" attribute of a results file as H5MD's units module asks (variable-length ASCII
// strings in its grammar, host/io/h5md_writer.hpp): for the task tests of every HDF5 writer.
#pragma once

#include "host/io/hdf5_file.hpp"

namespace glassland::testing {

// Walks the whole file; a failure of the calling test names each offending dataset. Returns the
// number of unit attributes checked, so that a test can insist there were some.
int expect_units_follow_h5md(const hdf5::File& file);

}  // namespace glassland::testing
