#!/usr/bin/env python3
"""Turns qtm-bench's JSON into the figures of docs/performance.md.

  python3 benchmarks/table.py bench.json                      print the markdown
  python3 benchmarks/table.py bench.json --update FILE.md     replace what lies between the markers
                                                              <!-- qtm-bench:begin --> and <!-- qtm-bench:end -->
Options: --commit TEXT (what was measured, printed with the run), --json-path TEXT (where the JSON is kept).

The goals, and whether each is met, come from the JSON ("goals"), as the harness states them.
"""

import argparse
import html
import json
import re
import sys

BEGIN = "<!-- qtm-bench:begin -->"
END = "<!-- qtm-bench:end -->"

# goal key -> (what it compares, instructions of the variant, of the baseline, profiles that show why)
GOAL_ROWS = {
    "coro_overhead_ratio": ("coroutine task ÷ hand-written floor (QPromise + coroutine + one queued call), "
                            "every signal connected",
                            "coro_lifecycle_instructions", "coro_floor_instructions", ["coro", "coro-floor"]),
    "coro_vs_qcoro_ratio": ("coroutine task ÷ the same coroutine as a QCoro task",
                            "coro_lifecycle_instructions", "qcoro_lifecycle_instructions", ["coro", "qcoro"]),
    "speedup_vs_asyncio": ("the original's pattern on asyncio ÷ coroutine task",
                           "asyncio_lifecycle_instructions", "coro_lifecycle_instructions", ["coro"]),
    "pool_overhead_ratio": ("thread-pool task ÷ QtConcurrent::run + .then(context), pool pinned",
                            "pool_lifecycle_instructions", "pool_floor_instructions", ["pool", "pool-floor"]),
    "bytes_per_pending_task": ("resident bytes per suspended coroutine task, 1M pending", None, None, []),
    "cancel_vs_throw_floor": ("cancelAllTasks() of 1M suspended tasks ÷ one throw through each frame",
                              "cancel_all_instructions_per_task", "throw_floor_instructions",
                              ["cancel-all", "throw-floor"]),
    "cancel_speedup_vs_asyncio": ("asyncio cancel-all ÷ ours, 1M pending",
                                  "asyncio_cancel_instructions_per_task", "cancel_all_instructions_per_task",
                                  ["cancel-all"]),
    "scaling_ratio": ("lifecycle cost with 1M pending ÷ with 1k pending (instructions: 100k ÷ 1k pending)",
                      "scaling_high_pending_instructions", "scaling_low_pending_instructions", []),
    "snapshot_ms_1m": ("currentTasks() with 1M live (ms)", None, None, []),
    "cancel_latency_us": ("cancelTask() → the coroutine's cleanup runs, median (µs)", None, None, []),
    "gui_max_stall_ms": ("longest event-loop gap under 10k lifecycles/s, model attached (ms)", None, None, []),
    "model_updates_per_s": ("model update batches per second under that load", None, None, []),
}

# The other figures: key, what it is.
FIGURES = [
    ("coro_lifecycle_ns", "trivial coroutine task, create → finish, every signal connected (ns)"),
    ("coro_floor_ns", "its floor: QPromise + coroutine + one queued call (ns)"),
    ("qcoro_lifecycle_ns", "the same coroutine as a QCoro task (ns)"),
    ("asyncio_lifecycle_ns", "asyncio: registry dict + wrapper coroutine + done callback (ns)"),
    ("pool_lifecycle_ns", "trivial thread-pool task, completion seen in the manager's thread (ns)"),
    ("pool_floor_ns", "its floor: QtConcurrent::run + .then(context) (ns)"),
    ("qpromise_bytes", "resident bytes of one started QPromise<int>, 1M of them"),
    ("asyncio_bytes_per_pending_task", "asyncio: resident bytes per pending task, 1M pending"),
    ("cancel_all_ns_per_task", "cancelAllTasks() of 1M suspended tasks, to the last taskFinished (ns/task)"),
    ("throw_floor_ns", "its floor: one throw through each of 1M suspended frames (ns/frame)"),
    ("asyncio_cancel_ns_per_task", "asyncio: cancel all of 1M pending tasks (ns/task)"),
    ("cancel_latency_p99_us", "cancelTask() → cleanup, 99th percentile (µs)"),
    ("gui_baseline_max_stall_ms", "longest event-loop gap under the same load without the model (ms)"),
    ("gui_max_stall_cpu_ms", "the longest gap with the model, in thread CPU time (ms)"),
    ("gui_baseline_max_stall_cpu_ms", "the longest gap without the model, in thread CPU time (ms)"),
    ("model_max_batch_ms", "the longest model update batch (ms)"),
    ("model_prune_ms_80k", "one model batch pruning 40k scattered rows of 80k (ms)"),
    ("model_prune_filtered_ms_80k", "the same under a TaskFilterModel (ms)"),
]

