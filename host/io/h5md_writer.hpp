// Trajectories and per-replica observables in the H5MD 1.1 layout (de Buyl, Colberg, Höfling,
// "H5MD: a structured, efficient, and portable file format for molecular data", CPC 185 (2014);
// https://www.nongnu.org/h5md/h5md.html, release 1.1.0, and its units module 1.0,
// https://www.nongnu.org/h5md/modules/units.html), readable by h5py and MDAnalysis's
// H5MDReader (checked by tests/host/io/h5md_mdanalysis_check.py):
//
//   h5md/                       version = [1, 1]
//     author/                   name (fixed-length string)
//     creator/                  name = "glassland", version (fixed-length strings)
//     modules/units/            version = [1, 0], system = "SI"; values carry a "unit"
//   particles/replica_0000/     one particle group per replica, created with the first frame
//     box/                      dimension = 3, boundary = ["periodic"] * 3 (fixed-length)
//       edges/{step, time, value[frames][3][3]}  Angstrom; rows of value are the edge vectors
//       offset/{step, time, value[frames][3]}    Angstrom; the box's lower corner (origin)
//     position/{step, time, value[frames][N][3]}  Angstrom (absolute, wrapped into the box)
//     image/{step, time, value[frames][N][3]}     int32 periodic image counts (optional)
//     velocity/{...}            Angstrom ps-1 (optional)
//     force/{...}               kJ mol-1 Angstrom-1 (optional; see below)
//     species[N]                enumerated int32: member "Cu" = 1, … (the potential's elements)
//     id[N]                     int32 atom IDs (those of the data files)
//     mass[N]                   u
//   observables/<name>/{step, time, value[records][R]}  one column per replica
//   parameters/effective_configuration  the run's effective input, as JSON text
//
// A time-dependent element is a group with "step" (int64), "time" (double, ps) and "value".
// Elements sampled together share one step and one time dataset through hard links, as H5MD
// requires of box and image (and allows for the rest): position owns them in a particle group,
// the first observable of a set in observables/. Boxes are full 3×3 matrices because glassland
// boxes are triclinic (shear tilts them). No group is created without a record in it.
//
// Units follow the units module's grammar (factors separated by spaces, each a symbol with an
// optional signed power: "Angstrom+3", "Angstrom ps-1") and are variable-length ASCII strings.
// Two choices keep MDAnalysis 2.4 (Debian 12) reading the files with its default
// convert_units=True: Ångström is written "Angstrom" (the SI table's symbol is "Ang", which
// MDAnalysis does not know; "Angstrom" is udunits's name), and forces are converted from
// glassland's eV/Å to kJ mol-1 Angstrom-1 (MDAnalysis has no eV-based force unit).
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

// kJ/mol per eV: e·N_A/1000, exact since the 2019 SI (e = 1.602176634e-19 C,
// N_A = 6.02214076e23 mol⁻¹). Trajectory forces are stored in kJ mol⁻¹ Å⁻¹.
constexpr double kKilojoulePerMolePerEv = 1.602176634e-19 * 6.02214076e23 / 1000.0;

// What does not change in time: the species, IDs and masses of every replica's atoms.
struct H5mdAtoms {
  std::vector<std::string> species_names;  // species s (1-based) is species_names[s - 1]
  std::vector<double> species_masses;      // u, per species
  std::vector<std::int32_t> species;       // R×N, 1-based
  std::vector<std::int32_t> ids;           // R×N, unique within a replica
};

// One frame of every replica, as flat host arrays in the batch's layout (atom i of replica r
// at index r·N + i). Arrays for elements that were not enabled are ignored.
struct TrajectoryFrame {
  std::int64_t step = 0;
  double time = 0.0;                                  // ps
  const std::vector<double>* edge_vectors = nullptr;  // R×3×3, row k = edge vector k (Å)
  const std::vector<double>* origins = nullptr;       // R×3, lower corner of each box (Å)
  const std::vector<double>* positions = nullptr;     // R×N×3, Å
  const std::vector<double>* velocities = nullptr;    // R×N×3, Å/ps
  const std::vector<double>* forces = nullptr;  // R×N×3, eV/Å (stored as kJ mol⁻¹ Å⁻¹)
  const std::vector<std::int32_t>* images = nullptr;  // R×N×3
};

// Writes the h5md/ header group (version, author, creator, units module). Idempotent.
void write_h5md_header(const hdf5::File& file, const std::string& author);

// Writes the "unit" attribute of `object` as the units module asks (variable-length ASCII);
// a string outside the unit grammar is a std::logic_error (a programming error).
void set_unit(const hdf5::Object& object, const std::string& unit);
// Whether `unit` follows the units module's grammar: space-separated factors, at most one number
// (first), every other a symbol of letters with an optional signed integer power, no symbol twice.
bool is_h5md_unit(const std::string& unit);

