"""Figures of task art (barrier spectrum through `glassland analyze barriers`, the barrier map by
centre atom, barrier versus asymmetry) and task neb (band profiles with fit, climbing image and
saddle; shear response; path geometry), against events.json, results.h5, neb.json and the
event structure files read here."""
import json
import subprocess
import tempfile
from pathlib import Path

import h5py
import numpy as np

import fixtures
import support
from glassland_plot.readers import PlotInputError


class ArtFigures(support.PlotTestCase):
    @classmethod
    def setUpClass(cls):
        cls.out = fixtures.ensure("art")
        cls.events = [e for e in json.loads((cls.out / "events.json").read_text())["events"]
                      if e["success"]]
        found = support.results(cls.out)
        assert [r.kind for r in found] == ["art"], found
        cls.result = found[0]
        cls.figures = support.figures(cls.result)

    def test_spectrum_is_the_analysis_of_the_events(self):
        # The same analysis run here by hand: the figure's bars are its histogram counts, and
        # those count the successful events' barriers in the bins.
        analysis = subprocess.run([str(fixtures.PROGRAM), "analyze", "barriers",
                                   str(self.out / "events.json"), "-T", "300", "--bootstrap",
                                   "0"], capture_output=True, text=True, check=True)
        entry = json.loads(analysis.stdout)["results"][0]
        fig = self.figures["barrier_spectrum"]
        bars = support.with_gid(fig, "histogram")
        self.assertArrayEqual([b.get_height() for b in bars], entry["shannon"]["counts"])
        edges = [b.get_x() for b in bars] + [bars[-1].get_x() + bars[-1].get_width()]
        self.assertArrayEqual([b.get_height() for b in bars],
                              np.histogram([e["barrier_eV"] for e in self.events], edges)[0])
        self.assertEqual(sum(b.get_height() for b in bars), len(self.events))
        fitted = {f["model"] for f in entry["fits"] if "parameters" in f}
        self.assertIn("normal", fitted)
        for model in fitted:
            self.assertEqual(len(support.with_gid(fig, f"fit:{model}")), 1)
        # the temperature of that analysis is arbitrary for 0 K barriers: no effective barriers
        self.assertEqual(support.with_gid(fig, "parallel"), [])

    def test_map_places_each_barrier_at_its_centre_atom(self):
        fig = self.figures["barrier_map"]
        points = support.one(fig, "centres")
        offsets, values = points.get_offsets(), points.get_array()
        self.assertEqual(len(values), len(self.events))
        for event in self.events:
            # the centre atom's line in the event's initial structure, found here by its ID
            lines = (self.out / event["files"]["initial"]).read_text().splitlines()
            start = next(i for i, l in enumerate(lines) if l.startswith("Atoms"))
            row = next(l.split() for l in lines[start + 2:]
                       if l.split() and int(l.split()[0]) == event["center_atom"])
            match = np.flatnonzero(values == event["barrier_eV"])
            self.assertEqual(len(match), 1)
            self.assertArrayEqual(offsets[match[0]], [float(row[2]), float(row[3])])
        box = [l.split()[:2] for l in lines if l.endswith("xlo xhi") or l.endswith("ylo yhi")]
        self.assertArrayEqual(fig.axes[0].get_xlim(), [float(v) for v in box[0]])
        self.assertArrayEqual(fig.axes[0].get_ylim(), [float(v) for v in box[1]])

    def test_asymmetry_scatter(self):
        x, y = support.line_data(self.figures["barrier_asymmetry"], "events")
        self.assertArrayEqual(x, [e["asymmetry_eV"] for e in self.events])
        self.assertArrayEqual(y, [e["barrier_eV"] for e in self.events])

    def test_results_h5_alone_gives_the_same_spectrum_and_scatter(self):
        (result,) = support.results(self.out / "results.h5")
        figures = support.figures(result)
        with h5py.File(self.out / "results.h5", "r") as h5:
            success = h5["events/success"][()] == 1
            barriers = h5["events/barrier_eV"][()][success]
        _, y = support.line_data(figures["barrier_asymmetry"], "events")
        self.assertArrayEqual(y, barriers)
        mine = [b.get_height() for b in support.with_gid(figures["barrier_spectrum"],
                                                          "histogram")]
        theirs = [b.get_height() for b in support.with_gid(self.figures["barrier_spectrum"],
                                                            "histogram")]
        self.assertEqual(mine, theirs)


class MinimalEvents(support.PlotTestCase):
    def test_events_with_barriers_only_give_the_spectrum_and_bad_ones_an_error(self):
        with tempfile.TemporaryDirectory() as scratch:
            path = Path(scratch) / "events.json"
            path.write_text(json.dumps({"events": [{"success": True, "barrier_eV": b}
                                                   for b in (0.2, 0.3, 0.35, 0.5)]}))
            (result,) = support.results(path)
            self.assertEqual(set(support.figures(result)), {"barrier_spectrum"})
            path.write_text(json.dumps({"events": [{"success": True, "barrier": 0.2}]}))
            (result,) = support.results(path)
            with self.assertRaisesRegex(PlotInputError,
                                        f"{path}: missing JSON key 'barrier_eV'"):
                support.figures(result)


