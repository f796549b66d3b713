#pragma once

#include <qtm/quick/qtmquick_export.h>

#include <qtm/taskenums.h>

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
    Q_PROPERTY(QList<int> states READ states WRITE setStates NOTIFY statesChanged)
    Q_PROPERTY(QString nameFilter READ nameFilter WRITE setNameFilter NOTIFY nameFilterChanged)
    Q_PROPERTY(SortKey sortKey READ sortKey WRITE setSortKey NOTIFY sortKeyChanged)
    Q_PROPERTY(bool descending READ isDescending WRITE setDescending NOTIFY descendingChanged)
    Q_PROPERTY(int count READ count NOTIFY countChanged)

public:
    enum SortKey
    {
        SortByCreation, //!< the source's order (creation order), or its reverse
        SortByName,
        SortByState,
        SortByProgress,
        SortByElapsed,
    };
    Q_ENUM(SortKey)

    explicit TaskFilterModel(QObject *parent = nullptr);

    //! The qtm::TaskState values (as ints) to show; empty shows every state.
    QList<int> states() const { return m_states; }
    void setStates(const QList<int> &states);

    QString nameFilter() const { return m_nameFilter; }
    void setNameFilter(const QString &text);

    SortKey sortKey() const { return m_sortKey; }
    void setSortKey(SortKey key);
    //! Sorts in descending order of sortKey (with SortByCreation: newest first).
    bool isDescending() const { return m_descending; }
    void setDescending(bool descending);

    int count() const { return rowCount(); }

    //! The row in the source model of \a row here, or -1.
    Q_INVOKABLE int sourceRow(int row) const;

Q_SIGNALS:
    void statesChanged();
    void nameFilterChanged();
    void sortKeyChanged();
    void descendingChanged();
    void countChanged();

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;

private:
    void applySort();

    QList<int> m_states;
    QString m_nameFilter;
    SortKey m_sortKey = SortByCreation;
    bool m_descending = false;
};

} // namespace qtm
