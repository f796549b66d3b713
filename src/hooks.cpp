// The coroutine awaiters' view of their task (qtm/detail/hooks.h), implemented on the manager.

#include <qtm/cancellederror.h>
#include <qtm/detail/hooks.h>

#include "coroutinerun_p.h"
#include "taskmanager_p.h"
#include "tracer_p.h"

namespace qtm::detail {

void suspendAt(TaskRecord *task, std::coroutine_handle<> suspended, AwaitSite &site)
{
    CoroutineRun &run = CoroutineRun::of(*task);
    run.m_resumePoint = suspended;
    site.sinceNs = TaskManagerPrivate::nowNs();
    {
        const auto shared = task->shared.lock(); // withdrawn by CoroutineRun::resume()
        shared->awaiting = &site;
        shared->enclosing = run.m_childSite;
    }
    run.m_awaitPublished = true;
    if (trace::on())
        trace::awaitBegan(*task, site);
}

void enterChild(TaskRecord *task, ChildAwaitSite &site)
{
    CoroutineRun &run = CoroutineRun::of(*task);
    site.sinceNs = TaskManagerPrivate::nowNs();
    site.outer = std::exchange(run.m_childSite, &site);
}

void leaveChild(TaskRecord *task, const ChildAwaitSite &site) noexcept
{
    CoroutineRun::of(*task).m_childSite = site.outer;
}

namespace {

// A task whose manager was destroyed under it is cancelled at every await until it ends.
bool isTaskCancelPending(const TaskRecord &task, const CoroutineRun &run)
{
    return (run.m_cancelPending || !task.manager->q_ptr) && run.m_shieldDepth == 0;
}

bool isTimeoutPending(const CoroutineRun &run)
{
    return run.m_timeoutPending && run.m_shieldDepth == run.m_timeoutPendingScope.shieldDepth;
}

} // namespace

bool isCancelPending(TaskRecord *task)
{
    const CoroutineRun &run = CoroutineRun::of(*task);
    return isTaskCancelPending(*task, run) || isTimeoutPending(run);
}

PendingCancel takePendingCancel(TaskRecord *task) noexcept
{
    CoroutineRun &run = CoroutineRun::of(*task);
    if (isTaskCancelPending(*task, run)) { // the task's own cancellation comes first
        run.m_cancelPending = false;
        run.m_timeoutDelivered = nullptr; // what unwinds now is the task's cancellation, not a timeout's
        if (!task->manager->q_ptr)
            return PendingCancel::ManagerDestroyed;
        return task->lifecycle.cancelReason() == CancelReason::DeadlineExceeded ? PendingCancel::DeadlineExceeded
                                                                                : PendingCancel::Requested;
    }
    if (isTimeoutPending(run)) {
        run.m_timeoutDelivered = std::exchange(run.m_timeoutPending, nullptr);
        return PendingCancel::TimedOut;
    }
    return PendingCancel::None;
}

TimeoutScope enterTimeout(TaskRecord *task)
{
    CoroutineRun &run = CoroutineRun::of(*task);
    return {++run.m_timeoutLevel, run.m_shieldDepth};
}

void expireTimeout(TaskRecord *task, const void *timeout, TimeoutScope scope, bool awaitsCoroutine)
{
    CoroutineRun &run = CoroutineRun::of(*task);
    if (!awaitsCoroutine && run.m_resumeScheduled)
        return; // the awaited operation ended first, in this same loop turn: its result is on its way
    if (run.m_timeoutPending && run.m_timeoutPendingScope.level <= scope.level)
        return; // an enclosing timeout's cancellation is pending: it unwinds through this one too
    run.m_timeoutPending = timeout;
    run.m_timeoutPendingScope = scope;
    if (isTimeoutPending(run)) // else a shield inside the timeout defers it to the shield's end
        run.tearDownAwait(*task->manager, *task);
}

bool leaveTimeout(TaskRecord *task, const void *timeout) noexcept
{
    CoroutineRun &run = CoroutineRun::of(*task);
    --run.m_timeoutLevel;
    if (run.m_timeoutPending == timeout)
        run.m_timeoutPending = nullptr; // expired, not delivered: the operation ended first
    if (run.m_timeoutDelivered != timeout)
        return false;
    run.m_timeoutDelivered = nullptr;
    return true;
}

void setCancelHook(TaskRecord *task, Callback tearDown, void *operation)
{
    // Armed inside a shield too: a qtm::timeout() inside the shield cancels the operation; the task's
    // cancellation does not (CoroutineRun::requestCancel()).
    CoroutineRun &run = CoroutineRun::of(*task);
    run.m_cancelHook = tearDown;
    run.m_cancelHookOperation = operation;
}

void clearCancelHook(TaskRecord *task, void *operation) noexcept
{
    CoroutineRun &run = CoroutineRun::of(*task);
    if (run.m_cancelHookOperation == operation) {
        run.m_cancelHook = nullptr;
        run.m_cancelHookOperation = nullptr;
    }
}

void resumeLater(TaskRecord *task)
{
    CoroutineRun::of(*task).resumeLater(*task->manager, *task);
}

void enterShield(TaskRecord *task)
{
    ++CoroutineRun::of(*task).m_shieldDepth;
}

void leaveShield(TaskRecord *task)
{
    --CoroutineRun::of(*task).m_shieldDepth;
}

QObject *loopObject(TaskRecord *task)
{
    return task->manager->q_ptr;
}

TimerId startTimer(TaskRecord *task, std::chrono::nanoseconds after, Callback fire, void *argument)
{
    TaskManagerPrivate *manager = task->manager;
    bool earliest = false;
    const TimerId id = manager->timers.add(after, fire, argument, &earliest);
    if (earliest) // a later deadline than the first needs no new Qt timer
        manager->armTimer();
    return id;
}

void checkNotItself(TaskRecord *task, const Task &awaited)
{
    if (TaskAccess::record(awaited) == task)
        throwInvalidArgument(
            "co_await", QStringLiteral("task %1 cannot await itself: it would wait for ever").arg(describe(*task)));
}

void stopTimer(TaskRecord *task, TimerId timer)
{
    if (task->manager)
        task->manager->timers.remove(timer);
}

} // namespace qtm::detail
