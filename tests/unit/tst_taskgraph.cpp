// What a suspended coroutine task waits on and where: each kind of await with its co_await's line, the
// chain of child coroutines, the task graph (parents, who awaits whom, cycles) and its text form, read
// from the manager's thread and from another thread while tasks churn.

#include <qtm/taskcontrol.h>
#include <qtm/taskgroup.h>
#include <qtm/taskmanager.h>

#include <QtCore/QMutex>
#include <QtCore/QPromise>
#include <QtCore/QScopeGuard>
#include <QtCore/QSemaphore>
#include <QtCore/QTimer>
#include <QtTest>

#include <atomic>
#include <optional>
#include <stdexcept>
#include <thread>

using namespace std::chrono_literals;
using qtm::AwaitFrame;
using qtm::AwaitKind;

namespace {

constexpr int kWait = 20000; // generous: the tests must not depend on the machine being fast

// The line of each co_await under test, set by the line before it.
int g_sleepLine = 0;
int g_childLine = 0;
int g_signalLine = 0;
int g_futureLine = 0;
int g_taskLine = 0;
int g_cancelLine = 0;
int g_yieldLine = 0;
int g_blockLine = 0;

//! The stall reports seen by the message handler (in the watchdog's thread): only those that contain
//! `g_expectedStall`, so that a report of an unrelated stall of a loaded machine cannot stand in for it.
QMutex g_stallMutex;
QString g_expectedStall;
QString g_stallReport;
QSemaphore g_stallReported;
QtMessageHandler g_previousHandler = nullptr;

void stallHandler(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if (message.startsWith(QLatin1String("the event loop has not turned"))) {
        const QMutexLocker lock(&g_stallMutex);
        if (!g_expectedStall.isEmpty() && message.contains(g_expectedStall)) {
            g_stallReport = message;
            g_expectedStall.clear();
            g_stallReported.release();
        }
    }
    g_previousHandler(type, context, message);
}

void expectStall(const QString &text)
{
    const QMutexLocker lock(&g_stallMutex);
    g_expectedStall = text;
    g_stallReport.clear();
}

QString stallReport()
{
    const QMutexLocker lock(&g_stallMutex);
    return g_stallReport;
}

//! A step that holds the loop until the stall it causes has been reported.
qtm::Coro<bool> blockUntilReported()
{
    g_blockLine = __LINE__ + 1;
    co_await qtm::yield();
    co_return g_stallReported.tryAcquire(1, kWait);
}

qtm::Coro<void> sleepAnHour()
{
    g_sleepLine = __LINE__ + 1;
    co_await qtm::sleep(1h);
}

qtm::Coro<int> waitForTimeout(QTimer *timer)
{
    g_signalLine = __LINE__ + 1;
    co_await qtm::signal(timer, &QTimer::timeout);
    co_return 7;
}

qtm::Coro<int> outerCoroutine(QTimer *timer)
{
    g_childLine = __LINE__ + 1;
    const int value = co_await waitForTimeout(timer);
    co_return value + 1;
}

qtm::Coro<int> awaitFuture(QFuture<int> future)
{
    g_futureLine = __LINE__ + 1;
    const int value = co_await future;
    co_return value;
}

qtm::Coro<void> awaitTask(qtm::Task other)
{
    g_taskLine = __LINE__ + 1;
    co_await other;
}

qtm::Coro<qtm::CancelOutcome> awaitCancel(qtm::TaskManager *manager, qtm::Task other)
{
    g_cancelLine = __LINE__ + 1;
    const qtm::CancelOutcome outcome = co_await manager->cancelTask(other);
    co_return outcome;
}

qtm::Coro<void> yieldUntil(const std::atomic<bool> *stop)
{
    while (!stop->load()) {
        g_yieldLine = __LINE__ + 1;
        co_await qtm::yield();
    }
}

//! Waits (yielding) until \a other has started, then returns what it awaits: \a other runs only between
//! this task's steps, so it is suspended whenever this one looks.
qtm::Coro<QList<AwaitFrame>> lookAt(qtm::Task other)
{
    while (other.state() == qtm::TaskState::Pending)
        co_await qtm::yield();
    co_return other.awaiting();
}

QList<AwaitFrame> waitForAwait(const qtm::Task &task)
{
    if (!QTest::qWaitFor([&] { return !task.awaiting().isEmpty(); }, kWait))
        qFatal("task %s never suspended at an await within %d ms", qPrintable(task.name()), kWait);
    return task.awaiting();
}

template<typename T>
T waitFor(const QFuture<T> &future)
{
    if (!QTest::qWaitFor([&] { return future.isFinished(); }, kWait))
        qFatal("future did not finish in %d ms", kWait);
    return future.result();
}

void waitFor(const qtm::Task &task)
{
    if (!QTest::qWaitFor([&] { return task.isFinished(); }, kWait))
        qFatal("task %s did not finish in %d ms", qPrintable(task.name()), kWait);
}

void checkPlace(const AwaitFrame &frame, int line, const char *function)
{
    QCOMPARE(frame.line, line);
    QVERIFY2(frame.file.endsWith(QLatin1String("tst_taskgraph.cpp")), qPrintable(frame.file));
    QCOMPARE(frame.location(), QStringLiteral("tst_taskgraph.cpp:%1").arg(line));
    QCOMPARE(frame.function, QString::fromLatin1(function));
}

} // namespace

