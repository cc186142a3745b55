#!/usr/bin/env python3
"""Regenerates the synthetic example tables of inputs/analyze/ (docs/analyze.md).

The numbers are synthetic, drawn with fixed seeds around the reference values of SPEC.md §12
(paper 000: Cu barriers 0.53-1.33 eV at 300 K, mean 0.84 eV; dS = 19.6 k_B, dQ = 1.36 eV;
V = 7.9 A^3; paper 004: two-mode barrier spectrum; T_g ~ 690 K). They exercise the commands;
they are not simulation results. Run: python3 inputs/analyze/make_examples.py
"""
import json
import math
import os
import random

KB = 8.617333262e-5
HERE = os.path.dirname(os.path.abspath(__file__))


def write(name, text):
    with open(os.path.join(HERE, name), "w") as f:
        f.write(text)


def r4(x):
    return float(f"{x:.4f}")


# 1. Twenty Cu tracers at 300 K (paper 000 Table 1 range 0.53-1.33 eV, mean about 0.84 eV).
rng = random.Random(300)
b = [0.53, 1.33] + [min(max(rng.gauss(0.84, 0.2), 0.56), 1.30) for _ in range(18)]
rng.shuffle(b)
lines = ["# Synthetic WT-MetaD first-hop barriers of 20 Cu tracers at 300 K (make_examples.py)",
         "tracer,species,barrier_eV,hop_distance_A"]
for i, v in enumerate(b):
    lines.append(f"{i},Cu,{v:.4f},{rng.gauss(2.7, 0.5):.3f}")
write("cu_barriers_300K.csv", "\n".join(lines) + "\n")

# 2. Barriers of 20 tracers at five temperatures: dG_k(T) = dQ_k - T dS, dS = 19.6 k_B.
rng = random.Random(2018)
dS = 19.6 * KB
dQ = [rng.gauss(1.36, 0.06) for _ in range(20)]
lines = ["# Synthetic barriers of the same 20 tracers at five temperatures: dG = dQ_k - T*19.6 k_B"
         " + noise (make_examples.py)", "temperature_K,tracer,barrier_eV"]
for T in (200, 300, 400, 500, 600):
    for k, q in enumerate(dQ):
        lines.append(f"{T},{k},{q - T * dS + rng.gauss(0.0, 0.02):.4f}")
write("barriers_vs_temperature.csv", "\n".join(lines) + "\n")

# 3. The same kind of data as three metadynamics summary.json files, one per temperature, each
#    with one tracer whose event was not found (skipped by the reader).
rng = random.Random(7)
for T in (300, 400, 500):
    tracers = []
    for k, q in enumerate(dQ):
        tracers.append({"tracer": k, "atom": 100 + 37 * k, "species": "Cu" if k % 2 else "Zr",
                        "barrier_eV": r4(q - T * dS + rng.gauss(0.0, 0.02)),
                        "hop_distance_A": r4(rng.gauss(2.7, 0.5)), "event_found": True})
    tracers.append({"tracer": 20, "atom": 999, "species": "Cu", "barrier_eV": None,
                    "event_found": False})
    write(f"metad_summary_{T}K.json",
          json.dumps({"temperature_K": T, "pressure_GPa": 0.0, "tracers": tracers}, indent=1) + "\n")

# 4. Barriers at five pressures (300 K), 25 samplings each: dG = 0.85 + V P, V = 7.9 A^3.
rng = random.Random(5)
V = 7.9 / 160.2176634
lines = ["# Synthetic sequential-barrier samples at 300 K and five pressures, V = 7.9 A^3"
         " (make_examples.py)", "pressure_GPa,temperature_K,barrier_eV"]
for P in (-2, -1, 0, 1, 2):
    for k in range(25):
        lines.append(f"{P},300,{0.85 + V * P + rng.gauss(0.0, 0.03):.4f}")
