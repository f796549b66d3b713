#pragma once

#include <qtm/awaitables.h>
#include <qtm/coro.h>
#include <qtm/detail/launch.h>
#include <qtm/task.h>
#include <qtm/taskcontrol.h>
#include <qtm/taskoptions.h>

#include <QtCore/QFuture>
#include <QtCore/QObject>
#include <QtCore/QPromise>

#include <chrono>
#include <concepts>
#include <optional>
#include <type_traits>

QT_BEGIN_NAMESPACE
class QThread;
QT_END_NAMESPACE

namespace qtm {

template<typename T>
class TaskGroup;

namespace detail {
template<typename T>
struct IsCoro : std::false_type
{ };
template<typename T>
struct IsCoro<Coro<T>> : std::true_type
{ };
template<typename T>
struct IsQFuture : std::false_type
{ };
template<typename T>
struct IsQFuture<QFuture<T>> : std::true_type
{ };
template<typename F>
concept TaskFunction = !IsCoro<std::remove_cvref_t<F>>::value && !IsQFuture<std::remove_cvref_t<F>>::value;
template<typename F>
concept NullComparable = requires(const F &f)
{
    f == nullptr;
};
} // namespace detail

/*!
 * The interface of a task manager: create named tasks on an event loop, keep the registry of live tasks,
 * cancel them with a hard time bound, and report every step of their lives as signals.
 *
 * \b Threads. Every public method may be called from any thread. Tasks start on the manager's event loop
 * (eventLoop()), never inline in the caller; coroutine tasks are resumed there, and every signal is
 * emitted there.
 *
 * \b Signals, exactly once each and in this order for every task: taskCreated(), taskStarted() (not for
 * a task cancelled before it started), any number of taskProgressChanged() (coalesced), exactly one of
 * taskSucceeded() / taskFailed() / taskCancelled(), then taskFinished(). By the time the outcome's signal is
 * emitted the task's state is terminal, its future has finished, its cancelTask() futures are resolved and
 * currentTasks() no longer lists it.
 *
 * The createTask() templates accept three kinds of work:
 * - a qtm::Coro<T> (or a callable returning one: the callable is kept alive as long as the coroutine);
 * - a function for the thread pool, taking `qtm::TaskControl &` (cooperative: sees cancellation, reports
 *   progress), `QPromise<T> &` (the Qt way), or nothing (reported as not cancellable once running);
 * - a QFuture<T> produced elsewhere, adopted: cancelling the task cancels the future.
 *
 * An empty name is replaced by a generated one ("coroutine-12", "thread-13", "future-14").
 */
class QTM_EXPORT BaseTaskManager : public QObject
{
    Q_OBJECT
    //! The number of live tasks (taskCount()); its change is announced by taskCountChanged().
    Q_PROPERTY(int taskCount READ taskCount NOTIFY taskCountChanged)

public:
    //! A time bound for cancelTask(); std::nullopt waits for as long as the task takes.
    using Timeout = std::optional<std::chrono::milliseconds>;

    //! Registers qtm::Task and the enums of <qtm/taskenums.h> with Qt's meta-type system, so that the
    //! signals' arguments travel through queued connections.
    explicit BaseTaskManager(QObject *parent = nullptr);
    //! Virtual, so that a manager may be destroyed through this interface. Ending the tasks is the
    //! implementation's part (TaskManager's destructor ends them all).
    ~BaseTaskManager() override;

    //! The thread whose event loop drives this manager's tasks (the original's get_event_loop()).
    virtual QThread *eventLoop() const = 0;

    //! Schedules \a coroutine as a task on the manager's loop.
    //! \throws std::invalid_argument if the Coro is empty; std::logic_error if the manager is shutting down.
    template<typename T>
    TypedTask<T> createTask(Coro<T> coroutine, const QString &name = {}, std::optional<TaskContext> context = {});

    //! Adopts a future produced elsewhere; the task ends when the future does.
    template<typename T>
    TypedTask<T> createTask(QFuture<T> future, const QString &name = {}, std::optional<TaskContext> context = {});

    //! Runs \a function on the thread pool, or, if it returns a qtm::Coro, as a coroutine task.
    template<detail::TaskFunction F>
    auto createTask(F &&function, const QString &name = {}, std::optional<TaskContext> context = {});

    /*!
     * Schedules \a coroutine as a task, created as \a options say (name, context, priority, deadline):
     * `createTask(fetch(), {.name = "fetch", .deadline = 30s})`.
     * \throws std::invalid_argument if the Coro is empty or the deadline negative; std::logic_error if the
     * manager is shutting down.
     */
    template<typename T>
    TypedTask<T> createTask(Coro<T> coroutine, TaskOptions options);

    //! Adopts a future produced elsewhere, as \a options say; the task ends when the future does.
    template<typename T>
    TypedTask<T> createTask(QFuture<T> future, TaskOptions options);

    //! Runs \a function on the thread pool, or, if it returns a qtm::Coro, as a coroutine task, as
    //! \a options say.
    template<detail::TaskFunction F>
    auto createTask(F &&function, TaskOptions options);

