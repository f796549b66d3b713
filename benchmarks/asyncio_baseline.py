#!/usr/bin/env python3
"""The asyncio baseline of qtm-bench: the original Python task manager's pattern on asyncio.

A registry dict of live tasks, every coroutine wrapped in a wrapper coroutine, and a done callback that
unregisters the task. qtm-bench runs this script with the machine's python3 and reads the one JSON object
it prints.

  asyncio_baseline.py lifecycle N   create N trivial tasks and wait for the last one to finish
  asyncio_baseline.py pending N     N tasks suspended in a long sleep: resident memory per task, then the
                                    time to cancel them all until the last one has finished
  asyncio_baseline.py pending N --no-cancel
                                    the same without the cancelling: qtm-bench counts the instructions of
                                    both under callgrind, and the difference is what cancel-all costs

Both pending modes end the process as soon as the figures are printed (os._exit), so that neither tears
down what the other does not.
"""

import asyncio
import gc
import json
import os
import sys
import time


def resident_bytes():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


class TaskManager:
    """The original's bookkeeping: a registry, a wrapper coroutine, a done callback."""

    def __init__(self, on_finished=None):
        self.tasks = {}
        self.next_id = 0
        self.on_finished = on_finished

    def create_task(self, coro, name=None):
        self.next_id += 1
        task_id = self.next_id
        name = name or f"coroutine-{task_id}"

        async def wrapper():
            try:
                return await coro
            except asyncio.CancelledError:
                raise

        task = asyncio.get_running_loop().create_task(wrapper(), name=name)
        self.tasks[task_id] = task
        task.add_done_callback(lambda done: self._finished(task_id, done))
        return task

    def _finished(self, task_id, task):
        self.tasks.pop(task_id, None)
        if self.on_finished:
            self.on_finished(task)

    def cancel_all_tasks(self):
        for task in list(self.tasks.values()):
            task.cancel()
        return len(self.tasks)


async def trivial():
    return 42


async def pending_for_an_hour():
    await asyncio.sleep(3600)


async def lifecycle(count):
    loop = asyncio.get_running_loop()
    all_done = loop.create_future()
    finished = 0

    def on_finished(_task):
        nonlocal finished
        finished += 1
        if finished == count:
            all_done.set_result(None)

    manager = TaskManager(on_finished)
    start = time.perf_counter_ns()
    for _ in range(count):
        manager.create_task(trivial())
    await all_done
    return {"lifecycle_ns": (time.perf_counter_ns() - start) / count}


def finish(result):
    result.update({"python": sys.version.split()[0]})
    print(json.dumps(result), flush=True)
    os._exit(0)


async def pending(count, cancel):
    loop = asyncio.get_running_loop()
    all_done = loop.create_future()
    finished = 0

    def on_finished(_task):
        nonlocal finished
        finished += 1
        if finished == count:
            all_done.set_result(None)

    gc.collect()
    before = resident_bytes()
    manager = TaskManager(on_finished)
    for _ in range(count):
        manager.create_task(pending_for_an_hour())
    # Let every task run to its sleep: they were scheduled before this coroutine's own wake-up.
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    bytes_per_task = (resident_bytes() - before) / count
    if not cancel:
        finish({"bytes_per_pending_task": bytes_per_task, "count": count})

    start = time.perf_counter_ns()
    asked = manager.cancel_all_tasks()
    await all_done
    cancel_ns = (time.perf_counter_ns() - start) / count
    assert asked == count and not manager.tasks
    finish({"bytes_per_pending_task": bytes_per_task, "cancel_ns_per_task": cancel_ns, "count": count})


def main():
    arguments = sys.argv[1:]
    no_cancel = arguments[2:] == ["--no-cancel"]
    valid = (len(arguments) == 2 + no_cancel and arguments[0] in ("lifecycle", "pending")
             and arguments[1].isdigit() and int(arguments[1]) > 0 and (arguments[0] == "pending" or not no_cancel))
    if not valid:
        sys.exit(__doc__)
    mode, count = arguments[0], int(arguments[1])
    if mode == "pending":
        asyncio.run(pending(count, cancel=not no_cancel))  # finish() ends the process
    result = asyncio.run(lifecycle(count))
    result.update({"python": sys.version.split()[0], "count": count})
    print(json.dumps(result))


if __name__ == "__main__":
    main()
