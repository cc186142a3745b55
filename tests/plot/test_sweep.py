"""Figures of `glassland sweep` (a metad sweep over 2 T × 2 P, fixtures.py): ΔG(T) with the ΔS
fit and ΔG(P) with the V fit against the chain in sweep_summary.json, the tracers behind them
against the points' own summary.json files, and the status of every point over the axes."""
import json
import tempfile
from pathlib import Path

import support

BAR_PER_GPA = 1e4


class SweepFigures(support.PlotTestCase):
    @classmethod
    def setUpClass(cls):
        cls.out = support.fixtures.ensure("sweep")
        cls.summary = json.loads((cls.out / "sweep_summary.json").read_text())
        found = support.results(cls.out)
        assert [r.kind for r in found] == ["sweep"], found
        cls.figures = support.figures(found[0])

    def point_tracers(self):
        """(temperature, pressure in bar, barrier) of every tracer with an event, read from each
        finished point's own summary.json."""
        rows = []
        for point in self.summary["points"]:
            self.assertEqual(point["status"], "finished", point)
            summary = json.loads((Path(point["directory"]) / "summary.json").read_text())
            for tracer in summary["tracers"]:
                if tracer["event_found"]:
                    rows.append((tracer["temperature_K"], tracer["pressure_bar"],
                                 tracer["barrier_eV"]))
        return rows

    def test_entropy_figure_per_pressure_with_its_fit_and_tracers(self):
        chain = self.summary["chain"]
        self.assertEqual(len(chain["entropy"]), 2, chain.get("notes"))
        tracers = self.point_tracers()
        for k, entry in enumerate(chain["entropy"]):
            self.assertIn("fits", entry, entry.get("note"))
            fig = self.figures[f"activation_entropy_{k:02d}"]
            self.assertActivationLines(fig, entry["conditions"], entry["fits"], "temperature_K",
                                       "intercept_0K_eV")
            expected = sorted((t, g) for t, p, g in tracers if p == entry["pressure_bar"])
            x, y = support.line_data(fig, "tracers")
            self.assertEqual(sorted(zip(x, y)), expected)
            self.assertEqual(fig.axes[0].get_xlabel(), "T (K)")

    def test_volume_figure_per_temperature_with_its_fit_and_tracers(self):
        chain = self.summary["chain"]
        self.assertEqual(len(chain["volume"]), 2, chain.get("notes"))
        tracers = self.point_tracers()
        for k, entry in enumerate(chain["volume"]):
            self.assertIn("fits", entry, entry.get("note"))
            fig = self.figures[f"activation_volume_{k:02d}"]
            self.assertActivationLines(fig, entry["conditions"], entry["fits"], "pressure_GPa",
                                       "intercept_0GPa_eV")
            expected = sorted((p / BAR_PER_GPA, g) for t, p, g in tracers
                              if t == entry["temperature_K"])
            x, y = support.line_data(fig, "tracers")
            self.assertEqual(sorted(zip(x, y)), expected)
            self.assertEqual(fig.axes[0].get_xlabel(), "P (GPa)")

    def test_status_marks_every_point_at_its_axis_values(self):
        # The fixture's points all finished; a copy of its summary with one point marked failed,
        # one not run and one finished with failed replicas shows each status at its (T, P).
        document = json.loads(json.dumps(self.summary))
        document["points"][1]["status"] = "failed"
        document["points"][2]["status"] = "not_run"
        document["points"][3]["status"] = "finished_with_failures"
        with tempfile.TemporaryDirectory() as directory:
            path = Path(directory) / "sweep_summary.json"
            path.write_text(json.dumps(document))
            found = support.results(path)
            self.assertEqual([r.kind for r in found], ["sweep"])
            fig = support.figures(found[0])["point_status"]
        for status in ("finished", "finished_with_failures", "failed", "not_run"):
            chosen = [p for p in document["points"] if p["status"] == status]
            x, y = support.line_data(fig, f"status:{status}")
            self.assertArrayEqual(x, [p["axes"]["metad.temperature"] for p in chosen])
            self.assertArrayEqual(y, [p["axes"]["metad.pressure"] for p in chosen])
        self.assertEqual(len(support.line_data(fig, "status:finished")[0]), 1)
        self.assertEqual(fig.axes[0].get_xlabel(), "metad.temperature")
        self.assertEqual(fig.axes[0].get_ylabel(), "metad.pressure")

    def test_the_program_draws_the_sweep_directory(self):
        with tempfile.TemporaryDirectory() as directory:
            done = support.fixtures.subprocess.run(
                [str(support.fixtures.PROGRAM), "plot", str(self.out), "-o", directory,
                 "--formats", "png"], capture_output=True, text=True)
            self.assertEqual(done.returncode, 0, done.stderr)
            names = sorted(p.name for p in Path(directory).iterdir())
        self.assertIn("point_status.png", names)
        self.assertIn("activation_entropy_00.png", names)
        self.assertIn("activation_volume_00.png", names)


if __name__ == "__main__":
    import unittest

    unittest.main()