    /*!
     * Creates a group of tasks (see TaskGroup), as \a options say; children whose results are T. Any thread,
     * or inside a coroutine (then its context is the creating task's, as for a task). Add children with
     * TaskGroup::createTask() and close it (TaskGroup::close(), or `co_await` on it). A negative
     * GroupOptions::maxConcurrent or deadline is rejected with std::invalid_argument.
     */
    template<typename T = void>
    TaskGroup<T> createGroup(GroupOptions options = {});

    /*!
     * Asks \a task to stop and resolves when it has ended, or when \a timeout expires, whichever comes
     * first: the time-out is a hard bound. Never blocks the calling thread; co_await the future in a
     * coroutine or continue it with `.then()`.
     *
     * At the time-out the future resolves CancelOutcome::TimedOut, a warning on qtm.tasks names the task,
     * and the task stays registered as running (a thread function that never checks its flag cannot be
     * killed). Cancelling twice, or a finished task, is well defined: see CancelOutcome.
     *
     * An invalid handle, a handle of another manager or a negative timeout cancels nothing: a warning on
     * qtm.tasks names the problem and the future is already resolved, CancelOutcome::Rejected (as Qt's own
     * asynchronous types answer misuse on a path a user drives, such as a cancel button holding a stale
     * handle). Misuse when creating a task still throws std::invalid_argument.
     */
    [[nodiscard("the future tells how the cancellation ended")]] virtual QFuture<CancelOutcome>
    cancelTask(const Task &task, Timeout timeout = std::nullopt) = 0;

    //! A snapshot of the live (pending and running) tasks, in creation order.
    virtual QList<Task> currentTasks() const = 0;

    //! The number of live tasks.
    virtual int taskCount() const = 0;

    //! Requests cancellation of every live task, without waiting; returns how many were asked.
    virtual int cancelAllTasks();

Q_SIGNALS:
    // Every signal takes QPrivateSignal: only a manager reports about its own tasks (through
    // emitTaskSignal()); connecting to them is as usual, the tag is never seen by a slot.
    //! A task was registered. Emitted once per task, before any other signal about it.
    void taskCreated(const qtm::Task &task, QPrivateSignal);
    //! The task began to run: at most once per task, after taskCreated(). Not emitted for a task cancelled
    //! before it started.
    void taskStarted(const qtm::Task &task, QPrivateSignal);
    //! The task's progress changed; coalesced to at most one per progress interval per task, and only
    //! while the task is live (a change still pending when it ends is emitted before its outcome's signal).
    void taskProgressChanged(const qtm::Task &task, QPrivateSignal);
    //! The task returned a result. Exactly one of taskSucceeded(), taskFailed() and taskCancelled() is
    //! emitted per task, followed by taskFinished().
    void taskSucceeded(const qtm::Task &task, QPrivateSignal);
    //! The task ended with an exception (other than qtm::CancelledError); \a errorText is its message, as
    //! Task::errorText(), and Task::exception() holds the exception. Also logged as a warning on qtm.tasks.
    void taskFailed(const qtm::Task &task, const QString &errorText, QPrivateSignal);
    //! The task ended by cancellation, or was cancelled before it started (then without taskStarted()).
    void taskCancelled(const qtm::Task &task, QPrivateSignal);
    //! The task ended, whatever the outcome: emitted exactly once, after the outcome's signal.
    void taskFinished(const qtm::Task &task, QPrivateSignal);
    //! The number of live tasks changed; \a count is the new taskCount(). Emitted after the signals of the
    //! tasks it counts; the changes of one pass of the manager over its queue are announced once, and a task
    //! created and ended in between is announced even if the count came back to the same value.
    void taskCountChanged(int count, QPrivateSignal);
    /*!
     * The task failed with \a errorText and its retry policy (TaskOptions::retry) starts it again: attempt
     * number \a attempt (2 for the first retry, as Task::attempt() now reads) begins in \a delayMs ms.
     * Emitted once per retry, between taskStarted() and the outcome's signal.
     */
    void taskRetrying(const qtm::Task &task, int attempt, qint64 delayMs, const QString &errorText, QPrivateSignal);
    //! One step of a coroutine task (from one co_await to the next) kept the event loop busy for
    //! \a milliseconds, more than the manager's slow-step threshold: the place to look when the UI stalls.
    void taskBlockedLoop(const qtm::Task &task, qint64 milliseconds, QPrivateSignal);

protected:
    //! For implementations: emits \a signal of this manager with \a args, adding the private tag.
    template<typename... Signal, typename... Args>
    void emitTaskSignal(void (BaseTaskManager::*signal)(Signal...), const Args &...args)
    {
        Q_EMIT(this->*signal)(args..., QPrivateSignal());
    }

    //! The type-erased primitive behind the createTask() templates: registers and schedules the task.
    virtual Task launchTask(detail::TaskLaunch &&launch) = 0;

private:
    //! createTask() of a coroutine; \a restartable when it was made by a callable (see retrying()).
    template<typename T>
    TypedTask<T> launchCoroutine(Coro<T> coroutine, TaskOptions options, bool restartable);
};

} // namespace qtm

#include <qtm/detail/basetaskmanager_impl.h>
#include <qtm/taskgroup.h>
