#!/usr/bin/python3
"""A glassland md trajectory as the field's tools read it (CTest: h5md_mdanalysis).

Runs `glassland run` on a small NPT md input (box changing in time, sheared so it is triclinic,
thermo records at another stride than the frames), then reads trajectory.h5md with MDAnalysis's
H5MDReader (Debian 12's python3-mdanalysis 2.4.2, default convert_units=True) and checks its
positions, velocities, forces, box and time against the H5MD datasets read with h5py; and checks
with h5py what H5MD 1.1 and its units module ask of the files (docs/tasks.md, "Output files").
Oracles: h5py's view of the datasets (MDAnalysis converts nothing for Angstrom, ps and kJ mol-1
Angstrom-1, so its float32 numbers are the datasets' rounded to float32), box lengths and angles
recomputed from the edge vectors with numpy, and the LAMMPS dump's eV/Å forces for the force unit.

Usage: h5md_mdanalysis_check.py GLASSLAND_PROGRAM SCRATCH_DIRECTORY
"""
import json
import os
import re
import shutil
import subprocess
import sys
import warnings

import h5py
import numpy as np

warnings.simplefilter("ignore", DeprecationWarning)
import MDAnalysis as mda  # noqa: E402

EV_TO_KJ_PER_MOL = 1.602176634e-19 * 6.02214076e23 / 1000.0
THERMO = ["temperature", "pressure", "volume", "potential_energy", "kinetic_energy", "enthalpy",
          "target_temperature", "conserved_energy"]
# units module 1.0: factors separated by one space, an optional leading number, symbols with an
# optional signed non-zero power, each symbol once.
UNIT_FACTOR = re.compile(r"^[A-Za-z]+([+-]?0*[1-9][0-9]*)?$")


def check(condition, message):
    if not condition:
        raise AssertionError(message)


def is_h5md_unit(unit):
    factors = unit.split(" ")
    if "" in factors:
        return False
    symbols = [re.match(r"[A-Za-z]+", f).group(0) for f in factors if UNIT_FACTOR.match(f)]
    return len(symbols) == len(factors) and len(set(symbols)) == len(symbols)


def run_md(program, directory):
    shutil.rmtree(directory, ignore_errors=True)
    os.makedirs(directory)
    config = {
        "task": "md",
        "system": {"build": {"lattice": "b2", "cells": [6, 6, 6], "seed": 2}, "replicas": 2},
        "md": {"steps": 30, "ensemble": "npt", "temperature": [1200, 1000],
               "barostat": {"pressure": 5000, "tau": 0.2, "coupling": "triclinic"},
               "shear": {"strain_xy": 0.05, "strain_xz": 0.0, "strain_yz": 0.02}},
        "output": {"directory": directory + "/out", "thermo_stride": 5, "trajectory_stride": 10,
                   "dump_stride": 10, "velocities": True, "forces": True, "quiet": True,
                   "thermo_print_stride": 0, "author": "Ada Lovelace"},
    }
    with open(directory + "/input.json", "w") as f:
        json.dump(config, f)
    subprocess.run([program, "run", directory + "/input.json"], check=True)
    return directory + "/out"


def box_lengths_and_angles(edges):
    a, b, c = edges
    length = np.linalg.norm
    angle = lambda u, v: np.degrees(np.arccos(np.dot(u, v) / (length(u) * length(v))))
    return np.array([length(a), length(b), length(c), angle(b, c), angle(a, c), angle(a, b)])


def check_with_mdanalysis(out):
    """Replica 0 (MDAnalysis reads the first particle group) against the H5MD datasets."""
    universe = mda.Universe(out + "/final_0000.data", out + "/trajectory.h5md", format="H5MD",
                            topology_format="DATA", atom_style="id type x y z")
    with h5py.File(out + "/trajectory.h5md", "r") as f:
        p = f["particles/replica_0000"]
        check(universe.trajectory.n_frames == 4, universe.trajectory.n_frames)
        check(universe.trajectory.units["force"] == "kJ/(mol*Angstrom)", universe.trajectory.units)
        for ts in universe.trajectory:
            k = ts.frame
            check(np.array_equal(ts.positions, p["position/value"][k].astype(np.float32)),
                  f"positions of frame {k}")
            check(np.array_equal(ts.velocities, p["velocity/value"][k].astype(np.float32)),
                  f"velocities of frame {k}")
            check(np.array_equal(ts.forces, p["force/value"][k].astype(np.float32)),
                  f"forces of frame {k}")
            check(ts.time == p["position/time"][k], (ts.time, p["position/time"][k]))
            check(ts.data["step"] == p["position/step"][k] == 10 * k, ts.data)
            expected = box_lengths_and_angles(p["box/edges/value"][k])
            check(np.allclose(ts.dimensions, expected, rtol=1e-5), (ts.dimensions, expected))
            # No thermo observable is paired with a frame: they live in results.h5 at their own
            # steps (thermo_stride 5 here, frames every 10).
            check(not set(THERMO) & set(ts.data), sorted(ts.data))
        check(abs(universe.trajectory[0].dimensions[5] - 90.0) > 1.0, "the box is not sheared")


