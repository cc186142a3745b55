#!/usr/bin/env python3
"""Compare `task: metad` tracers with unbiased `task: md` runs of the same glass (issue 4).

The analyses behind docs/validation.md, "Metadynamics rate vs unbiased MD": the numbers quoted
there that do not come from tests/slow/test_metad_vs_md_rate.cpp come from this script, run on
the results.h5 and trajectory.h5md files that `glassland run` wrote. Needs python3-h5py and
python3-numpy (Debian).

Sub-commands (MD runs are given as one or more output directories, comma-separated; all their
replicas are pooled; a tracer is found in MD by its LAMMPS id through the structure file both
runs started from):

  tracers   METAD_DIR[,…] T
      Per tracer: how far its CV went, its metad FES F(s) at a few hop distances, and the 1D
      TST prefactor of the hop distance, v_th/ℓ: v_th = sqrt(k_B T/2πm) (the CV's mass is the
      atom's, |∇s| = 1) over the basin width ℓ = ∫ exp(−(F − min F)/k_B T) ds for s ≤ 1 Å —
      the number that ν0 = 3e12 s⁻¹ stands for in ν0 exp(−ΔG/k_B T).
  fes       MD_DIR[,…] METAD_DIR[,…] STRUCTURE T
      Per tracer: F_md(s) = −k_B T ln P(s) of the same atom's hop distance in unbiased MD
      (histogram, 0.1 Å bins) beside its metad FES, both shifted to 0 at the MD minimum bin,
      and their RMS difference over the bins at s >= σ where F_md <= 3 k_B T.
  excursions MD_DIR[,…] [THRESHOLDS [DWELL]]
      All atoms: first excursions beyond each threshold (Å, default 1.0,1.5,2.0) lasting the
      dwell (ps, default 1; 0: the first frame beyond), as a rate per atom (first-passage count
      over observed time, right-censored at end − dwell).
  tst       MD_DIR[,…] METAD_DIR[,…] STRUCTURE T [S_C,…]
      TST at a fixed dividing surface s_c: k_i = ν0 exp(−(F_i(s_c) − min F_i)/k_B T) from each
      tracer's metad FES (only tracers whose CV went beyond s_c + σ, so that F(s_c) is built
      from visits), against the same atoms' first crossings of s_c lasting the dwell in MD;
      λ = n / Σ k_i t_i (observed over expected first crossings) with the exact Poisson interval;
      and the quantity TST itself predicts: every upward crossing of s_c in MD (between frames)
      per time spent below s_c, against k_i (κ = committed first crossings over all of them is
      what separates the two).

The hop distance of an MD atom is |x(t) − x(0)| of its unwrapped position, the reference at the
first frame, as metad anchors its reference at the start of sampling.
"""
import math
import sys

import h5py
import numpy as np

BOLTZMANN = 8.617333262e-5  # eV/K, CODATA 2018 (kernels/units.hpp)
NU0 = 3e12  # s⁻¹, paper 000 (the metad task's default nu0)
DWELL = 1.0  # ps, the metad task's default event_dwell
SIGMA = 0.35  # Å, paper 000's hill width


def md_hop_distances(md_dirs):
    """[(times from 0, s[frame, atom])] for every replica of every MD run."""
    runs = []
    for directory in md_dirs.split(","):
        with h5py.File(directory + "/trajectory.h5md", "r") as f:
            for name in sorted(f["particles"].keys()):
                g = f["particles"][name]
                x = g["position/value"][:]
                image = g["image/value"][:].astype(float)
                edges = g["box/edges/value"][:]
                unwrapped = x + np.einsum("fik,fkj->fij", image, edges)
                times = g["position/time"][:]
                s = np.linalg.norm(unwrapped - unwrapped[0], axis=2)
                runs.append((times - times[0], s))
    return runs


def atom_index(structure):
    """LAMMPS id -> row in the Atoms section (the order glassland keeps)."""
    index = {}
    section = open(structure).read().split("Atoms")[1].splitlines()[1:]
    for line in section:
        fields = line.split()
        if not fields:
            if index:
                break
            continue
        index[int(fields[0])] = len(index)
    return index


def metad_tracers(metad_dirs):
    for directory in metad_dirs.split(","):
        f = h5py.File(directory + "/results.h5", "r")
        for name in sorted(n for n in f["tracers"].keys() if n.startswith("tracer_")):
            yield f["tracers"][name]


