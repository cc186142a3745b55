#include "host/io/hdf5_file.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <functional>
#include <numeric>
#include <stdexcept>

#include "host/io/file_write_error.hpp"

namespace glassland {
namespace hdf5 {

namespace {

hid_t native_type(ElementType type) {
  switch (type) {
    case ElementType::float64:
      return H5T_NATIVE_DOUBLE;
    case ElementType::int32:
      return H5T_NATIVE_INT32;
    case ElementType::int64:
      return H5T_NATIVE_INT64;
    case ElementType::uint64:
      return H5T_NATIVE_UINT64;
    default:
      throw std::logic_error("hdf5: no native type for this element type");
  }
}

// Variable-length UTF-8 strings: what h5py writes for str, and reads back as str.
Id variable_string_type() {
  Id type(H5Tcopy(H5T_C_S1));
  H5Tset_size(type.get(), H5T_VARIABLE);
  H5Tset_cset(type.get(), H5T_CSET_UTF8);
  return type;
}

// The file and memory type of strings of `kind`; fixed-length ones are `width` bytes wide.
Id string_type(StringKind kind, std::size_t width) {
  if (kind == StringKind::variable_utf8) {
    return variable_string_type();
  }
  Id type(H5Tcopy(H5T_C_S1));
  const bool fixed = kind == StringKind::fixed_ascii || kind == StringKind::fixed_utf8;
  H5Tset_size(type.get(), fixed ? std::max<std::size_t>(width, 1) : H5T_VARIABLE);
  H5Tset_strpad(type.get(), H5T_STR_NULLTERM);
  H5Tset_cset(type.get(), kind == StringKind::fixed_utf8 ? H5T_CSET_UTF8 : H5T_CSET_ASCII);
  return type;
}

bool is_ascii(const std::string& text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

herr_t keep_innermost(unsigned n, const H5E_error2_t* error, void* data) {
  if (n == 0) {
    auto* message = static_cast<std::string*>(data);
    if (error->desc && *error->desc) {
      *message = error->desc;
    } else {
      char minor[256] = "";
      if (H5Eget_msg(error->min_num, nullptr, minor, sizeof minor) > 0) {
        *message = minor;
      }
    }
  }
  return 0;
}

// The innermost (most specific) message on HDF5's error stack, then clears the stack.
std::string innermost_hdf5_message() {
  std::string message;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, keep_innermost, &message);
  H5Eclear2(H5E_DEFAULT);
  return message;
}

// The operating system's refusal to write in an HDF5 file-driver message ("... errno = 28, error
// message = 'No space left on device', ..."): the reason for a full disk, a file-size or disk
// quota limit, a read-only file system or an I/O error; "" for any other failure (HDF5's own, or
// a file that is missing or not HDF5).
std::string write_refusal(const std::string& detail) {
  const std::string errno_key = "errno = ";
  const std::size_t at = detail.find(errno_key);
  if (at == std::string::npos) {
    return "";
  }
  const int code = std::atoi(detail.c_str() + at + errno_key.size());
  if (code != ENOSPC && code != EFBIG && code != EDQUOT && code != EROFS && code != EIO) {
    return "";
  }
  return std::strerror(code);
}

[[noreturn]] void throw_error(const std::string& file, const std::string& object,
                              const std::string& what) {
  const std::string detail = innermost_hdf5_message();
  // The system refused a write (disk full, file-size limit): one plain sentence naming the file.
  const std::string reason = write_refusal(detail);
  if (!reason.empty()) {
    throw FileWriteError(file, reason);
  }
  throw Hdf5Error(file + ": " + object + ": " + what +
                  (detail.empty() ? std::string() : " (HDF5: " + detail + ")"));
}

hsize_t product(const std::vector<hsize_t>& dims, std::size_t from = 0) {
  hsize_t count = 1;
  for (std::size_t i = from; i < dims.size(); ++i) {
    count *= dims[i];
  }
  return count;
}

std::vector<hsize_t> extent_of(hid_t space) {
  const int rank = H5Sget_simple_extent_ndims(space);
  std::vector<hsize_t> dims(rank > 0 ? rank : 0);
  if (rank > 0) {
    H5Sget_simple_extent_dims(space, dims.data(), nullptr);
  }
  return dims;
}

ElementType classify(hid_t type) {
  if (H5Tget_class(type) == H5T_ENUM) {
    Id base(H5Tget_super(type));
    return base.valid() ? classify(base.get()) : ElementType::other;
  }
  const H5T_class_t type_class = H5Tget_class(type);
  const std::size_t size = H5Tget_size(type);
  if (type_class == H5T_FLOAT && size == 8) {
    return ElementType::float64;
  }
  if (type_class == H5T_INTEGER) {
    const bool is_signed = H5Tget_sign(type) == H5T_SGN_2;
    if (is_signed && size == 4) {
      return ElementType::int32;
    }
    if (is_signed && size == 8) {
      return ElementType::int64;
    }
    if (!is_signed && size == 8) {
      return ElementType::uint64;
    }
  }
  if (type_class == H5T_STRING) {
    return ElementType::string;
  }
  return ElementType::other;
}

// Reads `count` strings of either kind HDF5 stores (variable or fixed length). `read` performs
// the H5Aread/H5Dread with the given memory type into the given buffer.
std::vector<std::string> read_string_elements(hid_t file_type, hid_t space, std::size_t count,
                                              const std::function<herr_t(hid_t, void*)>& read,
                                              const std::function<void(const std::string&)>& fail) {
  std::vector<std::string> strings;
  if (H5Tget_class(file_type) != H5T_STRING) {
    fail("does not hold strings");
  }
  if (count == 0) {
    return strings;
  }
  // The memory type keeps the file's character set: HDF5 does not convert between them.
  const H5T_cset_t cset = H5Tget_cset(file_type);
  if (H5Tis_variable_str(file_type) > 0) {
    Id memory_type = variable_string_type();
    H5Tset_cset(memory_type.get(), cset);
    std::vector<char*> pointers(count, nullptr);
    if (read(memory_type.get(), pointers.data()) < 0) {
      fail("cannot read strings");
    }
    for (char* text : pointers) {
      strings.emplace_back(text ? text : "");
    }
#if H5_VERSION_GE(1, 12, 0)
    H5Treclaim(memory_type.get(), space, H5P_DEFAULT, pointers.data());
#else
    H5Dvlen_reclaim(memory_type.get(), space, H5P_DEFAULT, pointers.data());
#endif
  } else {
    const std::size_t width = H5Tget_size(file_type);
    Id memory_type(H5Tcopy(H5T_C_S1));
    H5Tset_size(memory_type.get(), width);
    H5Tset_cset(memory_type.get(), cset);
    std::vector<char> buffer(count * width);
    if (read(memory_type.get(), buffer.data()) < 0) {
      fail("cannot read strings");
    }
    for (std::size_t i = 0; i < count; ++i) {
      std::string text(buffer.data() + i * width, width);
      text.erase(text.find_last_not_of(std::string("\0 ", 2)) + 1);
      strings.push_back(text);
    }
  }
  return strings;
}

}  // namespace

const char* element_type_name(ElementType type) {
  switch (type) {
    case ElementType::float64:
      return "float64";
    case ElementType::int32:
      return "int32";
    case ElementType::int64:
      return "int64";
    case ElementType::uint64:
      return "uint64";
    case ElementType::string:
      return "string";
    default:
      return "another type";
  }
}

void silence_hdf5_error_printing() {
  static const bool silenced = [] {
    // No library clean-up at exit: after a failed write (disk full) HDF5 keeps the dataset it
    // could not flush in its tables, and closing it again when the process exits crashes inside
    // H5D_close (HDF5 1.10; h5py issues 914 and 2160 report the same). glassland closes every
    // file it writes before it exits (RAII, File::close), so nothing is left for that clean-up.
    H5dont_atexit();
    H5open();
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    return true;
  }();
  (void)silenced;
}

// ---------------------------------------------------------------- Id

Id::Id(const Id& other) : id_(other.id_) {
  if (valid()) {
    H5Iinc_ref(id_);
  }
}

Id& Id::operator=(const Id& other) {
  if (this != &other) {
    Id copy(other);
    std::swap(id_, copy.id_);
  }
  return *this;
}

Id::Id(Id&& other) noexcept : id_(other.id_) {
  other.id_ = H5I_INVALID_HID;
}

Id& Id::operator=(Id&& other) noexcept {
  if (this != &other) {
    reset();
    id_ = other.id_;
    other.id_ = H5I_INVALID_HID;
  }
  return *this;
}

Id::~Id() {
  reset();
}

void Id::reset() {
  if (valid()) {
    H5Idec_ref(id_);
  }
  id_ = H5I_INVALID_HID;
}

hid_t Id::release() {
  const hid_t id = id_;
  id_ = H5I_INVALID_HID;
  return id;
}

// ---------------------------------------------------------------- Object

void Object::fail(const std::string& what) const {
  throw_error(file_path_, name_, what);
}

std::string Object::child_name(const std::string& path) const {
  if (!path.empty() && path[0] == '/') {
    return path;
  }
  return name_ == "/" ? "/" + path : name_ + "/" + path;
}

void Object::write_attribute(const std::string& attribute, ElementType type, const void* data,
                             std::size_t count, bool scalar) const {
  write_typed_attribute(attribute, native_type(type), data, count, scalar);
}

void Object::write_typed_attribute(const std::string& attribute, hid_t type, const void* data,
                                   std::size_t count, bool scalar) const {
  if (H5Aexists(id(), attribute.c_str()) > 0 && H5Adelete(id(), attribute.c_str()) < 0) {
    fail("cannot replace attribute \"" + attribute + "\"");
  }
  // An empty vector gets a null dataspace: HDF5 has no zero-length simple attribute.
  const hsize_t dims[1] = {count};
  Id space(scalar       ? H5Screate(H5S_SCALAR)
           : count == 0 ? H5Screate(H5S_NULL)
                        : H5Screate_simple(1, dims, nullptr));
  Id attr(H5Acreate2(id(), attribute.c_str(), type, space.get(), H5P_DEFAULT, H5P_DEFAULT));
  if (!attr.valid() || (count > 0 && H5Awrite(attr.get(), type, data) < 0)) {
    fail("cannot write attribute \"" + attribute + "\"");
  }
}

void Object::write_string_attribute(const std::string& attribute,
                                    const std::vector<std::string>& values, bool scalar,
                                    StringKind kind) const {
  std::size_t width = 0;
  for (const std::string& value : values) {
    const bool ascii = kind == StringKind::variable_ascii || kind == StringKind::fixed_ascii;
    if (ascii && !is_ascii(value)) {
      throw std::invalid_argument(file_path_ + ": " + name_ + ": attribute \"" + attribute +
                                  "\" must be ASCII, got \"" + value + "\"");
    }
    width = std::max(width, value.size() + 1);
  }
  if (kind == StringKind::variable_utf8 || kind == StringKind::variable_ascii) {
    std::vector<const char*> pointers;
    for (const std::string& value : values) {
      pointers.push_back(value.c_str());
    }
    Id type = string_type(kind, 0);
    write_typed_attribute(attribute, type.get(), pointers.data(), values.size(), scalar);
    return;
  }
  std::vector<char> buffer(values.size() * width, '\0');
  for (std::size_t i = 0; i < values.size(); ++i) {
    std::copy(values[i].begin(), values[i].end(), buffer.begin() + i * width);
  }
  Id type = string_type(kind, width);
  write_typed_attribute(attribute, type.get(), buffer.data(), values.size(), scalar);
}

void Object::set_attribute(const std::string& attribute, const std::string& value,
                           StringKind kind) const {
  write_string_attribute(attribute, {value}, true, kind);
}

void Object::set_attribute(const std::string& attribute, const char* value) const {
  set_attribute(attribute, std::string(value));
}

void Object::set_attribute(const std::string& attribute, double value) const {
  write_attribute(attribute, ElementType::float64, &value, 1, true);
}

void Object::set_attribute(const std::string& attribute, std::int64_t value) const {
  write_attribute(attribute, ElementType::int64, &value, 1, true);
}

void Object::set_attribute(const std::string& attribute, int value) const {
  set_attribute(attribute, static_cast<std::int64_t>(value));
}

void Object::set_attribute(const std::string& attribute, const std::vector<double>& values) const {
  write_attribute(attribute, ElementType::float64, values.data(), values.size(), false);
}

void Object::set_attribute(const std::string& attribute,
                           const std::vector<std::int64_t>& values) const {
  write_attribute(attribute, ElementType::int64, values.data(), values.size(), false);
}

void Object::set_attribute(const std::string& attribute,
                           const std::vector<std::int32_t>& values) const {
  write_attribute(attribute, ElementType::int32, values.data(), values.size(), false);
}

void Object::set_attribute(const std::string& attribute, const std::vector<std::string>& values,
                           StringKind kind) const {
  write_string_attribute(attribute, values, false, kind);
}

bool Object::has_attribute(const std::string& attribute) const {
  const htri_t exists = H5Aexists(id(), attribute.c_str());
  if (exists < 0) {
    fail("cannot look for attribute \"" + attribute + "\"");
  }
  return exists > 0;
}

std::size_t Object::attribute_size(const std::string& attribute) const {
  Id attr(H5Aopen(id(), attribute.c_str(), H5P_DEFAULT));
  if (!attr.valid()) {
    fail("no attribute \"" + attribute + "\"");
  }
  Id space(H5Aget_space(attr.get()));
  const hssize_t points = H5Sget_simple_extent_npoints(space.get());
  return points > 0 ? static_cast<std::size_t>(points) : 0;
}

void Object::read_numeric_attribute(const std::string& attribute, ElementType type, void* out,
                                    std::size_t count) const {
  if (count == 0) {
    return;
  }
  Id attr(H5Aopen(id(), attribute.c_str(), H5P_DEFAULT));
  if (!attr.valid()) {
    fail("no attribute \"" + attribute + "\"");
  }
  Id file_type(H5Aget_type(attr.get()));
  const H5T_class_t type_class = H5Tget_class(file_type.get());
  if (type_class != H5T_INTEGER && type_class != H5T_FLOAT) {
    fail("attribute \"" + attribute + "\" is not numeric");
  }
  if (H5Aread(attr.get(), native_type(type), out) < 0) {
    fail("cannot read attribute \"" + attribute + "\" as " + element_type_name(type));
  }
}

std::string Object::string_attribute(const std::string& attribute) const {
  const std::vector<std::string> values = strings_attribute(attribute);
  if (values.size() != 1) {
    fail("attribute \"" + attribute + "\" holds " + std::to_string(values.size()) +
         " strings, expected one");
  }
  return values[0];
}

double Object::double_attribute(const std::string& attribute) const {
  if (attribute_size(attribute) != 1) {
    fail("attribute \"" + attribute + "\" is not a single value");
  }
  double value = 0.0;
  read_numeric_attribute(attribute, ElementType::float64, &value, 1);
  return value;
}

std::int64_t Object::int64_attribute(const std::string& attribute) const {
  if (attribute_size(attribute) != 1) {
    fail("attribute \"" + attribute + "\" is not a single value");
  }
  std::int64_t value = 0;
  read_numeric_attribute(attribute, ElementType::int64, &value, 1);
  return value;
}

std::vector<double> Object::doubles_attribute(const std::string& attribute) const {
  std::vector<double> values(attribute_size(attribute));
  read_numeric_attribute(attribute, ElementType::float64, values.data(), values.size());
  return values;
}

std::vector<std::int64_t> Object::int64s_attribute(const std::string& attribute) const {
  std::vector<std::int64_t> values(attribute_size(attribute));
  read_numeric_attribute(attribute, ElementType::int64, values.data(), values.size());
  return values;
}

std::vector<std::string> Object::strings_attribute(const std::string& attribute) const {
  const std::size_t count = attribute_size(attribute);
  Id attr(H5Aopen(id(), attribute.c_str(), H5P_DEFAULT));
  Id file_type(H5Aget_type(attr.get()));
  Id space(H5Aget_space(attr.get()));
  return read_string_elements(
      file_type.get(), space.get(), count,
      [&](hid_t memory_type, void* buffer) { return H5Aread(attr.get(), memory_type, buffer); },
      [&](const std::string& what) { fail("attribute \"" + attribute + "\" " + what); });
}

StringKind Object::string_kind(const std::string& attribute) const {
  Id attr(H5Aopen(id(), attribute.c_str(), H5P_DEFAULT));
  if (!attr.valid()) {
    fail("no attribute \"" + attribute + "\"");
  }
  Id type(H5Aget_type(attr.get()));
  if (H5Tget_class(type.get()) != H5T_STRING) {
    fail("attribute \"" + attribute + "\" does not hold strings");
  }
  if (H5Tis_variable_str(type.get()) > 0) {
    return H5Tget_cset(type.get()) == H5T_CSET_UTF8 ? StringKind::variable_utf8
                                                    : StringKind::variable_ascii;
  }
  return H5Tget_cset(type.get()) == H5T_CSET_UTF8 ? StringKind::fixed_utf8
                                                  : StringKind::fixed_ascii;
}

bool Object::attribute_is_scalar(const std::string& attribute) const {
  Id attr(H5Aopen(id(), attribute.c_str(), H5P_DEFAULT));
  if (!attr.valid()) {
    fail("no attribute \"" + attribute + "\"");
  }
  Id space(H5Aget_space(attr.get()));
  return H5Sget_simple_extent_type(space.get()) == H5S_SCALAR;
}

// ---------------------------------------------------------------- Dataset

std::vector<hsize_t> Dataset::shape() const {
  Id space(H5Dget_space(id()));
  if (!space.valid()) {
    fail("cannot read the dataset's shape");
  }
  return extent_of(space.get());
}

std::size_t Dataset::size() const {
  return static_cast<std::size_t>(product(shape()));
}

hsize_t Dataset::rows() const {
  const std::vector<hsize_t> dims = shape();
  return dims.empty() ? 1 : dims[0];
}

std::size_t Dataset::row_size() const {
  return static_cast<std::size_t>(product(shape(), 1));
}

ElementType Dataset::element_type() const {
  Id type(H5Dget_type(id()));
  if (!type.valid()) {
    fail("cannot read the dataset's type");
  }
  return classify(type.get());
}

void Dataset::read_into(ElementType type, void* out, hsize_t first, hsize_t count) const {
  const ElementType stored = element_type();
  if (stored != type) {
    fail(std::string("holds ") + element_type_name(stored) + ", read as " +
         element_type_name(type));
  }
  // HDF5 converts an enumerated type only to another enumerated type: read one as its native
  // enumerated type, whose values are laid out as the base integers.
  Id file_type(H5Dget_type(id()));
  Id enum_memory_type;
  if (H5Tget_class(file_type.get()) == H5T_ENUM) {
    enum_memory_type = Id(H5Tget_native_type(file_type.get(), H5T_DIR_ASCEND));
  }
  const hid_t memory_type = enum_memory_type.valid() ? enum_memory_type.get() : native_type(type);
  const std::vector<hsize_t> dims = shape();
  if (dims.empty()) {  // scalar dataset
    if (H5Dread(id(), memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, out) < 0) {
      fail("cannot read");
    }
    return;
  }
  if (first + count > dims[0]) {
    fail("rows [" + std::to_string(first) + ", " + std::to_string(first + count) +
         ") are beyond its " + std::to_string(dims[0]) + " rows");
  }
  if (count == 0 || product(dims, 1) == 0) {
    return;
  }
  Id file_space(H5Dget_space(id()));
  std::vector<hsize_t> start(dims.size(), 0), block = dims;
  start[0] = first;
  block[0] = count;
  const hsize_t memory_dims[1] = {product(block)};
  Id memory_space(H5Screate_simple(1, memory_dims, nullptr));
  if (H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, start.data(), nullptr, block.data(),
                          nullptr) < 0 ||
      H5Dread(id(), memory_type, memory_space.get(), file_space.get(), H5P_DEFAULT, out) < 0) {
    fail("cannot read rows");
  }
}

std::vector<std::string> Dataset::read_strings() const {
  Id file_type(H5Dget_type(id()));
  Id space(H5Dget_space(id()));
  return read_string_elements(
      file_type.get(), space.get(), size(),
      [&](hid_t memory_type, void* buffer) {
        return H5Dread(id(), memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer);
      },
      [&](const std::string& what) { fail(what); });
}

std::vector<EnumMember> Dataset::enum_members() const {
  Id type(H5Dget_type(id()));
  std::vector<EnumMember> members;
  if (H5Tget_class(type.get()) != H5T_ENUM) {
    return members;
  }
  const int n = H5Tget_nmembers(type.get());
  for (int k = 0; k < n; ++k) {
    char* name = H5Tget_member_name(type.get(), static_cast<unsigned>(k));
    EnumMember member;
    member.name = name ? name : "";
    H5free_memory(name);
    long long value = 0;
    // Read the member's value converted to a native integer of the base's size.
    Id base(H5Tget_super(type.get()));
    std::vector<unsigned char> raw(H5Tget_size(base.get()));
    H5Tget_member_value(type.get(), static_cast<unsigned>(k), raw.data());
    if (raw.size() == sizeof(std::int32_t)) {
      std::int32_t v;
      std::memcpy(&v, raw.data(), sizeof v);
      value = v;
    } else if (raw.size() == sizeof(std::int64_t)) {
      std::int64_t v;
      std::memcpy(&v, raw.data(), sizeof v);
      value = v;
    } else {
      fail("enumerated type with a " + std::to_string(raw.size()) + "-byte base");
    }
    member.value = static_cast<std::int32_t>(value);
    members.push_back(member);
  }
  std::sort(members.begin(), members.end(),
            [](const EnumMember& a, const EnumMember& b) { return a.value < b.value; });
  return members;
}

// ---------------------------------------------------------------- Series

std::vector<hsize_t> Series::row_shape() const {
  std::vector<hsize_t> dims = shape();
  return std::vector<hsize_t>(dims.begin() + 1, dims.end());
}

void Series::append_rows(ElementType type, const void* data, std::size_t count,
                         hsize_t n_rows) const {
  const ElementType stored = element_type();
  if (stored != type) {
    fail(std::string("holds ") + element_type_name(stored) + ", appended " +
         element_type_name(type));
  }
  std::vector<hsize_t> dims = shape();
  const hsize_t per_row = product(dims, 1);
  if (count != n_rows * per_row) {
    throw std::invalid_argument(file_path_ + ": " + name_ + ": appended " + std::to_string(count) +
                                " values, a row holds " + std::to_string(per_row));
  }
  std::vector<hsize_t> start(dims.size(), 0), block = dims;
  start[0] = dims[0];
  block[0] = n_rows;
  dims[0] += n_rows;
  if (H5Dset_extent(id(), dims.data()) < 0) {
    fail("cannot extend to " + std::to_string(dims[0]) + " rows");
  }
  if (count == 0) {
    return;
  }
  Id file_space(H5Dget_space(id()));
  const hsize_t memory_dims[1] = {count};
  Id memory_space(H5Screate_simple(1, memory_dims, nullptr));
  if (H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, start.data(), nullptr, block.data(),
                          nullptr) < 0 ||
      H5Dwrite(id(), native_type(type), memory_space.get(), file_space.get(), H5P_DEFAULT, data) <
          0) {
    fail("cannot write row " + std::to_string(start[0]));
  }
}

