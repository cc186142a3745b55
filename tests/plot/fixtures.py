"""Small real outputs of glassland's tasks for the plot tests, made at test time by the glassland
program (nothing binary is committed): a 2-replica glass preparation, 200 steps of md with
trajectory frames, metadynamics of 3 tracers in a 2000 K liquid with transmission shots, an ART
walk on a 300-atom packing with its event structures, NEB with shear on those events, the JSON of
every `glassland analyze` sub-command on the example tables of inputs/analyze/, a 3-replica
md liquid at 2200/2000/1800 K with `md.analysis` and frames every 0.01 ps ("trajectory"), with
`analyze dynamics|structure|cage-jumps` of it as JSON and HDF5 in trajectory/analyses/ (with the
layer profiles of a 100-step B2 slab at 1200 K, trajectory/slab/), and a
metad sweep over 2 temperatures × 2 pressures with its analysis chain (ΔS and V).

Each fixture's results are in $GLASSLAND_PLOT_FIXTURES/<name>/<name>/ (default
build/tests/plot/fixtures; the inner directory names the figures drawn into one -o directory),
made once (a stamp file marks it complete); CTest remakes them fresh in its setup tests
(tests/plot/CMakeLists.txt: `fixtures.py --fresh NAME`). Run as a script to make one.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[2]
PROGRAM = Path(os.environ.get("GLASSLAND_PROGRAM", REPOSITORY / "build" / "glassland"))
ROOT = Path(os.environ.get("GLASSLAND_PLOT_FIXTURES",
                           REPOSITORY / "build" / "tests" / "plot" / "fixtures"))
ANALYZE_INPUTS = REPOSITORY / "inputs" / "analyze"

TASKS = {
    "prepare": {
        "task": "prepare",
        "system": {"build": {"lattice": "b2", "cells": [6, 6, 6], "seeds": [1, 2]},
                   "replicas": 2},
        "prepare": {"melt": {"temperature": 2000, "steps": 100},
                    "cool": {"end_temperature": 1000, "rate": [1e15, 2e15], "stops": [1500]},
                    "equilibrate": {"steps": 50}, "minimize": {"method": "cg", "ftol": 1e-3}},
        "output": {"thermo_stride": 10, "quiet": True},
    },
    "md": {
        "task": "md",
        "system": {"build": {"lattice": "b2", "cells": [6, 6, 6], "seed": 1}, "replicas": 2},
        "md": {"steps": 200, "ensemble": "nvt", "temperature": [1500, 1200]},
        "output": {"thermo_stride": 10, "trajectory_stride": 50, "quiet": True},
    },
    "metad": {
        "task": "metad",
        "system": {"build": {"lattice": "b2", "cells": [6, 6, 6], "seeds": [3, 3, 3]}},
        "metad": {"temperature": 2000, "steps": 800, "thermostat": {"tau": 0.05},
                  "tracers": {"atom_ids": [20, 96, 200]}, "pace": 10, "sigma": 0.3,
                  "height": 0.05, "bias_temperature": 6000, "event_dwell": 0.2,
                  "event_prominence": 0.1, "stop_after_first_event": True, "nu0": 2e12,
                  "transmission": {"shots": 4, "equilibration_steps": 50,
                                   "decorrelation_steps": 10, "max_shot_time": 0.5}},
        "output": {"thermo_stride": 10, "quiet": True},
    },
    "art": {
        "task": "art",
        "system": {"build": {"lattice": "random", "atoms": 300, "number_density": 0.0576,
                             "min_separation": 2.1, "seed": 5},
                   "neighbor_skin": 0.5},
        "art": {"concurrent_searches": 4, "target_successes": 6, "max_attempts": 60, "seed": 4,
                "write_structures": True, "walk": True},
        "output": {"quiet": True},
    },
    "neb": {
        "task": "neb",
        "system": {"elements": ["Cu", "Zr"], "neighbor_skin": 0.5},
        "neb": {"art_events": "ART_EVENTS", "images": 5, "max_iterations": 300,
                "tolerance": 0.02, "shear": {"gamma_xy": [-0.01, 0, 0.01]}},
        "output": {"quiet": True},
    },
    "trajectory": {  # three temperatures: D(T) and cage-jump Arrhenius fits exist
        "task": "md",
        "system": {"build": {"lattice": "b2", "cells": [6, 6, 6], "seed": 1}, "replicas": 3},
        "md": {"steps": 400, "ensemble": "nvt", "temperature": [2200, 2000, 1800],
               "analysis": {"stride": 5, "max_lag": 40, "origin_stride": 2}},
        "output": {"thermo_stride": 20, "trajectory_stride": 5, "quiet": True},
    },
}
DEPENDENCIES = {"neb": ["art"], "analyze": ["prepare", "art"]}

# `glassland sweep`: 6 tracers of a 250-atom liquid at 2 temperatures × 2 pressures (50 NPT steps
# each), fast deposition, the first event of each tracer: bootstrap-weighted ΔS and V fits.
SWEEP = {
    "base": {
        "task": "metad",
        "system": {"build": {"lattice": "b2", "cells": [5, 5, 5], "seed": 3},
                   "neighbor_skin": 0.3},
        "metad": {"temperature": 2000, "steps": 1000, "equilibration_steps": 50, "pressure": 0,
                  "thermostat": {"tau": 0.05},
                  "tracers": {"atom_ids": [10, 50, 90, 130, 170, 210]}, "pace": 10,
                  "sigma": 0.3, "height": 0.1, "bias_temperature": 6000, "event_dwell": 0.2,
                  "event_prominence": 0.1, "stop_after_first_event": True, "nu0": 2e12},
        "output": {"thermo_stride": 10, "quiet": True},
    },
    "axes": {"metad.temperature": [2000, 2200], "metad.pressure": [0, 20000]},
    "chain": {"weighting": "bootstrap", "bootstrap": 200},
}

# Trajectory and structure analyses of the "trajectory" md run (docs/analysis.md), into
# trajectory/analyses/: output name -> arguments after `glassland analyze` (MD: the run's
# trajectory.h5md; DATA: its replica 0 final structure).
TRAJECTORY_ANALYSES = {
    "dynamics.json": ["dynamics", "MD"],
    "dynamics_h5.h5": ["dynamics", "MD"],
    "structure.json": ["structure", "DATA", "--elements", "Cu", "Zr"],
    "structure_h5.h5": ["structure", "DATA", "--elements", "Cu", "Zr"],
    "cage_jumps.json": ["cage-jumps", "MD", "--u2", "0.02", "--sample-ps", "0.01",
                        "--window-ps", "0.1", "--list-jumps"],
    "cage_jumps_h5.h5": ["cage-jumps", "MD", "--u2", "0.02", "--sample-ps", "0.01",
                         "--window-ps", "0.1"],
    "layers.json": ["structure", "SLAB", "--layers", "2.5", "--voronoi", "none"],
    "layers_h5.h5": ["structure", "SLAB", "--layers", "2.5", "--voronoi", "none"],
}

# A 432-atom B2 slab (10 Å of vacuum each side) at 1200 K for the layer profiles (SLAB above).
SLAB = {
    "task": "md",
    "system": {"build": {"lattice": "b2", "cells": [6, 6, 6], "seed": 5}, "slab": {}},
    "md": {"steps": 100, "ensemble": "nvt", "temperature": 1200},
    "output": {"thermo_stride": 50, "trajectory_stride": 10, "quiet": True},
}

# `glassland analyze` runs: output name -> arguments (paths absolute, so the fit's "source"
# is found from anywhere).
ANALYSES = {
    "barriers": ["barriers", "--bin-width", "0.1", "-T", "300", "--bootstrap", "200",
                 str(ANALYZE_INPUTS / "art_events.json")],
    "activation_temperature": ["activation"] + [str(ANALYZE_INPUTS / f"metad_summary_{t}K.json")
                                                for t in (300, 400, 500)],
    "activation_pressure": ["activation", "--variable", "pressure", "--atomic-volume", "17.3",
                            str(ANALYZE_INPUTS / "barriers_vs_pressure.csv")],
    "tst": ["tst", "--parameters", str(ANALYZE_INPUTS / "paper000_table1.json")],
    "fit_kink": ["fit", "--model", "kink", "--x", "temperature_K", "--y", "volume_A3",
                 str(ANALYZE_INPUTS / "glass_transition.csv")],
    "fit_arrhenius": ["fit", "--model", "arrhenius", "--x", "temperature_K", "--y",
                      "D_m2_per_s", str(ANALYZE_INPUTS / "liquid_diffusivity.csv")],
    "fit_linear": ["fit", "--model", "linear", "--x", "temperature_K", "--y", "volume_A3",
                   str(ANALYZE_INPUTS / "glass_transition.csv")],
    "fit_vft": ["fit", "--model", "vft", "--x", "temperature_K", "--y", "D_m2_per_s",
                str(ANALYZE_INPUTS / "liquid_diffusivity.csv")],
    "entropy_categorical": ["entropy", "--column", "index", "--categorical", "--weight-column",
                            "count", str(ANALYZE_INPUTS / "voronoi_counts.csv")],
    "entropy_histogram": ["entropy", "--column", "barrier_eV", "--bin-width", "0.05",
                          str(ANALYZE_INPUTS / "cu_barriers_300K.csv")],
}


def run(arguments, cwd=None):
    done = subprocess.run([str(PROGRAM)] + arguments, capture_output=True, text=True, cwd=cwd)
    if done.returncode != 0:
        raise RuntimeError(f"glassland {' '.join(arguments)} failed ({done.returncode}):\n"
                           f"{done.stdout}\n{done.stderr}")
    return done


def _make_task(name, directory):
    document = json.loads(json.dumps(TASKS[name]))
    document["output"]["directory"] = str(directory / name)
    if name == "neb":
        document["neb"]["art_events"] = str(ensure("art") / "events.json")
    (directory / "input.json").write_text(json.dumps(document, indent=1))
    run(["run", str(directory / "input.json")])


# ART events with planted barriers at three source temperatures (0.1 eV bins: counts per bin),
# the minimum of 500 K from the B2 structure written next to them.
PLANTED_COUNTS = {500: [0, 4, 4], 600: [0, 2, 3, 5], 700: [1, 1, 1, 1, 1, 1]}


def _events_by_temperature(directory):
    run(["build", "--lattice", "b2", "--cells", "3", "3", "3", "-o", str(directory / "b2.data")])
    events, minima = [], []
    for m, (temperature, counts) in enumerate(PLANTED_COUNTS.items()):
        minima.append({"minimum": m, "source_temperature_K": temperature})
        if temperature == 500:
            minima[-1]["path"] = str(directory / "b2.data")
        for b, count in enumerate(counts):
            events += [{"success": True, "minimum": m, "barrier_eV": 0.1 * b + 0.05,
                        "source_temperature_K": temperature}] * count
    path = directory / "events_by_temperature.json"
    path.write_text(json.dumps({"events": events, "minima": minima}))
    return path
def _make_sweep(directory):
    document = json.loads(json.dumps(SWEEP))
    document["output"] = {"directory": str(directory / "sweep"), "quiet": True}
    (directory / "sweep.json").write_text(json.dumps(document, indent=1))
    run(["sweep", "--quiet", str(directory / "sweep.json")])


def _make_analyses(directory):
    analyses = dict(ANALYSES)
    analyses["glass_transition"] = ["glass-transition",
                                    str(ensure("prepare") / "results.h5")]
    analyses["disconnectivity"] = ["disconnectivity", str(ensure("art")), "--levels", "8"]
    analyses["entropy_temperature"] = ["entropy-temperature", "--bin-width", "0.1",
                                       "--bootstrap", "50",
                                       str(_events_by_temperature(directory))]
    for name, arguments in analyses.items():
        run(["analyze"] + arguments + ["-o", str(directory / "analyze" / f"{name}.json")])


def _make_trajectory_analyses(directory):
    slab = dict(SLAB, output=dict(SLAB["output"], directory=str(directory / "slab")))
    (directory / "slab.json").write_text(json.dumps(slab, indent=1))
    run(["run", str(directory / "slab.json")])
    paths = {"MD": str(directory / "trajectory" / "trajectory.h5md"),
             "DATA": str(directory / "trajectory" / "final_0000.data"),
             "SLAB": str(directory / "slab" / "trajectory.h5md")}
    (directory / "analyses").mkdir(exist_ok=True)
    for name, arguments in TRAJECTORY_ANALYSES.items():
        run(["analyze"] + [paths.get(a, a) for a in arguments] +
            ["-o", str(directory / "analyses" / name)])


def ensure(name, fresh=False):
    """The output directory of fixture `name`, made first if it is missing or `fresh`."""
    directory = ROOT / name
    stamp = directory / "complete"
    if stamp.is_file() and not fresh:
        return directory / name
    for dependency in DEPENDENCIES.get(name, []):
        ensure(dependency)
    if directory.exists():
        shutil.rmtree(directory)
    (directory / name).mkdir(parents=True)
    if name == "analyze":
        _make_analyses(directory)
    elif name == "sweep":
        _make_sweep(directory)
    else:
        _make_task(name, directory)
    if name == "trajectory":
        _make_trajectory_analyses(directory)
    stamp.write_text("made by tests/plot/fixtures.py\n")
    return directory / name


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fresh", action="store_true", help="remake even if present")
    parser.add_argument("names", nargs="+", choices=list(TASKS) + ["analyze", "sweep"])
    arguments = parser.parse_args()
    for name in arguments.names:
        print(ensure(name, arguments.fresh))
    return 0


if __name__ == "__main__":
    sys.exit(main())
