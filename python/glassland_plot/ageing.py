"""Figures of `glassland analyze ageing -o X.json` and `glassland analyze mobility -o X.json`
(docs/ageing.md; paper 003 Figs. 1–2 and 4):

* ageing_series: E_IS per atom against time, one line per replica (loaded dashed);
* ageing_maps: the unloaded and loaded ageing-rate maps −Φ(E_IS, T) and the ratio f = Φ^L/Φ^0
  as pixel images on the (E_IS, T) grid of the analysis;
* ageing_ratio_fit: the ratio points f ± σ_f against x = τ/(k_B T) (τ in eV/Å³) with the fitted
  f = κ cosh(x V_act) (paper 003 Eq. 1);
* mobility_p_hop: the histogram of every atom's largest p_hop;
* mobility_df: D.F.(X %) against X (1 marks no correlation).
"""
import math

import numpy as np

from glassland_plot import readers, style
from glassland_plot.registry import figure

K_B_EV_PER_K = 8.617333262e-5  # CODATA 2018, as analysis/constants.hpp
EV_PER_A3_PER_GPA = 1.0 / 160.2176634  # 1 GPa in eV/Å³


def _grid(rows):
    """A [row][column] list with nulls as a float array with NaN."""
    return np.array([[math.nan if v is None else float(v) for v in row] for row in rows],
                    dtype=float)


@figure("analyze_ageing")
def ageing_series(result, context):
    path = result.files["analysis"]
    document = result.json("analysis")
    replicas = readers.key(document, path, "replicas", list)
    fig, ax = style.new_figure(height_in=2.6)
    temperatures = sorted({r["temperature_K"] for r in replicas})
    colors = dict(zip(temperatures, style.sequential_colors(len(temperatures))))
    for r in replicas:
        ax.plot(r["time_ps"], r["energy_per_atom_eV"], color=colors[r["temperature_K"]],
                linestyle="--" if r["loaded"] else "-", linewidth=0.8,
                gid=f"series:{r['replica']}:{r['file']}")
    for t in temperatures:
        ax.plot([], [], color=colors[t], label=f"{t:g} K")
    ax.plot([], [], color="0.3", linestyle="--", label="loaded")
    ax.set_xlabel("time (ps)")
    ax.set_ylabel("E_IS (eV/atom)")
    ax.legend(fontsize=6)
    yield "ageing_series", fig


@figure("analyze_ageing")
def ageing_maps(result, context):
    path = result.files["analysis"]
    document = result.json("analysis")
    grid = readers.key(document, path, "grid", dict)
    edges = np.asarray(grid["energy_edges_eV_per_atom"], dtype=float)
    temperatures = np.asarray(grid["temperature_K"], dtype=float)
    # One row of pixels per temperature: rows centred on it, spaced by the smallest gap.
    gap = np.min(np.diff(temperatures)) if len(temperatures) > 1 else 50.0
    t_edges = np.concatenate([temperatures - gap / 2, [temperatures[-1] + gap / 2]])
    panels = [(name, label) for name, label in
              (("unloaded", "−Φ⁰ (eV/atom/ps)"), ("loaded", "−Φᴸ (eV/atom/ps)"))
              if name in document]
    if "ratio" in document:
        panels.append(("ratio", "f = Φᴸ/Φ⁰"))
    fig, axes = style.new_figure(rows=len(panels), height_in=1.9 * len(panels), sharex=True,
                                 squeeze=False)
    for ax, (name, label) in zip(axes[:, 0], panels):
        values = (_grid(document["ratio"]["f"]) if name == "ratio"
                  else -_grid(document[name]["rate_eV_per_atom_ps"]))
        # Rates change sign where a glass rejuvenates: a diverging map centred on 0.
        scale = np.nanmax(np.abs(values)) if np.isfinite(values).any() else 1.0
        colours = {} if name == "ratio" else {"cmap": "RdBu_r", "vmin": -scale, "vmax": scale}
        mesh = ax.pcolormesh(edges, t_edges if len(temperatures) > 1 else
                             [temperatures[0] - 25, temperatures[0] + 25],
                             np.ma.masked_invalid(values), shading="flat", gid=f"map:{name}",
                             **colours)
        fig.colorbar(mesh, ax=ax, label=label)
        ax.set_yticks(temperatures)
        ax.set_ylabel("T (K)")
        ax.set_title(name, fontsize=7)
    axes[-1, 0].set_xlabel("E_IS (eV/atom)")
    yield "ageing_maps", fig


@figure("analyze_ageing")
def ageing_ratio_fit(result, context):
    document = result.json("analysis")
    fit = document.get("activation_volume")
    if not fit or not fit.get("points") or not fit["points"].get("f"):
        return
    points = fit["points"]
    x = (np.asarray(points["shear_stress_GPa"], dtype=float) * EV_PER_A3_PER_GPA /
         (K_B_EV_PER_K * np.asarray(points["temperature_K"], dtype=float)))
    fig, ax = style.new_figure(height_in=2.5)
    style.errorbar(ax, x, points["f"], points["f_error"], gid="points", linestyle="none",
                   marker="o", color=style.color(0), label=f"pixels ({len(x)})")
    if fit.get("V_act_A3") is not None:
        volume, kappa = fit["V_act_A3"]["value"], fit["kappa"]["value"]
        span = np.max(np.abs(x)) if len(x) else 1.0
        grid = np.linspace(min(0.0, np.min(x)), 1.05 * span, 200)
        ax.plot(grid, kappa * np.cosh(grid * volume), color=style.color(1), gid="fit",
                label=f"κ cosh(τV/k_BT): V = {volume:.3g} ± {fit['V_act_A3']['error']:.2g} Å³")
    ax.set_xlabel("τ/(k_B T) (1/Å³)")
    ax.set_ylabel("f = Φᴸ/Φ⁰")
    ax.legend(fontsize=6)
    yield "ageing_ratio_fit", fig


@figure("analyze_mobility")
def mobility_p_hop(result, context):
    path = result.files["analysis"]
    document = result.json("analysis")
    series = readers.key(document, path, "series", list)
    fig, ax = style.new_figure(height_in=2.4)
    for k, s in enumerate(series):
        values = np.asarray(s["atoms"]["p_hop_max_A2"], dtype=float)
        ax.hist(values, bins=40, histtype="step", color=style.color(k), gid=f"p_hop:{k}",
                label=s.get("source", f"series {k}"))
    ax.set_xlabel("max p_hop (Å²)")
    ax.set_ylabel("atoms")
    ax.set_yscale("log")
    ax.legend(fontsize=5)
    yield "mobility_p_hop", fig


@figure("analyze_mobility")
def mobility_df(result, context):
    document = result.json("analysis")
    series = [s for s in document.get("series", []) if "disproportionate_factor" in s]
    if not series:
        return
    fig, ax = style.new_figure(height_in=2.4)
    for k, s in enumerate(series):
        rows = s["disproportionate_factor"]
        ax.plot([r["percent"] for r in rows],
                [math.nan if r["value"] is None else r["value"] for r in rows],
                marker=style.marker(k), color=style.color(k), gid=f"df:{k}",
                label=s.get("source", f"series {k}"))
    ax.axhline(1.0, color="0.5", linewidth=0.6, linestyle=":")
    ax.set_xscale("log")
    ax.set_xlabel("X (%)")
    ax.set_ylabel("D.F.(X %)")
    ax.legend(fontsize=5)
    yield "mobility_df", fig
