#pragma once

#include <qtm/taskcontext.h>
#include <qtm/taskenums.h>

#include <QtCore/QString>

#include <chrono>
#include <exception>
#include <functional>
#include <optional>

namespace qtm {

/*!
 * How a task that fails is started again (TaskOptions::retry), as tenacity and Polly do: up to
 * maxAttempts attempts in all, the n-th retry after initialDelay × multiplier^(n-1), at most maxDelay, each
 * delay spread by ± jitter of itself. A cancellation (a caller's, the deadline's, a shutdown's) is never
 * retried, and neither is an error retryIf() turns down.
 *
 * Only work that can start again takes one: a callable returning a qtm::Coro (called once per attempt) or a
 * thread-pool function taking `TaskControl &`, `std::stop_token` or nothing. A single Coro object, an
 * adopted QFuture and a function taking its own `QPromise<T> &` (which cannot start over) are rejected
 * with std::invalid_argument, as are the values below outside their ranges.
 */
struct RetryPolicy
{
    //! How many attempts in all, the first included; at least 1 (1: no retry).
    int maxAttempts = 3;
    //! The wait before the first retry; not negative.
    std::chrono::milliseconds initialDelay = std::chrono::milliseconds(100);
    //! What each further wait is multiplied by; at least 1.
    double multiplier = 2.0;
    //! The longest wait, whatever the multiplier made of it; not negative.
    std::chrono::milliseconds maxDelay = std::chrono::seconds(30);
    //! Spread of each wait, as a fraction of it in [0, 1]: 0.2 waits between 80 % and 120 % (never past
    //! maxDelay), so that many clients retrying together do not retry in step.
    double jitter = 0.0;
    //! Whether an error is worth another attempt (called in the manager's thread with the error of the
    //! attempt that failed); unset: every error other than a cancellation is. An exception it throws is
    //! taken as "no".
    std::function<bool(const std::exception_ptr &error)> retryIf = {};
};

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
    /*!
     * Starts the work again when it fails, as the policy says (see RetryPolicy). The task keeps one identity
     * across attempts (one taskCreated(), one taskStarted(), one outcome); each retry emits
     * BaseTaskManager::taskRetrying() and Task::attempt() counts; its QFuture resolves once, after the last
     * attempt. A cancel or the deadline during the wait before a retry ends the task at once. Unset: no retry.
     */
    std::optional<RetryPolicy> retry = {};
};

/*!
 * How a group (BaseTaskManager::createGroup(), TaskGroup) is created: an aggregate, like TaskOptions.
 *
 * \code
 * auto thumbnails = manager.createGroup<QImage>({.name = "thumbnails", .maxConcurrent = 4});
 * \endcode
 */
struct GroupOptions
{
    //! The group's name; empty for a generated one ("group-12").
    QString name = {};
    //! How the group reacts to its children's ends, and what its own outcome is (see GroupPolicy).
    GroupPolicy policy = GroupPolicy::FailFast;
    //! How many of its children may run at once; the others wait in Pending, highest TaskOptions::priority
    //! first, and show why (Task::pendingReason()). 0: no limit of its own (the manager's still holds).
    //! Negative: rejected with std::invalid_argument.
    int maxConcurrent = 0;
    //! As TaskOptions::deadline, for the whole group: at the deadline every child still live is cancelled.
    std::optional<std::chrono::milliseconds> deadline = {};
    //! The context of the group and, unless they are given their own, of its children; unset: as for a task.
    std::optional<TaskContext> context = {};
    //! As TaskOptions::priority: where the group waits when it is itself in a group with a limit.
    int priority = 0;
};

} // namespace qtm
