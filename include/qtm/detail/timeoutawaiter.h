#pragma once

#include <qtm/detail/childawaiter.h>
#include <qtm/detail/hooks.h>
#include <qtm/detail/shieldawaiter.h>
#include <qtm/timeouterror.h>

#include <chrono>
#include <coroutine>
#include <type_traits>
#include <utility>

namespace qtm::detail {

template<typename Inner>
class TimeoutAwaiter;

//! Whether an awaiter runs a child coroutine (whose awaits go on after one of them has ended) rather
//! than one operation.
template<typename Awaiter>
inline constexpr bool awaitsCoroutine = false;
template<typename T>
inline constexpr bool awaitsCoroutine<ChildAwaiter<T>> = true;
template<typename Inner>
inline constexpr bool awaitsCoroutine<ShieldAwaiter<Inner>> = awaitsCoroutine<Inner>;
template<typename Inner>
inline constexpr bool awaitsCoroutine<TimeoutAwaiter<Inner>> = awaitsCoroutine<Inner>;

//! \internal
//! qtm::timeout(): runs the inner awaiter under a deadline on the manager's timer queue. At the deadline
//! the awaits inside it are cancelled (the operation torn down, a child coroutine unwound by
//! CancelledError through its own cleanup); the CancelledError that comes back out is turned into
//! qtm::TimeoutError here, unless the task itself was cancelled meanwhile, which is passed on untouched.
template<typename Inner>
class TimeoutAwaiter
{
public:
    TimeoutAwaiter(TaskRecord *task, std::chrono::nanoseconds bound, Inner &&inner)
        : m_task(task), m_bound(bound), m_inner(std::move(inner))
    { }
    // Moved only before the co_await begins, as every awaiter.
    TimeoutAwaiter(TimeoutAwaiter &&other) noexcept
        : m_task(other.m_task), m_bound(other.m_bound), m_inner(std::move(other.m_inner))
    { }
    ~TimeoutAwaiter() { leave(); }

    bool await_ready()
    {
        m_scope = enterTimeout(m_task);
        m_entered = true;
        return m_inner.await_ready();
    }

    auto await_suspend(std::coroutine_handle<> awaiting)
    {
        using Suspension = decltype(m_inner.await_suspend(awaiting));
        if constexpr (std::is_same_v<Suspension, bool>) {
            const bool suspended = m_inner.await_suspend(awaiting);
            if (suspended)
                startDeadline();
            return suspended;
        } else if constexpr (std::is_void_v<Suspension>) {
            m_inner.await_suspend(awaiting);
            startDeadline();
        } else { // a child coroutine, which runs once this returns
            auto next = m_inner.await_suspend(awaiting);
            startDeadline();
            return next;
        }
    }

    decltype(auto) await_resume()
    {
        struct Leave
        {
            TimeoutAwaiter *self;
            ~Leave() { self->leave(); }
        } leave{this};
        try {
            return m_inner.await_resume();
        } catch (const CancelledError &) {
            if (this->leave())
                throw TimeoutError(m_bound);
            throw;
        }
    }

    void setLocation(SourceLocation where) noexcept { m_inner.setLocation(where); }

private:
    void startDeadline() { m_timer = startTimer(m_task, m_bound, &TimeoutAwaiter::expire, this); }

    static void expire(void *self)
    {
        auto *awaiter = static_cast<TimeoutAwaiter *>(self);
        awaiter->m_timer = {};
        expireTimeout(awaiter->m_task, awaiter, awaiter->m_scope, awaitsCoroutine<Inner>);
    }

    //! Ends the timeout (once): true if the cancellation that unwinds now is its own.
    bool leave() noexcept
    {
        if (m_timer)
            stopTimer(m_task, std::exchange(m_timer, {}));
        if (!std::exchange(m_entered, false))
            return false;
        return leaveTimeout(m_task, this);
    }

    TaskRecord *m_task;
    std::chrono::nanoseconds m_bound;
    Inner m_inner;
    TimerId m_timer;
    TimeoutScope m_scope;
    bool m_entered = false;
};

} // namespace qtm::detail
