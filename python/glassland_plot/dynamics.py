"""Figures of single-particle dynamics (docs/analysis.md, paper 002): `glassland analyze dynamics
-o OUT.json|OUT.h5` and md's on-the-fly analysis (dynamics.json / dynamics.h5 of `md.analysis`).

- `msd`: MSD(t) per series and species on log-log axes; the straight line of the D fit,
  MSD = intercept + 2d·D·t over its fit window (D in m²/s = 10⁸ Å²/ps), drawn over the window,
  and the window of the first series' all-atom fit shaded.
- `alpha2`: the non-Gaussian parameter α2(t) (log t).
- `fs`: F_s(q, t) at the document's first q (log t), 1/e and τ_α marked, D·τ_α in the legend.
- `van_hove`: the self part of the van Hove function at the lags present, as the distribution of
  displacements P(r) = G_s(r, t) · shell / Δr (shell: the bin's 4π/3 (r₂³ − r₁³), π (r₂² − r₁²)
  in 2D, which analysis/dynamics_observables.cpp divided by), so Σ P Δr + the fraction beyond
  the last bin is 1; one panel per set (all, each element) of the first series.
- `diffusion_arrhenius`: D(T) against 1000/T with D0 exp(−Q/k_BT) (≥ 3 series temperatures).
- `stokes_einstein`: D·τ_α/T against T per set (≥ 2 series with a temperature and τ_α).

Series are told apart by colour when there are several (sets by line style), sets by colour
when there is one.
"""
import math

import numpy as np

from glassland_plot import style, trajectory_documents
from glassland_plot.readers import PlotInputError
from glassland_plot.registry import figure
from glassland_plot.trajectory_documents import numbers, series_label, series_of

K_B_EV_PER_K = 8.617333262e-5  # CODATA 2018, as analysis/constants.hpp
A2_PER_PS_PER_M2_PER_S = 1e8  # 1 m²/s = 10²⁰ Å² / 10¹² ps
LINE_STYLES = ["-", "--", ":", "-."]
LABELLED_SERIES = 6


def sets_of(series):
    """'all' then the elements of a series, in the document's order."""
    msd = series.get("msd_A2", {})
    return [name for name in msd if name == "all"] + [n for n in msd if n != "all"]


def _look(series_count, k, set_index):
    """(colour, line style) of set `set_index` of series k."""
    if series_count == 1:
        return style.color(set_index), "-"
    return style.color(k), LINE_STYLES[set_index % len(LINE_STYLES)]


def _label(series_count, series, k, name):
    """Legend text of a line; with many series only the first LABELLED_SERIES are named (a
    100-replica md run would otherwise bury the axes under its legend)."""
    if k >= LABELLED_SERIES:
        return None
    return name if series_count == 1 else f"{series_label(series, k)}, {name}"


def _dynamics(result):
    document, path = trajectory_documents.document(result)
    return document, path, series_of(document, path)


def _lags(series, path):
    if "lag_ps" not in series:
        raise PlotInputError(f"{path}: a series has no 'lag_ps'")
    return numbers(series["lag_ps"])


@figure("analyze_dynamics")
@figure("md", needs=trajectory_documents.MD_DYNAMICS)
def dynamics_figures(result, context):
    document, path, all_series = _dynamics(result)
    yield "msd", msd_figure(all_series, path)
    yield "alpha2", alpha2_figure(all_series, path)
    if any("fs" in s for s in all_series):
        yield "fs", fs_figure(all_series, path)
    if "van_hove" in all_series[0]:
        yield "van_hove", van_hove_figure(all_series[0], path)
    if isinstance(document.get("diffusion_arrhenius"), dict):
        yield "diffusion_arrhenius", diffusion_arrhenius_figure(document["diffusion_arrhenius"])
    stokes = stokes_einstein_figure(all_series)
    if stokes is not None:
        yield "stokes_einstein", stokes


def _per_lag_lines(ax, all_series, path, key, gid, positive=False):
    """One line per series and set of series[key][set] against lag_ps (lag 0 and undefined
    values left out; with `positive`, values ≤ 0 too, for log axes)."""
    n = len(all_series)
    for k, series in enumerate(all_series):
        lag = _lags(series, path)
        for j, name in enumerate(sets_of(series)):
            values = numbers(series.get(key, {}).get(name, []))
            if values.size != lag.size:
                raise PlotInputError(f"{path}: {key}.{name} has {values.size} values for "
                                     f"{lag.size} lags")
            shown = (lag > 0) & np.isfinite(values) & ((values > 0) if positive else True)
            colour, linestyle = _look(n, k, j)
            ax.plot(lag[shown], values[shown], color=colour, linestyle=linestyle,
                    gid=f"{gid}:{k}:{name}", label=_label(n, series, k, name))


