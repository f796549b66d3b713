#pragma once

#include <qtm/taskcontext.h>

#include <QtCore/QString>

#include <chrono>
#include <optional>

namespace qtm {

/*!
 * How a task is created, beyond its work: what createTask() takes as its second argument. An aggregate,
 * so the options read at the call site with designated initializers:
 *
 * \code
 * manager.createTask(fetch(url), {.name = "fetch", .priority = 10, .deadline = 30s});
 * \endcode
 *
 * `createTask(work, name, context)` is the same as `createTask(work, {.name = name, .context = context})`.
 * Every member has a default member initializer: GCC's -Wmissing-field-initializers (in -Wextra) then
 * says nothing about the members a designated initializer leaves out.
 */
struct TaskOptions
{
    //! The task's name; empty for a generated one ("coroutine-12").
    QString name = {};
    //! The context the task runs with; unset for the creating task's, else the manager's (see TaskContext).
    std::optional<TaskContext> context = {};
    /*!
     * The order in which tasks held back by the concurrency limit (TaskManager::setMaxConcurrentTasks())
     * start: the highest first, first come first served among equals. A thread-pool task also passes it to
     * QThreadPool::start(), which orders the pool's own queue the same way. Any int; 0 by default.
     */
    int priority = 0;
    /*!
     * How long the task may live, counted from its creation (waiting for a slot included): at the
     * deadline a task still live is cancelled, and tells it (Task::cancelReason() is
     * CancelReason::DeadlineExceeded, as is the outcome of a cancelTask() waiting for it). The cancel is a
     * request like any other: a coroutine unwinds at its await, a cooperative function sees its flag, a
     * plain function runs to its end. Unset: no deadline. A duration too long to count
     * (`milliseconds::max()`) never expires; a negative one is rejected with std::invalid_argument.
     */
    std::optional<std::chrono::milliseconds> deadline = {};
};

} // namespace qtm
