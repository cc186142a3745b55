"""Figures of `glassland analyze structure -o OUT.json|OUT.h5` (docs/analysis.md):

- `rdf`: the partial g_IJ(r) (and the total Σ c_I c_J g_IJ, dashed) with the first minima used
  for the coordination numbers marked and n_IJ in the legend;
- `structure_factor`: S(q) with its peak;
- `voronoi`: per central element (and all cells) the most frequent Voronoi indices
  ⟨n3,n4,n5,n6⟩ (`voronoi.top_indices`, up to TOP_INDICES bars), the icosahedral ⟨0,0,12,0⟩ bar
  highlighted, the Shannon entropy of that element's index distribution in the panel title and
  that of all cells in the figure title;
- `layers` (`--layers W`, slabs): per z layer the number density, the fraction of each element
  and each element's mean coordination number, three panels over z (layers without atoms are
  gaps), with the coordination cutoffs in the bottom panel's title.
"""
import numpy as np

from glassland_plot import readers, style, trajectory_documents
from glassland_plot.registry import figure
from glassland_plot.trajectory_documents import numbers

TOP_INDICES = 10
ICOSAHEDRON = "<0,0,12,0>"
HIGHLIGHT, PLAIN = style.color(1), style.color(0)


def _document(result):
    return trajectory_documents.document(result)


def pair_names(rdf):
    """The partial RDFs' keys ('Cu-Cu', 'Cu-Zr', ...) in the document's order."""
    return [name for name, value in rdf.items() if "-" in name and isinstance(value, list)]


def index_text(label):
    """'<0,0,12,0>' -> '⟨0,0,12,0⟩'."""
    return label.replace("<", "⟨").replace(">", "⟩")


def shown_indices(voronoi, element):
    """(labels, fractions) of the bars of one element: its TOP_INDICES most frequent indices,
    then ⟨0,0,12,0⟩ when it is not among them (its fraction from index_fractions, 0 when no
    cell has it)."""
    entries = voronoi["top_indices"][element][:TOP_INDICES]
    labels = [str(e["index"]) for e in entries]
    fractions = [float(e["fraction"]) for e in entries]
    if ICOSAHEDRON not in labels:
        labels.append(ICOSAHEDRON)
        fractions.append(float(voronoi.get("index_fractions", {}).get(element, {}).get(
            ICOSAHEDRON, 0.0)))
    return labels, np.array(fractions)


@figure("analyze_structure")
def structure_figures(result, context):
    document, path = _document(result)
    if "rdf" in document:
        yield "rdf", rdf_figure(document, path)
    if "structure_factor" in document:
        yield "structure_factor", structure_factor_figure(document["structure_factor"])
    if isinstance(document.get("voronoi"), dict) and "top_indices" in document["voronoi"]:
        yield "voronoi", voronoi_figure(document["voronoi"], path)
    if isinstance(document.get("layers"), dict):
        yield "layers", layers_figure(document["layers"], path)


def rdf_figure(document, path):
    rdf = document["rdf"]
    r = numbers(readers.key(rdf, path, "r_A", list))
    coordination = document.get("coordination", {})
    minima, counts = coordination.get("first_minimum_A", {}), coordination.get("numbers", {})
    fig, ax = style.new_figure(height_in=2.6)
    for k, name in enumerate(pair_names(rdf)):
        label = name
        if counts.get(name) is not None:
            label += f" (n = {counts[name]:.2f} within {minima[name]:.2f} Å)"
        ax.plot(r, numbers(rdf[name]), color=style.color(k), gid=f"rdf:{name}", label=label)
        if minima.get(name) is not None:
            ax.axvline(minima[name], color=style.color(k), linestyle=":", linewidth=0.6,
                       gid=f"first_minimum:{name}")
    if "total" in rdf:
        ax.plot(r, numbers(rdf["total"]), color="0.3", linestyle="--", linewidth=0.8,
                gid="rdf:total", label="total")
    ax.axhline(1.0, color="0.7", linewidth=0.5)
    ax.set_xlabel("r (Å)")
    ax.set_ylabel("g(r)")
    ax.legend(fontsize=5.5)
    return fig


