#pragma once

#include <qtm/basetaskmanager.h>
#include <qtm/qtm_export.h>

#include <QtCore/QAbstractListModel>
#include <QtCore/QBasicTimer>
#include <QtCore/QElapsedTimer>
#include <QtCore/QHash>
#include <QtCore/QPointer>

#include <deque>
#include <vector>

namespace qtm {

/*!
 * A live list of the tasks of one manager, for views: one row per task in creation order, from the moment
 * it is created until it is pruned from the history of finished tasks.
 *
 * It needs Qt Core only. The Quick component registers it as the QML type `TaskListModel`
 * (<qtm/quick/tasklistmodel.h> includes this header); the Widgets component shows it in columns
 * (qtm::TaskTableModel, <qtm/widgets/tasktablemodel.h>).
 *
 * \b Binding to a manager. Set the `manager` property to any qtm::BaseTaskManager. The manager is usually
 * created in C++ and handed to QML in one of these ways (docs/qml.md shows each in full):
 * \code
 * // 1. As an initial property of the root object (preferred: typed, no globals).
 * //    main.qml:  required property BaseTaskManager manager
 * //               TaskListModel { id: tasks; manager: root.manager }
 * qtm::TaskManager manager;
 * QQmlApplicationEngine engine;
 * engine.setInitialProperties({{QStringLiteral("manager"), QVariant::fromValue(&manager)}});
 * engine.load(QUrl(QStringLiteral("qrc:/main.qml")));
 *
 * // 2. As a context property (works everywhere, but untyped for tooling).
 * engine.rootContext()->setContextProperty(QStringLiteral("taskManager"), &manager);
 *
 * // 3. From C++ directly, for a benchmark or a list view (a table view takes qtm::TaskTableModel).
 * qtm::TaskListModel model;
 * model.setManager(&manager);
 * listView->setModel(&model);
 * \endcode
 *
 * \b Coalesced updates. Manager signals only mark a task as changed (an O(1) hash look-up); the model
 * applies what changed at most once per updateInterval() (default 16 ms, one frame), as one \e batch:
 * dataChanged() over contiguous row ranges, then rowsRemoved() for the pruned history as ranges, then
 * one rowsInserted() for the tasks created since the last batch. A task created and finished within one
 * interval is inserted already finished. A batch costs time linear in the rows it touches and the rows it
 * moves, however scattered the removed rows are. The model resets only when the manager changes, and when
 * one batch would remove more than removalRangeLimit() separate ranges: each removal signal costs a proxy
 * or a view time in proportion to its rows (QSortFilterProxyModel remaps every row, persistent indexes are
 * moved), so thousands of them would stall the GUI thread for longer than one rebuild, and a list changing
 * that much has no selection worth keeping.
 * updateBatches() counts the batches, so a benchmark can compute model updates per second; the latency
 * and duration figures say how stale the view got and how long each batch held the GUI thread.
 *
 * \b Re-entrancy. From inside any of the model's own signals (row, data and reset signals, and the
 * NOTIFY signals of its properties) rowCount(), data(), rowOf(), taskAt(), cancel() and the counters
 * describe the rows as they are at that moment: rowOf() of a listed task is its row, and -1 for a task
 * that is not listed (yet, or any more). A task created in the batch being applied is listed once its
 * rowsInserted() has been emitted; cancel() already works for it before. flush() from inside a signal does
 * nothing (the batch being applied is the flush); clearFinished() from inside a signal is applied right
 * after the batch.
 *
 * \b Elapsed time. While some task runs, the model schedules a batch at least every
 * elapsedRefreshInterval() (default 250 ms) that refreshes only ElapsedRole, RateRole and TimeLeftRole of
 * the running rows.
 *
 * \b Time \b left. For a running task that reports a range and has made progress, RateRole is its average
 * rate since it started (progress units per second) and TimeLeftRole the time the rest takes at that rate.
 *
 * \b History. Finished tasks stay listed until more than historyLength() have finished; then some are
 * removed. Successes go first, the ones that finished first before the others; failed and cancelled rows
 * go only when no succeeded row is left to remove, again oldest first. A burst of successes therefore
 * never pushes a failure out of the list. clearFinished() removes every finished row at once.
 *
 * \b Counters. pendingCount, runningCount, succeededCount, failedCount and cancelledCount are the numbers
 * of listed rows in each state, so they always agree with the rows a view (or a TaskFilterModel filtered
 * by state) shows. succeededTotal, failedTotal and cancelledTotal count every task that ended since the
 * manager was bound (pruned ones and ones never listed included) until resetCounters(). They all change
 * together with the rows; countersChanged() is emitted once per batch.
 *
 * \b Overall progress. progress is the progress of the current run of work, in [0, 1]: a run starts when
 * a task becomes live while none was and ends when no task is live any more (progress is then 0). Every
 * task of the run weighs the same: a finished one counts 1, a live one with a progress range counts its
 * fraction of that range, a live one without a range 0. So the value grows as tasks finish and as ranged
 * tasks report progress, and does not drop when a task finishes.
 *
 * \b Threads. The model lives in the GUI thread. The manager may live in another thread: its signals are
 * then queued, and the model reads the tasks through their thread-safe handles.
 *
 * \b Ownership. The model does not own the manager; when the manager is destroyed, `manager` becomes
 * null and the rows stay as they were (the task handles keep their records alive).
 */
class QTM_EXPORT TaskListModel : public QAbstractListModel
{
    Q_OBJECT
    //! The manager whose tasks are listed (manager(), setManager()); null when none is, or after it was
    //! destroyed.
    Q_PROPERTY(qtm::BaseTaskManager *manager READ manager WRITE setManager NOTIFY managerChanged)
    //! The number of rows (rowCount()).
    Q_PROPERTY(int count READ rowCount NOTIFY countChanged)
    //! How many finished tasks stay listed (historyLength(), setHistoryLength()).
    Q_PROPERTY(int historyLength READ historyLength WRITE setHistoryLength NOTIFY historyLengthChanged)
    //! The least time in ms between two batches (updateInterval(), setUpdateInterval()).
    Q_PROPERTY(int updateInterval READ updateInterval WRITE setUpdateInterval NOTIFY updateIntervalChanged)
    //! How often the running rows' ElapsedRole is refreshed, in ms (elapsedRefreshInterval(),
    //! setElapsedRefreshInterval()).
    Q_PROPERTY(int elapsedRefreshInterval READ elapsedRefreshInterval WRITE setElapsedRefreshInterval NOTIFY
                   elapsedRefreshIntervalChanged)
    //! The number of listed rows that are Pending.
    Q_PROPERTY(int pendingCount READ pendingCount NOTIFY countersChanged)
    //! The number of listed rows that are Running.
    Q_PROPERTY(int runningCount READ runningCount NOTIFY countersChanged)
    //! The number of listed rows that Succeeded.
    Q_PROPERTY(int succeededCount READ succeededCount NOTIFY countersChanged)
    //! The number of listed rows that Failed.
    Q_PROPERTY(int failedCount READ failedCount NOTIFY countersChanged)
    //! The number of listed rows that were Cancelled.
    Q_PROPERTY(int cancelledCount READ cancelledCount NOTIFY countersChanged)
    //! The number of listed rows that are finished (succeeded, failed or cancelled).
    Q_PROPERTY(int finishedCount READ finishedCount NOTIFY countersChanged)
    //! How many tasks succeeded since the manager was bound or resetCounters(), listed or not.
    Q_PROPERTY(int succeededTotal READ succeededTotal NOTIFY countersChanged)
    //! How many tasks failed since the manager was bound or resetCounters(), listed or not.
    Q_PROPERTY(int failedTotal READ failedTotal NOTIFY countersChanged)
    //! How many tasks were cancelled since the manager was bound or resetCounters(), listed or not.
    Q_PROPERTY(int cancelledTotal READ cancelledTotal NOTIFY countersChanged)
    //! The overall progress of the current run of work, in [0, 1] (progress()).
    Q_PROPERTY(double progress READ progress NOTIFY progressChanged)
    //! How many batches were applied (updateBatches()).
    Q_PROPERTY(int updateBatches READ updateBatches NOTIFY statisticsChanged)
    //! How stale the view was at the last batch, in ms (lastUpdateLatency()).
    Q_PROPERTY(double lastUpdateLatency READ lastUpdateLatency NOTIFY statisticsChanged)
    //! The largest lastUpdateLatency since construction or resetStatistics().
    Q_PROPERTY(double maxUpdateLatency READ maxUpdateLatency NOTIFY statisticsChanged)
    //! How long the last batch held the GUI thread, in ms (lastUpdateDuration()).
    Q_PROPERTY(double lastUpdateDuration READ lastUpdateDuration NOTIFY statisticsChanged)
    //! The largest lastUpdateDuration since construction or resetStatistics().
    Q_PROPERTY(double maxUpdateDuration READ maxUpdateDuration NOTIFY statisticsChanged)

public:
    //! The roles, named in QML as in roleNames(): id, name, kind, state, ...
    enum Role
    {
        IdRole = Qt::UserRole + 1, //!< quint64, the task's id
        NameRole, //!< QString (also Qt::DisplayRole)
        KindRole, //!< qtm::TaskKind
        StateRole, //!< qtm::TaskState
        StateTextRole, //!< QString: "Pending", "Running", ...
        ProgressRole, //!< double in [0, 1]; 0 while the range is empty
        ProgressValueRole, //!< int
        ProgressMinimumRole, //!< int
        ProgressMaximumRole, //!< int
        ProgressTextRole, //!< QString
        ErrorTextRole, //!< QString, empty unless Failed
        CreatedAtRole, //!< QDateTime
        StartedAtRole, //!< QDateTime, invalid until started
        FinishedAtRole, //!< QDateTime, invalid until finished
        ElapsedRole, //!< qint64 ms: running time so far, or start to finish once finished
        CancellableRole, //!< bool: a cancel button makes sense
        CancelRequestedRole, //!< bool: cancellation was asked for
        FinishedRole, //!< bool: Succeeded, Failed or Cancelled
        RateRole, //!< double: progress units per second, averaged over the running time; 0 while unknown
        TimeLeftRole, //!< qint64 ms: time left at that rate, for a running task with a range and some progress;
                      //!< 0 once Succeeded; -1 while unknown
        AwaitingRole, //!< QString: "waiting on sleep 250 ms at file.cpp:42" for a suspended coroutine task (its
                      //!< innermost await, Task::awaiting()); empty otherwise. Refreshed with ElapsedRole
        PendingReasonRole, //!< QString: why a Pending task has not started (Task::pendingReason()); empty otherwise
        CancelReasonRole, //!< qtm::CancelReason: why cancellation was asked for (Task::cancelReason())
        PriorityRole, //!< int: the priority the task was created with (Task::priority())
        DeadlineRole, //!< QDateTime: when the task's deadline expires (Task::deadline()); invalid for none
        AttemptRole, //!< int: the attempt running or next to run (Task::attempt()); refreshed on taskRetrying()
        MaxAttemptsRole, //!< int: how many attempts its retry policy allows (Task::maxAttempts())
        GroupIdRole, //!< quint64: the id of the group the task is in (Task::groupId()); 0 for none
        GroupDepthRole, //!< int: how many groups the task is nested in (Task::groupDepth()): 0 outside any
        GroupPolicyRole, //!< qtm::GroupPolicy: a group's policy (TaskData::groupPolicy)
        GroupMaxConcurrentRole, //!< int: a group's own limit (TaskData::groupMaxConcurrent); 0 for none
    };
    Q_ENUM(Role)

