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
        setResumePoint(m_task, awaiting);
        resumeLater(m_task);
        return true;
    }
    void await_resume() { throwIfCancelPending(m_task); }

private:
    TaskRecord *m_task;
};

} // namespace qtm::detail
