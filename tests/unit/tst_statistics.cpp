// Per-name task statistics: the histogram's stated error, the counts of each outcome, time-outs, live
// tasks, percentiles against the tasks' own time stamps, reset, off, grouping of unnamed tasks, snapshots
// from another thread while tasks churn, and the table model under QAbstractItemModelTester.

#include <qtm/taskmanager.h>
#include <qtm/taskstatisticsmodel.h>

#include "taskstatistics_p.h" // the histogram: private, header-only (see CMakeLists.txt)
#include "testhelpers.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QPromise>
#include <QtCore/QSemaphore>
#include <QtTest/QAbstractItemModelTester>
#include <QtTest/QSignalSpy>
#include <QtTest>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <thread>

using namespace std::chrono_literals;
using qtm::TaskKind;
using qtm::TaskStatistics;
using qtm::detail::DurationHistogram;

namespace {

constexpr int kWait = 20000; // generous: the tests must not depend on the machine being fast

qtm::Coro<void> sleepLong()
{
    co_await qtm::sleep(24h);
}

qtm::Coro<int> quick()
{
    co_return 1;
}

template<typename T>
T waitFor(const QFuture<T> &future)
{
    if (!QTest::qWaitFor([&] { return future.isFinished(); }, kWait))
        qFatal("future did not finish in %d ms", kWait);
    return future.result();
}

//! The nearest-rank percentile of \a values (sorted).
qint64 nearestRank(const std::vector<qint64> &values, double fraction)
{
    const auto rank
        = std::clamp<std::size_t>(std::size_t(std::ceil(fraction * double(values.size()))), 1, values.size());
    return values[rank - 1];
}

//! Whether \a reported stands for \a truth within the histogram's stated error.
bool withinError(qint64 reported, qint64 truth)
{
    return std::abs(double(reported - truth)) <= double(truth) * TaskStatistics::percentileRelativeError;
}

} // namespace

