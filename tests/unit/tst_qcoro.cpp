// The QCoro component: QCoro tasks and awaitables awaited from a qtm::Coro and run as managed tasks, and
// what cancellation does across the boundary (the qtm side stops waiting; the QCoro side runs on to its
// end, its outcome dropped, its frame destroyed).

#include <qtm/qcoro.h>
#include <qtm/taskmanager.h>

#include "testhelpers.h"

#include <QCoroSignal>
#include <QCoroTimer>

#include <QtCore/QThread>
#include <QtCore/QTimer>
#include <QtTest>

#include <memory>
#include <stdexcept>

using namespace std::chrono_literals;
using qtmtest::EventLog;
using qtmtest::LifeCounter;
using qtmtest::LoopTurns;

namespace {

constexpr int bound = 10000; // ms: generous, for a loaded machine

//! A timer the test fires when it chooses: QCoro's QTimer awaitable waits on it.
class Gate
{
public:
    Gate()
    {
        m_timer.setSingleShot(true);
        m_timer.start(24h);
    }
    void open() { m_timer.start(0); }
    QTimer &timer() { return m_timer; }

private:
    QTimer m_timer;
};

//! What the QCoro side did, in order.
using Trace = QStringList;

// Each QCoro coroutine takes a LifeCounter by value: parameters live in the frame until it is destroyed, so
// LifeCounter::alive counts the QCoro frames not yet freed. The counter is passed explicitly, not as a
// default argument: GCC 12 was seen to skip destroying a default argument within a co_await expression.

QCoro::Task<int> qcoroValueAfter(Gate *gate, Trace *trace, int value, [[maybe_unused]] LifeCounter frame)
{
    trace->append(QStringLiteral("qcoro waits"));
    co_await gate->timer(); // QCoro's own QTimer awaitable
    trace->append(QStringLiteral("qcoro resumed"));
    co_return value;
}

QCoro::Task<void> qcoroVoidAfter(Gate *gate, Trace *trace, [[maybe_unused]] LifeCounter frame)
{
    co_await qCoro(gate->timer()).waitForTimeout();
    trace->append(QStringLiteral("qcoro void done"));
}

QCoro::Task<int> qcoroFailAfter(Gate *gate, Trace *trace, [[maybe_unused]] LifeCounter frame)
{
    co_await gate->timer();
    trace->append(QStringLiteral("qcoro throws"));
    throw std::runtime_error("disk full");
}

QCoro::Task<int> qcoroFail(bool afterSuspending, Gate *gate, Trace *trace)
{
    if (!afterSuspending)
        throw std::runtime_error("bad input");
    co_return co_await qcoroFailAfter(gate, trace, LifeCounter());
}

QCoro::Task<int> qcoroReady(int value)
{
    co_return value;
}

struct Owned
{
    LifeCounter counter;
};

//! Delivers a heap object (counted by its own counter) to whoever still waits.
QCoro::Task<std::unique_ptr<Owned>> qcoroOwnedAfter(Gate *gate, int *delivered)
{
    co_await gate->timer();
    ++*delivered;
    co_return std::make_unique<Owned>();
}

} // namespace

