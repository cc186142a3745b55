"""Figures of the trajectory and structure analysis (docs/analysis.md) of a 3-replica md liquid
at 2200/2000/1800 K (fixture "trajectory"): `analyze dynamics|structure|cage-jumps` as JSON and
HDF5, and md's own on-the-fly analysis (dynamics.json next to results.h5).

The plotted data are compared with the numbers of the documents read here with json; and,
independently of the figures' code: the D fit line against numpy's least squares over the
window, τ_α against the interpolated 1/e crossing of the drawn F_s, the van Hove distribution's
integral against 1 − the fraction beyond its last bin, the Arrhenius Q against numpy's fit,
the Voronoi entropy against −Σ p ln p of the index fractions, and the jump-length histogram
against numpy.histogram of the listed jumps and the jump count of the document.
"""
import json
import math

import numpy as np
from matplotlib.colors import to_rgba

import fixtures
import support

K_B_EV_PER_K = 8.617333262e-5


def nan_array(values):
    return np.array([math.nan if v is None else v for v in values], dtype=float)


def voronoi_bars(fig, element):
    """The bars of one element's panel, left to right (gid voronoi:<element>:<index>)."""
    prefix = f"voronoi:{element}:"
    bars = fig.findobj(lambda a: str(a.get_gid()).startswith(prefix))
    return sorted(bars, key=lambda b: b.get_x())


class AnalysisDocuments(support.PlotTestCase):
    """`doc`, `result` and `figures` of trajectory/analyses/<document_name> (when set)."""
    document_name = None

    @classmethod
    def setUpClass(cls):
        cls.md = fixtures.ensure("trajectory")
        cls.analyses = cls.md.parent / "analyses"
        if cls.document_name:
            cls.doc = json.loads((cls.analyses / cls.document_name).read_text())
            cls.result = support.results(cls.analyses / cls.document_name)[0]
            cls.figures = support.figures(cls.result)

    def document(self, name):
        return json.loads((self.analyses / name).read_text())

    def figures_of(self, name):
        found = support.results(self.analyses / name)
        self.assertEqual(len(found), 1)
        return found[0], support.figures(found[0])

    def assertSameLines(self, first, second, gids):
        for gid in gids:
            for a, b in zip(support.line_data(first, gid), support.line_data(second, gid)):
                self.assertArrayEqual(a, b, rtol=1e-12, msg=gid)


