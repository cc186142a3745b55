#!/usr/bin/env python3
"""The GPU check kit (perf/gpu/README.md, issue 18): one command that checks a CUDA build of
glassland on a GPU against references made on the CPU, and measures its throughput.

  kit.py inputs    --bin BIN --kit KIT [--size full|small]   structures and case parameters
  kit.py reference --bin BIN --kit KIT                       reference results (CPU build)
  kit.py device    --kit KIT --out OUT [--bin BIN] [--budget S] [--tests FILTER]
                                                             checks + throughput -> OUT

`inputs` and `reference` run on the development machine with the Serial (CPU) build;
`device` runs KIT/bin (the CUDA build) on the GPU machine: correctness against KIT/reference
with issue 18's tolerances, GPU-against-GPU bitwise batch invariance and restart,
compute-sanitizer memcheck and racecheck on small runs of eval, ART and NEB, the device test
runner, and throughput (EAM forces, MD, metad, ART, NEB) at R replicas of the throughput
structure. Results: OUT/results.json, OUT/summary.md, OUT/kit.log, OUT/device_tests.json,
OUT/sanitizer.log (at most 8 files, as the device tool returns them). The exit status is 1
when a check failed. Python 3.9+, standard library plus h5py and numpy for the HDF5 series.
"""
import argparse
import ctypes.util
import json
import math
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

# Issue 18's tolerances.
ENERGY_RELATIVE = 1e-10        # eval energy, relative
FORCE_ABSOLUTE = 1e-9          # eval forces, eV/Å
VIRIAL_RELATIVE = 1e-10        # eval virial, relative to its largest component
MINIMUM_PER_ATOM = 1e-8        # minimised energy, eV/atom
BARRIER_ABSOLUTE = 1e-5        # NEB barrier, eV
EIGENVALUE_ABSOLUTE = 1e-4     # Lanczos λ, eV/Å²
# MD and metad trajectories diverge (FMA contraction and summation order change the last bits,
# and the dynamics is chaotic), so they are compared statistically: early records while the
# trajectories still coincide, then means within Z_LIMIT combined standard errors.
EARLY_PE_PER_ATOM = 1e-7       # eV/atom, potential energy over the first EARLY_RECORDS records
EARLY_RECORDS = 4
Z_LIMIT = 5.0

SIZES = {
    # The device check: correctness on 432-atom structures, throughput at R x 4000 atoms.
    "full": {
        "eval_copies": 64, "big_structure": True,
        "md": {"replicas": 4, "steps": 1000, "stride": 10, "temperature": 600},
        "minimize": {"ftol": 1e-6, "max_iterations": 20000},
        "neb": {"images": 7, "tolerance": 1e-4, "max_iterations": 20000},
        "lanczos_iterations": 24,
        "metad": {"tracers": 4, "steps": 400, "pace": 10},
        "restart": {"replicas": 2, "steps": 2000, "checkpoint": 400},
        "throughput": {"replicas": [1, 10, 100], "structure": "cuzr4000_is.data",
                       "task_steps": {"1": 1000, "10": 500, "100": 200},
                       "art_successes": None, "neb_images": 5, "neb_ftol": 0.05,
                       "neb": ["hop4k_initial.data", "hop4k_final.data"]},
        "tests_filter": "*",
    },
    # The CPU dry run (a CTest test): every step of the device check, small and quick.
    "small": {
        "eval_copies": 8, "big_structure": False,
        "md": {"replicas": 2, "steps": 100, "stride": 10, "temperature": 600},
        "minimize": {"ftol": 1e-4, "max_iterations": 3000},
        "neb": {"images": 5, "tolerance": 0.01, "max_iterations": 150},
        "lanczos_iterations": 12,
        "metad": {"tracers": 2, "steps": 60, "pace": 10},
        "restart": {"replicas": 1, "steps": 300, "checkpoint": 100},
        "throughput": {"replicas": [1], "structure": "glass432_is.data",
                       "task_steps": {"1": 20},
                       "art_successes": 1, "neb_images": 5, "neb_ftol": 0.1,
                       "neb": ["neb/hop_x_initial.data", "neb/hop_x_final.data"]},
        "tests_filter": "Tridiagonal.*:LanczosModes.*",
    },
}

PROGRAMS = ["glassland", "lanczos_probe", "glassland_device_tests", "bench_eam_throughput",
            "bench_art", "bench_neb"]


# --- running programs --------------------------------------------------------------------------

def library_path(lib, inherited):
    """LD_LIBRARY_PATH for the kit's programs: the bundle's shared libraries (lib/), and Debian's
    C++ runtime (lib/runtime/) only where the machine has none: a machine's own libstdc++ is as new
    or newer, and an older one first on the path would break its tools (compute-sanitizer)."""
    parts = [str(lib)] if lib.is_dir() else []
    if (lib / "runtime").is_dir() and not ctypes.util.find_library("stdc++"):
        parts.append(str(lib / "runtime"))
    return ":".join(parts + ([inherited] if inherited else []))


class Runner:
    """Runs the kit's programs with the kit's potential directory, logging everything."""

    def __init__(self, bin_dir, kit_dir, log_path, default_timeout=600):
        self.default_timeout = default_timeout  # seconds a program may run unless told otherwise
        self.deadline = None  # time.monotonic() no program may run past (at least 10 s each)
        self.bin = Path(bin_dir).resolve()
        self.kit = Path(kit_dir).resolve()
        self.log = open(log_path, "a", encoding="utf-8")
        self.env = dict(os.environ)
        self.env["GLASSLAND_POTENTIAL_DIR"] = str(self.kit / "potentials")
        self.env["LD_LIBRARY_PATH"] = library_path(self.kit / "lib",
                                                   self.env.get("LD_LIBRARY_PATH", ""))

    def program(self, name):
        return str(self.bin / name)

    def run(self, args, cwd, timeout=None, env=None, check=True):
        """Runs args (a list; args[0] a kit program name or a path); returns (rc, out, err, s)."""
        command = [self.program(args[0]) if "/" not in args[0] and (self.bin / args[0]).exists()
                   else args[0]] + [str(a) for a in args[1:]]
        timeout = timeout or self.default_timeout
        if self.deadline is not None:
            timeout = min(timeout, max(10.0, self.deadline - time.monotonic()))
        started = time.monotonic()
        self.log.write(f"\n$ (cd {cwd}) {' '.join(command)}\n")
        self.log.flush()
        try:
            done = subprocess.run(command, cwd=cwd, env=env or self.env, capture_output=True,
                                  text=True, timeout=timeout)
            rc, out, err = done.returncode, done.stdout, done.stderr
        except subprocess.TimeoutExpired as expired:
            rc, out, err = 124, _text(expired.stdout), _text(expired.stderr) + "\n(timed out)"
        except OSError as error:  # e.g. a program this build does not have
            rc, out, err = 127, "", str(error)
        seconds = time.monotonic() - started
        self.log.write(_tail(out, 4000) + _tail(err, 4000) + f"[rc {rc}, {seconds:.1f} s]\n")
        self.log.flush()
        if check and rc != 0:
            raise KitError(f"{' '.join(command[:3])} ... failed (rc {rc}): {_tail(err, 600)}")
        return rc, out, err, seconds


