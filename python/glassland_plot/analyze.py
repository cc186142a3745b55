"""Figures of the JSON written by `glassland analyze barriers|activation|tst|fit|entropy|
glass-transition|entropy-temperature|disconnectivity -o` (docs/analyze.md): barrier spectra with
the fitted densities, effective barriers and Shannon entropy; ΔG(T) → ΔS and ΔG(P) → V with
their fit lines and confidence bands; TST rates with the critical barriers; Arrhenius, VFT, kink
(T_g) and linear fits over their data; histograms and label distributions of `entropy`; T_g fits
of prepare's cooling record per replica; dynamic and structural entropy against temperature and
their correlation; the disconnectivity graph's segments.

Fitted densities (docs/analyze.md, paper 004 Eq. 1): normal N(μ, σ); log-normal with m, s the
mean and standard deviation of ln(ΔG / 1 eV); two-mode P = W e^{−x/ε}/ε + W′ x e^{−(x−μ)²/2σ²}
on x ≥ 0, W′ = (1 − W)/Z, Z = σ² e^{−μ²/2σ²} + μσ√(π/2) erfc(−μ/σ√2). A histogram of n
barriers with bin width w is compared with n·w·P(x).

Confidence bands are ±1 standard error of the fitted curve from the fit's covariance (delta
method: var f(x) = ∇f · C · ∇f over the fitted parameters).
"""
import csv
import math
from pathlib import Path

import numpy as np
from matplotlib.collections import LineCollection

from glassland_plot import readers, style
from glassland_plot.readers import PlotInputError
from glassland_plot.registry import Result, figure, recogniser

K_B_EV_PER_K = 8.617333262e-5  # CODATA 2018, as analysis/constants.hpp


@recogniser
def recognise_analysis(path):
    """A JSON document whose "command" is "analyze <sub-command>"."""
    if path.suffix != ".json":
        return None
    document = readers.read_json(path)
    command = document.get("command", "") if isinstance(document, dict) else ""
    if not isinstance(command, str) or not command.startswith("analyze "):
        return None
    return Result("analyze_" + command.split()[1], path.parent, {"analysis": path}, path.stem)


# ---- distributions ----

def normal_density(x, mu, sigma):
    return np.exp(-0.5 * ((x - mu) / sigma) ** 2) / (sigma * math.sqrt(2 * math.pi))


def lognormal_density(x, m, s):
    x = np.asarray(x, dtype=float)
    out = np.zeros_like(x)
    positive = x > 0
    out[positive] = np.exp(-0.5 * ((np.log(x[positive]) - m) / s) ** 2) / (
        x[positive] * s * math.sqrt(2 * math.pi))
    return out


def two_mode_density(x, w, epsilon, mu, sigma):
    """The two-mode density; the parameters of an absent mode (epsilon when w = 0, mu and sigma
    when w = 1) are undefined (null in the fit) and not used."""
    x = np.asarray(x, dtype=float)
    mode_one = w / epsilon * np.exp(-x / epsilon) if w > 0 else 0.0 * x
    density = mode_one
    if w < 1:
        z = sigma ** 2 * math.exp(-mu ** 2 / (2 * sigma ** 2)) + mu * sigma * math.sqrt(
            math.pi / 2) * math.erfc(-mu / (sigma * math.sqrt(2)))
        density = mode_one + (1 - w) / z * x * np.exp(-(x - mu) ** 2 / (2 * sigma ** 2))
    return np.where(x >= 0, density, 0.0)


def _value(parameters, name):
    """A fitted value; an undefined parameter (null, with its reason) reads as nan."""
    value = parameters[name]["value"]
    return math.nan if value is None else float(value)


DENSITIES = {
    "normal": lambda x, p: normal_density(x, _value(p, "mu_eV"), _value(p, "sigma_eV")),
    "lognormal": lambda x, p: lognormal_density(x, _value(p, "m"), _value(p, "s")),
    "two_mode": lambda x, p: two_mode_density(x, _value(p, "W"), _value(p, "epsilon_eV"),
                                              _value(p, "mu_eV"), _value(p, "sigma_eV")),
}
FIT_LABELS = {"normal": "normal", "lognormal": "log-normal", "two_mode": "two-mode"}


