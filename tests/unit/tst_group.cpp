// TaskGroup: a task whose work is its children. Structured (it never ends before a child; cancelling it
// cancels them, its bound included), with a policy (FailFast, ContinueOnError, FirstSuccess, AllSettled),
// results in creation order through its future and `co_await`, its own concurrency limit, nesting, and
// clear errors for what cannot be done.

#include <qtm/cancellederror.h>
#include <qtm/taskgroup.h>
#include <qtm/taskmanager.h>

#include "testhelpers.h"

#include <QtCore/QPromise>
#include <QtTest>

#include <atomic>
#include <memory>
#include <optional>
#include <stdexcept>

using namespace std::chrono_literals;

namespace {

//! Futures the test finishes when it wants the tasks waiting on them to go on: one per task, since
//! cancelling an await of a plain QFuture cancels that future.
struct Gates
{
    explicit Gates(int count)
    {
        for (int i = 0; i < count; ++i) {
            promises.push_back(std::make_unique<QPromise<void>>());
            promises.back()->start();
        }
    }
    ~Gates()
    {
        for (int i = 0; i < int(promises.size()); ++i)
            open(i);
    }
    void open(int i)
    {
        if (!promises[i]->future().isFinished())
            promises[i]->finish();
    }
    QFuture<void> operator[](int i) { return promises[i]->future(); }
    std::vector<std::unique_ptr<QPromise<void>>> promises;
};

qtm::Coro<int> valueAfter(QFuture<void> gate, int value)
{
    co_await gate;
    co_return value;
}

qtm::Coro<int> value(int v)
{
    co_return v;
}

qtm::Coro<int> failing(QString text)
{
    throw std::runtime_error(text.toStdString());
    co_return 0;
}

//! The most children of one group running at any instant, from its signals.
struct RunningPeak
{
    RunningPeak(qtm::TaskManager &manager, quint64 groupId)
    {
        QObject::connect(&manager, &qtm::TaskManager::taskStarted, &manager, [this, groupId](const qtm::Task &t) {
            if (t.groupId() == groupId)
                peak = std::max(peak, ++running);
        });
        QObject::connect(&manager, &qtm::TaskManager::taskFinished, &manager, [this, groupId](const qtm::Task &t) {
            if (t.groupId() == groupId && t.startedAt().isValid())
                --running;
        });
    }
    int running = 0;
    int peak = 0;
};

} // namespace

class tst_Group : public QObject
{
    Q_OBJECT

private slots:
    void aLongQueueOfChildrenThatEndInTheirFirstStepDoesNotNestTheirStarts()
    {
        qtm::TaskManager manager;
        auto group = manager.createGroup<int>({.maxConcurrent = 1});
        constexpr int count = 20'000;
        Gates gate(1);
        (void)group.createTask(valueAfter(gate[0], -1), QStringLiteral("blocker"));
        qtm::Task last;
        for (int i = 0; i < count; ++i)
            last = group.createTask(value(i));
        group.close();
        QTRY_VERIFY_WITH_TIMEOUT(!last.pendingReason().isEmpty(), 20000); // all of them wait in the group
        gate.open(0);
        QTRY_VERIFY_WITH_TIMEOUT(group.isFinished(), 120000);
        QCOMPARE(group.state(), qtm::TaskState::Succeeded);
        const QList<int> results = group.future().results();
        QCOMPARE(results.size(), count + 1);
        QCOMPARE(results.last(), count - 1);
    }

