// The thread-pool lifecycle of the benchmark harness (benchmarks/lifecycle.cpp: the QtConcurrent floor and
// ours, interleaved as `qtm-bench` runs them), over and over while busy threads keep every core loaded.
//
// Regression test for issue 8 (bench_smoke segfaulted after "thread-pool lifecycle" now and then): the floor
// attached `.then(context)` to each QtConcurrent::run future while a pool thread could be finishing it. Qt
// 6.4 then runs the continuation twice, once in the attaching thread and once more in the finishing thread,
// the second time with its promise already moved out: QPromise::start() on a null interface.
//
// Sizes: QTM_BENCHPOOL_ROUNDS rounds of QTM_BENCHPOOL_TASKS tasks per variant, beside QTM_BENCHPOOL_BUSY
// busy threads (default: two per core); smaller defaults with a sanitizer, smallest with ThreadSanitizer.

#include "benchcommon.h"
#include "stresshelpers.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QThread>
#include <QtTest>

#include <atomic>
#include <cmath>
#include <thread>
#include <vector>

namespace {

// ThreadSanitizer slows each task tenfold and more, and the busy threads take most of what is left: fewer and
// smaller rounds keep the test within its time bound there.
constexpr bool underThreadSanitizer =
#if defined(__SANITIZE_THREAD__)
    true;
#else
    false;
#endif

//! Threads that spin until destroyed: with more runnable threads than cores, the pool threads are
//! preempted anywhere, including between the steps of a future's completion.
class BusyThreads
{
public:
    explicit BusyThreads(int count)
    {
        for (int i = 0; i < count; ++i) {
            m_threads.emplace_back([this] {
                while (!m_stop.load(std::memory_order_relaxed)) { }
            });
        }
    }
    ~BusyThreads()
    {
        m_stop.store(true, std::memory_order_relaxed);
        for (std::thread &thread : m_threads)
            thread.join();
    }
    BusyThreads(const BusyThreads &) = delete;
    BusyThreads &operator=(const BusyThreads &) = delete;

private:
    std::atomic<bool> m_stop{false};
    std::vector<std::thread> m_threads;
};

} // namespace

class tst_BenchPool : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void theThreadPoolLifecycleFiguresSurviveALoadedMachine()
    {
        const int rounds = int(qtmstress::envNumber("QTM_BENCHPOOL_ROUNDS",
                                                    underThreadSanitizer       ? 4
                                                        : qtmstress::sanitized ? 30
                                                                               : 100));
        const int tasks = int(qtmstress::envNumber("QTM_BENCHPOOL_TASKS", underThreadSanitizer ? 1'500 : 5'000));
        const int busy = int(qtmstress::envNumber("QTM_BENCHPOOL_BUSY", 2 * QThread::idealThreadCount()));
        QVERIFY(rounds > 0 && tasks > 0 && busy >= 0);

        QElapsedTimer clock;
        clock.start();
        const BusyThreads load(busy);
        for (int round = 0; round < rounds; ++round) {
            // Each call returns once every one of its tasks has reported to the loop; a continuation run
            // twice crashes in Qt's continuation code before that.
            const double floorNs = qtm::bench::poolFloorNs(tasks);
            const double oursNs = qtm::bench::poolLifecycleNs(tasks);
            QVERIFY2(std::isfinite(floorNs) && floorNs > 0, qPrintable(QStringLiteral("round %1").arg(round)));
            QVERIFY2(std::isfinite(oursNs) && oursNs > 0, qPrintable(QStringLiteral("round %1").arg(round)));
        }
        qtmstress::reportFigures(QStringLiteral("benchpool: %1 rounds of %2 thread-pool tasks (QtConcurrent floor "
                                                "and ours) beside %3 busy threads in %4 ms")
                                     .arg(rounds)
                                     .arg(tasks)
                                     .arg(busy)
                                     .arg(clock.elapsed()));
    }
};

QTEST_GUILESS_MAIN(tst_BenchPool)
#include "tst_benchpool.moc"
