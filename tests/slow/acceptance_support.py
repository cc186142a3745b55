"""Shared by the issue 21 physics acceptance scripts of tests/slow/ (CTest label `slow`).

Each script copies the documented inputs it needs into a scratch root laid out like the
repository (inputs/<dir>/...), runs the program from that root exactly as the docs say, analyses
with `glassland analyze`, prints every number it asserts on, writes them to
<scratch>/acceptance.json and exits non-zero when an assertion fails.
"""
import json
import math
import os
import shutil
import subprocess
import sys
import time


class Acceptance:
    def __init__(self, program, source_dir, scratch, input_dirs):
        self.program = program
        self.root = scratch
        shutil.rmtree(scratch, ignore_errors=True)
        os.makedirs(os.path.join(scratch, "inputs"))
        for d in input_dirs:
            shutil.copytree(os.path.join(source_dir, "inputs", d),
                            os.path.join(scratch, "inputs", d))
        self.record = {"started_utc": time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime()),
                       "commands": [], "numbers": {}, "failures": []}
        self.start = time.time()

    def glassland(self, arguments):
        """Runs `glassland ARGUMENTS` from the scratch root; stops the test if it fails."""
        begin = time.time()
        result = subprocess.run([self.program] + arguments, cwd=self.root, text=True,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        wall = time.time() - begin
        self.record["commands"].append({"command": "glassland " + " ".join(arguments),
                                        "wall_s": round(wall, 1), "exit": result.returncode})
        print(f"[{wall:7.1f} s] glassland {' '.join(arguments)} -> {result.returncode}", flush=True)
        if result.returncode != 0:
            print(result.stdout)
            self.fail(f"glassland {' '.join(arguments)} exited {result.returncode}")
            self.finish()
        return result.stdout

    def path(self, *parts):
        return os.path.join(self.root, *parts)

    def read_json(self, *parts):
        with open(self.path(*parts)) as f:
            return json.load(f)

    def number(self, key, value):
        self.record["numbers"][key] = value
        print(f"  {key} = {value}", flush=True)

    def check(self, condition, what):
        print(f"  {'ok  ' if condition else 'FAIL'} {what}", flush=True)
        if not condition:
            self.fail(what)

    def fail(self, what):
        self.record["failures"].append(what)

    def finish(self):
        self.record["wall_s"] = round(time.time() - self.start, 1)
        with open(self.path("acceptance.json"), "w") as f:
            json.dump(self.record, f, indent=2)
        print(f"wall {self.record['wall_s']} s; record in {self.path('acceptance.json')}")
        if self.record["failures"]:
            print("FAILED:\n  " + "\n  ".join(self.record["failures"]))
            sys.exit(1)
        sys.exit(0)


def finite(x):
    return isinstance(x, (int, float)) and math.isfinite(x)


def mean_and_stderr(values):
    n = len(values)
    mean = sum(values) / n
    if n < 2:
        return mean, float("nan")
    var = sum((v - mean) ** 2 for v in values) / (n - 1)
    return mean, math.sqrt(var / n)


def arguments():
    """program source_dir scratch_dir, as tests/CMakeLists.txt passes them."""
    if len(sys.argv) != 4:
        sys.exit(f"usage: {sys.argv[0]} GLASSLAND SOURCE_DIR SCRATCH_DIR")
    return sys.argv[1], sys.argv[2], sys.argv[3]
