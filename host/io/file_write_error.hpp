// A file could not be written: the disk is full, a file-size limit was reached, the file or its
// directory is not writable (issue 16 item 5). The message names the file and the system's
// reason; TaskRun (host/tasks/task_run.hpp) adds what is intact and how to continue. Thrown by
// the HDF5 layer (host/io/hdf5_file.hpp), atomic files and data-file writers.
#pragma once

#include <stdexcept>
#include <string>

namespace glassland {

class FileWriteError : public std::runtime_error {
 public:
  explicit FileWriteError(const std::string& message) : std::runtime_error(message) {}
};

}  // namespace glassland
