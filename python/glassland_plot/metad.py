"""Figures of `task: metad` (docs/metadynamics.md): per tracer the FES with its convergence
history, the first event's basins and saddle, the CV and the bias versus time; the barriers of
all tracers with the parallel, sequential and mixed effective barriers (SPEC.md §6, paper 001
Eq. 6: mixed = ½(parallel + sequential)); the transmission coefficient κ per event.

results.h5: tracers/grid_s and tracers/tracer_NNNN/{fes/{s,F}, fes_history/{step,F}, cv/{step,
value}, bias/{step,value}, barrier_eV, hop_distance_A, event_step, transmission/...}.
summary.json: tracers[] and barrier_parallel_eV, barrier_sequential_eV.
"""
import json

import numpy as np
from matplotlib.ticker import MaxNLocator

from glassland_plot import readers, style
from glassland_plot.registry import by_content, comparison, figure, recogniser

# Tolerance for "F(saddle) − F(initial minimum) is the reported barrier": both are values of
# the same stored FES array, so they agree to rounding.
BARRIER_MATCH_EV = 1e-9


@recogniser
def recognise_metad(path):
    """results.h5 with tracers/, or summary.json with tracers[]."""
    return by_content(path, "metad", "tracers",
                      lambda d: isinstance(d.get("tracers"), list) and "temperature_K" in d)


def metad_settings(result):
    """(metad.timestep in ps, CV axis label) from the effective configuration (defaults 0.002
    ps and the hop distance when absent)."""
    try:
        settings = json.loads(result.configuration())["metad"]
    except (ValueError, KeyError, TypeError):
        settings = {}
    cv = settings.get("cv", "hop_distance")
    label = {"hop_distance": "hop distance s (Å)",
             "cluster_rmsd": "cluster RMSD s (Å)"}.get(cv, f"{cv.replace('_', ' ')} s")
    return float(settings.get("timestep", 0.002)), label


def event_geometry(s, free_energy, cv, barrier, hop_distance, surface_s=float("nan")):
    """Grid indices (initial minimum, saddle, next minimum) of a tracer's first event, or None.

    results.h5 holds the barrier ΔG, the hop distance a (the next basin's minimum) and, with
    transmission shots, the saddle's s; the task found them on the FES analysed over the range
    the CV visited (cv/free_energy.hpp). The saddle is the grid point between the start of the
    CV and a (the transmission surface when given) whose height above the lowest point of the
    visited range before it is ΔG; that lowest point is the initial minimum.
    """
    first = int(np.searchsorted(s, np.min(cv) - 1e-9))
    start = int(np.argmin(np.abs(s - cv[0])))
    next_minimum = int(np.argmin(np.abs(s - hop_distance)))
    if np.isfinite(surface_s):
        candidates = [int(np.argmin(np.abs(s - surface_s)))]
    elif next_minimum > start:
        candidates = range(start + 1, next_minimum)
    else:
        candidates = range(start - 1, next_minimum, -1)
    for saddle in candidates:
        if next_minimum > start:
            side = np.arange(first, saddle)
        else:
            last = int(np.searchsorted(s, np.max(cv) + 1e-9)) - 1
            side = np.arange(saddle + 1, last + 1)
        if side.size == 0:
            continue
        initial = int(side[np.argmin(free_energy[side])])
        if abs(free_energy[saddle] - free_energy[initial] - barrier) < BARRIER_MATCH_EV:
            return initial, saddle, next_minimum
    return None


def _tracer_names(h5):
    return [n for n in h5.groups("tracers") if n.startswith("tracer_")]


@figure("metad", dataset="tracers/grid_s")
def tracer_figures(result, context):
    """Per tracer: FES with history and the first event's points; CV and bias versus time."""
    dt, cv_label = metad_settings(result)
    with result.h5() as h5:
        s = h5.array("tracers/grid_s")
        for name in _tracer_names(h5):
            yield name, _tracer_figure(h5, f"tracers/{name}", name, s, dt, cv_label)


