"""The melt check of task prepare (summary.json replicas[*].melt_check): the fixture's B2
crystals held 0.2 ps at 2000 K do not melt (MSD < melt.min_msd), so every replica must carry
the warning mark; a copy of the summary with one replica's check flipped to melted shows the
mark on the other only."""
import json
import shutil
import tempfile
from pathlib import Path

from matplotlib.colors import to_rgba

import support


def bars_of(fig, gid):
    return sorted(support.with_gid(fig, gid), key=lambda bar: bar.get_x())


class MeltCheckFigure(support.FixtureTestCase):
    fixture = "prepare"

    def checks(self):
        return [r["melt_check"] for r in self.summary["replicas"]]

    def test_bars_are_the_melt_msd_with_the_threshold(self):
        fig = self.figures["melt_check"]
        bars = bars_of(fig, "melt_msd")
        self.assertEqual([b.get_height() for b in bars], [c["melt_msd_A2"] for c in self.checks()])
        _, y = support.line_data(fig, "min_msd")
        self.assertEqual(y[0], self.checks()[0]["min_msd_A2"])
        crystal = bars_of(fig, "crystal_like_fraction")
        self.assertEqual([b.get_height() for b in crystal],
                         [c["inherent_structure_crystal_like_fraction"] for c in self.checks()])
        icosahedral = bars_of(fig, "icosahedral_fraction")
        self.assertEqual([b.get_height() for b in icosahedral],
                         [c["inherent_structure_icosahedral_fraction"] for c in self.checks()])

    def test_replicas_that_did_not_melt_are_marked(self):
        # The check itself: melted exactly when the MSD reaches the threshold.
        for check in self.checks():
            self.assertEqual(check["melted"], check["melt_msd_A2"] >= check["min_msd_A2"])
        self.assertEqual([c["melted"] for c in self.checks()], [False, False])
        fig = self.figures["melt_check"]
        for replica in range(2):
            self.assertIn("did NOT melt", support.one(fig, f"not_melted:{replica}").get_text())
        self.assertIn("2 of 2 replicas did NOT melt", fig.axes[0].get_title())
        for name in ("thermo_time", "thermo_temperature"):
            text = support.one(self.figures[name], "not_melted_warning").get_text()
            self.assertEqual(text, "✗ did NOT melt: replica 0, 1")

    def test_a_melted_replica_is_not_marked(self):
        with tempfile.TemporaryDirectory() as directory:
            copy = Path(directory) / "prepare"
            shutil.copytree(self.out, copy, ignore=shutil.ignore_patterns("figures"))
            summary = json.loads((copy / "summary.json").read_text())
            check = summary["replicas"][1]["melt_check"]
            check["melt_msd_A2"], check["melted"] = 2 * check["min_msd_A2"], True
            (copy / "summary.json").write_text(json.dumps(summary))
            figures = support.figures(support.results(copy)[0])
        fig = figures["melt_check"]
        self.assertEqual(len(support.with_gid(fig, "not_melted:0")), 1)
        self.assertEqual(support.with_gid(fig, "not_melted:1"), [])
        bars = bars_of(fig, "melt_msd")
        self.assertEqual(bars[0].get_facecolor(), to_rgba("#D55E00"))  # vermillion: not melted
        self.assertEqual(bars[1].get_facecolor(), to_rgba("#009E73"))  # green: melted
        self.assertIn("1 of 2 replicas did NOT melt", fig.axes[0].get_title())
        self.assertEqual(support.one(figures["thermo_time"], "not_melted_warning").get_text(),
                         "✗ did NOT melt: replica 0")
