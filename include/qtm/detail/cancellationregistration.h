#pragma once

#include <qtm/detail/hooks.h>

#include <utility>

namespace qtm::detail {

/*!
 * \internal
 * What makes an awaiter a cancellation point. Armed when the awaiter suspends its task: from then on,
 * while the task stays suspended there, cancelling the task calls `tearDown(operation)` (which cancels the
 * awaited operation: a timer stopped, a watcher deleted, a signal disconnected) and resumes the task, whose
 * await then throws qtm::CancelledError.
 *
 * The registration ends without anybody clearing it by hand: when the task is queued to resume (the
 * operation completed, or the cancellation fired), or when the registration is destroyed with its awaiter
 * (the frame destroyed while suspended). A registration is moved only while not armed, as awaiters are
 * moved before they suspend.
 */
class CancellationRegistration
{
public:
    CancellationRegistration() noexcept = default;
    CancellationRegistration(CancellationRegistration &&) noexcept { }
    CancellationRegistration &operator=(CancellationRegistration &&) = delete;
    ~CancellationRegistration() { reset(); }

    //! Registers \a tearDown for \a operation on \a task, which is suspending here. Inside a shield, the
    //! registration is empty: the operation runs to its end.
    void arm(TaskRecord *task, Callback tearDown, void *operation)
    {
        m_task = task;
        m_operation = operation;
        setCancelHook(task, tearDown, operation);
    }

    //! Unregisters, if this registration is still the task's cancellation point.
    void reset() noexcept
    {
        if (m_task)
            clearCancelHook(std::exchange(m_task, nullptr), std::exchange(m_operation, nullptr));
    }

private:
    TaskRecord *m_task = nullptr;
    void *m_operation = nullptr;
};

} // namespace qtm::detail
