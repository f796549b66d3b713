#pragma once

#include <qtm/basetaskmanager.h>
#include <qtm/detail/futureawaiter.h>
#include <qtm/task.h>
#include <qtm/taskoptions.h>

#include <QtCore/QList>
#include <QtCore/QPointer>
#include <QtCore/QStringList>

#include <stdexcept>
#include <utility>

namespace qtm {

/*!
 * What a group that failed (GroupPolicy::FailFast, ContinueOnError, FirstSuccess) throws from `co_await`,
 * from its future, and holds as its Task::exception(): every child that failed, not only the first, in
 * creation order. what() names them all: "2 of 5 tasks of group 'sync' (#1) failed: 'a' (#2): timeout;
 * 'b' (#4): refused".
 */
class QTM_EXPORT GroupError : public std::runtime_error
{
public:
    //! The error of group \a group, whose children \a failed failed, out of \a childCount.
    GroupError(const Task &group, QList<Task> failed, int childCount);
    //! The children that failed, in creation order.
    const QList<Task> &failedTasks() const noexcept { return m_failed; }
    //! The error text of each of failedTasks(), in the same order.
    QStringList errors() const;

private:
    QList<Task> m_failed;
};

namespace detail {
//! Checks that \a group can take children and returns its manager; throws naming the problem otherwise.
QTM_EXPORT BaseTaskManager *groupManager(const Task &group, BaseTaskManager *manager);
//! GroupRun's part of TaskGroup: any thread.
QTM_EXPORT void closeGroup(const Task &group);
QTM_EXPORT QList<Task> groupChildren(const Task &group);
QTM_EXPORT GroupPolicy groupPolicy(const Task &group);
QTM_EXPORT int groupMaxConcurrent(const Task &group);
//! Throws std::logic_error if \a task (a coroutine's) is \a group or one of its children, at any depth:
//! awaiting it would wait for itself.
QTM_EXPORT void checkNotInGroup(TaskRecord *task, const Task &group);

/*!
 * For the scope of TaskGroup::createTask(): the next task this thread creates joins \a group
 * (TaskManagerPrivate::launch() takes it, once). Scopes nest.
 */
class QTM_EXPORT JoinGroupScope
{
public:
    explicit JoinGroupScope(const Task &group);
    ~JoinGroupScope();
    JoinGroupScope(const JoinGroupScope &) = delete;
    JoinGroupScope &operator=(const JoinGroupScope &) = delete;

private:
    const Task *m_previous;
};
} // namespace detail

/*!
 * A group of tasks, itself a task (TaskKind::Group): named, in the registry, in the signals and the models,
 * with children. Structured: it never ends before all its children have; cancelling it (cancelTask(), its
 * deadline, its guard, the manager's shutdown) cancels them, and a cancelTask() bound covers the whole
 * group. Its policy (GroupPolicy) decides how it reacts to a child's end and what its outcome is.
 *
 * Made by BaseTaskManager::createGroup() from any thread, or inside a coroutine; children are added with
 * createTask() (and nested groups with createGroup()) from any thread, as long as the group has not ended.
 * The group ends once it is closed (close(), or `co_await` on it) and every child has ended, or, once it is
 * cancelled or its policy stopped it, as soon as every child has ended.
 *
 * \a T is its children's result type: its future (TypedTask<T>::future()) then has one result per child
 * that succeeded, in creation order (for FirstSuccess, the winner's), and `co_await group` returns them as
 * a QList<T>. A group of void takes children of any type.
 *
 * Its progress counts its children: progressValue() ended of progressMaximum() created.
 */
template<typename T = void>
class TaskGroup : public TypedTask<T>
{
public:
    //! An invalid handle.
    TaskGroup() = default;

