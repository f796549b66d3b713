#pragma once

// What a `co_await` in a qtm::Coro turns into: the awaitable descriptions that qtm::sleep(), yield(),
// signal(), shield() and timeout() return, and the promise's await_transform() that binds each awaitable to its
// awaiter, one per header (futureawaiter.h, childawaiter.h, sleepawaiter.h, yieldawaiter.h,
// signalawaiter.h, shieldawaiter.h, timeoutawaiter.h). Every awaiter but the child's is a cancellation point: it checks
// for a pending cancellation before suspending, holds a CancellationRegistration while suspended, and throws
// qtm::CancelledError from await_resume() when the task was cancelled.
// Included at the end of coro.h, whose promise types it completes.

#include <qtm/detail/childawaiter.h>
#include <qtm/detail/futureawaiter.h>
#include <qtm/detail/shieldawaiter.h>
#include <qtm/detail/signalawaiter.h>
#include <qtm/detail/sleepawaiter.h>
#include <qtm/detail/timeoutawaiter.h>
#include <qtm/detail/yieldawaiter.h>
#include <qtm/task.h>

#include <QtCore/QPointer>

#include <chrono>
#include <concepts>
#include <optional>
#include <utility>

namespace qtm::detail {

// The awaitable descriptions that qtm::sleep(), yield(), signal(), shield() and timeout() return. They do nothing
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

template<typename Awaitable>
struct Bounded
{
    std::chrono::nanoseconds bound;
    Awaitable awaitable;
    auto makeAwaiter(TaskRecord *task) &&;
};

template<typename T>
FutureAwaiter<T> toAwaiter(TaskRecord *task, QFuture<T> future)
{
    return FutureAwaiter<T>(task, std::move(future), true,
                            std::is_same_v<T, CancelOutcome> ? AwaitKind::Cancel : AwaitKind::Future);
}

template<typename T>
FutureAwaiter<T> toAwaiter(TaskRecord *task, const TypedTask<T> &awaited)
{
    if (!awaited.isValid())
        throwInvalidArgument("co_await", QStringLiteral("the awaited task handle is invalid (default-constructed)"));
    checkNotItself(task, awaited);
    FutureAwaiter<T> awaiter(task, awaited.future(), false, AwaitKind::Task);
    awaiter.setAwaitedTask(awaited.id(), awaited.name());
    return awaiter;
}

inline FutureAwaiter<void> toAwaiter(TaskRecord *task, const Task &awaited)
{
    if (!awaited.isValid())
        throwInvalidArgument("co_await", QStringLiteral("the awaited task handle is invalid (default-constructed)"));
    checkNotItself(task, awaited);
    FutureAwaiter<void> awaiter(task, awaited.future(), false, AwaitKind::Task);
    awaiter.setAwaitedTask(awaited.id(), awaited.name());
    return awaiter;
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
auto Bounded<Awaitable>::makeAwaiter(TaskRecord *task) &&
{
    auto inner = toAwaiter(task, std::move(awaitable));
    return TimeoutAwaiter<decltype(inner)>(task, bound, std::move(inner));
}

template<typename Awaitable>
auto PromiseBase::await_transform(Awaitable &&awaitable, SourceLocation where)
{
    static_assert(QtmAwaitable<Awaitable>,
                  "A qtm::Coro can co_await a QFuture, a qtm::Task or TypedTask, another qtm::Coro (as an rvalue), "
                  "or qtm::sleep(), qtm::yield(), qtm::signal(), qtm::shield() and qtm::timeout(): these are the "
                  "cancellation points "
                  "the manager knows how to cancel.");
    auto awaiter = toAwaiter(m_task, std::forward<Awaitable>(awaitable));
    awaiter.setLocation(where); // what the task graph shows as the await's place
    return awaiter;
}

} // namespace qtm::detail
