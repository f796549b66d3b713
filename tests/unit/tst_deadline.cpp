// TaskOptions::deadline: a task still live at its deadline is cancelled with CancelReason::DeadlineExceeded,
// which the handle, the signals, the snapshot and cancelTask()'s outcome all tell apart from a caller's
// cancel. TaskOptions::priority, where it orders anything, is tested with the concurrency limit.

#include <qtm/cancellederror.h>
#include <qtm/taskmanager.h>

#include "testhelpers.h"

#include <QtCore/QPromise>
#include <QtCore/QThreadPool>
#include <QtTest>

#include <atomic>
#include <stdexcept>

using namespace std::chrono_literals;

namespace {

//! A future the test finishes when it wants the task waiting on it to go on.
struct Gate
{
    Gate() { promise.start(); }
    ~Gate() { open(); }
    void open()
    {
        if (!promise.future().isFinished())
            promise.finish();
    }
    QFuture<void> future() { return promise.future(); }
    QPromise<void> promise;
};

//! Waits at \a gate; records the text of the cancellation that reached it, then lets it go on.
qtm::Coro<void> waitRecordingCancel(QFuture<void> gate, QString *cancelText)
{
    try {
        co_await gate;
    } catch (const qtm::CancelledError &error) {
        *cancelText = error.reason();
        throw;
    }
}

qtm::Coro<void> waitAt(QFuture<void> gate)
{
    co_await gate;
}

} // namespace

class tst_Deadline : public QObject
{
    Q_OBJECT

private slots:
    void aCoroutinePastItsDeadlineIsCancelledForThatReason()
    {
        qtmtest::withADeadlineItStartsBefore([](std::chrono::milliseconds deadline, bool &started) {
            qtm::TaskManager manager;
            qtmtest::CancelledReasons seen(manager);
            Gate gate;
            QString cancelText;
            const auto task = manager.createTask(
                [&]() -> qtm::Coro<void> {
                    started = true;
                    co_await waitRecordingCancel(gate.future(), &cancelText);
                },
                {.name = QStringLiteral("slow"), .deadline = deadline});
            QCOMPARE(task.name(), QStringLiteral("slow"));
            QCOMPARE(task.deadline(), task.createdAt().addMSecs(deadline.count()));
            QCOMPARE(task.data().deadline, task.deadline());

            QTRY_VERIFY_WITH_TIMEOUT(task.isFinished(), 20000);
            QCOMPARE(task.state(), qtm::TaskState::Cancelled);
            QCOMPARE(task.cancelReason(), qtm::CancelReason::DeadlineExceeded);
            QCOMPARE(task.data().cancelReason, qtm::CancelReason::DeadlineExceeded);
            QCOMPARE(seen.reasons.value(QStringLiteral("slow")), qtm::CancelReason::DeadlineExceeded);
            QVERIFY(task.future().isCanceled());
            QCOMPARE(qtm::nameOf(task.cancelReason()), QStringLiteral("DeadlineExceeded"));
            // It was never due to expire before its deadline.
            QVERIFY(task.finishedAt() >= task.deadline());
            if (started) // the cancellation that reached its await point names the deadline
                QCOMPARE(cancelText, QStringLiteral("the task's deadline was exceeded"));
        });
    }

    void aCancelTaskWaitingOnATaskItsDeadlineCancelledSaysSo()
    {
        qtmtest::withADeadlineItStartsBefore([](std::chrono::milliseconds deadline, bool &started) {
            qtm::TaskManager manager;
            Gate gate, cleanup;
            bool cancelSeen = false;
            const auto task = manager.createTask(
                [&]() -> qtm::Coro<void> {
                    started = true;
                    try {
                        co_await gate.future();
                    } catch (const qtm::CancelledError &) {
                        cancelSeen = true;
                    }
                    co_await qtm::shield(cleanup.future()); // its cleanup takes a while
                    throw qtm::CancelledError(QStringLiteral("cleaned up"));
                },
                {.name = QStringLiteral("cleaning"), .deadline = deadline});
            QTRY_VERIFY_WITH_TIMEOUT(cancelSeen || task.isFinished(), 20000);
            QCOMPARE(task.cancelReason(), qtm::CancelReason::DeadlineExceeded);
            if (!started)
                return;
            QVERIFY(cancelSeen);

            // A caller's cancel now does not change why it was cancelled, and its outcome tells the deadline.
            auto outcome = manager.cancelTask(task, 20s);
            QCOMPARE(task.cancelReason(), qtm::CancelReason::DeadlineExceeded);
            cleanup.open();
            QTRY_VERIFY_WITH_TIMEOUT(outcome.isFinished(), 20000);
            QCOMPARE(outcome.result(), qtm::CancelOutcome::DeadlineExceeded);
            QCOMPARE(task.state(), qtm::TaskState::Cancelled);
            QCOMPARE(qtm::nameOf(outcome.result()), QStringLiteral("DeadlineExceeded"));
        });
    }

