#pragma once

// The awaiters behind every `co_await` in a qtm::Coro. Each one is a cancellation point: it checks for a
// pending cancellation before suspending, registers a cancel hook that tears its operation down while it
// is suspended, and throws qtm::CancelledError from await_resume() when the task was cancelled.
// Included at the end of coro.h, whose promise types it completes.

#include <qtm/cancellederror.h>
#include <qtm/detail/hooks.h>
#include <qtm/task.h>

#include <QtCore/QFuture>
#include <QtCore/QFutureWatcher>
#include <QtCore/QObject>
#include <QtCore/QPointer>

#include <concepts>
#include <memory>
#include <optional>
#include <stdexcept>
#include <tuple>
#include <type_traits>

namespace qtm {
template<typename T>
class Coro;
}

namespace qtm::detail {

//! Awaits a QFuture (or a task's future) without blocking: a QFutureWatcher in the manager's thread
//! resumes the coroutine when the future finishes.
template<typename T>
class FutureAwaiter
{
public:
    //! \a cancelsFuture: whether cancelling the awaiting task cancels the future too. True for a plain
    //! QFuture (the awaited operation is cancelled); false for another managed task, which the manager
    //! owns and others may be awaiting: the awaiting coroutine stops waiting, the task goes on.
    FutureAwaiter(TaskRecord *task, QFuture<T> future, bool cancelsFuture)
        : m_task(task), m_future(std::move(future)), m_cancelsFuture(cancelsFuture)
    { }
    FutureAwaiter(FutureAwaiter &&) = default;
    ~FutureAwaiter() { tearDown(); }

    bool await_ready() const noexcept { return false; }

    bool await_suspend(std::coroutine_handle<> awaiting)
    {
        if (isCancelPending(m_task) || m_future.isFinished())
            return false;
        setResumePoint(m_task, awaiting);
        m_watcher = new QFutureWatcher<void>();
        QObject::connect(m_watcher, &QFutureWatcherBase::finished, m_watcher, [this] {
            // Inside the watcher's own signal: it must not be deleted synchronously here.
            std::exchange(m_watcher, nullptr)->deleteLater();
            clearCancelHook(m_task);
            resumeLater(m_task);
        });
        m_watcher->setFuture(QFuture<void>(m_future));
        setCancelHook(m_task, &FutureAwaiter::cancel, this);
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

private:
    static void cancel(void *self)
    {
        auto *awaiter = static_cast<FutureAwaiter *>(self);
        awaiter->tearDown();
        if (awaiter->m_cancelsFuture)
            awaiter->m_future.cancel();
    }

    void tearDown() { delete std::exchange(m_watcher, nullptr); }

    TaskRecord *m_task;
    QFuture<T> m_future;
    bool m_cancelsFuture;
    QFutureWatcher<void> *m_watcher = nullptr;
};

//! Runs another Coro inline, as a subroutine of the awaiting task: same task, same cancellation.
template<typename T>
class ChildAwaiter
{
public:
    ChildAwaiter(TaskRecord *task, Coro<T> &&child) : m_task(task), m_child(std::move(child)) { }

    bool await_ready()
    {
        if (!m_child.isValid())
            throwInvalidArgument("co_await",
                                 QStringLiteral("the awaited coroutine is empty (default-constructed, "
                                                "moved from, or already handed to a manager)"));
        return false;
    }

    std::coroutine_handle<> await_suspend(std::coroutine_handle<> awaiting)
    {
        auto &promise = m_child.handle().promise();
        promise.m_task = m_task;
        promise.m_continuation = awaiting;
        return m_child.handle(); // symmetric transfer: no stack growth
    }

    T await_resume() { return m_child.handle().promise().takeResult(); }

private:
    TaskRecord *m_task;
    Coro<T> m_child;
};

class SleepAwaiter
{
public:
    SleepAwaiter(TaskRecord *task, std::chrono::nanoseconds duration) : m_task(task), m_duration(duration) { }
    SleepAwaiter(SleepAwaiter &&other) noexcept
        : m_task(other.m_task), m_duration(other.m_duration), m_timer(std::exchange(other.m_timer, {}))
    { }
    ~SleepAwaiter()
    {
        if (m_timer)
            stopTimer(m_task, m_timer);
    }

