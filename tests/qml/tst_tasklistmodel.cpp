// The task list model and its filter, checked by QAbstractItemModelTester (fatal mode) at every signal
// while tasks are created, progress, fail, are cancelled and are pruned from the history.

#include "taskdriver.h"

#include <qtm/quick/taskfiltermodel.h>
#include <qtm/quick/tasklistmodel.h>

#include <QtCore/QCoreApplication>
#include <QtCore/QPromise>
#include <QtCore/QSet>
#include <QtCore/QTranslator>
#include <QtTest/QAbstractItemModelTester>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <algorithm>
#include <memory>

using qtm::TaskListModel;
using qtm::TaskState;

namespace {

constexpr int kWait = 20000; // generous: the tests must not depend on the machine being fast

QVariant role(const TaskListModel &model, int row, int role)
{
    return model.data(model.index(row), role);
}

TaskState stateAt(const TaskListModel &model, int row)
{
    return role(model, row, TaskListModel::StateRole).value<TaskState>();
}

/*!
 * What is wrong with what \a model's public helpers answer right now, compared with rowCount() and data():
 * empty when nothing is. \a known are ids of tasks the model may or may not list; those of them in
 * \a toCancel that are listed and not finished are cancelled through the model. Called from inside the
 * model's own signals, so it reports rather than failing on the spot.
 */
QStringList inconsistencies(TaskListModel &model, const QList<quint64> &known, const char *where,
                            const QSet<quint64> &toCancel = {})
{
    QStringList problems;
    const auto problem
        = [&](const QString &text) { problems << QStringLiteral("in %1: %2").arg(QLatin1String(where), text); };
    const int rows = model.rowCount();
    if (model.property("count").toInt() != rows)
        problem(QStringLiteral("count %1, rowCount() %2").arg(model.property("count").toInt()).arg(rows));
    for (int row = 0; row < rows; ++row) {
        const quint64 id = role(model, row, TaskListModel::IdRole).toULongLong();
        if (model.rowOf(id) != row)
            problem(QStringLiteral("rowOf(%1) is %2, listed on row %3").arg(id).arg(model.rowOf(id)).arg(row));
        if (model.taskAt(row).id() != id)
            problem(QStringLiteral("taskAt(%1) is task %2, the row shows task %3")
                        .arg(row)
                        .arg(model.taskAt(row).id())
                        .arg(id));
    }
    QHash<TaskState, int> inState;
    for (int row = 0; row < rows; ++row)
        ++inState[stateAt(model, row)];
    const auto compareCounter = [&](const char *counter, int value, int listed) {
        if (value != listed)
            problem(QStringLiteral("%1 is %2, %3 such rows").arg(QLatin1String(counter)).arg(value).arg(listed));
    };
    compareCounter("pendingCount", model.pendingCount(), inState.value(TaskState::Pending));
    compareCounter("runningCount", model.runningCount(), inState.value(TaskState::Running));
    compareCounter("succeededCount", model.succeededCount(), inState.value(TaskState::Succeeded));
    compareCounter("failedCount", model.failedCount(), inState.value(TaskState::Failed));
    compareCounter("cancelledCount", model.cancelledCount(), inState.value(TaskState::Cancelled));
    compareCounter("finishedCount", model.finishedCount(),
                   inState.value(TaskState::Succeeded) + inState.value(TaskState::Failed)
                       + inState.value(TaskState::Cancelled));
    if (model.progress() < 0 || model.progress() > 1)
        problem(QStringLiteral("progress is %1").arg(model.progress()));
    if (model.taskAt(rows).isValid() || model.taskAt(-1).isValid())
        problem(QStringLiteral("taskAt() outside the rows is a valid task"));
    for (quint64 id : known) {
        const int row = model.rowOf(id);
        if (row != -1 && (row < 0 || row >= rows || role(model, row, TaskListModel::IdRole).toULongLong() != id))
            problem(QStringLiteral("rowOf(%1) is %2 with %3 rows").arg(id).arg(row).arg(rows));
        if (row >= 0 && toCancel.contains(id) && !role(model, row, TaskListModel::FinishedRole).toBool()
            && !model.cancel(id))
            problem(QStringLiteral("cancel(%1) refused a listed task").arg(id));
    }
    return problems;
}

int endedTotal(const TaskListModel &model)
{
    return model.succeededTotal() + model.failedTotal() + model.cancelledTotal();
}

//! A model bound to a fresh manager, with model testers on it and on a filter over it.
struct Fixture
{
    qtm::TaskManager manager;
    TaskDriver driver{&manager};
    TaskListModel model;
    qtm::TaskFilterModel filter;
    std::unique_ptr<QAbstractItemModelTester> modelTester;
    std::unique_ptr<QAbstractItemModelTester> filterTester;

    Fixture()
    {
        manager.setProgressInterval(std::chrono::milliseconds(0));
        modelTester
            = std::make_unique<QAbstractItemModelTester>(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        filter.setSourceModel(&model);
        filterTester = std::make_unique<QAbstractItemModelTester>(
            &filter, QAbstractItemModelTester::FailureReportingMode::Fatal);
        model.setManager(&manager);
    }
};

//! A translation into German of the model's state names, as a .qm file for context "qtm::TaskListModel"
//! would give: proves the stateText role asks the application's translators, under that context.
class StateNamesInGerman : public QTranslator
{
public:
    QString translate(const char *context, const char *sourceText, const char *disambiguation = nullptr,
                      int n = -1) const override
    {
        Q_UNUSED(disambiguation)
        Q_UNUSED(n)
        if (qstrcmp(context, "qtm::TaskListModel") != 0)
            return {};
        if (qstrcmp(sourceText, "Running") == 0)
            return QStringLiteral("Läuft");
        if (qstrcmp(sourceText, "Cancelled") == 0)
            return QStringLiteral("Abgebrochen");
        return {};
    }
    bool isEmpty() const override { return false; }
};

} // namespace

class TestTaskListModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void rolesFollowATaskThroughItsLife();
    void failedTaskShowsItsError();
    void stateTextGoesThroughTheApplicationsTranslators();
    void cancelFromTheModelReachesTheTask();
    void cancelAllAsksEveryLiveTask();
    void historyKeepsTheLastFinishedTasks();
    void clearFinishedRemovesOnlyFinishedRows();
    void changesWithinOneIntervalArriveAsOneBatch();
    void changedRowsArriveAsContiguousRanges();
    void taskCreatedAndFinishedWithinOneBatchIsInsertedFinished();
    void burstOfThreadTasksIsCoalesced();
    void filterByStateAndName();
    void sortByName();
    void bindingToAManagerListsItsLiveTasks();
    void destroyedManagerLeavesTheRows();
    void helpersInsideDataChangedKnowTasksOfTheSameBatch();
    void helpersInsideRowsRemovedSeeTheRemainingRows();
    void helpersAreRightInsideEverySignal();
    void failuresOutliveABurstOfSuccesses();
    void overallProgressFollowsTheRunOfWork();
    void timeLeftAndRateFollowTheProgress();
    void groupsPrioritiesDeadlinesAndAttemptsShowInTheirRoles();
};

