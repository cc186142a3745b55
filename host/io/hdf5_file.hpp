// A small RAII C++ layer over the HDF5 C API (serial HDF5 1.10 and later).
//
// Why our own: the HDF5 C++ bindings are optional in distributions and verbose, and we need a
// few things they do not give directly: exceptions that name the file and the object,
// appendable time series that survive a SIGKILL between writes (flush after each append), and
// truncation of a series back to a checkpoint on restart (no gap, no duplicate rows).
//
// Handles are cheap to copy: copies share one HDF5 identifier through HDF5's own reference
// count, and the identifier closes when the last copy goes. HDF5's automatic printing of its
// error stack is switched off; failures become glassland::Hdf5Error with the innermost HDF5
// message appended, except a write the operating system refused (disk full, file-size limit),
// which is a FileWriteError naming the file and the reason (host/io/file_write_error.hpp).
// HDF5's clean-up at exit is switched off (silence_hdf5_error_printing says why).
//
// Files are written in HDF5's default (earliest) format on purpose: the newer format marks a
// file "open for writing" in its superblock, and a file left by a killed writer would then need
// h5clear before anything could read it.
//
// What "valid after a kill" covers: a writer killed between flushes leaves a file that opens
// with every flushed row intact. HDF5 (without SWMR) does not order the metadata writes inside
// one H5Fflush, so a kill that lands inside a flush can leave a chunk-index node unwritten:
// measured at about 1 in 100 kills for a writer that does nothing but append and flush (in a
// real run, flushes are a small fraction of the time). open_read_write repairs the commoner
// case, metadata beyond the end of file recorded in the superblock.
#pragma once

#include <hdf5.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

namespace glassland {

// An HDF5 operation failed: "FILE: OBJECT: what failed (HDF5: innermost message)".
class Hdf5Error : public std::runtime_error {
 public:
  explicit Hdf5Error(const std::string& message) : std::runtime_error(message) {}
};

namespace hdf5 {

// The element types our datasets and attributes hold. An enumerated type (H5T_ENUM) counts as
// its integer base type: its values read as integers.
enum class ElementType { float64, int32, int64, uint64, string, other };

// How a string attribute is stored. h5py reads all three as str.
enum class StringKind {
  variable_utf8,   // variable-length UTF-8: what h5py writes for str (the default)
  variable_ascii,  // variable-length ASCII: H5MD's units module (unit, system)
  fixed_ascii,     // fixed-length ASCII, null-terminated: H5MD's metadata and box boundary
  fixed_utf8,      // fixed-length UTF-8, null-terminated: H5MD's author name when not ASCII
};

// A member of an enumerated type: name and integer value.
struct EnumMember {
  std::string name;
  std::int32_t value = 0;
  bool operator==(const EnumMember& other) const {
    return name == other.name && value == other.value;
  }
};

template <class T>
constexpr ElementType element_type_of() {
  if constexpr (std::is_same_v<T, double>) {
    return ElementType::float64;
  } else if constexpr (std::is_same_v<T, std::int32_t>) {
    return ElementType::int32;
  } else if constexpr (std::is_same_v<T, std::int64_t>) {
    return ElementType::int64;
  } else if constexpr (std::is_same_v<T, std::uint64_t>) {
    return ElementType::uint64;
  } else {
    static_assert(!sizeof(T*), "HDF5 datasets hold double, int32_t, int64_t or uint64_t");
    return ElementType::other;
  }
}

const char* element_type_name(ElementType type);

// One HDF5 identifier. Copies share it (H5Iinc_ref); the last one closes it.
class Id {
 public:
  Id() = default;
  explicit Id(hid_t id) : id_(id) {}  // takes ownership of one reference
  Id(const Id& other);
  Id& operator=(const Id& other);
  Id(Id&& other) noexcept;
  Id& operator=(Id&& other) noexcept;
  ~Id();

  hid_t get() const { return id_; }
  bool valid() const { return id_ >= 0; }
  void reset();
  hid_t release();  // gives up ownership without closing

 private:
  hid_t id_ = H5I_INVALID_HID;
};

// Anything that can carry attributes: a file's root group, a group, a dataset.
class Object {
 public:
  hid_t id() const { return id_.get(); }
  const std::string& file_path() const { return file_path_; }
  const std::string& name() const { return name_; }  // full path inside the file, "/a/b"

