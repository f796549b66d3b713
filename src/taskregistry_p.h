#pragma once

#include <qtm/task.h>

#include <QtCore/QList>
#include <QtCore/QMutex>

#include <atomic>
#include <memory>

namespace qtm::detail {

struct TaskRecord;

/*!
 * \internal
 * The live tasks of one manager, readable from any thread: an intrusive list in creation order (so
 * registering costs no allocation), its count, and a generation bumped on every change (taskCountChanged
 * follows every value a reader could have seen, even when the count is back where it was).
 *
 * Closing it is how shutdown begins: add() checks and registers under the same lock that close() takes,
 * so a task racing shutdown is either registered before it (and shutdown ends it) or refused, never both.
 */
class TaskRegistry
{
public:
    enum class Added
    {
        Yes,
        Closed, //!< the registry is closed (shutdown)
        Refused, //!< \a admit said no (the task's group has ended)
    };
    //! Registers \a task with the next task id if \a admit() agrees, then calls \a scheduled(task), both
    //! still under the lock; touches nothing once closed, or when admit() says no.
    template<typename Admit, typename Scheduled>
    Added add(const std::shared_ptr<TaskRecord> &task, Admit &&admit, Scheduled &&scheduled)
    {
        QMutexLocker lock(&m_mutex);
        if (m_closed.load())
            return Added::Closed;
        if (!admit())
            return Added::Refused;
        link(task);
        scheduled(task);
        return Added::Yes;
    }
    //! Unregisters \a task (if it is registered) and drops the registry's reference to it.
    void remove(TaskRecord *task);
    //! Whether \a task is registered now.
    bool contains(const TaskRecord *task) const;
    //! Refuses every add() from now on.
    void close();
    bool isClosed() const { return m_closed.load(); }

    QList<std::shared_ptr<TaskRecord>> records() const;
    QList<Task> handles() const;
    int count() const { return m_count.load(); }
    quint64 generation() const { return m_generation.load(std::memory_order_relaxed); }

private:
    void link(const std::shared_ptr<TaskRecord> &task); // with the lock held

    mutable QMutex m_mutex;
    TaskRecord *m_first = nullptr;
    TaskRecord *m_last = nullptr;
    std::atomic<int> m_count{0};
    std::atomic<quint64> m_generation{0};
    std::atomic<bool> m_closed{false};
};

} // namespace qtm::detail
