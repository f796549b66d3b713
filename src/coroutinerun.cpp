// A coroutine task: started, resumed, cancelled and completed on the manager's loop.

#include "coroutinerun_p.h"
#include "taskmanager_p.h"
#include "tracer_p.h"

#include <QtCore/QDateTime>

namespace qtm::detail {

CoroutineRun::~CoroutineRun()
{
    if (m_frame) // only when the manager vanished without ending the task
        m_frame.destroy();
}

CoroutineRun &CoroutineRun::of(TaskRecord &task)
{
    Q_ASSERT(task.kind == TaskKind::Coroutine);
    return static_cast<CoroutineRun &>(*task.run);
}

void CoroutineRun::start(TaskManagerPrivate &manager, TaskRecord &task)
{
    manager.markStarted(task);
    if (!task.isFinished()) // a slot may have cancelled it
        resume(manager, task);
}

void CoroutineRun::requestCancel(TaskManagerPrivate &manager, TaskRecord &task)
{
    m_cancelPending = true;
    if (m_shieldDepth == 0)
        tearDownAwait(manager, task);
    // Otherwise it is shielded, or it is running (it cancelled itself) or already due to resume (no cancel
    // hook): the pending cancellation is thrown at its next unshielded co_await.
}

void CoroutineRun::tearDownAwait(TaskManagerPrivate &manager, TaskRecord &task)
{
    if (!m_cancelHook)
        return;
    const Callback hook = std::exchange(m_cancelHook, nullptr);
    hook(std::exchange(m_cancelHookOperation, nullptr));
    resumeLater(manager, task);
}

void CoroutineRun::unwindNow(TaskManagerPrivate &manager, TaskRecord &task)
{
    if (m_resumeScheduled && !m_running && !task.isFinished()) {
        m_resumeScheduled = false;
        resume(manager, task);
    }
}

void CoroutineRun::deliverResults(QFutureInterfaceBase &future)
{
    m_promise->deliverResult(future);
}

std::unique_ptr<KeptResult> CoroutineRun::keepResults()
{
    return m_promise->keepResult();
}

void CoroutineRun::release(TaskRecord &task)
{
    if (const AwaitSite *awaited = withdrawAwait(task); awaited && trace::on())
        trace::awaitEnded(task, *awaited);
    m_childSite = nullptr;
    m_cancelHook = nullptr;
    m_cancelHookOperation = nullptr;
    if (m_frame)
        std::exchange(m_frame, {}).destroy();
    m_resumePoint = {};
    m_promise = nullptr;
}

void CoroutineRun::resume(TaskManagerPrivate &manager, TaskRecord &task)
{
    const std::shared_ptr<TaskRecord> keep = task.shared_from_this();
    const qint64 threshold
        = saturatingNanoseconds(std::chrono::milliseconds(manager.slowStepThresholdMs.load(std::memory_order_relaxed)))
              .count();
    const bool traced = trace::on();
    const std::int64_t began = threshold > 0 || traced ? TaskManagerPrivate::nowNs() : 0;
    const AwaitSite *const awaited = withdrawAwait(task);
    if (traced && awaited)
        trace::awaitEnded(task, *awaited);
    const SourceLocation resumedFrom = awaited ? awaited->location() : SourceLocation{}; // none: the first step
    StallWatchdog *const watchdog = manager.stallWatchdog.load(std::memory_order_acquire);
    const bool watched = watchdog && watchdog->isOn();
    if (watched)
        watchdog->stepBegins(task, resumedFrom);
    m_running = true;
    {
        CurrentTaskScope scope(&task);
        m_resumePoint.resume();
    }
    m_running = false;
    if (watched && manager.stallWatchdog.load(std::memory_order_acquire) == watchdog) // gone if the step
        watchdog->stepEnds(); // deleted the manager
    const std::int64_t ended = threshold > 0 || traced ? TaskManagerPrivate::nowNs() : 0;
    if (traced)
        trace::slice(task, began, ended, resumedFrom);
    if (threshold > 0) {
        if (const std::int64_t took = ended - began; took > threshold) {
            const qint64 ms = took / 1'000'000;
            qCWarning(lcTasks).noquote() << "task" << describe(task) << "blocked the event loop for" << ms
                                         << "ms in one step";
            manager.notifyAbout<&TaskManager::taskBlockedLoop>(task, ms);
        }
    }
    if (m_frame && m_frame.done()) {
        const std::exception_ptr exception = m_promise->m_exception;
        finishTask(&manager, task, exception ? outcomeOf(exception) : Outcome());
    }
}

const AwaitSite *CoroutineRun::withdrawAwait(TaskRecord &task)
{
    if (!m_awaitPublished)
        return nullptr;
    m_awaitPublished = false;
    const auto shared = task.shared.lock();
    shared->enclosing = nullptr;
    return std::exchange(shared->awaiting, nullptr); // still in its frame, which has not run yet
}

void CoroutineRun::resumeLater(TaskManagerPrivate &manager, TaskRecord &task)
{
    // Due to resume: no longer suspended at a cancellation point (see CancellationRegistration). A
    // cancellation from now on is thrown by the await it resumes in.
    m_cancelHook = nullptr;
    m_cancelHookOperation = nullptr;
    if (m_resumeScheduled)
        return;
    m_resumeScheduled = true;
    manager.resumeQueue.push_back(task.shared_from_this());
    manager.inbox->wake();
}

void CoroutineRun::resumeIfScheduled(TaskManagerPrivate &manager, TaskRecord &task)
{
    if (m_resumeScheduled) {
        m_resumeScheduled = false;
        if (!task.isFinished())
            resume(manager, task);
    }
}

} // namespace qtm::detail