# The instruction counts, with what each counts.
INSTRUCTIONS = [
    ("coro_lifecycle_instructions", "coroutine task"),
    ("coro_floor_instructions", "its floor"),
    ("coro_awaits_lifecycle_instructions", "coroutine task with 10 `co_await qtm::yield()`"),
    ("await_instructions", "one `co_await` (suspend, resume, its await-graph record)"),
    ("qcoro_lifecycle_instructions", "QCoro task"),
    ("asyncio_lifecycle_instructions", "asyncio task (interpreter included)"),
    ("pool_lifecycle_instructions", "thread-pool task (every thread)"),
    ("pool_floor_instructions", "its floor (every thread)"),
    ("cancel_all_instructions_per_task", "cancel-all, per task"),
    ("throw_floor_instructions", "its floor, per frame"),
    ("asyncio_cancel_instructions_per_task", "asyncio cancel-all, per task (interpreter included)"),
    ("scaling_low_pending_instructions", "coroutine task with few tasks pending"),
    ("scaling_high_pending_instructions", "coroutine task with many tasks pending"),
]

PROFILE_TITLES = {
    "coro": "coroutine task (`coro`)",
    "coro-floor": "its floor (`coro-floor`)",
    "coro-awaits": "coroutine task with 10 awaits (`coro-awaits`)",
    "qcoro": "QCoro task (`qcoro`)",
    "pool": "thread-pool task (`pool`)",
    "pool-floor": "its floor (`pool-floor`)",
    "cancel-all": "cancel-all, per task (`cancel-all`)",
    "throw-floor": "its floor, per frame (`throw-floor`)",
}

# The event loop's and the threads' own frames, which enclose nearly everything and explain nothing.
PLUMBING = re.compile(r"^(0x[0-9a-f]+|g_main_context_\w+|QEventLoop::|QEventDispatcherGlib::|"
                      r"QCoreApplication(Private)?::(sendPostedEvents|sendEvent|notifyInternal2|notify_helper|exec)|"
                      r"QThreadPrivate::start|QThreadPoolThread::run|start_thread|clone3?$)")
PROFILE_ROWS = 30


def number(value):
    if value is None:
        return "n/a"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.3g}"


def spread(figures, key):
    value = figures.get(key)
    runs = [run for run in figures.get(f"{key}_runs", []) if run is not None]
    if value is None:
        return "n/a"
    if len(runs) < 2:
        return number(value)
    return f"{number(value)} ({number(min(runs))}–{number(max(runs))}, {len(runs)} runs)"


def met(goal, value):
    if value is None:
        return "n/a"
    ok = ("max" not in goal or value <= goal["max"]) and ("min" not in goal or value >= goal["min"])
    return "yes" if ok else "**no**"


