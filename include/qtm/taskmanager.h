#pragma once

#include <qtm/basetaskmanager.h>
#include <qtm/taskgraph.h>
#include <qtm/taskmanagerparams.h>
#include <qtm/taskstatistics.h>

#include <limits>
#include <memory>

QT_BEGIN_NAMESPACE
class QThreadPool;
QT_END_NAMESPACE

namespace qtm {

class TaskManagerPrivate;

/*!
 * The task manager: a QObject that lives in the thread whose event loop runs its tasks.
 *
 * \code
 * qtm::TaskManager manager;
 * QObject::connect(&manager, &qtm::TaskManager::taskFailed, [](const qtm::Task &task, const QString &error) {
 *     qWarning() << task.name() << "failed:" << error;
 * });
 * auto download = manager.createTask(fetchPage(url), "fetch page");
 * auto primes = manager.createTask([](qtm::TaskControl &control) { return countPrimes(control); }, "primes");
 * manager.cancelTask(download, std::chrono::seconds(1)).then([](qtm::CancelOutcome outcome) { ... });
 * \endcode
 *
 * \b Ownership. The manager owns every task it creates until the task ends; handles only observe.
 *
 * \b Destruction (or shutdown()). Every live task is cancelled: coroutines unwind at once, thread tasks
 * are waited for up to shutdownTimeout(), adopted futures are cancelled. Tasks still running after that
 * are \e dangling: shutdown() returns them and a warning on qtm.tasks names each. No coroutine frame is
 * leaked: a coroutine still suspended in its cleanup at that point is destroyed. Destroy the manager in its
 * own thread (destroying it from another thread is reported on qtm.tasks as a critical error).
 *
 * \b Signals during destruction. The destructor emits no signal of the manager (as QObject's own
 * destructor emits only destroyed()): the tasks it ends still finish their futures, resolve their
 * cancelTask() futures and end their handles' states, but taskCancelled() and taskFinished() are not
 * emitted for them, so a slot can never see, or delete, a manager that is being destroyed. Call shutdown()
 * before destroying the manager to have those signals emitted.
 */
class QTM_EXPORT TaskManager : public BaseTaskManager
{
    Q_OBJECT
    //! shutdownTimeout() in milliseconds, for QML (shutdownTimeoutMs(), setShutdownTimeoutMs()).
    Q_PROPERTY(int shutdownTimeout READ shutdownTimeoutMs WRITE setShutdownTimeoutMs)
    //! progressInterval() in milliseconds, for QML (progressIntervalMs(), setProgressIntervalMs()).
    Q_PROPERTY(int progressInterval READ progressIntervalMs WRITE setProgressIntervalMs)

public:
    /*!
     * \a context is the default context of the tasks created here. \a loop is the thread whose event loop
     * runs the tasks: the manager moves itself there; none means the creating thread. A manager with a
     * \a parent must live in the parent's thread, so \a loop must then be null or that thread.
     * \throws std::invalid_argument when \a parent and \a loop disagree.
     */
    explicit TaskManager(TaskContext context = {}, QThread *loop = nullptr, QObject *parent = nullptr);
    //! As TaskManager(TaskContext(), nullptr, \a parent): an empty default context, and the tasks run on the
    //! event loop of the thread the manager lives in.
    explicit TaskManager(QObject *parent);
    //! Ends every live task as shutdown() does, but emits no signal (see "Signals during destruction"
    //! above). Call it in the manager's thread.
    ~TaskManager() override;

    QThread *eventLoop() const override;
    [[nodiscard("the future tells how the cancellation ended")]] QFuture<CancelOutcome>
    cancelTask(const Task &task, Timeout timeout = std::nullopt) override;
    QList<Task> currentTasks() const override;
    int taskCount() const override;
    int cancelAllTasks() override;

    //! The context tasks get when neither the call nor a creating task gives one.
    TaskContext context() const;

    //! The pool thread-pool tasks run on; QThreadPool::globalInstance() unless set.
    QThreadPool *threadPool() const;
    //! Thread-pool tasks that start from now on run on \a pool; null restores the global pool. The manager
    //! does not own the pool, which must outlive the tasks started on it.
    void setThreadPool(QThreadPool *pool);

    //! How long destruction and shutdown() wait for thread tasks to stop (default 5 s).
    std::chrono::milliseconds shutdownTimeout() const;
    //! Sets shutdownTimeout(). \throws std::invalid_argument if \a timeout is negative.
    void setShutdownTimeout(std::chrono::milliseconds timeout);
    //! shutdownTimeout() as an int of milliseconds, saturated at INT_MAX.
    int shutdownTimeoutMs() const { return saturatedInt(shutdownTimeout()); }
    //! setShutdownTimeout() in milliseconds. \throws std::invalid_argument if \a ms is negative.
    void setShutdownTimeoutMs(int ms) { setShutdownTimeout(std::chrono::milliseconds(ms)); }

    //! The least time between two taskProgressChanged() of one task (default 50 ms; 0: once per loop turn).
    std::chrono::milliseconds progressInterval() const;
    //! Sets progressInterval(). \throws std::invalid_argument if \a interval is negative.
    void setProgressInterval(std::chrono::milliseconds interval);
    //! progressInterval() as an int of milliseconds, saturated at INT_MAX.
    int progressIntervalMs() const { return saturatedInt(progressInterval()); }
    //! setProgressInterval() in milliseconds. \throws std::invalid_argument if \a ms is negative.
    void setProgressIntervalMs(int ms) { setProgressInterval(std::chrono::milliseconds(ms)); }

