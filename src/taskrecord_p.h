#pragma once

#include <qtm/detail/hooks.h>
#include <qtm/detail/launch.h>
#include <qtm/task.h>

#include <QtCore/QFutureInterface>
#include <QtCore/QMutex>
#include <QtCore/QPromise>

#include <atomic>
#include <coroutine>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

QT_BEGIN_NAMESPACE
class QFutureWatcherBase;
class QRunnable;
QT_END_NAMESPACE

QT_BEGIN_NAMESPACE
class QThreadPool;
QT_END_NAMESPACE

namespace qtm {
class Inbox;
class TaskManagerPrivate;
} // namespace qtm

namespace qtm::detail {

//! One cancelTask() call waiting for its outcome.
struct CancelWaiter
{
    QPromise<CancelOutcome> promise;
    TimerId timer;
    std::chrono::milliseconds timeout{0};
    TaskRecord *task = nullptr;
};

/*!
 * A cancelTask() call still waiting when its task was abandoned at shutdown: resolved once, by whichever
 * comes first, the task's end (in the thread that ends it) or the bound's timer (in the application's
 * thread).
 */
struct AbandonedCancelWaiter
{
    std::mutex mutex;
    std::optional<QPromise<CancelOutcome>> promise;
    std::chrono::milliseconds timeout{0};
    QString taskName;
    //! The object in the application's thread whose timer holds the bound; deleted (later, in its own
    //! thread) once resolved, whichever way.
    QObject *timerContext = nullptr;

    void resolve(CancelOutcome outcome, bool timedOut);
};

/*!
 * The manager's record of one task. Handles share it (std::shared_ptr), so it outlives the manager when a
 * handle does.
 *
 * Who touches what: the identity fields are set once before the record is published. `state`,
 * `cancelRequested` and `progressDirty` are atomics read from any thread. The fields under `mutex` are
 * written by the task's own thread (progress) or the manager's thread (times, error) and read anywhere.
 * Everything marked "manager thread" is touched only there, so it needs no lock.
 */
struct TaskRecord : std::enable_shared_from_this<TaskRecord>
{
    explicit TaskRecord(QFutureInterfaceBase future) : future(std::move(future)) { }

    // Identity, immutable once published.
    quint64 id = 0;
    quint64 managerId = 0;
    QString name; // empty when the creator gave none: see displayName()
    TaskKind kind = TaskKind::Coroutine;
    TaskContext context;
    qint64 createdAtMs = 0;
    QFutureInterfaceBase future;

    std::atomic<TaskState> state{TaskState::Pending};
    std::atomic<bool> cancelRequested{false};
    std::atomic<bool> cancellable{true};
    std::atomic<bool> progressDirty{false};

    mutable QMutex mutex;
    int progressValue = 0;
    int progressMinimum = 0;
    int progressMaximum = 0;
    QString progressText;
    QString errorText;
    std::exception_ptr exception;
    qint64 startedAtMs = 0;
    qint64 finishedAtMs = 0;
    // Thread-pool task: the runnable while it waits in the pool's queue (null once it runs), and the
    // outcome its thread reports.
    QRunnable *queuedRunnable = nullptr;
    QThreadPool *pool = nullptr;
    TaskState threadOutcome = TaskState::Pending;
    // Where the task's own thread reports progress, and any thread asks for the task's future to be
    // watched; refusing messages once the manager has shut down, and gone with the manager.
    std::weak_ptr<Inbox> inbox;
    // Set once the task's future was handed out (Task::future(), TypedTask::future()): from then on a
    // QFuture::cancel() on it is a cancel request of the task, seen through `futureWatcher`.
    std::atomic<bool> futureWatchRequested{false};

    // Manager thread.
    TaskManagerPrivate *manager = nullptr;
    bool createdEmitted = false;
    bool started = false;
    // Coroutine task.
    std::coroutine_handle<> coroutine; // the root frame, owned by the record
    std::coroutine_handle<> resumePoint; // where it is suspended: the root or an awaited child
    PromiseBase *promise = nullptr;
    Callback cancelHook = nullptr;
    void *cancelHookOperation = nullptr;
    int shieldDepth = 0;
    bool cancelPending = false;
    bool resumeScheduled = false;
    bool running = false; // the coroutine is executing now (it must not be resumed or destroyed)
    // Thread-pool task.
    std::unique_ptr<ThreadBody> body;
    // Adopted future: the producer's future, and the watcher that reports its end.
    std::unique_ptr<AdoptedSource> adopted;
    QFutureWatcherBase *watcher = nullptr; // an adopted future's producer, or a QPromise function's promise
    QFutureWatcherBase *futureWatcher = nullptr; // the task's own future: see futureWatchRequested
    // Guard object the task is bound to, if any.
    QObject *guard = nullptr;
    std::vector<std::unique_ptr<CancelWaiter>> cancelWaiters;
    // Under `mutex`: the cancelTask() calls still waiting when the task was abandoned at shutdown.
    std::vector<std::shared_ptr<AbandonedCancelWaiter>> abandonedWaiters;

    // The registry: an intrusive list, so registering costs no allocation; `self` keeps a registered
    // record alive. Code that needs a reference to a record it is running uses shared_from_this(): a
    // thread-pool function may report progress while the manager's thread drops `self` (shutdown).
    TaskRecord *previous = nullptr;
    TaskRecord *next = nullptr;
    std::shared_ptr<TaskRecord> self;

    ~TaskRecord()
    {
        if (coroutine) // only when a manager vanished without finalizing it
            coroutine.destroy();
    }

    //! The name, or the generated one ("coroutine-12"), built only when someone asks.
    QString displayName() const;

    TaskState loadState() const { return state.load(std::memory_order_acquire); }
    bool isFinished() const { return isTerminal(loadState()); }
};

//! Builds handles from records; the friend of Task.
struct TaskAccess
{
    static Task handle(std::shared_ptr<TaskRecord> record)
    {
        Task task;
        task.d = std::move(record);
        return task;
    }
    static TaskRecord *record(const Task &task) { return task.d.get(); }
    static const std::shared_ptr<TaskRecord> &shared(const Task &task) { return task.d; }
};

//! The task whose code runs on this thread now (a coroutine segment or a thread-pool function).
extern thread_local TaskRecord *t_currentTask;

//! Sets the current task for a scope and restores the previous one: resumptions can nest.
class CurrentTaskScope
{
public:
    explicit CurrentTaskScope(TaskRecord *task) : m_previous(std::exchange(t_currentTask, task)) { }
    ~CurrentTaskScope() { t_currentTask = m_previous; }
    CurrentTaskScope(const CurrentTaskScope &) = delete;
    CurrentTaskScope &operator=(const CurrentTaskScope &) = delete;

private:
    TaskRecord *m_previous;
};

QString describe(const TaskRecord &task);

} // namespace qtm::detail