void TestTaskListModel::rolesFollowATaskThroughItsLife()
{
    Fixture f;
    QSignalSpy resets(&f.model, &QAbstractItemModel::modelReset);
    const quint64 id = f.driver.start(QStringLiteral("download report"));

    QTRY_COMPARE_WITH_TIMEOUT(f.model.rowCount(), 1, kWait);
    QCOMPARE(role(f.model, 0, TaskListModel::IdRole).toULongLong(), id);
    QCOMPARE(role(f.model, 0, TaskListModel::NameRole).toString(), QStringLiteral("download report"));
    QCOMPARE(role(f.model, 0, Qt::DisplayRole).toString(), QStringLiteral("download report"));
    QCOMPARE(role(f.model, 0, TaskListModel::KindRole).value<qtm::TaskKind>(), qtm::TaskKind::Coroutine);
    QVERIFY(role(f.model, 0, TaskListModel::CreatedAtRole).toDateTime().isValid());
    QVERIFY(role(f.model, 0, TaskListModel::CancellableRole).toBool());

    QTRY_COMPARE_WITH_TIMEOUT(stateAt(f.model, 0), TaskState::Running, kWait);
    QCOMPARE(role(f.model, 0, TaskListModel::StateTextRole).toString(), QStringLiteral("Running"));
    QVERIFY(role(f.model, 0, TaskListModel::StartedAtRole).toDateTime().isValid());
    QVERIFY(!role(f.model, 0, TaskListModel::FinishedAtRole).toDateTime().isValid());
    QTRY_COMPARE_WITH_TIMEOUT(f.model.runningCount(), 1, kWait);

    f.driver.progress(id, 25, 100, QStringLiteral("page 1 of 4"));
    QTRY_COMPARE_WITH_TIMEOUT(role(f.model, 0, TaskListModel::ProgressValueRole).toInt(), 25, kWait);
    QCOMPARE(role(f.model, 0, TaskListModel::ProgressMinimumRole).toInt(), 0);
    QCOMPARE(role(f.model, 0, TaskListModel::ProgressMaximumRole).toInt(), 100);
    QCOMPARE(role(f.model, 0, TaskListModel::ProgressRole).toDouble(), 0.25);
    QCOMPARE(role(f.model, 0, TaskListModel::ProgressTextRole).toString(), QStringLiteral("page 1 of 4"));

    f.driver.succeed(id);
    QTRY_COMPARE_WITH_TIMEOUT(stateAt(f.model, 0), TaskState::Succeeded, kWait);
    QVERIFY(role(f.model, 0, TaskListModel::FinishedRole).toBool());
    QVERIFY(!role(f.model, 0, TaskListModel::CancellableRole).toBool());
    const QDateTime started = role(f.model, 0, TaskListModel::StartedAtRole).toDateTime();
    const QDateTime finished = role(f.model, 0, TaskListModel::FinishedAtRole).toDateTime();
    QVERIFY(finished.isValid());
    QCOMPARE(role(f.model, 0, TaskListModel::ElapsedRole).toLongLong(), started.msecsTo(finished));
    QCOMPARE(f.model.runningCount(), 0);
    QCOMPARE(f.model.pendingCount(), 0);
    QCOMPARE(f.model.succeededCount(), 1);
    QCOMPARE(f.model.finishedCount(), 1);
    QCOMPARE(resets.count(), 0);
}

void TestTaskListModel::failedTaskShowsItsError()
{
    Fixture f;
    const quint64 id = f.driver.start(QStringLiteral("parse config"));
    f.driver.fail(id, QStringLiteral("line 3: unexpected '}'"));
    QTRY_COMPARE_WITH_TIMEOUT(f.model.failedCount(), 1, kWait);
    QCOMPARE(f.model.rowCount(), 1);
    QCOMPARE(stateAt(f.model, 0), TaskState::Failed);
    QCOMPARE(role(f.model, 0, TaskListModel::ErrorTextRole).toString(), QStringLiteral("line 3: unexpected '}'"));
    QCOMPARE(role(f.model, 0, TaskListModel::StateTextRole).toString(), QStringLiteral("Failed"));
}

void TestTaskListModel::stateTextGoesThroughTheApplicationsTranslators()
{
    Fixture f;
    const quint64 id = f.driver.start(QStringLiteral("thumbnail-12"));
    QTRY_COMPARE_WITH_TIMEOUT(stateAt(f.model, 0), TaskState::Running, kWait);
    QCOMPARE(role(f.model, 0, TaskListModel::StateTextRole).toString(), QStringLiteral("Running"));
    {
        StateNamesInGerman german;
        QVERIFY(QCoreApplication::installTranslator(&german));
        QCOMPARE(role(f.model, 0, TaskListModel::StateTextRole).toString(), QStringLiteral("Läuft"));
        QVERIFY(f.model.cancel(id));
        QTRY_COMPARE_WITH_TIMEOUT(stateAt(f.model, 0), TaskState::Cancelled, kWait);
        QCOMPARE(role(f.model, 0, TaskListModel::StateTextRole).toString(), QStringLiteral("Abgebrochen"));
    }
    // The translator is gone with its object: the English names again.
    QCOMPARE(role(f.model, 0, TaskListModel::StateTextRole).toString(), QStringLiteral("Cancelled"));
}