class DynamicsFigures(AnalysisDocuments):
    document_name = "dynamics.json"

    def test_recognised_with_every_figure(self):
        self.assertEqual(self.result.kind, "analyze_dynamics")
        self.assertEqual(set(self.figures), {"msd", "alpha2", "fs", "van_hove",
                                             "diffusion_arrhenius", "stokes_einstein"})
        self.assertEqual(len(self.doc["series"]), 3)

    def test_msd_and_alpha2_lines_are_the_document_per_series_and_set(self):
        for k, series in enumerate(self.doc["series"]):
            lag = np.array(series["lag_ps"])
            self.assertEqual(set(series["msd_A2"]), {"all", "Cu", "Zr"})
            for name in series["msd_A2"]:
                msd = nan_array(series["msd_A2"][name])
                x, y = support.line_data(self.figures["msd"], f"msd:{k}:{name}")
                shown = (lag > 0) & (msd > 0)
                self.assertArrayEqual(x, lag[shown])
                self.assertArrayEqual(y, msd[shown])
                alpha2 = nan_array(series["alpha2"][name])
                x, y = support.line_data(self.figures["alpha2"], f"alpha2:{k}:{name}")
                self.assertArrayEqual(x, lag[1:])
                self.assertArrayEqual(y, alpha2[1:])
        self.assertEqual(self.figures["msd"].axes[0].get_xscale(), "log")
        self.assertEqual(self.figures["msd"].axes[0].get_yscale(), "log")

    def test_d_fit_line_is_the_least_squares_line_over_the_marked_window(self):
        for k, series in enumerate(self.doc["series"]):
            lag = np.array(series["lag_ps"])
            for name, fit in series["diffusion_m2_per_s"].items():
                start, end = fit["fit_window_ps"]
                x, y = support.line_data(self.figures["msd"], f"fit:{k}:{name}")
                self.assertAlmostEqual(x[0], start, 12)
                self.assertAlmostEqual(x[-1], end, 12)
                inside = (lag >= start - 1e-9) & (lag <= end + 1e-9)
                self.assertEqual(inside.sum(), fit["points"])
                slope, intercept = np.polyfit(lag[inside], nan_array(series["msd_A2"][name])[
                    inside], 1)
                self.assertAlmostEqual(slope / 6 / 1e8, fit["value"], delta=1e-9 * slope)
                self.assertArrayEqual(y, intercept + slope * x, rtol=1e-9)
        window = support.one(self.figures["msd"], "fit_window").get_xy()
        first = self.doc["series"][0]["diffusion_m2_per_s"]["all"]["fit_window_ps"]
        self.assertAlmostEqual(np.min(np.asarray(window)[:, 0]), first[0], 12)
        self.assertAlmostEqual(np.max(np.asarray(window)[:, 0]), first[1], 12)

    def test_fs_lines_and_tau_alpha_at_the_one_over_e_crossing(self):
        fig = self.figures["fs"]
        marked = 0
        for k, series in enumerate(self.doc["series"]):
            lag = np.array(series["lag_ps"])
            for name in ("all", "Cu", "Zr"):
                x, y = support.line_data(fig, f"fs:{k}:{name}")
                self.assertArrayEqual(x, lag[1:])
                self.assertArrayEqual(y, nan_array(series["fs"][name])[1:])
                tau = series["tau_alpha_ps"][name]
                if tau is None:
                    self.assertEqual(support.with_gid(fig, f"tau_alpha:{k}:{name}"), [])
                    self.assertTrue(np.all(y > math.exp(-1)))
                    continue
                below = int(np.argmax(y < math.exp(-1)))
                crossing = np.interp(math.exp(-1), [y[below], y[below - 1]],
                                     [x[below], x[below - 1]])
                tx, ty = support.line_data(fig, f"tau_alpha:{k}:{name}")
                self.assertAlmostEqual(tx[0], crossing, 10)
                self.assertAlmostEqual(ty[0], math.exp(-1), 15)
                marked += 1
                d_tau = series["stokes_einstein"][name]["d_tau_alpha_A2"]
                d = series["diffusion_m2_per_s"][name]["value"]
                self.assertAlmostEqual(d_tau, d * 1e8 * tau, delta=1e-12 * d_tau)
                self.assertIn(f"D·τ_α = {d_tau:.3g} Å²",
                              support.one(fig, f"fs:{k}:{name}").get_label())
        self.assertGreater(marked, 3)

    def test_van_hove_distributions_hold_all_but_the_fraction_beyond(self):
        series = self.doc["series"][0]
        van_hove = series["van_hove"]
        r, width = np.array(van_hove["r_A"]), van_hove["bin_A"]
        shell = 4 * math.pi / 3 * ((r + width / 2) ** 3 - (r - width / 2) ** 3)
        for name in ("all", "Cu", "Zr"):
            for v in range(len(van_hove["lag_ps"])):
                x, p = support.line_data(self.figures["van_hove"], f"van_hove:{name}:{v}")
                self.assertArrayEqual(x, r)
                self.assertArrayEqual(p, np.array(van_hove[name][v]) * shell / width,
                                      rtol=1e-12)
                self.assertAlmostEqual(np.sum(p) * width + van_hove["beyond_fraction"][name][v],
                                       1.0, 9)

    def test_diffusion_arrhenius_points_and_fit(self):
        fit = self.doc["diffusion_arrhenius"]
        fig = self.figures["diffusion_arrhenius"]
        t, d = np.array(fit["temperature_K"]), np.array(fit["diffusion_m2_per_s"])
        self.assertArrayEqual(t, [s["temperature_K"] for s in self.doc["series"]])
        self.assertArrayEqual(d, [s["diffusion_m2_per_s"]["all"]["value"]
                                  for s in self.doc["series"]])
        x, y = support.line_data(fig, "data")
        self.assertArrayEqual(x, 1000 / t)
        self.assertArrayEqual(y, d)
        slope, ln_d0 = np.polyfit(1 / (K_B_EV_PER_K * t), np.log(d), 1)
        self.assertAlmostEqual(-slope, fit["Q_eV"]["value"], 9)
        x, y = support.line_data(fig, "fit")
        self.assertArrayEqual(y, np.exp(ln_d0 + slope / (K_B_EV_PER_K * 1000 / x)), rtol=1e-9)

    def test_stokes_einstein_points(self):
        fig = self.figures["stokes_einstein"]
        for name in ("all", "Cu", "Zr"):
            pairs = sorted((s["temperature_K"], s["stokes_einstein"][name][
                "d_tau_alpha_over_T_A2_per_K"]) for s in self.doc["series"]
                if s["stokes_einstein"][name]["d_tau_alpha_over_T_A2_per_K"] is not None)
            if len(pairs) < 1:
                continue
            x, y = support.line_data(fig, f"stokes_einstein:{name}")
            self.assertArrayEqual(x, [p[0] for p in pairs])
            self.assertArrayEqual(y, [p[1] for p in pairs])

    def test_hdf5_output_draws_the_same_lines(self):
        result, figures = self.figures_of("dynamics_h5.h5")
        self.assertEqual((result.kind, set(result.files)), ("analyze_dynamics", {"analysis_h5"}))
        self.assertEqual(set(figures), set(self.figures))
        gids = [f"msd:{k}:{n}" for k in range(3) for n in ("all", "Cu", "Zr")]
        self.assertSameLines(self.figures["msd"], figures["msd"], gids + ["fit:0:all"])
        self.assertSameLines(self.figures["fs"], figures["fs"],
                             [g.replace("msd", "fs") for g in gids])
        self.assertSameLines(self.figures["van_hove"], figures["van_hove"],
                             ["van_hove:all:0", "van_hove:Zr:2"])
        self.assertSameLines(self.figures["diffusion_arrhenius"],
                             figures["diffusion_arrhenius"], ["data", "fit"])


