// libFuzzer target: the setfl EAM reader (host/io/setfl_potential.cpp), both flavours (the first
// byte picks eam/fs or eam/alloy). Any input must give a potential or throw InputError.
#include <cstddef>
#include <cstdint>

#include "fuzz/fuzz_input_file.hpp"
#include "host/io/input_error.hpp"
#include "host/io/setfl_potential.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0)
    return 0;
  const auto format =
      (data[0] & 1) ? glassland::SetflFormat::Alloy : glassland::SetflFormat::FinnisSinclair;
  const std::string path = glassland::fuzzing::write_input(data + 1, size - 1, ".eam");
  try {
    const glassland::SetflPotential p = glassland::read_setfl(path, format);
    (void)p.elements.size();
  } catch (const glassland::InputError&) {
  }
  return 0;
}