void TestTaskListModel::cancelFromTheModelReachesTheTask()
{
    Fixture f;
    QSignalSpy outcomes(&f.model, &TaskListModel::cancelFinished);
    const quint64 id = f.driver.start(QStringLiteral("sync mailbox"));
    QTRY_COMPARE_WITH_TIMEOUT(f.model.runningCount(), 1, kWait);

    QVERIFY(f.model.cancel(id, 5000));
    QVERIFY(f.driver.task(id).isCancelRequested());
    QTRY_COMPARE_WITH_TIMEOUT(outcomes.count(), 1, kWait);
    QCOMPARE(outcomes.at(0).at(0).toULongLong(), id);
    QCOMPARE(outcomes.at(0).at(1).value<qtm::CancelOutcome>(), qtm::CancelOutcome::Cancelled);
    QTRY_COMPARE_WITH_TIMEOUT(stateAt(f.model, 0), TaskState::Cancelled, kWait);
    QVERIFY(role(f.model, 0, TaskListModel::CancelRequestedRole).toBool());
    QCOMPARE(f.model.cancelledCount(), 1);

    QVERIFY(!f.model.cancel(id + 1000)); // not listed
}

void TestTaskListModel::cancelAllAsksEveryLiveTask()
{
    Fixture f;
    const quint64 done = f.driver.start(QStringLiteral("done"));
    f.driver.succeed(done);
    for (int i = 0; i < 5; ++i)
        f.driver.start(QStringLiteral("live %1").arg(i));
    QTRY_COMPARE_WITH_TIMEOUT(f.model.succeededCount(), 1, kWait);
    QTRY_COMPARE_WITH_TIMEOUT(f.model.rowCount(), 6, kWait);

    QCOMPARE(f.model.cancelAll(), 5);
    QTRY_COMPARE_WITH_TIMEOUT(f.model.cancelledCount(), 5, kWait);
    QCOMPARE(f.model.succeededCount(), 1);
    QCOMPARE(f.model.runningCount() + f.model.pendingCount(), 0);
}

void TestTaskListModel::historyKeepsTheLastFinishedTasks()
{
    Fixture f;
    f.model.setHistoryLength(3);
    const quint64 live = f.driver.start(QStringLiteral("live"));
    QList<quint64> ids;
    for (int i = 0; i < 10; ++i)
        ids << f.driver.start(QStringLiteral("job %1").arg(i));
    QTRY_COMPARE_WITH_TIMEOUT(f.model.rowCount(), 11, kWait);

    // Finish them out of creation order, so the pruned rows are scattered among the kept ones.
    const QList<int> order{3, 0, 7, 1, 9, 2, 8, 4, 6, 5};
    for (int i = 0; i < order.size(); ++i) {
        if (order[i] % 4 == 0)
            f.driver.fail(ids[order[i]], QStringLiteral("boom"));
        else
            f.driver.succeed(ids[order[i]]);
        QTRY_COMPARE_WITH_TIMEOUT(endedTotal(f.model), i + 1, kWait);
        QCOMPARE(f.model.rowCount(), 11 - std::max(0, i + 1 - 3));
        QCOMPARE(f.model.finishedCount(), std::min(i + 1, 3));
    }
    QCOMPARE(f.model.rowCount(), 4);
    QCOMPARE(f.model.succeededTotal(), 7);
    QCOMPARE(f.model.failedTotal(), 3);
    // The live task stays, and the three failures (0, 8, 4) stay, in creation order: successes are pruned
    // first, however recently they finished.
    QCOMPARE(role(f.model, 0, TaskListModel::IdRole).toULongLong(), live);
    QList<quint64> kept;
    for (int row = 1; row < 4; ++row)
        kept << role(f.model, row, TaskListModel::IdRole).toULongLong();
    QCOMPARE(kept, (QList<quint64>{ids[0], ids[4], ids[8]}));
    QCOMPARE(f.model.failedCount(), 3);
    QCOMPARE(f.model.succeededCount(), 0);
    for (int row = 0; row < 4; ++row)
        QCOMPARE(f.model.rowOf(role(f.model, row, TaskListModel::IdRole).toULongLong()), row);

    // With only failures left, the ones that finished first (0, then 8) go first.
    f.model.setHistoryLength(1);
    QTRY_COMPARE_WITH_TIMEOUT(f.model.rowCount(), 2, kWait);
    QCOMPARE(role(f.model, 1, TaskListModel::IdRole).toULongLong(), ids[4]);
}

void TestTaskListModel::clearFinishedRemovesOnlyFinishedRows()
{
    Fixture f;
    QList<quint64> ids;
    for (int i = 0; i < 6; ++i)
        ids << f.driver.start(QStringLiteral("job %1").arg(i));
    f.driver.succeed(ids[0]);
    f.driver.fail(ids[2], QStringLiteral("no disk"));
    f.driver.succeed(ids[3]);
    QTRY_COMPARE_WITH_TIMEOUT(f.model.finishedCount(), 3, kWait);

    QSignalSpy removed(&f.model, &QAbstractItemModel::rowsRemoved);
    QCOMPARE(f.model.clearFinished(), 3);
    QCOMPARE(removed.count(), 2); // rows 2..3, then row 0: ranges, not one signal per row
    QCOMPARE(f.model.rowCount(), 3);
    QCOMPARE(f.model.rowOf(ids[1]), 0);
    QCOMPARE(f.model.rowOf(ids[4]), 1);
    QCOMPARE(f.model.rowOf(ids[5]), 2);
    QCOMPARE(f.model.rowOf(ids[0]), -1);
    QCOMPARE(f.model.succeededCount(), 0); // the counters count the rows...
    QCOMPARE(f.model.failedCount(), 0);
    QCOMPARE(f.model.succeededTotal(), 2); // ... the totals what happened
    QCOMPARE(f.model.failedTotal(), 1);
    QCOMPARE(f.model.clearFinished(), 0);
}

