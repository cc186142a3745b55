"""One look for every figure: single-column width, readable fonts, a colour-blind-safe palette,
labelled axes, and the provenance (glassland version, input files, effective configuration) in
the files' metadata.

Palette: Okabe & Ito, "Color Universal Design" (2008), the eight colours distinguishable with
the common colour-vision deficiencies (also Wong, Nature Methods 8, 441 (2011)). Sequences of
many curves (FES history) use viridis, which is perceptually uniform and colour-blind safe.
"""
import json

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (after the backend is chosen)
from matplotlib import ticker  # noqa: E402

OKABE_ITO = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442",
             "#000000"]
SEQUENTIAL_MAP = "viridis"
COLUMN_WIDTH_IN = 3.4  # one column of a two-column journal page
MARKERS = ["o", "s", "^", "v", "D", "<", ">", "p"]

RC = {
    "font.size": 8,
    "axes.labelsize": 8,
    "axes.titlesize": 8,
    "legend.fontsize": 7,
    "xtick.labelsize": 7,
    "ytick.labelsize": 7,
    "lines.linewidth": 1.0,
    "lines.markersize": 3.5,
    "axes.linewidth": 0.6,
    "axes.prop_cycle": matplotlib.cycler(color=OKABE_ITO),
    "legend.frameon": False,
    "figure.constrained_layout.use": True,
    "savefig.bbox": "standard",
    "pdf.fonttype": 42,  # TrueType in PDF: text stays text for journals
    "axes.formatter.useoffset": False,
    "image.cmap": SEQUENTIAL_MAP,
}
plt.rcParams.update(RC)


def color(index):
    """The index-th palette colour (cycling)."""
    return OKABE_ITO[index % len(OKABE_ITO)]


def marker(index):
    return MARKERS[index % len(MARKERS)]


def new_figure(rows=1, columns=1, height_in=2.4, width_in=COLUMN_WIDTH_IN, sharex=False,
               **kwargs):
    """A figure of rows × columns panels at column width; returns (figure, axis) for one panel,
    (figure, 1D array of axes) for one row or column."""
    figure, axes = plt.subplots(rows, columns, figsize=(width_in, height_in), sharex=sharex,
                                **kwargs)
    return figure, axes


def sequential_colors(count):
    """count colours along the sequential map (early: dark, late: light)."""
    cmap = plt.get_cmap(SEQUENTIAL_MAP)
    return [cmap(0.9 * k / max(count - 1, 1)) for k in range(count)]


def errorbar(ax, x, y, yerr, gid, **kwargs):
    """ax.errorbar with the data line tagged `gid` and the error bars `gid:error` (matplotlib
    would give every part the same gid)."""
    container = ax.errorbar(x, y, yerr=yerr, **kwargs)
    container.lines[0].set_gid(gid)
    for bars in container.lines[2]:
        bars.set_gid(gid + ":error")
    return container


def plain_log_ticks(ax):
    """Log axes labelled 2, 3, 5, 20 … instead of 2×10⁰ (minor ticks labelled when the axis
    spans less than about two decades)."""
    for axis in (ax.xaxis, ax.yaxis):
        if axis.get_scale() == "log":
            axis.set_major_formatter(ticker.LogFormatter(labelOnlyBase=False))
            axis.set_minor_formatter(ticker.LogFormatter(labelOnlyBase=False,
                                                         minor_thresholds=(2, 0.5)))


def close(figure):
    plt.close(figure)


def close_all():
    plt.close("all")


def metadata_for(version, sources, configuration, title):
    """(PNG text chunks, PDF info) with the glassland version, the input files and the effective
    configuration (JSON text) behind a figure."""
    software = f"glassland {version} (glassland plot)"
    sources_text = "; ".join(str(s) for s in sources)
    configuration_text = configuration if isinstance(configuration, str) else json.dumps(
        configuration, sort_keys=True)
    png = {"Title": title, "Software": software, "Source": sources_text,
           "Description": configuration_text}
    pdf = {"Title": title, "Creator": software, "Keywords": sources_text,
           "Subject": configuration_text, "CreationDate": None}
    return png, pdf


def save(figure, stem, formats, dpi, metadata):
    """Writes stem.png / stem.pdf (pathlib stem without suffix); returns the paths written."""
    png_metadata, pdf_metadata = metadata
    written = []
    for fmt in formats:
        path = stem.with_name(stem.name + "." + fmt)
        if fmt == "png":
            figure.savefig(path, dpi=dpi, metadata=png_metadata)
        else:
            figure.savefig(path, metadata=pdf_metadata)
        # The layout is done: the second format keeps it (constrained layout is a third of the
        # time of a save).
        figure.set_layout_engine("none")
        written.append(path)
    return written
