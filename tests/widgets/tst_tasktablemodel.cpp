// The Widgets component's table model under QAbstractItemModelTester (fatal mode), its columns and roles,
// its cancel helper and the cancel action, while tasks are created, progress, fail, are cancelled and are
// pruned from the history.

#include "taskdriver.h"

#include <qtm/widgets/taskcancelaction.h>
#include <qtm/widgets/tasktablemodel.h>

#include <QtCore/QScopeGuard>
#include <QtCore/QSemaphore>
#include <QtCore/QSortFilterProxyModel>
#include <QtGui/QStandardItemModel>
#include <QtTest/QAbstractItemModelTester>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>
#include <QtWidgets/QTableView>

#include <memory>

using qtm::TaskListModel;
using qtm::TaskState;
using qtm::TaskTableModel;

namespace {

constexpr int kWait = 20000; // generous: the tests must not depend on the machine being fast

QVariant cell(const QAbstractItemModel &model, int row, int column, int role = Qt::DisplayRole)
{
    return model.index(row, column).data(role);
}

} // namespace

class TestTaskTableModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        m_manager = std::make_unique<qtm::TaskManager>();
        m_driver = std::make_unique<TaskDriver>(m_manager.get());
        m_model = std::make_unique<TaskTableModel>();
        m_tester = std::make_unique<QAbstractItemModelTester>(m_model.get(),
                                                              QAbstractItemModelTester::FailureReportingMode::Fatal);
        m_model->listModel()->setUpdateInterval(0);
        m_model->setManager(m_manager.get());
    }

    void cleanup()
    {
        m_tester.reset();
        m_model.reset();
        m_driver.reset();
        m_manager.reset();
    }

    void aGroupsChildrenAreIndentedUnderIt()
    {
        auto group = m_manager->createGroup({.name = QStringLiteral("thumbnails")});
        auto inner = group.createGroup({.name = QStringLiteral("pages")});
        const auto leaf = inner.createTask([]() -> qtm::Coro<void> { co_return; }, QStringLiteral("page 1"));
        inner.close();
        group.close();
        QTRY_VERIFY_WITH_TIMEOUT(group.isFinished(), kWait);
        QTRY_COMPARE_WITH_TIMEOUT(m_model->rowCount(), 3, kWait);
        const auto rowOf = [&](const qtm::Task &task) { return m_model->listModel()->rowOf(task.id()); };
        QCOMPARE(cell(*m_model, rowOf(group), TaskTableModel::NameColumn).toString(),
                 QStringLiteral("\u25BE thumbnails"));
        QCOMPARE(cell(*m_model, rowOf(inner), TaskTableModel::NameColumn).toString(),
                 QStringLiteral("    \u25BE pages"));
        QCOMPARE(cell(*m_model, rowOf(leaf), TaskTableModel::NameColumn).toString(), QStringLiteral("        page 1"));
        // What sorts and what a tooltip says is the name alone.
        QCOMPARE(cell(*m_model, rowOf(leaf), TaskTableModel::NameColumn, TaskTableModel::SortRole).toString(),
                 QStringLiteral("page 1"));
    }

    void columnsHaveHeaders()
    {
        QCOMPARE(m_model->columnCount(), int(TaskTableModel::ColumnCount));
        const QStringList expected{QStringLiteral("Task"), QStringLiteral("State"), QStringLiteral("Progress"),
                                   QStringLiteral("Elapsed"), QStringLiteral("Error")};
        for (int column = 0; column < m_model->columnCount(); ++column)
            QCOMPARE(m_model->headerData(column, Qt::Horizontal).toString(), expected.at(column));
        QVERIFY(!m_model->headerData(TaskTableModel::ColumnCount, Qt::Horizontal).isValid());
    }

    void progressColumnShowsWhatATaskReached_data()
    {
        QTest::addColumn<int>("value");
        QTest::addColumn<int>("maximum");
        QTest::addColumn<QString>("end"); // "", "succeed", "fail"
        QTest::addColumn<int>("percent");
        QTest::addColumn<QString>("text");

        QTest::newRow("running at 42%") << 420 << 1000 << QString() << 42 << QStringLiteral("42%");
        QTest::newRow("running at 99.9% is not done") << 999 << 1000 << QString() << 99 << QStringLiteral("99%");
        QTest::newRow("running without a range") << -1 << 0 << QString() << -1 << QString();
        QTest::newRow("succeeded at 99.9% shows 100%")
            << 999 << 1000 << QStringLiteral("succeed") << 100 << QStringLiteral("100%");
        QTest::newRow("succeeded without a range shows 100%")
            << -1 << 0 << QStringLiteral("succeed") << 100 << QStringLiteral("100%");
        QTest::newRow("failed at half way keeps 50%")
            << 500 << 1000 << QStringLiteral("fail") << 50 << QStringLiteral("50%");
        QTest::newRow("failed without a range") << -1 << 0 << QStringLiteral("fail") << -1 << QString();
    }

    void progressColumnShowsWhatATaskReached()
    {
        QFETCH(int, value);
        QFETCH(int, maximum);
        QFETCH(QString, end);
        QFETCH(int, percent);
        QFETCH(QString, text);

        const quint64 id = m_driver->start(QStringLiteral("work"));
        if (value >= 0)
            m_driver->progress(id, value, maximum);
        if (end == QLatin1String("succeed"))
            m_driver->succeed(id);
        else if (end == QLatin1String("fail"))
            m_driver->fail(id, QStringLiteral("disk full"));
        const TaskState expected = end == QLatin1String("succeed") ? TaskState::Succeeded
            : end == QLatin1String("fail")                         ? TaskState::Failed
                                                                   : TaskState::Running;
        const auto settled = [&] {
            const int row = m_model->rowOf(id);
            if (row < 0 || cell(*m_model, row, 0, TaskListModel::StateRole).value<TaskState>() != expected)
                return false;
            return value < 0 || cell(*m_model, row, 0, TaskListModel::ProgressValueRole).toInt() == value;
        };
        QTRY_VERIFY_WITH_TIMEOUT(settled(), kWait);

        const int row = m_model->rowOf(id);
        QCOMPARE(cell(*m_model, row, TaskTableModel::ProgressColumn, TaskTableModel::PercentRole).toInt(), percent);
        QCOMPARE(cell(*m_model, row, TaskTableModel::ProgressColumn).toString(), text);
        QVERIFY(!cell(*m_model, row, TaskTableModel::NameColumn, TaskTableModel::PercentRole).isValid());
        QCOMPARE(cell(*m_model, row, TaskTableModel::ErrorColumn).toString(),
                 end == QLatin1String("fail") ? QStringLiteral("disk full") : QString());
        QCOMPARE(cell(*m_model, row, TaskTableModel::StateColumn).toString(),
                 cell(*m_model, row, 0, TaskListModel::StateTextRole).toString());
    }

    //! Every column answers the list model's roles, so any index of a row tells which task it is.
    void everyColumnAnswersTheListRoles()
    {
        const quint64 id = m_driver->start(QStringLiteral("copy files"));
        QTRY_COMPARE_WITH_TIMEOUT(m_model->rowCount(), 1, kWait);
        for (int column = 0; column < m_model->columnCount(); ++column) {
            QCOMPARE(cell(*m_model, 0, column, TaskListModel::IdRole).toULongLong(), id);
            QCOMPARE(cell(*m_model, 0, column, TaskListModel::NameRole).toString(), QStringLiteral("copy files"));
        }
        QCOMPARE(cell(*m_model, 0, TaskTableModel::NameColumn).toString(), QStringLiteral("copy files"));
        QCOMPARE(m_model->taskAt(0).id(), id);
        QCOMPARE(m_model->rowOf(id), 0);
        QVERIFY(m_model->roleNames().value(TaskTableModel::PercentRole) == "percent");
        // Every role of the list model keeps its own name and value through the table, the last ones too.
        QVERIFY(m_model->roleNames().value(TaskListModel::RateRole) == "rate");
        QVERIFY(m_model->roleNames().value(TaskListModel::GroupMaxConcurrentRole) == "groupMaxConcurrent");
        QVERIFY(int(TaskTableModel::PercentRole) > int(TaskListModel::GroupMaxConcurrentRole));
        QVERIFY(cell(*m_model, 0, TaskTableModel::NameColumn, TaskListModel::RateRole).isValid());
        QVERIFY(m_model->roleNames().value(TaskListModel::IdRole) == "id");
    }

    void elapsedColumnShowsRunningTime()
    {
        const quint64 id = m_driver->start(QStringLiteral("wait"));
        QTRY_COMPARE_WITH_TIMEOUT(m_model->rowCount(), 1, kWait);
        QTRY_VERIFY_WITH_TIMEOUT(
            cell(*m_model, 0, 0, TaskListModel::StateRole).value<TaskState>() == TaskState::Running, kWait);
        QVERIFY(cell(*m_model, 0, TaskTableModel::ElapsedColumn).toString().endsWith(QLatin1String(" s")));
        m_driver->succeed(id);
        QTRY_VERIFY_WITH_TIMEOUT(cell(*m_model, 0, 0, TaskListModel::FinishedRole).toBool(), kWait);
        QCOMPARE(cell(*m_model, 0, TaskTableModel::ElapsedColumn, TaskTableModel::SortRole).toLongLong(),
                 cell(*m_model, 0, 0, TaskListModel::ElapsedRole).toLongLong());
    }

    //! The periodic refresh of running tasks' elapsed time repaints only the Elapsed column.
    void elapsedRefreshChangesOnlyTheElapsedColumn()
    {
        m_model->listModel()->setElapsedRefreshInterval(20);
        m_driver->start(QStringLiteral("long"));
        QTRY_VERIFY_WITH_TIMEOUT(m_model->rowCount() == 1
                                     && cell(*m_model, 0, 0, TaskListModel::StateRole).value<TaskState>()
                                         == TaskState::Running,
                                 kWait);
        QSignalSpy changed(m_model.get(), &QAbstractItemModel::dataChanged);
        const auto elapsedOnly = [&changed] {
            for (const QList<QVariant> &arguments : std::as_const(changed)) {
                const auto first = arguments.at(0).toModelIndex();
                const auto last = arguments.at(1).toModelIndex();
                if (first.column() == TaskTableModel::ElapsedColumn && last.column() == TaskTableModel::ElapsedColumn)
                    return true;
            }
            return false;
        };
        QTRY_VERIFY_WITH_TIMEOUT(elapsedOnly(), kWait);
    }

    void sortRoleSortsEveryColumn()
    {
        QSortFilterProxyModel sorted;
        sorted.setSourceModel(m_model.get());
        sorted.setSortRole(TaskTableModel::SortRole);
        QAbstractItemModelTester proxyTester(&sorted, QAbstractItemModelTester::FailureReportingMode::Fatal);

        const quint64 half = m_driver->start(QStringLiteral("b half"));
        const quint64 done = m_driver->start(QStringLiteral("c done"));
        const quint64 quarter = m_driver->start(QStringLiteral("a quarter"));
        m_driver->progress(half, 50, 100);
        m_driver->progress(done, 99, 100);
        m_driver->succeed(done);
        m_driver->progress(quarter, 25, 100);
        QTRY_VERIFY_WITH_TIMEOUT(
            m_model->listModel()->succeededCount() == 1
                && cell(*m_model, m_model->rowOf(quarter), 0, TaskListModel::ProgressValueRole).toInt() == 25
                && cell(*m_model, m_model->rowOf(half), 0, TaskListModel::ProgressValueRole).toInt() == 50,
            kWait);

        const auto order = [&sorted] {
            QStringList names;
            for (int row = 0; row < sorted.rowCount(); ++row)
                names << cell(sorted, row, TaskTableModel::NameColumn).toString();
            return names.join(QLatin1Char(','));
        };
        sorted.sort(TaskTableModel::ProgressColumn, Qt::DescendingOrder);
        QCOMPARE(order(), QStringLiteral("c done,b half,a quarter"));
        sorted.sort(TaskTableModel::NameColumn, Qt::AscendingOrder);
        QCOMPARE(order(), QStringLiteral("a quarter,b half,c done"));
        sorted.sort(TaskTableModel::StateColumn, Qt::DescendingOrder);
        QCOMPARE(cell(sorted, 0, TaskTableModel::NameColumn).toString(), QStringLiteral("c done"));
    }

    //! Rows inserted, changed, pruned and reset, checked by the tester, and the same rows in both models
    //! from inside the table's own signals.
    void rowsFollowTheListModel()
    {
        TaskListModel *list = m_model->listModel();
        list->setHistoryLength(2);
        QStringList problems;
        const auto check = [&](const char *where) {
            if (m_model->rowCount() != list->rowCount())
                problems << QStringLiteral("%1: %2 rows, the list model %3")
                                .arg(QLatin1String(where))
                                .arg(m_model->rowCount())
                                .arg(list->rowCount());
            for (int row = 0; row < m_model->rowCount(); ++row) {
                if (cell(*m_model, row, TaskTableModel::NameColumn).toString()
                    != list->index(row).data(TaskListModel::NameRole).toString())
                    problems << QStringLiteral("%1: row %2 differs").arg(QLatin1String(where)).arg(row);
            }
        };
        connect(m_model.get(), &QAbstractItemModel::rowsInserted, this, [&] { check("rowsInserted"); });
        connect(m_model.get(), &QAbstractItemModel::rowsRemoved, this, [&] { check("rowsRemoved"); });
        connect(m_model.get(), &QAbstractItemModel::dataChanged, this, [&] { check("dataChanged"); });
        connect(m_model.get(), &QAbstractItemModel::modelReset, this, [&] { check("modelReset"); });

        QList<quint64> ids;
        for (int i = 0; i < 6; ++i)
            ids << m_driver->start(QStringLiteral("task %1").arg(i));
        QTRY_COMPARE_WITH_TIMEOUT(m_model->rowCount(), 6, kWait);
        m_driver->fail(ids[0], QStringLiteral("no space"));
        for (int i = 1; i < 5; ++i)
            m_driver->succeed(ids[i]);
        // History of 2: the failure stays, one success stays, the oldest successes are pruned.
        QTRY_VERIFY_WITH_TIMEOUT(list->succeededTotal() == 4 && m_model->rowCount() == 3, kWait);
        QVERIFY(m_model->rowOf(ids[0]) >= 0);
        QVERIFY(m_model->rowOf(ids[5]) >= 0);
        QCOMPARE(list->clearFinished(), 2);
        QCOMPARE(m_model->rowCount(), 1);

        qtm::TaskManager other;
        QSignalSpy managerChanged(m_model.get(), &TaskTableModel::managerChanged);
        m_model->setManager(&other);
        QCOMPARE(m_model->manager(), &other);
        QCOMPARE(managerChanged.size(), 1);
        QCOMPARE(m_model->rowCount(), 0);
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
    }

    void cancelThroughAProxy()
    {
        const quint64 id = m_driver->start(QStringLiteral("to cancel"));
        QSortFilterProxyModel sorted;
        sorted.setSourceModel(m_model.get());
        QTRY_COMPARE_WITH_TIMEOUT(sorted.rowCount(), 1, kWait);

        QSignalSpy finished(m_model->listModel(), &TaskListModel::cancelFinished);
        QVERIFY(m_model->cancel(sorted.index(0, TaskTableModel::ErrorColumn), 5000));
        QVERIFY(finished.wait(kWait));
        QCOMPARE(finished.at(0).at(0).toULongLong(), id);
        QCOMPARE(finished.at(0).at(1).value<qtm::CancelOutcome>(), qtm::CancelOutcome::Cancelled);
        QTRY_COMPARE_WITH_TIMEOUT(cell(*m_model, 0, TaskTableModel::StateColumn).toString(),
                                  QStringLiteral("Cancelled"), kWait);
    }

    //! A live task asked to cancel reads "Cancelling" until it ends.
    void stateColumnShowsCancelling()
    {
        QSemaphore release;
        const auto releaseOnExit = qScopeGuard([&release] { release.release(); });
        // A thread function that does not check for cancellation: it runs on until released.
        m_manager->createTask([&release] { release.acquire(); }, QStringLiteral("stubborn"));
        QTRY_VERIFY_WITH_TIMEOUT(m_model->rowCount() == 1
                                     && cell(*m_model, 0, 0, TaskListModel::StateRole).value<TaskState>()
                                         == TaskState::Running,
                                 kWait);
        QCOMPARE(cell(*m_model, 0, TaskTableModel::StateColumn).toString(), QStringLiteral("Running"));
        QVERIFY(m_model->cancel(m_model->index(0, TaskTableModel::StateColumn)));
        QTRY_COMPARE_WITH_TIMEOUT(cell(*m_model, 0, TaskTableModel::StateColumn).toString(),
                                  QStringLiteral("Cancelling"), kWait);
        release.release();
        QTRY_VERIFY_WITH_TIMEOUT(cell(*m_model, 0, 0, TaskListModel::FinishedRole).toBool(), kWait);
        QCOMPARE(cell(*m_model, 0, TaskTableModel::StateColumn).toString(),
                 cell(*m_model, 0, 0, TaskListModel::StateTextRole).toString());
    }

    void cancelRefusesWhatIsNotItsTask()
    {
        QVERIFY(!m_model->cancel(QModelIndex())); // nothing selected: quietly nothing

        QStandardItemModel unrelated(1, 1);
        QTest::ignoreMessage(
            QtWarningMsg, "TaskTableModel::cancel: the index (row 0, column 0) is not of a task listed in this model");
        QVERIFY(!m_model->cancel(unrelated.index(0, 0)));

        m_driver->start(QStringLiteral("orphan"));
        QTRY_COMPARE_WITH_TIMEOUT(m_model->rowCount(), 1, kWait);
        const QPersistentModelIndex row = m_model->index(0, 0);
        m_driver.reset();
        m_manager.reset(); // the rows stay, the manager is gone
        QCOMPARE(m_model->manager(), nullptr);
        QTest::ignoreMessage(QtWarningMsg,
                             "TaskTableModel::cancel: no manager is bound (it was destroyed or never set)");
        QVERIFY(!m_model->cancel(row));
    }

    void cancelActionWithoutAModelOrViewStaysDisabled()
    {
        QTableView view;
        QTest::ignoreMessage(QtWarningMsg, "TaskCancelAction: the model is null; the action stays disabled");
        qtm::TaskCancelAction withoutModel(nullptr, &view);
        QTest::ignoreMessage(QtWarningMsg, "TaskCancelAction: the view is null; the action stays disabled");
        qtm::TaskCancelAction withoutView(m_model.get(), nullptr);
        for (qtm::TaskCancelAction *action : {&withoutModel, &withoutView}) {
            QVERIFY(!action->isEnabled());
            QCOMPARE(action->cancelSelected(), 0);
        }
    }

    //! The action is enabled while a selected row can be cancelled, and cancels the selected tasks.
    void cancelActionCancelsTheSelection()
    {
        QSortFilterProxyModel sorted;
        sorted.setSourceModel(m_model.get());
        QTableView view;
        view.setModel(&sorted);
        view.setSelectionBehavior(QAbstractItemView::SelectRows);
        qtm::TaskCancelAction cancel(m_model.get(), &view);
        cancel.setTimeout(5000);
        QCOMPARE(cancel.timeout(), 5000);
        QVERIFY(!cancel.isEnabled());

        const quint64 done = m_driver->start(QStringLiteral("done"));
        const quint64 busy = m_driver->start(QStringLiteral("busy"));
        m_driver->succeed(done);
        QTRY_VERIFY_WITH_TIMEOUT(m_model->listModel()->succeededCount() == 1 && m_model->rowCount() == 2, kWait);

        view.selectRow(sorted.mapFromSource(m_model->index(m_model->rowOf(done), 0)).row());
        QVERIFY(!cancel.isEnabled()); // a finished task cannot be cancelled
        view.selectRow(sorted.mapFromSource(m_model->index(m_model->rowOf(busy), 0)).row());
        QVERIFY(cancel.isEnabled());

        QSignalSpy finished(m_model->listModel(), &TaskListModel::cancelFinished);
        cancel.trigger();
        QVERIFY(finished.wait(kWait));
        QCOMPARE(finished.at(0).at(0).toULongLong(), busy);
        QTRY_VERIFY_WITH_TIMEOUT(!cancel.isEnabled(), kWait);
        QTRY_COMPARE_WITH_TIMEOUT(m_model->listModel()->cancelledCount(), 1, kWait);
        QCOMPARE(cancel.cancelSelected(), 0);
    }

private:
    std::unique_ptr<qtm::TaskManager> m_manager;
    std::unique_ptr<TaskDriver> m_driver;
    std::unique_ptr<TaskTableModel> m_model;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
};

QTEST_MAIN(TestTaskTableModel)
#include "tst_tasktablemodel.moc"