void TestTaskListModel::changesWithinOneIntervalArriveAsOneBatch()
{
    Fixture f;
    f.model.setUpdateInterval(3600 * 1000); // nothing is applied until flush()
    QSignalSpy inserted(&f.model, &QAbstractItemModel::rowsInserted);
    QSignalSpy changed(&f.model, &QAbstractItemModel::dataChanged);
    QSignalSpy counters(&f.model, &TaskListModel::countersChanged);
    const qint64 batches = f.model.updateBatches();

    QList<quint64> ids;
    for (int i = 0; i < 50; ++i)
        ids << f.driver.start(QStringLiteral("job %1").arg(i));
    for (int i = 0; i < 50; ++i) {
        f.driver.progress(ids[i], i, 50);
        if (i % 5 == 0)
            f.driver.fail(ids[i], QStringLiteral("bad input"));
        else if (i % 2 == 0)
            f.driver.succeed(ids[i]);
    }
    QTRY_VERIFY_WITH_TIMEOUT(f.driver.task(ids[48]).isFinished() && f.driver.task(ids[49]).progressValue() == 49,
                             kWait);
    QTest::qWait(0); // let the manager's last signals arrive
    QCOMPARE(f.model.rowCount(), 0);
    QCOMPARE(inserted.count(), 0);
    QCOMPARE(changed.count(), 0);
    QCOMPARE(f.model.updateBatches(), batches);

    f.model.flush();
    QCOMPARE(f.model.updateBatches(), batches + 1);
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(inserted.at(0).at(1).toInt(), 0);
    QCOMPARE(inserted.at(0).at(2).toInt(), 49);
    QCOMPARE(counters.count(), 1);
    QCOMPARE(f.model.failedCount(), 10);
    QCOMPARE(f.model.succeededCount(), 20);
    QCOMPARE(f.model.runningCount() + f.model.pendingCount(), 20);
    QCOMPARE(role(f.model, 49, TaskListModel::ProgressValueRole).toInt(), 49);
    QVERIFY(f.model.lastUpdateLatency() >= 0);
}

void TestTaskListModel::changedRowsArriveAsContiguousRanges()
{
    Fixture f;
    QList<quint64> ids;
    for (int i = 0; i < 10; ++i)
        ids << f.driver.start(QStringLiteral("job %1").arg(i));
    QTRY_COMPARE_WITH_TIMEOUT(f.model.runningCount(), 10, kWait);
    f.model.flush();

    f.model.setUpdateInterval(3600 * 1000);
    f.model.setElapsedRefreshInterval(0);
    QSignalSpy changed(&f.model, &QAbstractItemModel::dataChanged);
    for (int row : {2, 3, 4, 7})
        f.driver.progress(ids[row], 1, 2);
    QTRY_VERIFY_WITH_TIMEOUT(f.driver.task(ids[7]).progressValue() == 1, kWait);
    QTest::qWait(0);
    QCOMPARE(changed.count(), 0);

    f.model.flush();
    QCOMPARE(changed.count(), 2);
    QCOMPARE(changed.at(0).at(0).toModelIndex().row(), 2);
    QCOMPARE(changed.at(0).at(1).toModelIndex().row(), 4);
    QCOMPARE(changed.at(1).at(0).toModelIndex().row(), 7);
    QCOMPARE(changed.at(1).at(1).toModelIndex().row(), 7);
}

void TestTaskListModel::taskCreatedAndFinishedWithinOneBatchIsInsertedFinished()
{
    Fixture f;
    f.model.setUpdateInterval(3600 * 1000);
    const quint64 id = f.driver.start(QStringLiteral("quick one"));
    f.driver.succeed(id);
    QTRY_VERIFY_WITH_TIMEOUT(f.driver.task(id).isFinished(), kWait);
    QTest::qWait(0);
    f.model.flush();
    QCOMPARE(f.model.rowCount(), 1);
    QCOMPARE(stateAt(f.model, 0), TaskState::Succeeded);
    QCOMPARE(f.model.succeededCount(), 1);
    QCOMPARE(f.model.runningCount(), 0);

    // With no history at all it is counted but never listed.
    f.model.setHistoryLength(0);
    const quint64 other = f.driver.start(QStringLiteral("quicker one"));
    f.driver.succeed(other);
    QTRY_VERIFY_WITH_TIMEOUT(f.driver.task(other).isFinished(), kWait);
    QTest::qWait(0);
    f.model.flush();
    QCOMPARE(f.model.rowCount(), 0);
    QCOMPARE(f.model.succeededCount(), 0);
    QCOMPARE(f.model.succeededTotal(), 2);
}

void TestTaskListModel::burstOfThreadTasksIsCoalesced()
{
    Fixture f;
    f.model.setHistoryLength(50);
    QSignalSpy resets(&f.model, &QAbstractItemModel::modelReset);
    QSignalSpy inserted(&f.model, &QAbstractItemModel::rowsInserted);
    constexpr int kTasks = 2000;
    for (int i = 0; i < kTasks; ++i) {
        f.manager.createTask(
            [i](qtm::TaskControl &control) {
                control.setProgressRange(0, 1);
                control.setProgressValue(1);
                return i * i;
            },
            QStringLiteral("square %1").arg(i));
    }
    QTRY_COMPARE_WITH_TIMEOUT(f.model.succeededTotal(), kTasks, 60000);
    QTRY_COMPARE_WITH_TIMEOUT(f.model.rowCount(), 50, kWait);
    QCOMPARE(f.model.succeededCount(), 50);
    QCOMPARE(resets.count(), 0);
    // Each batch covers many lifecycles: far fewer batches and insertions than tasks.
    QVERIFY2(f.model.updateBatches() < kTasks / 4, qPrintable(QString::number(f.model.updateBatches())));
    QVERIFY(inserted.count() < kTasks / 4);
    QVERIFY(f.model.maxUpdateDuration() >= 0);
}

void TestTaskListModel::filterByStateAndName()
{
    Fixture f;
    QList<quint64> ids;
    for (const char *name : {"fetch alpha", "fetch beta", "render alpha", "render beta"})
        ids << f.driver.start(QString::fromLatin1(name));
    f.driver.succeed(ids[1]);
    f.driver.fail(ids[2], QStringLiteral("oops"));
    QTRY_COMPARE_WITH_TIMEOUT(f.model.finishedCount(), 2, kWait);
    QTRY_COMPARE_WITH_TIMEOUT(f.model.runningCount(), 2, kWait);
    QCOMPARE(f.filter.count(), 4);

    f.filter.setStates({int(TaskState::Running)});
    QCOMPARE(f.filter.count(), 2);
    f.filter.setNameFilter(QStringLiteral("ALPHA"));
    QCOMPARE(f.filter.count(), 1);
    QCOMPARE(f.filter.index(0, 0).data(TaskListModel::IdRole).toULongLong(), ids[0]);
    QCOMPARE(f.filter.sourceRow(0), 0);

    f.filter.setStates({int(TaskState::Failed), int(TaskState::Succeeded)});
    QCOMPARE(f.filter.count(), 1);
    QCOMPARE(f.filter.index(0, 0).data(TaskListModel::IdRole).toULongLong(), ids[2]);

    // The filter follows the model: a task finishing moves in and out of a state filter.
    f.filter.setNameFilter({});
    f.filter.setStates({int(TaskState::Running)});
    QSignalSpy count(&f.filter, &qtm::TaskFilterModel::countChanged);
    f.driver.succeed(ids[3]);
    QTRY_COMPARE_WITH_TIMEOUT(f.filter.count(), 1, kWait);
    QVERIFY(count.count() >= 1);
    f.filter.setStates({});
    QCOMPARE(f.filter.count(), 4);
}