def first_crossing(times, s, threshold, dwell=DWELL):
    """Time of the first sample beyond `threshold` that stays beyond it for `dwell`, or None."""
    beyond = (s > threshold).astype(int)
    samples = int(round(dwell / (times[1] - times[0]))) + 1
    runs = np.convolve(beyond, np.ones(samples, int), "valid")
    hits = np.nonzero(runs == samples)[0]
    return times[hits[0]] if len(hits) else None


def poisson_interval(n, alpha=0.05):
    """Exact (Garwood 1936) interval on a Poisson count n, by bisection on the CDF."""

    def cdf(k, mean):  # P(X <= k)
        term, total = math.exp(-mean), math.exp(-mean)
        for i in range(1, k + 1):
            term *= mean / i
            total += term
        return total

    def solve(predicate):
        lo, hi = 0.0, 10.0 * (n + 10.0)
        for _ in range(200):
            mid = 0.5 * (lo + hi)
            lo, hi = (mid, hi) if predicate(mid) else (lo, mid)
        return 0.5 * (lo + hi)

    lower = 0.0 if n == 0 else solve(lambda m: 1.0 - cdf(n - 1, m) < 0.5 * alpha)
    upper = solve(lambda m: cdf(n, m) > 0.5 * alpha)
    return lower, upper


def fes_at(tracer, points):
    return [float(np.interp(p, tracer["fes/s"][:], tracer["fes/F"][:])) for p in points]


MASS_AMU = {"Cu": 63.546, "Zr": 91.224}  # the masses of the setfl file CuZr_mm.eam.fs


def command_tracers(metad_dirs, temperature):
    kt = BOLTZMANN * temperature
    points = (0.3, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0)
    print(f"T = {temperature} K; F(s) in eV at s =", " ".join(f"{p:.1f}" for p in points), "Å")
    for t in metad_tracers(metad_dirs):
        cv = t["cv/value"][:]
        event = "event" if t["event_found"][0] else "     "
        values = " ".join(f"{v:5.2f}" for v in fes_at(t, points))
        s, f = t["fes/s"][:], t["fes/F"][:]
        basin = s <= 1.0
        width = np.trapz(np.exp(-(f[basin] - f[basin].min()) / kt), s[basin])  # Å
        species = t["species"][0].decode()
        mass = MASS_AMU[species] * 1.66053907e-27  # kg
        thermal_speed = math.sqrt(kt * 1.602176634e-19 / (2 * math.pi * mass)) * 1e-2  # Å/ps
        print(f"{int(t['atom_id'][0]):5d} {species} {event} CV max {cv.max():5.2f} Å,"
              f" last {cv[-1]:5.2f} Å, hills {len(t['hills/height'])}: {values};"
              f" ℓ {width:.2f} Å, v_th/ℓ {thermal_speed / width * 1e12:.1e} s^-1")


def command_fes(md_dirs, metad_dirs, structure, temperature):
    kt = BOLTZMANN * temperature
    runs = md_hop_distances(md_dirs)
    index = atom_index(structure)
    edges = np.arange(0.0, 1.61, 0.1)
    centres = 0.5 * (edges[1:] + edges[:-1])
    print("s (Å)        ", " ".join(f"{c:5.2f}" for c in centres))
    for t in metad_tracers(metad_dirs):
        atom = int(t["atom_id"][0])
        s = np.concatenate([hops[:, index[atom]] for _, hops in runs])
        counts, _ = np.histogram(s, bins=edges)
        with np.errstate(divide="ignore"):
            f_md = -kt * np.log(np.where(counts > 0, counts, np.nan) / counts.sum())
        reference = np.nanargmin(f_md)
        f_md -= f_md[reference]
        f_metad = np.interp(centres, t["fes/s"][:], t["fes/F"][:])
        f_metad -= f_metad[reference]
        # Where both are meaningful: s >= σ (the hills cannot follow the −2 k_B T ln s rise of
        # F below their width) and F_md <= 3 k_B T (MD samples every bin there).
        compared = (centres >= SIGMA) & (f_md <= 3.0 * kt)
        rms = math.sqrt(np.mean((f_metad[compared] - f_md[compared]) ** 2))
        print(f"{atom:5d} MD    (eV)", " ".join(f"{v:5.2f}" for v in f_md),
              f"  MD samples beyond 1 Å: {int(np.sum(s > 1.0))}")
        print("      metad (eV)", " ".join(f"{v:5.2f}" for v in f_metad),
              f"  RMS difference over {int(compared.sum())} bins: {rms / kt:.2f} k_B T")