void Series::truncate(hsize_t n_rows) const {
  std::vector<hsize_t> dims = shape();
  if (n_rows > dims[0]) {
    fail("cannot cut back to " + std::to_string(n_rows) + " rows: it has only " +
         std::to_string(dims[0]));
  }
  dims[0] = n_rows;
  if (H5Dset_extent(id(), dims.data()) < 0) {
    fail("cannot cut back to " + std::to_string(n_rows) + " rows");
  }
  flush();
}

void Series::flush() const {
  if (H5Fflush(id(), H5F_SCOPE_GLOBAL) < 0) {
    fail("cannot flush the file");
  }
}

// ---------------------------------------------------------------- Group

Group Group::group(const std::string& path) const {
  Id group(H5Gopen2(id(), path.c_str(), H5P_DEFAULT));
  if (!group.valid()) {
    throw_error(file_path_, child_name(path), "cannot open group");
  }
  return Group(std::move(group), file_path_, child_name(path));
}

Group Group::create_group(const std::string& path) const {
  Id link_properties(H5Pcreate(H5P_LINK_CREATE));
  H5Pset_create_intermediate_group(link_properties.get(), 1);
  Id group(H5Gcreate2(id(), path.c_str(), link_properties.get(), H5P_DEFAULT, H5P_DEFAULT));
  if (!group.valid()) {
    throw_error(file_path_, child_name(path), "cannot create group");
  }
  return Group(std::move(group), file_path_, child_name(path));
}

