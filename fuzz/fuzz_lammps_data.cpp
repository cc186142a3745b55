// libFuzzer target: the LAMMPS data-file reader (host/io/lammps_data.cpp). Any input must either
// give a LammpsData or throw InputError; a crash, hang, leak or sanitizer report is a bug.
#include <cstddef>
#include <cstdint>

#include "fuzz/fuzz_input_file.hpp"
#include "host/io/input_error.hpp"
#include "host/io/lammps_data.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = glassland::fuzzing::write_input(data, size, ".data");
  try {
    const glassland::LammpsData d = glassland::read_lammps_data(path);
    (void)d.n_atoms();
  } catch (const glassland::InputError&) {
  }
  return 0;
}