def structure_factor_figure(sq):
    q, s = numbers(sq["q_inv_A"]), numbers(sq["s"])
    fig, ax = style.new_figure(height_in=2.3)
    ax.plot(q, s, color=style.color(0), gid="s_of_q", label="S(q), Lorch window")
    peak_q, peak_s = sq.get("peak_q_inv_A"), sq.get("peak_s")
    if peak_q is not None:
        ax.plot([peak_q], [peak_s], linestyle="none", marker="v", color=style.color(1),
                gid="peak", label=f"peak q = {peak_q:.2f} Å⁻¹")
    ax.axhline(1.0, color="0.7", linewidth=0.5)
    ax.set_xlabel("q (Å⁻¹)")
    ax.set_ylabel("S(q)")
    ax.legend(fontsize=6)
    return fig


def voronoi_figure(voronoi, path):
    top = voronoi["top_indices"]
    elements = [e for e in top if e != "all"] + [e for e in top if e == "all"]
    shannon = voronoi.get("shannon", {})
    fig, axes = style.new_figure(len(elements), 1, height_in=1.5 * len(elements) + 0.6)
    axes = np.atleast_1d(axes)
    for ax, element in zip(axes, elements):
        labels, fractions = shown_indices(voronoi, element)
        positions = np.arange(len(labels))
        colours = [HIGHLIGHT if label == ICOSAHEDRON else PLAIN for label in labels]
        bars = ax.bar(positions, fractions, color=colours, gid=f"voronoi:{element}")
        for label, bar in zip(labels, bars):
            bar.set_gid(f"voronoi:{element}:{label}")
        ax.set_xticks(positions, [index_text(label) for label in labels], rotation=45,
                      ha="right", fontsize=5.5)
        ax.set_ylabel("fraction")
        entropy = shannon.get(element, {})
        title = "all cells" if element == "all" else f"{element}-centred cells"
        if "entropy" in entropy:
            title += f": S = {entropy['entropy']:.3f}, e^S = {entropy['diversity']:.1f}"
        ax.set_title(title, fontsize=7)
    if voronoi.get("shannon_entropy") is not None:
        fig.suptitle(f"Voronoi indices ({voronoi.get('method', 'standard')}), all cells:\n"
                     f"Shannon entropy S = {voronoi['shannon_entropy']:.3f}; "
                     f"{index_text(ICOSAHEDRON)} highlighted", fontsize=7)
    return fig


def layers_figure(layers, path):
    z = numbers(readers.key(layers, path, "z_A", list))
    density = numbers(readers.key(layers, path, "density_inv_A3", list))
    fraction = readers.key(layers, path, "fraction", dict)
    coordination = readers.key(layers, path, "coordination", dict)
    fig, axes = style.new_figure(3, 1, height_in=4.2, sharex=True)
    axes[0].plot(z, density, marker="o", markersize=2.5, color=style.color(0), gid="density")
    axes[0].set_ylabel("ρ (Å⁻³)")
    for k, element in enumerate(fraction):
        axes[1].plot(z, numbers(fraction[element]), marker=style.marker(k), markersize=2.5,
                     color=style.color(k), gid=f"fraction:{element}", label=element)
        axes[2].plot(z, numbers(coordination[element]), marker=style.marker(k), markersize=2.5,
                     color=style.color(k), gid=f"coordination:{element}", label=element)
    axes[1].set_ylabel("fraction")
    axes[1].set_ylim(0.0, 1.0)
    axes[1].legend(fontsize=6)
    axes[2].set_ylabel("coordination")
    axes[2].set_xlabel("z (Å)")
    cutoffs = layers.get("coordination_cutoffs_A", {})
    if len(set(cutoffs.values())) == 1:
        axes[2].set_title(f"neighbours within {next(iter(cutoffs.values())):.2f} Å", fontsize=6)
    elif cutoffs:
        axes[2].set_title("neighbours within " + ", ".join(
            f"{pair} {value:.2f} Å" for pair, value in cutoffs.items()), fontsize=6)
    axes[0].set_title(f"layers of {layers.get('width_A', float('nan')):g} Å along z", fontsize=7)
    return fig