    void aGroupIsATaskWhoseResultsAreItsChildrensInCreationOrder()
    {
        qtm::TaskManager manager;
        qtmtest::EventLog log(&manager);
        Gates gates(3);
        auto group = manager.createGroup<int>({.name = QStringLiteral("numbers")});
        QCOMPARE(group.kind(), qtm::TaskKind::Group);
        QCOMPARE(group.policy(), qtm::GroupPolicy::FailFast);
        const auto a = group.createTask(valueAfter(gates[0], 1), QStringLiteral("a"));
        const auto b = group.createTask(valueAfter(gates[1], 2), QStringLiteral("b"));
        const auto c = group.createTask(valueAfter(gates[2], 3), QStringLiteral("c"));
        group.close();
        QCOMPARE(a.groupId(), group.id());
        QCOMPARE(c.data().groupId, group.id());
        QCOMPARE(group.groupId(), quint64(0));
        QCOMPARE(group.children(), (QList<qtm::Task>{a, b, c}));
        QVERIFY(manager.currentTasks().contains(group));

        // They end in another order than they were created in; the results keep the creation order.
        gates.open(2);
        QTRY_VERIFY_WITH_TIMEOUT(c.isFinished(), 20000);
        gates.open(0);
        QTRY_VERIFY_WITH_TIMEOUT(a.isFinished(), 20000);
        QCOMPARE(group.state(), qtm::TaskState::Running); // b is still live
        QCOMPARE(group.progressValue(), 2);
        QCOMPARE(group.progressMaximum(), 3);
        gates.open(1);
        QTRY_VERIFY_WITH_TIMEOUT(group.isFinished(), 20000);
        QCOMPARE(group.state(), qtm::TaskState::Succeeded);
        QCOMPARE(group.future().results(), (QList<int>{1, 2, 3}));
        QCOMPARE(group.progress(), 1.0);
        QCOMPARE(log.eventsOf(QStringLiteral("numbers")).first(), QStringLiteral("created"));
        QCOMPARE(log.eventsOf(QStringLiteral("numbers")).last(), QStringLiteral("finished"));
        // Its end comes after every child's.
        const qsizetype groupEnd = log.lines.indexOf(QStringLiteral("succeeded:numbers"));
        for (const char *child : {"a", "b", "c"})
            QVERIFY(log.lines.indexOf(QStringLiteral("finished:") + QLatin1String(child)) < groupEnd);
    }

    void resultsComeFromEveryKindOfChildInCreationOrder()
    {
        qtm::TaskManager manager;
        QPromise<int> producer;
        producer.start();
        auto group = manager.createGroup<int>();
        const auto coroutine = group.createTask(value(1));
        const auto asked = group.createTask(value(2));
        const QFuture<int> askedFuture = asked.future(); // made before it ends: its results come from there
        const auto thread = group.createTask([] { return 3; });
        const auto adopted = group.createTask(producer.future());
        group.close();
        producer.addResult(4);
        producer.finish();
        QTRY_VERIFY_WITH_TIMEOUT(group.isFinished(), 20000);
        QCOMPARE(group.future().results(), (QList<int>{1, 2, 3, 4}));
        QCOMPARE(askedFuture.result(), 2);
        QCOMPARE(coroutine.future().result(), 1); // still there for its own future, made after the end
    }

    void anOpenGroupWaitsForMoreChildrenAndAClosedEmptyOneEnds()
    {
        qtm::TaskManager manager;
        auto group = manager.createGroup({.name = QStringLiteral("g")});
        const auto first = group.createTask(value(1));
        QTRY_VERIFY_WITH_TIMEOUT(first.isFinished(), 20000);
        QCOMPARE(group.state(), qtm::TaskState::Running); // not closed: more may come
        const auto second = group.createTask(value(2));
        group.close();
        QTRY_VERIFY_WITH_TIMEOUT(group.isFinished(), 20000);
        QCOMPARE(group.state(), qtm::TaskState::Succeeded);
        QVERIFY(second.isFinished());

        auto empty = manager.createGroup();
        empty.close();
        QTRY_VERIFY_WITH_TIMEOUT(empty.isFinished(), 20000);
        QCOMPARE(empty.state(), qtm::TaskState::Succeeded);
        QCOMPARE(empty.name(), QStringLiteral("group-%1").arg(empty.id()));
    }

