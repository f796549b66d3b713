#include <qtm/taskcontrol.h>

#include "taskmanager_p.h"
#include "taskrecord_p.h"

#include <stdexcept>

namespace qtm {

bool TaskControl::isCancelled() const
{
    // The task's own future cancelled the Qt way is seen at once, before the manager's loop turns the
    // cancellation into a request.
    if (m_task->lifecycle.isCancelRequested())
        return true;
    const QFutureInterfaceBase *future = m_task->future.ifMade();
    return future && future->isCanceled();
}

void TaskControl::setProgressRange(int minimum, int maximum)
{
    {
        const auto shared = m_task->shared.lock();
        shared->progressMinimum = minimum;
        shared->progressMaximum = qMax(minimum, maximum);
    }
    TaskManagerPrivate::progressChanged(m_task);
}

void TaskControl::setProgressValue(int value)
{
    m_task->shared.lock()->progressValue = value;
    TaskManagerPrivate::progressChanged(m_task);
}

void TaskControl::setProgressText(const QString &text)
{
    m_task->shared.lock()->progressText = text;
    TaskManagerPrivate::progressChanged(m_task);
}

void TaskControl::setProgress(int value, const QString &text)
{
    {
        const auto shared = m_task->shared.lock();
        shared->progressValue = value;
        shared->progressText = text;
    }
    TaskManagerPrivate::progressChanged(m_task);
}

void TaskControl::suspendIfRequested()
{
    if (m_task->kind == TaskKind::ThreadPool && !isCancelled())
        m_task->future.made().suspendIfRequested();
}

bool TaskControl::isSuspendRequested() const
{
    const QFutureInterfaceBase *future = m_task->future.ifMade();
    return future && (future->isSuspending() || future->isSuspended());
}

Task TaskControl::task() const
{
    return detail::TaskAccess::handle(m_task->shared_from_this());
}

namespace this_task {

Task task()
{
    auto *current = detail::t_currentTask;
    return current ? detail::TaskAccess::handle(current->shared_from_this()) : Task();
}

int attempt()
{
    const auto *current = detail::t_currentTask;
    return current ? current->attempt.load(std::memory_order_acquire) : 0;
}

TaskContext context()
{
    auto *current = detail::t_currentTask;
    return current ? current->context : TaskContext();
}

TaskControl control()
{
    auto *current = detail::t_currentTask;
    if (!current)
        throw std::logic_error("qtm::this_task::control: called outside any task");
    return TaskControl(current);
}

} // namespace this_task

} // namespace qtm
