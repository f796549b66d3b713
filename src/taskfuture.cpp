// A task's own QFuture, made at launch or on request, and finished once (see taskfuture_p.h).

#include "taskfuture_p.h"

#include "taskrecord_p.h"

namespace qtm::detail {

namespace {

//! Finishes \a future the way the task ended.
void finish(QFutureInterfaceBase &future, TaskState state, const std::exception_ptr &exception)
{
    if (state == TaskState::Failed)
        future.reportException(exception);
    else if (state == TaskState::Cancelled)
        future.cancel();
    // The void interface also runs the future's continuation (.then()), which the base one does not.
    QFutureInterface<void>(future).reportFinished();
}

} // namespace

TaskFuture::TaskFuture(std::unique_ptr<TaskFutureRef> made, TaskFutureFactory factory)
    : m_isMade(made != nullptr), m_ref(std::move(made)), m_made(m_ref ? &m_ref->base() : nullptr), m_factory(factory)
{
    Q_ASSERT(m_made || m_factory);
}

QFutureInterfaceBase TaskFuture::get(TaskRecord &task)
{
    std::lock_guard lock(m_mutex);
    if (m_made)
        return *m_made;
    m_ref = m_factory();
    m_made = &m_ref->base();
    // Published before the progress is read: a progress written meanwhile is either read below or
    // passed on by its writer (progressChanged()), which then waits for this lock.
    m_isMade.store(true, std::memory_order_release);
    copyProgress(task, false);
    if (m_ended) {
        // Nobody can hold this future yet, so nothing runs here but the copy of the outcome.
        if (m_result)
            std::exchange(m_result, nullptr)->reportTo(*m_made);
        finish(*m_made, m_endState, m_exception);
    }
    return *m_made;
}

void TaskFuture::appendResultsTo(GroupResults &to)
{
    std::lock_guard lock(m_mutex);
    if (m_made)
        to.addFrom(*m_made);
    else if (m_result)
        to.addKept(*m_result);
}

void TaskFuture::progressChanged(TaskRecord &task)
{
    if (!m_isMade.load(std::memory_order_acquire))
        return;
    std::lock_guard lock(m_mutex);
    copyProgress(task, true);
}

void TaskFuture::copyProgress(TaskRecord &task, bool always)
{
    int minimum, maximum, value;
    QString text;
    {
        const auto shared = task.shared.lock();
        minimum = shared->progressMinimum;
        maximum = shared->progressMaximum;
        value = shared->progressValue;
        text = shared->progressText;
    }
    if (!always && minimum == maximum && value == 0 && text.isEmpty())
        return; // nothing reported yet
    m_made->setProgressRange(minimum, maximum);
    m_made->setProgressValueAndText(value, text);
}

void TaskFuture::complete(TaskRecord &task, const Outcome &outcome)
{
    {
        std::lock_guard lock(m_mutex);
        m_ended = true;
        if (!m_made) {
            m_endState = outcome.state;
            if (outcome.state == TaskState::Failed)
                m_exception = outcome.exception;
            else if (outcome.state == TaskState::Succeeded)
                m_result = task.run->keepResults();
            return;
        }
    }
    // Outside the lock: finishing runs the future's continuations, which may ask for it again.
    if (outcome.state == TaskState::Succeeded)
        task.run->deliverResults(*m_made);
    finish(*m_made, outcome.state, outcome.exception);
}

} // namespace qtm::detail
