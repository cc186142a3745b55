// Trajectories and per-replica observables in the H5MD 1.1 layout (de Buyl, Colberg, Höfling,
// "H5MD: a structured, efficient, and portable file format for molecular data", CPC 185 (2014);
// https://www.nongnu.org/h5md/h5md.html), readable by h5py and MD analysis tools.
//
//   h5md/                       version = [1, 1]
//     author/                   name
//     creator/                  name = "glassland", version
//     modules/units/            version = [1, 0]  (values carry a "unit" attribute)
//   particles/replica_0000/     one particle group per replica
//     box/                      dimension = 3, boundary = ["periodic"] * 3
//       edges/{step, time, value[frames][3][3]}   rows of value are the edge vectors a, b, c
//     position/{step, time, value[frames][N][3]}  Å
//     velocity/{...}            Å/ps   (optional)
//     force/{...}               eV/Å   (optional)
//     image/{step, time, value[frames][N][3]} int32 periodic image counts (optional)
//     species[N]                int32, fixed in time (the structure's 1-based atom types)
//   observables/<name>/{step, time, value[frames][R]}  one column per replica
//   parameters/effective_configuration  the run's effective input, as JSON text
//
// A time-dependent element is a group with "step" (int64, [frames]), "time" (double, ps,
// [frames]) and "value". Boxes are stored as full 3×3 matrices because glassland boxes are
// triclinic (shear tilts them).
//
// Every append flushes the file, so that a run killed between records leaves a valid file;
// truncate_frames / truncate cut all series back to a checkpoint's count on restart.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "host/io/hdf5_file.hpp"

namespace glassland {

struct H5mdOptions {
  std::string author;  // h5md/author name; empty: $USER, or "unknown"
  bool velocities = false;
  bool forces = false;
  bool images = false;
};

// One frame of every replica, as flat host arrays in the batch's layout (atom i of replica r
// at index r·N + i). Arrays for elements that were not enabled are ignored.
struct TrajectoryFrame {
  std::int64_t step = 0;
  double time = 0.0;                                  // ps
  const std::vector<double>* edge_vectors = nullptr;  // R×3×3, row k = edge vector k (Å)
  const std::vector<double>* positions = nullptr;     // R×N×3, Å
  const std::vector<double>* velocities = nullptr;    // R×N×3, Å/ps
  const std::vector<double>* forces = nullptr;        // R×N×3, eV/Å
  const std::vector<std::int32_t>* images = nullptr;  // R×N×3
};

// Writes the h5md/ header group (version, author, creator, units module). Idempotent.
void write_h5md_header(const hdf5::File& file, const std::string& author);

// Stores the effective configuration of the run (json_input.hpp) as the JSON text dataset
// /parameters/effective_configuration (H5MD's group for simulation parameters), replacing an
// earlier one (a restart may have changed, say, the number of steps).
void write_effective_configuration(const hdf5::File& file, const nlohmann::json& configuration);
nlohmann::json read_effective_configuration(const hdf5::File& file);

// "replica_0000": the particle group of a replica.
std::string replica_group_name(std::size_t replica);

class H5mdTrajectory {
 public:
  // Creates particles/replica_XXXX/ for every replica in `file`. `species` holds R×N types.
  static H5mdTrajectory create(const hdf5::File& file, std::size_t n_replicas, std::size_t n_atoms,
                               const std::vector<std::int32_t>& species,
                               const H5mdOptions& options = {});
  // Reopens the layout of an earlier run (restart): replicas, atoms and enabled elements are
  // read from the file.
  static H5mdTrajectory open(const hdf5::File& file);

  // Appends one frame for every replica, then flushes the file once.
  void append_frame(const TrajectoryFrame& frame) const;

  // Cuts every series back to `n_frames` frames (restart from a checkpoint), then flushes.
  void truncate_frames(hsize_t n_frames) const;

  // Complete frames: the fewest rows over all series (a run killed in the middle of a flush
  // may leave some series one frame ahead; truncate_frames(frames()) evens them out).
  hsize_t frames() const;

  std::size_t n_replicas() const { return replicas_.size(); }
  std::size_t n_atoms() const { return n_atoms_; }
  const H5mdOptions& options() const { return options_; }

 private:
  // One H5MD time-dependent element: step, time and value series.
  struct Element {
    hdf5::Series step, time, value;
  };
  struct Replica {
    Element edges, position, velocity, force, image;
  };

  static Element create_element(const hdf5::Group& group, bool integer_values,
                                const std::vector<hsize_t>& row_shape, const std::string& unit);
  static Element open_element(const hdf5::Group& group);
  std::vector<const Element*> elements() const;

  hdf5::File file_;
  std::size_t n_atoms_ = 0;
  H5mdOptions options_;
  std::vector<Replica> replicas_;
};

// observables/<name>: one value per replica per record, value[records][R].
class H5mdObservable {
 public:
  static H5mdObservable create(const hdf5::File& file, const std::string& name,
                               std::size_t n_replicas, const std::string& unit);
  static H5mdObservable open(const hdf5::File& file, const std::string& name);

  // Appends one record (a value per replica) and flushes.
  void append(std::int64_t step, double time, const std::vector<double>& per_replica) const;
  // The same without the flush, for writers that record several observables at once.
  void append_without_flush(std::int64_t step, double time,
                            const std::vector<double>& per_replica) const;
  void truncate(hsize_t n_records) const;  // then flushes
  hsize_t records() const;                 // fewest rows of step, time and value
  std::size_t n_replicas() const { return n_replicas_; }
  const std::string& name() const { return name_; }
  void flush() const { step_.flush(); }

 private:
  std::string name_;
  std::size_t n_replicas_ = 0;
  hdf5::Series step_, time_, value_;
};

// Several observables recorded together (thermo: temperature, pressure, volume, energies),
// one flush per record.
class H5mdObservableSet {
 public:
  struct Column {
    std::string name;
    std::string unit;
  };
  static H5mdObservableSet create(const hdf5::File& file, std::size_t n_replicas,
                                  const std::vector<Column>& columns);
  static H5mdObservableSet open(const hdf5::File& file, const std::vector<std::string>& names);

  // values[c] holds the R values of column c, in the order the columns were given.
  void append(std::int64_t step, double time, const std::vector<std::vector<double>>& values) const;
  void truncate(hsize_t n_records) const;
  hsize_t records() const;
  const std::vector<H5mdObservable>& observables() const { return observables_; }

 private:
  std::vector<H5mdObservable> observables_;
};

}  // namespace glassland
