"""Issue 21 acceptance (paper 003 Fig. 1): a small Cu50Zr50 ageing map on CPU in which the
inherent-structure energy E_IS decreases with time below T_g and ageing under a fixed shear
strain is not slower than without it (loaded/unloaded rate ratio >= 1 within its error).

Runs inputs/ageing/acceptance_glasses.json (four 432-atom glasses, 1e14 K/s) and
inputs/ageing/acceptance_anneal.json (each glass 30 ps NVT unloaded and at gamma_xy = 0.04, two
glasses at 550 K and two at 650 K, E_IS every 3 ps) from a scratch copy of the repository
layout, then `glassland analyze ageing` (elastic offset `initial`: a loaded series is shifted by
its elastic energy). The rate of a replica is the least-squares slope of its E_IS(t); the
error of a mean slope is the standard error between replicas (independent glasses and
velocities). Asserts what can fail:
  * at each temperature (both below T_g, docs/validation.md "Glass transition") the mean slope
    of the four replicas (two glasses, unloaded and loaded) is negative beyond twice its error,
    and so is the mean slope of the four unloaded replicas;
  * the ratio f = (mean loaded slope)/(mean unloaded slope) satisfies f + 2 sigma_f >= 1, and
    f > 0 (loaded and unloaded glasses both age);
  * the loaded replicas carry a positive shear stress tau = -p_xy (positive gamma_xy).
The pixel maps, their ratio and the cosh fit of analyze are printed and recorded as well.
docs/validation.md, "Ageing map", records the numbers.
"""
import math

from acceptance_support import Acceptance, arguments, finite, mean_and_stderr


def slope(times, energies):
    n = len(times)
    tm, em = sum(times) / n, sum(energies) / n
    sxx = sum((t - tm) ** 2 for t in times)
    return sum((t - tm) * (e - em) for t, e in zip(times, energies)) / sxx


program, source, scratch = arguments()
a = Acceptance(program, source, scratch, ["ageing"])
a.glassland(["run", "inputs/ageing/acceptance_glasses.json"])
a.glassland(["run", "inputs/ageing/acceptance_anneal.json"])
a.glassland(["analyze", "ageing", "out/ageing_acceptance_anneal/results.h5",
             "--energy-bin-width", "0.005", "-o", "out/ageing_acceptance_map.json"])
doc = a.read_json("out", "ageing_acceptance_map.json")
replicas = doc["replicas"]
a.check(len(replicas) == 8, f"eight annealed replicas (got {len(replicas)})")

slopes = {}  # (temperature, loaded) -> [eV/atom/ps]
stresses = []
for r in replicas:
    times = r["time_ps"]
    energies = r["energy_per_atom_eV"]
    s = slope(times, energies)
    key = (r["temperature_K"], bool(r["loaded"]))
    slopes.setdefault(key, []).append(s)
    tau = [x for x in (r.get("pair_shear_stress_GPa") or []) if finite(x)]
    if r["loaded"]:
        stresses.append(sum(tau) / len(tau) if tau else float("nan"))
    a.number(f"replica {r['replica']} T {r['temperature_K']} K gamma {r['shear_strain']}", {
        "source": r["source"], "cooling_rate_K_per_s": r["cooling_rate_K_per_s"],
        "samples": len(times), "dropped_unconverged": r["dropped_unconverged"],
        "E_IS_first_eV_per_atom": energies[0], "E_IS_last_eV_per_atom": energies[-1],
        "slope_meV_per_atom_per_ps": 1e3 * s,
        "mean_shear_stress_GPa": stresses[-1] if r["loaded"] else None})

temperatures = sorted({t for t, _ in slopes})
a.check(temperatures == [550.0, 650.0], f"temperatures 550 and 650 K ({temperatures})")
for t in temperatures:
    both = slopes.get((t, False), []) + slopes.get((t, True), [])
    mean, se = mean_and_stderr(both)
    a.number(f"mean E_IS slope at {t:g} K (4 replicas)",
             {"meV_per_atom_per_ps": 1e3 * mean, "stderr": 1e3 * se})
    a.check(finite(se) and mean + 2 * se < 0,
            f"E_IS decreases at {t:g} K: slope {1e3 * mean:.4f} +- {1e3 * se:.4f} meV/atom/ps")

unloaded = [s for (t, loaded), v in slopes.items() if not loaded for s in v]
loaded = [s for (t, is_loaded), v in slopes.items() if is_loaded for s in v]
mu0, se0 = mean_and_stderr(unloaded)
mul, sel = mean_and_stderr(loaded)
a.number("mean unloaded slope (4 replicas)",
         {"meV_per_atom_per_ps": 1e3 * mu0, "stderr": 1e3 * se0})
a.number("mean loaded slope (4 replicas)", {"meV_per_atom_per_ps": 1e3 * mul, "stderr": 1e3 * sel})
a.check(finite(se0) and mu0 + 2 * se0 < 0,
        f"unloaded E_IS decreases: {1e3 * mu0:.4f} +- {1e3 * se0:.4f} meV/atom/ps")
f = mul / mu0
sf = abs(f) * math.sqrt((sel / mul) ** 2 + (se0 / mu0) ** 2)
a.number("ratio loaded/unloaded", {"f": f, "stderr": sf})
a.check(f > 0, f"loaded and unloaded both age (f = {f:.3f} > 0)")
a.check(f + 2 * sf >= 1, f"f = {f:.3f} +- {sf:.3f} is >= 1 within twice its error")
a.check(all(finite(x) and x > 0 for x in stresses),
        f"loaded replicas carry a positive shear stress tau = -p_xy ({stresses} GPa)")

# What analyze's maps say (recorded, not asserted beyond their presence).
ratio = doc["ratio"]
usable = [(f_, e_) for row_f, row_e, row_u in zip(ratio["f"], ratio["f_error"], ratio["usable"])
          for f_, e_, u in zip(row_f, row_e, row_u) if u]
a.number("analyze ageing: usable ratio pixels (f, error)", usable)
a.number("analyze ageing: activation volume", doc["activation_volume"])
a.check(len(doc["grid"]["temperature_K"]) == 2, "the map has one row per temperature")
a.finish()
