"""The documents of the trajectory and structure analysis (docs/analysis.md): `glassland analyze
dynamics|structure|cage-jumps -o OUT.json` or `-o OUT.h5`, and md's on-the-fly analysis
(`md.analysis`: dynamics.json and dynamics.h5 next to md's results.h5).

The HDF5 form is the JSON tree written by host/io/json_hdf5.cpp: objects are groups, number
arrays datasets (arrays of equal-length number rows 2-D datasets), strings and numbers
attributes, null NaN, '/' in a key '|'; an array of objects is a group with members 0000, 0001,
.... `document(result)` gives either form as the parsed JSON (NaN where JSON has null), so the
figure makers read one thing.
"""
import math

import h5py
import numpy as np
from matplotlib import ticker

from glassland_plot import readers
from glassland_plot.readers import PlotInputError
from glassland_plot.registry import Result, recogniser

ANALYSIS_H5 = "analysis_h5"  # file role of an `analyze ... -o OUT.h5` document
MD_DYNAMICS = "dynamics"  # file role of md's dynamics.json / dynamics.h5


def _command_of_h5(path):
    try:
        with h5py.File(path, "r") as h5:
            command = h5.attrs.get("command")
    except OSError:
        return None
    return command.decode() if isinstance(command, bytes) else command


@recogniser
def recognise_trajectory_documents(path):
    """`analyze dynamics|structure|cage-jumps -o OUT.h5` (the JSON form is recognised by
    analyze.py's recogniser) and md's dynamics.json / dynamics.h5 (joined to the md result of
    their directory)."""
    if path.suffix == ".h5":
        command = _command_of_h5(path)
    elif path.suffix == ".json":
        parsed = readers.read_json(path)
        command = parsed.get("command") if isinstance(parsed, dict) else None
    else:
        return None
    if not isinstance(command, str):
        return None
    if command.startswith("task md"):
        return Result("md", path.parent, {MD_DYNAMICS: path}, path.parent.name)
    if command.startswith("analyze ") and path.suffix == ".h5":
        return Result("analyze_" + command.split()[1], path.parent, {ANALYSIS_H5: path},
                      path.stem)
    return None


def document(result, roles=("analysis", ANALYSIS_H5, MD_DYNAMICS)):
    """The analysis document of the result (JSON or HDF5 form) as a dict, with its path."""
    for role in roles:
        if role in result.files:
            path = result.files[role]
            if path.suffix == ".h5":
                return h5_document(path), path
            return readers.read_json(path), path
    raise PlotInputError(f"{result.base}: no analysis document for this {result.kind} result")


def h5_document(path):
    """The JSON tree of a document written as HDF5 (module docstring)."""
    try:
        with h5py.File(path, "r") as h5:
            return _group(h5)
    except OSError as error:
        raise PlotInputError(f"{path}: cannot open it as HDF5 ({error})") from error


def _value(value):
    if isinstance(value, bytes):
        return value.decode()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return [_value(v) for v in value]
    return value


def _group(group):
    out = {name.replace("|", "/"): _value(value) for name, value in group.attrs.items()}
    for name, item in group.items():
        key = name.replace("|", "/")
        if isinstance(item, h5py.Group):
            out[key] = _group(item)
        else:
            data = item[()]
            out[key] = [_value(v) for v in data] if isinstance(data, np.ndarray) else _value(
                data)
    for key, value in out.items():  # arrays of objects: groups of members 0000, 0001, ...
        if isinstance(value, dict) and value and all(
                len(k) == 4 and k.isdigit() for k in value):
            out[key] = [value[k] for k in sorted(value)]
    return out


def numbers(values):
    """A float array of JSON numbers (null and NaN as NaN)."""
    return np.array([math.nan if v is None else float(v) for v in values], dtype=float)


def series_of(document, path):
    """The series of a dynamics or cage-jumps document (each an object)."""
    series = readers.key(document, path, "series", list)
    if not series:
        raise PlotInputError(f"{path}: JSON key 'series' is empty")
    return series


def short_log_labels(ax):
    """Log-y tick labels written as 3 significant digits (0.9, 1, 3e-09; LogFormatter writes
    9×10⁻¹), the minor ticks labelled only when the axis spans less than a decade (then they
    are the only ticks with labels; over more they would crowd). Call after the data are drawn."""
    formatter = ticker.FuncFormatter(lambda value, _: f"{value:.3g}")
    ax.yaxis.set_major_formatter(formatter)
    low, high = ax.get_ylim()
    narrow = low > 0 and high / low < 10
    ax.yaxis.set_minor_formatter(formatter if narrow else ticker.NullFormatter())


def series_label(series, index):
    """'2000 K' when the series has a temperature, else its source (or 'series k')."""
    temperature = series.get("temperature_K")
    if isinstance(temperature, (int, float)) and math.isfinite(temperature):
        return f"{temperature:g} K"
    return str(series.get("source") or f"series {index}")
