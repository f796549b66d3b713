#pragma once

#include "guarded_p.h"
#include "taskrun_p.h"

#include <memory>

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
    explicit ThreadRun(std::unique_ptr<ThreadBody> body) : m_state(State{std::move(body), nullptr, nullptr, {}}) { }

    static ThreadRun &of(TaskRecord &task);

    void start(TaskManagerPrivate &manager, TaskRecord &task) override;
    void requestCancel(TaskManagerPrivate &manager, TaskRecord &task) override;
    void deliverResults(QFutureInterfaceBase &future) override;
    void release(TaskRecord &task) override;
    void setSuspended(TaskRecord &task, bool suspended) override;

    //! The manager's thread, on Inbox::Kind::Completed: ends the task with what the function reported.
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
};

} // namespace qtm::detail
