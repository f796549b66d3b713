#pragma once

#include <qtm/taskmanager.h>

#include "stallwatchdog_p.h"
#include "taskrecord_p.h"
#include "taskregistry_p.h"
#include "taskstatistics_p.h"

#include <QtCore/QBasicTimer>
#include <QtCore/QEvent>
#include <QtCore/QHash>
#include <QtCore/QMutex>
#include <QtCore/QSet>

#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

QT_BEGIN_NAMESPACE
class QThreadPool;
QT_END_NAMESPACE

namespace qtm {

namespace detail {
//! The wait before retry number \a retry (1 for the first) under \a policy, \a random in [0, 1) choosing
//! where in the jitter's spread it falls (retry.cpp).
std::chrono::milliseconds retryDelay(const RetryPolicy &policy, int retry, double random);
} // namespace detail

/*!
 * \internal
 * The one way into the manager's thread from anywhere: a locked queue of messages and a single posted
 * event per batch, however many messages arrive before the loop gets to them. Shared with the runnables of
 * thread-pool tasks, which may outlive the manager: once closed, post() refuses and they finish their
 * task on their own.
 */
class Inbox
{
public:
    enum class Kind : quint8
    {
        Schedule, //!< a new task: announce it and start it
        Started, //!< a thread-pool task's function began
        Progress, //!< a task's progress changed
        Completed, //!< a thread-pool task's function returned or threw
        Cancel, //!< cancelTask() from another thread
        WatchFuture, //!< the task's future was handed out: a QFuture::cancel() on it must cancel the task
        LimitChanged, //!< setMaxConcurrentTasks() from another thread: waiting tasks may start (no task)
        GroupCheck, //!< a group was closed: it ends if its children have (GroupRun::close())
    };
    struct CancelRequest
    {
        QPromise<CancelOutcome> promise;
        BaseTaskManager::Timeout timeout;
    };
    struct Message
    {
        Kind kind;
        std::shared_ptr<detail::TaskRecord> task;
        std::unique_ptr<CancelRequest> cancel;
    };

    explicit Inbox(QObject *target) : m_target(target) { }

    //! Any thread. False once the manager has shut down.
    bool post(Message &&message);
    //! Makes sure a drain event is on its way.
    void wake();
    //! Manager thread: everything posted so far.
    void takeAll(std::vector<Message> &into);
    //! Manager thread, during shutdown: waits up to \a ms for a message.
    void waitForMessage(qint64 ms);
    //! Refuses further messages; returns the ones not taken yet.
    std::vector<Message> close();

    static QEvent::Type drainEventType();

private:
    void postDrainEvent(); // with the inbox locked
    // Standard primitives, not Qt's: ThreadSanitizer sees their happens-before edges (Qt is not
    // instrumented, and QWaitCondition::wait() relocks a QMutex out of its sight).
    std::mutex m_mutex;
    std::condition_variable m_arrived;
    std::vector<Message> m_messages;
    QObject *m_target;
    bool m_drainPosted = false;
    bool m_closed = false;
    bool m_waiting = false; // waitForMessage() is waiting: only then does post() notify
};

/*!
 * \internal
 * Deadlines of sleeps, signal time-outs, cancellation time-outs and progress flushes, ordered, behind a
 * single Qt timer.
 */
class TimerQueue
{
public:
    //! Adds a deadline; \a earliest tells whether it is now the first one (the Qt timer must be re-armed).
    detail::TimerId add(std::chrono::nanoseconds after, detail::Callback fire, void *argument,
                        bool *earliest = nullptr);
    void remove(detail::TimerId timer);
    //! Calls every callback that is due; returns how long until the next one (or -1 if none).
    qint64 fireDue();
    //! Milliseconds until the earliest deadline (rounded up), or -1.
    qint64 msUntilNext() const;
    bool isEmpty() const { return m_entries.empty(); }

private:
    struct Entry
    {
        detail::Callback fire;
        void *argument;
    };
    std::map<std::pair<std::int64_t, std::uint64_t>, Entry> m_entries;
    std::uint64_t m_sequence = 0;
};

class TaskManagerPrivate
{
    Q_DECLARE_PUBLIC(TaskManager)

public:
    TaskManagerPrivate(TaskManager *q, TaskContext context);
    ~TaskManagerPrivate();

