"""What `glassland plot` knows: recognisers (a path -> the results in it) and figure makers
(a result of a kind -> figures), each a function with one decorator line, and the run that
ties them together.

Adding a figure type (docs/plotting.md, "Adding a figure type"):

    @figure("metad", dataset="tracers")   # kind of result it draws; what results.h5 must hold
    def my_figure(result, context):       # yields (name, matplotlib Figure) pairs
        with result.h5() as h5: ...
        yield "my_figure", fig

and, for a new kind of result, a recogniser:

    @recogniser
    def recognise_sweep(path):            # Path -> Result or None
        ...

A figure maker for several results of one kind at once (comparisons) uses @comparison(kind)
and receives the list of results.
"""
import dataclasses
import functools
import importlib
import multiprocessing
import os
import pkgutil
import sys
import traceback
from pathlib import Path

from glassland_plot import readers, style
from glassland_plot.readers import PlotInputError

RECOGNISERS = []  # functions Path -> Result | None, tried in order
FIGURES = []  # (kind, needs, dataset, function(result, context) -> iterable of (name, Figure))
COMPARISONS = []  # (kind, function(results, context) -> iterable of (name, Figure))


def recogniser(function):
    RECOGNISERS.append(function)
    return function


def figure(kind, needs=None, dataset=None):
    """Registers a figure maker for results of `kind`. It is called only for results that have
    the file role `needs` ('h5', 'summary', 'events', ...) and whose results.h5 holds
    `dataset` (a dataset or group; implies needs='h5'), so it need not check for them."""
    def register(function):
        FIGURES.append((kind, "h5" if dataset else needs, dataset, function))
        return function

    return register


def comparison(kind):
    def register(function):
        COMPARISONS.append((kind, function))
        return function

    return register


@dataclasses.dataclass
class Context:
    """What figure makers may need besides the result."""
    version: str = "unknown"
    program: str = ""  # the glassland executable (for `glassland analyze` runs)
    temperature: float = 300.0  # K, see cli.py --temperature
    output: Path = None  # -o DIR, or None for <results>/figures/


@dataclasses.dataclass
class Result:
    """One result: its kind (prepare, md, metad, art, neb, analyze_barriers, ...), the directory
    its figures belong to, its files by role ('h5', 'summary', 'events', 'neb', 'analysis'), and
    a label (prefix of its figure names when several share one output directory)."""
    kind: str
    base: Path
    files: dict
    label: str

    def file(self, role):
        if role not in self.files:
            raise PlotInputError(f"{self.base}: no {role} file for this {self.kind} result")
        return self.files[role]

    def h5(self):
        return readers.H5(self.file("h5"))

    def json(self, role):
        return readers.read_json(self.file(role))

    def sources(self):
        return [str(p) for p in self.files.values()]

    def configuration(self):
        """The effective configuration behind the result (JSON text), for the metadata."""
        effective = self.base / "effective_input.json"
        if "h5" in self.files:
            text = readers.effective_configuration_text(self.files["h5"])
            if text:
                return text
        if effective.is_file():
            return effective.read_text()
        if "analysis" in self.files:  # an analysis JSON: its settings and sources
            document = self.json("analysis")
            return {k: v for k, v in document.items()
                    if not isinstance(v, (list, dict)) or k in ("sources", "bootstrap")}
        return ""


def by_content(path, kind, h5_holds=None, json_test=None, json_role="summary"):
    """The usual recogniser: Result(kind) for an HDF5 file holding the dataset or group
    `h5_holds`, or for a JSON object for which json_test(document) is true; None otherwise."""
    if path.suffix == ".h5" and h5_holds is not None:
        with readers.H5(path) as h5:
            if h5.has(h5_holds):
                return Result(kind, path.parent, {"h5": path}, path.parent.name)
    if path.suffix == ".json" and json_test is not None:
        document = readers.read_json(path)
        if isinstance(document, dict) and json_test(document):
            return Result(kind, path.parent, {json_role: path}, path.parent.name)
    return None


