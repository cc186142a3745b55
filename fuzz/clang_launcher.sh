#!/bin/sh
# Compiles or links one target of the project's build with clang for libFuzzer (tests/CMakeLists.txt,
# fuzz_task_run): CMake's RULE_LAUNCH_COMPILE / RULE_LAUNCH_LINK put this script in front of the
# project compiler's command line; it drops what comes before the compiler's own arguments (the
# compiler, and ccache when it launches it) and runs clang with the given flags on the rest.
#
#   clang_launcher.sh PROJECT_CXX CLANG FLAG... -- [ccache] PROJECT_CXX ARGUMENT...
set -eu
project_cxx=$1
clang=$2
shift 2
flags=""
while [ "$1" != "--" ]; do
  flags="$flags $1"
  shift
done
shift
while [ $# -gt 0 ] && [ "$1" != "$project_cxx" ]; do
  shift  # ccache, or another launcher
done
[ $# -gt 0 ] || { echo "clang_launcher.sh: $project_cxx not in the command" >&2; exit 1; }
shift
# shellcheck disable=SC2086
exec "$clang" $flags "$@"