    void failFastCancelsTheOthersAndListsEveryFailure()
    {
        qtm::TaskManager manager;
        qtmtest::CancelledReasons seen(manager);
        Gates gates(2);
        auto group = manager.createGroup<int>({.name = QStringLiteral("ff")});
        const auto waiting = group.createTask(valueAfter(gates[0], 1), QStringLiteral("waiting"));
        // This one fails in its cleanup, after the group cancelled it: its error is listed too.
        const auto cleanupFails = group.createTask(
            [gate = gates[1]]() -> qtm::Coro<int> {
                try {
                    co_await gate;
                } catch (const qtm::CancelledError &) {
                    throw std::runtime_error("cleanup failed");
                }
                co_return 0;
            },
            QStringLiteral("cleanup"));
        QTRY_COMPARE_WITH_TIMEOUT(cleanupFails.state(), qtm::TaskState::Running, 20000);
        const auto broken = group.createTask(failing(QStringLiteral("boom")), QStringLiteral("broken"));
        group.close();

        QTRY_VERIFY_WITH_TIMEOUT(group.isFinished(), 20000);
        QCOMPARE(group.state(), qtm::TaskState::Failed);
        QCOMPARE(waiting.state(), qtm::TaskState::Cancelled);
        QCOMPARE(waiting.cancelReason(), qtm::CancelReason::GroupStopped);
        QCOMPARE(seen.reasons.value(QStringLiteral("waiting")), qtm::CancelReason::GroupStopped);
        QCOMPARE(broken.state(), qtm::TaskState::Failed);
        QCOMPARE(cleanupFails.state(), qtm::TaskState::Failed);
        try {
            std::rethrow_exception(group.exception());
        } catch (const qtm::GroupError &error) {
            QCOMPARE(error.failedTasks(), (QList<qtm::Task>{cleanupFails, broken})); // creation order
            QCOMPARE(error.errors(), (QStringList{QStringLiteral("cleanup failed"), QStringLiteral("boom")}));
            QCOMPARE(QString::fromUtf8(error.what()),
                     QStringLiteral("2 of 3 tasks of group 'ff' (#%1) failed: 'cleanup' (#%2): cleanup failed; "
                                    "'broken' (#%3): boom")
                         .arg(group.id())
                         .arg(cleanupFails.id())
                         .arg(broken.id()));
        }
        QCOMPARE(group.errorText(), QString::fromUtf8(qtm::GroupError(group, {cleanupFails, broken}, 3).what()));
        // Once stopping, it takes no more children.
        QVERIFY_THROWS_EXCEPTION(std::logic_error, group.createTask(value(1)));
    }

    void aChildCancelledByItsOwnCodeDoesNotFailAFailFastGroup()
    {
        qtm::TaskManager manager;
        auto group = manager.createGroup({.name = QStringLiteral("g")});
        const auto gaveUp = group.createTask(
            []() -> qtm::Coro<void> {
                throw qtm::CancelledError(QStringLiteral("nothing to do"));
                co_return;
            },
            QStringLiteral("gave up"));
        const auto fine = group.createTask(value(1), QStringLiteral("fine"));
        group.close();
        QTRY_VERIFY_WITH_TIMEOUT(group.isFinished(), 20000);
        QCOMPARE(gaveUp.state(), qtm::TaskState::Cancelled);
        QCOMPARE(fine.state(), qtm::TaskState::Succeeded);
        QCOMPARE(group.state(), qtm::TaskState::Succeeded);
    }

    void continueOnErrorRunsEveryChildAndFailsIfOneDid()
    {
        qtm::TaskManager manager;
        Gates gates(1);
        auto group = manager.createGroup<int>({.policy = qtm::GroupPolicy::ContinueOnError});
        const auto broken = group.createTask(failing(QStringLiteral("bad")), QStringLiteral("broken"));
        const auto later = group.createTask(valueAfter(gates[0], 5), QStringLiteral("later"));
        group.close();
        QTRY_VERIFY_WITH_TIMEOUT(broken.isFinished(), 20000);
        QCOMPARE(later.state(), qtm::TaskState::Running); // not cancelled
        gates.open(0);
        QTRY_VERIFY_WITH_TIMEOUT(group.isFinished(), 20000);
        QCOMPARE(later.state(), qtm::TaskState::Succeeded);
        QCOMPARE(group.state(), qtm::TaskState::Failed);
        QVERIFY2(group.errorText().contains(QStringLiteral("1 of 2 tasks")), qPrintable(group.errorText()));
    }

