#pragma once

#include <qtm/qtm_export.h>
#include <qtm/taskstatistics.h>

#include <QtCore/QAbstractTableModel>
#include <QtCore/QBasicTimer>
#include <QtCore/QPointer>

namespace qtm {

class TaskManager;

/*!
 * A table of a manager's per-name task statistics (TaskManager::statistics()), for views: one row per
 * TaskStatistics::Entry (sorted by name, then kind), one column per Column. It needs Qt Core only; the
 * Quick component registers it as the QML type `TaskStatisticsModel`, where each column is also a role
 * (name, kind, created, ..., runningMaxMs), so a ListView delegate reads `model.p95Ms`.
 *
 * \code
 * qtm::TaskStatisticsModel model;
 * model.setManager(&manager);
 * model.setRefreshInterval(1000); // a new snapshot every second; 0: only on refresh()
 * tableView->setModel(&model);
 * \endcode
 *
 * \b Refreshing. The model takes a snapshot when the manager is set, every refreshInterval() ms while
 * that is positive (default 1000), and on refresh(). A snapshot with the same rows as the last one
 * changes only the cells that differ (dataChanged()); one with rows added or gone resets the model.
 *
 * \b Threads. The model lives in the GUI thread; the manager may live in another thread (a snapshot is
 * safe from any thread), as long as it is not destroyed while the model takes one: destroy it in the
 * model's thread, or after unsetting it. The model does not own the manager, and shows nothing once the
 * manager is destroyed.
 */
class QTM_EXPORT TaskStatisticsModel : public QAbstractTableModel
{
    Q_OBJECT
    //! The manager whose statistics are shown (manager(), setManager()).
    Q_PROPERTY(qtm::TaskManager *manager READ manager WRITE setManager NOTIFY managerChanged)
    //! Milliseconds between two snapshots; 0: only on refresh() (refreshInterval(), setRefreshInterval()).
    Q_PROPERTY(int refreshInterval READ refreshInterval WRITE setRefreshInterval NOTIFY refreshIntervalChanged)
    //! The number of rows (rowCount()).
    Q_PROPERTY(int count READ count NOTIFY countChanged)

public:
    //! The columns, in order.
    enum Column
    {
        NameColumn, //!< the task name, or TaskStatistics::groupName() for unnamed tasks
        KindColumn, //!< the kind's name ("Coroutine", "ThreadPool", "Future")
        CreatedColumn, //!< tasks created
        SucceededColumn, //!< tasks succeeded
        FailedColumn, //!< tasks failed
        CancelledColumn, //!< tasks cancelled
        TimedOutColumn, //!< cancelTask() calls that timed out
        LiveColumn, //!< tasks live now
        P50Column, //!< median total duration (created to finished), ms
        P95Column, //!< 95th percentile of the total duration, ms
        MaxColumn, //!< longest total duration, ms
        RunningP50Column, //!< median running time (started to finished), ms
        RunningP95Column, //!< 95th percentile of the running time, ms
        RunningMaxColumn, //!< longest running time, ms
        ColumnCount //!< the number of columns
    };
    Q_ENUM(Column)

    //! The roles, one per column, named in QML as in roleNames(): name, kind, created, ...
    enum Role
    {
        NameRole = Qt::UserRole + 1, //!< QString
        KindRole, //!< qtm::TaskKind
        CreatedRole, //!< qint64
        SucceededRole, //!< qint64
        FailedRole, //!< qint64
        CancelledRole, //!< qint64
        TimedOutRole, //!< qint64
        LiveRole, //!< qint64
        P50Role, //!< qint64 ms
        P95Role, //!< qint64 ms
        MaxRole, //!< qint64 ms
        RunningP50Role, //!< qint64 ms
        RunningP95Role, //!< qint64 ms
        RunningMaxRole, //!< qint64 ms
        UnnamedRole, //!< bool: the row groups the tasks created without a name
    };
    Q_ENUM(Role)

    //! An empty model with no manager.
    explicit TaskStatisticsModel(QObject *parent = nullptr);
    ~TaskStatisticsModel() override;

    //! The manager shown, or null.
    TaskManager *manager() const;
    //! Shows \a manager's statistics (a snapshot at once); null empties the model.
    void setManager(TaskManager *manager);

    //! Milliseconds between two snapshots (default 1000); 0 when only refresh() takes one.
    int refreshInterval() const;
    //! Sets refreshInterval(); a negative \a ms counts as 0 (with a warning naming the value).
    void setRefreshInterval(int ms);

    //! The number of rows.
    int count() const { return int(m_statistics.entries().size()); }
    //! The snapshot shown.
    TaskStatistics statistics() const { return m_statistics; }

    //! Takes a new snapshot of the manager's statistics now.
    Q_INVOKABLE void refresh();
    //! Clears the manager's statistics (TaskManager::resetStatistics()) and refreshes.
    Q_INVOKABLE void reset();

    //! One row per entry; 0 for a valid \a parent (a table has no children).
    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    //! ColumnCount; 0 for a valid \a parent.
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    //! Qt::DisplayRole: the cell of the index's column; a Role: that value of the row, whatever the column.
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    //! The columns' titles ("Name", "Kind", "Created", ..., "Run max (ms)") and, vertically, the row number.
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    //! The names of the roles, for QML: name, kind, created, succeeded, failed, cancelled, timedOut, live,
    //! p50Ms, p95Ms, maxMs, runningP50Ms, runningP95Ms, runningMaxMs, unnamed.
    QHash<int, QByteArray> roleNames() const override;

Q_SIGNALS:
    //! The manager changed.
    void managerChanged();
    //! refreshInterval() changed.
    void refreshIntervalChanged();
    //! The number of rows changed.
    void countChanged();
    //! A new snapshot is shown (after every refresh, changed or not).
    void refreshed();

protected:
    //! Takes a snapshot on the refresh timer.
    void timerEvent(QTimerEvent *event) override;

private:
    void apply(TaskStatistics statistics);
    void restartTimer();

    QPointer<TaskManager> m_manager;
    TaskStatistics m_statistics;
    QBasicTimer m_timer;
    int m_refreshInterval = 1000;
};

} // namespace qtm
