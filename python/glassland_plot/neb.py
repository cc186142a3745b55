"""Figures of `task: neb` (docs/neb.md): the energy along each band with its cubic Hermite fit,
the climbing image and the saddle (the fit's maximum); the barrier change under shear per band
and the barrier-spectrum peak shift (paper 003); the path geometry C versus L with the fractal
dimension fit C = c L^δ.

results.h5: bands/NNNN/{energies_eV, reaction_coordinate_A, profile_fit/{reaction_coordinate_A,
energy_eV}, fitted_barrier_forward_eV, contour_length_A, end_to_end_A, shear/...} with the
attributes climbing_image, converged; shear/{gamma_xy, peak_shift_eV, peak_shift_error_eV,
lost_bands}. neb.json: fractal_dimension {delta, error, prefactor}.
"""
import numpy as np
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator

from glassland_plot import readers, style
from glassland_plot.registry import by_content, figure, recogniser

BANDS_PER_FIGURE = 8


@recogniser
def recognise_neb(path):
    """results.h5 with bands/, or neb.json ("task": "neb")."""
    return by_content(path, "neb", "bands", lambda d: d.get("task") == "neb" and "bands" in d,
                      "neb")


@figure("neb", dataset="bands")
def band_profiles(result, context):
    """E − E(initial) along each band: images, cubic fit, climbing image, saddle; eight bands
    per figure."""
    with result.h5() as h5:
        names = h5.groups("bands")
        pages = [names[k:k + BANDS_PER_FIGURE] for k in range(0, len(names), BANDS_PER_FIGURE)]
        for page_number, page in enumerate(pages):
            fig, ax = style.new_figure(height_in=2.6)
            for k, name in enumerate(page):
                _draw_band(ax, h5, f"bands/{name}", name, k)
            ax.axhline(0.0, color="0.7", linewidth=0.5)
            ax.set_xlabel("reaction coordinate (Å)")
            ax.set_ylabel("E − E_initial (eV)")
            handles = ax.get_legend_handles_labels()[0] + [
                Line2D([], [], linestyle="none", marker="*", markersize=7, color="0.6",
                       markeredgecolor="black", markeredgewidth=0.4, label="climbing image"),
                Line2D([], [], linestyle="none", marker="_", markersize=9, markeredgewidth=1.5,
                       color="black", label="saddle (fit maximum)")]
            ax.legend(handles=handles, fontsize=5.5, ncol=2 if len(page) > 3 else 1)
            yield ("bands" if len(pages) == 1 else f"bands_{page_number}"), fig


def _draw_band(ax, h5, base, name, k):
    energies = h5.array(base + "/energies_eV")
    coordinate = h5.array(base + "/reaction_coordinate_A")
    reference = energies[0]
    colour = style.color(k)
    converged = bool(h5.attribute(base, "converged", 1))
    if h5.has(base + "/profile_fit/energy_eV"):
        ax.plot(h5.array(base + "/profile_fit/reaction_coordinate_A"),
                h5.array(base + "/profile_fit/energy_eV") - reference, color=colour,
                linewidth=0.9, gid=f"band:{name}:fit")
    ax.plot(coordinate, energies - reference, linestyle="none", marker=style.marker(k),
            color=colour, markerfacecolor=colour if converged else "none",
            gid=f"band:{name}:images",
            label=f"band {name}" + ("" if converged else " (not converged)"))
    climbing = int(h5.attribute(base, "climbing_image", -1))
    if climbing > 0:
        ax.plot([coordinate[climbing]], [energies[climbing] - reference], linestyle="none",
                marker="*", markersize=8, color=colour, markeredgecolor="black",
                markeredgewidth=0.4, gid=f"band:{name}:climbing")
    if h5.has(base + "/fitted_barrier_forward_eV") and h5.has(base + "/profile_fit/energy_eV"):
        fit_x = h5.array(base + "/profile_fit/reaction_coordinate_A")
        fit_e = h5.array(base + "/profile_fit/energy_eV")
        ax.plot([fit_x[np.argmax(fit_e)]], [h5.scalar(base + "/fitted_barrier_forward_eV")],
                linestyle="none", marker="_", markersize=10, markeredgewidth=1.5, color="black",
                gid=f"band:{name}:saddle")