    void firstSuccessTakesTheWinnersResultAndCancelsTheRest()
    {
        qtm::TaskManager manager;
        Gates gates(2);
        auto race = manager.createGroup<QString>(
            {.name = QStringLiteral("mirrors"), .policy = qtm::GroupPolicy::FirstSuccess});
        const auto slow = race.createTask(
            [gate = gates[0]]() -> qtm::Coro<QString> {
                co_await gate;
                co_return QStringLiteral("slow");
            },
            QStringLiteral("slow"));
        const auto broken = race.createTask(
            []() -> qtm::Coro<QString> {
                throw std::runtime_error("mirror down");
                co_return QString();
            },
            QStringLiteral("broken"));
        const auto fast = race.createTask(
            [gate = gates[1]]() -> qtm::Coro<QString> {
                co_await gate;
                co_return QStringLiteral("fast");
            },
            QStringLiteral("fast"));
        race.close();
        QTRY_VERIFY_WITH_TIMEOUT(broken.isFinished(), 20000);
        QCOMPARE(race.state(), qtm::TaskState::Running); // one failure does not end a race
        gates.open(1);
        QTRY_VERIFY_WITH_TIMEOUT(race.isFinished(), 20000);
        QCOMPARE(race.state(), qtm::TaskState::Succeeded);
        QCOMPARE(race.future().results(), QStringList{QStringLiteral("fast")});
        QCOMPARE(slow.state(), qtm::TaskState::Cancelled);
        QCOMPARE(slow.cancelReason(), qtm::CancelReason::GroupStopped);

        auto allFail = manager.createGroup<int>({.policy = qtm::GroupPolicy::FirstSuccess});
        allFail.createTask(failing(QStringLiteral("x")), QStringLiteral("x"));
        allFail.createTask(failing(QStringLiteral("y")), QStringLiteral("y"));
        allFail.close();
        QTRY_VERIFY_WITH_TIMEOUT(allFail.isFinished(), 20000);
        QCOMPARE(allFail.state(), qtm::TaskState::Failed);
        QVERIFY2(allFail.errorText().contains(QStringLiteral("2 of 2 tasks")), qPrintable(allFail.errorText()));
    }

    void allSettledSucceedsWhateverItsChildrenDid()
    {
        qtm::TaskManager manager;
        auto group = manager.createGroup<int>({.policy = qtm::GroupPolicy::AllSettled});
        const auto ok = group.createTask(value(7), QStringLiteral("ok"));
        const auto broken = group.createTask(failing(QStringLiteral("no")), QStringLiteral("broken"));
        group.close();
        QTRY_VERIFY_WITH_TIMEOUT(group.isFinished(), 20000);
        QCOMPARE(group.state(), qtm::TaskState::Succeeded);
        QCOMPARE(group.future().results(), QList<int>{7}); // the ones that succeeded
        QCOMPARE(group.children().at(1).state(), qtm::TaskState::Failed);
        QCOMPARE(group.children().at(1).errorText(), QStringLiteral("no"));
    }

    void coAwaitClosesTheGroupAndGivesItsResultsOrItsError()
    {
        qtm::TaskManager manager;
        QList<int> results;
        QString error;
        const auto parent = manager.createTask([&]() -> qtm::Coro<void> {
            auto group = manager.createGroup<int>({.name = QStringLiteral("inner")});
            for (int i = 1; i <= 4; ++i)
                group.createTask(value(i * 10));
            results = co_await group;

            auto failingGroup = manager.createGroup<int>();
            failingGroup.createTask(failing(QStringLiteral("nope")), QStringLiteral("nope"));
            try {
                co_await failingGroup;
            } catch (const qtm::GroupError &e) {
                error = e.errors().join(QLatin1Char(','));
            }
        });
        QTRY_VERIFY_WITH_TIMEOUT(parent.isFinished(), 20000);
        QCOMPARE(parent.state(), qtm::TaskState::Succeeded);
        QCOMPARE(results, (QList<int>{10, 20, 30, 40}));
        QCOMPARE(error, QStringLiteral("nope"));
    }

    void cancellingTheGroupCancelsEveryChildWithinTheBound()
    {
        qtm::TaskManager manager;
        qtmtest::CancelledReasons seen(manager);
        Gates gates(2);
        auto group = manager.createGroup({.name = QStringLiteral("g")});
        const auto a = group.createTask(valueAfter(gates[0], 1), QStringLiteral("a"));
        const auto b = group.createTask(valueAfter(gates[1], 2), QStringLiteral("b"));
        QTRY_COMPARE_WITH_TIMEOUT(b.state(), qtm::TaskState::Running, 20000);
        const auto outcome = manager.cancelTask(group, 20s); // not closed: a cancel ends it all the same
        QTRY_VERIFY_WITH_TIMEOUT(outcome.isFinished(), 20000);
        QCOMPARE(outcome.result(), qtm::CancelOutcome::Cancelled);
        QCOMPARE(group.state(), qtm::TaskState::Cancelled);
        QCOMPARE(a.state(), qtm::TaskState::Cancelled);
        QCOMPARE(seen.reasons.value(QStringLiteral("b")), qtm::CancelReason::Requested);
        QVERIFY(manager.currentTasks().isEmpty());
        QVERIFY_THROWS_EXCEPTION(std::logic_error, group.createTask(value(1)));
    }

