#pragma once

#include <qtm/detail/hooks.h>

#include <coroutine>
#include <utility>

namespace qtm::detail {

//! \internal
//! qtm::shield(): runs the inner awaiter with cancellation deferred: a cancellation that arrives meanwhile is
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

    void setLocation(SourceLocation where) noexcept { m_inner.setLocation(where); }

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

} // namespace qtm::detail