  // Attributes are replaced when they exist. Strings are variable-length UTF-8 unless a
  // StringKind says otherwise; an ASCII kind refuses a string with other characters
  // (std::invalid_argument naming the attribute).
  void set_attribute(const std::string& attribute, const std::string& value,
                     StringKind kind = StringKind::variable_utf8) const;
  void set_attribute(const std::string& attribute, const char* value) const;
  void set_attribute(const std::string& attribute, double value) const;
  void set_attribute(const std::string& attribute, std::int64_t value) const;
  void set_attribute(const std::string& attribute, int value) const;
  void set_attribute(const std::string& attribute, const std::vector<double>& values) const;
  void set_attribute(const std::string& attribute, const std::vector<std::int64_t>& values) const;
  void set_attribute(const std::string& attribute, const std::vector<std::int32_t>& values) const;
  void set_attribute(const std::string& attribute, const std::vector<std::string>& values,
                     StringKind kind = StringKind::variable_utf8) const;

  bool has_attribute(const std::string& attribute) const;
  std::string string_attribute(const std::string& attribute) const;
  double double_attribute(const std::string& attribute) const;
  std::int64_t int64_attribute(const std::string& attribute) const;
  std::vector<double> doubles_attribute(const std::string& attribute) const;
  std::vector<std::int64_t> int64s_attribute(const std::string& attribute) const;
  std::vector<std::string> strings_attribute(const std::string& attribute) const;
  // How a string attribute is stored; throws when the attribute does not hold strings.
  StringKind string_kind(const std::string& attribute) const;
  // Whether the attribute holds one value (scalar dataspace) rather than an array.
  bool attribute_is_scalar(const std::string& attribute) const;

 protected:
  Object() = default;
  Object(Id id, std::string file_path, std::string name)
      : id_(std::move(id)), file_path_(std::move(file_path)), name_(std::move(name)) {}

  [[noreturn]] void fail(const std::string& what) const;  // throws Hdf5Error naming us
  std::string child_name(const std::string& path) const;

  Id id_;
  std::string file_path_;
  std::string name_;

 private:
  void write_attribute(const std::string& attribute, ElementType type, const void* data,
                       std::size_t count, bool scalar) const;
  void write_typed_attribute(const std::string& attribute, hid_t type, const void* data,
                             std::size_t count, bool scalar) const;
  void write_string_attribute(const std::string& attribute, const std::vector<std::string>& values,
                              bool scalar, StringKind kind) const;
  // Reads a numeric attribute of any stored numeric type, converted to `type`.
  void read_numeric_attribute(const std::string& attribute, ElementType type, void* out,
                              std::size_t count) const;
  std::size_t attribute_size(const std::string& attribute) const;
};

// A dataset of any shape, read whole or by rows (the first dimension).
class Dataset : public Object {
 public:
  Dataset() = default;

  std::vector<hsize_t> shape() const;
  std::size_t size() const;  // number of elements
  ElementType element_type() const;

  template <class T>
  std::vector<T> read() const {
    std::vector<T> values(size());
    read_into(element_type_of<T>(), values.data(), 0, rows());
    return values;
  }
  // Rows [first, first + count) of the first dimension, row-major.
  template <class T>
  std::vector<T> read_rows(hsize_t first, hsize_t count) const {
    std::vector<T> values(count * row_size());
    read_into(element_type_of<T>(), values.data(), first, count);
    return values;
  }
  std::vector<std::string> read_strings() const;
  // The members of an enumerated-type dataset, in value order; empty for other types.
  std::vector<EnumMember> enum_members() const;

  hsize_t rows() const;          // extent of the first dimension (1 for a scalar)
  std::size_t row_size() const;  // elements per row

 protected:
  friend class Group;
  Dataset(Id id, std::string file_path, std::string name)
      : Object(std::move(id), std::move(file_path), std::move(name)) {}
  void read_into(ElementType type, void* out, hsize_t first, hsize_t count) const;
};

// An appendable, chunked dataset with an unlimited first dimension: a time series of rows of
// a fixed shape (R values per step, or N×3 positions per frame).
class Series : public Dataset {
 public:
  Series() = default;

  // Shape of one row (the dataset's shape without its first dimension).
  std::vector<hsize_t> row_shape() const;

  // Appends one row and flushes the whole file to disk (H5Fflush, global scope), so that the
  // file is complete and readable if the process is killed before the next write.
  template <class T>
  void append(const std::vector<T>& row) const {
    append_rows(element_type_of<T>(), row.data(), row.size(), 1);
    flush();
  }
  // Appends without flushing, for writers that append to several series and flush once.
  template <class T>
  void append_without_flush(const std::vector<T>& row) const {
    append_rows(element_type_of<T>(), row.data(), row.size(), 1);
  }
  template <class T>
  void append_without_flush(const T* row, std::size_t count) const {
    append_rows(element_type_of<T>(), row, count, 1);
  }
  // Appends whole rows at once (row-major; `rows` holds a multiple of the row size).
  template <class T>
  void append_rows_without_flush(const std::vector<T>& rows) const {
    const std::size_t per_row = row_size();
    append_rows(element_type_of<T>(), rows.data(), rows.size(),
                per_row == 0 ? 0 : rows.size() / per_row);
  }