    void aCallersCancelBeforeTheDeadlineIsACallersCancel()
    {
        qtm::TaskManager manager;
        qtmtest::CancelledReasons seen(manager);
        Gate gate;
        const auto task = manager.createTask(waitAt(gate.future()), {.name = QStringLiteral("t"), .deadline = 1h});
        QTRY_COMPARE_WITH_TIMEOUT(task.state(), qtm::TaskState::Running, 20000);
        auto outcome = manager.cancelTask(task);
        QTRY_VERIFY_WITH_TIMEOUT(outcome.isFinished(), 20000);
        QCOMPARE(outcome.result(), qtm::CancelOutcome::Cancelled);
        QCOMPARE(task.cancelReason(), qtm::CancelReason::Requested);
        QCOMPARE(seen.reasons.value(QStringLiteral("t")), qtm::CancelReason::Requested);
    }

    void aTaskThatEndsBeforeItsDeadlineIsUntouched()
    {
        qtm::TaskManager manager;
        const auto task = manager.createTask([]() -> qtm::Coro<int> { co_return 42; }, {.deadline = 1h});
        QTRY_VERIFY_WITH_TIMEOUT(task.isFinished(), 20000);
        QCOMPARE(task.state(), qtm::TaskState::Succeeded);
        QCOMPARE(task.future().result(), 42);
        QCOMPARE(task.cancelReason(), qtm::CancelReason::None);
        QVERIFY(!task.isCancelRequested());
        QVERIFY(task.deadline().isValid());
    }

    void aCooperativeThreadFunctionSeesItsDeadline()
    {
        qtmtest::withADeadlineItStartsBefore([](std::chrono::milliseconds deadline, bool &started) {
            qtm::TaskManager manager;
            std::atomic<bool> ran{false}, sawCancel{false};
            const auto task = manager.createTask(
                [&](qtm::TaskControl &control) {
                    ran = true;
                    QDeadlineTimer bound(20000); // bounded: a broken deadline fails the test, it does not hang
                    while (!control.isCancelled() && !bound.hasExpired())
                        QThread::yieldCurrentThread();
                    sawCancel = control.isCancelled();
                },
                {.name = QStringLiteral("loop"), .deadline = deadline});
            QTRY_VERIFY_WITH_TIMEOUT(task.isFinished(), 30000);
            QCOMPARE(task.state(), qtm::TaskState::Cancelled);
            QCOMPARE(task.cancelReason(), qtm::CancelReason::DeadlineExceeded);
            started = ran.load();
            if (started)
                QVERIFY(sawCancel.load());
        });
    }

    void anAdoptedFutureIsCancelledAtTheDeadline()
    {
        qtm::TaskManager manager;
        QPromise<int> producer;
        producer.start();
        const auto task = manager.createTask(producer.future(), {.name = QStringLiteral("adopted"), .deadline = 30ms});
        QTRY_VERIFY_WITH_TIMEOUT(producer.future().isCanceled(), 20000);
        producer.finish();
        QTRY_VERIFY_WITH_TIMEOUT(task.isFinished(), 20000);
        QCOMPARE(task.state(), qtm::TaskState::Cancelled);
        QCOMPARE(task.cancelReason(), qtm::CancelReason::DeadlineExceeded);
    }

    void aDeadlineAlreadyPassedWhenTheTaskIsScheduledEndsItUnrun()
    {
        qtm::TaskManager manager;
        bool ran = false;
        const auto task = manager.createTask(
            [&ran]() -> qtm::Coro<void> {
                ran = true;
                co_return;
            },
            {.deadline = 0ms});
        QTRY_VERIFY_WITH_TIMEOUT(task.isFinished(), 20000);
        QCOMPARE(task.state(), qtm::TaskState::Cancelled);
        QCOMPARE(task.cancelReason(), qtm::CancelReason::DeadlineExceeded);
        QVERIFY(!ran);
        QVERIFY(!task.startedAt().isValid());
    }