class MdOnTheFlyFigures(AnalysisDocuments):
    def test_md_directory_draws_its_dynamics_json(self):
        found = support.results(self.md)
        self.assertEqual([r.kind for r in found], ["md"])
        self.assertIn("dynamics", found[0].files)
        figures = support.figures(found[0])
        self.assertTrue({"msd", "alpha2", "fs", "diffusion_arrhenius", "thermo_time"} <=
                        set(figures))
        doc = json.loads((self.md / "dynamics.json").read_text())
        self.assertEqual(doc["command"], "task md (md.analysis)")
        for k, series in enumerate(doc["series"]):
            lag = np.array(series["lag_ps"])
            for name in ("all", "Cu", "Zr"):
                x, y = support.line_data(figures["msd"], f"msd:{k}:{name}")
                self.assertArrayEqual(x, lag[1:])
                self.assertArrayEqual(y, series["msd_A2"][name][1:])
                _, y = support.line_data(figures["fs"], f"fs:{k}:{name}")
                self.assertArrayEqual(y, series["fs"][name][1:])


class StructureFigures(AnalysisDocuments):
    document_name = "structure.json"

    def test_partial_rdfs_and_first_minima(self):
        fig = self.figures["rdf"]
        rdf = self.doc["rdf"]
        for pair in ("Cu-Cu", "Cu-Zr", "Zr-Zr", "total"):
            x, y = support.line_data(fig, f"rdf:{pair}")
            self.assertArrayEqual(x, rdf["r_A"])
            self.assertArrayEqual(y, rdf[pair])
        for pair, r_min in self.doc["coordination"]["first_minimum_A"].items():
            if pair in rdf:
                x, _ = support.line_data(fig, f"first_minimum:{pair}")
                self.assertEqual(x[0], r_min)
                self.assertIn(f"n = {self.doc['coordination']['numbers'][pair]:.2f}",
                              support.one(fig, f"rdf:{pair}").get_label())

    def test_structure_factor_and_its_peak(self):
        sq = self.doc["structure_factor"]
        x, y = support.line_data(self.figures["structure_factor"], "s_of_q")
        self.assertArrayEqual(x, sq["q_inv_A"])
        self.assertArrayEqual(y, sq["s"])
        x, y = support.line_data(self.figures["structure_factor"], "peak")
        self.assertEqual((x[0], y[0]), (sq["peak_q_inv_A"], sq["peak_s"]))
        # The peak is refined between grid points: at or above the highest sample, next to it.
        q, s = np.array(sq["q_inv_A"]), np.array(sq["s"])
        self.assertGreaterEqual(y[0], s.max())
        self.assertLessEqual(abs(x[0] - q[np.argmax(s)]), q[1] - q[0])

    def test_voronoi_bars_icosahedra_highlighted_and_entropy_in_titles(self):
        fig = self.figures["voronoi"]
        voronoi = self.doc["voronoi"]
        for element in ("Cu", "Zr", "all"):
            bars = voronoi_bars(fig, element)
            labels = [b.get_gid().split(":", 2)[2] for b in bars]
            top = voronoi["top_indices"][element][:10]
            expected = [e["index"] for e in top]
            if "<0,0,12,0>" not in expected:
                expected.append("<0,0,12,0>")
            self.assertEqual(labels, expected)
            fractions = voronoi["index_fractions"][element]
            self.assertArrayEqual([b.get_height() for b in bars],
                                  [fractions.get(label, 0.0) for label in labels], rtol=1e-15)
            for bar, label in zip(bars, labels):  # vermillion: ⟨0,0,12,0⟩ only
                self.assertEqual(bar.get_facecolor() == to_rgba("#D55E00"),
                                 label == "<0,0,12,0>", label)
            p = np.array(list(fractions.values()))
            entropy = -np.sum(p * np.log(p))
            self.assertAlmostEqual(entropy, voronoi["shannon"][element]["entropy"], 9)
            titles = [ax.get_title() for ax in fig.axes]
            self.assertTrue(any(f"S = {entropy:.3f}" in t for t in titles), titles)
        self.assertIn(f"S = {voronoi['shannon_entropy']:.3f}", fig._suptitle.get_text())

    def test_hdf5_output_draws_the_same_figures(self):
        result, figures = self.figures_of("structure_h5.h5")
        self.assertEqual(result.kind, "analyze_structure")
        self.assertSameLines(self.figures["rdf"], figures["rdf"],
                             ["rdf:Cu-Cu", "rdf:Cu-Zr", "rdf:Zr-Zr", "rdf:total"])
        self.assertSameLines(self.figures["structure_factor"], figures["structure_factor"],
                             ["s_of_q", "peak"])
        for element in ("Cu", "Zr", "all"):
            heights = [[b.get_height() for b in voronoi_bars(f, element)]
                       for f in (self.figures["voronoi"], figures["voronoi"])]
            self.assertArrayEqual(heights[0], heights[1])