Group Group::require_group(const std::string& path) const {
  return exists(path) ? group(path) : create_group(path);
}

bool Group::exists(const std::string& path) const {
  // H5Lexists fails (rather than answering false) when an intermediate link is missing, so
  // check the path one link at a time.
  std::size_t end = path.empty() || path[0] != '/' ? 0 : 1;
  while (end != std::string::npos) {
    end = path.find('/', end + 1);
    const std::string prefix = path.substr(0, end);
    if (prefix.empty() || prefix == "/") {
      continue;
    }
    const htri_t found = H5Lexists(id(), prefix.c_str(), H5P_DEFAULT);
    if (found <= 0) {
      H5Eclear2(H5E_DEFAULT);
      return false;
    }
  }
  return true;
}

bool Group::is_group(const std::string& path) const {
  if (!exists(path)) {
    return false;
  }
  Id object(H5Oopen(id(), path.c_str(), H5P_DEFAULT));
  return object.valid() && H5Iget_type(object.get()) == H5I_GROUP;
}

void Group::remove(const std::string& path) const {
  if (H5Ldelete(id(), path.c_str(), H5P_DEFAULT) < 0) {
    throw_error(file_path_, child_name(path), "cannot remove");
  }
}

std::vector<std::string> Group::member_names() const {
  H5G_info_t info;
  if (H5Gget_info(id(), &info) < 0) {
    fail("cannot list members");
  }
  std::vector<std::string> names;
  for (hsize_t i = 0; i < info.nlinks; ++i) {
    const ssize_t length =
        H5Lget_name_by_idx(id(), ".", H5_INDEX_NAME, H5_ITER_INC, i, nullptr, 0, H5P_DEFAULT);
    if (length < 0) {
      fail("cannot list members");
    }
    std::string name(static_cast<std::size_t>(length) + 1, '\0');
    H5Lget_name_by_idx(id(), ".", H5_INDEX_NAME, H5_ITER_INC, i, name.data(), name.size(),
                       H5P_DEFAULT);
    name.resize(static_cast<std::size_t>(length));
    names.push_back(name);
  }
  return names;
}