class KitError(RuntimeError):
    pass


def _text(value):
    if value is None:
        return ""
    return value.decode(errors="replace") if isinstance(value, bytes) else value


def _tail(text, n):
    text = text or ""
    return text if len(text) <= n else "..." + text[-n:]


def write_json(path, document):
    Path(path).write_text(json.dumps(document, indent=1) + "\n")


def read_json(path):
    return json.loads(Path(path).read_text())


# --- LAMMPS data files (the layout glassland and LAMMPS write) ----------------------------------

def read_data(path):
    lines = Path(path).read_text().splitlines()
    data = {"comment": lines[0], "tilt": None, "masses": [], "atoms": []}
    section = None
    for line in lines[1:]:
        words = line.split("#")[0].split()
        if not words:
            continue
        if words[0] in ("Masses", "Atoms", "Velocities"):
            section = words[0]
            continue
        if section is None:
            if words[-1] == "atoms":
                data["n_atoms"] = int(words[0])
            elif words[-1] == "types":
                data["n_types"] = int(words[0])
            elif words[-1] in ("xhi", "yhi", "zhi"):
                data[words[-1][0]] = (float(words[0]), float(words[1]))
            elif words[-1] == "yz":
                data["tilt"] = tuple(float(w) for w in words[:3])
        elif section == "Masses":
            data["masses"].append((int(words[0]), float(words[1])))
        elif section == "Atoms":
            image = [int(w) for w in words[5:8]] if len(words) >= 8 else [0, 0, 0]
            data["atoms"].append([int(words[0]), int(words[1])] +
                                 [float(w) for w in words[2:5]] + image)
    return data


def write_data(path, data, comment):
    out = [comment, "", f"{len(data['atoms'])} atoms", f"{data['n_types']} atom types", ""]
    for axis in "xyz":
        lo, hi = data[axis]
        out.append(f"{lo!r} {hi!r} {axis}lo {axis}hi")
    if data["tilt"]:
        out.append("{!r} {!r} {!r} xy xz yz".format(*data["tilt"]))
    out += ["", "Masses", ""] + [f"{t} {m!r}" for t, m in data["masses"]]
    out += ["", "Atoms # atomic", ""]
    for a in data["atoms"]:
        out.append(f"{a[0]} {a[1]} {a[2]!r} {a[3]!r} {a[4]!r} {a[5]} {a[6]} {a[7]}")
    Path(path).write_text("\n".join(out) + "\n")


def sheared(data, xy, xz, yz):
    """The same atoms in a triclinic box: the affine map of the orthogonal box onto the tilted."""
    ly = data["y"][1] - data["y"][0]
    lz = data["z"][1] - data["z"][0]
    result = dict(data, tilt=(xy, xz, yz), atoms=[])
    for a in data["atoms"]:
        fy = (a[3] - data["y"][0]) / ly
        fz = (a[4] - data["z"][0]) / lz
        result["atoms"].append(a[:2] + [a[2] + fy * xy + fz * xz, a[3] + fz * yz, a[4]] + a[5:])
    return result


def perturbed(data, amplitude, seed):
    rng = random.Random(seed)
    result = dict(data, atoms=[])
    for a in data["atoms"]:
        result["atoms"].append(a[:2] + [a[k] + rng.uniform(-amplitude, amplitude)
                                        for k in (2, 3, 4)] + a[5:])
    return result


def vacancy_hop(data):
    """Endpoints of one vacancy hop: atom 1's nearest neighbour j is removed (the vacancy) and
    atom 1 moves into j's site in the final state. Returns (initial, final)."""
    atoms = data["atoms"]
    lengths = [data[axis][1] - data[axis][0] for axis in "xyz"]

    def distance(a, b):
        d = [a[2 + k] - b[2 + k] for k in range(3)]
        d = [x - lengths[k] * round(x / lengths[k]) for k, x in enumerate(d)]
        return math.sqrt(sum(x * x for x in d))

    mover = atoms[0]
    j = min(range(1, len(atoms)), key=lambda k: distance(mover, atoms[k]))
    site = atoms[j]
    initial = dict(data, atoms=[a for k, a in enumerate(atoms) if k != j])
    moved = mover[:2] + site[2:5] + site[5:]
    final = dict(data, atoms=[moved] + initial["atoms"][1:])
    return initial, final


# --- inputs: structures and case parameters (development machine) -----------------------------