// Stores the effective configuration of the run (json_input.hpp) as the JSON text dataset
// /parameters/effective_configuration (H5MD's group for simulation parameters), replacing an
// earlier one (a restart may have changed, say, the number of steps).
void write_effective_configuration(const hdf5::File& file, const nlohmann::json& configuration);
nlohmann::json read_effective_configuration(const hdf5::File& file);

// "replica_0000": the particle group of a replica.
std::string replica_group_name(std::size_t replica);

class H5mdTrajectory {
 public:
  // Creates particles/replica_XXXX/ for every replica in `file`, with its species, IDs and
  // masses; the time series get their first rows from append_frame.
  static H5mdTrajectory create(const hdf5::File& file, std::size_t n_replicas, std::size_t n_atoms,
                               const H5mdAtoms& atoms, const H5mdOptions& options = {});
  // Reopens the layout of an earlier run (restart, merge): replicas, atoms and enabled elements
  // are read from the file.
  static H5mdTrajectory open(const hdf5::File& file);

  // Appends one frame for every replica, then flushes the file once.
  void append_frame(const TrajectoryFrame& frame) const;
  // Appends every frame of `source` (same replicas, atoms and elements), then flushes.
  void append_frames_of(const H5mdTrajectory& source) const;

  // Cuts every series back to `n_frames` frames (restart from a checkpoint), then flushes.
  void truncate_frames(hsize_t n_frames) const;

  // Complete frames: the fewest rows over all series (a run killed in the middle of a flush
  // may leave some series one frame ahead; truncate_frames(frames()) evens them out).
  hsize_t frames() const;

  std::size_t n_replicas() const { return replicas_.size(); }
  std::size_t n_atoms() const { return n_atoms_; }
  const H5mdOptions& options() const { return options_; }

 private:
  // One H5MD time-dependent element: step, time and value series; step and time are hard links
  // to position's except in position itself, which owns them.
  struct Element {
    hdf5::Series step, time, value;
    bool owns_time = false;
  };
  struct Replica {
    Element position, edges, offset, velocity, force, image;
  };

  static Element create_element(const hdf5::Group& group, const Element* sampled_with,
                                bool integer_values, const std::vector<hsize_t>& row_shape,
                                const std::string& unit);
  static Element open_element(const hdf5::Group& group, bool owns_time);
  // The elements of one replica, position first.
  std::vector<const Element*> elements(const Replica& replica) const;

  hdf5::File file_;
  std::size_t n_atoms_ = 0;
  H5mdOptions options_;
  std::vector<Replica> replicas_;
};

// observables/<name>: one value per replica per record, value[records][R].
class H5mdObservable {
 public:
  // With `sampled_with`, step and time are hard links to that observable's, which records them.
  static H5mdObservable create(const hdf5::File& file, const std::string& name,
                               std::size_t n_replicas, const std::string& unit,
                               const H5mdObservable* sampled_with = nullptr);
  static H5mdObservable open(const hdf5::File& file, const std::string& name,
                             bool owns_time = true);

  // Appends one record (a value per replica) and flushes.
  void append(std::int64_t step, double time, const std::vector<double>& per_replica) const;
  // The same without the flush, for writers that record several observables at once.
  void append_without_flush(std::int64_t step, double time,
                            const std::vector<double>& per_replica) const;
  void truncate(hsize_t n_records) const;  // then flushes
  hsize_t records() const;                 // fewest rows of step, time and value
  std::size_t n_replicas() const { return n_replicas_; }
  const std::string& name() const { return name_; }
  void flush() const { value_.flush(); }

 private:
  friend class H5mdObservableSet;
  std::string name_;
  std::size_t n_replicas_ = 0;
  bool owns_time_ = true;
  hdf5::Series step_, time_, value_;
};

// Several observables recorded together (thermo: temperature, pressure, volume, energies),
// sharing one step and one time dataset, one flush per record.
class H5mdObservableSet {
 public:
  struct Column {
    std::string name;
    std::string unit;
  };
  static H5mdObservableSet create(const hdf5::File& file, std::size_t n_replicas,
                                  const std::vector<Column>& columns);
  // Reopens a set written by create (the first name owns step and time).
  static H5mdObservableSet open(const hdf5::File& file, const std::vector<std::string>& names);

  // values[c] holds the R values of column c, in the order the columns were given.
  void append(std::int64_t step, double time, const std::vector<std::vector<double>>& values) const;
  // Appends every record of `source` (same columns and replicas), then flushes.
  void append_records_of(const H5mdObservableSet& source) const;
  void truncate(hsize_t n_records) const;
  hsize_t records() const;
  const std::vector<H5mdObservable>& observables() const { return observables_; }

 private:
  std::vector<H5mdObservable> observables_;
};

}  // namespace glassland