def recognise(path):
    """The results at `path`: a file, or a directory (its files, else its sub-directories)."""
    path = Path(path)
    if not path.exists():
        raise PlotInputError(f"{path}: no such file or directory")
    if path.is_file():
        for function in RECOGNISERS:
            result = function(path)
            if result is not None:
                return [result]
        raise PlotInputError(f"{path}: not a glassland result glassland plot knows (results.h5, "
                             "summary.json, events.json, neb.json, or the JSON of `glassland "
                             "analyze ... -o`)")
    found = _recognise_directory(path)
    if not found:
        for child in sorted(p for p in path.iterdir() if p.is_dir() and p.name != "figures"):
            found += _recognise_directory(child)
    if not found:
        raise PlotInputError(f"{path}: no glassland result in this directory or its "
                             "sub-directories (looked for results.h5, summary.json, events.json, "
                             "neb.json and analysis JSON)")
    return found


def _recognise_directory(directory):
    """Results of the files directly in `directory`, files of one kind merged into one result."""
    merged = {}
    for path in sorted(directory.iterdir()):
        if not path.is_file() or path.suffix not in (".h5", ".json") or path.name in (
                "effective_input.json", "checkpoint.h5", "equilibration.h5"):
            continue
        for function in RECOGNISERS:
            try:
                result = function(path)
            except PlotInputError as error:  # not ours, or broken: say so, draw the others
                print(f"glassland plot: note: skipped {error}", file=sys.stderr)
                break
            if result is None:
                continue
            if result.kind.startswith("analyze"):
                merged[(result.kind, path)] = result
            elif result.kind in merged:
                merged[result.kind].files.update(result.files)
            else:
                merged[result.kind] = result
            break
    return list(merged.values())


def load_figure_modules():
    """Imports every module of the package, so their decorators register their recognisers and
    figure makers (a new module needs no other line)."""
    package = Path(__file__).parent
    for info in pkgutil.iter_modules([str(package)]):
        if info.name not in ("cli", "registry", "readers", "style", "__main__"):
            importlib.import_module(f"glassland_plot.{info.name}")


def figure_makers(result):
    """The figure makers registered for the result's kind whose needs it meets."""
    makers = []
    for kind, needs, dataset, function in FIGURES:
        if kind != result.kind or (needs and needs not in result.files):
            continue
        if dataset:
            with result.h5() as h5:
                if not h5.has(dataset):
                    continue
        makers.append(function)
    return makers


def make_figures(result, context):
    """(name, Figure) of every figure registered for the result's kind."""
    for function in figure_makers(result):
        yield from function(result, context)


@dataclasses.dataclass
class Job:
    """The figures of one figure maker for one result, or of one comparison of several."""
    make: object  # () -> iterable of (name, Figure)
    result: Result  # where its figures go
    index: int  # of that result in the run (for the notes)
    prefix: str
    sources: list  # the results whose files and configurations go into the metadata


def run(arguments):
    context = Context(version=arguments.glassland_version, program=arguments.glassland_program,
                      temperature=arguments.temperature,
                      output=Path(arguments.output) if arguments.output else None)
    load_figure_modules()
    failures = Failures()
    results = []
    for path in arguments.results:
        try:
            results += recognise(path)
        except PlotInputError as error:
            failures.input_error(error)
    _make_labels_unique(results)
    jobs = _plan(results, context, failures)
    shares = max(1, min(arguments.jobs or os.cpu_count() or 1, 4))
    outcomes = _draw_in_processes(jobs, arguments, shares) if shares > 1 else None
    if outcomes is None:  # one process (asked for, or no process pool here)
        outcomes = [_draw_share(jobs, arguments, 0, 1)]
    written = sorted(item for outcome in outcomes for item in outcome.written)
    for outcome in outcomes:
        failures.count += outcome.failures.count
        failures.internal |= outcome.failures.internal
    for index, result in enumerate(results):  # share 0 saw every figure and failure
        if not outcomes[0].drawn.get(index) and not outcomes[0].failed.get(index):
            print(f"glassland plot: note: {result.base}: nothing to draw from this {result.kind} "
                  f"result's {', '.join(sorted(result.files))} (its figures need more of its "
                  "files, e.g. results.h5)", file=sys.stderr)
    for _, path in written:
        print(path)
    return failures.exit_code()