    //! An empty model, bound to no manager.
    explicit TaskListModel(QObject *parent = nullptr);
    //! Disconnects from the manager; neither the manager nor its tasks are affected.
    ~TaskListModel() override;

    //! The manager whose tasks are listed; null when none is bound, or after it was destroyed.
    BaseTaskManager *manager() const;
    //! Binds to \a manager: resets the model to its live tasks (finished ones are not known to it).
    void setManager(BaseTaskManager *manager);

    //! How many finished tasks stay listed (default 100; 0 removes a task from the list as it finishes).
    int historyLength() const { return m_historyLength; }
    //! Sets historyLength() (a negative \a length counts as 0); rows beyond it are pruned at the next batch.
    void setHistoryLength(int length);

    //! The least time in ms between two batches (default 16; 0: once per event-loop turn).
    int updateInterval() const { return m_updateInterval; }
    //! Sets updateInterval() (a negative \a ms counts as 0).
    void setUpdateInterval(int ms);

    //! How often ElapsedRole of running rows is refreshed, in ms (default 250; 0 turns it off).
    int elapsedRefreshInterval() const { return m_elapsedRefreshInterval; }
    //! Sets elapsedRefreshInterval() (a negative \a ms counts as 0, which turns the refresh off).
    void setElapsedRefreshInterval(int ms);

