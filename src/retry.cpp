// Retries (TaskOptions::retry): the policy checked at creation, and after a failed attempt the decision,
// the wait and its announcement, shared by the two kinds of work that can start again (a retried
// coroutine's loop, retrying() in basetaskmanager_impl.h, and ThreadRun::reportedEnd()).

#include "exceptiontype_p.h"
#include "taskmanager_p.h"
#include "tracer_p.h"

#include <QtCore/QRandomGenerator>

#include <algorithm>
#include <cmath>

namespace qtm {

using detail::TaskRecord;

void TaskManagerPrivate::checkRetryPolicy(const detail::TaskLaunch &launch)
{
    const RetryPolicy &policy = *launch.options.retry;
    const QString task = QStringLiteral("task '%1'").arg(launch.options.name);
    QString problem;
    if (!launch.restartable) {
        const char *work = launch.kind == TaskKind::Coroutine ? "a single qtm::Coro object (pass a callable that "
                                                                "returns one, called once per attempt)"
            : launch.kind == TaskKind::Future                 ? "an adopted QFuture"
                                                              : "a function taking its own QPromise";
        problem = QStringLiteral("%1 has a retry policy, but its work cannot start again: it is %2")
                      .arg(task, QLatin1String(work));
    } else if (policy.maxAttempts < 1) {
        problem = QStringLiteral("the retry policy of %1 must allow at least 1 attempt (got %2)")
                      .arg(task)
                      .arg(policy.maxAttempts);
    } else if (policy.initialDelay.count() < 0 || policy.maxDelay.count() < 0) {
        problem = QStringLiteral("the retry delays of %1 must not be negative (got initialDelay %2 ms, maxDelay %3 ms)")
                      .arg(task)
                      .arg(policy.initialDelay.count())
                      .arg(policy.maxDelay.count());
    } else if (!(policy.multiplier >= 1.0) || !std::isfinite(policy.multiplier)) {
        problem
            = QStringLiteral("the retry multiplier of %1 must be at least 1 (got %2)").arg(task).arg(policy.multiplier);
    } else if (!(policy.jitter >= 0.0 && policy.jitter <= 1.0)) {
        problem = QStringLiteral("the retry jitter of %1 must be in [0, 1] (got %2)").arg(task).arg(policy.jitter);
    }
    if (!problem.isEmpty())
        detail::throwInvalidArgument("TaskManager::createTask", problem);
}

std::chrono::milliseconds detail::retryDelay(const RetryPolicy &policy, int retry, double random)
{
    // In long double: initialDelay × multiplier^(retry - 1) overflows anything else after a few dozen retries.
    const long double maximum = static_cast<long double>(policy.maxDelay.count());
    long double delay = static_cast<long double>(policy.initialDelay.count())
        * std::pow(static_cast<long double>(policy.multiplier), static_cast<long double>(retry - 1));
    delay = std::min(delay, maximum);
    delay *= 1.0L + static_cast<long double>(policy.jitter) * (2.0L * static_cast<long double>(random) - 1.0L);
    return std::chrono::milliseconds(static_cast<qint64>(std::llround(std::clamp(delay, 0.0L, maximum))));
}

std::optional<std::chrono::milliseconds> TaskManagerPrivate::retryAfter(TaskRecord &task, const RetryPolicy &policy,
                                                                        int failedAttempt,
                                                                        const std::exception_ptr &error)
{
    if (!error || detail::isCancellation(error) || task.lifecycle.isCancelRequested() || registry.isClosed()
        || failedAttempt >= policy.maxAttempts)
        return std::nullopt;
    if (policy.retryIf) {
        bool retry = false;
        try {
            retry = policy.retryIf(error);
        } catch (...) {
            qCWarning(lcTasks).noquote() << "the retryIf() of task" << detail::describe(task)
                                         << "threw, taken as 'do not retry':"
                                         << detail::describeException(std::current_exception());
        }
        if (!retry)
            return std::nullopt;
    }
    const std::chrono::milliseconds delay
        = detail::retryDelay(policy, failedAttempt, QRandomGenerator::global()->generateDouble());
    const int next = failedAttempt + 1;
    task.attempt.store(next, std::memory_order_release);
    const QString errorText = detail::describeException(error);
    qCInfo(lcTasks).noquote() << QStringLiteral("task %1 failed attempt %2 of %3 (%4); attempt %5 in %6 ms")
                                     .arg(detail::describe(task))
                                     .arg(failedAttempt)
                                     .arg(policy.maxAttempts)
                                     .arg(errorText)
                                     .arg(next)
                                     .arg(delay.count());
    if (detail::trace::on())
        detail::trace::instant(task, "retry");
    notifyAbout<&TaskManager::taskRetrying>(task, next, qint64(delay.count()), errorText);
    return delay;
}

std::chrono::milliseconds detail::retryDelayOrRethrow(const RetryPolicy &policy, int failedAttempt,
                                                      const std::exception_ptr &error)
{
    TaskRecord *task = t_currentTask;
    TaskManagerPrivate *manager = task ? task->manager : nullptr;
    if (manager && manager->q_ptr) {
        if (const auto delay = manager->retryAfter(*task, policy, failedAttempt, error))
            return *delay;
    }
    std::rethrow_exception(error);
}

} // namespace qtm