void TestTaskListModel::sortByName()
{
    Fixture f;
    for (const char *name : {"charlie", "alpha", "bravo"})
        f.driver.start(QString::fromLatin1(name));
    QTRY_COMPARE_WITH_TIMEOUT(f.filter.count(), 3, kWait);
    f.filter.setSortKey(qtm::TaskFilterModel::SortByName);
    QCOMPARE(f.filter.index(0, 0).data(TaskListModel::NameRole).toString(), QStringLiteral("alpha"));
    QCOMPARE(f.filter.index(2, 0).data(TaskListModel::NameRole).toString(), QStringLiteral("charlie"));
    f.filter.setSortKey(qtm::TaskFilterModel::SortByCreation);
    f.filter.setDescending(true);
    QCOMPARE(f.filter.index(0, 0).data(TaskListModel::NameRole).toString(), QStringLiteral("bravo"));
    f.filter.setDescending(false);
    QCOMPARE(f.filter.index(0, 0).data(TaskListModel::NameRole).toString(), QStringLiteral("charlie"));
}

void TestTaskListModel::bindingToAManagerListsItsLiveTasks()
{
    qtm::TaskManager manager;
    TaskDriver driver(&manager);
    const quint64 first = driver.start(QStringLiteral("first"));
    const quint64 second = driver.start(QStringLiteral("second"));
    driver.succeed(first);
    QTRY_VERIFY_WITH_TIMEOUT(driver.task(first).isFinished(), kWait);

    TaskListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    QSignalSpy managerChanged(&model, &TaskListModel::managerChanged);
    model.setManager(&manager);
    QCOMPARE(managerChanged.count(), 1);
    QCOMPARE(model.manager(), &manager);
    QCOMPARE(model.rowCount(), 1); // the manager forgets finished tasks: only the live one is listed
    QCOMPARE(role(model, 0, TaskListModel::IdRole).toULongLong(), second);

    qtm::TaskManager other;
    model.setManager(&other);
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.runningCount() + model.pendingCount(), 0);
    model.setManager(nullptr);
    QCOMPARE(model.manager(), nullptr);
    QVERIFY(!model.cancel(second));
    QCOMPARE(model.cancelAll(), 0);
}

void TestTaskListModel::destroyedManagerLeavesTheRows()
{
    TaskListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    QSignalSpy managerChanged(&model, &TaskListModel::managerChanged);
    {
        qtm::TaskManager manager;
        TaskDriver driver(&manager);
        model.setManager(&manager);
        driver.start(QStringLiteral("orphan"));
        QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 1, kWait);
    }
    QCOMPARE(model.manager(), nullptr);
    QCOMPARE(managerChanged.count(), 2);
    // The manager cancelled the task on destruction; the row shows it once the batch is applied.
    QTRY_COMPARE_WITH_TIMEOUT(stateAt(model, 0), TaskState::Cancelled, kWait);
}

// Regression: a slot on dataChanged() calling rowOf() or cancel() for a task created in the same batch got a
// row past the end (and cancel() read past the end of the rows).
void TestTaskListModel::helpersInsideDataChangedKnowTasksOfTheSameBatch()
{
    Fixture f;
    f.model.setElapsedRefreshInterval(0);
    const quint64 first = f.driver.start(QStringLiteral("first"));
    QTRY_COMPARE_WITH_TIMEOUT(f.model.runningCount(), 1, kWait);
    f.model.flush();

    f.model.setUpdateInterval(3600 * 1000);
    f.driver.progress(first, 1, 2);
    const quint64 second = f.driver.start(QStringLiteral("second"));
    QTRY_VERIFY_WITH_TIMEOUT(
        f.driver.task(first).progressValue() == 1 && f.driver.task(second).state() == TaskState::Running, kWait);
    QTest::qWait(0);

    QStringList problems;
    int rowsSeen = -1;
    int rowOfSecond = -2;
    bool cancelled = false;
    connect(&f.model, &QAbstractItemModel::dataChanged, &f.model, [&] {
        rowsSeen = f.model.rowCount();
        rowOfSecond = f.model.rowOf(second);
        cancelled = f.model.cancel(second);
        problems << inconsistencies(f.model, {first, second}, "dataChanged");
    });
    f.model.flush();
    QCOMPARE(rowsSeen, 1);
    QCOMPARE(rowOfSecond, -1); // not listed until its insertion is signalled
    QVERIFY(cancelled);
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
    QCOMPARE(f.model.rowOf(second), 1);
    f.model.setUpdateInterval(16);
    QTRY_COMPARE_WITH_TIMEOUT(stateAt(f.model, 1), TaskState::Cancelled, kWait);
    QVERIFY(role(f.model, 1, TaskListModel::CancelRequestedRole).toBool());
}

