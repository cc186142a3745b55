"""Issue 21 acceptance (paper 004 Figs. 2, 5, 6): an ART spectrum at three inherent-structure
temperatures and the Shannon entropies against temperature.

Runs inputs/prepare/entropy_stops.json (one 432-atom Cu50Zr50 liquid cooled at 1e14 K/s with a
snapshot and its inherent structure at 1400, 1000 and 600 K) and
inputs/art/entropy_vs_temperature.json (15 successful ART events from those three minima, each
carrying its source structure's temperature) from a scratch copy of the repository layout, then
`glassland analyze entropy-temperature` on the ART output directory. Asserts what can fail:
  * every successful event's source_temperature_K is the stop temperature prepare's summary.json
    records for its source file (the chain without export);
  * the three temperatures are present, each with at least 3 events;
  * the dynamic (barrier) and structural (Voronoi) Shannon entropies and diversities of each are
    finite with finite, positive bootstrap errors; the derivatives are finite; the correlation
    across the three temperatures has a finite Pearson r.
docs/validation.md, "Entropy versus temperature", records the numbers.
"""
import os

from acceptance_support import Acceptance, arguments, finite

program, source, scratch = arguments()
a = Acceptance(program, source, scratch, ["prepare", "art"])
a.glassland(["run", "inputs/prepare/entropy_stops.json"])
a.glassland(["run", "inputs/art/entropy_vs_temperature.json"])
a.glassland(["analyze", "entropy-temperature", "out/art_entropy_vs_temperature",
             "-o", "out/art_entropy_vs_temperature/entropy.json"])

summary = a.read_json("out", "entropy_stops", "summary.json")
stop_of = {}
for replica in summary["replicas"]:
    for stop in replica["stops"]:
        for key in ("inherent_structure", "snapshot"):
            if stop.get(key):
                stop_of[os.path.basename(stop[key])] = stop["stop_temperature_K"]
a.number("prepare stops", stop_of)
events = a.read_json("out", "art_entropy_vs_temperature", "events.json")
records = events["events"] if isinstance(events, dict) else events
successes = [e for e in records if e.get("success")]
wrong = [(e.get("source"), e.get("source_temperature_K")) for e in successes
         if stop_of.get(os.path.basename(e.get("source") or "")) != e.get("source_temperature_K")]
a.check(not wrong, "every event's source temperature is its prepare stop's "
        f"({len(wrong)} differ: {wrong[:3]})")

doc = a.read_json("out", "art_entropy_vs_temperature", "entropy.json")
rows = doc["temperatures"]
temperatures = [r["temperature_K"] for r in rows]
a.check(temperatures == [600.0, 1000.0, 1400.0], f"three source temperatures ({temperatures})")
for r in rows:
    dyn, st = r["dynamic"], r["structural"]
    a.number(f"{r['temperature_K']:g} K", {
        "events": r["events"], "barrier_counts_0.1eV": dyn["counts"],
        "dynamic_entropy": dyn["entropy"], "dynamic_diversity": dyn["diversity"]["value"],
        "structural_entropy": st and st["entropy"],
        "structural_diversity": st and st["diversity"]["value"],
        "structural_atoms": st and st["atoms"]})
    a.check(r["events"] >= 3, f"{r['temperature_K']:g} K: {r['events']} events >= 3")
    for name, e in (("dynamic", dyn), ("structural", st)):
        if e is None:
            a.check(False, f"{r['temperature_K']:g} K: {name} entropy present")
            continue
        for what in ("entropy", "diversity"):
            v, se = e[what]["value"], e[what]["standard_error"]
            a.check(finite(v) and finite(se) and se > 0,
                    f"{r['temperature_K']:g} K {name} {what} {v} +- {se} finite, "
                    "bootstrap error > 0")
for name, points in doc["derivatives"].items():
    values = [(p["temperature_K"], p["value"], p["error"]) for p in points or []]
    a.number(f"d/dT {name}", values)
    a.check(len(values) == 3 and all(finite(v) and finite(e) for _, v, e in values),
            f"{name}: finite derivative with error at the three temperatures")
corr = doc["correlation"]
a.number("correlation dynamic vs structural entropy", corr)
a.check("pearson_r" in corr and finite(corr["pearson_r"]["value"]), "a finite Pearson r across T")
a.finish()
