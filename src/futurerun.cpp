// An adopted QFuture: watched in the manager's thread, cancelled through the producer's future, and
// watched on from the application's thread once abandoned at shutdown.

#include "futurerun_p.h"
#include "taskmanager_p.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QDateTime>
#include <QtCore/QFutureWatcher>

namespace qtm::detail {

FutureRun &FutureRun::of(TaskRecord &task)
{
    Q_ASSERT(task.kind == TaskKind::Future);
    return static_cast<FutureRun &>(*task.run);
}

void FutureRun::start(TaskManagerPrivate &manager, TaskRecord &task)
{
    manager.markStarted(task);
    if (task.isFinished()) // a slot cancelled it
        return;
    auto *watcher = new QFutureWatcher<void>(manager.q_ptr);
    task.watcher = watcher;
    // The watcher lives no longer than the task's registration (TaskManagerPrivate::dropWatchers()).
    QObject::connect(watcher, &QFutureWatcherBase::finished, manager.q_ptr, [&manager, raw = &task] {
        const auto keep = manager.weakSelf.lock();
        FutureRun::of(*raw).poll(manager, *raw);
    });
    manager.forwardProgress(&task, watcher);
    watcher->setFuture(QFutureInterface<void>(m_source->source).future());
}

void FutureRun::requestCancel(TaskManagerPrivate &, TaskRecord &)
{
    m_source->source.cancel(); // the task ends when the producer does
}

void FutureRun::discard()
{
    m_source->source.cancel();
}

void FutureRun::deliverResults(QFutureInterfaceBase &future)
{
    m_source->deliverResults(future);
}

void FutureRun::release(TaskRecord &)
{
    // The typed references to the producer's results and to the task's own future go, now that the
    // task's future has finished (see TaskOutput).
    m_source.reset();
}

void FutureRun::poll(TaskManagerPrivate &manager, TaskRecord &task)
{
    if (task.isFinished() || !m_source->source.isFinished())
        return;
    finishTask(&manager, task, producerOutcome());
}

void FutureRun::abandon(const std::shared_ptr<TaskRecord> &task)
{
    // Watched from the application's main thread, which goes on turning its loop after this manager is
    // gone, so that the task still ends when its producer does.
    QCoreApplication *application = QCoreApplication::instance();
    if (!application)
        return;
    auto *watcher = new QFutureWatcher<void>;
    QObject::connect(watcher, &QFutureWatcherBase::finished, watcher, [watcher, task] {
        finishTask(nullptr, *task, FutureRun::of(*task).producerOutcome());
        watcher->deleteLater();
    });
    watcher->setFuture(QFutureInterface<void>(m_source->source).future());
    watcher->moveToThread(application->thread());
}

Outcome FutureRun::producerOutcome() const
{
    QFuture<void> source = QFutureInterface<void>(m_source->source).future();
    try {
        source.waitForFinished(); // finished already; rethrows the producer's exception
    } catch (...) {
        return outcomeOf(std::current_exception());
    }
    return {source.isCanceled() ? TaskState::Cancelled : TaskState::Succeeded, {}, {}};
}

} // namespace qtm::detail
