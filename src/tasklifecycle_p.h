#pragma once

#include <qtm/taskenums.h>

#include <atomic>

namespace qtm::detail {

/*!
 * \internal
 * The life of one task: its states and the only transitions between them, written in one place.
 *
 * \code
 *   Pending ──markRunning()──▶ Running ──end(outcome)──▶ Succeeded | Failed | Cancelled
 *      │                          │
 *      └─────requestCancel()──────┴──▶ Cancelling (still Pending or Running, the request set):
 *                                      end(outcome) as above, whatever the work makes of the request
 *   Pending ──end(Cancelled)──▶ Cancelled    (cancelled before it started: its work never runs)
 * \endcode
 *
 * Any thread reads it. Transitions: markRunning() by whatever starts the work (the manager's thread, or
 * the pool thread that runs a function), requestCancel() from any thread, end() by the one completion path
 * (finishTask()), exactly once however many threads race to end the task.
 */
class TaskLifecycle
{
public:
    //! Cancelling is not stored: it is a live state with isCancelRequested().
    TaskState state() const noexcept { return m_state.load(std::memory_order_acquire); }
    bool isFinished() const noexcept { return isTerminal(state()); }
    bool isCancelRequested() const noexcept { return m_cancelRequested.load(std::memory_order_acquire); }

    //! Pending → Running. A task that has ended meanwhile stays ended.
    void markRunning() noexcept
    {
        TaskState expected = TaskState::Pending;
        m_state.compare_exchange_strong(expected, TaskState::Running, std::memory_order_acq_rel);
    }

    //! Why cancellation was asked for: the first request's reason (CancelReason::None before any).
    CancelReason cancelReason() const noexcept { return m_cancelReason.load(std::memory_order_acquire); }

    //! Pending or Running → Cancelling, for \a reason unless an earlier request gave one. Also set for a task
    //! that has just ended: a request that came too late is still a request (Task::isCancelRequested()),
    //! it just changes nothing.
    void requestCancel(CancelReason reason) noexcept
    {
        CancelReason none = CancelReason::None;
        m_cancelReason.compare_exchange_strong(none, reason, std::memory_order_acq_rel);
        m_cancelRequested.store(true, std::memory_order_release);
    }

    //! Live → \a outcome (Succeeded, Failed or Cancelled): true for the one call that ends the task, false
    //! for every other (it had ended already).
    bool end(TaskState outcome) noexcept
    {
        TaskState now = state();
        while (!isTerminal(now)) {
            if (m_state.compare_exchange_weak(now, outcome, std::memory_order_acq_rel))
                return true;
        }
        return false;
    }

private:
    std::atomic<TaskState> m_state{TaskState::Pending};
    std::atomic<bool> m_cancelRequested{false};
    std::atomic<CancelReason> m_cancelReason{CancelReason::None};
};

} // namespace qtm::detail