    void aCancelBoundCoversTheWholeGroup()
    {
        qtm::TaskManager manager;
        std::atomic<bool> release{false};
        auto group = manager.createGroup({.name = QStringLiteral("g")});
        // A plain function cannot see the cancel: the group cannot end before it does.
        const auto stubborn = group.createTask(
            [&release] {
                QDeadlineTimer bound(30000);
                while (!release.load() && !bound.hasExpired())
                    QThread::yieldCurrentThread();
            },
            QStringLiteral("stubborn"));
        QTRY_COMPARE_WITH_TIMEOUT(stubborn.state(), qtm::TaskState::Running, 20000);
        const auto outcome = manager.cancelTask(group, 50ms);
        QTRY_VERIFY_WITH_TIMEOUT(outcome.isFinished(), 20000);
        QCOMPARE(outcome.result(), qtm::CancelOutcome::TimedOut);
        QCOMPARE(group.state(), qtm::TaskState::Running);
        release = true;
        QTRY_VERIFY_WITH_TIMEOUT(group.isFinished(), 30000);
        QCOMPARE(group.state(), qtm::TaskState::Cancelled);
        QCOMPARE(stubborn.state(), qtm::TaskState::Succeeded);
    }

    void aGroupsDeadlineCancelsItsChildrenForThatReason()
    {
        qtm::TaskManager manager;
        Gates gates(1);
        auto group = manager.createGroup({.name = QStringLiteral("bounded"), .deadline = 30ms});
        const auto child = group.createTask(valueAfter(gates[0], 1), QStringLiteral("child"));
        QTRY_VERIFY_WITH_TIMEOUT(group.isFinished(), 20000);
        QCOMPARE(group.cancelReason(), qtm::CancelReason::DeadlineExceeded);
        QCOMPARE(child.state(), qtm::TaskState::Cancelled);
        QCOMPARE(child.cancelReason(), qtm::CancelReason::DeadlineExceeded);
    }

    void aGroupsLimitHoldsItsChildrenInPriorityOrder()
    {
        qtm::TaskManager manager;
        Gates gates(5);
        auto group = manager.createGroup({.name = QStringLiteral("thumbs"), .maxConcurrent = 2});
        QCOMPARE(group.maxConcurrent(), 2);
        RunningPeak peak(manager, group.id());
        QList<qtm::Task> children;
        QStringList startOrder;
        connect(&manager, &qtm::TaskManager::taskStarted, this, [&](const qtm::Task &t) {
            if (t.groupId() == group.id())
                startOrder.append(t.name());
        });
        for (int i = 0; i < 5; ++i)
            children.append(
                group.createTask(valueAfter(gates[i], i), {.name = QString::number(i), .priority = i == 4 ? 9 : 0}));
        group.close();
        QTRY_COMPARE_WITH_TIMEOUT(children[1].state(), qtm::TaskState::Running, 20000);
        QCOMPARE(children[2].state(), qtm::TaskState::Pending);
        QCOMPARE(children[2].pendingReason(), QStringLiteral("waiting for a slot in group 'thumbs': 2 of 2 running"));
        // A waiting child cancelled frees nothing and starts nothing.
        const auto cancelled = manager.cancelTask(children[3]);
        QTRY_VERIFY_WITH_TIMEOUT(children[3].isFinished(), 20000);
        QCOMPARE(children[2].state(), qtm::TaskState::Pending);
        for (int i = 0; i < 5; ++i)
            gates.open(i);
        QTRY_VERIFY_WITH_TIMEOUT(group.isFinished(), 20000);
        QCOMPARE(peak.peak, 2);
        QCOMPARE(startOrder,
                 (QStringList{QStringLiteral("0"), QStringLiteral("1"), QStringLiteral("4"), QStringLiteral("2")}));
    }

    void aGroupHoldsNoSlotOfTheManagersLimit()
    {
        qtm::TaskManager manager;
        manager.setMaxConcurrentTasks(1);
        auto group = manager.createGroup<int>();
        for (int i = 0; i < 3; ++i)
            group.createTask(value(i));
        group.close();
        QTRY_VERIFY_WITH_TIMEOUT(group.isFinished(), 20000);
        QCOMPARE(group.future().results(), (QList<int>{0, 1, 2}));
    }

