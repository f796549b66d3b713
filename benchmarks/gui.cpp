// gui_max_stall_ms and model_updates_per_s: a view-less event loop under a steady stream of task lifecycles,
// once without and once with the QML task model attached. A zero-interval timer fires once per loop turn;
// the longest gap between two of its firings is the longest the loop (a GUI thread) was unavailable.
//
// model_prune_ms_*: one batch of the task model that prunes every other row of a long list (the worst
// scatter: as many removed ranges as removed rows); model_prune_filtered_ms_*: the same with a
// TaskFilterModel on the model, as a view would have one.

#include "benchcommon.h"

#include <qtm/taskmanager.h>

#ifdef QTM_BENCH_HAVE_MODEL
#include <qtm/quick/taskfiltermodel.h>
#include <qtm/quick/tasklistmodel.h>
#endif

#include <QtCore/QCoreApplication>
#include <QtCore/QJsonObject>
#include <QtCore/QTimer>

#include <algorithm>
#include <ctime>

namespace qtm::bench {

namespace {

qtm::Coro<int> trivialCoroutine()
{
    co_return 42;
}

// A thread's CPU time comes from POSIX clock_gettime(CLOCK_THREAD_CPUTIME_ID). Where that clock is missing
// (MSVC's C library) the CPU-time figures are reported as null.
#ifdef CLOCK_THREAD_CPUTIME_ID
constexpr bool haveThreadCpuClock = true;
#else
constexpr bool haveThreadCpuClock = false;
#endif

//! CPU time this thread has used, in ms: a gap in it is work done on the loop, not time lost to preemption.
double threadCpuMs()
{
#ifdef CLOCK_THREAD_CPUTIME_ID
    timespec now{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return double(now.tv_sec) * 1e3 + double(now.tv_nsec) / 1e6;
#else
    return 0;
#endif
}

struct LoadResult
{
    double maxGapMs = 0;
    double maxCpuGapMs = 0;
    double maxBatchMs = -1;
    double p99GapMs = 0;
    qint64 lifecycles = 0;
    double seconds = 0;
    qint64 modelBatches = -1;
};

LoadResult runLoad(int seconds, int ratePerSecond, bool withModel)
{
    qtm::TaskManager manager;
    qint64 finished = 0;
    QObject::connect(&manager, &qtm::TaskManager::taskFinished, &manager, [&finished] { ++finished; });
#ifdef QTM_BENCH_HAVE_MODEL
    std::optional<qtm::TaskListModel> model;
    if (withModel) {
        model.emplace();
        model->setManager(&manager);
    }
#else
    Q_UNUSED(withModel);
#endif

    LoadResult result;
    // A histogram in microseconds, not a list: growing a list of millions of gaps would itself stall the loop.
    std::vector<qint64> histogram(100'001, 0);
    qint64 beats = 0;
    QEventLoop loop;
    QTimer generator;
    generator.setTimerType(Qt::PreciseTimer);
    generator.setInterval(1);
    QTimer heartbeat;
    heartbeat.setInterval(0);

    const auto start = Clock::now();
    auto lastBeat = start;
    double lastBeatCpu = threadCpuMs();
    qint64 created = 0;
    QObject::connect(&generator, &QTimer::timeout, &loop, [&] {
        const double elapsed = nsSince(start) / 1e9;
        if (elapsed >= seconds) {
            generator.stop();
            heartbeat.stop();
            result.seconds = elapsed;
#ifdef QTM_BENCH_HAVE_MODEL
            if (model) {
                result.modelBatches = model->updateBatches();
                result.maxBatchMs = model->maxUpdateDuration();
            }
#endif
            loop.quit();
            return;
        }
        // Create what is due by now, so the rate holds even when a turn came late.
        const auto due = qint64(elapsed * ratePerSecond);
        for (; created < due; ++created)
            manager.createTask(trivialCoroutine());
    });
    QObject::connect(&heartbeat, &QTimer::timeout, &loop, [&] {
        const auto now = Clock::now();
        const double gapMs = std::chrono::duration<double, std::milli>(now - lastBeat).count();
        result.maxGapMs = std::max(result.maxGapMs, gapMs);
        ++histogram[std::min<size_t>(size_t(gapMs * 1000), histogram.size() - 1)];
        ++beats;
        lastBeat = now;
        const double cpu = threadCpuMs();
        result.maxCpuGapMs = std::max(result.maxCpuGapMs, cpu - lastBeatCpu);
        lastBeatCpu = cpu;
    });
    generator.start();
    heartbeat.start();
    loop.exec();

    while (finished < created)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
    result.lifecycles = finished;
    qint64 seen = 0;
    for (size_t us = 0; us < histogram.size(); ++us) {
        seen += histogram[us];
        if (seen * 100 >= beats * 99) {
            result.p99GapMs = double(us) / 1000;
            break;
        }
    }
    return result;
}

#ifdef QTM_BENCH_HAVE_MODEL
qtm::Coro<void> sleeper()
{
    co_await qtm::sleep(std::chrono::hours(24));
}

//! Waits, turning the loop, until \a done() holds.
template<typename F>
void turnUntil(F done)
{
    while (!done())
        QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
}

double pruneScatteredMs(int rows, bool filtered)
{
    qtm::TaskManager manager;
    qtm::TaskListModel model;
    model.setUpdateInterval(24 * 3600 * 1000); // batches only on flush()
    model.setElapsedRefreshInterval(0);
    model.setHistoryLength(0);
    model.setManager(&manager);
    qtm::TaskFilterModel filter;
    if (filtered)
        filter.setSourceModel(&model);

    std::vector<qtm::Task> tasks;
    tasks.reserve(size_t(rows));
    for (int i = 0; i < rows; ++i)
        tasks.push_back(manager.createTask(sleeper()));
    turnUntil([&] {
        return std::all_of(tasks.cbegin(), tasks.cend(),
                           [](const qtm::Task &task) { return task.state() == qtm::TaskState::Running; });
    });
    model.flush();

    for (int i = 0; i < rows; i += 2)
        (void)manager.cancelTask(tasks[size_t(i)]);
    turnUntil([&] { return manager.taskCount() == rows / 2; });
    QCoreApplication::processEvents();

    const auto start = Clock::now();
    model.flush();
    const double ms = nsSince(start) / 1e6;
    if (model.rowCount() != rows / 2 || (filtered && filter.rowCount() != rows / 2))
        qFatal("model_prune: %d rows left in the model, %d in the filter; expected %d", model.rowCount(),
               filter.rowCount(), rows / 2);
    manager.cancelAllTasks();
    turnUntil([&] { return manager.taskCount() == 0; });
    return ms;
}
#endif

} // namespace

std::optional<double> measurePruneMs(int rows, bool filtered)
{
#ifdef QTM_BENCH_HAVE_MODEL
    return pruneScatteredMs(rows, filtered);
#else
    Q_UNUSED(rows);
    Q_UNUSED(filtered);
    return std::nullopt;
#endif
}

std::optional<QJsonObject> measureGuiLoad(int seconds, int ratePerSecond, bool withModel)
{
#ifndef QTM_BENCH_HAVE_MODEL
    if (withModel)
        return std::nullopt;
#endif
    const LoadResult load = runLoad(seconds, ratePerSecond, withModel);
    QJsonObject result{
        {QStringLiteral("max_gap_ms"), rounded(load.maxGapMs)},
        {QStringLiteral("p99_gap_ms"), rounded(load.p99GapMs)},
        {QStringLiteral("max_cpu_gap_ms"),
         haveThreadCpuClock ? QJsonValue(rounded(load.maxCpuGapMs)) : QJsonValue(QJsonValue::Null)},
        {QStringLiteral("lifecycles"), load.lifecycles},
        {QStringLiteral("seconds"), rounded(load.seconds)},
    };
    if (withModel) {
        result.insert(QStringLiteral("max_batch_ms"), rounded(load.maxBatchMs));
        result.insert(QStringLiteral("updates_per_s"), rounded(double(load.modelBatches) / load.seconds));
    }
    return result;
}

} // namespace qtm::bench
