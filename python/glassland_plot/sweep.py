"""Figures of `glassland sweep` (docs/sweep.md): from sweep_summary.json, for a metad sweep the
analysis chain of paper 000 (Wang et al., Acta Mater. 2018, Eq. 2: ΔG(T, P) = ΔQ + PV − TΔS) —
ΔG(T) at each pressure with the ΔS fit and ΔG(P) at each temperature with the V fit, the
effective barriers with their errors, the lines and bands `glassland analyze activation` would
draw, every tracer's barrier behind them — and, for any task, the status of every point over
the first two axes.

sweep_summary.json: points[] (point, axes {path: value}, status), axes[] ({path, values}),
chain {entropy[], volume[], barriers_by_tracer[]}; each chain entry holds `conditions` and
`fits` as `analyze activation` writes them, or a `note` when there is no fit.
"""
import numpy as np

from glassland_plot import readers, style
from glassland_plot.analyze import draw_activation
from glassland_plot.registry import by_content, figure, recogniser

STATUSES = ("finished", "finished_with_failures", "failed", "not_run")
BAR_PER_GPA = 1e4


@recogniser
def recognise_sweep(path):
    """sweep_summary.json: a JSON object with points[] and the sweep's axes[]."""
    return by_content(path, "sweep", json_test=lambda d: isinstance(d.get("points"), list) and
                      isinstance(d.get("axes"), list) and "combine" in d)


def _chain(result):
    document = result.json("summary")
    chain = document.get("chain") or {}
    return result.file("summary"), chain


def _tracer_points(chain, select):
    """(x, barrier) of every tracer barrier of the chain's barriers_by_tracer for which
    select(series, temperature) gives x (None: not drawn)."""
    xs, ys = [], []
    for series in chain.get("barriers_by_tracer", []):
        for temperature, barrier in zip(series["temperature_K"], series["barrier_eV"]):
            x = select(series, temperature)
            if x is not None and barrier is not None:
                xs.append(x)
                ys.append(barrier)
    return np.array(xs, dtype=float), np.array(ys, dtype=float)


def _same(a, b):
    return a is None and b is None or a is not None and b is not None and a == b


@figure("sweep", needs="summary")
def activation_entropy(result, context):
    """ΔG(T) at each pressure with the ΔS fit (one figure per series of the chain)."""
    path, chain = _chain(result)
    for k, entry in enumerate(chain.get("entropy", [])):
        if "fits" not in entry:
            continue
        fig, ax = style.new_figure(height_in=2.6)
        pressure = entry.get("pressure_bar")
        x, y = _tracer_points(chain, lambda s, t: t if _same(s["pressure_bar"], pressure)
                              else None)
        ax.plot(x, y, linestyle="none", marker=".", color="0.7", gid="tracers",
                label="tracers")
        draw_activation(ax, path, "temperature", "temperature_K", entry["conditions"],
                        entry["fits"])
        where = "no pressure imposed" if pressure is None else f"P = {pressure:g} bar"
        ax.set_title(f"ΔG(T), {where}")
        yield f"activation_entropy_{k:02d}", fig


@figure("sweep", needs="summary")
def activation_volume(result, context):
    """ΔG(P) at each temperature with the V fit (one figure per series of the chain)."""
    path, chain = _chain(result)
    for k, entry in enumerate(chain.get("volume", [])):
        if "fits" not in entry:
            continue
        fig, ax = style.new_figure(height_in=2.6)
        temperature = entry.get("temperature_K")
        x, y = _tracer_points(chain, lambda s, t: s["pressure_bar"] / BAR_PER_GPA
                              if t == temperature and s["pressure_bar"] is not None else None)
        ax.plot(x, y, linestyle="none", marker=".", color="0.7", gid="tracers",
                label="tracers")
        draw_activation(ax, path, "pressure", "pressure_GPa", entry["conditions"],
                        entry["fits"])
        ax.set_title(f"ΔG(P), T = {temperature:g} K")
        yield f"activation_volume_{k:02d}", fig


def _axis_positions(values):
    """Plot coordinates of an axis's values: the numbers themselves, else their positions (with
    the JSON text as tick labels)."""
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
        return [float(v) for v in values], None
    labels = [str(v) for v in values]
    return [float(k) for k in range(len(values))], labels


@figure("sweep", needs="summary")
def point_status(result, context):
    """Every point at its axis values (the first two axes), marked finished, finished with failed
    replicas (its results count), failed or not run.
    Artists: status:<status> with the points' coordinates."""
    path = result.file("summary")
    document = result.json("summary")
    axes = readers.key(document, path, "axes", list)
    points = readers.key(document, path, "points", list)
    shown = [a["path"] for a in axes[:2]]
    coordinates = {}
    ticks = []
    for a in axes[:2]:
        positions, labels = _axis_positions(a["values"])
        lookup = {repr(v): x for v, x in zip(a["values"], positions)}
        coordinates[a["path"]] = lookup
        ticks.append((positions, labels))
    fig, ax = style.new_figure(height_in=2.4)
    markers = {"finished": ("o", style.color(2)), "finished_with_failures": ("D", style.color(3)),
               "failed": ("X", style.color(1)), "not_run": ("s", "0.6")}
    for status in STATUSES:
        chosen = [p for p in points if p["status"] == status]
        x = [coordinates[shown[0]][repr(p["axes"][shown[0]])] for p in chosen]
        y = ([coordinates[shown[1]][repr(p["axes"][shown[1]])] for p in chosen]
             if len(shown) > 1 else [0.0] * len(chosen))
        symbol, colour = markers[status]
        ax.plot(x, y, linestyle="none", marker=symbol, markersize=8, color=colour,
                gid=f"status:{status}", label=f"{status.replace('_', ' ')} ({len(chosen)})")
    ax.set_xlabel(shown[0])
    if ticks[0][1]:
        ax.set_xticks(ticks[0][0], ticks[0][1])
    if len(shown) > 1:
        ax.set_ylabel(shown[1])
        if ticks[1][1]:
            ax.set_yticks(ticks[1][0], ticks[1][1])
    else:
        ax.set_yticks([])
    if len(axes) > 2:
        ax.set_title(f"first two of {len(axes)} axes", fontsize=7)
    ax.margins(0.15)
    ax.legend(fontsize=6, loc="best")
    yield "point_status", fig