def _tracer_figure(h5, base, name, s, dt, cv_label):
    f = h5.array(base + "/fes/F")
    cv_step, cv = h5.array(base + "/cv/step"), h5.array(base + "/cv/value")
    bias_step, bias = h5.array(base + "/bias/step"), h5.array(base + "/bias/value")
    found = bool(h5.scalar(base + "/event_found", dtype=int))
    fig, axes = style.new_figure(3, 1, height_in=4.6, gridspec_kw={"height_ratios": [2, 1, 1]})
    ax = axes[0]
    visited = (s >= np.min(cv) - 0.5) & (s <= np.max(cv) + 0.5)
    if h5.has(base + "/fes_history/F"):
        history = h5.array(base + "/fes_history/F")
        history_steps = h5.array(base + "/fes_history/step", dtype=np.int64)
        colors = style.sequential_colors(len(history))
        for k, (row, step) in enumerate(zip(history, history_steps)):
            ax.plot(s[visited], row[visited], color=colors[k], linewidth=0.5,
                    gid=f"fes_history:{k}",
                    label=f"history, {history_steps[0] * dt:g}–{history_steps[-1] * dt:g} ps"
                    if k == 0 else None)
    ax.plot(s[visited], f[visited], color="black", linewidth=1.3, gid="fes", label="final FES")
    if found:
        barrier = h5.scalar(base + "/barrier_eV")
        surface = h5.scalar(base + "/transmission/surface_s") \
            if h5.has(base + "/transmission/surface_s") else float("nan")
        points = event_geometry(s, f, cv, barrier, h5.scalar(base + "/hop_distance_A"),
                                surface)
        if points is not None:
            labels = ("initial minimum", "saddle", "next basin (a)")
            markers = ("o", "^", "s")
            for k, (index, label) in enumerate(zip(points, labels)):
                ax.plot([s[index]], [f[index]], linestyle="none", marker=markers[k],
                        markersize=5, color=style.color(k + 1), gid=label.split(" (")[0],
                        label=f"{label}, s = {s[index]:.2f} Å")
            ax.annotate(f"ΔG = {barrier:.3f} eV", (s[points[1]], f[points[1]]),
                        xytext=(4, 4), textcoords="offset points", fontsize=7,
                        bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none",
                              "alpha": 0.8})
        else:  # say so rather than draw a FES that looks as if it had no event
            ax.text(0.02, 0.04, f"event ΔG = {barrier:.3f} eV: basins and saddle not located "
                    "on this FES", transform=ax.transAxes, fontsize=6, color=style.color(1),
                    gid="event_points_not_located")
    ax.set_xlabel(cv_label)
    ax.set_ylabel("F (eV)")
    ax.legend(fontsize=6, loc="best")
    atom = h5.scalar(base + "/atom_id", dtype=np.int64)
    species = h5.text(base + "/species")
    temperature = h5.scalar(base + "/temperature_K")
    ax.set_title(f"{name.replace('_', ' ')}: atom {atom} ({species}), {temperature:g} K")

    event_time = None
    if found and h5.scalar(base + "/event_step", dtype=np.int64) >= 0:
        event_time = h5.scalar(base + "/event_step", dtype=np.int64) * dt
    axes[1].plot(cv_step * dt, cv, color=style.color(0), gid="cv")
    axes[1].set_ylabel("s (Å)")
    axes[2].plot(bias_step * dt, bias, color=style.color(1), gid="bias")
    axes[2].set_ylabel("bias V (eV)")
    axes[2].set_xlabel("time (ps)")
    axes[2].sharex(axes[1])
    if event_time is not None:
        for k, panel in enumerate(axes[1:]):
            panel.axvline(event_time, color="0.4", linestyle=":", linewidth=0.8, gid="event",
                          label="first event" if k == 0 else None)
        axes[1].legend(fontsize=6, loc="best")
    return fig


def _summary_barriers(result):
    summary = result.json("summary")
    tracers = readers.key(summary, result.files["summary"], "tracers", list)
    events = [t for t in tracers if t.get("event_found")]
    return summary, events