    //! How many separate row ranges one batch may remove with rowsRemoved() before it resets the model instead.
    static constexpr int removalRangeLimit() { return 100; }

    //! The number of listed rows that are Pending (each state has its counter, below).
    int pendingCount() const { return m_pending; }
    //! The number of listed rows that are Running.
    int runningCount() const { return m_running; }
    //! The number of listed rows that Succeeded.
    int succeededCount() const { return m_succeeded; }
    //! The number of listed rows that Failed.
    int failedCount() const { return m_failed; }
    //! The number of listed rows that were Cancelled.
    int cancelledCount() const { return m_cancelled; }
    //! The number of listed rows that are finished: succeededCount() + failedCount() + cancelledCount().
    int finishedCount() const { return m_succeeded + m_failed + m_cancelled; }

    //! How many tasks succeeded since the manager was bound or resetCounters(), listed or not (pruned
    //! ones and ones never listed included).
    int succeededTotal() const { return m_succeededTotal; }
    //! How many tasks failed since the manager was bound or resetCounters(), listed or not.
    int failedTotal() const { return m_failedTotal; }
    //! How many tasks were cancelled since the manager was bound or resetCounters(), listed or not.
    int cancelledTotal() const { return m_cancelledTotal; }

    //! The overall progress of the current run of work, in [0, 1] (see the class description).
    double progress() const;

