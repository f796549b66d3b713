// The per-task lifecycle figures and their hand-written baselines, one repetition per call.

#include "benchcommon.h"

#include <qtm/taskmanager.h>

#include <QtConcurrent/QtConcurrent>
#include <QtCore/QObject>
#include <QtCore/QPromise>
#include <QtCore/QSemaphore>
#include <QtCore/QThreadPool>

#include <utility>

#ifdef QTM_BENCH_HAVE_QCORO
#include <QCoro/QCoroTask>
#endif

namespace qtm::bench {

namespace {

qtm::Coro<int> trivialCoroutine()
{
    co_return 42;
}

//! The trivial coroutine with kAwaits awaits on the way: each one suspends (recording what it waits on
//! and where), is resumed on the next loop turn, and withdraws that record.
qtm::Coro<int> awaitingCoroutine()
{
    for (int i = 0; i < kAwaits; ++i)
        co_await qtm::yield();
    co_return 42;
}

#ifdef QTM_BENCH_HAVE_QCORO
QCoro::Task<int> trivialQCoro()
{
    co_return 42;
}
#endif

//! Connects a slot to every signal of the manager, as an application that shows its tasks would.
void connectEverySignal(qtm::TaskManager &manager, qint64 &signalCount)
{
    auto count = [&signalCount] { ++signalCount; };
    QObject::connect(&manager, &qtm::TaskManager::taskCreated, &manager, count);
    QObject::connect(&manager, &qtm::TaskManager::taskStarted, &manager, count);
    QObject::connect(&manager, &qtm::TaskManager::taskProgressChanged, &manager, count);
    QObject::connect(&manager, &qtm::TaskManager::taskSucceeded, &manager, count);
    QObject::connect(&manager, &qtm::TaskManager::taskFailed, &manager, count);
    QObject::connect(&manager, &qtm::TaskManager::taskCancelled, &manager, count);
    QObject::connect(&manager, &qtm::TaskManager::taskCountChanged, &manager, count);
}

//! Creates \a tasks tasks with \a create on a manager whose every signal is connected, and times them
//! until the last taskFinished.
template<typename Create>
double managedLifecycleNs(int tasks, Create create)
{
    qtm::TaskManager manager;
    qint64 signalCount = 0;
    connectEverySignal(manager, signalCount);
    Countdown done(tasks);
    QObject::connect(&manager, &qtm::TaskManager::taskFinished, &manager, [&done] { done.hit(); });
    MeasuredRegion region;
    for (int i = 0; i < tasks; ++i)
        create(manager);
    done.wait();
    return region.stopNs() / tasks;
}

} // namespace

double coroFloorNs(int tasks)
{
    // The same work by hand: a started QPromise, the coroutine, one queued invocation that runs it on the
    // loop, delivers its result and finishes the promise.
    QObject context;
    Countdown done(tasks);
    qint64 results = 0;
    MeasuredRegion region;
    for (int i = 0; i < tasks; ++i) {
        QPromise<int> promise;
        promise.start();
        QMetaObject::invokeMethod(
            &context,
            [promise = std::move(promise), coroutine = trivialCoroutine(), &done, &results]() mutable {
                coroutine.handle().resume();
                const int value = coroutine.handle().promise().takeResult();
                results += value;
                promise.addResult(value);
                promise.finish();
                done.hit();
            },
            Qt::QueuedConnection);
    }
    done.wait();
    return region.stopNs() / tasks;
}

double coroLifecycleNs(int tasks)
{
    return managedLifecycleNs(tasks, [](qtm::TaskManager &manager) { (void)manager.createTask(trivialCoroutine()); });
}

double coroAwaitsLifecycleNs(int tasks)
{
    return managedLifecycleNs(tasks, [](qtm::TaskManager &manager) { (void)manager.createTask(awaitingCoroutine()); });
}

std::optional<double> qcoroLifecycleNs(int tasks)
{
#ifdef QTM_BENCH_HAVE_QCORO
    // QCoro tasks start eagerly, so each is started by the same one queued invocation as the floor, and
    // its completion is observed with .then().
    QObject context;
    Countdown done(tasks);
    MeasuredRegion region;
    for (int i = 0; i < tasks; ++i) {
        QMetaObject::invokeMethod(
            &context, [&done] { trivialQCoro().then([&done](int) { done.hit(); }); }, Qt::QueuedConnection);
    }
    done.wait();
    return region.stopNs() / tasks;
#else
    Q_UNUSED(tasks);
    return std::nullopt;
#endif
}

namespace {
/*!
 * Occupies every thread of a pool until release(), so that what is started meanwhile waits in the pool's
 * queue (first in, first out: nothing started after the hold runs before it).
 */
class PoolHold
{
public:
    explicit PoolHold(QThreadPool *pool) : m_threads(pool->maxThreadCount())
    {
        for (int i = 0; i < m_threads; ++i)
            pool->start([] { gate().acquire(); });
    }
    ~PoolHold() { release(); }
    PoolHold(const PoolHold &) = delete;
    PoolHold &operator=(const PoolHold &) = delete;

