#pragma once

#include <qtm/detail/hooks.h>

#include <coroutine>
#include <utility>

namespace qtm {
template<typename T>
class Coro;
}

namespace qtm::detail {

//! \internal
//! Runs another Coro inline, as a subroutine of the awaiting task: same task, same cancellation. Not a
//! cancellation point of its own: the child's awaits are.
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
        enterChild(m_task, m_site);
        return m_child.handle(); // symmetric transfer: no stack growth
    }

    T await_resume()
    {
        leaveChild(m_task, m_site);
        return m_child.handle().promise().takeResult();
    }

    void setLocation(SourceLocation where) noexcept { m_site.setLocation(where); }

private:
    TaskRecord *m_task;
    Coro<T> m_child;
    ChildAwaitSite m_site{AwaitKind::Coroutine};
};

} // namespace qtm::detail
