// Thread-pool tasks: TaskControl, QPromise and plain functions; progress; suspension; errors.

#include <qtm/taskmanager.h>

#include "testhelpers.h"

#include <QtCore/QSemaphore>
#include <QtCore/QThread>
#include <QtCore/QThreadPool>
#include <QtTest>

using namespace std::chrono_literals;
using qtmtest::EventLog;

class tst_ThreadTasks : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void aControlledFunctionRunsOnThePoolAndReportsProgress()
    {
        qtm::TaskManager manager;
        manager.setProgressInterval(0ms);
        EventLog log(&manager);
        QThread *ranOn = nullptr;
        auto task = manager.createTask(
            [&ranOn](qtm::TaskControl &control) {
                ranOn = QThread::currentThread();
                control.setProgressRange(0, 10);
                int sum = 0;
                for (int i = 1; i <= 10; ++i) {
                    sum += i;
                    control.setProgress(i, QStringLiteral("%1 of 10").arg(i));
                }
                return sum;
            },
            QStringLiteral("sum"));
        QCOMPARE(task.kind(), qtm::TaskKind::ThreadPool);
        QTRY_VERIFY(task.isFinished());
        QCOMPARE(task.future().result(), 55);
        QVERIFY(ranOn && ranOn != QThread::currentThread());
        QCOMPARE(task.progressValue(), 10);
        QCOMPARE(task.progressText(), QStringLiteral("10 of 10"));
        QCOMPARE(log.eventsOf(QStringLiteral("sum")),
                 (QStringList{QStringLiteral("created"), QStringLiteral("started"), QStringLiteral("progress"),
                              QStringLiteral("succeeded"), QStringLiteral("finished")}));
    }

    void progressSignalsAreCoalesced()
    {
        qtm::TaskManager manager;
        manager.setProgressInterval(50ms);
        QSignalSpy progress(&manager, &qtm::TaskManager::taskProgressChanged);
        auto task = manager.createTask(
            [](qtm::TaskControl &control) {
                control.setProgressRange(0, 100000);
                for (int i = 0; i <= 100000; ++i)
                    control.setProgressValue(i);
            },
            QStringLiteral("many ticks"));
        QTRY_VERIFY(task.isFinished());
        QVERIFY2(progress.size() >= 1, "the last progress is always reported");
        QVERIFY2(progress.size() < 1000, qPrintable(QString::number(progress.size())));
        QCOMPARE(task.progressValue(), 100000);
    }

    void aCooperativeFunctionSeesCancellationAndEndsCancelled()
    {
        qtm::TaskManager manager;
        std::atomic<bool> started = false;
        auto task = manager.createTask(
            [&started](qtm::TaskControl &control) {
                started = true;
                while (!control.isCancelled())
                    QThread::yieldCurrentThread();
                return 1;
            },
            QStringLiteral("cooperative"));
        QTRY_VERIFY(started.load());
        QVERIFY(task.isCancellable());
        auto outcome = manager.cancelTask(task, 10s);
        QTRY_VERIFY(outcome.isFinished());
        QCOMPARE(outcome.result(), qtm::CancelOutcome::Cancelled);
        QCOMPARE(task.state(), qtm::TaskState::Cancelled);
        QVERIFY(task.future().isCanceled());
    }

    void aQPromiseFunctionWorksTheQtWay()
    {
        qtm::TaskManager manager;
        auto task = manager.createTask(
            [](QPromise<int> &promise) {
                for (int i = 0; i < 3; ++i)
                    promise.addResult(i);
            },
            QStringLiteral("promise"));
        QTRY_VERIFY(task.isFinished());
        QCOMPARE(task.future().results(), (QList<int>{0, 1, 2}));

        std::atomic<bool> started = false;
        auto cancellable = manager.createTask(
            [&started](QPromise<void> &promise) {
                started = true;
                while (!promise.isCanceled())
                    QThread::yieldCurrentThread();
            },
            QStringLiteral("promise cancel"));
        QTRY_VERIFY(started.load());
        auto outcome = manager.cancelTask(cancellable);
        QTRY_VERIFY(outcome.isFinished());
        QCOMPARE(outcome.result(), qtm::CancelOutcome::Cancelled);
    }

    void aQPromiseFunctionThatFailsAfterCancellationReportsItsErrorEverywhere()
    {
        // Regression (found by tst_stress): cancelling a QPromise function used to cancel the task's own
        // future, which then dropped the error the function threw, so an awaiting task saw a cancellation
        // from a task whose state was Failed.
        qtm::TaskManager manager;
        std::atomic<bool> started = false;
        auto failing = manager.createTask(
            [&started](QPromise<int> &promise) {
                started = true;
                while (!promise.isCanceled())
                    QThread::yieldCurrentThread();
                throw std::runtime_error("failed while stopping");
            },
            QStringLiteral("fails when cancelled"));
        auto awaiting = manager.createTask(
            [](qtm::TypedTask<int> failing) -> qtm::Coro<QString> {
                try {
                    co_await failing;
                } catch (const std::runtime_error &error) {
                    co_return QString::fromUtf8(error.what());
                }
                co_return QString();
            }(failing),
            QStringLiteral("awaiting"));
        QTRY_VERIFY(started.load());
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("failed: failed while stopping")));
        auto outcome = manager.cancelTask(failing);
        QTRY_VERIFY(outcome.isFinished() && awaiting.isFinished());
        QCOMPARE(outcome.result(), qtm::CancelOutcome::FailedAnyway);
        QCOMPARE(failing.state(), qtm::TaskState::Failed);
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, failing.future().waitForFinished());
        QCOMPARE(awaiting.future().result(), QStringLiteral("failed while stopping"));
    }

    void aTaskQueuedInABusyPoolIsCancelledWithoutRunning()
    {
        QThreadPool pool;
        pool.setMaxThreadCount(1);
        qtm::TaskManager manager;
        manager.setThreadPool(&pool);
        QSemaphore release;
        auto blocker = manager.createTask([&release] { release.acquire(); }, QStringLiteral("blocker"));
        QTRY_COMPARE(blocker.state(), qtm::TaskState::Running);
        bool ran = false;
        auto queued = manager.createTask([&ran] { ran = true; }, QStringLiteral("queued"));
        QTest::qWait(0); // let the manager hand it to the pool
        auto outcome = manager.cancelTask(queued);
        QTRY_VERIFY(outcome.isFinished());
        QCOMPARE(outcome.result(), qtm::CancelOutcome::Cancelled);
        release.release();
        QTRY_VERIFY(blocker.isFinished());
        pool.waitForDone();
        QVERIFY(!ran);
    }

    void aPlainFunctionThatFinishesAfterCancelReportsFinishedAnyway()
    {
        qtm::TaskManager manager;
        QSemaphore release;
        auto task = manager.createTask(
            [&release] {
                release.acquire();
                return QStringLiteral("done");
            },
            QStringLiteral("plain"));
        QTRY_COMPARE(task.state(), qtm::TaskState::Running);
        auto outcome = manager.cancelTask(task);
        release.release();
        QTRY_VERIFY(outcome.isFinished());
        QCOMPARE(outcome.result(), qtm::CancelOutcome::FinishedAnyway);
        QCOMPARE(task.future().result(), QStringLiteral("done"));
    }

    void aSuspendedTaskWaitsUntilResumed()
    {
        qtm::TaskManager manager;
        std::atomic<int> step = 0;
        QSemaphore atCheckpoint;
        auto task = manager.createTask(
            [&](qtm::TaskControl &control) {
                step = 1;
                atCheckpoint.acquire();
                control.suspendIfRequested();
                step = 2;
            },
            QStringLiteral("suspendable"));
        QTRY_COMPARE(step.load(), 1);
        manager.setTaskSuspended(task, true);
        atCheckpoint.release();
        // isSuspended() turns true only once the function is actually held in suspendIfRequested().
        QTRY_VERIFY(task.future().isSuspended());
        QCOMPARE(step.load(), 1);
        manager.setTaskSuspended(task, false);
        QTRY_COMPARE(step.load(), 2);
        QTRY_VERIFY(task.isFinished());
        QCOMPARE(task.state(), qtm::TaskState::Succeeded);
    }

    void anExceptionInAThreadTaskIsReported()
    {
        qtm::TaskManager manager;
        EventLog log(&manager);
        QTest::ignoreMessage(QtWarningMsg,
                             QRegularExpression(QStringLiteral("task 'bad math'.*failed: division by zero")));
        auto task = manager.createTask([]() -> int { throw std::domain_error("division by zero"); },
                                       QStringLiteral("bad math"));
        QTRY_VERIFY(task.isFinished());
        QCOMPARE(task.state(), qtm::TaskState::Failed);
        QCOMPARE(log.errors, QStringList{QStringLiteral("division by zero")});
        QVERIFY_THROWS_EXCEPTION(std::domain_error, task.future().result());
    }
};

QTEST_GUILESS_MAIN(tst_ThreadTasks)
#include "tst_threadtasks.moc"