def command_excursions(md_dirs, thresholds, dwell):
    runs = md_hop_distances(md_dirs)
    for threshold in thresholds:
        n, observed, series = 0, 0.0, 0
        for times, hops in runs:
            for atom in range(hops.shape[1]):
                series += 1
                hit = first_crossing(times, hops[:, atom], threshold, dwell)
                n += hit is not None
                observed += hit if hit is not None else times[-1] - dwell
        print(f"beyond {threshold} Å for {dwell} ps: {n} first excursions in {series} series,"
              f" {observed:.0f} ps observed: {n / (observed * 1e-12):.3e} s^-1 per atom")


def command_tst(md_dirs, metad_dirs, structure, temperature, surfaces):
    kt = BOLTZMANN * temperature
    runs = md_hop_distances(md_dirs)
    index = atom_index(structure)
    for surface in surfaces:
        n, expected, used, lines = 0, 0.0, 0, []
        crossings, expected_crossings = 0, 0.0
        for t in metad_tracers(metad_dirs):
            if t["cv/value"][:].max() < surface + SIGMA:
                continue
            s, f = t["fes/s"][:], t["fes/F"][:]
            barrier = float(np.interp(surface, s, f)) - f[s <= surface].min()
            rate = NU0 * math.exp(-barrier / kt)
            used += 1
            atom = int(t["atom_id"][0])
            hits = []
            atom_crossings, time_below = 0, 0.0
            for times, hops in runs:
                hit = first_crossing(times, hops[:, index[atom]], surface)
                n += hit is not None
                expected += rate * (hit if hit is not None else times[-1] - DWELL) * 1e-12
                hits.append("-" if hit is None else f"{hit:.0f}")
                below = hops[:, index[atom]] <= surface
                atom_crossings += int(np.sum(below[:-1] & ~below[1:]))
                time_below += np.sum(below) * (times[1] - times[0])
            crossings += atom_crossings
            expected_crossings += rate * time_below * 1e-12
            lines.append(f"  {atom}: F(s_c) − F_min {barrier:.3f} eV, k {rate:.2e} s^-1;"
                         f" MD first crossings at (ps): {' '.join(hits)};"
                         f" all upward crossings {atom_crossings} in {time_below:.0f} ps below s_c"
                         f" ({atom_crossings / (time_below * 1e-12):.2e} s^-1)")
        if used == 0:
            print(f"s_c {surface} Å: no tracer went beyond s_c + σ")
            continue
        lower, upper = poisson_interval(n)
        print(f"s_c {surface} Å: {used} tracers; MD first crossings {n}, expected at the metad"
              f" TST rates {expected:.2f}; λ = {n / expected:.3g}"
              f" (95 % {lower / expected:.3g} .. {upper / expected:.3g}); all upward crossings"
              f" {crossings}, expected at the metad TST rates {expected_crossings:.1f}: ratio"
              f" {crossings / expected_crossings:.3g}")
        print("\n".join(lines))


def main(argv):
    if len(argv) < 2:
        sys.exit(__doc__)
    command, args = argv[1], argv[2:]
    try:
        if command == "tracers":
            command_tracers(args[0], float(args[1]))
        elif command == "fes":
            command_fes(args[0], args[1], args[2], float(args[3]))
        elif command == "excursions":
            thresholds = [float(v) for v in args[1].split(",")] if len(args) > 1 else [1.0, 1.5, 2.0]
            dwell = float(args[2]) if len(args) > 2 else DWELL
            command_excursions(args[0], thresholds, dwell)
        elif command == "tst":
            surfaces = [float(v) for v in args[4].split(",")] if len(args) > 4 else [1.0, 1.5]
            command_tst(args[0], args[1], args[2], float(args[3]), surfaces)
        else:
            sys.exit(f"unknown sub-command '{command}'\n{__doc__}")
    except IndexError:
        sys.exit(f"missing arguments for '{command}'\n{__doc__}")


if __name__ == "__main__":
    main(sys.argv)
