#pragma once

#include <qtm/qtmglobal.h>

#include <QtCore/QObject>

#include <cstddef>

namespace qtm {
Q_NAMESPACE_EXPORT(QTM_EXPORT)

//! Where a task is in its life. Pending and Running are live; the other three are terminal and final.
enum class TaskState
{
    Pending, //!< registered, not started yet (queued on the loop or in the thread pool)
    Running, //!< started and not finished; a coroutine task suspended at an await is Running
    Succeeded, //!< returned a result
    Failed, //!< ended with an exception other than qtm::CancelledError
    Cancelled, //!< ended by cancellation, or never started because it was cancelled first
};
Q_ENUM_NS(TaskState)

//! How a task runs.
enum class TaskKind
{
    Coroutine, //!< a qtm::Coro<T> resumed on the manager's event loop
    ThreadPool, //!< a function run on the manager's QThreadPool
    Future, //!< a QFuture produced elsewhere and adopted by the manager
    Group, //!< a qtm::TaskGroup: its work is its children, and it ends once they all have
};
Q_ENUM_NS(TaskKind)

//! How many kinds of task there are (TaskKind's values are 0 to taskKindCount - 1).
inline constexpr std::size_t taskKindCount = 4;

//! What a call to cancelTask() found when its future resolved.
enum class CancelOutcome
{
    Cancelled, //!< the task ended as cancelled
    AlreadyFinished, //!< the task had already ended when the cancellation was asked for
    FinishedAnyway, //!< the task succeeded after the request (it ignored or caught the cancellation)
    FailedAnyway, //!< the task failed after the request, with an error other than cancellation
    TimedOut, //!< the task was still running at the time-out; it stays registered as running
    Rejected, //!< nothing was cancelled: the handle was invalid or of another manager, or the timeout negative
    DeadlineExceeded, //!< the task ended as cancelled by its deadline (TaskOptions::deadline), not by a caller
};
Q_ENUM_NS(CancelOutcome)

//! Why a task was asked to stop (Task::cancelReason()): the first request is the one kept.
enum class CancelReason
{
    None, //!< no cancellation was asked for
    Requested, //!< a caller asked: cancelTask(), cancelAllTasks(), QFuture::cancel() on the task's future
    DeadlineExceeded, //!< the task's deadline (TaskOptions::deadline) came while it was live
    GuardDestroyed, //!< the guard object of its context was destroyed
    Shutdown, //!< its manager shut down (shutdown(), or the manager's destruction)
    GroupStopped, //!< its group's policy stopped it: a sibling failed (FailFast) or succeeded first (FirstSuccess)
};
Q_ENUM_NS(CancelReason)

//! How a group (qtm::TaskGroup) reacts to the end of its children, and what its own outcome is.
enum class GroupPolicy
{
    //! asyncio's TaskGroup, Java's ShutdownOnFailure: the first child that fails cancels the others; the group
    //! fails, with a qtm::GroupError listing every child that failed. A child cancelled by its own code does
    //! not make it fail.
    FailFast,
    //! Every child runs to its end; the group fails (qtm::GroupError) if any child failed.
    ContinueOnError,
    //! A race, Java's ShutdownOnSuccess: the first child that succeeds cancels the others and its result is
    //! the group's; the group fails only if every child failed.
    FirstSuccess,
    //! Every child runs to its end and the group succeeds whatever they did; each child's handle tells its
    //! outcome (TaskGroup::children()).
    AllSettled,
};
Q_ENUM_NS(GroupPolicy)

//! What a suspended coroutine task waits on at one `co_await` (AwaitFrame::kind).
enum class AwaitKind
{
    Sleep, //!< qtm::sleep(): the manager's timer queue
    Yield, //!< qtm::yield(): the manager's next loop turn
    Future, //!< a QFuture produced elsewhere
    Task, //!< another managed task (a qtm::Task or TypedTask)
    Cancel, //!< the outcome of a cancelTask() call (its QFuture<CancelOutcome>)
    Signal, //!< qtm::signal(): the next emission of a signal
    Coroutine, //!< another qtm::Coro run inline; what it waits on is the next frame
    Group, //!< a qtm::TaskGroup: `co_await group`, until every child has ended
};
Q_ENUM_NS(AwaitKind)

/*!
 * The enumerator's name ("Running", "ThreadPool", "TimedOut"), as Q_ENUM_NS and QDebug spell it. Not
 * called toString(): Qt Test's QCOMPARE finds a toString() in the enum's namespace by argument-dependent
 * lookup and expects it to return a `char *` it deletes, so a QString toString() here would break every
 * QCOMPARE of these enums in an application's tests.
 */
QTM_EXPORT QString nameOf(TaskState state);
//! The enumerator's name of \a kind ("Coroutine", "ThreadPool", "Future"); see nameOf(TaskState).
QTM_EXPORT QString nameOf(TaskKind kind);
//! The enumerator's name of \a outcome ("Cancelled", "TimedOut", ...); see nameOf(TaskState).
QTM_EXPORT QString nameOf(CancelOutcome outcome);
//! The enumerator's name of \a kind ("Sleep", "Signal", ...); see nameOf(TaskState).
QTM_EXPORT QString nameOf(AwaitKind kind);
//! The enumerator's name of \a reason ("Requested", "DeadlineExceeded", ...); see nameOf(TaskState).
QTM_EXPORT QString nameOf(CancelReason reason);
//! The enumerator's name of \a policy ("FailFast", "FirstSuccess", ...); see nameOf(TaskState).
QTM_EXPORT QString nameOf(GroupPolicy policy);

//! True for Succeeded, Failed and Cancelled.
constexpr bool isTerminal(TaskState state) noexcept
{
    return state == TaskState::Succeeded || state == TaskState::Failed || state == TaskState::Cancelled;
}

} // namespace qtm
