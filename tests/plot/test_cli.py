"""`glassland plot` end to end through the program: what it writes and lists, where, the
provenance in the files' metadata, comparison figures, and its errors (missing file, unknown
JSON, missing Debian module, missing interpreter)."""
import json
import os
import re
import struct
import subprocess
import tempfile
import zlib
from pathlib import Path

import h5py

import fixtures
import support


def glassland(*arguments, env=None, cwd=None):
    return subprocess.run([str(fixtures.PROGRAM), *map(str, arguments)], capture_output=True,
                          text=True, env=env, cwd=cwd)


def png_text(path):
    """{keyword: text} of a PNG's tEXt, zTXt and iTXt chunks (PNG spec §11.3.4)."""
    data = Path(path).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", path
    chunks, offset = {}, 8
    while offset < len(data):
        length, kind = struct.unpack(">I4s", data[offset:offset + 8])
        body = data[offset + 8:offset + 8 + length]
        offset += 12 + length
        if kind == b"tEXt":
            key, text = body.split(b"\0", 1)
            chunks[key.decode("latin-1")] = text.decode("latin-1")
        elif kind == b"zTXt":
            key, rest = body.split(b"\0", 1)
            chunks[key.decode("latin-1")] = zlib.decompress(rest[1:]).decode("latin-1")
        elif kind == b"iTXt":
            key, rest = body.split(b"\0", 1)
            compressed = rest[0] == 1
            _, _, text = rest[2:].split(b"\0", 2)
            chunks[key.decode("latin-1")] = (zlib.decompress(text) if compressed
                                             else text).decode("utf-8")
    return chunks


PDF_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"(": b"(", b")": b")", b"\\": b"\\"}


def pdf_info(path):
    """{key: text} of the literal strings of a PDF's document information dictionary (PDF 1.7
    §14.3.3), escapes undone."""
    data = Path(path).read_bytes()
    number = re.findall(rb"/Info (\d+) 0 R", data)[-1]
    start = data.index(b"\n" + number + b" 0 obj") + 1
    body = data[start:data.index(b"endobj", start)]
    info = {}
    for key, value in re.findall(rb"/(\w+) \(((?:\\.|[^\\)])*)\)", body, re.S):
        info[key.decode()] = re.sub(rb"\\(.)", lambda m: PDF_ESCAPES.get(m.group(1), m.group(1)),
                                    value).decode("latin-1")
    return info


def version():
    return glassland("--version").stdout.split()[-1]


