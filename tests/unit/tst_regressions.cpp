// Regression tests for the breaks found by adversarial testing of the core (issue 8, section 1): each test
// names the break it covers ("break N") and failed before its fix, under ASan where the break is a
// use-after-free.

#include "testhelpers.h"

#include <qtm/taskmanager.h>

#include <QtCore/QFutureWatcher>
#include <QtCore/QPointer>
#include <QtCore/QPromise>
#include <QtCore/QSemaphore>
#include <QtCore/QThreadPool>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <chrono>
#include <limits>
#include <thread>

using namespace std::chrono_literals;
using qtmtest::Emitter;
using qtmtest::LifeCounter;

namespace {

qtm::Coro<void> sleepLong()
{
    co_await qtm::sleep(24h);
}

//! A thread-pool function that ignores cancellation and returns once \a release is released.
auto stubborn(QSemaphore &release)
{
    return [&release] { release.acquire(); };
}

//! A stubborn thread task, cancelled with \a bound, then abandoned by its manager's destruction.
//! (A void function with out-parameters: Qt Test's checks return from the function they fail in.)
void cancelThenAbandon(QSemaphore &release, qtm::BaseTaskManager::Timeout bound, qtm::Task &task,
                       QFuture<qtm::CancelOutcome> &outcome)
{
    qtm::TaskManager manager;
    manager.setShutdownTimeout(50ms);
    task = manager.createTask(stubborn(release), QStringLiteral("stubborn"));
    QTRY_COMPARE_WITH_TIMEOUT(task.state(), qtm::TaskState::Running, 30'000);
    outcome = manager.cancelTask(task, bound);
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("shutdown left 1 dangling task")));
}

} // namespace

