#pragma once

#include <qtm/taskdata.h>

#include <QtCore/QFuture>
#include <QtCore/QFutureInterface>
#include <QtCore/QMetaType>

#include <exception>
#include <memory>

namespace qtm {

class Task;

namespace detail {
struct TaskRecord;
struct TaskAccess;
//! The task's own future, made on the first call (any thread); from then on a QFuture::cancel() on it
//! cancels the task. \a task must be valid.
QTM_EXPORT QFutureInterfaceBase taskFuture(const Task &task);
} // namespace detail

/*!
 * A handle to one managed task: a cheap copyable value that shares the manager's record of the task.
 *
 * Every getter is safe to call from any thread and reads the record as it is now. Dropping a handle does
 * \e not cancel the task: the manager owns it until it finishes. A default-constructed handle is invalid
 * (isValid() is false, its getters return empty values) and every manager rejects it with an error.
 *
 * Two tasks with the same name are two tasks: id() is what tells them apart.
 */
class QTM_EXPORT Task
{
    Q_GADGET
    //! isValid(), for QML.
    Q_PROPERTY(bool valid READ isValid CONSTANT)
    //! id(), for QML.
    Q_PROPERTY(quint64 id READ id CONSTANT)
    //! name(), for QML.
    Q_PROPERTY(QString name READ name CONSTANT)
    //! kind(), for QML.
    Q_PROPERTY(qtm::TaskKind kind READ kind CONSTANT)
    //! state() as it is when read; there is no change signal (bind to the manager's signals or use
    //! TaskListModel).
    Q_PROPERTY(qtm::TaskState state READ state)
    //! progress() as it is when read.
    Q_PROPERTY(double progress READ progress)
    //! progressText() as it is when read.
    Q_PROPERTY(QString progressText READ progressText)
    //! errorText() as it is when read.
    Q_PROPERTY(QString errorText READ errorText)
    //! pendingReason() as it is when read.
    Q_PROPERTY(QString pendingReason READ pendingReason)
    //! cancelReason() as it is when read.
    Q_PROPERTY(qtm::CancelReason cancelReason READ cancelReason)
    //! priority(), for QML.
    Q_PROPERTY(int priority READ priority CONSTANT)
    //! deadline(), for QML.
    Q_PROPERTY(QDateTime deadline READ deadline CONSTANT)
    //! attempt() as it is when read.
    Q_PROPERTY(int attempt READ attempt)
    //! maxAttempts(), for QML.
    Q_PROPERTY(int maxAttempts READ maxAttempts CONSTANT)
    //! groupId(), for QML.
    Q_PROPERTY(quint64 groupId READ groupId CONSTANT)
    //! groupDepth(), for QML.
    Q_PROPERTY(int groupDepth READ groupDepth CONSTANT)

public:
    //! An invalid handle.
    Task() = default;

    //! True for a handle a manager returned; false for a default-constructed one.
    bool isValid() const { return d != nullptr; }
    //! The task's id, unique among the tasks of the process and never 0 (0 for an invalid handle).
    quint64 id() const;
    //! The task's name: the one given to createTask(), or the generated one ("coroutine-12").
    QString name() const;
    //! How the task runs.
    TaskKind kind() const;
    //! Where the task is in its life, now (TaskState::Pending for an invalid handle).
    TaskState state() const;
    //! True once the task is Succeeded, Failed or Cancelled.
    bool isFinished() const;
    //! False for a plain function already running on the pool (it cannot see a cancellation) and for
    //! finished tasks.
    bool isCancellable() const;
    //! True once cancellation was asked for, whatever came of it.
    bool isCancelRequested() const;
    /*!
     * Why cancellation was asked for: the first request's reason, kept whatever came later (a caller's
     * cancelTask() after the deadline expired leaves DeadlineExceeded). CancelReason::None while none was,
     * and for a task that ended Cancelled by its own code (it threw qtm::CancelledError itself).
     */
    CancelReason cancelReason() const;
    //! The priority it was created with (TaskOptions::priority).
    int priority() const;
    //! The attempt running, or next to run, of a task with a retry policy (TaskOptions::retry): 1, then 2
    //! from its first taskRetrying(), and so on; 1 for every other task (0 for an invalid handle).
    int attempt() const;
    //! How many attempts its retry policy allows (RetryPolicy::maxAttempts); 1 without one.
    int maxAttempts() const;
    //! When its deadline (TaskOptions::deadline) expires; invalid for a task without one, or with one too
    //! far away to ever come.
    QDateTime deadline() const;
    //! The id of the group (TaskGroup) it was created in; 0 for a task in no group.
    quint64 groupId() const;
    //! How many groups it is nested in: 0 outside any, 1 in a group, 2 in a group in a group...
    int groupDepth() const;