class TaskGraphTest : public QObject
{
    Q_OBJECT

private slots:
    void sleepShowsItsPlaceAndTimeLeft()
    {
        qtm::TaskManager manager;
        qtm::Task task = manager.createTask(sleepAnHour(), QStringLiteral("sleeper"));
        QVERIFY(task.awaiting().isEmpty()); // not started yet
        const QList<AwaitFrame> frames = waitForAwait(task);
        QCOMPARE(frames.size(), 1);
        QCOMPARE(frames[0].kind, AwaitKind::Sleep);
        checkPlace(frames[0], g_sleepLine, "sleepAnHour");
        QCOMPARE(frames[0].description, QStringLiteral("sleep 3600000 ms"));
        QVERIFY2(frames[0].remainingMs > 0 && frames[0].remainingMs <= 3'600'000,
                 qPrintable(QString::number(frames[0].remainingMs)));
        QVERIFY(frames[0].waitingMs >= 0);
        QVERIFY(frames[0].remainingMs + frames[0].waitingMs <= 3'600'000);
        // The snapshot carries the same frames.
        const qtm::TaskData data = task.data();
        QCOMPARE(data.awaiting.size(), 1);
        QCOMPARE(data.awaiting[0].line, g_sleepLine);

        QCOMPARE(waitFor(manager.cancelTask(task)), qtm::CancelOutcome::Cancelled);
        QVERIFY(task.awaiting().isEmpty()); // ended: nothing awaited
        QVERIFY(task.data().awaiting.isEmpty());
    }

    void childCoroutinesNestOutermostFirst()
    {
        qtm::TaskManager manager;
        QTimer timer;
        timer.setObjectName(QStringLiteral("poll"));
        timer.setSingleShot(true);
        auto task = manager.createTask(outerCoroutine(&timer), QStringLiteral("outer"));
        const QList<AwaitFrame> frames = waitForAwait(task);
        QCOMPARE(frames.size(), 2);
        QCOMPARE(frames[0].kind, AwaitKind::Coroutine);
        checkPlace(frames[0], g_childLine, "outerCoroutine");
        QCOMPARE(frames[0].description, QStringLiteral("a coroutine"));
        QCOMPARE(frames[1].kind, AwaitKind::Signal);
        checkPlace(frames[1], g_signalLine, "waitForTimeout");
        QCOMPARE(frames[1].description, QStringLiteral("signal timeout() of QTimer \"poll\""));
        QCOMPARE(frames[1].remainingMs, -1); // no time-out

        timer.start(0);
        QCOMPARE(waitFor(task.future()), 8);
        QVERIFY(task.awaiting().isEmpty());
    }

    void signalWithTimeOutShowsItsBound()
    {
        qtm::TaskManager manager;
        QTimer timer;
        auto task = manager.createTask([](QTimer *timer) -> qtm::Coro<bool> {
            co_return co_await qtm::signal(timer, &QTimer::timeout, 1h);
        }(&timer));
        const QList<AwaitFrame> frames = waitForAwait(task);
        QCOMPARE(frames.size(), 1);
        QCOMPARE(frames[0].description, QStringLiteral("signal timeout() of QTimer (time-out 3600000 ms)"));
        QVERIFY(frames[0].remainingMs > 0 && frames[0].remainingMs <= 3'600'000);
        timer.start(0);
        QCOMPARE(waitFor(task.future()), true);
    }