@figure("metad", needs="summary")
def barrier_histogram(result, context):
    """The tracers' barriers with the parallel, sequential and mixed effective barriers."""
    summary, events = _summary_barriers(result)
    if not events:
        return
    barriers = np.array([readers.number_or_nan(t["barrier_eV"]) for t in events])
    fig, ax = style.new_figure(height_in=2.4)
    width = max(0.02, (np.ptp(barriers) or 0.1) / max(4, int(np.sqrt(len(barriers))) + 2))
    edges = np.arange(np.floor(barriers.min() / width) * width, barriers.max() + width, width)
    if len(edges) < 2:
        edges = np.array([barriers.min() - width / 2, barriers.min() + width / 2])
    counts, _, _ = ax.hist(barriers, bins=edges, color=style.color(5), edgecolor="white",
                           gid="barriers", label=f"{len(barriers)} tracers with an event")
    parallel = readers.number_or_nan(summary.get("barrier_parallel_eV"))
    sequential = readers.number_or_nan(summary.get("barrier_sequential_eV"))
    lines = [("parallel", parallel, "--"), ("sequential", sequential, "-."),
             ("mixed", 0.5 * (parallel + sequential), ":")]
    for k, (label, value, linestyle) in enumerate(lines):
        if np.isfinite(value):
            ax.axvline(value, color=style.color(k + 1), linestyle=linestyle, linewidth=1.4,
                       gid=label, label=f"ΔG_{label[:3]} = {value:.3f} eV")
    ax.set_xlabel("ΔG (eV)")
    ax.set_ylabel("tracers")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylim(0, 1.6 * max(counts))  # room for the legend above the bars
    temperature = summary.get("temperature_K")
    if isinstance(temperature, (int, float)):
        ax.set_title(f"first-event barriers at {temperature:g} K")
    ax.legend(fontsize=6)
    yield "barriers", fig


@figure("metad", needs="summary")
def transmission_coefficients(result, context):
    """κ (reactive flux, ± standard error) of each tracer's event, when shots were run."""
    _, events = _summary_barriers(result)
    events = [t for t in events if t.get("transmission_coefficient") is not None]
    if not events:
        return
    kappa = np.array([t["transmission_coefficient"] for t in events], dtype=float)
    error = np.array([readers.number_or_nan(t.get("transmission_standard_error"))
                      for t in events])
    positions = np.arange(len(events))
    fig, ax = style.new_figure(height_in=2.2)
    ax.bar(positions, kappa, color=style.color(0), gid="kappa")
    style.errorbar(ax, positions, kappa, error, "kappa_value", linestyle="none", color="black",
                   capsize=2, elinewidth=0.8)
    ax.set_xticks(positions, [f"{t['atom_id']}\n{t.get('species', '')}" for t in events])
    ax.set_xlabel("tracer atom ID")
    ax.set_ylabel("κ")
    ax.set_ylim(0, max(1.05, float(np.nanmax(kappa + np.nan_to_num(error))) + 0.05))
    shots = events[0].get("transmission_shots")
    ax.set_title(f"transmission coefficient per event ({shots} shots each)" if shots else
                 "transmission coefficient per event")
    yield "kappa", fig


@comparison("metad")
def compare_barriers(results, context):
    """Cumulative distributions of the event barriers of several metad results."""
    fig, ax = style.new_figure(height_in=2.4)
    drawn = False
    for k, result in enumerate(results):
        if "summary" not in result.files:
            continue
        _, events = _summary_barriers(result)
        barriers = np.sort([readers.number_or_nan(t["barrier_eV"]) for t in events])
        if barriers.size == 0:
            continue
        fraction = np.arange(1, barriers.size + 1) / barriers.size
        ax.step(barriers, fraction, where="post", color=style.color(k), gid=result.label,
                label=f"{result.label} ({barriers.size})")
        drawn = True
    if not drawn:
        style.close(fig)
        return
    ax.set_xlabel("ΔG (eV)")
    ax.set_ylabel("cumulative fraction of events")
    ax.legend(fontsize=6)
    yield "barrier_distributions", fig
