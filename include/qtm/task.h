#pragma once

#include <qtm/taskdata.h>

#include <QtCore/QFuture>
#include <QtCore/QMetaType>

#include <exception>
#include <memory>

namespace qtm {

class Task;

namespace detail {
struct TaskRecord;
struct TaskAccess;
//! Once per task, any thread: from now on a QFuture::cancel() on the task's future cancels the task.
QTM_EXPORT void watchTaskFuture(const Task &task);
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
    Q_PROPERTY(bool valid READ isValid CONSTANT)
    Q_PROPERTY(quint64 id READ id CONSTANT)
    Q_PROPERTY(QString name READ name CONSTANT)
    Q_PROPERTY(qtm::TaskKind kind READ kind CONSTANT)
    Q_PROPERTY(qtm::TaskState state READ state)
    Q_PROPERTY(double progress READ progress)
    Q_PROPERTY(QString progressText READ progressText)
    Q_PROPERTY(QString errorText READ errorText)

public:
    Task() = default;

    bool isValid() const { return d != nullptr; }
    quint64 id() const;
    QString name() const;
    TaskKind kind() const;
    TaskState state() const;
    //! True once the task is Succeeded, Failed or Cancelled.
    bool isFinished() const;
    //! False for a plain function already running on the pool (it cannot see a cancellation) and for
    //! finished tasks.
    bool isCancellable() const;
    //! True once cancellation was asked for, whatever came of it.
    bool isCancelRequested() const;

    int progressValue() const;
    int progressMinimum() const;
    int progressMaximum() const;
    QString progressText() const;
    double progress() const;

    //! The message of the exception the task failed with; empty unless Failed.
    QString errorText() const;
    //! The exception the task failed with; null unless Failed.
    std::exception_ptr exception() const;

    QDateTime createdAt() const;
    QDateTime startedAt() const;
    QDateTime finishedAt() const;

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

    friend bool operator==(const Task &a, const Task &b) { return a.d == b.d; }
    friend bool operator!=(const Task &a, const Task &b) { return a.d != b.d; }
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
    TypedTask() = default;
    TypedTask(Task task, QFuture<T> future) : Task(std::move(task)), m_future(std::move(future)) { }

    //! The typed future of the task's result; cancelling it cancels the task (see Task::future()).
    QFuture<T> future() const
    {
        detail::watchTaskFuture(*this);
        return m_future;
    }

private:
    QFuture<T> m_future;
};

//! Prints the task's id, name, kind and state: `qtm::Task(#12, "fetch", Coroutine, Running)`.
QTM_EXPORT QDebug operator<<(QDebug debug, const Task &task);

} // namespace qtm

Q_DECLARE_METATYPE(qtm::Task)