def spectrum_figure(entry, title, effective_barriers=True):
    """A barrier histogram (shannon.counts) with the fitted densities scaled to counts, the
    Shannon entropy and (if asked) the sample's effective barriers; `entry` is one results[i]
    of `analyze barriers`."""
    shannon = entry["shannon"]
    width, origin = float(shannon["bin_width_eV"]), float(shannon["origin_eV"])
    counts = np.asarray(shannon["counts"], dtype=float)
    n = int(entry["sample"]["n"])
    centres = origin + width * (np.arange(len(counts)) + 0.5)
    fig, ax = style.new_figure(height_in=2.5)
    ax.bar(centres, counts, width=width, color=style.color(5), edgecolor="white",
           linewidth=0.4, gid="histogram",
           label=f"{n} barriers")
    x = np.linspace(max(0.0, origin - width), origin + width * (len(counts) + 1), 400)
    for k, fit in enumerate(f for f in entry.get("fits", []) if "parameters" in f):
        model = fit["model"]
        if model not in DENSITIES:
            continue
        ax.plot(x, n * width * DENSITIES[model](x, fit["parameters"]), color=style.color(k),
                gid=f"fit:{model}",
                label=f"{FIT_LABELS[model]} fit (AIC {fit['aic']:.0f})" if "aic" in fit
                else f"{FIT_LABELS[model]} fit")
    effective = entry.get("effective_barriers", {}) if effective_barriers else {}
    for k, (name, linestyle) in enumerate((("parallel", "--"), ("sequential", "-."),
                                           ("mixed", ":"))):
        value = effective.get(f"{name}_eV")
        if value is not None:
            ax.axvline(value, color="0.25", linestyle=linestyle, linewidth=0.9, gid=name,
                       label=f"ΔG_{name[:3]} = {value:.3f} eV ({entry['temperature_K']:g} K)")
    ax.set_xlabel("barrier (eV)")
    ax.set_ylabel("count per bin")
    ax.set_title(f"{title}\nS = {shannon['entropy']:.3f}, e^S = {shannon['diversity']:.2f} "
                 f"(bins of {width:g} eV)")
    ax.legend(fontsize=5.5, loc="best", frameon=True, framealpha=0.85, edgecolor="none")
    return fig


@figure("analyze_barriers")
def barrier_spectra(result, context):
    document = result.json("analysis")
    entries = readers.key(document, result.files["analysis"], "results", list)
    for k, entry in enumerate(entries):
        name = "spectrum" if len(entries) == 1 else f"spectrum_{k}"
        yield name, spectrum_figure(entry, f"{Path(str(entry.get('source', ''))).name}")


# ---- activation: ΔG(T) → ΔS, ΔG(P) → V ----

KINDS = ("parallel", "sequential", "mixed", "mean")


def line_band(x, slope, intercept, variance_slope, variance_intercept, covariance):
    """y = intercept + slope x and its standard error at each x."""
    y = intercept + slope * x
    variance = variance_intercept + x ** 2 * variance_slope + 2 * x * covariance
    return y, np.sqrt(np.maximum(variance, 0.0))


@figure("analyze_activation")
def activation(result, context):
    """Effective barriers (± bootstrap SE) versus T or P, with the fitted lines and bands."""
    path = result.files["analysis"]
    document = result.json("analysis")
    fig, ax = style.new_figure(height_in=2.6)
    draw_activation(ax, path, document.get("variable", "temperature"),
                    readers.key(document, path, "condition_column"),
                    readers.key(document, path, "conditions", list),
                    readers.key(document, path, "fits", dict))
    yield "activation", fig