// Regression: a slot on rowsRemoved() (a view restoring its selection) saw rowOf() return rows past
// rowCount() while the model removed its pruned or cleared rows range by range.
void TestTaskListModel::helpersInsideRowsRemovedSeeTheRemainingRows()
{
    Fixture f;
    QList<quint64> ids;
    for (int i = 0; i < 12; ++i)
        ids << f.driver.start(QStringLiteral("job %1").arg(i));
    QTRY_COMPARE_WITH_TIMEOUT(f.model.runningCount(), 12, kWait);

    QStringList problems;
    int removals = 0;
    connect(&f.model, &QAbstractItemModel::rowsRemoved, &f.model, [&] {
        ++removals;
        problems << inconsistencies(f.model, ids, "rowsRemoved");
    });
    connect(&f.model, &QAbstractItemModel::rowsAboutToBeRemoved, &f.model,
            [&] { problems << inconsistencies(f.model, ids, "rowsAboutToBeRemoved"); });

    // Pruned by the history, in scattered ranges within one batch.
    f.model.setUpdateInterval(3600 * 1000);
    f.model.setHistoryLength(0);
    for (int i : {1, 2, 5, 8})
        f.driver.succeed(ids[i]);
    QTRY_VERIFY_WITH_TIMEOUT(f.driver.task(ids[8]).isFinished(), kWait);
    QTest::qWait(0);
    f.model.flush();
    QCOMPARE(f.model.rowCount(), 8);
    QCOMPARE(removals, 3);

    // Removed by clearFinished(), in scattered ranges.
    f.model.setHistoryLength(100);
    for (int i : {0, 4, 6, 7, 11})
        f.driver.succeed(ids[i]);
    QTRY_VERIFY_WITH_TIMEOUT(f.driver.task(ids[11]).isFinished(), kWait);
    QTest::qWait(0);
    f.model.flush();
    QCOMPARE(f.model.clearFinished(), 5);
    QCOMPARE(f.model.rowCount(), 3);
    QCOMPARE(removals, 6);
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
    for (int row = 0; row < 3; ++row)
        QCOMPARE(f.model.rowOf(ids[QList<int>{3, 9, 10}[row]]), row);
}

// Every public helper answers consistently with rowCount() and data() from inside every signal the model
// emits, while tasks are created, progress, fail, are cancelled, pruned (as ranges and, when scattered
// widely, by a reset) and cleared.
void TestTaskListModel::helpersAreRightInsideEverySignal()
{
    Fixture f;
    f.model.setHistoryLength(4);
    f.model.setElapsedRefreshInterval(20);
    QList<quint64> ids;
    QSet<quint64> toCancel; // cancelled from inside the signals
    QStringList problems;
    QHash<QByteArray, int> seen;
    const auto watch = [&](auto signal, const char *name) {
        connect(&f.model, signal, &f.model, [&, name] {
            ++seen[name];
            problems << inconsistencies(f.model, ids, name, toCancel);
        });
    };
    watch(&QAbstractItemModel::rowsAboutToBeInserted, "rowsAboutToBeInserted");
    watch(&QAbstractItemModel::rowsInserted, "rowsInserted");
    watch(&QAbstractItemModel::rowsAboutToBeRemoved, "rowsAboutToBeRemoved");
    watch(&QAbstractItemModel::rowsRemoved, "rowsRemoved");
    watch(&QAbstractItemModel::dataChanged, "dataChanged");
    watch(&QAbstractItemModel::modelAboutToBeReset, "modelAboutToBeReset");
    watch(&QAbstractItemModel::modelReset, "modelReset");
    watch(&QAbstractItemModel::layoutAboutToBeChanged, "layoutAboutToBeChanged");
    watch(&QAbstractItemModel::layoutChanged, "layoutChanged");
    watch(&TaskListModel::countChanged, "countChanged");
    watch(&TaskListModel::countersChanged, "countersChanged");
    watch(&TaskListModel::statisticsChanged, "statisticsChanged");
    watch(&TaskListModel::progressChanged, "progressChanged");

    // Rounds mixing creations, progress, successes, failures, cancellations and tasks left running, with
    // more finished tasks than the history keeps; every other round also clears the finished rows.
    for (int round = 0; round < 4; ++round) {
        QList<quint64> mine;
        for (int i = 0; i < 8; ++i)
            mine << f.driver.start(QStringLiteral("round %1 job %2").arg(round).arg(i));
        ids << mine;
        for (int i = 0; i < 8; ++i) {
            f.driver.progress(mine[i], i, 8);
            if (i % 4 == 0)
                f.driver.succeed(mine[i]);
            else if (i % 4 == 1)
                f.driver.fail(mine[i], QStringLiteral("round %1 failed").arg(round));
            else if (i % 4 == 2)
                toCancel.insert(mine[i]);
        }
        QTRY_VERIFY_WITH_TIMEOUT(
            std::all_of(mine.cbegin(), mine.cend(),
                        [&](quint64 id) { return f.driver.task(id).isFinished() || mine.indexOf(id) % 4 == 3; }),
            kWait);
        if (round % 2)
            f.model.clearFinished();
        f.model.flush();
    }

    // Far more scattered rows pruned in one batch than the model removes as ranges: it resets instead.
    QList<quint64> many;
    for (int i = 0; i < 2 * TaskListModel::removalRangeLimit() + 10; ++i)
        many << f.driver.start(QStringLiteral("many %1").arg(i));
    ids << many;
    QTRY_COMPARE_WITH_TIMEOUT(f.model.runningCount(), 8 + many.size(), kWait);
    f.model.flush();
    f.model.setUpdateInterval(3600 * 1000);
    f.model.setHistoryLength(0);
    for (int i = 0; i < many.size(); i += 2)
        f.driver.succeed(many[i]);
    QTRY_VERIFY_WITH_TIMEOUT(f.driver.task(many[many.size() - 2]).isFinished(), kWait);
    QTest::qWait(0);
    QSignalSpy resets(&f.model, &QAbstractItemModel::modelReset);
    f.model.flush();
    QCOMPARE(resets.count(), 1);
    QCOMPARE(f.model.rowCount(), 8 + many.size() / 2);
    f.model.setUpdateInterval(16);

    // The rest end as cancelled; then the model is cleared and unbound (a reset).
    f.model.cancelAll();
    QTRY_VERIFY_WITH_TIMEOUT(
        std::all_of(ids.cbegin(), ids.cend(), [&](quint64 id) { return f.driver.task(id).isFinished(); }), kWait);
    QTRY_COMPARE_WITH_TIMEOUT(f.model.runningCount() + f.model.pendingCount(), 0, kWait);
    f.model.clearFinished();
    f.model.setManager(nullptr);

    QVERIFY2(problems.isEmpty(), qPrintable(problems.mid(0, 20).join(QLatin1Char('\n'))));
    for (const char *name : {"rowsAboutToBeInserted", "rowsInserted", "rowsAboutToBeRemoved", "rowsRemoved",
                             "dataChanged", "modelAboutToBeReset", "modelReset", "countChanged", "countersChanged",
                             "statisticsChanged", "progressChanged"})
        QVERIFY2(seen.value(name) > 0, name);
}

