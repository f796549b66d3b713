// A group of tasks (TaskKind::Group): admission of children, the group's own limit, its policy, and its
// end once its children have ended.

#include "grouprun_p.h"
#include "taskmanager_p.h"

#include <qtm/taskgroup.h>

#include <QtCore/QStringList>

namespace qtm {

namespace {
QString groupErrorText(const Task &group, const QList<Task> &failed, int childCount)
{
    QStringList parts;
    for (const Task &task : failed)
        parts.append(QStringLiteral("'%1' (#%2): %3").arg(task.name()).arg(task.id()).arg(task.errorText()));
    return QStringLiteral("%1 of %2 tasks of group '%3' (#%4) failed: %5")
        .arg(failed.size())
        .arg(childCount)
        .arg(group.name())
        .arg(group.id())
        .arg(parts.join(QStringLiteral("; ")));
}
} // namespace

GroupError::GroupError(const Task &group, QList<Task> failed, int childCount)
    : std::runtime_error(groupErrorText(group, failed, childCount).toStdString()), m_failed(std::move(failed))
{ }

QStringList GroupError::errors() const
{
    QStringList errors;
    for (const Task &task : m_failed)
        errors.append(task.errorText());
    return errors;
}

} // namespace qtm

namespace qtm::detail {

namespace {
thread_local const Task *t_joiningGroup = nullptr;

GroupRun *groupRunOf(const char *where, const Task &group)
{
    TaskRecord *record = TaskAccess::record(group);
    if (!record)
        throwInvalidArgument(where, QStringLiteral("the group handle is invalid (default-constructed)"));
    if (record->kind != TaskKind::Group)
        throwInvalidArgument(where, QStringLiteral("task %1 is not a group").arg(describe(*record)));
    return &GroupRun::of(*record);
}
} // namespace

JoinGroupScope::JoinGroupScope(const Task &group) : m_previous(std::exchange(t_joiningGroup, &group)) { }

JoinGroupScope::~JoinGroupScope()
{
    t_joiningGroup = m_previous;
}

std::shared_ptr<TaskRecord> takeJoiningGroup()
{
    const Task *group = std::exchange(t_joiningGroup, nullptr);
    return group ? TaskAccess::shared(*group) : nullptr;
}

BaseTaskManager *groupManager(const Task &group, BaseTaskManager *manager)
{
    groupRunOf("TaskGroup::createTask", group);
    if (!manager)
        throw std::logic_error(QStringLiteral("qtm::TaskGroup::createTask: the manager of group '%1' is gone")
                                   .arg(group.name())
                                   .toStdString());
    return manager;
}

void closeGroup(const Task &group)
{
    groupRunOf("TaskGroup::close", group)->close(*TaskAccess::record(group));
}

QList<Task> groupChildren(const Task &group)
{
    return groupRunOf("TaskGroup::children", group)->children();
}

GroupPolicy groupPolicy(const Task &group)
{
    return groupRunOf("TaskGroup::policy", group)->policy();
}

int groupMaxConcurrent(const Task &group)
{
    return groupRunOf("TaskGroup::maxConcurrent", group)->maxConcurrent();
}

void checkNotInGroup(TaskRecord *task, const Task &group)
{
    // A task's chain of groups is fixed at its creation, and each link is kept while the task lives.
    const TaskRecord *target = TaskAccess::record(group);
    for (const TaskRecord *at = task; at; at = at->group.get()) {
        if (at == target)
            throw std::logic_error(QStringLiteral("qtm: co_await: task %1 awaits its own group %2, which waits for it")
                                       .arg(describe(*task), describe(*target))
                                       .toStdString());
    }
}

GroupRun::GroupRun(std::unique_ptr<GroupSpec> spec) : m_spec(std::move(spec)) { }

GroupRun &GroupRun::of(TaskRecord &task)
{
    Q_ASSERT(task.kind == TaskKind::Group);
    return static_cast<GroupRun &>(*task.run);
}

bool GroupRun::admit(TaskRecord &group, const std::shared_ptr<TaskRecord> &child)
{
    {
        const QMutexLocker lock(&m_mutex);
        if (m_over || m_stopping)
            return false;
        m_children.push_back(child);
        ++m_live;
    }
    updateProgress(group);
    return true;
}

QString GroupRun::refusal(TaskRecord &group) const
{
    const QMutexLocker lock(&m_mutex);
    return QStringLiteral("group %1 %2")
        .arg(describe(group),
             m_over ? QStringLiteral("has ended")
                    : QStringLiteral("is stopping (cancelled, or its "
                                     "policy ended it)"));
}

void GroupRun::close(TaskRecord &group)
{
    {
        const QMutexLocker lock(&m_mutex);
        if (m_closed)
            return;
        m_closed = true;
        if (m_live > 0)
            return; // the last child's end ends it
    }
    // The group ends in its manager's thread: a message, whatever thread this is (a slot of its end may
    // delete the manager, which must not happen inside the caller's close()).
    if (const auto inbox = group.inbox.lock())
        inbox->post({Inbox::Kind::GroupCheck, group.shared_from_this(), {}});
}

QList<Task> GroupRun::children() const
{
    const QMutexLocker lock(&m_mutex);
    QList<Task> children;
    children.reserve(qsizetype(m_children.size()));
    for (const auto &child : m_children)
        children.append(TaskAccess::handle(child));
    return children;
}

std::vector<std::shared_ptr<TaskRecord>> GroupRun::liveChildren(int *counted) const
{
    std::vector<std::shared_ptr<TaskRecord>> live;
    const QMutexLocker lock(&m_mutex);
    for (const auto &child : m_children)
        if (!child->isFinished())
            live.push_back(child);
    if (counted)
        *counted = m_live;
    return live;
}

bool GroupRun::takeSlot(TaskManagerPrivate &, const std::shared_ptr<TaskRecord> &child)
{
    const int limit = m_spec->maxConcurrent;
    if (limit == 0)
        return true;
    if (m_running < limit) {
        ++m_running;
        child->holdsGroupSlot = true;
        return true;
    }
    child->shared.lock()->pendingReason = QStringLiteral("waiting for a slot in group '%1': %2 of %3 running")
                                              .arg(child->group->displayName())
                                              .arg(m_running)
                                              .arg(limit);
    child->waitsInGroup = true;
    child->waitingTurn = ++m_nextTurn;
    m_waiting.emplace(TaskManagerPrivate::waitingKey(*child), child);
    return false;
}

void GroupRun::leaveSlot(TaskManagerPrivate &manager, TaskRecord &child)
{
    if (child.waitsInGroup) { // it ended while it waited: it leaves the queue now
        m_waiting.erase(TaskManagerPrivate::waitingKey(child));
        child.waitsInGroup = false;
        child.waitingTurn = 0;
        return;
    }
    if (!std::exchange(child.holdsGroupSlot, false))
        return;
    --m_running;
    if (m_startingNext)
        return; // the loop below, further up the stack (a child that ended in its first step), goes on
    m_startingNext = true;
    while (!m_waiting.empty() && m_running < m_spec->maxConcurrent && !manager.registry.isClosed()) {
        const std::shared_ptr<TaskRecord> next = std::move(m_waiting.begin()->second);
        m_waiting.erase(m_waiting.begin());
        next->waitsInGroup = false;
        next->waitingTurn = 0;
        next->shared.lock()->pendingReason.clear();
        ++m_running;
        next->holdsGroupSlot = true;
        manager.start(next); // and now the manager's own limit
    }
    m_startingNext = false;
}

void GroupRun::childEnded(TaskManagerPrivate *manager, TaskRecord &child)
{
    const std::shared_ptr<TaskRecord> group = std::move(child.group);
    if (!group)
        return;
    GroupRun &run = of(*group);
    bool stop = false;
    bool abandoned;
    {
        const QMutexLocker lock(&run.m_mutex);
        --run.m_live;
        ++run.m_ended;
        abandoned = run.m_abandoned;
        if (!run.m_stopping && !run.m_over) {
            const TaskState state = child.loadState();
            if (state == TaskState::Failed && run.m_spec->policy == GroupPolicy::FailFast)
                stop = true;
            if (state == TaskState::Succeeded && run.m_spec->policy == GroupPolicy::FirstSuccess) {
                run.m_winner = &child;
                stop = true;
            }
            run.m_stopping = stop;
        }
    }
    run.updateProgress(*group);
    // Once abandoned, the group ends without its manager, wherever its last child does.
    TaskManagerPrivate *owner = abandoned ? nullptr : manager;
    if (owner) {
        run.leaveSlot(*owner, child);
        if (stop) {
            qCDebug(lcTasks).noquote() << "group" << describe(*group) << "stops its other children: task"
                                       << describe(child) << (run.m_winner ? "succeeded first" : "failed");
            run.stopChildren(*owner, CancelReason::GroupStopped, false);
        }
    }
    run.maybeEnd(owner, *group);
}

void GroupRun::maybeEnd(TaskManagerPrivate *manager, TaskRecord &group)
{
    if (group.isFinished())
        return;
    {
        const QMutexLocker lock(&m_mutex);
        if (m_over || m_live > 0)
            return;
        const bool cancelled = group.lifecycle.isCancelRequested();
        if (!m_closed && !m_stopping && !cancelled)
            return;
        if (manager && !group.started && !cancelled)
            return; // it starts (and ends) when its turn comes in the group it is in
        m_over = true;
    }
    group.future.progressChanged(group); // its last count, before the future finishes
    finishTask(manager, group, outcome(group));
}

Outcome GroupRun::outcome(TaskRecord &group)
{
    if (group.lifecycle.isCancelRequested())
        return {TaskState::Cancelled, {}, {}};
    QList<Task> failed;
    int childCount;
    bool won;
    {
        const QMutexLocker lock(&m_mutex);
        childCount = int(m_children.size());
        won = m_winner != nullptr;
        for (const auto &child : m_children)
            if (child->loadState() == TaskState::Failed)
                failed.append(TaskAccess::handle(child));
    }
    const auto failure = [&] {
        auto error
            = std::make_exception_ptr(GroupError(TaskAccess::handle(group.shared_from_this()), failed, childCount));
        return Outcome{TaskState::Failed, describeException(error), error};
    };
    switch (m_spec->policy) {
    case GroupPolicy::FailFast:
    case GroupPolicy::ContinueOnError:
        return failed.isEmpty() ? Outcome{} : failure();
    case GroupPolicy::FirstSuccess:
        if (won || childCount == 0)
            return {};
        // None succeeded: it failed if any child did; all of them cancelled by their own code is a cancel.
        return failed.isEmpty() ? Outcome{TaskState::Cancelled, {}, {}} : failure();
    case GroupPolicy::AllSettled:
        return {};
    }
    Q_UNREACHABLE();
}

void GroupRun::updateProgress(TaskRecord &group)
{
    {
        const auto shared = group.shared.lock();
        const QMutexLocker lock(&m_mutex);
        shared->progressMinimum = 0;
        shared->progressMaximum = int(m_children.size());
        shared->progressValue = m_ended;
    }
    // Announced only while it runs (a task reports progress between taskStarted and its outcome): a group
    // waiting for a slot in the group it is in gets children all the same, and start() announces them.
    if (group.loadState() == TaskState::Running)
        announceProgress(group);
}

void GroupRun::announceProgress(TaskRecord &group)
{
    // Two changes per child: its future and its signal follow at the next flush (flushProgress()), once
    // for however many children came and went meanwhile, not once per child.
    if (!group.progressDirty.exchange(true)) {
        if (const auto inbox = group.inbox.lock())
            inbox->post({Inbox::Kind::Progress, group.shared_from_this(), {}});
    }
}

void GroupRun::stopChildren(TaskManagerPrivate &manager, CancelReason reason, bool now)
{
    // Each cancel may end its child right here (one not started yet), and with it, through childEnded(),
    // the group: the pass is over a copy.
    for (const auto &child : liveChildren()) {
        if (now)
            manager.cancelNow(child.get(), reason);
        else
            manager.requestCancel(child.get(), reason);
    }
}

void GroupRun::start(TaskManagerPrivate &manager, TaskRecord &group)
{
    manager.markStarted(group);
    announceProgress(group); // the children it got before it started
    maybeEnd(&manager, group); // closed with no child, or its children already ended while it waited
}

void GroupRun::requestCancel(TaskManagerPrivate &manager, TaskRecord &group)
{
    {
        const QMutexLocker lock(&m_mutex);
        m_stopping = true;
    }
    stopChildren(manager, group.lifecycle.cancelReason(), false);
    maybeEnd(&manager, group);
}

void GroupRun::unwindNow(TaskManagerPrivate &manager, TaskRecord &group)
{
    stopChildren(manager, group.lifecycle.cancelReason(), true);
    maybeEnd(&manager, group);
}

void GroupRun::deliverResults(QFutureInterfaceBase &future)
{
    std::vector<std::shared_ptr<TaskRecord>> from;
    {
        const QMutexLocker lock(&m_mutex);
        for (const auto &child : m_children) {
            if (m_winner ? child.get() == m_winner : child->loadState() == TaskState::Succeeded)
                from.push_back(child);
        }
    }
    const std::unique_ptr<GroupResults> results = m_spec->makeResults();
    if (!results)
        return; // a group of void
    for (const auto &child : from)
        child->future.appendResultsTo(*results);
    results->reportTo(future);
}

bool GroupRun::endsWithoutLoop() const
{
    // Only through children that do; with none left unfinished, it ends the moment nothing holds it.
    const auto unfinished = liveChildren();
    if (unfinished.empty())
        return false;
    for (const auto &child : unfinished)
        if (!child->run->endsWithoutLoop())
            return false;
    return true;
}

bool GroupRun::isExecuting() const
{
    int live = 0;
    const auto unfinished = liveChildren(&live);
    // A child that has ended but is still counted live is ending below the caller on the stack (a slot of
    // its signals is shutting the manager down): the group ends when that child's end returns to it.
    if (live > int(unfinished.size()))
        return true;
    for (const auto &child : unfinished)
        if (child->run->isExecuting())
            return true;
    return false;
}

void GroupRun::progressFlushed(TaskRecord &group)
{
    group.future.progressChanged(group); // its count reaches its future here (announceProgress())
}

void GroupRun::abandon(const std::shared_ptr<TaskRecord> &)
{
    // Before its children are (shutdown abandons the oldest first): from here on a child's end, in
    // whichever thread, ends the group without the manager.
    const QMutexLocker lock(&m_mutex);
    m_abandoned = true;
}

} // namespace qtm::detail
