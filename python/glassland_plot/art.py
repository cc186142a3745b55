"""Figures of `task: art` (docs/tasks.md, docs/art.md): the barrier spectrum with its normal,
log-normal and two-mode fits and Shannon entropy (made by `glassland analyze barriers`, so the
fits are the analysis library's, not redone here), a map of the barriers by centre atom,
barrier versus asymmetry per event, and for walks (art.walk) the disconnectivity graph.

Disconnectivity graph (Becker & Karplus, J. Chem. Phys. 106, 1495 (1997); Wales, Miller &
Walsh, Nature 394, 758 (1998)): minima merge into one superbasin at the lowest energy at which
a path of saddles joins them. Here the energy levels are continuous: the edges (lowest saddle
per pair of minima, results.h5 connectivity/) are taken in order of saddle energy and each one
that joins two different superbasins (Kruskal's minimum spanning tree, union-find) is a node at
its saddle energy; each minimum is a leaf at its energy.

events.json: events[] with success, barrier_eV, asymmetry_eV, center_atom (atom ID), minimum,
files.initial (with write_structures). results.h5: events/* columns, minima/source.
"""
import subprocess
import tempfile
from pathlib import Path

import numpy as np

from glassland_plot import analyze, readers, style
from glassland_plot.readers import PlotInputError
from glassland_plot.registry import by_content, comparison, figure, recogniser


@recogniser
def recognise_art(path):
    """results.h5 with an events/ table, or events.json with events[]."""
    return by_content(path, "art", "events/barrier_eV",
                      lambda d: isinstance(d.get("events"), list), "events")


def successful_events(result):
    """Records of the successful searches: events.json, else rebuilt from the results.h5
    table (columns by name)."""
    if "events" in result.files:
        path = result.files["events"]
        events = [e for e in result.json("events")["events"] if e.get("success")]
        for k, event in enumerate(events):
            if not isinstance(readers.key(event, path, "barrier_eV"), (int, float)):
                raise PlotInputError(f"{path}: successful event {k}: 'barrier_eV' is not a "
                                     "number")
        return events
    with result.h5() as h5:
        success = h5.array("events/success", dtype=np.int64).astype(bool)
        columns = {"barrier_eV": "barrier_eV", "asymmetry_eV": "asymmetry_eV",
                   "center_atom": "center_atom_id", "minimum": "minimum",
                   "search_id": "search_id"}
        table = {k: h5.array(f"events/{v}", dtype=None) for k, v in columns.items()}
    return [{k: table[k][i].item() for k in table} for i in np.flatnonzero(success)]


def barrier_analysis(result, context):
    """The `analyze barriers` document of the successful events' barriers (all three fits, no
    bootstrap) at context.temperature."""
    program = context.program
    if not program or not Path(program).is_file():
        raise PlotInputError(f"{result.base}: the ART barrier spectrum needs the glassland "
                             "program for `glassland analyze barriers` (run `glassland plot`, "
                             "not the Python package alone)")
    with tempfile.TemporaryDirectory(prefix="glassland_plot_") as scratch:
        source = result.files.get("events")
        if source is None:  # only results.h5: the barriers as a one-column table
            source = Path(scratch) / "barriers.csv"
            barriers = [e["barrier_eV"] for e in successful_events(result)]
            source.write_text("barrier_eV\n" + "".join(f"{b!r}\n" for b in barriers))
        output = Path(scratch) / "analysis.json"
        command = [program, "analyze", "barriers", str(source), "-T",
                   repr(context.temperature), "--bootstrap", "0", "-o", str(output)]
        run = subprocess.run(command, capture_output=True, text=True)
        if run.returncode != 0:
            raise PlotInputError(f"{source}: `{' '.join(command)}` failed: "
                                 f"{run.stderr.strip()}")
        return readers.read_json(output)


@figure("art")
def barrier_spectrum(result, context):
    if len(successful_events(result)) < 1:
        return
    entry = barrier_analysis(result, context)["results"][0]
    yield "barrier_spectrum", analyze.spectrum_figure(
        entry, f"ART barrier spectrum, {result.label}", effective_barriers=False)


def centre_positions(result, events):
    """(x, y) in Å of each event's centre atom in its initial minimum, from the event's
    initial-structure file (write_structures), else from minima/source, and the box bounds of
    the first file; None if neither file exists."""
    cache = {}
    positions = []
    if any("center_atom" not in e for e in events):
        return None
    for event in events:
        files = event.get("files") or {}
        path = None
        if files.get("initial"):
            path = result.base / files["initial"]
        elif "h5" in result.files:
            with result.h5() as h5:
                sources = h5.array("minima/source", dtype=None) if h5.has("minima/source") \
                    else []
            if event["minimum"] < len(sources):
                name = sources[event["minimum"]]
                name = name.decode() if isinstance(name, bytes) else str(name)
                path = next((p for p in (Path(name), result.base / name) if p.is_file()), None)
        if path is None or not Path(path).is_file():
            return None
        if path not in cache:
            cache[path] = readers.read_lammps_data(path)
        data = cache[path]
        row = np.flatnonzero(data.ids == event["center_atom"])
        if row.size != 1:
            raise PlotInputError(f"{path}: no atom with ID {event['center_atom']} (the centre "
                                 f"atom of search {event.get('search_id')})")
        positions.append(data.positions[row[0], :2])
    return np.array(positions), next(iter(cache.values())).bounds


