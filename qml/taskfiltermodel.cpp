#include <qtm/quick/taskfiltermodel.h>
#include <qtm/quick/tasklistmodel.h>

namespace qtm {

TaskFilterModel::TaskFilterModel(QObject *parent) : QSortFilterProxyModel(parent)
{
    setDynamicSortFilter(true);
    const auto emitCount = [this] { Q_EMIT countChanged(); };
    connect(this, &QAbstractItemModel::rowsInserted, this, emitCount);
    connect(this, &QAbstractItemModel::rowsRemoved, this, emitCount);
    connect(this, &QAbstractItemModel::modelReset, this, emitCount);
    connect(this, &QAbstractItemModel::layoutChanged, this, emitCount);
}

void TaskFilterModel::setStates(const QList<int> &states)
{
    if (m_states == states)
        return;
    m_states = states;
    invalidateFilter();
    Q_EMIT statesChanged();
}

void TaskFilterModel::setNameFilter(const QString &text)
{
    if (m_nameFilter == text)
        return;
    m_nameFilter = text;
    invalidateFilter();
    Q_EMIT nameFilterChanged();
}

void TaskFilterModel::setSortKey(SortKey key)
{
    if (m_sortKey == key)
        return;
    m_sortKey = key;
    applySort();
    Q_EMIT sortKeyChanged();
}

void TaskFilterModel::setDescending(bool descending)
{
    if (m_descending == descending)
        return;
    m_descending = descending;
    applySort();
    Q_EMIT descendingChanged();
}

void TaskFilterModel::applySort()
{
    // Creation order ascending is the source's own order: no sorting at all, which is cheapest.
    if (m_sortKey == SortByCreation && !m_descending)
        sort(-1);
    else
        sort(0, m_descending ? Qt::DescendingOrder : Qt::AscendingOrder);
}

int TaskFilterModel::sourceRow(int row) const
{
    const QModelIndex source = mapToSource(index(row, 0));
    return source.isValid() ? source.row() : -1;
}

bool TaskFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QModelIndex source = sourceModel()->index(sourceRow, 0, sourceParent);
    if (!m_states.isEmpty()) {
        const int state = int(source.data(TaskListModel::StateRole).value<TaskState>());
        if (!m_states.contains(state))
            return false;
    }
    if (!m_nameFilter.isEmpty()
        && !source.data(TaskListModel::NameRole).toString().contains(m_nameFilter, Qt::CaseInsensitive))
        return false;
    if (!m_collapsed.isEmpty()) {
        const QList<quint64> path = treePath(source);
        for (qsizetype i = 0; i + 1 < path.size(); ++i) // its groups, not itself
            if (m_collapsed.contains(path[i]))
                return false;
    }
    return true;
}

QList<quint64> TaskFilterModel::treePath(const QModelIndex &source) const
{
    QList<quint64> path{source.data(TaskListModel::IdRole).toULongLong()};
    const auto *tasks = qobject_cast<const TaskListModel *>(sourceModel());
    quint64 group = source.data(TaskListModel::GroupIdRole).toULongLong();
    // Bounded by the nesting depth; a group no longer listed (pruned) still counts, and ends the walk.
    while (group != 0 && path.size() < 64) {
        path.prepend(group);
        const int row = tasks ? tasks->rowOf(group) : -1;
        if (row < 0)
            break;
        group = tasks->index(row).data(TaskListModel::GroupIdRole).toULongLong();
    }
    return path;
}

void TaskFilterModel::setGroupCollapsed(quint64 groupId, bool collapsed)
{
    if (collapsed == m_collapsed.contains(groupId))
        return;
    if (collapsed)
        m_collapsed.insert(groupId);
    else
        m_collapsed.remove(groupId);
    invalidateFilter();
    Q_EMIT collapsedGroupsChanged();
}

bool TaskFilterModel::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    switch (m_sortKey) {
    case SortByCreation: {
        if (left.data(TaskListModel::GroupIdRole).toULongLong() == 0
            && right.data(TaskListModel::GroupIdRole).toULongLong() == 0) // neither in a group: the common case
            return left.data(TaskListModel::IdRole).toULongLong() < right.data(TaskListModel::IdRole).toULongLong();
        const QList<quint64> a = treePath(left), b = treePath(right);
        for (qsizetype i = 0; i < qMin(a.size(), b.size()); ++i)
            if (a[i] != b[i])
                return a[i] < b[i];
        // One is a group the other is in: the group's row comes first whichever way the rows are sorted.
        return m_descending ? a.size() > b.size() : a.size() < b.size();
    }
    case SortByName:
        return QString::localeAwareCompare(left.data(TaskListModel::NameRole).toString(),
                                           right.data(TaskListModel::NameRole).toString())
            < 0;
    case SortByState:
        return int(left.data(TaskListModel::StateRole).value<TaskState>())
            < int(right.data(TaskListModel::StateRole).value<TaskState>());
    case SortByProgress:
        return left.data(TaskListModel::ProgressRole).toDouble() < right.data(TaskListModel::ProgressRole).toDouble();
    case SortByElapsed:
        return left.data(TaskListModel::ElapsedRole).toLongLong() < right.data(TaskListModel::ElapsedRole).toLongLong();
    }
    return false;
}

} // namespace qtm
