#!/usr/bin/env python3
"""Prints qtm-bench's JSON as the markdown table of docs/performance.md.

  python3 benchmarks/table.py bench.json
"""

import json
import sys

# key, what, baseline key (same run), goal as text, goal check (value, figures) -> bool
ROWS = [
    ("coro_lifecycle_ns", "trivial coroutine task, create → finish, signals connected (ns)", "coro_floor_ns", "", None),
    ("coro_overhead_ratio", "ours ÷ floor (QPromise + coroutine + one queued call)", None, "≤ 1.0", lambda v, f: v <= 1.0),
    ("qcoro_lifecycle_ns", "the same coroutine as a QCoro task (reference) (ns)", None, "", None),
    ("asyncio_lifecycle_ns", "asyncio: registry dict + wrapper coroutine + done callback (ns)", None, "", None),
    ("speedup_vs_asyncio", "asyncio ÷ ours", None, "≥ 20", lambda v, f: v >= 20),
    ("pool_lifecycle_ns", "trivial thread-pool task, completion seen in the manager's thread (ns)", "pool_floor_ns", "", None),
    ("pool_overhead_ratio", "ours ÷ floor (QtConcurrent::run + .then(context))", None, "≤ 1.2", lambda v, f: v <= 1.2),
    ("bytes_per_pending_task", "resident bytes per suspended coroutine task, 1M pending", "qpromise_bytes", "≤ 700",
     lambda v, f: v <= 700),
    ("asyncio_bytes_per_pending_task", "asyncio: resident bytes per pending task, 1M pending", None, "", None),
    ("scaling_ratio", "lifecycle cost with 1M pending ÷ with 1k pending", None, "≤ 1.3", lambda v, f: v <= 1.3),
    ("cancel_all_ns_per_task", "cancelAllTasks() of 1M suspended tasks, to the last taskFinished (ns/task)",
     "throw_floor_ns", "≤ 1.5 × floor", lambda v, f: v <= 1.5 * f["throw_floor_ns"]),
    ("asyncio_cancel_ns_per_task", "asyncio: cancel all of 1M pending tasks (ns/task)", None, "", None),
    ("cancel_speedup_vs_asyncio", "asyncio ÷ ours, cancel-all", None, "≥ 25", lambda v, f: v >= 25),
    ("snapshot_ms_1m", "currentTasks() with 1M live (ms)", None, "≤ 100", lambda v, f: v <= 100),
    ("cancel_latency_us", "cancelTask() → the coroutine's cleanup runs, median (µs)", None, "≤ 100", lambda v, f: v <= 100),
    ("gui_max_stall_ms", "longest event-loop gap, 10k lifecycles/s for 5 s, model attached (ms)",
     "gui_baseline_max_stall_ms", "≤ 16", lambda v, f: v <= 16),
    ("gui_max_stall_cpu_ms", "the same gap in thread CPU time (preemption excluded) (ms)",
     "gui_baseline_max_stall_cpu_ms", "", None),
    ("model_updates_per_s", "model update batches per second under that load", None, "≤ 60", lambda v, f: v <= 60),
]


def fmt(value):
    if value is None:
        return "n/a"
    if isinstance(value, float) and value < 10:
        return f"{value:g}"
    return f"{value:,}" if isinstance(value, int) else f"{value:,.4g}"


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    with open(sys.argv[1]) as source:
        figures = json.load(source)
    print("| figure | value | baseline (same run) | goal | met |")
    print("|---|---|---|---|---|")
    for key, what, baseline, goal, check in ROWS:
        value = figures.get(key)
        base = f"{fmt(figures.get(baseline))} (`{baseline}`)" if baseline else ""
        met = "" if check is None or value is None else ("yes" if check(value, figures) else "**no**")
        print(f"| `{key}`: {what} | {fmt(value)} | {base} | {goal} | {met} |")


if __name__ == "__main__":
    main()