Dataset Group::dataset(const std::string& path) const {
  Id dataset(H5Dopen2(id(), path.c_str(), H5P_DEFAULT));
  if (!dataset.valid()) {
    throw_error(file_path_, child_name(path), "cannot open dataset");
  }
  return Dataset(std::move(dataset), file_path_, child_name(path));
}

Dataset Group::write_dataset(const std::string& path, ElementType type, const void* data,
                             std::size_t count, const std::vector<hsize_t>& shape) const {
  const std::vector<hsize_t> dims = shape.empty() ? std::vector<hsize_t>{count} : shape;
  if (product(dims) != count) {
    throw std::invalid_argument(file_path_ + ": " + child_name(path) + ": " +
                                std::to_string(count) + " values do not fill the given shape");
  }
  Id space(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr));
  Id string_type;
  hid_t memory_type;
  if (type == ElementType::string) {
    string_type = variable_string_type();
    memory_type = string_type.get();
  } else {
    memory_type = native_type(type);
  }
  Id link_properties(H5Pcreate(H5P_LINK_CREATE));
  H5Pset_create_intermediate_group(link_properties.get(), 1);
  Id dataset(H5Dcreate2(id(), path.c_str(), memory_type, space.get(), link_properties.get(),
                        H5P_DEFAULT, H5P_DEFAULT));
  if (!dataset.valid()) {
    throw_error(file_path_, child_name(path), "cannot create dataset");
  }
  if (count > 0 && H5Dwrite(dataset.get(), memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) < 0) {
    throw_error(file_path_, child_name(path), "cannot write dataset");
  }
  return Dataset(std::move(dataset), file_path_, child_name(path));
}