def msd_figure(all_series, path):
    fig, ax = style.new_figure(height_in=2.7)
    n = len(all_series)
    _per_lag_lines(ax, all_series, path, "msd_A2", "msd", positive=True)
    for k, series in enumerate(all_series):
        d = int(series.get("dimensions", 3))
        for j, name in enumerate(sets_of(series)):
            fit = series.get("diffusion_m2_per_s", {}).get(name, {})
            if fit.get("value") is None or "fit_window_ps" not in fit:
                continue
            start, end = (float(t) for t in fit["fit_window_ps"])
            window = np.linspace(start, end, 20)
            slope = 2 * d * float(fit["value"]) * A2_PER_PS_PER_M2_PER_S
            ax.plot(window, float(fit.get("intercept_A2") or 0.0) + slope * window,
                    color="black", linewidth=2.2, alpha=0.35, solid_capstyle="butt",
                    gid=f"fit:{k}:{name}",
                    label=(f"fit, D = {float(fit['value']):.3g} m²/s" if n == 1 and j == 0
                           else "D fits" if k == 0 and j == 0 else None))
            if k == 0 and name == "all":
                ax.axvspan(start, end, color="0.85", alpha=0.5, linewidth=0, gid="fit_window",
                           label=f"fit window {start:g}–{end:g} ps")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("t (ps)")
    ax.set_ylabel("MSD (Å²)")
    ax.legend(fontsize=5.5, ncol=2 if n > 2 else 1)
    return fig


def alpha2_figure(all_series, path):
    fig, ax = style.new_figure(height_in=2.4)
    _per_lag_lines(ax, all_series, path, "alpha2", "alpha2")
    ax.axhline(0.0, color="0.6", linewidth=0.5, gid="gaussian")
    ax.set_xscale("log")
    ax.set_xlabel("t (ps)")
    ax.set_ylabel("α2(t)")
    ax.legend(fontsize=5.5, ncol=2 if len(all_series) > 2 else 1)
    return fig


def fs_figure(all_series, path):
    n = len(all_series)
    fig, ax = style.new_figure(height_in=2.5 if n <= 2 else 2.5 + 0.1 * n * 3)
    q_values = set()
    for k, series in enumerate(all_series):
        if "fs" not in series:
            continue
        lag = _lags(series, path)
        fs = series["fs"]
        q_values.add(f"{float(fs['q_inv_A']):.3g}")
        for j, name in enumerate(sets_of(series)):
            if name not in fs:
                continue
            colour, linestyle = _look(n, k, j)
            values = numbers(fs[name])
            shown = (lag > 0) & np.isfinite(values)
            label = _label(n, series, k, name)
            d_tau = series.get("stokes_einstein", {}).get(name, {}).get("d_tau_alpha_A2")
            if d_tau is not None and math.isfinite(d_tau):
                label += f", D·τ_α = {d_tau:.3g} Å²"
            ax.plot(lag[shown], values[shown], color=colour, linestyle=linestyle,
                    gid=f"fs:{k}:{name}", label=label)
            tau = series.get("tau_alpha_ps", {}).get(name)
            if tau is not None and math.isfinite(tau):
                ax.plot([tau], [math.exp(-1.0)], linestyle="none", marker="o",
                        markerfacecolor="white", color=colour, gid=f"tau_alpha:{k}:{name}",
                        label=f"τ_α = {tau:.3g} ps" if n == 1 else None)
    ax.axhline(math.exp(-1.0), color="0.5", linewidth=0.6, linestyle=":", gid="one_over_e",
               label="1/e")
    ax.set_xscale("log")
    ax.set_xlabel("t (ps)")
    q_text = ", ".join(sorted(q_values))
    ax.set_ylabel(f"F_s(q, t), q = {q_text} Å⁻¹")
    if n > 2:  # many entries: below the axes
        ax.legend(fontsize=5, ncol=2, loc="upper center", bbox_to_anchor=(0.5, -0.22))
    else:
        ax.legend(fontsize=5.5, loc="lower left")
    return fig