// Regression: after a burst of successes the Failed tab (a filter on the Failed state) was empty while the
// header still counted the failure: pruning took the oldest finished rows whatever their outcome.
void TestTaskListModel::failuresOutliveABurstOfSuccesses()
{
    Fixture f;
    f.model.setHistoryLength(10);
    const auto tab = [&f](TaskState state) {
        auto filter = std::make_unique<qtm::TaskFilterModel>();
        filter->setSourceModel(&f.model);
        filter->setStates({int(state)});
        return filter;
    };
    const auto failedTab = tab(TaskState::Failed);
    const auto cancelledTab = tab(TaskState::Cancelled);
    const auto succeededTab = tab(TaskState::Succeeded);

    const quint64 failed = f.driver.start(QStringLiteral("import broken file"));
    f.driver.fail(failed, QStringLiteral("line 1: not a CSV file"));
    const quint64 cancelled = f.driver.start(QStringLiteral("sync mailbox"));
    QTRY_VERIFY_WITH_TIMEOUT(f.model.rowOf(cancelled) >= 0, kWait);
    QVERIFY(f.model.cancel(cancelled));
    QTRY_COMPARE_WITH_TIMEOUT(f.model.failedCount(), 1, kWait);
    QTRY_COMPARE_WITH_TIMEOUT(f.model.cancelledCount(), 1, kWait);

    constexpr int kBurst = 1000;
    std::vector<qtm::Task> burst;
    for (int i = 0; i < kBurst; ++i)
        burst.push_back(f.manager.createTask([i] { return i; }, QStringLiteral("success %1").arg(i)));
    QTRY_VERIFY_WITH_TIMEOUT(
        std::all_of(burst.cbegin(), burst.cend(), [](const qtm::Task &task) { return task.isFinished(); }), 60000);
    f.model.flush();
    QTRY_COMPARE_WITH_TIMEOUT(f.model.runningCount() + f.model.pendingCount(), 0, kWait);

    QCOMPARE(f.model.rowCount(), 10);
    QVERIFY(f.model.rowOf(failed) >= 0);
    QVERIFY(f.model.rowOf(cancelled) >= 0);
    QCOMPARE(failedTab->rowCount(), 1);
    QCOMPARE(failedTab->index(0, 0).data(TaskListModel::IdRole).toULongLong(), failed);
    QCOMPARE(cancelledTab->rowCount(), 1);
    QCOMPARE(succeededTab->rowCount(), 8);
    // The header's counters and the tabs agree.
    QHash<TaskState, int> rowsIn;
    for (int row = 0; row < f.model.rowCount(); ++row)
        ++rowsIn[stateAt(f.model, row)];
    QCOMPARE(f.model.failedCount(), rowsIn.value(TaskState::Failed));
    QCOMPARE(f.model.cancelledCount(), rowsIn.value(TaskState::Cancelled));
    QCOMPARE(f.model.succeededCount(), rowsIn.value(TaskState::Succeeded));
    QCOMPARE(f.model.failedCount(), failedTab->rowCount());
    QCOMPARE(f.model.succeededCount(), succeededTab->rowCount());
    QCOMPARE(f.model.runningCount() + f.model.pendingCount(), 0);
    // The totals count every task that ended, listed or not.
    QCOMPARE(f.model.succeededTotal(), kBurst);
    QCOMPARE(f.model.failedTotal(), 1);
    QCOMPARE(f.model.cancelledTotal(), 1);
}

// progress: every task of the run weighs the same; a finished one counts 1, a live one its fraction of its
// range, or 0 without a range. The run ends when no task is live, and the next task starts a new one.
void TestTaskListModel::overallProgressFollowsTheRunOfWork()
{
    Fixture f;
    QSignalSpy changes(&f.model, &TaskListModel::progressChanged);
    QCOMPARE(f.model.progress(), 0.0);
    const quint64 rangedA = f.driver.start(QStringLiteral("download a"));
    const quint64 rangedB = f.driver.start(QStringLiteral("download b"));
    const quint64 plainC = f.driver.start(QStringLiteral("index c"));
    const quint64 plainD = f.driver.start(QStringLiteral("index d"));
    QTRY_COMPARE_WITH_TIMEOUT(f.model.runningCount(), 4, kWait);
    QCOMPARE(f.model.progress(), 0.0);

    f.driver.progress(rangedA, 1, 2);
    QTRY_COMPARE_WITH_TIMEOUT(f.model.progress(), 0.5 / 4, kWait);
    f.driver.succeed(plainC);
    QTRY_COMPARE_WITH_TIMEOUT(f.model.progress(), 1.5 / 4, kWait);
    f.driver.progress(rangedB, 3, 4);
    QTRY_COMPARE_WITH_TIMEOUT(f.model.progress(), 2.25 / 4, kWait);
    f.driver.succeed(rangedA); // its half becomes a whole: the value never drops as a task finishes
    QTRY_COMPARE_WITH_TIMEOUT(f.model.progress(), 2.75 / 4, kWait);
    f.driver.fail(plainD, QStringLiteral("disk full")); // ended is done, whatever the outcome
    QTRY_COMPARE_WITH_TIMEOUT(f.model.progress(), 3.75 / 4, kWait);
    QCOMPARE(f.model.property("progress").toDouble(), 3.75 / 4);
    QVERIFY(changes.count() >= 5);

    f.driver.succeed(rangedB);
    QTRY_COMPARE_WITH_TIMEOUT(f.model.runningCount(), 0, kWait);
    QCOMPARE(f.model.progress(), 0.0);

    const quint64 next = f.driver.start(QStringLiteral("next run"));
    QTRY_COMPARE_WITH_TIMEOUT(f.model.runningCount(), 1, kWait);
    f.driver.progress(next, 1, 4);
    QTRY_COMPARE_WITH_TIMEOUT(f.model.progress(), 0.25, kWait);
}

