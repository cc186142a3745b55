#include "host/io/lammps_dump_writer.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <system_error>

#include "host/io/file_write_error.hpp"
#include "host/io/input_error.hpp"

namespace glassland {

namespace fs = std::filesystem;

namespace {

[[noreturn]] void fail(const std::string& path, const std::string& what) {
  throw InputError(path + ": cannot " + what + " (" + std::strerror(errno) + ")");
}

// A write the system refused (disk full, file-size limit): not the input's fault; TaskRun says
// what is intact (the dump is cut back to the checkpoint on --restart).
[[noreturn]] void fail_to_write(const std::string& path, const std::string& what) {
  throw FileWriteError(path, what + std::strerror(errno));
}

// The box of replica r as LAMMPS's dump header writes it.
void write_box(std::FILE* out, const double* edges, const double* origin) {
  const double lx = edges[0], xy = edges[3], ly = edges[4], xz = edges[6], yz = edges[7],
               lz = edges[8];
  const double xlo = origin[0], ylo = origin[1], zlo = origin[2];
  if (xy == 0.0 && xz == 0.0 && yz == 0.0) {
    std::fprintf(out, "ITEM: BOX BOUNDS pp pp pp\n%.17g %.17g\n%.17g %.17g\n%.17g %.17g\n", xlo,
                 xlo + lx, ylo, ylo + ly, zlo, zlo + lz);
    return;
  }
  const double x_low = std::min({0.0, xy, xz, xy + xz}), x_high = std::max({0.0, xy, xz, xy + xz});
  std::fprintf(out,
               "ITEM: BOX BOUNDS xy xz yz pp pp pp\n%.17g %.17g %.17g\n%.17g %.17g %.17g\n"
               "%.17g %.17g %.17g\n",
               xlo + x_low, xlo + lx + x_high, xy, ylo + std::min(0.0, yz),
               ylo + ly + std::max(0.0, yz), xz, zlo, zlo + lz, yz);
}

}  // namespace

LammpsDumpWriter::LammpsDumpWriter(std::string directory, std::string prefix, int n_replicas,
                                   int n_atoms, LammpsDumpAtoms atoms, bool velocities, bool forces)
    : directory_(std::move(directory)),
      prefix_(std::move(prefix)),
      n_replicas_(n_replicas),
      n_atoms_(n_atoms),
      atoms_(std::move(atoms)),
      velocities_(velocities),
      forces_(forces) {
  const std::size_t total = static_cast<std::size_t>(n_replicas) * n_atoms;
  if (atoms_.ids.size() != total || atoms_.types.size() != total) {
    throw std::invalid_argument("LAMMPS dump: IDs and types must hold one value per atom");
  }
  for (const std::int32_t t : atoms_.types) {
    if (t < 1 || static_cast<std::size_t>(t) > atoms_.type_names.size()) {
      throw std::invalid_argument("LAMMPS dump: type " + std::to_string(t) + " has no name");
    }
  }
  fs::create_directories(directory_);
}

std::string LammpsDumpWriter::path(int replica) const {
  char name[64];
  std::snprintf(name, sizeof name, "%04d.lammpstrj", replica);
  return (fs::path(directory_) / (prefix_ + name)).string();
}

void LammpsDumpWriter::append_frame(const TrajectoryFrame& frame) const {
  const std::size_t per_replica = static_cast<std::size_t>(n_atoms_) * 3;
  const std::size_t total = per_replica * n_replicas_;
  auto require = [&](const auto* array, const char* what, std::size_t size) {
    if (!array || array->size() != size) {
      throw std::invalid_argument(std::string("LAMMPS dump: the frame's ") + what +
                                  " are missing or of the wrong size");
    }
  };
  require(frame.edge_vectors, "edge vectors", 9u * n_replicas_);
  require(frame.origins, "box origins", 3u * n_replicas_);
  require(frame.positions, "positions", total);
  require(frame.images, "images", total);
  if (velocities_) {
    require(frame.velocities, "velocities", total);
  }
  if (forces_) {
    require(frame.forces, "forces", total);
  }
  const std::string columns = std::string("id type element x y z ix iy iz") +
                              (velocities_ ? " vx vy vz" : "") + (forces_ ? " fx fy fz" : "");
  for (int r = 0; r < n_replicas_; ++r) {
    const std::string file = path(r);
    std::FILE* out = std::fopen(file.c_str(), "ab");
    if (!out) {
      fail(file, "open the dump for appending");
    }
    std::fprintf(out, "ITEM: TIMESTEP\n%lld\nITEM: NUMBER OF ATOMS\n%d\n",
                 static_cast<long long>(frame.step), n_atoms_);
    write_box(out, frame.edge_vectors->data() + 9 * r, frame.origins->data() + 3 * r);
    std::fprintf(out, "ITEM: ATOMS %s\n", columns.c_str());
    for (int i = 0; i < n_atoms_; ++i) {
      const std::size_t g = static_cast<std::size_t>(r) * n_atoms_ + i;
      const double* x = frame.positions->data() + 3 * g;
      const std::int32_t* n = frame.images->data() + 3 * g;
      std::fprintf(out, "%d %d %s %.17g %.17g %.17g %d %d %d", atoms_.ids[g], atoms_.types[g],
                   atoms_.type_names[atoms_.types[g] - 1].c_str(), x[0], x[1], x[2], n[0], n[1],
                   n[2]);
      if (velocities_) {
        const double* v = frame.velocities->data() + 3 * g;
        std::fprintf(out, " %.17g %.17g %.17g", v[0], v[1], v[2]);
      }
      if (forces_) {
        const double* f = frame.forces->data() + 3 * g;
        std::fprintf(out, " %.17g %.17g %.17g", f[0], f[1], f[2]);
      }
      std::fputc('\n', out);
    }
    const bool written = std::ferror(out) == 0;
    if (std::fclose(out) != 0 || !written) {
      fail_to_write(file, "");
    }
  }
}

std::vector<std::uintmax_t> LammpsDumpWriter::sizes() const {
  std::vector<std::uintmax_t> sizes;
  for (int r = 0; r < n_replicas_; ++r) {
    std::error_code error;
    const std::uintmax_t size = fs::file_size(path(r), error);
    sizes.push_back(error ? 0 : size);
  }
  return sizes;
}

void LammpsDumpWriter::cut_to(const std::vector<std::uintmax_t>& sizes) const {
  if (sizes.size() != static_cast<std::size_t>(n_replicas_)) {
    throw std::invalid_argument("LAMMPS dump: one size per replica expected");
  }
  for (int r = 0; r < n_replicas_; ++r) {
    const std::string file = path(r);
    if (!fs::exists(file)) {
      std::FILE* created = std::fopen(file.c_str(), "wb");
      if (!created) {
        fail(file, "create the dump");
      }
      std::fclose(created);
    }
    std::error_code error;
    fs::resize_file(file, sizes[r], error);
    if (error) {
      throw InputError(file + ": cannot cut the dump back to " + std::to_string(sizes[r]) +
                       " bytes (" + error.message() + ")");
    }
  }
}

void LammpsDumpWriter::sync() const {
  for (int r = 0; r < n_replicas_; ++r) {
    const std::string file = path(r);
    const int descriptor = ::open(file.c_str(), O_RDONLY);
    if (descriptor < 0) {
      continue;  // nothing written yet
    }
    const int synced = ::fsync(descriptor);
    ::close(descriptor);
    if (synced != 0) {
      fail_to_write(file, "fsync: ");
    }
  }
}

}  // namespace glassland