    //! How many batches of changes were applied since construction or resetStatistics(). Read it (or the
    //! statisticsChanged() signal) to compute model updates per second. (An int for QML; at one batch per
    //! millisecond it would take 24 days to wrap.)
    int updateBatches() const { return m_updateBatches; }
    //! Milliseconds from the first change of the last batch to the end of applying it: how stale the view
    //! was. Well above updateInterval() means the GUI thread was stalled.
    double lastUpdateLatency() const { return m_lastLatencyMs; }
    //! The largest lastUpdateLatency() since construction or resetStatistics().
    double maxUpdateLatency() const { return m_maxLatencyMs; }
    //! Milliseconds the last batch spent applying changes (model signals and the views' reactions).
    double lastUpdateDuration() const { return m_lastDurationMs; }
    //! The largest lastUpdateDuration() since construction or resetStatistics().
    double maxUpdateDuration() const { return m_maxDurationMs; }

    //! The handle of the task on \a row, or an invalid one.
    Q_INVOKABLE qtm::Task taskAt(int row) const;
    //! The row of the task with \a id, or -1 (not listed yet, pruned, or unknown).
    Q_INVOKABLE int rowOf(quint64 id) const;

    /*!
     * Asks the manager to cancel the listed task \a id. \a timeoutMs bounds the wait as in
     * BaseTaskManager::cancelTask() (negative: no bound); cancelFinished() reports the outcome.
     * Returns false if the task is not listed or there is no manager.
     */
    Q_INVOKABLE bool cancel(quint64 id, int timeoutMs = -1);
    //! Asks the manager to cancel every live task; returns how many were asked.
    Q_INVOKABLE int cancelAll();
    //! Removes every finished task from the list at once (as row ranges); returns how many.
    Q_INVOKABLE int clearFinished();
    //! Applies pending changes now, as one batch, instead of waiting for the interval.
    Q_INVOKABLE void flush();
    //! Sets succeededTotal, failedTotal and cancelledTotal to 0 (the row counters follow the rows).
    Q_INVOKABLE void resetCounters();
    //! Sets updateBatches and the latency and duration figures to 0; emits statisticsChanged().
    Q_INVOKABLE void resetStatistics();

