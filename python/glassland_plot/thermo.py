"""Thermodynamics of `task: prepare` and `task: md` (and the biased run of `task: metad`):
results.h5 observables/<name>/{step,time,value[record][replica]} (docs/tasks.md), the prepare
summary.json (stages, stops) and H5MD trajectory frames particles/replica_NNNN/position (in
trajectory.h5md next to results.h5, or STEM_trajectory.h5md next to STEM.h5; older runs kept
them in results.h5).

Density from the volume and the replica's mass, the mass from the Masses and Atoms of the
replica's final_NNNN.data (1 amu/Å³ = 1.66053906660 g/cm³, CODATA 2018 atomic mass constant).
"""
import json

import numpy as np

from glassland_plot import melt_check, readers, style
from glassland_plot.readers import PlotInputError
from glassland_plot.registry import Result, by_content, comparison, figure, recogniser

AMU_PER_A3_IN_G_PER_CM3 = 1.66053906660

# Panels of the thermodynamics-versus-time figure: (observable, y label, per atom).
PANELS = {
    "prepare": [("temperature", "T (K)", False), ("pressure", "P (bar)", False),
                ("density", "ρ (g/cm³)", False), ("potential_energy", "PE (eV/atom)", True),
                ("enthalpy", "H (eV/atom)", True)],
    "md": [("temperature", "T (K)", False), ("pressure", "P (bar)", False),
           ("density", "ρ (g/cm³)", False), ("potential_energy", "PE (eV/atom)", True),
           ("conserved_energy", "E_cons (eV/atom)", True)],
}
PANELS["metad"] = PANELS["md"]


@recogniser
def recognise_thermo_results(path):
    """results.h5 of md or prepare (observables, no tracers/events/bands), prepare summary.json."""
    if path.suffix == ".h5":
        with readers.H5(path) as h5:
            if not h5.has("observables") or h5.has("tracers"):
                return None
        task = "prepare" if _task(readers.effective_configuration_text(path)) == "prepare" \
            else "md"
        return Result(task, path.parent, {"h5": path}, path.parent.name)
    return by_content(path, "prepare", json_test=lambda d: "stages" in d and "replicas" in d)


def replica_count(h5):
    return h5.array("observables/temperature/value").reshape(
        len(h5.array("observables/temperature/step")), -1).shape[1]


def trajectory_file(result):
    """The H5MD trajectory of a results.h5 (docs/tasks.md): its own file next to it, or the
    results.h5 itself for runs written before trajectories got their own file."""
    results = result.file("h5")
    stem = results.stem
    own = results.with_name("trajectory.h5md" if stem == "results" else f"{stem}_trajectory.h5md")
    return own if own.is_file() else results


def atoms_per_replica(result, h5):
    """Atoms per replica: results.h5's parameters/atoms_per_replica, the H5MD species of replica 0
    (older results), or the prepare summary."""
    if h5.has("parameters/atoms_per_replica"):
        return int(h5.array("parameters/atoms_per_replica", dtype=None)[0])
    with readers.H5(trajectory_file(result)) as trajectory:
        if trajectory.has("particles/replica_0000/species"):
            return len(trajectory.array("particles/replica_0000/species", dtype=None))
    if "summary" in result.files:
        return int(readers.key(result.json("summary"), result.files["summary"],
                               "atoms_per_replica"))
    raise PlotInputError(f"{h5.path}: no particles/replica_0000/species to count the atoms")


def replica_masses(result, replicas):
    """Mass (amu) of each replica from its final_NNNN.data, or None when a file is missing."""
    masses = []
    for r in range(replicas):
        data_file = result.base / f"final_{r:04d}.data"
        if not data_file.is_file():
            return None
        data = readers.read_lammps_data(data_file)
        if not data.masses:
            return None
        masses.append(data.total_mass())
    return masses


def thermo_series(h5, name, masses):
    """(time ps, values[record][replica]) of a panel: an observable, or the density (g/cm³) from
    the volume and the replicas' masses (amu)."""
    if name == "density":
        _, time, volume = readers.observable(h5, "volume")
        return time, AMU_PER_A3_IN_G_PER_CM3 * np.asarray(masses)[None, :] / volume
    _, time, value = readers.observable(h5, name)
    return time, value


