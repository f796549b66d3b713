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
    return true;
}

bool TaskFilterModel::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    switch (m_sortKey) {
    case SortByCreation:
        return left.data(TaskListModel::IdRole).toULongLong() < right.data(TaskListModel::IdRole).toULongLong();
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
