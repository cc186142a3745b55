"""Figures of `glassland analyze glass-transition`, `entropy-temperature` and `disconnectivity`
(issue 21 item 9; fixture "analyze": prepare's record, the ART walk, planted ART events at three
source temperatures). The plotted numbers are checked against the JSON they come from and the
fit lines against the two-branch form evaluated here; the entropy of each temperature against
−Σ p ln p of the planted counts (fixtures.PLANTED_COUNTS)."""
import numpy as np

import fixtures
import support


def load(name):
    path = fixtures.ensure("analyze") / f"{name}.json"
    (result,) = support.results(path)
    return result, support.figures(result), result.json("analysis")


class GlassTransition(support.PlotTestCase):
    def test_points_and_two_branch_lines_per_replica(self):
        result, figures, document = load("glass_transition")
        self.assertEqual(result.kind, "analyze_glass-transition")
        self.assertEqual(set(figures), {f"glass_transition_{n}" for n in document["observables"]})
        for name in document["observables"]:
            fig = figures[f"glass_transition_{name}"]
            for k, entry in enumerate(document["results"]):
                fit = entry["observables"][name]
                x, y = support.line_data(fig, f"data:{k}")
                self.assertArrayEqual(x, fit["data"]["temperature_K"])
                self.assertArrayEqual(y, fit["data"]["value"])
                x, y = support.line_data(fig, f"fit:{k}")
                tg, at_tg = fit["tg_K"], fit["value_at_tg"]["value"]
                expected = [at_tg + (fit["slope_glass_per_K"]["value"] if t < tg else
                                     fit["slope_liquid_per_K"]["value"]) * (t - tg) for t in x]
                self.assertArrayEqual(y, expected, rtol=1e-12)
                self.assertAlmostEqual(x[1], tg)
                self.assertEqual(list(x[[0, 2]]), entry["temperature_range_K"])


class EntropyTemperature(support.PlotTestCase):
    def test_dynamic_and_structural_entropy_against_temperature(self):
        result, figures, document = load("entropy_temperature")
        self.assertEqual(result.kind, "analyze_entropy-temperature")
        fig = figures["entropy_temperature"]
        x, y = support.line_data(fig, "dynamic")
        temperatures = sorted(fixtures.PLANTED_COUNTS)
        self.assertArrayEqual(x, temperatures)
        planted = []
        for t in temperatures:
            counts = np.array(fixtures.PLANTED_COUNTS[t], dtype=float)
            p = counts[counts > 0] / counts.sum()
            planted.append(-(p * np.log(p)).sum())
        self.assertArrayEqual(y, planted, rtol=1e-12)
        # Only 500 K has a source structure (B2: every cell <0,6,0,8>, S = 0).
        x, y = support.line_data(fig, "structural")
        self.assertArrayEqual(x, [500.0])
        self.assertArrayEqual(y, [0.0], atol=1e-12)
        self.assertNotIn("entropy_correlation", figures)  # needs three structural points


class DisconnectivityLevels(support.PlotTestCase):
    def test_segments_and_minima_are_the_json_layout(self):
        result, figures, document = load("disconnectivity")
        self.assertEqual(result.kind, "analyze_disconnectivity")
        fig = figures["disconnectivity_levels"]
        reference = document["reference_energy_eV"]
        segments = support.one(fig, "segments").get_segments()
        s = document["segments"]
        self.assertEqual(len(segments), len(s["x0"]))
        self.assertArrayEqual([seg[0][0] for seg in segments], s["x0"])
        self.assertArrayEqual([seg[1][1] for seg in segments],
                              np.array(s["energy1_eV"]) - reference, rtol=1e-12, atol=1e-12)
        x, y = support.line_data(fig, "minima")
        self.assertArrayEqual(x, document["minima_x"])
        self.assertArrayEqual(y, np.array(document["minima_energy_eV"]) - reference, atol=1e-12)
        self.assertGreaterEqual(document["minima"], 2)  # the fixture's walk found new minima


if __name__ == "__main__":
    import unittest
    unittest.main()