    //! Emits \a Signal of the manager with \a args, unless the manager is already gone (see ~TaskManager()).
    //! An exception thrown by a slot is reported on qtm.tasks and goes no further: it must not unwind
    //! through the drain (the rest of the batch would be lost) nor into the event loop. Not checked for a
    //! connection first: QObject::isSignalConnected() costs more (about 800 instructions per task for the
    //! signals of one lifecycle, callgrind) than emitting into no connection does.
    template<auto Signal, typename... Args>
    void notify(const Args &...args)
    {
        if (!q_ptr || destroying)
            return;
        try {
            q_ptr->emitTaskSignal(Signal, args...);
        } catch (...) {
            reportSlotException(std::current_exception());
        }
    }
    //! notify() with a handle of \a task first.
    template<auto Signal, typename... Args>
    void notifyAbout(detail::TaskRecord &task, const Args &...args)
    {
        if (q_ptr && !destroying)
            notify<Signal>(detail::TaskAccess::handle(task.shared_from_this()), args...);
    }
    static void reportSlotException(const std::exception_ptr &exception);

    // Any thread.
    Task launch(detail::TaskLaunch &&launch);
    QFuture<CancelOutcome> cancel(const Task &task, BaseTaskManager::Timeout timeout);
    detail::TaskRecord *checkedRecord(const char *where, const Task &task) const;
    bool isManagerThread() const;
    //! The task's progress in its record has changed (TaskControl in the task's thread, a producer's progress
    //! in the manager's): passed on to the task's future at once, and marked for the next flush.
    static void progressChanged(detail::TaskRecord *task);

    // Manager thread.
    void drain();
    //! Handles the messages of the current batch, including those an outer drain() left when a slot
    //! re-entered (shutdown() from a slot on a task's signal).
    void handleBatch();
    void handle(Inbox::Message &message);
    //! Work that runs in this thread has begun: the start time, Running, taskStarted.
    void markStarted(detail::TaskRecord &task);
    //! Starts a task that is due to start: its run object does the kind's part. Beyond the concurrency
    //! limit (setMaxConcurrentTasks()) it waits for a slot instead.
    void start(const std::shared_ptr<detail::TaskRecord> &task);
    //! Starts waiting tasks, highest priority first and first come first served among equals, while
    //! there are free slots.
    void startWaiting();
    //! Arms the task's deadline (TaskOptions::deadline), or cancels it at once if it has passed already.
    //! False if the task ended so.
    bool armDeadline(detail::TaskRecord *task);
    //! The task's deadline came while it was live: cancelled, with CancelReason::DeadlineExceeded.
    static void deadlineExpired(void *task);
    //! Whether one more task may run under the concurrency limit.
    bool hasFreeSlot() const;
    void handleCancel(detail::TaskRecord *task, std::unique_ptr<Inbox::CancelRequest> request);
    //! Asks a live task to stop: one not started yet ends cancelled at once, unrun; a started one is asked
    //! through its run object, and ends when its work does.
    void requestCancel(detail::TaskRecord *task, CancelReason reason);
    //! requestCancel(), and a coroutine whose cancellation is due unwinds right here.
    void cancelNow(detail::TaskRecord *task, CancelReason reason);
    //! finishTask()'s manager part before the end: what must have been announced (created, last progress),
    //! and the watchers, which a continuation of the task's future could otherwise outlive.
    void beforeTaskEnds(detail::TaskRecord &task);
    //! finishTask()'s manager part after the end: the registry, the guard, cancelTask() waiters, signals.
    void afterTaskEnded(detail::TaskRecord &task, const detail::Outcome &outcome);
    void ensureCreated(detail::TaskRecord *task);
    //! Watches the task's own future: QFuture::cancel() on it (a QFutureWatcher's cancel(), a progress
    //! dialog's button) is a cancel request of the task, as cancelTask() without a bound.
    void watchFuture(detail::TaskRecord *task);
    //! Passes the progress of \a watcher's future (an adopted producer's, a QPromise function's own) on to
    //! the task: its record, its own future and taskProgressChanged().
    void forwardProgress(detail::TaskRecord *task, QFutureWatcherBase *watcher);
    //! Deletes the watchers of a task that has ended (or is abandoned).
    void dropWatchers(detail::TaskRecord *task);
    void flushProgress();
    void announceCount();
    void bindGuard(detail::TaskRecord *task);
    void unbindGuard(detail::TaskRecord *task);
    void armTimer();
    void fireTimers();
    QList<Task> shutdown();
    //! Shutdown: hands the cancelTask() calls waiting on a task it abandons to timers that outlive it.
    void abandonCancelWaiters(detail::TaskRecord *task);