    void futureTaskAndCancelAreTold()
    {
        qtm::TaskManager manager;
        QPromise<int> promise;
        auto futureTask = manager.createTask(awaitFuture(promise.future()), QStringLiteral("future-waiter"));
        qtm::Task sleeper = manager.createTask(sleepAnHour(), QStringLiteral("sleeper"));
        auto taskWaiter = manager.createTask(awaitTask(sleeper), QStringLiteral("task-waiter"));

        QList<AwaitFrame> frames = waitForAwait(futureTask);
        QCOMPARE(frames.size(), 1);
        QCOMPARE(frames[0].kind, AwaitKind::Future);
        QCOMPARE(frames[0].description, QStringLiteral("a QFuture"));
        checkPlace(frames[0], g_futureLine, "awaitFuture");

        frames = waitForAwait(taskWaiter);
        QCOMPARE(frames.size(), 1);
        QCOMPARE(frames[0].kind, AwaitKind::Task);
        checkPlace(frames[0], g_taskLine, "awaitTask");
        QCOMPARE(frames[0].awaitedTaskId, sleeper.id());
        QCOMPARE(frames[0].awaitedTaskName, QStringLiteral("sleeper"));
        QCOMPARE(frames[0].description, QStringLiteral("task \"sleeper\" #%1").arg(sleeper.id()));

        // A cancel that takes its time: a thread-pool function that finishes only when released.
        QSemaphore release;
        qtm::Task worker = manager.createTask([&release] { release.acquire(); }, QStringLiteral("worker"));
        QVERIFY(QTest::qWaitFor([&] { return worker.state() == qtm::TaskState::Running; }, kWait));
        auto canceller = manager.createTask(awaitCancel(&manager, worker), QStringLiteral("canceller"));
        frames = waitForAwait(canceller);
        QCOMPARE(frames.size(), 1);
        QCOMPARE(frames[0].kind, AwaitKind::Cancel);
        checkPlace(frames[0], g_cancelLine, "awaitCancel");
        QVERIFY(worker.awaiting().isEmpty()); // not a coroutine: nothing to tell

        release.release();
        QCOMPARE(waitFor(canceller.future()), qtm::CancelOutcome::FinishedAnyway);
        promise.start();
        promise.addResult(5);
        promise.finish();
        QCOMPARE(waitFor(futureTask.future()), 5);
        QCOMPARE(waitFor(manager.cancelTask(sleeper)), qtm::CancelOutcome::Cancelled);
        waitFor(taskWaiter);
        QVERIFY(taskWaiter.awaiting().isEmpty());
    }

    void yieldIsTold()
    {
        qtm::TaskManager manager;
        std::atomic<bool> stop{false};
        qtm::Task yielder = manager.createTask(yieldUntil(&stop), QStringLiteral("yielder"));
        auto looker = manager.createTask(lookAt(yielder), QStringLiteral("looker"));
        const QList<AwaitFrame> frames = waitFor(looker.future());
        stop = true;
        QCOMPARE(frames.size(), 1);
        QCOMPARE(frames[0].kind, AwaitKind::Yield);
        checkPlace(frames[0], g_yieldLine, "yieldUntil");
        QCOMPARE(frames[0].description, QStringLiteral("the next loop turn"));
        waitFor(yielder);
        QCOMPARE(yielder.state(), qtm::TaskState::Succeeded);
    }

