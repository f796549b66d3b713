#!/bin/sh
# Runs a GUI test ("$@") in a real X server started for it by xvfb-run. Without Xvfb the test still runs,
# offscreen, and is told so (QTM_XVFB_MISSING) that it can skip with a reason instead of failing.
if command -v xvfb-run >/dev/null 2>&1 && command -v Xvfb >/dev/null 2>&1; then
    exec xvfb-run -a -s "-screen 0 1280x1024x24" env QT_QPA_PLATFORM=xcb "$@"
fi
echo "run-under-xvfb: Xvfb is not installed; the test will skip" >&2
QTM_XVFB_MISSING=1 QT_QPA_PLATFORM=offscreen exec "$@"
