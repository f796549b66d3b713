#pragma once

#include <qtm/widgets/qtmwidgets_export.h>

#include <qtm/tasklistmodel.h>

#include <QtCore/QAbstractTableModel>

namespace qtm {

/*!
 * The tasks of one manager as a table, for a QTableView or a QTreeView: one row per task, one column per
 * thing a user reads (name, state, progress, elapsed time, error). It needs Qt Core and Qt Widgets only.
 *
 * \code
 * qtm::TaskManager manager;
 * qtm::TaskTableModel tasks;
 * tasks.setManager(&manager);
 *
 * QTableView view;
 * view.setModel(&tasks);
 * view.setItemDelegateForColumn(qtm::TaskTableModel::ProgressColumn, new qtm::TaskProgressDelegate(&view));
 * \endcode
 *
 * \b Rows. The rows, their order and their updates are those of the qtm::TaskListModel it owns (listModel()):
 * creation order, updates coalesced into at most one batch per TaskListModel::updateInterval(), finished
 * tasks kept up to TaskListModel::historyLength() (failures outlive successes), counters and overall
 * progress, and correct answers from inside its own signals. Each of the list model's signals is passed on
 * at once as the same signal of this model, so both always have the same rows; a change of a row changes
 * all its columns, and the periodic refresh of running tasks' elapsed time changes only ElapsedColumn.
 *
 * \b Roles. Every column answers Qt::DisplayRole (text), SortRole (a value that sorts as a user expects:
 * a QSortFilterProxyModel with `setSortRole(TaskTableModel::SortRole)` sorts any column) and
 * Qt::ToolTipRole; ProgressColumn also PercentRole, which TaskProgressDelegate paints. Every column also
 * answers all of TaskListModel's roles (IdRole, StateRole, CancellableRole, ...), so that code holding any
 * index of a row, through any proxy, can tell which task it is.
 *
 * \b Progress. A task that reports a progress range shows the percentage it reached, rounded down (so 100%
 * means done). A task that succeeded shows 100% whatever it last reported: a thread function's last report
 * may be coalesced away, or it may stop counting one step before the end. A task without a range shows no
 * percentage (PercentRole -1) until it succeeds.
 *
 * \b Cancelling. cancel() cancels the task of an index (of this model or of a proxy over it);
 * qtm::TaskCancelAction is a ready-made action that cancels the tasks selected in a view.
 *
 * \b Threads and ownership. As TaskListModel: the model lives in the GUI thread; it does not own the
 * manager, and keeps its rows when the manager is destroyed.
 */
class QTMWIDGETS_EXPORT TaskTableModel : public QAbstractTableModel
{
    Q_OBJECT
    //! The manager whose tasks are listed (manager(), setManager()); null when none is, or after it was
    //! destroyed.
    Q_PROPERTY(qtm::BaseTaskManager *manager READ manager WRITE setManager NOTIFY managerChanged)

public:
    //! The columns, in this order; headerData() names them Task, State, Progress, Elapsed and Error.
    enum Column
    {
        NameColumn, //!< the task's name
        StateColumn, //!< "Pending", "Running", "Cancelling", "Succeeded", "Failed" or "Cancelled"
        ProgressColumn, //!< "42%"; PercentRole for TaskProgressDelegate
        ElapsedColumn, //!< running time so far, or start to finish: "0.4 s", "12.0 s", "3:07", "1:02:03"
        ErrorColumn, //!< the error text of a failed task
        ColumnCount //!< the number of columns (columnCount()), not a column
    };
    Q_ENUM(Column)

    //! The roles this model adds to TaskListModel::Role; data() answers those too, in every column.
    enum Role
    {
        //! Per column: QString name, int state, double progress in [0, 1], qint64 ms, QString error.
        SortRole = Qt::UserRole,
        //! int: the percentage ProgressColumn shows, 0 to 100; -1 for a task with no progress range that
        //! has not succeeded. Invalid in the other columns.
        //! Far past TaskListModel's roles, which keep growing: once FinishedRole + 1, it hid RateRole.
        PercentRole = Qt::UserRole + 0x10000,
    };
    Q_ENUM(Role)

    //! Creates an empty model, bound to no manager, with its own TaskListModel (listModel()); \a parent
    //! owns it.
    explicit TaskTableModel(QObject *parent = nullptr);
    ~TaskTableModel() override;

    //! The bound manager; null when none is, or after it was destroyed.
    BaseTaskManager *manager() const;
    //! Binds to \a manager: the rows become its live tasks (see TaskListModel::setManager()).
    void setManager(BaseTaskManager *manager);

    /*!
     * The list model behind the rows, owned by this model: its counters (runningCount(), failedTotal(),
     * progress(), ...), settings (historyLength(), updateInterval()) and actions (cancelAll(),
     * clearFinished(), flush()). Its rows are this model's rows.
     */
    TaskListModel *listModel() const;

    //! The handle of the task on \a row, or an invalid one.
    Task taskAt(int row) const;
    //! The row of the task with \a id, or -1 (not listed yet, pruned, or unknown).
    int rowOf(quint64 id) const;

    /*!
     * Asks the manager to cancel the task of \a index, an index of this model or of a proxy model over it
     * (any column). \a timeoutMs bounds the wait as in BaseTaskManager::cancelTask() (negative: no bound);
     * TaskListModel::cancelFinished() reports the outcome. Returns false for an invalid index (nothing
     * selected), and false with a warning naming the problem for an index that is not of a task listed
     * here, or when no manager is bound.
     */
    bool cancel(const QModelIndex &index, int timeoutMs = -1);

    //! The number of rows of listModel(); 0 for a valid \a parent (a table has no children).
    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    //! ColumnCount; 0 for a valid \a parent.
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    /*!
     * The value of \a role for \a index, which must be an index of this model (not of a proxy): the role
     * of TaskListModel::Role as listModel() answers it for the row, in any column; else Qt::DisplayRole,
     * Qt::ToolTipRole and SortRole as the column describes, PercentRole in ProgressColumn, and
     * Qt::TextAlignmentRole in ProgressColumn (centred) and ElapsedColumn (right-aligned). StateColumn
     * shows "Cancelling" for a task not finished whose cancellation was asked; ElapsedColumn is empty for
     * a task that has not started. Anything else is an invalid QVariant.
     */
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    //! The column's name, translatable, for a horizontal header's Qt::DisplayRole; anything else as in
    //! QAbstractTableModel (a vertical header numbers the rows).
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    //! TaskListModel's role names, Qt's default ones ("display", "toolTip", ...), "sortValue" (SortRole)
    //! and "percent" (PercentRole).
    QHash<int, QByteArray> roleNames() const override;

Q_SIGNALS:
    /*!
     * Emitted when the list model emits TaskListModel::managerChanged(): after setManager() bound another
     * manager (the rows were already reset to its live tasks), and when the bound manager is destroyed
     * (manager() is then null and the rows stay). Not emitted by setManager() with the manager already
     * bound.
     */
    void managerChanged();

private:
    void forwardDataChanged(const QModelIndex &first, const QModelIndex &last, const QList<int> &roles);

    TaskListModel *const m_tasks;
};

} // namespace qtm