    void groupsNestAndInheritTheirContext()
    {
        qtm::TaskManager manager;
        qtm::TaskContext context({{QStringLiteral("job"), QStringLiteral("import")}});
        Gates gates(1);
        auto outer = manager.createGroup({.name = QStringLiteral("outer"), .context = context});
        auto inner = outer.createGroup<int>({.name = QStringLiteral("inner")});
        const auto leaf = inner.createTask(valueAfter(gates[0], 1), QStringLiteral("leaf"));
        outer.close();
        inner.close();
        QCOMPARE(inner.groupId(), outer.id());
        QCOMPARE(leaf.groupId(), inner.id());
        QCOMPARE(outer.groupDepth(), 0);
        QCOMPARE(inner.groupDepth(), 1);
        QCOMPARE(leaf.groupDepth(), 2);
        QCOMPARE(leaf.data().groupDepth, 2);
        QCOMPARE(leaf.context().value(QStringLiteral("job")), QVariant(QStringLiteral("import")));
        QTRY_COMPARE_WITH_TIMEOUT(leaf.state(), qtm::TaskState::Running, 20000);
        QCOMPARE(outer.state(), qtm::TaskState::Running);
        const auto cancelled = manager.cancelTask(outer);
        QTRY_VERIFY_WITH_TIMEOUT(outer.isFinished(), 20000);
        QCOMPARE(inner.state(), qtm::TaskState::Cancelled);
        QCOMPARE(leaf.state(), qtm::TaskState::Cancelled);
        QVERIFY(inner.finishedAt() <= outer.finishedAt());
    }

    void theGuardOfTheGroupsContextCancelsItAll()
    {
        qtm::TaskManager manager;
        Gates gates(1);
        auto guard = std::make_unique<QObject>();
        auto group = manager.createGroup({.context = qtm::TaskContext({}, guard.get())});
        const auto child = group.createTask(valueAfter(gates[0], 1));
        QTRY_COMPARE_WITH_TIMEOUT(child.state(), qtm::TaskState::Running, 20000);
        guard.reset();
        QTRY_VERIFY_WITH_TIMEOUT(group.isFinished(), 20000);
        QCOMPARE(child.cancelReason(), qtm::CancelReason::GuardDestroyed);
        QCOMPARE(group.cancelReason(), qtm::CancelReason::GuardDestroyed);
    }

    void shutdownEndsTheChildrenBeforeTheGroup()
    {
        qtm::TaskManager manager;
        qtmtest::EventLog log(&manager);
        Gates gates(2);
        auto group = manager.createGroup({.name = QStringLiteral("g")});
        group.createTask(valueAfter(gates[0], 1), QStringLiteral("a"));
        // Its cleanup awaits something only the event loop would bring: its frame is destroyed at shutdown.
        group.createTask(
            [gate = gates[1]]() -> qtm::Coro<void> {
                try {
                    co_await qtm::sleep(1h);
                } catch (const qtm::CancelledError &) { }
                co_await qtm::shield(gate);
            },
            QStringLiteral("stuck"));
        QTRY_COMPARE_WITH_TIMEOUT(manager.taskCount(), 3, 20000);
        QCoreApplication::processEvents();
        manager.setShutdownTimeout(100ms);
        QVERIFY(manager.shutdown().isEmpty());
        QCOMPARE(group.state(), qtm::TaskState::Cancelled);
        QCOMPARE(group.cancelReason(), qtm::CancelReason::Shutdown);
        const qsizetype groupEnd = log.lines.indexOf(QStringLiteral("cancelled:g"));
        QVERIFY(groupEnd > log.lines.indexOf(QStringLiteral("finished:a")));
        QVERIFY(groupEnd > log.lines.indexOf(QStringLiteral("finished:stuck")));
    }

