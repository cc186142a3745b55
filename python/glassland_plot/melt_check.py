"""The melt check of `task: prepare` (docs/tasks.md, issue 20 item 7): per replica the MSD over
the melt stage (centre of mass removed) against `melt.min_msd`, and the crystal-like
(⟨0,6,0,8⟩, ⟨0,12,0,0⟩) and icosahedral (⟨0,0,12,0⟩) shares of the Voronoi cells of the final
inherent structure, from summary.json replicas[*].melt_check.

A replica that did not melt (`melted` false) gets a vermillion bar, a ✗ and "did NOT melt" above
it, and the figure title says how many did not: a glass quenched from a solid is a crystal.
"""
import numpy as np

from glassland_plot import readers, style
from glassland_plot.registry import figure
from glassland_plot.trajectory_documents import short_log_labels

MELTED, NOT_MELTED, UNCHECKED = style.color(2), style.color(1), "0.6"


def melt_records(result):
    """[(replica, melt_check dict)] of the replicas of summary.json that have one."""
    summary = result.json("summary")
    replicas = readers.key(summary, result.files["summary"], "replicas", list)
    return [(r, record["melt_check"]) for r, record in enumerate(replicas)
            if isinstance(record.get("melt_check"), dict)]


@figure("prepare", needs="summary")
def melt_check(result, context):
    records = melt_records(result)
    if not records:
        return
    replicas = np.array([r for r, _ in records])
    msd = np.array([readers.number_or_nan(c.get("melt_msd_A2")) for _, c in records])
    threshold = readers.number_or_nan(records[0][1].get("min_msd_A2"))
    melted = [c.get("melted") for _, c in records]
    colours = [MELTED if m else UNCHECKED if m is None else NOT_MELTED for m in melted]
    fig, axes = style.new_figure(2, 1, height_in=3.4, sharex=True,
                                 gridspec_kw={"height_ratios": [3, 2]})
    ax = axes[0]
    ax.bar(replicas, np.nan_to_num(msd, nan=0.0), color=colours, gid="melt_msd")
    ax.axhline(threshold, color="0.2", linestyle="--", linewidth=0.9, gid="min_msd",
               label=f"melt.min_msd = {threshold:g} Å²")
    for replica, value, state in zip(replicas, msd, melted):
        if state is False:
            ax.annotate("✗ did NOT melt", (replica, max(value, threshold)), xytext=(0, 3),
                        textcoords="offset points", ha="center", va="bottom", fontsize=6,
                        color=NOT_MELTED, fontweight="bold", gid=f"not_melted:{replica}")
    if np.all(np.isfinite(msd)) and np.all(msd > 0):
        ax.set_yscale("log")
    ax.set_ylabel("melt-stage MSD (Å²)")
    ax.set_ylim(top=ax.get_ylim()[1] * (3 if ax.get_yscale() == "log" else 1.25))
    if ax.get_yscale() == "log":
        short_log_labels(ax)
    ax.legend(fontsize=6, loc="upper right")
    failed = sum(1 for m in melted if m is False)
    ax.set_title(f"melt check: ✗ {failed} of {len(records)} replicas did NOT melt\n(a "
                 "crystal, not a glass)" if failed else f"melt check: all {len(records)} replicas melted",
                 fontsize=7, color=NOT_MELTED if failed else "black",
                 fontweight="bold" if failed else "normal")
    width = 0.38
    crystal = [readers.number_or_nan(c.get("inherent_structure_crystal_like_fraction"))
               for _, c in records]
    icosahedral = [readers.number_or_nan(c.get("inherent_structure_icosahedral_fraction"))
                   for _, c in records]
    axes[1].bar(replicas - width / 2, crystal, width=width, color=style.color(0),
                gid="crystal_like_fraction", label="crystal-like ⟨0,6,0,8⟩, ⟨0,12,0,0⟩")
    axes[1].bar(replicas + width / 2, icosahedral, width=width, color=style.color(4),
                gid="icosahedral_fraction", label="icosahedral ⟨0,0,12,0⟩")
    axes[1].set_ylim(0, 1.25)
    axes[1].set_ylabel("share of cells in\nthe inherent structure")
    axes[1].set_xlabel("replica")
    axes[1].set_xticks(replicas)
    axes[1].legend(fontsize=5.5, loc="upper right", ncol=2)
    yield "melt_check", fig


def mark_unmelted(result, axes):
    """Writes '✗ replica R did NOT melt' on the first axis of a prepare figure for each replica
    whose melt check failed (nothing without summary.json)."""
    if "summary" not in result.files:
        return
    failed = [r for r, c in melt_records(result) if c.get("melted") is False]
    if failed:
        axes[0].text(0.02, 0.04, "✗ did NOT melt: replica " + ", ".join(map(str, failed)),
                     transform=axes[0].transAxes, fontsize=6, color=NOT_MELTED,
                     fontweight="bold", gid="not_melted_warning",
                     bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": NOT_MELTED,
                           "lw": 0.6})