@figure("art")
def barrier_map(result, context):
    """Barriers by centre atom, projected on x–y (lowest barrier drawn on top)."""
    events = successful_events(result)
    if not events:
        return
    found = centre_positions(result, events)
    if found is None:
        return
    positions, bounds = found
    barriers = np.array([e["barrier_eV"] for e in events], dtype=float)
    order = np.argsort(-barriers)
    fig, ax = style.new_figure(height_in=2.9)
    points = ax.scatter(positions[order, 0], positions[order, 1], c=barriers[order], s=14,
                        cmap=style.SEQUENTIAL_MAP, edgecolors="0.2", linewidths=0.3,
                        gid="centres")
    fig.colorbar(points, ax=ax, label="barrier (eV)")
    ax.set_xlim(*bounds[0])
    ax.set_ylim(*bounds[1])
    ax.set_aspect("equal")
    ax.set_xlabel("x (Å)")
    ax.set_ylabel("y (Å)")
    minima = len({e["minimum"] for e in events})
    ax.set_title(f"{len(events)} events by centre atom" + (f", {minima} minima" if minima > 1
                                                           else ""))
    yield "barrier_map", fig


@figure("art")
def barrier_asymmetry(result, context):
    """Barrier versus asymmetry E_final − E_initial of every successful event."""
    events = successful_events(result)
    if not events or any("asymmetry_eV" not in e for e in events):
        return
    fig, ax = style.new_figure(height_in=2.4)
    ax.plot([e["asymmetry_eV"] for e in events], [e["barrier_eV"] for e in events],
            linestyle="none", marker="o", color=style.color(0), markersize=3, gid="events")
    ax.axvline(0.0, color="0.7", linewidth=0.5)
    ax.set_xlabel("asymmetry E_final − E_initial (eV)")
    ax.set_ylabel("barrier (eV)")
    yield "barrier_asymmetry", fig


def merge_tree(minima_energies, edge_a, edge_b, edge_saddle):
    """The disconnectivity tree: [(node, child, child, energy)] for every merge, nodes numbered
    after the minima (minimum i is node i), in order of energy. Minima without a connecting
    path stay in separate trees."""
    parent = list(range(len(minima_energies)))
    top = list(range(len(minima_energies)))  # tree node at the top of each superbasin root

    def root(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    merges = []
    for k in np.argsort(edge_saddle, kind="stable"):
        a, b = root(int(edge_a[k])), root(int(edge_b[k]))
        if a == b:
            continue
        node = len(minima_energies) + len(merges)
        merges.append((node, top[a], top[b], float(edge_saddle[k])))
        parent[b] = a
        top[a] = node
    return merges


@figure("art", dataset="connectivity/edge_e_saddle_eV")
def disconnectivity_graph(result, context):
    """Minima (leaves at their energies) merging at the saddles that join them (walks only)."""
    with result.h5() as h5:
        energies = h5.array("connectivity/minima_energy_eV")
        edge_a = h5.array("connectivity/edge_minimum_a", dtype=np.int64)
        edge_b = h5.array("connectivity/edge_minimum_b", dtype=np.int64)
        saddle = h5.array("connectivity/edge_e_saddle_eV")
    if saddle.size == 0:
        return
    merges = merge_tree(energies, edge_a, edge_b, saddle)
    reference = np.nanmin(energies)
    height = {i: energies[i] - reference for i in range(len(energies))}
    children = {}
    for node, a, b, energy in merges:
        height[node] = energy - reference
        children[node] = (a, b)
    position, leaves_placed = {}, [0]

    def place(node):  # leaves left to right in tree order; a node above its children's middle
        if node in children:
            position[node] = 0.5 * (place(children[node][0]) + place(children[node][1]))
        else:
            position[node] = float(leaves_placed[0])
            leaves_placed[0] += 1
        return position[node]

    merged = {c for pair in children.values() for c in pair}
    roots = [n for n in list(children) + list(range(len(energies)))
             if n not in merged and np.isfinite(height[n])]
    for node in sorted(roots, key=lambda n: height[n]):
        place(node)
    fig, ax = style.new_figure(height_in=2.8)
    for node, (a, b) in children.items():
        for child in (a, b):
            ax.plot([position[child], position[child], position[node]],
                    [height[child], height[node], height[node]], color=style.color(0),
                    linewidth=0.9, gid=f"branch:{child}:{node}")
    leaves = [i for i in range(len(energies)) if i in position]
    ax.plot([position[i] for i in leaves], [height[i] for i in leaves], linestyle="none",
            marker="o", markersize=2.5, color=style.color(1), gid="minima",
            label=f"{len(leaves)} minima, {len(merges)} joining saddles")
    ax.set_xticks([])
    ax.set_xlabel("minima")
    ax.set_ylabel("E − E_lowest minimum (eV)")
    ax.legend(fontsize=6)
    yield "disconnectivity", fig


@comparison("art")
def compare_spectra(results, context):
    """Normalised barrier spectra (probability density) of several ART results."""
    samples = [(r, np.array([e["barrier_eV"] for e in successful_events(r)])) for r in results]
    samples = [(r, b) for r, b in samples if b.size]
    if not samples:
        return
    every = np.concatenate([b for _, b in samples])
    edges = np.histogram_bin_edges(every, bins=min(30, max(5, every.size // 10)))
    fig, ax = style.new_figure(height_in=2.4)
    for k, (result, barriers) in enumerate(samples):
        ax.hist(barriers, bins=edges, density=True, histtype="step", color=style.color(k),
                linewidth=1.1, gid=result.label, label=f"{result.label} ({barriers.size})")
    ax.set_xlabel("barrier (eV)")
    ax.set_ylabel("probability density (1/eV)")
    ax.legend(fontsize=6)
    yield "barrier_spectra", fig
