// The figures that need many live tasks: memory, the cost of one lifecycle with many pending, the snapshot,
// cancel-all and its floor. Each runs in a child process of its own, so that resident memory starts from a
// clean heap every time.

#include "benchcommon.h"

#include <qtm/taskmanager.h>

#include <QtCore/QJsonDocument>
#include <QtCore/QPromise>

#include <algorithm>
#include <coroutine>
#include <cstdio>
#include <exception>

namespace qtm::bench {

namespace {

qtm::Coro<void> pendingForAnHour()
{
    co_await qtm::sleep(std::chrono::hours(1));
}

qtm::Coro<int> trivialCoroutine()
{
    co_return 42;
}

//! Every signal but taskStarted and taskFinished (which the caller waits on) connected to a counting slot,
//! as an application that shows its tasks would.
void connectCountingSlots(qtm::TaskManager &manager, qint64 &signalCount)
{
    auto count = [&signalCount] { ++signalCount; };
    QObject::connect(&manager, &qtm::TaskManager::taskCreated, &manager, count);
    QObject::connect(&manager, &qtm::TaskManager::taskProgressChanged, &manager, count);
    QObject::connect(&manager, &qtm::TaskManager::taskSucceeded, &manager, count);
    QObject::connect(&manager, &qtm::TaskManager::taskFailed, &manager, count);
    QObject::connect(&manager, &qtm::TaskManager::taskCancelled, &manager, count);
    QObject::connect(&manager, &qtm::TaskManager::taskCountChanged, &manager, count);
}

void print(const QJsonObject &object)
{
    const QByteArray json = QJsonDocument(object).toJson(QJsonDocument::Compact);
    std::fwrite(json.constData(), 1, size_t(json.size()), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
}

// The floor of exception-based cancellation: a minimal coroutine type, suspended at an await whose resume
// throws. Resuming it throws through the frame into unhandled_exception(), which keeps the exception as a
// task would; then the frame is destroyed.
struct FloorCoroutine
{
    struct promise_type
    {
        std::exception_ptr error;
        FloorCoroutine get_return_object() { return {std::coroutine_handle<promise_type>::from_promise(*this)}; }
        std::suspend_always initial_suspend() noexcept { return {}; }
        std::suspend_always final_suspend() noexcept { return {}; }
        void return_void() noexcept { }
        void unhandled_exception() noexcept { error = std::current_exception(); }
    };
    std::coroutine_handle<promise_type> handle;
};

struct ThrowOnResume
{
    bool await_ready() const noexcept { return false; }
    void await_suspend(std::coroutine_handle<>) const noexcept { }
    void await_resume() const { throw qtm::CancelledError(); }
};

struct CountedCleanup
{
    qint64 *count;
    ~CountedCleanup() { ++*count; }
};

FloorCoroutine throwWhenResumed(qint64 *cleanups)
{
    CountedCleanup cleanup{cleanups};
    co_await ThrowOnResume{};
}

} // namespace

int probeTasks(int live, int batch)
{
    QJsonObject result{{QStringLiteral("live"), live}};
    const qint64 residentBefore = residentBytes();

    qtm::TaskManager manager;
    qint64 signalCount = 0;
    connectCountingSlots(manager, signalCount);
    Countdown started(live);
    Countdown finished(0);
    QObject::connect(&manager, &qtm::TaskManager::taskStarted, &manager, [&started] { started.hit(); });
    QObject::connect(&manager, &qtm::TaskManager::taskFinished, &manager, [&finished] { finished.hit(); });

    // Pending tasks: each suspended in a one-hour sleep once it has started.
    const auto createStart = Clock::now();
    for (int i = 0; i < live; ++i)
        manager.createTask(pendingForAnHour());
    started.wait();
    result.insert(QStringLiteral("create_ns_per_task"), rounded(nsSince(createStart) / live));
    const qint64 residentPending = residentBytes();
    result.insert(QStringLiteral("bytes_per_task"), rounded(double(residentPending - residentBefore) / live));

    // One snapshot of the registry (the list is dropped outside the timing).
    std::vector<double> snapshots;
    for (int i = 0; i < 5; ++i) {
        const auto start = Clock::now();
        QList<qtm::Task> tasks = manager.currentTasks();
        snapshots.push_back(nsSince(start) / 1e6);
        if (tasks.size() != live)
            qFatal("snapshot: %lld tasks, expected %d", qint64(tasks.size()), live);
    }
    result.insert(QStringLiteral("snapshot_ms"), rounded(median(snapshots)));

    // The lifecycle of trivial tasks created while the pending ones are alive.
    std::vector<double> lifecycles;
    for (int round = 0; round < 5; ++round) {
        finished.reset(batch);
        const auto start = Clock::now();
        for (int i = 0; i < batch; ++i)
            manager.createTask(trivialCoroutine());
        finished.wait();
        lifecycles.push_back(nsSince(start) / batch);
    }
    result.insert(QStringLiteral("lifecycle_ns"), rounded(median(lifecycles)));

    // Cancel every pending task, until the last taskFinished.
    finished.reset(live);
    const auto cancelStart = Clock::now();
    const int asked = manager.cancelAllTasks();
    finished.wait();
    result.insert(QStringLiteral("cancel_all_ns_per_task"), rounded(nsSince(cancelStart) / live));
    if (asked != live || manager.taskCount() != 0)
        qFatal("cancel all: asked %d of %d, %d left", asked, live, manager.taskCount());

    // Its floor, with as many frames, in the same process.
    result.insert(QStringLiteral("throw_floor_ns"), rounded(throwFloorNs(live)));
    result.insert(QStringLiteral("signals"), signalCount);
    print(result);
    return 0;
}

double throwFloorNs(int count)
{
    qint64 cleanups = 0;
    std::vector<std::coroutine_handle<FloorCoroutine::promise_type>> frames;
    frames.reserve(count);
    for (int i = 0; i < count; ++i) {
        frames.push_back(throwWhenResumed(&cleanups).handle);
        frames.back().resume(); // to the throwing await
    }
    MeasuredRegion region;
    for (auto frame : frames) {
        frame.resume();
        frame.destroy();
    }
    const double ns = region.stopNs() / count;
    if (cleanups != count)
        qFatal("throw floor: %lld cleanups for %d frames", cleanups, count);
    return ns;
}

double cancelAllNs(int live)
{
    qtm::TaskManager manager;
    qint64 signalCount = 0;
    connectCountingSlots(manager, signalCount);
    Countdown started(live);
    Countdown finished(live);
    QObject::connect(&manager, &qtm::TaskManager::taskStarted, &manager, [&started] { started.hit(); });
    QObject::connect(&manager, &qtm::TaskManager::taskFinished, &manager, [&finished] { finished.hit(); });
    for (int i = 0; i < live; ++i)
        manager.createTask(pendingForAnHour());
    started.wait();

    MeasuredRegion region;
    const int asked = manager.cancelAllTasks();
    finished.wait();
    const double ns = region.stopNs() / live;
    if (asked != live || manager.taskCount() != 0)
        qFatal("cancel all: asked %d of %d, %d left", asked, live, manager.taskCount());
    return ns;
}

int probeLifecycleWithPending(int tasks, int pending, bool instrument)
{
    qtm::TaskManager manager;
    qint64 signalCount = 0;
    connectCountingSlots(manager, signalCount);
    Countdown started(pending);
    Countdown finished(0);
    QObject::connect(&manager, &qtm::TaskManager::taskStarted, &manager, [&started] { started.hit(); });
    QObject::connect(&manager, &qtm::TaskManager::taskFinished, &manager, [&finished] { finished.hit(); });
    for (int i = 0; i < pending; ++i)
        manager.createTask(pendingForAnHour());
    started.wait();

    auto batch = [&](int count) {
        finished.reset(count);
        MeasuredRegion region;
        for (int i = 0; i < count; ++i)
            manager.createTask(trivialCoroutine());
        finished.wait();
        return region.stopNs() / count;
    };
    (void)batch(std::max(1, tasks / 10)); // warm-up
    setInstrumented(instrument);
    const double ns = batch(tasks);
    setInstrumented(false);
    print({{QStringLiteral("ns_per_task"), rounded(ns)}, {QStringLiteral("pending"), pending}});
    std::_Exit(0); // the figure is printed; cancelling the pending tasks is not what is measured
}

int probeQPromise(int count)
{
    const qint64 residentBefore = residentBytes();
    std::vector<QPromise<int>> promises(count);
    for (auto &promise : promises)
        promise.start();
    const qint64 residentAfter = residentBytes();
    print({{QStringLiteral("count"), count},
           {QStringLiteral("bytes_per_promise"), rounded(double(residentAfter - residentBefore) / count)}});
    std::_Exit(0); // the figure is printed; tearing a million promises down would only cost time
}

} // namespace qtm::bench
