"""Arguments of `glassland plot` and the check for the Debian modules it needs.

The C++ sub-command (host/cli/plot_command.cpp) executes
    /usr/bin/python3 -B -m glassland_plot --glassland-version V --glassland-program PATH RESULT...
with the package's parent directory first on PYTHONPATH; everything else is the user's.
"""
import argparse
import importlib
import sys

# Module -> the Debian package that provides it for /usr/bin/python3.
REQUIRED_MODULES = (("numpy", "python3-numpy"), ("matplotlib", "python3-matplotlib"),
                    ("h5py", "python3-h5py"))


def missing_modules():
    """(module, Debian package) of every required module that cannot be imported."""
    missing = []
    for module, package in REQUIRED_MODULES:
        try:
            importlib.import_module(module)
        except ImportError:
            missing.append((module, package))
    return missing


def parse_arguments(argv):
    parser = argparse.ArgumentParser(
        prog="glassland plot",
        description="Figures (PNG and PDF) of glassland results: a results directory, a "
        "results.h5, a summary.json, events.json, neb.json or the JSON of `glassland analyze "
        "... -o`; several at once also get comparison figures.")
    parser.add_argument("results", nargs="+", help="results directories or files")
    parser.add_argument("-o", "--output", help="write every figure here instead of "
                        "<results>/figures/")
    parser.add_argument("--formats", nargs="+", default=["png", "pdf"], choices=["png", "pdf"],
                        help="file formats (default: png pdf)")
    parser.add_argument("--dpi", type=float, default=300.0, help="PNG resolution (default 300)")
    parser.add_argument("-j", "--jobs", type=int, default=0,
                        help="processes drawing at once (default: the cores, at most 4)")
    parser.add_argument("-T", "--temperature", type=float, default=300.0,
                        help="temperature (K) of the `analyze barriers` run behind an ART "
                        "barrier spectrum; it enters only that JSON's effective barriers "
                        "(default 300)")
    parser.add_argument("--glassland-version", default="unknown", help=argparse.SUPPRESS)
    parser.add_argument("--glassland-program", default="", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv=None):
    arguments = parse_arguments(sys.argv[1:] if argv is None else argv)
    missing = missing_modules()
    if missing:
        for module, package in missing:
            print(f"glassland plot: error: the Python module '{module}' is missing from "
                  f"{sys.executable}; install Debian's {package} (apt-get install {package}, or "
                  f"bash scripts/setup.sh)", file=sys.stderr)
        return 1  # docs/exit-codes.md: the system lacks what the program needs
    from glassland_plot import registry  # imports matplotlib: only after the check

    return registry.run(arguments)