    bool await_ready() const noexcept { return false; }
    bool await_suspend(std::coroutine_handle<> awaiting)
    {
        if (isCancelPending(m_task))
            return false;
        setResumePoint(m_task, awaiting);
        m_timer = startTimer(m_task, m_duration, &SleepAwaiter::fire, this);
        setCancelHook(m_task, &SleepAwaiter::cancel, this);
        return true;
    }
    void await_resume() { throwIfCancelPending(m_task); }

private:
    static void fire(void *self)
    {
        auto *awaiter = static_cast<SleepAwaiter *>(self);
        awaiter->m_timer = {};
        clearCancelHook(awaiter->m_task);
        resumeLater(awaiter->m_task);
    }
    static void cancel(void *self)
    {
        auto *awaiter = static_cast<SleepAwaiter *>(self);
        stopTimer(awaiter->m_task, std::exchange(awaiter->m_timer, {}));
    }

    TaskRecord *m_task;
    std::chrono::nanoseconds m_duration;
    TimerId m_timer;
};

class YieldAwaiter
{
public:
    explicit YieldAwaiter(TaskRecord *task) : m_task(task) { }
    bool await_ready() const noexcept { return false; }
    bool await_suspend(std::coroutine_handle<> awaiting)
    {
        if (isCancelPending(m_task))
            return false;
        setResumePoint(m_task, awaiting);
        resumeLater(m_task); // a cancellation meanwhile is thrown by await_resume()
        return true;
    }
    void await_resume() { throwIfCancelPending(m_task); }

private:
    TaskRecord *m_task;
};

// Qt's private signals end with an empty tag argument (QPrivateSignal) that carries no value: drop it.
template<typename... Args>
struct SignalValues;
template<>
struct SignalValues<>
{
    using type = std::tuple<>;
};
template<typename First, typename... Rest>
struct SignalValues<First, Rest...>
{
    using type = std::conditional_t<sizeof...(Rest) == 0 && std::is_empty_v<First>, std::tuple<>,
                                    decltype(std::tuple_cat(std::declval<std::tuple<First>>(),
                                                            std::declval<typename SignalValues<Rest...>::type>()))>;
};

template<typename Tuple>
struct SignalResult;
template<>
struct SignalResult<std::tuple<>>
{
    using type = void;
    using timed = bool; // with a time-out: true when the signal came
};
template<typename V>
struct SignalResult<std::tuple<V>>
{
    using type = V;
    using timed = std::optional<V>;
};
template<typename... V>
requires(sizeof...(V) > 1) struct SignalResult<std::tuple<V...>>
{
    using type = std::tuple<V...>;
    using timed = std::optional<std::tuple<V...>>;
};

template<typename Sender, typename Signal, typename Values, bool Timed>
class SignalAwaiter;

template<typename Sender, typename Signal, typename... V, bool Timed>
class SignalAwaiter<Sender, Signal, std::tuple<V...>, Timed>
{
    // Callbacks may be queued (a sender in another thread) and delivered after this awaiter is gone:
    // they reach it only through this shared slot, which the awaiter empties when it stops waiting.
    struct Link
    {
        SignalAwaiter *awaiter = nullptr;
    };

    struct Receiver
    {
        std::shared_ptr<Link> link;
        void operator()(const V &...values) const
        {
            if (auto *awaiter = link->awaiter) {
                awaiter->m_values.emplace(values...);
                awaiter->finish();
            }
        }
    };

public:
    SignalAwaiter(TaskRecord *task, Sender *sender, Signal signal, std::optional<std::chrono::nanoseconds> timeout)
        : m_task(task), m_sender(sender), m_signal(signal), m_timeout(timeout)
    { }
    SignalAwaiter(SignalAwaiter &&other) noexcept
        : m_task(other.m_task), m_sender(other.m_sender), m_signal(other.m_signal), m_timeout(other.m_timeout)
    { }
    ~SignalAwaiter() { tearDown(); }