class CageJumpFigures(AnalysisDocuments):
    document_name = "cage_jumps.json"

    def test_jump_length_histograms_count_every_listed_jump(self):
        fig = self.figures["jump_lengths"]
        for k, series in enumerate(self.doc["series"]):
            lengths = np.array([j["length_A"] for j in series["jumps"]])
            self.assertEqual(len(lengths), series["species"]["all"]["jumps"])
            self.assertEqual(series["species"]["all"]["jumps"],
                             series["species"]["Cu"]["jumps"] + series["species"]["Zr"]["jumps"])
            counts, edges = support.one(fig, f"lengths:{k}").get_data()[:2]
            self.assertArrayEqual(counts, np.histogram(lengths, bins=edges)[0])
            self.assertEqual(np.sum(counts), len(lengths))
            self.assertAlmostEqual(np.mean(lengths ** 2),
                                   series["species"]["all"]["mean_squared_length_A2"], 9)
            for name in ("all", "Cu", "Zr"):
                x, _ = support.line_data(fig, f"rms_length:{k}:{name}")
                self.assertAlmostEqual(
                    x[0], math.sqrt(series["species"][name]["mean_squared_length_A2"]), 12)

    def test_per_species_histograms_hold_that_species_jumps(self):
        fig = self.figures["jump_lengths"]
        titles = [ax.get_title() for ax in fig.axes]
        self.assertEqual(titles, ["all atoms", "Cu atoms", "Zr atoms"])
        drawn = 0
        for k, series in enumerate(self.doc["series"]):
            element_of = dict(zip(series["atoms"]["id"], series["atoms"]["element"]))
            for jump in series["jumps"]:  # the jump's element is its atom's
                self.assertEqual(jump["element"], element_of[jump["id"]])
            for name in ("Cu", "Zr"):
                lengths = np.array([j["length_A"] for j in series["jumps"]
                                    if j["element"] == name])
                self.assertEqual(len(lengths), series["species"][name]["jumps"])
                if not len(lengths):
                    self.assertEqual(support.with_gid(fig, f"lengths:{k}:{name}"), [])
                    continue
                counts, edges = support.one(fig, f"lengths:{k}:{name}").get_data()[:2]
                self.assertArrayEqual(counts, np.histogram(lengths, bins=edges)[0])
                self.assertEqual(np.sum(counts), len(lengths))
                self.assertAlmostEqual(np.mean(lengths ** 2),
                                       series["species"][name]["mean_squared_length_A2"], 9)
                drawn += 1
        self.assertGreaterEqual(drawn, 4)

    def test_rates_and_squared_lengths_per_set_against_temperature(self):
        fig = self.figures["jump_statistics"]
        series = sorted(self.doc["series"], key=lambda s: s["temperature_K"])
        for name in ("all", "Cu", "Zr"):
            for quantity, key in (("rate", "rate_per_ps"), ("l2", "mean_squared_length_A2")):
                x, y = support.line_data(fig, f"{quantity}:{name}")
                self.assertArrayEqual(x, [s["temperature_K"] for s in series])
                self.assertArrayEqual(y, [s["species"][name][key] for s in series])
            atoms = series[0]["species"][name]["atoms"]
            duration = series[0]["duration_ps"]
            self.assertGreater(series[0]["species"][name]["jumps"], 0)
            self.assertAlmostEqual(series[0]["species"][name]["rate_per_ps"],
                                   series[0]["species"][name]["jumps"] / (atoms * duration), 12)

    def test_arrhenius_of_rate_and_squared_length_with_fits(self):
        fig = self.figures["jump_arrhenius"]
        fits = self.doc["arrhenius"]
        t = np.array(fits["temperature_K"])
        for quantity, key, name in (("rate", "rate_per_ps", "cage_breaking_Q1_from_rate"),
                                    ("l2", "mean_squared_length_A2",
                                     "hopping_Q2_from_mean_squared_length")):
            values = np.array([next(s for s in self.doc["series"] if s["temperature_K"] == T)[
                "species"]["all"][key] for T in t])
            x, y = support.line_data(fig, f"{quantity}:data")
            self.assertArrayEqual(x, 1000 / t)
            self.assertArrayEqual(y, values)
            slope, ln_y0 = np.polyfit(1 / (K_B_EV_PER_K * t), np.log(values), 1)
            self.assertAlmostEqual(-slope, fits[name]["Q_eV"]["value"], 9)
            x, y = support.line_data(fig, f"{quantity}:fit")
            self.assertArrayEqual(y, np.exp(ln_y0 + slope / (K_B_EV_PER_K * 1000 / x)),
                                  rtol=1e-9)

    def test_hdf5_output_without_the_jump_list(self):
        result, figures = self.figures_of("cage_jumps_h5.h5")
        self.assertEqual(set(figures), {"jump_statistics", "jump_arrhenius"})
        self.assertSameLines(self.figures["jump_arrhenius"], figures["jump_arrhenius"],
                             ["rate:data", "rate:fit", "l2:data", "l2:fit"])


