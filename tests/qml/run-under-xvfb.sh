#!/bin/sh
# Runs a GUI test ("$@") in a real X server started for it by xvfb-run. Without Xvfb the test still runs,
# offscreen, and is told so (QTM_XVFB_MISSING) that it can skip with a reason instead of failing.
if command -v xvfb-run >/dev/null 2>&1 && command -v Xvfb >/dev/null 2>&1; then
    # No D-Bus session: the tests need none, and xvfb-run starts none, so libdbus would try to autolaunch
    # one and leak a buffer on that failed path (LeakSanitizer, tst_taskview in the asan tree).
    exec xvfb-run -a -s "-screen 0 1280x1024x24" env QT_QPA_PLATFORM=xcb DBUS_SESSION_BUS_ADDRESS=disabled: "$@"
fi
echo "run-under-xvfb: Xvfb is not installed; the test will skip" >&2
QTM_XVFB_MISSING=1 QT_QPA_PLATFORM=offscreen exec "$@"
