"""Figures of `glassland analyze ageing` and `glassland analyze mobility` (docs/ageing.md), made
here from a small md run with md.inherent_structures (4 replicas, two strained): the plotted
series are the document's E_IS, the map pixels its −Φ and f, the ratio-fit curve κ cosh(xV) at
x = τ/(k_B T) for a planted fit, the p_hop histogram numpy's histogram of the per-atom maxima,
the D.F. line the document's values."""
import json
import math
import tempfile
from pathlib import Path

import numpy as np

import fixtures
import support

K_B = 8.617333262e-5

MD = {
    "task": "md",
    "system": {"build": {"lattice": "b2", "cells": [6, 6, 6], "seeds": [4, 4, 4, 4]},
               "replicas": 4},
    "md": {"steps": 80, "ensemble": "nvt", "temperature": [1000, 1000, 1300, 1300],
           "shear": {"strain_xy": [0.0, 0.04, 0.0, 0.04]},
           "inherent_structures": {"stride": 40, "ftol": 1e-2}},
    "output": {"thermo_stride": 10, "trajectory_stride": 10, "quiet": True},
}


class AgeingFigures(support.PlotTestCase):
    @classmethod
    def setUpClass(cls):
        cls.scratch = tempfile.TemporaryDirectory()
        directory = Path(cls.scratch.name)
        document = json.loads(json.dumps(MD))
        document["output"]["directory"] = str(directory / "md")
        (directory / "md.json").write_text(json.dumps(document))
        fixtures.run(["run", str(directory / "md.json")])
        results = str(directory / "md" / "results.h5")
        cls.ageing_path = directory / "ageing.json"
        fixtures.run(["analyze", "ageing", results, "--energy-bin-width", "0.01", "-o",
                      str(cls.ageing_path)])
        cls.ageing = json.loads(cls.ageing_path.read_text())
        (directory / "lse.json").write_text(json.dumps(
            [{"participating_atoms": [1, 2, 3], "tortuosity": 2.0},
             {"participating_atoms": [10, 20], "tortuosity": 1.0}]))
        cls.mobility_path = directory / "mobility.json"
        trajectory = str(directory / "md" / "trajectory.h5md")
        fixtures.run(["analyze", "mobility", trajectory, "--replica", "0", "--window-ps", "0.04",
                      "--excitations", str(directory / "lse.json"), "-o",
                      str(cls.mobility_path)])
        cls.mobility = json.loads(cls.mobility_path.read_text())

    @classmethod
    def tearDownClass(cls):
        cls.scratch.cleanup()

    def figures_of(self, path, kind):
        (result,) = support.results(path)
        self.assertEqual(result.kind, kind)
        return support.figures(result)

    def test_series_are_the_documents_inherent_structure_energies(self):
        fig = self.figures_of(self.ageing_path, "analyze_ageing")["ageing_series"]
        for r in self.ageing["replicas"]:
            x, y = support.line_data(fig, f"series:{r['replica']}:{r['file']}")
            self.assertArrayEqual(x, r["time_ps"])
            self.assertArrayEqual(y, r["energy_per_atom_eV"])

    def test_map_pixels_are_minus_the_rates_and_the_ratio(self):
        fig = self.figures_of(self.ageing_path, "analyze_ageing")["ageing_maps"]
        for name in ("unloaded", "loaded", "ratio"):
            mesh = support.one(fig, f"map:{name}")
            rows = self.ageing["ratio"]["f"] if name == "ratio" else \
                self.ageing[name]["rate_eV_per_atom_ps"]
            sign = 1.0 if name == "ratio" else -1.0
            expected = np.array([[math.nan if v is None else sign * v for v in row]
                                 for row in rows])
            drawn = np.ma.filled(mesh.get_array().astype(float), math.nan)
            self.assertArrayEqual(drawn.reshape(expected.shape), expected, msg=name)

    def test_ratio_fit_curve_is_kappa_cosh_of_the_planted_volume(self):
        document = dict(self.ageing)
        stress, temperature = [0.5, 1.0, 1.5], [500.0, 500.0, 650.0]
        volume, kappa = 60.0, 1.1
        x = [s / 160.2176634 / (K_B * t) for s, t in zip(stress, temperature)]
        document["activation_volume"] = {
            "V_act_A3": {"value": volume, "error": 20.0}, "kappa": {"value": kappa,
                                                                    "error": 0.1},
            "points": {"shear_stress_GPa": stress, "temperature_K": temperature,
                       "f": [kappa * math.cosh(v * volume) for v in x],
                       "f_error": [0.1, 0.1, 0.1]}}
        path = Path(self.scratch.name) / "planted.json"
        path.write_text(json.dumps(document))
        fig = self.figures_of(path, "analyze_ageing")["ageing_ratio_fit"]
        px, py = support.line_data(fig, "points")
        self.assertArrayEqual(px, x, rtol=1e-15)
        self.assertArrayEqual(py, document["activation_volume"]["points"]["f"])
        gx, gy = support.line_data(fig, "fit")
        self.assertArrayEqual(gy, kappa * np.cosh(gx * volume), rtol=1e-14)
        self.assertLessEqual(gx.min(), min(x))
        self.assertGreaterEqual(gx.max(), max(x))

    def test_p_hop_histogram_and_disproportionate_factor(self):
        figures = self.figures_of(self.mobility_path, "analyze_mobility")
        values = np.asarray(self.mobility["atoms"]["p_hop_max_A2"])
        counts, edges = np.histogram(values, bins=40)
        (patch,) = support.with_gid(figures["mobility_p_hop"], "p_hop:0")
        vertices = patch.get_xy()
        # A step histogram's outline: (edge_k, count_k) pairs along its top.
        tops = vertices[1:2 * len(counts) + 1:2]
        self.assertArrayEqual(tops[:, 0], edges[:-1], rtol=1e-12)
        self.assertArrayEqual(tops[:, 1], counts)
        x, y = support.line_data(figures["mobility_df"], "df:0")
        rows = self.mobility["disproportionate_factor"]
        self.assertArrayEqual(x, [r["percent"] for r in rows])
        self.assertArrayEqual(y, [r["value"] for r in rows])