def render(figures, commit, json_path):
    goals = figures.get("goals", {})
    counts = figures.get("counts", {})
    out = []
    load_start = figures.get("load_average_start") or []
    load_end = figures.get("load_average_end") or []
    load = ""
    if load_start and load_end:
        load = f" Load average (1 min) {load_start[0]:g} at the start, {load_end[0]:g} at the end, on " \
               f"{figures.get('cores')} cores."
    out.append(f"Generated by `benchmarks/table.py` from `{json_path}`: the {figures.get('mode')} run of "
               f"{commit or 'this checkout'}, Qt {figures.get('qt_version')}, {figures.get('compiler')}, "
               f"{figures.get('build_type')}, Python {figures.get('python_version', 'n/a')}.{load}")
    out.append("")
    callgrind_counts = ""
    if counts.get("callgrind"):
        callgrind_counts = (f" Instructions: callgrind, one run per variant, counting only the measured region: "
                            f"{counts.get('callgrind_lifecycle_tasks'):,} coroutine and QCoro tasks, "
                            f"{counts.get('callgrind_pool_tasks'):,} thread-pool tasks, "
                            f"{counts.get('callgrind_cancel_tasks'):,} cancelled tasks and frames, the scaling "
                            f"lifecycle with {' and '.join(f'{n:,}' for n in counts.get('callgrind_pending', []))} "
                            f"tasks pending; asyncio from "
                            f"runs of {counts.get('callgrind_asyncio_tasks'):,} and "
                            f"{2 * counts.get('callgrind_asyncio_tasks'):,} tasks (the difference).")
    out.append(f"Wall clock: the median of {counts.get('repetitions')} runs of {counts.get('lifecycle_tasks'):,} "
               f"coroutine tasks and {counts.get('pool_tasks'):,} thread-pool tasks per variant (min–max in "
               f"brackets), and of {counts.get('scale_repetitions')} run(s) at each live count; "
               f"{figures.get('heap_layout')}; the thread pool pinned to {counts.get('pool_threads')} threads."
               f"{callgrind_counts}")
    out.append("")
    out.append("| goal | compares | wall clock: median (min–max) | instructions per task: ours, baseline → ratio "
               "| met: wall clock / instructions |")
    out.append("|---|---|---|---|---|")
    missed = []
    for key, (what, variant, baseline, profiles) in GOAL_ROWS.items():
        goal = goals.get(key)
        if goal is None:
            continue
        value = figures.get(key)
        instructions = "—"
        met_text = met(goal, value)
        if variant:
            ratio = figures.get(goal.get("instructions_key"))
            instructions = f"{number(figures.get(variant))}, {number(figures.get(baseline))} → {number(ratio)}"
            if key in ("speedup_vs_asyncio", "cancel_speedup_vs_asyncio"):
                instructions = (f"{number(figures.get(baseline))}, asyncio {number(figures.get(variant))} → "
                                f"{number(ratio)}")
            met_text += f" / {met(goal, ratio)}"
            if "no" in met_text:
                missed.append((key, goal, profiles))
        elif "no" in met_text:
            missed.append((key, goal, profiles))
        out.append(f"| {goal['text']} | `{key}`: {what} | {spread(figures, key)} | {instructions} | {met_text} |")
    out.append("")
    out.append("| figure | value: median (min–max) |")
    out.append("|---|---|")
    for key, what in FIGURES:
        out.append(f"| `{key}`: {what} | {spread(figures, key)} |")
    for key, what in INSTRUCTIONS:
        out.append(f"| `{key}`: instructions, {what} | {number(figures.get(key))} |")
    out.append("")

    profiles = figures.get("callgrind_profiles") or {}
    shown = []
    for _, _, names in missed:
        shown += [name for name in names if name not in shown and profiles.get(name)]
    if shown:
        out.append("#### Where the instructions go, for the goals missed")
        out.append("")
        out.append("Inclusive instructions per task of the functions that cost the most, from callgrind (the "
                   "event loop's and the threads' own frames, which enclose everything, left out). The first "
                   "row is the measuring function itself: the whole measured region.")
        out.append("")
        for name in shown:
            rows = [row for row in profiles[name] if not PLUMBING.match(row["function"])][:PROFILE_ROWS]
            out.append(f"<details><summary>{PROFILE_TITLES.get(name, name)}: {number(rows[0]['instructions'])} "
                       f"instructions per task</summary>")
            out.append("")
            out.append("| instructions per task | function | in |")
            out.append("|---:|---|---|")
            for row in rows:
                # HTML, not a code span: colons as entities, so that the API reference's Doxygen, which
                # reads this page too, does not take `a::b` for a link request to an internal function.
                function = html.escape(row["function"], quote=False).replace("|", "&#124;").replace(":", "&#58;")
                out.append(f"| {number(row['instructions'])} | <code>{function}</code> | {row.get('object', '')} |")
            out.append("")
            out.append("</details>")
            out.append("")
    notes = [note for note in figures.get("notes", []) if note]
    if notes:
        out.append("Notes from the run: " + "; ".join(notes) + ".")
        out.append("")
    return "\n".join(out)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("json")
    parser.add_argument("--update", metavar="FILE.md")
    parser.add_argument("--commit", default="")
    parser.add_argument("--json-path", default=None)
    arguments = parser.parse_args()
    with open(arguments.json) as source:
        figures = json.load(source)
    text = render(figures, arguments.commit, arguments.json_path or arguments.json)
    if not arguments.update:
        print(text)
        return
    with open(arguments.update) as source:
        document = source.read()
    if document.count(BEGIN) != 1 or document.count(END) != 1 or document.index(BEGIN) > document.index(END):
        sys.exit(f"table.py: {arguments.update} needs one {BEGIN} line followed by one {END} line")
    head, rest = document.split(BEGIN)
    _, tail = rest.split(END)
    with open(arguments.update, "w") as target:
        target.write(f"{head}{BEGIN}\n{text}\n{END}{tail}")


if __name__ == "__main__":
    main()