def make_inputs(runner, kit, size):
    inputs = kit / "inputs"
    inputs.mkdir(parents=True, exist_ok=True)
    shutil.copytree(Path(__file__).resolve().parents[2] / "inputs" / "neb" / "endpoints",
                    inputs / "neb", dirs_exist_ok=True)
    build = ["glassland", "build", "--lattice", "random", "--density", "0.0585",
             "--min-separation", "2.1"]
    runner.run(build + ["--atoms", 432, "--seed", 1, "-o", "glass432.data"], inputs)
    runner.run(build + ["--atoms", 432, "--seed", 2, "-o", "ortho432.data"], inputs)
    write_data(inputs / "tri432.data", sheared(read_data(inputs / "ortho432.data"), 2.5, -1.5, 1.0),
               "glassland GPU kit: random Cu216Zr216 seed 2, sheared to a triclinic box")
    runner.run(["glassland", "build", "--lattice", "b2", "--cells", 6, 6, 6, "--seed", 3, "-o",
                "b2_432.data"], inputs)
    minimize(runner, inputs, ["glass432.data", "tri432.data"], "fire", 1e-4, 20000, "quench432")
    for name, source in (("glass432_is.data", "is_0000.data"), ("tri432_is.data", "is_0001.data")):
        shutil.copy(inputs / "quench432" / source, inputs / name)
    for name, seed in (("glass432", 11), ("tri432", 12)):
        write_data(inputs / f"{name}_pert.data",
                   perturbed(read_data(inputs / f"{name}_is.data"), 0.03, seed),
                   f"glassland GPU kit: {name}_is with uniform displacements of ±0.03 Å")
    if SIZES[size]["big_structure"]:
        # The throughput structures: a 4000-atom quenched glass (as perf/metad_throughput.sh)
        # and one vacancy hop in a 4095-atom B2 crystal, both endpoints minimised (CG).
        runner.run(build + ["--atoms", 4000, "--seed", 1, "-o", "cuzr4000.data"], inputs)
        minimize(runner, inputs, ["cuzr4000.data"], "fire", 1e-2, 3000, "quench4000")
        # bench_art re-minimises its structure with FIRE to 1e-5 eV/Å in every process: CG to
        # 1e-5 here spares the GPU that (its line search may stop a little short: FIRE finishes).
        minimize(runner, inputs, [str(inputs / "quench4000" / "is_0000.data")], "cg", 1e-5,
                 20000, "relax4000")
        shutil.copy(inputs / "relax4000" / "is_0000.data", inputs / "cuzr4000_is.data")
        runner.run(["glassland", "build", "--lattice", "b2", "--cells", 16, 16, 8, "--seed", 4,
                    "-o", "b2_4096.data"], inputs)
        initial, final = vacancy_hop(read_data(inputs / "b2_4096.data"))
        write_data(inputs / "hop4k_start_initial.data", initial, "glassland GPU kit: vacancy")
        write_data(inputs / "hop4k_start_final.data", final, "glassland GPU kit: vacancy hopped")
        minimize(runner, inputs, ["hop4k_start_initial.data", "hop4k_start_final.data"], "cg",
                 1e-6, 20000, "hop4k")
        shutil.copy(inputs / "hop4k" / "is_0000.data", inputs / "hop4k_initial.data")
        shutil.copy(inputs / "hop4k" / "is_0001.data", inputs / "hop4k_final.data")
    for scratch in ("quench432", "quench4000", "relax4000", "hop4k"):
        shutil.rmtree(inputs / scratch, ignore_errors=True)
        (inputs / f"{scratch}.json").unlink(missing_ok=True)
    for scratch in ("ortho432.data", "b2_4096.data", "hop4k_start_initial.data",
                    "hop4k_start_final.data"):
        (inputs / scratch).unlink(missing_ok=True)
    write_json(inputs / "kit.json", {"size": size, **SIZES[size]})


def minimize(runner, cwd, structures, method, ftol, max_iterations, out):
    document = {"task": "minimize", "system": {"structures": structures},
                "minimize": {"method": method, "ftol": ftol, "etol": 0.0,
                             "max_iterations": max_iterations},
                "output": {"directory": out, "quiet": True}}
    write_json(Path(cwd) / f"{out}.json", document)
    runner.run(["glassland", "run", f"{out}.json"], cwd)
    return read_json(Path(cwd) / out / "summary.json")


# --- the correctness cases: run the same way for the reference and on the device ---------------

def case_eval(runner, kit, work, params):
    inputs = kit / "inputs"
    evaluate = ["glassland", "eval", "--json", "--elements", "Cu", "Zr", "--structure"]
    result = {}
    _, out, _, _ = runner.run(evaluate + [inputs / n for n in ("glass432.data", "tri432.data",
                                                               "b2_432.data")], work)
    result["mixed"] = json.loads(out)["structures"]
    _, out, _, _ = runner.run(evaluate + [inputs / "glass432.data"] * params["eval_copies"], work)
    result["copies"] = json.loads(out)["structures"]
    if params["big_structure"]:
        _, out, _, _ = runner.run(evaluate + [inputs / "cuzr4000.data"], work)
        result["big"] = json.loads(out)["structures"]
    return result


def md_input(structure, replicas, steps, ensemble, temperature, stride, out, checkpoint=0):
    return {"task": "md", "system": {"structure": str(structure), "replicas": replicas},
            "md": {"steps": steps, "ensemble": ensemble, "temperature": temperature,
                   "timestep": 0.002, "thermostat": {"tau": 0.1}},
            "output": {"directory": out, "thermo_stride": stride, "checkpoint_stride": checkpoint,
                       "progress_interval": 1e6}}


def md_series(results_h5):
    import h5py  # the device's Python and Debian's python3-h5py have it
    series = {}
    with h5py.File(results_h5, "r") as f:
        for name in ("potential_energy", "temperature", "conserved_energy"):
            series[name] = f[f"observables/{name}/value"][()].tolist()
        series["step"] = f["observables/potential_energy/step"][()].tolist()
    return series


def case_md(runner, kit, work, params):
    p = params["md"]
    result = {}
    for ensemble in ("nve", "nvt"):
        out = f"md_{ensemble}"
        write_json(work / f"{out}.json", md_input(kit / "inputs" / "glass432_is.data",
                                                  p["replicas"], p["steps"], ensemble,
                                                  p["temperature"], p["stride"], out))
        runner.run(["glassland", "run", f"{out}.json", "--quiet"], work)
        result[ensemble] = md_series(work / out / "results.h5")
    result["atoms"] = 432
    return result


def case_minimize(runner, kit, work, params):
    p = params["minimize"]
    result = {}
    for method in ("fire", "cg"):
        summary = minimize(runner, work, [str(kit / "inputs" / "glass432_pert.data"),
                                          str(kit / "inputs" / "tri432_pert.data")],
                           method, p["ftol"], p["max_iterations"], f"minimize_{method}")
        result[method] = [{k: r[k] for k in ("converged", "iterations", "energy_per_atom_eV",
                                             "max_force_eV_per_A")} for r in summary["replicas"]]
    return result