def walk(group, path=""):
    for name, item in group.items():
        full = path + "/" + name
        yield full, item
        if isinstance(item, h5py.Group):
            yield from walk(item, full)


def string_kind(attribute_id):
    kind = attribute_id.get_type()
    if kind.is_variable_str():
        return "variable-" + ("utf8" if kind.get_cset() == h5py.h5t.CSET_UTF8 else "ascii")
    return "fixed-" + ("utf8" if kind.get_cset() == h5py.h5t.CSET_UTF8 else "ascii")


def check_h5md_layout(path, particles_expected):
    with h5py.File(path, "r") as f:
        check(list(f["h5md"].attrs["version"]) == [1, 1], "h5md version")
        for group, name in [("h5md/author", "name"), ("h5md/creator", "name"),
                            ("h5md/creator", "version")]:
            attribute = h5py.h5a.open(f[group].id, name.encode())
            check(string_kind(attribute) == "fixed-ascii", f"{path}: {group}/{name}")
        check(f["h5md/author"].attrs["name"] == b"Ada Lovelace", f["h5md/author"].attrs["name"])
        units = f["h5md/modules/units"]
        check(list(units.attrs["version"]) == [1, 0], "units module version")
        check(units.attrs["system"] == "SI", units.attrs["system"])
        check(string_kind(h5py.h5a.open(units.id, b"system")) == "variable-ascii", "system")
        for name, item in walk(f):
            if isinstance(item, h5py.Dataset):
                check(item.size > 0, f"{path}: {name} is empty")
                if "unit" in item.attrs:
                    unit = item.attrs["unit"]
                    check(is_h5md_unit(unit), f"{path}: {name}: unit {unit!r}")
                    check(string_kind(h5py.h5a.open(item.id, b"unit")) == "variable-ascii",
                          f"{path}: {name}: unit string")
            elif isinstance(item, h5py.Group):
                check(len(item) > 0 or name.startswith("/h5md"), f"{path}: {name} is empty")
        check(("particles" in f) == particles_expected, f"{path}: particles")
        check(("observables" in f) != particles_expected, f"{path}: observables")


def check_particles(out):
    with h5py.File(out + "/trajectory.h5md", "r") as f:
        for r in range(2):
            p = f[f"particles/replica_{r:04d}"]
            check(h5py.check_enum_dtype(p["species"].dtype) == {"Cu": 1, "Zr": 2}, "species")
            species = p["species"][:]
            check(np.array_equal(p["mass"][:], np.where(species == 1, 63.546, 91.224)), "mass")
            check(p["mass"].attrs["unit"] == "u", "mass unit")
            check(np.array_equal(p["id"][:], np.arange(1, 433)), "ids")
            check(list(p["box"].attrs["boundary"]) == [b"periodic"] * 3, "boundary")
            check(p["box/offset/value"].shape == (4, 3), p["box/offset/value"].shape)
            # step and time are hard links to position's (H5MD 1.1 for box and image).
            for element in ["box/edges", "box/offset", "image", "velocity", "force"]:
                check(p[element + "/step"].id == p["position/step"].id, element)
                check(p[element + "/time"].id == p["position/time"].id, element)
            check_forces_against_dump(out, r, p)


def check_forces_against_dump(out, replica, particles):
    """The dump's forces (LAMMPS metal, eV/Å) are the trajectory's, in kJ mol-1 Angstrom-1."""
    with open(f"{out}/dump/replica_{replica:04d}.lammpstrj") as dump:
        lines = dump.read().splitlines()
    frames = [i for i, line in enumerate(lines) if line.startswith("ITEM: ATOMS")]
    check(len(frames) == 4, len(frames))
    columns = lines[frames[-1]].split()[2:]
    rows = np.array([line.split() for line in lines[frames[-1] + 1:frames[-1] + 433]])
    fx = rows[:, columns.index("fx"):columns.index("fz") + 1].astype(float)
    h5 = particles["force/value"][3]
    check(np.allclose(fx * EV_TO_KJ_PER_MOL, h5, rtol=1e-13, atol=1e-12), "force units")


def main():
    program, directory = sys.argv[1], sys.argv[2]
    out = run_md(program, directory)
    check_with_mdanalysis(out)
    check_h5md_layout(out + "/trajectory.h5md", particles_expected=True)
    check_h5md_layout(out + "/results.h5", particles_expected=False)
    check_particles(out)
    with h5py.File(out + "/results.h5", "r") as f:
        check(list(f["observables/temperature/step"][:]) == list(range(0, 31, 5)), "thermo steps")
        check(f["observables/volume/value"].attrs["unit"] == "Angstrom+3", "volume unit")
    print("h5md_mdanalysis: MDAnalysis and h5py read glassland's H5MD as written")


if __name__ == "__main__":
    main()