    bool await_ready() const noexcept { return false; }

    bool await_suspend(std::coroutine_handle<> awaiting)
    {
        if (isCancelPending(m_task))
            return false;
        if (!m_sender) {
            m_senderGone = true;
            return false;
        }
        setResumePoint(m_task, awaiting);
        m_link = std::make_shared<Link>(Link{this});
        QObject *context = loopObject(m_task);
        m_connection = QObject::connect(m_sender.data(), m_signal, context, Receiver{m_link});
        m_destroyedConnection = QObject::connect(m_sender.data(), &QObject::destroyed, context, [link = m_link] {
            if (auto *awaiter = link->awaiter) {
                awaiter->m_senderGone = true;
                awaiter->finish();
            }
        });
        if (m_timeout)
            m_timer = startTimer(m_task, *m_timeout, &SignalAwaiter::timedOut, this);
        setCancelHook(m_task, &SignalAwaiter::cancel, this);
        return true;
    }

    //! Without a time-out: the signal's values. With one: std::optional of them (bool for no values).
    auto await_resume()
    {
        throwIfCancelPending(m_task);
        if (m_senderGone && !m_values)
            throw std::runtime_error("qtm::signal: the sender was destroyed before it emitted the awaited signal");
        using Result = SignalResult<std::tuple<V...>>;
        if constexpr (Timed) {
            if constexpr (sizeof...(V) == 0)
                return typename Result::timed(m_values.has_value());
            else if constexpr (sizeof...(V) == 1)
                return m_values ? typename Result::timed(std::get<0>(std::move(*m_values))) : typename Result::timed();
            else
                return m_values ? typename Result::timed(std::move(*m_values)) : typename Result::timed();
        } else {
            if constexpr (sizeof...(V) == 0)
                return;
            else if constexpr (sizeof...(V) == 1)
                return std::get<0>(std::move(*m_values));
            else
                return std::move(*m_values);
        }
    }

private:
    void finish()
    {
        tearDown();
        clearCancelHook(m_task);
        resumeLater(m_task);
    }
    static void timedOut(void *self)
    {
        auto *awaiter = static_cast<SignalAwaiter *>(self);
        awaiter->m_timer = {};
        awaiter->finish();
    }
    static void cancel(void *self) { static_cast<SignalAwaiter *>(self)->tearDown(); }

    void tearDown()
    {
        if (m_link)
            std::exchange(m_link, {})->awaiter = nullptr;
        QObject::disconnect(m_connection);
        QObject::disconnect(m_destroyedConnection);
        if (m_timer)
            stopTimer(m_task, std::exchange(m_timer, {}));
    }

    TaskRecord *m_task;
    QPointer<Sender> m_sender;
    Signal m_signal;
    std::optional<std::chrono::nanoseconds> m_timeout;
    std::shared_ptr<Link> m_link;
    QMetaObject::Connection m_connection;
    QMetaObject::Connection m_destroyedConnection;
    TimerId m_timer;
    std::optional<std::tuple<V...>> m_values;
    bool m_senderGone = false;
};

//! Runs the inner awaiter with cancellation deferred: a cancellation that arrives meanwhile is
//! delivered at the next unshielded await.
template<typename Inner>
class ShieldAwaiter
{
public:
    ShieldAwaiter(TaskRecord *task, Inner &&inner) : m_task(task), m_inner(std::move(inner)) { }
    ShieldAwaiter(ShieldAwaiter &&other) noexcept
        : m_task(other.m_task), m_inner(std::move(other.m_inner)), m_entered(std::exchange(other.m_entered, false))
    { }
    ~ShieldAwaiter() { leave(); }

