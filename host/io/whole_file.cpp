// Reading a whole file into memory (whole_file.hpp).
#include "host/io/whole_file.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "host/io/input_error.hpp"

namespace glassland {

std::string read_whole_file(const std::string& path, const std::string& what) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) {
    const std::string reason = std::strerror(errno);  // before anything else can set errno
    throw input_error_at(path, 0, "cannot open the " + what + ": " + reason);
  }
  std::string text;
  char buffer[1 << 16];
  size_t got = 0;
  while ((got = std::fread(buffer, 1, sizeof buffer, file)) > 0)
    text.append(buffer, got);
  const bool failed = std::ferror(file) != 0;
  std::fclose(file);
  if (failed)
    throw input_error_at(path, 0, "cannot read the " + what);
  return text;
}

}  // namespace glassland
