// A coroutine task's own QFuture is made only when somebody asks for it. Asked for before, during or
// after the task's end, from any thread, it must tell the same story: the result, the error or the
// cancellation, and the progress reported so far.

#include <qtm/taskmanager.h>

#include <QtCore/QFutureWatcher>
#include <QtTest>

#include <memory>
#include <thread>

using namespace std::chrono_literals;

namespace {

constexpr int kWait = 30000;

qtm::Coro<int> answer()
{
    co_await qtm::yield();
    co_return 42;
}

qtm::Coro<int> failing()
{
    co_await qtm::yield();
    throw std::runtime_error("broken on purpose");
}

qtm::Coro<void> reportThenSleep()
{
    auto control = qtm::this_task::control();
    control.setProgressRange(0, 10);
    control.setProgress(4, QStringLiteral("four of ten"));
    co_await qtm::sleep(24h);
}

//! Waits until the manager has announced the end of \a task.
bool waitForEnd(qtm::TaskManager &manager, const qtm::Task &task)
{
    QSignalSpy finished(&manager, &qtm::TaskManager::taskFinished);
    return task.isFinished() || finished.wait(kWait);
}

} // namespace

class tst_TaskFuture : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void aFutureAskedForAfterTheTaskSucceededHasItsResult()
    {
        qtm::TaskManager manager;
        auto task = manager.createTask(answer(), QStringLiteral("answer"));
        QVERIFY(waitForEnd(manager, task));
        QCOMPARE(task.state(), qtm::TaskState::Succeeded);

        const QFuture<int> future = task.future();
        QVERIFY(future.isFinished());
        QVERIFY(!future.isCanceled());
        QCOMPARE(future.resultCount(), 1);
        QCOMPARE(future.result(), 42);
        // The same future every time, typed or not.
        QCOMPARE(task.future().result(), 42);
        QVERIFY(QFutureInterfaceBase::get(task.future()) == QFutureInterfaceBase::get(future));
        const qtm::Task untyped = task;
        QVERIFY(QFutureInterfaceBase::get(untyped.future()) == QFutureInterfaceBase::get(future));
    }

    void aMoveOnlyResultIsKeptForAFutureAskedForLater()
    {
        qtm::TaskManager manager;
        auto task = manager.createTask(
            []() -> qtm::Coro<std::unique_ptr<int>> {
                co_await qtm::yield();
                co_return std::make_unique<int>(7);
            }(),
            QStringLiteral("move-only"));
        QVERIFY(waitForEnd(manager, task));
        QFuture<std::unique_ptr<int>> future = task.future();
        QVERIFY(future.isFinished());
        const std::unique_ptr<int> value = future.takeResult();
        QVERIFY(value);
        QCOMPARE(*value, 7);
    }

    void aFutureAskedForAfterTheTaskFailedThrowsItsError()
    {
        qtm::TaskManager manager;
        auto task = manager.createTask(failing(), QStringLiteral("failing"));
        QVERIFY(waitForEnd(manager, task));
        QCOMPARE(task.state(), qtm::TaskState::Failed);
        const QFuture<int> future = task.future();
        QVERIFY(future.isFinished());
        QString caught;
        try {
            (void)future.result();
        } catch (const std::runtime_error &error) {
            caught = QString::fromUtf8(error.what());
        }
        QCOMPARE(caught, QStringLiteral("broken on purpose"));
    }

    void aFutureAskedForAfterTheTaskWasCancelledIsCancelled()
    {
        qtm::TaskManager manager;
        auto task = manager.createTask(reportThenSleep(), QStringLiteral("sleeper"));
        QTRY_COMPARE_WITH_TIMEOUT(task.progressValue(), 4, kWait);
        auto outcome = manager.cancelTask(task);
        QVERIFY(waitForEnd(manager, task));
        QCOMPARE(outcome.result(), qtm::CancelOutcome::Cancelled);
        const QFuture<void> future = task.future();
        QVERIFY(future.isFinished());
        QVERIFY(future.isCanceled());
    }

    void aFutureAskedForLateCarriesTheProgressReportedSoFar()
    {
        qtm::TaskManager manager;
        auto task = manager.createTask(reportThenSleep(), QStringLiteral("sleeper"));
        QTRY_COMPARE_WITH_TIMEOUT(task.progressValue(), 4, kWait);
        const QFuture<void> future = task.future();
        QVERIFY(!future.isFinished());
        QCOMPARE(future.progressMinimum(), 0);
        QCOMPARE(future.progressMaximum(), 10);
        QCOMPARE(future.progressValue(), 4);
        QCOMPARE(future.progressText(), QStringLiteral("four of ten"));
        (void)manager.cancelTask(task);
        QVERIFY(waitForEnd(manager, task));
        QVERIFY(future.isCanceled());
    }

    void progressAfterTheFutureWasMadeReachesItsWatcher()
    {
        qtm::TaskManager manager;
        QPromise<void> gate;
        gate.start();
        // The callable itself is handed over (not called here), so its capture lives as long as the task.
        auto task = manager.createTask(
            [gate = gate.future()]() -> qtm::Coro<void> {
                co_await gate;
                qtm::this_task::control().setProgressRange(0, 3);
                qtm::this_task::control().setProgressValue(3);
            },
            QStringLiteral("late progress"));
        QFutureWatcher<void> watcher;
        QSignalSpy values(&watcher, &QFutureWatcherBase::progressValueChanged);
        watcher.setFuture(task.future());
        gate.finish();
        QVERIFY(waitForEnd(manager, task));
        QTRY_VERIFY_WITH_TIMEOUT(!values.isEmpty() && values.last().first().toInt() == 3, kWait);
        QCOMPARE(watcher.progressMaximum(), 3);
    }

    void aFutureAskedForWhileTheTaskEndsInAnotherThreadTellsTheOutcome()
    {
        // Threads ask for the future over and over while the manager's thread ends the tasks: whichever
        // comes first, every future they get finishes with the result.
        constexpr int kTasks = 200;
        constexpr int kThreads = 3;
        qtm::TaskManager manager;
        std::vector<qtm::TypedTask<int>> tasks;
        for (int i = 0; i < kTasks; ++i)
            tasks.push_back(manager.createTask(answer(), QStringLiteral("raced")));
        std::atomic<int> wrong = 0;
        std::atomic<int> done = 0;
        std::vector<std::thread> askers;
        for (int t = 0; t < kThreads; ++t) {
            askers.emplace_back([&tasks, &wrong, &done, t] {
                for (int i = 0; i < kTasks; ++i) {
                    const qtm::TypedTask<int> &task = tasks[(i + t * 7) % kTasks];
                    QFuture<int> future = task.future();
                    future.waitForFinished();
                    if (future.isCanceled() || future.resultCount() != 1 || future.result() != 42)
                        ++wrong;
                }
                ++done;
            });
        }
        QTRY_COMPARE_WITH_TIMEOUT(done.load(), kThreads, kWait);
        for (std::thread &asker : askers)
            asker.join();
        QCOMPARE(wrong.load(), 0);
        for (const auto &task : tasks)
            QCOMPARE(task.state(), qtm::TaskState::Succeeded);
    }

    void cancellingAFutureMadeOnRequestCancelsTheTask()
    {
        qtm::TaskManager manager;
        QSignalSpy cancelled(&manager, &qtm::TaskManager::taskCancelled);
        auto task = manager.createTask(reportThenSleep(), QStringLiteral("sleeper"));
        QTRY_COMPARE_WITH_TIMEOUT(task.state(), qtm::TaskState::Running, kWait);
        task.future().cancel();
        QVERIFY(waitForEnd(manager, task));
        QCOMPARE(task.state(), qtm::TaskState::Cancelled);
        QCOMPARE(cancelled.size(), 1);
    }

    void aTaskWhoseFutureNobodyAskedForEndsAsUsual()
    {
        qtm::TaskManager manager;
        QSignalSpy succeeded(&manager, &qtm::TaskManager::taskSucceeded);
        (void)manager.createTask(answer(), QStringLiteral("unasked"));
        QVERIFY(succeeded.wait(kWait));
        QCOMPARE(manager.taskCount(), 0);
    }
};

QTEST_GUILESS_MAIN(tst_TaskFuture)
#include "tst_taskfuture.moc"