    void aTaskWaitingForASlotIsCancelledAtItsDeadlineAndStartsNothing()
    {
        qtm::TaskManager manager;
        manager.setMaxConcurrentTasks(1);
        Gate first, second;
        const auto running = manager.createTask(waitAt(first.future()), QStringLiteral("running"));
        const auto waiting
            = manager.createTask(waitAt(second.future()), {.name = QStringLiteral("waiting"), .deadline = 40ms});
        const auto next = manager.createTask(waitAt(second.future()), QStringLiteral("next"));
        QTRY_VERIFY_WITH_TIMEOUT(waiting.isFinished(), 20000);
        QCOMPARE(waiting.state(), qtm::TaskState::Cancelled);
        QCOMPARE(waiting.cancelReason(), qtm::CancelReason::DeadlineExceeded);
        QVERIFY(!waiting.startedAt().isValid());
        QVERIFY(waiting.pendingReason().isEmpty());
        // Its end freed no slot: the next one still waits for the running one.
        QCOMPARE(running.state(), qtm::TaskState::Running);
        QCOMPARE(next.state(), qtm::TaskState::Pending);
        first.open();
        second.open();
        QTRY_COMPARE_WITH_TIMEOUT(next.state(), qtm::TaskState::Succeeded, 20000);
    }

    void aDeadlineTooFarToCountNeverExpires()
    {
        qtm::TaskManager manager;
        Gate gate, other; // two: cancelling an await of a QFuture cancels that future
        // Were the maximum to overflow into the past, it would expire at once, long before the short one.
        const auto unbounded
            = manager.createTask(waitAt(gate.future()), {.deadline = std::chrono::milliseconds::max()});
        const auto shortOne = manager.createTask(waitAt(other.future()), {.deadline = 30ms});
        QTRY_VERIFY_WITH_TIMEOUT(shortOne.isFinished(), 20000);
        QCOMPARE(shortOne.cancelReason(), qtm::CancelReason::DeadlineExceeded);
        QCOMPARE(unbounded.state(), qtm::TaskState::Running);
        QVERIFY(!unbounded.isCancelRequested());
        QVERIFY(!unbounded.deadline().isValid()); // no instant to show
        gate.open();
        QTRY_COMPARE_WITH_TIMEOUT(unbounded.state(), qtm::TaskState::Succeeded, 20000);
    }

    void aNegativeDeadlineIsRejectedAndLosesNothing()
    {
        qtm::TaskManager manager;
        qtmtest::LifeCounter::reset();
        try {
            manager.createTask([counter = qtmtest::LifeCounter()]() -> qtm::Coro<void> { co_return; },
                               {.name = QStringLiteral("bad"), .deadline = -5ms});
            QFAIL("a negative deadline was accepted");
        } catch (const std::invalid_argument &error) {
            QVERIFY2(QByteArray(error.what()).contains("the deadline of task 'bad' must not be negative (got -5 ms)"),
                     error.what());
        }
        QCOMPARE(manager.taskCount(), 0);
        QCOMPARE(qtmtest::LifeCounter::alive.load(), 0); // the callable and the frame it made were destroyed
    }

    void aGuardDestroyedOrAShutdownIsItsOwnReason()
    {
        qtm::TaskManager manager;
        Gate gate;
        auto guard = std::make_unique<QObject>();
        const auto guarded
            = manager.createTask(waitAt(gate.future()), QStringLiteral("guarded"), qtm::TaskContext({}, guard.get()));
        const auto other = manager.createTask(waitAt(gate.future()), QStringLiteral("other"));
        QTRY_COMPARE_WITH_TIMEOUT(guarded.state(), qtm::TaskState::Running, 20000);
        guard.reset();
        QCOMPARE(guarded.state(), qtm::TaskState::Cancelled); // unwound right there
        QCOMPARE(guarded.cancelReason(), qtm::CancelReason::GuardDestroyed);
        QVERIFY(manager.shutdown().isEmpty());
        QCOMPARE(other.state(), qtm::TaskState::Cancelled);
        QCOMPARE(other.cancelReason(), qtm::CancelReason::Shutdown);
    }
};

QTEST_GUILESS_MAIN(tst_Deadline)
#include "tst_deadline.moc"
