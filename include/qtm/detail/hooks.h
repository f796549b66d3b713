#pragma once

// The narrow interface between the coroutine machinery in the headers (promise, awaiters) and the
// manager that drives a coroutine task. Every function here is called in the manager's thread, by code
// running inside that task (an awaiter starting, finishing or being torn down).

#include <qtm/cancellederror.h>
#include <qtm/detail/awaitsite.h>
#include <qtm/qtmglobal.h>

#include <QtCore/QString>

#include <chrono>
#include <coroutine>
#include <cstdint>
#include <exception>

QT_BEGIN_NAMESPACE
class QObject;
QT_END_NAMESPACE

namespace qtm {
class Task;
struct RetryPolicy;
} // namespace qtm

namespace qtm::detail {

struct TaskRecord;

//! A plain callback: cheaper than std::function and enough for the awaiters, which pass themselves.
using Callback = void (*)(void *argument);

//! Identifies one entry of the manager's timer queue.
struct TimerId
{
    std::int64_t deadline = 0;
    std::uint64_t sequence = 0;
    explicit operator bool() const { return sequence != 0; }
};

/*!
 * \a duration in nanoseconds, saturated: a duration too long for std::chrono::nanoseconds (such as
 * `std::chrono::hours::max()`, the idiom for "no bound") becomes nanoseconds::max(), practically never,
 * instead of overflowing into a negative value. Negative durations are the caller's to reject.
 */
template<typename Rep, typename Period>
constexpr std::chrono::nanoseconds saturatingNanoseconds(std::chrono::duration<Rep, Period> duration)
{
    using Nanoseconds = std::chrono::nanoseconds;
    // Compared as floating point, which holds hours::max() in nanoseconds without overflowing.
    const long double ns = std::chrono::duration<long double, std::nano>(duration).count();
    if (ns >= static_cast<long double>(Nanoseconds::max().count()))
        return Nanoseconds::max();
    if (ns <= static_cast<long double>(Nanoseconds::min().count()))
        return Nanoseconds::min();
    return std::chrono::duration_cast<Nanoseconds>(duration);
}

/*!
 * Records where the task is suspended (the coroutine, root or awaited child, the manager resumes next)
 * and what it waits on there: \a site is published for Task::awaiting() and the task graph until the
 * task resumes. Called by every awaiter that suspends.
 */
QTM_EXPORT void suspendAt(TaskRecord *task, std::coroutine_handle<> suspended, AwaitSite &site);
//! A child coroutine, awaited at \a site, starts running inside the task: the awaits inside it are shown
//! under \a site, whose `outer` becomes the child site it is in, if any.
QTM_EXPORT void enterChild(TaskRecord *task, ChildAwaitSite &site);
//! The child coroutine entered at enterChild(\a site) has ended: its `outer` is again the innermost.
QTM_EXPORT void leaveChild(TaskRecord *task, const ChildAwaitSite &site) noexcept;
//! True when a cancellation waits to be delivered at the next await: the task's (never inside a shield),
//! or an expired qtm::timeout()'s (inside it, not inside a shield within it).
QTM_EXPORT bool isCancelPending(TaskRecord *task);
//! Why a cancellation is pending, if one is.
enum class PendingCancel
{
    None,
    Requested,
    DeadlineExceeded, // the task's own deadline (TaskOptions::deadline)
    ManagerDestroyed,
    TimedOut // a qtm::timeout() around the current await expired: unwinds to that timeout only
};
//! Consumes the pending cancellation, if there is one (never inside a shield): delivered once, as asyncio
//! does; a later cancelTask() asks again.
QTM_EXPORT PendingCancel takePendingCancel(TaskRecord *task) noexcept;
/*!
 * Throws qtm::CancelledError, consuming the pending cancellation, if there is one (never inside a shield).
 * Inline: the exception is thrown from the awaiting coroutine's own code, so the unwinder starts in the
 * frame that catches it, not one frame and one library further away (about a fifth of a throw's cost).
 */
inline void throwIfCancelPending(TaskRecord *task)
{
    switch (takePendingCancel(task)) {
    case PendingCancel::None:
        return;
    case PendingCancel::Requested:
        throw CancelledError(QStringLiteral("the task was cancelled"));
    case PendingCancel::DeadlineExceeded:
        throw CancelledError(QStringLiteral("the task's deadline was exceeded"));
    case PendingCancel::ManagerDestroyed:
        throw CancelledError(QStringLiteral("the task's manager was destroyed"));
    case PendingCancel::TimedOut:
        throw CancelledError(QStringLiteral("the await's qtm::timeout() expired"));
    }
}
//! While the task is suspended here, cancelling it calls \a tearDown(\a operation) and then resumes it.
//! Used through CancellationRegistration, never directly.
QTM_EXPORT void setCancelHook(TaskRecord *task, Callback tearDown, void *operation);
//! Clears the task's cancel hook if it is still \a operation's.
QTM_EXPORT void clearCancelHook(TaskRecord *task, void *operation) noexcept;
//! Queues the task to be resumed on the manager's loop; idempotent until it has been resumed. The task is
//! no longer suspended at a cancellation point: its cancel hook is cleared.
QTM_EXPORT void resumeLater(TaskRecord *task);
QTM_EXPORT void enterShield(TaskRecord *task);
QTM_EXPORT void leaveShield(TaskRecord *task);

//! Where a qtm::timeout() awaits: how many timeouts enclose it, and in how many shields it is.
struct TimeoutScope
{
    int level = 0;
    int shieldDepth = 0;
};
//! A qtm::timeout() begins its await.
QTM_EXPORT TimeoutScope enterTimeout(TaskRecord *task);
/*!
 * The timeout \a timeout, awaiting at \a scope, expired: a cancellation for it is pending, delivered (as
 * CancelledError, at the awaits inside it and in as many shields as it) until it is taken or the timeout
 * ends; if the task is suspended at such an await now, that operation is torn down and the task resumed.
 * An outer timeout's cancellation takes the place of an inner one's, never the reverse. When the timeout
 * awaits a single operation (\a awaitsCoroutine false) that has already ended and queued the task to
 * resume, the operation came first and nothing is cancelled.
 */
QTM_EXPORT void expireTimeout(TaskRecord *task, const void *timeout, TimeoutScope scope, bool awaitsCoroutine);
//! The timeout \a timeout ends its await. True if its cancellation was delivered and no cancellation of
//! the task itself was delivered since: the CancelledError that reached it is its own.
QTM_EXPORT bool leaveTimeout(TaskRecord *task, const void *timeout) noexcept;
//! The object that lives in the manager's thread: the context of the awaiters' connections.
QTM_EXPORT QObject *loopObject(TaskRecord *task);
QTM_EXPORT TimerId startTimer(TaskRecord *task, std::chrono::nanoseconds after, Callback fire, void *argument);
QTM_EXPORT void stopTimer(TaskRecord *task, TimerId timer);

/*!
 * The attempt \a failedAttempt of the running task (a retried coroutine's, see retrying()) ended with
 * \a error: the wait before the next attempt, announced (BaseTaskManager::taskRetrying(), Task::attempt());
 * or, when the error is final (a cancellation, not retryable, the attempts used up, the task asked to stop),
 * \a error rethrown.
 */
QTM_EXPORT std::chrono::milliseconds retryDelayOrRethrow(const RetryPolicy &policy, int failedAttempt,
                                                         const std::exception_ptr &error);

//! Throws std::invalid_argument when \a awaited is \a task itself, which would wait for ever.
QTM_EXPORT void checkNotItself(TaskRecord *task, const Task &awaited);

//! Throws std::invalid_argument with "qtm::<where>: <problem>", after logging it on qtm.tasks.
[[noreturn]] QTM_EXPORT void throwInvalidArgument(const char *where, const QString &problem);

} // namespace qtm::detail