def case_neb(runner, kit, work, params):
    p = params["neb"]
    document = {"task": "neb", "system": {"elements": ["Cu", "Zr"]},
                "neb": {"directory": str(kit / "inputs" / "neb"), "images": p["images"],
                        "spring": 1.0, "climbing": True, "tolerance": p["tolerance"],
                        "max_iterations": p["max_iterations"], "interpolation": "linear"},
                "output": {"directory": "neb", "quiet": True}}
    write_json(work / "neb.json", document)
    runner.run(["glassland", "run", "neb.json"], work)
    bands = read_json(work / "neb" / "neb.json")["bands"]
    return [{k: b[k] for k in ("converged", "iterations", "barrier_forward_eV",
                               "barrier_backward_eV", "max_force_eV_per_A")} for b in bands]


def case_lanczos(runner, kit, work, params):
    _, out, _, _ = runner.run(["lanczos_probe", "--iterations", params["lanczos_iterations"],
                               kit / "inputs" / "glass432_is.data",
                               kit / "inputs" / "glass432_pert.data"], work)
    return json.loads(out)["structures"]


def case_metad(runner, kit, work, params):
    import h5py
    p = params["metad"]
    document = {"task": "metad",
                "system": {"structure": str(kit / "inputs" / "glass432_is.data"),
                           "replicas": p["tracers"]},
                "metad": {"temperature": 600, "steps": p["steps"], "timestep": 0.002,
                          "thermostat": {"tau": 0.1}, "tracers": {"count": p["tracers"], "seed": 1},
                          "pace": p["pace"], "bias_temperature": 3000,
                          "stop_after_first_event": False},
                "output": {"directory": "metad", "thermo_stride": p["pace"], "quiet": True,
                           "progress_interval": 1e6}}
    write_json(work / "metad.json", document)
    runner.run(["glassland", "run", "metad.json"], work)
    tracers = []
    with h5py.File(work / "metad" / "results.h5", "r") as f:
        for t in range(p["tracers"]):
            g = f[f"tracers/tracer_{t:04d}"]
            tracers.append({"atom_id": int(g["atom_id"][()]),
                            "hill_centers": g["hills/center"][()].tolist(),
                            "hill_heights": g["hills/height"][()].tolist(),
                            "cv": g["cv/value"][()].tolist()})
    return tracers


CASES = {"eval": case_eval, "lanczos": case_lanczos, "minimize": case_minimize,
         "neb": case_neb, "md": case_md, "metad": case_metad}


# --- comparisons ------------------------------------------------------------------------------

def compare_eval(ours, ref):
    worst = {"energy": 0.0, "force": 0.0, "virial": 0.0}
    problems = []

    def one(a, b, label):
        e = abs(a["energy"] - b["energy"]) / max(abs(b["energy"]), 1e-300)
        f = max(abs(x - y) for fa, fb in zip(a["forces"], b["forces"]) for x, y in zip(fa, fb))
        scale = max(abs(v) for v in b["virial"])
        v = max(abs(x - y) for x, y in zip(a["virial"], b["virial"])) / max(scale, 1e-300)
        worst["energy"] = max(worst["energy"], e)
        worst["force"] = max(worst["force"], f)
        worst["virial"] = max(worst["virial"], v)
        if e > ENERGY_RELATIVE or f > FORCE_ABSOLUTE or v > VIRIAL_RELATIVE:
            problems.append(f"{label}: energy {e:.2e} rel, force {f:.2e} eV/Å, virial {v:.2e}")

    for k, (a, b) in enumerate(zip(ours["mixed"], ref["mixed"])):
        one(a, b, Path(b["file"]).name)
    for k, a in enumerate(ours["copies"]):
        one(a, ref["copies"][0], f"copy {k}")
    for a, b in zip(ours.get("big", []), ref.get("big", [])):
        one(a, b, Path(b["file"]).name)
    detail = (f"worst: energy {worst['energy']:.2e} relative (limit {ENERGY_RELATIVE:g}), "
              f"forces {worst['force']:.2e} eV/Å (limit {FORCE_ABSOLUTE:g}), virial "
              f"{worst['virial']:.2e} relative (limit {VIRIAL_RELATIVE:g})")
    return not problems, detail + ("; " + "; ".join(problems[:5]) if problems else "")


def compare_minimize(ours, ref):
    lines, ok = [], True
    for method in ("fire", "cg"):
        for k, (a, b) in enumerate(zip(ours[method], ref[method])):
            d = abs(a["energy_per_atom_eV"] - b["energy_per_atom_eV"])
            good = d <= MINIMUM_PER_ATOM and a["converged"] == b["converged"]
            ok &= good
            lines.append(f"{method} {k}: |ΔE| {d:.1e} eV/atom, converged {a['converged']}"
                         f"/{b['converged']}, iterations {a['iterations']}/{b['iterations']}")
    return ok, f"limit {MINIMUM_PER_ATOM:g} eV/atom; " + "; ".join(lines)


def compare_neb(ours, ref):
    lines, ok = [], True
    for k, (a, b) in enumerate(zip(ours, ref)):
        d = max(abs(a["barrier_forward_eV"] - b["barrier_forward_eV"]),
                abs(a["barrier_backward_eV"] - b["barrier_backward_eV"]))
        good = d <= BARRIER_ABSOLUTE and a["converged"] == b["converged"]
        ok &= good
        lines.append(f"band {k}: barrier {a['barrier_forward_eV']:.6f} eV, |Δ| {d:.1e} eV, "
                     f"converged {a['converged']}/{b['converged']}")
    return ok and len(ours) == len(ref), f"limit {BARRIER_ABSOLUTE:g} eV; " + "; ".join(lines)


def compare_lanczos(ours, ref):
    d = max(max(abs(a["lambda1"] - b["lambda1"]), abs(a["lambda2"] - b["lambda2"]))
            for a, b in zip(ours, ref))
    values = ", ".join(f"{a['lambda1']:.5f}/{a['lambda2']:.5f}" for a in ours)
    return d <= EIGENVALUE_ABSOLUTE, (f"λ1/λ2 {values} eV/Å²; max |Δλ| {d:.1e} "
                                      f"(limit {EIGENVALUE_ABSOLUTE:g})")


def block_mean(values, blocks=5):
    """Mean and standard error from `blocks` block averages (time-correlated samples)."""
    n = len(values) // blocks
    if n < 1:
        return (sum(values) / len(values), float("inf"))
    means = [sum(values[b * n:(b + 1) * n]) / n for b in range(blocks)]
    mean = sum(means) / blocks
    var = sum((m - mean) ** 2 for m in means) / (blocks - 1)
    return mean, math.sqrt(var / blocks)


