#pragma once

#include <qtm/detail/hooks.h>
#include <qtm/detail/launch.h>
#include <qtm/task.h>

#include "guarded_p.h"
#include "taskfuture_p.h"
#include "tasklifecycle_p.h"
#include "taskrun_p.h"

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
QT_END_NAMESPACE

namespace qtm {
class Inbox;
class TaskManagerPrivate;
} // namespace qtm

namespace qtm::detail {

struct StatisticsSlot;

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
 * handle does. What kind of work it is lives in its run object (TaskRun), made in the same allocation.
 *
 * Who touches what: the identity is set once before the record is published. The lifecycle and the
 * atomics are read from any thread. `shared` is reached only through its lock. The loop-side part is
 * touched only in the manager's thread, so it needs no lock.
 */
struct TaskRecord : std::enable_shared_from_this<TaskRecord>
{
    TaskRecord(TaskLaunch &launch, TaskContext context)
        : context(std::move(context)), future(std::move(launch.future), launch.makeFuture)
    { }
    TaskRecord(const TaskRecord &) = delete;
    TaskRecord &operator=(const TaskRecord &) = delete;
    virtual ~TaskRecord() = default;

    // Identity, immutable once published.
    quint64 id = 0;
    quint64 managerId = 0;
    quint64 parentId = 0; // the task of the same manager whose code created this one, if any
    quint64 groupId = 0; // the group it was created in (TaskGroup), if any
    int groupDepth = 0; // how many groups it is nested in
    QString name; // empty when the creator gave none: see displayName()
    TaskKind kind = TaskKind::Coroutine;
    TaskContext context;
    qint64 createdAtMs = 0;
    int priority = 0; // TaskOptions::priority
    int maxAttempts = 1; // TaskOptions::retry's, or 1
    //! TaskOptions::deadline: when it expires, on the steady clock (TaskManagerPrivate::nowNs()) and as
    //! wall-clock time for people (Task::deadline()); 0 for none, or one too far away to ever come.
    std::int64_t deadlineNs = 0;
    qint64 deadlineAtMs = 0;
    TaskFuture future; // the task's own QFuture, made at launch or when first asked for
    TaskRun *run = nullptr; // the work: in the same allocation (TaskRecordWith), never null once made
    // The manager's statistics slot of the task's name and kind, found once at creation so that counting
    // an event needs no look-up by name; null when statistics were off then. Used only through the manager.
    StatisticsSlot *statistics = nullptr;

    TaskLifecycle lifecycle;
    std::atomic<bool> cancellable{true};
    std::atomic<int> attempt{1}; // the attempt running or next to run (TaskOptions::retry)
    std::atomic<bool> progressDirty{false};
    // Set once the task's future was handed out (Task::future(), TypedTask::future()): from then on a
    // QFuture::cancel() on it is a cancel request of the task, seen through `futureWatcher`.
    std::atomic<bool> futureWatchRequested{false};

    //! What the task's own thread (progress) or whatever ends the task (times, error) writes, and any
    //! thread reads: only with the lock (see Guarded).
    struct Shared
    {
        int progressValue = 0;
        int progressMinimum = 0;
        int progressMaximum = 0;
        QString progressText;
        QString errorText;
        std::exception_ptr exception;
        qint64 startedAtMs = 0;
        qint64 finishedAtMs = 0;
        //! Why a Pending task has not started (waiting for a slot of the concurrency limit); empty otherwise.
        QString pendingReason;
        //! What a suspended coroutine task waits on: the innermost await's site, in its frame, and the
        //! await of the child coroutine it is in, if any, whose `outer` links lead to the root. Null while
        //! running.
        const AwaitSite *awaiting = nullptr;
        const ChildAwaitSite *enclosing = nullptr;
        //! The cancelTask() calls still waiting when the task was abandoned at shutdown.
        std::vector<std::shared_ptr<AbandonedCancelWaiter>> abandonedWaiters;
    };
    Guarded<Shared> shared;
    // Where the task's own thread reports progress, and any thread asks for the task's future to be
    // watched; refusing messages once the manager has shut down, and gone with the manager.
    std::weak_ptr<Inbox> inbox;

    // Loop side: the manager's thread only.
    TaskManagerPrivate *manager = nullptr; // null once abandoned at shutdown
    bool createdEmitted = false;
    bool started = false;
    QFutureWatcherBase *watcher = nullptr; // an adopted future's producer, or a QPromise function's promise
    QFutureWatcherBase *futureWatcher = nullptr; // the task's own future: see futureWatchRequested
    QObject *guard = nullptr; // the guard object the task is bound to, if any
    TimerId deadlineTimer; // the entry of its deadline in the manager's timer queue, if armed
    quint64 waitingTurn = 0; // its place among the tasks waiting for a slot (waitingForSlot), if it waits
    // Its group's (GroupRun): the group, kept until this task has ended; whether it waits for a slot of the
    // group's limit (then waitingTurn is its place there) or holds one.
    std::shared_ptr<TaskRecord> group;
    bool waitsInGroup = false;
    bool holdsGroupSlot = false;
    std::vector<std::unique_ptr<CancelWaiter>> cancelWaiters;

    // The registry's (TaskRegistry, under its lock): an intrusive list, so registering costs no allocation;
    // `self` keeps a registered record alive. Code that needs a reference to a record it is running uses
    // shared_from_this(): a thread-pool function may report progress while the manager's thread drops `self`
    // (shutdown).
    TaskRecord *previous = nullptr;
    TaskRecord *next = nullptr;
    std::shared_ptr<TaskRecord> self;

    //! The name, or the generated one ("coroutine-12"), built only when someone asks.
    QString displayName() const;

    TaskState loadState() const { return lifecycle.state(); }
    bool isFinished() const { return lifecycle.isFinished(); }
};

//! A record with its run object of type \a Run in the same allocation.
template<typename Run>
struct TaskRecordWith final : TaskRecord
{
    template<typename... Args>
    TaskRecordWith(TaskLaunch &launch, TaskContext context, Args &&...args)
        : TaskRecord(launch, std::move(context)), work(std::forward<Args>(args)...)
    {
        run = &work;
    }
    Run work; // destroyed before the record's other fields: a coroutine frame's destructors still see them
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
