// The manager: parity with the original API, the signal sequence of each kind of task, the registry,
// contexts and guards, other loops, shutdown and dangling tasks, and the table of bad inputs.

#include <qtm/taskmanager.h>

#include "testhelpers.h"

#include <QtConcurrent/QtConcurrent>
#include <QtCore/QPointer>
#include <QtCore/QPromise>
#include <QtCore/QSemaphore>
#include <QtCore/QThread>
#include <QtTest>

#include <thread>

using namespace std::chrono_literals;
using qtmtest::EventLog;
using qtmtest::LifeCounter;

namespace {

qtm::Coro<void> sleepLong()
{
    co_await qtm::sleep(24h);
}

QStringList events(std::initializer_list<const char *> names)
{
    QStringList list;
    for (const char *name : names)
        list.append(QString::fromLatin1(name));
    return list;
}

} // namespace

class tst_Manager : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init() { LifeCounter::reset(); }

    void eachKindOfTaskEmitsItsSignalsOnceInOrder_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("coroutine succeeds")
            << "coroutine ok" << events({"created", "started", "succeeded", "finished"});
        QTest::newRow("coroutine fails") << "coroutine fails" << events({"created", "started", "failed", "finished"});
        QTest::newRow("coroutine cancelled")
            << "coroutine cancelled" << events({"created", "started", "cancelled", "finished"});
        QTest::newRow("thread succeeds") << "thread ok"
                                         << events({"created", "started", "progress", "succeeded", "finished"});
        QTest::newRow("thread fails") << "thread fails" << events({"created", "started", "failed", "finished"});
        QTest::newRow("thread cancelled")
            << "thread cancelled" << events({"created", "started", "cancelled", "finished"});
        QTest::newRow("future succeeds") << "future ok" << events({"created", "started", "succeeded", "finished"});
        QTest::newRow("future fails") << "future fails" << events({"created", "started", "failed", "finished"});
        QTest::newRow("future cancelled")
            << "future cancelled" << events({"created", "started", "cancelled", "finished"});
    }

    void eachKindOfTaskEmitsItsSignalsOnceInOrder()
    {
        QFETCH(QString, name);
        QFETCH(QStringList, expected);
        qtm::TaskManager manager;
        manager.setProgressInterval(0ms);
        EventLog log(&manager);
        QPromise<int> promise;
        qtm::Task task;
        if (name == QLatin1String("coroutine ok"))
            task = manager.createTask([]() -> qtm::Coro<int> { co_return 1; }(), name);
        else if (name == QLatin1String("coroutine fails"))
            task = manager.createTask(
                []() -> qtm::Coro<int> {
                    co_await qtm::yield();
                    throw std::runtime_error("no");
                }(),
                name);
        else if (name == QLatin1String("coroutine cancelled"))
            task = manager.createTask(sleepLong(), name);
        else if (name == QLatin1String("thread ok"))
            task = manager.createTask([](qtm::TaskControl &control) { control.setProgressValue(1); }, name);
        else if (name == QLatin1String("thread fails"))
            task = manager.createTask([] { throw std::runtime_error("no"); }, name);
        else if (name == QLatin1String("thread cancelled"))
            task = manager.createTask(
                [](qtm::TaskControl &control) {
                    while (!control.isCancelled())
                        QThread::yieldCurrentThread();
                },
                name);
        else {
            promise.start();
            task = manager.createTask(promise.future(), name);
        }

        if (name.endsWith(QLatin1String("cancelled"))) {
            QTRY_COMPARE(task.state(), qtm::TaskState::Running);
            if (name.startsWith(QLatin1String("future"))) {
                (void)manager.cancelTask(task);
                QTRY_VERIFY(promise.isCanceled());
                promise.finish();
            } else {
                (void)manager.cancelTask(task);
            }
        } else if (name == QLatin1String("future ok")) {
            QTRY_COMPARE(task.state(), qtm::TaskState::Running);
            promise.addResult(3);
            promise.finish();
        } else if (name == QLatin1String("future fails")) {
            QTRY_COMPARE(task.state(), qtm::TaskState::Running);
            promise.setException(std::make_exception_ptr(std::runtime_error("no")));
            promise.finish();
        }
        QTRY_COMPARE(log.finishedCount, 1);
        QTest::qWait(0); // nothing may follow taskFinished
        QCOMPARE(log.eventsOf(name), expected);
        for (const QString &line : std::as_const(log.lines))
            QVERIFY(line.endsWith(name));
    }

    void theRegistryListsLiveTasksAndForgetsFinishedOnes()
    {
        qtm::TaskManager manager;
        QSignalSpy count(&manager, &qtm::TaskManager::taskCountChanged);
        auto a = manager.createTask(sleepLong(), QStringLiteral("same name"));
        auto b = manager.createTask(sleepLong(), QStringLiteral("same name"));
        QCOMPARE(manager.taskCount(), 2);
        const QList<qtm::Task> live = manager.currentTasks();
        QCOMPARE(live, (QList<qtm::Task>{a, b}));
        QVERIFY2(a.id() != b.id(), "two tasks with one name are two entries");
        QTRY_COMPARE(count.size(), 1);
        QCOMPARE(count.last().first().toInt(), 2);
        QTRY_VERIFY(manager.cancelTask(a).isFinished());
        QCOMPARE(manager.currentTasks(), QList<qtm::Task>{b});
        QCOMPARE(count.last().first().toInt(), 1);
    }

    void theRecordSnapshotHoldsWhatTheManagerKnows()
    {
        qtm::TaskManager manager(qtm::TaskContext({{QStringLiteral("k"), 1}}));
        manager.setProgressInterval(0ms);
        auto task = manager.createTask(
            [](qtm::TaskControl &control) {
                control.setProgressRange(0, 4);
                control.setProgress(3, QStringLiteral("three"));
            },
            QStringLiteral("snapshot"));
        QTRY_VERIFY(task.isFinished());
        const qtm::TaskData data = task.data();
        QCOMPARE(data.id, task.id());
        QCOMPARE(data.name, QStringLiteral("snapshot"));
        QCOMPARE(data.kind, qtm::TaskKind::ThreadPool);
        QCOMPARE(data.state, qtm::TaskState::Succeeded);
        QCOMPARE(data.progressValue, 3);
        QCOMPARE(data.progressMaximum, 4);
        QCOMPARE(data.progress(), 0.75);
        QCOMPARE(data.progressText, QStringLiteral("three"));
        QVERIFY(data.createdAt.isValid() && data.startedAt >= data.createdAt && data.finishedAt >= data.startedAt);
        QCOMPARE(data.context.value(QStringLiteral("k")).toInt(), 1);
        QVERIFY(!data.cancellable);
    }

    void droppingAHandleDoesNotCancelTheTask()
    {
        qtm::TaskManager manager;
        QSignalSpy succeeded(&manager, &qtm::TaskManager::taskSucceeded);
        (void)manager.createTask([]() -> qtm::Coro<void> { co_await qtm::sleep(1ms); }(), QStringLiteral("unwatched"));
        QVERIFY(succeeded.wait(10000));
        QCOMPARE(succeeded.first().first().value<qtm::Task>().name(), QStringLiteral("unwatched"));
    }

    void taskFuturesWorkWithQtsOwnFutureTools()
    {
        qtm::TaskManager manager;
        auto a = manager.createTask(
            []() -> qtm::Coro<int> {
                co_await qtm::sleep(1ms);
                co_return 2;
            }(),
            QStringLiteral("a"));
        auto b = manager.createTask([] { return 3; }, QStringLiteral("b"));
        QFutureWatcher<int> watcher;
        QSignalSpy watched(&watcher, &QFutureWatcherBase::finished);
        watcher.setFuture(b.future());
        int product = 0;
        QList<QFuture<int>> futures{a.future(), b.future()};
        auto all
            = QtFuture::whenAll(futures.begin(), futures.end()).then(this, [&product](const QList<QFuture<int>> &done) {
                  product = done.at(0).result() * done.at(1).result();
              });
        QTRY_VERIFY(all.isFinished());
        QCOMPARE(product, 6);
        QTRY_COMPARE(watched.size(), 1);
        QCOMPARE(watcher.result(), 3);
    }

    void theRegistryCanBeListedFromAnyThreadWhileTasksComeAndGo()
    {
        qtm::TaskManager manager;
        std::atomic<bool> stop = false;
        std::atomic<int> snapshots = 0;
        std::thread reader([&] {
            while (!stop) {
                for (const qtm::Task &task : manager.currentTasks())
                    QVERIFY(!task.name().isEmpty());
                ++snapshots;
            }
        });
        QList<qtm::Task> tasks;
        for (int i = 0; i < 200; ++i)
            tasks.append(
                manager.createTask([]() -> qtm::Coro<void> { co_await qtm::yield(); }(), QStringLiteral("churn")));
        QTRY_VERIFY(std::all_of(tasks.begin(), tasks.end(), [](const qtm::Task &t) { return t.isFinished(); }));
        QTRY_VERIFY(snapshots.load() > 0);
        stop = true;
        reader.join(); // std::thread: ThreadSanitizer sees the join
        QCOMPARE(manager.currentTasks().size(), 0);
    }

    void anEmptyNameIsReplacedByAGeneratedOne()
    {
        qtm::TaskManager manager;
        auto coroutine = manager.createTask(sleepLong());
        auto thread = manager.createTask([] {});
        QVERIFY(coroutine.name().startsWith(QLatin1String("coroutine-")));
        QVERIFY(thread.name().startsWith(QLatin1String("thread-")));
        QVERIFY(coroutine.name() != thread.name());
    }

    void anAdoptedFutureIsTrackedAndCancellingTheTaskCancelsIt()
    {
        qtm::TaskManager manager;
        QSemaphore release;
        QFuture<int> future = QtConcurrent::run([&release] {
            release.acquire();
            return 5;
        });
        auto task = manager.createTask(future, QStringLiteral("concurrent"));
        QCOMPARE(task.kind(), qtm::TaskKind::Future);
        QTRY_COMPARE(task.state(), qtm::TaskState::Running);
        release.release();
        QTRY_VERIFY(task.isFinished());
        QCOMPARE(task.state(), qtm::TaskState::Succeeded);
        QCOMPARE(task.future().result(), 5);
    }

    void anAdoptedTasksFutureFinishesOnlyOnceTheTaskHasEnded()
    {
        qtm::TaskManager manager;
        QPromise<int> promise;
        promise.start();
        auto adopted = manager.createTask(promise.future(), QStringLiteral("adopted"));
        qtm::TaskState seen = qtm::TaskState::Pending;
        auto awaiting = manager.createTask(
            [](qtm::TypedTask<int> adopted, qtm::TaskState *seen) -> qtm::Coro<int> {
                const int value = co_await adopted;
                *seen = adopted.state();
                co_return value;
            }(adopted, &seen),
            QStringLiteral("awaiting"));
        QTRY_COMPARE(adopted.state(), qtm::TaskState::Running);
        promise.addResult(9);
        promise.finish();
        QTRY_VERIFY(awaiting.isFinished());
        QCOMPARE(awaiting.future().result(), 9);
        QCOMPARE(seen, qtm::TaskState::Succeeded);
    }

    void aCancelledAdoptedTaskStaysCancelledWhateverItsProducerDoesLater()
    {
        qtm::TaskManager manager;
        QPromise<int> promise;
        promise.start();
        auto adopted = manager.createTask(promise.future(), QStringLiteral("adopted"));
        auto outcome = manager.cancelTask(adopted); // before it started: ends at once, unrun
        QTRY_VERIFY(outcome.isFinished());
        QCOMPARE(outcome.result(), qtm::CancelOutcome::Cancelled);
        QVERIFY(promise.isCanceled());
        promise.setException(std::make_exception_ptr(std::runtime_error("too late")));
        promise.finish();
        QVERIFY(adopted.future().isCanceled());
        QCOMPARE(adopted.state(), qtm::TaskState::Cancelled);
    }

    void anAdoptedFutureThatStopsWhenCancelledIsNotLeftDanglingAtShutdown()
    {
        QPromise<void> promise;
        promise.start();
        std::atomic<bool> producerDone = false;
        std::thread producer([&] {
            while (!promise.isCanceled())
                QThread::yieldCurrentThread();
            promise.finish();
            producerDone = true;
        });
        qtm::Task task;
        QList<qtm::Task> dangling;
        {
            qtm::TaskManager manager;
            manager.setShutdownTimeout(20s);
            task = manager.createTask(promise.future(), QStringLiteral("cooperative producer"));
            QTRY_COMPARE(task.state(), qtm::TaskState::Running);
            dangling = manager.shutdown();
        }
        QVERIFY(dangling.isEmpty());
        QCOMPARE(task.state(), qtm::TaskState::Cancelled);
        producer.join(); // std::thread: ThreadSanitizer sees the join
    }

    void anAdoptedFutureAbandonedAtShutdownStillEndsWhenItsProducerDoes()
    {
        QPromise<int> promise;
        promise.start();
        qtm::TypedTask<int> task;
        {
            qtm::TaskManager manager;
            manager.setShutdownTimeout(10ms);
            task = manager.createTask(promise.future(), QStringLiteral("stubborn producer"));
            QTRY_COMPARE(task.state(), qtm::TaskState::Running);
            QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("dangling.*'stubborn producer'")));
            QCOMPARE(manager.shutdown().size(), 1);
        }
        QCOMPARE(task.state(), qtm::TaskState::Running);
        QVERIFY(promise.isCanceled()); // shutdown asked it to stop; it ignored that
        promise.finish();
        QTRY_VERIFY(task.isFinished());
        QCOMPARE(task.state(), qtm::TaskState::Cancelled);
        QVERIFY(task.future().isFinished());
    }

    void aManagerRunsItsTasksOnTheLoopItWasGiven()
    {
        // Everything is set up before the loop's thread starts, and handed back through atomics: the
        // hand-offs inside Qt (moveToThread, queued calls) are invisible to ThreadSanitizer.
        QThread loop;
        auto *manager = new qtm::TaskManager({}, &loop);
        QCOMPARE(manager->eventLoop(), &loop);
        std::atomic<QThread *> ranOn = nullptr;
        std::atomic<QThread *> signalledOn = nullptr;
        connect(
            manager, &qtm::TaskManager::taskFinished, manager,
            [&signalledOn](const qtm::Task &) { signalledOn = QThread::currentThread(); }, Qt::DirectConnection);
        auto task = manager->createTask(
            [](std::atomic<QThread *> *ranOn) -> qtm::Coro<void> {
                co_await qtm::sleep(1ms);
                *ranOn = QThread::currentThread();
            }(&ranOn),
            QStringLiteral("elsewhere"));
        loop.start();
        QTRY_VERIFY(task.isFinished());
        QCOMPARE(ranOn.load(), &loop);
        QTRY_COMPARE(signalledOn.load(), &loop);
        manager->deleteLater(); // destroyed in its own thread, when the thread finishes at the latest
        loop.quit();
        QVERIFY(loop.wait(20000));
    }

    void deprecatedSetupChangesNothing()
    {
        qtm::TaskManager manager;
        QThread other;
        QT_WARNING_PUSH
        QT_WARNING_DISABLE_DEPRECATED
        QTest::ignoreMessage(QtWarningMsg,
                             QRegularExpression(QStringLiteral("setup\\(\\) is deprecated and changes nothing")));
        manager.setup(qtm::TaskManagerParams{&other});
        manager.setup(qtm::TaskManagerParams{});
        QT_WARNING_POP
        QCOMPARE(manager.eventLoop(), QThread::currentThread());
    }

    void contextValuesAreInheritedByTasksATaskCreates()
    {
        qtm::TaskManager manager(qtm::TaskContext({{QStringLiteral("level"), QStringLiteral("manager")}}));
        qtm::TaskContext own({{QStringLiteral("level"), QStringLiteral("call")}});
        auto parent = manager.createTask(
            [](qtm::TaskManager *manager) -> qtm::Coro<QString> {
                auto child = manager->createTask(
                    []() -> qtm::Coro<QString> {
                        co_return qtm::this_task::context().value(QStringLiteral("level")).toString();
                    }(),
                    QStringLiteral("child"));
                co_return co_await child;
            }(&manager),
            QStringLiteral("parent"), own);
        auto plain = manager.createTask(
            []() -> qtm::Coro<QString> {
                co_return qtm::this_task::context().value(QStringLiteral("level")).toString();
            }(),
            QStringLiteral("plain"));
        QTRY_VERIFY(parent.isFinished() && plain.isFinished());
        QCOMPARE(parent.future().result(), QStringLiteral("call"));
        QCOMPARE(plain.future().result(), QStringLiteral("manager"));
    }

    void destroyingTheGuardCancelsItsTasksAtOnce()
    {
        qtm::TaskManager manager;
        auto *guard = new QObject;
        QStringList trace;
        auto task = manager.createTask(
            [](QStringList *trace) -> qtm::Coro<void> {
                LifeCounter counter;
                try {
                    co_await qtm::sleep(24h);
                } catch (const qtm::CancelledError &) {
                    trace->append(QStringLiteral("unwound"));
                    throw;
                }
            }(&trace),
            QStringLiteral("member coroutine"), qtm::TaskContext({}, guard));
        QTRY_COMPARE(LifeCounter::alive.load(), 1);
        delete guard;
        // Synchronously: the frame is gone when the guard is.
        QCOMPARE(trace, QStringList{QStringLiteral("unwound")});
        QCOMPARE(LifeCounter::alive.load(), 0);
        QCOMPARE(task.state(), qtm::TaskState::Cancelled);
    }

    void aTaskCreatedWithAnAlreadyDestroyedGuardIsCancelledUnrun()
    {
        qtm::TaskManager manager;
        qtm::TaskContext context;
        {
            QObject guard;
            context.setGuard(&guard);
        }
        QVERIFY(context.isGuardDestroyed());
        bool ran = false;
        auto task = manager.createTask(
            [](bool *ran) -> qtm::Coro<void> {
                *ran = true;
                co_return;
            }(&ran),
            QStringLiteral("orphan"), context);
        QTRY_VERIFY(task.isFinished());
        QCOMPARE(task.state(), qtm::TaskState::Cancelled);
        QVERIFY(!ran);
    }

    void destroyingTheManagerCancelsEverythingAndReportsDanglingTasks()
    {
        QSemaphore release;
        QList<qtm::Task> dangling;
        qtm::Task coroutine, cooperative, stubborn;
        {
            qtm::TaskManager manager;
            manager.setShutdownTimeout(100ms);
            coroutine = manager.createTask(
                []() -> qtm::Coro<void> {
                    LifeCounter counter;
                    co_await qtm::sleep(24h);
                }(),
                QStringLiteral("sleeper"));
            cooperative = manager.createTask(
                [](qtm::TaskControl &control) {
                    while (!control.isCancelled())
                        QThread::yieldCurrentThread();
                },
                QStringLiteral("cooperative"));
            stubborn = manager.createTask([&release] { release.acquire(); }, QStringLiteral("stubborn"));
            QTRY_VERIFY(stubborn.state() == qtm::TaskState::Running && cooperative.state() == qtm::TaskState::Running
                        && LifeCounter::alive.load() == 1);
            QTest::ignoreMessage(
                QtWarningMsg,
                QRegularExpression(QStringLiteral("shutdown left 1 dangling task.*'stubborn' \\(#\\d+, thread\\)")));
            dangling = manager.shutdown();
            QVERIFY_THROWS_EXCEPTION(std::logic_error, manager.createTask([] {}, QStringLiteral("too late")));
        }
        QCOMPARE(dangling, QList<qtm::Task>{stubborn});
        QCOMPARE(coroutine.state(), qtm::TaskState::Cancelled);
        QCOMPARE(cooperative.state(), qtm::TaskState::Cancelled);
        QCOMPARE(LifeCounter::alive.load(), 0);
        QCOMPARE(stubborn.state(), qtm::TaskState::Running);
        release.release();
        // The abandoned function finishes on its own; its future still completes.
        QTRY_VERIFY(stubborn.future().isFinished());
        QCOMPARE(stubborn.state(), qtm::TaskState::Succeeded);
    }

    void aTaskMayDeleteItsOwnManager()
    {
        auto *manager = new qtm::TaskManager;
        QStringList trace;
        auto other = manager->createTask(sleepLong(), QStringLiteral("bystander"));
        auto task = manager->createTask(
            [](qtm::TaskManager *manager, QStringList *trace) -> qtm::Coro<void> {
                LifeCounter counter;
                co_await qtm::yield();
                delete manager; // from inside one of its own steps
                trace->append(QStringLiteral("still running"));
                try {
                    co_await qtm::sleep(1ms);
                } catch (const qtm::CancelledError &error) {
                    trace->append(error.reason());
                    throw;
                }
            }(manager, &trace),
            QStringLiteral("deletes its manager"));
        QTRY_VERIFY(task.isFinished());
        QCOMPARE(trace,
                 (QStringList{QStringLiteral("still running"), QStringLiteral("the task's manager was destroyed")}));
        QCOMPARE(task.state(), qtm::TaskState::Cancelled);
        QCOMPARE(other.state(), qtm::TaskState::Cancelled);
        QVERIFY(task.future().isFinished());
        QCOMPARE(LifeCounter::alive.load(), 0);
    }

    void aSlotMayDeleteTheManagerWhenATaskFinishes()
    {
        auto *manager = new qtm::TaskManager;
        QPointer<qtm::TaskManager> watch(manager);
        auto other = manager->createTask(sleepLong(), QStringLiteral("bystander"));
        connect(manager, &qtm::TaskManager::taskSucceeded, manager, [manager](const qtm::Task &) { delete manager; });
        auto task = manager->createTask([]() -> qtm::Coro<int> { co_return 1; }(), QStringLiteral("last one"));
        QTRY_VERIFY(watch.isNull());
        QCOMPARE(task.state(), qtm::TaskState::Succeeded);
        QCOMPARE(other.state(), qtm::TaskState::Cancelled);
    }

    void aTaskCreatedFromAnotherThreadRunsOnTheManagersLoop()
    {
        qtm::TaskManager manager;
        QThread *ranOn = nullptr;
        qtm::Task task;
        std::thread creator([&] {
            task = manager.createTask(
                [](QThread **ranOn) -> qtm::Coro<void> {
                    *ranOn = QThread::currentThread();
                    co_return;
                }(&ranOn),
                QStringLiteral("remote"));
        });
        creator.join(); // std::thread: ThreadSanitizer sees the join
        QTRY_VERIFY(task.isFinished());
        QCOMPARE(ranOn, QThread::currentThread());
    }

    // ---- bad input: a clear error that names the problem, nothing lost ----

    void anEmptyCoroutineIsRejected()
    {
        qtm::TaskManager manager;
        qtm::Coro<int> coroutine = []() -> qtm::Coro<int> { co_return 1; }();
        auto first = manager.createTask(std::move(coroutine), QStringLiteral("first"));
        qtm::TaskManager other;
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("coroutine for task 'second' is empty")));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 other.createTask(std::move(coroutine), QStringLiteral("second")));
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("is empty")));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, manager.createTask(qtm::Coro<void>()));
        QCOMPARE(other.taskCount(), 0);
        QTRY_VERIFY(first.isFinished());
        QCOMPARE(first.future().result(), 1);
    }

    void aNullFunctionIsRejected()
    {
        qtm::TaskManager manager;
        std::function<int()> empty;
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("function for task 'null' is null")));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, manager.createTask(empty, QStringLiteral("null")));
        int (*pointer)() = nullptr;
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("is null")));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, manager.createTask(pointer));
        QCOMPARE(manager.taskCount(), 0);
    }

    void badCancelRequestsAreRejected()
    {
        // The Qt way: a warning naming the problem and an already-resolved future, no exception.
        qtm::TaskManager manager, other;
        auto task = manager.createTask(sleepLong(), QStringLiteral("target"));
        const auto rejected = [](const QFuture<qtm::CancelOutcome> &future) {
            return future.isFinished() && future.result() == qtm::CancelOutcome::Rejected;
        };
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("task handle is invalid")));
        QVERIFY(rejected(manager.cancelTask(qtm::Task())));
        QTest::ignoreMessage(QtWarningMsg,
                             QRegularExpression(QStringLiteral("task 'target' .* belongs to another manager")));
        QVERIFY(rejected(other.cancelTask(task)));
        QTest::ignoreMessage(
            QtWarningMsg,
            QRegularExpression(QStringLiteral("timeout for task 'target'.*must not be negative \\(got -5 ms\\)")));
        QVERIFY(rejected(manager.cancelTask(task, -5ms)));
        QVERIFY(!task.isCancelRequested());
        QCOMPARE(task.state(), qtm::TaskState::Pending); // nothing happened to it
        QTRY_COMPARE(task.state(), qtm::TaskState::Running);
    }

    void negativeDurationsAreRejected()
    {
        qtm::TaskManager manager;
        QTest::ignoreMessage(QtWarningMsg,
                             QRegularExpression(QStringLiteral("sleep: the duration must not be negative")));
        auto task = manager.createTask([]() -> qtm::Coro<void> { co_await qtm::sleep(-1ms); }(), QStringLiteral("neg"));
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("failed: qtm::sleep: the duration")));
        QTRY_VERIFY(task.isFinished());
        QCOMPARE(task.state(), qtm::TaskState::Failed);
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("must not be negative")));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, manager.setShutdownTimeout(-1ms));
    }

    void awaitingAnInvalidHandleFailsTheTaskWithAClearError()
    {
        qtm::TaskManager manager;
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("awaited task handle is invalid")));
        QTest::ignoreMessage(
            QtWarningMsg,
            QRegularExpression(QStringLiteral("failed: qtm::co_await: the awaited task handle is invalid")));
        auto task
            = manager.createTask([]() -> qtm::Coro<void> { co_await qtm::Task(); }(), QStringLiteral("bad await"));
        QTRY_VERIFY(task.isFinished());
        QCOMPARE(task.state(), qtm::TaskState::Failed);
    }

    void creatingOnAShutDownManagerThrowsAndLeaksNoFrame()
    {
        qtm::TaskManager manager;
        manager.shutdown();
        QVERIFY(manager.isShuttingDown());
        try {
            manager.createTask([](LifeCounter) -> qtm::Coro<void> { co_return; }(LifeCounter()),
                               QStringLiteral("late"));
            QFAIL("createTask on a shut-down manager must throw");
        } catch (const std::logic_error &error) {
            QVERIFY(
                QString::fromUtf8(error.what()).contains(QLatin1String("shutting down; task 'late' was not created")));
        }
        QCOMPARE(LifeCounter::alive.load(), 0);
    }
};

QTEST_GUILESS_MAIN(tst_Manager)
#include "tst_manager.moc"
