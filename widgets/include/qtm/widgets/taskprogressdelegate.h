#pragma once

#include <qtm/widgets/qtmwidgets_export.h>

#include <QtWidgets/QStyledItemDelegate>

namespace qtm {

/*!
 * Paints TaskTableModel::ProgressColumn as a progress bar in the widget style, with the percentage as its
 * text: full at 100% for a task that succeeded, a busy bar for a running task that reports no range, an
 * empty bar for a task without a range that did not succeed.
 *
 * \code
 * view->setItemDelegateForColumn(qtm::TaskTableModel::ProgressColumn, new qtm::TaskProgressDelegate(view));
 * \endcode
 *
 * It reads TaskTableModel::PercentRole, Qt::DisplayRole and TaskListModel::StateRole of the index, so it
 * works through proxy models too; an index without PercentRole (another column, another model) is painted
 * as QStyledItemDelegate paints it. It only paints: it creates no editor and keeps no state.
 */
class QTMWIDGETS_EXPORT TaskProgressDelegate : public QStyledItemDelegate
{
    Q_OBJECT

public:
    explicit TaskProgressDelegate(QObject *parent = nullptr);
    ~TaskProgressDelegate() override;

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
};

} // namespace qtm