    /*!
     * Finds what stalls the loop: when a coroutine step (the code between two co_awaits) runs longer than
     * \a threshold, the manager emits taskBlockedLoop() and logs a warning naming the task. Zero (the
     * default) turns the measurement off.
     * \throws std::invalid_argument if \a threshold is negative.
     */
    void setSlowStepThreshold(std::chrono::milliseconds threshold);
    //! The threshold set by setSlowStepThreshold(); zero when the measurement is off.
    std::chrono::milliseconds slowStepThreshold() const;

    /*!
     * Finds what stalls the loop while it is stalled: when the manager's event loop has not turned for
     * \a threshold, a watchdog thread logs a warning on qtm.tasks, once per stall, saying for how long,
     * which coroutine step holds the loop (the task, and the `co_await` it resumed from) or that no task
     * step does, and the task graph (captureTaskGraph(), its first 200 lines). Unlike
     * setSlowStepThreshold(), which tells after the step, this tells during it, so a step that never
     * returns is named too. The watchdog posts one event to the loop per \a threshold; a stall is reported
     * after between one and two thresholds. Zero (the default) turns it off; a threshold beyond a year is a
     * year. Any thread.
     * \throws std::invalid_argument if \a threshold is negative.
     */
    void setStallReportThreshold(std::chrono::milliseconds threshold);
    //! The threshold set by setStallReportThreshold(); zero when the reports are off.
    std::chrono::milliseconds stallReportThreshold() const;

    /*!
     * Lets at most \a limit tasks of this manager run at once; 0, the default, sets no limit. A task due to
     * start beyond the limit stays Pending, Task::pendingReason() saying why ("waiting for a slot: 4 of 4
     * running"), and the waiting tasks start first come, first served, each as soon as a running task ends.
     * A waiting task costs no thread and no timer. Cancelling it ends it unrun and starts nothing; raising
     * the limit starts waiting tasks at once; lowering it stops none.
     *
     * A coroutine task holds its slot while it awaits: one that awaits a task it created itself, with every
     * slot taken, waits for ever (as with any semaphore). Any thread.
     * \throws std::invalid_argument if \a limit is negative.
     */
    void setMaxConcurrentTasks(int limit);
    //! The limit set by setMaxConcurrentTasks(); 0 when there is none.
    int maxConcurrentTasks() const;

    //! Holds (or releases) a thread-pool task at its next TaskControl::suspendIfRequested() (or, for a
    //! function taking `QPromise<T> &`, at its QPromise::suspendIfRequested()). Does nothing for a finished
    //! task. \throws std::invalid_argument for an invalid handle or a task of another manager.
    void setTaskSuspended(const Task &task, bool suspended);

    /*!
     * A snapshot of the per-name task statistics: counts per outcome, live tasks, duration percentiles
     * (see TaskStatistics). Any thread; it takes the statistics' lock only to copy them.
     */
    TaskStatistics statistics() const;
    //! Clears every count and duration (the live counts stay: those tasks still run). Any thread.
    void resetStatistics();
    /*!
     * Turns the statistics on (the default) or off. Off, tasks created from then on are not counted; a
     * task created while they were on is still followed to its end. Any thread.
     */
    void setStatisticsEnabled(bool enabled);
    //! Whether tasks created now are counted in statistics() (default true).
    bool statisticsEnabled() const;

    /*!
     * The live tasks as a tree, with what each suspended coroutine waits on and where (its `co_await`'s
     * file, line and function), who awaits whom, and any cycle of tasks awaiting each other: see TaskGraph.
     * Print it with TaskGraph::toString(). Any thread; it takes each task's lock only to copy it.
     */
    TaskGraph captureTaskGraph() const;

    /*!
     * Cancels every task and waits for them as destruction does, then refuses new tasks. Returns the
     * dangling tasks: those still running after shutdownTimeout(). Call it in the manager's thread;
     * calling it again returns the same list.
     */
    QList<Task> shutdown();
    //! True once shutdown() has begun: createTask() then throws.
    bool isShuttingDown() const;

    /*!
     * \deprecated Kept for parity with the original API. Pass the loop to the constructor instead.
     * A manager always has its loop, so this changes nothing; a different loop in \a params is reported
     * as a warning.
     */
    QT_WARNING_PUSH
    QT_WARNING_DISABLE_DEPRECATED
    [[deprecated("Use the TaskManager constructor (context, loop) instead")]] void
    setup(const TaskManagerParams &params);
    QT_WARNING_POP

    using BaseTaskManager::createTask;

protected:
    Task launchTask(detail::TaskLaunch &&launch) override;
    //! Handles the manager's own events (its queue of requests from other threads, its timers); passes
    //! every other event to QObject::event().
    bool event(QEvent *event) override;

private:
    //! A duration setting as the int of its QML property, saturated rather than wrapped.
    static int saturatedInt(std::chrono::milliseconds value)
    {
        constexpr int maximum = std::numeric_limits<int>::max();
        return value.count() > maximum ? maximum : int(value.count()); // never negative: rejected when set
    }

    Q_DECLARE_PRIVATE(TaskManager)
    std::shared_ptr<TaskManagerPrivate> const d_ptr; // shared: see ~TaskManager()
};

} // namespace qtm