class tst_Statistics : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyBucketHoldsItsValuesWithinTheStatedError()
    {
        // Every value up to 2^22 ms, then samples of every power of two up to the largest counted value.
        std::vector<qint64> values;
        for (qint64 v = 0; v < (qint64(1) << 22); ++v)
            values.push_back(v);
        for (int exponent = 22; exponent <= DurationHistogram::largestExponent; ++exponent) {
            const qint64 base = qint64(1) << exponent;
            for (qint64 v : {base, base + 1, base + base / 3, 2 * base - 1})
                values.push_back(v);
        }
        int previousIndex = -1;
        for (qint64 v : values) {
            const int index = DurationHistogram::indexOf(v);
            if (index < 0 || index >= DurationHistogram::bucketCount)
                QFAIL(qPrintable(QStringLiteral("%1 ms maps to bucket %2 of %3")
                                     .arg(v)
                                     .arg(index)
                                     .arg(DurationHistogram::bucketCount)));
            const qint64 lower = DurationHistogram::lowerBound(index);
            const qint64 width = DurationHistogram::width(index);
            if (v < lower || v >= lower + width)
                QFAIL(qPrintable(
                    QStringLiteral("%1 ms is not in its bucket [%2, %3)").arg(v).arg(lower).arg(lower + width)));
            if (!withinError(lower + width / 2, v))
                QFAIL(qPrintable(QStringLiteral("bucket middle %1 is off %2 ms by more than the stated error")
                                     .arg(lower + width / 2)
                                     .arg(v)));
            if (index < previousIndex)
                QFAIL("bucket indexes must grow with the value");
            previousIndex = index;
        }
        QCOMPARE(DurationHistogram::indexOf(DurationHistogram::largestValue), DurationHistogram::bucketCount - 1);
        QCOMPARE(DurationHistogram::indexOf(std::numeric_limits<qint64>::max()), DurationHistogram::bucketCount - 1);
    }

    void histogramPercentilesAreNearestRankWithinTheError()
    {
        DurationHistogram histogram;
        QCOMPARE(histogram.percentile(0.5), 0);
        QCOMPARE(histogram.max(), 0);

        std::vector<qint64> values;
        for (qint64 v = 1; v <= 1000; ++v)
            values.push_back(v * 7); // 7 ... 7000 ms
        std::reverse(values.begin(), values.end()); // the order of arrival does not matter
        for (qint64 v : values)
            histogram.add(v);
        std::sort(values.begin(), values.end());
        QCOMPARE(histogram.count(), 1000);
        QCOMPARE(histogram.max(), 7000);
        for (double fraction : {0.01, 0.5, 0.95, 0.99, 1.0}) {
            const qint64 truth = nearestRank(values, fraction);
            QVERIFY2(withinError(histogram.percentile(fraction), truth),
                     qPrintable(QStringLiteral("p%1: %2, true value %3")
                                    .arg(fraction * 100)
                                    .arg(histogram.percentile(fraction))
                                    .arg(truth)));
        }
        QVERIFY(histogram.percentile(1.0) <= histogram.max());

        histogram.add(-5); // the wall clock went back: counted as 0
        QCOMPARE(histogram.count(), 1001);
        QCOMPARE(histogram.percentile(0.0001), 0);
    }

    void eachOutcomeIsCountedUnderTheTasksName()
    {
        qtm::TaskManager manager;
        QVERIFY(manager.statisticsEnabled());
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("task 'job'.*failed: broken")));
        auto succeeds = manager.createTask(quick(), QStringLiteral("job"));
        auto fails = manager.createTask(
            []() -> qtm::Coro<void> {
                co_await qtm::yield();
                throw std::runtime_error("broken");
            }(),
            QStringLiteral("job"));
        auto cancelled = manager.createTask(sleepLong(), QStringLiteral("job"));
        auto other = manager.createTask(quick(), QStringLiteral("other"));
        auto threaded = manager.createTask([] { return 2; }, QStringLiteral("job")); // same name, other kind
        QTRY_COMPARE_WITH_TIMEOUT(cancelled.state(), qtm::TaskState::Running, kWait);
        QCOMPARE(waitFor(manager.cancelTask(cancelled)), qtm::CancelOutcome::Cancelled);
        QTRY_VERIFY_WITH_TIMEOUT(
            succeeds.isFinished() && fails.isFinished() && other.isFinished() && threaded.isFinished(), kWait);

        const TaskStatistics statistics = manager.statistics();
        QCOMPARE(statistics.entries().size(), 3); // job/coroutine, job/thread, other/coroutine
        const TaskStatistics::Entry job = statistics.entry(QStringLiteral("job"));
        QCOMPARE(job.kind, TaskKind::Coroutine);
        QVERIFY(!job.unnamed);
        QCOMPARE(job.created, 3);
        QCOMPARE(job.succeeded, 1);
        QCOMPARE(job.failed, 1);
        QCOMPARE(job.cancelled, 1);
        QCOMPARE(job.timedOut, 0);
        QCOMPARE(job.live, 0);
        QCOMPARE(job.finished(), 3);
        QCOMPARE(job.total.count, 3);
        QCOMPARE(job.running.count, 3); // each was started before it ended

        const TaskStatistics::Entry jobThread = statistics.entry(QStringLiteral("job"), TaskKind::ThreadPool);
        QCOMPARE(jobThread.created, 1);
        QCOMPARE(jobThread.succeeded, 1);
        QCOMPARE(statistics.entry(QStringLiteral("other")).succeeded, 1);
        QCOMPARE(statistics.entry(QStringLiteral("nobody")).created, 0);

        QCOMPARE(statistics.totals().created, 5);
        QCOMPARE(statistics.totals().succeeded, 3);
        QCOMPARE(statistics.totals().total.count, 5);
        QCOMPARE(statistics.totals(TaskKind::Coroutine).created, 4);
        QCOMPARE(statistics.totals(TaskKind::ThreadPool).created, 1);
        QCOMPARE(statistics.totals(TaskKind::Future).created, 0);
        QVERIFY(statistics.since() <= statistics.takenAt());
    }

    void aTaskCancelledBeforeItStartedHasNoRunningTime()
    {
        qtm::TaskManager manager;
        auto task = manager.createTask(sleepLong(), QStringLiteral("unrun"));
        QCOMPARE(waitFor(manager.cancelTask(task)), qtm::CancelOutcome::Cancelled); // in this thread: unstarted
        QVERIFY(!task.startedAt().isValid());
        const TaskStatistics::Entry entry = manager.statistics().entry(QStringLiteral("unrun"));
        QCOMPARE(entry.cancelled, 1);
        QCOMPARE(entry.total.count, 1);
        QCOMPARE(entry.running.count, 0);
    }

    void aTimedOutCancelIsCounted()
    {
        qtm::TaskManager manager;
        QSemaphore release;
        auto task = manager.createTask(
            [&release] {
                release.acquire(); // ignores its cancellation
                return 7;
            },
            QStringLiteral("stubborn"));
        QTRY_COMPARE_WITH_TIMEOUT(task.state(), qtm::TaskState::Running, kWait);
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("task 'stubborn'.*did not finish")));
        QCOMPARE(waitFor(manager.cancelTask(task, 20ms)), qtm::CancelOutcome::TimedOut);

        TaskStatistics::Entry entry = manager.statistics().entry(QStringLiteral("stubborn"), TaskKind::ThreadPool);
        QCOMPARE(entry.timedOut, 1);
        QCOMPARE(entry.live, 1);
        QCOMPARE(entry.finished(), 0);

        release.release();
        QTRY_VERIFY_WITH_TIMEOUT(task.isFinished(), kWait);
        entry = manager.statistics().entry(QStringLiteral("stubborn"), TaskKind::ThreadPool);
        QCOMPARE(entry.timedOut, 1);
        QCOMPARE(entry.succeeded, 1); // it finished on its own terms
        QCOMPARE(entry.live, 0);
    }

    void theLiveCountFollowsTheTasks()
    {
        qtm::TaskManager manager;
        std::vector<QPromise<int>> gates(3);
        QList<qtm::Task> tasks;
        for (auto &gate : gates) {
            gate.start();
            tasks.append(manager.createTask(gate.future(), QStringLiteral("gated")));
        }
        const auto live = [&] { return manager.statistics().entry(QStringLiteral("gated"), TaskKind::Future).live; };
        QCOMPARE(live(), 3); // counted when created, not when the loop gets to them
        gates[0].addResult(1);
        gates[0].finish();
        QTRY_COMPARE_WITH_TIMEOUT(live(), 2, kWait);
        gates[1].finish();
        gates[2].finish();
        QTRY_COMPARE_WITH_TIMEOUT(live(), 0, kWait);
        QCOMPARE(manager.statistics().entry(QStringLiteral("gated"), TaskKind::Future).finished(), 3);
    }

    void percentilesMatchTheTasksOwnDurations()
    {
        // Twenty adopted futures, each released by its QPromise a few milliseconds after the one before:
        // the durations spread over the histogram's exact and log-linear ranges. The truth is what each
        // task's handle reports, whatever the machine's speed made the durations.
        qtm::TaskManager manager;
        constexpr int count = 20;
        std::vector<QPromise<int>> gates(count);
        QList<qtm::Task> tasks;
        for (auto &gate : gates) {
            gate.start();
            tasks.append(manager.createTask(gate.future(), QStringLiteral("timed")));
        }
        QTRY_VERIFY_WITH_TIMEOUT(std::all_of(tasks.begin(), tasks.end(),
                                             [](const qtm::Task &t) { return t.state() == qtm::TaskState::Running; }),
                                 kWait);
        QElapsedTimer clock;
        clock.start();
        for (int i = 0; i < count; ++i) {
            // Time must pass between two releases: waited for on the clock, not assumed from a sleep.
            QTRY_VERIFY_WITH_TIMEOUT(clock.elapsed() >= 4 * (i + 1), kWait);
            gates[i].addResult(i);
            gates[i].finish();
        }
        QTRY_VERIFY_WITH_TIMEOUT(
            std::all_of(tasks.begin(), tasks.end(), [](const qtm::Task &t) { return t.isFinished(); }), kWait);

        std::vector<qint64> totals, running;
        for (const qtm::Task &task : tasks) {
            totals.push_back(task.createdAt().msecsTo(task.finishedAt()));
            running.push_back(task.startedAt().msecsTo(task.finishedAt()));
        }
        std::sort(totals.begin(), totals.end());
        std::sort(running.begin(), running.end());
        QVERIFY2(totals.back() >= 4 * count, "the last release came after the clock said so");

        const TaskStatistics::Entry entry = manager.statistics().entry(QStringLiteral("timed"), TaskKind::Future);
        QCOMPARE(entry.succeeded, count);
        QCOMPARE(entry.total.count, count);
        QCOMPARE(entry.running.count, count);
        const auto check
            = [](const TaskStatistics::Durations &durations, const std::vector<qint64> &truth, const char *what) {
                  const QString detail = QStringLiteral("%1: p50 %2 (true %3), p95 %4 (true %5), max %6 (true %7)")
                                             .arg(QLatin1String(what))
                                             .arg(durations.p50.count())
                                             .arg(nearestRank(truth, 0.5))
                                             .arg(durations.p95.count())
                                             .arg(nearestRank(truth, 0.95))
                                             .arg(durations.max.count())
                                             .arg(truth.back());
                  return std::make_pair(withinError(durations.p50.count(), nearestRank(truth, 0.5))
                                            && withinError(durations.p95.count(), nearestRank(truth, 0.95))
                                            && durations.max.count() == truth.back(),
                                        detail);
              };
        const auto [totalOk, totalDetail] = check(entry.total, totals, "total");
        QVERIFY2(totalOk, qPrintable(totalDetail));
        const auto [runningOk, runningDetail] = check(entry.running, running, "running");
        QVERIFY2(runningOk, qPrintable(runningDetail));
    }

    void resetClearsTheCountsButKeepsTheLiveTasks()
    {
        qtm::TaskManager manager;
        auto done = manager.createTask(quick(), QStringLiteral("reset"));
        QPromise<int> gate;
        gate.start();
        auto open = manager.createTask(gate.future(), QStringLiteral("reset"));
        QTRY_VERIFY_WITH_TIMEOUT(done.isFinished(), kWait);
        const QDateTime before = manager.statistics().since();
        QCOMPARE(manager.statistics().totals().created, 2);

        manager.resetStatistics();
        TaskStatistics statistics = manager.statistics();
        QVERIFY(statistics.since() >= before);
        QCOMPARE(statistics.totals().created, 0);
        QCOMPARE(statistics.totals().succeeded, 0);
        QCOMPARE(statistics.totals().total.count, 0);
        QCOMPARE(statistics.totals().live, 1); // the open task still runs
        QCOMPARE(statistics.entries().size(), 1); // only the entry with a live task is listed
        QCOMPARE(statistics.entries().first().kind, TaskKind::Future);

        gate.finish();
        QTRY_VERIFY_WITH_TIMEOUT(open.isFinished(), kWait);
        statistics = manager.statistics();
        QCOMPARE(statistics.totals().live, 0);
        QCOMPARE(statistics.totals().succeeded, 1); // its end is counted after the reset
    }

    void nothingIsCountedWhileDisabled()
    {
        qtm::TaskManager manager;
        manager.setStatisticsEnabled(false);
        QVERIFY(!manager.statisticsEnabled());
        QPromise<int> gate;
        gate.start();
        auto open = manager.createTask(gate.future(), QStringLiteral("off"));
        auto done = manager.createTask(quick(), QStringLiteral("off"));
        QTRY_VERIFY_WITH_TIMEOUT(done.isFinished(), kWait);
        QVERIFY(manager.statistics().entries().isEmpty());
        QCOMPARE(manager.statistics().totals().created, 0);

        manager.setStatisticsEnabled(true);
        auto counted = manager.createTask(quick(), QStringLiteral("on"));
        QTRY_VERIFY_WITH_TIMEOUT(counted.isFinished(), kWait);
        gate.finish(); // created while disabled: its end is not counted either
        QTRY_VERIFY_WITH_TIMEOUT(open.isFinished(), kWait);
        const TaskStatistics statistics = manager.statistics();
        QCOMPARE(statistics.entries().size(), 1);
        QCOMPARE(statistics.entries().first().name, QStringLiteral("on"));
        QCOMPARE(statistics.totals().created, 1);
        QCOMPARE(statistics.totals().live, 0);
    }

    void unnamedTasksAreGroupedPerKind()
    {
        qtm::TaskManager manager;
        QList<qtm::Task> tasks;
        for (int i = 0; i < 5; ++i)
            tasks.append(manager.createTask(quick()));
        for (int i = 0; i < 2; ++i)
            tasks.append(manager.createTask([] { return 1; }));
        QTRY_VERIFY_WITH_TIMEOUT(
            std::all_of(tasks.begin(), tasks.end(), [](const qtm::Task &t) { return t.isFinished(); }), kWait);
        QVERIFY(tasks.first().name().startsWith(QLatin1String("coroutine-"))); // a generated name...

        const TaskStatistics statistics = manager.statistics();
        QCOMPARE(statistics.entries().size(), 2); // ...but one entry per kind, not one per task
        const TaskStatistics::Entry coroutines = statistics.entry(QString());
        QCOMPARE(coroutines.name, QStringLiteral("<coroutine>"));
        QCOMPARE(coroutines.name, TaskStatistics::groupName(TaskKind::Coroutine));
        QVERIFY(coroutines.unnamed);
        QCOMPARE(coroutines.succeeded, 5);
        const TaskStatistics::Entry threads = statistics.entry(QString(), TaskKind::ThreadPool);
        QCOMPARE(threads.name, QStringLiteral("<thread>"));
        QCOMPARE(threads.succeeded, 2);
        QCOMPARE(TaskStatistics::groupName(TaskKind::Future), QStringLiteral("<future>"));
    }

    void aSnapshotFromAnotherThreadIsConsistentWhileTasksChurn()
    {
        qtm::TaskManager manager;
        constexpr int count = 2000;
        std::atomic<bool> stop{false};
        std::atomic<int> snapshots{0};
        std::atomic<bool> inconsistent{false};
        QString problem;
        std::thread reader([&] {
            qint64 lastCreated = 0;
            while (!stop.load()) {
                const TaskStatistics statistics = manager.statistics();
                const TaskStatistics::Entry totals = statistics.totals();
                qint64 fromEntries = 0;
                for (const TaskStatistics::Entry &entry : statistics.entries())
                    fromEntries += entry.created;
                // Each event is counted under one lock: no snapshot sees half of one.
                if (totals.created != totals.finished() + totals.live || totals.created < lastCreated
                    || fromEntries != totals.created || totals.total.count != totals.finished()) {
                    problem = QStringLiteral("created %1, finished %2, live %3, previously created %4")
                                  .arg(totals.created)
                                  .arg(totals.finished())
                                  .arg(totals.live)
                                  .arg(lastCreated);
                    inconsistent = true;
                    return;
                }
                lastCreated = totals.created;
                ++snapshots;
            }
        });
        QList<qtm::Task> tasks;
        for (int i = 0; i < count; ++i) {
            tasks.append(manager.createTask(quick(), i % 2 ? QStringLiteral("odd") : QString()));
            if (i % 100 == 0)
                QCoreApplication::processEvents(); // let them end while others are created
        }
        QTRY_VERIFY_WITH_TIMEOUT(
            std::all_of(tasks.begin(), tasks.end(), [](const qtm::Task &t) { return t.isFinished(); }), kWait);
        QTRY_VERIFY_WITH_TIMEOUT(snapshots.load() > 0 || inconsistent.load(), kWait);
        stop = true;
        reader.join(); // std::thread: ThreadSanitizer sees the join
        QVERIFY2(!inconsistent.load(), qPrintable(problem));
        const TaskStatistics statistics = manager.statistics();
        QCOMPARE(statistics.totals().created, count);
        QCOMPARE(statistics.totals().succeeded, count);
        QCOMPARE(statistics.entry(QStringLiteral("odd")).created, count / 2);
        QCOMPARE(statistics.entry(QString()).created, count / 2);
    }

    void aTaskAbandonedAtShutdownIsNoLongerLive()
    {
        auto manager = std::make_unique<qtm::TaskManager>();
        manager->setShutdownTimeout(0ms);
        QSemaphore release;
        auto task = manager->createTask([&release] { release.acquire(); }, QStringLiteral("abandoned"));
        QTRY_COMPARE_WITH_TIMEOUT(task.state(), qtm::TaskState::Running, kWait);
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("dangling")));
        QCOMPARE(manager->shutdown().size(), 1);
        QCOMPARE(manager->statistics().entry(QStringLiteral("abandoned"), TaskKind::ThreadPool).live, 0);
        manager.reset();
        release.release();
        QTRY_VERIFY_WITH_TIMEOUT(task.isFinished(), kWait);
    }

    void theModelShowsTheStatisticsAndPassesTheModelTester()
    {
        qtm::TaskManager manager;
        qtm::TaskStatisticsModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.columnCount(), int(qtm::TaskStatisticsModel::ColumnCount));
        QCOMPARE(model.refreshInterval(), 1000);
        model.setRefreshInterval(0); // on demand only: the test decides when

        auto first = manager.createTask(quick(), QStringLiteral("alpha"));
        QTRY_VERIFY_WITH_TIMEOUT(first.isFinished(), kWait);
        QSignalSpy managerChanged(&model, &qtm::TaskStatisticsModel::managerChanged);
        model.setManager(&manager);
        QCOMPARE(managerChanged.size(), 1);
        QCOMPARE(model.manager(), &manager);
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.data(model.index(0, qtm::TaskStatisticsModel::NameColumn)), QVariant(QStringLiteral("alpha")));
        QCOMPARE(model.data(model.index(0, qtm::TaskStatisticsModel::KindColumn)).toString(),
                 QStringLiteral("Coroutine"));
        QCOMPARE(model.data(model.index(0, 0), qtm::TaskStatisticsModel::SucceededRole).toLongLong(), 1);
        QCOMPARE(model.data(model.index(0, 0), qtm::TaskStatisticsModel::KindRole).value<TaskKind>(),
                 TaskKind::Coroutine);
        QCOMPARE(model.data(model.index(0, 0), qtm::TaskStatisticsModel::UnnamedRole).toBool(), false);
        QCOMPARE(model.headerData(qtm::TaskStatisticsModel::P95Column, Qt::Horizontal).toString(),
                 QStringLiteral("p95 (ms)"));
        QVERIFY(model.roleNames().values().contains("p95Ms"));

        // Same rows, new values: dataChanged, no reset.
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        auto second = manager.createTask(quick(), QStringLiteral("alpha"));
        QTRY_VERIFY_WITH_TIMEOUT(second.isFinished(), kWait);
        model.refresh();
        QCOMPARE(resets.size(), 0);
        QVERIFY(!changed.isEmpty());
        QCOMPARE(model.data(model.index(0, qtm::TaskStatisticsModel::CreatedColumn)).toLongLong(), 2);

        // A new name: a new row, through a reset.
        QSignalSpy countChanged(&model, &qtm::TaskStatisticsModel::countChanged);
        auto third = manager.createTask(quick(), QStringLiteral("beta"));
        QTRY_VERIFY_WITH_TIMEOUT(third.isFinished(), kWait);
        model.refresh();
        QCOMPARE(resets.size(), 1);
        QCOMPARE(countChanged.size(), 1);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.data(model.index(1, 0)).toString(), QStringLiteral("beta"));

        // On a timer.
        QSignalSpy refreshed(&model, &qtm::TaskStatisticsModel::refreshed);
        model.setRefreshInterval(10);
        QVERIFY(refreshed.wait(kWait));

        // reset() clears the manager's statistics.
        model.setRefreshInterval(0);
        model.reset();
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(manager.statistics().totals().created, 0);

        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("must not be negative \\(got -5 ms\\)")));
        model.setRefreshInterval(-5);
        QCOMPARE(model.refreshInterval(), 0);

        model.setManager(nullptr);
        QCOMPARE(model.rowCount(), 0);
    }

    void theModelLetsGoOfADestroyedManager()
    {
        auto manager = std::make_unique<qtm::TaskManager>();
        qtm::TaskStatisticsModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        auto task = manager->createTask(quick(), QStringLiteral("gone"));
        QTRY_VERIFY_WITH_TIMEOUT(task.isFinished(), kWait);
        model.setManager(manager.get());
        model.setRefreshInterval(10);
        QCOMPARE(model.rowCount(), 1);
        manager.reset();
        QCOMPARE(model.manager(), nullptr);
        QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 0, kWait);
        model.refresh(); // without a manager: empty, no crash
        QCOMPARE(model.rowCount(), 0);
    }
};

QTEST_GUILESS_MAIN(tst_Statistics)
#include "tst_statistics.moc"
