#!/usr/bin/env bash
# Regenerates the figures of docs/performance.md in one command: builds the harness (the `bench` preset,
# Release), runs it in full at low priority, keeps its JSON in benchmarks/results/full-run.json, and
# rewrites the generated part of docs/performance.md (between its qtm-bench markers) and the plot
# docs/performance.png (when matplotlib is installed: Debian's python3-matplotlib).
#
#   scripts/performance.sh                    the full run, instruction counts included
#   scripts/performance.sh --only=coro,pool   more qtm-bench options (a partial run still rewrites the docs)
#
# callgrind's output files are kept in build/bench/callgrind (open them with callgrind_annotate or
# KCachegrind). The docs are left alone when the harness reports a failure.
set -euo pipefail
cd "$(dirname "$0")/.."

cmake --preset bench >/dev/null
cmake --build --preset bench -j "${QTM_JOBS:-2}" --target qtm-bench

# What was measured: the last commit that changed the core, and whether the checkout has changes.
core=$(git log -1 --format=%h -- src include qml)
head=$(git rev-parse --short HEAD)
described="the core of commit ${core} (checkout ${head}"
git diff --quiet HEAD -- src include qml benchmarks || described+=", with uncommitted changes"
described+=")"

json=build/bench/full-run.json
nice -n 10 build/bench/benchmarks/qtm-bench --json --callgrind-dir=build/bench/callgrind "$@" >"$json"
mkdir -p benchmarks/results
cp "$json" benchmarks/results/full-run.json
python3 benchmarks/table.py benchmarks/results/full-run.json --json-path benchmarks/results/full-run.json \
    --commit "$described" --update docs/performance.md

plotter=""
for python in python3 /usr/bin/python3; do
    if command -v "$python" >/dev/null && "$python" -c "import matplotlib" 2>/dev/null; then
        plotter=$python
        break
    fi
done
if [ -n "$plotter" ]; then
    "$plotter" benchmarks/plot.py benchmarks/results/full-run.json docs/performance.png
else
    echo "performance.sh: matplotlib not found (Debian: python3-matplotlib); docs/performance.png left as it was" >&2
fi
echo "performance.sh: docs/performance.md updated from benchmarks/results/full-run.json"