def draw_activation(ax, path, variable, column, conditions, fits):
    """The effective barriers of each kind in `fits` at `conditions` (entries of `analyze
    activation`'s JSON, or of a sweep's chain, which holds the same) with the fitted lines and
    their bands; returns the x grid of the lines. Artists: <kind>:data, <kind>:fit,
    <kind>:band."""
    x = np.array([readers.key(c, path, column) for c in conditions], dtype=float)
    span = np.ptp(x) or 1.0
    grid = np.linspace(x.min() - 0.05 * span, x.max() + 0.05 * span, 100)
    for k, kind in enumerate(kind for kind in KINDS if kind in fits):
        values = np.array([c[f"{kind}_eV"]["value"] for c in conditions], dtype=float)
        errors = np.array([readers.number_or_nan(c[f"{kind}_eV"].get("standard_error"))
                           for c in conditions])
        fit = fits[kind]
        intercept = fit["intercept_0K_eV" if variable == "temperature" else "intercept_0GPa_eV"]
        y, band = line_band(grid, fit["slope"]["value"], intercept["value"],
                            readers.number_or_nan(fit["slope"]["error"]) ** 2,
                            readers.number_or_nan(intercept["error"]) ** 2,
                            readers.number_or_nan(fit.get("covariance_slope_intercept")))
        if variable == "temperature":
            e = fit["entropy_kB"]
            label = f"{kind}: ΔS = {e['value']:.1f} ± {readers.number_or_nan(e['error']):.1f} k_B"
        else:
            v = fit["volume_A3"]
            label = f"{kind}: V = {v['value']:.1f} ± {readers.number_or_nan(v['error']):.1f} Å³"
        style.errorbar(ax, x, values, errors, f"{kind}:data", linestyle="none",
                       marker=style.marker(k), color=style.color(k), capsize=2, label=label)
        ax.plot(grid, y, color=style.color(k), linewidth=0.8, gid=f"{kind}:fit")
        ax.fill_between(grid, y - band, y + band, color=style.color(k), alpha=0.2,
                        linewidth=0, gid=f"{kind}:band")
    ax.set_xlabel("T (K)" if variable == "temperature" else "P (GPa)")
    ax.set_ylabel("ΔG (eV)")
    ax.legend(fontsize=6)
    return grid


# ---- TST ----

@figure("analyze_tst")
def tst_rates(result, context):
    """ν = ν0 e^{−ΔG/k_BT} over the barriers, the given barriers, the critical barriers ΔQ_c;
    right axis D = g f a² ν (with a_eff)."""
    document = result.json("analysis")
    path = result.files["analysis"]
    temperature = float(readers.key(document, path, "temperature_K"))
    nu0 = float(readers.key(document, path, "nu0_per_s"))
    kt = K_B_EV_PER_K * temperature
    barriers = readers.key(document, path, "barriers", list)
    critical = document.get("critical_barriers", [])
    given = np.array([b["barrier_eV"] for b in barriers], dtype=float)
    top = max([*given, *[c["barrier_eV"] for c in critical], 0.1]) * 1.15
    grid = np.linspace(0.0, top, 200)
    fig, ax = style.new_figure(height_in=2.5)
    ax.semilogy(grid, nu0 * np.exp(-grid / kt), color=style.color(0), gid="rate_curve",
                label=f"ν0 e^(−ΔG/k_BT), ν0 = {nu0:.2g} s⁻¹, {temperature:g} K")
    ax.plot(given, [b["rate_per_s"] for b in barriers], linestyle="none", marker="o",
            color=style.color(1), gid="barriers", label="barriers")
    for k, c in enumerate(critical):
        ax.axvline(c["barrier_eV"], color=style.color(2 + k), linestyle="--", linewidth=0.9,
                   gid=f"critical:{k}",
                   label=f"ΔQ_c = {c['barrier_eV']:.3f} eV (τ = {c['observation_time_s']:g} s)")
    prefactor = document.get("prefactor_gfa2nu0_m2_per_s")
    if prefactor:
        ratio = prefactor / nu0  # D / ν, m²
        secondary = ax.secondary_yaxis("right", functions=(lambda r: r * ratio,
                                                           lambda d: d / ratio))
        secondary.set_ylabel("D (m²/s)")
    ax.set_xlabel("ΔG (eV)")
    ax.set_ylabel("ν (s⁻¹)")
    ax.legend(fontsize=5.5, loc="upper right")
    yield "rates", fig


