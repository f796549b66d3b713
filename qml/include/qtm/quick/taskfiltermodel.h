#pragma once

#include <qtm/quick/qtmquick_export.h>

#include <qtm/taskenums.h>

#include <QtCore/QSet>
#include <QtCore/QSortFilterProxyModel>
#include <QtQml/qqmlregistration.h>

namespace qtm {

/*!
 * A filtered, sorted view of a TaskListModel (or any model with its role names), for QML and widgets.
 *
 * \code
 * TaskFilterModel {
 *     sourceModel: tasks                              // a TaskListModel
 *     states: [TaskState.Running, TaskState.Pending]  // empty: every state
 *     nameFilter: searchField.text                    // case-insensitive substring
 *     sortKey: TaskFilterModel.SortByCreation
 *     descending: true                                // newest first
 * }
 * \endcode
 *
 * Filtering and sorting follow the source's batches (dynamic sort/filter), so a filtered view costs one
 * pass over each batch's changed rows, not a pass over the whole model.
 */
class QTMQUICK_EXPORT TaskFilterModel : public QSortFilterProxyModel
{
    Q_OBJECT
    QML_ELEMENT
    //! The task states to show (states(), setStates()); empty shows every state.
    Q_PROPERTY(QList<int> states READ states WRITE setStates NOTIFY statesChanged)
    //! A case-insensitive substring of the names to show (nameFilter(), setNameFilter()); empty shows all.
    Q_PROPERTY(QString nameFilter READ nameFilter WRITE setNameFilter NOTIFY nameFilterChanged)
    //! What the rows are ordered by (sortKey(), setSortKey()); SortByCreation by default.
    Q_PROPERTY(SortKey sortKey READ sortKey WRITE setSortKey NOTIFY sortKeyChanged)
    //! Whether the order is reversed (isDescending(), setDescending()); false by default.
    Q_PROPERTY(bool descending READ isDescending WRITE setDescending NOTIFY descendingChanged)
    //! The number of rows shown (count()).
    Q_PROPERTY(int count READ count NOTIFY countChanged)

public:
    //! What the rows are ordered by.
    enum SortKey
    {
        SortByCreation, //!< the source's order (creation order), or its reverse
        SortByName, //!< the task's name, compared as the locale orders text (QString::localeAwareCompare())
        SortByState, //!< the task's state, in the order of qtm::TaskState (Pending first)
        SortByProgress, //!< the task's progress fraction (TaskListModel::ProgressRole)
        SortByElapsed, //!< the task's running time (TaskListModel::ElapsedRole)
    };
    Q_ENUM(SortKey)

    //! An empty view; set a source model (QSortFilterProxyModel::setSourceModel(), `sourceModel` in QML).
    explicit TaskFilterModel(QObject *parent = nullptr);

    //! The qtm::TaskState values (as ints) to show; empty shows every state.
    QList<int> states() const { return m_states; }
    //! Shows only the rows whose state is in \a states (empty: every state); emits statesChanged() if it
    //! changed.
    void setStates(const QList<int> &states);

    //! The case-insensitive substring a row's name must contain to be shown; empty shows every row.
    QString nameFilter() const { return m_nameFilter; }
    //! Sets nameFilter(); emits nameFilterChanged() if it changed.
    void setNameFilter(const QString &text);

    //! What the rows are ordered by.
    SortKey sortKey() const { return m_sortKey; }
    //! Orders the rows by \a key; emits sortKeyChanged() if it changed.
    void setSortKey(SortKey key);
    //! Sorts in descending order of sortKey (with SortByCreation: newest first).
    bool isDescending() const { return m_descending; }
    //! Sets isDescending(); emits descendingChanged() if it changed.
    void setDescending(bool descending);

    //! The number of rows shown.
    int count() const { return rowCount(); }

    //! The row in the source model of \a row here, or -1.
    Q_INVOKABLE int sourceRow(int row) const;

    //! Hides (\a collapsed) or shows again the children of the group \a groupId, and theirs, at any depth:
    //! a dashboard's collapsible group. The group's own row stays.
    Q_INVOKABLE void setGroupCollapsed(quint64 groupId, bool collapsed);
    //! Whether the children of group \a groupId are hidden (setGroupCollapsed()).
    Q_INVOKABLE bool isGroupCollapsed(quint64 groupId) const { return m_collapsed.contains(groupId); }

Q_SIGNALS:
    //! states changed.
    void statesChanged();
    //! nameFilter changed.
    void nameFilterChanged();
    //! sortKey changed.
    void sortKeyChanged();
    //! descending changed.
    void descendingChanged();
    //! A group was collapsed or expanded (setGroupCollapsed()).
    void collapsedGroupsChanged();
    //! Rows were inserted or removed, or the model was reset or laid out anew: count may have changed.
    void countChanged();

protected:
    //! True when the source row's state is in states() (or states() is empty), its name contains
    //! nameFilter() (or nameFilter() is empty), and no group it is in is collapsed.
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;
    //! Compares two source rows by sortKey(). SortByCreation compares the tasks' ids, a group's children
    //! kept right under the group's row (in either direction: each row by the ids of the groups it is in,
    //! then its own); ascending creation order is the source's own order, unsorted.
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;

private:
    void applySort();
    //! The ids of the groups \a source is in, outermost first, then its own id.
    QList<quint64> treePath(const QModelIndex &source) const;

    QList<int> m_states;
    QString m_nameFilter;
    SortKey m_sortKey = SortByCreation;
    bool m_descending = false;
    QSet<quint64> m_collapsed;
};

} // namespace qtm
