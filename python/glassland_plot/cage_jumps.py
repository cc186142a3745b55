"""Figures of `glassland analyze cage-jumps -o OUT.json|OUT.h5` (docs/analysis.md; paper 002
after Lü & Wang):

- `jump_lengths` (with `--list-jumps`): histograms of the jump lengths |l| of each series, one
  panel for all atoms and one per element (each listed jump names its element), with √⟨l²⟩ of
  that set (`species.<set>.mean_squared_length_A2`) marked in its panel; the same bins in every
  panel. Jumps listed without an element (files of older versions) give the all-atoms panel only.
- `jump_statistics`: per set Γ (jumps per atom per ps) and ⟨l²⟩ against the series
  (temperature when known).
- `jump_arrhenius` (≥ 3 temperatures: the document's `arrhenius`): Γ and ⟨l²⟩ of all atoms against
  1000/T with the fitted y0 exp(−Q/k_BT) (Q1 from Γ, Q2 from ⟨l²⟩).
"""
import math

import numpy as np

from glassland_plot import readers, style, trajectory_documents
from glassland_plot.registry import figure
from glassland_plot.trajectory_documents import series_label, series_of, short_log_labels

K_B_EV_PER_K = 8.617333262e-5  # CODATA 2018, as analysis/constants.hpp
LINE_STYLES = ["-", "--", ":", "-."]


@figure("analyze_cage-jumps")
def cage_jump_figures(result, context):
    document, path = trajectory_documents.document(result)
    all_series = series_of(document, path)
    if any(s.get("jumps") for s in all_series):
        yield "jump_lengths", jump_lengths_figure(all_series)
    yield "jump_statistics", jump_statistics_figure(all_series, path)
    if isinstance(document.get("arrhenius"), dict):
        yield "jump_arrhenius", jump_arrhenius_figure(document["arrhenius"], all_series)


def set_names(series):
    species = series.get("species", {})
    return [n for n in species if n == "all"] + [n for n in species if n != "all"]


def jump_elements(all_series):
    """The elements named by the listed jumps, in the order of the series' species."""
    named = {j.get("element") for s in all_series for j in s.get("jumps", [])}
    if None in named:
        return []
    return [name for name in set_names(all_series[0]) if name != "all" and name in named]


def jump_lengths_figure(all_series):
    elements = jump_elements(all_series)
    panels = ["all"] + elements
    lengths = [np.array([float(j["length_A"]) for j in s.get("jumps", [])]) for s in all_series]
    longest = max((x.max() for x in lengths if x.size), default=1.0)
    edges = np.linspace(0.0, longest * 1.05, 26)
    fig, axes = style.new_figure(len(panels), 1, height_in=1.3 + 1.2 * len(panels), sharex=True)
    axes = np.atleast_1d(axes)
    for ax, name in zip(axes, panels):
        for k, series in enumerate(all_series):
            values = np.array([float(j["length_A"]) for j in series.get("jumps", [])
                               if name == "all" or j["element"] == name])
            if not values.size:
                continue
            counts, _ = np.histogram(values, bins=edges)
            ax.stairs(counts, edges, color=style.color(k), linewidth=1.1,
                      gid=f"lengths:{k}" if name == "all" else f"lengths:{k}:{name}",
                      label=f"{series_label(series, k)}: {values.size} jumps")
            l2 = series.get("species", {}).get(name, {}).get("mean_squared_length_A2")
            if l2 is None or not math.isfinite(l2):
                continue
            ax.axvline(math.sqrt(l2), color=style.color(k), linestyle=LINE_STYLES[1],
                       linewidth=0.7, gid=f"rms_length:{k}:{name}",
                       label=f"√⟨l²⟩ = {math.sqrt(l2):.2f} Å" if len(all_series) == 1
                       else ("√⟨l²⟩" if k == 0 else None))
        ax.set_title("all atoms" if name == "all" else f"{name} atoms", fontsize=7)
        ax.set_ylabel("jumps per bin")
        ax.legend(fontsize=5.5)
    axes[-1].set_xlabel("jump length |l| (Å)")
    return fig


def _x_of(all_series):
    """(x values, axis label): the series' temperatures when all have one, else their order."""
    temperatures = [s.get("temperature_K") for s in all_series]
    if all(isinstance(t, (int, float)) and math.isfinite(t) for t in temperatures):
        return np.array(temperatures, dtype=float), "T (K)"
    return np.arange(len(all_series), dtype=float), "series"


def jump_statistics_figure(all_series, path):
    x, x_label = _x_of(all_series)
    order = np.argsort(x, kind="stable")
    fig, axes = style.new_figure(2, 1, height_in=3.4, sharex=True)
    names = set_names(all_series[0])
    for j, name in enumerate(names):
        stats = [readers.key(s.get("species", {}), path, name, dict) for s in all_series]
        rate = np.array([readers.number_or_nan(s.get("rate_per_ps")) for s in stats])
        l2 = np.array([readers.number_or_nan(s.get("mean_squared_length_A2")) for s in stats])
        for ax, values, quantity in ((axes[0], rate, "rate"), (axes[1], l2, "l2")):
            ax.plot(x[order], values[order], marker=style.marker(j), color=style.color(j),
                    gid=f"{quantity}:{name}", label=name)
    axes[0].set_ylabel("Γ (1/ps per atom)")
    axes[1].set_ylabel("⟨l²⟩ (Å²)")
    axes[1].set_xlabel(x_label)
    axes[0].legend(fontsize=6)
    return fig


def jump_arrhenius_figure(fits, all_series):
    temperature = np.array(fits["temperature_K"], dtype=float)
    fig, axes = style.new_figure(2, 1, height_in=3.6, sharex=True)
    grid = np.linspace(temperature.min(), temperature.max(), 50)
    by_temperature = {s.get("temperature_K"): s["species"]["all"] for s in all_series}
    panels = (("rate", "rate_per_ps", "cage_breaking_Q1_from_rate", "Γ (1/ps per atom)", "Q1"),
              ("l2", "mean_squared_length_A2", "hopping_Q2_from_mean_squared_length",
               "⟨l²⟩ (Å²)", "Q2"))
    for ax, (gid, column, name, label, q_name) in zip(axes, panels):
        values = np.array([by_temperature[t][column] for t in temperature], dtype=float)
        fit = fits[name]
        q, y0 = float(fit["Q_eV"]["value"]), float(fit["prefactor"]["value"])
        ax.plot(1000 / temperature, values, linestyle="none", marker="o", color=style.color(0),
                gid=f"{gid}:data", label="all atoms")
        ax.plot(1000 / grid, y0 * np.exp(-q / (K_B_EV_PER_K * grid)), color=style.color(1),
                gid=f"{gid}:fit",
                label=f"{q_name} = {q:.3f} ± {float(fit['Q_eV']['error']):.3f} eV")
        ax.set_yscale("log")
        short_log_labels(ax)
        ax.set_ylabel(label)
        ax.legend(fontsize=6)
    axes[1].set_xlabel("1000/T (1/K)")
    return fig