    void graphShowsParentsAwaitsAndText()
    {
        qtm::TaskManager manager;
        std::optional<qtm::Task> child;
        std::optional<qtm::Task> grandchild;
        int parentLine = 0;
        auto parent = manager.createTask(
            [](qtm::TaskManager *manager, std::optional<qtm::Task> *child, std::optional<qtm::Task> *grandchild,
               int *line) -> qtm::Coro<void> {
                *child = manager->createTask(
                    [](qtm::TaskManager *manager, std::optional<qtm::Task> *grandchild) -> qtm::Coro<void> {
                        *grandchild = manager->createTask(sleepAnHour(), QStringLiteral("grandchild"));
                        co_await **grandchild;
                    }(manager, grandchild),
                    QStringLiteral("child"));
                *line = __LINE__ + 1;
                co_await **child;
            }(&manager, &child, &grandchild, &parentLine),
            QStringLiteral("parent"));
        qtm::Task outsider = manager.createTask(sleepAnHour(), QStringLiteral("outsider"));
        QVERIFY(QTest::qWaitFor([&] { return grandchild && !grandchild->awaiting().isEmpty(); }, kWait));
        waitForAwait(parent);
        waitForAwait(*child);
        waitForAwait(outsider);

        const qtm::TaskGraph graph = manager.captureTaskGraph();
        QCOMPARE(graph.nodes().size(), 4);
        QCOMPARE(graph.roots(), (QList<quint64>{parent.id(), outsider.id()}));
        QCOMPARE(graph.node(child->id())->parentId, parent.id());
        QCOMPARE(graph.node(grandchild->id())->parentId, child->id());
        QCOMPARE(graph.node(parent.id())->children, QList<quint64>{child->id()});
        QCOMPARE(graph.node(parent.id())->awaiting.last().awaitedTaskId, child->id());
        QVERIFY(graph.cycles().isEmpty());
        QVERIFY(graph.node(12345678) == nullptr);

        const QString lambda = graph.node(parent.id())->awaiting[0].function; // the compiler's name for it
        const QString childLambda = graph.node(child->id())->awaiting[0].function;
        const QString expected
            = QStringLiteral("├── (T) parent #%1 [Running]\n"
                             "│   ├── %2 tst_taskgraph.cpp:%3 awaiting task \"child\" #%4\n"
                             "│   └── (T) child #%4 [Running]\n"
                             "│       ├── %5 tst_taskgraph.cpp:%6 awaiting task \"grandchild\" #%7\n"
                             "│       └── (T) grandchild #%7 [Running]\n"
                             "│           └── sleepAnHour tst_taskgraph.cpp:%8 awaiting sleep 3600000 ms\n"
                             "└── (T) outsider #%9 [Running]\n"
                             "    └── sleepAnHour tst_taskgraph.cpp:%8 awaiting sleep 3600000 ms")
                  .arg(parent.id())
                  .arg(lambda)
                  .arg(parentLine)
                  .arg(child->id())
                  .arg(childLambda)
                  .arg(graph.node(child->id())->awaiting[0].line)
                  .arg(grandchild->id())
                  .arg(g_sleepLine)
                  .arg(outsider.id());
        QCOMPARE(graph.toString(false), expected);
        qInfo().noquote() << "the graph:\n" + graph.toString();
        // With times: each await line ends with how long it has waited.
        const QStringList timed = graph.toString().split(QLatin1Char('\n'));
        QCOMPARE(timed.size(), 8);
        QVERIFY2(
            timed[5].contains(QRegularExpression(QStringLiteral(R"(sleep 3600000 ms \(\d+ ms left\) for \d+ ms$)"))),
            qPrintable(timed[5]));

        manager.cancelAllTasks();
        waitFor(parent);
        QVERIFY(manager.captureTaskGraph().nodes().isEmpty());
        QCOMPARE(manager.captureTaskGraph().toString(), QString());
    }

    void aGroupsChildrenSitUnderItAndAnAwaitOfItIsTold()
    {
        qtm::TaskManager manager;
        std::optional<qtm::TaskGroup<>> group;
        int awaitLine = 0;
        auto parent = manager.createTask(
            [](qtm::TaskManager *manager, std::optional<qtm::TaskGroup<>> *group, int *line) -> qtm::Coro<void> {
                *group = manager->createGroup({.name = QStringLiteral("thumbnails")});
                (*group)->createTask(sleepAnHour(), QStringLiteral("thumbnail 0"));
                *line = __LINE__ + 1;
                co_await **group;
            }(&manager, &group, &awaitLine),
            QStringLiteral("parent"));
        // Created from outside any task, yet in the group: it sits under the group, not at the top.
        QVERIFY(QTest::qWaitFor([&] { return group.has_value(); }, kWait));
        const qtm::Task outside = group->createTask(sleepAnHour(), QStringLiteral("thumbnail 1"));
        waitForAwait(parent);
        waitForAwait(outside);

        const qtm::TaskGraph graph = manager.captureTaskGraph();
        QCOMPARE(graph.roots(), QList<quint64>{parent.id()});
        QCOMPARE(graph.node(parent.id())->children, QList<quint64>{group->id()});
        QCOMPARE(graph.node(group->id())->kind, qtm::TaskKind::Group);
        QCOMPARE(graph.node(group->id())->children.size(), 2);
        QCOMPARE(graph.node(outside.id())->groupId, group->id());
        QCOMPARE(graph.node(outside.id())->parentId, quint64(0));
        const qtm::AwaitFrame &frame = graph.node(parent.id())->awaiting.last();
        QCOMPARE(frame.kind, qtm::AwaitKind::Group);
        QCOMPARE(frame.awaitedTaskId, group->id());
        QCOMPARE(frame.description, QStringLiteral("group \"thumbnails\" #%1").arg(group->id()));
        QCOMPARE(frame.line, awaitLine);
        QVERIFY2(graph.toString(false).contains(QStringLiteral("awaiting group \"thumbnails\"")),
                 qPrintable(graph.toString(false)));
        manager.cancelAllTasks();
        waitFor(parent);
    }

