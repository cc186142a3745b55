// Fuzz-target helper: the readers under test take a path, so each input is written to one
// file of this process (in /dev/shm when it exists: no disk traffic) and read back from there.
#pragma once

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

namespace glassland::fuzzing {

inline std::string write_input(const uint8_t* data, size_t size, const char* suffix) {
  // Never destroyed: the exit handler that removes the file (when the run ends normally; a crash
  // leaves it) runs after the destructors of statics constructed after its registration.
  static const std::string* const path = [&] {
    const auto* p =
        new std::string(std::string(access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp") +
                        "/glassland_fuzz_" + std::to_string(getpid()) + suffix);
    std::atexit([] { std::remove(path->c_str()); });
    return p;
  }();
  std::ofstream(*path, std::ios::binary | std::ios::trunc)
      .write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  return *path;
}

}  // namespace glassland::fuzzing