  // Cuts the series back to its first `n_rows` rows (a restart resumes from its last
  // checkpoint), then flushes. Throws when the series has fewer rows.
  void truncate(hsize_t n_rows) const;

  void flush() const;  // H5Fflush(file, H5F_SCOPE_GLOBAL)

 private:
  friend class Group;
  Series(Id id, std::string file_path, std::string name)
      : Dataset(std::move(id), std::move(file_path), std::move(name)) {}
  void append_rows(ElementType type, const void* data, std::size_t count, hsize_t n_rows) const;
};

// A group: holds groups, datasets and series. Paths may be nested ("a/b/c") and are relative
// to this group unless they start with "/".
class Group : public Object {
 public:
  Group() = default;

  Group group(const std::string& path) const;          // opens; throws when absent
  Group create_group(const std::string& path) const;   // creates missing intermediate groups
  Group require_group(const std::string& path) const;  // opens or creates
  bool exists(const std::string& path) const;          // every link on the path exists
  std::vector<std::string> member_names() const;       // direct children, in name order
  bool is_group(const std::string& path) const;        // exists and is a group
  // Unlinks a member (its space is not reclaimed in the file; HDF5 does not shrink files).
  void remove(const std::string& path) const;

  Dataset dataset(const std::string& path) const;  // opens an existing dataset

  // Writes a whole dataset of the given shape (row-major values); the product of `shape` must
  // equal values.size(). An empty shape means a 1-D dataset of values.size() elements.
  template <class T>
  Dataset write(const std::string& path, const std::vector<T>& values,
                const std::vector<hsize_t>& shape = {}) const {
    return write_dataset(path, element_type_of<T>(), values.data(), values.size(), shape);
  }
  Dataset write(const std::string& path, const std::vector<std::string>& values,
                const std::vector<hsize_t>& shape = {}) const;
  // A 1-D dataset of an enumerated type over int32 (H5MD's species with their names): every
  // value must be one of the members'.
  Dataset write_enum(const std::string& path, const std::vector<std::int32_t>& values,
                     const std::vector<EnumMember>& members) const;

  // A hard link `link_path` to the existing object `existing` (paths relative to this group
  // unless absolute): the two names then hold one object, as H5MD asks of the step and time
  // of elements sampled together.
  void link(const std::string& existing, const std::string& link_path) const;

  // Creates an empty appendable series of rows of `row_shape` (empty: scalar rows).
  // `chunk_rows` 0 picks chunks of about 256 KiB.
  template <class T>
  Series create_series(const std::string& path, const std::vector<hsize_t>& row_shape,
                       hsize_t chunk_rows = 0) const {
    return create_series_of(path, element_type_of<T>(), row_shape, chunk_rows);
  }
  Series series(const std::string& path) const;  // opens an existing series

 protected:
  friend class File;
  Group(Id id, std::string file_path, std::string name)
      : Object(std::move(id), std::move(file_path), std::move(name)) {}

 private:
  Dataset write_dataset(const std::string& path, ElementType type, const void* data,
                        std::size_t count, const std::vector<hsize_t>& shape) const;
  Series create_series_of(const std::string& path, ElementType type,
                          const std::vector<hsize_t>& row_shape, hsize_t chunk_rows) const;
  void create_parents(const std::string& path) const;
};

// An HDF5 file; as a Group it is the root group "/".
class File : public Group {
 public:
  File() = default;

  static File create(const std::string& path);  // truncates an existing file
  // Reads without taking HDF5's file lock, so that a file another process is writing (and
  // holds locked) can be inspected; what is read is the state of the last flush.
  static File open_read_only(const std::string& path);
  // Opens for appending (a restart). Repairs the one inconsistency a writer killed inside a
  // flush commonly leaves: objects beyond the end of file recorded in the superblock.
  static File open_read_write(const std::string& path);

  void flush() const;  // H5Fflush(file, H5F_SCOPE_GLOBAL)
  // Closes this handle and reports errors of the final write. Objects still open from this
  // file keep it open until they go (HDF5's weak close).
  void close();

 private:
  File(Id id, std::string file_path) : Group(std::move(id), std::move(file_path), "/") {}
};

// Switches off HDF5's automatic error printing (idempotent). Called by every File factory.
void silence_hdf5_error_printing();

}  // namespace hdf5
}  // namespace glassland
