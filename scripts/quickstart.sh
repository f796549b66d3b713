#!/usr/bin/env bash
# The README's two commands.
#   scripts/quickstart.sh demo   install what is missing, build, run the console demo
#   scripts/quickstart.sh test   install what is missing, build, run the whole test suite
#                                (unit, QML, GUI under Xvfb, stress, package, header checks) with GCC,
#                                then again with Clang (plus the libc++ syntax check), the benchmark
#                                smoke run, then the sanitizer and valgrind runs of scripts/reliability.sh
set -euo pipefail
cd "$(dirname "$0")/.."

mode=${1:-}
case "$mode" in
demo | test) ;;
*)
    echo "usage: $0 demo|test" >&2
    exit 2
    ;;
esac

# Debian 12 packages the project needs; only the missing ones are installed.
packages=(
    cmake ninja-build g++ python3
    qt6-base-dev qt6-base-dev-tools
)
if [ "$mode" = test ]; then
    packages+=(
        qt6-declarative-dev qt6-declarative-dev-tools qt6-qpa-plugins
        qt6-l10n-tools qt6-tools-dev # lupdate, lrelease and qt_add_translations: the dashboard's translations
        qml6-module-qtquick qml6-module-qtquick-controls qml6-module-qtquick-layouts
        qml6-module-qtquick-window qml6-module-qtquick-templates qml6-module-qtqml-workerscript
        qml6-module-qttest
        xvfb xauth libgl1-mesa-dri
        valgrind libclang-rt-14-dev qcoro-qt6-dev pkg-config
        clang clang-14 libc++-14-dev libc++abi-14-dev
        doxygen
        python3-matplotlib # the plot of docs/performance.md (scripts/performance.sh)
    )
fi
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "== installing: ${missing[*]}"
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

jobs=$(nproc)

if [ "$mode" = demo ]; then
    cmake -S . -B build/demo -G Ninja -DCMAKE_BUILD_TYPE=Release -DQTM_BUILD_TESTS=OFF \
        -DQTM_BUILD_BENCHMARKS=OFF -DQTM_BUILD_QML=OFF
    cmake --build build/demo --target qtm-console -j "$jobs"
    exec build/demo/examples/console/qtm-console
fi

# Everything below is also kept in a log, from which the closing count is taken.
mkdir -p build
log=build/quickstart-test.log
exec > >(tee "$log") 2>&1

echo "== build and test (default preset: Debug, warnings as errors)"
cmake --preset default
cmake --build --preset default -j "$jobs"
ctest --preset default -j "$jobs"

echo "== build and test (clang preset: Clang, warnings as errors, portable cancellation check, libc++ syntax check)"
cmake --preset clang
cmake --build --preset clang -j "$jobs"
ctest --preset clang -j "$jobs"

if [ -f benchmarks/CMakeLists.txt ]; then
    echo "== benchmark harness (bench preset: Release), smoke run"
    cmake --preset bench
    cmake --build --preset bench -j "$jobs"
    ctest --test-dir build/bench -L bench --output-on-failure --no-tests=error
fi

if [ -x scripts/reliability.sh ]; then
    echo "== reliability: sanitizers and valgrind"
    scripts/reliability.sh
fi
# One closing line over every ctest run above (default, clang, bench, asan, tsan).
total=$(grep -oE "tests passed, 0 tests failed out of [0-9]+" "$log" | awk '{sum += $NF} END {print sum + 0}')
echo "quickstart: ${total} passed, 0 failed"