Dataset Group::write(const std::string& path, const std::vector<std::string>& values,
                     const std::vector<hsize_t>& shape) const {
  std::vector<const char*> pointers;
  for (const std::string& value : values) {
    pointers.push_back(value.c_str());
  }
  return write_dataset(path, ElementType::string, pointers.data(), pointers.size(), shape);
}

Dataset Group::write_enum(const std::string& path, const std::vector<std::int32_t>& values,
                          const std::vector<EnumMember>& members) const {
  Id type(H5Tenum_create(H5T_NATIVE_INT32));
  for (const EnumMember& member : members) {
    if (H5Tenum_insert(type.get(), member.name.c_str(), &member.value) < 0) {
      throw_error(file_path_, child_name(path),
                  "cannot add member \"" + member.name + "\" to an enumerated type");
    }
  }
  for (const std::int32_t value : values) {
    if (std::none_of(members.begin(), members.end(),
                     [value](const EnumMember& m) { return m.value == value; })) {
      throw std::invalid_argument(file_path_ + ": " + child_name(path) + ": value " +
                                  std::to_string(value) + " is none of the enumeration's members");
    }
  }
  const hsize_t dims[1] = {values.size()};
  Id space(H5Screate_simple(1, dims, nullptr));
  Id link_properties(H5Pcreate(H5P_LINK_CREATE));
  H5Pset_create_intermediate_group(link_properties.get(), 1);
  Id dataset(H5Dcreate2(id(), path.c_str(), type.get(), space.get(), link_properties.get(),
                        H5P_DEFAULT, H5P_DEFAULT));
  if (!dataset.valid() || (!values.empty() && H5Dwrite(dataset.get(), type.get(), H5S_ALL, H5S_ALL,
                                                       H5P_DEFAULT, values.data()) < 0)) {
    throw_error(file_path_, child_name(path), "cannot write enumerated dataset");
  }
  return Dataset(std::move(dataset), file_path_, child_name(path));
}