    bool await_ready()
    {
        enterShield(m_task);
        m_entered = true;
        return m_inner.await_ready();
    }
    auto await_suspend(std::coroutine_handle<> awaiting) { return m_inner.await_suspend(awaiting); }
    decltype(auto) await_resume()
    {
        struct Leave
        {
            ShieldAwaiter *self;
            ~Leave() { self->leave(); }
        } leave{this};
        return m_inner.await_resume();
    }

private:
    void leave()
    {
        if (std::exchange(m_entered, false))
            leaveShield(m_task);
    }

    TaskRecord *m_task;
    Inner m_inner;
    bool m_entered = false;
};

// The awaitable descriptions that qtm::sleep(), yield(), signal() and shield() return. They do nothing
// by themselves: the awaiting coroutine's promise turns them into awaiters bound to its task.
struct SleepFor
{
    std::chrono::nanoseconds duration;
    SleepAwaiter makeAwaiter(TaskRecord *task) && { return SleepAwaiter(task, duration); }
};

struct YieldNow
{
    YieldAwaiter makeAwaiter(TaskRecord *task) && { return YieldAwaiter(task); }
};

template<typename Sender, typename Signal, typename Values, bool Timed>
struct SignalWait
{
    QPointer<Sender> sender; // guarded from the start: the sender may go before the co_await
    Signal signal;
    std::optional<std::chrono::nanoseconds> timeout;
    SignalAwaiter<Sender, Signal, Values, Timed> makeAwaiter(TaskRecord *task) &&
    {
        return SignalAwaiter<Sender, Signal, Values, Timed>(task, sender, signal, timeout);
    }
};

template<typename Awaitable>
struct Shielded
{
    Awaitable awaitable;
    auto makeAwaiter(TaskRecord *task) &&;
};

template<typename T>
FutureAwaiter<T> toAwaiter(TaskRecord *task, QFuture<T> future)
{
    return FutureAwaiter<T>(task, std::move(future), true);
}

template<typename T>
FutureAwaiter<T> toAwaiter(TaskRecord *task, const TypedTask<T> &awaited)
{
    if (!awaited.isValid())
        throwInvalidArgument("co_await", QStringLiteral("the awaited task handle is invalid (default-constructed)"));
    checkNotItself(task, awaited);
    return FutureAwaiter<T>(task, awaited.future(), false);
}

inline FutureAwaiter<void> toAwaiter(TaskRecord *task, const Task &awaited)
{
    if (!awaited.isValid())
        throwInvalidArgument("co_await", QStringLiteral("the awaited task handle is invalid (default-constructed)"));
    checkNotItself(task, awaited);
    return FutureAwaiter<void>(task, awaited.future(), false);
}

template<typename T>
ChildAwaiter<T> toAwaiter(TaskRecord *task, Coro<T> &&child)
{
    return ChildAwaiter<T>(task, std::move(child));
}

template<typename Description>
requires requires(Description &&d, TaskRecord *task)
{
    std::move(d).makeAwaiter(task);
}
auto toAwaiter(TaskRecord *task, Description &&description)
{
    return std::move(description).makeAwaiter(task);
}

template<typename Awaitable>
concept QtmAwaitable = requires(TaskRecord *task, Awaitable &&awaitable)
{
    toAwaiter(task, std::forward<Awaitable>(awaitable));
};

template<typename Awaitable>
auto Shielded<Awaitable>::makeAwaiter(TaskRecord *task) &&
{
    auto inner = toAwaiter(task, std::move(awaitable));
    return ShieldAwaiter<decltype(inner)>(task, std::move(inner));
}

template<typename Awaitable>
auto PromiseBase::await_transform(Awaitable &&awaitable)
{
    static_assert(QtmAwaitable<Awaitable>,
                  "A qtm::Coro can co_await a QFuture, a qtm::Task or TypedTask, another qtm::Coro (as an rvalue), "
                  "or qtm::sleep(), qtm::yield(), qtm::signal() and qtm::shield(): these are the cancellation points "
                  "the manager knows how to cancel.");
    return toAwaiter(m_task, std::forward<Awaitable>(awaitable));
}

} // namespace qtm::detail
