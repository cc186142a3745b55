"""Figures of task metad: per tracer the FES, its history, the first event's initial minimum,
saddle and next basin, the CV and the bias; the barrier histogram with the effective barriers;
κ per event. Plotted data against results.h5 and summary.json read here."""
import json

import numpy as np

import support
from glassland_plot import metad, readers


class MetadFigures(support.FixtureTestCase):
    fixture = "metad"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dt = json.loads((cls.out / "effective_input.json").read_text())["metad"]["timestep"]

    def tracers(self):
        return sorted(k for k in self.h5["tracers"] if k.startswith("tracer_"))

    def test_one_figure_per_tracer_and_the_summary_figures(self):
        names = set(self.figures)
        self.assertEqual(len(self.tracers()), 3)
        self.assertTrue({*self.tracers(), "barriers", "kappa", "thermo_time"} <= names, names)

    def test_fes_history_cv_and_bias_are_the_stored_arrays(self):
        s = self.h5["tracers/grid_s"][()]
        for name in self.tracers():
            g = self.h5[f"tracers/{name}"]
            fig = self.figures[name]
            x, y = support.line_data(fig, "fes")
            # drawn over the visited range of the CV (± 0.5 Å), the stored values there
            visited = (s >= g["cv/value"][()].min() - 0.5) & (s <= g["cv/value"][()].max() + 0.5)
            self.assertArrayEqual(x, s[visited])
            self.assertArrayEqual(y, g["fes/F"][()][visited])
            history = g["fes_history/F"][()]
            self.assertEqual(len(support.with_gid(fig, f"fes_history:{len(history) - 1}")), 1)
            for k in range(len(history)):
                _, y = support.line_data(fig, f"fes_history:{k}")
                self.assertArrayEqual(y, history[k][visited])
            x, y = support.line_data(fig, "cv")
            self.assertArrayEqual(x, g["cv/step"][()] * self.dt)
            self.assertArrayEqual(y, g["cv/value"][()])
            x, y = support.line_data(fig, "bias")
            self.assertArrayEqual(x, g["bias/step"][()] * self.dt)
            self.assertArrayEqual(y, g["bias/value"][()])

    def test_event_points_give_the_reported_barrier_hop_distance_and_saddle(self):
        events = 0
        for name in self.tracers():
            g = self.h5[f"tracers/{name}"]
            fig = self.figures[name]
            if not g["event_found"][0]:
                self.assertEqual(support.with_gid(fig, "saddle"), [])
                continue
            events += 1
            (s_initial,), (f_initial,) = support.line_data(fig, "initial minimum")
            (s_saddle,), (f_saddle,) = support.line_data(fig, "saddle")
            (s_next,), _ = support.line_data(fig, "next basin")
            self.assertAlmostEqual(f_saddle - f_initial, g["barrier_eV"][0], delta=1e-12)
            self.assertAlmostEqual(s_next, g["hop_distance_A"][0], delta=1e-9)
            self.assertAlmostEqual(s_saddle, g["transmission/surface_s"][0], delta=1e-9)
            self.assertLess(s_initial, s_saddle)
            self.assertLess(s_saddle, s_next)
            marks = support.with_gid(fig, "event")
            self.assertEqual(len(marks), 2)  # CV and bias panels
            for mark in marks:
                self.assertAlmostEqual(mark.get_xdata()[0], g["event_step"][0] * self.dt,
                                       delta=1e-12)
        self.assertGreaterEqual(events, 2)

    def test_saddle_found_without_the_transmission_surface_is_that_surface(self):
        # event_geometry's search along the FES (what it does for runs without shots) lands on
        # the saddle the task recorded as its dividing surface.
        s = self.h5["tracers/grid_s"][()]
        for name in self.tracers():
            g = self.h5[f"tracers/{name}"]
            if not g["event_found"][0]:
                continue
            points = metad.event_geometry(s, g["fes/F"][()], g["cv/value"][()],
                                          g["barrier_eV"][0], g["hop_distance_A"][0])
            self.assertIsNotNone(points)
            self.assertAlmostEqual(s[points[1]], g["transmission/surface_s"][0], delta=1e-9)

    def test_barrier_histogram_counts_and_effective_barriers(self):
        fig = self.figures["barriers"]
        barriers = [t["barrier_eV"] for t in self.summary["tracers"] if t["event_found"]]
        bars = support.with_gid(fig, "barriers")
        heights = [p.get_height() for p in bars]
        edges = [p.get_x() for p in bars] + [bars[-1].get_x() + bars[-1].get_width()]
        self.assertEqual(sum(heights), len(barriers))
        self.assertArrayEqual(heights, np.histogram(barriers, bins=edges)[0])
        parallel = self.summary["barrier_parallel_eV"]
        sequential = self.summary["barrier_sequential_eV"]
        for gid, value in (("parallel", parallel), ("sequential", sequential),
                           ("mixed", 0.5 * (parallel + sequential))):
            x, _ = support.line_data(fig, gid)
            self.assertAlmostEqual(x[0], value, delta=1e-15)

    def test_kappa_bars_and_errors_are_the_summary_values(self):
        fig = self.figures["kappa"]
        events = [t for t in self.summary["tracers"] if t["event_found"]]
        heights = [p.get_height() for p in support.with_gid(fig, "kappa")]
        self.assertArrayEqual(heights, [t["transmission_coefficient"] for t in events])
        (bars,) = support.with_gid(fig, "kappa_value:error")
        self.assertArrayEqual([seg[1][1] - seg[0][1] for seg in bars.get_segments()],
                              [2 * t["transmission_standard_error"] for t in events],
                              atol=1e-15)

    def test_summary_alone_gives_the_summary_figures(self):
        result = support.results(self.out / "summary.json")[0]
        self.assertEqual(set(support.figures(result)), {"barriers", "kappa"})


if __name__ == "__main__":
    import unittest

    unittest.main()


class EventPointsNotLocated(support.FixtureTestCase):
    """A barrier that no saddle of the stored FES gives (here the stored barrier + 0.01 eV, in a
    copy of results.h5) is said in the figure instead of leaving it unmarked."""
    fixture = "metad"

    def test_note_instead_of_points(self):
        import shutil
        import tempfile
        from pathlib import Path

        import h5py

        found = [k for k in self.h5["tracers"] if k.startswith("tracer_")
                 and self.h5[f"tracers/{k}/event_found"][()][0]]
        self.assertTrue(found)
        with tempfile.TemporaryDirectory() as directory:
            copy = Path(directory) / "results.h5"
            shutil.copy(self.out / "results.h5", copy)
            with h5py.File(copy, "r+") as h5:
                h5[f"tracers/{found[0]}/barrier_eV"][0] += 0.01
            with readers.H5(copy) as h5:
                fig = metad._tracer_figure(h5, f"tracers/{found[0]}", found[0],
                                           h5.array("tracers/grid_s"), 0.002, "s (Å)")
        self.assertEqual(support.with_gid(fig, "saddle"), [])
        note = support.one(fig, "event_points_not_located").get_text()
        self.assertIn("not located", note)
