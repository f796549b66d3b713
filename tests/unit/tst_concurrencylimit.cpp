// TaskManager::setMaxConcurrentTasks(): at most N tasks running at once, the rest Pending with a reason,
// started highest priority first and first come first served among equals as slots free up; cancelling
// a waiting task starts nothing. A thread-pool task's priority also orders the pool's queue.

#include <qtm/taskmanager.h>

#include <QtCore/QMutex>
#include <QtCore/QPromise>
#include <QtCore/QSemaphore>
#include <QtCore/QThread>
#include <QtCore/QThreadPool>
#include <QtTest>

#include <algorithm>

#include <atomic>
#include <memory>
#include <stdexcept>

using namespace std::chrono_literals;

namespace {

//! A coroutine task that runs until its gate's future is finished from the test.
struct Gate
{
    Gate() { promise.start(); }
    void open() { promise.finish(); }
    QPromise<void> promise;
};

qtm::Coro<void> waitAt(QFuture<void> gate)
{
    co_await gate;
}

//! Counts the tasks started and not finished, and the most there were at one instant.
struct RunningCounter
{
    explicit RunningCounter(qtm::TaskManager &manager)
    {
        QObject::connect(&manager, &qtm::TaskManager::taskStarted, &manager, [this](const qtm::Task &task) {
            started.append(task.name());
            maximum = std::max(maximum, ++running);
        });
        QObject::connect(&manager, &qtm::TaskManager::taskFinished, &manager, [this](const qtm::Task &task) {
            if (started.contains(task.name()))
                --running;
        });
    }
    QStringList started;
    int running = 0;
    int maximum = 0;
};

QString name(int index)
{
    return QStringLiteral("task-%1").arg(index);
}

//! Creates \a count tasks waiting at \a gate, under a limit of one: the first runs, the rest wait.
QList<qtm::Task> createBehindOne(qtm::TaskManager &manager, const RunningCounter &counter, QFuture<void> gate,
                                 int count)
{
    QList<qtm::Task> tasks;
    for (int i = 0; i < count; ++i)
        tasks.append(manager.createTask(waitAt(gate), name(i)));
    [&] {
        QTRY_COMPARE_WITH_TIMEOUT(counter.started.size(), 1, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(!tasks.last().pendingReason().isEmpty(), 20000);
    }();
    return tasks;
}

} // namespace

class tst_ConcurrencyLimit : public QObject
{
    Q_OBJECT

private slots:
    void aTaskWaitingForASlotHoldsNoThread()
    {
        QThreadPool pool;
        qtm::TaskManager manager;
        manager.setThreadPool(&pool);
        manager.setMaxConcurrentTasks(1);
        QPromise<void> gate;
        gate.start();
        const auto running = manager.createTask(waitAt(gate.future()), QStringLiteral("running"));
        QList<qtm::Task> waiting;
        for (int i = 0; i < 10; ++i)
            waiting.append(manager.createTask([] { return 1; }));
        QTRY_VERIFY_WITH_TIMEOUT(!waiting.last().pendingReason().isEmpty(), 20000);
        // Ten thread-pool tasks wait: none is in the pool, running or queued.
        QCOMPARE(pool.activeThreadCount(), 0);
        QVERIFY(pool.waitForDone(0));
        gate.finish();
        QTRY_VERIFY_WITH_TIMEOUT(
            std::all_of(waiting.cbegin(), waiting.cend(), [](const qtm::Task &t) { return t.isFinished(); }), 20000);
    }

    void aLongQueueOfTasksThatEndInTheirFirstStepDoesNotNestTheirStarts()
    {
        // Each ends inside its own start, and its end starts the next: done by nesting, 20 000 of them
        // overflowed the stack.
        qtm::TaskManager manager;
        manager.setMaxConcurrentTasks(1);
        constexpr int count = 20'000;
        QPromise<void> gate;
        gate.start();
        const auto blocker = manager.createTask(waitAt(gate.future()), QStringLiteral("blocker"));
        int succeeded = 0;
        connect(&manager, &qtm::TaskManager::taskSucceeded, this, [&succeeded] { ++succeeded; });
        qtm::Task last;
        for (int i = 0; i < count; ++i)
            last = manager.createTask([]() -> qtm::Coro<int> { co_return 1; });
        QTRY_VERIFY_WITH_TIMEOUT(!last.pendingReason().isEmpty(), 20000); // all of them wait in the queue
        gate.finish();
        QTRY_COMPARE_WITH_TIMEOUT(succeeded, count + 1, 120000);
        QCOMPARE(manager.taskCount(), 0);
    }

