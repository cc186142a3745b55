"""Reading glassland's result files by name, tolerating fields added later.

Every failure is a PlotInputError naming the file and the dataset or JSON key that is missing
or malformed, so `glassland plot` can say what is wrong with which file.
"""
import dataclasses
import functools
import json
from pathlib import Path

import h5py
import numpy as np


class PlotInputError(Exception):
    """A result file that cannot be drawn, with the file and the reason."""


@functools.lru_cache(maxsize=64)
def _parsed_json(path, modified, size):
    with open(path, encoding="utf-8") as stream:
        return json.load(stream)


def read_json(path):
    """The parsed JSON document (parsed once per file, modification time and size: every
    recogniser looks at each JSON file; treat the result as read-only)."""
    path = Path(path)
    try:
        status = path.stat()
        return _parsed_json(path, status.st_mtime_ns, status.st_size)
    except OSError as error:
        raise PlotInputError(f"{path}: cannot read it ({error.strerror})") from error
    except json.JSONDecodeError as error:
        raise PlotInputError(f"{path}:{error.lineno}: not valid JSON ({error.msg})") from error


def key(document, path, name, kind=None):
    """document[name], or a PlotInputError naming the JSON file and key."""
    if not isinstance(document, dict) or name not in document:
        raise PlotInputError(f"{path}: missing JSON key '{name}'")
    value = document[name]
    if kind is not None and not isinstance(value, kind):
        raise PlotInputError(f"{path}: JSON key '{name}' has the wrong type "
                             f"({type(value).__name__})")
    return value


def number_or_nan(value):
    """JSON numbers; null (glassland's 'undefined') becomes NaN."""
    return float("nan") if value is None else float(value)


class H5:
    """A results.h5 opened read-only, with reads that name the file and dataset on failure."""

    def __init__(self, path):
        self.path = Path(path)
        try:
            self.file = h5py.File(self.path, "r")
        except OSError as error:
            raise PlotInputError(f"{self.path}: cannot open it as HDF5 ({error})") from error

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.file.close()

    def has(self, name):
        return name in self.file

    def array(self, name, dtype=float):
        if name not in self.file:
            raise PlotInputError(f"{self.path}: missing dataset '{name}'")
        data = self.file[name]
        if not isinstance(data, h5py.Dataset):
            raise PlotInputError(f"{self.path}: '{name}' is a group, not a dataset")
        return np.asarray(data[()], dtype=dtype) if dtype is not None else data[()]

    def scalar(self, name, dtype=float):
        values = np.ravel(self.array(name, dtype))
        if values.size != 1:
            raise PlotInputError(f"{self.path}: dataset '{name}' should hold one value, holds "
                                 f"{values.size}")
        return values[0]

    def text(self, name):
        value = np.ravel(self.array(name, dtype=None))[0]
        return value.decode() if isinstance(value, bytes) else str(value)

    def groups(self, name):
        """Names of the sub-groups of `name`, sorted."""
        if name not in self.file:
            raise PlotInputError(f"{self.path}: missing group '{name}'")
        return sorted(k for k, v in self.file[name].items() if isinstance(v, h5py.Group))

    def attribute(self, name, attribute, default=None):
        target = self.file[name] if name else self.file
        if attribute not in target.attrs:
            return default
        value = target.attrs[attribute]
        return value.decode() if isinstance(value, bytes) else value


def effective_configuration_text(h5_path):
    """The effective configuration stored in a results.h5 (task md/prepare/metad as
    /parameters/effective_configuration, task art as the root attribute effective_input), or
    None."""
    with H5(h5_path) as h5:
        if h5.has("parameters/effective_configuration"):
            return h5.text("parameters/effective_configuration")
        return h5.attribute("", "effective_input")


def observable(h5, name):
    """(step, time in ps, value[record][replica]) of observables/<name>."""
    base = f"observables/{name}"
    value = h5.array(base + "/value")
    if value.ndim == 1:
        value = value[:, None]
    return h5.array(base + "/step", dtype=np.int64), h5.array(base + "/time"), value


@dataclasses.dataclass
class LammpsData:
    ids: np.ndarray  # atom IDs
    types: np.ndarray  # atom types (1-based, as in the file)
    positions: np.ndarray  # Å, [atom][3]
    bounds: np.ndarray  # [[xlo, xhi], [ylo, yhi], [zlo, zhi]], Å
    masses: dict  # type -> amu (empty without a Masses section)

    def total_mass(self):
        """Sum of the atoms' masses, amu (PlotInputError without masses for every type)."""
        return float(sum(self.masses[t] for t in self.types))


def read_lammps_data(path):
    """A LAMMPS data file written by glassland: box, Masses and the Atoms section (atomic style:
    id type x y z [ix iy iz])."""
    path = Path(path)
    try:
        lines = path.read_text().splitlines()
    except OSError as error:
        raise PlotInputError(f"{path}: cannot read it ({error.strerror})") from error
    bounds, masses, sections = {}, {}, {}
    for number, line in enumerate(lines):
        words = line.split("#")[0].split()
        for axis in "xyz":
            if len(words) == 4 and words[2:] == [f"{axis}lo", f"{axis}hi"]:
                bounds[axis] = (float(words[0]), float(words[1]))
        if len(words) == 1 and words[0] in ("Masses", "Atoms", "Velocities"):
            sections[words[0]] = number
    if "Atoms" not in sections or len(bounds) != 3:
        raise PlotInputError(f"{path}: not a LAMMPS data file with a box and an Atoms section")
    for words in _section_rows(lines, sections.get("Masses")):
        masses[int(words[0])] = float(words[1])
    ids, types, positions = [], [], []
    for words in _section_rows(lines, sections["Atoms"]):
        try:
            ids.append(int(words[0]))
            types.append(int(words[1]))
            positions.append([float(w) for w in words[2:5]])
        except (ValueError, IndexError) as error:
            raise PlotInputError(f"{path}: Atoms line '{' '.join(words)}' is not atomic "
                                 "style (id type x y z)") from error
    missing = set(types) - set(masses)
    if masses and missing:
        raise PlotInputError(f"{path}: Masses has no mass for atom type(s) {sorted(missing)}")
    return LammpsData(np.array(ids), np.array(types), np.array(positions),
                      np.array([bounds["x"], bounds["y"], bounds["z"]]), masses)


def _section_rows(lines, header):
    """The split rows of the section whose header is at index `header` (None: no rows)."""
    if header is None:
        return
    started = False
    for line in lines[header + 1:]:
        words = line.split("#")[0].split()
        if not words:
            if started:
                return
            continue
        if not words[0].lstrip("-").replace(".", "", 1).isdigit():
            return
        started = True
        yield words
