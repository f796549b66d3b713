// cancelTask(): outcomes, the hard time bound, cancellation that is never swallowed, self- and
// cross-thread cancellation.

#include <qtm/taskmanager.h>

#include "testhelpers.h"

#include <QtCore/QPromise>
#include <QtCore/QSemaphore>
#include <QtCore/QThread>
#include <QtTest>

#include <thread>

using namespace std::chrono_literals;

namespace {

qtm::Coro<void> sleepLong()
{
    co_await qtm::sleep(24h);
}

template<typename T>
T waitFor(const QFuture<T> &future)
{
    if (!QTest::qWaitFor([&] { return future.isFinished(); }, 20000))
        qFatal("future did not finish in 20 s");
    return future.result();
}

} // namespace

class tst_Cancellation : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void cancellingAFinishedTaskReportsAlreadyFinished()
    {
        qtm::TaskManager manager;
        auto task = manager.createTask([]() -> qtm::Coro<int> { co_return 1; }(), QStringLiteral("quick"));
        QTRY_VERIFY(task.isFinished());
        QCOMPARE(waitFor(manager.cancelTask(task)), qtm::CancelOutcome::AlreadyFinished);
        QCOMPARE(task.state(), qtm::TaskState::Succeeded);
    }

    void cancellingTwiceResolvesBothRequests()
    {
        qtm::TaskManager manager;
        auto task = manager.createTask(sleepLong(), QStringLiteral("twice"));
        QTRY_COMPARE(task.state(), qtm::TaskState::Running);
        auto first = manager.cancelTask(task);
        auto second = manager.cancelTask(task, 10s);
        QCOMPARE(waitFor(first), qtm::CancelOutcome::Cancelled);
        QCOMPARE(waitFor(second), qtm::CancelOutcome::Cancelled);
        QCOMPARE(waitFor(manager.cancelTask(task)), qtm::CancelOutcome::AlreadyFinished);
    }

    void aTaskThatFailsDuringCancellationReportsFailedAnyway()
    {
        qtm::TaskManager manager;
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("failed: cleanup broke")));
        auto task = manager.createTask(
            []() -> qtm::Coro<void> {
                try {
                    co_await qtm::sleep(24h);
                } catch (const qtm::CancelledError &) {
                    throw std::runtime_error("cleanup broke");
                }
            }(),
            QStringLiteral("breaks"));
        QTRY_COMPARE(task.state(), qtm::TaskState::Running);
        QCOMPARE(waitFor(manager.cancelTask(task)), qtm::CancelOutcome::FailedAnyway);
        QCOMPARE(task.state(), qtm::TaskState::Failed);
        QCOMPARE(task.errorText(), QStringLiteral("cleanup broke"));
    }

    void theTimeoutIsAHardBoundForATaskThatIgnoresCancellation()
    {
        qtm::TaskManager manager;
        manager.setShutdownTimeout(20s);
        QSemaphore release;
        auto task = manager.createTask(
            [&release]() {
                release.acquire(); // a plain function: it never looks at its flag
                return 7;
            },
            QStringLiteral("stubborn"));
        QTRY_COMPARE(task.state(), qtm::TaskState::Running);
        QVERIFY(!task.isCancellable());
        QTest::ignoreMessage(
            QtWarningMsg,
            QRegularExpression(QStringLiteral("task 'stubborn'.*did not finish within 30 ms.*still running")));
        auto outcome = manager.cancelTask(task, 30ms);
        QCOMPARE(waitFor(outcome), qtm::CancelOutcome::TimedOut);
        QCOMPARE(task.state(), qtm::TaskState::Running);
        QVERIFY2(manager.currentTasks().contains(task), "a timed-out task stays registered as running");

        release.release();
        QTRY_VERIFY(task.isFinished());
        QCOMPARE(task.state(), qtm::TaskState::Succeeded); // it finished, on its own terms
        QCOMPARE(task.future().result(), 7);
    }

    void theTimeoutBoundsACoroutineThatSwallowsCancellation()
    {
        qtm::TaskManager manager;
        auto task = manager.createTask(
            []() -> qtm::Coro<void> {
                for (;;) {
                    try {
                        co_await qtm::sleep(24h);
                    } catch (const qtm::CancelledError &) {
                        // swallowed: keeps going
                    }
                }
            }(),
            QStringLiteral("swallower"));
        QTRY_COMPARE(task.state(), qtm::TaskState::Running);
        QTest::ignoreMessage(QtWarningMsg,
                             QRegularExpression(QStringLiteral("'swallower'.*did not finish within 20 ms")));
        QCOMPARE(waitFor(manager.cancelTask(task, 20ms)), qtm::CancelOutcome::TimedOut);
        QCOMPARE(task.state(), qtm::TaskState::Running);
    }

    void aCallerCancelledWhileAwaitingCancelTaskGetsItsOwnCancellation()
    {
        qtm::TaskManager manager;
        QSemaphore release;
        auto stubborn = manager.createTask([&release] { release.acquire(); }, QStringLiteral("stubborn"));
        QTRY_COMPARE(stubborn.state(), qtm::TaskState::Running);
        QStringList trace;
        auto caller = manager.createTask(
            [](qtm::TaskManager *manager, qtm::Task other, QStringList *trace) -> qtm::Coro<void> {
                try {
                    co_await manager->cancelTask(other); // no timeout: would wait for ever
                    trace->append(QStringLiteral("not reached"));
                } catch (const qtm::CancelledError &) {
                    trace->append(QStringLiteral("caller cancelled"));
                    throw;
                }
            }(&manager, stubborn, &trace),
            QStringLiteral("caller"));
        QTRY_COMPARE(caller.state(), qtm::TaskState::Running);
        QTest::qWait(0);
        QCOMPARE(waitFor(manager.cancelTask(caller)), qtm::CancelOutcome::Cancelled);
        QCOMPARE(trace, QStringList{QStringLiteral("caller cancelled")});
        release.release();
        QTRY_VERIFY(stubborn.isFinished());
    }

    void aTaskCancellingItselfDoesNotDeadlock()
    {
        qtm::TaskManager manager;
        QStringList trace;
        auto task = manager.createTask(
            [](qtm::TaskManager *manager, QStringList *trace) -> qtm::Coro<void> {
                co_await qtm::yield();
                auto outcome = manager->cancelTask(qtm::this_task::task());
                trace->append(QStringLiteral("requested"));
                try {
                    co_await outcome;
                } catch (const qtm::CancelledError &) {
                    trace->append(QStringLiteral("cancelled at next await"));
                    throw;
                }
            }(&manager, &trace),
            QStringLiteral("self"));
        QTRY_VERIFY(task.isFinished());
        QCOMPARE(task.state(), qtm::TaskState::Cancelled);
        QCOMPARE(trace, (QStringList{QStringLiteral("requested"), QStringLiteral("cancelled at next await")}));
    }

    void cancellingFromAnotherThreadIsSafe()
    {
        qtm::TaskManager manager;
        auto task = manager.createTask(sleepLong(), QStringLiteral("remote"));
        QTRY_COMPARE(task.state(), qtm::TaskState::Running);
        QFuture<qtm::CancelOutcome> outcome;
        std::thread thread([&] { outcome = manager.cancelTask(task, 10s); });
        thread.join(); // std::thread: ThreadSanitizer sees the join
        QCOMPARE(waitFor(outcome), qtm::CancelOutcome::Cancelled);
        QCOMPARE(task.state(), qtm::TaskState::Cancelled);
    }

    void aTaskCancelledFromAnotherThreadBeforeItStartsNeverRuns()
    {
        qtm::TaskManager manager;
        bool ran = false;
        qtm::Task task;
        QFuture<qtm::CancelOutcome> outcome;
        std::thread thread([&] {
            task = manager.createTask(
                [](bool *ran) -> qtm::Coro<void> {
                    *ran = true;
                    co_return;
                }(&ran),
                QStringLiteral("remote create"));
            outcome = manager.cancelTask(task);
        });
        thread.join(); // std::thread: ThreadSanitizer sees the join
        QCOMPARE(waitFor(outcome), qtm::CancelOutcome::Cancelled);
        QVERIFY(!ran);
    }

    void cancelAllTasksCancelsEveryKind()
    {
        qtm::TaskManager manager;
        QPromise<int> promise;
        promise.start();
        auto coroutine = manager.createTask(sleepLong(), QStringLiteral("coroutine"));
        auto thread = manager.createTask(
            [](qtm::TaskControl &control) {
                while (!control.isCancelled())
                    QThread::yieldCurrentThread();
            },
            QStringLiteral("thread"));
        auto adopted = manager.createTask(promise.future(), QStringLiteral("adopted"));
        QTRY_VERIFY(thread.state() == qtm::TaskState::Running && coroutine.state() == qtm::TaskState::Running);
        QCOMPARE(manager.cancelAllTasks(), 3);
        QTRY_VERIFY(coroutine.isFinished() && thread.isFinished());
        QVERIFY(promise.isCanceled());
        promise.finish();
        QTRY_VERIFY(adopted.isFinished());
        for (const qtm::Task &task : {qtm::Task(coroutine), qtm::Task(thread), qtm::Task(adopted)})
            QCOMPARE(task.state(), qtm::TaskState::Cancelled);
        QCOMPARE(manager.taskCount(), 0);
    }
};

QTEST_GUILESS_MAIN(tst_Cancellation)
#include "tst_cancellation.moc"
