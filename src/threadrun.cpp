// A function on the manager's thread pool: queued, run, cancelled cooperatively, and ended through the
// inbox, or on its own once the manager has gone.

#include "taskmanager_p.h"
#include "threadrun_p.h"
#include "tsan_p.h"

#include <QtCore/QDateTime>
#include <QtCore/QFutureWatcher>
#include <QtCore/QRunnable>
#include <QtCore/QThreadPool>

namespace qtm::detail {

/*!
 * Runs a thread-pool task's function. Holds the record and the inbox, not the manager: a task abandoned
 * at shutdown finishes on its own when its function finally returns.
 */
class TaskRunnable final : public QRunnable
{
public:
    TaskRunnable(std::shared_ptr<TaskRecord> task, std::shared_ptr<Inbox> inbox)
        : m_task(std::move(task)), m_inbox(std::move(inbox))
    { }

    void run() override
    {
        tsanAcquire(this); // pairs with the release before QThreadPool::start()
        TaskRecord *task = m_task.get();
        ThreadRun &work = ThreadRun::of(*task);
        bool cancelledBeforeStart;
        {
            QMutexLocker lock(&task->mutex);
            work.m_queuedRunnable = nullptr; // from here on the manager must not try to take it back
            cancelledBeforeStart = task->lifecycle.isCancelRequested();
            if (!cancelledBeforeStart)
                task->startedAtMs = QDateTime::currentMSecsSinceEpoch();
        }
        if (cancelledBeforeStart) {
            report({TaskState::Cancelled, {}, {}});
            return;
        }
        const bool cooperative = work.m_body->isCooperative();
        if (!cooperative)
            task->cancellable.store(false);
        task->lifecycle.markRunning();
        m_inbox->post({Inbox::Kind::Started, m_task, {}});

        Outcome outcome;
        {
            CurrentTaskScope scope(task);
            TaskControl control(task);
            try {
                work.m_body->run(control, task->future);
                if (task->future.isCanceled()) // cancelled the Qt way, seen before the manager's loop did
                    task->lifecycle.requestCancel();
                if (cooperative && task->lifecycle.isCancelRequested())
                    outcome.state = TaskState::Cancelled;
            } catch (...) {
                outcome = outcomeOf(std::current_exception());
            }
        }
        report(std::move(outcome));
    }

private:
    void report(Outcome outcome)
    {
        {
            QMutexLocker lock(&m_task->mutex);
            ThreadRun::of(*m_task).m_outcome = outcome;
        }
        if (!m_inbox->post({Inbox::Kind::Completed, m_task, {}})) {
            // The manager is gone (the task was abandoned at shutdown): the task ends here, without signals.
            finishTask(nullptr, *m_task, std::move(outcome));
        }
    }

    std::shared_ptr<TaskRecord> m_task;
    std::shared_ptr<Inbox> m_inbox;
};

ThreadRun &ThreadRun::of(TaskRecord &task)
{
    Q_ASSERT(task.kind == TaskKind::ThreadPool);
    return static_cast<ThreadRun &>(*task.run);
}

void ThreadRun::start(TaskManagerPrivate &manager, TaskRecord &task)
{
    if (std::optional<QFuture<void>> source = m_body->progressSource()) {
        // A QPromise function reports progress on its own promise: passed on to the task.
        auto *watcher = new QFutureWatcher<void>(manager.q_ptr);
        task.watcher = watcher;
        manager.forwardProgress(&task, watcher);
        watcher->setFuture(*source);
    }
    auto *runnable = new TaskRunnable(task.shared_from_this(), manager.inbox);
    QThreadPool *pool = manager.pool.load();
    {
        QMutexLocker lock(&task.mutex);
        m_queuedRunnable = runnable;
        m_pool = pool;
    }
    tsanRelease(runnable); // the pool's queue is synchronised inside Qt, out of ThreadSanitizer's sight
    pool->start(runnable);
}

void ThreadRun::requestCancel(TaskManagerPrivate &manager, TaskRecord &task)
{
    bool taken = false;
    {
        QMutexLocker lock(&task.mutex);
        if (m_queuedRunnable && m_pool->tryTake(m_queuedRunnable)) {
            delete std::exchange(m_queuedRunnable, nullptr);
            taken = true;
        }
    }
    if (taken) { // still in the pool's queue: it never runs
        finishTask(&manager, task, {TaskState::Cancelled, {}, {}});
        return;
    }
    {
        QMutexLocker lock(&task.mutex); // the body may be held suspended: see setSuspended()
        m_body->cancel();
        m_body->setSuspended(false);
    }
    if (task.future.isSuspending() || task.future.isSuspended())
        task.future.setSuspended(false); // a held task must wake up to see its cancellation
}

void ThreadRun::deliverResults(QFutureInterfaceBase &future)
{
    m_body->deliverResults(future);
}

void ThreadRun::release(TaskRecord &task)
{
    QMutexLocker lock(&task.mutex);
    m_body.reset();
}

void ThreadRun::setSuspended(TaskRecord &task, bool suspended)
{
    QMutexLocker lock(&task.mutex);
    if (m_body) // a QPromise function watches its own promise
        m_body->setSuspended(suspended);
}

void ThreadRun::reportedEnd(TaskManagerPrivate &manager, TaskRecord &task)
{
    QMutexLocker lock(&task.mutex);
    Outcome outcome = m_outcome;
    lock.unlock();
    finishTask(&manager, task, std::move(outcome));
}

} // namespace qtm::detail