def _panels(result, h5, masses):
    panels = []
    for name, label, per_atom in PANELS[result.kind]:
        if name == "density" and masses is None:
            name, label, per_atom = "volume", "V (Å³/atom)", True
        source = "volume" if name == "density" else name
        if h5.has(f"observables/{source}/value"):
            panels.append((name, label, per_atom))
    return panels


def stage_starts(result):
    """[(name, time ps)] of the prepare stages (summary.json), else []."""
    if "summary" not in result.files:
        return []
    summary = result.json("summary")
    dt = summary.get("timestep_ps")
    if dt is None:
        return []
    return [(s["name"], s["first_step"] * dt) for s in summary.get("stages", [])]


@figure("prepare", dataset="observables/temperature")
@figure("md", dataset="observables/temperature")
@figure("metad", dataset="observables/temperature")
def thermo_time(result, context):
    """T, P, ρ, PE, H (or E_cons) versus time, one line per replica; prepare stages marked."""
    with result.h5() as h5:
        replicas = replica_count(h5)
        atoms = atoms_per_replica(result, h5)
        masses = replica_masses(result, replicas)
        panels = _panels(result, h5, masses)
        fig, axes = style.new_figure(len(panels), 1, height_in=1.05 * len(panels) + 0.5,
                                     sharex=True)
        for ax, (name, label, per_atom) in zip(axes, panels):
            time, value = thermo_series(h5, name, masses)
            if per_atom:
                value = value / atoms
            for r in range(replicas):
                ax.plot(time, value[:, r], color=style.color(r), gid=f"{name}:{r}",
                        label=f"replica {r}" if replicas <= 8 else None)
            if name == "temperature" and h5.has("observables/target_temperature/value"):
                _, t_time, target = readers.observable(h5, "target_temperature")
                for r in range(replicas):
                    ax.plot(t_time, target[:, r], color=style.color(r), linestyle="--",
                            linewidth=0.7, gid=f"target_temperature:{r}",
                            label="target" if r == 0 else None)
            ax.set_ylabel(label)
        for name, start in stage_starts(result):
            for ax in axes:
                ax.axvline(start, color="0.6", linewidth=0.5, linestyle=":", gid=f"stage:{name}")
            axes[0].annotate(name, (start, 1.0), xycoords=("data", "axes fraction"),
                             fontsize=6, va="bottom", ha="left", color="0.4")
        axes[-1].set_xlabel("time (ps)")
        axes[0].legend(ncol=min(replicas + 1, 4), loc="upper right", fontsize=6)
        if result.kind == "prepare":
            melt_check.mark_unmelted(result, axes)
    yield "thermo_time", fig


def cooling_ramp(result, h5):
    """(mask of the thermo records of the cool stage of summary.json, all records without one;
    target temperature[record][replica])."""
    step, _, target = readers.observable(h5, "target_temperature")
    stages = {s["name"]: s for s in result.json("summary").get("stages", [])} \
        if "summary" in result.files else {}
    if "cool" not in stages:
        return np.ones(len(step), dtype=bool), target
    first, steps = stages["cool"]["first_step"], stages["cool"]["steps"]
    return (step >= first) & (step <= first + steps), target


@figure("prepare", dataset="observables/target_temperature")
def thermo_temperature(result, context):
    """ρ, PE and H per atom versus the target temperature over the cooling ramp, one line per
    replica; T_g marked where the summary has one (summary 'glass_transition_K')."""
    with result.h5() as h5:
        replicas = replica_count(h5)
        atoms = atoms_per_replica(result, h5)
        masses = replica_masses(result, replicas)
        ramp, target = cooling_ramp(result, h5)
        names = [p for p in _panels(result, h5, masses) if p[0] not in ("temperature",
                                                                          "pressure")]
        fig, axes = style.new_figure(len(names), 1, height_in=1.1 * len(names) + 0.5,
                                     sharex=True)
        for ax, (name, label, per_atom) in zip(np.atleast_1d(axes), names):
            _, value = thermo_series(h5, name, masses)
            if per_atom:
                value = value / atoms
            for r in range(replicas):
                ax.plot(target[ramp, r], value[ramp, r], color=style.color(r),
                        gid=f"{name}:{r}", label=f"replica {r}" if replicas <= 8 else None)
            ax.set_ylabel(label)
            for r, record in enumerate(result.json("summary").get("replicas", [])
                                       if "summary" in result.files else []):
                if record.get("glass_transition_K") is not None:
                    ax.axvline(record["glass_transition_K"], color=style.color(r),
                               linestyle="--", linewidth=0.7, gid=f"T_g:{r}",
                               label=f"T_g = {record['glass_transition_K']:.0f} K")
        axes = np.atleast_1d(axes)
        axes[-1].set_xlabel("T (K), thermostat target during cooling")
        axes[0].legend(loc="best", fontsize=6)
        melt_check.mark_unmelted(result, axes)
    yield "thermo_temperature", fig


