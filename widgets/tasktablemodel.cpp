#include "logging_p.h"

#include <qtm/widgets/tasktablemodel.h>

#include <cmath>

Q_LOGGING_CATEGORY(lcWidgets, "qtm.widgets")

namespace qtm {

namespace {

QString elapsedText(qint64 ms)
{
    if (ms < 60'000)
        return QStringLiteral("%1 s").arg(double(ms) / 1000.0, 0, 'f', 1);
    const qint64 seconds = ms / 1000;
    const QString minutesSeconds
        = QStringLiteral("%1:%2").arg(seconds / 60 % 60).arg(seconds % 60, 2, 10, QLatin1Char('0'));
    if (seconds < 3600)
        return minutesSeconds;
    return QStringLiteral("%1:%2").arg(seconds / 3600).arg(minutesSeconds.rightJustified(5, QLatin1Char('0')));
}

} // namespace

TaskTableModel::TaskTableModel(QObject *parent) : QAbstractTableModel(parent), m_tasks(new TaskListModel(this))
{
    // The list model's signals become this model's at once, with the list model in the state they
    // describe: a slot of this model's signals reads the same rows the list model's slots would.
    connect(m_tasks, &QAbstractItemModel::rowsAboutToBeInserted, this,
            [this](const QModelIndex &, int first, int last) { beginInsertRows({}, first, last); });
    connect(m_tasks, &QAbstractItemModel::rowsInserted, this, [this] { endInsertRows(); });
    connect(m_tasks, &QAbstractItemModel::rowsAboutToBeRemoved, this,
            [this](const QModelIndex &, int first, int last) { beginRemoveRows({}, first, last); });
    connect(m_tasks, &QAbstractItemModel::rowsRemoved, this, [this] { endRemoveRows(); });
    connect(m_tasks, &QAbstractItemModel::modelAboutToBeReset, this, [this] { beginResetModel(); });
    connect(m_tasks, &QAbstractItemModel::modelReset, this, [this] { endResetModel(); });
    connect(m_tasks, &QAbstractItemModel::dataChanged, this, &TaskTableModel::forwardDataChanged);
    connect(m_tasks, &TaskListModel::managerChanged, this, &TaskTableModel::managerChanged);
}

TaskTableModel::~TaskTableModel() = default;

BaseTaskManager *TaskTableModel::manager() const
{
    return m_tasks->manager();
}

void TaskTableModel::setManager(BaseTaskManager *manager)
{
    m_tasks->setManager(manager);
}

TaskListModel *TaskTableModel::listModel() const
{
    return m_tasks;
}

Task TaskTableModel::taskAt(int row) const
{
    return m_tasks->taskAt(row);
}

int TaskTableModel::rowOf(quint64 id) const
{
    return m_tasks->rowOf(id);
}

bool TaskTableModel::cancel(const QModelIndex &index, int timeoutMs)
{
    if (!index.isValid())
        return false;
    // IdRole passes through proxies unchanged; the row look-up checks that the task is one of ours.
    const QVariant id = index.data(TaskListModel::IdRole);
    if (!id.isValid() || m_tasks->rowOf(id.toULongLong()) < 0) {
        qCWarning(lcWidgets,
                  "TaskTableModel::cancel: the index (row %d, column %d) is not of a task listed in "
                  "this model",
                  index.row(), index.column());
        return false;
    }
    if (!manager()) {
        qCWarning(lcWidgets, "TaskTableModel::cancel: no manager is bound (it was destroyed or never set)");
        return false;
    }
    return m_tasks->cancel(id.toULongLong(), timeoutMs);
}

int TaskTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : m_tasks->rowCount();
}

int TaskTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TaskTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const QModelIndex row = m_tasks->index(index.row());
    if (role > SortRole && role != PercentRole) // TaskListModel's roles, on every column
        return row.data(role);

    const auto state = row.data(TaskListModel::StateRole).value<TaskState>();
    const auto percent = [&row, state] {
        if (state == TaskState::Succeeded)
            return 100;
        if (row.data(TaskListModel::ProgressMaximumRole).toInt()
            <= row.data(TaskListModel::ProgressMinimumRole).toInt())
            return -1;
        return int(std::floor(row.data(TaskListModel::ProgressRole).toDouble() * 100));
    };