def pooled_second_half(series, name):
    """Per-replica block means over the second half of the records, pooled over replicas."""
    values = series[name]
    half = len(values) // 2
    means, errors = [], []
    for r in range(len(values[0])):
        m, e = block_mean([row[r] for row in values[half:]])
        means.append(m)
        errors.append(e)
    n = len(means)
    return sum(means) / n, math.sqrt(sum(e * e for e in errors)) / n


def compare_md(ours, ref):
    atoms = ref["atoms"]
    lines, ok = [], True
    for ensemble in ("nve", "nvt"):
        a, b = ours[ensemble], ref[ensemble]
        early = max(abs(x - y) / atoms for ra, rb in zip(a["potential_energy"][:EARLY_RECORDS],
                                                         b["potential_energy"][:EARLY_RECORDS])
                    for x, y in zip(ra, rb))
        ok &= early <= EARLY_PE_PER_ATOM and a["step"] == b["step"]
        line = f"{ensemble}: first {EARLY_RECORDS} records |ΔPE| {early:.1e} eV/atom"
        for name in ("temperature", "potential_energy"):
            ma, ea = pooled_second_half(a, name)
            mb, eb = pooled_second_half(b, name)
            z = abs(ma - mb) / max(math.hypot(ea, eb), 1e-12)
            ok &= z <= Z_LIMIT
            line += f", mean {name} {ma:.4g} vs {mb:.4g} (z {z:.1f})"
        if ensemble == "nve":
            def drift(s):
                return max(abs(row[r] - s["conserved_energy"][0][r]) / atoms
                           for row in s["conserved_energy"] for r in range(len(row)))
            da, db = drift(a), drift(b)
            ok &= da <= 3 * db + 1e-6
            line += f", |ΔE_cons| max {da:.1e} vs {db:.1e} eV/atom"
        lines.append(line)
    return ok, "; ".join(lines) + f" (early limit {EARLY_PE_PER_ATOM:g}, z limit {Z_LIMIT:g})"