class PlotCommand(support.PlotTestCase):
    @classmethod
    def setUpClass(cls):
        cls.prepare = fixtures.ensure("prepare")
        cls.metad = fixtures.ensure("metad")
        cls.scratch = tempfile.TemporaryDirectory(prefix="plot_cli_")

    @classmethod
    def tearDownClass(cls):
        cls.scratch.cleanup()

    def output(self, name):
        return Path(self.scratch.name) / name

    def test_writes_png_and_pdf_lists_them_and_records_the_provenance(self):
        out = self.output("two")
        run = glassland("plot", self.prepare, self.metad, "-o", out, "--dpi", "60")
        self.assertEqual(run.returncode, 0, run.stderr)
        listed = [Path(line) for line in run.stdout.split()]
        # -o with two results: names prefixed with each result's directory name
        self.assertIn(out / "prepare_thermo_time.png", listed)
        self.assertIn(out / "metad_tracer_0000.pdf", listed)
        self.assertEqual(sorted(listed), sorted(out.iterdir()))
        self.assertEqual(len([p for p in listed if p.suffix == ".png"]),
                         len([p for p in listed if p.suffix == ".pdf"]))
        with h5py.File(self.prepare / "results.h5", "r") as h5:
            configuration = h5["parameters/effective_configuration"][0].decode()
        text = png_text(out / "prepare_thermo_time.png")
        self.assertEqual(text["Software"], f"glassland {version()} (glassland plot)")
        self.assertEqual(text["Description"], configuration)
        self.assertIn(str(self.prepare / "results.h5"), text["Source"])
        info = pdf_info(out / "prepare_thermo_time.pdf")
        self.assertEqual(info["Creator"], f"glassland {version()} (glassland plot)")
        self.assertEqual(info["Subject"], configuration)
        self.assertIn(str(self.prepare / "results.h5"), info["Keywords"])

    def test_one_process_and_three_write_the_same_files(self):
        # Each process draws every figure and saves its share: the union is the same files,
        # byte for byte (no dates in them), listed in the same order.
        runs = {}
        for jobs in (1, 3):
            out = self.output(f"jobs_{jobs}")
            run = glassland("plot", self.prepare, self.metad, "-o", out, "-j", jobs, "--dpi", "50")
            self.assertEqual(run.returncode, 0, run.stderr)
            runs[jobs] = [Path(p).relative_to(out) for p in run.stdout.split()]
            self.assertEqual(sorted(runs[jobs]), sorted(p.relative_to(out) for p in out.iterdir()))
        self.assertEqual(runs[1], runs[3])
        for name in runs[1]:
            self.assertEqual((self.output("jobs_1") / name).read_bytes(),
                             (self.output("jobs_3") / name).read_bytes(), name)

    def test_default_directory_is_figures_beside_the_results(self):
        with tempfile.TemporaryDirectory() as scratch:
            copy = Path(scratch) / "glass"
            copy.mkdir()
            for name in ("results.h5", "summary.json", "effective_input.json",
                         "final_0000.data", "final_0001.data"):
                (copy / name).write_bytes((self.prepare / name).read_bytes())
            run = glassland("plot", "glass", "--formats", "png", "--dpi", "80", cwd=scratch)
            self.assertEqual(run.returncode, 0, run.stderr)
            self.assertEqual(run.stdout.split(), ["glass/figures/melt_check.png",
                                                  "glass/figures/thermo_time.png",
                                                  "glass/figures/thermo_temperature.png"])
            self.assertTrue((copy / "figures" / "thermo_time.png").is_file())
            self.assertFalse(list((copy / "figures").glob("*.pdf")))

    def test_two_results_of_one_kind_get_a_comparison(self):
        out = self.output("compare")
        run = glassland("plot", self.prepare, self.prepare / "results.h5", "-o", out,
                        "--formats", "png", "--dpi", "60")
        self.assertEqual(run.returncode, 0, run.stderr)
        self.assertTrue((out / "compare_potential_energy_vs_temperature.png").is_file())

    def test_analysis_json_figures_carry_its_name(self):
        analysis = fixtures.ensure("analyze") / "tst.json"
        out = self.output("analysis")
        run = glassland("plot", analysis, "-o", out, "--formats", "pdf")
        self.assertEqual(run.returncode, 0, run.stderr)
        self.assertEqual(run.stdout.split(), [str(out / "tst_rates.pdf")])

    def test_a_result_without_what_its_figures_need_is_a_note(self):
        only = self.output("summary_only")
        only.mkdir()
        # A summary without the melt check (as before issue 20) alone: its melt_check figure
        # is the only one a summary could give.
        summary = json.loads((self.prepare / "summary.json").read_text())
        for replica in summary["replicas"]:
            del replica["melt_check"]
        (only / "summary.json").write_text(json.dumps(summary))
        run = glassland("plot", only)
        self.assertEqual(run.returncode, 0, run.stderr)
        self.assertEqual(run.stdout, "")
        self.assertIn(f"note: {only}: nothing to draw from this prepare result's summary",
                      run.stderr)

    def test_a_broken_file_in_a_directory_is_skipped_with_a_note(self):
        directory = self.output("broken_h5")
        directory.mkdir()
        (directory / "results.h5").write_text("not HDF5")
        analysis = fixtures.ensure("analyze") / "tst.json"
        (directory / "tst.json").write_bytes(analysis.read_bytes())
        run = glassland("plot", directory, "--formats", "pdf")
        self.assertEqual(run.returncode, 0, run.stderr)
        self.assertIn(f"note: skipped {directory / 'results.h5'}: cannot open it as HDF5",
                      run.stderr)
        self.assertEqual(run.stdout.split(), [str(directory / "figures" / "tst_rates.pdf")])

    def test_missing_path_is_an_error_naming_it(self):
        run = glassland("plot", self.output("nowhere"))
        self.assertEqual(run.returncode, 2)
        self.assertIn(f"{self.output('nowhere')}: no such file or directory", run.stderr)

    def test_unknown_json_is_an_error_naming_it(self):
        stray = self.output("stray.json")
        stray.write_text('{"hello": 1}')
        run = glassland("plot", stray)
        self.assertEqual(run.returncode, 2)
        self.assertRegex(run.stderr, re.escape(str(stray)) + ": not a glassland result")

    def test_invalid_json_names_the_line(self):
        broken = self.output("broken.json")
        broken.write_text('{\n"command": "analyze tst",\n')
        run = glassland("plot", broken)
        self.assertEqual(run.returncode, 2)
        self.assertIn(f"{broken}:3: not valid JSON", run.stderr)

    def test_missing_module_names_the_debian_package(self):
        # A fake h5py earlier on the path that fails to import, as a missing module does.
        fake = self.output("fake_modules") / "h5py"
        fake.mkdir(parents=True)
        (fake / "__init__.py").write_text("raise ImportError('no h5py here')\n")
        env = dict(os.environ, PYTHONPATH=str(fake.parent))
        run = glassland("plot", self.prepare, env=env)
        self.assertEqual(run.returncode, 1)
        self.assertIn("the Python module 'h5py' is missing", run.stderr)
        self.assertIn("python3-h5py", run.stderr)

    def test_missing_interpreter_is_an_error_with_the_remedy(self):
        env = dict(os.environ, GLASSLAND_PYTHON=str(self.output("no_python")))
        run = glassland("plot", self.prepare, env=env)
        self.assertEqual(run.returncode, 2)
        self.assertIn(f"cannot run the Python interpreter {self.output('no_python')}",
                      run.stderr)
        self.assertIn("GLASSLAND_PYTHON", run.stderr)


if __name__ == "__main__":
    import unittest

    unittest.main()