    void aGroupWithADanglingChildEndsWhenTheChildDoes()
    {
        std::atomic<bool> release{false};
        qtm::Task group, child;
        {
            qtm::TaskManager manager;
            manager.setShutdownTimeout(50ms);
            auto g = manager.createGroup({.name = QStringLiteral("g")});
            group = g;
            child = g.createTask(
                [&release] {
                    QDeadlineTimer bound(30000);
                    while (!release.load() && !bound.hasExpired())
                        QThread::yieldCurrentThread();
                },
                QStringLiteral("plain"));
            QTRY_COMPARE_WITH_TIMEOUT(child.state(), qtm::TaskState::Running, 20000);
            const QList<qtm::Task> dangling = manager.shutdown();
            QCOMPARE(dangling, (QList<qtm::Task>{group, child}));
            QCOMPARE(group.state(), qtm::TaskState::Running);
        }
        release = true;
        QTRY_VERIFY_WITH_TIMEOUT(group.isFinished(), 30000);
        QVERIFY(child.isFinished());
        QCOMPARE(group.state(), qtm::TaskState::Cancelled);
        QVERIFY(group.future().isFinished());
    }

    void aSlotDeletingTheManagerAtAChildsEndLeavesNothingDangling()
    {
        auto *manager = new qtm::TaskManager;
        QList<qtm::Task> dangling{qtm::Task()};
        auto group = manager->createGroup({.name = QStringLiteral("g")});
        const auto child = group.createTask(value(1), QStringLiteral("child"));
        group.close();
        connect(manager, &qtm::TaskManager::taskFinished, this, [&](const qtm::Task &task) {
            if (task == child) {
                dangling = manager->shutdown(); // the group's count still has the child that is ending
                delete manager;
            }
        });
        QTRY_VERIFY_WITH_TIMEOUT(group.isFinished(), 20000);
        QVERIFY(dangling.isEmpty());
        QCOMPARE(child.state(), qtm::TaskState::Succeeded);
        QCOMPARE(group.state(), qtm::TaskState::Cancelled);
        QCOMPARE(group.cancelReason(), qtm::CancelReason::Shutdown);
        QVERIFY(group.future().isFinished());
    }

    void badInputIsRefusedWithAnErrorThatNamesIt()
    {
        qtm::TaskManager manager, other;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, manager.createGroup({.maxConcurrent = -1}));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, manager.createGroup({.deadline = -1ms}));
        QCOMPARE(manager.taskCount(), 0);

        qtm::TaskGroup<> invalid;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, invalid.createTask(value(1)));

        // A group of another manager: the task is not created in either.
        auto foreign = other.createGroup({.name = QStringLiteral("foreign")});
        qtmtest::LifeCounter::reset();
        {
            const qtm::detail::JoinGroupScope scope(foreign);
            try {
                manager.createTask([counter = qtmtest::LifeCounter()]() -> qtm::Coro<void> { co_return; });
                QFAIL("a task joined a group of another manager");
            } catch (const std::invalid_argument &error) {
                QVERIFY2(QByteArray(error.what()).contains("belongs to another manager"), error.what());
            }
        }
        QCOMPARE(qtmtest::LifeCounter::alive.load(), 0);
        QCOMPARE(manager.taskCount(), 0);

        // A group that has ended takes no child, and loses nothing.
        auto ended = manager.createGroup({.name = QStringLiteral("done")});
        ended.close();
        QTRY_VERIFY_WITH_TIMEOUT(ended.isFinished(), 20000);
        try {
            ended.createTask([counter = qtmtest::LifeCounter()]() -> qtm::Coro<void> { co_return; },
                             QStringLiteral("late"));
            QFAIL("a task joined a group that had ended");
        } catch (const std::logic_error &error) {
            QVERIFY2(QByteArray(error.what()).contains("group 'done'") && QByteArray(error.what()).contains("has ended")
                         && QByteArray(error.what()).contains("task 'late' was not created"),
                     error.what());
        }
        QCOMPARE(qtmtest::LifeCounter::alive.load(), 0);
        QCOMPARE(manager.taskCount(), 0);

        // Awaiting its own group would wait for itself.
        auto group = manager.createGroup({.name = QStringLiteral("mine")});
        QString awaitError;
        const auto child = group.createTask([&]() -> qtm::Coro<void> {
            try {
                co_await group;
            } catch (const std::logic_error &error) {
                awaitError = QString::fromUtf8(error.what());
            }
        });
        QTRY_VERIFY_WITH_TIMEOUT(child.isFinished(), 20000);
        QVERIFY2(awaitError.contains(QStringLiteral("awaits its own group")), qPrintable(awaitError));
        group.close();
        QTRY_VERIFY_WITH_TIMEOUT(group.isFinished(), 20000);
    }
};

QTEST_GUILESS_MAIN(tst_Group)
#include "tst_group.moc"
