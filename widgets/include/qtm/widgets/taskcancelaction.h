#pragma once

#include <qtm/widgets/qtmwidgets_export.h>

#include <QtCore/QAbstractItemModel>
#include <QtCore/QPointer>
#include <QtGui/QAction>

class QAbstractItemView;

namespace qtm {

class TaskTableModel;

/*!
 * A "Cancel" action for a view of a TaskTableModel: triggering it cancels the tasks of the rows selected
 * in the view, and it is enabled only while one of them can still be cancelled (TaskListModel::
 * CancellableRole, and not already asked to cancel). Put it in a tool bar, a context menu, or on a button
 * with QToolButton::setDefaultAction():
 *
 * \code
 * auto *cancel = new qtm::TaskCancelAction(&tasks, view);
 * cancel->setTimeout(2000);      // each cancelTask() gets a 2 s bound
 * toolbar->addAction(cancel);
 * \endcode
 *
 * The view's model may be the TaskTableModel or any proxy over it (a QSortFilterProxyModel for sorting);
 * set it before creating the action, as the action follows the view's selection model. The action is a
 * child of the view unless another parent is given; it does not own the model or the view. Without a
 * model or a view it warns on `qtm.widgets` and stays disabled.
 */
class QTMWIDGETS_EXPORT TaskCancelAction : public QAction
{
    Q_OBJECT

public:
    /*!
     * Creates a disabled action with the text "Cancel" (translatable), a child of \a parent or, when
     * \a parent is null, of \a view. With both \a model and \a view non-null, it then re-evaluates whether
     * it is enabled when the view's selection changes and when \a model changes data, removes rows or
     * resets. It keeps guarded pointers to \a model and \a view and owns neither. Create it in the GUI
     * thread, after the view's model is set.
     */
    TaskCancelAction(TaskTableModel *model, QAbstractItemView *view, QObject *parent = nullptr);
    ~TaskCancelAction() override;

    //! The bound of each cancellation in ms, as in BaseTaskManager::cancelTask(); negative (the default): none.
    int timeout() const { return m_timeoutMs; }
    //! Sets timeout(); it applies from the next cancellation on (a trigger or cancelSelected()).
    void setTimeout(int ms) { m_timeoutMs = ms; }

    //! Cancels the selected tasks that can be cancelled; returns how many were asked.
    int cancelSelected();

private:
    QModelIndexList selectedTasks() const;
    void updateEnabled();

    QPointer<TaskTableModel> m_model;
    QPointer<QAbstractItemView> m_view;
    int m_timeoutMs = -1;
};

} // namespace qtm