    static std::int64_t nowNs();

    //! Registers and schedules \a task; false, touching nothing, once shutdown has begun.
    detail::TaskRegistry::Added registerTask(const std::shared_ptr<detail::TaskRecord> &task);
    [[noreturn]] static void throwShuttingDown(const QString &name);
    //! Throws std::invalid_argument naming what is wrong with the launch's retry policy (retry.cpp).
    static void checkRetryPolicy(const detail::TaskLaunch &launch);
    //! The attempt \a failedAttempt of \a task ended with \a error: the wait before the next attempt,
    //! announced (taskRetrying(), Task::attempt()); nothing when the error is final (retry.cpp).
    std::optional<std::chrono::milliseconds> retryAfter(detail::TaskRecord &task, const RetryPolicy &policy,
                                                        int failedAttempt, const std::exception_ptr &error);

    TaskManager *q_ptr;
    //! Held for the duration of every entry from Qt into the private (events, slots), so that a task
    //! deleting the manager does not pull the private from under the code still running.
    std::weak_ptr<TaskManagerPrivate> weakSelf;
    const quint64 id;
    const TaskContext context;
    const std::shared_ptr<Inbox> inbox;

    std::atomic<QThreadPool *> pool;
    std::atomic<qint64> shutdownTimeoutMs{5000};
    std::atomic<qint64> progressIntervalMs{50};
    std::atomic<qint64> slowStepThresholdMs{0};
    std::atomic<int> maxConcurrent{0}; // setMaxConcurrentTasks(); 0: no limit
    //! The live tasks, readable from any thread; closed when shutdown begins.
    detail::TaskRegistry registry;
    //! Per-name counts and durations, any thread (TaskManager::statistics()).
    detail::StatisticsCollector statistics;

    //! Reports a stalled loop while it is stalled (setStallReportThreshold()): made the first time the
    //! reports are turned on (by any thread), deleted by ~TaskManager() only.
    std::atomic<detail::StallWatchdog *> stallWatchdog{nullptr};

    // Manager thread only.
    //! The inbox batch being handled, and the next message of it: a member, not a local, so that a drain
    //! re-entered from a slot goes on with the same batch instead of leaving completions behind.
    std::vector<Inbox::Message> batch;
    std::size_t batchNext = 0;
    std::vector<std::shared_ptr<detail::TaskRecord>> resumeQueue;
    std::vector<std::shared_ptr<detail::TaskRecord>> progressQueue;
    //! The tasks started and not ended yet, which hold a slot of the concurrency limit; and the tasks due
    //! to start that wait for one, in the order they start: highest priority first, then first come
    //! first served (the key is the negated priority and the task's turn, TaskRecord::waitingTurn). A task
    //! that ends while it waits (cancelled, its deadline) leaves at once: O(log n) either way.
    int runningCount = 0;
    //! startWaiting() is running further up the stack: a task that ends in its first step, inside it, does
    //! not start the next one from inside its own start (a queue of 100 000 such tasks would nest 100 000
    //! starts); the loop up there goes on instead.
    bool startingWaiting = false;
    using WaitingKey = std::pair<qint64, quint64>;
    static WaitingKey waitingKey(const detail::TaskRecord &task) { return {-qint64(task.priority), task.waitingTurn}; }
    std::map<WaitingKey, std::shared_ptr<detail::TaskRecord>> waitingForSlot;
    quint64 nextWaitingTurn = 0;
    detail::TimerId progressTimer;
    TimerQueue timers;
    QBasicTimer timer;
    struct GuardBinding
    {
        QMetaObject::Connection connection;
        QSet<detail::TaskRecord *> tasks;
    };
    QHash<QObject *, GuardBinding> guards;
    int announcedCount = 0;
    quint64 announcedGeneration = 0;
    int drainDepth = 0;
    bool shutDown = false;
    //! ~TaskManager() runs: no signal is emitted any more (see the destructor's documentation).
    bool destroying = false;
    QList<Task> dangling;
};

} // namespace qtm