void Group::link(const std::string& existing, const std::string& link_path) const {
  Id link_properties(H5Pcreate(H5P_LINK_CREATE));
  H5Pset_create_intermediate_group(link_properties.get(), 1);
  if (H5Lcreate_hard(id(), existing.c_str(), id(), link_path.c_str(), link_properties.get(),
                     H5P_DEFAULT) < 0) {
    throw_error(file_path_, child_name(link_path), "cannot link to " + child_name(existing));
  }
}

Series Group::create_series_of(const std::string& path, ElementType type,
                               const std::vector<hsize_t>& row_shape, hsize_t chunk_rows) const {
  const hsize_t row_elements = product(row_shape);
  if (row_elements == 0) {
    throw std::invalid_argument(file_path_ + ": " + child_name(path) +
                                ": a series row must hold at least one value");
  }
  const hsize_t row_bytes = row_elements * H5Tget_size(native_type(type));
  if (chunk_rows == 0) {
    constexpr hsize_t kTargetChunkBytes = 256 * 1024;
    chunk_rows = std::max<hsize_t>(1, std::min<hsize_t>(1024, kTargetChunkBytes / row_bytes));
  }
  if (chunk_rows * row_bytes >= (hsize_t{1} << 32)) {
    throw std::invalid_argument(file_path_ + ": " + child_name(path) +
                                ": one row is larger than HDF5's 4 GiB chunk limit");
  }
  std::vector<hsize_t> dims{0}, max_dims{H5S_UNLIMITED}, chunk{chunk_rows};
  for (hsize_t extent : row_shape) {
    dims.push_back(extent);
    max_dims.push_back(extent);
    chunk.push_back(extent);
  }
  Id space(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), max_dims.data()));
  Id creation(H5Pcreate(H5P_DATASET_CREATE));
  H5Pset_chunk(creation.get(), static_cast<int>(chunk.size()), chunk.data());
  Id link_properties(H5Pcreate(H5P_LINK_CREATE));
  H5Pset_create_intermediate_group(link_properties.get(), 1);
  Id dataset(H5Dcreate2(id(), path.c_str(), native_type(type), space.get(), link_properties.get(),
                        creation.get(), H5P_DEFAULT));
  if (!dataset.valid()) {
    throw_error(file_path_, child_name(path), "cannot create series");
  }
  return Series(std::move(dataset), file_path_, child_name(path));
}

