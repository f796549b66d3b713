#pragma once

#include "taskrun_p.h"

#include <qtm/task.h>

#include <QtCore/QMutex>

#include <map>
#include <memory>
#include <vector>

namespace qtm::detail {

/*!
 * \internal
 * How a group runs (TaskKind::Group): its work is its children. A child's record holds its group until it
 * ends; the group holds its children for as long as it lives, in creation order.
 *
 * The life of a group: admitted children (admit(), any thread, under the registry's lock, so a child is
 * either counted here and registered or neither) raise the live count; each child's end (childEnded(), in
 * the manager's thread, or in the child's own once the manager gave both up at shutdown) lowers it and
 * applies the policy; the group ends (maybeEnd()) when the count is 0 and it is closed, cancelled or stopped
 * by its policy. From that moment no child is admitted.
 *
 * The group's own limit (GroupOptions::maxConcurrent) is applied in the manager's thread, before the
 * manager's: takeSlot(), releaseSlot().
 */
//! The group the next task this thread creates joins (see JoinGroupScope), taken: null for none.
std::shared_ptr<TaskRecord> takeJoiningGroup();

class GroupRun final : public TaskRun
{
public:
    explicit GroupRun(std::unique_ptr<GroupSpec> spec);
    static GroupRun &of(TaskRecord &task);

    // Any thread.
    //! Counts \a child in; false (touching nothing) if the group has ended or is stopping; with the
    //! registry's lock held.
    bool admit(TaskRecord &group, const std::shared_ptr<TaskRecord> &child);
    //! Why admit() refused, for the error.
    QString refusal(TaskRecord &group) const;
    //! See TaskGroup::close().
    void close(TaskRecord &group);
    QList<Task> children() const;
    GroupPolicy policy() const { return m_spec->policy; }
    int maxConcurrent() const { return m_spec->maxConcurrent; }

    // The manager's thread.
    //! Whether \a child may start now as far as the group's limit goes; if not, it waits in the group.
    bool takeSlot(TaskManagerPrivate &manager, const std::shared_ptr<TaskRecord> &child);
    //! \a child, which ended, leaves the group's queue or gives its slot back (the next one starts).
    void leaveSlot(TaskManagerPrivate &manager, TaskRecord &child);
    //! \a child has ended (with its signals emitted); \a manager is null when both were abandoned.
    static void childEnded(TaskManagerPrivate *manager, TaskRecord &child);
    //! Ends the group if nothing keeps it live any more.
    void maybeEnd(TaskManagerPrivate *manager, TaskRecord &group);

    // TaskRun
    void start(TaskManagerPrivate &manager, TaskRecord &group) override;
    void requestCancel(TaskManagerPrivate &manager, TaskRecord &group) override;
    void unwindNow(TaskManagerPrivate &manager, TaskRecord &group) override;
    void deliverResults(QFutureInterfaceBase &future) override;
    void release(TaskRecord &) override { }
    bool endsWithoutLoop() const override;
    //! A child's work is executing below the caller, or a child's end is: the group ends after them.
    bool isExecuting() const override;
    void abandon(const std::shared_ptr<TaskRecord> &group) override;
    void progressFlushed(TaskRecord &group) override;
    bool holdsSlot() const override { return false; }
    bool endsThroughOthers() const override { return true; }

private:
    //! The children not finished yet, for a pass over them without the lock; with \a counted, also how many
    //! children the group counts live, read under the same lock.
    std::vector<std::shared_ptr<TaskRecord>> liveChildren(int *counted = nullptr) const;
    //! Cancels every live child with \a reason; they end in their own time.
    void stopChildren(TaskManagerPrivate &manager, CancelReason reason, bool now);
    Outcome outcome(TaskRecord &group);
    void updateProgress(TaskRecord &group);
    static void announceProgress(TaskRecord &group);

    const std::unique_ptr<GroupSpec> m_spec;

    mutable QMutex m_mutex; // guards what follows, up to the loop side
    std::vector<std::shared_ptr<TaskRecord>> m_children;
    int m_live = 0;
    int m_ended = 0; // children that have ended
    bool m_closed = false;
    bool m_stopping = false; // its policy stopped it, or it is cancelled: it admits no child
    bool m_over = false; // the group has ended, or is ending
    bool m_abandoned = false; // left to end without its manager (shutdown)
    TaskRecord *m_winner = nullptr; // GroupPolicy::FirstSuccess: the child that succeeded first

    // Loop side.
    int m_running = 0; // children holding a slot of the group's limit
    std::map<std::pair<qint64, quint64>, std::shared_ptr<TaskRecord>> m_waiting; // by (-priority, turn)
    quint64 m_nextTurn = 0;
    bool m_startingNext = false; // leaveSlot() is starting waiting children further up the stack
};

} // namespace qtm::detail
