// A function on the manager's thread pool: queued, run, cancelled cooperatively, and ended through the
// inbox, or on its own once the manager has gone.

#include "taskmanager_p.h"
#include "threadrun_p.h"
#include "tracer_p.h"
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
        ThreadBody *body;
        {
            const auto state = work.m_state.lock();
            state->queuedRunnable = nullptr; // from here on the manager must not try to take it back
            cancelledBeforeStart = task->lifecycle.isCancelRequested();
            body = state->body.get(); // reset only by release(), after the function returned
        }
        if (cancelledBeforeStart) {
            report({TaskState::Cancelled, {}, {}});
            return;
        }
        const bool firstAttempt = task->attempt.load(std::memory_order_acquire) == 1;
        if (firstAttempt) // a retry goes on with the task's start time and its one taskStarted()
            task->shared.lock()->startedAtMs = QDateTime::currentMSecsSinceEpoch();
        const bool cooperative = body->isCooperative();
        if (!cooperative)
            task->cancellable.store(false);
        task->lifecycle.markRunning();
        if (firstAttempt)
            m_inbox->post({Inbox::Kind::Started, m_task, {}});

        Outcome outcome;
        const bool traced = trace::on();
        const std::int64_t began = traced ? TaskManagerPrivate::nowNs() : 0;
        {
            CurrentTaskScope scope(task);
            TaskControl control(task);
            try {
                body->run(control, task->future.made());
                if (task->future.made().isCanceled()) // cancelled the Qt way, seen before the manager's loop did
                    task->lifecycle.requestCancel(CancelReason::Requested);
                if (cooperative && task->lifecycle.isCancelRequested())
                    outcome.state = TaskState::Cancelled;
            } catch (...) {
                outcome = outcomeOf(std::current_exception());
            }
        }
        if (traced)
            trace::slice(*task, began, TaskManagerPrivate::nowNs(), {});
        report(std::move(outcome));
    }

private:
    void report(Outcome outcome)
    {
        ThreadRun::of(*m_task).m_state.lock()->outcome = outcome;
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
    if (std::optional<QFuture<void>> source = m_state.lock()->body->progressSource()) {
        // A QPromise function reports progress on its own promise: passed on to the task.
        auto *watcher = new QFutureWatcher<void>(manager.q_ptr);
        task.watcher = watcher;
        manager.forwardProgress(&task, watcher);
        watcher->setFuture(*source);
    }
    auto *runnable = new TaskRunnable(task.shared_from_this(), manager.inbox);
    QThreadPool *pool = manager.pool.load();
    {
        const auto state = m_state.lock();
        state->queuedRunnable = runnable;
        state->pool = pool;
    }
    tsanRelease(runnable); // the pool's queue is synchronised inside Qt, out of ThreadSanitizer's sight
    pool->start(runnable, task.priority); // the pool's queue is ordered by it too
}

void ThreadRun::requestCancel(TaskManagerPrivate &manager, TaskRecord &task)
{
    if (m_betweenAttempts) { // nothing runs: the task ends now, its next attempt never starts
        if (m_backoff)
            manager.timers.remove(std::exchange(m_backoff, {}));
        m_betweenAttempts = false;
        finishTask(&manager, task, {TaskState::Cancelled, {}, {}});
        return;
    }
    bool taken = false;
    {
        const auto state = m_state.lock();
        if (state->queuedRunnable && state->pool->tryTake(state->queuedRunnable)) {
            delete std::exchange(state->queuedRunnable, nullptr);
            taken = true;
        }
    }
    if (taken) { // still in the pool's queue: it never runs
        finishTask(&manager, task, {TaskState::Cancelled, {}, {}});
        return;
    }
    {
        const auto state = m_state.lock(); // the body may be held suspended: see setSuspended()
        state->body->cancel();
        state->body->setSuspended(false);
    }
    if (QFutureInterfaceBase &future = task.future.made(); future.isSuspending() || future.isSuspended())
        future.setSuspended(false); // a held task must wake up to see its cancellation
}

void ThreadRun::deliverResults(QFutureInterfaceBase &future)
{
    m_state.lock()->body->deliverResults(future);
}

void ThreadRun::release(TaskRecord &)
{
    // Destroyed outside the lock: the function's captures may be anything.
    [[maybe_unused]] const std::unique_ptr<ThreadBody> body = std::move(m_state.lock()->body);
}

void ThreadRun::setSuspended(TaskRecord &, bool suspended)
{
    const auto state = m_state.lock();
    if (state->body) // a QPromise function watches its own promise
        state->body->setSuspended(suspended);
}

void ThreadRun::reportedEnd(TaskManagerPrivate &manager, TaskRecord &task)
{
    Outcome outcome = m_state.lock()->outcome;
    if (m_retry && outcome.state == TaskState::Failed) {
        // Between attempts from here: a slot on taskRetrying() that cancels the task (or deletes the
        // manager) ends it through requestCancel(), and no attempt follows.
        m_betweenAttempts = true;
        task.cancellable.store(true); // a plain function too can be cancelled while nothing runs
        const auto delay = manager.retryAfter(task, *m_retry, task.attempt.load(), outcome.exception);
        if (task.isFinished())
            return;
        if (delay && m_betweenAttempts) {
            m_backoff = manager.timers.add(saturatingNanoseconds(*delay), &ThreadRun::backoffEnded, &task);
            manager.armTimer();
            return;
        }
        m_betweenAttempts = false;
    }
    finishTask(&manager, task, std::move(outcome));
}

void ThreadRun::backoffEnded(void *argument)
{
    // The timer is removed when a cancel ends the task between attempts: the record is live here.
    auto &task = *static_cast<TaskRecord *>(argument);
    ThreadRun &run = of(task);
    run.m_backoff = {};
    run.m_betweenAttempts = false;
    if (TaskManagerPrivate *manager = task.manager; manager && !task.isFinished()) {
        const std::shared_ptr<TaskRecord> keep = task.shared_from_this();
        run.start(*manager, task);
    }
}

} // namespace qtm::detail