class Disconnectivity(support.PlotTestCase):
    def test_pairs_of_minima_join_at_their_lowest_connecting_saddle(self):
        # Oracle: for every pair of minima, the lowest over all paths of the highest saddle on
        # the path (minimax, Floyd–Warshall on the edge list read here). In the figure two
        # leaves join where their branches first meet: the height of their lowest common node.
        out = fixtures.ensure("art")
        with h5py.File(out / "results.h5", "r") as h5:
            g = h5["connectivity"]
            energies = g["minima_energy_eV"][()]
            a, b, saddle = g["edge_minimum_a"][()], g["edge_minimum_b"][()], \
                g["edge_e_saddle_eV"][()]
        n = len(energies)
        self.assertGreaterEqual(len(saddle), 2)
        join = np.full((n, n), np.inf)
        for i, j, e in zip(a, b, saddle):
            join[i, j] = join[j, i] = min(join[i, j], e)
        for k in range(n):
            join = np.minimum(join, np.maximum(join[:, k:k + 1], join[k:k + 1, :]))
        (result,) = support.results(out / "results.h5")
        fig = support.figures(result)["disconnectivity"]
        reference = energies.min()
        # leaf i is minimum i, at its energy
        _, y = support.line_data(fig, "minima")
        self.assertArrayEqual(y, energies - reference, atol=1e-12)
        # each branch goes from a child (leaf = minimum index, or a merge node) up to its node
        up = {}
        for line in fig.axes[0].lines:
            gid = line.get_gid() or ""
            if gid.startswith("branch:"):
                _, child, node = gid.split(":")
                up[int(child)] = (int(node), line.get_ydata()[1])

        def ancestors(leaf):
            chain, node = [], leaf
            while node in up:
                node, height = up[node]
                chain.append((node, height))
            return chain

        for p in range(n):
            for q in range(p + 1, n):
                first = dict(ancestors(p))
                common = next((h for node, h in ancestors(q) if node in first), np.inf)
                self.assertAlmostEqual(common + reference, join[p, q], delta=1e-9)


class NebFigures(support.FixtureTestCase):
    fixture = "neb"
    summary_name = "neb.json"

    def test_band_profiles(self):
        fig = self.figures["bands"]
        names = sorted(self.h5["bands"])
        self.assertEqual(len(names), len(self.summary["bands"]))
        for name, record in zip(names, self.summary["bands"]):
            g = self.h5[f"bands/{name}"]
            energies = g["energies_eV"][()]
            x, y = support.line_data(fig, f"band:{name}:images")
            self.assertArrayEqual(x, g["reaction_coordinate_A"][()])
            self.assertArrayEqual(y, energies - energies[0])
            # A band that did not converge has no barrier (null); what its highest image
            # reached is under not_converged.
            reached = record if record["converged"] else {
                "barrier_forward_eV": record["not_converged"]["highest_image_above_initial_eV"],
                "barrier_backward_eV": record["not_converged"]["highest_image_above_final_eV"]}
            self.assertAlmostEqual(y.max(), reached["barrier_forward_eV"], delta=1e-9)
            self.assertAlmostEqual(y.max() - y[-1], reached["barrier_backward_eV"], delta=1e-9)
            x, y = support.line_data(fig, f"band:{name}:fit")
            self.assertArrayEqual(y, g["profile_fit/energy_eV"][()] - energies[0])
            climbing = record["climbing_image"]
            if not record["converged"] and climbing < 0:
                # capped before its climber switched on (neb.climb_below, climb_after): no
                # climbing image, and none drawn
                self.assertEqual(support.with_gid(fig, f"band:{name}:climbing"), [])
            else:
                (cx,), (cy,) = support.line_data(fig, f"band:{name}:climbing")
                self.assertGreater(climbing, 0)
                self.assertEqual(cx, g["reaction_coordinate_A"][climbing])
                self.assertEqual(cy, energies[climbing] - energies[0])
            (_,), (sy,) = support.line_data(fig, f"band:{name}:saddle")
            fitted = (record["fitted_barrier_forward_eV"] if record["converged"]
                      else g["fitted_barrier_forward_eV"][0])
            self.assertEqual(sy, fitted)

    def test_shear_response(self):
        fig = self.figures["shear_response"]
        for name, record in zip(sorted(self.h5["bands"]), self.summary["bands"]):
            shear = record["shear"]
            kept = [not lost for lost in shear["lost"]]
            x, y = support.line_data(fig, f"band:{name}")
            self.assertArrayEqual(x, np.array(shear["gamma_xy"])[kept])
            self.assertArrayEqual(y, np.array(shear["barrier_change_eV"])[kept])
        x, y = support.line_data(fig, "peak_shift")
        strains = self.summary["shear"]["strains"]
        self.assertArrayEqual(x, [s["gamma_xy"] for s in strains])
        self.assertArrayEqual(y, [s["peak_shift_eV"] for s in strains], rtol=1e-15)

    def test_path_geometry(self):
        fig = self.figures["path_geometry"]
        converged = [b for b in self.summary["bands"] if b["converged"]]
        x, y = support.line_data(fig, "bands")
        self.assertArrayEqual(x, [b["end_to_end_A"] for b in converged])
        self.assertArrayEqual(y, [b["contour_length_A"] for b in converged])
        fractal = self.summary["fractal_dimension"]
        self.assertIsNotNone(fractal)
        gx, gy = support.line_data(fig, "fractal_fit")
        self.assertArrayEqual(gy, fractal["prefactor"] * gx ** fractal["delta"], rtol=1e-14)


if __name__ == "__main__":
    import unittest

    unittest.main()
