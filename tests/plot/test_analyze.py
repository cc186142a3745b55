"""Figures of the JSON of `glassland analyze ... -o` (fixture: every sub-command on the example
tables of inputs/analyze/). The plotted data are the JSON's numbers; fitted densities, curves
and bands are checked against closed forms evaluated here (scipy-free: math.erf, numpy), and
the data points against the source tables read here with the csv module."""
import csv
import json
import math

import numpy as np

import fixtures
import support

K_B = 8.617333262e-5


def load(name):
    path = fixtures.ensure("analyze") / f"{name}.json"
    return path, json.loads(path.read_text())


def figure_of(name):
    path, _ = load(name)
    (result,) = support.results(path)
    return result, support.figures(result)


def table(path, x, y):
    with open(path, newline="") as stream:
        rows = list(csv.DictReader(l for l in stream if l.strip() and not l.startswith("#")))
    return (np.array([float(r[x]) for r in rows]), np.array([float(r[y]) for r in rows]))


class BarrierSpectrum(support.PlotTestCase):
    def test_histogram_fits_and_effective_barriers(self):
        _, document = load("barriers")
        entry = document["results"][0]
        result, figures = figure_of("barriers")
        self.assertEqual(result.kind, "analyze_barriers")
        fig = figures["spectrum"]
        bars = support.with_gid(fig, "histogram")
        shannon = entry["shannon"]
        self.assertArrayEqual([b.get_height() for b in bars], shannon["counts"])
        self.assertArrayEqual([b.get_x() for b in bars],
                              shannon["origin_eV"] + shannon["bin_width_eV"] *
                              np.arange(len(bars)), atol=1e-12)
        # Fitted densities × n × bin width, from the closed forms of docs/analyze.md.
        n, w = entry["sample"]["n"], shannon["bin_width_eV"]
        fits = {f["model"]: f["parameters"] for f in entry["fits"] if "parameters" in f}
        self.assertEqual(set(fits), {"normal", "lognormal", "two_mode"})
        x, y = support.line_data(fig, "fit:normal")
        mu, sigma = fits["normal"]["mu_eV"]["value"], fits["normal"]["sigma_eV"]["value"]
        self.assertArrayEqual(y, n * w * np.exp(-0.5 * ((x - mu) / sigma) ** 2) /
                              (sigma * math.sqrt(2 * math.pi)), rtol=1e-12)
        x, y = support.line_data(fig, "fit:lognormal")
        m, s = fits["lognormal"]["m"]["value"], fits["lognormal"]["s"]["value"]
        positive = x > 0
        self.assertArrayEqual(y[positive], n * w * np.exp(-0.5 * ((np.log(x[positive]) - m) /
                                                                   s) ** 2) /
                              (x[positive] * s * math.sqrt(2 * math.pi)), rtol=1e-12)
        # The two-mode density integrates to 1 over x ≥ 0 (its normalisation W′ = (1 − W)/Z).
        x, y = support.line_data(fig, "fit:two_mode")
        from glassland_plot import analyze

        p = fits["two_mode"]
        grid = np.linspace(0, 20, 400001)
        density = analyze.two_mode_density(grid, p["W"]["value"], p["epsilon_eV"]["value"],
                                           p["mu_eV"]["value"], p["sigma_eV"]["value"])
        self.assertAlmostEqual(np.trapz(density, grid), 1.0, delta=1e-6)
        self.assertArrayEqual(y, n * w * analyze.two_mode_density(
            x, p["W"]["value"], p["epsilon_eV"]["value"], p["mu_eV"]["value"],
            p["sigma_eV"]["value"]))
        for name in ("parallel", "sequential", "mixed"):
            xs, _ = support.line_data(fig, name)
            self.assertEqual(xs[0], entry["effective_barriers"][f"{name}_eV"])


class Activation(support.PlotTestCase):
    def check(self, name, variable_key, intercept_key):
        _, document = load(name)
        _, figures = figure_of(name)
        fig = figures["activation"]
        self.assertActivationLines(fig, document["conditions"], document["fits"], variable_key,
                                   intercept_key)
        return fig

    def test_temperature_gives_entropy_lines(self):
        fig = self.check("activation_temperature", "temperature_K", "intercept_0K_eV")
        self.assertEqual(fig.axes[0].get_xlabel(), "T (K)")

    def test_pressure_gives_volume_lines(self):
        fig = self.check("activation_pressure", "pressure_GPa", "intercept_0GPa_eV")
        self.assertEqual(fig.axes[0].get_xlabel(), "P (GPa)")


class Tst(support.PlotTestCase):
    def test_rates_and_critical_barrier(self):
        _, document = load("tst")
        _, figures = figure_of("tst")
        fig = figures["rates"]
        x, y = support.line_data(fig, "barriers")
        self.assertArrayEqual(x, [b["barrier_eV"] for b in document["barriers"]])
        self.assertArrayEqual(y, [b["rate_per_s"] for b in document["barriers"]])
        gx, gy = support.line_data(fig, "rate_curve")
        self.assertArrayEqual(gy, document["nu0_per_s"] *
                              np.exp(-gx / (K_B * document["temperature_K"])), rtol=1e-13)
        # the curve passes through the given barriers' rates (same formula, computed in C++)
        self.assertArrayEqual(np.interp(x, gx, np.log(gy)), np.log(y), rtol=1e-4)
        xc, _ = support.line_data(fig, "critical:0")
        self.assertEqual(xc[0], document["critical_barriers"][0]["barrier_eV"])


