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
  // "FILE: cannot write (REASON)", then "; CONSEQUENCE" (what is intact, what to do) if given.
  FileWriteError(const std::string& file, const std::string& reason,
                 const std::string& consequence = "")
      : std::runtime_error(file + ": cannot write (" + reason + ")" +
                           (consequence.empty() ? "" : "; " + consequence)),
        file_(file),
        reason_(reason) {}
  const std::string& file() const { return file_; }
  const std::string& reason() const { return reason_; }

 private:
  std::string file_, reason_;
};

}  // namespace glassland