# ---- fit: linear, Arrhenius, VFT, kink ----

def read_columns(source, base, x_column, y_column):
    """(x, y) of two columns of the table the fit was made from, or None if it is not found.
    The source path is tried as written (relative to the working directory of the analysis)
    and relative to the analysis JSON's directory. CSV: header row, '#' lines skipped; JSON
    tables in the three shapes of docs/analyze.md."""
    candidates = [Path(source), base / source, base / Path(source).name]
    path = next((p for p in candidates if p.is_file()), None)
    if path is None:
        return None
    if path.suffix == ".json":
        rows = _json_rows(readers.read_json(path))
    else:
        with open(path, newline="", encoding="utf-8") as stream:
            lines = [line for line in stream if line.strip() and not line.lstrip().startswith(
                "#")]
        rows = list(csv.DictReader(lines, skipinitialspace=True))
    try:
        return (np.array([float(r[x_column]) for r in rows]),
                np.array([float(r[y_column]) for r in rows]))
    except (KeyError, ValueError, TypeError):
        return None


def _json_rows(document):
    if isinstance(document, list):
        return document
    if isinstance(document, dict) and "columns" in document and "rows" in document:
        return [dict(zip(document["columns"], row)) for row in document["rows"]]
    if isinstance(document, dict):
        columns = {k: v for k, v in document.items() if isinstance(v, list)}
        length = min((len(v) for v in columns.values()), default=0)
        return [{k: v[i] for k, v in columns.items()} for i in range(length)]
    return []


def fit_curve(model, parameters, x):
    """(y, standard error of y) of a fitted model on x (analysis/regression.hpp forms)."""
    p = parameters
    if model == "linear":
        return line_band(x, p["slope"]["value"], p["intercept"]["value"],
                         p["slope"]["error"] ** 2, p["intercept"]["error"] ** 2,
                         p.get("covariance_slope_intercept", 0.0))
    if model == "arrhenius":
        # ln y = ln y0 − Q/(k_B T): gradient (∂/∂Q, ∂/∂ln y0) = (−1/k_BT, 1).
        q, ln_y0 = p["Q_eV"]["value"], p["ln_prefactor"]["value"]
        beta = 1.0 / (K_B_EV_PER_K * x)
        ln_y, ln_error = line_band(-beta, q, ln_y0, p["Q_eV"]["error"] ** 2,
                                   p["ln_prefactor"]["error"] ** 2,
                                   p.get("covariance_Q_ln_prefactor", 0.0))
        return np.exp(ln_y), ln_error
    if model == "vft":
        ln_y0, b, t0 = p["ln_y0"]["value"], p["B_K"]["value"], p["T0_K"]["value"]
        gradient = np.stack([np.ones_like(x), 1 / (x - t0), b / (x - t0) ** 2])
        covariance = np.asarray(p["covariance_ln_y0_B_T0"], dtype=float)
        ln_error = np.sqrt(np.einsum("in,ij,jn->n", gradient, covariance, gradient))
        return np.exp(ln_y0 + b / (x - t0)), ln_error
    if model == "kink":
        xk, yk = p["kink_x"]["value"], p["kink_y"]["value"]
        below, above = p["slope_below"]["value"], p["slope_above"]["value"]
        left, right = np.minimum(x - xk, 0.0), np.maximum(x - xk, 0.0)
        gradient = np.stack([np.ones_like(x), left, right, np.where(x < xk, -below, -above)])
        covariance = np.asarray(p["covariance_a_b1_b2_xk"], dtype=float)
        error = np.sqrt(np.maximum(np.einsum("in,ij,jn->n", gradient, covariance, gradient),
                                   0.0))
        return yk + below * left + above * right, error
    raise PlotInputError(f"unknown fit model '{model}'")


