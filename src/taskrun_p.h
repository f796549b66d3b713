#pragma once

#include <qtm/detail/launch.h>
#include <qtm/taskenums.h>

#include <QtCore/QFutureInterface>
#include <QtCore/QString>

#include <exception>
#include <memory>

namespace qtm {
class TaskManagerPrivate;
}

namespace qtm::detail {

struct TaskRecord;

//! How a task's work ended: the terminal state, and for a failure the exception and its message.
struct Outcome
{
    TaskState state = TaskState::Succeeded;
    QString errorText;
    std::exception_ptr exception;
};

//! The message of whatever a task threw, whatever its type.
QString describeException(const std::exception_ptr &exception);
//! What a cancelTask() call waiting on \a task, which has ended, resolves to: by its state, and for a
//! cancelled one by why it was cancelled (its deadline, or anything else).
CancelOutcome cancelOutcomeFor(const TaskRecord &task);
//! The outcome of work that ended with \a exception: Cancelled for a qtm::CancelledError, else Failed.
Outcome outcomeOf(const std::exception_ptr &exception);

/*!
 * \internal
 * How one kind of task runs: one implementation per TaskKind (coroutinerun.cpp, threadrun.cpp,
 * futurerun.cpp, grouprun.cpp), so that the manager never asks what a task is: what it must know, it asks
 * the run (holdsSlot(), endsThroughOthers()). The manager calls these in its own thread; the work reports
 * its end through finishTask(), from the manager's thread or, once the manager has gone, from wherever it
 * ends.
 */
class TaskRun
{
public:
    virtual ~TaskRun() = default;

    //! Starts the work of a task that is due to start (not cancelled, manager not shutting down).
    virtual void start(TaskManagerPrivate &manager, TaskRecord &task) = 0;
    //! Asks the started work to stop; the task ends when the work does (at once, when the work can be
    //! taken back before it began).
    virtual void requestCancel(TaskManagerPrivate &manager, TaskRecord &task) = 0;
    //! The work is to end now if it can (the guard object is being destroyed, the manager shuts down):
    //! a coroutine whose cancellation is queued is resumed right here, to unwind.
    virtual void unwindNow(TaskManagerPrivate &, TaskRecord &) { }
    //! A task cancelled before it started: its work never runs.
    virtual void discard() { }
    //! The task succeeded: moves its results into the task's own future, before that future finishes.
    virtual void deliverResults(QFutureInterfaceBase &future) = 0;
    //! The task succeeded and its future was never asked for: moves its result out of the work, for a
    //! future made later (only a kind whose future is made on request).
    virtual std::unique_ptr<KeptResult> keepResults() { return nullptr; }
    //! The task has ended: releases what the work holds (a coroutine frame, a function and its captures).
    virtual void release(TaskRecord &task) = 0;
    //! Suspends or resumes work that can be held (TaskManager::setTaskSuspended()).
    virtual void setSuspended(TaskRecord &, bool) { }
    //! The manager is about to announce the task's progress (a flush): a kind whose progress reaches its
    //! future only then (a group's) passes it on here.
    virtual void progressFlushed(TaskRecord &) { }

    // What the manager must know of a kind, asked without asking which kind it is.
    //! Whether a started task holds a slot of the manager's concurrency limit. A group does not: its
    //! children do, and a group waiting for a slot its children wait behind would wait for ever.
    virtual bool holdsSlot() const { return true; }
    //! Whether the task ends only through other tasks (a group, through its children): then it is never
    //! ended from outside, not even unstarted or at shutdown; a cancel is passed to requestCancel() always.
    virtual bool endsThroughOthers() const { return false; }

    // Shutdown.
    //! Whether the work can still end while the manager waits without running its event loop.
    virtual bool endsWithoutLoop() const { return true; }
    //! Whether the work is executing right now, below the caller on the stack (a coroutine step that
    //! shuts the manager down).
    virtual bool isExecuting() const { return false; }
    //! Ends the task if its work has ended meanwhile, news the manager's loop would otherwise bring.
    virtual void poll(TaskManagerPrivate &, TaskRecord &) { }
    //! The manager gives up waiting: the work is left to end the task on its own, with no manager.
    virtual void abandon(const std::shared_ptr<TaskRecord> &) { }
};

/*!
 * The one way a task ends, whatever its kind and outcome, with or without a live manager: the state
 * becomes final (once: every later call returns at once), the results or the error are stored, the
 * task's future finishes, the work is released, and cancelTask() calls waiting on it resolve. With
 * \a manager (called in its thread), the manager's part comes around it: the taskCreated and last
 * progress signals before, and after, the registry, the guard binding, the outcome signal and
 * taskFinished. Without (the task was abandoned at shutdown), no signal.
 */
void finishTask(TaskManagerPrivate *manager, TaskRecord &task, Outcome outcome);

//! Creates the record of a task with \a context, and the run object of its kind in the same allocation.
std::shared_ptr<TaskRecord> makeTaskRecord(TaskLaunch &launch, TaskContext context);

} // namespace qtm::detail