class tst_QCoro : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init() { LifeCounter::reset(); }
    void cleanup()
    {
        // Every test ends with the QCoro side finished: no frame, no result is left behind.
        QTRY_COMPARE_WITH_TIMEOUT(LifeCounter::alive.load(), 0, bound);
    }

    void aCoroAwaitsAQCoroTaskAndGetsItsValue()
    {
        qtm::TaskManager manager;
        Gate gate;
        Trace trace;
        auto task = manager.createTask(
            [&]() -> qtm::Coro<int> {
                // Made before the co_await, so that only its frame holds a counter while it is suspended.
                QCoro::Task<int> started = qcoroValueAfter(&gate, &trace, 41, LifeCounter());
                const int value = co_await qtm::fromQCoro(std::move(started));
                co_return value + 1;
            },
            QStringLiteral("sum"));
        QTRY_COMPARE_WITH_TIMEOUT(trace, Trace{QStringLiteral("qcoro waits")}, bound);

        // Suspended on QCoro's side, the loop keeps turning.
        LoopTurns turns;
        QTRY_VERIFY_WITH_TIMEOUT(turns.turns > 3, bound);
        QCOMPARE(task.state(), qtm::TaskState::Running);
        QCOMPARE(LifeCounter::alive.load(), 1);

        gate.open();
        QTRY_VERIFY_WITH_TIMEOUT(task.isFinished(), bound);
        QCOMPARE(task.state(), qtm::TaskState::Succeeded);
        QCOMPARE(task.future().result(), 42);
        QCOMPARE(trace, (Trace{QStringLiteral("qcoro waits"), QStringLiteral("qcoro resumed")}));
    }

    void aCoroAwaitsAVoidQCoroTask()
    {
        qtm::TaskManager manager;
        Gate gate;
        Trace trace;
        auto task = manager.createTask(
            [&]() -> qtm::Coro<void> {
                QCoro::Task<void> started = qcoroVoidAfter(&gate, &trace, LifeCounter());
                co_await qtm::fromQCoro(std::move(started));
                trace.append(QStringLiteral("qtm goes on"));
            },
            QStringLiteral("void"));
        QTRY_COMPARE_WITH_TIMEOUT(task.state(), qtm::TaskState::Running, bound);
        QCOMPARE(LifeCounter::alive.load(), 1);
        gate.open();
        QTRY_VERIFY_WITH_TIMEOUT(task.isFinished(), bound);
        QCOMPARE(task.state(), qtm::TaskState::Succeeded);
        QCOMPARE(trace, (Trace{QStringLiteral("qcoro void done"), QStringLiteral("qtm goes on")}));
    }

    void aCoroAwaitsQCorosAwaitables()
    {
        qtm::TaskManager manager;
        Gate gate;
        qtmtest::Emitter emitter;
        auto task = manager.createTask(
            [&]() -> qtm::Coro<int> {
                co_await qtm::fromQCoro(gate.timer()); // a QTimer, awaited in place
                co_await qtm::fromQCoro(QCoro::sleepFor(1ms)); // a QCoro::Task<void>
                co_return co_await qtm::fromQCoro(qCoro(&emitter, &qtmtest::Emitter::value)); // a signal
            },
            QStringLiteral("awaitables"));
        QTRY_COMPARE_WITH_TIMEOUT(task.state(), qtm::TaskState::Running, bound);
        gate.open();
        QTRY_VERIFY_WITH_TIMEOUT(emitter.isConnected(&qtmtest::Emitter::value), bound);
        Q_EMIT emitter.value(7);
        QTRY_VERIFY_WITH_TIMEOUT(task.isFinished(), bound);
        QCOMPARE(task.state(), qtm::TaskState::Succeeded);
        QCOMPARE(task.future().result(), 7);
    }

    void aQCoroTaskThatFinishedAlreadyGivesItsValueAtOnce()
    {
        qtm::TaskManager manager;
        auto task = manager.createTask(qtm::fromQCoro(qcoroReady(5)), QStringLiteral("ready"));
        QTRY_VERIFY_WITH_TIMEOUT(task.isFinished(), bound);
        QCOMPARE(task.state(), qtm::TaskState::Succeeded);
        QCOMPARE(task.future().result(), 5);
    }

    void anExceptionOnTheQCoroSideIsRethrownFromTheCoAwait_data()
    {
        QTest::addColumn<bool>("afterSuspending");
        QTest::newRow("thrown after suspending") << true;
        QTest::newRow("thrown before suspending") << false;
    }

    void anExceptionOnTheQCoroSideIsRethrownFromTheCoAwait()
    {
        QFETCH(bool, afterSuspending);
        qtm::TaskManager manager;
        Gate gate;
        Trace trace;
        QString caught;
        auto task = manager.createTask(
            [&]() -> qtm::Coro<int> {
                try {
                    co_return co_await qtm::fromQCoro(qcoroFail(afterSuspending, &gate, &trace));
                } catch (const std::runtime_error &error) {
                    caught = QString::fromUtf8(error.what());
                }
                co_return -1;
            },
            QStringLiteral("catching"));
        gate.open();
        QTRY_VERIFY_WITH_TIMEOUT(task.isFinished(), bound);
        QCOMPARE(task.state(), qtm::TaskState::Succeeded);
        QCOMPARE(task.future().result(), -1);
        QCOMPARE(caught, afterSuspending ? QStringLiteral("disk full") : QStringLiteral("bad input"));
    }

    void cancellingTheAwaitingTaskStopsItWaitingAndTheQCoroSideRunsOnToItsEnd()
    {
        qtm::TaskManager manager;
        EventLog log(&manager);
        Gate gate;
        Trace trace;
        bool qtmCleanedUp = false;
        bool qtmWentOn = false;
        auto task = manager.createTask(
            [&]() -> qtm::Coro<int> {
                struct Cleanup
                {
                    bool *done;
                    ~Cleanup() { *done = true; }
                } cleanup{&qtmCleanedUp};
                const int value = co_await qtm::fromQCoro(qcoroValueAfter(&gate, &trace, 1, LifeCounter()));
                qtmWentOn = true;
                co_return value;
            },
            QStringLiteral("waiter"));
        QTRY_COMPARE_WITH_TIMEOUT(trace, Trace{QStringLiteral("qcoro waits")}, bound);

        // The QCoro coroutine is suspended on its QTimer: the qtm task stops waiting for it at once.
        auto outcome = manager.cancelTask(task, 60s);
        QTRY_VERIFY_WITH_TIMEOUT(outcome.isFinished(), bound);
        QCOMPARE(outcome.result(), qtm::CancelOutcome::Cancelled);
        QCOMPARE(task.state(), qtm::TaskState::Cancelled);
        QVERIFY(task.future().isCanceled());
        QVERIFY(qtmCleanedUp);
        QVERIFY(!qtmWentOn);
        QCOMPARE(trace, Trace{QStringLiteral("qcoro waits")});
        QCOMPARE(LifeCounter::alive.load(), 1); // the QCoro frame was not touched

        // Later, the QCoro side ends on its own; its value goes nowhere and its frame is destroyed.
        gate.open();
        QTRY_COMPARE_WITH_TIMEOUT(LifeCounter::alive.load(), 0, bound);
        QCOMPARE(trace, (Trace{QStringLiteral("qcoro waits"), QStringLiteral("qcoro resumed")}));
        QVERIFY(!qtmWentOn);
        QCOMPARE(task.state(), qtm::TaskState::Cancelled);
        QCOMPARE(log.eventsOf(QStringLiteral("waiter")),
                 (QStringList{QStringLiteral("created"), QStringLiteral("started"), QStringLiteral("cancelled"),
                              QStringLiteral("finished")}));
    }

    void aQCoroFailureAfterTheWaiterWasCancelledIsDropped()
    {
        qtm::TaskManager manager;
        EventLog log(&manager);
        Gate gate;
        Trace trace;
        auto task = manager.createTask(
            [&]() -> qtm::Coro<int> {
                co_return co_await qtm::fromQCoro(qcoroFailAfter(&gate, &trace, LifeCounter()));
            },
            QStringLiteral("waiter"));
        QTRY_COMPARE_WITH_TIMEOUT(task.state(), qtm::TaskState::Running, bound);
        auto outcome = manager.cancelTask(task, 60s);
        QTRY_VERIFY_WITH_TIMEOUT(outcome.isFinished(), bound);
        QCOMPARE(outcome.result(), qtm::CancelOutcome::Cancelled);

        gate.open();
        QTRY_COMPARE_WITH_TIMEOUT(trace, Trace{QStringLiteral("qcoro throws")}, bound);
        QTRY_COMPARE_WITH_TIMEOUT(LifeCounter::alive.load(), 0, bound);
        QCOMPARE(task.state(), qtm::TaskState::Cancelled);
        QVERIFY(task.errorText().isEmpty());
        QVERIFY(log.errors.isEmpty());
    }

    void aResultTheQCoroSideDeliversAfterTheCancellationIsDestroyed()
    {
        qtm::TaskManager manager;
        Gate gate;
        int delivered = 0;
        auto task = manager.createTask(
            [&]() -> qtm::Coro<void> { auto owned = co_await qtm::fromQCoro(qcoroOwnedAfter(&gate, &delivered)); },
            QStringLiteral("owner"));
        QTRY_COMPARE_WITH_TIMEOUT(task.state(), qtm::TaskState::Running, bound);
        auto outcome = manager.cancelTask(task);
        QTRY_VERIFY_WITH_TIMEOUT(outcome.isFinished(), bound);
        QCOMPARE(outcome.result(), qtm::CancelOutcome::Cancelled);
        QCOMPARE(task.state(), qtm::TaskState::Cancelled);
        QCOMPARE(LifeCounter::constructed.load(), 0);

        gate.open();
        QTRY_COMPARE_WITH_TIMEOUT(delivered, 1, bound);
        QCOMPARE(LifeCounter::constructed.load(), 1);
        QTRY_COMPARE_WITH_TIMEOUT(LifeCounter::alive.load(), 0, bound);
    }

    void aQCoroTaskRunsAsAManagedTaskWithItsResult()
    {
        qtm::TaskManager manager;
        EventLog log(&manager);
        Gate gate;
        Trace trace;
        auto task = manager.createTask(qtm::fromQCoro(qcoroValueAfter(&gate, &trace, 9, LifeCounter())),
                                       QStringLiteral("adopted"));
        QTRY_COMPARE_WITH_TIMEOUT(task.state(), qtm::TaskState::Running, bound);
        QCOMPARE(manager.currentTasks().size(), 1);
        gate.open();
        QTRY_VERIFY_WITH_TIMEOUT(task.isFinished(), bound);
        QCOMPARE(task.state(), qtm::TaskState::Succeeded);
        QCOMPARE(task.future().result(), 9);
        QCOMPARE(log.eventsOf(QStringLiteral("adopted")),
                 (QStringList{QStringLiteral("created"), QStringLiteral("started"), QStringLiteral("succeeded"),
                              QStringLiteral("finished")}));
    }

    void aVoidQCoroTaskRunsAsAManagedTask()
    {
        qtm::TaskManager manager;
        Gate gate;
        Trace trace;
        auto task = manager.createTask(qtm::fromQCoro(qcoroVoidAfter(&gate, &trace, LifeCounter())),
                                       QStringLiteral("adopted"));
        QTRY_COMPARE_WITH_TIMEOUT(task.state(), qtm::TaskState::Running, bound);
        gate.open();
        QTRY_VERIFY_WITH_TIMEOUT(task.isFinished(), bound);
        QCOMPARE(task.state(), qtm::TaskState::Succeeded);
        QCOMPARE(trace, Trace{QStringLiteral("qcoro void done")});
    }

    void aFailingQCoroTaskFailsItsManagedTask()
    {
        qtm::TaskManager manager;
        EventLog log(&manager);
        Gate gate;
        Trace trace;
        auto task = manager.createTask(qtm::fromQCoro(qcoroFailAfter(&gate, &trace, LifeCounter())),
                                       QStringLiteral("adopted"));
        QTRY_COMPARE_WITH_TIMEOUT(task.state(), qtm::TaskState::Running, bound);
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("'adopted'.*failed: disk full")));
        gate.open();
        QTRY_VERIFY_WITH_TIMEOUT(task.isFinished(), bound);
        QCOMPARE(task.state(), qtm::TaskState::Failed);
        QVERIFY2(task.errorText().contains(QStringLiteral("disk full")), qPrintable(task.errorText()));
        QVERIFY(task.exception());
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, task.future().waitForFinished());
        QCOMPARE(log.errors.size(), 1);
        QVERIFY(log.errors.first().contains(QStringLiteral("disk full")));
    }

    void cancellingAManagedQCoroTaskEndsItAtOnceAndTheQCoroSideRunsOn()
    {
        qtm::TaskManager manager;
        EventLog log(&manager);
        Gate gate;
        Trace trace;
        auto task = manager.createTask(qtm::fromQCoro(qcoroValueAfter(&gate, &trace, 3, LifeCounter())),
                                       QStringLiteral("adopted"));
        QTRY_COMPARE_WITH_TIMEOUT(task.state(), qtm::TaskState::Running, bound);

        auto outcome = manager.cancelTask(task, 60s);
        QTRY_VERIFY_WITH_TIMEOUT(outcome.isFinished(), bound);
        QCOMPARE(outcome.result(), qtm::CancelOutcome::Cancelled);
        QCOMPARE(task.state(), qtm::TaskState::Cancelled);
        QVERIFY(manager.currentTasks().isEmpty());
        QCOMPARE(trace, Trace{QStringLiteral("qcoro waits")});
        QCOMPARE(LifeCounter::alive.load(), 1);

        gate.open();
        QTRY_COMPARE_WITH_TIMEOUT(LifeCounter::alive.load(), 0, bound);
        QCOMPARE(trace, (Trace{QStringLiteral("qcoro waits"), QStringLiteral("qcoro resumed")}));
        QCOMPARE(task.state(), qtm::TaskState::Cancelled);
        QCOMPARE(task.future().resultCount(), 0);
        QCOMPARE(log.eventsOf(QStringLiteral("adopted")),
                 (QStringList{QStringLiteral("created"), QStringLiteral("started"), QStringLiteral("cancelled"),
                              QStringLiteral("finished")}));
    }

    void aManagedQCoroTaskCancelledBeforeItStartedLetsTheQCoroSideRunOn()
    {
        qtm::TaskManager manager;
        EventLog log(&manager);
        Gate gate;
        Trace trace;
        auto task = manager.createTask(qtm::fromQCoro(qcoroValueAfter(&gate, &trace, 3, LifeCounter())),
                                       QStringLiteral("adopted"));
        auto outcome = manager.cancelTask(task);
        QTRY_VERIFY_WITH_TIMEOUT(outcome.isFinished(), bound);
        QCOMPARE(outcome.result(), qtm::CancelOutcome::Cancelled);
        QCOMPARE(task.state(), qtm::TaskState::Cancelled);
        QCOMPARE(log.eventsOf(QStringLiteral("adopted")),
                 (QStringList{QStringLiteral("created"), QStringLiteral("cancelled"), QStringLiteral("finished")}));
        // QCoro tasks start eagerly: it was already waiting, and waits on.
        QCOMPARE(trace, Trace{QStringLiteral("qcoro waits")});
        QCOMPARE(LifeCounter::alive.load(), 1);
        gate.open();
        QTRY_COMPARE_WITH_TIMEOUT(LifeCounter::alive.load(), 0, bound);
    }

    void aQCoroTaskInThisThreadRunsUnderAManagerInAnother()
    {
        // The QCoro side runs in this thread; the qtm side waits for it on the manager's own thread.
        QThread loop;
        auto *manager = new qtm::TaskManager({}, &loop);
        Gate gate;
        Trace trace;
        auto finishing = manager->createTask(qtm::fromQCoro(qcoroValueAfter(&gate, &trace, 4, LifeCounter())),
                                             QStringLiteral("a"));
        auto cancelled = manager->createTask(qtm::fromQCoro(qcoroValueAfter(&gate, &trace, 5, LifeCounter())),
                                             QStringLiteral("b"));
        loop.start();
        QTRY_VERIFY_WITH_TIMEOUT(cancelled.state() == qtm::TaskState::Running, bound);
        auto outcome = manager->cancelTask(cancelled, 60s);
        QTRY_VERIFY_WITH_TIMEOUT(outcome.isFinished(), bound);
        QCOMPARE(outcome.result(), qtm::CancelOutcome::Cancelled);
        QCOMPARE(LifeCounter::alive.load(), 2);

        gate.open();
        QTRY_VERIFY_WITH_TIMEOUT(finishing.isFinished(), bound);
        QCOMPARE(finishing.state(), qtm::TaskState::Succeeded);
        QCOMPARE(finishing.future().result(), 4);
        QTRY_COMPARE_WITH_TIMEOUT(LifeCounter::alive.load(), 0, bound);
        QCOMPARE(cancelled.state(), qtm::TaskState::Cancelled);
        manager->deleteLater();
        loop.quit();
        QVERIFY(loop.wait(20000));
    }

    void shutdownDoesNotWaitForAQCoroTask()
    {
        Gate gate;
        Trace trace;
        auto manager = std::make_unique<qtm::TaskManager>();
        auto adopted = manager->createTask(qtm::fromQCoro(qcoroValueAfter(&gate, &trace, 1, LifeCounter())),
                                           QStringLiteral("adopted"));
        auto waiter = manager->createTask(
            [&]() -> qtm::Coro<int> {
                QCoro::Task<int> started = qcoroValueAfter(&gate, &trace, 2, LifeCounter());
                co_return co_await qtm::fromQCoro(std::move(started));
            },
            QStringLiteral("waiter"));
        QTRY_VERIFY_WITH_TIMEOUT(
            adopted.state() == qtm::TaskState::Running && waiter.state() == qtm::TaskState::Running, bound);
        QCOMPARE(LifeCounter::alive.load(), 2);

        manager->setShutdownTimeout(1h); // were it waited for, the test would time out
        const QList<qtm::Task> dangling = manager->shutdown();
        QVERIFY(dangling.isEmpty());
        QCOMPARE(adopted.state(), qtm::TaskState::Cancelled);
        QCOMPARE(waiter.state(), qtm::TaskState::Cancelled);
        manager.reset();

        QCOMPARE(LifeCounter::alive.load(), 2);
        gate.open();
        QTRY_COMPARE_WITH_TIMEOUT(LifeCounter::alive.load(), 0, bound);
    }
};

QTEST_GUILESS_MAIN(tst_QCoro)
#include "tst_qcoro.moc"