@figure("analyze_fit")
def fit_figure(result, context):
    """The fitted curve with its ±1 SE band over the data it was fitted to (when the source
    table is found); Arrhenius as log y versus 1000/T, VFT as log y versus T, kink with x_k."""
    path = result.files["analysis"]
    document = result.json("analysis")
    model = readers.key(document, path, "model", str)
    parameters = readers.key(document, path, "parameters", dict)
    x_column, y_column = document.get("x_column", "x"), document.get("y_column", "y")
    data = read_columns(str(document.get("source", "")), path.parent, x_column, y_column)
    if data is not None:
        low, high = data[0].min(), data[0].max()
    elif model == "kink":
        low = high = parameters["kink_x"]["value"]
    else:
        raise PlotInputError(f"{path}: the table the fit was made from "
                             f"('{document.get('source')}') is not found, so the x range of "
                             "the curve is unknown; run glassland plot from the directory the "
                             "analysis was run in")
    span = (high - low) or max(abs(high), 1.0) * 0.2
    grid = np.linspace(low - 0.05 * span, high + 0.05 * span, 200)
    if model == "vft":
        grid = grid[grid > parameters["T0_K"]["value"] + 1e-6]
    y, error = fit_curve(model, parameters, grid)
    fig, ax = style.new_figure(height_in=2.5)
    plot_x = (lambda t: 1000.0 / t) if model == "arrhenius" else (lambda t: t)
    if model in ("arrhenius", "vft"):
        ax.set_yscale("log")
        lower, upper = y * np.exp(-error), y * np.exp(error)
    else:
        lower, upper = y - error, y + error
    if data is not None:
        ax.plot(plot_x(data[0]), data[1], linestyle="none", marker="o", color=style.color(0),
                gid="data", label=f"data ({len(data[0])})")
    ax.plot(plot_x(grid), y, color=style.color(1), gid="fit",
            label=_fit_label(model, parameters, _unit(x_column)[1]))
    ax.fill_between(plot_x(grid), lower, upper, color=style.color(1), alpha=0.25, linewidth=0,
                    gid="band", label="±1 standard error")
    if model == "kink":
        xk, xk_error = parameters["kink_x"]["value"], parameters["kink_x"]["error"]
        ax.axvline(xk, color="0.3", linestyle="--", linewidth=0.8, gid="kink_x")
        ax.axvspan(xk - xk_error, xk + xk_error, color="0.5", alpha=0.15, linewidth=0,
                   gid="kink_x_band")
    ax.set_xlabel("1000/T (1/K)" if model == "arrhenius" else _axis_label(x_column))
    ax.set_ylabel(_axis_label(y_column))
    ax.legend(fontsize=6)
    yield f"fit_{model}", fig


def _fit_label(model, p, x_unit):
    if model == "arrhenius":
        return f"Arrhenius: Q = {p['Q_eV']['value']:.3f} ± {p['Q_eV']['error']:.3f} eV"
    if model == "kink":
        return (f"kink at {p['kink_x']['value']:.4g} ± {p['kink_x']['error']:.2g} "
                f"{x_unit}").rstrip()
    if model == "vft":
        return f"VFT: T0 = {p['T0_K']['value']:.0f} ± {p['T0_K']['error']:.0f} K"
    return f"slope {p['slope']['value']:.4g} ± {p['slope']['error']:.2g}"


UNITS = {"K": "K", "eV": "eV", "A3": "Å³", "A": "Å", "GPa": "GPa", "bar": "bar", "s": "s",
         "m2_per_s": "m²/s", "per_s": "1/s", "g_per_cm3": "g/cm³", "eV_per_atom": "eV/atom"}


def _unit(column):
    """(quantity, unit) of a column name with glassland's unit suffix: 'volume_A3' ->
    ('volume', 'Å³'); ('name', '') without one."""
    for suffix in sorted(UNITS, key=len, reverse=True):
        if column.endswith("_" + suffix):
            return column[:-len(suffix) - 1].replace("_", " "), UNITS[suffix]
    return column.replace("_", " "), ""


