"""The examples of README.md and docs/*.md against the program (issue 17, "docs that cannot drift").

Usage: docs_examples_check.py GLASSLAND SOURCE_DIR SCRATCH_DIR

Checks, each failure naming the page and line:
1. Every inputs/... path a page names exists.
2. Every ```json block parses; a block holding an input ("task") is valid to `glassland run
   --check` (every key known, every value in range), and when the lines above it name an
   inputs/*.json file ("Example (inputs/md/liquid_nvt.json):") it equals that file. Every
   inputs/**/*.json input is valid too. Data files they name that a run of the main job would
   write (../../out/...) are stood in for by a small B2 crystal made with `glassland build`;
   an input that needs another run's JSON results (neb.art_events, neb.metad) is listed as not
   checked.
3. Every command line of a code block (`glassland ...` or `build/glassland ...`): its
   sub-command exists and each option it uses is one its --help lists; an `analyze` command whose
   files are all in the repository is run (into SCRATCH_DIR) and must succeed.
4. Every documented input error (`input.json: PATH: MESSAGE`) names a key the program reads
   (it appears in the effective configuration of an example) or, for "unknown key (did you
   mean X?)", a key it does not read next to the suggested one, which it reads.
A block preceded by the line `<!-- docs-test: illustrative -->` is shown, not checked (for
pseudo-output and placeholders that are not commands).
"""
import json
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

PROGRAM, SOURCE, SCRATCH = (Path(a).resolve() for a in sys.argv[1:4])
MARKER = "<!-- docs-test: illustrative -->"
failures = []


def fail(where, message):
    failures.append(f"{where}: {message}")


def pages():
    return [SOURCE / "README.md"] + sorted((SOURCE / "docs").glob("*.md"))


def blocks(page):
    """(first line number, language, lines, illustrative) of every fenced block of `page`."""
    lines = page.read_text().split("\n")
    found, k = [], 0
    while k < len(lines):
        if lines[k].startswith("```"):
            start, language = k, lines[k][3:].strip()
            end = next(j for j in range(k + 1, len(lines)) if lines[j].startswith("```"))
            illustrative = any(lines[j].strip() == MARKER for j in range(max(0, k - 2), k))
            found.append((start + 1, language, lines[k + 1:end], illustrative, lines[:start]))
            k = end
        k += 1
    return found


def run(arguments, cwd=SOURCE):
    return subprocess.run([str(PROGRAM)] + arguments, cwd=cwd, capture_output=True, text=True,
                          timeout=120)


# --- 1. inputs/ paths ---------------------------------------------------------------------------
for page in pages():
    for number, line in enumerate(page.read_text().split("\n"), 1):
        for path in re.findall(r"(?<![\w/.])inputs/[\w./*-]*[\w*]", line):
            if not list(SOURCE.glob(path)):  # a path, or a pattern such as spectrum*.json
                fail(f"{page.name}:{number}", f"names {path}, which does not exist")

# --- 2. JSON blocks and example inputs ----------------------------------------------------------
STAND_IN = SCRATCH / "stand_in.data"
shutil.rmtree(SCRATCH, ignore_errors=True)  # a fresh copy of inputs/ each time
SCRATCH.mkdir(parents=True)
built = run(["build", "--lattice", "b2", "--cells", "6", "6", "6", "-o", str(STAND_IN)])
if built.returncode != 0:
    sys.exit(f"glassland build failed: {built.stderr}")


def stand_in_missing_files(value, directory):
    """Copies the stand-in crystal to every missing *.data path the input names."""
    if isinstance(value, dict):
        for v in value.values():
            stand_in_missing_files(v, directory)
    elif isinstance(value, list):
        for v in value:
            stand_in_missing_files(v, directory)
    elif isinstance(value, str) and value.endswith(".data"):
        target = (directory / value).resolve()
        if not target.exists() and str(target).startswith(str(SCRATCH.resolve())):
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(STAND_IN, target)


effective = []  # effective configurations of every input checked
skipped = []


def excerpt_difference(shown, file, path=""):
    """Where `shown` is not an excerpt of `file` (every key shown has the file's value; the
    block may leave keys out), or "" when it is one."""
    if isinstance(shown, dict) and isinstance(file, dict):
        for key, value in shown.items():
            if key not in file:
                return f"{path}{key} is not in the file"
            difference = excerpt_difference(value, file[key], f"{path}{key}.")
            if difference:
                return difference
        return ""
    return "" if shown == file else f"{path.rstrip('.')} is {file!r} in the file, {shown!r} here"


def check_input(where, document, relative_path):
    """`glassland run --check` of `document` placed at SCRATCH/tree/relative_path."""
    tree = SCRATCH / "tree"
    if not (tree / "inputs").exists():
        shutil.copytree(SOURCE / "inputs", tree / "inputs")
    path = tree / relative_path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=2))
    stand_in_missing_files(document, path.parent)
    result = run(["run", "--check", str(path)], cwd=tree)
    out = re.escape(str(tree / "out"))
    needs = (re.search(r'cannot read "(' + out + r'/[^"]+)"', result.stderr) or
             re.search(r'"(' + out + r'/[^"]+)" has no summary\.json', result.stderr))
    if result.returncode != 0 and needs:  # the results of another run, not a data file
        skipped.append(f"{where}: needs {Path(needs.group(1)).relative_to(tree)}, the output of "
                       "another run (its keys before that one were checked)")
        return
    if result.returncode != 0:
        fail(where, f"`glassland run --check` exits {result.returncode}: {result.stderr.strip()}")
        return
    effective.append(json.loads(result.stdout))


