#pragma once

#include <qtm/detail/cancellationregistration.h>

#include <chrono>
#include <coroutine>
#include <utility>

namespace qtm::detail {

//! \internal
//! qtm::sleep(): an entry in the manager's timer queue resumes the coroutine.
class SleepAwaiter
{
public:
    SleepAwaiter(TaskRecord *task, std::chrono::nanoseconds duration) : m_task(task)
    {
        m_site.boundNs = duration.count(); // the duration, kept once
    }
    SleepAwaiter(SleepAwaiter &&other) noexcept
        : m_task(other.m_task), m_timer(std::exchange(other.m_timer, {})), m_site(other.m_site)
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
        suspendAt(m_task, awaiting, m_site);
        m_timer = startTimer(m_task, std::chrono::nanoseconds(m_site.boundNs), &SleepAwaiter::fire, this);
        m_cancellation.arm(m_task, &SleepAwaiter::cancel, this);
        return true;
    }
    void await_resume() { throwIfCancelPending(m_task); }
    void setLocation(SourceLocation where) noexcept { m_site.setLocation(where); }

private:
    static void fire(void *self)
    {
        auto *awaiter = static_cast<SleepAwaiter *>(self);
        awaiter->m_timer = {};
        resumeLater(awaiter->m_task);
    }
    static void cancel(void *self)
    {
        auto *awaiter = static_cast<SleepAwaiter *>(self);
        stopTimer(awaiter->m_task, std::exchange(awaiter->m_timer, {}));
    }

    TaskRecord *m_task;
    TimerId m_timer;
    AwaitSite m_site{AwaitKind::Sleep};
    CancellationRegistration m_cancellation;
};

} // namespace qtm::detail
