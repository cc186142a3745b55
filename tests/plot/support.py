"""What the plot tests share: the package on the path, the fixtures, and reading plotted data
back from a figure's artists by their gid (each figure maker tags its artists)."""
import json
import sys
import unittest
from pathlib import Path

import h5py
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "python"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import fixtures  # noqa: E402
from glassland_plot import registry  # noqa: E402

registry.load_figure_modules()


def context():
    return registry.Context(version="test", program=str(fixtures.PROGRAM))


def results(path):
    return registry.recognise(Path(path))


def figures(result):
    """{name: Figure} of every figure registered for the result's kind."""
    return dict(registry.make_figures(result, context()))


def with_gid(figure, gid):
    return figure.findobj(lambda artist: artist.get_gid() == gid)


def one(figure, gid):
    found = with_gid(figure, gid)
    if len(found) != 1:
        raise AssertionError(f"{len(found)} artists with gid '{gid}' (expected 1)")
    return found[0]


def line_data(figure, gid):
    line = one(figure, gid)
    return np.asarray(line.get_xdata(), dtype=float), np.asarray(line.get_ydata(), dtype=float)


def band_vertices(figure, gid):
    """(x, y) of every vertex of a fill_between band: each is (x_i, lower_i) or (x_i, upper_i)."""
    vertices = one(figure, gid).get_paths()[0].vertices
    return vertices[:, 0], vertices[:, 1]


class PlotTestCase(unittest.TestCase):
    def assertArrayEqual(self, actual, expected, rtol=0.0, atol=0.0, msg=None):
        actual, expected = np.asarray(actual, dtype=float), np.asarray(expected, dtype=float)
        self.assertEqual(actual.shape, expected.shape, msg)
        np.testing.assert_allclose(actual, expected, rtol=rtol, atol=atol, err_msg=msg or "")

    def assertBand(self, figure, gid, centre, half_width, log=False, rtol=1e-9):
        """Every vertex of the band is centre(x) ± half_width(x) (× / ÷ exp(half_width) on a
        log axis)."""
        x, y = band_vertices(figure, gid)
        if log:
            distance = np.abs(np.log(y) - np.log(centre(x)))
        else:
            distance = np.abs(y - centre(x))
        np.testing.assert_allclose(distance, half_width(x), rtol=rtol, atol=1e-15)

    def assertActivationLines(self, fig, conditions, fits, column, intercept_key):
        """The figure of `analyze activation` (or of a sweep's chain series): for every kind of
        effective barrier its points and error bars (2 × SE) at the conditions, its fitted line
        and the band of the line ± its standard error (delta method on slope and intercept)."""
        x = [c[column] for c in conditions]
        for kind in ("parallel", "sequential", "mixed", "mean"):
            data_x, data_y = line_data(fig, f"{kind}:data")
            self.assertArrayEqual(data_x, x)
            self.assertArrayEqual(data_y, [c[f"{kind}_eV"]["value"] for c in conditions])
            bars = one(fig, f"{kind}:data:error").get_segments()
            self.assertArrayEqual([b[1][1] - b[0][1] for b in bars],
                                  [2 * c[f"{kind}_eV"]["standard_error"] for c in conditions],
                                  rtol=1e-9)
            fit = fits[kind]
            gx, gy = line_data(fig, f"{kind}:fit")
            self.assertArrayEqual(gy, fit[intercept_key]["value"] + fit["slope"]["value"] * gx,
                                  rtol=1e-14, atol=1e-15)
            self.assertBand(fig, f"{kind}:band",
                            lambda t: fit[intercept_key]["value"] + fit["slope"]["value"] * t,
                            lambda t: np.sqrt(fit[intercept_key]["error"] ** 2 +
                                              t ** 2 * fit["slope"]["error"] ** 2 +
                                              2 * t * fit["covariance_slope_intercept"]))

    def tearDown(self):
        import matplotlib.pyplot as plt

        plt.close("all")


class FixtureTestCase(PlotTestCase):
    """Tests of one task fixture's directory: `summary` (the JSON named by summary_name), `h5`
    (its results.h5, open), `result` (the one result the directory is) and `figures`."""
    fixture = None  # name in fixtures.py
    summary_name = "summary.json"  # None: no summary

    @classmethod
    def setUpClass(cls):
        cls.out = fixtures.ensure(cls.fixture)
        cls.summary = json.loads((cls.out / cls.summary_name).read_text()) \
            if cls.summary_name else None
        cls.h5 = h5py.File(cls.out / "results.h5", "r")
        found = results(cls.out)
        assert [r.kind for r in found] == [cls.fixture], found
        cls.result = found[0]
        cls.figures = figures(cls.result)

    @classmethod
    def tearDownClass(cls):
        cls.h5.close()