    void cycleOfTasksAwaitingEachOtherIsReported()
    {
        qtm::TaskManager manager;
        std::optional<qtm::Task> a;
        std::optional<qtm::Task> b;
        const auto awaitOther = [](std::optional<qtm::Task> *other) -> qtm::Coro<void> {
            while (!other->has_value())
                co_await qtm::yield();
            co_await **other;
        };
        a = manager.createTask(awaitOther(&b), QStringLiteral("a"));
        b = manager.createTask(awaitOther(&a), QStringLiteral("b"));
        qtm::Task bystander = manager.createTask(awaitTask(*a), QStringLiteral("bystander")); // leads into it
        QVERIFY(QTest::qWaitFor(
            [&] {
                return !a->awaiting().isEmpty() && a->awaiting().last().kind == AwaitKind::Task
                    && !b->awaiting().isEmpty() && b->awaiting().last().kind == AwaitKind::Task
                    && !bystander.awaiting().isEmpty();
            },
            kWait));

        const qtm::TaskGraph graph = manager.captureTaskGraph();
        QCOMPARE(graph.cycles(), (QList<QList<quint64>>{{a->id(), b->id()}}));
        QVERIFY2(graph.toString(false).endsWith(
                     QStringLiteral("\ncycle: a #%1 -> b #%2 -> a #%1").arg(a->id()).arg(b->id())),
                 qPrintable(graph.toString(false)));

        QCOMPARE(waitFor(manager.cancelTask(*a)), qtm::CancelOutcome::Cancelled);
        waitFor(*b); // b's await of a ends with a
        QVERIFY(manager.captureTaskGraph().cycles().isEmpty());
    }

    void threadTaskIsTheParentOfWhatItCreates()
    {
        qtm::TaskManager manager;
        std::optional<qtm::Task> created;
        qtm::Task creator = manager.createTask(
            [&manager, &created] { created = manager.createTask(sleepAnHour(), QStringLiteral("created")); },
            QStringLiteral("creator"));
        waitFor(creator);
        QVERIFY(created.has_value());
        waitForAwait(*created);
        const qtm::TaskGraph graph = manager.captureTaskGraph();
        QCOMPARE(graph.node(created->id())->parentId, creator.id());
        QCOMPARE(graph.roots(), QList<quint64>{created->id()}); // its creator has ended
        QCOMPARE(waitFor(manager.cancelTask(*created)), qtm::CancelOutcome::Cancelled);
        waitFor(*created);
    }

    void stalledLoopIsReportedWhileStalled()
    {
        qtm::TaskManager manager;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, manager.setStallReportThreshold(-1ms));
        QCOMPARE(manager.stallReportThreshold(), 0ms);
        manager.setStallReportThreshold(std::chrono::milliseconds::max()); // saturated, not overflowed
        QCOMPARE(manager.stallReportThreshold(), std::chrono::milliseconds(std::chrono::hours(24 * 365)));
        manager.setStallReportThreshold(50ms);
        QCOMPARE(manager.stallReportThreshold(), 50ms);
        std::thread([&] { manager.setStallReportThreshold(40ms); }).join(); // any thread
        QCOMPARE(manager.stallReportThreshold(), 40ms);
        manager.setStallReportThreshold(0ms);
        QCOMPARE(manager.stallReportThreshold(), 0ms);
        manager.setStallReportThreshold(50ms);

        g_previousHandler = qInstallMessageHandler(stallHandler);
        const auto restore = qScopeGuard([] { qInstallMessageHandler(g_previousHandler); });
        qtm::Task bystander = manager.createTask(sleepAnHour(), QStringLiteral("bystander"));
        waitForAwait(bystander);

        // A coroutine step that holds the loop is named, with the await it resumed from, while it holds it.
        expectStall(QStringLiteral("task \"blocker\""));
        auto blocker = manager.createTask(blockUntilReported(), QStringLiteral("blocker"));
        QVERIFY(waitFor(blocker.future()));
        QString report = stallReport();
        QVERIFY2(report.contains(QStringLiteral("task \"blocker\" #%1 holds it, in the step resumed at "
                                                "blockUntilReported tst_taskgraph.cpp:%2")
                                     .arg(blocker.id())
                                     .arg(g_blockLine)),
                 qPrintable(report));
        QVERIFY2(report.contains(QStringLiteral("(T) blocker #%1 [Running]").arg(blocker.id())), qPrintable(report));
        QVERIFY2(report.contains(QStringLiteral("sleepAnHour tst_taskgraph.cpp:%1 awaiting sleep").arg(g_sleepLine)),
                 qPrintable(report));