    switch (index.column()) {
    case NameColumn:
        if (role == Qt::DisplayRole) {
            // A group's children indented under it, as a tree reads; a group marked as one.
            const int depth = row.data(TaskListModel::GroupDepthRole).toInt();
            const bool group = row.data(TaskListModel::KindRole).value<TaskKind>() == TaskKind::Group;
            return QString(4 * depth, QLatin1Char(' ')) + (group ? QStringLiteral("\u25BE ") : QString())
                + row.data(TaskListModel::NameRole).toString();
        }
        if (role == Qt::ToolTipRole || role == SortRole)
            return row.data(TaskListModel::NameRole);
        break;
    case StateColumn:
        if (role == Qt::DisplayRole || role == Qt::ToolTipRole) {
            if (!isTerminal(state) && row.data(TaskListModel::CancelRequestedRole).toBool())
                return QStringLiteral("Cancelling");
            return row.data(TaskListModel::StateTextRole);
        }
        if (role == SortRole)
            return int(state);
        break;
    case ProgressColumn:
        if (role == PercentRole)
            return percent();
        if (role == Qt::DisplayRole) {
            const int shown = percent();
            return shown < 0 ? QString() : QStringLiteral("%1%").arg(shown);
        }
        if (role == Qt::ToolTipRole)
            return row.data(TaskListModel::ProgressTextRole);
        if (role == SortRole)
            return state == TaskState::Succeeded ? 1.0 : row.data(TaskListModel::ProgressRole).toDouble();
        if (role == Qt::TextAlignmentRole)
            return int(Qt::AlignCenter);
        break;
    case ElapsedColumn:
        if (role == Qt::DisplayRole || role == Qt::ToolTipRole) {
            if (!row.data(TaskListModel::StartedAtRole).toDateTime().isValid())
                return QString();
            return elapsedText(row.data(TaskListModel::ElapsedRole).toLongLong());
        }
        if (role == SortRole)
            return row.data(TaskListModel::ElapsedRole);
        if (role == Qt::TextAlignmentRole)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        break;
    case ErrorColumn:
        if (role == Qt::DisplayRole || role == Qt::ToolTipRole || role == SortRole)
            return row.data(TaskListModel::ErrorTextRole);
        break;
    default:
        break;
    }
    return {};
}

QVariant TaskTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case NameColumn:
        return tr("Task");
    case StateColumn:
        return tr("State");
    case ProgressColumn:
        return tr("Progress");
    case ElapsedColumn:
        return tr("Elapsed");
    case ErrorColumn:
        return tr("Error");
    default:
        return {};
    }
}

QHash<int, QByteArray> TaskTableModel::roleNames() const
{
    QHash<int, QByteArray> names = m_tasks->roleNames();
    names.insert(QAbstractTableModel::roleNames());
    names.insert(SortRole, "sortValue");
    names.insert(PercentRole, "percent");
    return names;
}

// The list model has one column: a change of a row is a change of every column and of the roles derived
// here (so no role list is passed on), except the periodic refresh of the running rows' elapsed time,
// which only ElapsedColumn shows (of what that refresh changes, the table has no column for the rate, the
// time left and what a coroutine awaits).
void TaskTableModel::forwardDataChanged(const QModelIndex &first, const QModelIndex &last, const QList<int> &roles)
{
    if (roles
        == QList<int>{TaskListModel::ElapsedRole, TaskListModel::RateRole, TaskListModel::TimeLeftRole,
                      TaskListModel::AwaitingRole}) {
        Q_EMIT dataChanged(index(first.row(), ElapsedColumn), index(last.row(), ElapsedColumn),
                           {Qt::DisplayRole, Qt::ToolTipRole, SortRole, TaskListModel::ElapsedRole});
        return;
    }
    Q_EMIT dataChanged(index(first.row(), 0), index(last.row(), ColumnCount - 1));
}

} // namespace qtm