@figure("md", needs="h5")
def trajectory_snapshot(result, context):
    """The last trajectory frame of each replica (up to four) projected on the x–y plane,
    coloured by species (H5MD particles/replica_NNNN/position, species)."""
    with readers.H5(trajectory_file(result)) as h5:
        if not h5.has("particles"):
            return
        names = h5.groups("particles")[:4]
        frames = [h5.array(f"particles/{n}/position/value") for n in names]
        if not names or any(f.shape[0] == 0 for f in frames):
            return
        elements = potential_elements(result.configuration())
        fig, axes = style.new_figure(1, len(names), height_in=1.9 if len(names) > 1 else 3.0,
                                     width_in=style.COLUMN_WIDTH_IN if len(names) < 3 else 7.0)
        for ax, name, frame in zip(np.atleast_1d(axes), names, frames):
            species = h5.array(f"particles/{name}/species", dtype=np.int64)
            time = h5.array(f"particles/{name}/position/time")[-1]
            for k, s in enumerate(np.unique(species)):
                mine = species == s
                label = elements[s - 1] if 1 <= s <= len(elements) else f"species {s}"
                ax.scatter(frame[-1, mine, 0], frame[-1, mine, 1], s=2.0, color=style.color(k),
                           linewidths=0, gid=f"{name}:species:{s}", label=label)
            ax.set_aspect("equal")
            ax.set_title(f"{name.replace('_', ' ')}, t = {time:g} ps")
            ax.set_xlabel("x (Å)")
            ax.set_ylabel("y (Å)")
        np.atleast_1d(axes)[0].legend(loc="upper right", markerscale=3, fontsize=6)
    yield "trajectory_snapshot", fig


def potential_elements(configuration):
    """Element names in the potential's order (the H5MD species are 1-based indices into it):
    line 4 of the setfl file system.potential of the effective configuration (JSON text); []
    if it cannot be read."""
    try:
        potential = json.loads(configuration)["system"]["potential"]
        with open(potential, encoding="latin-1") as stream:
            words = [next(stream) for _ in range(4)][3].split()
        return words[1:1 + int(words[0])]
    except (ValueError, KeyError, TypeError, OSError, StopIteration, IndexError):
        return []


def _task(configuration):
    """The "task" of an effective configuration (JSON text), None if absent."""
    try:
        return json.loads(configuration).get("task")
    except (ValueError, AttributeError, TypeError):
        return None


@comparison("prepare")
def compare_potential_energy(results, context):
    """PE per atom versus the target temperature over the cooling ramp, every replica of every
    result, one colour per result."""
    fig, ax = style.new_figure(height_in=2.6)
    for k, result in enumerate(results):
        with result.h5() as h5:
            atoms = atoms_per_replica(result, h5)
            ramp, target = cooling_ramp(result, h5)
            _, _, energy = readers.observable(h5, "potential_energy")
        for r in range(energy.shape[1]):
            ax.plot(target[ramp, r], energy[ramp, r] / atoms, color=style.color(k),
                    gid=f"{result.label}:{r}", label=result.label if r == 0 else None)
    ax.set_xlabel("T (K), thermostat target during cooling")
    ax.set_ylabel("PE (eV/atom)")
    ax.legend()
    yield "potential_energy_vs_temperature", fig
