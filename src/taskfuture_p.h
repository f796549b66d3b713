#pragma once

#include <qtm/detail/futureref.h>
#include <qtm/taskenums.h>

#include <QtCore/QFutureInterface>

#include <atomic>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>

namespace qtm::detail {

struct Outcome;
struct TaskRecord;

/*!
 * \internal
 * A task's own QFuture: made at launch for the kinds whose work writes into it (a thread-pool function,
 * an adopted future), or on the first request for a coroutine task (TypedTask::future()), which most
 * never get. Whichever comes first, the request or the task's end, decides who finishes it: complete()
 * finishes a future that exists, and a future made after the end is made finished, with the kept result,
 * the error or the cancellation. Any thread.
 */
class TaskFuture
{
public:
    TaskFuture(std::unique_ptr<TaskFutureRef> made, TaskFutureFactory factory);
    TaskFuture(const TaskFuture &) = delete;
    TaskFuture &operator=(const TaskFuture &) = delete;

    //! The future, made now if nobody asked before: with the task's progress so far, and finished if the
    //! task has ended.
    QFutureInterfaceBase get(TaskRecord &task);
    //! The future if it has been made, else null; it lives as long as the record.
    QFutureInterfaceBase *ifMade() { return m_isMade.load(std::memory_order_acquire) ? m_made : nullptr; }
    //! The future of a kind that makes it at launch.
    QFutureInterfaceBase &made()
    {
        Q_ASSERT(m_made);
        return *m_made;
    }

    //! The task succeeded: adds its results to its group's \a to, from its own future if it was made, else
    //! straight from the result kept for one (no future made for nothing). Any thread.
    void appendResultsTo(GroupResults &to);
    //! The task's progress in its record has just changed: passed on to the future, if made.
    void progressChanged(TaskRecord &task);
    //! The task's state has just become final (with \a outcome): finishes the future if it was made,
    //! else keeps what a future made later must be given. Before the work is released.
    void complete(TaskRecord &task, const Outcome &outcome);

private:
    //! Sets the task's progress as it is in its record on the future (unless none was ever reported and
    //! \a always is false). With m_mutex.
    void copyProgress(TaskRecord &task, bool always);

    mutable std::mutex m_mutex;
    std::atomic<bool> m_isMade{false};
    std::unique_ptr<TaskFutureRef> m_ref; // the typed reference the record keeps (see TaskFutureRef)
    QFutureInterfaceBase *m_made = nullptr; // m_ref's future: set once, with m_mutex, before m_isMade
    TaskFutureFactory m_factory = nullptr;
    // How the task ended, for a future made afterwards.
    bool m_ended = false;
    TaskState m_endState = TaskState::Succeeded;
    std::exception_ptr m_exception;
    std::unique_ptr<KeptResult> m_result;
};

} // namespace qtm::detail