    //! The number of listed rows (0 for any valid \a parent: a flat list).
    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    //! The value of \a role (a Role; Qt::DisplayRole gives the name, Qt::ToolTipRole the error text) for the
    //! row of \a index, as of the last batch; an invalid QVariant for an invalid index or an unknown role.
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    //! The roles' names for QML: "id", "name", "kind", "state", "stateText", "progress", "progressValue",
    //! "progressMinimum", "progressMaximum", "progressText", "errorText", "createdAt", "startedAt",
    //! "finishedAt", "elapsed", "cancellable", "cancelRequested", "finished", "rate", "timeLeft", "awaiting",
    //! "pendingReason", "cancelReason", "priority", "deadline", "attempt", "maxAttempts".
    QHash<int, QByteArray> roleNames() const override;

Q_SIGNALS:
    //! The manager changed: set to another, or destroyed (manager() is then null).
    void managerChanged();
    //! The number of rows changed: emitted at most once per batch, and when the manager changes.
    void countChanged();
    //! historyLength changed.
    void historyLengthChanged();
    //! updateInterval changed.
    void updateIntervalChanged();
    //! elapsedRefreshInterval changed.
    void elapsedRefreshIntervalChanged();
    //! The counters changed; emitted at most once per batch, and by setManager() and resetCounters().
    void countersChanged();
    //! progress changed; emitted at most once per batch.
    void progressChanged();
    //! A batch was applied; emitted once per batch, and by resetStatistics().
    void statisticsChanged();
    //! The cancellation asked for by cancel() ended with \a outcome.
    void cancelFinished(quint64 id, qtm::CancelOutcome outcome);

protected:
    //! Applies a batch when its interval has passed, and schedules the refresh of ElapsedRole; passes
    //! other timers to QAbstractListModel.
    void timerEvent(QTimerEvent *event) override;

private:
    struct Row
    {
        Task task;
        TaskData data;
        bool cancelRequested = false;
        bool dirty = false; // listed in m_dirtyIds
        bool leaving = false; // about to be removed by the batch being applied
    };

    void onTaskCreated(const Task &task);
    void onTaskChanged(const Task &task);
    void scheduleUpdate();
    void scheduleElapsedRefresh();
    void applyChanges();
    void countState(TaskState state, int delta);
    void countEnded(TaskState state);
    void addToHistory(quint64 id, TaskState state);
    void followRun(const TaskData *before, const TaskData &after);
    void removeRowsAt(std::vector<int> rows);
    void disconnectManager();

    // Rows are stored in m_rows; while a batch removes ranges, the removed slots form a gap
    // [m_gapBegin, m_gapEnd) that the accessors skip, so that each removal signal sees the model as it is.
    const Row &rowAt(int row) const { return m_rows[size_t(row < m_gapBegin ? row : row + m_gapEnd - m_gapBegin)]; }
    int rowOfSlot(int slot) const { return slot < m_gapBegin ? slot : slot - (m_gapEnd - m_gapBegin); }

    QPointer<BaseTaskManager> m_manager;
    QList<QMetaObject::Connection> m_connections;

    std::vector<Row> m_rows;
    int m_gapBegin = 0;
    int m_gapEnd = 0;
    // The slot in m_rows of each listed task; -2 - i for m_incoming[i], a task being inserted.
    QHash<quint64, int> m_rowById;
    // Tasks created since the last batch, in creation order; the rows the current batch will insert.
    std::vector<Task> m_created;
    std::vector<Row> m_incoming;
    // Ids of changed listed rows, each listed once (Row::dirty); ids rather than rows, as rows move.
    std::vector<quint64> m_dirtyIds;
    // Ids of listed finished tasks, in the order they were seen finished: the fronts are pruned first,
    // successes before the others.
    std::deque<quint64> m_succeededHistory;
    std::deque<quint64> m_otherHistory;
    bool m_inBatch = false;
    bool m_clearFinishedDue = false;

    int m_historyLength = 100;
    int m_updateInterval = 16;
    int m_elapsedRefreshInterval = 250;

    int m_pending = 0;
    int m_running = 0;
    int m_succeeded = 0;
    int m_failed = 0;
    int m_cancelled = 0;
    int m_succeededTotal = 0;
    int m_failedTotal = 0;
    int m_cancelledTotal = 0;

    // The current run of work (see progress()): its tasks, how many of them finished, and the sum of the
    // progress fractions of its live rows.
    int m_runTasks = 0;
    int m_runFinished = 0;
    double m_runFractions = 0;

    QBasicTimer m_updateTimer;
    QBasicTimer m_elapsedTimer;
    QElapsedTimer m_firstChange;
    bool m_elapsedDue = false;

    int m_updateBatches = 0;
    double m_lastLatencyMs = 0;
    double m_maxLatencyMs = 0;
    double m_lastDurationMs = 0;
    double m_maxDurationMs = 0;
};

} // namespace qtm
