#include "logging_p.h"

#include <qtm/widgets/taskcancelaction.h>
#include <qtm/widgets/tasktablemodel.h>

#include <QtCore/QItemSelectionModel>
#include <QtCore/QSet>
#include <QtWidgets/QAbstractItemView>

namespace qtm {

TaskCancelAction::TaskCancelAction(TaskTableModel *model, QAbstractItemView *view, QObject *parent)
    : QAction(tr("Cancel"), parent ? parent : view), m_model(model), m_view(view)
{
    setEnabled(false);
    connect(this, &QAction::triggered, this, &TaskCancelAction::cancelSelected);
    if (!model || !view) {
        qCWarning(lcWidgets, "TaskCancelAction: %s is null; the action stays disabled",
                  !model ? "the model" : "the view");
        return;
    }
    // What can be cancelled changes with the selection and with the rows; the model signals at most one
    // batch per frame, so this costs one pass over the selection per batch.
    if (QItemSelectionModel *selection = view->selectionModel())
        connect(selection, &QItemSelectionModel::selectionChanged, this, &TaskCancelAction::updateEnabled);
    connect(model, &QAbstractItemModel::dataChanged, this, &TaskCancelAction::updateEnabled);
    connect(model, &QAbstractItemModel::rowsRemoved, this, &TaskCancelAction::updateEnabled);
    connect(model, &QAbstractItemModel::modelReset, this, &TaskCancelAction::updateEnabled);
    updateEnabled();
}

TaskCancelAction::~TaskCancelAction() = default;

// One index per selected row whose task can still be cancelled.
QModelIndexList TaskCancelAction::selectedTasks() const
{
    QModelIndexList tasks;
    if (!m_view || !m_view->selectionModel())
        return tasks;
    QSet<quint64> seen;
    const QModelIndexList selected = m_view->selectionModel()->selectedIndexes();
    for (const QModelIndex &index : selected) {
        if (!index.data(TaskListModel::CancellableRole).toBool()
            || index.data(TaskListModel::CancelRequestedRole).toBool())
            continue;
        const quint64 id = index.data(TaskListModel::IdRole).toULongLong();
        if (!seen.contains(id)) {
            seen.insert(id);
            tasks << index;
        }
    }
    return tasks;
}

void TaskCancelAction::updateEnabled()
{
    setEnabled(m_model && !selectedTasks().isEmpty());
}

int TaskCancelAction::cancelSelected()
{
    if (!m_model)
        return 0;
    int asked = 0;
    const QModelIndexList tasks = selectedTasks();
    for (const QModelIndex &index : tasks)
        asked += m_model->cancel(index, m_timeoutMs) ? 1 : 0;
    return asked;
}

} // namespace qtm
