#pragma once

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
 * Everything here but the outcome the function reports is touched in the manager's thread, or under the
 * task's mutex.
 */
class ThreadRun final : public TaskRun
{
public:
    explicit ThreadRun(std::unique_ptr<ThreadBody> body) : m_body(std::move(body)) { }

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

    std::unique_ptr<ThreadBody> m_body; // under the task's mutex once started: release() resets it
    // Under the task's mutex: the runnable while it waits in the pool's queue (null once it runs), the
    // pool, and the outcome the function's thread reports.
    QRunnable *m_queuedRunnable = nullptr;
    QThreadPool *m_pool = nullptr;
    Outcome m_outcome;
};

} // namespace qtm::detail