        // Held outside any task (here, by the test itself, which runs on the manager's loop), with 250 more
        // tasks asleep: the report keeps the graph's first 200 lines (two per sleeping task) and says how
        // many it left out. The loop turns first (waitForAwait()), answering the watchdog's question of the
        // first stall: otherwise it is the same stall.
        QList<qtm::Task> sleepers;
        for (int i = 0; i < 250; ++i)
            sleepers << manager.createTask(sleepAnHour(), QStringLiteral("sleeper"));
        for (const qtm::Task &sleeper : std::as_const(sleepers))
            waitForAwait(sleeper);
        QCoreApplication::processEvents();
        expectStall(QStringLiteral("no task step is running"));
        QVERIFY(g_stallReported.tryAcquire(1, kWait));
        report = stallReport();
        QVERIFY2(report.contains(QStringLiteral("(T) bystander #%1").arg(bystander.id())), qPrintable(report));
        QVERIFY2(report.endsWith(QStringLiteral("\n(302 more lines: TaskManager::captureTaskGraph() has them all)")),
                 qPrintable(report.right(200)));
        QCOMPARE(report.section(QStringLiteral("task graph:\n"), 1).count(QLatin1Char('\n')), 200);

        manager.setStallReportThreshold(0ms);
        QCOMPARE(manager.stallReportThreshold(), 0ms);
        manager.cancelAllTasks();
        QVERIFY(QTest::qWaitFor([&] { return manager.taskCount() == 0; }, kWait));
    }

    void capturedFromAnotherThreadWhileTasksChurn()
    {
        // Readers in another thread copy the published awaits under each task's lock while the manager's
        // thread suspends, resumes and destroys the frames that hold them (TSan checks the rest). The reader
        // takes a few captures per round, while that round's tasks run: paced, not spinning, so that a slow
        // machine (valgrind serialises the threads) still lets the loop run.
        qtm::TaskManager manager;
        qtm::Task anchor = manager.createTask(sleepAnHour(), QStringLiteral("anchor")); // always one await to see
        waitForAwait(anchor);
        std::atomic<bool> stop{false};
        QSemaphore round;
        std::atomic<int> captures{0};
        std::atomic<int> framesSeen{0};
        std::atomic<bool> wrong{false};
        std::thread reader([&] {
            while (true) {
                round.acquire();
                if (stop.load())
                    return;
                for (int i = 0; i < 5; ++i) {
                    const qtm::TaskGraph graph = manager.captureTaskGraph();
                    for (const qtm::TaskGraph::Node &node : graph.nodes()) {
                        for (const AwaitFrame &frame : node.awaiting) {
                            framesSeen.fetch_add(1);
                            if (frame.line <= 0 || !frame.file.endsWith(QLatin1String("tst_taskgraph.cpp")))
                                wrong = true;
                        }
                    }
                    captures.fetch_add(1);
                }
            }
        });
        QList<qtm::Task> tasks;
        for (int rounds = 0; rounds < 50; ++rounds) {
            for (int i = 0; i < 20; ++i) {
                tasks << manager.createTask(
                    []() -> qtm::Coro<void> {
                        co_await qtm::yield();
                        co_await qtm::sleep(0ms);
                        co_await qtm::yield();
                    }(),
                    QStringLiteral("churn"));
            }
            round.release();
            QVERIFY(QTest::qWaitFor([&] { return tasks.last().isFinished(); }, kWait));
        }
        // The reader may lag behind the rounds: let it take its captures before telling it to stop (a stop
        // seen first would leave the rounds it had not reached uncaptured).
        QVERIFY(QTest::qWaitFor([&] { return captures.load() >= 5; }, kWait));
        stop = true;
        round.release();
        reader.join();
        QVERIFY(!wrong.load());
        QVERIFY(framesSeen.load() > 0); // the anchor's, at least
        QCOMPARE(waitFor(manager.cancelTask(anchor)), qtm::CancelOutcome::Cancelled);
    }
};

QTEST_GUILESS_MAIN(TaskGraphTest)
#include "tst_taskgraph.moc"
