// Files that are replaced whole or not at all (the checkpoint container of host/io/checkpoint.hpp
// is written through them).
//
// write_file_atomically writes "<path>.tmp.<pid>", fsyncs it, renames it over <path> and fsyncs
// the directory: rename is atomic on POSIX file systems, so a reader, or a run killed at any
// moment (SIGKILL, power loss after the directory fsync), sees either the old file or the new
// one, never a part. Temporaries left by killed writers are removed by the next successful write.
#pragma once

#include <functional>
#include <string>

namespace glassland {

// Calls `write(temporary_path)` to produce the new file, then fsync, rename, directory fsync.
// If `write` throws, the temporary is removed, the target is untouched, and the exception
// propagates. I/O failures throw std::runtime_error naming the path and the system's reason.
void write_file_atomically(const std::string& path,
                           const std::function<void(const std::string& temporary_path)>& write);
void write_file_atomically(const std::string& path, const std::string& bytes);

// "<path>.tmp.<pid>": where this process writes the new version of `path`.
std::string temporary_path_for(const std::string& path);

}  // namespace glassland