class tst_Regressions : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init() { LifeCounter::reset(); }

    // ---- break 2: a slot deletes the manager during the application's own direct call ----

    void aSlotMayDeleteTheManagerInsideCancelTaskOfATaskNotStartedYet()
    {
        auto *manager = new qtm::TaskManager;
        QPointer<qtm::TaskManager> alive(manager);
        auto bystander = manager->createTask(sleepLong(), QStringLiteral("bystander"));
        auto task = manager->createTask(sleepLong(), QStringLiteral("not started"));
        connect(manager, &qtm::TaskManager::taskFinished, manager, [manager](const qtm::Task &) { delete manager; });
        // Not started yet (its start is queued): the cancel ends it right inside cancelTask().
        const QFuture<qtm::CancelOutcome> outcome = manager->cancelTask(task);
        QVERIFY(alive.isNull());
        QVERIFY(outcome.isFinished());
        QCOMPARE(outcome.result(), qtm::CancelOutcome::Cancelled);
        QCOMPARE(task.state(), qtm::TaskState::Cancelled);
        QCOMPARE(bystander.state(), qtm::TaskState::Cancelled);
    }

    void aSlotMayDeleteTheManagerInsideCancelAllTasks()
    {
        auto *manager = new qtm::TaskManager;
        QPointer<qtm::TaskManager> alive(manager);
        QList<qtm::Task> tasks;
        for (int i = 0; i < 5; ++i)
            tasks.append(manager->createTask(sleepLong(), QStringLiteral("task %1").arg(i)));
        connect(manager, &qtm::TaskManager::taskFinished, manager, [manager](const qtm::Task &) { delete manager; });
        manager->cancelAllTasks();
        QVERIFY(alive.isNull());
        for (const qtm::Task &task : std::as_const(tasks))
            QCOMPARE(task.state(), qtm::TaskState::Cancelled);
    }

    void aSlotMayDeleteTheManagerInsideShutdown()
    {
        auto *manager = new qtm::TaskManager;
        QPointer<qtm::TaskManager> alive(manager);
        auto first = manager->createTask(sleepLong(), QStringLiteral("first"));
        auto second = manager->createTask(sleepLong(), QStringLiteral("second"));
        QTRY_VERIFY(first.state() == qtm::TaskState::Running && second.state() == qtm::TaskState::Running);
        connect(manager, &qtm::TaskManager::taskFinished, manager, [manager](const qtm::Task &) { delete manager; });
        const QList<qtm::Task> dangling = manager->shutdown();
        QVERIFY(alive.isNull());
        QVERIFY(dangling.isEmpty());
        QCOMPARE(first.state(), qtm::TaskState::Cancelled);
        QCOMPARE(second.state(), qtm::TaskState::Cancelled);
    }

    void aCancelsContinuationMayDeleteTheManagerInsideShutdown()
    {
        auto *manager = new qtm::TaskManager;
        QPointer<qtm::TaskManager> alive(manager);
        auto task = manager->createTask(
            []() -> qtm::Coro<void> {
                LifeCounter counter;
                co_await qtm::sleep(24h);
            }(),
            QStringLiteral("sleeper"));
        auto bystander = manager->createTask(sleepLong(), QStringLiteral("bystander"));
        QTRY_COMPARE(task.state(), qtm::TaskState::Running);
        // The cancel resolves inside the manager's own code, in shutdown() below: its continuation runs there.
        manager->cancelTask(task).then([manager](qtm::CancelOutcome) { delete manager; });
        manager->shutdown();
        QVERIFY(alive.isNull());
        QCOMPARE(task.state(), qtm::TaskState::Cancelled);
        QCOMPARE(bystander.state(), qtm::TaskState::Cancelled);
        QCOMPARE(LifeCounter::alive.load(), 0);
    }

    // ---- break 3: a cancel's hard bound outlives the manager ----

    void aCancelsBoundHoldsAfterTheManagerIsDestroyed()
    {
        QSemaphore release;
        qtm::Task task;
        QFuture<qtm::CancelOutcome> outcome;
        cancelThenAbandon(release, 300ms, task, outcome);
        if (QTest::currentTestFailed())
            return;
        QTest::ignoreMessage(QtWarningMsg,
                             QRegularExpression(QStringLiteral("'stubborn'.*did not finish within 300 ms")));
        QTRY_VERIFY_WITH_TIMEOUT(outcome.isFinished(), 30'000);
        QCOMPARE(outcome.result(), qtm::CancelOutcome::TimedOut);
        QCOMPARE(task.state(), qtm::TaskState::Running);
        release.release();
        QTRY_VERIFY_WITH_TIMEOUT(task.isFinished(), 30'000);
    }

    void aCancelOfAnAbandonedTaskResolvesWhenTheTaskEnds_data()
    {
        QTest::addColumn<bool>("bounded");
        QTest::newRow("bound of an hour") << true;
        QTest::newRow("no bound") << false;
    }

    void aCancelOfAnAbandonedTaskResolvesWhenTheTaskEnds()
    {
        QFETCH(bool, bounded);
        QSemaphore release;
        qtm::Task task;
        QFuture<qtm::CancelOutcome> outcome;
        cancelThenAbandon(release, bounded ? qtm::BaseTaskManager::Timeout(1h) : std::nullopt, task, outcome);
        if (QTest::currentTestFailed())
            return;
        QCoreApplication::processEvents();
        QVERIFY(!outcome.isFinished());
        release.release();
        QTRY_VERIFY_WITH_TIMEOUT(outcome.isFinished(), 30'000);
        QCOMPARE(outcome.result(), qtm::CancelOutcome::FinishedAnyway);
        QCOMPARE(task.state(), qtm::TaskState::Succeeded);
    }

    // ---- break 4: shutdown from a slot while another completion sits in the same batch ----

    void shutdownFromASlotHandlesTheRestOfTheBatch()
    {
        QThreadPool pool;
        qtm::TaskManager manager;
        manager.setThreadPool(&pool);
        manager.setShutdownTimeout(20s); // the break: the loop blocked this long, then called 'second' dangling
        QSemaphore release;
        auto first = manager.createTask(
            [&release] {
                release.acquire();
                return 1;
            },
            QStringLiteral("first"));
        auto second = manager.createTask(
            [&release] {
                release.acquire();
                return 2;
            },
            QStringLiteral("second"));
        QTRY_VERIFY(first.state() == qtm::TaskState::Running && second.state() == qtm::TaskState::Running);
        QList<qtm::Task> dangling{qtm::Task()};
        bool shutDownOnce = false;
        connect(&manager, &qtm::TaskManager::taskFinished, &manager, [&](const qtm::Task &) {
            if (!std::exchange(shutDownOnce, true))
                dangling = manager.shutdown();
        });
        // Both functions return and post their completions while this thread does not turn its loop: both
        // are handled in one batch.
        release.release(2);
        pool.waitForDone();
        QTRY_VERIFY_WITH_TIMEOUT(shutDownOnce, 30'000);
        QVERIFY2(dangling.isEmpty(), "a task whose completion was already in the inbox was reported dangling");
        QCOMPARE(first.state(), qtm::TaskState::Succeeded);
        QCOMPARE(second.state(), qtm::TaskState::Succeeded);
        QCOMPARE(second.future().result(), 2);
    }

    // ---- break 6: cancelling a task's future the Qt way cancels the task ----

    void cancellingATasksFutureCancelsTheTask_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<bool>("throughAWatcher");
        for (const char *kind : {"coroutine", "thread", "adopted"}) {
            QTest::addRow("%s, QFuture::cancel()", kind) << QString::fromLatin1(kind) << false;
            QTest::addRow("%s, QFutureWatcher::cancel()", kind) << QString::fromLatin1(kind) << true;
        }
    }

    void cancellingATasksFutureCancelsTheTask()
    {
        QFETCH(QString, kind);
        QFETCH(bool, throughAWatcher);
        qtm::TaskManager manager;
        qtmtest::EventLog log(&manager);
        QPromise<int> producer;
        producer.start();
        qtm::TypedTask<int> task;
        if (kind == QLatin1String("coroutine")) {
            task = manager.createTask(
                []() -> qtm::Coro<int> {
                    co_await qtm::sleep(24h);
                    co_return 1;
                }(),
                QStringLiteral("subject"));
        } else if (kind == QLatin1String("thread")) {
            task = manager.createTask(
                [](qtm::TaskControl &control) {
                    while (!control.isCancelled())
                        QThread::yieldCurrentThread();
                    return 1;
                },
                QStringLiteral("subject"));
        } else {
            task = manager.createTask(producer.future(), QStringLiteral("subject"));
        }
        QTRY_COMPARE(task.state(), qtm::TaskState::Running);
        QFutureWatcher<int> watcher;
        if (throughAWatcher) {
            watcher.setFuture(task.future());
            watcher.cancel();
        } else {
            task.future().cancel();
        }
        if (kind == QLatin1String("adopted")) {
            // The request reaches the producer, which ends its work.
            QTRY_VERIFY_WITH_TIMEOUT(producer.isCanceled(), 30'000);
            producer.finish();
        }
        QTRY_VERIFY_WITH_TIMEOUT(task.isFinished(), 30'000);
        QCOMPARE(task.state(), qtm::TaskState::Cancelled);
        QVERIFY(task.isCancelRequested());
        QCOMPARE(log.eventsOf(QStringLiteral("subject")),
                 (QStringList{QStringLiteral("created"), QStringLiteral("started"), QStringLiteral("cancelled"),
                              QStringLiteral("finished")}));
        QVERIFY(task.future().isCanceled());
    }

    void aCoroutineAwaitingATaskWhoseFutureWasCancelledSeesTheCancellation()
    {
        qtm::TaskManager manager;
        auto awaited = manager.createTask(sleepLong(), QStringLiteral("awaited"));
        auto awaiting = manager.createTask(
            [](qtm::Task awaited) -> qtm::Coro<QString> {
                try {
                    co_await awaited;
                } catch (const qtm::CancelledError &) {
                    co_return QStringLiteral("saw the cancellation");
                }
                co_return QStringLiteral("went on");
            }(awaited),
            QStringLiteral("awaiting"));
        QTRY_COMPARE(awaited.state(), qtm::TaskState::Running);
        awaited.future().cancel();
        QTRY_VERIFY_WITH_TIMEOUT(awaiting.isFinished(), 30'000);
        QCOMPARE(awaited.state(), qtm::TaskState::Cancelled);
        QCOMPARE(awaiting.future().result(), QStringLiteral("saw the cancellation"));
    }

    // ---- break 7: progress reported through QPromise, or by an adopted future's producer ----

    void progressReportedThroughAQPromiseReachesTheTask()
    {
        qtm::TaskManager manager;
        manager.setProgressInterval(0ms);
        QSignalSpy progress(&manager, &qtm::TaskManager::taskProgressChanged);
        QSemaphore finish;
        auto task = manager.createTask(
            [&finish](QPromise<int> &promise) {
                promise.setProgressRange(0, 10);
                promise.setProgressValueAndText(4, QStringLiteral("four"));
                finish.acquire();
                promise.addResult(7);
            },
            QStringLiteral("promise"));
        QTRY_VERIFY_WITH_TIMEOUT(task.progressValue() == 4 && task.progressMaximum() == 10, 30'000);
        QCOMPARE(task.progressText(), QStringLiteral("four"));
        QTRY_VERIFY(!progress.isEmpty());
        QCOMPARE(task.future().progressValue(), 4);
        finish.release();
        QTRY_VERIFY_WITH_TIMEOUT(task.isFinished(), 30'000);
        QCOMPARE(task.future().result(), 7);
    }

    void progressOfAnAdoptedFutureReachesTheTask()
    {
        qtm::TaskManager manager;
        manager.setProgressInterval(0ms);
        QSignalSpy progress(&manager, &qtm::TaskManager::taskProgressChanged);
        QPromise<int> producer;
        producer.start();
        auto task = manager.createTask(producer.future(), QStringLiteral("adopted"));
        QTRY_COMPARE(task.state(), qtm::TaskState::Running);
        producer.setProgressRange(0, 100);
        producer.setProgressValue(25);
        QTRY_VERIFY_WITH_TIMEOUT(task.progressValue() == 25 && task.progressMaximum() == 100, 30'000);
        QVERIFY(qAbs(task.progress() - 0.25) < 1e-9);
        QTRY_VERIFY(!progress.isEmpty());
        producer.addResult(3);
        producer.finish();
        QTRY_VERIFY_WITH_TIMEOUT(task.isFinished(), 30'000);
        QCOMPARE(task.future().result(), 3);
    }

    // ---- break 8: taskCountChanged follows every value a reader could have seen ----

    void taskCountChangedFollowsATaskThatEndsWithinOneTurn()
    {
        qtm::TaskManager manager;
        QSignalSpy count(&manager, &qtm::TaskManager::taskCountChanged);
        auto task = manager.createTask([]() -> qtm::Coro<int> { co_return 1; }(), QStringLiteral("brief"));
        QCOMPARE(manager.taskCount(), 1); // what a binding evaluated now reads
        QTRY_VERIFY(task.isFinished());
        QTRY_VERIFY(!count.isEmpty());
        QCOMPARE(count.last().first().toInt(), 0);
        QCOMPARE(manager.taskCount(), 0);
    }

    void taskCountChangedFollowsABurstThatEndsWithinOneTurn()
    {
        qtm::TaskManager manager;
        QSignalSpy count(&manager, &qtm::TaskManager::taskCountChanged);
        QList<qtm::Task> tasks;
        for (int i = 0; i < 1000; ++i)
            tasks.append(manager.createTask([]() -> qtm::Coro<void> { co_return; }()));
        QCOMPARE(manager.taskCount(), 1000);
        QTRY_VERIFY(tasks.last().isFinished());
        QTRY_VERIFY(!count.isEmpty());
        QCOMPARE(count.last().first().toInt(), 0);
    }

    // ---- break 9: a yield in the first step lets earlier events run ----

    void aYieldInTheFirstStepResumesAfterEventsQueuedBeforeIt()
    {
        qtm::TaskManager manager;
        QStringList order;
        auto task = manager.createTask(
            [](QStringList *order) -> qtm::Coro<void> {
                order->append(QStringLiteral("first step"));
                co_await qtm::yield();
                order->append(QStringLiteral("after the yield"));
            }(&order),
            QStringLiteral("yielder"));
        QObject context;
        QMetaObject::invokeMethod(
            &context, [&order] { order.append(QStringLiteral("queued event")); }, Qt::QueuedConnection);
        QTRY_VERIFY(task.isFinished());
        QCOMPARE(order,
                 (QStringList{QStringLiteral("first step"), QStringLiteral("queued event"),
                              QStringLiteral("after the yield")}));
    }

    // ---- break 10: durations too long to count saturate: "practically never" ----

    void aCancelBoundOfMillisecondsMaxMeansNoBound()
    {
        QSemaphore release;
        qtm::TaskManager manager;
        auto task = manager.createTask(stubborn(release), QStringLiteral("stubborn"));
        auto witness = manager.createTask(stubborn(release), QStringLiteral("witness"));
        QTRY_VERIFY(task.state() == qtm::TaskState::Running && witness.state() == qtm::TaskState::Running);
        const auto unbounded = manager.cancelTask(task, std::chrono::milliseconds::max());
        // Timers fire in deadline order: once this 1 ms bound has fired, an overflowed one would have too.
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("'witness'.*did not finish within 1 ms")));
        const auto bounded = manager.cancelTask(witness, 1ms);
        QTRY_VERIFY_WITH_TIMEOUT(bounded.isFinished(), 30'000);
        QCOMPARE(bounded.result(), qtm::CancelOutcome::TimedOut);
        QVERIFY2(!unbounded.isFinished(), "a bound of milliseconds::max() timed out at once");
        release.release(2);
        QTRY_VERIFY_WITH_TIMEOUT(unbounded.isFinished(), 30'000);
        QCOMPARE(unbounded.result(), qtm::CancelOutcome::FinishedAnyway);
    }

    void aSleepOfHoursMaxSleepsUntilCancelled()
    {
        qtm::TaskManager manager;
        auto endless = manager.createTask([]() -> qtm::Coro<void> { co_await qtm::sleep(std::chrono::hours::max()); }(),
                                          QStringLiteral("forever"));
        auto brief
            = manager.createTask([]() -> qtm::Coro<void> { co_await qtm::sleep(1ms); }(), QStringLiteral("brief"));
        QTRY_VERIFY_WITH_TIMEOUT(brief.isFinished(), 30'000);
        QCOMPARE(endless.state(), qtm::TaskState::Running);
        QTRY_VERIFY(manager.cancelTask(endless).isFinished());
        QCOMPARE(endless.state(), qtm::TaskState::Cancelled);
    }

    void aSignalTimeoutOfHoursMaxWaitsForTheSignal()
    {
        qtm::TaskManager manager;
        Emitter emitter;
        auto waiting = manager.createTask(
            [](Emitter *emitter) -> qtm::Coro<int> {
                const std::optional<int> value
                    = co_await qtm::signal(emitter, &Emitter::value, std::chrono::hours::max());
                co_return value.value_or(-1);
            }(&emitter),
            QStringLiteral("waiting"));
        auto brief
            = manager.createTask([]() -> qtm::Coro<void> { co_await qtm::sleep(1ms); }(), QStringLiteral("brief"));
        QTRY_VERIFY_WITH_TIMEOUT(brief.isFinished(), 30'000);
        QVERIFY(!waiting.isFinished());
        Q_EMIT emitter.value(7);
        QTRY_VERIFY(waiting.isFinished());
        QCOMPARE(waiting.future().result(), 7);
    }

    void durationSettingsSaturateInsteadOfOverflowing()
    {
        qtm::TaskManager manager;
        manager.setSlowStepThreshold(std::chrono::milliseconds::max());
        QCOMPARE(manager.slowStepThreshold(), std::chrono::milliseconds::max());
        manager.setProgressInterval(std::chrono::milliseconds::max());
        QCOMPARE(manager.progressInterval(), std::chrono::milliseconds::max());
        QCOMPARE(manager.progressIntervalMs(), std::numeric_limits<int>::max());
        manager.setShutdownTimeout(std::chrono::milliseconds::max());
        QCOMPARE(manager.shutdownTimeoutMs(), std::numeric_limits<int>::max());
        manager.setShutdownTimeout(100ms);
        // With both on: a step runs, progress is reported, nothing fires early.
        QSignalSpy blocked(&manager, &qtm::TaskManager::taskBlockedLoop);
        auto task = manager.createTask(
            []() -> qtm::Coro<int> {
                qtm::this_task::control().setProgressValue(1);
                co_await qtm::yield();
                co_return 1;
            }(),
            QStringLiteral("steps"));
        QTRY_VERIFY(task.isFinished());
        QCOMPARE(task.state(), qtm::TaskState::Succeeded);
        QCOMPARE(blocked.size(), 0);
    }

    void aProgressRangeWiderThanIntMaxGivesTheRightFraction()
    {
        qtm::TaskManager manager;
        auto task = manager.createTask(
            [](qtm::TaskControl &control) {
                control.setProgressRange(std::numeric_limits<int>::min(), std::numeric_limits<int>::max());
                control.setProgressValue(0);
            },
            QStringLiteral("wide"));
        QTRY_VERIFY(task.isFinished());
        QVERIFY2(qAbs(task.progress() - 0.5) < 0.001, qPrintable(QString::number(task.progress())));
        QVERIFY(qAbs(task.data().progress() - 0.5) < 0.001);
    }

    // ---- break 12: misuse that used to be silent ----

    void aTaskAwaitingItselfFailsWithAClearError()
    {
        qtm::TaskManager manager;
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("cannot await itself")));
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("'narcissus'.*failed")));
        auto task = manager.createTask([]() -> qtm::Coro<void> { co_await qtm::this_task::task(); }(),
                                       QStringLiteral("narcissus"));
        QTRY_VERIFY_WITH_TIMEOUT(task.isFinished(), 30'000);
        QCOMPARE(task.state(), qtm::TaskState::Failed);
        QVERIFY2(task.errorText().contains(QLatin1String("cannot await itself")), qPrintable(task.errorText()));
    }

    void destroyingTheManagerFromAnotherThreadIsReported()
    {
        auto *manager = new qtm::TaskManager;
        QTest::ignoreMessage(QtCriticalMsg,
                             QRegularExpression(QStringLiteral("destroyed from thread .* but it lives "
                                                               "in thread")));
        std::thread other([manager] { delete manager; });
        other.join();
    }

    // ---- break 13: no signal from inside ~TaskManager ----

    void aGuardedDeleteInASlotDoesNotDeleteTwiceDuringDestruction()
    {
        auto *manager = new qtm::TaskManager;
        QPointer<qtm::TaskManager> guard(manager);
        int calls = 0;
        auto task = manager->createTask(sleepLong(), QStringLiteral("sleeper"));
        QTRY_COMPARE(task.state(), qtm::TaskState::Running);
        connect(manager, &qtm::TaskManager::taskFinished, manager, [&guard, &calls](const qtm::Task &) {
            ++calls;
            if (guard)
                delete guard.data(); // the usual guard: during destruction it would still be set
        });
        delete manager;
        QCOMPARE(calls, 0); // the destructor emits nothing
        QCOMPARE(task.state(), qtm::TaskState::Cancelled);
        QVERIFY(task.future().isFinished());
    }
};

QTEST_GUILESS_MAIN(tst_Regressions)
#include "tst_regressions.moc"