@figure("neb", dataset="shear/gamma_xy")
def shear_response(result, context):
    """ΔE_A(γ) = E_A(γ) − E_A(0) of every band not lost at γ, and the spectrum's peak shift."""
    with result.h5() as h5:
        fig, axes = style.new_figure(2, 1, height_in=3.8, sharex=True)
        lost_points = 0
        for k, name in enumerate(h5.groups("bands")):
            base = f"bands/{name}/shear"
            if not h5.has(base + "/gamma_xy"):
                continue
            gamma = h5.array(base + "/gamma_xy")
            change = h5.array(base + "/barrier_change_eV")
            kept = ~h5.array(base + "/lost", dtype=np.int64).astype(bool)
            lost_points += int(np.sum(~kept))
            axes[0].plot(gamma[kept], change[kept], marker=style.marker(k), color=style.color(k),
                         linewidth=0.7, markersize=2.5, gid=f"band:{name}")
        axes[0].axhline(0.0, color="0.7", linewidth=0.5)
        axes[0].set_ylabel("ΔE_A (eV)")
        axes[0].set_title(f"per band ({lost_points} lost points left out)" if lost_points
                          else "per band")
        gamma = h5.array("shear/gamma_xy")
        shift = h5.array("shear/peak_shift_eV")
        error = h5.array("shear/peak_shift_error_eV")
        lost = h5.array("shear/lost_bands", dtype=np.int64)
        style.errorbar(axes[1], gamma, shift, np.nan_to_num(error), "peak_shift", marker="o",
                       color=style.color(0), capsize=2, label="peak shift (bootstrap SE)")
        for g, s, n in zip(gamma, shift, lost):
            if n:
                axes[1].annotate(f"{n} lost", (g, s), xytext=(3, -8), textcoords="offset points",
                                 fontsize=6)
        axes[1].axhline(0.0, color="0.7", linewidth=0.5)
        axes[1].set_ylabel("peak shift (eV)")
        axes[1].set_xlabel("shear strain γ_xy")
        axes[1].xaxis.set_major_locator(MaxNLocator(5))
        axes[1].legend(fontsize=6)
    yield "shear_response", fig


@figure("neb", dataset="bands")
def path_geometry(result, context):
    """Contour length C against end-to-end distance L per band (log–log) with C = c L^δ."""
    with result.h5() as h5:
        names = h5.groups("bands")
        contour = np.array([h5.scalar(f"bands/{n}/contour_length_A") for n in names])
        end_to_end = np.array([h5.scalar(f"bands/{n}/end_to_end_A") for n in names])
        converged = np.array([bool(h5.attribute(f"bands/{n}", "converged", 1)) for n in names])
    fig, ax = style.new_figure(height_in=2.5)
    ax.loglog(end_to_end[converged], contour[converged], linestyle="none", marker="o",
              color=style.color(0), gid="bands", label=f"converged bands ({converged.sum()})")
    if (~converged).any():
        ax.loglog(end_to_end[~converged], contour[~converged], linestyle="none", marker="o",
                  markerfacecolor="none", color=style.color(1), gid="bands_not_converged",
                  label="not converged")
    neb_json = result.base / "neb.json"
    fractal = readers.read_json(neb_json).get("fractal_dimension") if neb_json.is_file() \
        else None
    if fractal:
        grid = np.geomspace(end_to_end.min(), end_to_end.max(), 50)
        ax.loglog(grid, fractal["prefactor"] * grid ** fractal["delta"], color=style.color(1),
                  gid="fractal_fit",
                  label=f"C = {fractal['prefactor']:.3g} L^δ, δ = {fractal['delta']:.3f}"
                  f" ± {readers.number_or_nan(fractal.get('error')):.3f}")
    low, high = min(end_to_end.min(), contour.min()), max(end_to_end.max(), contour.max())
    ax.loglog([low, high], [low, high], color="0.7", linewidth=0.5, linestyle="--",
              gid="straight", label="C = L (straight path)")
    ax.set_xlabel("end-to-end distance L (Å)")
    ax.set_ylabel("contour length C (Å)")
    style.plain_log_ticks(ax)
    ax.legend(fontsize=6)
    yield "path_geometry", fig
