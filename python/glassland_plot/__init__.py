"""glassland_plot: the figures of `glassland plot` (issue 19, SPEC.md §11).

`glassland plot RESULTS... [-o DIR]` runs this package with Debian's /usr/bin/python3. It
recognises each result (a directory, a results.h5, a summary or analysis JSON) and draws the
figures registered for its kind, as PNG and PDF. docs/plotting.md shows every figure and how to
add a figure type: one function in the module of its kind plus a @figure decorator.

Modules: cli (arguments, dependency check), registry (Result, recognisers, figure registry,
the run), style (palette, sizes, saving with metadata), readers (HDF5, JSON, LAMMPS data),
and one module of figures per kind: thermo (prepare, md), metad, art, neb, analyze.
"""