def displacement_distribution(g_s, r_centres, bin_width, dimensions):
    """P(r) (1/Å) of G_s per bin: G_s × the bin's shell measure / bin width."""
    r1, r2 = r_centres - bin_width / 2, r_centres + bin_width / 2
    shell = 4 * math.pi / 3 * (r2 ** 3 - r1 ** 3) if dimensions == 3 else math.pi * (
        r2 ** 2 - r1 ** 2)
    return g_s * shell / bin_width


def van_hove_figure(series, path):
    van_hove = series["van_hove"]
    r = numbers(van_hove["r_A"])
    lags = numbers(van_hove["lag_ps"])
    width = float(van_hove["bin_A"])
    d = int(series.get("dimensions", 3))
    names = [name for name in sets_of(series) if name in van_hove]
    fig, axes = style.new_figure(len(names), 1, height_in=1.3 * len(names) + 0.5, sharex=True)
    axes = np.atleast_1d(axes)
    colours = style.sequential_colors(len(lags))
    for ax, name in zip(axes, names):
        per_lag = van_hove[name]
        if len(per_lag) != len(lags):
            raise PlotInputError(f"{path}: van_hove.{name} has {len(per_lag)} rows for "
                                 f"{len(lags)} lags")
        for v, lag in enumerate(lags):
            distribution = displacement_distribution(numbers(per_lag[v]), r, width, d)
            ax.plot(r, distribution, color=colours[v], gid=f"van_hove:{name}:{v}",
                    label=f"t = {lag:g} ps")
        ax.set_ylabel(f"{'4πr²' if d == 3 else '2πr'}G_s (1/Å)")
        ax.set_title(f"{name}: {series_label(series, 0)}", fontsize=7)
    axes[0].legend(fontsize=6)
    axes[-1].set_xlabel("displacement r (Å)")
    axes[-1].set_xlim(0, _reach(van_hove, names, r, width, d))
    return fig


def _reach(van_hove, names, r, width, d):
    """The r beyond which every drawn P(r) is below 1 % of its maximum (the axis range)."""
    reach = 2 * width
    for name in names:
        for row in van_hove[name]:
            p = np.nan_to_num(displacement_distribution(numbers(row), r, width, d))
            significant = np.nonzero(p > 0.01 * p.max())[0] if p.max() > 0 else []
            if len(significant):
                reach = max(reach, r[significant[-1]] + width)
    return reach * 1.1


def diffusion_arrhenius_figure(fit):
    temperature = numbers(fit["temperature_K"])
    diffusion = numbers(fit["diffusion_m2_per_s"])
    q, d0 = float(fit["Q_eV"]["value"]), float(fit["D0_m2_per_s"]["value"])
    fig, ax = style.new_figure(height_in=2.4)
    ax.plot(1000 / temperature, diffusion, linestyle="none", marker="o", color=style.color(0),
            gid="data", label="D of all atoms per series")
    grid = np.linspace(temperature.min(), temperature.max(), 50)
    ax.plot(1000 / grid, d0 * np.exp(-q / (K_B_EV_PER_K * grid)), color=style.color(1),
            gid="fit", label=f"Q = {q:.3f} ± {float(fit['Q_eV']['error']):.3f} eV")
    ax.set_yscale("log")
    trajectory_documents.short_log_labels(ax)
    ax.set_xlabel("1000/T (1/K)")
    ax.set_ylabel("D (m²/s)")
    ax.legend(fontsize=6)
    return fig


def stokes_einstein_figure(all_series):
    """D·τ_α/T against T per set, or None with fewer than two series that have both."""
    points = {}
    for series in all_series:
        temperature = series.get("temperature_K")
        for name, values in series.get("stokes_einstein", {}).items():
            value = values.get("d_tau_alpha_over_T_A2_per_K")
            if isinstance(temperature, (int, float)) and value is not None and math.isfinite(
                    value) and math.isfinite(temperature):
                points.setdefault(name, []).append((temperature, value))
    if not any(len(p) >= 2 for p in points.values()):
        return None
    fig, ax = style.new_figure(height_in=2.4)
    for j, (name, pairs) in enumerate(points.items()):
        pairs.sort()
        ax.plot([p[0] for p in pairs], [p[1] for p in pairs], marker=style.marker(j),
                color=style.color(j), gid=f"stokes_einstein:{name}", label=name)
    ax.set_xlabel("T (K)")
    ax.set_ylabel("D·τ_α / T (Å²/K)")
    ax.set_title("Stokes–Einstein: constant where it holds", fontsize=7)
    ax.legend(fontsize=6)
    return fig