Series Group::series(const std::string& path) const {
  Id dataset(H5Dopen2(id(), path.c_str(), H5P_DEFAULT));
  if (!dataset.valid()) {
    throw_error(file_path_, child_name(path), "cannot open series");
  }
  Id space(H5Dget_space(dataset.get()));
  const int rank = H5Sget_simple_extent_ndims(space.get());
  std::vector<hsize_t> dims(rank > 0 ? rank : 0), max_dims(dims.size());
  if (rank > 0) {
    H5Sget_simple_extent_dims(space.get(), dims.data(), max_dims.data());
  }
  if (rank < 1 || max_dims[0] != H5S_UNLIMITED) {
    throw_error(file_path_, child_name(path), "is not an appendable series");
  }
  return Series(std::move(dataset), file_path_, child_name(path));
}

// ---------------------------------------------------------------- File

File File::create(const std::string& path) {
  silence_hdf5_error_printing();
  Id access(H5Pcreate(H5P_FILE_ACCESS));
#if H5_VERSION_GE(1, 10, 7)
  // Keep HDF5's lock (two runs must not write one file) but do not fail on file systems
  // without locking.
  H5Pset_file_locking(access.get(), 1, 1);
#endif
  Id file(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, access.get()));
  if (!file.valid()) {
    throw_error(path, "/", "cannot create the file");
  }
  return File(std::move(file), path);
}