    void release() { gate().release(std::exchange(m_threads, 0)); }

private:
    // The holding runnables capture nothing: they may still be returning from acquire() after the hold is
    // gone, and whatever they carried would reach the pool thread through Qt's queue, out of
    // ThreadSanitizer's sight.
    static QSemaphore &gate()
    {
        static QSemaphore semaphore;
        return semaphore;
    }

    int m_threads;
};
} // namespace

double poolFloorNs(int tasks)
{
    // Every continuation is attached before its task can finish: the pool is held until then. Qt 6.4 runs
    // a continuation twice when `.then()` is attached while another thread is finishing the future (it
    // sees Finished, runs the continuation here and keeps it; the finishing thread then runs it again with
    // its promise moved out), which crashed this floor now and then (issue 8; tests/stress/tst_benchpool).
    QObject context;
    Countdown done(tasks);
    QThreadPool *pool = QThreadPool::globalInstance();
    PoolHold hold(pool);
    MeasuredRegion region;
    for (int i = 0; i < tasks; ++i)
        QtConcurrent::run(pool, [] { return 42; }).then(&context, [&done](int) { done.hit(); });
    hold.release();
    done.wait();
    return region.stopNs() / tasks;
}

void pinGlobalThreadPool(int threads)
{
    QThreadPool *pool = QThreadPool::globalInstance();
    pool->setMaxThreadCount(threads);
    pool->setExpiryTimeout(-1);
    // Each runnable waits until all have started, so each holds a thread of its own: every thread exists.
    // (QThreadPool::waitForDone() would stop them all again.) The semaphores are static, as in PoolHold: a
    // runnable may still be returning from release() when this function has returned.
    static QSemaphore arrived;
    static QSemaphore leave;
    static QSemaphore left;
    for (int i = 0; i < threads; ++i) {
        pool->start([] {
            arrived.release();
            leave.acquire();
            left.release();
        });
    }
    arrived.acquire(threads);
    leave.release(threads);
    left.acquire(threads);
}

double poolLifecycleNs(int tasks)
{
    return managedLifecycleNs(tasks, [](qtm::TaskManager &manager) { (void)manager.createTask([] { return 42; }); });
}

namespace {
struct CleanupClock
{
    Clock::time_point *ranAt;
    ~CleanupClock() { *ranAt = Clock::now(); }
};

qtm::Coro<void> sleepUntilCancelled(Clock::time_point *cleanedUpAt)
{
    CleanupClock cleanup{cleanedUpAt};
    co_await qtm::sleep(std::chrono::hours(1));
}
} // namespace

std::vector<double> cancelLatenciesUs(int samples)
{
    qtm::TaskManager manager;
    qint64 signalCount = 0;
    connectEverySignal(manager, signalCount);
    Countdown started(1);
    Countdown finished(1);
    QObject::connect(&manager, &qtm::TaskManager::taskStarted, &manager, [&started] { started.hit(); });
    QObject::connect(&manager, &qtm::TaskManager::taskFinished, &manager, [&finished] { finished.hit(); });

    std::vector<double> latencies;
    latencies.reserve(samples);
    for (int i = 0; i < samples; ++i) {
        Clock::time_point cleanedUpAt;
        started.reset(1);
        finished.reset(1);
        const qtm::Task task = manager.createTask(sleepUntilCancelled(&cleanedUpAt));
        // taskStarted is emitted just before the first resumption, in the same loop turn: once the nested
        // loop has returned, the coroutine is suspended in its sleep.
        started.wait();
        const auto requested = Clock::now();
        const QFuture<qtm::CancelOutcome> outcome = manager.cancelTask(task);
        finished.wait();
        latencies.push_back(std::chrono::duration<double, std::micro>(cleanedUpAt - requested).count());
        Q_UNUSED(outcome);
    }
    return latencies;
}

} // namespace qtm::bench
