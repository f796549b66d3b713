#include <qtm/taskmanager.h>

#include "coroutinerun_p.h"
#include "futurerun_p.h"
#include "grouprun_p.h"
#include "taskgraph_p.h"
#include "taskmanager_p.h"
#include "threadrun_p.h"
#include "tracer_p.h"
#include "tsan_p.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QDateTime>
#include <QtCore/QDeadlineTimer>
#include <QtCore/QFutureWatcher>
#include <QtCore/QRunnable>
#include <QtCore/QThread>
#include <QtCore/QThreadPool>
#include <QtCore/QTimer>

#include <algorithm>
#include <stdexcept>

namespace qtm {

using detail::cancelOutcomeFor;
using detail::finishTask;
using detail::GroupRun;
using detail::Outcome;
using detail::TaskRecord;
using detail::tsanAcquire;
using detail::tsanRelease;

namespace {

std::atomic<quint64> s_nextManagerId{1};

//! A duration setting's value, or std::invalid_argument naming the setting when it is negative.
qint64 nonNegative(const char *where, const char *what, std::chrono::milliseconds value)
{
    if (value.count() < 0)
        detail::throwInvalidArgument(
            where,
            QStringLiteral("the %1 must not be negative (got %2 ms)").arg(QLatin1String(what)).arg(value.count()));
    return value.count();
}

void resolve(QPromise<CancelOutcome> &promise, CancelOutcome outcome)
{
    promise.addResult(outcome);
    promise.finish();
}

} // namespace

// ---- The task's own future, handed out -----------------------------------------------------------------

QFutureInterfaceBase detail::taskFuture(const Task &handle)
{
    TaskRecord *task = TaskAccess::record(handle);
    Q_ASSERT(task);
    QFutureInterfaceBase future = task->future.get(*task);
    // Once per task: from now on a QFuture::cancel() on it is a cancel request (watchFuture()).
    if (!task->isFinished() && !task->futureWatchRequested.exchange(true, std::memory_order_acq_rel)) {
        if (const auto inbox = task->inbox.lock())
            inbox->post({Inbox::Kind::WatchFuture, TaskAccess::shared(handle), {}});
    }
    return future;
}

// ---- Abandoned cancel waiters ------------------------------------------------------------------------

void detail::AbandonedCancelWaiter::resolve(CancelOutcome outcome, bool timedOut)
{
    std::lock_guard lock(mutex);
    if (!promise)
        return;
    if (timedOut)
        qCWarning(lcTasks).noquote() << "task" << taskName << "did not finish within" << timeout.count()
                                     << "ms of being cancelled; it was abandoned at its manager's shutdown";
    qtm::resolve(*promise, outcome);
    promise.reset();
    if (timerContext)
        std::exchange(timerContext, nullptr)->deleteLater(); // thread-safe: posted to the object's thread
}

// ---- Inbox --------------------------------------------------------------------------------------------

QEvent::Type Inbox::drainEventType()
{
    static const auto type = QEvent::Type(QEvent::registerEventType());
    return type;
}

bool Inbox::post(Message &&message)
{
    std::lock_guard lock(m_mutex);
    if (m_closed)
        return false;
    m_messages.push_back(std::move(message));
    if (m_waiting) // only shutdown waits here
        m_arrived.notify_all();
    if (!m_drainPosted) {
        m_drainPosted = true;
        postDrainEvent();
    }
    return true;
}

void Inbox::wake()
{
    std::lock_guard lock(m_mutex);
    if (!m_drainPosted && !m_closed) {
        m_drainPosted = true;
        postDrainEvent();
    }
}

void Inbox::postDrainEvent()
{
    auto *event = new QEvent(drainEventType());
    tsanRelease(event); // Qt's posted-event queue is synchronised out of ThreadSanitizer's sight
    QCoreApplication::postEvent(m_target, event);
}

void Inbox::takeAll(std::vector<Message> &into)
{
    std::lock_guard lock(m_mutex);
    m_drainPosted = false;
    into.swap(m_messages);
}

void Inbox::waitForMessage(qint64 ms)
{
    std::unique_lock lock(m_mutex);
    if (m_messages.empty()) {
        m_waiting = true;
        m_arrived.wait_for(lock, std::chrono::milliseconds(ms));
        m_waiting = false;
    }
}

std::vector<Inbox::Message> Inbox::close()
{
    std::lock_guard lock(m_mutex);
    m_closed = true;
    return std::exchange(m_messages, {});
}

// ---- TimerQueue ---------------------------------------------------------------------------------------

detail::TimerId TimerQueue::add(std::chrono::nanoseconds after, detail::Callback fire, void *argument, bool *earliest)
{
    // Saturated: a deadline past the end of the clock ("no bound") is never due, rather than overflowing
    // into the past and firing at once.
    const std::int64_t now = TaskManagerPrivate::nowNs();
    const std::int64_t maximum = std::numeric_limits<std::int64_t>::max();
    const std::int64_t deadline
        = after.count() > maximum - now ? maximum : now + std::max<std::int64_t>(after.count(), 0);
    const detail::TimerId id{deadline, ++m_sequence};
    const auto inserted = m_entries.emplace(std::make_pair(id.deadline, id.sequence), Entry{fire, argument}).first;
    if (earliest)
        *earliest = inserted == m_entries.begin();
    return id;
}

void TimerQueue::remove(detail::TimerId timer)
{
    m_entries.erase(std::make_pair(timer.deadline, timer.sequence));
}

qint64 TimerQueue::fireDue()
{
    const std::int64_t now = TaskManagerPrivate::nowNs();
    // One at a time: a callback may add or remove entries.
    while (!m_entries.empty() && m_entries.begin()->first.first <= now) {
        const Entry entry = m_entries.begin()->second;
        m_entries.erase(m_entries.begin());
        entry.fire(entry.argument);
    }
    return msUntilNext();
}

qint64 TimerQueue::msUntilNext() const
{
    if (m_entries.empty())
        return -1;
    const std::int64_t remaining = m_entries.begin()->first.first - TaskManagerPrivate::nowNs();
    return remaining <= 0 ? 0 : (remaining + 999'999) / 1'000'000;
}

// ---- TaskManagerPrivate -------------------------------------------------------------------------------

TaskManagerPrivate::TaskManagerPrivate(TaskManager *q, TaskContext context)
    : q_ptr(q), id(s_nextManagerId++), context(std::move(context)), inbox(std::make_shared<Inbox>(q)),
      pool(QThreadPool::globalInstance())
{
    detail::trace::initFromEnvironment(); // QTM_TRACE=<file>: see qtm::tracing
}

void TaskManagerPrivate::reportSlotException(const std::exception_ptr &exception)
{
    qCCritical(lcTasks).noquote() << "a slot connected to a TaskManager signal threw, and was stopped there:"
                                  << detail::describeException(exception);
}

TaskManagerPrivate::~TaskManagerPrivate()
{
    // Normally empty. Left here: a coroutine that deleted its own manager and then suspended again in
    // its cleanup. Its frame is destroyed, its future finished; a group it is in ends with it.
    for (const auto &task : registry.records()) {
        if (!task->isFinished() && !task->run->endsThroughOthers() && !task->run->endsWithoutLoop()
            && !task->run->isExecuting()) {
            task->lifecycle.requestCancel(CancelReason::Shutdown);
            finishTask(this, *task, {TaskState::Cancelled, {}, {}});
        }
    }
}

std::int64_t TaskManagerPrivate::nowNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

bool TaskManagerPrivate::isManagerThread() const
{
    return q_ptr && QThread::currentThread() == q_ptr->thread();
}

Task TaskManagerPrivate::launch(detail::TaskLaunch &&launch)
{
    TaskOptions &options = launch.options;
    if (options.deadline && options.deadline->count() < 0)
        detail::throwInvalidArgument("TaskManager::createTask",
                                     QStringLiteral("the deadline of task '%1' must not be negative (got %2 ms)")
                                         .arg(options.name)
                                         .arg(options.deadline->count()));
    if (options.retry)
        checkRetryPolicy(launch);
    // The group it joins (TaskGroup::createTask()), taken first: whatever happens next, the next task
    // this thread creates does not join it by mistake.
    const std::shared_ptr<TaskRecord> group = detail::takeJoiningGroup();
    if (group && group->managerId != id)
        detail::throwInvalidArgument(
            "TaskGroup::createTask",
            QStringLiteral("group %1 belongs to another manager").arg(detail::describe(*group)));
    if (registry.isClosed())
        throwShuttingDown(options.name);

    // Constructed once, in place: a default-constructed TaskContext allocates.
    TaskContext taskContext = options.context ? std::move(*options.context)
        : group                               ? group->context // inherited from its group
        : detail::t_currentTask               ? detail::t_currentTask->context // inherited from the creating task
                                              : context;
    std::shared_ptr<TaskRecord> task = detail::makeTaskRecord(launch, std::move(taskContext));
    task->managerId = id;
    if (detail::t_currentTask && detail::t_currentTask->managerId == id)
        task->parentId = detail::t_currentTask->id;
    task->kind = launch.kind;
    task->name = std::move(options.name); // an empty name is generated on demand (displayName())
    task->createdAtMs = QDateTime::currentMSecsSinceEpoch();
    task->priority = options.priority;
    task->maxAttempts = options.retry ? options.retry->maxAttempts : 1;
    if (group) {
        task->groupId = group->id;
        task->groupDepth = group->groupDepth + 1;
        task->group = group;
    }
    if (options.deadline) {
        // Saturated: a deadline too far away to count (milliseconds::max()) is no deadline at all.
        const std::int64_t afterNs = detail::saturatingNanoseconds(*options.deadline).count();
        const std::int64_t now = nowNs();
        if (afterNs < std::numeric_limits<std::int64_t>::max() - now) {
            task->deadlineNs = now + afterNs;
            task->deadlineAtMs = task->createdAtMs + options.deadline->count();
        }
    }
    task->manager = this;
    task->inbox = inbox;
    // Before the task is published: the manager's thread may end it before registerTask() returns.
    task->statistics = statistics.taskCreated(task->name, task->kind);
    const std::int64_t createdNs = detail::trace::on() ? nowNs() : 0; // the trace's events are sorted by it

    if (const auto added = registerTask(task); added != detail::TaskRegistry::Added::Yes) {
        if (task->statistics)
            statistics.taskRefused(task->statistics);
        if (added == detail::TaskRegistry::Added::Closed)
            throwShuttingDown(task->name);
        const QString problem = QStringLiteral("qtm::TaskGroup::createTask: %1; task '%2' was not created")
                                    .arg(GroupRun::of(*group).refusal(*group), task->name);
        qCWarning(lcTasks).noquote() << problem;
        throw std::logic_error(problem.toStdString());
    }
    if (createdNs)
        detail::trace::taskCreated(*task, createdNs);
    return detail::TaskAccess::handle(std::move(task));
}

std::shared_ptr<TaskRecord> detail::makeTaskRecord(TaskLaunch &launch, TaskContext context)
{
    // The one place that maps a kind of work to its run object.
    switch (launch.kind) {
    case TaskKind::Coroutine: {
        auto task = std::make_shared<TaskRecordWith<CoroutineRun>>(launch, std::move(context),
                                                                   std::exchange(launch.coroutine, {}), launch.promise);
        if (launch.promise)
            launch.promise->m_task = task.get();
        return task;
    }
    case TaskKind::ThreadPool:
        return std::make_shared<TaskRecordWith<ThreadRun>>(launch, std::move(context), std::move(launch.body),
                                                           std::exchange(launch.options.retry, std::nullopt));
    case TaskKind::Future:
        return std::make_shared<TaskRecordWith<FutureRun>>(launch, std::move(context), std::move(launch.adopted));
    case TaskKind::Group:
        return std::make_shared<TaskRecordWith<GroupRun>>(launch, std::move(context), std::move(launch.group));
    }
    Q_UNREACHABLE();
}

void TaskManagerPrivate::throwShuttingDown(const QString &name)
{
    throw std::logic_error(QStringLiteral("qtm::TaskManager::createTask: the manager is shutting down; task '%1' "
                                          "was not created")
                               .arg(name)
                               .toStdString());
}

detail::TaskRegistry::Added TaskManagerPrivate::registerTask(const std::shared_ptr<TaskRecord> &task)
{
    // A child is counted in by its group under the registry's lock: it is registered and counted, or neither.
    const auto admit = [&task] { return !task->group || GroupRun::of(*task->group).admit(*task->group, task); };
    return registry.add(task, admit, [this](const std::shared_ptr<TaskRecord> &registered) {
        // The inbox closes only after the registry, whose lock this runs under: this post succeeds.
        [[maybe_unused]] const bool posted = inbox->post({Inbox::Kind::Schedule, registered, {}});
        Q_ASSERT(posted);
    });
}

TaskRecord *TaskManagerPrivate::checkedRecord(const char *where, const Task &task) const
{
    TaskRecord *record = detail::TaskAccess::record(task);
    if (!record)
        detail::throwInvalidArgument(where, QStringLiteral("the task handle is invalid (default-constructed)"));
    if (record->managerId != id)
        detail::throwInvalidArgument(
            where, QStringLiteral("task %1 belongs to another manager").arg(detail::describe(*record)));
    return record;
}

void TaskManagerPrivate::progressChanged(TaskRecord *task)
{
    task->future.progressChanged(*task); // at once: a QFutureWatcher of its own future sees it
    if (!task->progressDirty.exchange(true)) {
        if (const auto inbox = task->inbox.lock())
            inbox->post({Inbox::Kind::Progress, task->shared_from_this(), {}});
    }
}

QFuture<CancelOutcome> TaskManagerPrivate::cancel(const Task &handle, BaseTaskManager::Timeout timeout)
{
    // The Qt way on a path a user drives (a cancel button with a stale handle): a warning naming the
    // problem and an already-resolved future, never an exception that would end a GUI application.
    TaskRecord *task = detail::TaskAccess::record(handle);
    QString problem;
    if (!task)
        problem = QStringLiteral("the task handle is invalid (default-constructed)");
    else if (task->managerId != id)
        problem = QStringLiteral("task %1 belongs to another manager").arg(detail::describe(*task));
    else if (timeout && timeout->count() < 0)
        problem = QStringLiteral("the timeout for task %1 must not be negative (got %2 ms)")
                      .arg(detail::describe(*task))
                      .arg(timeout->count());
    if (!problem.isEmpty()) {
        qCWarning(lcTasks).noquote() << "qtm::TaskManager::cancelTask:" << problem << "- nothing was cancelled";
        return QtFuture::makeReadyFuture(CancelOutcome::Rejected);
    }
    auto request = std::make_unique<Inbox::CancelRequest>();
    request->timeout = timeout;
    request->promise.start();
    QFuture<CancelOutcome> future = request->promise.future();
    if (task->isFinished()) {
        resolve(request->promise, CancelOutcome::AlreadyFinished);
        return future;
    }
    // Set at once, from any thread: a task not started yet will not start, and a thread-pool function
    // sees it without waiting for the manager's loop.
    task->lifecycle.requestCancel(CancelReason::Requested);
    if (isManagerThread() && !shutDown) {
        handleCancel(task, std::move(request));
        return future;
    }
    Inbox::Message message{Inbox::Kind::Cancel, detail::TaskAccess::shared(handle), std::move(request)};
    if (!inbox->post(std::move(message))) {
        // The manager has shut down (post() leaves a refused message untouched): the task is finished,
        // or dangling, which no cancellation can reach any more.
        qCWarning(lcTasks).noquote() << "cancelTask: the manager of task" << detail::describe(*task) << "has shut down";
        resolve(message.cancel->promise, task->isFinished() ? cancelOutcomeFor(*task) : CancelOutcome::TimedOut);
    }
    return future;
}

void TaskManagerPrivate::drain()
{
    ++drainDepth; // nothing below throws: task code runs inside coroutines and runnables
    // Only the coroutines queued to resume before this turn, taken before any message starts a task: a
    // coroutine that yields during this turn (even in its first step) resumes on the next one, after
    // the events queued before it, and the event loop keeps turning.
    std::vector<std::shared_ptr<TaskRecord>> resuming;
    resuming.swap(resumeQueue);
    handleBatch();
    for (const auto &task : resuming)
        detail::CoroutineRun::of(*task).resumeIfScheduled(*this, *task);

    if (progressIntervalMs.load() == 0)
        flushProgress();
    --drainDepth;
    announceCount();
}

void TaskManagerPrivate::handleBatch()
{
    if (batchNext >= batch.size()) {
        batch.clear();
        batchNext = 0;
        inbox->takeAll(batch);
    }
    // A slot may re-enter here (shutdown() from a slot on a task's signal): the inner call handles the
    // rest of this batch, and this loop then finds nothing left.
    while (batchNext < batch.size()) {
        Inbox::Message message = std::move(batch[batchNext++]);
        handle(message);
    }
    batch.clear();
    batchNext = 0;
}

void TaskManagerPrivate::handle(Inbox::Message &message)
{
    TaskRecord *task = message.task.get();
    switch (message.kind) {
    case Inbox::Kind::Schedule:
        if (task->isFinished())
            return;
        ensureCreated(task);
        if (task->lifecycle.isCancelRequested() || registry.isClosed() || task->context.isGuardDestroyed()) {
            // The reason of a request made before it got here is kept: the first one counts.
            task->lifecycle.requestCancel(registry.isClosed() ? CancelReason::Shutdown : CancelReason::GuardDestroyed);
            if (task->run->endsThroughOthers()) // a group: once the children it already has have ended
                task->run->requestCancel(*this, *task);
            else
                finishTask(this, *task, {TaskState::Cancelled, {}, {}});
            return;
        }
        if (task->context.hasGuard())
            bindGuard(task);
        if (task->deadlineNs && !armDeadline(task))
            return;
        start(message.task);
        return;
    case Inbox::Kind::Started:
        if (!task->isFinished() && task->manager) {
            ensureCreated(task);
            notifyAbout<&TaskManager::taskStarted>(*task);
        }
        return;
    case Inbox::Kind::Progress:
        progressQueue.push_back(std::move(message.task));
        if (!progressTimer && progressIntervalMs.load() > 0) {
            progressTimer = timers.add(
                detail::saturatingNanoseconds(std::chrono::milliseconds(progressIntervalMs.load())),
                [](void *d) {
                    auto *self = static_cast<TaskManagerPrivate *>(d);
                    self->progressTimer = {};
                    self->flushProgress();
                },
                this);
            armTimer();
        }
        return;
    case Inbox::Kind::GroupCheck:
        if (task->started)
            GroupRun::of(*task).maybeEnd(this, *task);
        return;
    case Inbox::Kind::Completed:
        detail::ThreadRun::of(*task).reportedEnd(*this, *task);
        return;
    case Inbox::Kind::Cancel:
        if (message.cancel)
            handleCancel(task, std::move(message.cancel));
        else
            requestCancel(task, CancelReason::Requested);
        return;
    case Inbox::Kind::WatchFuture:
        watchFuture(task);
        return;
    case Inbox::Kind::LimitChanged:
        startWaiting();
        return;
    }
}

void TaskManagerPrivate::watchFuture(TaskRecord *task)
{
    if (task->isFinished() || task->futureWatcher || !q_ptr || shutDown)
        return;
    auto *watcher = new QFutureWatcher<void>(q_ptr);
    task->futureWatcher = watcher;
    // The watcher lives no longer than the task's registration (dropWatchers()), so the raw record is safe.
    QObject::connect(watcher, &QFutureWatcherBase::canceled, q_ptr, [this, task] {
        const auto keep = weakSelf.lock();
        if (task->isFinished())
            return; // the manager cancels the future of a task that ended cancelled: nothing to ask for
        qCDebug(lcTasks).noquote() << "the future of task" << detail::describe(*task)
                                   << "was cancelled: cancelling the task";
        requestCancel(task, CancelReason::Requested);
    });
    // Replays the future's state: a cancel that came before this watcher is seen too.
    watcher->setFuture(QFutureInterface<void>(task->future.get(*task)).future());
}

void TaskManagerPrivate::forwardProgress(TaskRecord *task, QFutureWatcherBase *watcher)
{
    const auto update = [task, watcher] {
        const int minimum = watcher->progressMinimum();
        const int maximum = qMax(minimum, watcher->progressMaximum());
        const int value = watcher->progressValue();
        const QString text = watcher->progressText();
        // Without a range or a text, Qt counts the results reported as "progress": that is no progress
        // a producer reported, and nothing a progress bar could show.
        if (maximum == minimum && text.isEmpty())
            return;
        {
            const auto shared = task->shared.lock();
            // The watcher replays the future's state when it is set: only a change is a change.
            if (shared->progressMinimum == minimum && shared->progressMaximum == maximum
                && shared->progressValue == value && shared->progressText == text)
                return;
            shared->progressMinimum = minimum;
            shared->progressMaximum = maximum;
            shared->progressValue = value;
            shared->progressText = text;
        }
        progressChanged(task);
    };
    QObject::connect(watcher, &QFutureWatcherBase::progressRangeChanged, q_ptr, update);
    QObject::connect(watcher, &QFutureWatcherBase::progressValueChanged, q_ptr, update);
    QObject::connect(watcher, &QFutureWatcherBase::progressTextChanged, q_ptr, update);
}

void TaskManagerPrivate::dropWatchers(TaskRecord *task)
{
    // We may be inside one of their signals (finished, canceled): deleted later, disconnected now.
    for (QFutureWatcherBase **watcher : {&task->watcher, &task->futureWatcher}) {
        if (*watcher) {
            (*watcher)->disconnect(q_ptr);
            std::exchange(*watcher, nullptr)->deleteLater();
        }
    }
}

void TaskManagerPrivate::markStarted(TaskRecord &task)
{
    task.shared.lock()->startedAtMs = QDateTime::currentMSecsSinceEpoch();
    task.lifecycle.markRunning();
    notifyAbout<&TaskManager::taskStarted>(task);
}

void TaskManagerPrivate::start(const std::shared_ptr<TaskRecord> &task)
{
    // The group's own limit first, then the manager's; a run that holds no slot of it (a group's, see
    // TaskRun::holdsSlot()) starts at once.
    if (task->group && !task->holdsGroupSlot && !GroupRun::of(*task->group).takeSlot(*this, task))
        return;
    if (!task->run->holdsSlot()) {
        task->started = true;
        task->run->start(*this, *task);
        return;
    }
    if (!hasFreeSlot()) {
        task->shared.lock()->pendingReason = QStringLiteral("waiting for a slot: %1 of %2 running")
                                                 .arg(runningCount)
                                                 .arg(maxConcurrent.load(std::memory_order_relaxed));
        task->waitingTurn = ++nextWaitingTurn;
        waitingForSlot.emplace(waitingKey(*task), task);
        return;
    }
    ++runningCount;
    task->started = true;
    task->run->start(*this, *task);
}

bool TaskManagerPrivate::hasFreeSlot() const
{
    const int limit = maxConcurrent.load(std::memory_order_relaxed);
    return limit == 0 || runningCount < limit;
}

void TaskManagerPrivate::startWaiting()
{
    if (startingWaiting)
        return;
    startingWaiting = true;
    while (!waitingForSlot.empty() && !registry.isClosed() && hasFreeSlot()) {
        const std::shared_ptr<TaskRecord> task = std::move(waitingForSlot.begin()->second);
        waitingForSlot.erase(waitingForSlot.begin());
        task->waitingTurn = 0;
        Q_ASSERT(!task->isFinished()); // a task that ends while it waits leaves the queue (afterTaskEnded())
        task->shared.lock()->pendingReason.clear();
        start(task);
    }
    startingWaiting = false;
}

bool TaskManagerPrivate::armDeadline(TaskRecord *task)
{
    const std::int64_t remainingNs = task->deadlineNs - nowNs();
    if (remainingNs <= 0) { // it passed before the task got here: the task never starts
        deadlineExpired(task);
        return !task->isFinished();
    }
    task->deadlineTimer = timers.add(std::chrono::nanoseconds(remainingNs), &TaskManagerPrivate::deadlineExpired, task);
    armTimer();
    return true;
}

void TaskManagerPrivate::deadlineExpired(void *argument)
{
    // The timer lives no longer than the task's registration (afterTaskEnded(), shutdown()): the raw record
    // is safe here.
    auto *task = static_cast<TaskRecord *>(argument);
    task->deadlineTimer = {};
    TaskManagerPrivate *self = task->manager;
    if (!self || task->isFinished())
        return;
    const std::shared_ptr<TaskRecord> keep = task->shared_from_this();
    qCInfo(lcTasks).noquote() << "task" << detail::describe(*task) << "exceeded its deadline of"
                              << task->deadlineAtMs - task->createdAtMs << "ms; cancelling it";
    if (detail::trace::on())
        detail::trace::instant(*task, "deadline exceeded");
    self->requestCancel(task, CancelReason::DeadlineExceeded);
}

void TaskManagerPrivate::handleCancel(TaskRecord *task, std::unique_ptr<Inbox::CancelRequest> request)
{
    if (task->isFinished()) {
        // It ended between the request and now: the request did not find it finished.
        resolve(request->promise, cancelOutcomeFor(*task));
        return;
    }
    auto waiter = std::make_unique<detail::CancelWaiter>();
    waiter->promise = std::move(request->promise);
    waiter->task = task;
    if (request->timeout) {
        waiter->timeout = *request->timeout;
        waiter->timer = timers.add(
            detail::saturatingNanoseconds(*request->timeout),
            [](void *argument) {
                auto *waiter = static_cast<detail::CancelWaiter *>(argument);
                TaskRecord *task = waiter->task;
                qCWarning(lcTasks).noquote()
                    << "task" << detail::describe(*task) << "did not finish within" << waiter->timeout.count()
                    << "ms of being cancelled; it is still running and stays registered";
                resolve(waiter->promise, CancelOutcome::TimedOut);
                if (detail::trace::on())
                    detail::trace::instant(*task, "cancel timed out");
                if (task->statistics && task->manager)
                    task->manager->statistics.cancelTimedOut(task->statistics);
                auto &waiters = task->cancelWaiters;
                waiters.erase(std::find_if(waiters.begin(), waiters.end(),
                                           [waiter](const auto &w) { return w.get() == waiter; }));
            },
            waiter.get());
        armTimer();
    }
    task->cancelWaiters.push_back(std::move(waiter));
    requestCancel(task, CancelReason::Requested);
}

void TaskManagerPrivate::requestCancel(TaskRecord *task, CancelReason reason)
{
    if (task->isFinished())
        return;
    if (detail::trace::on())
        detail::trace::instant(*task, "cancel requested");
    task->lifecycle.requestCancel(reason);
    if (!task->started && !task->run->endsThroughOthers()) {
        // Never started: its work never runs (a coroutine's frame is destroyed without running a line).
        task->run->discard();
        finishTask(this, *task, {TaskState::Cancelled, {}, {}});
        return;
    }
    task->run->requestCancel(*this, *task);
}

void TaskManagerPrivate::cancelNow(TaskRecord *task, CancelReason reason)
{
    const std::shared_ptr<TaskRecord> keep = task->shared_from_this();
    requestCancel(task, reason);
    if (!task->isFinished())
        task->run->unwindNow(*this, *task);
}

void TaskManagerPrivate::ensureCreated(TaskRecord *task)
{
    if (!task->createdEmitted) {
        task->createdEmitted = true;
        notifyAbout<&TaskManager::taskCreated>(*task);
    }
}

void TaskManagerPrivate::beforeTaskEnds(TaskRecord &task)
{
    ensureCreated(&task);
    if (task.progressDirty.exchange(false))
        notifyAbout<&TaskManager::taskProgressChanged>(task);
    // Before the future finishes: its continuation may delete the manager, and with it these watchers.
    dropWatchers(&task);
}

void TaskManagerPrivate::afterTaskEnded(TaskRecord &task, const Outcome &outcome)
{
    const Task handle = detail::TaskAccess::handle(task.shared_from_this()); // one for both signals
    registry.remove(&task);
    if (task.statistics) {
        qint64 startedAtMs, finishedAtMs;
        {
            const auto shared = task.shared.lock();
            startedAtMs = shared->startedAtMs;
            finishedAtMs = shared->finishedAtMs;
        }
        statistics.taskEnded(task.statistics, outcome.state, finishedAtMs - task.createdAtMs,
                             startedAtMs ? finishedAtMs - startedAtMs : -1);
    }
    unbindGuard(&task);
    if (task.deadlineTimer)
        timers.remove(std::exchange(task.deadlineTimer, {}));
    if (task.waitingTurn && !task.waitsInGroup) { // it ended while it waited for a slot: it leaves the queue now
        waitingForSlot.erase(waitingKey(task));
        task.waitingTurn = 0;
    }

    for (auto &waiter : std::exchange(task.cancelWaiters, {})) {
        if (waiter->timer)
            timers.remove(waiter->timer);
        resolve(waiter->promise, cancelOutcomeFor(task));
    }

    switch (outcome.state) {
    case TaskState::Succeeded:
        qCDebug(lcTasks).noquote() << "task" << detail::describe(task) << "succeeded";
        notify<&TaskManager::taskSucceeded>(handle);
        break;
    case TaskState::Failed:
        qCWarning(lcTasks).noquote() << "task" << detail::describe(task) << "failed:" << outcome.errorText;
        notify<&TaskManager::taskFailed>(handle, outcome.errorText);
        break;
    default:
        qCDebug(lcTasks).noquote() << "task" << detail::describe(task) << "cancelled";
        notify<&TaskManager::taskCancelled>(handle);
        break;
    }
    notify<&TaskManager::taskFinished>(handle);
    if (task.started && task.run->holdsSlot()) {
        --runningCount; // its slot is free: the next waiting task starts now
        startWaiting();
    }
    // After its own signals, its group's reaction: the group's slot, its policy, and its end.
    GroupRun::childEnded(this, task);
    if (drainDepth == 0) // inside a drain, the count is announced once at its end
        announceCount();
}

void TaskManagerPrivate::flushProgress()
{
    const auto queued = std::exchange(progressQueue, {});
    for (const auto &task : queued) {
        if (!task->isFinished() && task->progressDirty.exchange(false)) {
            ensureCreated(task.get());
            task->run->progressFlushed(*task);
            notifyAbout<&TaskManager::taskProgressChanged>(*task);
        }
    }
}

void TaskManagerPrivate::announceCount()
{
    // The generation, not only the count: a task created and ended within one turn leaves the count where
    // it was, but a reader may have seen it one higher in between, and a binding must not keep that value.
    const quint64 generation = registry.generation();
    const int count = registry.count();
    if (count != announcedCount || generation != announcedGeneration) {
        announcedCount = count;
        announcedGeneration = generation;
        notify<&TaskManager::taskCountChanged>(count);
    }
}

void TaskManagerPrivate::bindGuard(TaskRecord *task)
{
    QObject *guard = task->context.guard();
    if (!guard)
        return;
    task->guard = guard;
    GuardBinding &binding = guards[guard];
    binding.tasks.insert(task);
    if (!binding.connection) {
        binding.connection = QObject::connect(guard, &QObject::destroyed, q_ptr, [this, guard] {
            // Cancel at once, and unwind coroutines right here: a member coroutine must not outlive its
            // object by even one loop turn.
            const auto keep = weakSelf.lock();
            const GuardBinding bound = guards.take(guard);
            QList<std::shared_ptr<TaskRecord>> tasks;
            for (TaskRecord *task : bound.tasks) {
                task->guard = nullptr;
                tasks.append(task->shared_from_this());
            }
            for (const auto &task : tasks)
                cancelNow(task.get(), CancelReason::GuardDestroyed);
        });
    }
}

void TaskManagerPrivate::unbindGuard(TaskRecord *task)
{
    QObject *guard = std::exchange(task->guard, nullptr);
    if (!guard)
        return;
    auto it = guards.find(guard);
    if (it == guards.end())
        return;
    it->tasks.remove(task);
    if (it->tasks.isEmpty()) {
        QObject::disconnect(it->connection);
        guards.erase(it);
    }
}

void TaskManagerPrivate::armTimer()
{
    const qint64 ms = timers.msUntilNext();
    if (!q_ptr)
        return; // the manager is gone; what is left is cleaned up with the private
    if (ms < 0)
        timer.stop();
    else
        timer.start(int(qMin<qint64>(ms, std::numeric_limits<int>::max())), Qt::PreciseTimer, q_ptr);
}

void TaskManagerPrivate::fireTimers()
{
    timers.fireDue();
    armTimer();
}

QList<Task> TaskManagerPrivate::shutdown()
{
    if (shutDown)
        return dangling;
    registry.close(); // see TaskRegistry: no task slips in after this
    // Every step below may call a slot that shuts down (or deletes) this manager again: that inner call
    // then does the whole job, and this one stops as soon as it sees it done.
    const auto doneMeanwhile = [this] { return shutDown; };

    // Announce what was queued (a task created but not started yet ends as cancelled, unrun), then
    // cancel every live task; coroutines unwind right here.
    drain();
    for (const auto &task : registry.records()) {
        if (doneMeanwhile())
            return dangling;
        cancelNow(task.get(), CancelReason::Shutdown);
    }

    // Wait, up to the shutdown timeout, for what can still finish: thread-pool functions and adopted
    // futures, and coroutines whose cleanup is due to resume (queued, or on a timer due in time). A
    // coroutine suspended on anything else cannot move without the event loop and is not waited for.
    const QDeadlineTimer deadline(shutdownTimeoutMs.load());
    while (!doneMeanwhile() && registry.count() > 0 && !deadline.hasExpired()) {
        drain();
        timers.fireDue();
        // One pass over what is left: an end that reaches us through events no one delivers here (an
        // adopted future's watcher) is polled; and work that ends without the loop may still end.
        bool waitingHelps = !resumeQueue.empty();
        for (const auto &task : registry.records()) {
            if (doneMeanwhile())
                return dangling;
            task->run->poll(*this, *task);
            if (task->run->endsWithoutLoop() && !task->isFinished())
                waitingHelps = true;
        }
        const qint64 nextTimer = timers.msUntilNext();
        if (nextTimer >= 0 && nextTimer <= deadline.remainingTime())
            waitingHelps = true;
        if (registry.count() == 0 || !waitingHelps)
            break;
        qint64 wait = qMin<qint64>(deadline.remainingTime(), 10);
        if (const qint64 next = timers.msUntilNext(); next >= 0)
            wait = qMin(wait, next);
        inbox->waitForMessage(wait);
    }
    if (doneMeanwhile())
        return dangling;

    // The last completions: what is left of the batch being handled, and what slipped in since.
    handleBatch();
    for (Inbox::Message &message : inbox->close()) {
        if (doneMeanwhile())
            return dangling;
        handle(message);
    }

    // Two passes over what is left. Skipped in both: the step that is shutting the manager down (it deletes
    // the manager), which goes on after this returns, with its cancellation pending, and ends at its next
    // co_await, and a group it is in.
    // First, newest first (a group's children before the group): a coroutine still suspended in its cleanup
    // (awaiting something that needs the event loop) is ended; destroying the frame runs its destructors, so
    // nothing leaks. A group whose children all ended so ends with them.
    const QList<std::shared_ptr<TaskRecord>> left = registry.records();
    for (auto it = left.crbegin(); it != left.crend(); ++it) {
        const auto &task = *it;
        if (doneMeanwhile())
            return dangling;
        if (task->isFinished() || task->run->endsThroughOthers() || task->run->isExecuting()
            || task->run->endsWithoutLoop())
            continue;
        qCInfo(lcTasks).noquote() << "task" << detail::describe(*task)
                                  << "was still suspended after its cancellation at shutdown; its frame is destroyed";
        finishTask(this, *task, {TaskState::Cancelled, {}, {}});
    }
    // Then, oldest first (a group before its children, see GroupRun::abandon()): what still runs without the
    // loop is left dangling, to end on its own. Only what pass 1 ended is skipped (it is unregistered): a
    // thread function that ended in its own thread meanwhile, finding the inbox closed, ended its task there
    // without unregistering it, and is unregistered here like the rest.
    QStringList names;
    for (const auto &task : left) {
        if (doneMeanwhile())
            return dangling;
        if (!registry.contains(task.get()) || task->run->isExecuting())
            continue;
        dangling.append(detail::TaskAccess::handle(task));
        names.append(detail::describe(*task));
        abandonCancelWaiters(task.get());
        if (task->deadlineTimer)
            timers.remove(std::exchange(task->deadlineTimer, {}));
        dropWatchers(task.get());
        task->run->abandon(task);
        registry.remove(task.get());
        if (task->statistics)
            statistics.taskAbandoned(task->statistics);
        unbindGuard(task.get());
        task->manager = nullptr;
    }
    if (!names.isEmpty())
        qCWarning(lcTasks).noquote() << "shutdown left" << names.size() << "dangling task(s) still running after"
                                     << shutdownTimeoutMs.load() << "ms:" << names.join(QStringLiteral(", "));

    for (const GuardBinding &binding : std::as_const(guards))
        QObject::disconnect(binding.connection);
    guards.clear();
    waitingForSlot.clear(); // each ended, cancelled unrun, above
    timer.stop();
    shutDown = true;
    announceCount();
    return dangling;
}

void TaskManagerPrivate::abandonCancelWaiters(TaskRecord *task)
{
    // The manager's timer queue goes with it: each cancelTask() future still waiting keeps its hard
    // bound on a timer in the application's thread, and resolves when the task ends if that comes first.
    QCoreApplication *application = QCoreApplication::instance();
    for (auto &waiter : std::exchange(task->cancelWaiters, {})) {
        auto abandoned = std::make_shared<detail::AbandonedCancelWaiter>();
        abandoned->promise.emplace(std::move(waiter->promise));
        abandoned->timeout = waiter->timeout;
        abandoned->taskName = detail::describe(*task);
        if (waiter->timer) {
            timers.remove(waiter->timer);
            const std::int64_t remainingNs
                = std::max<std::int64_t>(0, waiter->timer.deadline - TaskManagerPrivate::nowNs());
            const qint64 remainingMs = remainingNs / 1'000'000 + (remainingNs % 1'000'000 != 0);
            if (!application) {
                abandoned->resolve(CancelOutcome::TimedOut, true); // no event loop will ever run a timer
            } else if (remainingMs <= std::numeric_limits<int>::max()) { // beyond: practically never
                // Started from the application's thread, where the context object lives, as a child of
                // the application, so that a bound still pending when the application ends leaks nothing.
                auto *context = new QObject;
                context->moveToThread(application->thread());
                abandoned->timerContext = context;
                QMetaObject::invokeMethod(
                    context,
                    [context, abandoned, remainingMs] {
                        context->setParent(QCoreApplication::instance());
                        QTimer::singleShot(std::chrono::milliseconds(remainingMs), context,
                                           [abandoned] { abandoned->resolve(CancelOutcome::TimedOut, true); });
                    },
                    Qt::QueuedConnection);
            }
        }
        // The task may end in its own thread right now (the inbox is closed): finishTask() makes
        // the state final before it takes the waiters under this lock, so none is missed.
        {
            const auto shared = task->shared.lock();
            if (!task->isFinished()) {
                shared->abandonedWaiters.push_back(std::move(abandoned));
                continue;
            }
        }
        abandoned->resolve(cancelOutcomeFor(*task), false);
    }
}

// ---- TaskManager --------------------------------------------------------------------------------------

TaskManager::TaskManager(TaskContext context, QThread *loop, QObject *parent)
    : BaseTaskManager(parent), d_ptr(std::make_shared<TaskManagerPrivate>(this, std::move(context)))
{
    d_ptr->weakSelf = d_ptr;
    if (loop && loop != thread()) {
        if (parent)
            detail::throwInvalidArgument("TaskManager",
                                         QStringLiteral("a manager with a parent lives in its parent's "
                                                        "thread; it cannot run on another loop"));
        moveToThread(loop);
    }
}

TaskManager::TaskManager(QObject *parent) : TaskManager(TaskContext(), nullptr, parent) { }

TaskManager::~TaskManager()
{
    Q_D(TaskManager);
    if (QThread::currentThread() != thread()) {
        // Nothing can make this safe: the tasks' cleanup runs in this thread while the manager's loop may
        // be resuming them. Said loudly, naming both threads, instead of failing somewhere later.
        qCCritical(lcTasks).noquote()
            << QStringLiteral("TaskManager destroyed from thread %1, but it lives in thread %2: destroy a "
                              "manager in its own thread (deleteLater() does); its tasks' cleanup now runs "
                              "in the wrong thread")
                   .arg(QThread::currentThread()->objectName().isEmpty()
                            ? QStringLiteral("0x%1").arg(quintptr(QThread::currentThread()), 0, 16)
                            : QThread::currentThread()->objectName(),
                        !thread()                              ? QStringLiteral("(none)")
                            : thread()->objectName().isEmpty() ? QStringLiteral("0x%1").arg(quintptr(thread()), 0, 16)
                                                               : thread()->objectName());
    }
    d->destroying = true; // no signal from here on: see the class documentation
    delete d->stallWatchdog.exchange(nullptr); // shutdown may wait for tasks: that is not a stall
    d->shutdown();
    // A step of one of our tasks may still be running below us on the stack (it deleted the manager):
    // it holds the private alive, and signals are no longer emitted.
    d->q_ptr = nullptr;
}

QThread *TaskManager::eventLoop() const
{
    return thread();
}

Task TaskManager::launchTask(detail::TaskLaunch &&launch)
{
    Q_D(TaskManager);
    return d->launch(std::move(launch));
}

QFuture<CancelOutcome> TaskManager::cancelTask(const Task &task, Timeout timeout)
{
    // Every public entry point holds the private: a slot on a signal emitted synchronously below (or a
    // continuation of a future resolved below) may delete this manager.
    const auto keep = d_ptr;
    return keep->cancel(task, timeout);
}

QList<Task> TaskManager::currentTasks() const
{
    Q_D(const TaskManager);
    return d->registry.handles();
}

int TaskManager::taskCount() const
{
    Q_D(const TaskManager);
    return d->registry.count();
}

int TaskManager::cancelAllTasks()
{
    const auto keep = d_ptr; // see cancelTask()
    TaskManagerPrivate *d = keep.get();
    const auto tasks = d->registry.records();
    const bool here = d->isManagerThread();
    for (const auto &task : tasks) {
        task->lifecycle.requestCancel(CancelReason::Requested);
        if (here)
            d->requestCancel(task.get(), CancelReason::Requested);
        else
            d->inbox->post({Inbox::Kind::Cancel, task, {}});
        if (d->shutDown || d->destroying)
            break; // a slot shut the manager down, which cancelled the rest
    }
    return int(tasks.size());
}

TaskContext TaskManager::context() const
{
    Q_D(const TaskManager);
    return d->context;
}

QThreadPool *TaskManager::threadPool() const
{
    Q_D(const TaskManager);
    return d->pool.load();
}

void TaskManager::setThreadPool(QThreadPool *pool)
{
    Q_D(TaskManager);
    d->pool.store(pool ? pool : QThreadPool::globalInstance());
}

std::chrono::milliseconds TaskManager::shutdownTimeout() const
{
    Q_D(const TaskManager);
    return std::chrono::milliseconds(d->shutdownTimeoutMs.load());
}

void TaskManager::setShutdownTimeout(std::chrono::milliseconds timeout)
{
    Q_D(TaskManager);
    d->shutdownTimeoutMs.store(nonNegative("TaskManager::setShutdownTimeout", "timeout", timeout));
}

std::chrono::milliseconds TaskManager::progressInterval() const
{
    Q_D(const TaskManager);
    return std::chrono::milliseconds(d->progressIntervalMs.load());
}

void TaskManager::setProgressInterval(std::chrono::milliseconds interval)
{
    Q_D(TaskManager);
    d->progressIntervalMs.store(nonNegative("TaskManager::setProgressInterval", "interval", interval));
}

void TaskManager::setSlowStepThreshold(std::chrono::milliseconds threshold)
{
    Q_D(TaskManager);
    d->slowStepThresholdMs.store(nonNegative("TaskManager::setSlowStepThreshold", "threshold", threshold));
}

std::chrono::milliseconds TaskManager::slowStepThreshold() const
{
    Q_D(const TaskManager);
    return std::chrono::milliseconds(d->slowStepThresholdMs.load());
}

void TaskManager::setStallReportThreshold(std::chrono::milliseconds threshold)
{
    Q_D(TaskManager);
    // A year is "practically never", and keeps the watchdog's waits from overflowing the clock.
    const auto bounded = std::min(
        std::chrono::milliseconds(nonNegative("TaskManager::setStallReportThreshold", "threshold", threshold)),
        std::chrono::milliseconds(std::chrono::hours(24 * 365)));
    detail::StallWatchdog *watchdog = d->stallWatchdog.load(std::memory_order_acquire);
    if (!watchdog && bounded.count() > 0) {
        // Made once; of two threads turning the reports on at once, one installs its watchdog.
        auto made = std::make_unique<detail::StallWatchdog>(*d, this);
        if (d->stallWatchdog.compare_exchange_strong(watchdog, made.get(), std::memory_order_acq_rel))
            watchdog = made.release();
    }
    if (watchdog)
        watchdog->setThreshold(bounded);
}

std::chrono::milliseconds TaskManager::stallReportThreshold() const
{
    Q_D(const TaskManager);
    const detail::StallWatchdog *watchdog = d->stallWatchdog.load(std::memory_order_acquire);
    return watchdog ? watchdog->threshold() : std::chrono::milliseconds(0);
}

void TaskManager::setMaxConcurrentTasks(int limit)
{
    if (limit < 0)
        detail::throwInvalidArgument(
            "TaskManager::setMaxConcurrentTasks",
            QStringLiteral("the limit must not be negative (got %1; 0 sets no limit)").arg(limit));
    const auto keep = d_ptr; // see cancelTask()
    keep->maxConcurrent.store(limit, std::memory_order_relaxed);
    // A higher limit starts waiting tasks at once, in the manager's thread (through the inbox from another
    // thread: its standard mutex is a happens-before edge that ThreadSanitizer sees, Qt's event queue is not).
    if (keep->isManagerThread())
        keep->startWaiting();
    else
        keep->inbox->post({Inbox::Kind::LimitChanged, nullptr, {}}); // refused once shut down: nothing waits
}

int TaskManager::maxConcurrentTasks() const
{
    Q_D(const TaskManager);
    return d->maxConcurrent.load(std::memory_order_relaxed);
}

void TaskManager::setTaskSuspended(const Task &task, bool suspended)
{
    const auto keep = d_ptr; // see cancelTask()
    TaskManagerPrivate *d = keep.get();
    TaskRecord *record = d->checkedRecord("TaskManager::setTaskSuspended", task);
    if (record->isFinished())
        return;
    if (QFutureInterfaceBase *future = record->future.ifMade())
        future->setSuspended(suspended); // TaskControl::suspendIfRequested() watches the task's future
    record->run->setSuspended(*record, suspended); // a QPromise function watches its own promise
}

QList<Task> TaskManager::shutdown()
{
    const auto keep = d_ptr; // see cancelTask()
    if (!keep->isManagerThread())
        qCWarning(lcTasks) << "TaskManager::shutdown() called outside the manager's thread";
    return keep->shutdown();
}

TaskGraph TaskManager::captureTaskGraph() const
{
    Q_D(const TaskManager);
    return detail::TaskGraphBuilder::capture(d->registry.records());
}

TaskStatistics TaskManager::statistics() const
{
    Q_D(const TaskManager);
    return d->statistics.snapshot();
}

void TaskManager::resetStatistics()
{
    Q_D(TaskManager);
    d->statistics.reset();
}

void TaskManager::setStatisticsEnabled(bool enabled)
{
    Q_D(TaskManager);
    d->statistics.enabled.store(enabled, std::memory_order_relaxed);
}

bool TaskManager::statisticsEnabled() const
{
    Q_D(const TaskManager);
    return d->statistics.enabled.load(std::memory_order_relaxed);
}

bool TaskManager::isShuttingDown() const
{
    Q_D(const TaskManager);
    return d->registry.isClosed();
}

QT_WARNING_PUSH
QT_WARNING_DISABLE_DEPRECATED
void TaskManager::setup(const TaskManagerParams &params)
{
    if (params.loop && params.loop != thread())
        qCWarning(lcTasks) << "TaskManager::setup() is deprecated and changes nothing: the manager already runs on"
                           << thread() << "; pass the loop to the constructor instead";
}
QT_WARNING_POP

bool TaskManager::event(QEvent *event)
{
    // Pairs with the release in Inbox::postDrainEvent(): the event may come from another thread, through
    // Qt's posted-event queue. (An acquire nothing released is a no-op.) Only our own events touch the
    // private part: others may be the first this thread sees of a manager moved here.
    tsanAcquire(event);
    if (event->type() == detail::StallWatchdog::questionEventType()) {
        detail::StallWatchdog::answer(*event);
        return true;
    }
    if (event->type() == Inbox::drainEventType()) {
        Q_D(TaskManager);
        const auto keep = d_ptr; // a task may delete this manager; see ~TaskManager()
        d->drain();
        return true;
    }
    if (event->type() == QEvent::Timer) {
        Q_D(TaskManager);
        if (static_cast<QTimerEvent *>(event)->timerId() == d->timer.timerId()) {
            const auto keep = d_ptr;
            d->fireTimers();
            return true;
        }
    }
    return BaseTaskManager::event(event);
}

} // namespace qtm
