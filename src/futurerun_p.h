#pragma once

#include "taskrun_p.h"

#include <memory>

namespace qtm::detail {

/*!
 * \internal
 * A QFuture produced elsewhere and adopted (futurerun.cpp): a watcher in the manager's thread ends the
 * task when the producer finishes it. Abandoned at shutdown, the application's thread watches it on.
 */
class FutureRun final : public TaskRun
{
public:
    explicit FutureRun(std::unique_ptr<AdoptedSource> source) : m_source(std::move(source)) { }

    static FutureRun &of(TaskRecord &task);

    void start(TaskManagerPrivate &manager, TaskRecord &task) override;
    void requestCancel(TaskManagerPrivate &manager, TaskRecord &task) override;
    void discard() override;
    void deliverResults(QFutureInterfaceBase &future) override;
    void release(TaskRecord &task) override;
    void poll(TaskManagerPrivate &manager, TaskRecord &task) override;
    void abandon(const std::shared_ptr<TaskRecord> &task) override;

private:
    //! How the producer ended its future (which has finished).
    Outcome producerOutcome() const;

    std::unique_ptr<AdoptedSource> m_source;
};

} // namespace qtm::detail
