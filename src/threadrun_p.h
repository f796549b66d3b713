#pragma once

#include "guarded_p.h"
#include "taskrun_p.h"

#include <qtm/detail/hooks.h>
#include <qtm/taskoptions.h>

#include <memory>
#include <optional>

QT_BEGIN_NAMESPACE
class QRunnable;
class QThreadPool;
QT_END_NAMESPACE

namespace qtm::detail {

/*!
 * \internal
 * A function run on the manager's QThreadPool (threadrun.cpp). The function runs in a pool thread and
 * reports its end through the manager's inbox; once the manager has gone it ends the task itself.
 */
class ThreadRun final : public TaskRun
{
public:
    ThreadRun(std::unique_ptr<ThreadBody> body, std::optional<RetryPolicy> retry)
        : m_state(State{std::move(body), nullptr, nullptr, {}}), m_retry(std::move(retry))
    { }

    static ThreadRun &of(TaskRecord &task);

    void start(TaskManagerPrivate &manager, TaskRecord &task) override;
    void requestCancel(TaskManagerPrivate &manager, TaskRecord &task) override;
    void deliverResults(QFutureInterfaceBase &future) override;
    void release(TaskRecord &task) override;
    void setSuspended(TaskRecord &task, bool suspended) override;

    //! The manager's thread, on Inbox::Kind::Completed: ends the task with what the function reported, or,
    //! when it failed and its retry policy says so, starts it again after the policy's wait.
    void reportedEnd(TaskManagerPrivate &manager, TaskRecord &task);

private:
    friend class TaskRunnable;

    struct State
    {
        //! The function; release() resets it, after the function returned.
        std::unique_ptr<ThreadBody> body;
        //! The runnable while it waits in the pool's queue (null once it runs), and the pool.
        QRunnable *queuedRunnable;
        QThreadPool *pool;
        //! What the function's thread reports.
        Outcome outcome;
    };
    // Shared by the manager's thread and the function's.
    Guarded<State> m_state;

    //! The wait before the next attempt is over: the function is queued again.
    static void backoffEnded(void *task);
    // The manager's thread only.
    const std::optional<RetryPolicy> m_retry;
    //! Between two attempts (deciding, or waiting on `m_backoff`): nothing runs, a cancel ends the task.
    bool m_betweenAttempts = false;
    TimerId m_backoff;
};

} // namespace qtm::detail
