// The one way a task ends (see taskrun_p.h): every kind, every outcome, with or without its manager.

#include "exceptiontype_p.h"
#include "grouprun_p.h"

#include "taskmanager_p.h"
#include "tracer_p.h"
#include <qtm/cancellederror.h>

#include <QtCore/QDateTime>

namespace qtm::detail {

QString describeException(const std::exception_ptr &exception)
{
    try {
        std::rethrow_exception(exception);
    } catch (const CancelledError &error) {
        return error.reason();
    } catch (const std::exception &error) {
        return QString::fromUtf8(error.what());
    } catch (const QString &text) {
        return text;
    } catch (const char *text) {
        return QString::fromUtf8(text);
    } catch (...) {
        return QStringLiteral("an exception of a type not derived from std::exception");
    }
}

CancelOutcome cancelOutcomeFor(const TaskRecord &task)
{
    switch (task.loadState()) {
    case TaskState::Succeeded:
        return CancelOutcome::FinishedAnyway;
    case TaskState::Failed:
        return CancelOutcome::FailedAnyway;
    default:
        return task.lifecycle.cancelReason() == CancelReason::DeadlineExceeded ? CancelOutcome::DeadlineExceeded
                                                                               : CancelOutcome::Cancelled;
    }
}

Outcome outcomeOf(const std::exception_ptr &exception)
{
    if (isCancellation(exception))
        return {TaskState::Cancelled, {}, {}};
    return {TaskState::Failed, describeException(exception), exception};
}

void finishTask(TaskManagerPrivate *manager, TaskRecord &task, Outcome outcome)
{
    if (task.isFinished())
        return;
    const std::shared_ptr<TaskRecord> keep = task.shared_from_this();
    if (manager)
        manager->beforeTaskEnds(task); // its slots may end the task themselves: then the end below is theirs

    {
        // The state and what goes with it change together for a reader that takes the lock: a Failed task
        // always has its error.
        const auto shared = task.shared.lock();
        if (!task.lifecycle.end(outcome.state))
            return;
        shared->finishedAtMs = QDateTime::currentMSecsSinceEpoch();
        shared->errorText = outcome.errorText;
        shared->exception = outcome.state == TaskState::Failed ? outcome.exception : std::exception_ptr();
    }
    if (trace::on())
        trace::taskEnded(task, outcome.state, outcome.errorText);
    task.future.complete(task, outcome);
    task.run->release(task);

    // Taken after the end, under the lock that TaskManagerPrivate::abandonCancelWaiters() checks the end
    // under: each waiter is resolved by one of the two.
    const auto abandoned = std::exchange(task.shared.lock()->abandonedWaiters, {});
    for (const auto &waiter : abandoned)
        waiter->resolve(cancelOutcomeFor(task), false);

    if (manager) {
        manager->afterTaskEnded(task, outcome); // and its group's reaction
    } else {
        qCInfo(lcTasks).noquote() << "abandoned task" << describe(task) << "finished after its manager was gone";
        GroupRun::childEnded(nullptr, task);
    }
}

} // namespace qtm::detail