    //! Creates a task in this group, as BaseTaskManager::createTask(\a work, \a options) would: it inherits
    //! the group's context unless \a options gives one. Throws std::logic_error once the group has ended or
    //! its policy or a cancel is stopping it.
    template<typename Work>
    auto createTask(Work &&work, TaskOptions options = {}) const
    {
        BaseTaskManager *manager = detail::groupManager(*this, m_manager);
        const detail::JoinGroupScope scope(*this);
        auto task = manager->createTask(std::forward<Work>(work), std::move(options));
        static_assert(std::is_void_v<T> || std::is_same_v<decltype(task), TypedTask<T>>,
                      "a TaskGroup<T>'s children return T: a group of void takes children of any type");
        return task;
    }
    //! createTask(\a work, {.name = \a name}).
    template<typename Work>
    auto createTask(Work &&work, const QString &name) const
    {
        return createTask(std::forward<Work>(work), TaskOptions{.name = name});
    }
    //! Creates a group in this group (groups nest), as BaseTaskManager::createGroup() would.
    template<typename U = void>
    TaskGroup<U> createGroup(GroupOptions options = {}) const
    {
        BaseTaskManager *manager = detail::groupManager(*this, m_manager);
        const detail::JoinGroupScope scope(*this);
        return manager->template createGroup<U>(std::move(options));
    }

    //! No child is to come from outside any more: the group ends once its children have (children may still
    //! add children to it until then). Any thread; once is enough, more is harmless.
    void close() const { detail::closeGroup(*this); }
    //! Its children, in creation order, live and ended.
    QList<Task> children() const { return detail::groupChildren(*this); }
    //! The policy it was created with.
    GroupPolicy policy() const { return detail::groupPolicy(*this); }
    //! Its own concurrency limit (GroupOptions::maxConcurrent); 0 for none.
    int maxConcurrent() const { return detail::groupMaxConcurrent(*this); }

private:
    friend class BaseTaskManager;
    TaskGroup(Task task, BaseTaskManager *manager) : TypedTask<T>(std::move(task)), m_manager(manager) { }
    QPointer<BaseTaskManager> m_manager;
};

namespace detail {

//! `co_await group`: closes the group, waits for it, and gives its children's results (or throws its error).
template<typename T>
class GroupAwaiter
{
public:
    GroupAwaiter(TaskRecord *task, const TaskGroup<T> &group)
        : m_inner(task, static_cast<const Task &>(group).future(), false, AwaitKind::Group), m_results(group.future())
    {
        m_inner.setAwaitedTask(group.id(), group.name());
    }
    bool await_ready() const noexcept { return false; }
    bool await_suspend(std::coroutine_handle<> awaiting) { return m_inner.await_suspend(awaiting); }
    //! Where the `co_await` is written, for the task graph.
    void setLocation(SourceLocation where) noexcept { m_inner.setLocation(where); }
    auto await_resume()
    {
        m_inner.await_resume(); // throws the group's error, or the cancellation
        if constexpr (std::is_void_v<T>)
            return;
        else
            return m_results.results();
    }

private:
    FutureAwaiter<void> m_inner;
    QFuture<T> m_results;
};

template<typename T>
GroupAwaiter<T> toAwaiter(TaskRecord *task, const TaskGroup<T> &group)
{
    if (!group.isValid())
        throwInvalidArgument("co_await", QStringLiteral("the awaited group handle is invalid (default-constructed)"));
    checkNotInGroup(task, group);
    group.close();
    return GroupAwaiter<T>(task, group);
}

} // namespace detail

template<typename T>
TaskGroup<T> BaseTaskManager::createGroup(GroupOptions options)
{
    if (options.maxConcurrent < 0)
        detail::throwInvalidArgument("TaskManager::createGroup",
                                     QStringLiteral("the limit of group '%1' must not be negative (got %2)")
                                         .arg(options.name)
                                         .arg(options.maxConcurrent));
    auto future = std::make_unique<detail::TypedTaskFutureRef<T>>();
    detail::TaskLaunch launch(TaskKind::Group,
                              TaskOptions{.name = std::move(options.name),
                                          .context = std::move(options.context),
                                          .priority = options.priority,
                                          .deadline = options.deadline},
                              std::move(future));
    launch.group = std::make_unique<detail::GroupSpec>(
        detail::GroupSpec{options.policy, options.maxConcurrent, &detail::makeGroupResults<T>});
    return TaskGroup<T>(launchTask(std::move(launch)), this);
}

} // namespace qtm
