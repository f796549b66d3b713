#pragma once

#include <qtm/cancellederror.h>
#include <qtm/detail/cancellationregistration.h>

#include <QtCore/QFuture>
#include <QtCore/QFutureWatcher>

#include <stdexcept>
#include <type_traits>
#include <utility>

namespace qtm::detail {

//! \internal
//! Awaits a QFuture (or a task's future) without blocking: a QFutureWatcher in the manager's thread
//! resumes the coroutine when the future finishes.
template<typename T>
class FutureAwaiter
{
public:
    //! \a cancelsFuture: whether cancelling the awaiting task cancels the future too. True for a plain
    //! QFuture (the awaited operation is cancelled); false for another managed task, which the manager
    //! owns and others may be awaiting: the awaiting coroutine stops waiting, the task goes on.
    //! \a kind: what the graph says it waits on (a QFuture, a task, a cancel's outcome).
    FutureAwaiter(TaskRecord *task, QFuture<T> future, bool cancelsFuture, AwaitKind kind)
        : m_task(task), m_future(std::move(future)), m_cancelsFuture(cancelsFuture), m_site(kind)
    { }
    FutureAwaiter(FutureAwaiter &&) = default;
    ~FutureAwaiter() { deleteWatcher(); }

    bool await_ready() const noexcept { return false; }

    bool await_suspend(std::coroutine_handle<> awaiting)
    {
        if (isCancelPending(m_task) || m_future.isFinished())
            return false;
        suspendAt(m_task, awaiting, m_site);
        m_watcher = new QFutureWatcher<void>();
        QObject::connect(m_watcher, &QFutureWatcherBase::finished, m_watcher, [this] {
            // Inside the watcher's own signal: it must not be deleted synchronously here.
            std::exchange(m_watcher, nullptr)->deleteLater();
            resumeLater(m_task);
        });
        m_watcher->setFuture(QFuture<void>(m_future));
        m_cancellation.arm(m_task, &FutureAwaiter::cancel, this);
        return true;
    }

    T await_resume()
    {
        throwIfCancelPending(m_task);
        m_future.waitForFinished(); // finished by now; rethrows the exception the future holds, if any
        if (m_future.isCanceled())
            throw CancelledError(QStringLiteral("the awaited future was cancelled"));
        if constexpr (std::is_void_v<T>) {
            return;
        } else {
            if (m_future.resultCount() == 0)
                throw std::logic_error("qtm: the awaited future finished without a result");
            if constexpr (std::is_copy_constructible_v<T>)
                return m_future.result();
            else
                return m_future.takeResult();
        }
    }

    void setLocation(SourceLocation where) noexcept { m_site.setLocation(where); }
    //! Names the awaited task, for the graph.
    void setAwaitedTask(quint64 id, QString name)
    {
        m_site.awaitedTask = id;
        m_site.awaitedTaskName = std::move(name);
    }

private:
    static void cancel(void *self)
    {
        auto *awaiter = static_cast<FutureAwaiter *>(self);
        awaiter->deleteWatcher();
        if (awaiter->m_cancelsFuture)
            awaiter->m_future.cancel();
    }

    void deleteWatcher() { delete std::exchange(m_watcher, nullptr); }

    TaskRecord *m_task;
    QFuture<T> m_future;
    bool m_cancelsFuture;
    QFutureWatcher<void> *m_watcher = nullptr;
    DetailedAwaitSite m_site; // a task's name, for AwaitKind::Task
    CancellationRegistration m_cancellation; // last: unregistered before the watcher goes
};

} // namespace qtm::detail
