#!/usr/bin/python3
"""Writes a synthetic H5MD trajectory for the analyze-dynamics benchmark (perf/README.md):
FRAMES frames of ATOMS atoms (half Cu, half Zr) doing Gaussian random walks (0.1 Å per axis and
frame) in a 40 Å periodic box, wrapped into the box with image counts, one frame per 0.1 ps.
Usage: make_random_walk_h5md.py OUT.h5 [FRAMES] [ATOMS]"""
import sys

import h5py
import numpy as np

out = sys.argv[1]
frames = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
atoms = int(sys.argv[3]) if len(sys.argv) > 3 else 4000
box = 40.0
rng = np.random.default_rng(1)
x = rng.uniform(0.0, box, (atoms, 3))
with h5py.File(out, "w") as f:
    f.create_group("h5md").attrs["version"] = np.array([1, 1], dtype=np.int32)
    g = f.create_group("particles/replica_0000")
    g["species"] = np.array([1 + (i % 2) for i in range(atoms)], dtype=np.int32)
    pos = g.create_dataset("position/value", (frames, atoms, 3), dtype="f8")
    img = g.create_dataset("image/value", (frames, atoms, 3), dtype="i4")
    for name in ("position", "image", "box/edges"):
        g[name + "/step"] = np.arange(frames, dtype=np.int64) * 100
        g[name + "/time"] = np.arange(frames, dtype=np.float64) * 0.1
    g["box/edges/value"] = np.tile(np.eye(3) * box, (frames, 1, 1))
    for k in range(frames):
        if k:
            x += rng.normal(0.0, 0.1, (atoms, 3))
        image = np.floor(x / box)
        pos[k] = x - image * box
        img[k] = image.astype(np.int32)