def _plan(results, context, failures):
    """One job per (result, figure maker), then one per comparison of two or more results."""
    shared = context.output is not None and len(results) > 1
    jobs = []
    for index, result in enumerate(results):
        # Analysis JSONs share directories: their figures carry the JSON's name. Several
        # results drawn into one -o directory carry their labels.
        prefix = result.label + "_" if shared or result.kind.startswith("analyze") else ""
        try:
            makers = figure_makers(result)
        except PlotInputError as error:
            failures.input_error(error)
            continue
        jobs += [Job(functools.partial(f, result, context), result, index, prefix, [result])
                 for f in makers]
    for kind, function in COMPARISONS:
        group = [r for r in results if r.kind == kind]
        if len(group) > 1:
            jobs.append(Job(functools.partial(function, group, context), group[0], -1,
                            "compare_", group))
    return jobs


def _draw_in_processes(jobs, arguments, shares):
    """_draw_share in `shares` forked processes (each draws every figure, saves its share:
    saving is most of the time), or None where no process pool can be made."""
    try:
        with multiprocessing.get_context("fork").Pool(shares) as pool:
            return pool.starmap(_draw_share, [(jobs, arguments, k, shares)
                                              for k in range(shares)])
    except OSError:  # e.g. no /dev/shm for the pool's semaphores
        return None


@dataclasses.dataclass
class Outcome:
    written: list  # (figure number, path) of the files this share wrote
    failures: "Failures"
    drawn: dict  # result index -> figures made
    failed: dict  # result index -> failures


def _draw_share(jobs, arguments, share, shares):
    """Runs every job and saves the figures whose number n (counted over all jobs) has
    n % shares == share. Failures while making a figure are reported and counted by share 0
    only (every share meets them); failures while saving by the share that saves."""
    outcome = Outcome([], Failures(quiet=share != 0), {}, {})
    number = 0
    for job in jobs:
        failed_before = outcome.failures.count
        try:
            for name, fig in job.make():
                if number % shares == share:
                    _save(fig, name, job, arguments, number, outcome)
                style.close(fig)
                number += 1
                outcome.drawn[job.index] = outcome.drawn.get(job.index, 0) + 1
        except PlotInputError as error:
            outcome.failures.input_error(error)
        except Exception:  # a bug: say which result, keep the other figures
            outcome.failures.internal_error(f"{job.result.kind} result {job.result.base}")
        if outcome.failures.count > failed_before:
            outcome.failed[job.index] = 1
        style.close_all()  # a figure left open by a failure
    return outcome


def _save(fig, name, job, arguments, number, outcome):
    directory = Path(arguments.output) if arguments.output else job.result.base / "figures"
    configuration = job.result.configuration() if len(job.sources) == 1 else {
        r.label: r.configuration() for r in job.sources}
    metadata = style.metadata_for(arguments.glassland_version,
                                  [s for r in job.sources for s in r.sources()], configuration,
                                  f"{job.prefix}{name}")
    loud = Failures()  # saving happens in this share only: always reported
    try:
        directory.mkdir(parents=True, exist_ok=True)
        paths = style.save(fig, directory / f"{job.prefix}{name}", arguments.formats,
                           arguments.dpi, metadata)
        outcome.written += [(number, path) for path in paths]
    except OSError as error:
        loud.input_error(f"{directory}: cannot write {job.prefix}{name} ({error.strerror})")
    except Exception:
        loud.internal_error(f"{job.result.kind} result {job.result.base}")
    outcome.failures.count += loud.count
    outcome.failures.internal |= loud.internal


class Failures:
    """Errors reported so far; exit code 2 for bad input (as the program's InputError), 1 if
    a figure maker failed otherwise (a bug), 0 without errors. A quiet one neither reports nor
    counts (the shares that repeat share 0's work)."""

    def __init__(self, quiet=False):
        self.count, self.internal, self.quiet = 0, False, quiet

    def input_error(self, error):
        if not self.quiet:
            print(f"glassland plot: error: {error}", file=sys.stderr)
            self.count += 1

    def internal_error(self, what):
        if not self.quiet:
            print(f"glassland plot: internal error while drawing {what}:", file=sys.stderr)
            traceback.print_exc()
            self.count += 1
            self.internal = True

    def exit_code(self):
        return 0 if not self.count else 1 if self.internal else 2


def _make_labels_unique(results):
    seen = {}
    for result in results:
        count = seen.get(result.label, 0)
        seen[result.label] = count + 1
        if count:
            result.label = f"{result.label}_{count + 1}"