class LayerFigures(AnalysisDocuments):
    """`analyze structure --layers 2.5` of a B2 slab (fixture trajectory/slab): density,
    composition and coordination against z as in the document; and, independently of the
    figure's code, the density times the layer volume (the slab's cross-section read from its
    data file) gives the document's atoms per layer, which add up to the 432 atoms, and the
    drawn fractions of the elements add up to 1 in every layer that holds atoms."""
    document_name = "layers.json"

    def test_profiles_are_the_document(self):
        self.assertEqual(self.result.kind, "analyze_structure")
        self.assertIn("layers", self.figures)
        fig, layers = self.figures["layers"], self.doc["layers"]
        z = np.array(layers["z_A"])
        x, y = support.line_data(fig, "density")
        self.assertArrayEqual(x, z)
        self.assertArrayEqual(y, layers["density_inv_A3"])
        self.assertEqual(set(layers["fraction"]), {"Cu", "Zr"})
        drawn_fractions = []
        for element in ("Cu", "Zr"):
            for quantity in ("fraction", "coordination"):
                x, y = support.line_data(fig, f"{quantity}:{element}")
                self.assertArrayEqual(x, z)
                self.assertArrayEqual(y, nan_array(layers[quantity][element]))
            drawn_fractions.append(support.line_data(fig, f"fraction:{element}")[1])
        occupied = np.array(layers["atoms_per_frame"]) > 0
        self.assertGreater(occupied.sum(), 4)
        self.assertFalse(occupied.all())  # the vacuum layers are empty
        self.assertArrayEqual(np.sum(drawn_fractions, axis=0)[occupied], np.ones(occupied.sum()),
                              rtol=1e-12)
        self.assertTrue(np.all(np.isnan(drawn_fractions[0][~occupied])))

    def test_density_times_layer_volume_counts_every_atom(self):
        layers = self.doc["layers"]
        data = (self.md.parent / "slab" / "final_0000.data").read_text().split("\n")
        bounds = {line.split()[2]: float(line.split()[1]) - float(line.split()[0])
                  for line in data if line.endswith(("xlo xhi", "ylo yhi"))}
        area = bounds["xlo"] * bounds["ylo"]
        _, density = support.line_data(self.figures["layers"], "density")
        atoms = density * layers["width_A"] * area
        self.assertArrayEqual(atoms, layers["atoms_per_frame"], rtol=1e-9, atol=1e-12)
        self.assertAlmostEqual(np.sum(atoms), 432.0, 9)

    def test_hdf5_output_draws_the_same_profiles(self):
        result, figures = self.figures_of("layers_h5.h5")
        self.assertEqual(result.kind, "analyze_structure")
        self.assertSameLines(self.figures["layers"], figures["layers"],
                             ["density", "fraction:Cu", "fraction:Zr", "coordination:Cu",
                              "coordination:Zr"])
