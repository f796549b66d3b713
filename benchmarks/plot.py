#!/usr/bin/env python3
"""Plots qtm-bench's scale series: per-task cost and memory against the number of live tasks.

  qtm-bench --json > bench.json
  python3 benchmarks/plot.py bench.json docs/performance.png

Needs matplotlib (Debian: python3-matplotlib).
"""

import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    with open(sys.argv[1]) as source:
        bench = json.load(source)
    series = sorted(bench["series"], key=lambda point: point["live"])
    if not series:
        sys.exit("plot.py: the JSON has no scale series (run qtm-bench without --only, or with --only=scale)")
    live = [point["live"] for point in series]

    def column(key):
        return [point.get(key) for point in series]

    figure, (cost, memory) = plt.subplots(1, 2, figsize=(11, 5.4))
    figure.suptitle(f"QtTaskManager: cost per task against live tasks "
                    f"(Qt {bench['qt_version']}, {bench['build_type']}, {bench['mode']} run)", fontsize=11)

    cost.plot(live, column("lifecycle_ns"), "o-", label="lifecycle of a trivial task, with N pending")
    cost.plot(live, column("create_ns_per_task"), "s-", label="create + start a task that then sleeps")
    cost.plot(live, column("cancel_all_ns_per_task"), "^-", label="cancel-all, per task")
    cost.plot(live, column("throw_floor_ns"), "v--", color="grey", label="floor: throw through one frame")
    if bench.get("coro_floor_ns"):
        cost.axhline(bench["coro_floor_ns"], color="black", linestyle=":", linewidth=1,
                     label="floor: QPromise + coroutine + queued call")
    cost.set_xscale("log")
    cost.set_yscale("log")
    cost.set_xlabel("live (pending) tasks N")
    cost.set_ylabel("ns per task (median)")
    cost.grid(True, which="both", alpha=0.3)
    cost.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=2)

    memory.plot(live, column("bytes_per_task"), "o-", label="QtTaskManager: pending coroutine task")
    if bench.get("qpromise_bytes"):
        memory.axhline(bench["qpromise_bytes"], color="grey", linestyle="--", label="one started QPromise")
    if bench.get("asyncio_bytes_per_pending_task"):
        memory.axhline(bench["asyncio_bytes_per_pending_task"], color="tab:red", linestyle="-.",
                       label=f"asyncio, {live[-1]:,} pending")
    goal = bench.get("goals", {}).get("bytes_per_pending_task", {}).get("max")
    if goal:
        memory.axhline(goal, color="tab:green", linestyle=":", label=f"goal: {goal:g} bytes")
    memory.set_xscale("log")
    memory.set_ylim(bottom=0)
    memory.set_xlabel("live (pending) tasks N")
    memory.set_ylabel("resident bytes per task")
    memory.grid(True, which="both", alpha=0.3)
    memory.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=2)

    figure.tight_layout()
    figure.savefig(sys.argv[2], dpi=110)


if __name__ == "__main__":
    main()
