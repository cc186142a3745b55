// The one exception type for bad user input (files, JSON, command line). Its message is the
// single line the program prints: it names the file (or JSON path), the line, what was
// expected, and the remedy where one is known. main() turns it into exit code 2.
#pragma once

#include <stdexcept>
#include <string>

namespace glassland {

class InputError : public std::runtime_error {
 public:
  explicit InputError(const std::string& message) : std::runtime_error(message) {}
};

// "FILE:LINE: MESSAGE" (LINE omitted when 0), the layout compilers use, so editors can jump there.
inline InputError input_error_at(const std::string& file, int line, const std::string& message) {
  return InputError(line > 0 ? file + ":" + std::to_string(line) + ": " + message
                             : file + ": " + message);
}

}  // namespace glassland