File File::open_read_only(const std::string& path) {
  silence_hdf5_error_printing();
  auto open_with_locking = [&path](bool use_locking) {
    Id access(H5Pcreate(H5P_FILE_ACCESS));
#if H5_VERSION_GE(1, 10, 7)
    H5Pset_file_locking(access.get(), use_locking, 1);
#endif
    return Id(H5Fopen(path.c_str(), H5F_ACC_RDONLY, access.get()));
  };
  Id file = open_with_locking(false);
  if (!file.valid()) {
    // HDF5 refuses a second open with other locking flags when this process already has the
    // file open (a writer reading back its own output): open it the way the writer did.
    const std::string first_failure = innermost_hdf5_message();
    file = open_with_locking(true);
    if (!file.valid()) {
      H5Eclear2(H5E_DEFAULT);
      throw Hdf5Error(path + ": /: cannot open the file for reading (HDF5: " + first_failure + ")");
    }
  }
  return File(std::move(file), path);
}

File File::open_read_write(const std::string& path) {
  silence_hdf5_error_printing();
  Id access(H5Pcreate(H5P_FILE_ACCESS));
#if H5_VERSION_GE(1, 10, 7)
  H5Pset_file_locking(access.get(), 1, 1);
#endif
  Id file(H5Fopen(path.c_str(), H5F_ACC_RDWR, access.get()));
  if (!file.valid()) {
    throw_error(path, "/", "cannot open the file for writing");
  }
#if H5_VERSION_GE(1, 10, 2)
  // A writer killed inside H5Fflush may have written metadata that points past the end of
  // the file recorded in the superblock (written last), and HDF5 then refuses to read those
  // objects ("addr overflow"). The space itself was written; taking the physical end of the
  // file as the recorded end makes the objects readable again, so that a restart can cut the
  // series back to its checkpoint.
  haddr_t recorded_end = 0;
  std::error_code error;
  const std::uintmax_t physical_end = std::filesystem::file_size(path, error);
  if (!error && H5Fget_eoa(file.get(), &recorded_end) >= 0 && physical_end > recorded_end) {
    H5Fincrement_filesize(file.get(), 0);
  }
#endif
  return File(std::move(file), path);
}

void File::flush() const {
  if (H5Fflush(id(), H5F_SCOPE_GLOBAL) < 0) {
    fail("cannot flush the file");
  }
}

void File::close() {
  if (!id_.valid()) {
    return;
  }
  if (H5Fclose(id_.release()) < 0) {
    fail("cannot close the file");
  }
}

}  // namespace hdf5
}  // namespace glassland