void TestTaskListModel::timeLeftAndRateFollowTheProgress()
{
    Fixture f;
    f.model.setElapsedRefreshInterval(20);
    const quint64 id = f.driver.start(QStringLiteral("copy"));
    QTRY_COMPARE_WITH_TIMEOUT(f.model.rowCount(), 1, kWait);
    QTRY_COMPARE_WITH_TIMEOUT(stateAt(f.model, 0), TaskState::Running, kWait);
    // Unknown until the task reports a range and some progress.
    QCOMPARE(role(f.model, 0, TaskListModel::TimeLeftRole).toLongLong(), -1);
    QCOMPARE(role(f.model, 0, TaskListModel::RateRole).toDouble(), 0.0);
    f.driver.progress(id, 0, 100);
    QTRY_COMPARE_WITH_TIMEOUT(role(f.model, 0, TaskListModel::ProgressMaximumRole).toInt(), 100, kWait);
    QCOMPARE(role(f.model, 0, TaskListModel::TimeLeftRole).toLongLong(), -1);

    f.driver.progress(id, 25, 100);
    QTRY_COMPARE_WITH_TIMEOUT(role(f.model, 0, TaskListModel::ProgressValueRole).toInt(), 25, kWait);
    QTRY_VERIFY_WITH_TIMEOUT(role(f.model, 0, TaskListModel::ElapsedRole).toLongLong() > 0, kWait);
    // A quarter done in the running time so far: the rest takes three times as long at that rate. Read
    // between two readings of the running time, which goes on meanwhile.
    const qint64 before = role(f.model, 0, TaskListModel::ElapsedRole).toLongLong();
    const qint64 left = role(f.model, 0, TaskListModel::TimeLeftRole).toLongLong();
    const double rate = role(f.model, 0, TaskListModel::RateRole).toDouble();
    const qint64 after = role(f.model, 0, TaskListModel::ElapsedRole).toLongLong();
    QVERIFY2(left >= 3 * before && left <= 3 * after,
             qPrintable(QStringLiteral("time left %1 ms, running %2..%3 ms").arg(left).arg(before).arg(after)));
    QVERIFY2(rate >= 25000.0 / double(after) && rate <= 25000.0 / double(before),
             qPrintable(QStringLiteral("rate %1 per s, running %2..%3 ms").arg(rate).arg(before).arg(after)));

    // The periodic refresh of the running rows carries the estimate with the running time.
    QSignalSpy changed(&f.model, &QAbstractItemModel::dataChanged);
    QTRY_VERIFY_WITH_TIMEOUT(std::any_of(changed.cbegin(), changed.cend(),
                                         [](const QList<QVariant> &arguments) {
                                             return arguments.at(2).value<QList<int>>().contains(
                                                 TaskListModel::TimeLeftRole);
                                         }),
                             kWait);

    f.driver.succeed(id);
    QTRY_COMPARE_WITH_TIMEOUT(stateAt(f.model, 0), TaskState::Succeeded, kWait);
    QCOMPARE(role(f.model, 0, TaskListModel::TimeLeftRole).toLongLong(), 0);
}

void TestTaskListModel::groupsPrioritiesDeadlinesAndAttemptsShowInTheirRoles()
{
    Fixture f;
    QPromise<void> gate;
    gate.start();
    auto group = f.manager.createGroup<int>({.name = QStringLiteral("thumbs"), .maxConcurrent = 1});
    const auto first = group.createTask(
        [future = gate.future()]() -> qtm::Coro<int> {
            co_await future;
            co_return 1;
        },
        {.name = QStringLiteral("first"), .priority = 3, .deadline = std::chrono::hours(1)});
    const auto second = group.createTask([]() -> qtm::Coro<int> { co_return 2; }, QStringLiteral("second"));
    int calls = 0;
    const auto retried = f.manager.createTask(
        [&calls]() -> qtm::Coro<void> {
            if (++calls < 2)
                throw std::runtime_error("flaky");
            co_return;
        },
        {.name = QStringLiteral("retried"),
         .retry = qtm::RetryPolicy{.maxAttempts = 4, .initialDelay = std::chrono::milliseconds(1)}});
    group.close();
    QTRY_COMPARE_WITH_TIMEOUT(f.model.rowCount(), 4, kWait);
    QTRY_COMPARE_WITH_TIMEOUT(stateAt(f.model, f.model.rowOf(first.id())), TaskState::Running, kWait);

    const int groupRow = f.model.rowOf(group.id());
    const int firstRow = f.model.rowOf(first.id());
    const int secondRow = f.model.rowOf(second.id());
    QCOMPARE(role(f.model, groupRow, TaskListModel::KindRole).value<qtm::TaskKind>(), qtm::TaskKind::Group);
    QCOMPARE(role(f.model, groupRow, TaskListModel::GroupDepthRole).toInt(), 0);
    QCOMPARE(role(f.model, groupRow, TaskListModel::GroupPolicyRole).value<qtm::GroupPolicy>(),
             qtm::GroupPolicy::FailFast);
    QCOMPARE(role(f.model, groupRow, TaskListModel::GroupMaxConcurrentRole).toInt(), 1);
    QCOMPARE(role(f.model, firstRow, TaskListModel::GroupIdRole).toULongLong(), group.id());
    QCOMPARE(role(f.model, firstRow, TaskListModel::GroupDepthRole).toInt(), 1);
    QCOMPARE(role(f.model, firstRow, TaskListModel::PriorityRole).toInt(), 3);
    QCOMPARE(role(f.model, firstRow, TaskListModel::DeadlineRole).toDateTime(), first.deadline());
    QCOMPARE(role(f.model, secondRow, TaskListModel::PendingReasonRole).toString(),
             QStringLiteral("waiting for a slot in group 'thumbs': 1 of 1 running"));
    QCOMPARE(role(f.model, groupRow, TaskListModel::ProgressMaximumRole).toInt(), 2);

    QTRY_COMPARE_WITH_TIMEOUT(stateAt(f.model, f.model.rowOf(retried.id())), TaskState::Succeeded, kWait);
    QCOMPARE(role(f.model, f.model.rowOf(retried.id()), TaskListModel::AttemptRole).toInt(), 2);
    QCOMPARE(role(f.model, f.model.rowOf(retried.id()), TaskListModel::MaxAttemptsRole).toInt(), 4);

    gate.finish();
    QTRY_COMPARE_WITH_TIMEOUT(stateAt(f.model, f.model.rowOf(group.id())), TaskState::Succeeded, kWait);
    QCOMPARE(role(f.model, f.model.rowOf(group.id()), TaskListModel::ProgressRole).toDouble(), 1.0);
    QCOMPARE(role(f.model, f.model.rowOf(group.id()), TaskListModel::ProgressValueRole).toInt(), 2);
}

QTEST_GUILESS_MAIN(TestTaskListModel)
#include "tst_tasklistmodel.moc"
