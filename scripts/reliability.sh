#!/usr/bin/env bash
# Reliability gate: the whole test suite under AddressSanitizer+UBSan and under ThreadSanitizer, and the
# core unit tests (ctest label `unit`) under valgrind memcheck. Called from .ci/run; also runs by hand.
#
#   scripts/reliability.sh                 # asan, tsan and valgrind
#   scripts/reliability.sh tsan            # only the steps named (asan | tsan | valgrind)
#
# Environment:
#   QTM_JOBS             build parallelism (default 2)
#   QTM_STRESS_OPERATIONS, QTM_MODEL_SEQUENCES, QTM_MODEL_SEED
#                        passed through to the stress and model-based tests (see docs/reliability.md)
#
# Build trees: build/asan, build/tsan (the CMake presets) and build/rel (a plain Debug build for valgrind).
# Figures printed by the stress and model tests are gathered into build/<step>/reliability-figures.txt and
# shown in the summary. Exit status: 0 when every step passed.

set -u -o pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JOBS="${QTM_JOBS:-2}"
STEPS=("$@")
if [ ${#STEPS[@]} -eq 0 ]; then
    STEPS=(asan tsan valgrind)
fi

declare -a SUMMARY=()
FAILED=0

log() { printf '\n==== %s ====\n' "$*"; }

record() { # name status seconds [detail]
    SUMMARY+=("$(printf '%-10s %-5s %5ss  %s' "$1" "$2" "$3" "${4:-}")")
    if [ "$2" != "PASS" ]; then
        FAILED=1
    fi
}

# Runs the ctest suite of a sanitizer preset: the stress tests alone (they load both cores), the rest two
# at a time.
run_sanitizer() {
    local preset="$1" start status=PASS detail="" figures
    start=$(date +%s)
    figures="$ROOT/build/$preset/reliability-figures.txt"
    log "$preset: configure and build"
    if ! (cd "$ROOT" && cmake --preset "$preset" >/dev/null && cmake --build --preset "$preset" -j "$JOBS"); then
        record "$preset" FAIL $(($(date +%s) - start)) "build failed"
        return
    fi
    rm -f "$figures"
    export QTM_FIGURES_FILE="$figures"
    log "$preset: ctest (all but stress, -j2)"
    if ! (cd "$ROOT" && ctest --preset "$preset" -LE stress -j 2); then
        status=FAIL
        detail="ctest failed (non-stress)"
    fi
    log "$preset: ctest (label stress, one at a time)"
    if ! (cd "$ROOT" && ctest --preset "$preset" -L stress --no-tests=ignore); then
        status=FAIL
        detail="${detail:+$detail; }ctest failed (stress)"
    fi
    unset QTM_FIGURES_FILE
    record "$preset" "$status" $(($(date +%s) - start)) "$detail"
}

run_valgrind() {
    local build="$ROOT/build/rel" start status=PASS detail="" tests=() test failed=()
    start=$(date +%s)
    log "valgrind: configure and build (Debug, no sanitizer)"
    if ! cmake -S "$ROOT" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DQTM_BUILD_EXAMPLES=OFF \
            -DQTM_BUILD_BENCHMARKS=OFF >/dev/null || ! cmake --build "$build" -j "$JOBS"; then
        record valgrind FAIL $(($(date +%s) - start)) "build failed"
        return
    fi
    # The executables of the tests labelled `unit`, as ctest knows them.
    mapfile -t tests < <(ctest --test-dir "$build" -N -V -L unit | sed -n 's/^[0-9]*: Test command: \([^ ]*\).*/\1/p')
    if [ ${#tests[@]} -eq 0 ]; then
        record valgrind FAIL $(($(date +%s) - start)) "no test labelled unit"
        return
    fi
    for test in "${tests[@]}"; do
        log "valgrind: $(basename "$test")"
        if ! (cd "$(dirname "$test")" && QT_QPA_PLATFORM=offscreen QT_LOGGING_RULES='qtm.*.debug=false' \
                valgrind --tool=memcheck --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite \
                --num-callers=30 --suppressions="$ROOT/tests/sanitizers/valgrind.supp" "$test"); then
            failed+=("$(basename "$test")")
        fi
    done
    if [ ${#failed[@]} -gt 0 ]; then
        status=FAIL
        detail="failed: ${failed[*]}"
    else
        detail="${#tests[@]} unit test executable(s) clean"
    fi
    record valgrind "$status" $(($(date +%s) - start)) "$detail"
}

TOTAL_START=$(date +%s)
for step in "${STEPS[@]}"; do
    case "$step" in
    asan | tsan) run_sanitizer "$step" ;;
    valgrind) run_valgrind ;;
    *)
        echo "reliability.sh: unknown step '$step' (expected asan, tsan or valgrind)" >&2
        exit 2
        ;;
    esac
done

log "reliability summary ($(($(date +%s) - TOTAL_START)) s)"
printf '%s\n' "${SUMMARY[@]}"
for step in "${STEPS[@]}"; do
    if [ -s "$ROOT/build/$step/reliability-figures.txt" ]; then
        echo "-- figures ($step):"
        sed 's/^/   /' "$ROOT/build/$step/reliability-figures.txt"
    fi
done
if [ "$FAILED" -ne 0 ]; then
    echo "RELIABILITY: FAILED"
    exit 1
fi
echo "RELIABILITY: PASSED"
