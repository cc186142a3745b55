"""Issue 21 acceptance (paper 004 Fig. 1): T_g of the Debian Mendelev Cu50Zr50 potential
(CuZr_mm.eam.fs) from `task: prepare` at two cooling rates, by `glassland analyze
glass-transition` (continuous two-branch fit of V(T), errors inflated for autocorrelation).

Runs inputs/prepare/glass_transition_two_rates.json (2 x 432 atoms, 1e14 and 3e13 K/s, 2000 ->
400 K, NPT 0 bar) from a scratch copy of the repository layout, fits 400-1400 K, and asserts
what can fail:
  * every replica has a finite T_g with a finite, positive fit error, from V, PE and H alike;
  * T_g lies in a physically sensible window, 550-1000 K (paper 004: 675 K at 1e10 K/s for its
    potential; faster cooling raises T_g, and the melt is near 1200 K);
  * faster cooling does not give a lower T_g beyond the errors: T_g at 1e14 K/s is not below
    the one at 3e13 K/s by more than twice the fit error of their difference.
docs/validation.md, "Glass transition", records the numbers.
"""
import math

from acceptance_support import Acceptance, arguments, finite

program, source, scratch = arguments()
a = Acceptance(program, source, scratch, ["prepare"])
a.glassland(["run", "inputs/prepare/glass_transition_two_rates.json"])
a.glassland(["analyze", "glass-transition", "out/glass_transition_two_rates/results.h5",
             "--range", "400", "1400", "--no-data", "-o", "out/glass_transition_two_rates/tg.json"])
doc = a.read_json("out", "glass_transition_two_rates", "tg.json")
results = doc["results"]
a.check(len(results) == 2, f"two replicas fitted (got {len(results)})")

tg_of_rate = {}
for r in results:
    rate = r["cooling_rate_K_per_s"]
    tg, err = r["tg_K"], r["tg_stderr_K"]
    per_observable = {name: (o["tg_K"], o["tg_stderr_K"]) for name, o in r["observables"].items()}
    a.number(f"replica {r['replica']} rate {rate:g} K/s", {
        "tg_K": tg, "tg_stderr_K": err, "points": r["points"],
        "temperature_range_K": r["temperature_range_K"], "by_observable": per_observable,
        "cp_enthalpy": r["observables"].get("enthalpy", {}).get("heat_capacity")})
    for name, (t, e) in per_observable.items():
        a.check(finite(t) and finite(e) and e > 0,
                f"replica {r['replica']} {name}: T_g {t} K with a finite error {e} K")
    a.check(finite(tg) and 550.0 <= tg <= 1000.0,
            f"replica {r['replica']} ({rate:g} K/s): T_g = {tg} K inside 550-1000 K")
    tg_of_rate[rate] = (tg, err)

a.check(sorted(tg_of_rate) == [3e13, 1e14],
        f"two cooling rates, 3e13 and 1e14 K/s ({sorted(tg_of_rate)})")
if sorted(tg_of_rate) == [3e13, 1e14]:
    (fast, sf), (slow, ss) = tg_of_rate[1e14], tg_of_rate[3e13]
    difference, error = fast - slow, math.sqrt(sf * sf + ss * ss)
    a.number("T_g(1e14) - T_g(3e13)", {"difference_K": difference, "stderr_K": error})
    a.check(difference > -2.0 * error,
            f"T_g(1e14 K/s) - T_g(3e13 K/s) = {difference:.1f} K not below "
            f"-2 sigma ({-2 * error:.1f} K)")
a.finish()
