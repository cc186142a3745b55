#include "host/io/atomic_file.hpp"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <system_error>

#include "host/io/file_write_error.hpp"

namespace glassland {

namespace {

namespace fs = std::filesystem;

[[noreturn]] void throw_system_error(const std::string& path, const std::string& what) {
  throw FileWriteError(path, what + ": " + std::strerror(errno));
}

void sync_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    throw_system_error(path, "cannot open to sync");
  }
  if (::fsync(fd) != 0) {
    const int error = errno;
    ::close(fd);
    errno = error;
    throw_system_error(path, "cannot sync to disk");
  }
  ::close(fd);
}

// Makes the rename itself durable. File systems that cannot sync a directory say EINVAL; there
// the rename is as durable as they make it.
void sync_directory(const std::string& directory) {
  const int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    throw_system_error(directory, "cannot open directory to sync");
  }
  if (::fsync(fd) != 0 && errno != EINVAL) {
    const int error = errno;
    ::close(fd);
    errno = error;
    throw_system_error(directory, "cannot sync directory to disk");
  }
  ::close(fd);
}

std::string directory_of(const std::string& path) {
  const std::string parent = fs::path(path).parent_path().string();
  return parent.empty() ? "." : parent;
}

// Removes "<path>.tmp.<pid>" files whose writer process no longer exists (killed mid-write).
void remove_stale_temporaries(const std::string& path) {
  const std::string prefix = fs::path(path).filename().string() + ".tmp.";
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(directory_of(path), error)) {
    const std::string name = entry.path().filename().string();
    if (name.compare(0, prefix.size(), prefix) != 0) {
      continue;
    }
    const std::string pid_text = name.substr(prefix.size());
    if (pid_text.empty() || pid_text.find_first_not_of("0123456789") != std::string::npos) {
      continue;
    }
    const long pid = std::stol(pid_text);
    if (pid != static_cast<long>(::getpid()) && ::kill(static_cast<pid_t>(pid), 0) != 0 &&
        errno == ESRCH) {
      fs::remove(entry.path(), error);
    }
  }
}

}  // namespace

std::string temporary_path_for(const std::string& path) {
  return path + ".tmp." + std::to_string(::getpid());
}

void write_file_atomically(const std::string& path,
                           const std::function<void(const std::string& temporary_path)>& write) {
  const std::string temporary = temporary_path_for(path);
  try {
    try {
      write(temporary);
    } catch (const FileWriteError& e) {
      // Name the file the user knows; its temporary copy is removed below.
      throw FileWriteError(path, e.file() == temporary ? e.reason() : e.what());
    } catch (const fs::filesystem_error& e) {
      throw FileWriteError(path, e.code().message());
    }
    sync_file(temporary);
    if (std::rename(temporary.c_str(), path.c_str()) != 0) {
      throw_system_error(path, "cannot rename " + temporary + " over it");
    }
  } catch (...) {
    std::remove(temporary.c_str());
    throw;
  }
  sync_directory(directory_of(path));
  remove_stale_temporaries(path);
}

void write_file_atomically(const std::string& path, const std::string& bytes) {
  write_file_atomically(path, [&bytes](const std::string& temporary) {
    const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
      throw_system_error(temporary, "cannot create");
    }
    std::size_t written = 0;
    while (written < bytes.size()) {
      const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
      if (n < 0 && errno == EINTR) {
        continue;
      }
      if (n < 0) {
        const int error = errno;
        ::close(fd);
        errno = error;
        throw_system_error(temporary, "cannot write");
      }
      written += static_cast<std::size_t>(n);
    }
    if (::close(fd) != 0) {
      throw_system_error(temporary, "cannot write");
    }
  });
}

}  // namespace glassland
