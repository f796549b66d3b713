// The registry of a manager's live tasks (see taskregistry_p.h).

#include "taskrecord_p.h"
#include "taskregistry_p.h"

namespace qtm::detail {

namespace {
std::atomic<quint64> s_nextTaskId{1};
}

void TaskRegistry::link(const std::shared_ptr<TaskRecord> &task)
{
    // The id is taken under the lock, so the registry's order is the order of the ids: tasks created
    // from several threads are listed in creation order.
    task->id = s_nextTaskId++;
    task->self = task;
    task->previous = m_last;
    if (m_last)
        m_last->next = task.get();
    else
        m_first = task.get();
    m_last = task.get();
    m_count.fetch_add(1, std::memory_order_relaxed);
    m_generation.fetch_add(1, std::memory_order_relaxed);
}

void TaskRegistry::remove(TaskRecord *task)
{
    std::shared_ptr<TaskRecord> self;
    QMutexLocker lock(&m_mutex);
    if (!task->self)
        return;
    (task->previous ? task->previous->next : m_first) = task->next;
    (task->next ? task->next->previous : m_last) = task->previous;
    task->previous = task->next = nullptr;
    self = std::move(task->self); // released after the lock
    m_count.fetch_sub(1, std::memory_order_relaxed);
    m_generation.fetch_add(1, std::memory_order_relaxed);
}

bool TaskRegistry::contains(const TaskRecord *task) const
{
    QMutexLocker lock(&m_mutex);
    return task->self != nullptr;
}

void TaskRegistry::close()
{
    QMutexLocker lock(&m_mutex);
    m_closed.store(true);
}

QList<std::shared_ptr<TaskRecord>> TaskRegistry::records() const
{
    QList<std::shared_ptr<TaskRecord>> records;
    QMutexLocker lock(&m_mutex);
    records.reserve(m_count.load());
    for (TaskRecord *task = m_first; task; task = task->next)
        records.append(task->self);
    return records;
}

QList<Task> TaskRegistry::handles() const
{
    QList<Task> tasks;
    QMutexLocker lock(&m_mutex);
    tasks.reserve(m_count.load());
    for (TaskRecord *task = m_first; task; task = task->next)
        tasks.append(TaskAccess::handle(task->self));
    return tasks;
}

} // namespace qtm::detail
