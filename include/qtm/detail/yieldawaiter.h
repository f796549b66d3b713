#pragma once

#include <qtm/detail/hooks.h>

#include <coroutine>

namespace qtm::detail {

//! \internal
//! qtm::yield(): resumes on the manager's next loop turn, after the events queued before it. A
//! cancellation point with nothing to tear down: a cancellation meanwhile is thrown by await_resume().
class YieldAwaiter
{
public:
    explicit YieldAwaiter(TaskRecord *task) : m_task(task) { }
    bool await_ready() const noexcept { return false; }
    bool await_suspend(std::coroutine_handle<> awaiting)
    {
        if (isCancelPending(m_task))
            return false;
        suspendAt(m_task, awaiting, m_site);
        resumeLater(m_task);
        return true;
    }
    void await_resume() { throwIfCancelPending(m_task); }
    void setLocation(SourceLocation where) noexcept { m_site.setLocation(where); }

private:
    TaskRecord *m_task;
    AwaitSite m_site{AwaitKind::Yield};
};

} // namespace qtm::detail