write("barriers_vs_pressure.csv", "\n".join(lines) + "\n")

# 5. ART events: 300 saddle searches drawn from the two-mode form of paper 004 (W = 0.15,
#    eps = 0.14, mu = 1.0, sigma = 0.5 eV), plus a few failed searches.
rng = random.Random(4)
W, eps, mu, sig = 0.15, 0.14, 1.0, 0.5
grid = [i * 0.001 for i in range(6001)]
dens = [x * math.exp(-(x - mu) ** 2 / (2 * sig * sig)) for x in grid]
cdf = [0.0]
for i in range(1, len(grid)):
    cdf.append(cdf[-1] + 0.5 * (dens[i] + dens[i - 1]) * 0.001)
cdf = [c / cdf[-1] for c in cdf]


def rayleigh_like():
    u = rng.random()
    lo, hi = 0, len(cdf) - 1
    while hi - lo > 1:
        m = (lo + hi) // 2
        if cdf[m] < u:
            lo = m
        else:
            hi = m
    return grid[hi]


events = []
for i in range(300):
    x = -eps * math.log(1.0 - rng.random()) if rng.random() < W else rayleigh_like()
    events.append({"event": i, "centre_atom": rng.randrange(10976), "barrier_eV": r4(x),
                   "success": True})
for i in range(5):
    events.append({"event": 300 + i, "success": False, "reason": "no negative eigenvalue"})
write("art_events.json", json.dumps({"temperature_K": 300, "events": events}, indent=1) + "\n")

# 6. Volume per atom against T on cooling, kink at T_g = 690 K.
rng = random.Random(690)
lines = ["# Synthetic volume per atom on cooling: glass slope 2e-4, liquid 6e-4 A^3/K, kink 690 K",
         "temperature_K,volume_A3"]
for T in range(300, 1201, 25):
    v = 17.3 + (2e-4 if T < 690 else 6e-4) * (T - 690) + rng.gauss(0.0, 0.004)
    lines.append(f"{T},{v:.5f}")
write("glass_transition.csv", "\n".join(lines) + "\n")

# 7. Liquid diffusivity, Q = 0.432 eV, D0 = 7.9e-8 m^2/s (SPEC.md §12), 5% noise.
rng = random.Random(1000)
lines = ["# Synthetic liquid diffusivity: Q = 0.432 eV, D0 = 7.9e-8 m^2/s, 5% noise",
         "temperature_K,D_m2_per_s"]
for T in range(1000, 2001, 100):
    lines.append(f"{T},{7.9e-8 * math.exp(-0.432 / (KB * T) + rng.gauss(0.0, 0.05)):.5e}")
write("liquid_diffusivity.csv", "\n".join(lines) + "\n")

# 8. Voronoi index fractions of an inherent structure (labels with counts).
write("voronoi_counts.csv", "\n".join([
    "# Synthetic Voronoi index counts of a Cu50Zr50 inherent structure",
    "index,count",
    "\"<0,0,12,0>\",310", "\"<0,2,8,2>\",402", "\"<0,2,8,1>\",350", "\"<0,3,6,4>\",221",
    "\"<0,1,10,2>\",295", "\"<0,2,8,4>\",180", "\"<0,3,6,3>\",166", "\"<0,2,8,5>\",95",
    "\"<0,1,10,4>\",140", "\"<0,1,10,5>\",90"]) + "\n")

# 9. Paper 000 Table 1: the parameters of its worked example (not synthetic).
write("paper000_table1.json", json.dumps({
    "source": "Wang et al., Acta Mater. 2018, Table 1 (300 K)",
    "temperature_K": 300, "barriers_eV": [0.53, 1.33], "a_eff_A": 8.7, "nu0_per_s": 3.0e12,
    "g": 1.0 / 6.0, "f": 1.0, "entropy_kB": 19.6,
    "observation_time_s": [100.0], "tau0_s": 1e-14}, indent=1) + "\n")