class Fits(support.PlotTestCase):
    def test_kink_line_band_and_data(self):
        path, document = load("fit_kink")
        _, figures = figure_of("fit_kink")
        fig = figures["fit_kink"]
        p = document["parameters"]
        data = table(document["source"], "temperature_K", "volume_A3")
        x, y = support.line_data(fig, "data")
        self.assertArrayEqual(x, data[0])
        self.assertArrayEqual(y, data[1])
        gx, gy = support.line_data(fig, "fit")
        xk = p["kink_x"]["value"]
        expected = p["kink_y"]["value"] + np.where(gx < xk, p["slope_below"]["value"],
                                                   p["slope_above"]["value"]) * (gx - xk)
        self.assertArrayEqual(gy, expected, rtol=1e-14)
        xs, _ = support.line_data(fig, "kink_x")
        self.assertEqual(xs[0], xk)
        # the band: ∇ = (1, min(x − x_k, 0), max(x − x_k, 0), −slope on x's side) through the
        # 4×4 covariance of (a, b1, b2, x_k)
        covariance = np.array(p["covariance_a_b1_b2_xk"])

        def half_width(t):
            gradient = np.stack([np.ones_like(t), np.minimum(t - xk, 0), np.maximum(t - xk, 0),
                                 -np.where(t < xk, p["slope_below"]["value"],
                                           p["slope_above"]["value"])])
            return np.sqrt(np.einsum("in,ij,jn->n", gradient, covariance, gradient))

        self.assertBand(fig, "band", lambda t: p["kink_y"]["value"] + np.where(
            t < xk, p["slope_below"]["value"], p["slope_above"]["value"]) * (t - xk),
            half_width, rtol=1e-7)

    def test_arrhenius_on_inverse_temperature_with_log_band(self):
        _, document = load("fit_arrhenius")
        _, figures = figure_of("fit_arrhenius")
        fig = figures["fit_arrhenius"]
        p = document["parameters"]
        t, d = table(document["source"], "temperature_K", "D_m2_per_s")
        x, y = support.line_data(fig, "data")
        self.assertArrayEqual(x, 1000.0 / t)
        self.assertArrayEqual(y, d)
        gx, gy = support.line_data(fig, "fit")
        temperature = 1000.0 / gx
        self.assertArrayEqual(np.log(gy), p["ln_prefactor"]["value"] - p["Q_eV"]["value"] /
                              (K_B * temperature), rtol=1e-13)
        self.assertEqual(fig.axes[0].get_yscale(), "log")
        # band: y·exp(±σ_ln y), σ² = σ²_lnA + σ²_Q/(kT)² − 2 cov/(kT), on 1000/T
        def half_width(u):
            beta = 1 / (K_B * 1000.0 / u)
            return np.sqrt(p["ln_prefactor"]["error"] ** 2 + beta ** 2 * p["Q_eV"]["error"] ** 2
                           - 2 * beta * p["covariance_Q_ln_prefactor"])

        self.assertBand(fig, "band", lambda u: np.exp(p["ln_prefactor"]["value"] -
                                                      p["Q_eV"]["value"] * u / (K_B * 1000.0)),
                        half_width, log=True, rtol=1e-7)

    def test_linear_and_vft(self):
        _, linear = load("fit_linear")
        fig = figure_of("fit_linear")[1]["fit_linear"]
        gx, gy = support.line_data(fig, "fit")
        p = linear["parameters"]
        self.assertArrayEqual(gy, p["intercept"]["value"] + p["slope"]["value"] * gx,
                              rtol=1e-14)
        _, vft = load("fit_vft")
        fig = figure_of("fit_vft")[1]["fit_vft"]
        gx, gy = support.line_data(fig, "fit")
        p = vft["parameters"]
        self.assertArrayEqual(np.log(gy), p["ln_y0"]["value"] + p["B_K"]["value"] /
                              (gx - p["T0_K"]["value"]), rtol=1e-13)


class Entropy(support.PlotTestCase):
    def test_histogram_counts(self):
        _, document = load("entropy_histogram")
        fig = figure_of("entropy_histogram")[1]["entropy_histogram"]
        bars = support.with_gid(fig, "counts")
        self.assertArrayEqual([b.get_height() for b in bars], document["counts"])
        self.assertAlmostEqual(bars[0].get_x(), document["origin"], delta=1e-12)

    def test_categorical_fractions_give_the_entropy(self):
        _, document = load("entropy_categorical")
        fig = figure_of("entropy_categorical")[1]["entropy_categorical"]
        fractions = np.array([b.get_height() for b in support.with_gid(fig, "categories")])
        weights = np.array(sorted(document["categories"].values(), reverse=True))
        self.assertArrayEqual(fractions, weights / weights.sum(), rtol=1e-15)
        self.assertAlmostEqual(-np.sum(fractions * np.log(fractions)), document["entropy"],
                               delta=1e-12)


if __name__ == "__main__":
    import unittest

    unittest.main()
