"""Figures of task prepare and task md: the plotted lines are the observables of results.h5
(read here with h5py), per atom where the axis says so, the density consistent with the
summary's final density and volume, the cooling curve over the cool stage of summary.json, the
trajectory snapshot the last H5MD frame."""

import json

import h5py
import numpy as np

import fixtures
import support


class PrepareFigures(support.FixtureTestCase):
    fixture = "prepare"

    def observable(self, name):
        g = self.h5[f"observables/{name}"]
        return g["time"][()], g["value"][()]

    def test_directory_is_one_prepare_result_with_its_h5_and_summary(self):
        self.assertEqual(set(self.result.files), {"h5", "summary"})

    def test_thermo_time_lines_are_the_observables(self):
        fig = self.figures["thermo_time"]
        atoms = self.summary["atoms_per_replica"]
        for name, per_atom in (("temperature", False), ("pressure", False),
                               ("potential_energy", True), ("enthalpy", True),
                               ("target_temperature", False)):
            time, value = self.observable(name)
            for r in range(2):
                x, y = support.line_data(fig, f"{name}:{r}")
                self.assertArrayEqual(x, time, msg=name)
                self.assertArrayEqual(y, value[:, r] / (atoms if per_atom else 1), rtol=1e-15,
                                      msg=name)

    def test_density_times_volume_is_the_summary_mass(self):
        # ρ·V is the replica's mass: constant, and equal to the summary's final ρ × final V.
        fig = self.figures["thermo_time"]
        _, volume = self.observable("volume")
        for r, record in enumerate(self.summary["replicas"]):
            _, density = support.line_data(fig, f"density:{r}")
            self.assertArrayEqual(density * volume[:, r],
                                  np.full(len(density), record["final_density_g_per_cm3"] *
                                          record["final_volume_A3"]), rtol=1e-12)

    def test_stage_starts_are_marked(self):
        fig = self.figures["thermo_time"]
        dt = self.summary["timestep_ps"]
        for stage in self.summary["stages"]:
            lines = support.with_gid(fig, f"stage:{stage['name']}")
            self.assertEqual(len(lines), 5)  # one per panel
            self.assertAlmostEqual(lines[0].get_xdata()[0], stage["first_step"] * dt, 12)

    def test_cooling_curve_is_the_cool_stage_against_the_target_temperature(self):
        fig = self.figures["thermo_temperature"]
        cool = next(s for s in self.summary["stages"] if s["name"] == "cool")
        step = self.h5["observables/target_temperature/step"][()]
        ramp = (step >= cool["first_step"]) & (step <= cool["first_step"] + cool["steps"])
        _, target = self.observable("target_temperature")
        _, energy = self.observable("potential_energy")
        self.assertGreater(ramp.sum(), 10)
        for r in range(2):
            x, y = support.line_data(fig, f"potential_energy:{r}")
            self.assertArrayEqual(x, target[ramp, r])
            self.assertArrayEqual(y, energy[ramp, r] / self.summary["atoms_per_replica"],
                                  rtol=1e-15)
            # the ramp goes from the melt to the end temperature of this replica's cooling
            self.assertEqual(x[0], 2000.0)
            self.assertEqual(x[-1], 1000.0)


class MdFigures(support.FixtureTestCase):
    fixture = "md"
    summary_name = None

    def test_recognised_as_md(self):
        self.assertEqual(self.result.kind, "md")

    def test_thermo_time_lines_are_the_observables(self):
        fig = self.figures["thermo_time"]
        with h5py.File(self.out / "trajectory.h5md", "r") as trajectory:
            atoms = len(trajectory["particles/replica_0000/species"])
        self.assertEqual(atoms, 432)
        for name, per_atom in (("temperature", False), ("pressure", False),
                               ("potential_energy", True), ("conserved_energy", True)):
            for r in range(2):
                x, y = support.line_data(fig, f"{name}:{r}")
                self.assertArrayEqual(x, self.h5[f"observables/{name}/time"][()])
                self.assertArrayEqual(
                    y, self.h5[f"observables/{name}/value"][:, r] / (atoms if per_atom else 1),
                    rtol=1e-15)

    def test_density_from_the_final_data_files_masses(self):
        # Mass of replica r from the Masses and Atoms sections of final_000r.data, read here.
        fig = self.figures["thermo_time"]
        for r in range(2):
            text = (self.out / f"final_{r:04d}.data").read_text().split("\n")
            masses_at = text.index("Masses")
            masses = {int(l.split()[0]): float(l.split()[1])
                      for l in text[masses_at + 2:masses_at + 4]}
            atoms_at = next(i for i, l in enumerate(text) if l.startswith("Atoms"))
            types = [int(l.split()[1]) for l in text[atoms_at + 2:atoms_at + 2 + 432]]
            mass = sum(masses[t] for t in types)
            _, density = support.line_data(fig, f"density:{r}")
            volume = self.h5["observables/volume/value"][:, r]
            self.assertArrayEqual(density, mass / volume * 1.66053906660, rtol=1e-14)

    def test_snapshot_is_the_last_frame_by_species(self):
        fig = self.figures["trajectory_snapshot"]
        trajectory = h5py.File(self.out / "trajectory.h5md", "r")  # the frames' own file
        self.addCleanup(trajectory.close)
        for name in ("replica_0000", "replica_0001"):
            position = trajectory[f"particles/{name}/position/value"][-1]
            species = trajectory[f"particles/{name}/species"][()]
            for s in np.unique(species):
                points = support.one(fig, f"{name}:species:{s}").get_offsets()
                self.assertArrayEqual(points, position[species == s, :2])
            self.assertEqual(sum(len(support.one(fig, f"{name}:species:{s}").get_offsets())
                                 for s in np.unique(species)), 432)
            # species are 1-based indices into the potential's elements (line 4 of the setfl
            # file: "2 Cu Zr"): the legend names them
            self.assertEqual(support.one(fig, f"{name}:species:1").get_label(), "Cu")
            self.assertEqual(support.one(fig, f"{name}:species:2").get_label(), "Zr")


class PrepareComparison(support.PlotTestCase):
    def test_two_results_give_one_overlay_with_every_replica(self):
        prepare = support.results(fixtures.ensure("prepare"))[0]
        other = support.results(fixtures.ensure("prepare"))[0]
        other.label = "again"
        from glassland_plot import thermo

        (name, fig), = list(thermo.compare_potential_energy([prepare, other], support.context()))
        self.assertEqual(name, "potential_energy_vs_temperature")
        with h5py.File(prepare.files["h5"], "r") as h5:
            energy = h5["observables/potential_energy/value"][()]
            step = h5["observables/potential_energy/step"][()]
        cool = next(s for s in json.loads((fixtures.ensure("prepare") / "summary.json")
                                          .read_text())["stages"] if s["name"] == "cool")
        ramp = (step >= cool["first_step"]) & (step <= cool["first_step"] + cool["steps"])
        for label in (prepare.label, "again"):
            for r in range(2):
                _, y = support.line_data(fig, f"{label}:{r}")
                self.assertArrayEqual(y, energy[ramp, r] / 432, rtol=1e-15)


if __name__ == "__main__":
    import unittest

    unittest.main()
