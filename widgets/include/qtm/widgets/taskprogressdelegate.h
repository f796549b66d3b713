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
    //! Creates a delegate owned by \a parent. A view does not take ownership of its delegates: give it the
    //! view, or another object that outlives the view's use of it, as parent.
    explicit TaskProgressDelegate(QObject *parent = nullptr);
    ~TaskProgressDelegate() override;

    /*!
     * For an index with PercentRole: draws the cell (background, selection, focus) without its text, then
     * a progress bar in the style of the option's widget (QApplication's style without one), inset by 2
     * pixels, with the index's Qt::DisplayRole text centred on it. A percentage below 0 draws a busy bar
     * for a running task and an empty bar otherwise. Any other index is painted by QStyledItemDelegate.
     */
    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    //! QStyledItemDelegate's size hint; for an index with PercentRole, at least three times as wide as
    //! "100%" in the option's font.
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
};

} // namespace qtm
