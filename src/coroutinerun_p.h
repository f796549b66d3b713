#pragma once

#include "taskrun_p.h"

#include <qtm/detail/hooks.h>

#include <coroutine>

namespace qtm::detail {

class PromiseBase;

/*!
 * \internal
 * A coroutine task: its frame, resumed on the manager's loop. Touched only in the manager's thread
 * (the awaiters reach it through qtm/detail/hooks.h).
 */
class CoroutineRun final : public TaskRun
{
public:
    CoroutineRun(std::coroutine_handle<> frame, PromiseBase *promise)
        : m_frame(frame), m_resumePoint(frame), m_promise(promise)
    { }
    ~CoroutineRun() override;

    static CoroutineRun &of(TaskRecord &task);

    void start(TaskManagerPrivate &manager, TaskRecord &task) override;
    void requestCancel(TaskManagerPrivate &manager, TaskRecord &task) override;
    void unwindNow(TaskManagerPrivate &manager, TaskRecord &task) override;
    void deliverResults(QFutureInterfaceBase &future) override;
    std::unique_ptr<KeptResult> keepResults() override;
    void release(TaskRecord &task) override;
    bool endsWithoutLoop() const override { return false; }
    bool isExecuting() const override { return m_running; }

    //! Runs the coroutine from where it is suspended until its next suspension or its end.
    void resume(TaskManagerPrivate &manager, TaskRecord &task);
    //! Withdraws the published await and returns it (null if none): the frame that holds it is about to
    //! run (or to be destroyed).
    const AwaitSite *withdrawAwait(TaskRecord &task);
    //! Queues it to resume on the manager's next loop turn; idempotent until then.
    void resumeLater(TaskManagerPrivate &manager, TaskRecord &task);
    //! Manager's loop turn: resumes it if it is still due.
    void resumeIfScheduled(TaskManagerPrivate &manager, TaskRecord &task);
    //! If it is suspended at a cancellation point, cancels the awaited operation and queues the coroutine
    //! to resume, so that the co_await throws CancelledError.
    void tearDownAwait(TaskManagerPrivate &manager, TaskRecord &task);

    // The awaiters' view (hooks.cpp).
    std::coroutine_handle<> m_frame; // the root frame, owned until the task ends
    std::coroutine_handle<> m_resumePoint; // where it is suspended: the root or an awaited child
    PromiseBase *m_promise;
    // The awaits the task graph shows: the innermost child coroutine's site, and whether a suspended
    // await is published in the record (TaskRecord::Shared::awaiting).
    const ChildAwaitSite *m_childSite = nullptr;
    bool m_awaitPublished = false;
    Callback m_cancelHook = nullptr;
    void *m_cancelHookOperation = nullptr;
    int m_shieldDepth = 0;
    bool m_cancelPending = false;
    // qtm::timeout(): how many enclose the current await, the expired one whose cancellation waits to be
    // delivered (with its scope), and the one whose cancellation was delivered last.
    int m_timeoutLevel = 0;
    const void *m_timeoutPending = nullptr;
    TimeoutScope m_timeoutPendingScope;
    const void *m_timeoutDelivered = nullptr;
    bool m_resumeScheduled = false;
    bool m_running = false; // executing now: it must not be resumed or destroyed
};

} // namespace qtm::detail