    //! The last progress value the task reported (0 until it reports one).
    int progressValue() const;
    //! The lower end of the progress range the task set (0 until it sets one).
    int progressMinimum() const;
    //! The upper end of the progress range the task set (0 until it sets one; never below the minimum).
    int progressMaximum() const;
    //! The last progress text the task reported.
    QString progressText() const;
    //! Progress as a fraction in [0, 1]; 0 while the range is empty (see TaskData::progress()).
    double progress() const;

    //! The message of the exception the task failed with; empty unless Failed.
    QString errorText() const;
    //! Why a Pending task has not started yet, for people ("waiting for a slot: 4 of 4 running", see
    //! TaskManager::setMaxConcurrentTasks()); empty when nothing holds it back, and once it has started or ended.
    QString pendingReason() const;
    //! The exception the task failed with; null unless Failed.
    std::exception_ptr exception() const;

    //! When the task was created.
    QDateTime createdAt() const;
    //! When the task started to run; invalid until then, and for a task cancelled before it started.
    QDateTime startedAt() const;
    //! When the task ended; invalid while it is live.
    QDateTime finishedAt() const;

    //! The context the task runs with (see TaskContext for how it is chosen).
    TaskContext context() const;
    /*!
     * The task's future, untyped: finishes after the task's state became terminal.
     *
     * Cancelling it the Qt way (QFuture::cancel(), QFutureWatcher::cancel(), a progress dialog's cancel
     * button) is a cancel request of the task, with the same signals and outcome as
     * TaskManager::cancelTask() without a bound. A task that runs to its end all the same (a plain
     * function that cannot see cancellation) ends Succeeded, but its future stays cancelled, without a
     * result: Qt cannot un-cancel a future.
     */
    QFuture<void> future() const;
    //! A snapshot of the whole record.
    TaskData data() const;
    /*!
     * What the task waits on now, if it is a coroutine task suspended at a `co_await`: one frame per
     * coroutine, the outermost first, the last one the await that suspended it (see AwaitFrame). Empty while
     * it runs or has not started, once it has ended, and for the other kinds. Any thread.
     */
    QList<AwaitFrame> awaiting() const;

    //! True when \a a and \a b are handles of the same task (or both invalid).
    friend bool operator==(const Task &a, const Task &b) { return a.d == b.d; }
    //! True when \a a and \a b are handles of different tasks.
    friend bool operator!=(const Task &a, const Task &b) { return a.d != b.d; }
    //! A hash of the task (not of its name), so that a Task can key a QHash or QSet.
    friend size_t qHash(const Task &task, size_t seed = 0) noexcept { return qHash(task.d.get(), seed); }

private:
    friend struct detail::TaskAccess;
    std::shared_ptr<detail::TaskRecord> d;
};

/*!
 * A Task that also carries the typed QFuture<T> of its result, for interop with `.then()`,
 * QFutureWatcher and QtFuture::whenAll. `co_await` on it in a coroutine task returns the result, rethrows
 * the task's error, or throws qtm::CancelledError if it was cancelled.
 */
template<typename T>
class TypedTask : public Task
{
public:
    //! An invalid handle.
    TypedTask() = default;

    /*!
     * The typed future of the task's result; cancelling it cancels the task (see Task::future()).
     *
     * Made when first asked for, from any thread: a task whose future nobody asks for never has one.
     * Asked for after the task ended, it comes finished, with the task's result, error or cancellation.
     */
    QFuture<T> future() const
    {
        if (!isValid())
            return QFuture<T>();
        QFutureInterface<T> typed(detail::taskFuture(*this));
        return typed.future();
    }

private:
    friend class BaseTaskManager;
    template<typename>
    friend class TaskGroup;
    //! A typed view of \a task, whose result is a T: only the manager's createTask() makes these.
    explicit TypedTask(Task task) : Task(std::move(task)) { }
};

//! Prints the task's id, name, kind and state: `qtm::Task(#12, "fetch", Coroutine, Running)`.
QTM_EXPORT QDebug operator<<(QDebug debug, const Task &task);

} // namespace qtm

Q_DECLARE_METATYPE(qtm::Task)