def _axis_label(column):
    """'volume_A3' -> 'volume (Å³)'."""
    quantity, unit = _unit(column)
    return f"{quantity} ({unit})" if unit else quantity


# ---- entropy ----

@figure("analyze_entropy")
def entropy_distribution(result, context):
    """The histogram (numeric column) or label weights (categorical) behind S and e^S."""
    path = result.files["analysis"]
    document = result.json("analysis")
    mode = readers.key(document, path, "mode", str)
    fig, ax = style.new_figure(height_in=2.4)
    if mode == "histogram":
        counts = np.asarray(readers.key(document, path, "counts", list), dtype=float)
        width, origin = float(document["bin_width"]), float(document["origin"])
        ax.bar(origin + width * (np.arange(len(counts)) + 0.5), counts, width=width,
               color=style.color(5), edgecolor="white", linewidth=0.4, gid="counts")
        ax.set_xlabel(_axis_label(document.get("column", "value")))
        ax.set_ylabel("count per bin")
    else:
        categories = readers.key(document, path, "categories", dict)
        labels = sorted(categories, key=lambda c: -categories[c])
        weights = np.array([categories[c] for c in labels], dtype=float)
        positions = np.arange(len(labels))
        ax.bar(positions, weights / weights.sum(), color=style.color(0), gid="categories")
        ax.set_xticks(positions, labels, rotation=60, ha="right", fontsize=6)
        ax.set_xlabel(document.get("column", "label"))
        ax.set_ylabel("fraction p_i")
    ax.set_title(f"S = {document['entropy']:.3f}, e^S = {document['diversity']:.2f}")
    yield f"entropy_{mode}", fig


# ---- glass transition, entropy against temperature, disconnectivity (issue 21) ----

@figure("analyze_glass-transition")
def glass_transition(result, context):
    """Per observable: every replica's fitted points and its continuous two-branch line
    y = y(T_g) + b_glass·(T − T_g) below T_g and b_liquid·(T − T_g) above, T_g marked."""
    path = result.files["analysis"]
    document = result.json("analysis")
    replicas = readers.key(document, path, "results", list)
    for name in readers.key(document, path, "observables", list):
        fig, ax = style.new_figure(height_in=2.6)
        for k, entry in enumerate(replicas):
            fit = entry["observables"][name]
            r = entry["replica"]
            rate = entry.get("cooling_rate_K_per_s")
            label = f"replica {r}" + (f", {rate:.3g} K/s" if rate else "")
            if "data" in fit:
                ax.plot(fit["data"]["temperature_K"], fit["data"]["value"], linestyle="none",
                        marker=style.marker(k), markersize=2.5, color=style.color(k),
                        gid=f"data:{k}")
            tg, at_tg = fit["tg_K"], fit["value_at_tg"]["value"]
            low, high = entry["temperature_range_K"]
            t = np.array([low, tg, high])
            slopes = np.array([fit["slope_glass_per_K"]["value"], 0.0,
                               fit["slope_liquid_per_K"]["value"]])
            ax.plot(t, at_tg + slopes * (t - tg), color=style.color(k), linewidth=1.0,
                    gid=f"fit:{k}", label=f"{label}: T_g = {tg:.0f}" +
                    (f" ± {fit['tg_stderr_K']:.0f} K" if fit["tg_stderr_K"] is not None
                     else " K"))
            ax.axvline(tg, color=style.color(k), linestyle="--", linewidth=0.6, gid=f"tg:{k}")
        unit = replicas[0]["observables"][name].get("unit", "")
        ax.set_xlabel("temperature (K)")
        ax.set_ylabel(name.replace("_", " ") + (f" ({unit})" if unit else ""))
        ax.legend(fontsize=6)
        yield f"glass_transition_{name}", fig


