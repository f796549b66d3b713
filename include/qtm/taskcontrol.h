#pragma once

#include <qtm/task.h>

namespace qtm {

namespace detail {
struct TaskRecord;
}

/*!
 * What a running task uses to talk to its manager: whether it has been asked to stop, and how far along
 * it is. A thread-pool function receives one as its argument; a coroutine gets its own from
 * qtm::this_task::control().
 *
 * Progress may be reported as often as the work likes, from the task's own thread: the manager coalesces
 * it and emits taskProgressChanged() at most once per progress interval per task.
 *
 * Valid while its task runs; a TaskControl must not be kept past the task's end.
 */
class QTM_EXPORT TaskControl
{
public:
    //! Made by the manager for a task; a task gets its own as its function's argument or from
    //! qtm::this_task::control().
    explicit TaskControl(detail::TaskRecord *task) : m_task(task) { }

    //! True once cancellation was requested: a thread-pool function should return soon after. A
    //! function that returns after the request is reported as Cancelled (its result is dropped).
    bool isCancelled() const;

    //! Sets the progress range; a \a maximum below \a minimum is taken as \a minimum (an empty range,
    //! whose progress reads 0). Also reported on the task's QFuture.
    void setProgressRange(int minimum, int maximum);
    //! Sets the progress value (Task::progressValue()); also reported on the task's QFuture.
    void setProgressValue(int value);
    //! Sets the progress text (Task::progressText()), keeping the value; also reported on the task's
    //! QFuture.
    void setProgressText(const QString &text);
    //! Sets the progress value and text at once, as one change.
    void setProgress(int value, const QString &text);

    //! Blocks a thread-pool task while TaskManager::setTaskSuspended(task, true) holds it, and returns
    //! at once when it is resumed or cancelled. Does nothing in a coroutine.
    void suspendIfRequested();
    //! True while TaskManager::setTaskSuspended(task, true) holds the task (suspending or suspended).
    bool isSuspendRequested() const;

    //! The handle of the task this control belongs to.
    Task task() const;

private:
    detail::TaskRecord *m_task;
};

//! The task running on the calling thread, like std::this_thread: valid inside a coroutine task (on the
//! manager's loop) and inside a thread-pool task's function.
namespace this_task {
//! The running task, or an invalid handle when called from outside any task.
QTM_EXPORT Task task();
//! The running task's context (an empty context outside any task).
QTM_EXPORT TaskContext context();
//! The running task's attempt (Task::attempt(): 1, and more for a task its retry policy started again); 0
//! outside any task.
QTM_EXPORT int attempt();
//! The running task's control.
//! \throws std::logic_error when called from outside any task.
QTM_EXPORT TaskControl control();
} // namespace this_task

} // namespace qtm