for page in pages():
    for number, language, lines, illustrative, above in blocks(page):
        if language != "json" or illustrative:
            continue
        where = f"{page.name}:{number}"
        try:
            document = json.loads("\n".join(lines))
        except json.JSONDecodeError as error:
            fail(where, f"JSON block does not parse: {error}")
            continue
        named = re.findall(r"inputs/[\w./-]*\.json", "\n".join(above[-3:]))
        if named and (SOURCE / named[-1]).exists():  # a missing one is reported by check 1
            difference = excerpt_difference(document, json.loads((SOURCE / named[-1]).read_text()))
            if difference:
                fail(where, f"the block is not an excerpt of {named[-1]}, which it says it "
                     f"shows: {difference}")
        if isinstance(document, dict) and "task" in document:
            check_input(where, document, named[-1] if named else f"inputs/docs/{page.stem}_{number}.json")

for path in sorted((SOURCE / "inputs").rglob("*.json")):
    document = json.loads(path.read_text())
    if isinstance(document, dict) and "task" in document:
        check_input(str(path.relative_to(SOURCE)), document, path.relative_to(SOURCE))

# --- 3. command lines ---------------------------------------------------------------------------
help_texts = {}


def help_of(words):
    key = tuple(words)
    if key not in help_texts:
        result = run(list(words) + ["--help"])
        help_texts[key] = result.stdout if result.returncode == 0 else None
    return help_texts[key]


def command_lines(lines):
    """Commands of a block: a line continued by a trailing backslash is joined to the next."""
    joined, current = [], ""
    for line in lines:
        if line.rstrip().endswith("\\"):
            current += line.rstrip()[:-1] + " "
            continue
        joined.append(current + line)
        current = ""
    return [l.split("#", 1)[0].strip() for l in joined
            if re.match(r"\s*(build/)?glassland\s", l)]


for page in pages():
    for number, language, lines, illustrative, _ in blocks(page):
        if illustrative or language not in ("", "sh", "bash"):
            continue
        for command in command_lines(lines):
            where = f"{page.name}:{number}: `{command}`"
            words = shlex.split(command)[1:]
            path = []  # the sub-command chain, as far as --help accepts it
            while words and not words[0].startswith("-") and help_of(path + [words[0]]):
                path.append(words.pop(0))
            text = help_of(path)
            for word in words:
                for option in re.findall(r"^(--?[A-Za-z][\w-]*)", word):
                    if not re.search(r"(^|[\s,])" + re.escape(option) + r"([\s,=]|$)", text):
                        fail(where, f"{' '.join(['glassland'] + path)} has no option {option}")
            if path[:1] == ["analyze"] and path[1:2] and path[1] in (
                    "barriers", "activation", "tst", "fit", "entropy"):
                files = [w for w in words if w.startswith("inputs/")]
                if files and all((SOURCE / f).exists() for f in files):
                    arguments = [str(SCRATCH / "out.json") if prev == "-o" else w
                                 for prev, w in zip([""] + words, words)]
                    result = run(path + arguments)
                    if result.returncode != 0:
                        fail(where, f"exits {result.returncode}: {result.stderr.strip()}")

# --- 4. documented input errors -----------------------------------------------------------------
known = set()


def collect(value, prefix):
    if isinstance(value, dict):
        for key, v in value.items():
            name = f"{prefix}.{key}" if prefix else key
            known.add(name)
            collect(v, name)
    elif isinstance(value, list):
        known.add(prefix + "[]")
        for v in value:
            collect(v, prefix + "[]")


for document in effective:
    collect(document, "")

for page in pages():
    for number, language, lines, illustrative, _ in blocks(page):
        for line in lines:
            m = re.match(r"(?:glassland: error: )?input\.json: ([\w.\[\]]+): (.*)$", line)
            if illustrative or not m:
                continue
            key, message = re.sub(r"\[\d+\]", "[]", m.group(1)), m.group(2)
            where = f"{page.name}:{number}: `{line}`"
            suggestion = re.match(r'unknown key \(did you mean "(\w+)"\?\)', message)
            if suggestion:
                if key in known:
                    fail(where, f"{key} is a key the program reads, not an unknown one")
                suggested = key.rsplit(".", 1)[0] + "." + suggestion.group(1)
                if suggested not in known:
                    fail(where, f"the suggested {suggested} is not a key the program reads")
            elif key not in known:
                fail(where, f"{key} is not a key the program reads")

for line in skipped:
    print("not checked:", line)
for failure in failures:
    print(failure)
print(f"{len(failures)} failure(s); {len(effective)} inputs checked, "
      f"{len(help_texts)} sub-command help texts read")
sys.exit(1 if failures else 0)