def _series(temperatures, part, quantity):
    """(T, value, standard error) of temperatures[i][part][quantity] where part is present."""
    rows = [(t["temperature_K"], t[part][quantity]["value"],
             t[part][quantity]["standard_error"]) for t in temperatures
            if isinstance(t.get(part), dict)]
    if not rows:
        return None
    return tuple(np.array([r[i] for r in rows], dtype=float) for i in range(3))


@figure("analyze_entropy-temperature")
def entropy_temperature(result, context):
    """Dynamic (barrier) and structural (Voronoi) Shannon entropy against the source temperature
    with their bootstrap standard errors (paper 004 Figs. 5, 6), and the one against the other
    with the correlation line (Fig. 8) when there is one."""
    path = result.files["analysis"]
    document = result.json("analysis")
    temperatures = readers.key(document, path, "temperatures", list)
    fig, axes = style.new_figure(rows=2, height_in=3.6, sharex=True)
    for ax, part, k in ((axes[0], "dynamic", 0), (axes[1], "structural", 1)):
        series = _series(temperatures, part, "entropy")
        if series is None:
            ax.text(0.5, 0.5, f"no {part} entropy", transform=ax.transAxes, ha="center")
        else:
            ax.plot(series[0], series[1], marker=style.marker(k), color=style.color(k),
                    linewidth=0.9, gid=part)
            ax.errorbar(series[0], series[1], yerr=series[2], linestyle="none",
                        color=style.color(k), capsize=2, gid=f"{part}_error")
        ax.set_ylabel(f"{part} S (nats)")
    axes[1].set_xlabel("source temperature (K)")
    yield "entropy_temperature", fig
    correlation = document.get("correlation", {})
    dynamic, structural = (_series(temperatures, "dynamic", "entropy"),
                           _series(temperatures, "structural", "entropy"))
    if "slope" not in correlation or structural is None:
        return
    keep = np.isin(dynamic[0], structural[0])
    fig, ax = style.new_figure(height_in=2.5)
    ax.errorbar(structural[1], dynamic[1][keep], xerr=structural[2], yerr=dynamic[2][keep],
                linestyle="none", marker="o", color=style.color(0), capsize=2, gid="points")
    x = np.linspace(structural[1].min(), structural[1].max(), 50)
    r = correlation["pearson_r"]
    ax.plot(x, correlation["intercept"]["value"] + correlation["slope"]["value"] * x,
            color=style.color(1), gid="line", label=f"r = {r['value']:.2f} ± "
            f"{r['standard_error']:.2f}" if r["standard_error"] is not None else "")
    ax.set_xlabel("structural S (nats)")
    ax.set_ylabel("dynamic S (nats)")
    ax.legend(fontsize=6)
    yield "entropy_correlation", fig


@figure("analyze_disconnectivity")
def disconnectivity_levels(result, context):
    """The disconnectivity graph as `analyze disconnectivity` lays it out: its segments (a
    superbasin to its parent one level up, a basin with none below down to its lowest minimum)
    and the minima at their energies, relative to the global minimum."""
    path = result.files["analysis"]
    document = result.json("analysis")
    segments = readers.key(document, path, "segments", dict)
    reference = float(readers.key(document, path, "reference_energy_eV", (int, float)))
    lines = [((x0, y0 - reference), (x1, y1 - reference)) for x0, y0, x1, y1 in
             zip(segments["x0"], segments["energy0_eV"], segments["x1"], segments["energy1_eV"])]
    fig, ax = style.new_figure(height_in=2.8)
    ax.add_collection(LineCollection(lines, colors=style.color(0), linewidths=0.9,
                                     gid="segments"))
    energies = np.asarray(document["minima_energy_eV"], dtype=float) - reference
    ax.plot(document["minima_x"], energies, linestyle="none", marker="o", markersize=2.5,
            color=style.color(1), gid="minima",
            label=f"{document['minima']} minima, {len(document['levels'])} levels")
    ax.autoscale()
    ax.set_xticks([])
    ax.set_xlabel("minima")
    ax.set_ylabel("E − E_global minimum (eV)")
    ax.legend(fontsize=6)
    yield "disconnectivity_levels", fig
