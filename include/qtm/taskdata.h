#pragma once

#include <qtm/taskcontext.h>
#include <qtm/taskenums.h>
#include <qtm/taskgraph.h>

#include <QtCore/QDateTime>
#include <QtCore/QString>

QT_BEGIN_NAMESPACE
class QDebug;
QT_END_NAMESPACE

namespace qtm {

/*!
 * The record the manager keeps for each task, as a snapshot value: everything a dashboard, a log line or
 * a test needs to know about a task at one moment. Get one from Task::data().
 */
struct QTM_EXPORT TaskData
{
    Q_GADGET
    Q_PROPERTY(quint64 id MEMBER id CONSTANT) //!< The field id, for QML.
    Q_PROPERTY(QString name MEMBER name CONSTANT) //!< The field name, for QML.
    Q_PROPERTY(qtm::TaskKind kind MEMBER kind CONSTANT) //!< The field kind, for QML.
    Q_PROPERTY(qtm::TaskState state MEMBER state CONSTANT) //!< The field state, for QML.
    Q_PROPERTY(int progressValue MEMBER progressValue CONSTANT) //!< The field progressValue, for QML.
    Q_PROPERTY(int progressMinimum MEMBER progressMinimum CONSTANT) //!< The field progressMinimum, for QML.
    Q_PROPERTY(int progressMaximum MEMBER progressMaximum CONSTANT) //!< The field progressMaximum, for QML.
    Q_PROPERTY(QString progressText MEMBER progressText CONSTANT) //!< The field progressText, for QML.
    Q_PROPERTY(QString errorText MEMBER errorText CONSTANT) //!< The field errorText, for QML.
    Q_PROPERTY(QString pendingReason MEMBER pendingReason CONSTANT) //!< The field pendingReason, for QML.
    Q_PROPERTY(QDateTime createdAt MEMBER createdAt CONSTANT) //!< The field createdAt, for QML.
    Q_PROPERTY(QDateTime startedAt MEMBER startedAt CONSTANT) //!< The field startedAt, for QML.
    Q_PROPERTY(QDateTime finishedAt MEMBER finishedAt CONSTANT) //!< The field finishedAt, for QML.
    Q_PROPERTY(bool cancellable MEMBER cancellable CONSTANT) //!< The field cancellable, for QML.
    Q_PROPERTY(qtm::CancelReason cancelReason MEMBER cancelReason CONSTANT) //!< The field cancelReason, for QML.
    Q_PROPERTY(int priority MEMBER priority CONSTANT) //!< The field priority, for QML.
    Q_PROPERTY(QDateTime deadline MEMBER deadline CONSTANT) //!< The field deadline, for QML.
    Q_PROPERTY(int attempt MEMBER attempt CONSTANT) //!< The field attempt, for QML.
    Q_PROPERTY(int maxAttempts MEMBER maxAttempts CONSTANT) //!< The field maxAttempts, for QML.
    Q_PROPERTY(quint64 groupId MEMBER groupId CONSTANT) //!< The field groupId, for QML.
    Q_PROPERTY(int groupDepth MEMBER groupDepth CONSTANT) //!< The field groupDepth, for QML.
    Q_PROPERTY(qtm::GroupPolicy groupPolicy MEMBER groupPolicy CONSTANT) //!< The field groupPolicy, for QML.
    Q_PROPERTY(int groupMaxConcurrent MEMBER groupMaxConcurrent CONSTANT) //!< The field groupMaxConcurrent, for QML.

public:
    //! The task's id (Task::id()); 0 in a snapshot of an invalid handle.
    quint64 id = 0;
    //! The task's name, given or generated (Task::name()).
    QString name;
    //! How the task runs.
    TaskKind kind = TaskKind::Coroutine;
    //! Where the task was in its life when the snapshot was taken.
    TaskState state = TaskState::Pending;
    //! The last progress value reported.
    int progressValue = 0;
    //! The lower end of the progress range.
    int progressMinimum = 0;
    //! The upper end of the progress range (never below the minimum in a snapshot of a task).
    int progressMaximum = 0;
    //! The last progress text reported.
    QString progressText;
    //! The message of the exception the task failed with; empty unless Failed.
    QString errorText;
    //! Why the Pending task has not started yet (Task::pendingReason()); empty otherwise.
    QString pendingReason;
    //! When the task was created.
    QDateTime createdAt;
    //! When the task started; invalid if it had not (yet).
    QDateTime startedAt;
    //! When the task ended; invalid while it was live.
    QDateTime finishedAt;
    //! Task::isCancellable() when the snapshot was taken: false once finished, and for a plain function
    //! already running on the pool.
    bool cancellable = true;
    //! Why cancellation was asked for (Task::cancelReason()); CancelReason::None if it was not.
    CancelReason cancelReason = CancelReason::None;
    //! The priority the task was created with (Task::priority()).
    int priority = 0;
    //! When the task's deadline expires (Task::deadline()); invalid for none.
    QDateTime deadline;
    //! The attempt running or next to run (Task::attempt()).
    int attempt = 0;
    //! How many attempts its retry policy allows (Task::maxAttempts()).
    int maxAttempts = 0;
    //! The id of the group it was created in, or 0 (Task::groupId()).
    quint64 groupId = 0;
    //! How many groups it is nested in (Task::groupDepth()).
    int groupDepth = 0;
    //! For a group (TaskKind::Group): its policy (TaskGroup::policy()); FailFast for any other task.
    GroupPolicy groupPolicy = GroupPolicy::FailFast;
    //! For a group: its own limit (TaskGroup::maxConcurrent()); 0 for none, and for any other task.
    int groupMaxConcurrent = 0;
    //! The context the task runs with.
    TaskContext context;
    //! What a suspended coroutine task waited on, outermost coroutine first (Task::awaiting()); empty
    //! while it ran, and for the other kinds.
    QList<AwaitFrame> awaiting;

    //! Progress as a fraction in [0, 1]; 0 while the range is empty.
    double progress() const;
};

//! Prints the snapshot's id, name, kind, state, and its progress and error where it has them.
QTM_EXPORT QDebug operator<<(QDebug debug, const TaskData &data);

} // namespace qtm