def compare_metad(ours, ref):
    ok = [a["atom_id"] for a in ours] == [b["atom_id"] for b in ref]
    ok &= all(len(a["hill_centers"]) == len(b["hill_centers"]) for a, b in zip(ours, ref))
    first = max(abs(a["hill_centers"][0] - b["hill_centers"][0]) for a, b in zip(ours, ref))
    height = max(abs(a["hill_heights"][0] - b["hill_heights"][0]) for a, b in zip(ours, ref))
    ok &= first <= 1e-6 and height <= 1e-12
    pooled = {}
    for label, tracers in (("ours", ours), ("ref", ref)):
        stats = [block_mean(t["cv"][len(t["cv"]) // 2:]) for t in tracers]
        pooled[label] = (sum(m for m, _ in stats) / len(stats),
                         math.sqrt(sum(e * e for _, e in stats)) / len(stats))
    z = abs(pooled["ours"][0] - pooled["ref"][0]) / max(math.hypot(pooled["ours"][1],
                                                                   pooled["ref"][1]), 1e-12)
    ok &= z <= Z_LIMIT
    return ok, (f"tracers {[a['atom_id'] for a in ours]}, hills {len(ours[0]['hill_centers'])} "
                f"each; first hill centre |Δ| {first:.1e} Å, height |Δ| {height:.1e} eV; mean CV "
                f"{pooled['ours'][0]:.4f} vs {pooled['ref'][0]:.4f} Å (z {z:.1f})")


COMPARE = {"eval": compare_eval, "lanczos": compare_lanczos, "minimize": compare_minimize,
           "neb": compare_neb, "md": compare_md, "metad": compare_metad}


# --- device-only checks -----------------------------------------------------------------------

def check_batch_invariance(runner, kit, work, params, eval_result):
    """GPU against GPU, bitwise: 64 copies of a structure evaluated in one batch equal each
    other and the same structure in a batch with two others; replica 0 of an MD batch ends where
    the same replica run alone ends (its velocities are drawn from seed + replica)."""
    first = eval_result["mixed"][0]
    copies = eval_result["copies"]
    same = all(c["energy"] == first["energy"] and c["forces"] == first["forces"] and
               c["virial"] == first["virial"] for c in copies)
    p = params["md"]
    for replicas in (1, p["replicas"]):
        out = f"invariance_{replicas}"
        write_json(work / f"{out}.json", md_input(kit / "inputs" / "glass432_is.data", replicas,
                                                  p["steps"] // 2, "nve", p["temperature"],
                                                  p["stride"], out))
        runner.run(["glassland", "run", f"{out}.json", "--quiet"], work)
    md_same = ((work / "invariance_1" / "final_0000.data").read_bytes() ==
               (work / f"invariance_{p['replicas']}" / "final_0000.data").read_bytes())
    return same and md_same, (f"eval: {len(copies)} copies and the 3-structure batch "
                              f"{'bitwise equal' if same else 'DIFFER'}; md replica 0 alone vs in "
                              f"{p['replicas']}: {'bitwise equal' if md_same else 'DIFFER'}")


def check_restart(runner, kit, work, params):
    """An MD run killed (SIGKILL) after its first checkpoint and restarted ends bitwise where the
    uninterrupted run ends (final structures compared byte for byte)."""
    p = params["restart"]
    for out in ("restart_whole", "restart_killed"):
        write_json(work / f"{out}.json", md_input(kit / "inputs" / "glass432_is.data",
                                                  p["replicas"], p["steps"], "nvt", 600, 50, out,
                                                  checkpoint=p["checkpoint"]))
    runner.run(["glassland", "run", "restart_whole.json", "--quiet"], work)
    command = [runner.program("glassland"), "run", "restart_killed.json", "--quiet"]
    process = subprocess.Popen(command, cwd=work, env=runner.env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    checkpoint = work / "restart_killed" / "checkpoint.h5"
    deadline = time.monotonic() + 300
    while process.poll() is None and not checkpoint.exists() and time.monotonic() < deadline:
        time.sleep(0.005)
    interrupted = process.poll() is None
    if interrupted:
        time.sleep(0.02)  # let the checkpoint's rename complete: it is written atomically
        process.send_signal(signal.SIGKILL)
    process.wait()
    finished_before = (work / "restart_killed" / "final_0000.data").exists()
    runner.run(["glassland", "run", "restart_killed.json", "--restart", "--quiet"], work)
    same = all((work / "restart_whole" / f"final_{r:04d}.data").read_bytes() ==
               (work / "restart_killed" / f"final_{r:04d}.data").read_bytes()
               for r in range(p["replicas"]))
    if not interrupted or finished_before:
        return None, "the run finished before it could be killed: inconclusive"
    return same, (f"killed after the first checkpoint (every {p['checkpoint']} of {p['steps']} "
                  f"steps), restarted: final structures {'bitwise equal' if same else 'DIFFER'}")


def sanitizer_runs(runner, kit, work, out_dir, deadline):
    """compute-sanitizer memcheck and racecheck on a small eval, ART and NEB."""
    sanitizer = shutil.which("compute-sanitizer") or "/usr/local/cuda/bin/compute-sanitizer"
    if not Path(sanitizer).exists():
        return [("sanitizer", None, "compute-sanitizer not found", 0.0)]
    inputs = kit / "inputs"
    write_json(work / "san_art.json", {
        "task": "art", "system": {"structure": str(inputs / "glass432_is.data")},
        "art": {"concurrent_searches": 2, "target_successes": 1, "max_attempts": 2, "seed": 1,
                "search": {"max_pushes": 6, "max_convergence_steps": 8, "minimize_max_steps": 50,
                           "lanczos_max_iterations": 8, "second_lanczos_max_iterations": 8,
                           "second_lanczos_restarts": 1}},
        "output": {"directory": "san_art", "quiet": True}})
    write_json(work / "san_neb.json", {
        "task": "neb", "system": {"elements": ["Cu", "Zr"]},
        "neb": {"directory": str(inputs / "neb"), "images": 3, "max_iterations": 10},
        "output": {"directory": "san_neb", "quiet": True}})
    programs = {
        "eval": ["glassland", "eval", "--json", "--elements", "Cu", "Zr", "--structure",
                 inputs / "glass432.data", inputs / "tri432.data"],
        "art": ["glassland", "run", "san_art.json"],
        "neb": ["glassland", "run", "san_neb.json"],
    }
    results = []
    log = open(out_dir / "sanitizer.log", "a", encoding="utf-8")
    for tool in ("memcheck", "racecheck"):
        for name, args in programs.items():
            left = deadline - time.monotonic()
            if left < 20:
                results.append((f"{tool} {name}", None, "skipped: time budget", 0.0))
                continue
            rc, out, err, seconds = runner.run(
                [sanitizer, "--tool", tool, "--error-exitcode", "17", "--print-limit", "20",
                 runner.program(args[0])] + args[1:], work, timeout=min(120, left), check=False)
            summary = [line for line in (out + err).splitlines() if "ERROR SUMMARY" in line or
                       "RACECHECK SUMMARY" in line]
            log.write(f"=== {tool} {name} (rc {rc}, {seconds:.1f} s)\n{_tail(err, 20000)}\n")
            status = None if rc == 124 else rc == 0
            if "Device not supported" in out + err:  # seen on gVisor machines (KINDS.md)
                status, summary = None, ["compute-sanitizer: device not supported here"]
            results.append((f"{tool} {name}", status,
                            (summary[-1].strip() if summary else f"rc {rc}") +
                            (" (timed out)" if rc == 124 else ""), seconds))
    return results


def device_tests(runner, work, out_dir, test_filter, timeout):
    # Runs in the scratch directory: $OUT brings back at most 8 files (device tool), so nothing
    # but the kit's own five files may land there.
    rc, out, err, seconds = runner.run(
        ["glassland_device_tests", f"--gtest_filter={test_filter}",
         f"--gtest_output=json:{out_dir / 'device_tests.json'}"], work, timeout=timeout,
        check=False)
    lines = out.splitlines()
    failed = [line for line in lines if line.startswith("[  FAILED  ]")]
    if rc == 124:
        # Stopped at its time share (no JSON report then). GoogleTest flushes after every test,
        # so the output so far says how far it got: a failure seen by then is a failure, else the
        # run is incomplete, not failed.
        count = {mark: sum(line.startswith(mark) for line in lines)
                 for mark in ("[       OK ]", "[  SKIPPED ]")}
        started = [line[len("[ RUN      ]"):].strip() for line in lines
                   if line.startswith("[ RUN      ]")]
        detail = (f"stopped at its time share ({seconds:.0f} s): {count['[       OK ]']} passed, "
                  f"{count['[  SKIPPED ]']} skipped, {len(failed)} failed" +
                  (f", last started {started[-1]}" if started else ""))
        return (False if failed else None), "; ".join([detail] + failed[:8]), seconds
    summary = [line for line in lines if line.startswith(("[  PASSED", "[  FAILED", "[  SKIPPED"))]
    return rc == 0, "; ".join(summary[:3] + failed[:8]) or f"rc {rc}", seconds


# --- throughput -------------------------------------------------------------------------------

def done_rate(stderr, label):
    """Steps per second from a task's closing progress line ("md: done, N steps in T s (R
    steps/s)"), which times the step loop alone."""
    for line in stderr.splitlines():
        if line.startswith(f"{label}: done,"):
            return float(line.split("(")[1].split()[0])
    raise KitError(f"no '{label}: done' line in the output")


def benchmark_rows(stdout):
    return [r for r in json.loads(stdout)["benchmarks"] if r.get("run_type") == "iteration"]


def throughput(runner, kit, work, params, deadline):
    p = params["throughput"]
    inputs = kit / "inputs"
    structure = inputs / p["structure"]
    atoms = len(read_data(structure)["atoms"])
    replicas = p["replicas"]
    rows = []

    def budget(seconds_wanted):
        return deadline - time.monotonic() > seconds_wanted

    def guarded(kind, function):
        if not budget(15):
            rows.append({"kind": kind, "status": "skipped: time budget"})
            return
        try:
            function()
        except KitError as error:
            rows.append({"kind": kind, "status": f"failed: {error}"})

    def eam():
        env = dict(runner.env, GLASSLAND_BENCH_REPLICAS=",".join(map(str, replicas)))
        _, out, _, _ = runner.run(["bench_eam_throughput", "--structure", structure,
                                   "--benchmark_format=json", "--benchmark_min_time=0.3"],
                                  work, timeout=deadline - time.monotonic(), env=env)
        for r in benchmark_rows(out):
            rows.append({"kind": "eam forces" + (" + energy + virial" if r["energy_virial"]
                                                 else ""),
                         "replicas": int(r["replicas"]), "atoms": int(r["atoms"]),
                         "atom_steps_per_s": r["atom_steps_per_s"],
                         "ms_per_evaluation": r["real_time"]})

    def task(kind):
        for r in replicas:
            steps = p["task_steps"][str(r)]  # MD and metad steps at R replicas
            section = {"temperature": 300, "steps": steps, "timestep": 0.002,
                       "thermostat": {"tau": 0.1}}
            if kind == "md":
                section.update(ensemble="nvt")
            else:
                section.update(tracers={"count": r, "seed": 1}, pace=10, bias_temperature=3000)
            document = {"task": kind, "system": {"structure": str(structure), "replicas": r},
                        kind: section, "output": {"directory": f"tp_{kind}_{r}",
                                                  "thermo_stride": 10, "progress_interval": 1e6}}
            write_json(work / f"tp_{kind}_{r}.json", document)
            _, _, err, _ = runner.run(["glassland", "run", f"tp_{kind}_{r}.json"], work,
                                      timeout=max(10, deadline - time.monotonic()))
            rate = done_rate(err, kind)
            rows.append({"kind": kind, "replicas": r, "atoms": atoms, "steps": steps,
                         "steps_per_s": rate, "atom_steps_per_s": rate * r * atoms})

    def art(r):
        # R searches at once until R successes (or the kit's fixed count at the small size).
        env = dict(runner.env, GLASSLAND_BENCH_ART=f"{r}:{p['art_successes'] or r}",
                   GLASSLAND_BENCH_ART_STRUCTURE=str(structure))
        _, out, _, _ = runner.run(["bench_art", "--benchmark_format=json"], work,
                                  timeout=max(10, deadline - time.monotonic()), env=env)
        for b in benchmark_rows(out):
            ticks = b["batch_ticks"]
            rows.append({"kind": "art", "replicas": int(b["replicas"]), "atoms": int(b["atoms"]),
                         "successes": int(b["successes"]), "attempts": int(b["attempts"]),
                         "saddles_per_hour": b["saddles_per_hour"],
                         "atom_steps_per_s": ticks * b["replicas"] * b["atoms"] / b["seconds"]})

    def neb(r):
        initial, final = (inputs / name for name in p["neb"])
        neb_atoms = len(read_data(initial)["atoms"])
        env = dict(runner.env, GLASSLAND_BENCH_BANDS=str(r))
        _, out, _, _ = runner.run(["bench_neb", "--initial", initial, "--final", final,
                                   "--images", p["neb_images"], "--ftol", p["neb_ftol"],
                                   "--benchmark_format=json", "--benchmark_min_time=0"],
                                  work, timeout=max(10, deadline - time.monotonic()), env=env)
        for b in benchmark_rows(out):
            per_band = b["image_evaluations_per_band"]
            rows.append({"kind": f"neb ({p['neb_images']} images per band)",
                         "replicas": int(b["bands"]), "atoms": neb_atoms,
                         "bands_per_s": b["bands_per_s"], "iterations": b["iterations_per_band"],
                         "atom_steps_per_s": b["bands_per_s"] * per_band * neb_atoms})

    guarded("eam", eam)
    guarded("md", lambda: task("md"))
    guarded("metad", lambda: task("metad"))
    for r in replicas:  # one process per R: a run cut short by the budget loses only itself
        guarded(f"art R={r}", lambda r=r: art(r))
    for r in replicas:
        guarded(f"neb R={r}", lambda r=r: neb(r))
    return rows


# --- the commands -----------------------------------------------------------------------------

def command_inputs(args):
    kit = Path(args.kit).resolve()
    (kit / "potentials").mkdir(parents=True, exist_ok=True)
    potential = Path(os.environ.get("GLASSLAND_POTENTIAL_DIR",
                                    "/usr/share/lammps/potentials")) / "CuZr_mm.eam.fs"
    shutil.copy(potential, kit / "potentials" / "CuZr_mm.eam.fs")
    runner = Runner(args.bin, kit, kit / "build.log", default_timeout=7200)
    make_inputs(runner, kit, args.size)
    print(f"kit.py: inputs ({args.size}) in {kit / 'inputs'}")


def command_reference(args):
    kit = Path(args.kit).resolve()
    params = read_json(kit / "inputs" / "kit.json")
    runner = Runner(args.bin, kit, kit / "build.log", default_timeout=7200)
    work = kit / "reference_work"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    (kit / "reference").mkdir(exist_ok=True)
    for name, case in CASES.items():
        started = time.monotonic()
        (work / name).mkdir()
        result = case(runner, kit, work / name, params)
        if name == "eval":  # the copies are compared with the first one: keep only it
            result["copies"] = result["copies"][:1]
        write_json(kit / "reference" / f"{name}.json", result)
        print(f"kit.py: reference {name}: {time.monotonic() - started:.1f} s")
    shutil.rmtree(work, ignore_errors=True)


def command_device(args):
    started = time.monotonic()
    deadline = started + args.budget
    kit = Path(args.kit).resolve()
    out_dir = Path(args.out).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    params = read_json(kit / "inputs" / "kit.json")
    runner = Runner(args.bin or kit / "bin", kit, out_dir / "kit.log")
    # A program that hangs on the device must not take the device tool's whole call (its timeout
    # would then leave no results.json): none runs past the budget.
    runner.deadline = deadline
    work = Path(args.work).resolve() if args.work else Path("/tmp") / f"glassland_kit_{os.getpid()}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    checks = []

    def record(name, status, detail, seconds):
        checks.append({"name": name, "status": {True: "pass", False: "FAIL", None: "skip"}[status],
                       "detail": detail, "seconds": round(seconds, 1)})
        print(f"kit.py: {checks[-1]['status']:4s} {name} ({seconds:.1f} s): {detail}", flush=True)

    device = describe_device(runner)
    print(f"kit.py: {device}", flush=True)

    def finish(rows):
        document = {"device": device, "size": params["size"],
                    "seconds": time.monotonic() - started, "checks": checks, "throughput": rows}
        write_json(out_dir / "results.json", document)
        summary = markdown_summary(document)
        (out_dir / "summary.md").write_text(summary)
        print("\n" + summary)
        if not args.keep_work:
            shutil.rmtree(work, ignore_errors=True)
        return 1 if any(c["status"] == "FAIL" for c in checks) else 0

    # Programs that cannot start here (a shared library missing, the machine's glibc older than
    # the 2.36 that Debian 12's toolchain links against, no CUDA driver) would fail every check
    # alike: say why once and spend no more of the device time.
    rc, out, err, seconds = runner.run(["glassland", "--version"], work, timeout=120, check=False)
    record("programs start", rc == 0,
           out.strip() if rc == 0 else f"glassland --version failed (rc {rc}): "
           f"{_tail(err.strip(), 400)}; the bundle needs glibc >= 2.36 and the CUDA driver "
           "(libcuda.so.1): nothing else was run", seconds)
    if rc != 0:
        return finish([])
    results = {}
    for name, case in CASES.items():
        t0 = time.monotonic()
        if t0 > deadline:
            record(f"{name} vs CPU reference", None, "skipped: time budget", 0.0)
            continue
        case_dir = work / name
        case_dir.mkdir()
        try:
            results[name] = case(runner, kit, case_dir, params)
            ok, detail = COMPARE[name](results[name], read_json(kit / "reference" / f"{name}.json"))
        except (KitError, KeyError, ValueError, OSError) as error:
            ok, detail = False, f"error: {error}"
        record(f"{name} vs CPU reference", ok, detail, time.monotonic() - t0)
    for name, check in (("batch invariance (bitwise)",
                         lambda d: check_batch_invariance(runner, kit, d, params,
                                                          results.get("eval"))),
                        ("restart (bitwise)", lambda d: check_restart(runner, kit, d, params))):
        t0 = time.monotonic()
        if t0 > deadline:
            record(name, None, "skipped: time budget", 0.0)
            continue
        case_dir = work / name.split()[0]
        case_dir.mkdir()
        try:
            ok, detail = check(case_dir)
        except (KitError, TypeError, OSError) as error:
            ok, detail = False, f"error: {error}"
        record(name, ok, detail, time.monotonic() - t0)
    # What is left of the budget goes to the throughput (at most --throughput-budget), then the
    # test runner (at most --tests-budget), then compute-sanitizer (the rest): each part stops
    # at its share, so one slow part cannot take the others' time.
    def share(limit, keep_for_later):
        return max(10.0, min(limit, deadline - time.monotonic() - keep_for_later))

    t0 = time.monotonic()
    (work / "throughput").mkdir()
    later = args.tests_budget + (0 if args.no_sanitizer else args.sanitizer_budget)
    rows = throughput(runner, kit, work / "throughput", params,
                      time.monotonic() + share(args.throughput_budget, later))
    print(f"kit.py: throughput ({time.monotonic() - t0:.1f} s)", flush=True)
    later = 0 if args.no_sanitizer else args.sanitizer_budget
    (work / "device_tests").mkdir()
    ok, detail, seconds = device_tests(runner, work / "device_tests", out_dir,
                                       args.tests or params["tests_filter"],
                                       timeout=share(args.tests_budget, later))
    record("device test runner", ok, detail, seconds)
    if args.no_sanitizer:
        record("compute-sanitizer", None, "not asked for (--no-sanitizer)", 0.0)
    else:
        san_dir = work / "sanitizer"
        san_dir.mkdir()
        sanitizer_deadline = time.monotonic() + share(args.sanitizer_budget, 0)
        for name, ok, detail, seconds in sanitizer_runs(runner, kit, san_dir, out_dir,
                                                        sanitizer_deadline):
            record(f"compute-sanitizer {name}", ok, detail, seconds)
    return finish(rows)


def describe_device(runner):
    smi = shutil.which("nvidia-smi")
    if smi:
        done = subprocess.run([smi, "--query-gpu=name,driver_version,memory.total",
                               "--format=csv,noheader"], capture_output=True, text=True)
        if done.returncode == 0 and done.stdout.strip():
            return "GPU: " + done.stdout.strip().splitlines()[0]
    return "no GPU (nvidia-smi absent): a CPU dry run"


def markdown_summary(document):
    lines = [f"# glassland GPU check kit: {document['device']}", "",
             f"size {document['size']}, {document['seconds']:.0f} s", "",
             "| check | result | s | detail |", "|---|---|---|---|"]
    for c in document["checks"]:
        lines.append(f"| {c['name']} | {c['status']} | {c['seconds']} | {c['detail']} |")
    lines += ["", "| throughput | R | atoms | atom-steps/s | notes |", "|---|---|---|---|---|"]
    for r in document["throughput"]:
        if "status" in r:
            lines.append(f"| {r['kind']} | | | | {r['status']} |")
            continue
        notes = ", ".join(f"{k} {v:.4g}" if isinstance(v, float) else f"{k} {v}"
                          for k, v in r.items()
                          if k not in ("kind", "replicas", "atoms", "atom_steps_per_s"))
        lines.append(f"| {r['kind']} | {r['replicas']} | {r['atoms']} | "
                     f"{r['atom_steps_per_s']:.3e} | {notes} |")
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("inputs")
    p.add_argument("--bin", required=True)
    p.add_argument("--kit", required=True)
    p.add_argument("--size", choices=sorted(SIZES), default="full")
    p = sub.add_parser("reference")
    p.add_argument("--bin", required=True)
    p.add_argument("--kit", required=True)
    p = sub.add_parser("device")
    p.add_argument("--kit", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--bin", help="programs to check (default KIT/bin)")
    p.add_argument("--budget", type=float, default=340.0, help="seconds for everything")
    p.add_argument("--throughput-budget", type=float, default=120.0)
    p.add_argument("--tests-budget", type=float, default=80.0)
    p.add_argument("--sanitizer-budget", type=float, default=90.0)
    p.add_argument("--no-sanitizer", action="store_true")
    p.add_argument("--tests", help="gtest filter for the device test runner")
    p.add_argument("--work", help="scratch directory (default /tmp/glassland_kit_PID)")
    p.add_argument("--keep-work", action="store_true")
    args = parser.parse_args()
    if args.command == "inputs":
        command_inputs(args)
    elif args.command == "reference":
        command_reference(args)
    else:
        sys.exit(command_device(args))


if __name__ == "__main__":
    main()