    void tasksBeyondTheLimitWaitAndStartInTheOrderTheyCame()
    {
        qtm::TaskManager manager;
        manager.setMaxConcurrentTasks(2);
        QCOMPARE(manager.maxConcurrentTasks(), 2);
        RunningCounter counter(manager);
        std::vector<std::unique_ptr<Gate>> gates;
        QList<qtm::Task> tasks;
        for (int i = 0; i < 5; ++i) {
            gates.push_back(std::make_unique<Gate>());
            tasks.append(manager.createTask(waitAt(gates.back()->promise.future()), name(i)));
        }
        QTRY_COMPARE_WITH_TIMEOUT(counter.started.size(), 2, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(tasks[4].pendingReason(), QStringLiteral("waiting for a slot: 2 of 2 running"),
                                  20000);
        QCOMPARE(tasks[2].state(), qtm::TaskState::Pending);
        QCOMPARE(tasks[4].data().pendingReason, tasks[4].pendingReason());
        QVERIFY(tasks[0].pendingReason().isEmpty());

        // The first one's slot goes to the first one waiting; then the rest, each as a slot frees.
        gates[0]->open();
        QTRY_COMPARE_WITH_TIMEOUT(counter.started, (QStringList{name(0), name(1), name(2)}), 20000);
        QVERIFY(tasks[2].pendingReason().isEmpty());
        QCOMPARE(tasks[3].state(), qtm::TaskState::Pending);
        for (int i = 1; i < 5; ++i)
            gates[i]->open();
        for (const qtm::Task &task : tasks)
            QTRY_VERIFY_WITH_TIMEOUT(task.isFinished(), 20000);
        QCOMPARE(counter.started, (QStringList{name(0), name(1), name(2), name(3), name(4)}));
        QCOMPARE(counter.maximum, 2);
        for (const qtm::Task &task : tasks)
            QCOMPARE(task.state(), qtm::TaskState::Succeeded);
    }

    void cancellingAWaitingTaskEndsItUnrunAndStartsNothing()
    {
        qtm::TaskManager manager;
        manager.setMaxConcurrentTasks(1);
        RunningCounter counter(manager);
        Gate first, second, third;
        auto running = manager.createTask(waitAt(first.promise.future()), name(0));
        auto waiting = manager.createTask(waitAt(second.promise.future()), name(1));
        auto next = manager.createTask(waitAt(third.promise.future()), name(2));
        QTRY_COMPARE_WITH_TIMEOUT(counter.started.size(), 1, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(!waiting.pendingReason().isEmpty(), 20000);

        auto outcome = manager.cancelTask(waiting);
        QTRY_VERIFY_WITH_TIMEOUT(outcome.isFinished(), 20000);
        QCOMPARE(outcome.result(), qtm::CancelOutcome::Cancelled);
        QCOMPARE(waiting.state(), qtm::TaskState::Cancelled);
        QVERIFY(!waiting.startedAt().isValid());
        QVERIFY(waiting.pendingReason().isEmpty()); // it no longer waits
        // Nothing started in its place: the one slot is still held.
        QCOMPARE(next.state(), qtm::TaskState::Pending);
        QCOMPARE(counter.started, QStringList{name(0)});

        // Cancelling the running one lets the next waiting one (not the cancelled one) start.
        auto cancelRunning = manager.cancelTask(running);
        QTRY_COMPARE_WITH_TIMEOUT(counter.started, (QStringList{name(0), name(2)}), 20000);
        QCOMPARE(running.state(), qtm::TaskState::Cancelled);
        third.open();
        QTRY_COMPARE_WITH_TIMEOUT(next.state(), qtm::TaskState::Succeeded, 20000);
        QCOMPARE(counter.maximum, 1);
    }

    void threadPoolTasksNeverRunMoreThanTheLimitAtOnce()
    {
        qtm::TaskManager manager;
        QThreadPool pool;
        pool.setMaxThreadCount(4);
        manager.setThreadPool(&pool);
        manager.setMaxConcurrentTasks(2);
        std::atomic<int> inside{0}, most{0};
        QSemaphore release;
        QList<qtm::Task> tasks;
        for (int i = 0; i < 12; ++i) {
            tasks.append(manager.createTask(
                [&inside, &most, &release] {
                    const int now = ++inside;
                    int seen = most.load();
                    while (now > seen && !most.compare_exchange_weak(seen, now)) { }
                    release.tryAcquire(1, 20000); // held until the test lets it go (bounded)
                    --inside;
                },
                name(i)));
        }
        // Two functions are held inside; the pool has threads to spare, but the third is held back.
        QTRY_COMPARE_WITH_TIMEOUT(inside.load(), 2, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(!tasks[2].pendingReason().isEmpty(), 20000);
        QCOMPARE(tasks[2].state(), qtm::TaskState::Pending);
        release.release(12);
        for (const qtm::Task &task : tasks)
            QTRY_VERIFY_WITH_TIMEOUT(task.isFinished(), 20000);
        QVERIFY2(most.load() <= 2, qPrintable(QStringLiteral("%1 ran at once").arg(most.load())));
        for (const qtm::Task &task : tasks)
            QCOMPARE(task.state(), qtm::TaskState::Succeeded);
    }

    void raisingTheLimitFromAnotherThreadStartsWaitingTasks()
    {
        qtm::TaskManager manager;
        manager.setMaxConcurrentTasks(1);
        RunningCounter counter(manager);
        Gate gate;
        const QList<qtm::Task> tasks = createBehindOne(manager, counter, gate.promise.future(), 3);

        std::unique_ptr<QThread> other(QThread::create([&manager] { manager.setMaxConcurrentTasks(0); }));
        other->start();
        QVERIFY(other->wait(20000));
        QTRY_COMPARE_WITH_TIMEOUT(counter.started.size(), 3, 20000);
        QCOMPARE(manager.maxConcurrentTasks(), 0);
        gate.open();
        for (const qtm::Task &task : tasks)
            QTRY_COMPARE_WITH_TIMEOUT(task.state(), qtm::TaskState::Succeeded, 20000);
    }

    void aNegativeLimitIsRejectedAndChangesNothing()
    {
        qtm::TaskManager manager;
        manager.setMaxConcurrentTasks(3);
        try {
            manager.setMaxConcurrentTasks(-1);
            QFAIL("a negative limit was accepted");
        } catch (const std::invalid_argument &error) {
            QVERIFY2(QByteArray(error.what()).contains("must not be negative (got -1"), error.what());
        }
        QCOMPARE(manager.maxConcurrentTasks(), 3);
    }

    void waitingTasksStartHighestPriorityFirstThenInTheOrderTheyCame()
    {
        qtm::TaskManager manager;
        manager.setMaxConcurrentTasks(1);
        RunningCounter counter(manager);
        Gate gate;
        const auto blocker = manager.createTask(waitAt(gate.promise.future()), QStringLiteral("blocker"));
        const QList<std::pair<QString, int>> waiting{{QStringLiteral("low"), -1}, {QStringLiteral("a0"), 0},
                                                     {QStringLiteral("a5"), 5},   {QStringLiteral("b0"), 0},
                                                     {QStringLiteral("top"), 10}, {QStringLiteral("b5"), 5},
                                                     {QStringLiteral("c0"), 0}};
        QList<qtm::Task> tasks;
        for (const auto &[taskName, priority] : waiting)
            tasks.append(
                manager.createTask([]() -> qtm::Coro<void> { co_return; }, {.name = taskName, .priority = priority}));
        QTRY_VERIFY_WITH_TIMEOUT(!tasks.last().pendingReason().isEmpty(), 20000);
        QCOMPARE(tasks[4].priority(), 10);
        QCOMPARE(tasks[4].data().priority, 10);
        QCOMPARE(blocker.priority(), 0);

        gate.open();
        for (const qtm::Task &task : tasks)
            QTRY_COMPARE_WITH_TIMEOUT(task.state(), qtm::TaskState::Succeeded, 20000);
        QCOMPARE(
            counter.started,
            (QStringList{QStringLiteral("blocker"), QStringLiteral("top"), QStringLiteral("a5"), QStringLiteral("b5"),
                         QStringLiteral("a0"), QStringLiteral("b0"), QStringLiteral("c0"), QStringLiteral("low")}));
    }

    void cancelledWaitingTasksLeaveTheQueueWhateverTheirPriority()
    {
        qtm::TaskManager manager;
        manager.setMaxConcurrentTasks(1);
        RunningCounter counter(manager);
        Gate gate;
        const auto blocker = manager.createTask(waitAt(gate.promise.future()), QStringLiteral("blocker"));
        QList<qtm::Task> tasks;
        for (int i = 0; i < 6; ++i)
            tasks.append(
                manager.createTask([]() -> qtm::Coro<void> { co_return; }, {.name = name(i), .priority = i % 3}));
        QTRY_VERIFY_WITH_TIMEOUT(!tasks.last().pendingReason().isEmpty(), 20000);
        // Every other one is cancelled while it waits: each ends at once and is gone from the queue (a
        // Debug build asserts that no ended task ever comes to the head of it).
        for (int i = 0; i < 6; i += 2) {
            auto outcome = manager.cancelTask(tasks[i]);
            QTRY_VERIFY_WITH_TIMEOUT(outcome.isFinished(), 20000);
            QCOMPARE(outcome.result(), qtm::CancelOutcome::Cancelled);
        }
        gate.open();
        for (int i = 1; i < 6; i += 2)
            QTRY_COMPARE_WITH_TIMEOUT(tasks[i].state(), qtm::TaskState::Succeeded, 20000);
        // Priorities 1, 0, 2 for tasks 1, 3, 5.
        QCOMPARE(counter.started, (QStringList{QStringLiteral("blocker"), name(5), name(1), name(3)}));
    }

    void aThreadPoolTaskPassesItsPriorityToThePool()
    {
        qtm::TaskManager manager;
        QThreadPool pool;
        pool.setMaxThreadCount(1);
        manager.setThreadPool(&pool);
        QSemaphore release;
        QStringList order;
        QMutex orderLock;
        const auto record = [&order, &orderLock](const QString &what) {
            const QMutexLocker locker(&orderLock);
            order.append(what);
        };
        int created = 0;
        connect(&manager, &qtm::TaskManager::taskCreated, &manager, [&created] { ++created; });
        const auto blocker
            = manager.createTask([&release] { release.tryAcquire(1, 20000); }, QStringLiteral("blocker"));
        const auto low = manager.createTask([&] { record(QStringLiteral("low")); },
                                            {.name = QStringLiteral("low"), .priority = 0});
        const auto high = manager.createTask([&] { record(QStringLiteral("high")); },
                                             {.name = QStringLiteral("high"), .priority = 5});
        // All three were handed to the pool (each is announced just before), whose one thread is held.
        QTRY_COMPARE_WITH_TIMEOUT(created, 3, 20000);
        release.release();
        QTRY_VERIFY_WITH_TIMEOUT(low.isFinished() && high.isFinished() && blocker.isFinished(), 20000);
        QCOMPARE(order, (QStringList{QStringLiteral("high"), QStringLiteral("low")}));
    }

    void shutdownEndsWaitingTasksUnrunAndReportsNoneDangling()
    {
        qtm::TaskManager manager;
        manager.setMaxConcurrentTasks(1);
        RunningCounter counter(manager);
        Gate gate;
        const QList<qtm::Task> tasks = createBehindOne(manager, counter, gate.promise.future(), 4);

        QVERIFY(manager.shutdown().isEmpty());
        for (const qtm::Task &task : tasks)
            QCOMPARE(task.state(), qtm::TaskState::Cancelled);
        QCOMPARE(counter.started, QStringList{name(0)}); // none of the waiting ones started on the way out
    }
};

QTEST_GUILESS_MAIN(tst_ConcurrencyLimit)
#include "tst_concurrencylimit.moc"
